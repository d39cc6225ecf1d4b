"""People: departments (P1), roles and users (P2)."""

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does. Record-level access (P3) is decided from the role and departments."""

    CLERK = "clerk", _("Follow-up clerk")
    REVIEWER = "reviewer", _("Department reviewer")
    HEAD = "head", _("Department head")
    GENERAL_MANAGER = "gm", _("General manager")
    ADMIN = "admin", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


#: Roles that see every order and task (management and auditors, P3).
SEES_ALL_ROLES = frozenset({Role.GENERAL_MANAGER, Role.ADMIN, Role.AUDITOR})
#: Roles that may read but never change business records.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})


class Department(models.Model):
    """A department of the company (P1). The seeded ones are referred to by `code`."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


class User(AbstractUser):
    """A person who signs in. Belongs to one or more departments (P2)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CLERK)
    departments = models.ManyToManyField(
        Department, related_name="members", blank=True, verbose_name=_("departments")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects: ClassVar[UserManager["User"]] = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all(self) -> bool:
        return self.role in SEES_ALL_ROLES or self.is_superuser

    @property
    def is_read_only(self) -> bool:
        return self.role in READ_ONLY_ROLES

    def _memberships(self) -> list[tuple[int, str]]:
        """(id, code) of the user's departments, read once per user object (one query)."""
        cached: list[tuple[int, str]] | None = getattr(self, "_membership_cache", None)
        if cached is None:
            cached = list(self.departments.values_list("id", "code"))
            self._membership_cache = cached
        return cached

    def department_ids(self) -> list[int]:
        return [pk for pk, _code in self._memberships()]

    def department_codes(self) -> set[str]:
        return {code for _pk, code in self._memberships()}
