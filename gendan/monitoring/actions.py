"""Rectification notices: opened by the checks, resolved by their owner (web, API, CLI, job).

`run_checks` runs every registered detector and, per finding not seen before, opens one notice
(number, owner, deadline in working days — hours for emergency orders —, a task for the
owner, a ledger entry on the order, a notification). The notice's key is unique, so a second
run, or two runs at once, open nothing twice. Open notices the detectors no longer find are
marked "condition cleared" (and unmarked if the problem comes back); they stay open until the
owner records the rectification (`resolve_notice`), or completes the notice's task from the
inbox (the next run then resolves the notice with the task's outcome).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import Blocked, NotPermitted
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.monitoring import permissions
from gendan.monitoring.detectors import DETECTORS, Context, Finding
from gendan.monitoring.models import MonitoringSettings, NoticeStatus, RectificationNotice
from gendan.notifications.actions import notify
from gendan.purchasing.numbering import next_document_number

logger = logging.getLogger("gendan.monitoring")

#: Task kind of a notice's task.
TASK_KIND = "rectification"
NUMBER_PREFIX = "RN"
#: Found keys are looked up in slices of this many.
KEY_SLICE = 500


@dataclass
class RunReport:
    """What one run of the checks did, per kind."""

    found: dict[str, int] = field(default_factory=dict)
    opened: dict[str, int] = field(default_factory=dict)
    cleared: int = 0
    returned: int = 0
    closed_by_task: int = 0
    failed: list[str] = field(default_factory=list)

    @property
    def opened_total(self) -> int:
        return sum(self.opened.values())

    def __str__(self) -> str:
        parts = [f"{kind} {self.opened.get(kind, 0)}/{n}" for kind, n in self.found.items()]
        text = (
            f"opened {self.opened_total} (new/found: {', '.join(parts) or '-'}); "
            f"condition cleared {self.cleared}; came back {self.returned}; "
            f"closed by task {self.closed_by_task}"
        )
        if self.failed:
            text += f"; failed: {', '.join(self.failed)}"
        return text


def _ledger(
    notice: RectificationNotice,
    *,
    user: User | None,
    event: str,
    summary: str,
    kind: Kind = Kind.SYSTEM,
    body: str = "",
    changes: dict[str, list[Any]] | None = None,
) -> None:
    record(
        order=notice.order,
        subject=notice,
        kind=kind,
        actor=user,
        summary=summary,
        body=body,
        changes=changes,
        data={"step": "monitoring", "event": event, "notice": notice.number, "kind": notice.kind},
    )


def _department_head(department: Department | None) -> User | None:
    if department is None:
        return None
    return (
        User.objects.filter(departments=department, role=Role.HEAD, is_active=True)
        .order_by("pk")
        .first()
    )


def _due_at(
    finding: Finding, rules: MonitoringSettings, now: dt.datetime
) -> tuple[dt.datetime, bool]:
    from gendan.tasks.actions import due_at_for

    if finding.order is not None and finding.order.is_emergency:
        hours = cast(int, settings.GENDAN["EMERGENCY_DEFAULT_HOURS"])
        return due_at_for(hours=hours, start=now), True
    return due_at_for(working_days=rules.deadline_days(finding.kind), start=now), False


def open_notice(
    finding: Finding, *, rules: MonitoringSettings, now: dt.datetime | None = None
) -> RectificationNotice | None:
    """Open the notice for `finding`, or None if its key already has one (any state)."""
    from gendan.tasks.actions import open_task

    now = now or timezone.now()
    department = Department.objects.filter(code=finding.department_code).first()
    owner = finding.owner or _department_head(department)
    due_at, in_hours = _due_at(finding, rules, now)
    try:
        with transaction.atomic():
            notice = RectificationNotice.objects.create(
                number=next_document_number(NUMBER_PREFIX, timezone.localdate(now)),
                kind=finding.kind,
                key=finding.key,
                order=finding.order,
                subject=f"{finding.subject._meta.label_lower}:{finding.subject.pk}",
                subject_label=finding.label[:120],
                subject_url=finding.url[:300],
                summary=finding.summary[:500],
                facts=finding.facts,
                department=department,
                owner=owner,
                due_at=due_at,
                opened_at=now,
            )
            if department is not None or owner is not None:
                notice.task = open_task(
                    user=None,
                    title=(
                        _("Rectify %(number)s: %(summary)s")
                        % {
                            "number": notice.number,
                            "summary": notice.summary,
                        }
                    )[:200],
                    description=notice.summary,
                    due_at=due_at,
                    due_in_hours=in_hours,
                    order=finding.order,
                    department=department,
                    assignee=owner,
                    kind=TASK_KIND,
                )
                notice.save(update_fields=["task"])
            _ledger(
                notice,
                user=None,
                event="notice_opened",
                summary=_(
                    "Rectification notice %(number)s opened for %(owner)s, due %(due)s: %(summary)s"
                )
                % {
                    "number": notice.number,
                    "owner": notice.owner_label,
                    "due": timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M"),
                    "summary": notice.summary,
                },
            )
            recipients = [owner, finding.order.clerk if finding.order else None]
            message = _("Rectification notice %(number)s: %(summary)s") % {
                "number": notice.number,
                "summary": notice.summary,
            }
            url = notice.get_absolute_url()
            transaction.on_commit(
                lambda: notify([u for u in recipients if u is not None], message, url)
            )
    except IntegrityError:
        # Another run opened this finding's notice meanwhile: the unique key refused ours.
        return None
    return notice


def resolve_notice(
    *, notice: RectificationNotice, user: User, resolution: str
) -> RectificationNotice:
    """The owner (or the department's head, or management) records what was done; the
    notice closes and its task is completed."""
    from gendan.tasks.actions import complete_task
    from gendan.tasks.models import TaskState

    if not permissions.can_resolve(user, notice):
        raise NotPermitted(
            _("Only the notice's owner, the head of its department or management may resolve it.")
        )
    if not resolution.strip():
        raise Blocked(fields={"resolution": [_("Say what was done to put the problem right.")]})
    with transaction.atomic():
        locked = RectificationNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != NoticeStatus.OPEN:
            raise Blocked(_("The notice is already resolved."))
        _close(locked, user=user, resolution=resolution.strip())
        if locked.task is not None and locked.task.state == TaskState.OPEN:
            complete_task(task=locked.task, user=user, outcome=locked.resolution)
            locked.task.refresh_from_db()
    return locked


def _close(notice: RectificationNotice, *, user: User | None, resolution: str) -> None:
    notice.status = NoticeStatus.RESOLVED
    notice.resolution = resolution
    notice.resolved_by = user
    notice.resolved_at = timezone.now()
    notice.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    late = notice.resolved_at > notice.due_at
    _ledger(
        notice,
        user=user,
        kind=Kind.CHANGED,
        event="notice_resolved",
        summary=(
            _("Rectification notice %(number)s resolved late")
            if late
            else _("Rectification notice %(number)s resolved")
        )
        % {"number": notice.number},
        body=resolution,
        changes={"status": [str(NoticeStatus.OPEN.label), str(NoticeStatus.RESOLVED.label)]},
    )


def _close_notices_whose_task_is_done() -> int:
    """Notices whose task was completed from the task inbox are resolved with its outcome."""
    from gendan.tasks.models import TaskState

    count = 0
    done = RectificationNotice.objects.open().filter(task__state=TaskState.DONE)
    for pk in list(done.values_list("pk", flat=True)):
        with transaction.atomic():
            notice = (
                RectificationNotice.objects.select_for_update(of=("self",))
                .select_related("task", "task__completed_by")
                .filter(pk=pk, status=NoticeStatus.OPEN)
                .first()
            )
            if notice is None or notice.task is None:
                continue
            outcome = notice.task.outcome or _("The rectification task was completed.")
            _close(notice, user=notice.task.completed_by, resolution=outcome)
            count += 1
    return count


def _mark_cleared(kind: str, found: set[str], now: dt.datetime) -> tuple[int, int]:
    """Open notices of `kind` not found this run get `condition_cleared_at`; found ones whose
    condition had cleared lose it again (the problem came back). Logged in the ledger."""
    cleared = returned = 0
    gone = RectificationNotice.objects.open().filter(kind=kind, condition_cleared_at__isnull=True)
    for notice in gone.select_related("order"):
        if notice.key in found:
            continue
        with transaction.atomic():
            if not RectificationNotice.objects.filter(
                pk=notice.pk, condition_cleared_at__isnull=True
            ).update(condition_cleared_at=now):
                continue
            _ledger(
                notice,
                user=None,
                event="condition_cleared",
                summary=_(
                    "Checks no longer find the problem of notice %(number)s; it stays "
                    "open until its owner records the rectification"
                )
                % {"number": notice.number},
            )
            cleared += 1
    back = RectificationNotice.objects.open().filter(kind=kind, condition_cleared_at__isnull=False)
    for notice in back.select_related("order"):
        if notice.key not in found:
            continue
        with transaction.atomic():
            if not RectificationNotice.objects.filter(
                pk=notice.pk, condition_cleared_at__isnull=False
            ).update(condition_cleared_at=None):
                continue
            _ledger(
                notice,
                user=None,
                event="condition_returned",
                summary=_("The problem of notice %(number)s is found again")
                % {"number": notice.number},
            )
            returned += 1
    return cleared, returned


def run_checks(*, now: dt.datetime | None = None, kinds: list[str] | None = None) -> RunReport:
    """Run the detectors (all, or `kinds`) and open a notice per new finding. Safe to run as
    often as wanted: a finding already noticed opens nothing."""
    now = now or timezone.now()
    context = Context(now=now, today=timezone.localdate(now), settings=MonitoringSettings.load())
    report = RunReport()
    report.closed_by_task = _close_notices_whose_task_is_done()
    for kind, detector in DETECTORS.items():
        if kinds and kind not in kinds:
            continue
        try:
            findings = {finding.key: finding for finding in detector(context)}
        except Exception:
            # One broken check must not stop the others; its notices are left as they are.
            logger.exception("monitoring check %s failed", kind)
            report.failed.append(kind)
            continue
        report.found[kind] = len(findings)
        keys = list(findings)
        known: set[str] = set()
        for start in range(0, len(keys), KEY_SLICE):
            known.update(
                RectificationNotice.objects.filter(
                    key__in=keys[start : start + KEY_SLICE]
                ).values_list("key", flat=True)
            )
        opened = 0
        for key in keys:
            if key in known:
                continue
            if open_notice(findings[key], rules=context.settings, now=now) is not None:
                opened += 1
        report.opened[kind] = opened
        cleared, returned = _mark_cleared(kind, set(keys), now)
        report.cleared += cleared
        report.returned += returned
    return report
