"""Demo data of the contract: before each demo order's `confirm`, the contract is drafted,
approved by legal and its signed copy filed, through the real actions (found automatically by
`gendan.demo`)."""

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
from gendan.orders.models import Order

#: Stands in for the scanned, sealed contract (a real scan is a PDF or an image).
SIGNED_SCAN = b"%PDF-1.4\n% demo: contract signed and sealed by both parties\n%%EOF\n"


@on_transition("confirm", when="before")
def contract_signed(ctx: DemoContext, order: Order, story: Any) -> None:
    if Contract.objects.filter(order=order).exists():
        return
    now = ctx.clock.now()
    start = max(order.status_changed_at, now - dt.timedelta(days=2))
    step = (now - start) / 4
    sales, legal = ctx.users["sales_head"], ctx.users["legal"]
    ctx.clock.travel(start + step)
    contract = draft_contract(order=order, user=sales)
    submit_for_legal_review(contract=contract, user=sales)
    ctx.clock.travel(start + step * 2)
    decide_legal_review(contract=contract, user=legal, approve=True, comment="条款齐全，同意签署。")
    ctx.clock.travel(start + step * 3)
    scan = SimpleUploadedFile(f"{contract.number}.pdf", SIGNED_SCAN, "application/pdf")
    upload_signed_contract(contract=contract, user=sales, file=scan)
    ctx.clock.travel(now)
