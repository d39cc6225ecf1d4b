"""Every change in after-sales goes through one of these functions (web, API).

Each runs in one transaction, checks the rule, saves, writes a ledger entry (on the order when
the case has one, else on the case) and notifies after the commit. On any error nothing has
changed.
"""

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.aftersales import permissions
from gendan.aftersales.models import (
    AFTERSALES,
    ESCALATED_SEVERITIES,
    AfterSalesSettings,
    CaseMeeting,
    CaseStatus,
    ReturnVisit,
    ServiceCase,
    Severity,
    VisitMethod,
)
from gendan.catalog.models import Product
from gendan.core.errors import Blocked, NotPermitted
from gendan.customers.models import Customer
from gendan.ledger.models import Kind
from gendan.ledger.record import record_step
from gendan.notifications.actions import notify_on_commit
from gendan.orders.models import Order
from gendan.purchasing.numbering import next_document_number

CASE_TASK_KIND = "aftersales_case"
ESCALATION_TASK_KIND = "aftersales_escalation"
NUMBER_PREFIX = "AS"


_ledger = partial(record_step, "aftersales")


_notify_later = notify_on_commit


def _department(code: str) -> Department | None:
    return Department.objects.filter(code=code, is_active=True).first()


def _head_of(department: Department | None) -> User | None:
    if department is None:
        return None
    return (
        User.objects.filter(departments=department, role=Role.HEAD, is_active=True)
        .order_by("pk")
        .first()
    )


def _text(value: str | None) -> str:
    return (value or "").strip()


def deadline_for(severity: str, start: dt.datetime | None = None) -> dt.datetime:
    """When a case of `severity` must be resolved: working days by severity (settings)."""
    from gendan.tasks.actions import due_at_for

    days = AfterSalesSettings.load().days_for(severity)
    return due_at_for(working_days=days, start=start or timezone.now())


# --- cases -------------------------------------------------------------------------------


def open_case(
    *,
    user: User,
    customer: Customer | None,
    source: str,
    case_type: str,
    severity: str,
    title: str,
    description: str,
    order: Order | None = None,
    product: Product | None = None,
    contact: str = "",
    owner: User | None = None,
    reported_at: dt.datetime | None = None,
) -> ServiceCase:
    """Register a customer's problem. The deadline follows the severity; the owner (default:
    the order's clerk, else the user, else the after-sales head) gets a task; major and
    critical cases are escalated at once to a cross-department meeting."""
    if not permissions.can_open_case(user):
        raise NotPermitted(_("Your role may not open after-sales cases."))
    errors: dict[str, list[str]] = {}
    if order is not None:
        if customer is not None and order.customer_id != customer.pk:
            errors["order"] = [_("The order belongs to another customer.")]
        customer = order.customer
        if product is not None and not order.lines.filter(product=product).exists():
            errors["product"] = [_("The product is not on this order.")]
    if customer is None:
        errors["customer"] = [_("Choose the customer (or the order).")]
    if not _text(title):
        errors["title"] = [_("Say in a line what the problem is.")]
    if not _text(description):
        errors["description"] = [_("Describe what the customer reports.")]
    now = timezone.now()
    reported_at = reported_at or now
    if reported_at > now + dt.timedelta(minutes=5):
        errors["reported_at"] = [_("The report cannot be in the future.")]
    if owner is not None and not permissions.may_own_cases(owner):
        errors["owner"] = [_("Choose a clerk, a sales or after-sales person as owner.")]
    if errors:
        raise Blocked(fields=errors)
    assert customer is not None
    aftersales = _department(AFTERSALES)
    if owner is None:
        if order is not None and order.clerk.is_active:
            owner = order.clerk
        elif permissions.may_own_cases(user):
            owner = user
        else:
            owner = _head_of(aftersales) or user
    from gendan.tasks.actions import open_task

    with transaction.atomic():
        case = ServiceCase.objects.create(
            number=next_document_number(NUMBER_PREFIX, timezone.localdate(now)),
            customer=customer,
            order=order,
            product=product,
            source=source,
            case_type=case_type,
            severity=severity,
            title=_text(title)[:200],
            description=_text(description),
            contact=_text(contact)[:120],
            reported_at=reported_at,
            owner=owner,
            due_at=deadline_for(severity, reported_at),
            created_by=user,
        )
        case.task = open_task(
            user=None,
            title=(
                _("After-sales case %(number)s: %(title)s")
                % {
                    "number": case.number,
                    "title": case.title,
                }
            )[:200],
            description=case.description,
            due_at=case.due_at,
            order=order,
            department=aftersales,
            assignee=owner,
            kind=CASE_TASK_KIND,
        )
        case.save(update_fields=["task"])
        _ledger(
            order=order,
            subject=case,
            user=user,
            kind=Kind.CREATED,
            event="case_opened",
            summary=_(
                "After-sales case %(number)s (%(severity)s, %(type)s) for %(owner)s, due "
                "%(due)s: %(title)s"
            )
            % {
                "number": case.number,
                "severity": case.get_severity_display(),
                "type": case.get_case_type_display(),
                "owner": owner,
                "due": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M"),
                "title": case.title,
            },
            body=case.description,
            data={"case": case.number, "severity": severity, "type": case_type},
        )
        _notify_later(
            [owner] if owner != user else [],
            _("After-sales case %(number)s is yours: %(title)s")
            % {"number": case.number, "title": case.title},
            case.get_absolute_url(),
        )
        if severity in ESCALATED_SEVERITIES:
            _escalate(
                case,
                user=user,
                note=_("Escalated on opening: %(severity)s case.")
                % {"severity": case.get_severity_display()},
            )
    return case


def _escalate(case: ServiceCase, *, user: User, note: str) -> None:
    """Open a task for the head of each department called to the meeting (settings), tell
    the general manager of a critical case, and mark the case escalated."""
    from gendan.tasks.actions import open_task

    codes = [c for c in AfterSalesSettings.load().escalation_departments if isinstance(c, str)]
    departments = list(Department.objects.filter(code__in=[*codes, AFTERSALES], is_active=True))
    tasks = []
    for department in departments:
        tasks.append(
            open_task(
                user=None,
                title=(
                    _("Cross-department meeting on case %(number)s: %(title)s")
                    % {
                        "number": case.number,
                        "title": case.title,
                    }
                )[:200],
                description="\n\n".join(filter(None, [case.description, note])),
                due_at=case.due_at,
                order=case.order,
                department=department,
                assignee=_head_of(department),
                kind=ESCALATION_TASK_KIND,
            )
        )
    before = case.get_status_display()
    case.status = CaseStatus.ESCALATED
    case.escalated_at = timezone.now()
    case.save(update_fields=["status", "escalated_at"])
    case.involved_departments.add(*departments)
    case.escalation_tasks.add(*tasks)
    _ledger(
        order=case.order,
        subject=case,
        user=user,
        event="case_escalated",
        summary=_("After-sales case %(number)s escalated to %(departments)s")
        % {"number": case.number, "departments": ", ".join(str(d) for d in departments)},
        body=note,
        changes={"status": [str(before), str(case.get_status_display())]},
        data={"case": case.number, "tasks": [t.pk for t in tasks]},
    )
    recipients: list[User | None] = [task.assignee for task in tasks]
    if case.severity == Severity.CRITICAL:
        recipients += list(User.objects.filter(role=Role.GENERAL_MANAGER, is_active=True))
    _notify_later(
        recipients,
        _("Escalated after-sales case %(number)s (%(severity)s): %(title)s")
        % {"number": case.number, "severity": case.get_severity_display(), "title": case.title},
        case.get_absolute_url(),
    )


def escalate_case(*, case: ServiceCase, user: User, note: str) -> ServiceCase:
    """Escalate an open general case (it turned out bigger than thought)."""
    if not permissions.can_work_on_case(user, case):
        raise NotPermitted(
            _("Only the case's owner, after-sales, the sales head or management may escalate it.")
        )
    if not _text(note):
        raise Blocked(fields={"note": [_("Say why the case needs the other departments.")]})
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.OPEN:
            raise Blocked(
                _("The case is already %(status)s.") % {"status": locked.get_status_display()}
            )
        _escalate(locked, user=user, note=_text(note))
    return locked


def record_meeting(
    *,
    case: ServiceCase,
    user: User,
    held_at: dt.datetime,
    attendees: Iterable[User],
    discussion: str,
    decisions: str,
    place: str = "",
) -> CaseMeeting:
    """Record the cross-department meeting on an escalated case: attendees from at least two
    departments, the discussion and the decisions. The escalation tasks are done."""
    from gendan.tasks.actions import complete_task
    from gendan.tasks.models import TaskState
    from gendan.tasks.permissions import may_work_on

    if not permissions.can_record_meeting(user, case):
        raise NotPermitted(_("Your role may not record this case's meeting."))
    people = [u for u in attendees if u is not None]
    departments = {d for u in people for d in u.departments.all()}
    errors: dict[str, list[str]] = {}
    if len(departments) < 2:
        errors["attendees"] = [
            _("A cross-department meeting needs attendees from at least two departments.")
        ]
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        errors["held_at"] = [_("Record the meeting once it has been held.")]
    if not _text(discussion):
        errors["discussion"] = [_("Summarise the discussion.")]
    if not _text(decisions):
        errors["decisions"] = [_("Write down the decisions, with owners and dates.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.ESCALATED:
            raise Blocked(_("Only an escalated case has a cross-department meeting."))
        meeting = CaseMeeting.objects.create(
            case=locked,
            held_at=held_at,
            place=_text(place)[:120],
            discussion=_text(discussion),
            decisions=_text(decisions),
            recorded_by=user,
        )
        meeting.attendees.set(people)
        meeting.departments.set(departments)
        # Each head's task is done when the recorder may close it or the head attended;
        # a head who missed the meeting keeps the task and closes it after reading the record.
        present = {u.pk for u in people}
        for task in locked.escalation_tasks.filter(state=TaskState.OPEN).select_related("order"):
            if may_work_on(user, task):
                complete_task(task=task, user=user, outcome=meeting.decisions)
            elif task.assignee is not None and task.assignee_id in present:
                complete_task(task=task, user=task.assignee, outcome=meeting.decisions)
        _ledger(
            order=locked.order,
            subject=locked,
            user=user,
            kind=Kind.COMMUNICATION,
            event="case_meeting",
            summary=_("Cross-department meeting on case %(number)s with %(people)s")
            % {"number": locked.number, "people": ", ".join(str(u) for u in people)},
            body=meeting.decisions,
            data={"case": locked.number, "meeting": meeting.pk},
        )
    return meeting


def resolve_case(
    *,
    case: ServiceCase,
    user: User,
    resolution: str,
    root_cause: str = "",
    corrective_action: str = "",
) -> ServiceCase:
    """Record how the case was resolved. An escalated case needs its meeting first; a major
    or critical case needs its cause and corrective action (they feed the analysis)."""
    from gendan.tasks.actions import complete_task
    from gendan.tasks.models import TaskState

    if not permissions.can_work_on_case(user, case):
        raise NotPermitted(
            _("Only the case's owner, after-sales, the sales head or management may resolve it.")
        )
    errors: dict[str, list[str]] = {}
    if not _text(resolution):
        errors["resolution"] = [_("Say how the problem was resolved for the customer.")]
    if case.severity in ESCALATED_SEVERITIES:
        if not _text(root_cause):
            errors["root_cause"] = [_("A major case needs its cause.")]
        if not _text(corrective_action):
            errors["corrective_action"] = [_("A major case needs its corrective action.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = ServiceCase.objects.select_for_update().get(pk=case.pk)
        if locked.status == CaseStatus.RESOLVED:
            raise Blocked(_("The case is already resolved."))
        if locked.status == CaseStatus.ESCALATED and not locked.meetings.exists():
            raise Blocked(
                _("Record the cross-department meeting before resolving an escalated case.")
            )
        before = locked.get_status_display()
        locked.status = CaseStatus.RESOLVED
        locked.resolution = _text(resolution)
        locked.root_cause = _text(root_cause)
        locked.corrective_action = _text(corrective_action)
        locked.resolved_by = user
        locked.resolved_at = timezone.now()
        locked.save(
            update_fields=[
                "status",
                "resolution",
                "root_cause",
                "corrective_action",
                "resolved_by",
                "resolved_at",
            ]
        )
        if locked.task is not None and locked.task.state == TaskState.OPEN:
            complete_task(task=locked.task, user=user, outcome=locked.resolution)
            locked.task.refresh_from_db()
        _ledger(
            order=locked.order,
            subject=locked,
            user=user,
            event="case_resolved",
            summary=(
                _("After-sales case %(number)s resolved late")
                if locked.resolved_late
                else _("After-sales case %(number)s resolved")
            )
            % {"number": locked.number},
            body=locked.resolution,
            changes={"status": [str(before), str(locked.get_status_display())]},
            data={"case": locked.number, "late": locked.resolved_late},
        )
        clerk = locked.order.clerk if locked.order else None
        _notify_later(
            [clerk] if clerk != user else [],
            _("After-sales case %(number)s resolved") % {"number": locked.number},
            locked.get_absolute_url(),
        )
    return locked


# --- return visits -----------------------------------------------------------------------


def record_return_visit(
    *,
    user: User,
    customer: Customer | None,
    method: str,
    visited_on: dt.date,
    satisfaction: int | str | None,
    order: Order | None = None,
    case: ServiceCase | None = None,
    contact: str = "",
    feedback: str = "",
) -> ReturnVisit:
    """A return visit (phone, questionnaire, on-site) with the customer's satisfaction 1–5.
    A low score tells the after-sales head."""
    if not permissions.can_record_visit(user):
        raise NotPermitted(_("Your role may not record return visits."))
    errors: dict[str, list[str]] = {}
    if order is not None:
        if customer is not None and order.customer_id != customer.pk:
            errors["order"] = [_("The order belongs to another customer.")]
        customer = order.customer
    if case is not None:
        if customer is not None and case.customer_id != customer.pk:
            errors["case"] = [_("The case belongs to another customer.")]
        customer = customer or case.customer
        order = order or case.order
    if customer is None:
        errors["customer"] = [_("Choose the customer (or the order).")]
    if method not in VisitMethod.values:
        errors["method"] = [_("Choose phone, questionnaire or on-site visit.")]
    try:
        score = int(str(satisfaction))
    except ValueError:
        score = 0
    if not 1 <= score <= 5:
        errors["satisfaction"] = [_("Give the satisfaction as a whole number from 1 to 5.")]
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("The visit cannot be in the future.")]
    if errors:
        raise Blocked(fields=errors)
    assert customer is not None
    with transaction.atomic():
        visit = ReturnVisit.objects.create(
            customer=customer,
            order=order,
            case=case,
            method=method,
            visited_on=visited_on,
            contact=_text(contact)[:120],
            satisfaction=score,
            feedback=_text(feedback),
            visited_by=user,
        )
        _ledger(
            order=order,
            subject=visit,
            user=user,
            kind=Kind.COMMUNICATION,
            event="return_visit",
            summary=_("Return visit (%(method)s) to %(customer)s: satisfaction %(score)d/5")
            % {"method": visit.get_method_display(), "customer": customer.name, "score": score},
            body=visit.feedback,
            data={"visit": visit.pk, "satisfaction": score, "case": case.number if case else None},
        )
        if score <= AfterSalesSettings.load().low_satisfaction:
            head = _head_of(_department(AFTERSALES))
            _notify_later(
                [head, order.clerk if order else None],
                _("Low satisfaction %(score)d/5 from %(customer)s")
                % {"score": score, "customer": customer.name},
                case.get_absolute_url() if case else "",
            )
    return visit
