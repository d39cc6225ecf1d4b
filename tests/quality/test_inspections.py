"""Inspections: values against tolerances (boundaries included), nonconformances, disposition,
rework re-inspection, the finish guard and the ledger."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.production.actions import report_progress
from gendan.production.models import WorkOrderStatus
from gendan.purchasing.actions import create_purchase_orders, issue_material, receive
from gendan.purchasing.models import MaterialReservation
from gendan.quality.actions import (
    decide_nonconformance,
    inspect_final,
    inspect_progress,
    inspect_receipt,
    reinspect_rework,
)
from gendan.quality.models import Disposition, NCStatus, Result, Stage
from gendan.quality.selectors import line_quality, open_nonconformances
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier
from tests.quality.helpers import good_values, standard

pytestmark = pytest.mark.django_db
D = Decimal


def _report(released, good="10", scrap="0", finished=False):
    return report_progress(
        work_order=released["paper"],
        user=released["leader"],
        good_quantity=good,
        scrap_quantity=scrap,
        hours="2",
        finished=finished,
        delay_cause="process" if finished else "",
        note="late start" if finished else "",
    )


def _ip_values(released, grammage="120", moisture="7.5"):
    s = released["standards"]
    return {s["ip_grammage"].pk: grammage, s["ip_moisture"].pk: moisture}


@pytest.mark.parametrize(
    ("grammage", "passed"),
    [
        ("115.2", True),  # lower limit 120 - 4.8 passes
        ("124.8", True),  # upper limit passes
        ("115.1999", False),
        ("124.8001", False),
        ("120", True),
    ],
)
def test_values_pass_on_and_within_the_limits_and_fail_outside(
    staff, released, grammage, passed
) -> None:
    report = _report(released)
    inspection = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, grammage=grammage),
    )
    assert inspection.passed is passed
    grammage_row = inspection.measurements.get(characteristic="Grammage")
    assert grammage_row.passed is passed
    assert (grammage_row.lower_limit, grammage_row.upper_limit) == (D("115.2"), D("124.8"))
    assert hasattr(inspection, "nonconformance") is (not passed)


def test_a_one_sided_tolerance_has_no_upper_limit(staff, released) -> None:
    burst = released["standards"]["burst"]
    assert burst.accepts(D("2.0")) and burst.accepts(D("9.9")) and not burst.accepts(D("1.99"))
    assert burst.limits_display == "≥ 2 kPa·m²/g"


def test_failed_inspection_quarantines_and_writes_the_ledger(staff, released) -> None:
    report = _report(released, good="10", scrap="1.5")
    inspection = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, moisture="9.4"),
        quarantine_quantity="6",
    )
    assert inspection.result == Result.FAILED
    nc = inspection.nonconformance
    assert (nc.quantity, nc.status) == (D("6"), NCStatus.OPEN)
    assert "Moisture" in nc.description
    entry = LedgerEntry.objects.get(order=released["order"], data__event="inspection_failed")
    assert entry.data["step"] == "quality"
    assert entry.data["inspection"] == inspection.pk
    assert entry.data["nonconformance"] == nc.number
    assert list(open_nonconformances()) == [nc]
    assert open_nonconformances()[0].order == released["order"]


def test_every_value_is_required(staff, released) -> None:
    report = _report(released)
    s = released["standards"]
    with pytest.raises(Blocked) as refused:
        inspect_progress(
            progress_report=report,
            user=staff["quality_reviewer"],
            values={s["ip_grammage"].pk: "120", s["ip_moisture"].pk: "wet"},
        )
    assert f"value_{s['ip_moisture'].pk}" in refused.value.fields
    assert not report.inspections.exists()


def test_quarantine_cannot_exceed_the_lot(staff, released) -> None:
    report = _report(released, good="10")
    with pytest.raises(Blocked) as refused:
        inspect_progress(
            progress_report=report,
            user=staff["quality_reviewer"],
            values=_ip_values(released, grammage="100"),
            quarantine_quantity="11",
        )
    assert "quarantine_quantity" in refused.value.fields


def test_only_quality_inspects(staff, released) -> None:
    report = _report(released)
    for name in ("clerk", "production_head", "auditor", "logistics_reviewer"):
        with pytest.raises(NotPermitted):
            inspect_progress(progress_report=report, user=staff[name], values=_ip_values(released))


def test_open_nonconformance_keeps_the_work_order_from_finishing(staff, released) -> None:
    report = _report(released)
    inspection = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, grammage="100"),
    )
    with pytest.raises(Blocked) as refused:
        _report(released, good="20", finished=True)
    assert inspection.nonconformance.number in str(refused.value)
    released["paper"].refresh_from_db()
    assert released["paper"].status == WorkOrderStatus.IN_PROGRESS

    decide_nonconformance(
        nonconformance=inspection.nonconformance,
        user=staff["quality_reviewer"],
        disposition=Disposition.SCRAP,
        cause="Press felt worn",
        corrective_action="Felt changed",
    )
    _report(released, good="20", finished=True)
    released["paper"].refresh_from_db()
    assert released["paper"].status == WorkOrderStatus.DONE


def test_concession_only_by_the_quality_head(staff, released) -> None:
    report = _report(released)
    nc = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, moisture="9.1"),
    ).nonconformance
    for name in ("quality_reviewer", "gm", "production_head"):
        with pytest.raises(NotPermitted):
            decide_nonconformance(
                nonconformance=nc,
                user=staff[name],
                disposition=Disposition.CONCESSION,
                cause="Dryer steam low",
                corrective_action="Steam valve checked",
            )
    nc.refresh_from_db()
    assert nc.status == NCStatus.OPEN
    decide_nonconformance(
        nonconformance=nc,
        user=staff["quality_head"],
        disposition=Disposition.CONCESSION,
        cause="Dryer steam low",
        corrective_action="Steam valve checked",
    )
    nc.refresh_from_db()
    assert (nc.status, nc.disposition, nc.decided_by) == (
        NCStatus.CLOSED,
        Disposition.CONCESSION,
        staff["quality_head"],
    )
    assert nc.inspection.released_quantity == D("10")


def test_disposition_needs_cause_and_corrective_action(staff, released) -> None:
    report = _report(released)
    nc = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, moisture="9.1"),
    ).nonconformance
    with pytest.raises(Blocked) as refused:
        decide_nonconformance(
            nonconformance=nc,
            user=staff["quality_reviewer"],
            disposition=Disposition.REWORK,
            cause=" ",
            corrective_action="",
        )
    assert set(refused.value.fields) == {"cause", "corrective_action"}


def test_rework_is_inspected_again_and_a_pass_closes_it(staff, released) -> None:
    report = _report(released)
    nc = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, moisture="9.4"),
    ).nonconformance
    with pytest.raises(Blocked):
        reinspect_rework(
            nonconformance=nc, user=staff["quality_reviewer"], values=_ip_values(released)
        )
    decide_nonconformance(
        nonconformance=nc,
        user=staff["quality_reviewer"],
        disposition=Disposition.REWORK,
        cause="Moisture high",
        corrective_action="Re-dry the reels",
    )
    nc.refresh_from_db()
    assert nc.status == NCStatus.REWORK
    assert open_nonconformances().filter(pk=nc.pk).exists()  # still not closed
    again = reinspect_rework(
        nonconformance=nc, user=staff["quality_reviewer"], values=_ip_values(released)
    )
    nc.refresh_from_db()
    assert again.passed and again.rework_of == nc and again.quantity == D("10")
    assert nc.status == NCStatus.CLOSED
    assert not open_nonconformances().exists()


def test_rework_that_fails_again_opens_a_new_nonconformance(staff, released) -> None:
    report = _report(released)
    nc = inspect_progress(
        progress_report=report,
        user=staff["quality_reviewer"],
        values=_ip_values(released, moisture="9.4"),
    ).nonconformance
    decide_nonconformance(
        nonconformance=nc,
        user=staff["quality_reviewer"],
        disposition=Disposition.REWORK,
        cause="Moisture high",
        corrective_action="Re-dry",
    )
    again = reinspect_rework(
        nonconformance=nc,
        user=staff["quality_reviewer"],
        values=_ip_values(released, moisture="9.2"),
    )
    assert not again.passed
    assert list(open_nonconformances()) == [again.nonconformance]


def _finish_both(released, staff):
    _report(released, good="30", finished=True)
    return report_progress(
        work_order=released["winding"],
        user=released["leader"],
        good_quantity="30",
        hours="3",
        finished=True,
        delay_cause="process",
        note="waited for paper",
    )


def test_final_inspection_only_on_the_last_operation_and_what_was_made(staff, released) -> None:
    values = good_values(released["standards"], Stage.FINAL)
    with pytest.raises(Blocked):
        inspect_final(work_order=released["paper"], user=staff["quality_reviewer"], values=values)
    with pytest.raises(Blocked):  # nothing wound yet
        inspect_final(work_order=released["winding"], user=staff["quality_reviewer"], values=values)
    _finish_both(released, staff)
    with pytest.raises(Blocked) as refused:
        inspect_final(
            work_order=released["winding"],
            user=staff["quality_reviewer"],
            values=values,
            quantity="31",
        )
    assert "quantity" in refused.value.fields
    first = inspect_final(
        work_order=released["winding"],
        user=staff["quality_reviewer"],
        values=values,
        quantity="20",
    )
    rest = inspect_final(
        work_order=released["winding"], user=staff["quality_reviewer"], values=values
    )
    assert (first.quantity, rest.quantity) == (D("20"), D("10"))
    quality = line_quality(released["line"])
    assert (quality.awaiting_inspection, quality.released) == (D("0"), D("30"))


# --- incoming inspection ---------------------------------------------------------------------


@pytest.fixture
def pulp_line(staff):
    product = paper_product("KL200")
    pulp = material("PULP")
    bom(product, pulp, "1")
    price(supplier("PM", lead=3), pulp, "4800")
    order = order_for(staff["clerk"], product, quantity="30")
    po = create_purchase_orders(
        order=order, user=staff["buyer"], today=timezone.localdate() - dt.timedelta(days=20)
    )[0]
    return po.lines.get()


def test_material_without_incoming_standard_goes_straight_to_stock(staff, pulp_line) -> None:
    receive(line=pulp_line, user=staff["buyer"], quantity="12")
    pulp_line.material.refresh_from_db()
    assert pulp_line.material.stock_on_hand == D("12")


def test_material_with_incoming_standard_is_held_until_it_passes(staff, pulp_line) -> None:
    pulp = pulp_line.material
    brightness = standard(pulp, Stage.INCOMING, "Brightness", "88", "1.5", "1.5", "%ISO")
    receipt = receive(line=pulp_line, user=staff["buyer"], quantity="12")
    pulp.refresh_from_db()
    assert pulp.stock_on_hand == D("0")
    with pytest.raises(Blocked):
        issue_material(
            order=pulp_line.purchase_order.order,
            material=pulp,
            user=staff["logistics_reviewer"],
            quantity="1",
        )
    inspection = inspect_receipt(
        receipt=receipt, user=staff["quality_reviewer"], values={brightness.pk: "88.4"}
    )
    assert inspection.passed
    pulp.refresh_from_db()
    assert pulp.stock_on_hand == D("12")
    reservation = MaterialReservation.objects.get(material=pulp)
    assert reservation.quantity == D("12")  # reserved for the order it was bought for
    with pytest.raises(Blocked):
        inspect_receipt(
            receipt=receipt, user=staff["quality_reviewer"], values={brightness.pk: "88"}
        )


def test_nonconforming_material_does_not_become_usable_stock(staff, pulp_line) -> None:
    pulp = pulp_line.material
    brightness = standard(pulp, Stage.INCOMING, "Brightness", "88", "1.5", "1.5", "%ISO")
    receipt = receive(line=pulp_line, user=staff["buyer"], quantity="12")
    inspection = inspect_receipt(
        receipt=receipt,
        user=staff["quality_reviewer"],
        values={brightness.pk: "85"},
        quarantine_quantity="4",
    )
    pulp.refresh_from_db()
    assert pulp.stock_on_hand == D("8")  # 4 t quarantined stay out
    decide_nonconformance(
        nonconformance=inspection.nonconformance,
        user=staff["quality_head"],
        disposition=Disposition.CONCESSION,
        cause="Supplier bleaching",
        corrective_action="Supplier informed",
    )
    pulp.refresh_from_db()
    assert pulp.stock_on_hand == D("12")
