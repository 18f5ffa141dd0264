"""Selective commands and their emission (SEL-01..SEL-04, GEN-11), on every backend."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.field_work import (
    CommandSituation,
    SelectiveCommandClosed,
    SelectiveCriteria,
    SelectiveOrdersEmitted,
)
from gsan_core.model.service_orders import OrderOrigin, OrderSituation, ServiceOrder
from gsan_core.services.batches import BatchProgress
from gsan_core.synthetic import generate

INSPECTION = 350  # GSAN "inspeção de anormalidade"
NOT_EXECUTED = 4  # closing reason "desistência do usuário" (not executed)


@pytest.fixture
def utility(system: gsan_core.System) -> gsan_core.System:
    generate(system, properties=600, seed=5)
    return system


def localities(system: gsan_core.System) -> list[int]:
    with system.uow_factory() as uow:
        return sorted({p.locality_id for p in uow.properties.find_by()})


def command(system: gsan_core.System, **criteria: object) -> int:
    first = localities(system)[0]
    made = system.field_work.create_selective_command(
        description="INSPECAO CENTRO",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(
            locality_first=first,
            locality_last=first,
            **criteria,  # type: ignore[arg-type]
        ),
        actor=1,
    )
    return made.id


def test_sel_01_emits_one_selective_order_per_matching_property(
    utility: gsan_core.System,
) -> None:
    """SEL-01: one order per property, tied to the command, already emitted,
    without RA and collection document."""
    ident = command(utility, water_status_ids={3})
    seen: list[BatchProgress] = []
    run = utility.field_work.emit_selective_orders(
        command_id=ident, actor=1, progress=seen.append, chunk_size=50
    )
    orders = utility.service_orders.find_by(service_type_id=INSPECTION)
    assert run.generated == len(orders) > 0
    assert run.evaluated == run.generated + sum(run.skipped.values())
    assert {o.origin for o in orders} == {OrderOrigin.SELECTIVE}
    assert all(o.emitted_at is not None for o in orders)
    assert all(
        o.request_id is None and o.collection_document_id is None for o in orders
    )
    assert len({o.property_id for o in orders}) == len(orders)
    first = localities(utility)[0]
    for order in orders:
        prop = utility.properties.get(order.property_id or 0)
        assert prop.locality_id == first
        assert prop.water_status_id == 3
    assert "water situation not selected" in run.skipped
    assert seen
    assert seen[-1].changed == run.generated
    stored = utility.field_work.selective_command(command_id=ident)
    assert stored.emitted == run.generated
    events = [e for e in utility.events if isinstance(e, SelectiveOrdersEmitted)]
    assert sum(len(e.order_ids) for e in events) == run.generated


def test_sel_01_emission_is_idempotent_and_resumable(utility: gsan_core.System) -> None:
    """A second run emits nothing and says why; chunk sizes do not change the result."""
    ident = command(utility)
    first = utility.field_work.emit_selective_orders(
        command_id=ident, actor=1, chunk_size=7
    )
    again = utility.field_work.emit_selective_orders(command_id=ident, actor=1)
    assert first.generated > 0
    assert again.generated == 0
    assert again.skipped["already emitted by this command"] == first.generated
    assert (
        len(utility.service_orders.find_by(service_type_id=INSPECTION))
        == first.generated
    )


def test_sel_04_the_cap_of_a_command_holds_across_runs(
    utility: gsan_core.System,
) -> None:
    first = localities(utility)[0]
    made = utility.field_work.create_selective_command(
        description="CAPPED",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=first, locality_last=first),
        actor=1,
        max_orders=5,
    )
    run = utility.field_work.emit_selective_orders(
        command_id=made.id, actor=1, chunk_size=3
    )
    assert run.generated == 5
    assert run.skipped["command cap reached"] > 0
    rerun = utility.field_work.emit_selective_orders(command_id=made.id, actor=1)
    assert rerun.generated == 0
    assert len(utility.service_orders.find_by(service_type_id=INSPECTION)) == 5


def test_gen_11_an_open_selective_order_blocks_a_new_one(
    utility: gsan_core.System,
) -> None:
    """GEN-11: an open order of 304/310/1420/350 without RA nor document, emitted
    in the last 90 days, skips the property; an older one does not."""
    first = localities(utility)[0]
    with utility.uow_factory() as uow:
        props = sorted(
            p.id for p in uow.properties.find_by(locality_id=first) if p.active
        )
        now = utility.clock.now()
        ids = uow.next_ids("service_order", 2)
        uow.service_orders.add_many(
            [
                ServiceOrder(
                    id=ids[0],
                    service_type_id=304,
                    property_id=props[0],
                    generated_at=now - timedelta(days=10),
                ),
                ServiceOrder(
                    id=ids[1],
                    service_type_id=304,
                    property_id=props[1],
                    generated_at=now - timedelta(days=120),
                ),
            ]
        )
        uow.commit()
    ident = command(utility, property_id=props[0])
    run = utility.field_work.emit_selective_orders(command_id=ident, actor=1)
    assert run.generated == 0
    assert run.skipped == {"open selective order (GEN-11)": 1}
    other = command(utility, property_id=props[1])
    assert (
        utility.field_work.emit_selective_orders(command_id=other, actor=1).generated
        == 1
    )


def test_sel_02_closing_a_command_closes_its_pending_orders(
    utility: gsan_core.System,
) -> None:
    """SEL-02: pending orders closed without execution; SEL-03: not twice."""
    ident = command(utility)
    run = utility.field_work.emit_selective_orders(command_id=ident, actor=1)
    closed = utility.field_work.close_selective_command(
        command_id=ident, reason_id=NOT_EXECUTED, actor=1, chunk_size=4
    )
    assert closed.situation is CommandSituation.CLOSED
    orders = utility.service_orders.find_by(service_type_id=INSPECTION)
    assert {o.situation for o in orders} == {OrderSituation.CLOSED}
    assert {o.closing_reason_id for o in orders} == {NOT_EXECUTED}
    event = next(e for e in utility.events if isinstance(e, SelectiveCommandClosed))
    assert len(event.closed_order_ids) == run.generated
    progress = utility.field_work.command_progress(command_id=ident)
    assert (progress.pending, progress.closed) == (0, run.generated)
    with pytest.raises(gsan_core.RuleViolation) as raised:
        utility.field_work.close_selective_command(
            command_id=ident, reason_id=NOT_EXECUTED, actor=1
        )
    assert raised.value.violations[0].rule == "SEL-03"
    with pytest.raises(gsan_core.RuleViolation):
        utility.field_work.emit_selective_orders(command_id=ident, actor=1)


def test_sel_02_the_last_page_closes_orders_past_the_emitted_count(
    utility: gsan_core.System,
) -> None:
    """SEL-02: the closing's pages follow the command's count of emitted
    orders; a command whose count falls short of its orders (a legacy
    command) still has every pending order closed, by its last page."""
    ident = command(utility)
    run = utility.field_work.emit_selective_orders(command_id=ident, actor=1)
    assert run.generated > 3
    with utility.uow_factory() as uow:
        current = uow.selective_commands.get(ident)
        uow.selective_commands.update(
            attrs.evolve(current, emitted=1, version=current.version + 1)
        )
        uow.commit()
    seen: list[BatchProgress] = []
    utility.field_work.close_selective_command(
        command_id=ident,
        reason_id=NOT_EXECUTED,
        actor=1,
        chunk_size=2,
        progress=seen.append,
    )
    orders = utility.service_orders.find_by(service_type_id=INSPECTION)
    assert len(orders) == run.generated
    assert {o.situation for o in orders} == {OrderSituation.CLOSED}
    assert seen[-1].processed == run.generated


def test_sel_02_needs_a_not_executed_reason(utility: gsan_core.System) -> None:
    ident = command(utility)
    with pytest.raises(gsan_core.RuleViolation) as raised:
        utility.field_work.close_selective_command(
            command_id=ident, reason_id=2, actor=1
        )
    assert (
        raised.value.violations[0].code == "field_work.command.closing_reason_invalid"
    )


def test_sel_04_a_command_needs_a_location_and_a_description(
    utility: gsan_core.System,
) -> None:
    with pytest.raises(gsan_core.RuleViolation) as raised:
        utility.field_work.create_selective_command(
            description=" ",
            service_type_id=INSPECTION,
            criteria=SelectiveCriteria(),
            actor=1,
        )
    rules = {v.rule for v in raised.value.violations}
    assert "SEL-04" in rules
    assert len(raised.value.violations) == 2
    command_with = SelectiveCriteria(locality_first=1)
    with pytest.raises(gsan_core.NotFound):
        utility.field_work.create_selective_command(
            description="X", service_type_id=999_999, criteria=command_with, actor=1
        )


def test_commands_are_listed_newest_first(utility: gsan_core.System) -> None:
    one, two = command(utility), command(utility)
    listed = utility.field_work.selective_commands()
    assert [c.id for c in listed][:2] == sorted([one, two], reverse=True) or {
        c.id for c in listed
    } >= {one, two}
    assert attrs.has(type(listed[0]))


def test_sel_04_the_measured_criteria_are_kept_and_applied(
    utility: gsan_core.System,
) -> None:
    """SEL-04: a command's consumption, anomaly, debt and meter criteria are
    stored with it and select in the emission (the window ends in the month
    of the run)."""
    first = localities(utility)[0]
    with utility.uow_factory() as uow:
        props = sorted(p.id for p in uow.properties.find_by() if p.locality_id == first)
    month = utility.clock.today()
    reference = month.year * 100 + month.month
    with utility.uow_factory() as uow:
        uow.billing.record_consumption(
            ConsumptionRecord(
                property_id=pid,
                reference=reference,
                consumption_type_id=1,
                billed_volume=15 if n % 2 else 40,
                anomaly_id=3 if n % 3 == 0 else None,
            )
            for n, pid in enumerate(props)
        )
        uow.commit()
    criteria = SelectiveCriteria(
        locality_first=first,
        locality_last=first,
        consumption_first=10,
        consumption_last=20,
        consecutive_anomalies=1,
        anomaly_ids={3},
        min_debt_amount=Decimal("0.00"),
    )
    made = utility.field_work.create_selective_command(
        description="CONSUMO", service_type_id=INSPECTION, criteria=criteria, actor=1
    )
    assert utility.field_work.selective_command(command_id=made.id).criteria == (
        criteria
    )
    run = utility.field_work.emit_selective_orders(command_id=made.id, actor=1)
    assert run.evaluated == len(props)
    picked = {
        o.property_id
        for o in utility.service_orders.find_by(service_type_id=INSPECTION)
    }
    wanted = {pid for n, pid in enumerate(props) if n % 2 and n % 3 == 0}
    assert picked
    assert picked <= wanted
    assert run.skipped.get("average consumption out of range", 0) > 0


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_an_emission_refreshes_the_statistics_of_the_tables_it_fills(
    utility: gsan_core.System,
) -> None:
    """Issue 16: the orders' table analysed empty is planned on defaults (the
    open-order probe ANDed every order with a null request, so each chunk
    read all the orders before it); the first chunks, each a large share of
    it, refresh its statistics during the run, not only at its end."""
    table = utility.backend.tables["service_order"]
    qualified = f'"{table.schema}"."{table.name}"'
    with utility.backend.engine.connect() as connection:
        connection.exec_driver_sql(f"ANALYZE {qualified}")

    def estimate() -> float:
        with utility.backend.engine.connect() as connection:
            return float(
                connection.execute(
                    sa.text(
                        "SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"
                    ),
                    {"t": qualified},
                ).scalar_one()
            )

    assert estimate() <= 0  # analysed empty
    after_second: list[float] = []

    def seen(progress: BatchProgress) -> None:
        if progress.units_done == 2:
            after_second.append(estimate())

    first, last = localities(utility)[0], localities(utility)[-1]
    made = utility.field_work.create_selective_command(
        description="INSPECAO GERAL",
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(
            locality_first=first, locality_last=last, water_status_ids={3}
        ),
        actor=1,
    )
    run = utility.field_work.emit_selective_orders(
        command_id=made.id, actor=1, chunk_size=200, progress=seen
    )
    assert run.summary.units > 2
    assert after_second
    assert after_second[0] > 0  # the second chunk analysed the first's rows


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_the_already_emitted_probe_goes_through_the_property_only(
    utility: gsan_core.System,
) -> None:
    """Issue 16: with statistics taken while the links were all another
    command's, a new command looks rare, and PostgreSQL probed "already
    emitted by this command" through the command's index, reading every link
    of the command per property. The probe offers only the property's index:
    even with that index gone (in a transaction rolled back) and sequential
    scans off, the plan does not take the command's."""
    engine, tables = utility.backend.engine, utility.backend.tables
    link = tables["selective_order"]
    decisions: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().startswith("WITH decided"):
            decisions.append((statement, params))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        utility.field_work.emit_selective_orders(
            command_id=command(utility, water_status_ids={3}), actor=1
        )
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    assert decisions
    statement, params = decisions[0]

    def plan(connection: sa.Connection) -> str:
        rows = connection.exec_driver_sql(f"EXPLAIN {statement}", params)
        return "\n".join(row[0] for row in rows)

    with engine.connect() as connection:
        normal = plan(connection)
        connection.exec_driver_sql(
            f'DROP INDEX "{link.schema}"."ix_{link.name}_property"'
        )
        # a small table is read whole otherwise: make any usable index win
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        without = plan(connection)
        connection.rollback()  # the index is back
    assert f"ix_{link.name}_property" in normal
    assert f"ix_{link.name}_command" not in without
