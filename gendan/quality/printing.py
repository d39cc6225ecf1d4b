"""The printed forms of quality: 质量检验报告 (inspection report) and 不合格品处理单
(nonconformance handling form). The page and the PDF include the same partial, so a printed
form shows what the page shows."""

from typing import Any

from django.utils import translation

from gendan.documents.pdf import render_pdf
from gendan.documents.titles import is_chinese
from gendan.quality.models import Inspection, Nonconformance

TITLES = {
    "inspection_report": ("质量检验报告", "Inspection report"),
    "nonconformance_form": ("不合格品处理单", "Nonconformance handling form"),
}


def title(code: str, language: str | None = None) -> str:
    zh, en = TITLES[code]
    return zh if is_chinese(language) else en


def inspection_context(inspection: Inspection, language: str | None = None) -> dict[str, Any]:
    return {
        "order": inspection.order,
        "inspection": inspection,
        "measurements": list(inspection.measurements.all()),
        "nc": getattr(inspection, "nonconformance", None),
        "form_title": title("inspection_report", language),
    }


def nonconformance_context(nc: Nonconformance, language: str | None = None) -> dict[str, Any]:
    inspection = nc.inspection
    return {
        "order": nc.order,
        "nc": nc,
        "inspection": inspection,
        "measurements": list(inspection.measurements.all()),
        "reinspections": list(nc.reinspections.select_related("inspected_by")),
        "form_title": title("nonconformance_form", language),
    }


def inspection_pdf(inspection: Inspection, *, language: str) -> bytes:
    with translation.override(language):
        context = inspection_context(inspection, language)
    return render_pdf("quality/print/inspection.html", context, language=language)


def nonconformance_pdf(nc: Nonconformance, *, language: str) -> bytes:
    with translation.override(language):
        context = nonconformance_context(nc, language)
    return render_pdf("quality/print/nonconformance.html", context, language=language)
