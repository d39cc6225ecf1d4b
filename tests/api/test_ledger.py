"""The ledger over the API: read newest first, comments and communications, no edits."""

import datetime as dt

import pytest
from django.utils import timezone

from gendan.ledger.models import Kind, LedgerEntry
from gendan.orders.actions import add_comment
from tests.api.conftest import order_url

pytestmark = pytest.mark.django_db


def test_ledger_lists_entries_newest_first(api_for, users, order) -> None:
    add_comment(order=order, user=users["clerk"], text="first")
    add_comment(order=order, user=users["clerk"], text="second")
    data = api_for("clerk").get(order_url(order, "ledger/")).json()
    assert [row["summary"] for row in data["results"][:2]] == ["second", "first"]
    assert data["results"][-1]["kind"] == "created" and data["count"] == 3


@pytest.mark.parametrize(
    ("name", "code"), [("auditor", 200), ("gm", 200), ("other_clerk", 404), ("outsider", 404)]
)
def test_ledger_read_follows_order_visibility(api_for, order, name, code) -> None:
    assert api_for(name).get(order_url(order, "ledger/")).status_code == code


def test_comment_is_written_to_the_ledger(api_for, users, order) -> None:
    response = api_for("clerk").post(
        order_url(order, "comments/"), {"text": "Customer confirmed the width.\nMore."}
    )
    assert response.status_code == 201, response.json()
    entry = LedgerEntry.objects.get(pk=response.json()["id"])
    assert entry.kind == Kind.COMMENT and entry.actor == users["clerk"]
    assert entry.summary == "Customer confirmed the width."
    assert response.json()["actor"]["username"] == "clerk"


def test_blank_comment_is_refused(api_for, order) -> None:
    response = api_for("clerk").post(order_url(order, "comments/"), {"text": " "}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert not order.ledger.filter(kind=Kind.COMMENT).exists()


def test_communication_is_recorded_with_channel_and_counterpart(api_for, order) -> None:
    when = timezone.now() - dt.timedelta(hours=2)
    payload = {
        "channel": "call",
        "counterpart": "Ms Wang, purchasing",
        "summary": "Asked to move delivery by a week",
        "body": "Will confirm in writing.",
        "occurred_at": when.isoformat(),
    }
    response = api_for("clerk").post(order_url(order, "communications/"), payload, format="json")
    assert response.status_code == 201, response.json()
    entry = LedgerEntry.objects.get(pk=response.json()["id"])
    assert entry.kind == Kind.COMMUNICATION and entry.channel == "call"
    assert entry.counterpart == "Ms Wang, purchasing"
    assert dt.datetime.fromisoformat(entry.data["occurred_at"]) == when


def test_communication_in_the_future_is_refused(api_for, order) -> None:
    payload = {
        "channel": "email",
        "counterpart": "x",
        "summary": "y",
        "occurred_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
    }
    response = api_for("clerk").post(order_url(order, "communications/"), payload, format="json")
    assert response.status_code == 400 and "occurred_at" in response.json()


@pytest.mark.parametrize("path", ["comments/", "communications/"])
def test_auditor_cannot_write_to_the_ledger(api_for, order, path) -> None:
    response = api_for("auditor").post(order_url(order, path), {"text": "x"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["other_clerk", "outsider"])
def test_invisible_order_ledger_cannot_be_written(api_for, order, name) -> None:
    response = api_for(name).post(order_url(order, "comments/"), {"text": "x"}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_ledger_has_no_update_or_delete(api_for, order, method) -> None:
    response = getattr(api_for("gm"), method)(order_url(order, "ledger/"), {}, format="json")
    assert response.status_code == 405
