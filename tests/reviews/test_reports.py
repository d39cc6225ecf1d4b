"""R2: each department files its own report with its checklist, conclusion and outputs."""

from decimal import Decimal

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.reviews.actions import file_report, reassign_review
from gendan.reviews.models import ReviewState
from gendan.tasks.models import TaskState
from tests.reviews.conftest import report, review_of

pytestmark = pytest.mark.django_db


def test_missing_checklist_item_is_a_field_error_and_nothing_is_saved(in_review, staff) -> None:
    review = review_of(in_review, "technical")
    values = report("technical")
    del values["checklist"]["capability"]
    with pytest.raises(Blocked) as refused:
        file_report(review=review, user=staff["technical_reviewer"], **values)
    assert list(refused.value.fields) == ["checklist.capability"]
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN and review.task.state == TaskState.OPEN


def test_action_needed_must_say_which_action(in_review, staff) -> None:
    values = report("quality")
    values["checklist"]["special_controls"] = {"answer": "action", "note": " "}
    with pytest.raises(Blocked) as refused:
        file_report(
            review=review_of(in_review, "quality"), user=staff["quality_reviewer"], **values
        )
    assert "checklist.special_controls" in refused.value.fields


@pytest.mark.parametrize(
    ("code", "output"),
    [
        ("production", "production_plan"),
        ("quality", "quality_plan"),
        ("procurement", "purchase_plan"),
    ],
)
def test_a_passing_department_hands_on_its_plan(in_review, staff, code, output) -> None:
    filer = {
        "production": "production_head",
        "quality": "quality_reviewer",
        "procurement": "procurement_reviewer",
    }
    values = report(code, outputs={})
    with pytest.raises(Blocked) as refused:
        file_report(review=review_of(in_review, code), user=staff[filer[code]], **values)
    assert f"outputs.{output}" in refused.value.fields


def test_conditions_and_fail_need_their_explanations(in_review, staff) -> None:
    review = review_of(in_review, "technical")
    with pytest.raises(Blocked) as refused:
        file_report(
            review=review,
            user=staff["technical_reviewer"],
            **report("technical", conclusion="conditions"),
        )
    assert "conditions" in refused.value.fields
    with pytest.raises(Blocked) as refused:
        file_report(
            review=review,
            user=staff["technical_reviewer"],
            **report("technical", conclusion="fail", outputs={}),
        )
    assert {"reasons", "proposals"} <= set(refused.value.fields)
    assert not any(name.startswith("outputs.") for name in refused.value.fields)


def test_finance_states_costs_and_sees_the_margin(in_review, staff) -> None:
    review = review_of(in_review, "finance")
    with pytest.raises(Blocked) as refused:
        file_report(
            review=review,
            user=staff["finance_reviewer"],
            **report("finance", figures={"direct_cost_amount": "-1"}),
        )
    assert {"figures.direct_cost_amount", "figures.indirect_cost_amount"} <= set(
        refused.value.fields
    )
    filed = file_report(
        review=review,
        user=staff["finance_reviewer"],
        **report(
            "finance", figures={"direct_cost_amount": "75600", "indirect_cost_amount": "9450"}
        ),
    )
    # 30 t x 3150 = 94,500; margin (94,500 - 85,050) / 94,500 = 10.0 %
    assert filed.margin_pct == Decimal("10.0")


def test_filing_completes_the_task_and_writes_the_ledger(in_review, staff) -> None:
    review = file_report(
        review=review_of(in_review, "quality"),
        user=staff["quality_reviewer"],
        **report(
            "quality",
            conclusion="conditions",
            conditions="Burst index ≥ 3.0 kPa·m²/g on every reel.",
        ),
    )
    assert review.state == ReviewState.FILED and review.filed_by == staff["quality_reviewer"]
    assert review.task.state == TaskState.DONE
    entry = in_review.ledger.get(data__event="review.filed")
    assert entry.kind == Kind.TASK and entry.data["conclusion"] == "conditions"


@pytest.mark.parametrize(
    "intruder", ["technical_reviewer", "clerk", "sales_head", "gm", "auditor", "outsider"]
)
def test_only_the_department_files_its_report(in_review, staff, intruder) -> None:
    with pytest.raises(NotPermitted):
        file_report(
            review=review_of(in_review, "production"), user=staff[intruder], **report("production")
        )


def test_head_reassigns_and_then_only_the_assignee_or_head_files(in_review, staff) -> None:
    review = review_of(in_review, "production")
    with pytest.raises(NotPermitted):
        reassign_review(
            review=review, user=staff["production_reviewer"], assignee=staff["production_reviewer"]
        )
    with pytest.raises(Blocked):
        reassign_review(
            review=review, user=staff["production_head"], assignee=staff["quality_reviewer"]
        )
    reassign_review(
        review=review, user=staff["production_head"], assignee=staff["production_reviewer"]
    )
    review.refresh_from_db()
    assert review.task.assignee == staff["production_reviewer"]
    filed = file_report(review=review, user=staff["production_reviewer"], **report("production"))
    assert filed.filed_by == staff["production_reviewer"]


def test_an_assigned_review_is_not_filed_by_another_reviewer(in_review, staff) -> None:
    from gendan.accounts.models import Role
    from tests.factories import UserFactory

    other = UserFactory(
        username="second_production", role=Role.REVIEWER, departments=["production"]
    )
    review = review_of(in_review, "production")
    reassign_review(
        review=review, user=staff["production_head"], assignee=staff["production_reviewer"]
    )
    with pytest.raises(NotPermitted):
        file_report(review=review_of(in_review, "production"), user=other, **report("production"))


def test_amending_a_report_keeps_the_change_in_the_ledger(in_review, staff) -> None:
    review = file_report(
        review=review_of(in_review, "technical"),
        user=staff["technical_reviewer"],
        **report("technical"),
    )
    amended = file_report(
        review=review,
        user=staff["technical_reviewer"],
        **report("technical", conclusion="conditions", conditions="Trial reel first."),
    )
    assert amended.version == 2
    entry = in_review.ledger.get(data__event="review.amended")
    assert entry.changes["conclusion"] == ["pass", "conditions"]
