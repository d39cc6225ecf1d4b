"""Orders at the contract and confirmed steps, reached through the real actions."""

from gendan.orders.actions import transition_order
from gendan.orders.models import Order
from tests.factories import complete_department_review, sign_contract


def at_contract(order: Order, staff) -> Order:
    complete_department_review(order, staff)
    return transition_order(order=order, name="approve_review", user=staff["sales_head"])


def confirmed(order: Order, staff) -> Order:
    order = at_contract(order, staff)
    sign_contract(order, staff)
    return transition_order(order=order, name="confirm", user=staff["clerk"])
