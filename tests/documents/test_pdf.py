"""Printable forms (K2): each renders Chinese (CJK font embedded) or English with the order
number, from the same partial the page shows."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from gendan.contracts.actions import (
    decide_legal_review,
    draft_contract,
    propose_allocation,
    submit_for_legal_review,
    upload_signed_contract,
)
from gendan.contracts.models import ContractTemplate
from gendan.contracts.printing import allocation_pdf, confirmation_pdf, contract_pdf
from gendan.documents.pdf import render_pdf
from gendan.orders.actions import transition_order
from gendan.reviews.actions import file_report, schedule_meeting
from gendan.reviews.printing import minutes_pdf, report_pdf
from tests.contracts.helpers import at_contract
from tests.factories import department_reviewer
from tests.reviews.conftest import FILER, REVIEWING, attendees_for, report, review_of

pytestmark = pytest.mark.django_db

REPORT_TITLES = {
    "technical": ("技术评审报告", "Technical review report"),
    "production": ("生产评审报告", "Production review report"),
    "quality": ("质量评审报告", "Quality review report"),
    "procurement": ("采购评审报告", "Procurement review report"),
    "finance": ("财务评审报告", "Finance review report"),
}


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_department_reports_print_their_own_title(in_review, staff) -> None:
    for code in REVIEWING:
        review = file_report(
            review=review_of(in_review, code), user=staff[FILER[code]], **report(code)
        )
        chinese, english = REPORT_TITLES[code]
        zh = text_of(report_pdf(review, language="zh-hans"))
        assert chinese in zh and in_review.number in zh
        en = text_of(report_pdf(review, language="en"))
        assert english in en and chinese not in en


def test_minutes_print_in_chinese_with_the_agenda(in_review, staff) -> None:
    file_report(
        review=review_of(in_review, "quality"),
        user=staff["quality_reviewer"],
        **report("quality", conclusion="conditions", conditions="抽检频次加倍"),
    )
    meeting = schedule_meeting(
        order=in_review,
        user=staff["sales_head"],
        held_at=timezone.now(),
        place="二号会议室",
        attendees=attendees_for(staff),
    )
    text = text_of(minutes_pdf(meeting, language="zh-hans"))
    assert "订单评审会议纪要" in text and in_review.number in text
    assert "二号会议室" in text and "抽检频次加倍" in text


def test_contract_confirmation_and_allocation_print(in_review, staff) -> None:
    order = at_contract(in_review, staff)
    chinese = ContractTemplate.objects.get(language="zh-hans")
    contract = draft_contract(order=order, user=staff["clerk"], template=chinese)
    text = text_of(contract_pdf(contract, None, language="zh-hans"))
    assert "销售合同" in text and "违约责任" in text and order.number in text
    submit_for_legal_review(contract=contract, user=staff["clerk"])
    decide_legal_review(contract=contract, user=department_reviewer("legal"), approve=True)
    upload_signed_contract(
        contract=contract,
        user=staff["clerk"],
        file=SimpleUploadedFile("s.pdf", b"%PDF-1.4\n", "application/pdf"),
    )
    order = transition_order(order=order, name="confirm", user=staff["clerk"])
    text = text_of(confirmation_pdf(order, number="QR-1", language="zh-hans"))
    assert "订单确认书" in text and order.number in text
    allocation = propose_allocation(order=order, user=staff["clerk"])
    text = text_of(allocation_pdf(allocation, language="zh-hans"))
    assert "订单分配表" in text and order.number in text
    assert "Order allocation sheet" in text_of(allocation_pdf(allocation, language="en"))


def test_printing_fetches_nothing_from_outside(settings, tmp_path) -> None:
    (tmp_path / "remote.html").write_text(
        '<html><body><img src="http://192.0.2.1/logo.png"><p>offline</p></body></html>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    assert "offline" in text_of(render_pdf("remote.html", {}))
