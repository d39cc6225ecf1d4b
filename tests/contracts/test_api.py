"""The contract, confirmation, allocation and document API: same rules as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.contracts.helpers import at_contract

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_contract_to_allocation_through_the_api(in_review, staff) -> None:
    order = at_contract(in_review, staff)
    base = f"{API}/orders/{order.number}"
    clerk, legal = api(staff["clerk"]), api(staff["legal_reviewer"])
    assert clerk.get(f"{base}/contract/").status_code == 404
    assert (
        api(staff["technical_reviewer"]).post(f"{base}/contract/", {}, format="json").status_code
        == 403
    )
    assert clerk.post(f"{base}/contract/", {}, format="json").status_code == 201
    bad = clerk.post(
        f"{base}/contract/revise/", {"clauses": {"price": ""}, "note": "x"}, format="json"
    )
    assert bad.status_code == 409 and "clauses.price" in bad.json()
    assert (
        clerk.post(f"{base}/contract/revise/", {"clauses": "nope"}, format="json").status_code
        == 400
    )
    assert clerk.post(f"{base}/contract/submit/", format="json").status_code == 200
    assert (
        clerk.post(f"{base}/contract/decision/", {"approve": True}, format="json").status_code
        == 403
    )
    assert (
        legal.post(f"{base}/contract/decision/", {"approve": "perhaps"}, format="json").status_code
        == 400
    )
    assert (
        legal.post(f"{base}/contract/decision/", {"approve": True}, format="json").status_code
        == 200
    )
    missing = clerk.post(f"{base}/contract/signed-copy/", {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n", "application/pdf")
    signed = clerk.post(f"{base}/contract/signed-copy/", {"file": scan}, format="multipart")
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    assert clerk.post(f"{base}/transitions/confirm/", {}, format="json").status_code == 200
    confirmation = clerk.post(f"{base}/confirmations/", {"language": "en"}, format="json")
    assert confirmation.status_code == 201 and confirmation.json()["number"] == f"QR-{order.number}"
    assert clerk.post(f"{base}/allocation/", format="json").status_code == 201
    bad_lines = clerk.put(
        f"{base}/allocation/", {"lines": [{"kind": "x", "department": "nowhere"}]}, format="json"
    )
    assert bad_lines.status_code == 400
    assert clerk.post(f"{base}/allocation/release/", format="json").status_code == 409
    meeting = {
        "held_at": "2026-11-24T09:00:00+08:00",
        "place": "Office",
        "attendees": [staff["production_head"].pk],
        "notes": "Agreed.",
    }
    assert clerk.post(f"{base}/allocation/meeting/", meeting, format="json").status_code == 200
    released = clerk.post(f"{base}/allocation/release/", format="json")
    assert released.status_code == 200 and all(line["task"] for line in released.json()["lines"])
    documents = api(staff["auditor"]).get(f"{base}/documents/").json()
    assert {"contract", "confirmation", "minutes", "form"} <= {d["category"] for d in documents}
    assert api(staff["outsider"]).get(f"{base}/documents/").status_code == 404
    assert (
        api(staff["auditor"]).post(f"{base}/documents/", {}, format="multipart").status_code == 403
    )
