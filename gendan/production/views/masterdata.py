"""Work centres, routings and teams: lists and detail pages (editing is in the admin and the
API). Master data is visible to every signed-in user; work orders only through their door."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from gendan.core.views import AuthenticatedRequest, page_of, render_page
from gendan.production.models import (
    ACTIVE_WORK_STATUSES,
    Routing,
    Team,
    WorkCentre,
    WorkOrder,
)

UPCOMING = 30


@login_required
@require_GET
def work_centre_list(request: AuthenticatedRequest) -> HttpResponse:
    centres = (
        WorkCentre.objects.filter(is_active=True)
        .select_related("department", "default_team")
        .annotate(
            active_work=Count(
                "work_orders", filter=Q(work_orders__status__in=ACTIVE_WORK_STATUSES), distinct=True
            )
        )
    )
    return render_page(request, "production/work_centre_list.html", {"centres": list(centres)})


@login_required
@require_GET
def work_centre_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    centre = get_object_or_404(
        WorkCentre.objects.select_related("department", "default_team"), pk=pk
    )
    upcoming = (
        WorkOrder.objects.for_user(request.user)
        .active()
        .filter(work_centre=centre, planned_end__gte=timezone.now())
        .select_related("order", "team", "owner")
        .order_by("planned_start")[:UPCOMING]
    )
    context = {
        "centre": centre,
        "upcoming": list(upcoming),
        "operations": list(
            centre.operations.select_related("routing__product").order_by(
                "routing__product__code", "sequence"
            )
        ),
    }
    return render_page(request, "production/work_centre_detail.html", context)


@login_required
@require_GET
def routing_list(request: AuthenticatedRequest) -> HttpResponse:
    routings = Routing.objects.select_related("product").annotate(steps=Count("operations"))
    term = request.GET.get("q", "").strip()
    if term:
        routings = routings.filter(product__code__icontains=term) | routings.filter(
            product__name__icontains=term
        )
    return render_page(
        request,
        "production/routing_list.html",
        {"page": page_of(routings.order_by("product__code", "-is_default"), request), "q": term},
    )


@login_required
@require_GET
def routing_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    routing = get_object_or_404(Routing.objects.select_related("product"), pk=pk)
    operations = routing.operations.select_related("work_centre", "team").prefetch_related(
        "alternative_work_centres"
    )
    return render_page(
        request,
        "production/routing_detail.html",
        {"routing": routing, "operations": list(operations)},
    )


@login_required
@require_GET
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    teams = (
        Team.objects.filter(is_active=True)
        .select_related("department", "leader")
        .prefetch_related("members")
    )
    return render_page(request, "production/team_list.html", {"teams": list(teams)})
