"""The pipeline over the API: exactly the steps the table offers, performed through the action."""

import pytest
from django.utils import translation

from gendan.accounts.models import Department
from gendan.ledger.models import Kind
from gendan.orders.actions import route_order, transition_order
from gendan.orders.pipeline import available_transitions
from gendan.orders.status import Status
from tests.api.conftest import order_url

pytestmark = pytest.mark.django_db
KEYS = ("name", "label", "target", "needs_reason", "enabled", "blockers")


def _expected(order, user) -> list[dict]:
    with translation.override("en"):
        return [
            {
                "name": a.transition.name,
                "label": str(a.transition.label),
                "target": str(a.transition.target or order.held_from or "") or None,
                "needs_reason": a.transition.needs_reason,
                "enabled": a.enabled,
                "blockers": a.blockers,
            }
            for a in available_transitions(order, user)
        ]


def _listed(client, order) -> list[dict]:
    response = client.get(order_url(order, "transitions/"))
    assert response.status_code == 200
    return [{k: row[k] for k in KEYS} for row in response.json()]


ACTORS = {"submit": "clerk", "hold": "sales_head", "approve_intake": "sales_head"}


@pytest.mark.parametrize(
    "name", ["clerk", "sales_head", "gm", "admin", "auditor", "production_head"]
)
@pytest.mark.parametrize(
    "steps", [[], ["submit"], ["submit", "hold"], ["submit", "approve_intake"]]
)
def test_listed_transitions_equal_the_pipelines_answer(api_for, users, order, name, steps):
    for step in steps:
        order = transition_order(order=order, name=step, user=users[ACTORS[step]], reason="r")
    route_order(order, Department.objects.get(code="production"))
    expected = _expected(order, users[name])
    assert _listed(api_for(name), order) == expected
    if name in ("auditor",):
        assert expected == []
    if name == "sales_head":
        assert expected  # the comparison above is not between two empty lists


def test_blocked_step_is_listed_disabled_with_the_guards_message(api_for, users) -> None:
    from tests.factories import make_order

    order = make_order(user=users["clerk"], lines=1)
    order.lines.all().delete()
    listed = api_for("clerk").get(order_url(order, "transitions/")).json()
    assert listed[0]["name"] == "submit" and listed[0]["enabled"] is False
    assert listed[0]["blockers"] == ["Add at least one order line."]


def test_transitions_of_an_invisible_order_are_404(api_for, order) -> None:
    assert api_for("other_clerk").get(order_url(order, "transitions/")).status_code == 404
    assert api_for("outsider").get(order_url(order, "transitions/")).status_code == 404


def test_performed_transition_moves_the_order_and_writes_one_ledger_entry(api_for, order):
    before = order.ledger.filter(kind=Kind.TRANSITION).count()
    response = api_for("clerk").post(
        order_url(order, "transitions/submit/"), {"version": 1}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "intake_review" and response.json()["version"] == 2
    order.refresh_from_db()
    assert order.status == Status.INTAKE_REVIEW
    transitions = order.ledger.filter(kind=Kind.TRANSITION)
    assert transitions.count() == before + 1
    assert transitions.first().data == {
        "transition": "submit",
        "from": "draft",
        "to": "intake_review",
    }
    assert response["ETag"] == order.etag


def test_step_needing_a_reason_without_one_is_refused_field_level(api_for, order) -> None:
    response = api_for("sales_head").post(
        order_url(order, "transitions/cancel/"), {"reason": "  "}, format="json"
    )
    assert response.status_code == 409 and "reason" in response.json()
    order.refresh_from_db()
    assert order.status == Status.DRAFT


def test_cancel_with_reason_records_it(api_for, order) -> None:
    response = api_for("sales_head").post(
        order_url(order, "transitions/cancel/"), {"reason": "customer withdrew"}, format="json"
    )
    assert response.status_code == 200
    assert order.ledger.first().body == "customer withdrew"


def test_step_not_allowed_for_the_role_is_403(api_for, users, order) -> None:
    transition_order(order=order, name="submit", user=users["clerk"])
    response = api_for("clerk").post(
        order_url(order, "transitions/approve_intake/"), {}, format="json"
    )
    assert response.status_code == 403


def test_step_from_the_wrong_status_is_409(api_for, order) -> None:
    response = api_for("gm").post(order_url(order, "transitions/close/"), {}, format="json")
    assert response.status_code == 409


def test_unknown_step_is_404_with_the_list_of_steps(api_for, order) -> None:
    response = api_for("clerk").post(order_url(order, "transitions/teleport/"), {}, format="json")
    assert response.status_code == 404 and "submit" in response.json()["detail"]


def test_stale_version_is_409_and_stale_if_match_412(api_for, users, order) -> None:
    client = api_for("clerk")
    etag = client.get(order_url(order))["ETag"]
    transition_order(order=order, name="submit", user=users["clerk"])
    transition_order(order=order, name="return_to_draft", user=users["clerk"], reason="r")
    url = order_url(order, "transitions/submit/")
    assert client.post(url, {"version": 1}, format="json").status_code == 409
    assert client.post(url, {}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    order.refresh_from_db()
    assert order.status == Status.DRAFT


def test_auditor_cannot_perform_steps(api_for, order) -> None:
    response = api_for("auditor").post(order_url(order, "transitions/submit/"), {}, format="json")
    assert response.status_code == 403
