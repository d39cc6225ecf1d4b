"""The order search (`gendan.orders.search`) on the order list and the API, the indexes that
keep it fast on PostgreSQL, and the quick `<select>` of the order list's customer filter."""

import pytest
from django import forms
from django.db import connection
from django.test import Client

from gendan.accounts.models import User
from gendan.core.widgets import QuickSelect
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


class Colours(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Any"), ("1", "Red & <b>"), ("2", "红色"), ("G", [("3", "Teal")])],
        required=False,
    )
    quick = forms.ChoiceField(choices=plain.choices, required=False, widget=QuickSelect)


@pytest.mark.parametrize("data", [None, {"plain": "2", "quick": "2"}])
def test_quick_select_writes_the_options_django_writes(data) -> None:
    form = Colours(data)
    form.is_valid()

    def options(html: str) -> str:
        return "".join(html.split()).replace('name="plain"id="id_plain"', "")

    plain = options(str(form["plain"]))
    quick = options(str(form["quick"]).replace('name="quick" id="id_quick"', ""))

    assert quick == plain
    assert "Red &amp; &lt;b&gt;" in str(form["quick"])


def test_order_list_customer_filter_offers_and_checks_customers(client_for, orders) -> None:
    """The customer filter (read as id/name pairs) lists active customers, keeps the chosen
    one selected, and refuses an id that is not an active customer."""
    hongda = orders["hongda"].customer
    hongda_option = f'<option value="{hongda.pk}" selected>{hongda.name}</option>'
    gone = CustomerFactory(name="Closed Account Ltd", is_active=False)
    client = client_for("gm")

    chosen = client.get("/orders/", {"customer": hongda.pk}).content.decode()
    refused = client.get("/orders/", {"customer": gone.pk})

    assert hongda_option in chosen
    assert "Dongguan Yongfeng Paper</option>" in chosen
    assert "Closed Account Ltd" not in chosen
    assert [o.number for o in refused.context["page"].rows] == sorted(
        (o.number for o in orders.values()), reverse=True
    )
    assert refused.context["form"].errors["customer"]
