"""The contract's row in the order pipeline: `confirm` needs a reviewed, signed contract."""

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from gendan.accounts.models import User
    from gendan.orders.models import Order


def contract_signed(order: "Order", user: "User") -> str | None:
    """Guard of `confirm`: legal approved the contract and its signed copy is uploaded (C1)."""
    from gendan.contracts.models import Contract, ContractState

    contract = Contract.objects.filter(order=order).only("state").first()
    if contract is None:
        return _("Draft the contract from a template.")
    if contract.state in (ContractState.DRAFT, ContractState.CHANGES_REQUESTED):
        return _("Send the contract to legal review.")
    if contract.state == ContractState.LEGAL_REVIEW:
        return _("Legal has not finished reviewing the contract.")
    if contract.state == ContractState.APPROVED:
        return _("Upload the contract signed by both parties.")
    return None
