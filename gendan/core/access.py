"""The one door for object lookups: what a user may not see answers 404, never 403.

Every restricted model's queryset has `for_user(user)`; views and the API fetch single records
through `get_visible_or_404`, and lists start from `Model.objects.for_user(user)`.
"""

from typing import Any, Protocol, TypeVar

from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class RestrictedQuerySet(Protocol[M]):
    model: type[M]

    def for_user(self, user: Any) -> "models.QuerySet[M]": ...


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """The record matching `lookup` among those `user` may see, else Http404."""
    try:
        return queryset.for_user(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None
