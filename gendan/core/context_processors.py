from functools import cached_property
from typing import Any

from django.http import HttpRequest


class NavLinks:
    """Which sections of the top bar the user may open (asked only when the bar is drawn)."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def planning(self) -> bool:
        """The work-centre plan: planners, management and auditors (planning.permissions)."""
        from gendan.planning.permissions import can_view_gantt

        return can_view_gantt(self.user)

    @property
    def emergency(self) -> bool:
        """Emergency orders and the execution lists (purchasing, production, quality, warehouse,
        shipping, after-sales) open for every signed-in user, each showing the records of the
        orders they see."""
        return bool(self.user.is_authenticated and self.user.is_active)

    purchasing = emergency
    production = emergency
    quality = emergency
    warehouse = emergency
    shipping = emergency
    aftersales = emergency

    @cached_property
    def supervision(self) -> bool:
        """The supervision view (M3): management and department heads."""
        from gendan.monitoring.permissions import can_supervise

        return can_supervise(self.user)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Counts shown in the top bar for the signed-in user (one cheap query each) and the
    sections they may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from gendan.notifications.models import Notification

    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"unread_notifications": unread, "nav": NavLinks(user)}
