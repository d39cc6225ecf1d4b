"""What each department answers in its review report (R2, rulebook 004 §三).

Each checklist item is answered "satisfied", "needs action" or "not applicable", with a note
(required when action is needed). Outputs are the plans a department hands on when it passes
the order (production plan, quality plan, purchase plan...). Figures are amounts (finance).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Answer(models.TextChoices):
    OK = "ok", _("Satisfied")
    ACTION = "action", _("Needs action")
    NOT_APPLICABLE = "na", _("Not applicable")


@dataclass(frozen=True)
class Item:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Output:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Figure:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Checklist:
    items: tuple[Item, ...]
    outputs: tuple[Output, ...]
    figures: tuple[Figure, ...] = ()


CHECKLISTS: dict[str, Checklist] = {
    "technical": Checklist(
        items=(
            Item(
                "specs_clear",
                _(
                    "Specifications and performance figures are clear and meet our technical "
                    "standards and the customer's requirements"
                ),
            ),
            Item(
                "capability",
                _(
                    "Our technical capability meets the requirements without technical "
                    "improvement or development"
                ),
            ),
            Item("new_process", _("New technology or processes in the order are feasible")),
            Item("training", _("Training or outside technical support is arranged where needed")),
        ),
        outputs=(Output("support_measures", _("Technical support measures and points to watch")),),
    ),
    "production": Checklist(
        items=(
            Item(
                "equipment", _("Equipment meets the order (no adjustment or modification needed)")
            ),
            Item(
                "staff", _("Staff numbers and skills meet the order (no hiring or training needed)")
            ),
            Item(
                "capacity",
                _("Capacity meets the delivery date (no plan change or extra capacity needed)"),
            ),
            Item(
                "site_logistics",
                _("Site, internal logistics and other production conditions are in place"),
            ),
        ),
        outputs=(Output("production_plan", _("Draft production plan and schedule")),),
    ),
    "quality": Checklist(
        items=(
            Item(
                "standards",
                _("Quality standards are clear and follow national and industry standards"),
            ),
            Item(
                "qms_fit",
                _("Our quality management system covers the order's quality requirements"),
            ),
            Item("special_controls", _("Special quality controls are defined where needed")),
            Item(
                "inspection_criteria",
                _("Inspection and acceptance criteria before delivery are clear"),
            ),
        ),
        outputs=(Output("quality_plan", _("Quality control plan and inspection scheme")),),
    ),
    "procurement": Checklist(
        items=(
            Item(
                "supplier_ability",
                _(
                    "Suppliers can deliver on time, in quality and quantity; their capacity and "
                    "reputation are good"
                ),
            ),
            Item(
                "price",
                _(
                    "Material prices are reasonable against the market and our purchase cost "
                    "targets"
                ),
            ),
            Item("lead_time", _("Material lead times fit the production schedule")),
            Item(
                "material_quality",
                _(
                    "Material quality meets the order (incoming inspection or verification "
                    "arranged)"
                ),
            ),
        ),
        outputs=(
            Output("purchase_plan", _("Purchase plan: materials, quantities, suppliers and dates")),
        ),
    ),
    "finance": Checklist(
        items=(
            Item(
                "direct_cost",
                _(
                    "Direct costs (materials, labour, depreciation) are reasonable and within "
                    "budget"
                ),
            ),
            Item("indirect_cost", _("Indirect costs (administration, selling) are reasonable")),
            Item("margin", _("The margin meets the company's profit target")),
            Item(
                "payment_risk",
                _("Payment terms and collection period are acceptable without financial risk"),
            ),
        ),
        outputs=(
            Output("financial_advice", _("Financial support, cost control and risk measures")),
        ),
        figures=(
            Figure("direct_cost_amount", _("Direct cost (CNY)")),
            Figure("indirect_cost_amount", _("Indirect cost (CNY)")),
        ),
    ),
}

#: For departments an administrator adds to the review without a checklist of their own.
GENERIC = Checklist(
    items=(Item("feasible", _("Our department can carry out its part of the order as requested")),),
    outputs=(Output("measures", _("Measures and points to watch")),),
)


def checklist_for(department_code: str) -> Checklist:
    """The department's checklist; finance's for the department `GENDAN["FINANCE_DEPARTMENT"]`
    names, whatever its code."""
    from gendan.credit.permissions import finance_department

    if department_code == finance_department():
        department_code = "finance"
    return CHECKLISTS.get(department_code, GENERIC)


def margin_pct(amount: Decimal, direct: Decimal, indirect: Decimal) -> Decimal | None:
    """Margin in percent of the order amount after direct and indirect cost."""
    if not amount:
        return None
    return ((amount - direct - indirect) / amount * 100).quantize(Decimal("0.1"))
