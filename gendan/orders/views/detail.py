"""The order page: header, lines, pipeline steps, tasks and the ledger timeline, and the small
forms posted from it (transition, comment, communication, new task).

The comment, communication and task forms answer htmx requests with the section they change
(#activity or #tasks) and everything else with the whole page, so the page works without
JavaScript too.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Prefetch, Q, Subquery, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.accounts.models import User
from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError, StaleVersion
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    render_page,
)
from gendan.ledger.models import LedgerEntry
from gendan.orders import actions, permissions
from gendan.orders.forms import CommentForm, CommunicationForm, TransitionForm
from gendan.orders.models import Order, OrderLine
from gendan.orders.pipeline import Available, available_transitions
from gendan.orders.status import EDITABLE_STATUSES
from gendan.orders.views.panels import side_panels
from gendan.shipping.selectors import sharing_line_progress
from gendan.tasks.actions import open_task
from gendan.tasks.forms import OpenTaskForm
from gendan.tasks.models import Task, TaskState
from gendan.tasks.permissions import may_assign_work, may_work_on

LEDGER_PAGE = 20


@dataclass
class Step:
    """A pipeline step shown as a button: the table's row, what blocks it, and the user's last
    attempt (reason typed, errors) when it was refused."""

    available: Available
    errors: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def transition(self) -> Any:
        return self.available.transition


def _order(request: AuthenticatedRequest, number: str) -> Order:
    queryset = Order.objects.select_related("customer", "clerk", "created_by").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product"))
    )
    order: Order = get_visible_or_404(queryset, request.user, number=number)
    return order


def ledger_entries(order: Order, before: int | None = None) -> tuple[list[LedgerEntry], bool]:
    """A page of the order's ledger, newest first, older than entry `before` if given."""
    entries = LedgerEntry.objects.filter(order=order).select_related("actor")
    if before is not None:
        cursor = Subquery(LedgerEntry.objects.filter(order=order, pk=before).values("at")[:1])
        entries = entries.filter(Q(at__lt=cursor) | Q(at=cursor, pk__lt=before))
    rows = list(entries.order_by("-at", "-id")[: LEDGER_PAGE + 1])
    return rows[:LEDGER_PAGE], len(rows) > LEDGER_PAGE


def order_tasks(order: Order, user: User) -> list[tuple[Task, bool]]:
    """The order's tasks the user may see, open ones first, each with "may complete it"."""
    tasks = (
        Task.objects.for_user(user)
        .filter(order=order)
        .select_related("assignee", "department", "completed_by")
        .order_by(
            Case(
                When(state=TaskState.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            "due_at",
            "id",
        )
    )
    rows = []
    for task in tasks:
        task.order = order  # already loaded: the permission check reads its clerk
        rows.append((task, task.state == TaskState.OPEN and may_work_on(user, task)))
    return rows


def activity_context(
    request: AuthenticatedRequest,
    order: Order,
    *,
    comment_form: CommentForm | None = None,
    communication_form: CommunicationForm | None = None,
    open_form: str = "",
) -> dict[str, Any]:
    """What the #activity section needs: the entry forms and the first page of the ledger."""
    entries, more = ledger_entries(order)
    return {
        "order": order,
        "entries": entries,
        "more": more,
        "can_write_ledger": permissions.can_write_ledger(request.user, order),
        "comment_form": comment_form or CommentForm(),
        "communication_form": communication_form or CommunicationForm(),
        "open_form": open_form,
    }


def tasks_context(
    request: AuthenticatedRequest, order: Order, *, task_form: OpenTaskForm | None = None
) -> dict[str, Any]:
    return {
        "order": order,
        "tasks": order_tasks(order, request.user),
        "can_assign_work": may_assign_work(request.user, order),
        "task_form": task_form or OpenTaskForm(emergency=order.is_emergency),
    }


def order_context(
    request: AuthenticatedRequest,
    order: Order,
    *,
    failed_step: str = "",
    step_errors: list[str] | None = None,
    step_reason: str = "",
    **sections: Any,
) -> dict[str, Any]:
    user = request.user
    steps = [
        Step(
            available,
            errors=(step_errors or []) if available.transition.name == failed_step else [],
            reason=step_reason if available.transition.name == failed_step else "",
        )
        for available in available_transitions(order, user)
    ]
    task_form = sections.pop("task_form", None)
    return {
        **activity_context(request, order, **sections),
        **tasks_context(request, order, task_form=task_form),
        **side_panels(request, order),
        "lines": list(order.lines.all()),
        "steps": steps,
        "can_edit": permissions.can_edit_order(user, order) and order.status in EDITABLE_STATUSES,
    }


def render_order_page(
    request: AuthenticatedRequest, order: Order, *, status: int = 200, **context: Any
) -> HttpResponse:
    """The whole order page. Its steps' guards, the milestone chain and the shipping panel all
    ask for the lines' shipping progress; it is read once for them (nothing is written while
    the page is built)."""
    with sharing_line_progress():
        return render_page(
            request,
            "orders/order_detail.html",
            order_context(request, order, **context),
            status=status,
        )


@login_required
@require_GET
def order_detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return render_order_page(request, _order(request, number))


@login_required
@require_GET
def ledger_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Older ledger entries for "load more" (a fragment of the timeline)."""
    order = get_visible_or_404(Order.objects, request.user, number=number)
    try:
        before = int(request.GET["before"])
    except (KeyError, ValueError):
        before = None
    entries, more = ledger_entries(order, before)
    return render_page(
        request,
        "orders/ledger_page.html",
        {"order": order, "entries": entries, "more": more, "before": before},
        partial="orders/_ledger_entries.html",
    )


@login_required
@require_POST
def transition_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Perform one pipeline step from the order page, from the version the user was looking
    at: a page left open while someone else moved the order is refused, not applied."""
    order = _order(request, number)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The page was out of date. It has been reloaded; try again."))
        return redirect(order)
    name = form.cleaned_data["name"]
    reason = form.cleaned_data["reason"]
    try:
        order = actions.transition_order(
            order=order,
            name=name,
            user=request.user,
            reason=reason,
            expected_version=form.cleaned_data["version"],
        )
    except ActionError as error:
        forbid_if_not_permitted(error)
        order = _order(request, number)
        problems = error.messages + [m for errs in error.fields.values() for m in errs]
        if isinstance(error, StaleVersion):
            # The page now shows the order as it is; say why the step was not taken.
            messages.error(request, " ".join(error.messages))
            problems = []
        return render_order_page(
            request,
            order,
            status=409,
            failed_step=name,
            step_errors=problems,
            step_reason=reason,
        )
    messages.success(
        request,
        _("Order %(number)s is now %(status)s.")
        % {"number": order.number, "status": order.get_status_display()},
    )
    return redirect(order)


def _activity_response(
    request: AuthenticatedRequest, order: Order, status: int = 200, **forms: Any
) -> HttpResponse:
    if request.htmx:
        return render_page(
            request,
            "orders/_activity.html",
            {**activity_context(request, order, **forms), "oob_messages": True},
            status=status,
        )
    if status == 200 and not forms:
        return redirect(order)
    return render_order_page(request, order, status=status, **forms)


@login_required
@require_POST
def add_comment_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(order=order, user=request.user, text=form.cleaned_data["text"])
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("Comment added."))
            return _activity_response(request, order)
    return _activity_response(
        request, order, status=_invalid_status(request), comment_form=form, open_form="comment"
    )


@login_required
@require_POST
def log_communication_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    form = CommunicationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.log_communication(
                order=order,
                user=request.user,
                channel=data["channel"],
                counterpart=data["counterpart"],
                summary=data["summary"],
                body=data["body"],
                occurred_at=data["occurred_at"],
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("Communication recorded."))
            return _activity_response(request, order)
    return _activity_response(
        request,
        order,
        status=_invalid_status(request),
        communication_form=form,
        open_form="communication",
    )


@login_required
@require_POST
def open_task_view(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Open a task on the order for a department or a person."""
    order = _order(request, number)
    form = OpenTaskForm(request.POST, emergency=order.is_emergency)
    if form.is_valid():
        data = form.cleaned_data
        try:
            open_task(
                user=request.user,
                order=order,
                title=data["title"],
                description=data["description"],
                department=data["department"],
                assignee=data["assignee"],
                due_at=form.due_at(),
                due_in_hours=form.due_in_hours,
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, _("Task opened: %(title)s") % {"title": data["title"]})
            if request.htmx:
                return _tasks_response(request, order)
            return redirect(order)
    if request.htmx:
        return _tasks_response(request, order, task_form=form)
    return render_order_page(request, order, status=400, task_form=form)


def _tasks_response(
    request: AuthenticatedRequest, order: Order, task_form: OpenTaskForm | None = None
) -> HttpResponse:
    context = {**tasks_context(request, order, task_form=task_form), "oob_messages": True}
    return render_page(request, "orders/_tasks.html", context)


def _invalid_status(request: AuthenticatedRequest) -> int:
    """Form errors: 200 for htmx (so the fragment is swapped in), 400 for a whole page."""
    return 200 if request.htmx else 400
