"""Pages of the contract (C1), the order confirmation (C2) and the allocation sheet (E1).

Each page is one GET view; the forms on it post to small views that call one action and
either redirect back (success) or render the page again with the errors beside the fields.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.contracts import actions, printing
from gendan.contracts.actions.allocation import ALLOCATABLE
from gendan.contracts.actions.confirmation import CONFIRMABLE
from gendan.contracts.forms import (
    AllocationFormSet,
    CommentForm,
    ConfirmationForm,
    CoordinationForm,
    DecisionForm,
    DraftForm,
    ReviseForm,
    SignedCopyForm,
)
from gendan.contracts.models import Allocation, AllocationState, Contract, ContractState
from gendan.core.access import get_visible_or_404
from gendan.core.errors import ActionError
from gendan.core.views import AuthenticatedRequest, apply_action_error, forbid_if_not_permitted
from gendan.documents.pdf import pdf_response
from gendan.orders.models import Order
from gendan.orders.permissions import can_edit_order
from gendan.orders.status import Status


def _order(request: AuthenticatedRequest, number: str) -> Order:
    return get_visible_or_404(
        Order.objects.select_related("customer", "clerk"), request.user, number=number
    )


def _contract(order: Order) -> Contract | None:
    return (
        Contract.objects.filter(order=order)
        .select_related("template", "approved_version", "signed_document")
        .first()
    )


def _contract_context(request: AuthenticatedRequest, order: Order, **forms_: Any) -> dict[str, Any]:
    user = request.user
    contract = _contract(order)
    sales = can_edit_order(user, order) and not user.is_read_only
    legal = actions.is_legal(user)
    context: dict[str, Any] = {"order": order, "contract": contract, "sales": sales, "legal": legal}
    if contract is not None:
        context.update(printing.contract_context(contract))
        context["versions"] = list(
            contract.versions.select_related("created_by").order_by("-number")
        )
        context["comments"] = list(contract.comments.select_related("author", "version"))
        if sales and contract.state in (
            ContractState.DRAFT,
            ContractState.CHANGES_REQUESTED,
            ContractState.APPROVED,
        ):
            context["revise_form"] = forms_.get("revise_form") or ReviseForm(
                current=contract.current_version, initial={"version": contract.version}
            )
        context["can_submit"] = sales and contract.state in (
            ContractState.DRAFT,
            ContractState.CHANGES_REQUESTED,
        )
        if legal and contract.state == ContractState.LEGAL_REVIEW:
            context["comment_form"] = forms_.get("comment_form") or CommentForm()
            context["decision_form"] = forms_.get("decision_form") or DecisionForm()
        if sales and contract.state == ContractState.APPROVED:
            context["upload_form"] = forms_.get("upload_form") or SignedCopyForm()
    elif sales and order.status == Status.CONTRACT:
        context["draft_form"] = forms_.get("draft_form") or DraftForm()
    context["confirmations"] = list(order.confirmations.select_related("document", "issued_by"))
    if sales and order.status in CONFIRMABLE:
        context["confirmation_form"] = forms_.get("confirmation_form") or ConfirmationForm(
            initial={"language": get_language(), "send_email": True}
        )
    context["error_form"] = forms_.get("error_form")
    return context


def _run(
    request: AuthenticatedRequest,
    number: str,
    form: forms.Form,
    call: Callable[[Order, dict[str, Any]], Any],
    done: str,
    form_name: str,
    page: str = "contract",
) -> HttpResponse:
    order = _order(request, number)
    if form.is_valid():
        try:
            call(order, form.cleaned_data)
        except ActionError as error:
            forbid_if_not_permitted(error)
            apply_action_error(error, form)
        else:
            messages.success(request, done)
            return redirect(f"contracts:{page}", number=order.number)
    if page == "contract":
        context = _contract_context(request, order, **{form_name: form, "error_form": form})
        return render(request, "contracts/contract.html", context, status=400)
    context = _allocation_context(request, order, **{form_name: form, "error_form": form})
    return render(request, "contracts/allocation.html", context, status=400)


def _existing_contract(order: Order) -> Contract:
    contract = _contract(order)
    if contract is None:
        raise Http404
    return contract


@login_required
def contract_page(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    return render(request, "contracts/contract.html", _contract_context(request, order))


@login_required
@require_POST
def draft(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _run(
        request,
        number,
        DraftForm(request.POST),
        lambda order, data: actions.draft_contract(
            order=order, user=request.user, template=data["template"]
        ),
        _("The contract is drafted from the template."),
        "draft_form",
    )


@login_required
@require_POST
def revise(request: AuthenticatedRequest, number: str) -> HttpResponse:
    contract = _existing_contract(_order(request, number))
    form = ReviseForm(request.POST, current=contract.current_version)
    return _run(
        request,
        number,
        form,
        lambda order, data: actions.revise_contract(
            contract=contract,
            user=request.user,
            clauses=form.clauses(),
            note=data["note"],
            expected_version=data.get("version"),
        ),
        _("A new version of the contract is saved."),
        "revise_form",
    )


@login_required
@require_POST
def submit(request: AuthenticatedRequest, number: str) -> HttpResponse:
    contract = _existing_contract(_order(request, number))
    return _run(
        request,
        number,
        forms.Form(request.POST),
        lambda order, data: actions.submit_for_legal_review(contract=contract, user=request.user),
        _("The contract is with legal for review."),
        "submit_form",
    )


@login_required
@require_POST
def comment(request: AuthenticatedRequest, number: str) -> HttpResponse:
    contract = _existing_contract(_order(request, number))
    return _run(
        request,
        number,
        CommentForm(request.POST),
        lambda order, data: actions.comment_on_contract(
            contract=contract, user=request.user, **data
        ),
        _("Your comment is saved."),
        "comment_form",
    )


@login_required
@require_POST
def decide(request: AuthenticatedRequest, number: str) -> HttpResponse:
    contract = _existing_contract(_order(request, number))
    return _run(
        request,
        number,
        DecisionForm(request.POST),
        lambda order, data: actions.decide_legal_review(
            contract=contract,
            user=request.user,
            approve=data["decision"] == "approve",
            comment=data["comment"],
        ),
        _("Your review decision is recorded."),
        "decision_form",
    )


@login_required
@require_POST
def upload(request: AuthenticatedRequest, number: str) -> HttpResponse:
    contract = _existing_contract(_order(request, number))
    return _run(
        request,
        number,
        SignedCopyForm(request.POST, request.FILES),
        lambda order, data: actions.upload_signed_contract(
            contract=contract, user=request.user, file=data["file"]
        ),
        _("The signed contract is filed."),
        "upload_form",
    )


@login_required
def contract_pdf(request: AuthenticatedRequest, number: str) -> HttpResponse:
    contract = _existing_contract(_order(request, number))
    version = contract.versions.filter(number=request.GET.get("version") or 0).first()
    content = printing.contract_pdf(contract, version, language=get_language())
    return pdf_response(content, f"{contract.number}.pdf")


@login_required
@require_POST
def confirm(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _run(
        request,
        number,
        ConfirmationForm(request.POST),
        lambda order, data: actions.issue_confirmation(order=order, user=request.user, **data),
        _("The order confirmation is issued."),
        "confirmation_form",
    )


# --- allocation ----------------------------------------------------------------------------


def _allocation_context(
    request: AuthenticatedRequest, order: Order, **forms_: Any
) -> dict[str, Any]:
    user = request.user
    allocation = Allocation.objects.filter(order=order).first()
    sales = can_edit_order(user, order) and not user.is_read_only
    context: dict[str, Any] = {
        "order": order,
        "allocation": allocation,
        "sales": sales,
        "can_propose": sales and allocation is None and order.status in ALLOCATABLE,
        "error_form": forms_.get("error_form"),
    }
    if allocation is not None:
        context.update(printing.allocation_context(allocation))
        if sales and allocation.state == AllocationState.DRAFT:
            context["lines_formset"] = forms_.get("lines_form") or AllocationFormSet(
                prefix="lines",
                initial=[
                    {
                        "kind": li.kind,
                        "department": li.department,
                        "scope": li.scope,
                        "owner": li.owner,
                        "due_date": li.due_date,
                    }
                    for li in allocation.lines.all()
                ],
            )
            context["meeting_form"] = forms_.get("meeting_form") or CoordinationForm(
                initial={
                    "held_at": timezone.localtime(allocation.meeting_held_at)
                    if allocation.meeting_held_at
                    else timezone.localtime().replace(second=0, microsecond=0),
                    "place": allocation.meeting_place,
                    "attendees": list(allocation.meeting_attendees.all()),
                    "notes": allocation.meeting_notes,
                }
            )
    return context


def _allocation(order: Order) -> Allocation:
    allocation = Allocation.objects.filter(order=order).first()
    if allocation is None:
        raise Http404
    return allocation


@login_required
def allocation_page(request: AuthenticatedRequest, number: str) -> HttpResponse:
    order = _order(request, number)
    return render(request, "contracts/allocation.html", _allocation_context(request, order))


@login_required
@require_POST
def propose(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _run(
        request,
        number,
        forms.Form(request.POST),
        lambda order, data: actions.propose_allocation(order=order, user=request.user),
        _("The allocation sheet is proposed: check and edit it."),
        "propose_form",
        page="allocation",
    )


class _FormSetAsForm(forms.Form):
    """Lets `_run` treat the lines formset like a form (validity, errors)."""

    def __init__(self, formset: Any) -> None:
        super().__init__({})
        self.formset = formset

    def is_valid(self) -> bool:
        valid = self.formset.is_valid()
        self.cleaned_data = (
            {"lines": [row for row in self.formset.cleaned_data if row]} if valid else {}
        )
        return valid


@login_required
@require_POST
def edit_lines(request: AuthenticatedRequest, number: str) -> HttpResponse:
    allocation = _allocation(_order(request, number))
    wrapper = _FormSetAsForm(AllocationFormSet(request.POST, prefix="lines"))
    return _run(
        request,
        number,
        wrapper,
        lambda order, data: actions.update_allocation(
            allocation=allocation, user=request.user, lines=data["lines"]
        ),
        _("The allocation sheet is saved."),
        "error_form",
        page="allocation",
    )


@login_required
@require_POST
def coordination(request: AuthenticatedRequest, number: str) -> HttpResponse:
    allocation = _allocation(_order(request, number))
    return _run(
        request,
        number,
        CoordinationForm(request.POST),
        lambda order, data: actions.record_coordination_meeting(
            allocation=allocation, user=request.user, **data
        ),
        _("The coordination meeting is recorded."),
        "meeting_form",
        page="allocation",
    )


@login_required
@require_POST
def release(request: AuthenticatedRequest, number: str) -> HttpResponse:
    allocation = _allocation(_order(request, number))
    return _run(
        request,
        number,
        forms.Form(request.POST),
        lambda order, data: actions.release_allocation(allocation=allocation, user=request.user),
        _("The allocation is released: each department has its task."),
        "release_form",
        page="allocation",
    )


@login_required
def allocation_pdf(request: AuthenticatedRequest, number: str) -> HttpResponse:
    allocation = _allocation(_order(request, number))
    content = printing.allocation_pdf(allocation, language=get_language())
    return pdf_response(content, f"{allocation.order.number}-allocation.pdf")
