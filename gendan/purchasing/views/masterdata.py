"""Suppliers and materials: lists and detail pages (editing is in the admin and the API)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from gendan.core.views import AuthenticatedRequest, page_of, render_page
from gendan.purchasing.models import Material, PurchaseOrder, PurchaseOrderLine, Supplier
from gendan.purchasing.planning import reserved_quantities
from gendan.purchasing.selectors import supplier_on_time_rate


def _search(request: AuthenticatedRequest, queryset, fields: tuple[str, ...]):  # type: ignore[no-untyped-def]
    term = request.GET.get("q", "").strip()
    if term:
        condition = Q()
        for name in fields:
            condition |= Q(**{f"{name}__icontains": term})
        queryset = queryset.filter(condition)
    return queryset, term


@login_required
@require_GET
def supplier_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset, term = _search(
        request, Supplier.objects.filter(is_active=True), ("code", "name", "contact_person")
    )
    return render_page(
        request, "purchasing/supplier_list.html", {"page": page_of(queryset, request), "q": term}
    )


@login_required
@require_GET
def supplier_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    supplier = get_object_or_404(Supplier, pk=pk)
    visible = PurchaseOrder.objects.for_user(request.user)
    context = {
        "supplier": supplier,
        "on_time": supplier_on_time_rate(supplier),
        "prices": list(supplier.prices.select_related("material")),
        "purchase_orders": list(visible.filter(supplier=supplier).select_related("order")[:20]),
        "incidents": list(
            supplier.incidents.for_user(request.user).select_related("purchase_order")[:20]
        ),
    }
    return render_page(request, "purchasing/supplier_detail.html", context)


@login_required
@require_GET
def material_list(request: AuthenticatedRequest) -> HttpResponse:
    queryset, term = _search(
        request,
        Material.objects.filter(is_active=True).select_related("default_supplier"),
        ("code", "name", "specification"),
    )
    page = page_of(queryset, request)
    reserved = reserved_quantities([m.pk for m in page.rows])
    rows = [(m, reserved.get(m.pk, 0)) for m in page.rows]
    return render_page(
        request,
        "purchasing/material_list.html",
        {"page": page, "rows": rows, "q": term},
    )


@login_required
@require_GET
def material_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.select_related("default_supplier"), pk=pk)
    reserved = reserved_quantities([material.pk]).get(material.pk, 0)
    open_lines = list(
        PurchaseOrderLine.objects.open()
        .filter(material=material, purchase_order__in=PurchaseOrder.objects.for_user(request.user))
        .select_related("purchase_order__supplier", "purchase_order__order")
        .order_by("expected_date")
    )
    context = {
        "material": material,
        "reserved": reserved,
        "free": max(material.stock_on_hand - reserved, 0),
        "prices": list(material.supplier_prices.select_related("supplier")),
        "bom_usages": list(material.bom_usages.select_related("product")),
        "open_lines": open_lines,
    }
    return render_page(request, "purchasing/material_detail.html", context)
