"""Department review actions (R1-R4): open the reviews, file and reassign reports, hold the
review meeting, sign its minutes, and send a rejection to the customer.

Every function runs in one transaction, locks the row it changes, writes the ledger and
notifies people after the commit. A refused action changes nothing.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import Blocked, NotPermitted, StaleVersion
from gendan.ledger.models import CommunicationChannel, Kind
from gendan.ledger.record import record
from gendan.notifications.actions import notify
from gendan.orders.models import Order
from gendan.orders.permissions import can_edit_order, is_management
from gendan.orders.status import Status
from gendan.reviews import config, minutes, selectors
from gendan.reviews.checklists import Answer
from gendan.reviews.models import (
    Conclusion,
    Decision,
    DepartmentReview,
    MeetingAction,
    MinutesSignature,
    RejectionNotice,
    ReviewMeeting,
    ReviewState,
)
from gendan.tasks.actions import cancel_task, complete_task, due_at_for, open_task
from gendan.tasks.models import Task, TaskState

DEPARTMENT_ROLES = (Role.REVIEWER, Role.HEAD)


# --- R1: opening the reviews ---------------------------------------------------------------


def open_reviews(*, order: Order, user: User) -> list[DepartmentReview]:
    """Open one review task per configured department, in parallel, each with its deadline.

    Called by the pipeline when the intake review passes (inside that transaction). Reviews
    still open from an earlier round are cancelled: the new round replaces them.
    """
    with transaction.atomic():
        for stale in DepartmentReview.objects.select_for_update().filter(
            order=order, state=ReviewState.OPEN
        ):
            stale.state = ReviewState.CANCELLED
            stale.save(update_fields=["state"])
            if stale.task is not None and stale.task.state == TaskState.OPEN:
                cancel_task(task=stale.task, user=user, reason=_("A new review round started."))
        round_ = selectors.current_round(order) + 1
        departments = config.review_departments(order)
        reviews = []
        for department in departments:
            if order.is_emergency:
                hours = int(str(settings.GENDAN["EMERGENCY_DEFAULT_HOURS"]))
                due_at, in_hours = due_at_for(hours=hours), True
            else:
                due_at = due_at_for(working_days=config.working_days_for(department))
                in_hours = False
            task = open_task(
                user=user,
                title=_("%(department)s review of order %(number)s")
                % {"department": str(department), "number": order.number},
                due_at=due_at,
                due_in_hours=in_hours,
                order=order,
                department=department,
                kind="review",
                description=_("File the department's review report with its checklist."),
            )
            reviews.append(
                DepartmentReview.objects.create(
                    order=order, department=department, round=round_, task=task
                )
            )
        record(
            order=order,
            kind=Kind.TASK,
            actor=user,
            summary=_("Department review opened (round %(round)d): %(departments)s")
            % {"round": round_, "departments": ", ".join(str(d) for d in departments)},
            data={
                "event": "review.opened",
                "round": round_,
                "departments": [d.code for d in departments],
            },
        )
    return reviews


# --- R2: reports ---------------------------------------------------------------------------


def may_file(user: User, review: DepartmentReview) -> bool:
    """Only the department's reviewers and head file its report; once the head has assigned
    the review to someone, that person or the head."""
    if user.is_read_only or not user.is_active or user.role not in DEPARTMENT_ROLES:
        return False
    if review.department_id not in user.department_ids():
        return False
    assignee_id = review.task.assignee_id if review.task is not None else None
    return not assignee_id or assignee_id == user.pk or user.role == Role.HEAD


def clean_report(
    review: DepartmentReview,
    *,
    conclusion: str,
    checklist: Mapping[str, Any],
    outputs: Mapping[str, Any],
    figures: Mapping[str, Any],
    conditions: str,
    reasons: str,
    proposals: str,
) -> dict[str, Any]:
    """The report's values, cleaned; `Blocked` with one message per missing field otherwise.

    Field names: "conclusion", "checklist.<item>", "outputs.<output>", "figures.<figure>",
    "conditions", "reasons", "proposals".
    """
    definition = review.checklist_definition
    errors: dict[str, list[str]] = {}
    if conclusion not in Conclusion.values:
        errors["conclusion"] = [_("Choose the conclusion: pass, pass with conditions or fail.")]
    clean_checklist: dict[str, dict[str, str]] = {}
    for item in definition.items:
        entry = checklist.get(item.code) or {}
        if isinstance(entry, str):
            entry = {"answer": entry}
        answer = str(entry.get("answer") or "")
        note = str(entry.get("note") or "").strip()
        if answer not in Answer.values:
            errors[f"checklist.{item.code}"] = [
                _("Answer this checklist item: %(item)s.") % {"item": item.label}
            ]
        elif answer == Answer.ACTION and not note:
            errors[f"checklist.{item.code}"] = [
                _("Say what action is needed for: %(item)s.") % {"item": item.label}
            ]
        clean_checklist[item.code] = {"answer": answer, "note": note}
    clean_figures: dict[str, str] = {}
    for figure in definition.figures:
        raw = figures.get(figure.code)
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            value = None
        if raw in (None, "") or value is None or not value.is_finite() or value < 0:
            errors[f"figures.{figure.code}"] = [
                _("Enter %(figure)s as an amount of zero or more.") % {"figure": figure.label}
            ]
        else:
            clean_figures[figure.code] = str(value.quantize(Decimal("0.01")))
    clean_outputs = {o.code: str(outputs.get(o.code) or "").strip() for o in definition.outputs}
    if conclusion in (Conclusion.PASS, Conclusion.CONDITIONS):
        for output in definition.outputs:
            if not clean_outputs[output.code]:
                errors[f"outputs.{output.code}"] = [
                    _("Write the %(output)s: a passing review hands it on.")
                    % {"output": str(output.label).lower()}
                ]
    if conclusion == Conclusion.CONDITIONS and not conditions.strip():
        errors["conditions"] = [_("State the conditions under which the order can pass.")]
    if conclusion == Conclusion.FAIL:
        if not reasons.strip():
            errors["reasons"] = [_("Give the reasons why the order fails the review.")]
        if not proposals.strip():
            errors["proposals"] = [_("Propose improvements or a solution for the failed review.")]
    if errors:
        raise Blocked(fields=errors)
    return {
        "conclusion": conclusion,
        "checklist": clean_checklist,
        "outputs": clean_outputs,
        "figures": clean_figures,
        "conditions": conditions.strip(),
        "reasons": reasons.strip(),
        "proposals": proposals.strip(),
    }


REPORT_FIELDS = (
    "conclusion",
    "checklist",
    "outputs",
    "figures",
    "conditions",
    "reasons",
    "proposals",
)


def file_report(
    *,
    review: DepartmentReview,
    user: User,
    conclusion: str,
    checklist: Mapping[str, Any],
    outputs: Mapping[str, Any] | None = None,
    figures: Mapping[str, Any] | None = None,
    conditions: str = "",
    reasons: str = "",
    proposals: str = "",
    expected_version: int | None = None,
) -> DepartmentReview:
    """File (or amend) a department's report while the order is in department review."""
    if not may_file(user, review):
        raise NotPermitted(
            _("Only the %(department)s department's reviewers and head may file this report.")
            % {"department": review.department}
        )
    with transaction.atomic():
        locked = (
            DepartmentReview.objects.select_for_update(of=("self",))
            .select_related("order", "department", "task")
            .get(pk=review.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(
                _("This report was changed by someone else while you were editing. Reload it.")
            )
        if locked.state == ReviewState.CANCELLED:
            raise Blocked(_("This review was cancelled: a newer review round replaced it."))
        if locked.order.status != Status.DEPARTMENT_REVIEW:
            raise Blocked(
                _("Order %(number)s is %(status)s: its review reports can no longer change.")
                % {"number": locked.order.number, "status": locked.order.get_status_display()}
            )
        values = clean_report(
            locked,
            conclusion=conclusion,
            checklist=checklist,
            outputs=outputs or {},
            figures=figures or {},
            conditions=conditions,
            reasons=reasons,
            proposals=proposals,
        )
        amending = locked.state == ReviewState.FILED
        before = {name: getattr(locked, name) for name in REPORT_FIELDS}
        for name, value in values.items():
            setattr(locked, name, value)
        changes = {k: [before[k], values[k]] for k in REPORT_FIELDS if before[k] != values[k]}
        if amending and not changes:
            return locked
        locked.state = ReviewState.FILED
        locked.filed_by = user
        locked.filed_at = timezone.now()
        if amending:
            locked.version += 1
        locked.save()
        label = Conclusion(locked.conclusion).label
        record(
            order=locked.order,
            kind=Kind.TASK,
            actor=user,
            summary=(
                _("%(department)s review report amended: %(conclusion)s")
                if amending
                else _("%(department)s review report filed: %(conclusion)s")
            )
            % {"department": str(locked.department), "conclusion": label},
            body="\n".join(filter(None, [locked.conditions, locked.reasons, locked.proposals])),
            changes=changes if amending else {},
            data={
                "event": "review.amended" if amending else "review.filed",
                "review": locked.pk,
                "department": locked.department.code,
                "conclusion": locked.conclusion,
            },
        )
        if locked.task is not None and locked.task.state == TaskState.OPEN:
            locked.task = complete_task(task=locked.task, user=user, outcome=str(label))
        order = locked.order
        message = _("%(department)s review of %(number)s: %(conclusion)s") % {
            "department": str(locked.department),
            "number": order.number,
            "conclusion": label,
        }
        url = locked.get_absolute_url()
        transaction.on_commit(lambda: notify([order.clerk], message, url))
    return locked


def reassign_review(*, review: DepartmentReview, user: User, assignee: User) -> DepartmentReview:
    """The department head hands the review to one of the department's reviewers."""
    if user.is_read_only or not (
        is_management(user)
        or (user.role == Role.HEAD and review.department_id in user.department_ids())
    ):
        raise NotPermitted(_("Only the department head may reassign the department's review."))
    if (
        not assignee.is_active
        or assignee.role not in DEPARTMENT_ROLES
        or review.department_id not in assignee.department_ids()
    ):
        raise Blocked(
            fields={
                "assignee": [
                    _("Choose a reviewer or the head of the %(department)s department.")
                    % {"department": review.department}
                ]
            }
        )
    with transaction.atomic():
        locked = (
            DepartmentReview.objects.select_for_update(of=("self",))
            .select_related("order")
            .get(pk=review.pk)
        )
        if locked.state != ReviewState.OPEN or locked.task is None:
            raise Blocked(_("Only a review still waiting for its report can be reassigned."))
        task = Task.objects.select_for_update().get(pk=locked.task.pk)
        previous = task.assignee
        task.assignee = assignee
        task.save(update_fields=["assignee"])
        record(
            order=locked.order,
            kind=Kind.TASK,
            actor=user,
            summary=_("%(department)s review assigned to %(assignee)s")
            % {"department": str(review.department), "assignee": assignee},
            changes={"assignee": [str(previous) if previous else "", str(assignee)]},
            data={"event": "review.reassigned", "review": locked.pk, "task": task.pk},
        )
        message = _("Review of order %(number)s assigned to you") % {"number": locked.order.number}
        url = locked.get_absolute_url()
        transaction.on_commit(lambda: notify([assignee], message, url))
    return locked


# --- R3: the review meeting ----------------------------------------------------------------


def may_organise(user: User, order: Order) -> bool:
    """Sales organises the meeting: the order's clerk, the sales head, management."""
    return can_edit_order(user, order)


def _check_organiser(user: User, order: Order) -> None:
    if not may_organise(user, order):
        raise NotPermitted(
            _("The review meeting is organised by sales: the order's clerk or the sales head.")
        )


def _meeting_errors(
    order: Order, held_at: Any, place: str, attendees: Sequence[User]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not isinstance(held_at, dt.datetime):
        errors["held_at"] = [_("Give the meeting's date and time.")]
    if not place.strip():
        errors["place"] = [_("Give the meeting's place.")]
    if not attendees:
        errors["attendees"] = [_("Invite the attendees.")]
    elif any(not a.is_active or a.is_read_only for a in attendees):
        errors["attendees"] = [_("Attendees must be active users who may sign (not auditors).")]
    else:
        present = {code for a in attendees for code in a.department_codes()}
        missing = [
            str(r.department)
            for r in selectors.current_reviews(order)
            if r.department.code not in present
        ]
        if missing:
            errors["attendees"] = [
                _("Invite someone from every reviewing department; missing: %(departments)s.")
                % {"departments": ", ".join(missing)}
            ]
    return errors


def schedule_meeting(
    *, order: Order, user: User, held_at: dt.datetime, place: str, attendees: Sequence[User]
) -> ReviewMeeting:
    """Sales schedules the review meeting; the agenda is built from the reports (R3)."""
    _check_organiser(user, order)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != Status.DEPARTMENT_REVIEW:
            raise Blocked(
                _(
                    "A review meeting is held while the order is in department review; it is "
                    "%(status)s."
                )
                % {"status": locked.get_status_display()}
            )
        existing = selectors.current_meeting(locked)
        if existing is not None and existing.decision != Decision.FOLLOW_UP:
            raise Blocked(
                _(
                    "A review meeting is already on record for this review: edit its minutes, or "
                    "decide “needs follow-up” there before scheduling another."
                )
            )
        errors = _meeting_errors(locked, held_at, place, attendees)
        if errors:
            raise Blocked(fields=errors)
        reviews = selectors.current_reviews(locked)
        meeting = ReviewMeeting.objects.create(
            order=locked,
            round=max(selectors.current_round(locked), 1),
            organiser=user,
            held_at=held_at,
            place=place.strip(),
            agenda=selectors.build_agenda(reviews),
        )
        meeting.attendees.set(attendees)
        meeting.content_hash = minutes.content_hash(meeting)
        meeting.save(update_fields=["content_hash"])
        record(
            order=locked,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Review meeting scheduled for %(when)s at %(place)s with %(count)d attendees")
            % {
                "when": timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
                "place": meeting.place,
                "count": len(attendees),
            },
            data={
                "event": "meeting.scheduled",
                "meeting": meeting.pk,
                "attendees": sorted(a.username for a in attendees),
            },
        )
        message = _("Review meeting on order %(number)s: %(when)s, %(place)s") % {
            "number": locked.number,
            "when": timezone.localtime(held_at).strftime("%Y-%m-%d %H:%M"),
            "place": meeting.place,
        }
        url = meeting.get_absolute_url()
        people = list(attendees)
        transaction.on_commit(lambda: notify(people, message, url))
    return meeting


def _clean_actions(
    raw: Sequence[Mapping[str, Any]],
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    cleaned, errors = [], {}
    for index, item in enumerate(raw, start=1):
        description = str(item.get("description") or "").strip()
        owner, department, due = item.get("owner"), item.get("department"), item.get("due_date")
        if not (description or owner or department or due):
            continue  # an empty row of the form
        problems = []
        if not description:
            problems.append(_("say what is to be done"))
        if owner is None and department is None:
            problems.append(_("name the owner or department"))
        if not isinstance(due, dt.date):
            problems.append(_("give the milestone date"))
        if problems:
            errors[f"actions.{index}"] = [
                _("Action %(n)d: %(problems)s.") % {"n": index, "problems": "; ".join(problems)}
            ]
        cleaned.append(
            {"description": description, "owner": owner, "department": department, "due_date": due}
        )
    return cleaned, errors


def update_minutes(
    *,
    meeting: ReviewMeeting,
    user: User,
    expected_version: int | None = None,
    held_at: dt.datetime | None = None,
    place: str | None = None,
    attendees: Sequence[User] | None = None,
    discussion: str | None = None,
    decision: str | None = None,
    decision_notes: str | None = None,
    fail_resolution: str | None = None,
    actions: Sequence[Mapping[str, Any]] | None = None,
    refresh_agenda: bool = False,
) -> ReviewMeeting:
    """Record or edit the minutes. An edit after someone signed voids every signature: the
    attendees sign the new content again."""
    _check_organiser(user, meeting.order)
    with transaction.atomic():
        locked = (
            ReviewMeeting.objects.select_for_update(of=("self",))
            .select_related("order", "organiser")
            .get(pk=meeting.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(
                _("The minutes were changed by someone else while you were editing. Reload them.")
            )
        order = locked.order
        if order.status != Status.DEPARTMENT_REVIEW or locked != selectors.current_meeting(order):
            raise Blocked(_("These minutes are closed: the review has moved on."))
        before = minutes.canonical_content(locked)
        new_held_at = held_at if held_at is not None else locked.held_at
        new_place = place if place is not None else locked.place
        new_attendees = list(attendees) if attendees is not None else list(locked.attendees.all())
        errors = _meeting_errors(order, new_held_at, new_place, new_attendees)
        new_decision = decision if decision is not None else locked.decision
        if new_decision and new_decision not in Decision.values:
            errors["decision"] = [_("Choose approved, rejected or needs follow-up.")]
        new_resolution = (
            fail_resolution if fail_resolution is not None else locked.fail_resolution
        ).strip()
        reviews = selectors.current_reviews(order)
        failed = [str(r.department) for r in reviews if r.conclusion == Conclusion.FAIL]
        if new_decision == Decision.APPROVED and failed and not new_resolution:
            errors["fail_resolution"] = [
                _(
                    "%(departments)s failed the order: record how the meeting resolves this "
                    "before approving it."
                )
                % {"departments": ", ".join(failed)}
            ]
        if new_decision == Decision.APPROVED and any(r.state == ReviewState.OPEN for r in reviews):
            errors["decision"] = [_("Every department's report must be filed before approval.")]
        if actions is not None:
            cleaned_actions, action_errors = _clean_actions(actions)
            errors.update(action_errors)
        else:
            cleaned_actions = None
            action_errors = {}
        if new_decision in (Decision.APPROVED, Decision.FOLLOW_UP):
            has_actions = (
                bool(cleaned_actions) if cleaned_actions is not None else locked.actions.exists()
            )
            if not has_actions:
                errors["actions"] = [_("Name the owners and milestones: who does what by when.")]
        if errors:
            raise Blocked(fields=errors)
        locked.held_at = new_held_at
        locked.place = new_place.strip()
        if discussion is not None:
            locked.discussion = discussion.strip()
        locked.decision = new_decision
        if decision_notes is not None:
            locked.decision_notes = decision_notes.strip()
        locked.fail_resolution = new_resolution
        if refresh_agenda:
            locked.agenda = selectors.build_agenda(reviews)
        if attendees is not None:
            locked.attendees.set(new_attendees)
        if cleaned_actions is not None:
            locked.actions.all().delete()
            MeetingAction.objects.bulk_create(
                MeetingAction(meeting=locked, position=n, **values)
                for n, values in enumerate(cleaned_actions, start=1)
            )
        after = minutes.canonical_content(locked)
        changed = [key for key in after if after[key] != before[key]]
        if not changed:
            return locked
        locked.content_hash = minutes.content_hash(locked)
        locked.version += 1
        locked.save()
        voided = _void_signatures(locked, user, changed)
        record(
            order=order,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Review meeting minutes edited (%(parts)s)%(voided)s")
            % {
                "parts": _part_labels(changed),
                "voided": _("; %(n)d signatures voided") % {"n": len(voided)} if voided else "",
            },
            changes={key: [before[key], after[key]] for key in changed},
            data={
                "event": "minutes.edited",
                "meeting": locked.pk,
                "hash": locked.content_hash,
                "voided": [s.signer.username for s in voided],
            },
        )
        if voided:
            message = _("The minutes of order %(number)s changed: please sign them again") % {
                "number": order.number
            }
            url = locked.get_absolute_url()
            signers = [s.signer for s in voided]
            transaction.on_commit(lambda: notify(signers, message, url))
    return locked


def _part_labels(changed: list[str]) -> str:
    """The changed parts of the minutes, named in the reader's language."""
    labels = []
    for key in changed:
        if key == "actions":
            labels.append(str(MeetingAction._meta.verbose_name_plural))
            continue
        try:
            labels.append(str(getattr(ReviewMeeting._meta.get_field(key), "verbose_name", key)))
        except FieldDoesNotExist:
            labels.append(key)
    return ", ".join(labels)


def _void_signatures(
    meeting: ReviewMeeting, user: User, changed: list[str]
) -> list[MinutesSignature]:
    live = list(meeting.signatures.filter(voided_at__isnull=True).select_related("signer"))
    if not live:
        return []
    reason = _("Minutes edited by %(user)s at %(at)s (%(parts)s): sign again.") % {
        "user": user,
        "at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "parts": _part_labels(changed),
    }
    now = timezone.now()
    for signature in live:
        signature.voided_at = now
        signature.void_reason = reason[:500]
        signature.save(update_fields=["voided_at", "void_reason"])
    return live


def sign_minutes(*, meeting: ReviewMeeting, user: User, password: str) -> MinutesSignature:
    """An attendee signs the minutes: password re-entered, time stamped, bound to the hash."""
    if user.is_read_only or not meeting.attendees.filter(pk=user.pk).exists():
        raise NotPermitted(_("Only the meeting's attendees sign its minutes."))
    if not password or not user.check_password(password):
        raise Blocked(
            fields={
                "password": [_("The password is not correct: enter your own password to sign.")]
            }
        )
    with transaction.atomic():
        locked = (
            ReviewMeeting.objects.select_for_update(of=("self",))
            .select_related("order")
            .get(pk=meeting.pk)
        )
        if not locked.decision:
            raise Blocked(_("Record the meeting's decision before the minutes are signed."))
        if locked.order.status != Status.DEPARTMENT_REVIEW:
            raise Blocked(_("These minutes are closed: the review has moved on."))
        live = locked.signatures.filter(signer=user, voided_at__isnull=True).first()
        if live is not None and live.content_hash == locked.content_hash:
            raise Blocked(_("You have already signed this version of the minutes."))
        if live is not None:  # bound to older content: cannot stand next to the new one
            live.voided_at = timezone.now()
            live.void_reason = _("Replaced by a signature on the current minutes.")
            live.save(update_fields=["voided_at", "void_reason"])
        now = timezone.now()
        signature = MinutesSignature.objects.create(
            meeting=locked,
            signer=user,
            signed_at=now,
            content_hash=locked.content_hash,
            seal=minutes.seal(
                signer_id=user.pk, signed_at_iso=now.isoformat(), digest=locked.content_hash
            ),
        )
        missing = locked.unsigned_attendees()
        total = locked.attendees.count()
        record(
            order=locked.order,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Review meeting minutes signed by %(user)s (%(done)d of %(total)d)")
            % {"user": user, "done": total - len(missing), "total": total},
            data={
                "event": "minutes.signed",
                "meeting": locked.pk,
                "signature": signature.pk,
                "hash": locked.content_hash,
            },
        )
        if not missing:
            _file_signed_minutes(locked, user)
            people = [locked.organiser, locked.order.clerk]
            message = _("The minutes of order %(number)s are signed by every attendee") % {
                "number": locked.order.number
            }
            url = locked.get_absolute_url()
            transaction.on_commit(lambda: notify(people, message, url))
    return signature


def _file_signed_minutes(meeting: ReviewMeeting, user: User) -> None:
    """Keep the fully signed minutes as a PDF with the order (K2), in the company language."""
    from gendan.documents.actions import store_document
    from gendan.documents.models import Category
    from gendan.documents.titles import form_title
    from gendan.reviews.printing import minutes_pdf

    language = settings.LANGUAGE_CODE
    store_document(
        order=meeting.order,
        user=user,
        category=Category.MINUTES,
        title=f"{form_title('review_minutes', language)} {meeting.order.number}",
        content=minutes_pdf(meeting, language=language),
        filename=f"{meeting.order.number}-minutes-{meeting.pk}-v{meeting.version}.pdf",
        source=f"reviews.reviewmeeting:{meeting.pk}",
        content_type="application/pdf",
    )


# --- R4: the result goes back to the customer --------------------------------------------


def reject_after_review(
    *,
    order: Order,
    user: User,
    reasons: str,
    counterpart: str,
    channel: str = CommunicationChannel.EMAIL,
    alternative_date: dt.date | None = None,
    changed_requirements: str = "",
    other_alternatives: str = "",
) -> RejectionNotice:
    """The meeting rejected the order: record the reasons and alternatives, tell the customer
    (a communication in the ledger, and an e-mail where the customer has an address), then
    reject the order through the pipeline."""
    from gendan.orders.actions import transition_order
    from gendan.orders.pipeline import TRANSITIONS, role_allows

    if not role_allows(TRANSITIONS["reject"], user):
        raise NotPermitted(_("Only the sales head rejects an order after review."))
    errors: dict[str, list[str]] = {}
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons the customer will read.")]
    if not (alternative_date or changed_requirements.strip() or other_alternatives.strip()):
        errors["alternatives"] = [
            _(
                "Offer the customer an alternative: another date, changed requirements or another "
                "solution."
            )
        ]
    if channel not in CommunicationChannel.values:
        errors["channel"] = [_("Choose how the customer is told.")]
    if not counterpart.strip():
        errors["counterpart"] = [_("Say whom at the customer you tell.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        meeting = selectors.current_meeting(locked)
        if meeting is None or meeting.decision != Decision.REJECTED:
            raise Blocked(_("The review meeting has not decided to reject this order."))
        unsigned = meeting.unsigned_attendees()
        if unsigned:
            raise Blocked(
                _("The minutes still lack the signatures of: %(names)s.")
                % {"names": ", ".join(str(u) for u in unsigned)}
            )
        notice = RejectionNotice.objects.create(
            order=locked,
            meeting=meeting,
            reasons=reasons.strip(),
            alternative_date=alternative_date,
            changed_requirements=changed_requirements.strip(),
            other_alternatives=other_alternatives.strip(),
            counterpart=counterpart.strip(),
            channel=channel,
            sent_by=user,
        )
        alternatives = "\n".join(
            filter(
                None,
                [
                    _("Another delivery date: %(date)s") % {"date": alternative_date.isoformat()}
                    if alternative_date
                    else "",
                    _("Changed requirements: %(text)s") % {"text": notice.changed_requirements}
                    if notice.changed_requirements
                    else "",
                    notice.other_alternatives,
                ],
            )
        )
        record(
            order=locked,
            kind=Kind.COMMUNICATION,
            actor=user,
            summary=_("Review result sent to the customer: order rejected"),
            body=f"{notice.reasons}\n\n{alternatives}".strip(),
            channel=channel,
            counterpart=notice.counterpart,
            data={"event": "review.rejection_sent", "notice": notice.pk},
        )
        for review in DepartmentReview.objects.filter(order=locked, state=ReviewState.OPEN):
            review.state = ReviewState.CANCELLED
            review.save(update_fields=["state"])
            if review.task is not None and review.task.state == TaskState.OPEN:
                cancel_task(task=review.task, user=user, reason=_("The order was rejected."))
        transition_order(order=locked, name="reject", user=user, reason=notice.reasons)
        if channel == CommunicationChannel.EMAIL:
            from gendan.reviews.jobs import send_rejection_email

            transaction.on_commit(lambda: send_rejection_email.enqueue(notice_id=notice.pk))
    return notice


def reviewing_departments(order: Order) -> list[Department]:
    return [r.department for r in selectors.current_reviews(order)]
