"""How a demo order lives: who does each step, which work it opens, what people say around it.

`STAGE_TASKS` holds the tasks each transition opens (completed before the order moves on).
A feature whose pipeline effects open their own tasks (e.g. department review reports) sets
its row to `no_tasks` from its demo module, so the demo does not open the same work twice.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from gendan.demo import fulfilment
from gendan.demo import texts as S
from gendan.demo.story import Story, StoryWriter, TaskPlan
from gendan.orders.actions import create_order, update_order
from gendan.orders.status import Channel, Priority

#: Who performs each transition (a person key; "clerk" is the order's clerk).
PERFORMER = {
    "submit": "clerk",
    "return_to_draft": "sales_head",
    "approve_intake": "sales_head",
    "approve_review": "sales_head",
    "reject": "sales_head",
    "confirm": "clerk",
    "release": "clerk",
    "ship": "logistics",
    "deliver": "logistics",
    "accept": "clerk",
    "request_closure": "clerk",
    "close": "gm",
    "hold": "sales_head",
    "resume": "sales_head",
    "cancel": "sales_head",
    "reopen": "clerk",
}
#: Transitions that end a stage: its open tasks are completed before them.
ENDS_STAGE = frozenset(
    {
        "return_to_draft",
        "approve_intake",
        "approve_review",
        "confirm",
        "ship",
        "deliver",
        "accept",
        "close",
    }
)
#: Gap before each transition (hours, low to high), after the stage's work is done.
LEAD_IN = {
    "submit": (0.5, 20),
    "return_to_draft": (0.2, 1),
    "approve_intake": (0.2, 2),
    "approve_review": (1, 20),
    "confirm": (6, 40),
    "release": (2, 24),
    "ship": (1, 6),
    "deliver": (0.5, 4),
    "accept": (0.2, 2),
    "request_closure": (24, 240),
    "close": (12, 72),
    "hold": (12, 72),
    "resume": (0.2, 2),
    "reopen": (24, 140),
    "reject": (0.1, 0.5),
    "cancel": (0.1, 0.5),
}
QUALITY = {
    "CM": "执行GB/T 13023 优等品；横向环压指数≥7.5 N·m/g；交货水分8±1%",
    "KL": "执行GB/T 13024；耐破指数≥3.0 kPa·m²/g；交货水分8±1%",
    "WB": "执行GB/T 10335.4 优等品；白度≥82%；平滑度≥60 s",
    "IV": "执行GB/T 10335.3；亮度≥88%ISO；挺度按客户确认样板",
    "CP": "双胶纸执行GB/T 30130，铜版纸执行GB/T 10335.1；不透明度≥88%；尘埃度合格",
    "TS": "执行GB/T 20810；定量偏差±0.5 g/m²；分切端面整齐，无破损",
}
CHANNELS = {
    Channel.CONTRACT: 30,
    Channel.E_ORDER: 20,
    Channel.PHONE: 20,
    Channel.EMAIL: 15,
    Channel.VERBAL: 10,
    Channel.WEB_SHOP: 5,
}


# --- the work each stage opens ------------------------------------------------------------

StagePlans = Callable[[Story], list[TaskPlan]]


def no_tasks(story: Story) -> list[TaskPlan]:
    return []


def intake_tasks(story: Story) -> list[TaskPlan]:
    return [
        TaskPlan(
            "订单初审：完整性、信用、价格",
            "sales",
            "sales_head",
            1,
            "sales_head",
            "clerk",
            "intake_review",
            "资料齐全；信用额度内；单价不低于限价。",
            takes=(1, 10),
        )
    ]


def execution_tasks(story: Story) -> list[TaskPlan]:
    line = story.lines[0]["product"].line
    lead = line.standard_lead_days
    hours = (24 * lead * 0.8, 24 * lead * 1.3)
    # The work orders (生产任务单) come with their own tasks from the production plan
    # (`gendan.demo.execution`), so only inspection and shipping are planned here.
    return [
        TaskPlan(
            "成品检验",
            "quality",
            None,
            lead + 1,
            "quality",
            "clerk",
            "inspection",
            "出厂检验合格，检验报告已出具。",
            takes=hours,  # final inspection follows production
            late=0.05,
        ),
        TaskPlan(
            "发运计划：落实车辆",
            "logistics",
            None,
            lead + 1,
            "logistics",
            "clerk",
            "shipping",
            "车辆已落实，按计划装车。",
            takes=(2, 10),
            late=0.05,
        ),
    ]


def delivery_tasks(story: Story) -> list[TaskPlan]:
    return [
        TaskPlan(
            "到货确认与签收单回传",
            "logistics",
            None,
            3,
            "logistics",
            "clerk",
            "delivery",
            "签收单已回传，数量无差异。",
            takes=(4, 30),
        )
    ]


def acceptance_tasks(story: Story) -> list[TaskPlan]:
    return [
        TaskPlan(
            "客户验收确认",
            None,
            "clerk",
            5,
            "clerk",
            "clerk",
            "acceptance",
            "客户已验收，无异议。",
            takes=(24, 24 * 6),
        )
    ]


#: The tasks each transition opens. Department review and the contract's legal review open
#: their own tasks through the real actions (`reviews.actions.open_reviews` as an effect of
#: `approve_intake`, `contracts.actions.submit_for_legal_review` from the contracts demo), so
#: they have no row here: the demo would open the same work twice.
STAGE_TASKS: dict[str, StagePlans] = {
    "submit": intake_tasks,
    "release": execution_tasks,
    "ship": delivery_tasks,
    "deliver": acceptance_tasks,
    # Finance's work comes with the settlement request (`shipping.actions.request_settlement`).
    "request_closure": no_tasks,
}

#: Events planned before a transition (after the gap before it): the records its guards need.
PLAN_BEFORE: dict[str, Callable[[StoryWriter], None]] = {
    "ship": fulfilment.plan_before_ship,
    "deliver": fulfilment.plan_before_deliver,
    "accept": fulfilment.plan_before_accept,
    "request_closure": fulfilment.plan_before_request_closure,
    "close": fulfilment.plan_before_close,
}


def _nothing(writer: StoryWriter) -> None:
    return None


# --- what happens around the transitions ---------------------------------------------------


def create(writer: StoryWriter) -> None:
    """Register the order (the story's first event), and for emergencies the first alarm."""
    story, ctx, rng = writer.story, writer.ctx, writer.rng
    channel = rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0]
    lead = max(line["product"].line.standard_lead_days for line in story.lines)
    lead_days = rng.randrange(3, 6) if story.emergency else rng.randrange(lead * 3 // 2, lead * 3)
    promise = rng.random() < 0.6
    reference = rng.randrange(1, 9999)
    # The sales head registers some orders (calls to the office) and assigns the clerk.
    creator = "sales_head" if rng.random() < 0.15 else story.clerk

    def run() -> None:
        today = timezone.localdate()
        requested = today + dt.timedelta(days=lead_days)
        header = {
            "customer": story.customer,
            "customer_reference": (
                f"PO{today:%y%m}-{reference:04d}" if channel != Channel.VERBAL else ""
            ),
            "channel": channel,
            "priority": Priority.EMERGENCY if story.emergency else Priority.NORMAL,
            "clerk": ctx.user(story.clerk),
            "requested_date": requested,
            "promised_date": requested if promise else None,
            "delivery_place": f"{story.customer.address} 收货仓",
            "payment_terms": story.customer.payment_terms or "月结30天",
            "quality_requirements": QUALITY[story.lines[0]["product"].line.code],
            "notes": story.facts.get("emergency_reason", ""),
        }
        story.order = create_order(user=ctx.user(creator), header=header, lines=story.lines)
        ctx.orders.append(story.order)

    writer.add(dt.timedelta(), "create", run)
    if story.emergency:
        writer.comment(
            dt.timedelta(minutes=rng.randrange(5, 30)),
            "sales_head",
            "紧急订单：{emergency_reason}。请各部门按紧急订单处理，2小时内反馈。",
        )
        writer.talk(
            dt.timedelta(minutes=rng.randrange(30, 110)),
            S.Talk(
                S.C.CALL,
                "clerk",
                "2小时内与客户确认紧急订单交期和数量",
                "客户确认数量不变，要求分两车发运，第一车优先。",
            ),
        )
    if not story.path or rng.random() < 0.7:
        writer.talk(writer.hours(0.3, 3), rng.choice(S.INTAKE_TALKS))


def change_grammage(writer: StoryWriter) -> None:
    """The customer changes the grammage while the order is back in negotiation."""
    story = writer.story
    new_grammage = story.facts["new_grammage"]

    def run() -> None:
        first = dict(story.lines[0])
        first["grammage"] = new_grammage
        # A lighter sheet of the same grade costs a little more per ton.
        first["unit_price"] = (first["unit_price"] * Decimal("1.01")).quantize(Decimal("1.00"))
        story.lines = [first, *story.lines[1:]]
        story.order = update_order(
            order=story.current,
            user=writer.user("clerk"),
            expected_version=story.current.version,
            header={},
            lines=story.lines,
        )

    writer.add(writer.hours(0.5, 3), "change grammage", run)


def shipping_talk(writer: StoryWriter) -> Callable[[], S.Talk]:
    """Trucks are scarce before Spring Festival; otherwise the usual arrangements."""
    festival = writer.rng.choice(S.SHIPPING_TALKS_FESTIVAL)
    usual = writer.rng.choice(S.SHIPPING_TALKS)
    return lambda: festival if timezone.localdate().month in (1, 2) else usual


def _before(writer: StoryWriter, name: str) -> str:
    """Work and talk before transition `name`; returns the transition's reason, if any."""
    story, rng = writer.story, writer.rng
    if name == "return_to_draft":
        reason, talk = rng.choice(S.NEGOTIATIONS)
        writer.complete_pending(outcome="退回销售重新洽谈。")
        facts = {**story.facts, "grammage": story.lines[0]["grammage"]}
        writer.notes["negotiation"] = (talk, "克重" in reason)
        return S.fill(reason, facts)
    # The execution steps the pipeline's guards ask for (inspection, warehouse, shipment,
    # sign-off, settlement) happen before the stage's tasks are done.
    PLAN_BEFORE.get(name, _nothing)(writer)
    if name in ENDS_STAGE:
        writer.complete_pending()
    if name == "ship" and rng.random() < 0.7:
        writer.talk(writer.hours(0.5, 4), shipping_talk(writer))
    elif name == "deliver" and rng.random() < 0.6:
        writer.talk(writer.days(0.5, 2), rng.choice(S.DELIVERY_TALKS))
    elif name == "accept" and rng.random() < 0.1:
        problem, finding = rng.choice(S.COMPLAINTS)
        writer.talk(writer.days(1, 3), S.Talk(S.C.CALL, "clerk", problem, "已通知质量部和技术部。"))
        writer.comment(writer.days(1, 3), "quality_head", finding)
    elif name == "close" and rng.random() < 0.6:
        who, text = rng.choice(S.CLOSING_NOTES)
        writer.comment(writer.hours(1, 20), who, text)
    elif name == "resume":
        writer.comment(writer.days(2, 10), "sales_head", rng.choice(S.RESUME_NOTES))
    elif name == "hold":
        return rng.choice(S.HOLD_REASONS)
    elif name in ("reject", "cancel"):
        reason = rng.choice(S.REJECT_REASONS if name == "reject" else S.CANCEL_REASONS)
        what = "否决" if name == "reject" else "取消"
        writer.cancel_pending(writer.hours(4, 30), f"订单已{what}：{reason}")
        return reason
    return ""


def _after(writer: StoryWriter, name: str) -> None:
    """Talk and comments after transition `name` (its tasks are opened already)."""
    rng = writer.rng
    if name == "release":
        fulfilment.plan_after_release(writer)
    fulfilment.plan_after_sales(writer, name)
    if name == "return_to_draft":
        talk, grammage_changed = writer.notes.pop("negotiation")
        writer.talk(writer.hours(2, 30), talk)
        if grammage_changed:
            change_grammage(writer)
    elif name == "approve_intake":
        if rng.random() < 0.4:
            writer.talk(writer.hours(2, 20), rng.choice(S.REVIEW_TALKS))
        if rng.random() < 0.6:
            who, text = rng.choice(S.REVIEW_COMMENTS)
            writer.comment(writer.hours(1, 10), who, text)
    elif name == "approve_review" and rng.random() < 0.6:
        writer.talk(writer.hours(2, 20), rng.choice(S.CONTRACT_TALKS))
    elif name == "release":
        if rng.random() < 0.5:
            who, text = rng.choice(S.EXECUTION_COMMENTS)
            writer.comment(writer.days(1, 4), who, text)
        if rng.random() < 0.25:
            writer.talk(writer.days(1, 4), rng.choice(S.EXECUTION_TALKS))
    elif name == "accept" and rng.random() < 0.4:
        writer.talk(writer.days(1, 5), rng.choice(S.FOLLOW_UP_TALKS))
    elif name == "reopen":
        writer.comment(dt.timedelta(minutes=10), "clerk", rng.choice(S.REOPEN_NOTES))


def write(writer: StoryWriter) -> None:
    """Plan every event of the story along its path."""
    create(writer)
    for name in writer.story.path:
        reason = _before(writer, name)
        writer.transition(writer.hours(*LEAD_IN[name]), name, PERFORMER[name], reason)
        writer.open_tasks(dt.timedelta(minutes=5), STAGE_TASKS.get(name, no_tasks)(writer.story))
        _after(writer, name)
