"""C1: the contract drafted from a template, its versions, legal review and signed copy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.contracts.actions import (
    comment_on_contract,
    decide_legal_review,
    draft_contract,
    revise_contract,
    submit_for_legal_review,
    upload_signed_contract,
)
from gendan.contracts.models import REQUIRED_CLAUSES, ContractState, ContractTemplate
from gendan.core.errors import Blocked, NotPermitted
from gendan.documents.models import Category, Document
from gendan.orders.actions import transition_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.tasks.models import TaskState
from gendan.workdays.calendar import deadline_in_working_days
from tests.contracts.helpers import at_contract

pytestmark = pytest.mark.django_db


def _pdf(name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% both seals\n", "application/pdf")


@pytest.fixture
def at_contract_order(in_review, staff) -> Order:
    return at_contract(in_review, staff)


def test_draft_holds_every_required_clause_filled_from_the_order(at_contract_order, staff) -> None:
    contract = draft_contract(order=at_contract_order, user=staff["clerk"])
    version = contract.current_version
    assert {c["code"] for c in version.clauses} >= set(REQUIRED_CLAUSES)
    assert at_contract_order.delivery_place in version.clause("delivery")
    assert at_contract_order.payment_terms in version.clause("payment")
    assert "94500.00" in version.clause("price")
    assert "120g/m²" in version.clause("specification")


def test_no_contract_before_the_review_approved_the_order(in_review, staff) -> None:
    with pytest.raises(Blocked):
        draft_contract(order=in_review, user=staff["sales_head"])


def test_template_without_a_required_clause_is_refused(at_contract_order, staff) -> None:
    template = ContractTemplate.objects.get(language="en")
    template.clauses.filter(code="liability").delete()
    with pytest.raises(Blocked) as refused:
        draft_contract(order=at_contract_order, user=staff["clerk"], template=template)
    assert "template" in refused.value.fields


def test_legal_review_has_a_task_with_deadline_and_only_legal_decides(
    at_contract_order, staff
) -> None:
    contract = draft_contract(order=at_contract_order, user=staff["clerk"])
    contract = submit_for_legal_review(contract=contract, user=staff["clerk"])
    task = contract.legal_task
    assert task.department.code == "legal" and task.kind == "legal_review"
    assert task.due_at == deadline_in_working_days(task.created_at, 3)
    for intruder in ["clerk", "sales_head", "technical_reviewer", "gm", "auditor"]:
        with pytest.raises(NotPermitted):
            decide_legal_review(contract=contract, user=staff[intruder], approve=True)
        with pytest.raises(NotPermitted):
            comment_on_contract(contract=contract, user=staff[intruder], text="ok")
    comment_on_contract(
        contract=contract, user=staff["legal_reviewer"], text="Cap the penalty.", clause="liability"
    )
    with pytest.raises(Blocked) as refused:
        decide_legal_review(contract=contract, user=staff["legal_reviewer"], approve=False)
    assert "comment" in refused.value.fields
    contract = decide_legal_review(
        contract=contract,
        user=staff["legal_reviewer"],
        approve=False,
        comment="Cap penalty at 5 %.",
    )
    assert contract.state == ContractState.CHANGES_REQUESTED
    assert contract.legal_task.state == TaskState.DONE
    assert contract.comments.count() == 2


def test_versions_are_kept_and_a_revision_needs_legal_again(at_contract_order, staff) -> None:
    contract = draft_contract(order=at_contract_order, user=staff["clerk"])
    submit_for_legal_review(contract=contract, user=staff["clerk"])
    decide_legal_review(contract=contract, user=staff["legal_reviewer"], approve=True)
    with pytest.raises(Blocked) as refused:
        revise_contract(contract=contract, user=staff["clerk"], clauses={"price": ""}, note="x")
    assert "clauses.price" in refused.value.fields
    version = revise_contract(
        contract=contract,
        user=staff["clerk"],
        clauses={"liability": "Penalty 0.05 % per day, at most 5 % of the contract value."},
        note="Penalty capped as legal asked",
    )
    contract.refresh_from_db()
    assert version.number == 2 and contract.versions.count() == 2
    assert contract.versions.get(number=1).clause("liability") != version.clause("liability")
    assert contract.state == ContractState.DRAFT and contract.approved_version is None
    with pytest.raises(Blocked):
        upload_signed_contract(contract=contract, user=staff["clerk"], file=_pdf())


def test_confirm_waits_for_the_signed_contract(at_contract_order, staff) -> None:
    with pytest.raises(Blocked) as refused:
        transition_order(order=at_contract_order, name="confirm", user=staff["clerk"])
    assert "Draft the contract" in refused.value.messages[0]
    contract = draft_contract(order=at_contract_order, user=staff["clerk"])
    submit_for_legal_review(contract=contract, user=staff["clerk"])
    with pytest.raises(Blocked) as refused:
        transition_order(order=at_contract_order, name="confirm", user=staff["clerk"])
    assert "Legal has not finished" in refused.value.messages[0]
    decide_legal_review(contract=contract, user=staff["legal_reviewer"], approve=True)
    with pytest.raises(Blocked) as refused:
        transition_order(order=at_contract_order, name="confirm", user=staff["clerk"])
    assert "Upload the contract" in refused.value.messages[0]
    with pytest.raises(Blocked) as refused:
        upload_signed_contract(
            contract=contract,
            user=staff["clerk"],
            file=SimpleUploadedFile("signed.pdf", b"MZ\x90\x00", "application/pdf"),
        )
    assert "file" in refused.value.fields
    upload_signed_contract(contract=contract, user=staff["clerk"], file=_pdf())
    assert (
        transition_order(order=at_contract_order, name="confirm", user=staff["clerk"]).status
        == Status.CONFIRMED
    )


def test_signed_contract_is_visible_to_production_procurement_and_logistics(
    at_contract_order, staff
) -> None:
    assert (
        not Order.objects.for_user(staff["logistics_reviewer"])
        .filter(pk=at_contract_order.pk)
        .exists()
    )
    contract = draft_contract(order=at_contract_order, user=staff["clerk"])
    submit_for_legal_review(contract=contract, user=staff["clerk"])
    decide_legal_review(contract=contract, user=staff["legal_reviewer"], approve=True)
    contract = upload_signed_contract(contract=contract, user=staff["clerk"], file=_pdf())
    assert contract.state == ContractState.SIGNED
    document = Document.objects.get(pk=contract.signed_document_id)
    assert document.category == Category.CONTRACT
    for name in ["logistics_reviewer", "production_head", "procurement_reviewer"]:
        assert Document.objects.for_user(staff[name]).filter(pk=document.pk).exists()
    assert not Document.objects.for_user(staff["outsider"]).filter(pk=document.pk).exists()


def test_only_sales_drafts_and_uploads(at_contract_order, staff) -> None:
    for intruder in ["technical_reviewer", "legal_reviewer", "auditor", "other_clerk"]:
        with pytest.raises(NotPermitted):
            draft_contract(order=at_contract_order, user=staff[intruder])
