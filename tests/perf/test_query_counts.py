"""The order list, the order page and the home page cost the same number of queries whatever
the number of rows: 5 orders or 50, an order with one line and one task or with many.

Each page is asked for by a clerk, a reviewer whose department the orders are routed to, the
sales head and the general manager. The data is made through the real actions (orders with
lines, pipeline steps, comments, tasks, notifications). Every comparison also checks that the
larger figure really shows more rows, so that a page that shows nothing cannot pass.
"""

import re
from collections.abc import Callable, Iterator

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from gendan.accounts.models import User
from gendan.notifications.actions import notify
from gendan.orders.actions import add_comment, log_communication, transition_order
from gendan.orders.models import Order
from gendan.orders.status import Priority
from gendan.tasks.actions import due_at_for, open_task
from tests.factories import CustomerFactory, department, make_order

pytestmark = pytest.mark.django_db

VIEWERS = ["clerk", "technical_reviewer", "sales_head", "gm"]
#: The order page's queries for each viewer (sessions and user included).
ORDER_PAGE_QUERIES = {"clerk": 33, "technical_reviewer": 31, "sales_head": 43, "gm": 42}


def home_url() -> str:
    for name in ("core:home", "home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    raise NoReverseMatch("no home page route (core:home or home)")


def add_orders(users: dict[str, User], count: int, *, lines: int = 3) -> list[Order]:
    """`count` orders followed by the clerk, each with lines, a step, ledger entries and
    tasks for a department and for the clerk; every third one an emergency."""
    made = []
    for i in range(count):
        order = make_order(
            user=users["clerk"],
            lines=lines,
            customer=CustomerFactory(),
            priority=Priority.EMERGENCY if i % 3 == 0 else Priority.NORMAL,
        )
        if i % 2 == 0:
            order = transition_order(order=order, name="submit", user=users["clerk"])
        add_work(order, users, entries=2, tasks=1)
        made.append(order)
    notify([users[name] for name in VIEWERS], f"{count} orders made", "/")
    return made


def add_work(order: Order, users: dict[str, User], *, entries: int, tasks: int) -> None:
    """Ledger entries (comments, calls) and tasks (department and personal) on `order`."""
    for n in range(entries):
        add_comment(order=order, user=users["clerk"], text=f"Customer called again ({n}).")
        log_communication(
            order=order,
            user=users["sales_head"],
            channel="call",
            counterpart="Purchasing manager",
            summary=f"Confirmed the delivery window ({n}).",
        )
    # The first task goes to technical: the order is routed there, so its reviewer sees it.
    codes = ["technical", "production", "logistics", "sales"]
    for n in range(tasks):
        open_task(
            user=users["sales_head"],
            order=order,
            title=f"Check capacity ({n})",
            department=department(codes[n % len(codes)]),
            due_at=due_at_for(working_days=2),
        )
        open_task(
            user=users["sales_head"],
            order=order,
            title=f"Call the customer back ({n})",
            assignee=users["clerk"],
            due_at=due_at_for(working_days=1),
        )


def queries_for(client: Client, url: str) -> CaptureQueriesContext:
    """The queries of one GET of `url`, after a warm-up GET (cached per-process lookups, e.g.
    the sites or content types, are not counted)."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    captured.html = response.content.decode()  # type: ignore[attr-defined]
    return captured


def order_links(captured: CaptureQueriesContext) -> int:
    """How many distinct order pages the captured response links to."""
    return len(set(re.findall(r'href="/orders/(SO-[^/"]+)/"', captured.html)))  # type: ignore[attr-defined]


def assert_same_cost(small: CaptureQueriesContext, large: CaptureQueriesContext) -> None:
    if len(small) != len(large):
        listing = "\n".join(q["sql"][:300] for q in large.captured_queries)
        pytest.fail(
            f"{len(small)} queries with few rows, {len(large)} with many:\n{listing}",
            pytrace=False,
        )


@pytest.fixture
def clients(client_for: Callable[[str], Client]) -> Iterator[dict[str, Client]]:
    yield {name: client_for(name) for name in VIEWERS}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_order_list_costs_the_same_for_5_and_50_orders(
    users: dict[str, User], clients: dict[str, Client], viewer: str
) -> None:
    url = reverse("orders:list")
    add_orders(users, 5)
    small = queries_for(clients[viewer], url)
    add_orders(users, 45)
    large = queries_for(clients[viewer], url)
    assert (order_links(small), order_links(large)) == (5, 50)
    assert_same_cost(small, large)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_order_list_of_many_pages_costs_the_same_for_5_and_50_orders(
    users: dict[str, User],
    clients: dict[str, Client],
    viewer: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past one page the pager asks for the total (capped) in a second request: each costs the
    same however many orders there are."""
    monkeypatch.setattr("gendan.orders.views.listing.PER_PAGE", 4)
    url = reverse("orders:list")
    add_orders(users, 5)
    small = queries_for(clients[viewer], url)
    small_total = queries_for(clients[viewer], url + "?count=1")
    add_orders(users, 45)
    large = queries_for(clients[viewer], url)
    large_total = queries_for(clients[viewer], url + "?count=1")
    assert (order_links(small), order_links(large)) == (4, 4)
    assert 'data-testid="list-total"' in large.html  # type: ignore[attr-defined]
    assert (small_total.html, large_total.html) == ("5", "50")  # type: ignore[attr-defined]
    assert_same_cost(small, large)
    assert_same_cost(small_total, large_total)


@pytest.mark.parametrize("customer_ids", [True, False], ids=["few-customers", "many-customers"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_filtered_order_list_costs_the_same_for_5_and_50_orders(
    users: dict[str, User],
    clients: dict[str, Client],
    viewer: str,
    customer_ids: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Filtered and searched; the search takes its customers as a list of ids, or, when the
    word matches more customers than that list may hold, as a join."""
    if not customer_ids:
        monkeypatch.setattr("gendan.orders.search.MAX_CUSTOMER_IDS", 2)
    url = reverse("orders:list") + "?status=intake_review&priority=emergency&q=Customer"
    add_orders(users, 5)
    small = queries_for(clients[viewer], url)
    add_orders(users, 45)
    large = queries_for(clients[viewer], url)
    # Every third order is an emergency and every second one submitted: 0, 6 of the first 5
    # (only order 0); of 50: orders 0, 6, 12, ..., 48 in each batch.
    assert (order_links(small), order_links(large)) == (1, 1 + 8)
    assert_same_cost(small, large)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_order_page_costs_the_same_for_a_small_and_a_large_order(
    users: dict[str, User], clients: dict[str, Client], viewer: str
) -> None:
    small_order = add_orders(users, 1, lines=1)[0]
    large_order = add_orders(users, 1, lines=12)[0]
    add_work(large_order, users, entries=12, tasks=8)
    small = queries_for(clients[viewer], reverse("orders:detail", args=[small_order.number]))
    large = queries_for(clients[viewer], reverse("orders:detail", args=[large_order.number]))
    assert "Customer called again (11)" in large.html  # type: ignore[attr-defined]
    assert "Check capacity (7)" in large.html  # type: ignore[attr-defined]
    assert_same_cost(small, large)
    # A submitted order: the steps' guards, the intake checks, the panels and the forms.
    assert len(large) <= ORDER_PAGE_QUERIES[viewer], len(large)


#: The home page's queries: session, user, the inbox (one query per piece: own tasks, and one
#: per department for reviewers and heads) and its counts, orders by status, emergencies,
#: notifications, the unread badge, the user's departments (reviewers and heads also read
#: their memberships first).
HOME_QUERIES = {"clerk": 9, "technical_reviewer": 11, "sales_head": 11, "gm": 9}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_home_page_costs_the_same_for_5_and_50_orders(
    users: dict[str, User], clients: dict[str, Client], viewer: str
) -> None:
    add_orders(users, 5)
    small = queries_for(clients[viewer], home_url())
    add_orders(users, 45)
    large = queries_for(clients[viewer], home_url())
    assert order_links(large) > order_links(small) > 0  # its tasks and emergencies
    assert_same_cost(small, large)
    assert len(large) <= HOME_QUERIES[viewer], [q["sql"][:120] for q in large.captured_queries]
