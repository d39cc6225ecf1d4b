"""Every page and API endpoint, for every role and an anonymous visitor (P3, STYLE "one door").

The routes come from the URL resolver, so a route without a row fails
`test_every_route_has_a_matrix_row`. The foundation's routes have full rows (matrix.py): the
answer per role, with valid requests, and the state a write must (or must not) change. The
later steps' routes have generic rows (generic.py).
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from gendan.accounts.models import User
from gendan.orders.models import Order
from tests.access.generic import GENERIC, LIST, OBJECT, ORDER_PART, ORDER_SCOPED
from tests.access.matrix import (
    ANONYMOUS,
    DENY,
    HIDE,
    INVALID,
    MATRIX,
    NOT_SEEING_ORDER,
    OK,
    ROLES,
    SEES_ORDER,
    STAFF,
    Check,
)
from tests.access.routes import all_routes
from tests.access.world import World, build_world

pytestmark = pytest.mark.django_db

#: Django's admin is guarded by `is_staff`, which none of the role users has; its index has a
#: row, its hundred model pages are the same door.
ADMIN_PREFIX = "admin/"


# --- judging answers -------------------------------------------------------------------------


def is_sign_in_redirect(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(str(settings.LOGIN_URL))
        or location.startswith("/login/")
        or location.startswith("/admin/login/")
    )


def answer(response: HttpResponse, check: Check | None = None) -> str:
    code = response.status_code
    if check is not None and check.signs_out and is_sign_in_redirect(response):
        return OK
    if code == 404:
        return HIDE
    if code in (401, 403) or is_sign_in_redirect(response):
        return DENY
    if code == 400:
        return INVALID
    if code in (200, 201, 204, 302, 303, 304):
        return OK
    return f"HTTP {code}"


def client_for_role(world: World, role: str, *, api: bool) -> Client:
    client: Client = (
        APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
        if api
        else Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    )
    if role != ANONYMOUS:
        client.force_login(world.users[role])
    return client


def send(client: Client, check: Check, world: World, role: str) -> HttpResponse:
    url = check.url(world)
    method: Callable[..., HttpResponse] = getattr(client, check.method)
    data = check.data(world, role) if check.data else None
    if check.api:
        return method(url, data, format="json") if data is not None else method(url)
    return method(url, data or {}) if check.method != "get" else method(url)


def expected(check: Check, role: str) -> str:
    return check.anonymous if role == ANONYMOUS else check.expect[role]


def described(response: HttpResponse) -> str:
    body = getattr(response, "content", b"")[:300].decode("utf-8", "replace")
    return f"{response.status_code} {response.get('Location', '')} {body!r}"


# --- the full rows ---------------------------------------------------------------------------

READS = [
    pytest.param(name, index, id=f"{name}-{check.method}")
    for name, checks in MATRIX.items()
    for index, check in enumerate(checks)
    if not check.writes
]
WRITES = [
    pytest.param(name, index, role, id=f"{name}-{check.method}-{role}")
    for name, checks in MATRIX.items()
    for index, check in enumerate(checks)
    if check.writes
    for role in ROLES
]


@pytest.mark.parametrize(("name", "index"), READS)
def test_read_answers_each_role_as_the_matrix_says(
    users: dict[str, User], name: str, index: int
) -> None:
    check = MATRIX[name][index]
    world = build_world(users)
    wrong = []
    for role in ROLES:
        response = send(client_for_role(world, role, api=check.api), check, world, role)
        if answer(response, check) != expected(check, role):
            wrong.append(f"{role}: expected {expected(check, role)}, got {described(response)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("name", "index", "role"), WRITES)
def test_write_answers_and_changes_as_the_matrix_says(
    users: dict[str, User], name: str, index: int, role: str
) -> None:
    check = MATRIX[name][index]
    world = build_world(users)
    before = check.effect(world) if check.effect else None
    response = send(client_for_role(world, role, api=check.api), check, world, role)
    want = expected(check, role)
    got = answer(response, check)
    assert got == want, f"{role}: expected {want}, got {described(response)}"
    if check.effect is not None:
        after = check.effect(world)
        if want == OK:
            assert after != before, f"{role} was answered {response.status_code}, nothing changed"
        else:
            assert after == before, f"{role} was refused, yet the request changed something"


# --- generic rows for the later steps' routes --------------------------------------------------


#: Rows a page may write while merely being shown: settings read through `load()` (created
#: on first use) and the scheduling engine's cached promise answer (asked for by viewing).
DERIVED = ("planning.PromiseAnswer",)


def fingerprint() -> tuple[Any, ...]:
    """Row counts of every business table, and every order's status and version."""
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for model in apps.get_models()
        if model.__module__.startswith("gendan.")
        and model._meta.managed
        and not model.__name__.endswith("Settings")
        and model._meta.label not in DERIVED
    )
    orders = tuple(Order.objects.order_by("pk").values_list("pk", "status", "version"))
    return counts, orders


def fill(pattern: str, world: World) -> str:
    """The route's address with its arguments: the matrix's order number, else 1."""
    path = re.sub(r"\(\?P<number>[^)]*\)", world.order.number, pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = re.sub(r"<(?:str:)?number>", world.order.number, path)
    path = re.sub(r"<[^>]+>", "1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def changed_tables(before: tuple[Any, ...], after: tuple[Any, ...]) -> str:
    counts = dict(before[0])
    moved = [f"{label} {counts.get(label)}→{n}" for label, n in after[0] if counts.get(label) != n]
    if before[1] != after[1]:
        moved.append(f"orders {before[1]}→{after[1]}")
    return ", ".join(moved)


GENERIC_ROUTES = [
    pytest.param(route.name, route.pattern, id=route.name)
    for route in all_routes()
    if route.name in GENERIC
]


@pytest.mark.parametrize(("name", "pattern"), GENERIC_ROUTES)
def test_later_steps_route_keeps_the_access_rules(
    users: dict[str, User], name: str, pattern: str
) -> None:
    world = build_world(users)
    url = fill(pattern, world)
    api = pattern.startswith("api/")
    kind = GENERIC[name]
    wrong: list[str] = []

    def ask(role: str, method: str) -> HttpResponse:
        client = client_for_role(world, role, api=api)
        return client.get(url) if method == "get" else client.post(url, {})

    for method in ("get", "post"):
        response = ask(ANONYMOUS, method)
        if answer(response) != DENY and response.status_code != 405:
            wrong.append(f"anonymous {method.upper()}: {described(response)}")

    if kind in (ORDER_SCOPED, ORDER_PART):
        for role in sorted(NOT_SEEING_ORDER):
            before = fingerprint()
            for method in ("get", "post"):
                response = ask(role, method)
                if response.status_code not in (404, 405):
                    wrong.append(f"{role} {method.upper()} (hidden order): {described(response)}")
            if (after := fingerprint()) != before:
                wrong.append(f"{role} (hidden order) changed {changed_tables(before, after)}")
        for role in sorted(SEES_ORDER):
            response = ask(role, "get")
            absent_part = kind == ORDER_PART and response.status_code == 404
            if (response.status_code == 404 and not absent_part) or response.status_code >= 500:
                wrong.append(f"{role} GET (sees the order): {described(response)}")
        before = fingerprint()
        ask("auditor", "post")
        if (after := fingerprint()) != before:
            wrong.append(f"auditor POST changed {changed_tables(before, after)}")
    elif kind == LIST:
        for role in STAFF:
            response = ask(role, "get")
            if response.status_code == 404 or response.status_code >= 500:
                wrong.append(f"{role} GET: {described(response)}")
    else:
        assert kind == OBJECT, kind
    assert not wrong, f"{url}\n" + "\n".join(wrong)


# --- coverage ---------------------------------------------------------------------------------


def test_every_route_has_a_matrix_row() -> None:
    """A new page or endpoint needs a row here before it ships: its access is then tested."""
    missing = [
        route
        for route in all_routes()
        if route.name not in MATRIX
        and route.name not in GENERIC
        and not route.pattern.startswith(ADMIN_PREFIX)
    ]
    assert not missing, "routes without a row in tests/access (matrix.py or generic.py):\n" + (
        "\n".join(f"  {r.name!r}  ({r.pattern})" for r in missing)
    )


def test_matrix_names_only_routes_that_exist() -> None:
    names = {route.name for route in all_routes()}
    stale = sorted((set(MATRIX) | set(GENERIC)) - names)
    assert not stale, f"rows for routes that no longer exist: {stale}"
