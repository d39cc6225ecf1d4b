"""Errors that actions raise. Views and the API turn them into messages and HTTP answers.

An action that raises has changed nothing: every action runs in one transaction.
"""

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise

Message = str | Promise


class ActionError(Exception):
    """A business rule refused the action; `messages` tell the user what to fix."""

    http_status = 400

    def __init__(
        self, *messages: Message, fields: Mapping[str, Sequence[Message]] | None = None
    ) -> None:
        self.messages = [str(m) for m in messages]
        self.fields = {name: [str(m) for m in errs] for name, errs in (fields or {}).items()}
        super().__init__("; ".join(self.messages + [m for e in self.fields.values() for m in e]))


class NotPermitted(ActionError):
    """The user may see the record but not do this to it."""

    http_status = 403


class Blocked(ActionError):
    """The record's state does not allow this now (wrong status, a guard is not met)."""

    http_status = 409


class StaleVersion(ActionError):
    """The change was made from an out-of-date copy of the record."""

    http_status = 409
