"""The connection batches: set-based, by locality, idempotent, with progress."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.model.connections import ConnectionKind, ConnectionsChangedInBatch
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.services.batches import BatchProgress
from tests.services.connections_setup import ACTOR, PPP_BLOCK, add_property, town

OLD_CUT = {"cut_on": date(2024, 11, 15)}


def _situations(system: gsan_core.System, pid: int) -> tuple[int, int]:
    prop = system.properties.get(pid)
    return prop.water_status_id, prop.sewer_status_id


@pytest.mark.parametrize(("per_chunk", "units"), [(1, 2), (8, 1)])
def test_uc1073_reconnects_cut_properties_with_real_consumption(
    system: gsan_core.System, per_chunk: int, units: int
) -> None:
    """UC1073, one locality per unit of work (GSAN's split) or several
    (issue 20): the same properties reconnected, one event per locality."""
    gsan = town(system)
    add_property(gsan, 1, 5, 5, water_changes=OLD_CUT)  # real, billed: back
    add_property(gsan, 2, 5, 1, water_changes=OLD_CUT)  # average consumption
    add_property(gsan, 3, 5, 1, water_changes=OLD_CUT)  # billed zero
    add_property(gsan, 4, 5, 1, water_changes=OLD_CUT, profile_id=4)  # social tariff
    add_property(gsan, 5, 5, 1, water_changes={"cut_on": date(2024, 12, 20)})  # recent
    add_property(gsan, 6, 3, 1)  # connected already
    add_property(gsan, 7, 5, 3, block=PPP_BLOCK, water_changes=OLD_CUT)  # locality 2
    add_property(gsan, 8, 5, 1, water_changes=OLD_CUT)  # no consumption row
    gsan.billing.record_consumption(
        [
            ConsumptionRecord(
                property_id=pid,
                reference=202412,
                consumption_type_id=1,
                billed_volume=9,
            )
            for pid in (1, 4, 5, 6, 7)
        ]
        + [
            ConsumptionRecord(
                property_id=2, reference=202412, consumption_type_id=3, billed_volume=9
            ),
            ConsumptionRecord(
                property_id=3, reference=202412, consumption_type_id=1, billed_volume=0
            ),
        ]
    )
    seen: list[BatchProgress] = []
    summary = gsan.connections.reconnect_cut_with_real_consumption(
        reference=202412,
        actor=ACTOR,
        progress=seen.append,
        localities_per_chunk=per_chunk,
    )
    assert (summary.units, summary.processed, summary.changed) == (units, 5, 2)
    assert summary.skipped == {"no real consumption": 3}
    assert [p.units_done for p in seen] == list(range(1, units + 1))
    assert _situations(gsan, 1) == (3, 3)
    assert _situations(gsan, 7) == (3, 3)
    for pid in (2, 3, 4, 5, 8):
        assert _situations(gsan, pid)[0] == 5
    row = gsan.connections.water_connection(1)
    assert row is not None
    assert row.reconnected_on == date(2025, 1, 6)
    assert row.version == 2
    history = gsan.connections.history(1)
    assert [(h.kind, h.before_id, h.after_id) for h in history] == [
        (ConnectionKind.WATER, 5, 3),
        (ConnectionKind.SEWER, 5, 3),
    ]
    assert all(h.operation == "water.reconnect_by_consumption" for h in history)
    events = [e for e in gsan.events if isinstance(e, ConnectionsChangedInBatch)]
    assert [(e.locality_id, e.count, e.reference) for e in events] == [
        (1, 1, 202412),
        (2, 1, 202412),
    ]
    again = gsan.connections.reconnect_cut_with_real_consumption(
        reference=202412, actor=ACTOR
    )
    assert again.changed == 0
    assert len(gsan.connections.history(1)) == 2


def test_uc0823_promotes_connected_under_analysis(system: gsan_core.System) -> None:
    gsan = town(system)
    add_property(gsan, 10, 4, 5)
    add_property(gsan, 11, 4, 1, active=False)
    add_property(gsan, 12, 3, 1)
    summary = gsan.connections.promote_connected_under_analysis(actor=ACTOR)
    assert (summary.units, summary.changed) == (1, 1)
    assert _situations(gsan, 10) == (3, 3)
    assert _situations(gsan, 11) == (4, 1)
    assert gsan.connections.promote_connected_under_analysis(actor=ACTOR).units == 0


def _chunk_statement(
    system: gsan_core.System,
) -> tuple[sa.Engine, str, Any, str]:
    """One locality of UC1073 run on PostgreSQL: its engine, the chunk's
    statement and parameters as sent, and the ``jit`` setting of the chunk's
    transaction when the statement ran."""
    engine = getattr(system.backend, "engine", None)
    assert engine is not None
    assert engine.dialect.name == "postgresql"
    gsan = town(system)
    add_property(gsan, 1, 5, 5, water_changes=OLD_CUT)
    gsan.billing.record_consumption(
        [
            ConsumptionRecord(
                property_id=1, reference=202412, consumption_type_id=1, billed_volume=9
            )
        ]
    )
    seen: list[tuple[str, Any, str]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.startswith("WITH candidates"):
            jit = cursor.connection.execute("SELECT current_setting('jit')")
            seen.append((statement, parameters, str(jit.fetchone()[0])))

    sa.event.listen(engine, "after_cursor_execute", capture)
    try:
        summary = gsan.connections.reconnect_cut_with_real_consumption(
            reference=202412, actor=ACTOR
        )
    finally:
        sa.event.remove(engine, "after_cursor_execute", capture)
    assert summary.changed == 1
    assert len(seen) == 1
    return engine, *seen[0]


def _plan(engine: sa.Engine, statement: str, parameters: Any, *setup: str) -> str:
    """``EXPLAIN`` of ``statement`` after ``setup``, in a transaction rolled
    back."""
    with engine.connect() as connection:
        for line in setup:
            connection.exec_driver_sql(line)
        plan = "\n".join(
            row[0]
            for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        )
        connection.rollback()
    return plan


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_uc1073_probes_the_cut_date_by_key_on_postgres(
    system: gsan_core.System,
) -> None:
    """Issue 20: UC1073 reads each candidate's cut date by primary key (a
    correlated probe, a ``SubPlan``), never by a join that PostgreSQL planned
    as a scan and hash of every cut connection of the table in each chunk (a
    chunk's cost growing with the table: 95 ms of ~150 at 1 million)."""
    engine, statement, parameters, _ = _chunk_statement(system)
    plan = _plan(engine, statement, parameters)
    # as a join (hash or merge) the plan had no SubPlan at all
    assert "SubPlan" in plan, plan


def _under_subplan(plan: str, table: str) -> bool:
    """Every plan node reading ``table`` sits under a ``SubPlan`` (a probe
    per row of the outer node), none in a join."""
    lines = plan.splitlines()
    reads = [n for n, line in enumerate(lines) if f" on {table}" in line]
    assert reads, plan

    def depth(line: str) -> int:
        return len(line) - len(line.lstrip(" ->"))

    for n in reads:
        parents = [
            line for line in lines[:n] if line.strip() and depth(line) < depth(lines[n])
        ]
        if not parents or "SubPlan" not in parents[-1]:
            return False
    return True


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_uc1073_reads_in_proportion_to_the_chunk_on_postgres(
    system: gsan_core.System,
) -> None:
    """Issue 20: a UC1073 chunk reads the reference month's consumption by
    primary key per candidate (as ``EXISTS`` PostgreSQL hashed the month's
    every consumption in each chunk), its properties by the index of
    (locality, water situation) with both as the index's condition (migration
    0030), never by the situations' index alone (its entries for a situation
    are those of the whole table: 152 thousand per chunk at 1 million; here
    the localities' index is dropped, in a transaction rolled back, and
    sequential scans disabled, so that the situations' index is the planner's
    other way in), and runs with JIT off (a chunk planned above
    ``jit_above_cost`` compiled for ~100 ms)."""
    engine, statement, parameters, jit = _chunk_statement(system)
    assert jit == "off"
    tables = getattr(system.backend, "tables")  # noqa: B009
    history = tables["consumption_history"].name
    prop = tables["property"]
    plan = _plan(engine, statement, parameters)
    assert _under_subplan(plan, history), plan
    schema = f"{prop.schema}." if prop.schema else ""
    forced = _plan(
        engine,
        statement,
        parameters,
        f"DROP INDEX {schema}ix_{prop.name}_locality",
        "SET LOCAL enable_seqscan = off",
    )
    assert f"ix_{prop.name}_water_status " not in forced, forced
    lines = forced.splitlines()
    reads = [
        lines[n + 1]
        for n, line in enumerate(lines)
        if f" on ix_{prop.name}_locality_water " in line
        or f" using ix_{prop.name}_locality_water " in line
    ]
    # the situation in the index's condition, not filtered on every property
    # of the localities (``water_status_id + 0``: 10,000 read for 1,500 cut
    # at 10 thousand)
    assert reads, forced
    assert all("Index Cond" in read and "water_status_id" in read for read in reads), (
        forced
    )
