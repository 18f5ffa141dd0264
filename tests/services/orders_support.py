"""Fixtures of the service-order service tests (imported by the test modules).

``gsan`` is a seeded system of the parametrized backend (memory, SQLite,
PostgreSQL) with a small town, the test service types below and two counting
commercial operations registered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from gsan_core import profiles
from gsan_core.errors import Message, RuleViolation
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.services.operations import OperationCall
from gsan_core.system import System, default_operations
from gsan_core.testing import FixedClock
from gsan_core.testing.machines_orders import CountingOperation
from gsan_core.testing.town import Town, load_town, small_town

ZONE = ZoneInfo("America/Belem")
ACTOR = 102  # TECNICO 01, unit 102 (ESCRITORIO LOCALIDADE 01)
OTHER = 202  # TECNICO 02, unit 202
CUT_ORDER = 960
OTHER_CUT = 961
OVERDUE = 962
COMMERCIAL = 963
EDITABLE = 964
DIAGNOSIS = 965
PLAIN = 966
METER_TEST = 620  # seeded: include_debit, 45.50, activities required
LEAK_REPAIR = 621  # seeded: include_debit, 80.00, interest, editable
EXECUTED = 2
DEBT_PAID = 3  # not executed, 30 grace days
GAVE_UP = 4
OVERDUE_REASON = 32

TEST_TYPES = [
    ServiceType(
        id=CUT_ORDER, description="CORTE SELETIVO TESTE", abbreviation="CORTE SEL"
    ),
    ServiceType(
        id=OTHER_CUT, description="CORTE POR DEBITO TESTE", abbreviation="CORTE DEB"
    ),
    ServiceType(id=OVERDUE, description="INSTALACAO TESTE", abbreviation="INST TESTE"),
    ServiceType(
        id=COMMERCIAL,
        description="OPERACAO COMERCIAL TESTE",
        abbreviation="COMERCIAL",
        updates_commercial=True,
        operation="test.counting",
        debit_type_id=7,
        value=Decimal("30.00"),
        charge_interest=True,
    ),
    ServiceType(
        id=EDITABLE,
        description="OPERACAO COM CARENCIA",
        abbreviation="CARENCIA",
        updates_commercial=True,
        operation="test.grace",
        debit_type_id=7,
        value=Decimal("30.00"),
        value_editable=True,
    ),
    ServiceType(
        id=DIAGNOSIS,
        description="DIAGNOSTICO TESTE",
        abbreviation="DIAG TESTE",
        reference_id=1,
    ),
    ServiceType(id=PLAIN, description="SERVICO SIMPLES", abbreviation="SIMPLES"),
]


FAILED = Message(
    "test.operation_failed",
    en="operation of {order_id} failed",
    pt="operação de {order_id} falhou",
)


class FailingOperation(CountingOperation):
    """Counts, then refuses: the closing must roll back."""

    def run(self, call: OperationCall) -> None:
        super().run(call)
        raise RuleViolation([FAILED(order_id=call.order.id)])


def orders_profile(**service_orders: Any) -> profiles.LoadedProfile:
    """The default profile mapping the cut and overdue roles to the test types."""
    loaded = profiles.default()
    profile = loaded.profile
    roles = {k: set(v) for k, v in profile.roles.items()}
    roles["service_type.cut_order"] = {CUT_ORDER}
    roles["service_type.cut"] = {CUT_ORDER, OTHER_CUT}
    roles["service_type.overdue_closable"] = {OVERDUE}
    changed = attrs.evolve(
        profile,
        roles=roles,
        service_orders=attrs.evolve(profile.service_orders, **service_orders),
    )
    return attrs.evolve(loaded, profile=changed)


@attrs.define
class Harness:
    """A system with its town and operations, and ways to derive variants."""

    gsan: System
    town: Town
    clock: FixedClock
    counting: CountingOperation
    grace: CountingOperation
    failing: FailingOperation
    registered: int = 0

    def variant(self, **service_orders: Any) -> System:
        """The same storage with other service-order options."""
        return self.with_profile(orders_profile(**service_orders))

    def with_profile(self, loaded: profiles.LoadedProfile) -> System:
        """The same storage under another profile."""
        return System(
            uow_factory=self.gsan.uow_factory,
            profile=loaded,
            clock=self.clock,
            operations=[*default_operations(), self.counting, self.grace, self.failing],
        )

    def prop(self, index: int = 0, **changes: Any) -> int:
        """The id of a town property; with ``changes``, a new property like it
        (registered with its own id) that differs as asked."""
        original = self.town.properties[index]
        if not changes:
            return original.id
        self.registered += 1
        new = attrs.evolve(original, id=8_000_000 + self.registered, **changes)
        self.gsan.properties.register(new, actor=0)
        return new.id

    def generate(
        self, service_type_id: int = PLAIN, *, days_ago: int = 0, **options: Any
    ) -> ServiceOrder:
        """An order generated ``days_ago`` days before the clock's now."""
        now = self.clock.now()
        self.clock.set(now - timedelta(days=days_ago))
        try:
            options.setdefault("property_id", self.prop())
            return self.gsan.service_orders.generate(
                service_type_id=service_type_id, actor=ACTOR, **options
            )
        finally:
            self.clock.set(now)

    @property
    def today(self) -> date:
        """The utility-local date of the clock (Belém)."""
        return self.clock.now().astimezone(ZONE).date()

    def orders(self) -> dict[int, ServiceOrder]:
        return {o.id: o for o in self.gsan.service_orders.find_by()}


@pytest.fixture
def harness(backend_uow_factory: Callable[[], Any], clock: FixedClock) -> Harness:
    """A seeded system of the parametrized backend with the test types."""
    counting = CountingOperation()
    grace = CountingOperation(key="test.grace", menu_variant="grace")
    failing = FailingOperation(key="test.failing")
    gsan = System(
        uow_factory=backend_uow_factory,  # type: ignore[arg-type]
        profile=orders_profile(),
        clock=clock,
        operations=[*default_operations(), counting, grace, failing],
    )
    gsan.seed()
    gsan.service_orders.add_types(TEST_TYPES, actor=0)
    town = small_town(properties=6)
    load_town(gsan, town)
    return Harness(gsan, town, clock, counting, grace, failing)
