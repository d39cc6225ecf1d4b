"""`GENDAN["FINANCE_DEPARTMENT"]` names the department that acts as finance: it confirms
prices and credit, gets finance's intake tasks and files finance's review checklist."""

import pytest

from gendan.accounts.models import Department, Role
from gendan.credit.permissions import can_manage_credit, is_finance
from gendan.intake import actions
from gendan.orders.actions import transition_order
from gendan.reviews.checklists import CHECKLISTS, checklist_for
from gendan.tasks.models import Task
from tests.factories import UserFactory
from tests.intake.test_pricing import order_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounting(settings):  # type: ignore[no-untyped-def]
    """Finance renamed: the company's finance department has the code "accounting"."""
    settings.GENDAN = {**settings.GENDAN, "FINANCE_DEPARTMENT": "accounting"}
    Department.objects.create(code="accounting", name="财务部", name_en="Accounting")
    return UserFactory(username="accountant", role=Role.REVIEWER, departments=["accounting"])


def test_default_is_the_seeded_finance_department(settings, finance) -> None:
    assert settings.GENDAN["FINANCE_DEPARTMENT"] == "finance"
    assert is_finance(finance)


def test_the_named_department_is_finance_and_the_old_code_is_not(accounting, finance) -> None:
    assert is_finance(accounting) and can_manage_credit(accounting)
    assert not is_finance(finance)


def test_intake_opens_the_price_task_for_the_named_department(users, accounting) -> None:
    order = order_at(users, "2900")  # margin 6.9 %: finance must confirm the price
    order = transition_order(order=order, name="submit", user=users["clerk"])
    task = Task.objects.get(order=order, kind="margin_check")
    assert task.department.code == "accounting"
    actions.confirm_margin(order=order, user=accounting, note="Volume customer.")
    task.refresh_from_db()
    assert task.state == "done"


def test_the_named_department_reviews_with_finances_checklist(accounting) -> None:
    assert checklist_for("accounting") is CHECKLISTS["finance"]
