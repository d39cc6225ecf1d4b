"""The notifications page: one's own notifications, opening and marking them read."""

import pytest

from gendan.notifications.actions import notify
from gendan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_lists_only_the_users_own_notifications(client_for, users):
    notify([users["clerk"]], "For the clerk")
    notify([users["other_clerk"]], "For someone else")

    html = client_for("clerk").get("/notifications/").content.decode()

    assert "For the clerk" in html
    assert "For someone else" not in html


def test_opening_marks_read_and_follows_the_link(client_for, users):
    (note,) = notify([users["clerk"]], "Order moved", "/orders/SO-2026-000001/")

    response = client_for("clerk").post(f"/notifications/{note.pk}/open/")

    assert response["Location"] == "/orders/SO-2026-000001/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_someone_elses_notification_is_404(client_for, users):
    (note,) = notify([users["other_clerk"]], "Private")

    assert client_for("clerk").post(f"/notifications/{note.pk}/open/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_all_read_touches_only_ones_own(client_for, users):
    notify([users["clerk"]], "one")
    notify([users["clerk"]], "two")
    notify([users["other_clerk"]], "theirs")

    client_for("clerk").post("/notifications/read/")

    assert not Notification.objects.filter(user=users["clerk"], read_at__isnull=True).exists()
    assert Notification.objects.filter(user=users["other_clerk"], read_at__isnull=True).exists()


def test_mark_one_read(client_for, users):
    (first,) = notify([users["clerk"]], "one")
    (second,) = notify([users["clerk"]], "two")

    client_for("clerk").post("/notifications/read/", {"id": [first.pk]})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_unread_filter(client_for, users):
    (read,) = notify([users["clerk"]], "old news")
    notify([users["clerk"]], "fresh news")
    client = client_for("clerk")
    client.post("/notifications/read/", {"id": [read.pk]})

    html = client.get("/notifications/?show=unread").content.decode()

    assert "fresh news" in html and "old news" not in html
