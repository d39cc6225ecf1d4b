"""The printed forms (PDF, CJK font): 发货通知单, 送货单 and 合格证 carry their Chinese title and
the order number, and show what their page shows."""

import io

import pytest
from pypdf import PdfReader

from gendan.shipping.printing import certificate_pdf, delivery_note_pdf, notice_pdf
from tests.shipping.helpers import dispatch, goods_in_stock, notice

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def shipment(world):
    goods_in_stock(world)
    return dispatch(world, notice(world, {1: "12.5"}, consignee="王经理"))


def test_the_shipping_notice_prints_in_chinese_and_english(world, shipment) -> None:
    zh = text_of(notice_pdf(shipment.notice, language="zh-hans"))
    assert "发货通知单" in zh and world.order.number in zh and shipment.notice.number in zh
    assert "12.5" in zh and "王经理" in zh
    en = text_of(notice_pdf(shipment.notice, language="en"))
    assert "Shipping notice" in en and world.order.number in en and "发货通知单" not in en


def test_the_delivery_note_prints_with_the_shipment(world, shipment) -> None:
    note = shipment.delivery_note
    zh = text_of(delivery_note_pdf(note, language="zh-hans"))
    assert "送货单" in zh and world.order.number in zh and note.number in zh
    assert "苏E·12345" in zh and "KF-778812" in zh
    en = text_of(delivery_note_pdf(note, language="en"))
    assert "Delivery note" in en and "送货单" not in en


def test_the_certificate_of_conformity_prints(world, shipment) -> None:
    from gendan.quality.models import Inspection

    zh = text_of(certificate_pdf(shipment, language="zh-hans"))
    assert "合格证" in zh and world.order.number in zh and shipment.number in zh
    assert "CM120" in zh
    assert Inspection.objects.get().number in zh  # the final inspection behind the goods
    en = text_of(certificate_pdf(shipment, language="en"))
    assert "Certificate of conformity" in en


def test_a_printed_form_matches_its_page(world, shipment, client_for) -> None:
    """The page includes the partial the PDF prints: the same rows, the same numbers."""
    page = client_for("logistics_reviewer").get(shipment.notice.get_absolute_url()).content
    page = page.decode()
    printed = text_of(notice_pdf(shipment.notice, language="zh-hans"))
    for value in (shipment.notice.number, world.order.number, "12.5", "王经理"):
        assert value in page and value in printed


def test_the_print_addresses_answer_pdf(world, shipment, client_for) -> None:
    client = client_for("clerk")
    for url in (
        f"/shipping/notices/{shipment.notice.number}/print.pdf",
        f"/shipping/shipments/{shipment.number}/certificate.pdf",
        f"/shipping/shipments/{shipment.number}/delivery-note.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert world.order.number in text_of(response.content)
    assert client_for("other_clerk").get(url).status_code == 404
