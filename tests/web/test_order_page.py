"""The order page: who sees it, the pipeline steps per role, and the forms posted from it."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.models import Department
from gendan.ledger.models import Kind, LedgerEntry
from gendan.orders import actions
from gendan.orders.models import Order
from gendan.orders.pipeline import available_transitions
from gendan.orders.status import Status
from gendan.tasks.actions import due_at_for, open_task
from gendan.tasks.models import Task
from tests.factories import make_order
from tests.web.helpers import htmx, queries_for, step_names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["clerk", "sales_head", "gm", "admin", "auditor"])
def test_order_page_renders_for_those_who_see_the_order(client_for, order, name):
    response = client_for(name).get(order.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert order.number in html
    assert order.customer.name in html
    assert 'data-status="draft"' in html


@pytest.mark.parametrize("name", ["other_clerk", "outsider", "technical_reviewer"])
def test_order_page_is_404_for_those_who_may_not_see_it(client_for, order, name):
    client = client_for(name)
    assert client.get(order.get_absolute_url()).status_code == 404
    assert client.get(f"/orders/{order.number}/ledger/").status_code == 404
    post = {"name": "hold", "version": order.version, "reason": "x"}
    assert client.post(f"/orders/{order.number}/transition/", post).status_code == 404
    assert client.post(f"/orders/{order.number}/comment/", {"text": "hi"}).status_code == 404
    assert not LedgerEntry.objects.filter(order=order, kind=Kind.COMMENT).exists()


def test_unknown_order_number_is_404_with_the_same_page_as_an_invisible_one(client_for, order):
    unknown = client_for("gm").get("/orders/SO-1999-000001/")
    invisible = client_for("other_clerk").get(order.get_absolute_url())

    assert unknown.status_code == invisible.status_code == 404
    assert "not visible to you" in invisible.content.decode()
    assert order.customer.name not in invisible.content.decode()


@pytest.mark.parametrize(
    "name", ["clerk", "sales_head", "gm", "admin", "auditor", "production_head"]
)
@pytest.mark.parametrize("status", [Status.DRAFT, Status.INTAKE_REVIEW, Status.CONFIRMED])
def test_steps_shown_are_exactly_the_pipeline_rows_for_the_users_role(
    client_for, users, order, name, status
):
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    if name == "production_head":  # sees the order once a task routes it to production
        open_task(
            user=users["clerk"],
            order=order,
            title="Check capacity",
            department=Department.objects.get(code="production"),
            due_at=due_at_for(working_days=2),
        )
    expected = available_transitions(order, users[name])

    html = client_for(name).get(order.get_absolute_url()).content.decode()

    assert step_names(html) == [a.transition.name for a in expected]
    for available in expected:
        button_disabled = f'data-step="{available.transition.name}"' in html and (
            html.split(f'data-step="{available.transition.name}"')[1]
            .split("</form>")[0]
            .find("disabled")
            >= 0
        )
        assert button_disabled == (not available.enabled)
        for blocker in available.blockers:
            assert blocker in html


def test_auditor_posting_a_transition_gets_403_and_nothing_changes(client_for, order):
    response = client_for("auditor").post(
        f"/orders/{order.number}/transition/",
        {"name": "cancel", "version": order.version, "reason": "testing"},
    )

    assert response.status_code == 403
    assert "Your role may not" in response.content.decode()  # the 403 page says why
    order.refresh_from_db()
    assert order.status == Status.DRAFT


def test_clerk_may_not_take_a_sales_head_step(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/transition/",
        {"name": "hold", "version": order.version, "reason": "waiting for the customer"},
    )

    assert response.status_code == 403


def test_sales_head_puts_an_order_on_hold_with_a_reason(client_for, order):
    response = client_for("sales_head").post(
        f"/orders/{order.number}/transition/",
        {"name": "hold", "version": order.version, "reason": "Customer asked to wait"},
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Status.ON_HOLD
    entry = order.ledger.get(kind=Kind.TRANSITION)
    assert entry.body == "Customer asked to wait"


def test_step_needing_a_reason_is_refused_without_one_and_says_so_at_the_button(client_for, order):
    response = client_for("sales_head").post(
        f"/orders/{order.number}/transition/", {"name": "hold", "version": order.version}
    )

    assert response.status_code == 409
    order.refresh_from_db()
    assert order.status == Status.DRAFT
    step = response.content.decode().split('data-step="hold"')[1].split("</form>")[0]
    assert "Give the reason for this step." in step


def test_step_from_a_stale_page_is_refused_with_a_clear_message(client_for, users, order):
    stale_version = order.version
    actions.update_order(
        order=order, user=users["clerk"], expected_version=stale_version, header={"notes": "x"}
    )

    response = client_for("sales_head").post(
        f"/orders/{order.number}/transition/",
        {"name": "hold", "version": stale_version, "reason": "wait"},
    )

    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Status.DRAFT


def test_comment_through_htmx_rerenders_the_timeline(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/comment/",
        {"text": "Customer wants the rolls wrapped twice"},
        headers=htmx("activity"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="activity"')
    assert "Customer wants the rolls wrapped twice" in html
    assert 'hx-swap-oob="true"' in html  # the messages area comes along
    assert order.ledger.filter(kind=Kind.COMMENT).count() == 1


def test_empty_comment_shows_the_field_error(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/comment/", {"text": "  "}, headers=htmx("activity")
    )

    assert response.status_code == 200
    assert "id_text_errors" in response.content.decode()
    assert not order.ledger.filter(kind=Kind.COMMENT).exists()


def test_communication_is_recorded_with_channel_and_counterpart(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/communication/",
        {
            "channel": "call",
            "counterpart": "Mr Wang, buyer",
            "summary": "Confirmed 120 g/m²",
            "body": "Two deliveries are fine.",
            "occurred_at": "",
        },
    )

    assert response.status_code == 302
    entry = order.ledger.get(kind=Kind.COMMUNICATION)
    assert (entry.channel, entry.counterpart) == ("call", "Mr Wang, buyer")
    html = client_for("clerk").get(order.get_absolute_url()).content.decode()
    assert "Mr Wang, buyer" in html
    assert "Confirmed 120 g/m²" in html


def test_communication_without_counterpart_shows_the_error_at_the_field(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/communication/",
        {"channel": "call", "counterpart": "", "summary": "Called"},
        headers=htmx("activity"),
    )

    assert "id_counterpart_errors" in response.content.decode()
    assert not order.ledger.filter(kind=Kind.COMMUNICATION).exists()


def test_communication_in_the_future_is_refused_at_the_when_field(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/communication/",
        {
            "channel": "email",
            "counterpart": "Ms Li",
            "summary": "Sent the quote",
            "occurred_at": "2099-01-01T10:00",
        },
    )

    assert response.status_code == 400
    assert "occurred_at" in response.context["communication_form"].errors


def test_auditor_gets_no_ledger_forms_and_may_not_post_them(client_for, order):
    client = client_for("auditor")
    html = client.get(order.get_absolute_url()).content.decode()
    assert f"/orders/{order.number}/comment/" not in html
    assert client.post(f"/orders/{order.number}/comment/", {"text": "hi"}).status_code == 403


def test_ledger_shows_field_changes_before_and_after(client_for, users, order):
    actions.update_order(
        order=order,
        user=users["clerk"],
        expected_version=order.version,
        header={"delivery_place": "Suzhou dock 4"},
    )

    html = client_for("clerk").get(order.get_absolute_url()).content.decode()

    assert "Kunshan plant, gate 2" in html.split('class="before"')[1]
    assert "Suzhou dock 4" in html.split('class="after"')[1]


def test_ledger_loads_older_entries_on_demand(client_for, users, order):
    for number in range(25):
        actions.add_comment(order=order, user=users["clerk"], text=f"note {number:02d}")
    client = client_for("clerk")

    first = client.get(order.get_absolute_url()).content.decode()
    assert "note 24" in first and "note 04" not in first
    last_shown = first.split('data-entry="')[20].split('"')[0]
    more = client.get(
        f"/orders/{order.number}/ledger/?before={last_shown}", headers=htmx()
    ).content.decode()

    assert "note 04" in more and "note 00" in more
    assert "note 24" not in more
    assert "Order SO-" in more  # the creation entry is the oldest


def test_clerk_opens_a_task_for_a_department(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/tasks/",
        {
            "title": "Confirm the date",
            "department": Department.objects.get(code="production").pk,
            "assignee": "",
            "due_in": "2",
            "due_unit": "working_days",
            "description": "",
        },
        headers=htmx("tasks"),
    )

    assert response.status_code == 200
    assert "Confirm the date" in response.content.decode()
    task = Task.objects.get(order=order)
    assert task.department.code == "production"
    assert not task.due_in_hours


def test_task_without_owner_shows_the_error_at_the_department_field(client_for, order):
    response = client_for("clerk").post(
        f"/orders/{order.number}/tasks/",
        {
            "title": "Call back",
            "department": "",
            "assignee": "",
            "due_in": "4",
            "due_unit": "hours",
        },
        headers=htmx("tasks"),
    )

    assert "id_department_errors" in response.content.decode()
    assert not Task.objects.exists()


def test_overdue_task_is_marked_red_on_the_order_page(client_for, users, order):
    open_task(
        user=users["clerk"],
        order=order,
        title="Send samples",
        assignee=users["clerk"],
        due_at=timezone.now() - dt.timedelta(hours=3),
    )

    html = client_for("clerk").get(order.get_absolute_url()).content.decode()

    row = html.split('id="tasks"')[1]
    assert 'class="is-overdue' in row


def test_order_page_runs_the_same_number_of_queries_for_small_and_large_orders(client_for, users):
    def busy_order(size: int) -> Order:
        order = make_order(user=users["clerk"], lines=size)
        production = Department.objects.get(code="production")
        for number in range(size):
            actions.add_comment(order=order, user=users["clerk"], text=f"note {number}")
            open_task(
                user=users["clerk"],
                order=order,
                title=f"task {number}",
                department=production if number % 2 else None,
                assignee=None if number % 2 else users["other_clerk"],
                due_at=due_at_for(hours=2),
            )
        return order

    small, large = busy_order(3), busy_order(30)
    client = client_for("clerk")

    assert queries_for(client, large.get_absolute_url()) == queries_for(
        client, small.get_absolute_url()
    )
