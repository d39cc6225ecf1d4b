"""The tasks page (my tasks, my departments' tasks, overdue) and completing a task."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import AuthenticatedRequest, forbid_if_not_permitted, page_of, safe_next
from gendan.emergency.ordering import emergency_first
from gendan.tasks.actions import complete_task
from gendan.tasks.forms import CompleteTaskForm
from gendan.tasks.models import Task, TaskQuerySet, TaskState
from gendan.tasks.permissions import may_work_on

#: Tabs of the tasks page: key → label.
TABS = {
    "mine": gettext_lazy("My tasks"),
    "department": gettext_lazy("My departments"),
    "overdue": gettext_lazy("Overdue"),
    "done": gettext_lazy("Recently done"),
}


def _tab_queryset(tab: str, request: AuthenticatedRequest) -> TaskQuerySet:
    """The tab's tasks; in the open tabs emergencies first (U6), then by due date."""
    user = request.user
    visible = Task.objects.for_user(user)
    if tab == "done":
        return visible.exclude(state=TaskState.OPEN).order_by("-completed_at", "-id")
    if tab == "department":
        waiting = visible.open().filter(department__in=user.department_ids())
    elif tab == "overdue":
        waiting = visible.overdue()
    else:
        waiting = visible.inbox(user)
    return emergency_first(waiting)


@login_required
def task_list(request: AuthenticatedRequest) -> HttpResponse:
    tab = request.GET.get("tab", "mine")
    if tab not in TABS:
        tab = "mine"
    tasks = _tab_queryset(tab, request).select_related(
        "order", "order__customer", "department", "assignee", "completed_by"
    )
    page = page_of(tasks, request, per_page=50)
    rows = [
        (task, task.state == TaskState.OPEN and may_work_on(request.user, task))
        for task in page.rows
    ]
    context = {
        "tab": tab,
        "tabs": TABS,
        "page": page,
        "rows": rows,
        "overdue_count": Task.objects.for_user(request.user).overdue().count(),
    }
    return render(request, "tasks/task_list.html", context)


@login_required
@require_POST
def task_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark a task done with its outcome, then go back where the user came from."""
    task = get_visible_or_404(Task.objects.select_related("order"), request.user, pk=pk)
    form = CompleteTaskForm(request.POST)
    back = safe_next(request, reverse("tasks:list"))
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errs in form.errors.values() for m in errs))
        return redirect(back)
    try:
        complete_task(task=task, user=request.user, outcome=form.cleaned_data["outcome"])
    except ActionError as error:
        forbid_if_not_permitted(error)
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Task done: %(title)s") % {"title": task.title})
    return redirect(back)
