"""The records every row of the role matrix works on, made through the real actions."""

from dataclasses import dataclass

from gendan.accounts.models import User
from gendan.catalog.models import Product, ProductLine
from gendan.customers.models import Customer
from gendan.notifications.actions import notify
from gendan.notifications.models import Notification
from gendan.orders.models import Order
from gendan.tasks.actions import due_at_for, open_task
from gendan.tasks.models import Task
from tests.factories import CustomerFactory, ProductFactory, department, make_order


@dataclass
class World:
    """A draft order followed by `clerk`, routed to sales (on registration) and to technical
    (by `department_task`); a personal task of the clerk on it; a notification of the clerk.

    Who sees the order (P3): clerk, sales_head, technical_reviewer, gm, admin, auditor.
    Who does not: other_clerk, production_head, logistics_reviewer, outsider.
    """

    users: dict[str, User]
    order: Order
    department_task: Task
    personal_task: Task
    notification: Notification
    customer: Customer
    product: Product
    line: ProductLine

    def fresh_order(self) -> Order:
        return Order.objects.get(pk=self.order.pk)


def build_world(users: dict[str, User]) -> World:
    order = make_order(user=users["clerk"])
    head = users["sales_head"]
    department_task = open_task(
        user=head,
        order=order,
        title="Check the specification",
        department=department("technical"),
        due_at=due_at_for(working_days=2),
    )
    personal_task = open_task(
        user=head,
        order=order,
        title="Call the buyer back",
        assignee=users["clerk"],
        due_at=due_at_for(working_days=1),
    )
    [notification] = notify([users["clerk"]], "Order registered", order.get_absolute_url())
    product = ProductFactory()
    return World(
        users=users,
        order=Order.objects.get(pk=order.pk),
        department_task=department_task,
        personal_task=personal_task,
        notification=notification,
        customer=CustomerFactory(),
        product=product,
        line=product.line,
    )
