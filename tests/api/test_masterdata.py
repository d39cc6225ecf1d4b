"""Customers, product lines and products: who may read and write, and their ledger entries."""

import pytest

from gendan.customers.models import Contact, Customer
from gendan.ledger.models import Kind, LedgerEntry
from gendan.ledger.record import subject_of
from tests.api.conftest import API
from tests.factories import CustomerFactory, ProductFactory, ProductLineFactory

pytestmark = pytest.mark.django_db


def _entries(obj) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(subject=subject_of(obj)).order_by("id"))


@pytest.mark.parametrize("name", ["clerk", "outsider", "auditor", "production_head"])
def test_all_staff_read_customers_with_contacts(api_for, name) -> None:
    customer = CustomerFactory()
    Contact.objects.create(customer=customer, name="Ms Wang", is_primary=True)
    data = api_for(name).get(f"{API}/customers/{customer.pk}/").json()
    assert data["contacts"][0]["name"] == "Ms Wang"
    assert api_for(name).get(f"{API}/customers/").json()["count"] == 1


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("clerk", 201),
        ("sales_head", 201),
        ("gm", 201),
        ("admin", 201),
        ("technical_reviewer", 403),
        ("production_head", 403),
        ("auditor", 403),
    ],
)
def test_who_may_register_customers(api_for, name, code) -> None:
    response = api_for(name).post(
        f"{API}/customers/", {"code": "C-9", "name": "Lotus"}, format="json"
    )
    assert response.status_code == code
    assert Customer.objects.filter(code="C-9").exists() == (code == 201)


def test_customer_creation_and_edit_write_ledger_entries(api_for, users) -> None:
    client = api_for("clerk")
    created = client.post(f"{API}/customers/", {"code": "C-9", "name": "Lotus"}, format="json")
    customer = Customer.objects.get(pk=created.json()["id"])
    response = client.patch(
        f"{API}/customers/{customer.pk}/", {"name": "Lotus Paper Co."}, format="json"
    )
    assert response.status_code == 200
    created_entry, changed_entry = _entries(customer)
    assert created_entry.kind == Kind.CREATED and created_entry.actor == users["clerk"]
    assert created_entry.changes["name"] == [None, "Lotus"]
    assert changed_entry.kind == Kind.CHANGED
    assert changed_entry.changes == {"name": ["Lotus", "Lotus Paper Co."]}


def test_edit_that_changes_nothing_writes_no_entry(api_for) -> None:
    customer = CustomerFactory()
    api_for("gm").patch(f"{API}/customers/{customer.pk}/", {"name": customer.name})
    assert _entries(customer) == []


@pytest.mark.parametrize("name", ["clerk", "sales_head", "gm"])
def test_nobody_sets_credit_through_the_customer_api(api_for, name) -> None:
    """Finance sets limit and rating with a credit assessment (tests/credit); here they are
    read-only: a change is refused field by field, the customer stays as it was."""
    customer = CustomerFactory()
    before = (customer.credit_limit, customer.credit_rating)
    url = f"{API}/customers/{customer.pk}/"
    refused = api_for(name).patch(url, {"credit_limit": "9000000"}, format="json")
    assert refused.status_code == 400 and "credit_limit" in refused.json()
    customer.refresh_from_db()
    assert (customer.credit_limit, customer.credit_rating) == before


def test_customers_cannot_be_deleted(api_for) -> None:
    customer = CustomerFactory()
    assert api_for("gm").delete(f"{API}/customers/{customer.pk}/").status_code == 405


def test_customer_search(api_for) -> None:
    CustomerFactory(name="Acme Cartons")
    CustomerFactory(name="Lotus Paper")
    results = api_for("clerk").get(f"{API}/customers/?search=acme").json()["results"]
    assert [r["name"] for r in results] == ["Acme Cartons"]


@pytest.mark.parametrize(
    ("name", "code"),
    [("admin", 201), ("production_head", 201), ("gm", 201), ("clerk", 403), ("auditor", 403)],
)
def test_who_may_add_products(api_for, name, code) -> None:
    line = ProductLineFactory()
    payload = {
        "code": "KL-175",
        "name": "Kraft liner",
        "line": line.pk,
        "list_price": "4100",
        "standard_cost": "3500",
    }
    assert api_for(name).post(f"{API}/products/", payload, format="json").status_code == code


def test_product_change_is_in_the_ledger(api_for, users) -> None:
    product = ProductFactory()
    response = api_for("admin").patch(
        f"{API}/products/{product.pk}/", {"list_price": "3300.00"}, format="json"
    )
    assert response.status_code == 200
    (entry,) = _entries(product)
    assert entry.changes == {"list_price": ["3200.00", "3300.00"]}


def test_product_line_by_department_code(api_for) -> None:
    payload = {"code": "KL", "name": "Kraft liner", "production_department": "production"}
    response = api_for("admin").post(f"{API}/product-lines/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["production_department"] == "production"
    bad = api_for("admin").post(
        f"{API}/product-lines/", {**payload, "code": "X", "production_department": "mars"}
    )
    assert bad.status_code == 400 and "production_department" in bad.json()


def test_everyone_reads_products(api_for) -> None:
    ProductFactory()
    assert api_for("outsider").get(f"{API}/products/").json()["count"] == 1
