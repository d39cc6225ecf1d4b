"""Quality, warehouse, shipping, delivery and after-sales in the paper-mill demo (E5–E8),
through the real actions.

A step (after the mill) adds the inspection standards as master data: per paper grade
in-process and final grammage (target the grade's grammage, ±4 %) and moisture (7.5 % ±1.5);
for board grades also burst index and ring crush index at the final inspection; bleached pulp
is inspected on arrival for brightness.

Around each demo order's life (events planned into its story, so they happen on its calendar):
- after `release`, on a few orders, the first reels fail the in-process inspection: on an order
  still in execution the nonconformance stays open, on orders that go further it is reworked and
  inspected again;
- before `ship`: the material received and inspected on arrival, production finished, the
  final inspection passed, the goods taken into the warehouse, then a shipping notice and the
  shipment (on every twentieth order two partial shipments a day or two apart);
- before `deliver`: the customer signs every delivery note (a few with a discrepancy, which
  sales resolves before `accept`);
- before `request_closure`: the signed delivery notes go to finance (settlement request);
  before `close`: finance receives it;
- after `deliver`/`accept`/`close`: a few after-sales cases (one major one escalated, met on
  and resolved) and return visits with the customer's satisfaction.
A last step runs the monitoring checks, so rectification notices exist for what is late.
"""

import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.demo.registry import DemoContext, demo_step
from gendan.demo.story import StoryWriter
from gendan.orders.status import Status

#: Product lines whose final inspection also checks burst and ring crush (board grades).
BOARD_LINES = frozenset({"CM", "KL", "WB", "IV"})
PULP = "PULP-BK"
#: Order targets at or beyond which the goods have left the mill.
DELIVERED_OR_LATER = frozenset({Status.DELIVERED, Status.ACCEPTED, Status.CLOSING, Status.CLOSED})
CARRIERS = ("顺达物流", "江苏货运", "浙运快线", "中通物流")
PLATES = ("浙A·3K217", "苏E·7Q218", "浙B·6M905", "沪D·2L771", "皖A·8H330")
DISCREPANCIES = (
    ("damaged", "两卷纸端面受潮破损，客户拒收该两卷。", "1"),
    ("short", "到货比送货单少一卷。", "1"),
)
CASES = (
    ("quality", "纸面有尘埃点，印刷后明显", "客户来电：部分卷纸纸面尘埃点偏多，影响印刷效果。"),
    ("packaging", "包装膜破损，个别卷端面受潮", "客户反映到货时个别卷包装膜破损，端面受潮。"),
    ("delivery", "到货比约定时间晚半天", "客户反映车辆晚到半天，影响其排产。"),
    ("documents", "送货单与发票规格不一致", "客户财务反映送货单规格与发票规格写法不一致。"),
)
VISIT_FEEDBACK = {
    2: "客户对交期延误不满意，希望改进发运计划。",
    3: "质量基本稳定，个别批次水分偏高。",
    4: "质量稳定，交期基本准时。",
    5: "产品质量和服务都很满意，下季度继续合作。",
}


def _state(ctx: DemoContext) -> dict[str, Any]:
    return ctx.extra.setdefault(
        "fulfilment",
        {"nc_open": 0, "nc_rework": 0, "cases": 0, "major": 0, "visits": 0, "shipping": 0},
    )


# --- master data ---------------------------------------------------------------------------


#: Per paper grade: (stage, sequence, characteristic, method, unit, target, below, above);
#: a target of None is the grade's grammage, with ±4 %.
GRADE_STANDARDS = (
    ("in_process", 10, "定量", "GB/T 451.2", "g/m²", None, None, None),
    ("in_process", 20, "水分", "GB/T 462", "%", "7.5", "1.5", "1.5"),
    ("final", 10, "定量", "GB/T 451.2", "g/m²", None, None, None),
    ("final", 20, "水分", "GB/T 462", "%", "7.5", "1.5", "1.5"),
)
#: Board grades only, at the final inspection: minimum values.
BOARD_STANDARDS = (
    ("final", 30, "耐破指数", "GB/T 454", "kPa·m²/g", "2.2", "0.2", None),
    ("final", 40, "环压指数", "GB/T 2679.8", "N·m/g", "7.0", "0.7", None),
)
PULP_STANDARDS = (("incoming", 10, "亮度", "GB/T 7974", "%ISO", "88", "1.5", "1.5"),)


@demo_step(order=36)
def standards(ctx: DemoContext) -> None:
    """Inspection standards (master data) per paper grade and for the bleached pulp."""
    from gendan.catalog.models import Product
    from gendan.purchasing.models import Material
    from gendan.quality.models import InspectionStandard

    def rows(table: tuple[tuple[Any, ...], ...], grammage: int | None = None, **item: Any) -> Any:
        for stage, sequence, name, method, unit, target, below, above in table:
            if target is None:  # the grade's grammage, ±4 %
                target = Decimal(grammage or 0)
                below = above = (target * Decimal("0.04")).quantize(Decimal("0.01"))
            yield InspectionStandard(
                stage=stage,
                sequence=sequence,
                characteristic=name,
                method=method,
                unit=unit,
                target=Decimal(target),
                tolerance_minus=Decimal(below) if below is not None else None,
                tolerance_plus=Decimal(above) if above is not None else None,
                frequency="每卷" if stage == "in_process" else "每批",
                **item,
            )

    made: list[Any] = []
    for product in Product.objects.select_related("line").exclude(grammage=None).order_by("code"):
        made += rows(GRADE_STANDARDS, product.grammage, product=product)
        if product.line.code in BOARD_LINES:
            made += rows(BOARD_STANDARDS, product=product)
    pulp = Material.objects.filter(code=PULP).first()
    if pulp is not None:
        made += rows(PULP_STANDARDS, material=pulp)
    InspectionStandard.objects.bulk_create(made)


def _values(
    stage: str, product: Any = None, material: Any = None, *, bad: bool = False, rng: Any = None
) -> dict[int, str]:
    """Measured values for every standard of the stage: inside the limits (close to the target),
    or, with `bad`, the grammage below its lower limit."""
    from gendan.quality.selectors import standards_for

    values = {}
    for standard in standards_for(stage=stage, product=product, material=material):
        target = standard.target
        spread = standard.tolerance_minus or standard.tolerance_plus or Decimal("0")
        jitter = Decimal(str(rng.uniform(-0.4, 0.4))) if rng else Decimal("0")
        if standard.tolerance_plus is None:  # a minimum: comfortably above it
            value = target + spread * abs(jitter)
        else:
            value = target + spread * jitter
        if bad and standard.sequence == 10:
            value = target - spread * Decimal("1.6")
        values[standard.pk] = str(value.quantize(Decimal("0.01")))
    return values


# --- in-process inspection that fails ------------------------------------------------------


def plan_after_release(writer: StoryWriter) -> None:
    """The first reels of a few orders fail in-process inspection (the first work order reports
    progress on even-numbered stories, `execution.first_progress`)."""
    story, state = writer.story, _state(writer.ctx)
    if story.index % 2 or story.emergency:
        return
    if story.target == Status.IN_EXECUTION and state["nc_open"] < 1:
        state["nc_open"] += 1
        rework = False
    elif story.target in DELIVERED_OR_LATER | {Status.SHIPPED} and state["nc_rework"] < 2:
        state["nc_rework"] += 1
        rework = True
    else:
        return
    ctx, rng = writer.ctx, writer.rng
    made: dict[str, Any] = {}

    def fail() -> None:
        from gendan.production.models import ProgressReport
        from gendan.quality.actions import inspect_progress
        from gendan.quality.models import Nonconformance, Stage

        report = (
            ProgressReport.objects.filter(work_order__order=story.current)
            .select_related("work_order__product")
            .order_by("pk")
            .first()
        )
        if report is None:
            return
        inspection = inspect_progress(
            progress_report=report,
            user=ctx.user("quality"),
            values=_values(Stage.IN_PROCESS, report.work_order.product, bad=True, rng=rng),
            note="首批纸卷定量偏低，已隔离。",
        )
        made["nc"] = Nonconformance.objects.get(inspection=inspection)

    writer.add(writer.days(0.5, 1.5), "in-process inspection fails", fail)
    if not rework:
        return

    def rework_and_reinspect() -> None:
        from gendan.quality.actions import decide_nonconformance, reinspect_rework
        from gendan.quality.models import Disposition, Stage

        nc = made.get("nc")
        if nc is None:
            return
        decide_nonconformance(
            nonconformance=nc,
            user=ctx.user("quality_head"),
            disposition=Disposition.REWORK,
            cause="断纸后流浆箱浓度偏低，定量下降。",
            corrective_action="校准浓度变送器；首批纸卷回抄复卷后重新检验。",
        )
        product = nc.inspection.work_order.product
        reinspect_rework(
            nonconformance=nc,
            user=ctx.user("quality"),
            values=_values(Stage.IN_PROCESS, product, rng=rng),
            note="返工后复检合格。",
        )

    writer.add(writer.hours(4, 20), "rework and re-inspection", rework_and_reinspect)


# --- making ready, inspecting, warehousing and shipping -------------------------------------


def _goods_ready(writer: StoryWriter) -> None:
    """Material in and inspected on arrival, production finished, final inspection passed,
    the goods in the warehouse."""
    from gendan.demo.execution import goods_in_and_made
    from gendan.purchasing.models import Receipt
    from gendan.quality.actions import inspect_final, inspect_receipt, uninspected_final_quantity
    from gendan.quality.models import Stage
    from gendan.quality.selectors import final_work_order
    from gendan.warehouse.actions import receive_finished_goods

    ctx, story, rng = writer.ctx, writer.story, writer.rng
    order = story.current
    goods_in_and_made(ctx, order, story)
    held = Receipt.objects.filter(
        line__purchase_order__order=order, quality_hold__isnull=False, inspections__isnull=True
    ).select_related("line__material")
    for receipt in held.order_by("pk"):
        inspect_receipt(
            receipt=receipt,
            user=ctx.user("quality"),
            values=_values(Stage.INCOMING, material=receipt.line.material, rng=rng),
        )
    for line in order.lines.select_related("product").order_by("position"):
        work_order = final_work_order(line)
        if work_order is None:
            continue
        if uninspected_final_quantity(work_order) > 0:
            inspect_final(
                work_order=work_order,
                user=ctx.user("quality"),
                values=_values(Stage.FINAL, line.product, rng=rng),
                note="出厂检验合格。",
            )
        from gendan.warehouse.actions import receivable_inspections

        waiting = sum((left for _i, left in receivable_inspections(work_order)), Decimal("0"))
        if waiting > 0:
            receive_finished_goods(
                work_order=work_order,
                user=ctx.user("logistics"),
                product=line.product,
                specification=line.specification,
                quantity=waiting,
                location=f"成品库{rng.choice('ABC')}区{rng.randrange(1, 20)}排",
            )


def _ship(writer: StoryWriter, share: Decimal | None) -> None:
    """A shipping notice for `share` of each line's open quantity (None: all of it), shipped."""
    from gendan.shipping.actions import dispatch_shipment, issue_notice
    from gendan.shipping.selectors import line_progress

    ctx, story, rng = writer.ctx, writer.story, writer.rng
    order = story.current
    quantities = {}
    for p in line_progress(order):
        left = p.ordered - p.shipped - p.noticed
        if share is not None:
            left = (left * share).quantize(Decimal("1"), rounding=ROUND_DOWN)
        if left > 0:
            quantities[p.line.position] = left
    if not quantities:
        return
    notice = issue_notice(
        order=order,
        user=writer.user("clerk"),
        ship_on=timezone.localdate(),
        quantities=quantities,
        consignee=f"{story.customer.name} 收货仓 {story.contact}",
    )
    dispatch_shipment(
        notice=notice,
        user=ctx.user("logistics"),
        carrier=rng.choice(CARRIERS),
        vehicle=rng.choice(PLATES),
        packaging="卷筒立放，缠绕膜包装"
        if order.lines.filter(width_mm__isnull=False).exists()
        else "木托盘包装，护角加固",
        packages=max(1, int(sum(quantities.values()) / 2)),
        driver=rng.choice(("王师傅", "李师傅", "陈师傅")),
        checked=True,
    )


def plan_before_ship(writer: StoryWriter) -> None:
    writer.add(writer.hours(2, 20), "goods inspected and warehoused", lambda: _goods_ready(writer))
    state = _state(writer.ctx)
    state["shipping"] += 1
    if state["shipping"] % 20 == 2:  # two trucks, a day or two apart
        writer.add(
            writer.hours(1, 4), "first partial shipment", lambda: _ship(writer, Decimal("0.6"))
        )
        writer.add(writer.days(0.5, 2), "second partial shipment", lambda: _ship(writer, None))
    else:
        writer.add(writer.hours(1, 4), "shipment", lambda: _ship(writer, None))


# --- delivery, discrepancies and settlement -------------------------------------------------


def plan_before_deliver(writer: StoryWriter) -> None:
    story = writer.story
    # A few deliveries come with a discrepancy (resolved before the customer accepts).
    discrepancy = story.index % 9 == 4

    def sign() -> None:
        from gendan.shipping.actions import record_sign_off
        from gendan.shipping.models import DeliveryNote, DeliveryState

        notes = DeliveryNote.objects.filter(
            order=story.current, state=DeliveryState.AWAITING
        ).select_related("shipment")
        for index, note in enumerate(notes.order_by("number")):
            items: list[dict[str, Any]] = []
            if discrepancy and index == 0:
                kind, text, amount = writer.rng.choice(DISCREPANCIES)
                line = note.shipment.lines.select_related("order_line").order_by("pk").first()
                items = (
                    [
                        {
                            "kind": kind,
                            "description": text,
                            "line": line.order_line.position,
                            "quantity": amount,
                        }
                    ]
                    if line
                    else []
                )
            record_sign_off(
                delivery_note=note,
                user=writer.user("clerk"),
                signed_by_name=f"{story.contact}（收货仓）",
                signed_at=timezone.now(),
                file=SimpleUploadedFile(
                    f"{note.number}-signed.pdf", b"%PDF-1.4\n%signed and stamped\n%%EOF\n"
                ),
                discrepancies=items,
            )

    writer.add(writer.days(0.5, 2), "customer signs the delivery notes", sign)


def plan_before_accept(writer: StoryWriter) -> None:
    story = writer.story

    def resolve() -> None:
        from gendan.shipping.actions import resolve_discrepancy
        from gendan.shipping.models import Discrepancy

        for item in Discrepancy.objects.filter(order=story.current).unresolved().order_by("pk"):
            resolve_discrepancy(
                discrepancy=item,
                user=writer.user("clerk"),
                resolution="与客户协商：补发差额，运费由我方承担。",
            )

    if story.index % 9 == 4:
        writer.add(writer.hours(2, 30), "discrepancy resolved", resolve)


def plan_before_request_closure(writer: StoryWriter) -> None:
    story = writer.story

    def request() -> None:
        from gendan.shipping.actions import request_settlement

        request_settlement(
            order=story.current, user=writer.user("clerk"), note="请按合同开票结算。"
        )

    writer.add(writer.hours(1, 8), "settlement requested", request)


def plan_before_close(writer: StoryWriter) -> None:
    story, ctx = writer.story, writer.ctx

    def receive() -> None:
        from gendan.shipping.actions import receive_settlement
        from gendan.shipping.models import SettlementRequest, SettlementState

        for item in SettlementRequest.objects.filter(
            order=story.current, state=SettlementState.SUBMITTED
        ).order_by("pk"):
            receive_settlement(
                settlement=item, user=ctx.user("finance"), note="已开票，货款已到账。"
            )

    writer.add(writer.hours(2, 30), "finance receives the settlement request", receive)


# --- after-sales -------------------------------------------------------------------------


def plan_after_sales(writer: StoryWriter, name: str) -> None:
    """Cases and return visits once the goods are with the customer (at the story's last
    step among deliver/accept/close, so each order gets at most one of each)."""
    story, state, rng, ctx = writer.story, _state(writer.ctx), writer.rng, writer.ctx
    last = {
        Status.DELIVERED: "deliver",
        Status.ACCEPTED: "accept",
        Status.CLOSING: "accept",
        Status.CLOSED: "close",
    }.get(story.target)
    if name != last:
        return
    if story.index % 6 == 1 and state["cases"] < 7:
        state["cases"] += 1
        major = state["major"] == 0 and story.target == Status.CLOSED
        state["major"] += int(major)
        case_type, title, description = rng.choice(CASES)
        if major:
            case_type, title, description = (
                "quality",
                "整批纸环压强度不足，纸箱塌箱",
                "客户投诉：用该批瓦楞原纸生产的纸箱堆码后塌箱，要求退换并赔偿。",
            )
        made: dict[str, Any] = {}

        def open_it() -> None:
            from gendan.aftersales.actions import open_case

            made["case"] = open_case(
                user=writer.user("clerk"),
                customer=None,
                order=story.current,
                source="phone",
                case_type=case_type,
                severity="major" if major else "minor",
                title=title,
                description=description,
                contact=story.contact,
            )

        writer.add(writer.days(1, 5), "after-sales case", open_it)
        resolved = major or rng.random() < 0.5
        if major:

            def meet() -> None:
                from gendan.aftersales.actions import record_meeting

                record_meeting(
                    case=made["case"],
                    user=writer.user("clerk"),
                    held_at=timezone.now() - dt.timedelta(hours=1),
                    attendees=[
                        ctx.user("quality_head"),
                        ctx.user("production_head"),
                        ctx.user("sales_head"),
                    ],
                    discussion="复核留样：环压指数在标准下限附近；客户仓库湿度偏高。",
                    decisions="退换受影响批次；下批提高环压控制目标；技术部上门指导仓储。",
                    place="三楼会议室",
                )

            writer.add(writer.days(0.5, 2), "case meeting", meet)
        if resolved:

            def resolve() -> None:
                from gendan.aftersales.actions import resolve_case

                resolve_case(
                    case=made["case"],
                    user=writer.user("clerk"),
                    resolution="已与客户协商处理完毕，客户确认。",
                    root_cause="抄纸段湿部波动，环压指数偏低；客户仓储湿度大。" if major else "",
                    corrective_action="提高环压控制目标，增加抽检频次。" if major else "",
                )

            writer.add(writer.days(1, 4), "case resolved", resolve)
    if story.target in (Status.ACCEPTED, Status.CLOSING, Status.CLOSED) and (
        story.index % 4 == 2 and state["visits"] < 10
    ):
        state["visits"] += 1
        score = 2 + state["visits"] % 4

        def visit() -> None:
            from gendan.aftersales.actions import record_return_visit

            record_return_visit(
                user=writer.user("clerk"),
                customer=None,
                order=story.current,
                method=rng.choice(("phone", "survey", "visit")),
                visited_on=timezone.localdate(),
                satisfaction=score,
                contact=story.contact,
                feedback=VISIT_FEEDBACK[score],
            )

        writer.add(writer.days(1, 6), "return visit", visit)


# --- the checks ----------------------------------------------------------------------------


@demo_step(order=90)
def monitoring(ctx: DemoContext) -> None:
    """The monitoring checks run once at the end, as the worker would: what is late gets its
    rectification notice."""
    from gendan.monitoring.actions import run_checks

    run_checks()
