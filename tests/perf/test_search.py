"""The order search (`gendan.orders.search`) on the order list and the API, the indexes that
keep it fast on PostgreSQL, and the quick `<select>` of the order list's customer filter."""

import pytest
from django.db import connection
from django.test import Client

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.orders.search import search_orders
from tests.factories import CustomerFactory, make_order

pytestmark = pytest.mark.django_db

API = "/api/v1"


def listed(client: Client, query: str) -> list[str]:
    response = client.get("/orders/", {"q": query})
    assert response.status_code == 200
    return sorted(order.number for order in response.context["page"].rows)


def searched(client: Client, query: str) -> list[str]:
    response = client.get(f"{API}/orders/", {"search": query})
    assert response.status_code == 200, response.content[:300]
    return sorted(row["number"] for row in response.json()["results"])


@pytest.fixture
def orders(users: dict[str, User]) -> dict[str, Order]:
    clerk = users["clerk"]
    return {
        "hongda": make_order(
            user=clerk,
            customer=CustomerFactory(name="苏州宏达包装有限公司"),
            customer_reference="PO-88123",
        ),
        "yongfeng": make_order(
            user=clerk,
            customer=CustomerFactory(name="Dongguan Yongfeng Paper"),
            customer_reference="HD-2026-7",
        ),
    }


@pytest.mark.parametrize("where", ["page", "api"])
def test_finds_by_number_customer_name_and_reference(client_for, orders, where) -> None:
    find = listed if where == "page" else searched
    client = client_for("gm")
    hongda, yongfeng = orders["hongda"].number, orders["yongfeng"].number

    assert find(client, "宏达") == [hongda]  # a two-character Chinese word of the name
    assert find(client, "yongfeng") == [yongfeng]  # case-insensitive
    assert find(client, "po-88") == [hongda]  # a fragment of the reference
    assert find(client, hongda) == [hongda]  # the exact number
    assert find(client, hongda[:-1]) == sorted([hongda, yongfeng])  # a prefix of both numbers
    assert find(client, "宏达 88123") == [hongda]  # every word must match
    assert find(client, "宏达 yongfeng") == []


def test_numbers_and_references_need_three_characters(client_for, orders) -> None:
    """Two characters of a number or reference find nothing (no index could serve them and
    they would match nearly every order); names are matched from one character."""
    client = client_for("gm")

    assert listed(client, "PO") == []
    assert listed(client, "PO-") == [orders["hongda"].number]
    assert listed(client, "Yo") == [orders["yongfeng"].number]


def test_a_word_of_many_customers_finds_the_same_orders(orders, monkeypatch) -> None:
    """Past MAX_CUSTOMER_IDS matching customers the name condition is a join: same result."""
    everything = Order.objects.all()
    few = set(search_orders(everything, "有限公司"))
    monkeypatch.setattr("gendan.orders.search.MAX_CUSTOMER_IDS", 0)
    many = set(search_orders(everything, "有限公司"))

    assert few == many == {orders["hongda"]}


def test_search_shows_only_visible_orders(client_for, users, orders) -> None:
    make_order(user=users["other_clerk"], customer=CustomerFactory(name="苏州宏达纸业"))

    assert listed(client_for("clerk"), "宏达") == [orders["hongda"].number]
    assert len(listed(client_for("gm"), "宏达")) == 2


@pytest.mark.postgres
def test_trigram_indexes_serve_the_search(orders) -> None:
    """The migration made the trigram indexes, on the very expression Django's icontains
    writes, so PostgreSQL can use them (plain and sequential scans off to force the choice on a
    tiny table)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE %s ORDER BY 1", ["%_trgm"]
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "customer_name_trgm",
            "order_number_trgm",
            "order_reference_trgm",
        ]
        search = search_orders(Order.objects.order_by(), "88123")
        sql, params = search.query.sql_with_params()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "order_number_trgm" in plan
    assert "order_reference_trgm" in plan


def test_order_list_customer_filter_takes_a_name_or_code(client_for, orders) -> None:
    """The customer filter is a box with suggestions (no list of every customer): it takes a
    customer's exact name or code, shows the name back, and refuses an unknown one."""
    hongda = orders["hongda"].customer
    CustomerFactory(name="Closed Account Ltd", is_active=False)
    client = client_for("gm")

    by_name = client.get("/orders/", {"customer": hongda.name.upper()})
    by_code = client.get("/orders/", {"customer": hongda.code})
    refused = client.get("/orders/", {"customer": "Nobody Trading"})

    assert [o.number for o in by_name.context["page"].rows] == [orders["hongda"].number]
    assert [o.number for o in by_code.context["page"].rows] == [orders["hongda"].number]
    assert f'value="{hongda.name}"' in by_code.content.decode()
    page = by_name.content.decode()
    assert "Dongguan Yongfeng Paper" not in page.split('id="order-filters"')[1].split("</form>")[0]
    assert [o.number for o in refused.context["page"].rows] == sorted(
        (o.number for o in orders.values()), reverse=True
    )
    assert "Nobody Trading" in refused.context["form"].errors["customer"][0]


def test_customer_suggestions_match_names_and_codes(client_for, orders) -> None:
    hongda = orders["hongda"].customer
    client = client_for("clerk")

    by_word = client.get("/customers/suggest/", {"field": "customer", "customer": hongda.name[:4]})
    by_code = client.get("/customers/suggest/", {"field": "customer", "customer": hongda.code})
    nothing = client.get("/customers/suggest/", {"field": "customer", "customer": ""})
    CustomerFactory(name="苏州宏达旧厂", code="OLD-1", is_active=False)
    everyone = client.get("/customers/suggest/", {"field": "q", "q": "宏达"}).content.decode()
    active = client.get("/customers/suggest/", {"field": "q", "q": "宏达", "active": "1"})

    assert f'<option value="{hongda.name}">{hongda.code}</option>' in by_word.content.decode()
    assert f'<option value="{hongda.name}">' in by_code.content.decode()
    assert "Yongfeng" not in by_word.content.decode()
    assert nothing.content.decode().strip() == ""
    assert "OLD-1" in everyone and "OLD-1" not in active.content.decode()


def test_each_form_remembers_its_own_customers() -> None:
    """What one form's customer box read is not kept for the next form (or the next user)."""
    from gendan.orders.forms import OrderFilterForm

    first, second = OrderFilterForm(), OrderFilterForm()
    first.fields["customer"].found["x"] = object()  # type: ignore[attr-defined]

    assert second.fields["customer"].found == {}  # type: ignore[attr-defined]


def test_a_word_starting_like_a_number_matches_numbers_from_their_start(client_for, orders):
    """`SO-…` can only occur at the start of a number: it is searched as a prefix, and still
    finds references that contain it anywhere."""
    hongda, yongfeng = orders["hongda"], orders["yongfeng"]
    Order.objects.filter(pk=yongfeng.pk).update(customer_reference=f"ours {hongda.number}")
    client = client_for("gm")

    both = sorted([hongda.number, yongfeng.number])

    assert listed(client, hongda.number[:-1].lower()) == both
    assert listed(client, hongda.number) == both
    assert listed(client, hongda.number[1:]) == both  # not the start: searched inside
    Order.objects.filter(pk=yongfeng.pk).update(customer_reference="")
    assert listed(client, hongda.number) == [hongda.number]


def plan_of(text: str) -> str:
    with connection.cursor() as cursor:
        search = search_orders(Order.objects.order_by(), text)
        sql, params = search.query.sql_with_params()
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_a_number_prefix_is_a_b_tree_prefix_scan(orders) -> None:
    """Numbers in capitals (the default pattern): the typed prefix in capitals, read from the
    unique number's pattern index; never from the trigram index, which reads the whole year."""
    plan = plan_of(orders["hongda"].number[:-2].lower())

    assert "orders_order_number_" in plan and "_like" in plan
    assert "order_number_trgm" not in plan


@pytest.mark.postgres
def test_a_number_prefix_with_a_lower_case_pattern_ignores_letter_case(orders, settings):
    settings.GENDAN = {**settings.GENDAN, "ORDER_NUMBER_PATTERN": "so-{year}-{seq:06d}"}
    Order.objects.filter(pk=orders["hongda"].pk).update(number="so-2026-123456")

    assert list(search_orders(Order.objects.all(), "SO-2026-1234")) == [orders["hongda"]]
    assert "order_number_prefix" in plan_of("SO-2026-1234")
