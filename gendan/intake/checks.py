"""All intake checks of one order together, for the order page and the intake page."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gendan.credit.decision import CreditDecision, decide
from gendan.credit.models import RESULT_COLOURS
from gendan.intake.completeness import missing_items
from gendan.intake.feasibility import Feasibility, get_checker
from gendan.intake.lookups import intake_for, order_type_for
from gendan.intake.models import IntakeSettings, OrderIntake, OrderType
from gendan.intake.pricing import PriceCheck, price_check

if TYPE_CHECKING:
    from gendan.orders.models import Order


@dataclass(frozen=True)
class IntakeChecks:
    order: "Order"
    intake: OrderIntake | None
    order_type: OrderType | None
    missing: list[str]
    written_record_needed: bool
    credit: CreditDecision
    prices: PriceCheck
    feasibility: Feasibility

    @property
    def written_record_ok(self) -> bool:
        return not self.written_record_needed or bool(
            self.intake is not None and self.intake.has_written_record
        )

    @property
    def margin_confirmed(self) -> bool:
        return bool(
            self.prices.flagged
            and self.intake is not None
            and self.intake.margin_confirmed_fingerprint == self.prices.fingerprint
        )

    @property
    def margin_ok(self) -> bool:
        return not self.prices.flagged or self.margin_confirmed

    @property
    def credit_colour(self) -> str:
        return "green" if self.credit.resolved else RESULT_COLOURS[self.credit.result]

    @property
    def all_clear(self) -> bool:
        return (
            not self.missing and self.written_record_ok and self.credit.cleared and self.margin_ok
        )


def intake_checks(order: "Order") -> IntakeChecks:
    rules = IntakeSettings.load()
    return IntakeChecks(
        order=order,
        intake=intake_for(order),
        order_type=order_type_for(order),
        missing=missing_items(order),
        written_record_needed=order.channel in rules.written_record_channels,
        credit=decide(order),
        prices=price_check(order, rules=rules),
        feasibility=get_checker().check(order),
    )
