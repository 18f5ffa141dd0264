"""Hydrometer benchmarks, each beside a hand-written SQLAlchemy Core baseline
doing the same database work.

* ``insert_range``: "Inserir Hidrômetro" of a 100,000-meter number range (the
  exact-number duplicate check, the ids, the rows, the event); target: at least
  0.7x the baseline's rows/s, i.e. ``ratio`` = library / baseline time <= 1.43;
* ``move``: one stock movement of 10,000 meters into a workshop (read, check,
  compare-and-set update of every meter, the document, its lines, the event);
  target ``ratio`` <= 1.43;
* ``replace_by_order``: closing one replacement order (310): the order, the
  meter swap, the charge, the unit trail and the outbox, vs one hand-written
  transaction with the same reads and writes; target ``ratio`` <= 2.

Run alone with ``python -m benchmarks.hydrometers [--quick]``. PostgreSQL comes
from ``GSAN_CORE_BENCH_POSTGRES_URL`` or ``GSAN_CORE_TEST_POSTGRES_URL`` (SQLite
when no server answers); each run works in its own schema, dropped at the end.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from datetime import time as clock_time
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from benchmarks.harness import render
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.schema import Tables, build_tables
from gsan_core.model.billing import ChargeCreated
from gsan_core.model.hydrometers import (
    HydrometerReplaced,
    HydrometersInserted,
    HydrometersMoved,
    InstallHydrometer,
    MeasurementPoint,
    ReplaceHydrometer,
)
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    ServiceOrderClosed,
)
from gsan_core.system import System
from gsan_core.testing import FixedClock
from gsan_core.testing.hydrometers import METER, meter_lab

AREA = "hydrometers"
NOW = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
TODAY = date(2025, 1, 6)
WATER = MeasurementPoint.WATER_CONNECTION
REPLACE_TYPE = 310
EXECUTED = 2
ACTOR = 1


def postgres_url() -> str:
    """The server the PostgreSQL figures use."""
    return (
        os.environ.get("GSAN_CORE_BENCH_POSTGRES_URL")
        or os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


@attrs.define
class Scratch:
    """An empty library schema, dropped by :func:`scratch`."""

    backend: SqlBackend
    dialect: str

    @property
    def engine(self) -> sa.Engine:
        return self.backend.engine

    @property
    def tables(self) -> Tables:
        return self.backend.tables

    def system(self) -> System:
        gsan = System(
            uow_factory=self.backend.uow_factory,
            clock=FixedClock(NOW),
            keep_events=False,
        )
        gsan.seed()
        return gsan

    def truncate(self, *names: str) -> None:
        with self.engine.begin() as connection:
            for name in names:
                connection.execute(sa.delete(self.tables[name]))
        if self.dialect == "postgresql":
            with self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            ) as connection:
                tables = ", ".join(
                    f'"{self.tables.schema}"."{self.tables[n].name}"' for n in names
                )
                connection.exec_driver_sql(f"VACUUM ANALYZE {tables}")


def _dialect() -> str:
    try:
        engine = create_engine(postgres_url())
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return "sqlite"
    return "postgresql"


@contextmanager
def scratch(dialect: str) -> Iterator[Scratch]:
    """A fresh schema on PostgreSQL, or a fresh SQLite file."""
    if dialect == "postgresql":
        engine = create_engine(postgres_url(), pool_size=2)
        schema = f"gsan_bench_{uuid.uuid4().hex[:10]}"
        with engine.begin() as connection:
            connection.execute(sa.schema.CreateSchema(schema))
        backend = SqlBackend(engine, tables=build_tables(schema=schema))
        try:
            backend.create_all()
            yield Scratch(backend, dialect)
        finally:
            with engine.begin() as connection:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            engine.dispose()
        return
    with tempfile.TemporaryDirectory(prefix="gsan-bench-") as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        backend = SqlBackend(engine, tables=build_tables(), owns_engine=True)
        try:
            backend.create_all()
            yield Scratch(backend, dialect)
        finally:
            backend.dispose()


def _figure(
    name: str, dialect: str, size: int, library: float, baseline: float
) -> dict[str, object]:
    return {
        "area": AREA,
        "name": name,
        "backend": dialect,
        "size": size,
        "library_s": library,
        "baseline_s": baseline,
        "ratio": library / baseline,
        "rate": size / library,
    }


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _outbox(
    connection: sa.Connection, tables: Tables, ids: list[int], events: list[Any]
) -> None:
    connection.execute(
        sa.insert(tables["outbox"]),
        [
            {
                "id": ident,
                "tag": type(event).tag,
                "occurred_at": event.occurred_at,
                "actor": event.actor,
                "payload": serialization.to_dict(event),
                "published_at": None,
            }
            for ident, event in zip(ids, events, strict=True)
        ],
    )


def _reserve(connection: sa.Connection, tables: Tables, kind: str, count: int) -> int:
    """The baseline's ids: one ``UPDATE ... RETURNING`` on the id-block row (for
    the outbox, on its gap-free counter, as the library does)."""
    if kind == "outbox":
        counter = tables["counter"]
        last = connection.execute(
            sa.update(counter)
            .where(counter.c.name == kind)
            .values(value=counter.c.value + count)
            .returning(counter.c.value)
        ).scalar()
        if last is None:
            connection.execute(sa.insert(counter).values(name=kind, value=count))
            return 1
        return int(last) - count + 1
    table = tables["id_block"]
    bump = (
        sa.update(table)
        .where(table.c.name == kind)
        .values(next_value=table.c.next_value + count)
        .returning(table.c.next_value)
    )
    after = connection.execute(bump).scalar()
    if after is None:
        connection.execute(sa.insert(table).values(name=kind, next_value=1 + count))
        return 1
    return int(after) - count


# ================================================================ insert_range
def _meter_row(ident: int, number: str, situation: int) -> dict[str, Any]:
    return {
        "id": ident,
        "number": number,
        "acquired_on": METER.acquired_on,
        "manufacture_year": 2024,
        "purpose": int(METER.purpose),
        "reading_digits": METER.reading_digits,
        "type_id": METER.type_id,
        "situation_id": situation,
        "brand_id": METER.brand_id,
        "capacity_id": METER.capacity_id,
        "diameter_id": METER.diameter_id,
        "metrological_class_id": METER.metrological_class_id,
        "register_id": None,
        "location_id": 1,
        "turbine_type_id": None,
        "last_revision_on": None,
        "written_off_on": None,
        "write_off_reason_id": None,
        "accumulated_reading": 0,
        "transition_flow": None,
        "nominal_flow": None,
        "minimum_flow": None,
        "invoice_number": None,
        "warranty_years": None,
        "version": 1,
    }


def _baseline_insert(scratch: Scratch, fixed: str, size: int) -> None:
    tables = scratch.tables
    meters = tables["hydrometer"]
    numbers = [f"{fixed}{n:06d}" for n in range(1, size + 1)]
    with scratch.engine.begin() as connection:
        existing = connection.execute(
            sa.select(meters.c.number).where(
                meters.c.number >= numbers[0],
                meters.c.number <= numbers[-1],
                sa.func.length(meters.c.number) == len(numbers[0]),
            )
        ).scalars()
        assert not set(existing) & set(numbers)
        first = _reserve(connection, tables, "hydrometer", size)
        rows = [_meter_row(first + i, n, 3) for i, n in enumerate(numbers)]
        for start in range(0, size, 5_000):
            connection.execute(sa.insert(meters), rows[start : start + 5_000])
        event = HydrometersInserted(
            occurred_at=NOW,
            actor=ACTOR,
            count=size,
            first_id=first,
            last_id=first + size - 1,
            first_number=numbers[0],
            last_number=numbers[-1],
            location_id=1,
        )
        _outbox(
            connection, tables, [_reserve(connection, tables, "outbox", 1)], [event]
        )


def bench_insert(dialect: str, size: int, repeats: int) -> dict[str, object]:
    """``insert_range`` of ``size`` meters, best of ``repeats``."""
    with scratch(dialect) as s:
        gsan = s.system()
        library, baseline = [], []
        for _ in range(repeats):
            s.truncate("hydrometer")
            library.append(
                _timed(
                    lambda: gsan.hydrometers.insert_range(
                        fixed="B24A",
                        first=1,
                        last=size,
                        attributes=METER,
                        location_id=1,
                        actor=ACTOR,
                    )
                )
            )
            s.truncate("hydrometer")
            baseline.append(_timed(lambda: _baseline_insert(s, "B24A", size)))
        return _figure("insert_range", dialect, size, min(library), min(baseline))


# ================================================================ move
def _baseline_move(scratch: Scratch, ids: list[int], destination: int) -> None:
    tables = scratch.tables
    meters = tables["hydrometer"]
    update = (
        sa.update(meters)
        .where(
            meters.c.id == sa.bindparam("k_id"),
            meters.c.version == sa.bindparam("k_version"),
        )
        .values(
            location_id=sa.bindparam("v_location"),
            situation_id=sa.bindparam("v_situation"),
            version=sa.bindparam("v_version"),
        )
    )
    with scratch.engine.begin() as connection:
        found: list[sa.Row[Any, Any, Any, Any]] = []
        for start in range(0, len(ids), 1_000):
            found += connection.execute(
                sa.select(
                    meters.c.id,
                    meters.c.version,
                    meters.c.location_id,
                    meters.c.situation_id,
                ).where(meters.c.id.in_(ids[start : start + 1_000]))
            ).all()
        origins = {row.location_id for row in found}
        assert len(found) == len(ids)
        assert len(origins) == 1
        assert destination not in origins
        assert all(row.situation_id != 1 for row in found)
        params = [
            {
                "k_id": row.id,
                "k_version": row.version,
                "v_location": destination,
                "v_situation": 2,
                "v_version": row.version + 1,
            }
            for row in found
        ]
        for start in range(0, len(params), 1_000):
            batch = params[start : start + 1_000]
            assert connection.execute(update, batch).rowcount == len(batch)
        movement = _reserve(connection, tables, "hydrometer_movement", 1)
        connection.execute(
            sa.insert(tables["hydrometer_movement"]),
            [
                {
                    "id": movement,
                    "moved_at": NOW,
                    "reason_id": 1,
                    "origin_id": origins.pop(),
                    "destination_id": destination,
                    "situation_id": 2,
                    "remark": None,
                    "count": len(ids),
                    "actor": ACTOR,
                    "registered_at": NOW,
                    "version": 1,
                }
            ],
        )
        lines = [{"movement_id": movement, "hydrometer_id": i} for i in ids]
        for start in range(0, len(lines), 5_000):
            connection.execute(
                sa.insert(tables["hydrometer_movement_line"]),
                lines[start : start + 5_000],
            )
        event = HydrometersMoved(
            occurred_at=NOW,
            actor=ACTOR,
            movement_id=movement,
            count=len(ids),
            origin_id=1,
            destination_id=destination,
            situation_id=2,
        )
        _outbox(
            connection, tables, [_reserve(connection, tables, "outbox", 1)], [event]
        )


def _library_move(gsan: System, ids: list[int], size: int) -> None:
    """The library moves the first ``size`` of ``ids`` into the workshop."""
    gsan.hydrometers.move(
        hydrometer_ids=ids[:size],
        destination_id=3,
        reason_id=1,
        moved_on=TODAY,
        moved_time=clock_time(9),
        actor=ACTOR,
    )


def _baseline_move_rest(scratch: Scratch, ids: list[int], size: int) -> None:
    """The baseline moves the rest of ``ids`` (past ``size``) the same way."""
    _baseline_move(scratch, ids[size:], 3)


def bench_move(dialect: str, size: int, repeats: int) -> dict[str, object]:
    """One movement of ``size`` meters into the workshop, best of ``repeats``."""
    with scratch(dialect) as s:
        gsan = s.system()
        library, baseline = [], []
        for _ in range(repeats):
            s.truncate("hydrometer_movement_line", "hydrometer_movement", "hydrometer")
            inserted = gsan.hydrometers.insert_range(
                fixed="B24A",
                first=1,
                last=2 * size,
                attributes=METER,
                location_id=1,
                actor=1,
            )
            ids = list(range(inserted.first_id, inserted.last_id + 1))
            library.append(_timed(partial(_library_move, gsan, ids, size)))
            baseline.append(_timed(partial(_baseline_move_rest, s, ids, size)))
        return _figure("move", dialect, size, min(library), min(baseline))


# ================================================================ replace_by_order
@attrs.frozen
class _Case:
    property_id: int
    order_id: int
    incoming: str


def _prepare_replacements(gsan: System, count: int) -> list[_Case]:
    """``count`` properties with a meter installed, a spare meter each and a
    pending replacement order."""
    lab = meter_lab(gsan, connected=count)
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=2 * count, attributes=METER, location_id=1, actor=1
    )
    cases = []
    for index, prop in enumerate(lab.connected):
        install = gsan.service_orders.generate(
            service_type_id=304, property_id=prop, actor=ACTOR
        )
        gsan.service_orders.close_executed(
            order_id=install.id,
            reason_id=EXECUTED,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=InstallHydrometer(
                number=f"B24A{index + 1:06d}", place_id=1, protection_id=6
            ),
        )
        order = gsan.service_orders.generate(
            service_type_id=REPLACE_TYPE, property_id=prop, actor=ACTOR
        )
        cases.append(_Case(prop, order.id, f"B24A{count + index + 1:06d}"))
    return cases


def _replacement(case: _Case) -> ReplaceHydrometer:
    return ReplaceHydrometer(
        removal_reading=120,
        outgoing_situation_id=2,
        outgoing_location_id=3,
        number=case.incoming,
        reading=0,
        place_id=1,
        protection_id=6,
    )


def _baseline_replace(scratch: Scratch, case: _Case) -> None:
    """The same reads and writes as closing the order, by hand."""
    t = scratch.tables
    orders, types, installs, meters = (
        t["service_order"],
        t["service_type"],
        t["hydrometer_installation"],
        t["hydrometer"],
    )
    catalog, props = t["catalog_item"], t["property"]

    def item(connection: sa.Connection, kind: str, ident: int) -> Any:
        return connection.execute(
            sa.select(catalog).where(catalog.c.kind == kind, catalog.c.id == ident)
        ).first()

    with scratch.engine.begin() as connection:
        order = connection.execute(
            sa.select(orders).where(orders.c.id == case.order_id)
        ).first()
        assert order is not None
        assert order.situation == 1
        kind = connection.execute(
            sa.select(types).where(types.c.id == order.service_type_id)
        ).first()
        assert kind is not None
        assert item(connection, "closing_reason", EXECUTED) is not None
        prop = connection.execute(
            sa.select(props).where(props.c.id == case.property_id)
        ).first()
        assert prop is not None
        assert prop.active
        lock = connection.execute(
            sa.select(t["field_lock"].c.reference)
            .select_from(
                props.join(
                    t["field_lock"], t["field_lock"].c.route_id == props.c.route_id
                )
            )
            .where(props.c.id == case.property_id)
        ).first()
        assert lock is None
        current = connection.execute(
            sa.select(installs).where(
                installs.c.property_id == case.property_id,
                installs.c.point == int(WATER),
                installs.c.removed_on.is_(None),
            )
        ).first()
        assert current is not None
        outgoing = connection.execute(
            sa.select(meters).where(meters.c.id == current.hydrometer_id)
        ).first()
        incoming = connection.execute(
            sa.select(meters).where(meters.c.number == case.incoming)
        ).first()
        assert outgoing is not None
        assert incoming is not None
        assert incoming.situation_id == 3
        for kind_name, ident in (
            ("hydrometer_situation", 2),
            ("hydrometer_stock_location", 3),
            ("hydrometer_installation_place", 1),
            ("hydrometer_protection", 6),
        ):
            assert item(connection, kind_name, ident) is not None
        prices = connection.execute(
            sa.select(t["service_charge_value"]).where(
                t["service_charge_value"].c.service_type_id == kind.id
            )
        ).all()
        assert not prices
        slip = connection.execute(
            sa.select(t["open_debt"].c.id).where(
                t["open_debt"].c.property_id == case.property_id,
                t["open_debt"].c.kind == "payment_slip",
            )
        ).first()
        assert slip is None
        connection.execute(
            sa.update(installs)
            .where(installs.c.id == current.id, installs.c.version == current.version)
            .values(
                removed_on=TODAY,
                removal_reading=120,
                removed_by=ACTOR,
                version=current.version + 1,
            )
        )
        connection.execute(
            sa.update(meters)
            .where(meters.c.id == outgoing.id, meters.c.version == outgoing.version)
            .values(situation_id=2, location_id=3, version=outgoing.version + 1)
        )
        new_id = _reserve(connection, t, "hydrometer_installation", 1)
        connection.execute(
            sa.insert(installs),
            [
                {
                    **current._asdict(),
                    "id": new_id,
                    "hydrometer_id": incoming.id,
                    "installed_on": TODAY,
                    "installation_reading": 0,
                    "registered_at": NOW,
                    "origin": 2,
                    "removed_on": None,
                    "removal_reading": None,
                    "removed_by": None,
                    "version": 1,
                }
            ],
        )
        connection.execute(
            sa.update(meters)
            .where(meters.c.id == incoming.id, meters.c.version == incoming.version)
            .values(situation_id=1, version=incoming.version + 1)
        )
        charge_id = _reserve(connection, t, "charge", 1)
        connection.execute(
            sa.insert(t["charge"]),
            [
                {
                    "id": charge_id,
                    "property_id": case.property_id,
                    "debit_type_id": kind.debit_type_id,
                    "total": kind.value,
                    "installments": 1,
                    "installment_value": kind.value,
                    "interest_rate": Decimal(0),
                    "service_order_id": order.id,
                    "service_request_id": None,
                    "generated_at": NOW,
                    "reference": None,
                    "shares": [
                        {"category_id": 1, "economies": 1, "amount": str(kind.value)}
                    ],
                    "actor": ACTOR,
                }
            ],
        )
        connection.execute(
            sa.update(orders)
            .where(orders.c.id == order.id, orders.c.version == order.version)
            .values(
                situation=2,
                closed_at=NOW,
                closing_reason_id=EXECUTED,
                commercial_applied=True,
                current_value=kind.value,
                charge_percentage=100,
                version=order.version + 1,
            )
        )
        connection.execute(
            sa.insert(t["order_unit"]),
            [
                {
                    "id": _reserve(connection, t, "order_unit", 1),
                    "order_id": order.id,
                    "unit_id": None,
                    "user_id": ACTOR,
                    "relation": 3,
                    "at": NOW,
                    "version": 1,
                }
            ],
        )
        events = [
            ServiceOrderClosed(
                occurred_at=NOW,
                actor=ACTOR,
                order_id=order.id,
                closing_reason_id=EXECUTED,
                executed=True,
                closed_at=NOW,
            ),
            CommercialOperationApplied(
                occurred_at=NOW,
                actor=ACTOR,
                order_id=order.id,
                operation="hydrometer.replace",
                property_id=case.property_id,
                via_closing=True,
            ),
            HydrometerReplaced(
                occurred_at=NOW,
                actor=ACTOR,
                property_id=case.property_id,
                point=WATER,
                replaced_on=TODAY,
                outgoing_installation_id=current.id,
                outgoing_hydrometer_id=outgoing.id,
                incoming_installation_id=new_id,
                incoming_hydrometer_id=incoming.id,
            ),
            ChargeCreated(
                occurred_at=NOW,
                actor=ACTOR,
                charge_id=charge_id,
                property_id=case.property_id,
                total=kind.value,
                service_order_id=order.id,
            ),
        ]
        first = _reserve(connection, t, "outbox", len(events))
        _outbox(connection, t, list(range(first, first + len(events))), events)


def _library_replace(gsan: System, case: _Case) -> None:
    """The library closes the case's order, replacing its meter."""
    gsan.service_orders.close_executed(
        order_id=case.order_id,
        reason_id=EXECUTED,
        closed_on=TODAY,
        actor=ACTOR,
        commercial=_replacement(case),
    )


def bench_replace(dialect: str, count: int) -> dict[str, object]:
    """Closing one replacement order: the median of ``count`` closings each way,
    library and baseline interleaved so both see the same machine load."""
    with scratch(dialect) as s:
        gsan = s.system()
        cases = _prepare_replacements(gsan, 2 * count)
        library, baseline = [], []
        for mine, theirs in zip(cases[:count], cases[count:], strict=True):
            library.append(_timed(partial(_library_replace, gsan, mine)))
            baseline.append(_timed(partial(_baseline_replace, s, theirs)))
        return _figure(
            "replace_by_order",
            dialect,
            1,
            statistics.median(library),
            statistics.median(baseline),
        )


def run(quick: bool = False) -> list[dict[str, object]]:
    """The hydrometer figures (PostgreSQL when a server answers, else SQLite)."""
    dialect = _dialect()
    if quick:
        return [
            bench_insert(dialect, 10_000, 1),
            bench_move(dialect, 1_000, 1),
            bench_replace(dialect, 10),
        ]
    return [
        bench_insert(dialect, 100_000, 5),
        bench_move(dialect, 10_000, 7),
        bench_replace(dialect, 100),
    ]


if __name__ == "__main__":
    print(render(run(quick="--quick" in sys.argv[1:])))
