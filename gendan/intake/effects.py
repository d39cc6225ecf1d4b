"""Effects of the `submit` transition (see orders/pipeline.py), run inside its transaction.

- `store_revision` keeps the order as submitted (I7), so every round of negotiation can be
  compared with the one before.
- `run_intake_checks` writes the checks' outcome to the ledger and, when finance has to act
  (a low margin to confirm, credit to secure), opens a task for the finance department.
"""

from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order

#: Task kind of the finance task opened for a flagged margin.
MARGIN_TASK_KIND = "margin_check"


def store_revision(order: "Order", user: "User") -> None:
    from gendan.intake.models import OrderRevision
    from gendan.intake.revisions import diff_snapshots, snapshot_order
    from gendan.ledger.models import Kind
    from gendan.ledger.record import record

    previous = OrderRevision.objects.filter(order=order).order_by("-n").first()
    snapshot = snapshot_order(order)
    n = previous.n + 1 if previous else 1
    OrderRevision.objects.create(order=order, n=n, snapshot=snapshot, created_by=user)
    if previous is None:
        summary = _("Revision 1 of the order kept as submitted")
    else:
        changed = diff_snapshots(previous.snapshot, snapshot)
        summary = _("Revision %(n)d of the order kept: %(count)d changes since revision %(p)d") % {
            "n": n,
            "count": len(changed),
            "p": previous.n,
        }
    record(order=order, kind=Kind.SYSTEM, actor=user, summary=summary, data={"revision": n})


def run_intake_checks(order: "Order", user: "User") -> None:
    from gendan.credit.actions import CREDIT_TASK_KIND
    from gendan.credit.decision import decide
    from gendan.credit.models import CreditResult
    from gendan.intake.feasibility import get_checker
    from gendan.intake.guards import margin_confirmed
    from gendan.intake.pricing import price_check
    from gendan.ledger.models import Kind
    from gendan.ledger.record import record

    credit = decide(order)
    prices = price_check(order)
    feasibility = get_checker().check(order)
    margin_problem = margin_confirmed(order, user)
    lines = [
        credit.summary,
        prices.summary + (" " + margin_problem if margin_problem else ""),
        feasibility.reason,
    ]
    record(
        order=order,
        kind=Kind.SYSTEM,
        actor=user,
        summary=_("Intake checks: credit %(credit)s; margin %(margin)s; requested date %(date)s")
        % {
            "credit": credit.result.label if not credit.resolved else _("secured"),
            "margin": _("needs finance") if margin_problem else _("fine"),
            "date": _("holds") if feasibility.holds else _("does not hold"),
        },
        body="\n".join(lines),
        data={
            "credit_result": credit.result.value,
            "credit_cleared": credit.cleared,
            "margin_pct": str(prices.margin_pct) if prices.margin_pct is not None else None,
            "margin_needs_finance": bool(margin_problem),
            "earliest_date": feasibility.earliest_date.isoformat()
            if feasibility.earliest_date
            else None,
            "date_holds": feasibility.holds,
        },
    )
    if margin_problem:
        _finance_task(order, user, MARGIN_TASK_KIND, _("Confirm the price"), margin_problem)
    else:
        _withdraw_tasks(
            order, user, MARGIN_TASK_KIND, _("The revised prices need no confirmation.")
        )
    if not credit.cleared and credit.result != CreditResult.PASS:
        _finance_task(order, user, CREDIT_TASK_KIND, _("Secure the credit"), credit.summary)
    elif credit.result == CreditResult.PASS:
        _withdraw_tasks(order, user, CREDIT_TASK_KIND, _("The credit check passes now."))


def _withdraw_tasks(order: "Order", user: "User", kind: str, reason: str) -> None:
    """Cancel finance's open tasks of `kind` that a revision made unnecessary."""
    from gendan.core.errors import NotPermitted
    from gendan.tasks.actions import cancel_task
    from gendan.tasks.models import Task

    for task in Task.objects.open().filter(order=order, kind=kind):
        try:
            cancel_task(task=task, user=user, reason=reason)
        except NotPermitted:  # someone who may not cancel tasks submitted: finance closes it
            return


def _finance_task(order: "Order", user: "User", kind: str, title: str, why: str) -> None:
    """Open a task for finance on the order, unless one of this kind is already open."""
    from gendan.accounts.models import Department, Role
    from gendan.credit.permissions import finance_department
    from gendan.intake.models import IntakeSettings
    from gendan.orders.permissions import can_edit_order
    from gendan.tasks.actions import due_at_for, open_task
    from gendan.tasks.models import Task

    if Task.objects.open().filter(order=order, kind=kind).exists():
        return
    finance = Department.objects.filter(code=finance_department()).first()
    if finance is None:
        return
    if order.is_emergency:
        hours = cast(int, settings.GENDAN["EMERGENCY_DEFAULT_HOURS"])
        due_at = due_at_for(hours=hours)
    else:
        due_at = due_at_for(working_days=IntakeSettings.load().finance_check_working_days)
    opener = user if can_edit_order(user, order) or user.role == Role.HEAD else None
    open_task(
        user=opener,
        title=f"{title}: {order.number}",
        description=why,
        due_at=due_at,
        order=order,
        department=finance,
        kind=kind,
        due_in_hours=order.is_emergency,
    )
