"""The department review's rows in the order pipeline (`orders/pipeline.py`).

The pipeline imports this module when it is loaded, before the apps' actions can be imported,
so each function imports what it needs when it runs.
"""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def open_reviews(order: "Order", user: "User") -> None:
    """Effect of `approve_intake`: the departments' review tasks open in parallel (R1)."""
    from gendan.reviews.actions import open_reviews as open_department_reviews

    open_department_reviews(order=order, user=user)


def reports_filed(order: "Order", user: "User") -> str | None:
    """Guard of `approve_review`: every reviewing department has filed its report (R2)."""
    from gendan.reviews.models import ReviewState
    from gendan.reviews.selectors import current_reviews

    reviews = current_reviews(order)
    if not reviews:
        return _("No department review was opened for this order.")
    waiting = [str(r.department) for r in reviews if r.state == ReviewState.OPEN]
    if waiting:
        return _("Waiting for the review reports of: %(departments)s.") % {
            "departments": ", ".join(waiting)
        }
    return None


def meeting_approved(order: "Order", user: "User") -> str | None:
    """Guard of `approve_review`: the meeting approved the order on the current reports, and
    resolved every failed review (R3)."""
    from gendan.reviews.models import Conclusion, Decision
    from gendan.reviews.selectors import agenda_is_stale, current_meeting, current_reviews

    meeting = current_meeting(order)
    if meeting is None:
        return _("Hold the review meeting and record its minutes.")
    if meeting.decision != Decision.APPROVED:
        decision = Decision(meeting.decision).label if meeting.decision else _("none yet")
        return _("The review meeting has not approved the order (decision: %(decision)s).") % {
            "decision": decision
        }
    reviews = current_reviews(order)
    failed = [str(r.department) for r in reviews if r.conclusion == Conclusion.FAIL]
    if failed and not meeting.fail_resolution.strip():
        return _("%(departments)s failed the order and the meeting did not resolve it.") % {
            "departments": ", ".join(failed)
        }
    if agenda_is_stale(meeting, reviews):
        return _(
            "A report changed after the meeting's agenda was built: refresh the agenda "
            "(the attendees then sign again)."
        )
    return None


def minutes_signed(order: "Order", user: "User") -> str | None:
    """Guard of `approve_review`: every attendee signed the current minutes (R3)."""
    from gendan.reviews.selectors import current_meeting

    meeting = current_meeting(order)
    if meeting is None:
        return None  # meeting_approved already says a meeting is needed
    unsigned = meeting.unsigned_attendees()
    if unsigned:
        return _("The minutes are not yet signed by: %(names)s.") % {
            "names": ", ".join(str(u) for u in unsigned)
        }
    return None
