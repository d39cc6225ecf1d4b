"""The contract and allocation pages render at every step and refuse those who may not act."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gendan.contracts.models import Contract, ContractTemplate
from tests.contracts.helpers import at_contract

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def test_contract_pages_follow_the_contract_through_its_steps(in_review, staff) -> None:
    order = at_contract(in_review, staff)
    page = f"/contracts/order/{order.number}/"
    clerk, legal = client(staff["clerk"]), client(staff["legal_reviewer"])
    assert b"Draft from the template" in clerk.get(page).content
    template = ContractTemplate.objects.get(language="zh-hans")
    assert clerk.post(f"{page}draft/", {"template": template.pk}).status_code == 302
    assert b"Send to legal review" in clerk.get(page).content
    assert clerk.post(f"{page}submit/").status_code == 302
    assert b"Legal review decision" in legal.get(page).content
    assert b"Legal review decision" not in clerk.get(page).content
    assert clerk.post(f"{page}decide/", {"decision": "approve"}).status_code == 403
    refused = legal.post(f"{page}decide/", {"decision": "changes", "comment": ""})
    assert refused.status_code == 400 and b"Say what must change" in refused.content
    assert legal.post(f"{page}decide/", {"decision": "approve"}).status_code == 302
    scan = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n", "application/pdf")
    assert clerk.post(f"{page}signed/", {"file": scan}).status_code == 302
    assert Contract.objects.get(order=order).state == "signed"
    pdf = clerk.get(f"{page}print.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client(staff["outsider"]).get(page).status_code == 404
    allocation = client(staff["auditor"]).get(f"{page}allocation/")
    assert allocation.status_code == 200 and b"Propose the allocation" not in allocation.content
