"""Who may act in the warehouse: the warehouse (logistics department, reviewers and head) and
management take finished goods in. Auditors never change anything."""

from typing import TYPE_CHECKING

from gendan.accounts.models import Role
from gendan.orders.permissions import is_management

if TYPE_CHECKING:
    from gendan.accounts.models import User

LOGISTICS = "logistics"


def can_receive_finished_goods(user: "User") -> bool:
    if not (user.is_authenticated and user.is_active and not user.is_read_only):
        return False
    in_warehouse = user.role in (Role.REVIEWER, Role.HEAD) and LOGISTICS in user.department_codes()
    return in_warehouse or is_management(user)
