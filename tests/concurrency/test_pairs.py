"""Cross-aggregate pairs under concurrent writers (``docs/concurrency.md``).

Each test forks processes over one database (a SQLite file, the session's
PostgreSQL schema), releases them together, and checks the invariant the pair
could break on the final state; every command that did not succeed must have got
a library error (``GsanError``). The rule each pair protects is named in the
test.
"""

from __future__ import annotations

from decimal import Decimal
from multiprocessing.synchronize import Barrier

import pytest

import gsan_core
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.connections import SuppressionInput
from gsan_core.model.hydrometers import InstallHydrometer, MeasurementPoint
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
    RequestSituation,
    ServiceRequest,
)
from gsan_core.testing.hydrometers import METER
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    RequestUtility,
    build_request_utility,
    request_profile,
)
from tests.concurrency.conftest import Database
from tests.concurrency.support import (
    CONTEXT,
    Attempt,
    Outcome,
    attempt,
    in_step,
    race,
)
from tests.services.connections_setup import (
    ACTOR,
    CONCLUDED,
    TODAY,
    add_property,
    order_for,
    town,
)

WATER = MeasurementPoint.WATER_CONNECTION
SUPPRIMIDO, LIGADO, INSTALADO = 6, 3, 1
INSTALL_TYPE, SUPPRESSION_TYPE = 304, 245
PROPERTIES = range(501, 509)
ANA = (Requester(name="ANA", address="RUA DAS FLORES 10"),)


def attempts(outcomes: list[Outcome]) -> list[Attempt]:
    """Every command's attempt, once every process returned."""
    assert all(o.ok for o in outcomes), outcomes
    found: list[Attempt] = []
    for outcome in outcomes:
        value = outcome.value
        found.extend(value if isinstance(value, list) else [value])
    return found


def losers_got_library_errors(tried: list[Attempt]) -> None:
    assert all(a.gsan_error for a in tried), [a for a in tried if not a.ok]


def open_requests(
    system: gsan_core.System, specification_id: int, count: int
) -> tuple[RequestUtility, list[ServiceRequest]]:
    """The request utility, and ``count`` requests of the specification opened
    at the call centre on properties of locality 1."""
    utility = build_request_utility(system)
    props = [p.id for p in utility.town.properties if p.locality_id == 1][:count]
    return utility, [
        system.service_requests.open(
            specification_id=specification_id,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=pid),
            requesters=ANA,
        ).request
        for pid in props
    ]


# ---------------------------------------------------------------- meter vs connection
def _close_each(
    system: gsan_core.System,
    orders: list[int],
    commercial: str,
    meter_ids: list[int],
    step: Barrier,
) -> list[Attempt]:
    """Close each order executed with its commercial data, in step with the
    other process."""

    def close(index: int, order_id: int) -> object:
        data: object = (
            InstallHydrometer(
                hydrometer_id=meter_ids[index], reading=10, place_id=1, protection_id=6
            )
            if commercial == "install"
            else SuppressionInput(suppression_type_id=1, suppression_reason_id=1)
        )
        return system.service_orders.close_executed(
            order_id=order_id,
            reason_id=CONCLUDED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=data,
        ).commercial_applied

    return [
        in_step(step, lambda i=i, o=o: close(i, o))  # type: ignore[misc]
        for i, o in enumerate(orders)
    ]


def test_meter_installation_racing_a_suppression(database: Database) -> None:
    """I-8 (a meter goes only on a connection whose situation allows it) against
    the suppression's meter removal (connections §3.6): an installation and a
    suppression of the same connection, closed at the same time by two
    processes on eight properties, never leave a SUPRIMIDO connection with an
    open installation, nor a meter INSTALADO without one."""
    system, shared = database.make()
    town(system)
    system.hydrometers.insert_range(
        fixed="B24A",
        first=1,
        last=len(PROPERTIES),
        attributes=METER,
        location_id=1,
        actor=0,
    )
    meter_ids = [
        m.id
        for m in system.hydrometers.in_range(
            fixed="B24A", first=1, last=len(PROPERTIES)
        )
    ]
    installs, suppressions = [], []
    for pid in PROPERTIES:
        add_property(system, pid, LIGADO)
        installs.append(order_for(system, INSTALL_TYPE, pid).id)
        suppressions.append(order_for(system, SUPPRESSION_TYPE, pid).id)

    step = CONTEXT.Barrier(2)
    tried = attempts(
        race(
            _close_each,
            [
                (shared, installs, "install", meter_ids, step),
                (shared, suppressions, "suppress", meter_ids, step),
            ],
        )
    )

    losers_got_library_errors(tried)
    assert all(a.ok for a in tried[len(installs) :])  # a suppression always passes
    for pid in PROPERTIES:
        prop = system.properties.get(pid)
        current = system.hydrometers.current_installation(property_id=pid, point=WATER)
        assert prop.water_status_id == SUPPRIMIDO
        assert current is None, pid
    for meter_id in meter_ids:
        installed = system.hydrometers.installed_at(meter_id) is not None
        assert installed == (system.hydrometers.get(meter_id).situation_id == INSTALADO)
    for order_id in installs + suppressions:
        order = system.service_orders.get(order_id)
        assert order.commercial_applied == (order.situation is OrderSituation.CLOSED)


# ---------------------------------------------------------------- request vs orders
def _on_requests(
    system: gsan_core.System,
    request_ids: list[int],
    role: str,
    actor: int,
    unit: int,
    step: Barrier,
) -> list[Attempt]:
    """Generate an order for each request, or close (not executed) or forward
    each request, in step with the other process."""

    def act(request_id: int) -> int:
        requests = system.service_requests
        if role == "generate":
            return requests.generate_order(
                request_id=request_id, service_type_id=350, actor=actor
            ).id
        if role == "close":
            return requests.close(
                request_id=request_id, reason_id=4, actor=actor
            ).request.id
        return requests.forward(
            request_id=request_id, destination_unit_id=unit, actor=actor
        ).request.id

    return [in_step(step, lambda r=r: act(r)) for r in request_ids]  # type: ignore[misc]


@pytest.mark.parametrize("other", ["close", "forward"])
def test_orders_generated_for_a_request_while_it_closes_or_moves(
    database: Database, other: str
) -> None:
    """GEN-02 (an OS only for a pending request) against ENC-01 (closing a
    request not executed closes its open orders) and TRM-15 (forwarding moves
    the request and all its orders): a request never ends closed with an open
    order, nor with an open order left in a unit it left."""
    system, shared = database.make(request_profile())
    utility, opened = open_requests(system, 109, 8)
    ids = [r.id for r in opened]
    step = CONTEXT.Barrier(2)

    tried = attempts(
        race(
            _on_requests,
            [
                (shared, ids, "generate", utility.attendant, 0, step),
                (shared, ids, other, utility.attendant, utility.office, step),
            ],
        )
    )

    losers_got_library_errors(tried)
    assert all(a.ok for a in tried[len(ids) :])  # every close / forward went through
    for request in opened:
        stored = system.service_requests.get(request.id)
        orders = system.service_orders.find_by(request_id=request.id)
        if stored.situation is RequestSituation.CLOSED:
            assert all(not o.is_open for o in orders), (stored, orders)
        for order in orders:
            if order.is_open:
                assert order.current_unit_id == stored.current_unit_id, order


# ---------------------------------------------------------------- two openings
def _open_on(system: gsan_core.System, pid: int, unit: int, actor: int) -> Attempt:
    return attempt(
        lambda: (
            system.service_requests.open(
                specification_id=109,
                unit_id=unit,
                channel_id=CHANNEL_PHONE,
                actor=actor,
                location=RequestLocation(property_id=pid),
                requesters=ANA,
            ).request.id
        )
    )


def test_two_openings_of_the_same_specification_on_a_property(
    database: Database,
) -> None:
    """INS-07 (a property has one pending request of a specification): four
    processes opening it on the same property at once leave exactly one."""
    system, shared = database.make(request_profile())
    utility = build_request_utility(system)
    pid = next(p.id for p in utility.town.properties if p.locality_id == 1)

    tried = attempts(
        race(_open_on, [(shared, pid, utility.call_centre, utility.attendant)] * 4)
    )

    losers_got_library_errors(tried)
    assert sum(a.ok for a in tried) == 1, tried
    pending = [
        r
        for r in system.service_requests.find_by(property_id=pid)
        if r.specification_id == 109 and r.situation is RequestSituation.PENDING
    ]
    assert len(pending) == 1


# ---------------------------------------------------------------- cut order
def _cut_order(system: gsan_core.System, pid: int) -> Attempt:
    return attempt(
        lambda: (
            system.service_orders.generate_cut_order(
                property_id=pid, actor=ACTOR
            ).generated
        )
    )


def test_gerar_ordem_de_corte_four_times_at_once(database: Database) -> None:
    """GEN-13 (a property with a pending cut order gets it emitted again, never
    a second one): four processes asking for the cut order of one property at
    once generate one order; the others emit that one again."""
    system, shared = database.make()
    town(system)
    add_property(system, 601, LIGADO)
    system.billing.record_debts(
        [
            OpenDebt(
                id=1,
                property_id=601,
                kind=DebtKind.BILL,
                amount=Decimal("50.00"),
                reference=202411,
            )
        ]
    )

    tried = attempts(race(_cut_order, [(shared, 601)] * 4))

    losers_got_library_errors(tried)
    open_cut = [o for o in system.service_orders.find_by(property_id=601) if o.is_open]
    assert len(open_cut) == 1, open_cut
    assert sum(1 for a in tried if a.value is True) == 1, tried


# ---------------------------------------------------------------- catalog siblings
def _add_reason(system: gsan_core.System, description: str) -> Attempt:
    return attempt(
        lambda: system.catalog.add("cut_reason", description=description, actor=1).id
    )


def test_two_additions_of_one_description_to_a_catalog_kind(
    database: Database,
) -> None:
    """CAT-4 (a description is unique within its kind): four processes adding
    the same description at once leave one row; the others are refused by the
    rule (the kind is locked while a row is added), not by a duplicate id."""
    system, shared = database.make()
    before = len(system.catalog.list("cut_reason"))

    tried = attempts(race(_add_reason, [(shared, "MOTIVO CONCORRENTE")] * 4))

    assert sum(a.ok for a in tried) == 1, tried
    assert {a.error for a in tried if not a.ok} == {"RuleViolation"}
    rows = system.catalog.list("cut_reason")
    assert len(rows) == before + 1
    assert [r.description for r in rows].count("MOTIVO CONCORRENTE") == 1
