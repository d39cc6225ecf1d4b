"""Customer and product pages: lists, details, and who may create or edit them."""

from decimal import Decimal

import pytest

from gendan.catalog.models import Product
from gendan.customers.models import Contact, Customer
from tests.factories import CustomerFactory, ProductFactory, ProductLineFactory, make_order

pytestmark = pytest.mark.django_db


def customer_payload(**overrides: str) -> dict[str, str]:
    data = {
        "code": "C9001",
        "name": "Hangzhou West Lake Packaging",
        "region": "华东",
        "address": "",
        "credit_limit": "800000",
        "credit_rating": "B",
        "payment_terms": "60 days",
        "is_active": "on",
        "notes": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "1000",
        "contacts-0-name": "Ms Zhou",
        "contacts-0-title": "Buyer",
        "contacts-0-phone": "13800000000",
        "contacts-0-email": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["clerk", "technical_reviewer", "auditor"])
def test_customer_pages_render_for_staff(client_for, order, name):
    client = client_for(name)
    assert client.get("/customers/").status_code == 200
    assert client.get(f"/customers/{order.customer_id}/").status_code == 200


def test_customer_search_finds_by_name_and_code(client_for):
    CustomerFactory(code="C0777", name="Chengdu Rongcheng Printing")
    CustomerFactory(code="C0778", name="Tianjin Carton")
    client = client_for("clerk")

    by_name = client.get("/customers/?q=rongcheng").context["page"].rows
    by_code = client.get("/customers/?q=C0778").context["page"].rows

    assert [c.code for c in by_name] == ["C0777"]
    assert [c.code for c in by_code] == ["C0778"]


def test_customer_detail_shows_only_orders_the_user_may_see(client_for, users):
    customer = CustomerFactory()
    mine = make_order(user=users["clerk"], customer=customer)
    theirs = make_order(user=users["other_clerk"], customer=customer)

    html = client_for("clerk").get(f"/customers/{customer.pk}/").content.decode()

    assert mine.number in html
    assert theirs.number not in html


@pytest.mark.parametrize("name", ["clerk", "sales_head", "gm", "admin"])
def test_sales_people_and_management_add_customers_with_contacts(client_for, name):
    response = client_for(name).post("/customers/new/", customer_payload())

    customer = Customer.objects.get(code="C9001")
    assert response.status_code == 302
    assert Contact.objects.get(customer=customer).name == "Ms Zhou"


@pytest.mark.parametrize("name", ["technical_reviewer", "production_head", "auditor"])
def test_others_may_not_add_or_edit_customers(client_for, order, name):
    client = client_for(name)
    assert client.get("/customers/new/").status_code == 403
    assert client.post("/customers/new/", customer_payload()).status_code == 403
    assert client.get(f"/customers/{order.customer_id}/edit/").status_code == 403
    assert not Customer.objects.filter(code="C9001").exists()


def test_customer_form_shows_field_errors(client_for):
    response = client_for("clerk").post("/customers/new/", customer_payload(name="", code=""))

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "code"}
    assert "id_name_errors" in response.content.decode()


def test_unknown_customer_is_404(client_for):
    assert client_for("clerk").get("/customers/999999/").status_code == 404


def product_payload(line_id: int, **overrides: str) -> dict[str, str]:
    data = {
        "code": "KL-170",
        "name": "Kraft liner 170",
        "line": str(line_id),
        "grade": "kraft liner",
        "grammage": "170",
        "width_mm": "2400",
        "specification": "",
        "unit": "t",
        "list_price": "4120",
        "standard_cost": "3500",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", ["clerk", "auditor", "technical_reviewer"])
def test_product_pages_render(client_for, name):
    product = ProductFactory()
    client = client_for(name)
    assert client.get("/products/").status_code == 200
    assert client.get(f"/products/{product.pk}/").status_code == 200
    assert client.get("/products/lines/").status_code == 200


@pytest.mark.parametrize("name", ["admin", "gm", "production_head", "sales_head"])
def test_administrators_and_heads_add_products(client_for, name):
    line = ProductLineFactory()

    response = client_for(name).post("/products/new/", product_payload(line.pk))

    assert response.status_code == 302
    assert Product.objects.get(code="KL-170").list_price == Decimal("4120")


@pytest.mark.parametrize("name", ["clerk", "technical_reviewer", "auditor"])
def test_others_may_not_add_or_edit_products(client_for, name):
    line = ProductLineFactory()
    product = ProductFactory()
    client = client_for(name)
    assert client.post("/products/new/", product_payload(line.pk)).status_code == 403
    assert client.get(f"/products/{product.pk}/edit/").status_code == 403
    assert not Product.objects.filter(code="KL-170").exists()


def test_product_search_and_line_filter(client_for):
    ProductFactory(code="CM-120", name="Corrugating medium 120")
    client = client_for("clerk")

    assert [p.code for p in client.get("/products/?q=CM-120").context["page"].rows] == ["CM-120"]


def test_product_lines_count_their_active_products(client_for):
    ProductFactory()
    ProductFactory(is_active=False)

    response = client_for("clerk").get("/products/lines/")

    assert [line.product_count for line in response.context["lines"]] == [1]
