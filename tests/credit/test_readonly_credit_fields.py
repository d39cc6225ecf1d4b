"""Credit limit and rating change only through finance's credit assessment (I4): the customer
API and the customer form show them but never change them."""

from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from gendan.credit.actions import record_assessment
from gendan.customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def customer() -> Customer:
    return CustomerFactory(credit_limit=Decimal("500000"), credit_rating="B")


def test_clerk_patching_the_credit_limit_gets_a_field_error_and_nothing_changes(users, customer):
    response = api(users["clerk"]).patch(
        f"{API}/customers/{customer.pk}/", {"credit_limit": "9000000"}, format="json"
    )
    assert response.status_code == 400
    assert "credit assessment" in response.json()["credit_limit"][0]
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("500000")


def test_management_gets_a_field_error_for_each_credit_field(users, customer):
    response = api(users["gm"]).patch(
        f"{API}/customers/{customer.pk}/",
        {"credit_rating": "A", "credit_limit": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"credit_rating", "credit_limit"}
    customer.refresh_from_db()
    assert (customer.credit_limit, customer.credit_rating) == (Decimal("500000"), "B")


def test_finance_uses_the_assessment_not_the_customer_api(finance, customer):
    response = api(finance).patch(
        f"{API}/customers/{customer.pk}/", {"credit_limit": "1"}, format="json"
    )
    assert response.status_code == 403  # finance does not keep the customer list
    customer.refresh_from_db()
    assert customer.credit_limit == Decimal("500000")


def test_sending_back_the_current_credit_values_is_accepted(users, customer):
    url = f"{API}/customers/{customer.pk}/"
    current = api(users["clerk"]).get(url).json()
    assert (current["credit_limit"], current["credit_rating"]) == ("500000.00", "B")
    response = api(users["clerk"]).patch(
        url,
        {"name": "Renamed", "credit_limit": current["credit_limit"], "credit_rating": "B"},
        format="json",
    )
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.name == "Renamed" and customer.credit_limit == Decimal("500000")


def test_new_customer_through_the_api_starts_unrated(users):
    response = api(users["clerk"]).post(
        f"{API}/customers/", {"code": "C77", "name": "Suzhou Box", "credit_limit": "800000"}
    )
    assert response.status_code == 400 and "credit_limit" in response.json()
    created = api(users["clerk"]).post(f"{API}/customers/", {"code": "C77", "name": "Suzhou Box"})
    assert created.status_code == 201
    assert created.json()["credit_limit"] == "0.00"
    assert created.json()["credit_rating"] == "new"


def test_the_assessment_sets_what_the_api_then_shows(finance, users, customer):
    record_assessment(user=finance, customer=customer, rating="A", limit="2000000")
    shown = api(users["clerk"]).get(f"{API}/customers/{customer.pk}/").json()
    assert (shown["credit_limit"], shown["credit_rating"]) == ("2000000.00", "A")


def test_the_customer_form_has_no_credit_fields_and_ignores_them(client_for, customer):
    client: Client = client_for("sales_head")
    form = client.get(f"/customers/{customer.pk}/edit/")
    assert "credit_limit" not in form.context["form"].fields
    assert "credit_rating" not in form.context["form"].fields
    assert 'data-testid="credit-readonly"' in form.content.decode()
    payload = {
        "code": customer.code,
        "name": customer.name,
        "region": customer.region,
        "address": customer.address,
        "payment_terms": customer.payment_terms,
        "is_active": "on",
        "notes": "",
        "credit_limit": "9000000",
        "credit_rating": "A",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
    }
    assert client.post(f"/customers/{customer.pk}/edit/", payload).status_code == 302
    customer.refresh_from_db()
    assert (customer.credit_limit, customer.credit_rating) == (Decimal("500000"), "B")
