"""Benchmark of the busiest pages on a PostgreSQL database holding a million orders.

Usage:
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gendan_bench \\
        .venv/bin/python bench/pages.py [--orders 1000000] [--requests 30] [--refill] [--explain]

1. Creates the database if it does not exist and migrates it. It refuses to run against a
   database that has tables but no bench marker (the `bench_marker` table this script
   creates), so it never touches data that is not its own.
2. Fills it once (skipped on later runs when the marker says it holds `--orders` orders;
   `--refill` fills again): customers, products, clerks and department people through the
   ORM; orders, lines, department routes, ledger entries and tasks through PostgreSQL COPY.
   Then rebuilds the orders-by-status counts (`gendan.orders.counters.rebuild`, as
   `gendan recount_orders` does), checks they add up, and runs VACUUM (ANALYZE).
3. Measures, in-process with Django's test client and signed-in users (the busiest clerk, a
   clerk with about 2,000 orders, the technical reviewer, the sales head, the general
   manager), the server time of each page: warm-up requests first, then `--requests` timed
   requests; prints median and 95th percentile, and each as a ratio to a bare Django view
   measured the same way in the same run (see bench/README.md). Target: the median ratio at
   most 2. `--only TEXT` / `--who TEXT` narrow the pages / users; `--fill-only` only fills.

`--explain` prints, for every page, its slowest queries with EXPLAIN (ANALYZE, BUFFERS).
`--pg-setting jit=off` (repeatable) sets a PostgreSQL setting on the measured connections.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARKER = "bench_marker"
TARGET_RATIO = 2.0
#: Share of the orders followed by `clerk41`, the lightly loaded clerk (2,000 of a million).
LIGHT_CLERK_SHARE = 0.002
WARM_UP = 5
SEED = 20261122

#: Status mix by the order's age in days: recent orders are still moving, old ones closed.
STATUS_MIX: list[tuple[int, dict[str, float]]] = [
    (
        20,
        {
            "draft": 15,
            "intake_review": 15,
            "department_review": 15,
            "contract": 10,
            "confirmed": 10,
            "in_execution": 20,
            "on_hold": 5,
            "rejected": 5,
            "cancelled": 5,
        },
    ),
    (
        90,
        {
            "in_execution": 35,
            "shipped": 15,
            "delivered": 15,
            "accepted": 10,
            "closing": 5,
            "closed": 10,
            "on_hold": 3,
            "cancelled": 4,
            "rejected": 3,
        },
    ),
    (
        10**6,
        {
            "closed": 90,
            "cancelled": 5,
            "rejected": 4,
            "on_hold": 0.5,
            "in_execution": 0.5,
        },
    ),
]
PIPELINE = [
    "draft",
    "intake_review",
    "department_review",
    "contract",
    "confirmed",
    "in_execution",
    "shipped",
    "delivered",
    "accepted",
    "closing",
    "closed",
]
OPEN = {
    "draft",
    "intake_review",
    "department_review",
    "contract",
    "confirmed",
    "in_execution",
    "shipped",
    "delivered",
    "accepted",
    "closing",
    "on_hold",
}
FILLED_TABLES = [
    "accounts_user",
    "customers_customer",
    "catalog_productline",
    "catalog_product",
    "orders_order",
    "orders_statuscount",
    "orders_numbersequence",
]
CITIES = (
    "苏州 无锡 常州 南通 嘉兴 湖州 绍兴 宁波 温州 合肥 芜湖 济南 青岛 潍坊 郑州 武汉 长沙 东莞 佛山"
)
WORDS = (
    "宏达 华美 金盛 恒丰 永安 鑫源 瑞祥 新亚 东方 天成 利民 顺发 嘉禾 富康 联华 盛世 中茂 博远 万通"
)
KINDS = "包装 纸品 印务 彩印 纸业 包装材料 纸箱 印刷 食品包装 家居用品"


# --- the database: create, check it is the bench's own, migrate ------------------------------


def bench_database(url: str) -> tuple[str, str]:
    """(database name, address of the maintenance database) from DATABASE_URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("bench/pages.py needs PostgreSQL: DATABASE_URL=postgresql://...")
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit("DATABASE_URL names no database")
    return name, urlunsplit(parts._replace(path="/postgres"))


def ensure_bench_database(url: str) -> None:
    """Create the database if missing; refuse a database with tables but no bench marker."""
    import psycopg

    name, maintenance = bench_database(url)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    with psycopg.connect(url, autocommit=True) as conn:
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
        }
        if tables and MARKER not in tables:
            raise SystemExit(
                f"database {name} has {len(tables)} tables but no {MARKER} table: it is not a "
                "bench database. Refusing to touch it; name another DATABASE_URL."
            )
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (id int PRIMARY KEY, orders int NOT NULL, "
            "filled_at timestamptz NOT NULL DEFAULT now())"
        )


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["GENDAN_HTTPS"] = "false"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def filled_orders() -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT orders FROM {MARKER} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


# --- filling -----------------------------------------------------------------------------


class Columns:
    """A model's columns for COPY: the ones the generator gives, then every other concrete
    column with its default, so fields added later do not break the fill."""

    def __init__(self, model: Any, given: Sequence[str]) -> None:
        from django.db.models import NOT_PROVIDED
        from psycopg.types.json import Jsonb

        self.table = model._meta.db_table
        self.given = list(given)
        extra_fields = [f for f in model._meta.concrete_fields if f.column not in self.given]
        self.extra: list[str] = []
        defaults: list[Any] = []
        for f in extra_fields:
            if f.primary_key:
                continue
            if f.has_default():
                value = f.get_default()
            elif getattr(f, "db_default", NOT_PROVIDED) is not NOT_PROVIDED:
                continue  # the database fills it
            elif f.null:
                value = None
            elif f.get_internal_type() in ("CharField", "TextField", "SlugField", "EmailField"):
                value = ""
            else:
                raise SystemExit(f"{self.table}.{f.column}: no value and no default to use")
            if isinstance(value, dict | list):
                value = Jsonb(value)
            self.extra.append(f.column)
            defaults.append(value)
        self.defaults = tuple(defaults)

    @property
    def names(self) -> str:
        return ", ".join(f'"{c}"' for c in self.given + self.extra)


def copy_rows(cursor: Any, columns: Columns, rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    tail = columns.defaults
    with cursor.copy(f'COPY "{columns.table}" ({columns.names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row + tail)
            count += 1
    return count


def weighted(rng: random.Random, mix: dict[str, float]) -> Callable[[], str]:
    names, weights = list(mix), list(mix.values())
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    import bisect

    return lambda: names[bisect.bisect_left(cum, rng.random() * total)]


def make_people() -> dict[str, Any]:
    from gendan.accounts.models import Department, Role, User

    depts = {d.code: d for d in Department.objects.all()}
    people: dict[str, Any] = {}

    def person(username: str, role: str, codes: list[str], name: str) -> Any:
        user = User(username=username, role=role, first_name=name, email="")
        user.set_unusable_password()
        user.save()
        user.departments.set([depts[c] for c in codes])
        return user

    people["clerks"] = [
        person(f"clerk{i:02d}", Role.CLERK, ["sales"], f"跟单员{i:02d}") for i in range(1, 41)
    ]
    # A clerk who joined lately and follows about 0.2 % of the orders (2,000 of a million).
    people["clerks"].append(person("clerk41", Role.CLERK, ["sales"], "跟单员41"))
    people["sales_head"] = person("sales_head", Role.HEAD, ["sales"], "销售部经理")
    people["gm"] = person("gm", Role.GENERAL_MANAGER, ["management"], "总经理")
    for code in ("technical", "production", "quality", "procurement", "finance", "logistics"):
        person(f"{code}_head", Role.HEAD, [code], f"{code} head")
        person(f"{code}_reviewer", Role.REVIEWER, [code], f"{code} reviewer")
    people["departments"] = depts
    return people


def make_master_data(rng: random.Random) -> tuple[list[Any], list[Any]]:
    from gendan.accounts.models import Department
    from gendan.catalog.models import Product, ProductLine
    from gendan.customers.models import Customer

    cities, words, kinds = CITIES.split(), WORDS.split(), KINDS.split()
    names = [f"{c}{w}{k}有限公司" for c in cities for w in words for k in kinds]
    rng.shuffle(names)
    customers = Customer.objects.bulk_create(
        Customer(
            code=f"C{i:05d}",
            name=name,
            region=name[:2],
            credit_limit=Decimal(rng.choice([200_000, 500_000, 1_000_000, 3_000_000])),
            credit_rating=rng.choice(["A", "B", "B", "C"]),
            payment_terms="月结30天",
            is_key_account=i < 100,
        )
        for i, name in enumerate(names[:3000])
    )
    production = Department.objects.get(code="production")
    lines = ProductLine.objects.bulk_create(
        ProductLine(code=code, name=name, production_department=production)
        for code, name in [
            ("CM", "瓦楞原纸"),
            ("KL", "牛皮箱板纸"),
            ("WT", "白卡纸"),
            ("CP", "铜版纸"),
            ("OF", "胶版纸"),
        ]
    )
    products = Product.objects.bulk_create(
        Product(
            code=f"{line.code}-{g}-{w}",
            name=f"{line.name} {g}g/m² {w}mm",
            line=line,
            grammage=g,
            width_mm=w,
            unit="t",
            list_price=Decimal(3000 + g * 5),
            standard_cost=Decimal(2500 + g * 4),
        )
        for line in lines
        for g in (80, 120, 160, 200)
        for w in (1600, 2400)
    )
    return customers, products


def fill(total: int) -> None:
    """Everything a page reads, in proportions of a busy paper mill over three years."""
    from django.db import connection, transaction
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    from gendan.ledger.models import LedgerEntry
    from gendan.orders import counters
    from gendan.orders.models import NumberSequence, Order, OrderLine, OrderRoute
    from gendan.tasks.models import Task

    rng = random.Random(SEED)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # CASCADE empties every table that refers to these (the database is the bench's own).
        cursor.execute(f"TRUNCATE {', '.join(FILLED_TABLES)} RESTART IDENTITY CASCADE")
        cursor.execute(f"DELETE FROM {MARKER}")
    people = make_people()
    customers, products = make_master_data(rng)
    clerks = people["clerks"]
    depts = people["departments"]
    clerk_weights = [1.0 / (1 + i * 0.08) for i in range(len(clerks) - 1)]
    clerk_weights.append(LIGHT_CLERK_SHARE * sum(clerk_weights) / (1 - LIGHT_CLERK_SHARE))
    customer_weights = [1.0 / (1 + i) ** 0.8 for i in range(len(customers))]
    now = timezone.now()
    span = dt.timedelta(days=3 * 365)
    mixes = [(limit, weighted(rng, mix)) for limit, mix in STATUS_MIX]
    routes_after = {
        "technical": "department_review",
        "production": "confirmed",
        "logistics": "shipped",
    }
    dept_ids = {code: depts[code].pk for code in depts}

    order_cols = Columns(
        Order,
        [
            "id",
            "number",
            "customer_id",
            "customer_reference",
            "channel",
            "status",
            "held_from",
            "priority",
            "clerk_id",
            "requested_date",
            "promised_date",
            "delivery_place",
            "payment_terms",
            "total_amount",
            "version",
            "created_by_id",
            "created_at",
            "updated_at",
            "status_changed_at",
        ],
    )
    line_cols = Columns(
        OrderLine,
        [
            "id",
            "order_id",
            "position",
            "product_id",
            "grammage",
            "width_mm",
            "quantity",
            "unit",
            "unit_price",
        ],
    )
    route_cols = Columns(OrderRoute, ["order_id", "department_id", "created_at"])
    ledger_cols = Columns(
        LedgerEntry,
        [
            "order_id",
            "subject",
            "kind",
            "actor_id",
            "at",
            "summary",
            "body",
            "data",
            "channel",
            "counterpart",
        ],
    )
    task_cols = Columns(
        Task,
        [
            "order_id",
            "title",
            "department_id",
            "assignee_id",
            "priority",
            "due_at",
            "state",
            "created_by_id",
            "created_at",
            "completed_at",
            "completed_by_id",
        ],
    )

    # Generate the orders once (ids ascend with creation time), keep what the other tables need.
    plan: list[tuple[int, dt.datetime, str, str, int, str]] = []
    sequences: dict[int, int] = {}
    clerk_ids = [c.pk for c in clerks]
    picks_clerk = rng.choices(clerk_ids, clerk_weights, k=total)
    picks_customer = rng.choices([c.pk for c in customers], customer_weights, k=total)
    offsets = sorted((rng.random() for _ in range(total)), reverse=True)
    channels = ["contract", "e_order", "phone", "email", "web_shop", "verbal"]

    def orders() -> Iterator[tuple[Any, ...]]:
        for i in range(total):
            oid = i + 1
            created = now - span * offsets[i]
            age = (now - created).days
            status = next(pick for limit, pick in mixes if age < limit)()
            held_from = ""
            if status == "on_hold":
                held_from = rng.choice(["intake_review", "confirmed", "in_execution"])
            sequences[created.year] = sequences.get(created.year, 0) + 1
            number = f"SO-{created.year}-{sequences[created.year]:06d}"
            priority = "emergency" if rng.random() < 0.05 else "normal"
            clerk = picks_clerk[i]
            changed = created + (now - created) * rng.random() * 0.5
            plan.append((oid, created, status, held_from, clerk, priority))
            yield (
                oid,
                number,
                picks_customer[i],
                f"PO{rng.randrange(10**7):07d}" if rng.random() < 0.6 else "",
                rng.choice(channels),
                status,
                held_from,
                priority,
                clerk,
                (created + dt.timedelta(days=rng.randrange(10, 60))).date(),
                None,
                "客户工厂仓库",
                "月结30天",
                Decimal(rng.randrange(20_000, 2_000_000)),
                2 if status == "draft" else 3,
                clerk,
                created,
                changed,
                changed,
            )

    def lines() -> Iterator[tuple[Any, ...]]:
        lid = 0
        for oid, *_rest in plan:
            for position in range(1, rng.choice((1, 1, 2, 2, 3)) + 1):
                product = rng.choice(products)
                lid += 1
                yield (
                    lid,
                    oid,
                    position,
                    product.pk,
                    product.grammage,
                    product.width_mm,
                    Decimal(rng.randrange(5, 400)),
                    "t",
                    product.list_price,
                )

    def reached(status: str, held_from: str, step: str) -> bool:
        here = held_from if status == "on_hold" else status
        if here in ("rejected", "cancelled"):
            here = "intake_review"
        return here in PIPELINE and PIPELINE.index(here) >= PIPELINE.index(step)

    def routes() -> Iterator[tuple[Any, ...]]:
        for oid, created, status, held_from, _clerk, _prio in plan:
            yield (oid, dept_ids["sales"], created)
            for code, step in routes_after.items():
                if reached(status, held_from, step):
                    yield (oid, dept_ids[code], created)

    head = people["sales_head"].pk

    def ledger() -> Iterator[tuple[Any, ...]]:
        for oid, created, status, _held, clerk, _prio in plan:
            subject = f"orders.order:{oid}"
            yield (oid, subject, "created", clerk, created, "订单登记", "", Jsonb({}), "", "")
            if status != "draft":
                yield (
                    oid,
                    subject,
                    "transition",
                    head,
                    created + dt.timedelta(days=1),
                    f"状态变更 → {status}",
                    "",
                    Jsonb({"to": status}),
                    "",
                    "",
                )
            if rng.random() < 0.3:
                yield (
                    oid,
                    subject,
                    "communication",
                    clerk,
                    created + dt.timedelta(hours=5),
                    "与客户确认交期",
                    "",
                    Jsonb({}),
                    "call",
                    "采购经理",
                )

    task_depts = ["sales", "technical", "production", "quality", "logistics"]

    def tasks() -> Iterator[tuple[Any, ...]]:
        for oid, created, status, _held, clerk, prio in plan:
            if status in OPEN:
                due = now + dt.timedelta(hours=rng.randrange(-72, 240))
                yield (
                    oid,
                    "跟进处理",
                    dept_ids[rng.choice(task_depts)],
                    clerk if rng.random() < 0.3 else None,
                    prio,
                    due,
                    "open",
                    head,
                    created,
                    None,
                    None,
                )
            elif rng.random() < 0.2:
                yield (
                    oid,
                    "评审",
                    dept_ids[rng.choice(task_depts)],
                    None,
                    prio,
                    created + dt.timedelta(days=3),
                    "done",
                    head,
                    created,
                    created + dt.timedelta(days=2),
                    head,
                )

    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are consistent by construction; skip the per-row foreign-key triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL synchronous_commit = off")
        for label, columns, rows in [
            ("orders", order_cols, orders()),
            ("order lines", line_cols, lines()),
            ("department routes", route_cols, routes()),
            ("ledger entries", ledger_cols, ledger()),
            ("tasks", task_cols, tasks()),
        ]:
            t0 = time.perf_counter()
            n = copy_rows(cursor, columns, rows)
            print(f"  {label:<18} {n:>10,} rows in {time.perf_counter() - t0:6.1f} s")
        for table in (order_cols, line_cols, route_cols, ledger_cols, task_cols):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table.table}', 'id'), "
                f'(SELECT COALESCE(MAX(id), 1) FROM "{table.table}"))'
            )
        NumberSequence.objects.bulk_create(
            NumberSequence(key=f"order-{year}", last_value=n) for year, n in sequences.items()
        )
        cursor.execute(f"INSERT INTO {MARKER} (id, orders) VALUES (1, %s)", [total])
    t0 = time.perf_counter()
    rows = counters.rebuild()
    print(f"  status counts      {rows:>10,} rows in {time.perf_counter() - t0:6.1f} s")
    counted = sum(n for (scope, _status), n in counters.stored_counts().items() if scope == "all")
    if counted != total:
        raise SystemExit(f"the status counts hold {counted:,} orders, not {total:,}")
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # As autovacuum leaves a database in daily use: statistics, and a visibility map that
        # lets index-only scans skip the table (a fresh COPY has none).
        cursor.execute("VACUUM (ANALYZE)")
    print(f"  VACUUM (ANALYZE)              in {time.perf_counter() - t0:6.1f} s")
    print(f"filled in {time.perf_counter() - started:.0f} s")


# --- measuring ---------------------------------------------------------------------------

BARE_URL = "/__bench__/bare/"
#: Queries of one bare-view request per user (session, user, the order), for the table.
BARE_QUERIES: dict[str, int] = {}
BARE_TEMPLATE = """<!doctype html><html><head><title>{{ order.number }}</title></head>
<body><h1>{{ order.number }}</h1><p>{{ order.get_status_display }} · {{ user }}</p></body></html>"""


def bare_urlconf(number: str) -> str:
    """A URL configuration holding the application's URLs plus the bare view."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpRequest, HttpResponse
    from django.template import engines
    from django.urls import include, path

    from gendan.orders.models import Order

    template = engines["django"].from_string(BARE_TEMPLATE)

    @login_required
    def bare(request: HttpRequest) -> HttpResponse:
        """One indexed query (an order by its unique number) and a small template."""
        order = Order.objects.only("number", "status").get(number=number)
        return HttpResponse(template.render({"order": order, "user": request.user}))

    module = types.ModuleType("bench_pages_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(BARE_URL.lstrip("/"), bare, name="bench-bare"),
        path("", include("gendan.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def timed(client: Any, urls: list[str], requests: int) -> list[list[float]]:
    """Server times of `requests` rounds, each round asking every address once in turn.

    Interleaving the page with the bare view makes both see the same machine load."""
    for _ in range(WARM_UP):
        for url in urls:
            check(client.get(url), url)
    times: list[list[float]] = [[] for _ in urls]
    for _ in range(requests):
        for index, url in enumerate(urls):
            start = time.perf_counter()
            response = client.get(url)
            times[index].append(time.perf_counter() - start)
            check(response, url)
    return times


def check(response: Any, url: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def query_log(client: Any, url: str) -> list[tuple[float, str, Any]]:
    """(seconds, sql, params) of every query one request runs."""
    from django.db import connection

    log: list[tuple[float, str, Any]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            log.append((time.perf_counter() - start, sql, params))

    with connection.execute_wrapper(wrapper):
        client.get(url)
    return log


def profile(client: Any, url: str, rounds: int = 20, top: int = 30) -> None:
    """Where one page's time goes: its database share, then the functions that take the most
    time (own time and cumulative) over `rounds` requests, from cProfile."""
    import cProfile
    import pstats

    log = query_log(client, url)
    start = time.perf_counter()
    client.get(url)
    total = time.perf_counter() - start
    in_db = sum(seconds for seconds, _, _ in log)
    queries = f"{in_db * 1000:.1f} ms of it in {len(log)} queries"
    print(f"    one request: {total * 1000:.1f} ms, {queries}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        client.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    for key in ("tottime", "cumulative"):
        print(f"    -- top {top} by {key} over {rounds} requests")
        stats.sort_stats(key).print_stats(top)


def explain(log: list[tuple[float, str, Any]], top: int = 3) -> None:
    from django.db import connection

    for seconds, sql, params in sorted(log, key=lambda q: q[0], reverse=True)[:top]:
        print(f"\n    -- {seconds * 1000:.1f} ms: {sql[:2000]}\n    -- params: {params}")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            for (line,) in cursor.fetchall():
                print(f"    {line}")


#: The users measured: (label, username). clerk01 follows the most orders (about 5 % of them),
#: clerk41 about 2,000; the technical reviewer sees the orders routed to technical (most of
#: them), the sales head every order (all are routed to sales), the general manager all.
PEOPLE = [
    ("clerk (busiest)", "clerk01"),
    ("clerk (2k orders)", "clerk41"),
    ("technical reviewer", "technical_reviewer"),
    ("sales head", "sales_head"),
    ("general manager", "gm"),
]


def pages(user: Any) -> list[tuple[str, str]]:
    """The pages to measure for `user` as (label, address), with search words taken from
    orders the user sees."""
    from django.urls import reverse

    from gendan.customers.models import Customer
    from gendan.orders.models import Order

    visible = Order.objects.for_user(user)
    order = visible.filter(status="in_execution").only("number").first()
    if order is None:
        raise SystemExit(f"{user} sees no order in execution")
    reference = (
        visible.filter(status="closed").exclude(customer_reference="").only("customer_reference")
    ).first()
    busiest = Customer.objects.order_by("code").values_list("name", flat=True).first() or ""
    word = busiest[2:4]  # the company's distinctive word, e.g. 宏达: about 1 in 19 customers
    # A customer of middling rank: a full name, few orders, none of them recent.
    rare = Customer.objects.order_by("code").values_list("name", flat=True)[1500]
    listing = reverse("orders:list")

    def search(text: str) -> str:
        return listing + "?" + urlencode({"q": text})

    return [
        ("order list", listing),
        # The list's total, which its pager loads in a second request once the rows are shown.
        ("order list: its total", listing + "?count=1"),
        (
            "list: in execution + emergency",
            listing + "?" + urlencode({"status": "in_execution", "priority": "emergency"}),
        ),
        ("search: customer word", search(word)),
        ("search: customer word, total", search(word) + "&count=1"),
        ("search: rare customer", search(rare)),
        ("search: number prefix", search(order.number[:-2])),
        ("search: exact number", search(order.number)),
        ("search: reference", search(reference.customer_reference if reference else "PO")),
        ("order page", reverse("orders:detail", args=[order.number])),
        ("home page", reverse("home")),
    ]


def measure(
    requests: int,
    show_plans: bool,
    only: list[str],
    who_only: list[str],
    show_profile: bool = False,
) -> list[dict[str, Any]]:
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    users = get_user_model().objects
    people = [
        (label, users.get(username=username))
        for label, username in PEOPLE
        if not who_only or any(w in label or w == username for w in who_only)
    ]
    number = (
        users.get(username="clerk01")
        .followed_orders.filter(status="in_execution")
        .values_list("number", flat=True)
        .first()
    )
    urlconf = bare_urlconf(number)
    results: list[dict[str, Any]] = []
    with override_settings(
        ROOT_URLCONF=urlconf,
        ALLOWED_HOSTS=["testserver"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        for who, user in people:
            client = Client()
            client.force_login(user)
            BARE_QUERIES[who] = len(query_log(client, BARE_URL))
            for label, url in pages(user):
                if only and not any(o in label for o in only):
                    continue
                page_times, bare = timed(client, [url, BARE_URL], requests)
                bare_median = statistics.median(bare)
                queries = len(query_log(client, url))
                results.append(row(label, who, page_times, bare_median, queries, bare))
                print(
                    f"  {label:<32} {who:<20} {results[-1]['median']:8.1f} ms "
                    f"({results[-1]['ratio']:.2f} x bare)  {url}",
                    flush=True,
                )
                if show_plans:
                    print(f"\n== {label} as {who}: {url}")
                    explain(query_log(client, url))
                if show_profile:
                    print(f"\n== profile of {label} as {who}: {url}")
                    profile(client, url)
    return results


def row(
    label: str, who: str, times: list[float], bare: float, queries: int, bare_times: list[float]
) -> dict[str, Any]:
    median = statistics.median(times)
    return {
        "page": label,
        "user": who,
        "median": median * 1000,
        "p95": p95(times) * 1000,
        "bare": bare * 1000,
        "bare95": p95(bare_times) * 1000,
        "ratio": median / bare,
        "ratio95": p95(times) / p95(bare_times),
        "queries": queries,
        "n": len(times),
    }


def apply_settings(pairs: list[str]) -> None:
    """`SET name = value` on every connection opened from now on."""
    from django.db import connection
    from django.db.backends.signals import connection_created

    parsed = []
    for pair in pairs:
        name, _, value = pair.partition("=")
        if not name.replace("_", "").isalnum() or not value:
            raise SystemExit(f"--pg-setting wants NAME=VALUE, not {pair!r}")
        parsed.append((name, value))

    def set_all(sender: Any, connection: Any, **kwargs: Any) -> None:
        with connection.cursor() as cursor:
            for name, value in parsed:
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])

    if parsed:
        connection_created.connect(set_all, weak=False)
        connection.close()


def print_table(results: list[dict[str, Any]], total: int, pg_settings: list[str]) -> None:
    from django.db import connection

    print()
    print(f"Gendan page benchmark: {total:,} orders, PostgreSQL {connection.pg_version}")
    if pg_settings:
        print(f"Session settings: {', '.join(pg_settings)}")
    print(
        "Bare view: a @login_required function view, one query by the unique order number, a "
        "five-line template; same middleware, same signed-in client "
        f"(queries per request, with session and user: {BARE_QUERIES})."
    )
    header = (
        f"{'page':<32} {'user':<20} {'median ms':>9} {'p95 ms':>8} {'bare ms':>8} "
        f"{'x bare':>7} {'p95 x bare p95':>14} {'queries':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ok = "ok" if r["ratio"] <= TARGET_RATIO else "MISS"
        print(
            f"{r['page']:<32} {r['user']:<20} {r['median']:>9.1f} {r['p95']:>8.1f} "
            f"{r['bare']:>8.1f} {r['ratio']:>7.2f} {r['ratio95']:>14.2f} {r['queries']:>7}  {ok}"
        )
    print(
        f"({results[0]['n']} timed rounds per row after {WARM_UP} warm-up rounds; each round "
        "asks the page, then the bare view, so both see the same load)"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per row")
    parser.add_argument("--refill", action="store_true", help="fill again even if filled")
    parser.add_argument(
        "--only", action="append", default=[], metavar="TEXT", help="pages whose label has TEXT"
    )
    parser.add_argument(
        "--who", action="append", default=[], metavar="TEXT", help="users whose label has TEXT"
    )
    parser.add_argument("--fill-only", action="store_true", help="fill if needed, then stop")
    parser.add_argument("--explain", action="store_true", help="print the slowest query plans")
    parser.add_argument(
        "--profile", action="store_true", help="print where each page's time goes (cProfile)"
    )
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="SET this on the measured connections (to try a setting before proposing it)",
    )
    args = parser.parse_args(argv)
    if args.requests < 10:
        parser.error("at least 10 timed requests per row")
    url = os.environ.get("DATABASE_URL", "")
    ensure_bench_database(url)
    setup_django(url)
    have = filled_orders()
    if have == args.orders and not args.refill:
        print(f"reusing the filled database ({have:,} orders)")
    else:
        print(f"filling {args.orders:,} orders (was: {have or 0:,})")
        fill(args.orders)
    if args.fill_only:
        return
    apply_settings(args.pg_setting)
    results = measure(args.requests, args.explain, args.only, args.who, args.profile)
    print_table(results, args.orders, args.pg_setting)


if __name__ == "__main__":
    main()
