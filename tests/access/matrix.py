"""The role matrix: for every route, what each role (and an anonymous visitor) must get.

Answers are judged by kind, not by exact code:
  OK       the request is served: 200, 201, 204, 304 or a redirect that is not to a sign-in page
  DENY     refused: 403, 401, or (anonymous) a redirect to a sign-in page
  HIDE     the record does not exist for this user: 404 (P3: do not reveal)
  INVALID  a 400 that names no record (e.g. "no such order among those you can see")

A row's `effect` reads the state the request should change: it must change when the answer
is OK and stay as it was otherwise, so a refused request that still changed something (or an
"allowed" one that did nothing) fails.

Who sees the matrix's order (see world.py): SEES_ORDER. Roles not listed in a row's rule are
an error: every row states every role.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gendan.customers.models import Customer
from gendan.ledger.models import LedgerEntry
from gendan.notifications.models import Notification
from gendan.orders.models import Order
from gendan.tasks.models import Task
from tests.access.world import World
from tests.conftest import ROLE_USERS
from tests.factories import PASSWORD

OK, DENY, HIDE, INVALID = "OK", "DENY", "HIDE", "INVALID"
STAFF = list(ROLE_USERS)
ANONYMOUS = "anonymous"
ROLES = [*STAFF, ANONYMOUS]

EVERYONE = frozenset(STAFF)
SEES_ORDER = frozenset({"clerk", "sales_head", "technical_reviewer", "gm", "admin", "auditor"})
NOT_SEEING_ORDER = EVERYONE - SEES_ORDER
#: May register orders (clerks for themselves, the sales head and management for anyone).
ORDER_CREATORS = frozenset({"clerk", "other_clerk", "sales_head", "gm", "admin"})
#: May edit the matrix's order, take its sales steps and assign work on it.
ORDER_EDITORS = frozenset({"clerk", "sales_head", "gm", "admin"})
CUSTOMER_EDITORS = frozenset({"clerk", "other_clerk", "sales_head", "gm", "admin"})
#: Product master data: administrators, the general manager and department heads.
CATALOG_EDITORS = frozenset({"sales_head", "production_head", "gm", "admin"})
#: Who sees the technical department's task on the order: its department, the order's clerk,
#: management and auditors (the sales head sees the order, not other departments' tasks).
SEES_DEPARTMENT_TASK = frozenset({"clerk", "technical_reviewer", "gm", "admin", "auditor"})


def rule(
    ok: frozenset[str] | set[str] = frozenset(),
    deny: frozenset[str] | set[str] = frozenset(),
    hide: frozenset[str] | set[str] = frozenset(),
    invalid: frozenset[str] | set[str] = frozenset(),
) -> dict[str, str]:
    """The expected answer of every staff role; each role in exactly one group."""
    table: dict[str, str] = {}
    for answer, roles in ((OK, ok), (DENY, deny), (HIDE, hide), (INVALID, invalid)):
        for role in roles:
            if role in table:
                raise ValueError(f"{role} is both {table[role]} and {answer}")
            table[role] = answer
    missing = EVERYONE - set(table)
    if missing:
        raise ValueError(f"the rule says nothing about {sorted(missing)}")
    return table


ALL_OK = rule(ok=EVERYONE)
ORDER_READ = rule(ok=SEES_ORDER, hide=NOT_SEEING_ORDER)
ORDER_WRITE = rule(ok=ORDER_EDITORS, deny=SEES_ORDER - ORDER_EDITORS, hide=NOT_SEEING_ORDER)
LEDGER_WRITE = rule(ok=SEES_ORDER - {"auditor"}, deny={"auditor"}, hide=NOT_SEEING_ORDER)


@dataclass(frozen=True)
class Check:
    method: str
    url: Callable[[World], str]
    expect: dict[str, str]
    #: The request body; called with the world and the role name.
    data: Callable[[World, str], Any] | None = None
    api: bool = False
    anonymous: str = DENY
    effect: Callable[[World], Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Signing out sends everyone to the sign-in page: there, that redirect is the success.
    signs_out: bool = False

    @property
    def writes(self) -> bool:
        return self.method != "get"


def page(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def number(w: World) -> str:
    return w.order.number


# --- request bodies ------------------------------------------------------------------------


def line_fields(w: World, index: int = 0) -> dict[str, str]:
    p = w.product
    return {
        f"lines-{index}-product": str(p.pk),
        f"lines-{index}-specification": "",
        f"lines-{index}-grammage": str(p.grammage or ""),
        f"lines-{index}-width_mm": str(p.width_mm or ""),
        f"lines-{index}-quantity": "30",
        f"lines-{index}-unit": p.unit,
        f"lines-{index}-unit_price": "3150.00",
        f"lines-{index}-tolerance_pct": "3",
    }


def management_form(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def order_form(w: World, role: str) -> dict[str, str]:
    return {
        "customer": w.customer.code,
        "customer_reference": "PO-7781",
        "channel": "phone",
        "priority": "normal",
        "requested_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "promised_date": "",
        "delivery_place": "Kunshan plant, gate 2",
        "payment_terms": "30 days after delivery",
        "quality_requirements": "",
        "notes": "",
        **management_form("lines", 1, 0),
        **line_fields(w),
    }


def order_edit_form(w: World, role: str) -> dict[str, str]:
    order = w.fresh_order()
    line = order.lines.get()
    data = {
        "customer": order.customer.code,
        "customer_reference": order.customer_reference,
        "channel": order.channel,
        "priority": order.priority,
        "clerk": str(order.clerk_id),
        "requested_date": order.requested_date.isoformat(),
        "promised_date": "",
        "delivery_place": "Wuxi plant, gate 1",
        "payment_terms": order.payment_terms,
        "quality_requirements": "",
        "notes": "",
        "version": str(order.version),
        **management_form("lines", 1, 1),
    }
    data.update(
        {
            "lines-0-product": str(line.product_id),
            "lines-0-specification": line.specification,
            "lines-0-grammage": str(line.grammage or ""),
            "lines-0-width_mm": str(line.width_mm or ""),
            "lines-0-quantity": str(line.quantity),
            "lines-0-unit": line.unit,
            "lines-0-unit_price": str(line.unit_price),
            "lines-0-tolerance_pct": str(line.tolerance_pct),
        }
    )
    return data


def customer_form(w: World, role: str) -> dict[str, str]:
    return {
        "code": "C9001",
        "name": "Hangzhou West Lake Packaging",
        "region": "华东",
        "address": "",
        "credit_limit": "800000",
        "credit_rating": "B",
        "payment_terms": "60 days",
        "is_active": "on",
        "notes": "",
        **management_form("contacts", 0, 0),
    }


def customer_edit_form(w: World, role: str) -> dict[str, str]:
    c = w.customer
    return {
        "code": c.code,
        "name": "Renamed Packaging Co.",
        "region": c.region,
        "address": c.address,
        "credit_limit": str(c.credit_limit),
        "credit_rating": c.credit_rating,
        "payment_terms": c.payment_terms,
        "is_active": "on",
        "notes": "",
        **management_form("contacts", 0, 0),
    }


def product_form(w: World, role: str) -> dict[str, str]:
    return {
        "code": "KL-170",
        "name": "Kraft liner 170",
        "line": str(w.line.pk),
        "grade": "kraft liner",
        "grammage": "170",
        "width_mm": "2400",
        "specification": "",
        "unit": "t",
        "list_price": "4120",
        "standard_cost": "3500",
        "is_active": "on",
    }


def product_edit_form(w: World, role: str) -> dict[str, str]:
    return {**product_form(w, role), "code": w.product.code, "name": "Renamed product"}


# --- what a request changes ----------------------------------------------------------------


def order_count(w: World) -> int:
    return Order.objects.count()


def order_version(w: World) -> int:
    return w.fresh_order().version


def order_status(w: World) -> str:
    return w.fresh_order().status


def ledger_count(w: World) -> int:
    return LedgerEntry.objects.filter(order=w.order).count()


def task_count(w: World) -> int:
    return Task.objects.count()


def department_task_state(w: World) -> str:
    return Task.objects.get(pk=w.department_task.pk).state


def customers(w: World) -> list[tuple[Any, ...]]:
    return list(Customer.objects.order_by("pk").values_list("pk", "name", "notes"))


def products(w: World) -> list[tuple[Any, ...]]:
    from gendan.catalog.models import Product, ProductLine

    return [
        *Product.objects.order_by("pk").values_list("pk", "name"),
        *ProductLine.objects.order_by("pk").values_list("pk", "name"),
    ]


def clerk_notification_read(w: World) -> bool:
    return Notification.objects.get(pk=w.notification.pk).read_at is not None


# --- the foundation's routes: full rows ------------------------------------------------------

API = "/api/v1"

FOUNDATION: dict[str, list[Check]] = {
    # sign-in, language, home
    "home": [Check("get", page("home"), ALL_OK)],
    "login": [Check("get", page("login"), ALL_OK, anonymous=OK)],
    "logout": [Check("post", page("logout"), ALL_OK, anonymous=OK, signs_out=True)],
    "set_language": [
        Check(
            "post",
            page("set_language"),
            ALL_OK,
            data=lambda w, r: {"language": "en", "next": "/"},
            anonymous=OK,
        )
    ],
    # Django's own admin: none of the role users is staff, so everyone is sent to its sign-in.
    "admin:index": [Check("get", page("admin:index"), rule(deny=EVERYONE))],
    # orders
    "orders:list": [Check("get", page("orders:list"), ALL_OK)],
    "orders:create": [
        Check(
            "get",
            page("orders:create"),
            rule(ok=ORDER_CREATORS, deny=EVERYONE - ORDER_CREATORS),
        ),
        Check(
            "post",
            page("orders:create"),
            rule(ok=ORDER_CREATORS, deny=EVERYONE - ORDER_CREATORS),
            data=order_form,
            effect=order_count,
        ),
    ],
    "orders:detail": [Check("get", page("orders:detail", number), ORDER_READ)],
    "orders:edit": [
        Check("get", page("orders:edit", number), ORDER_WRITE),
        Check(
            "post",
            page("orders:edit", number),
            ORDER_WRITE,
            data=order_edit_form,
            effect=order_version,
        ),
    ],
    "orders:ledger": [Check("get", page("orders:ledger", number), ORDER_READ)],
    "orders:transition": [
        Check(
            "post",
            page("orders:transition", number),
            ORDER_WRITE,
            data=lambda w, r: {"name": "submit", "version": str(w.order.version), "reason": ""},
            effect=order_status,
        )
    ],
    "orders:comment": [
        Check(
            "post",
            page("orders:comment", number),
            LEDGER_WRITE,
            data=lambda w, r: {"text": "Called the buyer: the spec stands."},
            effect=ledger_count,
        )
    ],
    "orders:communication": [
        Check(
            "post",
            page("orders:communication", number),
            LEDGER_WRITE,
            data=lambda w, r: {
                "channel": "call",
                "counterpart": "Mr Wang, buyer",
                "summary": "Confirmed the delivery window.",
                "body": "",
                "occurred_at": "",
            },
            effect=ledger_count,
        )
    ],
    "orders:open_task": [
        Check(
            "post",
            page("orders:open_task", number),
            ORDER_WRITE,
            data=lambda w, r: {
                "title": "Check the core diameter",
                "department": str(w.department_task.department_id),
                "assignee": "",
                "due_in": "2",
                "due_unit": "working_days",
                "description": "",
            },
            effect=task_count,
        )
    ],
    # customers
    "customers:list": [Check("get", page("customers:list"), ALL_OK)],
    "customers:suggest": [Check("get", page("customers:suggest"), ALL_OK)],
    "customers:create": [
        Check(
            "get",
            page("customers:create"),
            rule(ok=CUSTOMER_EDITORS, deny=EVERYONE - CUSTOMER_EDITORS),
        ),
        Check(
            "post",
            page("customers:create"),
            rule(ok=CUSTOMER_EDITORS, deny=EVERYONE - CUSTOMER_EDITORS),
            data=customer_form,
            effect=customers,
        ),
    ],
    "customers:detail": [Check("get", page("customers:detail", lambda w: w.customer.pk), ALL_OK)],
    "customers:edit": [
        Check(
            "get",
            page("customers:edit", lambda w: w.customer.pk),
            rule(ok=CUSTOMER_EDITORS, deny=EVERYONE - CUSTOMER_EDITORS),
        ),
        Check(
            "post",
            page("customers:edit", lambda w: w.customer.pk),
            rule(ok=CUSTOMER_EDITORS, deny=EVERYONE - CUSTOMER_EDITORS),
            data=customer_edit_form,
            effect=customers,
        ),
    ],
    # products
    "products:list": [Check("get", page("products:list"), ALL_OK)],
    "products:lines": [Check("get", page("products:lines"), ALL_OK)],
    "products:detail": [Check("get", page("products:detail", lambda w: w.product.pk), ALL_OK)],
    "products:create": [
        Check(
            "get",
            page("products:create"),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
        ),
        Check(
            "post",
            page("products:create"),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
            data=product_form,
            effect=products,
        ),
    ],
    "products:edit": [
        Check(
            "get",
            page("products:edit", lambda w: w.product.pk),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
        ),
        Check(
            "post",
            page("products:edit", lambda w: w.product.pk),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
            data=product_edit_form,
            effect=products,
        ),
    ],
    # tasks and notifications
    "tasks:list": [Check("get", page("tasks:list"), ALL_OK)],
    "tasks:complete": [
        Check(
            "post",
            page("tasks:complete", lambda w: w.department_task.pk),
            rule(
                ok=SEES_DEPARTMENT_TASK - {"auditor"},
                deny={"auditor"},
                hide=EVERYONE - SEES_DEPARTMENT_TASK,
            ),
            data=lambda w, r: {"outcome": "Specification checked."},
            effect=department_task_state,
        )
    ],
    "notifications:list": [Check("get", page("notifications:list"), ALL_OK)],
    "notifications:mark_read": [Check("post", page("notifications:mark_read"), ALL_OK)],
    "notifications:open": [
        Check(
            "post",
            page("notifications:open", lambda w: w.notification.pk),
            rule(ok={"clerk"}, hide=EVERYONE - {"clerk"}),
            effect=clerk_notification_read,
        )
    ],
}


def api(path: Callable[[World], str] | str) -> Callable[[World], str]:
    return (lambda w: API + path(w)) if callable(path) else (lambda w: API + path)


def order_api(suffix: str = "") -> Callable[[World], str]:
    return lambda w: f"{API}/orders/{w.order.number}/{suffix}"


def api_order_body(w: World, role: str) -> dict[str, Any]:
    return {
        "customer": w.customer.pk,
        "channel": "phone",
        "requested_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "delivery_place": "Kunshan plant, gate 2",
        "payment_terms": "30 days after delivery",
        "lines": [{"product": w.product.pk, "quantity": "30", "unit_price": "3150.00"}],
    }


FOUNDATION_API: dict[str, list[Check]] = {
    "api:api-root": [Check("get", api("/"), ALL_OK, api=True)],
    # The schema and its documentation pages describe the API, no records: public.
    "api:schema": [Check("get", page("api:schema"), ALL_OK, api=True, anonymous=OK)],
    "api:docs": [Check("get", page("api:docs"), ALL_OK, api=True, anonymous=OK)],
    "api:redoc": [Check("get", page("api:redoc"), ALL_OK, api=True, anonymous=OK)],
    "api:token": [
        Check(
            "post",
            api("/auth/token/"),
            ALL_OK,
            data=lambda w, r: {
                "username": r if r != ANONYMOUS else "clerk",
                "password": PASSWORD,
            },
            api=True,
            anonymous=OK,
        )
    ],
    "api:me": [Check("get", api("/me/"), ALL_OK, api=True)],
    "api:order-list": [
        Check("get", api("/orders/"), ALL_OK, api=True),
        Check(
            "post",
            api("/orders/"),
            rule(ok=ORDER_CREATORS, deny=EVERYONE - ORDER_CREATORS),
            data=api_order_body,
            api=True,
            effect=order_count,
        ),
    ],
    "api:order-detail": [
        Check("get", order_api(), ORDER_READ, api=True),
        Check(
            "patch",
            order_api(),
            ORDER_WRITE,
            data=lambda w, r: {"delivery_place": "Wuxi plant", "version": w.order.version},
            api=True,
            effect=order_version,
        ),
    ],
    "api:order-transitions": [Check("get", order_api("transitions/"), ORDER_READ, api=True)],
    "api:order-transition": [
        Check(
            "post",
            order_api("transitions/submit/"),
            ORDER_WRITE,
            data=lambda w, r: {"reason": ""},
            api=True,
            effect=order_status,
        )
    ],
    "api:order-ledger": [Check("get", order_api("ledger/"), ORDER_READ, api=True)],
    "api:order-comments": [
        Check(
            "post",
            order_api("comments/"),
            LEDGER_WRITE,
            data=lambda w, r: {"text": "Called the buyer."},
            api=True,
            effect=ledger_count,
        )
    ],
    "api:order-communications": [
        Check(
            "post",
            order_api("communications/"),
            LEDGER_WRITE,
            data=lambda w, r: {
                "channel": "call",
                "counterpart": "Mr Wang",
                "summary": "Confirmed the delivery window.",
            },
            api=True,
            effect=ledger_count,
        )
    ],
    "api:notifications": [Check("get", api("/notifications/"), ALL_OK, api=True)],
    # Marking one's own notifications read changes no business record: auditors too.
    "api:notifications-read": [
        Check("post", api("/notifications/read/"), ALL_OK, data=lambda w, r: {}, api=True)
    ],
    "api:customer-list": [
        Check("get", api("/customers/"), ALL_OK, api=True),
        Check(
            "post",
            api("/customers/"),
            rule(ok=CUSTOMER_EDITORS, deny=EVERYONE - CUSTOMER_EDITORS),
            data=lambda w, r: {"code": "C-9001", "name": "Lotus Packaging"},
            api=True,
            effect=customers,
        ),
    ],
    "api:customer-detail": [
        Check("get", api(lambda w: f"/customers/{w.customer.pk}/"), ALL_OK, api=True),
        Check(
            "patch",
            api(lambda w: f"/customers/{w.customer.pk}/"),
            rule(ok=CUSTOMER_EDITORS, deny=EVERYONE - CUSTOMER_EDITORS),
            data=lambda w, r: {"notes": "Prefers delivery before 10:00."},
            api=True,
            effect=customers,
        ),
    ],
    "api:productline-list": [
        Check("get", api("/product-lines/"), ALL_OK, api=True),
        Check(
            "post",
            api("/product-lines/"),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
            data=lambda w, r: {
                "code": "WT",
                "name": "White top liner",
                "production_department": w.line.production_department.code,
            },
            api=True,
            effect=products,
        ),
    ],
    "api:productline-detail": [
        Check("get", api(lambda w: f"/product-lines/{w.line.pk}/"), ALL_OK, api=True),
        Check(
            "patch",
            api(lambda w: f"/product-lines/{w.line.pk}/"),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
            data=lambda w, r: {"name": "Corrugating medium (renamed)"},
            api=True,
            effect=products,
        ),
    ],
    "api:product-list": [
        Check("get", api("/products/"), ALL_OK, api=True),
        Check(
            "post",
            api("/products/"),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
            data=lambda w, r: {
                "code": "KL-175",
                "name": "Kraft liner",
                "line": w.line.pk,
                "list_price": "4100",
                "standard_cost": "3500",
            },
            api=True,
            effect=products,
        ),
    ],
    "api:product-detail": [
        Check("get", api(lambda w: f"/products/{w.product.pk}/"), ALL_OK, api=True),
        Check(
            "patch",
            api(lambda w: f"/products/{w.product.pk}/"),
            rule(ok=CATALOG_EDITORS, deny=EVERYONE - CATALOG_EDITORS),
            data=lambda w, r: {"name": "Renamed product"},
            api=True,
            effect=products,
        ),
    ],
    "api:task-list": [
        Check("get", api("/tasks/"), ALL_OK, api=True),
        Check(
            "post",
            api("/tasks/"),
            # Heads may assign work on orders they see; an order one cannot see is "unknown".
            rule(
                ok=ORDER_EDITORS,
                deny={"technical_reviewer", "auditor"},
                invalid=NOT_SEEING_ORDER,
            ),
            data=lambda w, r: {
                "title": "Check the core diameter",
                "order": w.order.number,
                "department": "technical",
                "working_days": 2,
            },
            api=True,
            effect=task_count,
        ),
    ],
    "api:task-detail": [
        Check(
            "get",
            api(lambda w: f"/tasks/{w.department_task.pk}/"),
            rule(ok=SEES_DEPARTMENT_TASK, hide=EVERYONE - SEES_DEPARTMENT_TASK),
            api=True,
        )
    ],
    "api:task-complete": [
        Check(
            "post",
            api(lambda w: f"/tasks/{w.department_task.pk}/complete/"),
            rule(
                ok=SEES_DEPARTMENT_TASK - {"auditor"},
                deny={"auditor"},
                hide=EVERYONE - SEES_DEPARTMENT_TASK,
            ),
            data=lambda w, r: {"outcome": "Specification checked."},
            api=True,
            effect=department_task_state,
        )
    ],
    "api:task-cancel": [
        Check(
            "post",
            api(lambda w: f"/tasks/{w.department_task.pk}/cancel/"),
            # Management, or whoever may edit the order (its clerk).
            rule(
                ok={"clerk", "gm", "admin"},
                deny={"technical_reviewer", "auditor"},
                hide=EVERYONE - SEES_DEPARTMENT_TASK,
            ),
            data=lambda w, r: {"reason": "Not needed after all."},
            api=True,
            effect=department_task_state,
        )
    ],
}

MATRIX: dict[str, list[Check]] = {**FOUNDATION, **FOUNDATION_API}

# --- inspection standards pages ---
# Everyone signed in reads them; the quality head and management change them, the API's rule
# (`quality.permissions.can_edit_standards`; no quality head among the matrix's roles).

STANDARD_EDITORS = frozenset({"gm", "admin"})
STANDARD_WRITE = rule(ok=STANDARD_EDITORS, deny=EVERYONE - STANDARD_EDITORS)


def matrix_standards(w: World) -> dict[str, Any]:
    """The world's product's final checks: grammage (active) and moisture (deactivated);
    made on first use, so every request of a row sees the same two."""
    from decimal import Decimal

    from gendan.quality.models import InspectionStandard, Stage

    made = {}
    for key, name, active in (("active", "Grammage", True), ("inactive", "Moisture", False)):
        made[key], _ = InspectionStandard.objects.get_or_create(
            product=w.product,
            stage=Stage.FINAL,
            characteristic=name,
            defaults={
                "target": Decimal("120"),
                "tolerance_minus": Decimal("4.8"),
                "tolerance_plus": Decimal("4.8"),
                "is_active": active,
            },
        )
    return made


def standard_pk(key: str) -> Callable[[World], int]:
    return lambda w: matrix_standards(w)[key].pk


def standard_rows(w: World) -> list[tuple[Any, ...]]:
    from gendan.quality.models import InspectionStandard

    matrix_standards(w)
    return list(
        InspectionStandard.objects.order_by("pk").values_list(
            "pk", "characteristic", "tolerance_plus", "is_active"
        )
    )


def standard_form(w: World, role: str) -> dict[str, str]:
    return {
        "product": str(w.product.pk),
        "material": "",
        "stage": "final",
        "sequence": "20",
        "characteristic": "Ash content",
        "method": "GB/T 742",
        "unit": "%",
        "target": "12",
        "tolerance_minus": "",
        "tolerance_plus": "3",
        "frequency": "every lot",
    }


def standard_edit_form(w: World, role: str) -> dict[str, str]:
    return {**standard_form(w, role), "characteristic": "Grammage", "tolerance_plus": "5"}


INSPECTION_STANDARDS: dict[str, list[Check]] = {
    "quality:standards": [Check("get", page("quality:standards"), ALL_OK)],
    "quality:standard": [Check("get", page("quality:standard", standard_pk("active")), ALL_OK)],
    "quality:standard_create": [
        Check("get", page("quality:standard_create"), STANDARD_WRITE),
        Check(
            "post",
            page("quality:standard_create"),
            STANDARD_WRITE,
            data=standard_form,
            effect=standard_rows,
        ),
    ],
    "quality:standard_edit": [
        Check("get", page("quality:standard_edit", standard_pk("active")), STANDARD_WRITE),
        Check(
            "post",
            page("quality:standard_edit", standard_pk("active")),
            STANDARD_WRITE,
            data=standard_edit_form,
            effect=standard_rows,
        ),
    ],
    "quality:standard_deactivate": [
        Check(
            "post",
            page("quality:standard_deactivate", standard_pk("active")),
            STANDARD_WRITE,
            effect=standard_rows,
        )
    ],
    "quality:standard_reactivate": [
        Check(
            "post",
            page("quality:standard_reactivate", standard_pk("inactive")),
            STANDARD_WRITE,
            effect=standard_rows,
        )
    ],
}
MATRIX.update(INSPECTION_STANDARDS)
# --- end inspection standards pages ---
