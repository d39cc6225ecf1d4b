"""What the review's pages and printed forms show: one context per form, used by the page
(which includes the form's partial) and by the PDF (which includes the same partial)."""

from typing import Any

from django.utils import translation

from gendan.documents.pdf import render_pdf
from gendan.documents.titles import form_title, review_report_title
from gendan.reviews.models import DepartmentReview, ReviewMeeting
from gendan.reviews.selectors import agenda_rows


def report_context(review: DepartmentReview, language: str | None = None) -> dict[str, Any]:
    department = review.department
    return {
        "order": review.order,
        "review": review,
        "form_title": review_report_title(
            department.code, department.name, department.name_en, language
        ),
        "rows": review.rows(),
        "output_rows": review.output_rows(),
        "figure_rows": review.figure_rows(),
    }


def minutes_context(meeting: ReviewMeeting, language: str | None = None) -> dict[str, Any]:
    return {
        "order": meeting.order,
        "meeting": meeting,
        "form_title": form_title("review_minutes", language),
        "agenda": agenda_rows(meeting),
        "attendees": list(meeting.attendees.all()),
        "actions": list(meeting.actions.select_related("owner", "department")),
        "signatures": list(meeting.signatures.select_related("signer")),
    }


def report_pdf(review: DepartmentReview, *, language: str) -> bytes:
    with translation.override(language):
        context = report_context(review, language)
    return render_pdf("reviews/print/report.html", context, language=language)


def minutes_pdf(meeting: ReviewMeeting, *, language: str) -> bytes:
    with translation.override(language):
        context = minutes_context(meeting, language)
    return render_pdf("reviews/print/minutes.html", context, language=language)
