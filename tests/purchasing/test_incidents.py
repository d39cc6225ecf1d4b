"""Supplier incidents: logged with their handling, escalated to the procurement head."""

import pytest

from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import LedgerEntry
from gendan.purchasing.actions import (
    create_purchase_orders,
    escalate_incident,
    handle_incident,
    report_supplier_incident,
)
from gendan.purchasing.models import IncidentKind, IncidentStatus, SupplierIncident
from gendan.tasks.models import Task, TaskState
from tests.purchasing.helpers import bom, material, order_for, paper_product, price, supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def po(staff):
    product = paper_product()
    pulp = material("PULP")
    bom(product, pulp, "1")
    price(supplier("PM", lead=30), pulp, "4800")
    order = order_for(staff["clerk"], product)
    return create_purchase_orders(order=order, user=staff["buyer"])[0]


def _report(po, user, kind=IncidentKind.DELAY):
    return report_supplier_incident(
        supplier=po.supplier,
        user=user,
        kind=kind,
        description="Pulp shipment held at Ningbo port for customs",
        purchase_order=po,
    )


def test_incident_on_a_purchase_order_goes_to_the_order_ledger(staff, po) -> None:
    incident = _report(po, staff["buyer"])
    assert incident.order == po.order
    assert incident.status == IncidentStatus.OPEN
    entry = LedgerEntry.objects.get(order=po.order, data__event="supplier_incident")
    assert "Ningbo" in entry.body


def test_quality_may_report_a_quality_problem(staff, po) -> None:
    incident = _report(po, staff["quality_reviewer"], kind=IncidentKind.QUALITY)
    assert incident.kind == IncidentKind.QUALITY


def test_incident_needs_kind_and_description(staff, po) -> None:
    with pytest.raises(Blocked) as refused:
        report_supplier_incident(
            supplier=po.supplier,
            user=staff["buyer"],
            kind="gossip",
            description=" ",
            purchase_order=po,
        )
    assert set(refused.value.fields) == {"kind", "description"}


def test_incident_purchase_order_must_be_with_that_supplier(staff, po) -> None:
    with pytest.raises(Blocked) as refused:
        report_supplier_incident(
            supplier=supplier("OTHER"),
            user=staff["buyer"],
            kind=IncidentKind.DELAY,
            description="x",
            purchase_order=po,
        )
    assert "purchase_order" in refused.value.fields


@pytest.mark.parametrize("name", ["clerk", "auditor", "outsider"])
def test_only_procurement_warehouse_quality_report_incidents(staff, po, name) -> None:
    with pytest.raises(NotPermitted):
        _report(po, staff[name])


def test_handling_is_appended_and_resolving_closes(staff, po) -> None:
    incident = _report(po, staff["buyer"])
    incident = handle_incident(
        incident=incident, user=staff["buyer"], handling="Asked the forwarder for the new ETA"
    )
    assert incident.status == IncidentStatus.OPEN
    incident = handle_incident(
        incident=incident,
        user=staff["buyer"],
        handling="Released by customs, arriving Friday",
        resolve=True,
    )
    assert incident.status == IncidentStatus.RESOLVED
    assert incident.resolved_by == staff["buyer"]
    assert "forwarder" in incident.handling and "customs" in incident.handling
    with pytest.raises(Blocked):
        handle_incident(incident=incident, user=staff["buyer"], handling="more")
    events = LedgerEntry.objects.filter(order=po.order).values_list("data__event", flat=True)
    assert "supplier_incident_resolved" in events


def test_escalation_opens_a_task_for_the_procurement_head(staff, po) -> None:
    incident = _report(po, staff["buyer"])
    incident = escalate_incident(
        incident=incident, user=staff["buyer"], note="Second supplier needed"
    )
    assert incident.status == IncidentStatus.ESCALATED
    task = Task.objects.get(pk=incident.escalation_task_id)
    assert task.assignee == staff["procurement_head"]
    assert task.department.code == "procurement"
    assert task.state == TaskState.OPEN
    assert task.order == po.order
    entry = LedgerEntry.objects.get(data__event="supplier_incident_escalated")
    assert entry.actor == staff["buyer"]
    with pytest.raises(Blocked):
        escalate_incident(incident=incident, user=staff["buyer"])


def test_incidents_without_an_order_are_procurements_business(staff, po) -> None:
    incident = report_supplier_incident(
        supplier=po.supplier,
        user=staff["buyer"],
        kind=IncidentKind.OTHER,
        description="Price increase announced for Q3",
    )
    assert SupplierIncident.objects.for_user(staff["buyer"]).filter(pk=incident.pk).exists()
    assert not SupplierIncident.objects.for_user(staff["clerk"]).filter(pk=incident.pk).exists()
    assert SupplierIncident.objects.for_user(staff["gm"]).filter(pk=incident.pk).exists()
