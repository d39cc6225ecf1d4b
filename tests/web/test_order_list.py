"""The order list: visibility, filters, search, sort, htmx swaps and cheap pages."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.emergency.ordering import emergency_first
from gendan.orders.forms import OrderFilterForm
from gendan.orders.models import Order
from gendan.orders.status import Priority, Status
from tests.factories import CustomerFactory, make_order
from tests.web.helpers import htmx, queries_for

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [order.number for order in response.context["page"].rows]


@pytest.mark.parametrize("name", ["clerk", "sales_head", "gm", "auditor", "outsider"])
def test_order_list_renders_for_every_role(client_for, order, name):
    assert client_for(name).get("/orders/").status_code == 200


def test_clerk_lists_only_the_orders_they_follow(client_for, users, order):
    other = make_order(user=users["other_clerk"])

    response = client_for("clerk").get("/orders/")

    assert numbers(response) == [order.number]
    assert other.number not in response.content.decode()


def test_management_lists_every_order(client_for, users, order):
    other = make_order(user=users["other_clerk"])

    assert set(numbers(client_for("gm").get("/orders/"))) == {order.number, other.number}


def test_filters_by_several_statuses(client_for, users):
    draft, review, confirmed = (make_order(user=users["clerk"]) for _ in range(3))
    Order.objects.filter(pk=review.pk).update(status=Status.INTAKE_REVIEW)
    Order.objects.filter(pk=confirmed.pk).update(status=Status.CONFIRMED)

    response = client_for("clerk").get("/orders/?status=draft&status=confirmed")

    assert set(numbers(response)) == {draft.number, confirmed.number}


def test_filters_by_priority_channel_and_customer(client_for, users):
    buyer = CustomerFactory(name="Kunshan Carton Works")
    urgent = make_order(user=users["clerk"], priority=Priority.EMERGENCY, customer=buyer)
    make_order(user=users["clerk"])

    by_priority = client_for("clerk").get("/orders/?priority=emergency")
    by_customer = client_for("clerk").get("/orders/", {"customer": buyer.code})
    by_channel = client_for("clerk").get("/orders/?channel=email")

    assert numbers(by_priority) == [urgent.number]
    assert numbers(by_customer) == [urgent.number]
    assert numbers(by_channel) == []


def test_searches_number_customer_name_and_reference(client_for, users):
    buyer = CustomerFactory(name="Dongguan Yongfeng Paper")
    wanted = make_order(user=users["clerk"], customer=buyer, customer_reference="PO-5521")
    make_order(user=users["clerk"])
    client = client_for("clerk")

    assert numbers(client.get("/orders/?q=yongfeng")) == [wanted.number]
    assert numbers(client.get("/orders/?q=PO-5521")) == [wanted.number]
    assert numbers(client.get(f"/orders/?q={wanted.number}")) == [wanted.number]


def test_filters_by_requested_date_range(client_for, users):
    today = timezone.localdate()
    soon = make_order(user=users["clerk"], requested_date=today + dt.timedelta(days=5))
    make_order(user=users["clerk"], requested_date=today + dt.timedelta(days=60))
    start, end = today.isoformat(), (today + dt.timedelta(days=10)).isoformat()

    response = client_for("clerk").get(f"/orders/?requested_from={start}&requested_to={end}")

    assert numbers(response) == [soon.number]


def test_reversed_date_range_is_reported_at_the_field(client_for, order):
    response = client_for("clerk").get("/orders/?requested_from=2026-12-31&requested_to=2026-01-01")

    assert response.status_code == 200
    assert "requested_to" in response.context["form"].errors
    assert "id_requested_to_errors" in response.content.decode()


def test_sorts_by_amount_and_by_number(client_for, users):
    orders = [make_order(user=users["clerk"], lines=n) for n in (2, 1, 3)]
    client = client_for("clerk")

    by_amount = numbers(client.get("/orders/?sort=-amount"))
    by_number = numbers(client.get("/orders/?sort=number"))

    assert by_amount == [orders[2].number, orders[0].number, orders[1].number]
    assert by_number == sorted(o.number for o in orders)


def test_htmx_filter_request_gets_only_the_table(client_for, order):
    response = client_for("clerk").get("/orders/?priority=normal", headers=htmx("order-table"))

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="order-table"')
    assert "<html" not in html
    assert order.number in html
    assert "HX-Request" in response["Vary"]


def test_history_restore_gets_the_whole_page(client_for, order):
    headers = {**htmx("order-table"), "HX-History-Restore-Request": "true"}

    response = client_for("clerk").get("/orders/", headers=headers)

    assert "<html" in response.content.decode()


def test_pages_without_counting_beyond_the_cap(client_for, users, monkeypatch):
    for _ in range(7):
        make_order(user=users["clerk"])
    monkeypatch.setattr("gendan.orders.views.listing.PER_PAGE", 3)
    client = client_for("clerk")

    first = client.get("/orders/?status=draft")
    total = client.get("/orders/?status=draft&count=1")
    last = client.get("/orders/?page=3")

    assert first.context["page"].has_next and len(numbers(first)) == 3
    # The first page is not kept waiting for the count: the pager loads it afterwards, with
    # the same filters.
    assert first.context["page"].total is None
    assert 'hx-get="?status=draft&amp;count=1" hx-trigger="load"' in first.content.decode()
    assert total.content.decode() == "7"
    assert not last.context["page"].has_next and len(numbers(last)) == 1
    assert "7\u20137 of 7" in last.content.decode()  # the last page knows its total
    assert 'rel="prev"' in last.content.decode()


def test_count_is_shown_capped(client_for, users, monkeypatch):
    for _ in range(6):
        make_order(user=users["clerk"])
    monkeypatch.setattr("gendan.orders.views.listing.PER_PAGE", 2)
    import gendan.core.views as core_views

    original = core_views.page_of

    def capped(*args, **kwargs):  # type: ignore[no-untyped-def]
        return original(*args, **{**kwargs, "count_cap": 3})

    monkeypatch.setattr("gendan.orders.views.listing.page_of", capped)

    monkeypatch.setattr("gendan.orders.views.listing.COUNT_CAP", 3)
    client = client_for("clerk")

    assert client.get("/orders/?count=1").content.decode() == "3+"
    assert "1\u20132 of" in client.get("/orders/").content.decode()


def test_order_list_runs_the_same_number_of_queries_for_3_and_30_orders(client_for, users):
    for _ in range(3):
        make_order(user=users["clerk"])
    client = client_for("clerk")
    few = queries_for(client, "/orders/?status=draft&sort=-amount")
    for _ in range(27):
        make_order(user=users["clerk"], priority=Priority.EMERGENCY)

    many = queries_for(client, "/orders/?status=draft&sort=-amount")

    assert many == few


def test_order_list_stays_within_its_query_budget(client_for, order, django_assert_max_num_queries):
    client = client_for("clerk")
    client.get("/orders/")

    # session, user, unread badge, clerk and customer choices, the page, the capped count
    with django_assert_max_num_queries(8):
        client.get("/orders/?status=draft&q=SO&sort=number")


def test_rows_show_each_cell_with_its_marks(client_for, users):
    """Every cell of a row, written by `orders.rows`: link, emergency mark, customer with its
    reference, status badge, clerk, channel, requested date (red when late and open), amount,
    registration time in the factory's time zone."""
    buyer = CustomerFactory(name="Kunshan <Carton> Works")
    late = make_order(
        user=users["clerk"],
        customer=buyer,
        customer_reference="PO-77",
        priority=Priority.EMERGENCY,
        requested_date=timezone.localdate() - dt.timedelta(days=2),
    )
    Order.objects.filter(pk=late.pk).update(
        created_at=dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC), total_amount="1234567.5"
    )
    on_time = make_order(user=users["clerk"])
    closed = make_order(
        user=users["clerk"], requested_date=timezone.localdate() - dt.timedelta(days=2)
    )
    Order.objects.filter(pk=closed.pk).update(status=Status.CLOSED)

    html = client_for("clerk").get("/orders/").content.decode()
    row = html.split(f'data-order="{late.number}"')[1].split("</tr>")[0]
    other = html.split(f'data-order="{on_time.number}"')[1].split("</tr>")[0]
    closed_row = html.split(f'data-order="{closed.number}"')[1].split("</tr>")[0]

    assert f'<tr class="is-emergency" data-order="{late.number}"' in html
    assert f'href="/orders/{late.number}/"' in row
    assert 'class="mark-emergency"' in row and 'class="mark-emergency"' not in other
    assert "Kunshan &lt;Carton&gt; Works" in row
    assert '<span class="sub">Ref. PO-77</span>' in row
    assert 'data-status="draft"' in row
    assert str(users["clerk"]) in row
    assert late.get_channel_display() in row
    assert 'class="nowrap overdue"' in row and "overdue" not in other
    assert "overdue" not in closed_row  # a closed order is not late any more
    assert "1,234,567.50" in row
    assert "2026-03-01 09:30" in row  # 01:30 UTC is 09:30 in Shanghai


@pytest.mark.postgres
@pytest.mark.parametrize("viewer", ["clerk", "technical_reviewer", "sales_head"])
def test_each_visibility_alternative_read_apart_gives_the_same_pages(
    client_for, users, viewer, monkeypatch
):
    """On PostgreSQL the default list takes its rows from each alternative of the user's
    visibility apart (followed, on a task, routed); page after page it shows exactly the
    orders, in exactly the order, of the one combined rule."""
    from gendan.orders.views.listing import holds_few_tasks, listed_orders
    from gendan.tasks.actions import due_at_for, open_task
    from tests.factories import department

    monkeypatch.setattr("gendan.orders.views.listing.PER_PAGE", 3)
    for n in range(5):
        make_order(user=users["clerk"], priority=Priority.EMERGENCY if n == 3 else Priority.NORMAL)
    for n in range(8):
        other = make_order(user=users["other_clerk"])
        if n % 2:  # a task for the clerk on another clerk's order
            open_task(
                user=users["sales_head"],
                order=other,
                title="Call back",
                assignee=users["clerk"],
                due_at=due_at_for(working_days=1),
            )
        else:  # routed to technical
            open_task(
                user=users["sales_head"],
                order=other,
                title="Check",
                department=department("technical"),
                due_at=due_at_for(working_days=1),
            )
    client = client_for(viewer)
    expected = list(
        emergency_first(Order.objects.for_user(users[viewer]), "-created_at", "-id").values_list(
            "number", flat=True
        )
    )
    assert len(expected) > 3  # more than one page for every viewer

    shown = []
    for page in range(1, len(expected) // 3 + 2):
        shown += numbers(client.get(f"/orders/?page={page}"))
    form = OrderFilterForm({})
    form.is_valid()

    assert shown == expected
    assert holds_few_tasks(users["clerk"])
    assert " UNION " in str(listed_orders(users[viewer], form, 4).query)
    # Holding many tasks, the user gets the combined rule: the same pages.
    monkeypatch.setattr("gendan.orders.views.listing.holds_few_tasks", lambda user: False)
    assert " UNION " not in str(listed_orders(users[viewer], form, 4).query)
    assert numbers(client.get("/orders/?page=2")) == expected[3:6]
