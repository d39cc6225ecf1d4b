"""Contract, confirmation and allocation actions (C1, C2, E1)."""

from gendan.contracts.actions.allocation import (
    propose_allocation,
    record_coordination_meeting,
    release_allocation,
    update_allocation,
)
from gendan.contracts.actions.confirmation import issue_confirmation
from gendan.contracts.actions.contract import (
    comment_on_contract,
    decide_legal_review,
    draft_contract,
    is_legal,
    revise_contract,
    submit_for_legal_review,
    upload_signed_contract,
)

__all__ = [
    "comment_on_contract",
    "decide_legal_review",
    "draft_contract",
    "is_legal",
    "issue_confirmation",
    "propose_allocation",
    "record_coordination_meeting",
    "release_allocation",
    "revise_contract",
    "submit_for_legal_review",
    "update_allocation",
    "upload_signed_contract",
]
