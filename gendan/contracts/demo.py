"""Demo data of the contract: after each demo order's `approve_review` the contract is drafted
and sent to legal; before its `confirm` legal approves it and the signed copy is filed, through
the real actions (found automatically by `gendan.demo`)."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.contracts.actions import (
    decide_legal_review,
    draft_contract,
    submit_for_legal_review,
    upload_signed_contract,
)
from gendan.contracts.models import Contract
from gendan.demo.registry import DemoContext, on_transition
from gendan.demo.texts import LEGAL_NOTES
from gendan.orders.models import Order

#: Stands in for the scanned, sealed contract (a real scan is a PDF or an image).
SIGNED_SCAN = b"%PDF-1.4\n% demo: contract signed and sealed by both parties\n%%EOF\n"


@on_transition("approve_review", when="after")
def contract_to_legal(ctx: DemoContext, order: Order, story: Any) -> None:
    """Right after the review, sales drafts the contract and sends it to legal: the legal
    review task is open while the order waits in the contract stage."""
    if Contract.objects.filter(order=order).exists():
        return
    sales = ctx.users["sales_head"]
    contract = draft_contract(order=order, user=sales)
    submit_for_legal_review(contract=contract, user=sales)


@on_transition("confirm", when="before")
def contract_signed(ctx: DemoContext, order: Order, story: Any) -> None:
    """Before the order is confirmed, legal approves the contract and the signed copy is
    filed."""
    contract = Contract.objects.filter(order=order).first()
    now = ctx.clock.now()
    start = max(order.status_changed_at, now - dt.timedelta(days=2))
    step = (now - start) / 4
    sales, legal = ctx.users["sales_head"], ctx.users["legal"]
    if contract is None:
        ctx.clock.travel(start + step)
        contract = draft_contract(order=order, user=sales)
        submit_for_legal_review(contract=contract, user=sales)
    if contract.signed_document_id is None:
        ctx.clock.travel(start + step * 2)
        note = LEGAL_NOTES[story.index % len(LEGAL_NOTES)]
        decide_legal_review(contract=contract, user=legal, approve=True, comment=note)
        ctx.clock.travel(start + step * 3)
        scan = SimpleUploadedFile(f"{contract.number}.pdf", SIGNED_SCAN, "application/pdf")
        upload_signed_contract(contract=contract, user=sales, file=scan)
    ctx.clock.travel(now)
