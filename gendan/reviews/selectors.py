"""Read-only questions about an order's review (used by actions, guards, pages and the API)."""

from typing import Any

from django.db.models import Max

from gendan.orders.models import Order
from gendan.reviews.models import Conclusion, DepartmentReview, ReviewMeeting, ReviewState

#: Agenda order: what needs discussing first (fails, then conditions), then passes, then open.
_AGENDA_RANK = {Conclusion.FAIL: 0, Conclusion.CONDITIONS: 1, Conclusion.PASS: 2, "": 3}


def current_round(order: Order) -> int:
    return DepartmentReview.objects.filter(order=order).aggregate(r=Max("round"))["r"] or 0


def current_reviews(order: Order) -> list[DepartmentReview]:
    """The latest round's reviews that are not cancelled, with task and department loaded."""
    round_ = current_round(order)
    return list(
        DepartmentReview.objects.filter(order=order, round=round_)
        .exclude(state=ReviewState.CANCELLED)
        .select_related("department", "task", "task__assignee", "filed_by", "order")
        .order_by("department_id")
    )


def current_meeting(order: Order) -> ReviewMeeting | None:
    """The latest meeting of the latest review round (a follow-up meeting replaces the last)."""
    return (
        ReviewMeeting.objects.filter(order=order, round=max(current_round(order), 1))
        .select_related("order", "organiser")
        .order_by("-created_at", "-id")
        .first()
    )


def build_agenda(reviews: list[DepartmentReview]) -> list[dict[str, Any]]:
    """One agenda item per department report: fails first, then conditions, then passes."""
    ranked = sorted(reviews, key=lambda r: (_AGENDA_RANK.get(r.conclusion, 3), r.department_id))
    return [
        {
            "department": review.department.code,
            "department_name": review.department.name,
            "department_name_en": review.department.name_en,
            "report": review.pk,
            "report_version": review.version,
            "conclusion": review.conclusion,
            "conditions": review.conditions,
            "reasons": review.reasons,
            "proposals": review.proposals,
        }
        for review in ranked
    ]


def agenda_is_stale(meeting: ReviewMeeting, reviews: list[DepartmentReview] | None = None) -> bool:
    """Whether a report was filed or amended after the agenda was built."""
    if reviews is None:
        reviews = current_reviews(meeting.order)
    return build_agenda(reviews) != meeting.agenda


def agenda_rows(meeting: ReviewMeeting) -> list[dict[str, Any]]:
    """The agenda with labels for the page and the printed minutes."""
    from django.utils.translation import get_language

    english = not (get_language() or "zh").startswith("zh")
    rows = []
    for item in meeting.agenda:
        conclusion = item.get("conclusion", "")
        rows.append(
            {
                **item,
                "department_label": item["department_name_en"]
                if english
                else item["department_name"],
                "conclusion_label": Conclusion(conclusion).label if conclusion else "",
            }
        )
    return rows
