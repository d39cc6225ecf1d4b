"""Property tests of the order pipeline: random sequences of steps by random people.

A small model of two orders (status, held-from status, version, number of transitions, whether
it has lines) is kept next to the database and predicted from the pipeline table alone. After
every step the database must agree with the model, a refused step must have changed nothing,
and the stored orders-by-status counts must equal the counts computed from the orders.

The guards and effects other steps bring (intake completeness, credit, department review,
contract) are answered by their own functions; two rules satisfy the review and contract
guards through the real actions so that random walks reach the later statuses.

Each generated example runs inside a savepoint that is rolled back in `teardown`, so examples
start from the same state: the users of the `users` fixture and nothing else.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from gendan.accounts.models import Department, Role, User
from gendan.core.errors import ActionError, Blocked, NotPermitted, StaleVersion
from gendan.ledger.models import Kind, LedgerEntry
from gendan.orders import counters
from gendan.orders.actions import create_order, transition_order, update_order
from gendan.orders.models import Order, StatusCount
from gendan.orders.pipeline import (
    DEPARTMENT_ROLES,
    TRANSITIONS,
    Transition,
    available_transitions,
    has_been_held,
    has_lines,
)
from gendan.orders.status import EDITABLE_STATUSES, FINAL_STATUSES, Status
from gendan.tasks.actions import due_at_for, open_task
from tests.conftest import ROLE_USERS
from tests.factories import (
    CustomerFactory,
    ProductFactory,
    UserFactory,
    complete_department_review,
    make_order,
    order_header,
    sign_contract,
)
from tests.pipeline.helpers import waived

pytestmark = pytest.mark.django_db

STEP_NAMES = [*TRANSITIONS, "no_such_step"]
PEOPLE = [*ROLE_USERS, "inactive_head"]
#: People who may take most steps; drawn as often as everyone else together.
ACTORS = ["gm", "sales_head", "clerk", "logistics_reviewer"]
REASONS = ["", "   ", "Customer asked to wait for the new price list."]
#: How the caller states the version it edited: not at all, the current one, an older one.
COPIES = ["none", "current", "stale"]
ROUTABLE = ["technical", "production", "logistics", "quality"]
MINIMAL_PDF = b"%PDF-1.4\n%%EOF\n"
#: The steps from draft to closed, for orders that start the random walk further along.
HAPPY_PATH = [
    "submit",
    "approve_intake",
    "approve_review",
    "confirm",
    "release",
    "ship",
    "deliver",
    "accept",
    "request_closure",
    "close",
]
#: What the review and contract guards need, done through the real actions.
PREPARE = {
    Status.DEPARTMENT_REVIEW: complete_department_review,
    Status.CONTRACT: sign_contract,
}


@dataclass
class Expected:
    """What the model predicts for one order."""

    status: Status
    held_from: str
    version: int
    transitions: int
    line_count: int
    clerk: str


def role_may(transition: Transition, user: User) -> bool:
    """The table's role rule, restated: active, not read-only, role listed, and for
    department roles one of the listed departments."""
    if not user.is_active or user.role == Role.AUDITOR:
        return False
    if user.role not in transition.roles:
        return False
    if user.role in DEPARTMENT_ROLES and transition.departments:
        return bool(set(user.department_codes()) & transition.departments)
    return True


class OrderPipelineMachine(RuleBasedStateMachine):
    """Two orders, random steps by random people, and the model that predicts each answer.

    `event()` labels feed `--hypothesis-show-statistics` (which steps succeeded, how often)."""

    def __init__(self, users: dict[str, User]) -> None:
        super().__init__()
        self.users = users
        self.model: dict[int, Expected] = {}
        self.orders: list[Order] = []
        #: Orders whose department review / contract the helper rules already completed.
        self.prepared: set[tuple[int, Status]] = set()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # --- setup -------------------------------------------------------------------------

    @initialize(head_start=st.integers(0, len(HAPPY_PATH)))
    def register_two_orders(self, head_start: int) -> None:
        """One order with a line (followed by clerk), walked `head_start` steps along the
        happy path by the general manager; one order without lines (other_clerk), in draft."""
        self.product = ProductFactory()
        customer = CustomerFactory()
        for follower, line_count in (("clerk", 1), ("other_clerk", 0)):
            order = create_order(
                user=self.users[follower],
                header=order_header(customer=customer),
                lines=self._lines(line_count),
            )
            self.orders.append(order)
            self.model[order.pk] = Expected(Status.DRAFT, "", 1, 0, line_count, follower)
        self._walk(0, HAPPY_PATH[:head_start])

    def _walk(self, index: int, steps: list[str]) -> None:
        """Move an order along `steps` with the real actions (not the subject of the test)."""
        order = self.orders[index]
        for step in steps:
            status = Status(Order.objects.get(pk=order.pk).status)
            if status in PREPARE and (order.pk, status) not in self.prepared:
                PREPARE[status](Order.objects.get(pk=order.pk), self.users)
                self.prepared.add((order.pk, status))
            # The goods are not shipped here: the execution guards are the shipping and
            # quality tests' subject, the random steps below still ask them.
            with waived():
                transition_order(order=order, name=step, user=self.users["gm"])
        row = Order.objects.get(pk=order.pk)
        expected = self.model[order.pk]
        expected.status, expected.version = Status(row.status), row.version
        expected.transitions = row.ledger.filter(kind=Kind.TRANSITION).count()

    def _lines(self, count: int) -> list[dict[str, Any]]:
        # Quantities and prices at the database's scale, so that rewriting the same lines is
        # recognised as no change.
        return [
            {
                "product": self.product,
                "grammage": self.product.grammage,
                "width_mm": self.product.width_mm,
                "quantity": Decimal("30.000"),
                "unit": self.product.unit,
                "unit_price": Decimal("3150.00"),
            }
            for _ in range(count)
        ]

    def _in(self, status: Status) -> list[int]:
        return [i for i, order in enumerate(self.orders) if self.model[order.pk].status == status]

    def _unprepared(self, status: Status) -> list[int]:
        return [i for i in self._in(status) if (self.orders[i].pk, status) not in self.prepared]

    def _resync_after_helper(self, index: int, status: Status) -> None:
        """The review and contract actions may touch the order; its status must not move."""
        order = self.orders[index]
        self.prepared.add((order.pk, status))
        row = Order.objects.get(pk=order.pk)
        assert row.status == status, "review/contract actions must not move the order"
        self.model[order.pk].version = row.version

    # --- helpers -----------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        """Everything a refused step must leave untouched."""
        return {
            "orders": list(
                Order.objects.order_by("pk").values_list("pk", "status", "held_from", "version")
            ),
            "clerks": list(Order.objects.order_by("pk").values_list("pk", "clerk_id")),
            "ledger": LedgerEntry.objects.count(),
            "counts": sorted(StatusCount.objects.values_list("scope", "status", "count")),
        }

    def _guard_holds(self, guard: Any, order: Order, expected: Expected, user: User) -> bool:
        if guard is has_lines:
            return expected.line_count > 0
        if guard is has_been_held:
            return bool(expected.held_from)
        # A guard the model does not know yet: ask the table's own function.
        return guard(Order.objects.get(pk=order.pk), user) is None

    def _predict(
        self, order: Order, name: str, user: User, reason: str, copy: str
    ) -> type[ActionError] | None:
        """The error the step must raise, or None when it must succeed."""
        expected = self.model[order.pk]
        transition = TRANSITIONS.get(name)
        if transition is None:
            return Blocked
        if not role_may(transition, user):
            return NotPermitted
        if copy == "stale":
            return StaleVersion
        if expected.status not in transition.sources:
            return Blocked
        if not all(self._guard_holds(g, order, expected, user) for g in transition.guards):
            return Blocked
        if transition.needs_reason and not reason.strip():
            return Blocked
        return None

    # --- rules -------------------------------------------------------------------------

    @rule(
        which=st.integers(0, 1),
        data=st.data(),
        who=st.one_of(st.sampled_from(PEOPLE), st.sampled_from(ACTORS)),
        reason=st.sampled_from(REASONS),
        copy=st.one_of(st.sampled_from(COPIES), st.just("current")),
    )
    def take_a_step(
        self, which: int, data: st.DataObject, who: str, reason: str, copy: str
    ) -> None:
        order, user = self.orders[which], self.users[who]
        # Half of the draws pick a step the table has from the order's status that does not end
        # the order, so that walks get past the first statuses; the other half pick any step,
        # including unknown ones.
        status = self.model[order.pk].status
        from_here = [
            t.name
            for t in TRANSITIONS.values()
            if status in t.sources and t.target not in FINAL_STATUSES
        ]
        any_step = st.sampled_from(STEP_NAMES)
        name = data.draw(st.one_of(st.sampled_from(from_here), any_step) if from_here else any_step)
        expected = self.model[order.pk]
        version = {"none": None, "current": expected.version, "stale": expected.version - 1}[copy]
        error = self._predict(order, name, user, reason, copy)
        event(f"{name} by {who}: {error.__name__ if error else 'ok'}")

        offered = {
            a.transition.name
            for a in available_transitions(Order.objects.get(pk=order.pk), user)
            if a.enabled
        }
        may_go_ahead = self._predict(order, name, user, reason="a reason", copy="none") is None
        assert (name in offered) == may_go_ahead, (
            f"the page offers {sorted(offered)} to {who}, the table says {name}: {may_go_ahead}"
        )

        before = self._state()
        last_entry = LedgerEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
        try:
            transition_order(
                order=order, name=name, user=user, reason=reason, expected_version=version
            )
        except ActionError as refused:
            assert error is not None, f"{name} by {who} from {expected.status} was refused"
            assert type(refused) is error, f"{name} by {who}: {refused!r}, expected {error}"
            if error is Blocked and TRANSITIONS.get(name) and "reason" in refused.fields:
                assert TRANSITIONS[name].needs_reason
            assert self._state() == before, f"refused {name} by {who} changed the database"
            return
        assert error is None, f"{name} by {who} from {expected.status} succeeded"

        transition = TRANSITIONS[name]
        event(f"{name} succeeded")
        source = expected.status
        target = transition.target if transition.target is not None else Status(expected.held_from)
        if name == "resume":
            assert target == Status(expected.held_from)
        expected.held_from = source.value if target == Status.ON_HOLD else ""
        expected.status = target
        expected.version += 1
        expected.transitions += 1

        new = LedgerEntry.objects.filter(pk__gt=last_entry or 0)
        steps = list(new.filter(kind=Kind.TRANSITION).values("order_id", "data", "body"))
        assert steps == [
            {
                "order_id": order.pk,
                "data": {"transition": name, "from": source.value, "to": target.value},
                "body": reason.strip(),
            }
        ]
        if not transition.effects:
            assert new.count() == 1, "a step without effects writes exactly one entry"

    @rule(
        which=st.integers(0, 1),
        work=st.sampled_from(["lines", "clerk", "task"]),
        count=st.integers(0, 2),
        to=st.sampled_from(["clerk", "other_clerk"]),
        department=st.sampled_from(ROUTABLE),
    )
    def side_work(self, which: int, work: str, count: int, to: str, department: str) -> None:
        """Work beside the pipeline that touches versions, lines, clerks or routes (one rule,
        so that pipeline steps stay about half of all steps)."""
        if work == "lines":
            self.edit_lines(which, count)
        elif work == "clerk":
            self.reassign_clerk(which, to)
        else:
            self.open_department_task(which, department)

    def edit_lines(self, which: int, count: int) -> None:
        """The sales head rewrites the lines (only possible while the order is editable)."""
        order, expected = self.orders[which], self.model[self.orders[which].pk]
        before = self._state()
        try:
            update_order(
                order=order,
                user=self.users["sales_head"],
                expected_version=expected.version,
                header={},
                lines=self._lines(count),
            )
        except Blocked:
            assert expected.status not in EDITABLE_STATUSES
            assert self._state() == before
            return
        assert expected.status in EDITABLE_STATUSES
        if count != expected.line_count:
            expected.version += 1
            expected.line_count = count

    def reassign_clerk(self, which: int, to: str) -> None:
        """The sales head hands the order to another clerk (moves its per-clerk count)."""
        order, expected = self.orders[which], self.model[self.orders[which].pk]
        before = self._state()
        try:
            update_order(
                order=order,
                user=self.users["sales_head"],
                expected_version=expected.version,
                header={"clerk": self.users[to]},
            )
        except Blocked:
            assert expected.status not in EDITABLE_STATUSES
            assert self._state() == before
            return
        if to != expected.clerk:
            expected.version += 1
            expected.clerk = to

    def open_department_task(self, which: int, department: str) -> None:
        """A task for a department routes the order there (adds a department count)."""
        open_task(
            user=self.users["sales_head"],
            title="Check the order",
            due_at=due_at_for(working_days=2),
            order=self.orders[which],
            department=Department.objects.get(code=department),
        )

    @precondition(lambda self: bool(self._unprepared(Status.DEPARTMENT_REVIEW)))
    @rule(data=st.data())
    def departments_pass_the_review(self, data: st.DataObject) -> None:
        """Every department files a passing report and the meeting approves and signs."""
        index = data.draw(st.sampled_from(self._unprepared(Status.DEPARTMENT_REVIEW)))
        complete_department_review(Order.objects.get(pk=self.orders[index].pk), self.users)
        self._resync_after_helper(index, Status.DEPARTMENT_REVIEW)

    @precondition(lambda self: bool(self._unprepared(Status.CONTRACT)))
    @rule(data=st.data())
    def contract_is_signed(self, data: st.DataObject) -> None:
        index = data.draw(st.sampled_from(self._unprepared(Status.CONTRACT)))
        sign_contract(Order.objects.get(pk=self.orders[index].pk), self.users)
        self._resync_after_helper(index, Status.CONTRACT)

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def database_matches_the_model(self) -> None:
        rows = Order.objects.filter(pk__in=self.model).annotate(
            line_count=Count("lines", distinct=True),
            transitions=Count("ledger", filter=Q(ledger__kind=Kind.TRANSITION), distinct=True),
        )
        actual = {
            row.pk: (
                row.status,
                row.held_from,
                row.version,
                row.clerk_id,
                row.line_count,
                row.transitions,
            )
            for row in rows
        }
        assert actual == {
            pk: (
                e.status,
                e.held_from,
                e.version,
                self.users[e.clerk].pk,
                e.line_count,
                e.transitions,
            )
            for pk, e in self.model.items()
        }

    @invariant()
    def stored_counts_equal_computed_counts(self) -> None:
        assert counters.stored_counts() == counters.computed_counts()


@pytest.fixture(autouse=True)
def _no_pdf_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Printing the signed minutes and contracts is not tested here and takes seconds."""
    for module in ("gendan.reviews.printing", "gendan.contracts.printing"):
        monkeypatch.setattr(f"{module}.render_pdf", lambda *args, **kwargs: MINIMAL_PDF)


def test_random_step_sequences_keep_the_pipeline_rules(users: dict[str, User]) -> None:
    for name, user in users.items():  # distinct names: the ledger shows people by name
        User.objects.filter(pk=user.pk).update(first_name=name, last_name="")
        user.first_name, user.last_name = name, ""
    users = {
        **users,
        "inactive_head": UserFactory(
            username="inactive_head", role=Role.HEAD, departments=["sales"], is_active=False
        ),
    }
    run_state_machine_as_test(
        lambda: OrderPipelineMachine(users),
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_hold_and_resume_from_every_holdable_status_returns_there(
    users: dict[str, User],
) -> None:
    """The explicit walk: every status `hold` accepts comes back by `resume`."""
    gm = users["gm"]
    path = HAPPY_PATH[: HAPPY_PATH.index("deliver") + 1]
    order = make_order(user=users["clerk"])
    held_statuses = []
    for step in [None, *path]:
        if step is not None:
            if order.status in PREPARE:
                PREPARE[order.status](order, users)
            with waived():  # not about shipping: the goods need not leave
                order = transition_order(order=order, name=step, user=gm)
        before = order.status
        order = transition_order(order=order, name="hold", user=gm, reason="Credit check")
        assert (order.status, order.held_from) == (Status.ON_HOLD, before)
        order = transition_order(order=order, name="resume", user=gm)
        assert (order.status, order.held_from) == (before, "")
        held_statuses.append(before)
    assert set(held_statuses) == set(TRANSITIONS["hold"].sources)
    assert counters.stored_counts() == counters.computed_counts()


def test_routing_an_order_read_before_a_step_counts_it_in_its_current_status(
    users: dict[str, User],
) -> None:
    """A page (or job) that read the order before someone else moved it must not count the new
    department route in the old status: the counts would be wrong for good."""
    read_earlier = make_order(user=users["clerk"])
    transition_order(
        order=Order.objects.get(pk=read_earlier.pk), name="submit", user=users["clerk"]
    )
    open_task(
        user=users["sales_head"],
        title="Check the specification",
        due_at=due_at_for(working_days=2),
        order=read_earlier,
        department=Department.objects.get(code="technical"),
    )
    assert counters.stored_counts() == counters.computed_counts()
