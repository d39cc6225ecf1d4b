"""Re-entering one's password to sign something, counted by the login throttle.

Signing the review minutes asks for the signer's password. Without this, that form would be a
way to try passwords that the sign-in lockout does not see. `throttle_password_check` runs the
password through Django's `authenticate` with the request, so a wrong one counts as a failed
sign-in for this username and address, and a locked-out pair is refused before its password is
even looked at. The action itself still checks the password: this only adds the throttle.
"""

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.errors import Blocked


def throttle_password_check(request: HttpRequest, user: User, password: str) -> None:
    """Count this password attempt with the sign-in attempts; refuse while locked out."""
    if not password:
        return
    authenticate(request=request, username=user.get_username(), password=password)
    if getattr(request, "axes_locked_out", False):
        # Answer with the action's error; left set, the throttle's middleware would replace
        # the page with its own.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        raise Blocked(
            fields={
                "password": [
                    _(
                        "Too many wrong passwords: signing is locked for a while, like signing "
                        "in. Try again later or ask an administrator."
                    )
                ]
            }
        )
