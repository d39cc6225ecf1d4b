"""factory_boy factories for the foundation's models."""

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone

from gendan.accounts.models import Department, Role, User
from gendan.catalog.models import Product, ProductLine, Unit
from gendan.customers.models import Customer
from gendan.orders.actions import create_order
from gendan.orders.models import Order
from gendan.orders.status import Channel

PASSWORD = "gendan-test-pw"


def department(code: str) -> Department:
    return Department.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    role = Role.CLERK
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def departments(self, create: bool, codes: list[str] | None, **kwargs: Any) -> None:
        if create and codes:
            self.departments.set(Department.objects.filter(code__in=codes))
        if create:
            self.save()


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:04d}")
    name = factory.Sequence(lambda n: f"Customer {n} Packaging Co.")
    region = "华东"
    credit_limit = Decimal("1000000")
    payment_terms = "30 days"


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("code",)

    code = "CM"
    name = "Corrugating medium"
    production_department = factory.LazyFunction(lambda: department("production"))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = "瓦楞原纸 Corrugating medium"
    line = factory.SubFactory(ProductLineFactory)
    grade = "corrugating medium"
    grammage = 120
    width_mm = 1600
    unit = Unit.TON
    list_price = Decimal("3200.00")
    standard_cost = Decimal("2700.00")


def order_header(**overrides: Any) -> dict[str, Any]:
    header: dict[str, Any] = {
        "customer": overrides.pop("customer", None) or CustomerFactory(),
        "channel": Channel.PHONE,
        "requested_date": timezone.localdate() + dt.timedelta(days=30),
        "delivery_place": "Kunshan plant, gate 2",
        "payment_terms": "30 days after delivery",
    }
    header.update(overrides)
    return header


def order_lines(product: Product | None = None, count: int = 1) -> list[dict[str, Any]]:
    product = product or ProductFactory()
    return [
        {
            "product": product,
            "grammage": product.grammage,
            "width_mm": product.width_mm,
            "quantity": Decimal("30"),
            "unit": product.unit,
            "unit_price": Decimal("3150.00"),
        }
        for _ in range(count)
    ]


def make_order(*, user: User, lines: int = 1, **header: Any) -> Order:
    """An order registered through the real action, as a clerk would."""
    return create_order(user=user, header=order_header(**header), lines=order_lines(count=lines))


# --- department review and contract (reviews, contracts apps) ------------------------------
# Helpers that satisfy the `approve_review` and `confirm` guards through the real actions, for
# tests that only need an order to get past those steps.


def department_reviewer(code: str) -> User:
    """A reviewer of department `code` (created once per test database)."""
    return UserFactory(username=f"{code}_dept_reviewer", role=Role.REVIEWER, departments=[code])


def passing_report(department_code: str) -> dict[str, Any]:
    """Keyword arguments of `file_report` for a plain pass of that department's checklist."""
    from gendan.reviews.checklists import checklist_for

    checklist = checklist_for(department_code)
    return {
        "conclusion": "pass",
        "checklist": {item.code: {"answer": "ok", "note": ""} for item in checklist.items},
        "outputs": {output.code: f"{output.label}: as usual." for output in checklist.outputs},
        "figures": {figure.code: "1000" for figure in checklist.figures},
    }


def complete_department_review(order: Order, users: dict[str, User]) -> Any:
    """File a passing report for every open review, hold the meeting (organised by
    `users["sales_head"]`), approve the order in the minutes and have every attendee sign.

    The order must be in department review; afterwards `approve_review` is allowed. Returns
    the meeting.
    """
    from gendan.reviews.actions import file_report, schedule_meeting, sign_minutes, update_minutes
    from gendan.reviews.selectors import current_reviews

    reviews = current_reviews(order)
    attendees = [users["sales_head"]]
    for review in reviews:
        reviewer = department_reviewer(review.department.code)
        if review.state == "open":
            file_report(review=review, user=reviewer, **passing_report(review.department.code))
        attendees.append(reviewer)
    meeting = schedule_meeting(
        order=order,
        user=users["sales_head"],
        held_at=timezone.now(),
        place="Meeting room 2",
        attendees=attendees,
    )
    meeting = update_minutes(
        meeting=meeting,
        user=users["sales_head"],
        discussion="All departments pass.",
        decision="approved",
        actions=[
            {
                "description": "Production per plan",
                "department": department("production"),
                "owner": None,
                "due_date": order.requested_date,
            }
        ],
    )
    for attendee in attendees:
        sign_minutes(meeting=meeting, user=attendee, password=PASSWORD)
    return meeting


def sign_contract(order: Order, users: dict[str, User]) -> Any:
    """Draft the contract, have legal approve it and upload the signed copy (order in
    contract status); afterwards `confirm` is allowed. Returns the contract."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gendan.contracts.actions import (
        decide_legal_review,
        draft_contract,
        submit_for_legal_review,
        upload_signed_contract,
    )

    legal = department_reviewer("legal")
    contract = draft_contract(order=order, user=users["sales_head"])
    submit_for_legal_review(contract=contract, user=users["sales_head"])
    decide_legal_review(contract=contract, user=legal, approve=True)
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n% signed copy\n", "application/pdf")
    return upload_signed_contract(contract=contract, user=users["sales_head"], file=scan)
