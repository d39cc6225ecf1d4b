"""Customer pages: list with search, detail (contacts, credit, recent orders), create/edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.accounts.models import Role, User
from gendan.core.views import AuthenticatedRequest, page_of, render_page
from gendan.credit.permissions import can_view_credit
from gendan.customers.forms import ContactFormSet, CustomerForm, CustomerSearchForm
from gendan.customers.models import Customer
from gendan.customers.picker import suggest_customers
from gendan.orders.models import Order
from gendan.orders.permissions import is_management, is_sales_head
from gendan.orders.status import OPEN_STATUSES

RECENT_ORDERS = 15


def can_edit_customers(user: User) -> bool:
    """Clerks, the sales head and management keep customer data; auditors never write."""
    if not user.is_authenticated or user.is_read_only:
        return False
    return user.role == Role.CLERK or is_sales_head(user) or is_management(user)


@login_required
def customer_list(request: AuthenticatedRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET or None)
    customers = Customer.objects.all()
    if form.is_valid() and (text := form.cleaned_data["q"].strip()):
        customers = customers.filter(
            Q(code__icontains=text) | Q(name__icontains=text) | Q(region__icontains=text)
        )
    page = page_of(customers.order_by("name", "id"), request)
    context = {"form": form, "page": page, "can_edit": can_edit_customers(request.user)}
    return render_page(
        request,
        "customers/customer_list.html",
        context,
        partial="customers/_customer_table.html",
        target="customer-table",
    )


@login_required
def customer_suggest(request: AuthenticatedRequest) -> HttpResponse:
    """`<option>`s for a customer box (`customers.picker.CustomerPicker`): the text is in the
    parameter the box names with `field`; `active=1` leaves out inactive customers."""
    field = request.GET.get("field") or "q"
    text = request.GET.get(field, "")[:100]
    active = Customer.objects.filter(is_active=True) if request.GET.get("active") else None
    customers = suggest_customers(text, active)
    return render(request, "customers/_suggestions.html", {"customers": customers})


@login_required
def customer_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    customer = get_object_or_404(Customer, pk=pk)
    orders = Order.objects.for_user(request.user).filter(customer=customer)
    recent = orders.select_related("clerk").order_by("-created_at", "-id")[:RECENT_ORDERS]
    open_orders = orders.filter(status__in=OPEN_STATUSES)
    context = {
        "customer": customer,
        "contacts": list(customer.contacts.all()),
        "orders": list(recent),
        "open_amount": open_orders.aggregate(total=Sum("total_amount"))["total"],
        "can_edit": can_edit_customers(request.user),
        "can_view_credit": can_view_credit(request.user, customer),
    }
    return render(request, "customers/customer_detail.html", context)


@login_required
def customer_create(request: AuthenticatedRequest) -> HttpResponse:
    return _edit(request, Customer())


@login_required
def customer_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Customer, pk=pk))


def _edit(request: AuthenticatedRequest, customer: Customer) -> HttpResponse:
    if not can_edit_customers(request.user):
        raise PermissionDenied(_("Your role may not change customer data."))
    creating = customer.pk is None
    form = CustomerForm(request.POST or None, instance=customer)
    contacts = ContactFormSet(request.POST or None, instance=customer, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        with transaction.atomic():
            saved = form.save()
            contacts.instance = saved
            contacts.save()
        messages.success(
            request,
            (_("Customer %(name)s added.") if creating else _("Customer %(name)s saved."))
            % {"name": saved.name},
        )
        return redirect(reverse("customers:detail", args=[saved.pk]))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "contacts": contacts, "customer": None if creating else customer}
    return render(request, "customers/customer_form.html", context, status=status)
