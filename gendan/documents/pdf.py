"""Printable forms: an HTML template rendered to PDF with WeasyPrint, shared by every app.

A form's page and its PDF include the same template partial, so a printed form shows what the
page shows. Rendering fetches nothing: the print style sheet is inlined by the template
(`documents/print_base.html`), only `data:` URLs may be read, and the CJK font comes from the
system (scripts/install-fonts.sh installs Noto CJK where it is missing).
"""

from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(
    template_name: str, context: Mapping[str, Any], *, language: str | None = None
) -> bytes:
    """Render `template_name` with `context` to PDF bytes (in `language` when given, else in
    the active language)."""
    from weasyprint import HTML  # imported late: loads pango only when a form is printed
    from weasyprint.urls import URLFetcher

    with translation.override(language) if language else nullcontext():
        html = render_to_string(template_name, dict(context))
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf()  # type: ignore[no-any-return]


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    """An HTTP answer carrying a PDF, shown in the browser unless `download`."""
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
