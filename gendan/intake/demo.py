"""Intake in the paper-mill demo: demo orders meet the intake rules the way the office does.

Before a demo order is submitted, a verbal order gets its written record; before it passes
intake review, finance confirms a flagged price and secures credit that needs it (a
prepayment; a limit raised by a new assessment when the order would exceed it by too much).
Each of these is done through the real actions, so the demo ledgers tell that story too.
"""

import math
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gendan.credit.actions import record_assessment, record_resolution
from gendan.credit.decision import decide
from gendan.credit.models import CreditResult
from gendan.demo.registry import DemoContext, on_transition
from gendan.intake.actions import attach_written_record, confirm_margin
from gendan.intake.checks import intake_checks
from gendan.orders.models import Order

STEP = Decimal("50000")


@on_transition("submit", when="before")
def write_down_verbal_orders(ctx: DemoContext, order: Order, story: Any) -> None:
    checks = intake_checks(order)
    if not checks.written_record_ok:
        attach_written_record(
            order=order,
            user=order.clerk,
            text=f"{order.customer.name}电话下单，已按通话内容整理成书面记录并经客户确认。",
        )


@on_transition("approve_intake", when="before")
def finance_clears_price_and_credit(ctx: DemoContext, order: Order, story: Any) -> None:
    finance = ctx.user("finance")
    checks = intake_checks(order)
    if checks.prices.flagged and not checks.margin_confirmed:
        confirm_margin(
            order=order, user=finance, note="老客户批量订单，价格经销售部长与财务商定，同意。"
        )
    decision = decide(order)
    if decision.result == CreditResult.BLOCKED and decision.position.overdue_amount == 0:
        exposure = decision.position.exposure
        record_assessment(
            user=finance,
            customer=order.customer,
            rating=order.customer.credit_rating if order.customer.credit_rating in "ABCD" else "C",
            limit=Decimal(math.ceil(exposure / STEP)) * STEP,
            notes="近期合作量上升，付款记录良好，经复核上调信用额度。",
        )
        order.customer.refresh_from_db()
        decision = decide(order)
    if decision.result == CreditResult.NEEDS_GUARANTEE_OR_PREPAYMENT and not decision.resolved:
        record_resolution(
            user=finance,
            order=order,
            kind="prepayment",
            amount=decision.missing_cover,
            received_on=timezone.localdate(),
            reference=f"预付款 {order.number}",
        )
