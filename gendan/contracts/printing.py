"""What the contract, confirmation and allocation pages and printed forms show: one context
per form, shared by the page (which includes the form's partial) and the PDF."""

from typing import Any

from django.utils import translation

from gendan.contracts.models import Allocation, Contract, ContractVersion
from gendan.documents.pdf import render_pdf
from gendan.documents.titles import form_title
from gendan.orders.models import Order


def contract_context(
    contract: Contract, version: ContractVersion | None = None, language: str | None = None
) -> dict[str, Any]:
    version = version or contract.current_version
    return {
        "order": contract.order,
        "contract": contract,
        "version": version,
        "form_title": form_title("contract_draft", language),
        "lines": list(contract.order.lines.select_related("product")),
    }


def confirmation_context(order: Order, number: str, language: str | None = None) -> dict[str, Any]:
    contract = Contract.objects.filter(order=order).first()
    return {
        "order": order,
        "number": number,
        "contract": contract,
        "form_title": form_title("order_confirmation", language),
        "lines": list(order.lines.select_related("product")),
        "delivery_date": order.promised_date or order.requested_date,
    }


def allocation_context(allocation: Allocation, language: str | None = None) -> dict[str, Any]:
    return {
        "order": allocation.order,
        "allocation": allocation,
        "form_title": form_title("allocation", language),
        "alloc_lines": list(allocation.lines.select_related("department", "owner", "task")),
        "meeting_attendees": list(allocation.meeting_attendees.all()),
    }


def contract_pdf(contract: Contract, version: ContractVersion | None, *, language: str) -> bytes:
    with translation.override(language):
        context = contract_context(contract, version, language)
    return render_pdf("contracts/print/contract.html", context, language=language)


def confirmation_pdf(order: Order, *, number: str, language: str) -> bytes:
    with translation.override(language):
        context = confirmation_context(order, number, language)
    return render_pdf("contracts/print/confirmation.html", context, language=language)


def allocation_pdf(allocation: Allocation, *, language: str) -> bytes:
    with translation.override(language):
        context = allocation_context(allocation, language)
    return render_pdf("contracts/print/allocation.html", context, language=language)
