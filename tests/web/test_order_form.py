"""Registering and editing orders through the order form."""

from decimal import Decimal

import pytest

from gendan.orders import actions
from gendan.orders.models import Order
from gendan.orders.status import Status
from tests.factories import CustomerFactory, ProductFactory, make_order
from tests.web.helpers import edit_payload, new_order_payload

pytestmark = pytest.mark.django_db


def test_clerk_registers_an_order_with_its_lines(client_for, users):
    customer, product = CustomerFactory(), ProductFactory()
    payload = new_order_payload(
        customer, product, lines=[{"quantity": "30"}, {"quantity": "12.5", "unit_price": "3300"}]
    )

    response = client_for("clerk").post("/orders/new/", payload)

    order = Order.objects.get(customer=customer)
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert order.clerk == users["clerk"]
    assert order.status == Status.DRAFT
    assert [line.quantity for line in order.lines.all()] == [Decimal("30"), Decimal("12.5")]
    assert order.total_amount == Decimal("30") * Decimal("3150") + Decimal("12.5") * 3300


def test_negative_quantity_is_refused_next_to_the_field_and_nothing_is_saved(client_for):
    customer, product = CustomerFactory(), ProductFactory()
    payload = new_order_payload(customer, product, lines=[{"quantity": "-5"}])

    response = client_for("clerk").post("/orders/new/", payload)

    assert response.status_code == 400
    assert not Order.objects.exists()
    line_form = response.context["lines"].forms[0]
    assert "quantity" in line_form.errors
    html = response.content.decode()
    assert 'value="-5"' in html  # the clerk's input is kept
    assert "has-error" in html


def test_missing_header_fields_show_their_own_errors(client_for):
    customer, product = CustomerFactory(), ProductFactory()
    payload = new_order_payload(customer, product, delivery_place="", requested_date="")

    response = client_for("clerk").post("/orders/new/", payload)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"delivery_place", "requested_date"}
    assert "id_delivery_place_errors" in response.content.decode()


def test_an_order_without_lines_is_refused(client_for):
    customer, product = CustomerFactory(), ProductFactory()
    payload = new_order_payload(
        customer, product, lines=[{"quantity": "", "product": "", "unit": "", "unit_price": ""}]
    )

    response = client_for("clerk").post("/orders/new/", payload)

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_clerk_field_is_offered_only_to_those_who_may_assign_clerks(client_for, users):
    assert 'name="clerk"' not in client_for("clerk").get("/orders/new/").content.decode()
    assert 'name="clerk"' in client_for("sales_head").get("/orders/new/").content.decode()


def test_a_clerk_cannot_register_an_order_for_another_clerk(client_for, users):
    customer, product = CustomerFactory(), ProductFactory()
    payload = new_order_payload(customer, product, clerk=users["other_clerk"].pk)

    client_for("clerk").post("/orders/new/", payload)

    assert Order.objects.get().clerk == users["clerk"]


def test_sales_head_assigns_the_clerk(client_for, users):
    customer, product = CustomerFactory(), ProductFactory()
    payload = new_order_payload(customer, product, clerk=users["other_clerk"].pk)

    client_for("sales_head").post("/orders/new/", payload)

    assert Order.objects.get().clerk == users["other_clerk"]


@pytest.mark.parametrize("name", ["auditor", "technical_reviewer", "production_head"])
def test_roles_that_may_not_register_orders_get_403(client_for, name):
    client = client_for(name)
    assert client.get("/orders/new/").status_code == 403
    payload = new_order_payload(CustomerFactory(), ProductFactory())
    assert client.post("/orders/new/", payload).status_code == 403
    assert not Order.objects.exists()


def test_edit_saves_changes_and_records_them(client_for, order):
    payload = edit_payload(order, delivery_place="Suzhou warehouse, dock 4")

    response = client_for("clerk").post(f"/orders/{order.number}/edit/", payload)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.delivery_place == "Suzhou warehouse, dock 4"
    assert order.version == 2
    assert order.ledger.filter(kind="changed").exists()


def test_stale_edit_is_refused_and_keeps_the_users_input(client_for, users, order):
    page_version = order.version
    # Someone else saves the order while the clerk has the form open.
    actions.update_order(
        order=order,
        user=users["sales_head"],
        expected_version=page_version,
        header={"payment_terms": "60 days"},
    )
    payload = edit_payload(order, delivery_place="Typed by the clerk", version=page_version)

    response = client_for("clerk").post(f"/orders/{order.number}/edit/", payload)

    assert response.status_code == 409
    html = response.content.decode()
    assert 'id="stale-warning"' in html
    assert "Changed by someone else" in html
    assert "Typed by the clerk" in html
    order.refresh_from_db()
    assert order.delivery_place != "Typed by the clerk"
    assert order.payment_terms == "60 days"


def test_another_clerks_order_cannot_be_edited_or_seen(client_for, order):
    client = client_for("other_clerk")
    assert client.get(f"/orders/{order.number}/edit/").status_code == 404
    assert client.post(f"/orders/{order.number}/edit/", edit_payload(order)).status_code == 404


def test_auditor_sees_the_order_but_may_not_edit_it(client_for, order):
    client = client_for("auditor")
    assert client.get(order.get_absolute_url()).status_code == 200
    assert client.get(f"/orders/{order.number}/edit/").status_code == 403
    assert client.post(f"/orders/{order.number}/edit/", edit_payload(order)).status_code == 403


def test_order_past_negotiation_cannot_be_edited(client_for, order):
    Order.objects.filter(pk=order.pk).update(status=Status.CONFIRMED)

    response = client_for("clerk").get(f"/orders/{order.number}/edit/")

    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    page = client_for("clerk").get(order.get_absolute_url()).content.decode()
    assert f"/orders/{order.number}/edit/" not in page


def test_edit_page_offers_the_existing_lines(client_for, users):
    order = make_order(user=users["clerk"], lines=2)

    response = client_for("clerk").get(f"/orders/{order.number}/edit/")

    assert len(response.context["lines"].forms) == 2
    assert f'name="version" value="{order.version}"' in response.content.decode()


def test_customer_is_typed_by_name_or_code_with_a_clear_error(client_for):
    """The customer box takes an exact name (any letter case) or a code; an unknown, an
    inactive or an ambiguous name is refused on the field and nothing is saved."""
    buyer = CustomerFactory(name="Kunshan Carton Works", code="KS-01")
    CustomerFactory(name="Twin Paper", code="TW-1")
    CustomerFactory(name="Twin Paper", code="TW-2")
    CustomerFactory(name="Closed Mill", code="CL-1", is_active=False)
    product = ProductFactory()
    client = client_for("clerk")

    def post(customer: str):  # type: ignore[no-untyped-def]
        payload = new_order_payload(buyer, product)
        payload["customer"] = customer
        return client.post("/orders/new/", payload)

    by_name = post("kunshan carton works")
    unknown, closed, twin = post("Nobody Ltd"), post("Closed Mill"), post("Twin Paper")

    assert by_name.status_code == 302
    assert Order.objects.get().customer == buyer
    assert "Nobody Ltd" in unknown.context["form"].errors["customer"][0]
    assert closed.context["form"].errors["customer"]  # inactive: not offered for new orders
    assert "enter the customer's code" in twin.context["form"].errors["customer"][0]
    assert Order.objects.count() == 1
    assert post("TW-2").status_code == 302


def test_edit_page_shows_the_customer_by_name(client_for, order):
    html = client_for("clerk").get(f"/orders/{order.number}/edit/").content.decode()

    assert f'value="{order.customer.name}"' in html
    assert 'list="id_customer_options"' in html
    assert "field=customer&amp;active=1" in html  # new orders take active customers only
