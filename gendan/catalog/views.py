"""Product pages: list with search, detail, create/edit (administrators and heads), lines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.catalog.forms import ProductForm, ProductSearchForm
from gendan.catalog.models import Product, ProductLine
from gendan.catalog.permissions import can_edit_products
from gendan.core.views import AuthenticatedRequest, page_of, render_page


@login_required
def product_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ProductSearchForm(request.GET or None)
    products = Product.objects.select_related("line")
    if form.is_valid():
        if text := form.cleaned_data["q"].strip():
            products = products.filter(
                Q(code__icontains=text) | Q(name__icontains=text) | Q(grade__icontains=text)
            )
        if line := form.cleaned_data["line"]:
            products = products.filter(line=line)
    page = page_of(products.order_by("code"), request)
    context = {"form": form, "page": page, "can_edit": can_edit_products(request.user)}
    return render_page(
        request,
        "catalog/product_list.html",
        context,
        partial="catalog/_product_table.html",
        target="product-table",
    )


@login_required
def product_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.select_related("line"), pk=pk)
    context = {"product": product, "can_edit": can_edit_products(request.user)}
    return render(request, "catalog/product_detail.html", context)


@login_required
def product_create(request: AuthenticatedRequest) -> HttpResponse:
    return _edit(request, Product())


@login_required
def product_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Product, pk=pk))


def _edit(request: AuthenticatedRequest, product: Product) -> HttpResponse:
    if not can_edit_products(request.user):
        raise PermissionDenied(_("Your role may not change products."))
    creating = product.pk is None
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(
            request,
            (_("Product %(name)s added.") if creating else _("Product %(name)s saved."))
            % {"name": saved},
        )
        return redirect(reverse("products:detail", args=[saved.pk]))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "product": None if creating else product}
    return render(request, "catalog/product_form.html", context, status=status)


@login_required
def line_list(request: AuthenticatedRequest) -> HttpResponse:
    lines = ProductLine.objects.select_related("production_department").annotate(
        product_count=Count("products", filter=Q(products__is_active=True))
    )
    return render(request, "catalog/line_list.html", {"lines": lines.order_by("code")})
