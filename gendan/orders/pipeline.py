"""The order's status pipeline as one table: which transitions exist, from where, to where,
who may perform them and which guards must hold.

This table is the only place the rules live. `transition_order` (actions.py) executes a row;
pages and the API list exactly the rows `available_transitions` returns for the user. To add a
step or a rule, add a row or a guard here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Role
from gendan.contracts import hooks as contract_hooks
from gendan.credit import guards as credit_guards
from gendan.intake import effects as intake_effects
from gendan.intake import guards as intake_guards
from gendan.orders.status import Status
from gendan.production import guards as production_guards
from gendan.purchasing import guards as purchasing_guards
from gendan.quality import guards as quality_guards
from gendan.reviews import hooks as review_hooks
from gendan.shipping import guards as shipping_guards

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order

#: A guard answers None when the transition may go ahead, else what is missing, in words.
Guard = Callable[["Order", "User"], str | None]

MANAGEMENT = frozenset({Role.GENERAL_MANAGER, Role.ADMIN})
DEPARTMENT_ROLES = frozenset({Role.REVIEWER, Role.HEAD})


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[Status]
    #: None sends the order back to the status it was held from.
    target: Status | None
    roles: frozenset[Role]
    #: Department codes whose reviewers/heads may act; empty means any department.
    departments: frozenset[str] = frozenset()
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    #: Button style on the order page: "primary", "secondary" or "danger".
    style: str = "primary"
    description: str | Promise = ""
    effects: tuple[Callable[["Order", "User"], None], ...] = field(default=())

    def target_for(self, order: "Order") -> Status:
        return self.target if self.target is not None else Status(order.held_from)


# --- guards -------------------------------------------------------------------------------


def has_lines(order: "Order", user: "User") -> str | None:
    if not order.lines.exists():
        return gettext("Add at least one order line.")
    return None


def has_been_held(order: "Order", user: "User") -> str | None:
    if not order.held_from:
        return gettext("The order has no status to return to.")
    return None


# --- the table ----------------------------------------------------------------------------

SALES = settings.GENDAN["SALES_DEPARTMENT"]
_ACTIVE = frozenset(
    {
        Status.DRAFT,
        Status.INTAKE_REVIEW,
        Status.DEPARTMENT_REVIEW,
        Status.CONTRACT,
        Status.CONFIRMED,
        Status.IN_EXECUTION,
        Status.SHIPPED,
        Status.DELIVERED,
    }
)
_CANCELLABLE = frozenset(
    {
        Status.DRAFT,
        Status.INTAKE_REVIEW,
        Status.DEPARTMENT_REVIEW,
        Status.CONTRACT,
        Status.CONFIRMED,
        Status.ON_HOLD,
    }
)
_CLERK_AND_SALES = frozenset({Role.CLERK, Role.HEAD}) | MANAGEMENT
_SALES_HEAD = frozenset({Role.HEAD}) | MANAGEMENT

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            _("Submit for intake review"),
            frozenset({Status.DRAFT}),
            Status.INTAKE_REVIEW,
            _CLERK_AND_SALES,
            frozenset({SALES}),
            guards=(
                has_lines,
                intake_guards.written_record_present,
                intake_guards.order_is_complete,
            ),
            effects=(intake_effects.store_revision, intake_effects.run_intake_checks),
        ),
        Transition(
            "return_to_draft",
            _("Send back for negotiation"),
            frozenset({Status.INTAKE_REVIEW}),
            Status.DRAFT,
            _CLERK_AND_SALES,
            frozenset({SALES}),
            needs_reason=True,
            style="secondary",
        ),
        Transition(
            "approve_intake",
            _("Pass intake review"),
            frozenset({Status.INTAKE_REVIEW}),
            Status.DEPARTMENT_REVIEW,
            _SALES_HEAD,
            frozenset({SALES}),
            guards=(
                has_lines,
                intake_guards.order_is_complete,
                credit_guards.credit_cleared,
                intake_guards.margin_confirmed,
            ),
            effects=(review_hooks.open_reviews,),
        ),
        Transition(
            "approve_review",
            _("Approve department review"),
            frozenset({Status.DEPARTMENT_REVIEW}),
            Status.CONTRACT,
            _SALES_HEAD,
            frozenset({SALES}),
            guards=(
                review_hooks.reports_filed,
                review_hooks.meeting_approved,
                review_hooks.minutes_signed,
            ),
        ),
        Transition(
            "reject",
            _("Reject order"),
            frozenset({Status.INTAKE_REVIEW, Status.DEPARTMENT_REVIEW}),
            Status.REJECTED,
            _SALES_HEAD,
            frozenset({SALES}),
            needs_reason=True,
            style="danger",
        ),
        Transition(
            "confirm",
            _("Confirm order (contract signed)"),
            frozenset({Status.CONTRACT}),
            Status.CONFIRMED,
            _CLERK_AND_SALES,
            frozenset({SALES}),
            guards=(contract_hooks.contract_signed,),
        ),
        Transition(
            "release",
            _("Release to execution"),
            frozenset({Status.CONFIRMED}),
            Status.IN_EXECUTION,
            _CLERK_AND_SALES,
            frozenset({SALES, "production"}),
        ),
        Transition(
            "ship",
            _("Record shipment"),
            frozenset({Status.IN_EXECUTION}),
            Status.SHIPPED,
            frozenset({Role.CLERK, Role.REVIEWER, Role.HEAD}) | MANAGEMENT,
            frozenset({"logistics"}),
            guards=(
                production_guards.production_complete,
                shipping_guards.fully_shipped,
                quality_guards.no_open_quality_issue,
            ),
        ),
        Transition(
            "deliver",
            _("Record delivery"),
            frozenset({Status.SHIPPED}),
            Status.DELIVERED,
            frozenset({Role.CLERK, Role.REVIEWER, Role.HEAD}) | MANAGEMENT,
            frozenset({"logistics"}),
            guards=(shipping_guards.delivery_signed,),
        ),
        Transition(
            "accept",
            _("Customer accepted"),
            frozenset({Status.DELIVERED}),
            Status.ACCEPTED,
            _CLERK_AND_SALES,
            frozenset({SALES}),
            guards=(shipping_guards.discrepancies_resolved,),
        ),
        Transition(
            "request_closure",
            _("Apply for closure"),
            frozenset({Status.ACCEPTED}),
            Status.CLOSING,
            _CLERK_AND_SALES,
            frozenset({SALES}),
            guards=(shipping_guards.settlement_requested,),
        ),
        Transition(
            "close",
            _("Close order"),
            frozenset({Status.CLOSING}),
            Status.CLOSED,
            MANAGEMENT,
            # Procurement's sign-off (X2): all material in, no open supplier issue; quality's:
            # no nonconformance of the order still open.
            guards=(purchasing_guards.purchasing_settled, quality_guards.no_open_quality_issue),
        ),
        Transition(
            "hold",
            _("Put on hold"),
            _ACTIVE,
            Status.ON_HOLD,
            _SALES_HEAD,
            frozenset({SALES}),
            needs_reason=True,
            style="secondary",
        ),
        Transition(
            "resume",
            _("Resume"),
            frozenset({Status.ON_HOLD}),
            None,
            _SALES_HEAD,
            frozenset({SALES}),
            guards=(has_been_held,),
        ),
        Transition(
            "cancel",
            _("Cancel order"),
            _CANCELLABLE,
            Status.CANCELLED,
            _SALES_HEAD,
            frozenset({SALES}),
            needs_reason=True,
            style="danger",
        ),
        Transition(
            "reopen",
            _("Revise and resubmit"),
            frozenset({Status.REJECTED}),
            Status.DRAFT,
            _CLERK_AND_SALES,
            frozenset({SALES}),
            style="secondary",
        ),
    ]
}


# --- questions the table answers ---------------------------------------------------------


def role_allows(transition: Transition, user: "User") -> bool:
    """Whether the user's role (and, for department roles, department) may perform it."""
    if user.is_read_only or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role not in transition.roles:
        return False
    if user.role in DEPARTMENT_ROLES and transition.departments:
        return bool(user.department_codes() & transition.departments)
    return True


def guard_failures(transition: Transition, order: "Order", user: "User") -> list[str]:
    return [problem for guard in transition.guards if (problem := guard(order, user))]


@dataclass(frozen=True)
class Available:
    """A transition the user may perform from the order's status, and what still blocks it."""

    transition: Transition
    blockers: list[str]

    @property
    def enabled(self) -> bool:
        return not self.blockers


def available_transitions(order: "Order", user: "User") -> list[Available]:
    """The table's rows for this order's status that this user's role allows."""
    return [
        Available(t, guard_failures(t, order, user))
        for t in TRANSITIONS.values()
        if order.status in t.sources and role_allows(t, user)
    ]
