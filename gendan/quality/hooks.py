"""What quality offers other apps' actions to call at the right point.

- `held_for_inspection(receipt) -> Decimal`: `purchasing.actions.receive` calls it after
  creating the receipt, inside its transaction, and adds only the rest to usable stock. Material
  with active incoming inspection standards is held in full until its incoming inspection
  (`quality.actions.inspect_receipt`) releases what passes.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gendan.purchasing.models import Receipt


def held_for_inspection(receipt: "Receipt") -> Decimal:
    from gendan.quality.actions import hold_receipt_for_inspection

    return hold_receipt_for_inspection(receipt)
