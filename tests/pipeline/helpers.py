"""Moving orders past the execution steps in tests that are not about them."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from gendan.orders.pipeline import TRANSITIONS, Guard
from gendan.quality import guards as quality_guards
from gendan.shipping import guards as shipping_guards

#: The guards that ask for goods shipped, delivery notes signed, discrepancies resolved,
#: settlement requested and quality issues closed (`orders.pipeline`).
EXECUTION_GUARDS: tuple[Guard, ...] = (
    shipping_guards.fully_shipped,
    shipping_guards.delivery_signed,
    shipping_guards.discrepancies_resolved,
    shipping_guards.settlement_requested,
    quality_guards.no_open_quality_issue,
)


@contextmanager
def waived(*guards: Guard) -> Iterator[None]:
    """Within the block, the pipeline's transitions do not ask `guards` (default: the
    execution guards): a test about something else moves its order on through
    `transition_order`, with the ledger and the status counts kept as the real step keeps
    them, without shipping goods. The shipping and quality tests cover those guards."""
    left_out = guards or EXECUTION_GUARDS
    saved = dict(TRANSITIONS)
    try:
        for name, row in saved.items():
            kept = tuple(g for g in row.guards if g not in left_out)
            if kept != row.guards:
                TRANSITIONS[name] = replace(row, guards=kept)
        yield
    finally:
        TRANSITIONS.clear()
        TRANSITIONS.update(saved)
