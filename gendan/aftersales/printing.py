"""The printable 售后服务记录 (after-sales service record, K2): one context used by the case
page's record partial and by the PDF, in Chinese or English."""

from typing import Any

from django.utils import translation

from gendan.aftersales.models import ServiceCase
from gendan.documents.pdf import render_pdf
from gendan.documents.titles import is_chinese

#: The form's official name (seed 003 §七(三)), kept as a proper name like the other forms'.
FORM_TITLE = ("售后服务记录", "After-sales service record")


def form_title(language: str | None = None) -> str:
    return FORM_TITLE[0] if is_chinese(language) else FORM_TITLE[1]


def record_context(case: ServiceCase, language: str | None = None) -> dict[str, Any]:
    return {
        "order": case.order,
        "case": case,
        "form_title": form_title(language),
        "meetings": list(
            case.meetings.prefetch_related("attendees", "departments").select_related("recorded_by")
        ),
        "visits": list(case.return_visits.select_related("visited_by")),
    }


def record_pdf(case: ServiceCase, *, language: str) -> bytes:
    with translation.override(language):
        context = record_context(case, language)
    return render_pdf("aftersales/print/record.html", context, language=language)
