"""Order execution from an allocated order to a delivered one (issue 4), told by the ledger and
by the milestone chain.

30 t of 120 g/m² corrugating medium, made from pulp bought for the order, taken through intake,
department review, contract and the allocation sheet into execution. The pulp supplier moves
its date and the purchase order is reported late once however often the checks run; the pulp
arrives in two lots, each held and inspected on arrival. The production plan is drafted and
approved; the first reels off the paper machine fail the in-process inspection on grammage,
the work order cannot finish while the nonconformance is open, quality sends the reels to
rework, they pass again and both work orders finish. The final inspection passes, the
warehouse takes the goods in, they leave in two shipments and the customer signs both
delivery notes.

Every change goes through the real actions; only master data is written directly. Dates in
the past are given through the actions' own parameters (`today=`, `received_on=`).

Dates, with T the day the test runs:

    purchase order placed            T-20   (supplier lead time 5 working days)
    materials due (allocation)       T-3
    supplier's new date              T-2
    first lot / second lot           T-1 / T
    production due (allocation)      T+2    plan starts T+1 (after the last lot)
    quality due (allocation)         T+3
    ship on (both notices)           T
    requested delivery               T+5
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.contracts.actions import (
    propose_allocation,
    record_coordination_meeting,
    release_allocation,
    update_allocation,
)
from gendan.contracts.models import AllocationKind
from gendan.core.errors import Blocked
from gendan.ledger.models import LedgerEntry
from gendan.milestones.chain import Light, Milestone, milestone_chain
from gendan.monitoring.jobs import run_monitoring
from gendan.monitoring.models import NoticeKind, RectificationNotice
from gendan.orders.actions import create_order, transition_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from gendan.production.actions import (
    approve_production_plan,
    draft_production_plan,
    report_progress,
)
from gendan.production.models import WorkOrder, WorkOrderStatus
from gendan.purchasing.actions import change_expected_date, create_purchase_orders, receive
from gendan.purchasing.jobs import report_late_purchase_orders
from gendan.purchasing.models import Material, PurchaseOrderLine, Receipt
from gendan.quality.actions import (
    decide_nonconformance,
    inspect_final,
    inspect_progress,
    inspect_receipt,
    reinspect_rework,
)
from gendan.quality.models import (
    Disposition,
    InspectionStandard,
    NCStatus,
    Nonconformance,
    Result,
    Stage,
)
from gendan.shipping.actions import dispatch_shipment, issue_notice, record_sign_off
from gendan.shipping.guards import fully_shipped
from gendan.shipping.models import DeliveryNote, DeliveryState, Shipment
from gendan.warehouse.actions import receive_finished_goods
from gendan.warehouse.stock import available_to_ship
from tests.factories import (
    ProductFactory,
    complete_department_review,
    order_header,
    sign_contract,
)
from tests.production.helpers import routing, team, work_centre
from tests.purchasing.helpers import add_extra_users, bom, material, price, supplier

pytestmark = pytest.mark.django_db

D = Decimal
DAY = dt.timedelta(days=1)
SPECIFICATION = "120 g/m², width 2,200 mm"

#: The chain's steps, in the order the goods flow.
CHAIN = [
    "purchase",
    "receipt",
    "incoming_inspection",
    "production_plan",
    "production",
    "in_process_inspection",
    "final_inspection",
    "warehouse",
    "shipment",
    "delivery",
]


@dataclass
class Mill:
    """The people, master data and order of the story, and what the steps created."""

    staff: dict[str, User]
    today: dt.date
    product: Product
    pulp: Material
    standards: dict[str, InspectionStandard]
    order: Order = field(init=False)
    made: dict[str, Any] = field(default_factory=dict)

    def fresh(self) -> Order:
        return Order.objects.get(pk=self.order.pk)

    def values(self, stage: str, **measured: str) -> dict[int, str]:
        """Measured values keyed by the standard's id, as the inspection actions take them."""
        return {self.standards[f"{stage}.{name}"].pk: value for name, value in measured.items()}

    def chain(self) -> dict[str, Milestone]:
        return {m.step.key: m for m in milestone_chain(self.fresh(), self.today)}

    def work_order(self, sequence: int) -> WorkOrder:
        return WorkOrder.objects.get(order=self.order, sequence=sequence)


def story(order: Order, since: int = 0) -> list[str]:
    """The ledger's key events after entry `since` (a primary key), in the order written:
    `step:event` for the execution apps, the transition's name for status changes."""
    told = []
    for entry in LedgerEntry.objects.filter(order=order, pk__gt=since).order_by("pk"):
        data = entry.data or {}
        if data.get("transition"):
            told.append(data["transition"])
        elif data.get("step") and data.get("event"):
            told.append(f"{data['step']}:{data['event']}")
        elif str(data.get("event", "")).startswith("allocation."):
            told.append(data["event"])
    return told


def last_entry(order: Order) -> int:
    return LedgerEntry.objects.filter(order=order).order_by("-pk").values_list("pk", flat=True)[0]


def standard(
    stage: str, characteristic: str, unit: str, target: str, tolerance: str, **item: Any
) -> InspectionStandard:
    return InspectionStandard.objects.create(
        stage=stage,
        characteristic=characteristic,
        unit=unit,
        target=D(target),
        tolerance_minus=D(tolerance),
        tolerance_plus=D(tolerance),
        method="GB/T 451.2" if characteristic == "Grammage" else "GB/T 462",
        frequency="every reel",
        **item,
    )


@pytest.fixture
def staff(users: dict[str, User]) -> dict[str, User]:
    """The suite's users plus a buyer, the procurement head, a production reviewer (the
    paper machine team's leader) and a quality inspector."""
    return add_extra_users(users)


@pytest.fixture
def mill(staff: dict[str, User]) -> Mill:
    """Master data: the paper, its bill of materials (pulp), the pulp supplier, the routing
    over the paper machine and the winder, and the inspection standards."""
    product = ProductFactory(code="CM120", name="Corrugating medium 120", grammage=120)
    pulp = material("UKP")
    bom(product, pulp, "1.05", scrap="0.02")
    price(supplier("NP", lead=5, rating="4.0"), pulp, "4650")
    crew = team("PM-A", leader=staff["production_reviewer"])
    machine = work_centre("PM1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    winder = work_centre("WD1", shifts_per_day=3, day_starts_at=dt.time(0), runs_on_rest_days=True)
    routing(product, [("Papermaking", machine, 30, "10"), ("Winding", winder, 15, "5")], crew)
    standards = {
        "incoming.moisture": standard(Stage.INCOMING, "Moisture", "%", "10", "2", material=pulp),
        "incoming.freeness": standard(Stage.INCOMING, "Freeness", "ml", "450", "50", material=pulp),
    }
    for stage in (Stage.IN_PROCESS, Stage.FINAL):
        standards[f"{stage}.grammage"] = standard(
            stage, "Grammage", "g/m²", "120", "4.8", product=product
        )
        standards[f"{stage}.moisture"] = standard(
            stage, "Moisture", "%", "7.5", "1.5", product=product
        )
    return Mill(
        staff=staff,
        today=timezone.localdate(),
        product=product,
        pulp=pulp,
        standards=standards,
    )


# --- the steps of the story, shared by the scenario and the tests of its refusals ---------


def allocated_order_in_execution(mill: Mill) -> Order:
    """Intake, department review, contract, the allocation sheet (dates set in the sheet) and
    the release to execution, each through its real action."""
    s, today = mill.staff, mill.today
    clerk, head = s["clerk"], s["sales_head"]
    mill.order = order = create_order(
        user=clerk,
        header=order_header(requested_date=today + 5 * DAY, customer_reference="KC-4471"),
        lines=[
            {
                "product": mill.product,
                "grammage": 120,
                "width_mm": 2200,
                "specification": SPECIFICATION,
                "quantity": D("30"),
                "unit": mill.product.unit,
                "unit_price": D("3150.00"),
            }
        ],
    )
    transition_order(order=order, name="submit", user=clerk)
    transition_order(order=order, name="approve_intake", user=head)
    complete_department_review(mill.fresh(), s)
    transition_order(order=order, name="approve_review", user=head)
    sign_contract(mill.fresh(), s)
    transition_order(order=order, name="confirm", user=clerk)

    allocation = propose_allocation(order=mill.fresh(), user=clerk)
    due = {
        AllocationKind.MATERIALS: today - 3 * DAY,
        AllocationKind.PRODUCTION: today + 2 * DAY,
        AllocationKind.QUALITY: today + 3 * DAY,
        AllocationKind.LOGISTICS: today + 5 * DAY,
    }
    lines = [
        {
            "kind": line.kind,
            "department": line.department,
            "scope": line.scope,
            "owner": line.owner,
            "due_date": due[AllocationKind(line.kind)],
        }
        for line in allocation.lines.select_related("department", "owner").order_by("position")
    ]
    allocation = update_allocation(
        allocation=allocation, user=clerk, lines=lines, expected_version=allocation.version
    )
    record_coordination_meeting(
        allocation=allocation,
        user=clerk,
        held_at=timezone.now(),
        place="Plant office",
        attendees=[head, s["buyer"], s["production_head"], s["quality_reviewer"]],
        notes="Pulp from NP; PM1 campaign; ship from the warehouse in two loads.",
    )
    release_allocation(allocation=allocation, user=clerk)
    return transition_order(order=mill.fresh(), name="release", user=clerk)


def place_purchase_order(mill: Mill) -> PurchaseOrderLine:
    """The purchase plan committed 20 days ago; the supplier now announces T-2."""
    (po,) = create_purchase_orders(
        order=mill.fresh(), user=mill.staff["buyer"], today=mill.today - 20 * DAY
    )
    line = po.lines.get()
    mill.made["po_line"] = line
    return line


def supplier_moves_its_date(mill: Mill) -> PurchaseOrderLine:
    return change_expected_date(
        line=mill.made["po_line"],
        user=mill.staff["buyer"],
        expected_date=mill.today - 2 * DAY,
        reason="NP's digester was down for a week; first truck a day later, the rest after.",
    )


def receive_lot(mill: Mill, quantity: str, on: dt.date, note: str) -> Receipt:
    return receive(
        line=mill.made["po_line"],
        user=mill.staff["buyer"],
        quantity=quantity,
        received_on=on,
        delivery_note=note,
    )


def inspect_lot(mill: Mill, receipt: Receipt) -> Any:
    return inspect_receipt(
        receipt=receipt,
        user=mill.staff["quality_reviewer"],
        values=mill.values(Stage.INCOMING, moisture="9.2", freeness="470"),
    )


def run_the_checks_twice() -> None:
    """The purchasing job and the monitoring job, each run twice as the worker would."""
    for _ in range(2):
        report_late_purchase_orders.enqueue()
        run_monitoring.enqueue()


def plan_production(mill: Mill) -> None:
    plan = draft_production_plan(order=mill.fresh(), user=mill.staff["production_reviewer"])
    approve_production_plan(
        plan=plan, user=mill.staff["production_head"], note="PM1 campaign after the pulp."
    )


def first_reels_fail_and_are_reworked(mill: Mill) -> Nonconformance:
    """20 t made (0.6 t scrap); in-process inspection fails on grammage; rework; passes."""
    s = mill.staff
    reels = report_progress(
        work_order=mill.work_order(10),
        user=s["production_reviewer"],
        good_quantity="20",
        scrap_quantity="0.6",
        hours="4",
        note="Reels 1-4; break at the press section, 0.6 t broke.",
    )
    failed = inspect_progress(
        progress_report=reels,
        user=s["quality_reviewer"],
        values=mill.values(Stage.IN_PROCESS, grammage="113.9", moisture="7.8"),
    )
    nc = Nonconformance.objects.get(inspection=failed)
    mill.made["failed"], mill.made["nc"] = failed, nc
    return nc


def rework(mill: Mill) -> Any:
    s = mill.staff
    decide_nonconformance(
        nonconformance=mill.made["nc"],
        user=s["quality_reviewer"],
        disposition=Disposition.REWORK,
        cause="Headbox consistency drifted low after the break.",
        corrective_action="Calibrate the consistency transmitter; rewind and re-press reels 1-4.",
    )
    return reinspect_rework(
        nonconformance=mill.made["nc"],
        user=s["quality_reviewer"],
        values=mill.values(Stage.IN_PROCESS, grammage="119.6", moisture="7.4"),
    )


def finish_production(mill: Mill) -> None:
    s = mill.staff
    report_progress(
        work_order=mill.work_order(10),
        user=s["production_reviewer"],
        good_quantity="10",
        scrap_quantity="0.2",
        hours="2",
        finished=True,
    )
    report_progress(
        work_order=mill.work_order(20),
        user=s["production_reviewer"],
        good_quantity="30",
        hours="3",
        finished=True,
    )


def final_inspection_and_warehouse(mill: Mill) -> None:
    s = mill.staff
    inspect_final(
        work_order=mill.work_order(20),
        user=s["quality_reviewer"],
        values=mill.values(Stage.FINAL, grammage="120.4", moisture="7.6"),
    )
    receive_finished_goods(
        work_order=mill.work_order(20),
        user=s["logistics_reviewer"],
        product=mill.product,
        specification=SPECIFICATION,
        quantity="30",
        location="FG hall B, rows 3-4",
    )


def ship(mill: Mill, tonnes: str, vehicle: str) -> Shipment:
    """A shipping notice from sales for `tonnes` of line 1, shipped by logistics."""
    notice = issue_notice(
        order=mill.fresh(),
        user=mill.staff["clerk"],
        ship_on=mill.today,
        quantities={1: tonnes},
        consignee="Kunshan Carton, goods receiving",
    )
    return dispatch_shipment(
        notice=notice,
        user=mill.staff["logistics_reviewer"],
        carrier="Jiangsu Freight",
        vehicle=vehicle,
        packaging="Reels on edge, stretch-wrapped",
        packages=int(D(tonnes) / 3),
        checked=True,
    )


def sign(mill: Mill, shipment: Shipment) -> DeliveryNote:
    note = DeliveryNote.objects.get(shipment=shipment)
    return record_sign_off(
        delivery_note=note,
        user=mill.staff["clerk"],
        signed_by_name="Wang Min, goods receiving",
        signed_at=timezone.now(),
        file=SimpleUploadedFile(f"{note.number}-signed.pdf", b"%PDF-1.4\n%signed and stamped\n"),
    )


def lights(mill: Mill) -> dict[str, tuple[bool, Light, int]]:
    return {key: (m.step.done, m.light, m.days_late) for key, m in mill.chain().items()}


# --- the scenario -------------------------------------------------------------------------


def test_allocated_order_is_bought_made_inspected_shipped_and_delivered(
    mill: Mill, staff: dict[str, User], client_for: Any
) -> None:
    today = mill.today
    order = allocated_order_in_execution(mill)
    assert order.status == Status.IN_EXECUTION
    start = last_entry(order)
    # Nothing bought, planned or shipped yet; the final inspection is due once in execution.
    assert lights(mill) == {"final_inspection": (False, Light.GREEN, 0)}

    # --- purchasing: the plan committed, the supplier late, the pulp in two lots ---------
    line = place_purchase_order(mill)
    assert line.quantity == D("32.130")  # 30 t × 1.05 × 1.02
    promised = line.promised_date
    assert today - 20 * DAY < promised < today - 3 * DAY
    supplier_moves_its_date(mill)
    line.refresh_from_db()
    assert (line.promised_date, line.expected_date) == (promised, today - 2 * DAY)

    first = receive_lot(mill, "20", today - DAY, "NP-DN-1181")
    assert Material.objects.get(pk=mill.pulp.pk).stock_on_hand == 0  # held
    done, light, late = lights(mill)["receipt"]
    assert (done, light, late) == (False, Light.RED, 3)  # due T-3, 12.13 t still open
    inspect_lot(mill, first)

    run_the_checks_twice()
    late_reports = LedgerEntry.objects.filter(order=order, data__event="purchase_order_late")
    assert [e.data["open_quantity"] for e in late_reports] == ["12.130"]
    (notice,) = RectificationNotice.objects.filter(kind=NoticeKind.LATE_PURCHASE)
    assert notice.order_id == order.pk and notice.facts["days_late"] == 2
    assert RectificationNotice.objects.filter(order=order).count() == 1  # nothing else wrong

    rest = receive_lot(mill, "12.130", today, "NP-DN-1207")
    chain = lights(mill)
    assert chain["receipt"] == (True, Light.AMBER, 3)  # arrived T, due T-3
    assert chain["incoming_inspection"] == (False, Light.RED, 3)  # the second lot waits
    inspect_lot(mill, rest)
    assert Material.objects.get(pk=mill.pulp.pk).stock_on_hand == D("32.130")
    assert lights(mill)["incoming_inspection"] == (True, Light.AMBER, 3)
    run_monitoring.enqueue()  # the checks no longer find the late purchase order
    notice.refresh_from_db()
    assert notice.condition_cleared_at is not None and notice.resolved_at is None

    # --- production: planned, approved, the first reels fail in-process inspection -------
    plan_production(mill)
    paper, winding = mill.work_order(10), mill.work_order(20)
    assert timezone.localdate(paper.planned_start) == today + DAY  # the day after the last lot
    assert timezone.localdate(winding.planned_end) <= today + 2 * DAY
    assert lights(mill)["production_plan"][:2] == (True, Light.GREEN)

    nc = first_reels_fail_and_are_reworked(mill)
    assert mill.made["failed"].result == Result.FAILED
    assert nc.quantity == D("20") and nc.status == NCStatus.OPEN
    chain = mill.chain()
    in_process = chain["in_process_inspection"]
    assert not in_process.step.done
    assert in_process.step.planned == today + 2 * DAY
    assert in_process.light is Light.AMBER  # not done, due within two days
    assert chain["production"].light is Light.AMBER

    before = last_entry(order)
    with pytest.raises(Blocked) as refused:
        report_progress(
            work_order=paper,
            user=staff["production_reviewer"],
            good_quantity="10",
            hours="2",
            finished=True,
        )
    assert refused.value.messages == [
        f"Goods of work order {paper.number} are quarantined ({nc.number}): decide the "
        "nonconformance before the work order is finished."
    ]
    assert last_entry(order) == before
    paper.refresh_from_db()
    assert (paper.status, paper.good_quantity) == (WorkOrderStatus.IN_PROGRESS, D("20"))

    again = rework(mill)
    assert again.result == Result.PASSED and again.rework_of_id == nc.pk
    nc.refresh_from_db()
    assert nc.status == NCStatus.CLOSED and nc.disposition == Disposition.REWORK
    assert lights(mill)["in_process_inspection"] == (True, Light.GREEN, 0)

    finish_production(mill)
    paper.refresh_from_db()
    assert (paper.good_quantity, paper.scrap_quantity) == (D("30"), D("0.8"))
    assert mill.work_order(20).status == WorkOrderStatus.DONE
    chain = lights(mill)
    assert chain["production"] == (True, Light.GREEN, 0)
    assert chain["final_inspection"] == (False, Light.GREEN, 0)  # due T+3

    # --- final inspection, warehouse --------------------------------------------------
    final_inspection_and_warehouse(mill)
    order_line = order.lines.get()
    assert available_to_ship(order_line) == D("30")
    chain = lights(mill)
    assert chain["final_inspection"] == (True, Light.GREEN, 0)
    assert chain["warehouse"] == (True, Light.GREEN, 0)

    # --- a partial shipment: the order stays in execution -----------------------------
    partial = ship(mill, "18", "苏E·7Q218")
    assert mill.fresh().status == Status.IN_EXECUTION
    assert available_to_ship(order_line) == D("12")
    assert fully_shipped(mill.fresh(), staff["logistics_reviewer"]) == (
        "Not everything is shipped yet: line 1: 18 of 30 t."
    )
    chain = mill.chain()
    assert not chain["shipment"].step.done
    assert chain["shipment"].step.detail == "0 of 1 lines shipped"
    assert chain["shipment"].light is Light.AMBER  # ship on today, not done
    assert not chain["delivery"].step.done
    html = render_to_string("milestones/_chain.html", {"milestones": list(chain.values())})
    assert '<tr data-step="shipment" data-light="amber">' in html

    first_note = sign(mill, partial)  # the first load arrives and is signed
    assert first_note.state == DeliveryState.SIGNED
    assert mill.fresh().status == Status.IN_EXECUTION

    rest_shipped = ship(mill, "12", "苏E·8K331")
    assert available_to_ship(order_line) == 0
    assert fully_shipped(mill.fresh(), staff["logistics_reviewer"]) is None
    shipped = transition_order(order=mill.fresh(), name="ship", user=staff["logistics_reviewer"])
    assert shipped.status == Status.SHIPPED
    assert lights(mill)["shipment"] == (True, Light.GREEN, 0)
    assert lights(mill)["delivery"][:2] == (False, Light.GREEN)  # due T+5

    # --- the customer signs the second delivery note: delivered -----------------------
    last_note = sign(mill, rest_shipped)
    assert mill.fresh().status == Status.SHIPPED  # the sign-off files, the pipeline moves
    delivered = transition_order(order=mill.fresh(), name="deliver", user=staff["clerk"])
    assert delivered.status == Status.DELIVERED
    assert last_note.signed_document is not None
    assert last_note.signed_document.category == "delivery_list"

    # --- the ledger tells the story in order ------------------------------------------
    told = story(order, since=start)
    expected = [
        "purchasing:purchase_order_placed",
        "purchasing:expected_date_changed",
        "quality:receipt_held",
        "purchasing:goods_received",
        "quality:inspection_passed",  # incoming, first lot
        "purchasing:purchase_order_late",
        "monitoring:notice_opened",
        "quality:receipt_held",
        "purchasing:goods_received",
        "quality:inspection_passed",  # incoming, second lot
        "monitoring:condition_cleared",
        "production:production_plan_drafted",
        "production:production_plan_approved",
        "production:progress_reported",
        "quality:inspection_failed",
        "quality:nonconformance_decided",
        "quality:inspection_passed",  # in-process, after rework
        "production:work_order_finished",
        "production:work_order_finished",
        "production:production_complete",
        "quality:inspection_passed",  # final
        "warehouse:finished_goods_received",
        "shipping:shipping_notice_issued",
        "warehouse:goods_issued",
        "shipping:shipment_dispatched",
        "delivery:delivery_signed",
        "shipping:shipping_notice_issued",
        "warehouse:goods_issued",
        "shipping:shipment_dispatched",
        "ship",
        "delivery:delivery_signed",
        "deliver",
    ]
    assert told == expected

    before_execution = story(order)[: len(story(order)) - len(told)]
    assert before_execution == [
        "submit",
        "approve_intake",
        "approve_review",
        "confirm",
        "allocation.proposed",
        "allocation.edited",
        "allocation.meeting",
        "allocation.released",
        "release",
    ]

    entries = LedgerEntry.objects.filter(order=order).order_by("pk")
    received = [e.data for e in entries if e.data.get("event") == "goods_received"]
    assert [(r["quantity"], r["received_on"], r["complete"], r["late"]) for r in received] == [
        ("20.000", (today - DAY).isoformat(), False, True),
        ("12.130", today.isoformat(), True, True),
    ]
    inspections = [
        (e.data["inspection_stage"], e.data.get("rework_of"))
        for e in entries
        if e.data.get("event") in ("inspection_passed", "inspection_failed")
    ]
    assert inspections == [
        ("incoming", None),
        ("incoming", None),
        ("in_process", None),
        ("in_process", nc.number),
        ("final", None),
    ]
    (failed_entry,) = [e for e in entries if e.data.get("event") == "inspection_failed"]
    assert failed_entry.data["failed"] == ["Grammage"]
    assert failed_entry.data["nonconformance"] == nc.number
    (decided,) = [e for e in entries if e.data.get("event") == "nonconformance_decided"]
    assert (decided.data["disposition"], decided.data["closed"]) == ("rework", False)
    (reported,) = [e for e in entries if e.data.get("event") == "progress_reported"]
    assert (reported.data["good_quantity"], reported.data["scrap_quantity"]) == ("20", "0.6")
    dispatched = [e.data for e in entries if e.data.get("event") == "shipment_dispatched"]
    assert [d["lines"] for d in dispatched] == [{"1": "18.000"}, {"1": "12.000"}]
    signed = [e.data["delivery_note"] for e in entries if e.data.get("event") == "delivery_signed"]
    assert signed == [first_note.number, last_note.number]

    # --- the milestone chain agrees ---------------------------------------------------
    milestones = milestone_chain(mill.fresh(), today)
    assert [m.step.key for m in milestones] == CHAIN
    assert all(m.step.done for m in milestones)
    by_key = {m.step.key: m for m in milestones}
    lead = promised - (today - 20 * DAY)
    assert by_key["purchase"].step.planned == today - 3 * DAY - lead
    assert by_key["purchase"].step.actual == today - 20 * DAY
    assert by_key["receipt"].step.planned == today - 3 * DAY
    assert by_key["receipt"].step.actual == today
    assert {key: (m.light, m.days_late) for key, m in by_key.items()} == {
        "purchase": (Light.GREEN, 0),
        "receipt": (Light.AMBER, 3),  # the late supplier
        "incoming_inspection": (Light.AMBER, 3),  # the second lot inspected on arrival
        "production_plan": (Light.GREEN, 0),
        "production": (Light.GREEN, 0),
        "in_process_inspection": (Light.GREEN, 0),
        "final_inspection": (Light.GREEN, 0),
        "warehouse": (Light.GREEN, 0),
        "shipment": (Light.GREEN, 0),
        "delivery": (Light.GREEN, 0),
    }
    assert by_key["delivery"].step.planned == today + 5 * DAY
    assert by_key["delivery"].step.actual == today

    # The order page shows the same chain to the clerk.
    page = client_for("clerk").get(f"/orders/{order.number}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Delivered" in html
    rows = re.findall(r'<tr data-step="([a-z_]+)" data-light="([a-z]+)">', html)
    assert rows == [(key, str(by_key[key].light)) for key in CHAIN]
    assert "3 days late" in html
    assert html.count("days late") + html.count("day late") == 2


# --- the pipeline's guards on the way ---------------------------------------------------


def test_ship_is_refused_while_a_partial_shipment_left_goods_in_the_warehouse(
    mill: Mill, staff: dict[str, User]
) -> None:
    allocated_order_in_execution(mill)
    place_purchase_order(mill)
    receipt = receive_lot(mill, "32.130", mill.today, "NP-DN-1181")
    inspect_lot(mill, receipt)
    plan_production(mill)
    first_reels_fail_and_are_reworked(mill)
    rework(mill)
    finish_production(mill)
    final_inspection_and_warehouse(mill)
    ship(mill, "18", "苏E·7Q218")
    before = last_entry(mill.order)

    with pytest.raises(Blocked) as refused:
        transition_order(order=mill.fresh(), name="ship", user=staff["logistics_reviewer"])

    assert refused.value.messages == ["Not everything is shipped yet: line 1: 18 of 30 t."]
    assert mill.fresh().status == Status.IN_EXECUTION
    assert last_entry(mill.order) == before


def test_deliver_is_refused_until_the_customer_signed_every_delivery_note(
    mill: Mill, staff: dict[str, User]
) -> None:
    allocated_order_in_execution(mill)
    place_purchase_order(mill)
    receipt = receive_lot(mill, "32.130", mill.today, "NP-DN-1181")
    inspect_lot(mill, receipt)
    plan_production(mill)
    first_reels_fail_and_are_reworked(mill)
    rework(mill)
    finish_production(mill)
    final_inspection_and_warehouse(mill)
    shipment = ship(mill, "30", "苏E·7Q218")
    transition_order(order=mill.fresh(), name="ship", user=staff["logistics_reviewer"])
    note = DeliveryNote.objects.get(shipment=shipment)

    with pytest.raises(Blocked) as refused:
        transition_order(order=mill.fresh(), name="deliver", user=staff["clerk"])

    assert refused.value.messages == [
        f"Delivery notes not signed by the customer yet: {note.number}."
    ]
    assert mill.fresh().status == Status.SHIPPED
