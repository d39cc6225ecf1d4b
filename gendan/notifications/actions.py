"""Telling people: an in-app notification now, an e-mail through the background worker."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from gendan.notifications.models import Notification

if TYPE_CHECKING:
    from gendan.accounts.models import User


def notify(users: Iterable["User"], message: str, url: str = "") -> list[Notification]:
    """Write one notification per distinct active user and queue their e-mails.

    Call it from `transaction.on_commit` inside actions so nobody hears of a change that was
    rolled back.
    """
    recipients = {user.pk: user for user in users if user is not None and user.is_active}
    rows = Notification.objects.bulk_create(
        Notification(user=user, message=message[:300], url=url) for user in recipients.values()
    )
    emails = [user.email for user in recipients.values() if user.email]
    if emails:
        from gendan.notifications.jobs import send_notification_email

        transaction.on_commit(
            lambda: send_notification_email.enqueue(emails=emails, message=message, url=url)
        )
    return rows


def notify_on_commit(users: Iterable["User | None"], message: str, url: str = "") -> None:
    """Notify `users` (None entries skipped) once the caller's transaction commits, so nobody
    hears of a change that was rolled back. For actions."""
    recipients = [user for user in users if user is not None]
    if recipients:
        transaction.on_commit(lambda: notify(recipients, message, url))


def mark_read(*, user: "User", notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when no ids are given)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
