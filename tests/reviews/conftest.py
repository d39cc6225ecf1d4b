"""Fixtures for the department review, contract and allocation tests: one reviewer per
reviewing department, legal, and an order waiting in department review."""

from typing import Any

import pytest
from django.utils import translation

from gendan.accounts.models import Role, User
from gendan.orders.actions import transition_order
from gendan.orders.models import Order
from gendan.reviews.checklists import checklist_for
from gendan.reviews.models import DepartmentReview
from tests.factories import UserFactory, make_order

REVIEWING = ["technical", "production", "quality", "procurement", "finance"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages asserted in these tests are the English source texts."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _plain_http(settings: Any) -> None:
    """The test client speaks plain HTTP; production redirects it to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The conftest users plus a reviewer of each reviewing department, heads, and legal."""
    extra = {
        "quality_reviewer": (Role.REVIEWER, ["quality"]),
        "quality_head": (Role.HEAD, ["quality"]),
        "procurement_reviewer": (Role.REVIEWER, ["procurement"]),
        "finance_reviewer": (Role.REVIEWER, ["finance"]),
        "production_reviewer": (Role.REVIEWER, ["production"]),
        "technical_head": (Role.HEAD, ["technical"]),
        "legal_reviewer": (Role.REVIEWER, ["legal"]),
    }
    made = {
        name: UserFactory(username=name, role=role, departments=codes)
        for name, (role, codes) in extra.items()
    }
    return {**users, **made}


#: Who files each department's report in these tests.
FILER = {
    "technical": "technical_reviewer",
    "production": "production_head",
    "quality": "quality_reviewer",
    "procurement": "procurement_reviewer",
    "finance": "finance_reviewer",
}


@pytest.fixture
def in_review(staff: dict[str, User]) -> Order:
    """An order that passed intake review: its department reviews are open."""
    order = make_order(user=staff["clerk"])
    transition_order(order=order, name="submit", user=staff["clerk"])
    return transition_order(order=order, name="approve_intake", user=staff["sales_head"])


def review_of(order: Order, code: str) -> DepartmentReview:
    return DepartmentReview.objects.get(order=order, department__code=code, round=1)


def report(code: str, **overrides: Any) -> dict[str, Any]:
    """A complete passing report of department `code`, with overrides."""
    definition = checklist_for(code)
    values: dict[str, Any] = {
        "conclusion": "pass",
        "checklist": {item.code: {"answer": "ok", "note": ""} for item in definition.items},
        "outputs": {output.code: "Plan: as agreed." for output in definition.outputs},
        "figures": {figure.code: "20000" for figure in definition.figures},
    }
    values.update(overrides)
    return values


def attendees_for(staff: dict[str, User]) -> list[User]:
    return [staff["sales_head"], *(staff[FILER[code]] for code in REVIEWING)]
