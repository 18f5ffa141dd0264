"""A Hypothesis state machine of the service-order lifecycle, driven by
:data:`gsan_core.rules.service_orders.TRANSITIONS`.

Every command is sent through the public service API of a real
:class:`~gsan_core.System` (memory or SQL). What the command should do is read
from the transition table: an action the table allows from the order's current
situation must succeed and land on the table's situation; any other must raise
:class:`~gsan_core.RuleViolation` and change nothing at all. Invariants checked
after every step:

* each order is in the situation the table predicted;
* the commercial operation of an order ran at most once (a counting operation
  is registered) and was committed at most once;
* a closed order never changes again;
* versions never go back, and grow on every change.

Integrators run it against their own adapter with :func:`order_lifecycle_machine`::

    TestMine = order_lifecycle_machine(lambda **kw: my_system(**kw)).TestCase

Needs ``gsan-core[testing]`` (Hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    precondition,
    rule,
)

from gsan_core import profiles
from gsan_core.errors import RuleViolation
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    OrderAction,
    OrderSituation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.rules.service_orders import TRANSITIONS
from gsan_core.services.operations import CommercialOperation, OperationCall
from gsan_core.system import System, default_operations
from gsan_core.testing.clocks import FixedClock
from gsan_core.testing.town import load_town, small_town

__all__ = [
    "COMMERCIAL_TYPE",
    "DIAGNOSIS_TYPE",
    "DRIVEN_ACTIONS",
    "PLAIN_TYPE",
    "CountingOperation",
    "SystemFactory",
    "machine_profile",
    "order_lifecycle_machine",
]

PLAIN_TYPE = 950
COMMERCIAL_TYPE = 951
DIAGNOSIS_TYPE = 952
ACTOR = 102
#: Orders are generated at ``GENERATED_AT``; every other command runs ten days
#: later, so the overdue closing (``days=1`` with no extra days) finds them.
GENERATED_AT = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
NOW = GENERATED_AT + timedelta(days=10)
EXECUTED_REASON = 2
NOT_EXECUTED_REASON = 4
APPROVED_RETURN = 1
REJECTED_RETURN = 2

#: The actions the machine drives through the API, with the transition each
#: one is checked against. ``CLOSE_BY_REQUEST`` belongs to the RA area.
DRIVEN_ACTIONS: tuple[OrderAction, ...] = (
    OrderAction.UPDATE,
    OrderAction.START_EXECUTION,
    OrderAction.BACK_TO_PENDING,
    OrderAction.CLOSE_EXECUTED,
    OrderAction.CLOSE_NOT_EXECUTED,
    OrderAction.HOLD_FOR_REFERENCE,
    OrderAction.RELEASE,
    OrderAction.RELEASE_CLOSING,
    OrderAction.CLOSE_WITH_REFERRING,
    OrderAction.CLOSE_OVERDUE,
)


@attrs.define
class CountingOperation:
    """A commercial operation that only counts how often it ran, per order."""

    key: str = "test.counting"
    title: str = "count"
    title_pt: str = "contar"
    input_type: type | None = None
    menu_variant: Any = "strict"
    charges: bool = True
    calls: dict[int, int] = attrs.field(factory=dict)

    def run(self, call: OperationCall) -> None:
        """Count the run of ``call.order``."""
        self.calls[call.order.id] = self.calls.get(call.order.id, 0) + 1


#: ``factory(profile=..., clock=..., operations=...)`` -> a new
#: :class:`~gsan_core.System`, empty or holding only the profile's seed (the
#: machine seeds it; seeding a seeded store writes nothing).
SystemFactory = Callable[..., System]


def machine_profile() -> profiles.LoadedProfile:
    """The default profile with the machine's plain type closable as overdue and
    no extra overdue days."""
    loaded = profiles.default()
    profile = loaded.profile
    roles = {k: set(v) for k, v in profile.roles.items()}
    roles["service_type.overdue_closable"] = {PLAIN_TYPE}
    changed = attrs.evolve(
        profile,
        roles=roles,
        service_orders=attrs.evolve(profile.service_orders, overdue_extra_days=0),
    )
    return attrs.evolve(loaded, profile=changed)


def _types() -> list[ServiceType]:
    return [
        ServiceType(
            id=PLAIN_TYPE, description="MAQUINA SIMPLES", abbreviation="SIMPLES"
        ),
        ServiceType(
            id=COMMERCIAL_TYPE,
            description="MAQUINA COMERCIAL",
            abbreviation="COMERCIAL",
            updates_commercial=True,
            operation="test.counting",
            debit_type_id=7,
            value=Decimal("30.00"),
        ),
        ServiceType(
            id=DIAGNOSIS_TYPE,
            description="MAQUINA DIAGNOSTICO",
            abbreviation="DIAGNOST",
            reference_id=1,
        ),
    ]


class _OrderLifecycle(RuleBasedStateMachine):
    """The machine; :func:`order_lifecycle_machine` binds it to a backend."""

    factory: ClassVar[SystemFactory]
    orders = Bundle("orders")

    def __init__(self) -> None:
        super().__init__()
        self.clock = FixedClock(NOW)
        self.operation = CountingOperation()
        operations: Sequence[CommercialOperation] = [
            *default_operations(),
            self.operation,
        ]
        self.gsan = type(self).factory(
            profile=machine_profile(), clock=self.clock, operations=operations
        )
        self.gsan.seed()
        self.gsan.service_orders.add_types(_types(), actor=0)
        town = small_town(properties=2, localities=1)
        load_town(self.gsan, town, actor=0)
        self.property_id = town.properties[0].id
        #: order id -> the situation the table predicts.
        self.expected: dict[int, OrderSituation] = {}
        self.types: dict[int, int] = {}
        #: referring (diagnosis) order id -> the order it holds.
        self.referring: dict[int, int] = {}
        self.seen: dict[int, ServiceOrder] = {}
        self.closed: dict[int, ServiceOrder] = {}

    def teardown(self) -> None:
        self.gsan.close()

    # ------------------------------------------------------------ helpers
    def _snapshot(self) -> tuple[dict[int, ServiceOrder], int, int]:
        orders = {o.id: o for o in self.gsan.service_orders.find_by()}
        applied = sum(
            1 for e in self.gsan.events if isinstance(e, CommercialOperationApplied)
        )
        return orders, applied, len(self.gsan.events)

    def _attempt(self, allowed: bool, command: Callable[[], object]) -> bool:
        """Run ``command``; it must succeed iff ``allowed``. Rejected: nothing moved."""
        before = self._snapshot()
        try:
            command()
        except RuleViolation:
            assert not allowed, "the table allows this command but it was refused"
            assert self._snapshot() == before, "a refused command changed data"
            return False
        assert allowed, "the table forbids this command but it succeeded"
        return True

    def _allowed(self, order_id: int, action: OrderAction) -> OrderSituation | None:
        return TRANSITIONS.get((self.expected[order_id], action))

    def _closing(self, order_id: int, action: OrderAction) -> None:
        after = self._allowed(order_id, action)
        assert after is not None
        self.expected[order_id] = after

    # ------------------------------------------------------------ generation
    @rule(target=orders, kind=st.sampled_from([PLAIN_TYPE, COMMERCIAL_TYPE]))
    def generate(self, kind: int) -> int:
        """``(None, GENERATE)``: a new order is pending."""
        self.clock.set(GENERATED_AT)
        try:
            order = self.gsan.service_orders.generate(
                service_type_id=kind, property_id=self.property_id, actor=ACTOR
            )
        finally:
            self.clock.set(NOW)
        after = TRANSITIONS[(None, OrderAction.GENERATE)]
        assert order.situation is after
        self.expected[order.id] = after
        self.types[order.id] = kind
        return order.id

    @rule(target=orders, held=orders)
    def hold_for_reference(self, held: int) -> Any:
        """``HOLD_FOR_REFERENCE``: a diagnosis order refers to ``held``."""
        after = self._allowed(held, OrderAction.HOLD_FOR_REFERENCE)
        made: list[ServiceOrder] = []

        def command() -> None:
            self.clock.set(GENERATED_AT)
            try:
                made.append(
                    self.gsan.service_orders.generate(
                        service_type_id=DIAGNOSIS_TYPE,
                        property_id=self.property_id,
                        actor=ACTOR,
                        reference_order_id=held,
                    )
                )
            finally:
                self.clock.set(NOW)

        if not self._attempt(after is not None, command):
            return multiple()
        assert after is not None
        self.expected[held] = after
        diagnosis = made[0]
        self.expected[diagnosis.id] = TRANSITIONS[(None, OrderAction.GENERATE)]
        self.types[diagnosis.id] = DIAGNOSIS_TYPE
        self.referring[diagnosis.id] = held
        return diagnosis.id

    # ------------------------------------------------------------ situations
    @rule(order=orders)
    def update(self, order: int) -> None:
        """``UPDATE``: change the observation."""
        stored = self.gsan.service_orders.get(order)
        allowed = self._allowed(order, OrderAction.UPDATE) is not None
        if self._attempt(
            allowed,
            lambda: self.gsan.service_orders.update(
                order_id=order,
                expected_version=stored.version,
                actor=ACTOR,
                observation=f"v{stored.version}",
            ),
        ):
            self._closing(order, OrderAction.UPDATE)

    @rule(order=orders)
    def start_execution(self, order: int) -> None:
        """``START_EXECUTION``: 1 -> 3."""
        allowed = self._allowed(order, OrderAction.START_EXECUTION) is not None
        if self._attempt(
            allowed,
            lambda: self.gsan.service_orders.start_execution(
                order_id=order, actor=ACTOR
            ),
        ):
            self._closing(order, OrderAction.START_EXECUTION)

    @rule(order=orders)
    def back_to_pending(self, order: int) -> None:
        """``BACK_TO_PENDING``: 3 -> 1."""
        allowed = self._allowed(order, OrderAction.BACK_TO_PENDING) is not None
        if self._attempt(
            allowed,
            lambda: self.gsan.service_orders.back_to_pending(
                order_id=order, actor=ACTOR, reason_id=1
            ),
        ):
            self._closing(order, OrderAction.BACK_TO_PENDING)

    # ------------------------------------------------------------ closing
    def _referenced_after(self, order: int, action: OrderAction) -> None:
        held = self.referring.get(order)
        if held is not None and self.expected[held] is not OrderSituation.CLOSED:
            after = TRANSITIONS.get((self.expected[held], action))
            assert after is not None, f"{action} from {self.expected[held]}"
            self.expected[held] = after

    @rule(order=orders, approve=st.booleans())
    def close_executed(self, order: int, approve: bool) -> None:
        """``CLOSE_EXECUTED``; a diagnosis order also releases (``RELEASE``) or
        closes (``RELEASE_CLOSING``) the order it holds, as its return says."""
        allowed = self._allowed(order, OrderAction.CLOSE_EXECUTED) is not None
        diagnosis = self.types[order] == DIAGNOSIS_TYPE
        extra: dict[str, Any] = {}
        if diagnosis:
            extra = {
                "remark": "diagnosticado",
                "return_type_id": APPROVED_RETURN if approve else REJECTED_RETURN,
            }
        if self._attempt(
            allowed,
            lambda: self.gsan.service_orders.close_executed(
                order_id=order,
                reason_id=EXECUTED_REASON,
                closed_on=NOW.date(),
                actor=ACTOR,
                **extra,
            ),
        ):
            self._closing(order, OrderAction.CLOSE_EXECUTED)
            if diagnosis:
                self._referenced_after(
                    order,
                    OrderAction.RELEASE if approve else OrderAction.RELEASE_CLOSING,
                )

    @rule(order=orders)
    def close_not_executed(self, order: int) -> None:
        """``CLOSE_NOT_EXECUTED`` (a cancel); a referring order also closes the
        order it holds (``CLOSE_WITH_REFERRING``, REF-05)."""
        allowed = self._allowed(order, OrderAction.CLOSE_NOT_EXECUTED) is not None
        if self._attempt(
            allowed,
            lambda: self.gsan.service_orders.close_not_executed(
                order_id=order,
                reason_id=NOT_EXECUTED_REASON,
                closed_on=NOW.date(),
                actor=ACTOR,
                remark="cancelada",
            ),
        ):
            self._closing(order, OrderAction.CLOSE_NOT_EXECUTED)
            self._referenced_after(order, OrderAction.CLOSE_WITH_REFERRING)

    @rule(order=orders)
    def apply_from_menu(self, order: int) -> None:
        """The menu path of the commercial operation: never allowed here (the
        closing already applied it, or the order is not closed as executed)."""
        self._attempt(
            allowed=False,
            command=lambda: self.gsan.service_orders.apply_operation(
                operation="test.counting", order_id=order, actor=ACTOR
            ),
        )

    @precondition(lambda self: bool(self.expected))
    @rule()
    def close_overdue(self) -> None:
        """``CLOSE_OVERDUE``: every pending plain order closes in one batch."""
        due = [
            i
            for i, situation in self.expected.items()
            if self.types[i] == PLAIN_TYPE
            and TRANSITIONS.get((situation, OrderAction.CLOSE_OVERDUE)) is not None
        ]
        if self._attempt(
            bool(due),
            lambda: self.gsan.service_orders.close_overdue(
                service_type_id=PLAIN_TYPE, days=1, actor=ACTOR
            ),
        ):
            for i in due:
                self._closing(i, OrderAction.CLOSE_OVERDUE)

    @rule(order=consumes(orders))
    def forget(self, order: int) -> None:
        """Stop acting on an order (it stays checked by the invariants)."""
        del order

    # ------------------------------------------------------------ invariants
    @invariant()
    def lifecycle_invariants(self) -> None:
        """All four invariants, over one read of the orders."""
        stored = {o.id: o for o in self.gsan.service_orders.find_by()}
        self._situations_follow_the_table(stored)
        self._commercial_operation_at_most_once()
        self._closed_orders_never_change(stored)
        self._versions_grow(stored)

    def _situations_follow_the_table(self, stored: dict[int, ServiceOrder]) -> None:
        """Every order is where the transition table says."""
        for order_id, situation in self.expected.items():
            assert stored[order_id].situation is situation, (
                f"order {order_id} is {stored[order_id].situation}, "
                f"the table says {situation}"
            )

    def _commercial_operation_at_most_once(self) -> None:
        """The counting operation ran, and was committed, at most once per order."""
        assert all(n == 1 for n in self.operation.calls.values()), (
            f"operation ran more than once: {self.operation.calls}"
        )
        committed: dict[int, int] = {}
        for event in self.gsan.events:
            if isinstance(event, CommercialOperationApplied):
                committed[event.order_id] = committed.get(event.order_id, 0) + 1
        assert all(n == 1 for n in committed.values()), committed
        assert set(committed) == set(self.operation.calls)

    def _closed_orders_never_change(self, stored: dict[int, ServiceOrder]) -> None:
        """Once closed, an order is frozen."""
        for order in stored.values():
            if order.situation is OrderSituation.CLOSED:
                first = self.closed.setdefault(order.id, order)
                assert order == first, f"closed order {order.id} changed"

    def _versions_grow(self, stored: dict[int, ServiceOrder]) -> None:
        """A version never goes back, and a changed order has a greater one."""
        for order in stored.values():
            previous = self.seen.get(order.id)
            if previous is not None:
                assert order.version >= previous.version
                assert order == previous or order.version > previous.version, (
                    f"order {order.id} changed without a new version"
                )
            self.seen[order.id] = order


def order_lifecycle_machine(factory: SystemFactory) -> type[RuleBasedStateMachine]:
    """The lifecycle machine over systems made by ``factory``.

    ``factory(profile=..., clock=..., operations=...)`` must return a new
    system of the backend under test, empty or holding only the profile's seed
    (a copy of a seeded template is cheaper); the machine seeds it.
    """
    return type(
        "OrderLifecycleMachine",
        (_OrderLifecycle,),
        {"factory": staticmethod(factory)},
    )
