"""Monitoring pages: the supervision view for management (M3) and the rectification
notices (E9): list, detail, resolving one, running the checks by hand."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import (
    AuthenticatedRequest,
    apply_action_error,
    forbid_if_not_permitted,
    page_of,
    render_page,
)
from gendan.monitoring import actions, permissions
from gendan.monitoring.forms import ResolveNoticeForm
from gendan.monitoring.models import NoticeKind, NoticeStatus, RectificationNotice
from gendan.monitoring.selectors import supervision

#: The list's status filter: its own values plus "overdue" and "all".
STATUS_FILTERS = ["open", "overdue", "resolved", "all"]


@login_required
@require_GET
def supervision_view(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_supervise(request.user):
        raise PermissionDenied(_("The supervision view is for management and department heads."))
    return render_page(
        request,
        "monitoring/supervision.html",
        {
            "view": supervision(request.user),
            "now": timezone.now(),
            "today": timezone.localdate(),
            "can_run": permissions.can_run_checks(request.user),
        },
    )


@login_required
@require_GET
def notice_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset = RectificationNotice.objects.for_user(request.user).select_related(
        "order", "owner", "department"
    )
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    if status == "open":
        queryset = queryset.open().order_by("due_at", "id")
    elif status == "overdue":
        queryset = queryset.overdue().order_by("due_at", "id")
    elif status == "resolved":
        queryset = queryset.filter(status=NoticeStatus.RESOLVED).order_by("-resolved_at", "-id")
    kind = request.GET.get("kind", "")
    if kind in NoticeKind.values:
        queryset = queryset.filter(kind=kind)
    return render_page(
        request,
        "monitoring/notice_list.html",
        {
            "page": page_of(queryset, request),
            "status": status,
            "kind": kind,
            "kinds": NoticeKind.choices,
            "now": timezone.now(),
        },
    )


def _notice(request: AuthenticatedRequest, pk: int) -> RectificationNotice:
    queryset = RectificationNotice.objects.select_related(
        "order", "owner", "department", "task", "resolved_by"
    )
    notice: RectificationNotice = get_visible_or_404(queryset, request.user, pk=pk)
    return notice


def _detail(
    request: AuthenticatedRequest, notice: RectificationNotice, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "notice": notice,
        "can_resolve": notice.is_open and permissions.can_resolve(request.user, notice),
        "form": extra.get("form") or ResolveNoticeForm(),
        "now": timezone.now(),
    }
    return render_page(request, "monitoring/notice_detail.html", context, status=status)


@login_required
@require_GET
def notice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _notice(request, pk))


@login_required
@require_POST
def resolve_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    form = ResolveNoticeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.resolve_notice(
                notice=notice, user=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
            status = 409
        else:
            messages.success(request, _("Rectification recorded; the notice is closed."))
            return redirect("monitoring:notice", pk=pk)
    return _detail(request, notice, status=status, form=form)


@login_required
@require_POST
def run_view(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_run_checks(request.user):
        raise PermissionDenied(_("Only management may run the checks by hand."))
    report = actions.run_checks()
    messages.success(
        request,
        _("Checks run: %(opened)d new rectification notice(s).") % {"opened": report.opened_total},
    )
    return redirect("monitoring:supervision")
