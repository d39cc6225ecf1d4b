from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Counts shown in the top bar for the signed-in user (one cheap query each)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from gendan.notifications.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"unread_notifications": unread}
