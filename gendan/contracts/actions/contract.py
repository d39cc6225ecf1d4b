"""The sales contract (C1): draft from a template, versions, legal review, signed copy."""

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gendan.accounts.models import Department, Role, User
from gendan.contracts.models import (
    LEGAL_DEPARTMENT,
    REQUIRED_CLAUSES,
    ClauseCode,
    Contract,
    ContractState,
    ContractTemplate,
    ContractVersion,
    LegalComment,
)
from gendan.core.errors import Blocked, NotPermitted, StaleVersion
from gendan.documents.actions import checked_upload, store_document
from gendan.documents.models import Category
from gendan.ledger.models import Kind
from gendan.ledger.record import record
from gendan.notifications.actions import notify
from gendan.orders.actions import route_order
from gendan.orders.models import Order
from gendan.orders.permissions import can_edit_order
from gendan.orders.status import Status
from gendan.reviews.config import working_days_for
from gendan.tasks.actions import complete_task, due_at_for, open_task
from gendan.tasks.models import TaskState

#: Departments that receive the signed contract (rulebook 003 §四(一)3).
CONTRACT_COPY_DEPARTMENTS = ("production", "procurement", "logistics")


def is_legal(user: User) -> bool:
    return (
        user.is_active
        and not user.is_read_only
        and user.role in (Role.REVIEWER, Role.HEAD)
        and LEGAL_DEPARTMENT in user.department_codes()
    )


def _check_sales(user: User, order: Order) -> None:
    if not can_edit_order(user, order):
        raise NotPermitted(
            _("The contract is drafted by sales: the order's clerk or the sales head.")
        )


def _lock(contract: Contract, expected_version: int | None = None) -> Contract:
    locked = (
        Contract.objects.select_for_update(of=("self",)).select_related("order").get(pk=contract.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(
            _("The contract was changed by someone else while you were editing. Reload it.")
        )
    return locked


def fill_context(order: Order) -> dict[str, Any]:
    """What clause templates may use: the order, its customer and lines, the delivery date."""
    return {
        "order": order,
        "customer": order.customer,
        "lines": list(order.lines.select_related("product")),
        "delivery_date": order.promised_date or order.requested_date,
        "total": order.total_amount,
    }


def fill_clauses(template: ContractTemplate, order: Order) -> list[dict[str, str]]:
    context = Context(fill_context(order), autoescape=False)
    clauses = []
    for clause in template.clauses.order_by("position"):
        try:
            text = Template(clause.body).render(context)
        except TemplateSyntaxError as error:
            raise Blocked(
                _(
                    "The template clause “%(title)s” cannot be filled: %(error)s. Ask an "
                    "administrator to correct the template."
                )
                % {"title": clause.title, "error": error}
            ) from None
        key = clause.code if clause.code != ClauseCode.OTHER else f"other-{clause.position}"
        clauses.append(
            {"key": key, "code": clause.code, "title": clause.title, "text": text.strip()}
        )
    return clauses


def _default_template() -> ContractTemplate | None:
    language = (get_language() or "zh-hans").lower()
    active = ContractTemplate.objects.filter(is_active=True)
    return (
        active.filter(is_default=True, language=language).first()
        or active.filter(is_default=True).first()
        or active.first()
    )


def draft_contract(
    *, order: Order, user: User, template: ContractTemplate | None = None
) -> Contract:
    """Draft the contract from a template, filled from the order (version 1)."""
    _check_sales(user, order)
    template = template or _default_template()
    if template is None or not template.is_active:
        raise Blocked(fields={"template": [_("Choose an active contract template.")]})
    missing = template.missing_clauses()
    if missing:
        raise Blocked(
            fields={
                "template": [
                    _("The template lacks required clauses: %(clauses)s.")
                    % {"clauses": ", ".join(str(ClauseCode(c).label) for c in missing)}
                ]
            }
        )
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status != Status.CONTRACT:
            raise Blocked(
                _("A contract is drafted once the review approved the order; it is %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if Contract.objects.filter(order=locked).exists():
            raise Blocked(_("This order already has a contract: revise it instead."))
        contract = Contract.objects.create(
            order=locked, number=f"HT-{locked.number}", template=template, created_by=user
        )
        version = ContractVersion.objects.create(
            contract=contract,
            number=1,
            title=template.title,
            preamble=template.preamble,
            clauses=fill_clauses(template, locked),
            closing=template.closing,
            note=_("Drafted from the template “%(name)s”") % {"name": template.name},
            created_by=user,
        )
        record(
            order=locked,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Contract %(number)s drafted from the template “%(template)s”")
            % {"number": contract.number, "template": template.name},
            data={"event": "contract.drafted", "contract": contract.pk, "version": version.pk},
        )
    return contract


def revise_contract(
    *,
    contract: Contract,
    user: User,
    clauses: Mapping[str, str],
    note: str,
    expected_version: int | None = None,
) -> ContractVersion:
    """Save edited clause texts (by clause key: its subject code, or "other-<n>") as a new
    version. An approved contract goes back to draft: legal reviews the new text again."""
    _check_sales(user, contract.order)
    if not note.strip():
        raise Blocked(fields={"note": [_("Say what changed in this version.")]})
    with transaction.atomic():
        locked = _lock(contract, expected_version)
        if locked.state in (ContractState.LEGAL_REVIEW, ContractState.SIGNED):
            raise Blocked(
                _("The contract is %(state)s: it cannot be revised now.")
                % {"state": locked.get_state_display()}
            )
        current = locked.current_version
        new_clauses, errors, changed = [], {}, []
        for clause in current.clauses:
            text = str(clauses.get(clause["key"], clause["text"])).strip()
            if clause["code"] in REQUIRED_CLAUSES and not text:
                errors[f"clauses.{clause['key']}"] = [
                    _("The clause “%(title)s” is required.") % {"title": clause["title"]}
                ]
            if text != clause["text"]:
                changed.append(clause["title"])
            new_clauses.append({**clause, "text": text})
        if errors:
            raise Blocked(fields=errors)
        if not changed:
            raise Blocked(_("Nothing changed: edit a clause to make a new version."))
        version = ContractVersion.objects.create(
            contract=locked,
            number=current.number + 1,
            title=current.title,
            preamble=current.preamble,
            clauses=new_clauses,
            closing=current.closing,
            note=note.strip()[:300],
            created_by=user,
        )
        was_approved = locked.state == ContractState.APPROVED
        locked.state = ContractState.DRAFT
        locked.approved_version = None
        locked.version += 1
        locked.save(update_fields=["state", "approved_version", "version"])
        record(
            order=locked.order,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Contract version %(n)d: %(note)s")
            % {"n": version.number, "note": version.note},
            body=(
                _("Legal's approval of the earlier version no longer applies.")
                if was_approved
                else ""
            ),
            changes={"clauses": [current.number, version.number]},
            data={
                "event": "contract.revised",
                "contract": locked.pk,
                "version": version.pk,
                "changed": changed,
            },
        )
    return version


def submit_for_legal_review(*, contract: Contract, user: User) -> Contract:
    """Send the current version to legal, with a review task and its deadline."""
    _check_sales(user, contract.order)
    legal = Department.objects.filter(code=LEGAL_DEPARTMENT, is_active=True).first()
    if legal is None:
        raise Blocked(_("There is no active legal department to review contracts."))
    with transaction.atomic():
        locked = _lock(contract)
        if locked.state not in (ContractState.DRAFT, ContractState.CHANGES_REQUESTED):
            raise Blocked(
                _("The contract is %(state)s: only a draft goes to legal review.")
                % {"state": locked.get_state_display()}
            )
        version = locked.current_version
        task = open_task(
            user=user,
            title=_("Legal review of contract %(number)s (version %(v)d)")
            % {"number": locked.number, "v": version.number},
            due_at=due_at_for(working_days=working_days_for(legal)),
            order=locked.order,
            department=legal,
            kind="legal_review",
            description=_("Review the contract's clauses; approve it or request changes."),
        )
        locked.state = ContractState.LEGAL_REVIEW
        locked.legal_task = task
        locked.version += 1
        locked.save(update_fields=["state", "legal_task", "version"])
        record(
            order=locked.order,
            kind=Kind.TASK,
            actor=user,
            summary=_("Contract %(number)s version %(v)d sent to legal review")
            % {"number": locked.number, "v": version.number},
            data={"event": "contract.submitted", "contract": locked.pk, "version": version.pk},
        )
    return locked


def _check_legal(user: User) -> None:
    if not is_legal(user):
        raise NotPermitted(_("Only the legal department reviews contracts."))


def comment_on_contract(
    *, contract: Contract, user: User, text: str, clause: str = ""
) -> LegalComment:
    """Legal comments on the version under review, on a clause or on the whole."""
    _check_legal(user)
    errors = {}
    if not text.strip():
        errors["text"] = [_("Write the comment.")]
    if clause and clause not in ClauseCode.values:
        errors["clause"] = [_("Choose one of the contract's clauses.")]
    if errors:
        raise Blocked(fields=errors)
    with transaction.atomic():
        locked = _lock(contract)
        if locked.state != ContractState.LEGAL_REVIEW:
            raise Blocked(_("Comments are written while the contract is in legal review."))
        comment = LegalComment.objects.create(
            contract=locked,
            version=locked.current_version,
            author=user,
            clause=clause,
            text=text.strip(),
        )
        record(
            order=locked.order,
            kind=Kind.COMMENT,
            actor=user,
            summary=_("Legal comment on contract %(number)s%(clause)s")
            % {
                "number": locked.number,
                "clause": f" ({ClauseCode(clause).label})" if clause else "",
            },
            body=comment.text,
            data={"event": "contract.comment", "contract": locked.pk, "comment": comment.pk},
        )
    return comment


def decide_legal_review(
    *, contract: Contract, user: User, approve: bool, comment: str = ""
) -> Contract:
    """Legal approves the version under review or sends it back with what to change."""
    _check_legal(user)
    if not approve and not comment.strip():
        raise Blocked(fields={"comment": [_("Say what must change in the contract.")]})
    with transaction.atomic():
        locked = _lock(contract)
        if locked.state != ContractState.LEGAL_REVIEW:
            raise Blocked(_("The contract is not waiting for legal review."))
        version = locked.current_version
        if comment.strip():
            LegalComment.objects.create(
                contract=locked, version=version, author=user, text=comment.strip()
            )
        locked.state = ContractState.APPROVED if approve else ContractState.CHANGES_REQUESTED
        locked.approved_version = version if approve else None
        locked.version += 1
        locked.save(update_fields=["state", "approved_version", "version"])
        record(
            order=locked.order,
            kind=Kind.TASK,
            actor=user,
            summary=(
                _("Legal approved contract %(number)s version %(v)d")
                if approve
                else _("Legal requested changes to contract %(number)s version %(v)d")
            )
            % {"number": locked.number, "v": version.number},
            body=comment.strip(),
            data={
                "event": "contract.approved" if approve else "contract.changes_requested",
                "contract": locked.pk,
                "version": version.pk,
            },
        )
        if locked.legal_task is not None and locked.legal_task.state == TaskState.OPEN:
            locked.legal_task = complete_task(
                task=locked.legal_task,
                user=user,
                outcome=_("Approved") if approve else _("Changes requested"),
            )
        order = locked.order
        message = (
            _("Legal approved the contract of order %(number)s")
            if approve
            else _("Legal requested changes to the contract of order %(number)s")
        ) % {"number": order.number}
        url = locked.get_absolute_url()
        transaction.on_commit(lambda: notify([order.clerk], message, url))
    return locked


def upload_signed_contract(*, contract: Contract, user: User, file: UploadedFile) -> Contract:
    """File the contract signed by both parties; production, procurement and logistics then
    see the order and the contract."""
    _check_sales(user, contract.order)
    content = checked_upload(file, "file")
    with transaction.atomic():
        locked = _lock(contract)
        if locked.state != ContractState.APPROVED or locked.approved_version is None:
            raise Blocked(_("Only a contract approved by legal can be signed."))
        version = locked.approved_version
        document = store_document(
            order=locked.order,
            user=user,
            category=Category.CONTRACT,
            title=_("Contract %(number)s version %(v)d, signed")
            % {"number": locked.number, "v": version.number},
            content=content,
            filename=file.name or "contract.pdf",
            source=f"contracts.contractversion:{version.pk}",
        )
        locked.state = ContractState.SIGNED
        locked.signed_document = document
        locked.signed_at = timezone.now()
        locked.version += 1
        locked.save(update_fields=["state", "signed_document", "signed_at", "version"])
        departments = list(
            Department.objects.filter(code__in=CONTRACT_COPY_DEPARTMENTS, is_active=True)
        )
        for department in departments:
            route_order(locked.order, department)
        record(
            order=locked.order,
            kind=Kind.CHANGED,
            actor=user,
            summary=_("Signed contract %(number)s filed; copies to %(departments)s")
            % {"number": locked.number, "departments": ", ".join(str(d) for d in departments)},
            data={
                "event": "contract.signed",
                "contract": locked.pk,
                "document": document.pk,
                "departments": [d.code for d in departments],
            },
        )
        members = list(
            User.objects.filter(
                departments__in=departments, role__in=[Role.REVIEWER, Role.HEAD], is_active=True
            ).distinct()
        )
        message = _("Contract %(number)s is signed: its copy is with the order") % {
            "number": locked.number
        }
        url = locked.get_absolute_url()
        transaction.on_commit(lambda: notify(members, message, url))
    return locked
