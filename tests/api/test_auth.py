"""Signing in with tokens, lockout after failed attempts, `/me/`, read-only auditors."""

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from tests.api.conftest import API, make_client
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
TOKEN = f"{API}/auth/token/"


def test_token_exchange_returns_the_users_token_and_it_authenticates(users) -> None:
    client = make_client()
    response = client.post(TOKEN, {"username": "clerk", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    key = response.json()["token"]
    assert key == Token.objects.get(user=users["clerk"]).key
    assert response.json()["user"]["role"] == "clerk"
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = client.get(f"{API}/me/")
    assert me.status_code == 200 and me.json()["username"] == "clerk"


def test_second_exchange_returns_the_same_token(users) -> None:
    client = make_client()
    first = client.post(TOKEN, {"username": "gm", "password": PASSWORD}, format="json")
    second = client.post(TOKEN, {"username": "gm", "password": PASSWORD}, format="json")
    assert first.json()["token"] == second.json()["token"]


def test_wrong_password_answers_400_with_a_message(users) -> None:
    response = make_client().post(TOKEN, {"username": "clerk", "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == "Wrong username or password."


def test_missing_password_is_a_field_error(users) -> None:
    response = make_client().post(TOKEN, {"username": "clerk"}, format="json")
    assert response.status_code == 400 and "password" in response.json()


def test_repeated_failures_lock_the_account_even_for_the_right_password(users) -> None:
    client = make_client()
    limit = settings.AXES_FAILURE_LIMIT
    answers = [
        client.post(TOKEN, {"username": "clerk", "password": f"bad{i}"}, format="json")
        for i in range(limit)
    ]
    assert [a.status_code for a in answers] == [400] * (limit - 1) + [429]
    locked = client.post(TOKEN, {"username": "clerk", "password": PASSWORD}, format="json")
    assert locked.status_code == 429
    assert "locked" in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0
    assert locked["Content-Type"].startswith("application/json")
    assert not Token.objects.filter(user=users["clerk"]).exists()


def test_lockout_of_one_user_leaves_others_alone(users) -> None:
    client = make_client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN, {"username": "clerk", "password": f"bad{i}"}, format="json")
    other = client.post(TOKEN, {"username": "gm", "password": PASSWORD}, format="json")
    assert other.status_code == 200


def test_token_endpoint_is_rate_limited(users) -> None:
    client = make_client()
    codes = [
        client.post(TOKEN, {"username": "gm", "password": PASSWORD}, format="json").status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429


def test_anonymous_requests_are_refused(users) -> None:
    response = make_client().get(f"{API}/orders/")
    assert response.status_code == 401


def test_bad_token_is_refused(users) -> None:
    client = make_client()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(f"{API}/me/").status_code == 401


def test_me_shows_role_departments_and_rights(api_for) -> None:
    data = api_for("sales_head").get(f"{API}/me/").json()
    assert data["role"] == "head"
    assert [d["code"] for d in data["departments"]] == ["sales"]
    assert data["can_create_orders"] and data["can_assign_clerks"] and not data["read_only"]
    auditor = api_for("auditor").get(f"{API}/me/").json()
    assert auditor["read_only"] and auditor["sees_all_orders"]
    assert not auditor["can_create_orders"]


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/orders/", {}),
        ("post", "/customers/", {"code": "X", "name": "X"}),
        ("post", "/products/", {}),
        ("post", "/product-lines/", {}),
        ("post", "/tasks/", {}),
    ],
)
def test_auditor_writes_are_refused_with_403(api_for, method, path, payload) -> None:
    response = getattr(api_for("auditor"), method)(f"{API}{path}", payload, format="json")
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_auditor_may_mark_own_notifications_read(api_for) -> None:
    response = api_for("auditor").post(f"{API}/notifications/read/", {}, format="json")
    assert response.status_code == 200
