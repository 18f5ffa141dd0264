"""Statement budgets of the inspections, repaving, and the connections' and
meters' other commands (issue 20): the measures of the tables of
``test_statement_budgets_field.py`` (the area's one table of budgets), kept
apart to keep each module short."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import attrs

import gsan_core
from gsan_core.model.bulletins import BulletinInput, InspectionCode
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import WaterConnection
from gsan_core.model.hydrometers import (
    AnomalyActionStep,
    ConsumptionAnomalyAction,
    Hydrometer,
    InstallHydrometer,
    UpdateInstallation,
)
from gsan_core.model.inspections import InfractionNotice, SituationFound
from gsan_core.model.repaving import (
    CostLine,
    PavementSurface,
    RepavingAcceptance,
    RepavingCost,
)
from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.testing import FixedClock
from gsan_core.testing.hydrometers import METER, meter_lab
from tests.integration.budgets import measure
from tests.integration.test_statement_budgets_field import (
    INSTALL,
    SEWER,
    SIZES,
    SQL_ONLY,
    assert_one_transaction,
    assert_within,
    check_sizes,
    counter_of,
    slices,
    two_sizes,
)
from tests.services import test_inspection_orders as insp
from tests.services import test_order_bulletins as bull
from tests.services import test_repaving_costs as pav
from tests.services.connections_setup import (
    ACTOR,
    CONCLUDED,
    PPP_BLOCK,
    add_property,
    order_for,
    town,
)


# ----------------------------------------------------------------- inspections
def _notices(gsan: gsan_core.System, first: int, count: int) -> None:
    """``count`` notices whose appeal ends in 5 days, on new properties."""
    for pid in range(first, first + count):
        insp._expired_notice(gsan, pid)


def _contractor_orders(gsan: gsan_core.System, first: int, count: int) -> None:
    """``count`` orders closed yesterday, not concluded, by the contractor's
    unit 60 (``insp._closed_orders`` registered it)."""
    now = gsan.clock.now()
    with gsan.uow_factory() as uow:
        uow.service_orders.add_many(
            ServiceOrder(
                id=first + n,
                service_type_id=insp.PLAIN,
                situation=OrderSituation.CLOSED,
                property_id=420,
                generated_at=now - timedelta(days=3),
                closed_at=now - timedelta(days=1),
                closing_reason_id=4,
                current_unit_id=60,
            )
            for n in range(count)
        )
        uow.commit()


@SQL_ONLY
def test_inspection_commands_hold_their_budgets(
    make_system: Callable[..., gsan_core.System], clock: FixedClock
) -> None:
    """The inspection orders' return (UC0488), the contractor's order
    acceptance (FIS-14), the notices (AUT-02, AUT-05) and the inspection
    orders of closed orders (UC1176)."""
    gsan = insp.inspection_town(make_system())
    counter = counter_of(gsan)
    today = gsan.today()
    found: dict[str, int] = {}
    orders = [insp._inspection(gsan, pid) for pid in (400, 401)]
    found["inform an inspection's return"] = measure(
        counter,
        lambda n: gsan.inspections.inform_return(
            order_id=orders[n],
            found=[SituationFound(situation_id=insp.REINCIDENT, found_on=today)],
            actor=ACTOR,
        ),
    )
    add_property(gsan, 430, 3)
    executed = []
    for _ in range(2):
        order = order_for(gsan, insp.PLAIN, 430)
        gsan.service_orders.close_executed(
            order_id=order.id, reason_id=CONCLUDED, closed_on=today, actor=ACTOR
        )
        executed.append(order.id)
    found["inspect a contractor's order"] = measure(
        counter,
        lambda n: gsan.inspections.inspect_order(
            order_id=executed[n], accepted=True, actor=ACTOR
        ),
    )
    notices: list[InfractionNotice] = []
    for pid in (410, 411):
        insp._expired_notice(gsan, pid, until=40)
        notices.extend(gsan.inspections.notices(property_id=pid))
    found["update a notice"] = measure(
        counter,
        lambda n: gsan.inspections.update_notice(
            attrs.evolve(notices[n], observation="RECURSO"), actor=ACTOR
        ),
    )
    expired: list[int] = []

    def notices_due(n: int) -> None:
        _notices(gsan, 440 + 10 * n, SIZES[n])
        clock.advance(timedelta(days=10))

    check_sizes(
        found,
        "expire notices",
        two_sizes(
            counter,
            lambda n: expired.append(len(gsan.inspections.expire_notices(actor=ACTOR))),
            notices_due,
        ),
    )
    assert expired == list(SIZES)
    insp._closed_orders(gsan, [4, 4])
    generated: list[int] = []

    def inspect_closed(n: int) -> None:
        summary = gsan.inspections.generate_for_closed(
            company_id=3, days=5, sample_percentage=100, actor=ACTOR
        )
        generated.append(summary.changed)

    check_sizes(
        found,
        "inspection orders of closed orders",
        two_sizes(
            counter,
            inspect_closed,
            lambda n: _contractor_orders(gsan, 9_100 + 10 * n, SIZES[n] if n else 0),
        ),
    )
    assert generated == list(SIZES)
    assert_one_transaction(counter, gsan)
    assert_within(found, gsan)


@SQL_ONLY
def test_bulletin_commands_hold_their_budgets(
    make_system: Callable[..., gsan_core.System], clock: FixedClock
) -> None:
    """The measurement bulletin of closed orders (ENC-19) and the inspection
    of concluded orders with their inclusion in a bulletin (FIS-17, FIS-18)."""
    gsan = bull.bulletin_town(make_system())
    counter = counter_of(gsan)
    found: dict[str, int] = {}
    asked = [bull._order(gsan, pid, bull.BULLETIN_TYPE) for pid in (700, 701)]
    for order_id in asked:
        bull._close(
            gsan, order_id, BulletinInput(has_pavement=False, zero_confirmed=True)
        )
    full = BulletinInput(has_pavement=True, asphalt=Decimal(2), sidewalk=Decimal(1))
    found["update an order's bulletin"] = measure(
        counter,
        lambda n: gsan.inspections.update_bulletin(
            order_id=asked[n], bulletin=full, actor=ACTOR, expected_version=1
        ),
    )
    plain = [bull._order(gsan, pid, bull.PLAIN_TYPE) for pid in range(710, 726)]
    for order_id in plain:
        bull._close(gsan, order_id)
    clock.advance(timedelta(days=2))
    day = gsan.today() - timedelta(days=1)

    def inspect(order_id: int) -> object:
        return gsan.inspections.inspect_concluded(
            order_id=order_id,
            code=InspectionCode.REPROVED,
            inspected_on=[day],
            inspector_id=bull.INSPECTOR,
            actor=ACTOR,
        )

    found["inspect a concluded order"] = measure(counter, lambda n: inspect(plain[n]))
    for order_id in plain[2:]:
        inspect(order_id)
    chosen = slices(plain, 2)
    included: list[int] = []
    check_sizes(
        found,
        "include inspections in a bulletin",
        two_sizes(
            counter,
            lambda n: included.append(
                len(
                    gsan.inspections.include_in_bulletin(
                        order_ids=chosen[n], month=202612, closed_on=day, actor=ACTOR
                    )
                )
            ),
        ),
    )
    assert included == list(SIZES)
    assert_within(found, gsan)


# -------------------------------------------------------------------- repaving
@SQL_ONLY
def test_repaving_commands_hold_their_budgets(system: gsan_core.System) -> None:
    """The repaving works (ENC-16, PAV-01..PAV-05), their costs (PAV-06..08)
    and the repaving units' services (PAV-09)."""
    gsan = pav.repaving_town(system)
    counter = counter_of(gsan)
    today = gsan.today()
    found: dict[str, int] = {}
    closed = []
    for pid in (500, 501):
        add_property(gsan, pid, 3)
        order = order_for(gsan, pav.PAVED, pid)
        gsan.service_orders.close_executed(
            order_id=order.id, reason_id=CONCLUDED, closed_on=today, actor=ACTOR
        )
        closed.append(order.id)
    works: list[int] = []
    found["open a repaving work"] = measure(
        counter,
        lambda n: works.append(
            gsan.repaving.open_work(
                order_id=closed[n],
                street_pavement_id=pav.ASPHALT,
                street_area=Decimal(10),
                neighbourhood_id=pav.NEIGHBOURHOOD,
                actor=ACTOR,
            ).id
        ),
    )
    works += [
        pav._work(gsan, pid, street="10.00", sidewalk="2.00") for pid in range(510, 528)
    ]

    def inform(work_id: int) -> object:
        return gsan.repaving.inform_return(
            work_id=work_id,
            returned_on=today,
            street_pavement_id=pav.ASPHALT,
            street_area=Decimal(10),
            actor=pav.PAVER,
        )

    found["inform a repaving return"] = measure(counter, lambda n: inform(works[n]))
    found["reject a repaving return"] = measure(
        counter,
        lambda n: gsan.repaving.reject_return(
            work_id=works[n], rejected_on=today, remark="SEM SINALIZACAO", actor=ACTOR
        ),
    )
    for work_id in works[2:]:
        inform(work_id)
    chosen = slices(works, 2)
    accepted: list[int] = []
    check_sizes(
        found,
        "accept repaving returns",
        two_sizes(
            counter,
            lambda n: accepted.append(
                len(
                    gsan.repaving.accept(
                        work_ids=chosen[n],
                        acceptance=RepavingAcceptance.ACCEPTED,
                        on=today,
                        actor=pav.PAVER,
                    )
                )
            ),
        ),
    )
    assert accepted == list(SIZES)
    automatic: list[int] = []
    check_sizes(
        found,
        "accept repaving returns automatically",
        two_sizes(
            counter,
            lambda n: automatic.append(
                gsan.repaving.accept_automatically(actor=ACTOR).changed
            ),
            lambda n: [
                inform(pav._work(gsan, 600 + 10 * n + i, street="10.00", sidewalk="1"))
                for i in range(SIZES[n])
            ],
        ),
    )
    assert automatic[1:] == [2, 6]  # the first run also took the works left
    assert_one_transaction(counter, gsan)
    lines = [
        CostLine(surface=surface, pavement_type_id=kind, value=Decimal(50 + kind))
        for kind in (1, 2, 3)
        for surface in PavementSurface
    ]
    assert len(lines) == 6
    costs: list[RepavingCost] = []
    check_sizes(
        found,
        "add repaving costs",
        two_sizes(
            counter,
            lambda n: costs.extend(
                gsan.repaving.add_costs(
                    unit_id=pav.PAVER_UNIT,
                    valid_from=today + timedelta(days=30 * n),
                    lines=lines[: SIZES[n]],
                    actor=ACTOR,
                )
            ),
        ),
    )
    assert len(costs) == sum(SIZES)
    latest = costs[-6:]
    found["update a repaving cost"] = measure(
        counter,
        lambda n: gsan.repaving.update_cost(
            cost_id=latest[n].id,
            expected_version=latest[n].version,
            valid_from=latest[n].valid_from,
            valid_until=None,
            value=Decimal(99),
            actor=ACTOR,
        ),
    )
    found["remove a repaving cost"] = measure(
        counter,
        lambda n: gsan.repaving.remove_cost(cost_id=latest[2 + n].id, actor=ACTOR),
    )
    services: list[CatalogItem] = []
    found["add a repaving service"] = measure(
        counter,
        lambda n: services.append(
            gsan.repaving.add_service(
                description=f"RECOMPOSICAO {n}",
                unit_id=pav.PAVER_UNIT,
                measure_unit_id=1,
                value=Decimal("45.90"),
                actor=pav.PAVER,
            )
        ),
    )
    found["update a repaving service"] = measure(
        counter,
        lambda n: gsan.repaving.update_service(
            service_id=services[n].id,
            expected_version=services[n].version,
            attributes={"value": Decimal(47)},
            actor=pav.PAVER,
        ),
    )
    assert_within(found, gsan)


# ------------------------------------------------------ connections and meters
def _water(pid: int) -> WaterConnection:
    return WaterConnection(
        id=pid,
        connected_on=date(2024, 1, 10),
        implanted_on=date(2024, 1, 10),
        diameter_id=1,
        material_id=1,
        profile_id=1,
    )


@SQL_ONLY
def test_connection_commands_hold_their_budgets(system: gsan_core.System) -> None:
    """The cadastral load of connections and UC0823's promotion of the
    connected-under-analysis properties."""
    gsan = town(system)
    counter = counter_of(gsan)
    found: dict[str, int] = {}
    bare = list(range(300, 310))
    for pid in bare:
        add_property(gsan, pid, 1)
    chosen = slices(bare)
    loaded: list[int] = []
    check_sizes(
        found,
        "load connections",
        two_sizes(
            counter,
            lambda n: loaded.append(
                gsan.connections.load(actor=0, water=[_water(p) for p in chosen[n]])
            ),
        ),
    )
    assert loaded == list(SIZES)
    promoted: list[int] = []
    check_sizes(
        found,
        "promote the connected under analysis",
        two_sizes(
            counter,
            lambda n: promoted.append(
                gsan.connections.promote_connected_under_analysis(actor=ACTOR).changed
            ),
            lambda n: [
                add_property(gsan, 320 + 10 * n + i, 4) for i in range(SIZES[n])
            ],
        ),
    )
    assert promoted == list(SIZES)
    assert_within(found, gsan)


@SQL_ONLY
def test_feasible_billable_commands_hold_their_budgets(
    make_system: Callable[..., gsan_core.System],
) -> None:
    """CAEMA's UC1467 and UC1468 on a PPP locality of 2 and of 6 properties."""
    caema = town(make_system("caema"))
    counter = counter_of(caema)
    found: dict[str, int] = {}
    pids = iter(range(300, 400))

    def new_properties(n: int) -> None:
        for _ in range(SIZES[n]):
            add_property(caema, next(pids), 3, 1, block=PPP_BLOCK)

    informed: list[int] = []
    check_sizes(
        found,
        "inform feasible billable",
        two_sizes(
            counter,
            lambda n: informed.append(
                len(
                    caema.connections.inform_feasible_billable(
                        locality_id=2, data=SEWER, actor=ACTOR
                    )
                )
            ),
            new_properties,
        ),
    )
    assert informed == list(SIZES)
    withdrawn: list[int] = []

    def inform_new(n: int) -> None:
        new_properties(n)
        caema.connections.inform_feasible_billable(
            locality_id=2, data=SEWER, actor=ACTOR
        )

    check_sizes(
        found,
        "withdraw feasible billable",
        two_sizes(
            counter,
            lambda n: withdrawn.append(
                len(
                    caema.connections.withdraw_feasible_billable(
                        locality_id=2, actor=ACTOR
                    )
                )
            ),
            inform_new,
        ),
        more=6,
    )
    # a withdrawn property is informed again with the new ones: 10 + 2, + 2,
    # + 6 (the counted runs: 14 and 20 properties)
    assert withdrawn == [12, 14, 20]
    assert_within(found, caema)


@SQL_ONLY
def test_meter_commands_hold_their_budgets(system: gsan_core.System) -> None:
    """The cadastral load of meters, UC0368's correction by property and the
    consumption anomalies' escalation (CA-1, CA-2)."""
    lab = meter_lab(system)
    meters = system.hydrometers
    meters.insert_range(
        fixed="B24A", first=1, last=4, attributes=METER, location_id=1, actor=1
    )
    ids = [m.id for m in meters.in_range(fixed="B24A", first=1, last=4)]
    counter = counter_of(system)
    found: dict[str, int] = {}
    numbers = iter(range(100, 200))

    def batch(n: int) -> list[Hydrometer]:
        base = meters.get(ids[0])
        return [
            attrs.evolve(base, id=90_000 + number, number=f"C25A{number:06d}")
            for number in [next(numbers) for _ in range(SIZES[n])]
        ]

    loaded: list[int] = []
    check_sizes(
        found,
        "load meters",
        two_sizes(
            counter, lambda n: loaded.append(meters.load(actor=0, meters=batch(n)))
        ),
    )
    assert loaded == list(SIZES)
    for index, pid in enumerate(lab.connected[:2]):
        order = system.service_orders.generate(
            service_type_id=INSTALL, property_id=pid, actor=1
        )
        system.service_orders.close_executed(
            order_id=order.id,
            reason_id=2,
            closed_on=system.today(),
            actor=1,
            commercial=InstallHydrometer(
                hydrometer_id=ids[index], reading=10, place_id=1, protection_id=6
            ),
        )
    found["correct a meter's installation"] = measure(
        counter,
        lambda n: meters.update_installation(
            property_id=lab.connected[n], data=UpdateInstallation(reading=12), actor=9
        ),
    )
    actions: list[ConsumptionAnomalyAction] = []
    found["add an anomaly action"] = measure(
        counter,
        lambda n: actions.append(
            meters.add_anomaly_action(
                anomaly_id=6,
                category_id=1 + n,
                steps=[
                    AnomalyActionStep(month=1, bill_message="CONSUMO ALTO"),
                    AnomalyActionStep(month=2, generates_letter=True),
                ],
                actor=1,
            )
        ),
    )
    found["update an anomaly action"] = measure(
        counter,
        lambda n: meters.update_anomaly_action(
            attrs.evolve(actions[n], active=False), actor=1
        ),
    )
    assert_within(found, system)
