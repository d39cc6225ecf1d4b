"""Concurrent writers on PostgreSQL: numbering, stale edits and racing transitions.

Every worker runs in its own thread with its own database connection, against a committed
(transactional) test database. The seeded departments are restored after each test
(`serialized_rollback`), since a transactional test empties the tables when it ends.
"""

import threading
from functools import partial

import pytest
from django.db import transaction
from django.utils import timezone

from gendan.accounts.models import User
from gendan.core.errors import Blocked, StaleVersion
from gendan.ledger.models import Kind
from gendan.orders import counters
from gendan.orders.actions import create_order, transition_order, update_order
from gendan.orders.models import Order
from gendan.orders.status import Status
from tests.concurrency.threads import in_thread, run_together
from tests.factories import CustomerFactory, ProductFactory, make_order, order_header, order_lines

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8
#: How long a second writer must still be waiting while the first holds the row lock.
LOCK_WAIT = 0.5


def test_orders_created_from_eight_threads_get_distinct_gap_free_numbers(
    users: dict[str, User],
) -> None:
    per_thread = 12
    customer, product = CustomerFactory(), ProductFactory()
    creators = ["clerk", "other_clerk", "sales_head", "gm"]

    def create_many(user: User) -> list[str]:
        return [
            create_order(
                user=user, header=order_header(customer=customer), lines=order_lines(product)
            ).number
            for _ in range(per_thread)
        ]

    outcomes = run_together(
        [partial(create_many, users[creators[i % len(creators)]]) for i in range(THREADS)]
    )

    assert [o.error for o in outcomes] == [None] * THREADS
    numbers = sorted(number for o in outcomes for number in o.value)
    year = timezone.localdate().year
    assert numbers == [f"SO-{year}-{seq:06d}" for seq in range(1, THREADS * per_thread + 1)]
    assert Order.objects.count() == THREADS * per_thread
    assert counters.stored_counts() == counters.computed_counts()


def test_stale_edit_loses_against_a_concurrent_edit(users: dict[str, User]) -> None:
    order = make_order(user=users["clerk"])
    first_saved, release = threading.Event(), threading.Event()

    def first_editor() -> None:
        with transaction.atomic():  # keeps the row locked until released
            update_order(
                order=order, user=users["clerk"], expected_version=1, header={"notes": "first"}
            )
            first_saved.set()
            release.wait(10)

    def second_editor() -> Order:
        return update_order(
            order=order, user=users["sales_head"], expected_version=1, header={"notes": "second"}
        )

    first, first_outcome = in_thread(first_editor)
    assert first_saved.wait(10)
    second, second_outcome = in_thread(second_editor)
    second.join(LOCK_WAIT)
    assert second.is_alive(), "the second edit must wait for the first one's row lock"
    release.set()
    first.join(10)
    second.join(10)

    assert first_outcome.error is None
    assert isinstance(second_outcome.error, StaleVersion)
    order.refresh_from_db()
    assert (order.notes, order.version) == ("first", 2)
    assert order.ledger.filter(kind=Kind.CHANGED).count() == 1


def test_two_concurrent_transitions_of_one_order_only_one_succeeds(
    users: dict[str, User],
) -> None:
    """Submit and cancel race from the same copy (version 1): the loser is told it is stale."""
    order = make_order(user=users["clerk"])
    first_done, release = threading.Event(), threading.Event()

    def submit() -> Order:
        with transaction.atomic():
            result = transition_order(
                order=order, name="submit", user=users["clerk"], expected_version=1
            )
            first_done.set()
            release.wait(10)
        return result

    def cancel() -> Order:
        return transition_order(
            order=order,
            name="cancel",
            user=users["sales_head"],
            reason="Customer withdrew",
            expected_version=1,
        )

    first, submitted = in_thread(submit)
    assert first_done.wait(10)
    second, cancelled = in_thread(cancel)
    second.join(LOCK_WAIT)
    assert second.is_alive(), "the second transition must wait for the first one's row lock"
    release.set()
    first.join(10)
    second.join(10)

    assert submitted.error is None
    assert isinstance(cancelled.error, StaleVersion)
    order.refresh_from_db()
    assert (order.status, order.version) == (Status.INTAKE_REVIEW, 2)
    assert order.ledger.filter(kind=Kind.TRANSITION).count() == 1
    assert counters.stored_counts() == counters.computed_counts()


def test_same_transition_from_eight_threads_happens_once(users: dict[str, User]) -> None:
    order = make_order(user=users["clerk"])
    people = ["clerk", "sales_head", "gm", "admin"]

    def submit(user: User) -> Order:
        return transition_order(order=order, name="submit", user=user)

    outcomes = run_together([partial(submit, users[people[i % 4]]) for i in range(THREADS)])

    succeeded = [o for o in outcomes if o.error is None]
    refused = [o.error for o in outcomes if o.error is not None]
    assert len(succeeded) == 1
    assert all(isinstance(error, Blocked) for error in refused), refused
    order.refresh_from_db()
    assert (order.status, order.version) == (Status.INTAKE_REVIEW, 2)
    assert order.ledger.filter(kind=Kind.TRANSITION).count() == 1
    assert counters.stored_counts() == counters.computed_counts()


def test_opposite_transitions_of_different_orders_do_not_deadlock(
    users: dict[str, User],
) -> None:
    """Half the workers move orders draft → intake review, half intake review → draft, at the
    same time. Both touch the same orders-by-status count rows, in opposite order."""
    per_thread = 6
    head = users["sales_head"]
    product = ProductFactory()
    drafts = [
        [make_order(user=users["clerk"], customer=None) for _ in range(per_thread)]
        for _ in range(THREADS // 2)
    ]
    submitted = [
        [
            transition_order(
                order=create_order(
                    user=users["clerk"], header=order_header(), lines=order_lines(product)
                ),
                name="submit",
                user=head,
            )
            for _ in range(per_thread)
        ]
        for _ in range(THREADS // 2)
    ]

    def forward(orders: list[Order]) -> None:
        for order in orders:
            transition_order(order=order, name="submit", user=head)

    def back(orders: list[Order]) -> None:
        for order in orders:
            transition_order(order=order, name="return_to_draft", user=head, reason="Price")

    outcomes = run_together(
        [partial(forward, batch) for batch in drafts]
        + [partial(back, batch) for batch in submitted]
    )

    assert [o.error for o in outcomes] == [None] * THREADS
    assert counters.stored_counts() == counters.computed_counts()


def test_route_opened_while_the_order_moves_is_counted_in_its_final_status(
    users: dict[str, User],
) -> None:
    """A task for a department (which routes the order there) and a pipeline step, at once:
    the department's orders-by-status count must follow the order's final status."""
    from gendan.tasks.actions import due_at_for, open_task
    from tests.factories import department

    order = make_order(user=users["clerk"])
    routed, release = threading.Event(), threading.Event()

    def open_department_task() -> None:
        with transaction.atomic():
            open_task(
                user=users["sales_head"],
                title="Check the specification",
                due_at=due_at_for(working_days=2),
                order=order,
                department=department("technical"),
            )
            routed.set()
            release.wait(10)

    first, task_outcome = in_thread(open_department_task)
    assert routed.wait(10)
    second, step_outcome = in_thread(
        lambda: transition_order(order=order, name="submit", user=users["clerk"])
    )
    second.join(LOCK_WAIT)
    release.set()
    first.join(10)
    second.join(10)

    assert task_outcome.error is None and step_outcome.error is None
    assert counters.stored_counts() == counters.computed_counts()
