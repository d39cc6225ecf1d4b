"""Extension points for the steps that follow production (quality, warehouse).

`FINISH_GUARDS`: functions `guard(work_order) -> str | None` asked before a work order may be
finished (its goods move on). Quality registers one in its `AppConfig.ready()` so that a work
order with nonconforming, undecided goods cannot be finished (E4). A non-None answer says what
is missing and refuses the progress report.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gendan.production.models import WorkOrder

FinishGuard = Callable[["WorkOrder"], str | None]
FINISH_GUARDS: list[FinishGuard] = []


def finish_blockers(work_order: "WorkOrder") -> list[str]:
    return [problem for guard in FINISH_GUARDS if (problem := guard(work_order))]
