"""The notifications page: the user's own notifications, opening one, marking them read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from gendan.core.views import AuthenticatedRequest, page_of
from gendan.notifications.actions import mark_read
from gendan.notifications.models import Notification


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    """Only the user's own notifications exist for them; everyone else's answer 404."""
    mine = Notification.objects.filter(user=request.user)
    if request.GET.get("show") == "unread":
        mine = mine.filter(read_at__isnull=True)
    page = page_of(mine, request)
    context = {"page": page, "show": request.GET.get("show", "all")}
    return render(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (when it points into this site)."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("notifications:list"))


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedRequest) -> HttpResponse:
    """Mark the chosen notifications read, or all unread ones when none are chosen."""
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    count = mark_read(user=request.user, notification_ids=ids or None)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", count
        )
        % {"count": count},
    )
    return redirect(reverse("notifications:list"))
