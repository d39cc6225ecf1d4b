"""Pages of the department review: the order's reviews, a department's report, the meeting and
its minutes, and printing. Views parse input, call an action, and render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.accounts.reauth import throttle_password_check
from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import AuthenticatedRequest, apply_action_error, forbid_if_not_permitted
from gendan.documents.pdf import pdf_response
from gendan.orders.models import Order
from gendan.orders.pipeline import TRANSITIONS, role_allows
from gendan.reviews import actions, printing, selectors
from gendan.reviews.forms import (
    ActionFormSet,
    MeetingForm,
    MinutesForm,
    ReassignForm,
    RejectForm,
    ReportForm,
    SignForm,
    apply_report_error,
)
from gendan.reviews.models import Decision, DepartmentReview, ReviewMeeting, ReviewState


def _order(request: AuthenticatedRequest, number: str) -> Order:
    return get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), request.user, number=number
    )


def _review(request: AuthenticatedRequest, pk: int) -> DepartmentReview:
    queryset = DepartmentReview.objects.select_related(
        "order", "order__customer", "department", "task", "filed_by"
    )
    return get_visible_or_404(queryset, request.user, pk=pk)


def _meeting(request: AuthenticatedRequest, pk: int) -> ReviewMeeting:
    queryset = ReviewMeeting.objects.select_related("order", "order__customer", "organiser")
    return get_visible_or_404(queryset, request.user, pk=pk)


def _overview_context(request: AuthenticatedRequest, order: Order, **extra: Any) -> dict[str, Any]:
    user = request.user
    meeting = selectors.current_meeting(order)
    may_organise = actions.may_organise(user, order) and not user.is_read_only
    reviewers = {r.department.code for r in selectors.current_reviews(order)}
    context = {
        "order": order,
        "reviews": selectors.current_reviews(order),
        "meeting": meeting,
        "meetings": list(order.review_meetings.order_by("-created_at")),
        "may_organise": may_organise,
        "can_schedule": may_organise
        and order.status == "department_review"
        and (meeting is None or meeting.decision == Decision.FOLLOW_UP),
        "can_reject": role_allows(TRANSITIONS["reject"], user)
        and meeting is not None
        and meeting.decision == Decision.REJECTED
        and order.status == "department_review",
        "notices": list(order.rejection_notices.all()),
        "reviewing_departments": reviewers,
    }
    context.setdefault(
        "meeting_form",
        MeetingForm(initial={"held_at": timezone.localtime().replace(second=0, microsecond=0)}),
    )
    context.setdefault("reject_form", RejectForm())
    context.update(extra)
    return context


@login_required
def order_reviews(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    return render(request, "reviews/order_reviews.html", _overview_context(request, order))


@login_required
@require_POST
def schedule(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = actions.schedule_meeting(order=order, user=request.user, **form.cleaned_data)
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("The review meeting is scheduled."))
            return redirect(meeting.get_absolute_url())
    context = _overview_context(request, order, meeting_form=form)
    return render(request, "reviews/order_reviews.html", context, status=400)


@login_required
@require_POST
def reject(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            actions.reject_after_review(order=order, user=request.user, **form.cleaned_data)
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("The customer is told and the order is rejected."))
            return redirect(order.get_absolute_url())
    context = _overview_context(request, order, reject_form=form)
    return render(request, "reviews/order_reviews.html", context, status=400)


def _report_context(
    request: AuthenticatedRequest, review: DepartmentReview, form: ReportForm | None = None
) -> dict[str, Any]:
    may_file = actions.may_file(request.user, review) and review.state != ReviewState.CANCELLED
    editable = may_file and review.order.status == "department_review"
    user = request.user
    may_reassign = (
        review.state == ReviewState.OPEN
        and not user.is_read_only
        and (
            (user.role == "head" and review.department_id in user.department_ids())
            or user.role in ("gm", "admin")
        )
    )
    return {
        **printing.report_context(review),
        "form": form if form is not None else (ReportForm(review=review) if editable else None),
        "reassign_form": ReassignForm(review=review) if may_reassign else None,
    }


@login_required
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if request.method == "POST":
        form = ReportForm(request.POST, review=review)
        if form.is_valid():
            try:
                actions.file_report(review=review, user=request.user, **form.action_kwargs())
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_report_error(error, form)
            else:
                messages.success(request, _("The report is filed."))
                return redirect(review.get_absolute_url())
        return render(
            request, "reviews/report.html", _report_context(request, review, form), status=400
        )
    return render(request, "reviews/report.html", _report_context(request, review))


@login_required
@require_POST
def reassign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    form = ReassignForm(request.POST, review=review)
    if form.is_valid():
        try:
            actions.reassign_review(
                review=review, user=request.user, assignee=form.cleaned_data["assignee"]
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            messages.error(
                request, " ".join(error.messages + [m for ms in error.fields.values() for m in ms])
            )
        else:
            messages.success(request, _("The review is reassigned."))
    return redirect(review.get_absolute_url())


@login_required
def report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    content = printing.report_pdf(review, language=get_language())
    return pdf_response(content, f"{review.order.number}-{review.department.code}-review.pdf")


def _meeting_context(
    request: AuthenticatedRequest, meeting: ReviewMeeting, **extra: Any
) -> dict[str, Any]:
    user = request.user
    order = meeting.order
    is_current = meeting == selectors.current_meeting(order) and order.status == "department_review"
    may_edit = is_current and actions.may_organise(user, order) and not user.is_read_only
    is_attendee = meeting.attendees.filter(pk=user.pk).exists() and not user.is_read_only
    signed = meeting.valid_signatures().filter(signer=user).exists()
    context = {
        **printing.minutes_context(meeting),
        "may_edit": may_edit,
        "may_sign": is_current and is_attendee and not signed and bool(meeting.decision),
        "has_signed": signed,
        "unsigned": meeting.unsigned_attendees(),
        "agenda_stale": is_current and selectors.agenda_is_stale(meeting),
    }
    if may_edit:
        context.setdefault(
            "minutes_form",
            MinutesForm(
                initial={
                    "held_at": timezone.localtime(meeting.held_at),
                    "place": meeting.place,
                    "attendees": list(meeting.attendees.all()),
                    "discussion": meeting.discussion,
                    "decision": meeting.decision,
                    "decision_notes": meeting.decision_notes,
                    "fail_resolution": meeting.fail_resolution,
                    "version": meeting.version,
                }
            ),
        )
        context.setdefault(
            "action_formset",
            ActionFormSet(
                prefix="actions",
                initial=[
                    {
                        "description": a.description,
                        "owner": a.owner,
                        "department": a.department,
                        "due_date": a.due_date,
                    }
                    for a in meeting.actions.all()
                ],
            ),
        )
    context.setdefault("sign_form", SignForm())
    context.update(extra)
    return context


@login_required
def meeting_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        formset = ActionFormSet(request.POST, prefix="actions")
        if form.is_valid() and formset.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            try:
                actions.update_minutes(
                    meeting=meeting,
                    user=request.user,
                    expected_version=version,
                    actions=[row for row in formset.cleaned_data if row],
                    **data,
                )
            except ActionError as error:
                forbid_if_not_permitted(error)
                apply_action_error(error, form)
            else:
                messages.success(request, _("The minutes are saved."))
                return redirect(meeting.get_absolute_url())
        context = _meeting_context(request, meeting, minutes_form=form, action_formset=formset)
        return render(request, "reviews/meeting.html", context, status=400)
    return render(request, "reviews/meeting.html", _meeting_context(request, meeting))


@login_required
@require_POST
def sign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            throttle_password_check(request, request.user, form.cleaned_data["password"])
            actions.sign_minutes(
                meeting=meeting, user=request.user, password=form.cleaned_data["password"]
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("You signed the minutes."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "reviews/meeting.html",
        _meeting_context(request, meeting, sign_form=form),
        status=400,
    )


@login_required
def minutes_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    content = printing.minutes_pdf(meeting, language=get_language())
    return pdf_response(content, f"{meeting.order.number}-minutes.pdf")
