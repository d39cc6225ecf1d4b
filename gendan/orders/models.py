"""Orders (I2): header, lines, the departments an order is routed to, and numbering."""

import operator
from decimal import Decimal
from functools import reduce
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MinValueValidator
from django.db import connection, models
from django.db.models import Exists, F, Lookup, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import Department, Role
from gendan.catalog.models import Product, Unit
from gendan.customers.models import Customer
from gendan.emergency.ordering import emergency_rank
from gendan.orders.status import STATUS_COLOURS, Channel, Priority, Status

if TYPE_CHECKING:
    from gendan.accounts.models import User


class EqualsAny(Lookup):
    """`lhs = ANY(rhs)` for an array on the right (PostgreSQL)."""

    lookup_name = "equals_any"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


class OrderQuerySet(models.QuerySet["Order"]):
    def for_user(self, user: "User") -> "OrderQuerySet":
        """The one door for order visibility (P3).

        Management, administrators and auditors see every order; everyone sees the orders they
        follow or hold a task on; reviewers and heads also see the orders routed to their
        departments.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        branches = self.visibility(user)
        if branches is None:
            return self
        return self.filter(reduce(operator.or_, branches))

    @staticmethod
    def visibility(user: "User") -> "list[Q] | None":
        """The rule of `for_user` as its alternatives (an order is visible when it meets any
        of them); None when the user sees every order. For signed-in, active users only.

        Apart, each alternative can be read from its own index in the list's order
        (`orders.views.listing`); together they are one condition.
        """
        if user.sees_all:
            return None
        from gendan.tasks.models import Task  # tasks depend on orders, not the reverse

        tasks = Task.objects.filter(assignee=user).order_by().values("order_id")
        on_task = Q(pk__in=tasks)  # a hashed lookup per row: cheap to check
        if connection.vendor == "postgresql":
            # The same set again as `id = ANY(ARRAY(...))`: alone, PostgreSQL guesses that
            # `id IN (subquery)` keeps half the orders and reads the whole table for a clerk
            # who follows few; with this it estimates from the clerk index and combines both
            # indexes (BitmapOr). Kept second, the array is searched only for the orders the
            # hashed check let through. Measured at a million orders: bench/README.md.
            on_task = Q(on_task, EqualsAny(F("pk"), ArraySubquery(tasks)))
        branches = [Q(clerk=user), on_task]
        if user.role in (Role.REVIEWER, Role.HEAD):
            routed = OrderRoute.objects.filter(
                order=OuterRef("pk"), department__in=user.department_ids()
            )
            branches.append(Q(Exists(routed.values("pk"))))
        return branches


class Order(models.Model):
    number = models.CharField(_("order number"), max_length=40, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    customer_reference = models.CharField(_("customer's reference"), max_length=80, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    #: The status an order on hold returns to when it is resumed.
    held_from = models.CharField(_("held from"), max_length=20, choices=Status.choices, blank=True)
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.NORMAL
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followed_orders",
        verbose_name=_("follow-up clerk"),
    )
    requested_date = models.DateField(_("requested delivery date"))
    promised_date = models.DateField(_("promised delivery date"), null=True, blank=True)
    delivery_place = models.CharField(_("delivery place"), max_length=300)
    payment_terms = models.CharField(_("payment terms"), max_length=120)
    quality_requirements = models.TextField(_("quality requirements"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    #: Sum of the lines, kept by the order actions so that lists need no aggregate.
    total_amount = models.DecimalField(
        _("amount (CNY)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    #: Bumped by every change; a change made from an older copy is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status since"), auto_now_add=True)

    objects: ClassVar[OrderQuerySet] = OrderQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="order_recent"),
            models.Index(fields=["status", "-created_at"], name="order_status_recent"),
            models.Index(fields=["clerk", "status", "-created_at"], name="order_clerk_status"),
            models.Index(fields=["customer", "-created_at"], name="order_customer_recent"),
            # Emergencies (or normal orders) of a status, newest first: the list filtered by
            # priority and status reads its first page straight from here.
            models.Index(
                fields=["priority", "status", "-created_at", "-id"],
                name="order_priority_status_recent",
            ),
            models.Index(fields=["requested_date"], name="order_requested_date"),
            models.Index(fields=["-total_amount", "-id"], name="order_amount"),
            # The order list's default order, emergencies first (U6): the very expression of
            # `emergency_rank`, so the list reads its first page off this index instead of
            # sorting every visible order.
            models.Index(
                emergency_rank(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="order_emergency_recent",
            ),
            # The same order for one clerk's orders: a clerk's default list reads its first
            # page from here (`orders.views.listing`), however few orders the clerk follows.
            models.Index(
                models.F("clerk"),
                emergency_rank(),
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="order_clerk_emergency_recent",
            ),
        ]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("orders:detail", args=[self.number])

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def is_emergency(self) -> bool:
        return self.priority == Priority.EMERGENCY

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    specification = models.CharField(_("specification"), max_length=300, blank=True)
    grammage = models.PositiveIntegerField(_("grammage (g/m²)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    unit_price = models.DecimalField(
        _("unit price (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    tolerance_pct = models.DecimalField(
        _("quantity tolerance ±%"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("3"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="order_line_position")
        ]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.order_id}/{self.position}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class OrderRoute(models.Model):
    """An order routed to a department: that department's reviewers and head may see it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="routes")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "department"], name="order_route_once")
        ]
        indexes = [models.Index(fields=["department", "order"], name="route_department_order")]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.department_id}"


class NumberSequence(models.Model):
    """The last number handed out per key (e.g. per year); locked while a number is taken."""

    key = models.CharField(max_length=40, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last_value}"


class StatusCount(models.Model):
    """How many orders are in each status, per scope: kept by the order actions so that the
    home page answers "orders by status" without counting a million rows.

    Scopes: "all"; "clerk:<user id>" (orders a clerk follows); "dept:<department id>" (orders
    routed to a department). `gendan recount_orders` rebuilds the table from the orders.
    """

    scope = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=Status.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "status"], name="status_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.status}: {self.count}"
