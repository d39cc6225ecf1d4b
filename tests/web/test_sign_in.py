"""Signing in and out, and the lock-out after repeated failures."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_page_renders_with_the_language_switch(client):
    html = client.get("/login/").content.decode()

    assert 'name="username"' in html and 'name="password"' in html
    assert "简体中文" in html and "English" in html


def test_sign_in_leads_home(users):
    client = Client()

    response = client.post("/login/", {"username": "clerk", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_wrong_password_shows_an_error(users):
    response = Client().post("/login/", {"username": "clerk", "password": "wrong"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_repeated_failures_lock_the_account_and_say_when_to_retry(users):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/login/", {"username": "clerk", "password": "wrong"})

    locked = client.post("/login/", {"username": "clerk", "password": "wrong"})
    still = client.post("/login/", {"username": "clerk", "password": PASSWORD})

    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    for response in (locked, still):
        assert response.status_code == 429
        html = response.content.decode()
        assert "Too many failed sign-in attempts." in html
        assert f"Try again in {minutes} minutes, after" in html


def test_sign_out_needs_a_post_and_leads_to_sign_in(client_for):
    client = client_for("clerk")

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_language_switch_turns_the_pages_english(client_for):
    client = client_for("clerk")

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/orders/"})

    assert response["Location"] == "/orders/"
    assert '<html lang="en">' in client.get("/orders/").content.decode()
