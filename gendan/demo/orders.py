"""Demo orders: a few hundred orders in every status, each lived through the real actions.

Every order gets a *story* (`gendan.demo.story`): the pipeline transitions that bring it to its
final status, with the work around them (`gendan.demo.lifecycle`: tasks opened and completed by
the right departments, calls with the customer, suppliers and carriers, internal comments).
Each story is laid on the calendar (`gendan.demo.timeline`), ending in the past: long-closed
orders months ago, orders in progress within the last days. Then all stories' events run in
one chronological sequence on the demo clock, so numbers, ledgers, deadlines and
notifications read as if the mill had worked through them. Tasks still open at the end were
opened at their story's time, so some of them are overdue, as in real life.
"""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction

from gendan.accounts.models import Department, User
from gendan.catalog.models import Product, Unit
from gendan.core.errors import ActionError
from gendan.demo import lifecycle
from gendan.demo import texts as S
from gendan.demo.clock import flush_on_commit
from gendan.demo.customers import Segment
from gendan.demo.registry import DemoContext, demo_step
from gendan.demo.story import DemoOrderFailed, Planned, Story, StoryWriter
from gendan.demo.timeline import fit
from gendan.notifications.actions import mark_read
from gendan.notifications.models import Notification
from gendan.orders.status import Status

#: The main road from draft to closed; a status is reached after the transitions before it.
MAIN = (
    "submit",
    "approve_intake",
    "approve_review",
    "confirm",
    "release",
    "ship",
    "deliver",
    "accept",
    "request_closure",
    "close",
)
REACHED_AFTER = {
    Status.DRAFT: 0,
    Status.INTAKE_REVIEW: 1,
    Status.DEPARTMENT_REVIEW: 2,
    Status.CONTRACT: 3,
    Status.CONFIRMED: 4,
    Status.IN_EXECUTION: 5,
    Status.SHIPPED: 6,
    Status.DELIVERED: 7,
    Status.ACCEPTED: 8,
    Status.CLOSING: 9,
    Status.CLOSED: 10,
}
#: How the demo's orders spread over the statuses (percent).
STATUS_SHARE = {
    Status.DRAFT: 6,
    Status.INTAKE_REVIEW: 6,
    Status.DEPARTMENT_REVIEW: 8,
    Status.CONTRACT: 6,
    Status.CONFIRMED: 5,
    Status.IN_EXECUTION: 14,
    Status.SHIPPED: 6,
    Status.DELIVERED: 5,
    Status.ACCEPTED: 5,
    Status.CLOSING: 4,
    Status.CLOSED: 22,
    Status.ON_HOLD: 4,
    Status.REJECTED: 4,
    Status.CANCELLED: 5,
}
EMERGENCY_SHARE = 0.05
CLERKS = ("clerk1", "clerk2", "clerk3")


def _targets(count: int, rng: random.Random) -> list[Status]:
    """Every status at least once (when count allows), the rest in proportion to the shares."""
    statuses = list(STATUS_SHARE)
    chosen = statuses[:count]
    chosen += rng.choices(statuses, weights=list(STATUS_SHARE.values()), k=count - len(chosen))
    rng.shuffle(chosen)
    return chosen


def _path(target: Status, rng: random.Random, emergency: bool) -> list[str]:
    if target in REACHED_AFTER:
        path = list(MAIN[: REACHED_AFTER[target]])
    elif target == Status.REJECTED:
        path = [*MAIN[: rng.choice((1, 2, 2))], "reject"]
    elif target == Status.CANCELLED:
        path = [*MAIN[: rng.choice((0, 1, 2, 3, 4))], "cancel"]
    else:  # on hold, from any active status
        path = [*MAIN[: rng.randrange(0, 8)], "hold"]
    if emergency:
        return path
    if "submit" in path and rng.random() < 0.12:  # sent back once for negotiation
        at = path.index("submit") + 1
        path[at:at] = ["return_to_draft", "submit"]
    main_done = sum(1 for name in path if name in MAIN)
    if main_done >= 5 and path[-1] != "hold" and rng.random() < 0.06:  # held, then resumed
        at = path.index(MAIN[rng.randrange(2, 5)])
        path[at:at] = ["hold", "resume"]
    if main_done >= 3 and rng.random() < 0.04:  # rejected once, revised and resubmitted
        path[0:0] = ["submit", "reject", "reopen"]
    return path


def _round_price(value: Decimal, unit: str) -> Decimal:
    step = Decimal("10") if unit == Unit.TON else Decimal("1")
    return ((value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step).quantize(
        Decimal("0.01")
    )


def _quantity(segment: Segment, unit: str, rng: random.Random) -> Decimal:
    """A believable lot: tens of tons of board, thousands of reams of printing paper."""
    if unit == Unit.REAM:
        high = 8_000 if segment.key == "publisher" else 4_000
        return Decimal(rng.randrange(500, high, 100))
    high = {"packaging": 150, "trader": 250, "tissue": 120}.get(segment.key, 60)
    return Decimal(rng.randrange(10, high, 5))


def _lines(
    story: Story, products: list[Product], key_account: bool, rng: random.Random
) -> list[dict[str, Any]]:
    suitable = [p for p in products if p.line.code in story.segment.lines] or products
    chosen = rng.sample(suitable, k=min(len(suitable), rng.choice((1, 1, 1, 2, 2, 3))))
    lines = []
    for product in chosen:
        factor = Decimal(str(round(rng.uniform(0.94, 1.03), 3)))
        if key_account:
            factor -= Decimal("0.02")
        if story.emergency:
            factor += Decimal("0.04")
        width = product.width_mm
        if width and product.line.code in ("CM", "KL"):
            width = rng.choice((1600, 1800, 2000, 2200, 2400, 2500))
        lines.append(
            {
                "product": product,
                "specification": product.specification,
                "grammage": product.grammage,
                "width_mm": width,
                "quantity": _quantity(story.segment, product.unit, rng),
                "unit": product.unit,
                "unit_price": _round_price(product.list_price * factor, product.unit),
                "tolerance_pct": Decimal(rng.choice(("3", "3", "5"))),
            }
        )
    return lines


def _lighter(grammage: int | None) -> int | None:
    if grammage is None:
        return None
    return grammage - 10 if grammage > 60 else grammage - 1


def _ends_by(story: Story, started: dt.datetime) -> dt.datetime:
    """When the story's last event happened: closed files long ago, open work lately."""
    rng = story.rng
    if story.target in (Status.CLOSED, Status.CANCELLED, Status.REJECTED):
        ago = dt.timedelta(days=rng.uniform(1, 220))
    elif story.target == Status.ON_HOLD:
        ago = dt.timedelta(days=rng.uniform(1, 20))
    elif story.target == Status.DRAFT:
        ago = dt.timedelta(hours=rng.uniform(0.5, 72))
    elif rng.random() < 0.88:
        ago = dt.timedelta(hours=rng.uniform(0.3, 30))
    else:  # stalled: its open tasks are overdue by now
        ago = dt.timedelta(days=rng.uniform(2, 9))
    if story.emergency and story.target not in (Status.CLOSED, Status.CANCELLED):
        ago = min(ago, dt.timedelta(hours=rng.uniform(0.3, 40)))
    return started - ago - dt.timedelta(minutes=5)


def _stories(ctx: DemoContext) -> list[Story]:
    rng = ctx.rng
    segments: dict[int, Segment] = ctx.extra["segments"]
    contacts: dict[int, str] = {}
    for customer in ctx.customers:
        primary = customer.contacts.order_by("-is_primary", "id").first()
        contacts[customer.pk] = primary.name if primary else "采购"
    # Key accounts and packaging plants order more often than the rest.
    weights = [
        (3 if c.is_key_account else 1) * (2 if segments[c.pk].key == "packaging" else 1)
        for c in ctx.customers
    ]
    products = list(Product.objects.select_related("line__production_department"))
    result = []
    for index, target in enumerate(_targets(ctx.options.orders, rng), start=1):
        customer = rng.choices(ctx.customers, weights=weights)[0]
        story_rng = random.Random(rng.getrandbits(64))
        emergency = story_rng.random() < EMERGENCY_SHARE
        story = Story(
            index=index,
            customer=customer,
            segment=segments[customer.pk],
            clerk=CLERKS[customer.pk % len(CLERKS)],  # a clerk follows a customer
            emergency=emergency,
            target=target,
            path=_path(target, story_rng, emergency),
            rng=story_rng,
            contact=contacts[customer.pk],
        )
        story.lines = _lines(story, products, customer.is_key_account, story_rng)
        story.facts = {
            "delay": story_rng.randrange(7, 21),
            "receivable": story_rng.randrange(20, 300),
            "overdue": story_rng.randrange(5, 60),
            "plate": story_rng.choice(S.SUPPLIER_PLATES),
            "tracking": f"{story_rng.randrange(10**11, 10**12)}",
            # What the customer asks for when renegotiating the grammage (a lighter sheet).
            "new_grammage": _lighter(story.lines[0]["grammage"]),
        }
        if emergency:
            story.facts["emergency_reason"] = story_rng.choice(S.EMERGENCY_REASONS)
        result.append(story)
    return result


@demo_step(order=40)
def create_orders(ctx: DemoContext) -> None:
    ctx.extra["departments"] = {d.code: d for d in Department.objects.all()}
    events: list[tuple[dt.datetime, int, int, Story, Planned]] = []
    for story in _stories(ctx):
        writer = StoryWriter(ctx, story)
        lifecycle.write(writer)
        jitters = [dt.timedelta(minutes=story.rng.randrange(0, 95)) for _ in writer.plan]
        gaps = [planned.gap for planned in writer.plan]
        times = fit(gaps, jitters, not story.emergency, _ends_by(story, ctx.started))
        events += [
            (moment, story.index, seq, story, planned)
            for seq, (moment, planned) in enumerate(zip(times, writer.plan, strict=True))
        ]
    events.sort(key=lambda event: event[:3])
    stopped: set[int] = set()
    for moment, index, _seq, story, planned in events:
        if index in stopped:
            continue
        ctx.clock.travel(moment)
        try:
            with transaction.atomic():  # a refused event leaves nothing behind
                planned.run()
        except ActionError as error:
            refusal = f"{planned.label}: {str(error).rstrip('.')}"
            if ctx.options.strict:
                number = story.order.number if story.order else f"#{story.index}"
                raise DemoOrderFailed(
                    f"demo order {number} ({story.target} by {' → '.join(story.path)}): "
                    f"{refusal}. A rule changed: give the demo a hook "
                    "(gendan.demo.registry.on_transition) that satisfies it."
                ) from error
            # The order stays where it is; the refusal is reported at the end.
            ctx.refusals[refusal] += 1
            stopped.add(index)
        flush_on_commit()
    ctx.clock.travel(ctx.started)
    _read_old_notifications(ctx.started - dt.timedelta(days=2))


def _read_old_notifications(before: dt.datetime) -> None:
    """People have read what reached them more than two days ago."""
    for user in User.objects.filter(notifications__created_at__lt=before).distinct():
        ids = Notification.objects.filter(
            user=user, created_at__lt=before, read_at__isnull=True
        ).values_list("pk", flat=True)
        mark_read(user=user, notification_ids=list(ids))
