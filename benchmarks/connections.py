"""Connection benchmarks: the library against hand-written SQLAlchemy Core.

* **cut via closing its order** (SQLite and PostgreSQL): ``close_executed`` of a
  cut order (service type 242) with its :class:`CutInput`, one order at a time,
  against a baseline transaction doing the same database work: the reads the
  rules need (the order, its type, the closing reason, the property, the price
  table, the meter installed on the connection, the water connection, the cut
  type and reason, the payment-slip guard, the actor's unit) and the same
  writes (the order closed and marked, its unit trail, the property's
  situation, the water connection's cut data, the history row, the charge and
  the outbox rows), with ids it knows in advance. Target: ratio <= 2.
* **reconnect cut properties with real consumption** (UC1073, PostgreSQL):
  ``reconnect_cut_with_real_consumption`` over cut properties of 10 localities
  against a set-based baseline (``UPDATE ... WHERE id IN (SELECT ...)``, bulk
  history insert). Target: the library's rows/s >= 0.5x the baseline's
  (ratio <= 2).

Run alone: ``python -m benchmarks.connections [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.model.connections import CutInput, WaterConnection
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Economies,
    Locality,
    NetworkIndicator,
    Property,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.testing import FixedClock

POSTGRES_URL = os.environ.get(
    "GSAN_CORE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
ACTOR = 7
TODAY = date(2025, 1, 6)
NOW = datetime(2025, 1, 6, 12, tzinfo=UTC)
CUT = CutInput(cut_type_id=1, cut_reason_id=1, seal_number=123)
LOCALITIES = 10


# ---------------------------------------------------------------- backends
@contextmanager
def _backend(kind: str) -> Iterator[tuple[SqlBackend, str | None]]:
    """A fresh, empty backend: a SQLite file, or a new PostgreSQL schema."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="gsan-bench-"))
        backend = SqlBackend.open(f"sqlite:///{folder / 'bench.db'}")
        backend.create_all()
        try:
            yield backend, None
        finally:
            backend.dispose()
        return
    schema = f"gsan_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(sa.schema.CreateSchema(schema))
    backend = SqlBackend.open(engine=engine, schema=schema)
    backend.create_all()
    try:
        yield backend, schema
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def _system(backend: SqlBackend) -> gsan_core.System:
    system = gsan_core.System(
        uow_factory=backend.uow_factory, clock=FixedClock(NOW), backend=backend
    )
    system.seed()
    system.units.register(
        OrganizationalUnit(id=1, name="ESCRITORIO", unit_type_id=12), actor=0
    )
    system.units.register_user(User(id=ACTOR, name="ANA", unit_id=1), actor=0)
    system.properties.load_locations(
        actor=0,
        localities=[Locality(id=n, name=f"L{n}") for n in range(1, LOCALITIES + 1)],
        sectors=[
            CommercialSector(id=n, locality_id=n, code=1)
            for n in range(1, LOCALITIES + 1)
        ],
        blocks=[
            Block(
                id=n,
                locality_id=n,
                sector_id=n,
                number=1,
                water_network=NetworkIndicator.NETWORK,
                sewer_network=NetworkIndicator.NETWORK,
            )
            for n in range(1, LOCALITIES + 1)
        ],
    )
    return system


def _properties(
    system: gsan_core.System, ids: range, *, water: int, sewer: int = 1
) -> None:
    system.properties.load(
        [
            Property(
                id=i,
                locality_id=1 + i % LOCALITIES,
                sector_id=1 + i % LOCALITIES,
                block_id=1 + i % LOCALITIES,
                profile_id=1,
                categories=[Economies(category_id=1, count=1)],
                water_status_id=water,
                sewer_status_id=sewer,
            )
            for i in ids
        ],
        actor=0,
    )
    system.connections.load(
        actor=0,
        water=[
            WaterConnection(
                id=i,
                connected_on=date(2020, 1, 1),
                implanted_on=date(2020, 1, 1),
                diameter_id=1,
                material_id=1,
                profile_id=1,
                cut_on=date(2024, 10, 1) if water == 5 else None,
            )
            for i in ids
        ],
    )


# ---------------------------------------------------------------- the cut
def _cut_by_library(system: gsan_core.System, orders: list[int]) -> float:
    started = time.perf_counter()
    for order_id in orders:
        system.service_orders.close_executed(
            order_id=order_id,
            reason_id=2,
            closed_on=TODAY,
            actor=ACTOR,
            commercial=CUT,
        )
    return time.perf_counter() - started


def _cut_by_hand(
    backend: SqlBackend, orders: list[tuple[int, int]], first_id: int
) -> float:
    """Closing a cut order by hand, one transaction per order: the reads the
    rules need, then the writes."""
    t = backend.tables
    order_t, unit_t, prop_t = t["service_order"], t["order_unit"], t["property"]
    water_t, change_t, charge_t = (
        t["water_connection"],
        t["situation_change"],
        t["charge"],
    )
    outbox_t = t["outbox"]
    close = (
        sa.update(order_t)
        .where(order_t.c.id == sa.bindparam("oid"), order_t.c.version == 1)
        .values(
            situation=2,
            closed_at=NOW,
            closing_reason_id=2,
            commercial_applied=True,
            current_value=Decimal(20),
            charge_percentage=100,
            version=2,
        )
    )
    cut_property = (
        sa.update(prop_t)
        .where(prop_t.c.id == sa.bindparam("pid"), prop_t.c.version == 1)
        .values(water_status_id=5, version=2)
    )
    cut_water = (
        sa.update(water_t)
        .where(water_t.c.id == sa.bindparam("pid"), water_t.c.version == 1)
        .values(cut_on=TODAY, cut_seal=123, cut_type_id=1, cut_reason_id=1, version=2)
    )
    catalog, kinds, prices = (
        t["catalog_item"],
        t["service_type"],
        t["service_charge_value"],
    )
    installs, meters, debts, users = (
        t["hydrometer_installation"],
        t["hydrometer"],
        t["open_debt"],
        t["user"],
    )
    read_order = sa.select(order_t).where(order_t.c.id == sa.bindparam("oid"))
    read_type = sa.select(kinds).where(kinds.c.id == sa.bindparam("tid"))
    read_item = sa.select(catalog).where(
        catalog.c.kind == sa.bindparam("kind"), catalog.c.id == sa.bindparam("iid")
    )
    read_property = sa.select(prop_t).where(prop_t.c.id == sa.bindparam("pid"))
    read_prices = sa.select(prices).where(
        prices.c.service_type_id == sa.bindparam("tid")
    )
    read_meter = sa.select(installs.c.hydrometer_id).where(
        installs.c.property_id == sa.bindparam("pid"),
        installs.c.point == 1,
        installs.c.removed_on.is_(None),
    )
    read_hydrometer = sa.select(meters).where(meters.c.id == sa.bindparam("mid"))
    read_water = sa.select(water_t).where(water_t.c.id == sa.bindparam("pid"))
    read_slip = (
        sa.select(sa.literal(1))
        .where(
            debts.c.property_id == sa.bindparam("pid"),
            debts.c.kind == "payment_slip",
            debts.c.debit_type_id == 7,
            debts.c.issued_on == TODAY,
        )
        .limit(1)
    )
    read_unit = sa.select(users.c.unit_id).where(users.c.id == ACTOR)
    ids = iter(range(first_id, first_id + 10 * len(orders)))
    started = time.perf_counter()
    for order_id, property_id in orders:
        with backend.engine.begin() as connection:
            order = connection.execute(read_order, {"oid": order_id}).one()
            assert order.situation == 1
            connection.execute(read_type, {"tid": order.service_type_id}).one()
            connection.execute(read_item, {"kind": "closing_reason", "iid": 2}).one()
            prop = connection.execute(read_property, {"pid": property_id}).one()
            assert prop.water_status_id == 3
            connection.execute(read_prices, {"tid": order.service_type_id}).all()
            meter = connection.execute(read_meter, {"pid": property_id}).first()
            if meter is not None:
                connection.execute(read_hydrometer, {"mid": meter[0]}).one()
            connection.execute(read_water, {"pid": property_id}).one()
            connection.execute(read_item, {"kind": "cut_type", "iid": 1}).one()
            connection.execute(read_item, {"kind": "cut_reason", "iid": 1}).one()
            assert connection.execute(read_slip, {"pid": property_id}).first() is None
            connection.execute(read_unit).first()
            connection.execute(close, {"oid": order_id})
            connection.execute(
                sa.insert(unit_t),
                [
                    {
                        "id": next(ids),
                        "order_id": order_id,
                        "unit_id": 1,
                        "user_id": ACTOR,
                        "relation": 3,
                        "at": NOW,
                        "version": 1,
                    }
                ],
            )
            connection.execute(cut_property, {"pid": property_id})
            connection.execute(cut_water, {"pid": property_id})
            connection.execute(
                sa.insert(change_t),
                [
                    {
                        "id": next(ids),
                        "property_id": property_id,
                        "kind": "water",
                        "before_id": 3,
                        "after_id": 5,
                        "effective_on": TODAY,
                        "at": NOW,
                        "operation": "water.cut",
                        "order_id": order_id,
                        "actor": ACTOR,
                        "reading": None,
                    }
                ],
            )
            connection.execute(
                sa.insert(charge_t),
                [
                    {
                        "id": next(ids),
                        "property_id": property_id,
                        "debit_type_id": 7,
                        "total": Decimal(20),
                        "installments": 1,
                        "installment_value": Decimal(20),
                        "interest_rate": Decimal(0),
                        "service_order_id": order_id,
                        "service_request_id": None,
                        "generated_at": NOW,
                        "reference": None,
                        "shares": [{"category_id": 1, "economies": 1, "amount": "20"}],
                        "actor": ACTOR,
                    }
                ],
            )
            connection.execute(
                sa.insert(outbox_t),
                [
                    {
                        "id": next(ids),
                        "tag": tag,
                        "occurred_at": NOW,
                        "actor": ACTOR,
                        "payload": {"order_id": order_id, "property_id": property_id},
                        "published_at": None,
                    }
                    for tag in (
                        "connection.operation_applied",
                        "billing.charge_created",
                        "service_order.closed",
                        "service_order.commercial_applied",
                    )
                ],
            )
    return time.perf_counter() - started


def bench_cut(kind: str, *, size: int, rounds: int = 5) -> dict[str, Any]:
    """One cut through closing its order, library vs hand-written writes.

    The two run interleaved in ``rounds`` rounds (the machine is shared: load
    moves both alike); each figure is the median over the rounds of the mean
    time per cut, and the ratio the median of the rounds' ratios.
    """
    if size < 5 + rounds:
        raise ValueError(f"size must be at least {5 + rounds}: 5 cuts warm up")
    with _backend(kind) as (backend, _):
        system = _system(backend)
        _properties(system, range(1, 2 * size + 1), water=3)
        library = [
            system.service_orders.generate(
                service_type_id=242, property_id=i, actor=ACTOR
            ).id
            for i in range(1, size + 1)
        ]
        by_hand = [
            (
                system.service_orders.generate(
                    service_type_id=242, property_id=i, actor=ACTOR
                ).id,
                i,
            )
            for i in range(size + 1, 2 * size + 1)
        ]
        _cut_by_library(system, library[:5])  # warm caches and compiled statements
        _cut_by_hand(backend, by_hand[:5], 10_000_000)
        per_round = (size - 5) // rounds
        library_times: list[float] = []
        baseline_times: list[float] = []
        for n in range(rounds):
            part = slice(5 + n * per_round, 5 + (n + 1) * per_round)
            library_times.append(_cut_by_library(system, library[part]) / per_round)
            baseline_times.append(
                _cut_by_hand(backend, by_hand[part], 20_000_000 + n * 1_000_000)
                / per_round
            )
        assert system.properties.get(5 + per_round).water_status_id == 5
    ratios = [
        lib / base for lib, base in zip(library_times, baseline_times, strict=True)
    ]
    figure = _figure(
        "cut via closing its order",
        kind,
        size,
        statistics.median(library_times),
        statistics.median(baseline_times),
    )
    figure["ratio"] = statistics.median(ratios)
    return figure


# ---------------------------------------------------------------- the batch
def _bulk_town(backend: SqlBackend, size: int) -> None:
    """``size`` cut properties over the localities, with their connections and a
    real billed consumption for 90% of them (set-based inserts)."""
    t = backend.tables
    with backend.engine.begin() as connection:
        for first in range(1, size + 1, 10_000):
            ids = range(first, min(first + 10_000, size + 1))
            connection.execute(
                sa.insert(t["property"]),
                [
                    {
                        "id": i,
                        "locality_id": 1 + i % LOCALITIES,
                        "sector_id": 1 + i % LOCALITIES,
                        "block_id": 1 + i % LOCALITIES,
                        "block_face": None,
                        "route_id": None,
                        "profile_id": 4 if i % 50 == 0 else 1,
                        "categories": [
                            {"category_id": 1, "subcategory_id": None, "count": 1}
                        ],
                        "water_status_id": 5,
                        "sewer_status_id": 5 if i % 3 == 0 else 3,
                        "collection_situation_ids": [],
                        "active": True,
                        "version": 1,
                    }
                    for i in ids
                ],
            )
            connection.execute(
                sa.insert(t["water_connection"]),
                [
                    {
                        "id": i,
                        "connected_on": date(2020, 1, 1),
                        "implanted_on": date(2020, 1, 1),
                        "diameter_id": 1,
                        "material_id": 1,
                        "profile_id": 1,
                        "cut_on": date(2024, 10, 1),
                        "version": 1,
                    }
                    for i in ids
                ],
            )
            connection.execute(
                sa.insert(t["consumption_history"]),
                [
                    {
                        "property_id": i,
                        "reference": 202412,
                        "kind": 1,
                        "consumption_type_id": 1 if i % 7 else 3,
                        "billed_volume": 12,
                        "minimum": 10,
                    }
                    for i in ids
                ],
            )
        if connection.dialect.name == "postgresql":
            for name in ("property", "water_connection", "consumption_history"):
                table = t[name]
                qualified = (
                    f'"{table.schema}"."{table.name}"' if table.schema else table.name
                )
                connection.exec_driver_sql(f"ANALYZE {qualified}")


def _batch_by_hand(backend: SqlBackend) -> tuple[float, int]:
    """UC1073 set-based by hand: per locality, one select of the candidates with
    real consumption, two updates over the same subquery, one history insert."""
    t = backend.tables
    p, w, c = t["property"], t["water_connection"], t["consumption_history"]
    limit = date(2024, 12, 1)
    moved = 0
    next_id = 50_000_000
    started = time.perf_counter()
    for locality in range(1, LOCALITIES + 1):
        with backend.engine.begin() as connection:
            chosen = (
                sa.select(p.c.id, p.c.sewer_status_id)
                .join(w, w.c.id == p.c.id)
                .join(
                    c,
                    sa.and_(
                        c.c.property_id == p.c.id,
                        c.c.reference == 202412,
                        c.c.kind == 1,
                        c.c.consumption_type_id.in_([1]),
                        c.c.billed_volume > 0,
                    ),
                )
                .where(
                    p.c.locality_id == locality,
                    p.c.active.is_(True),
                    p.c.water_status_id.in_([5]),
                    p.c.profile_id.not_in([4]),
                    w.c.cut_on <= limit,
                )
            )
            rows = connection.execute(chosen).all()
            ids = sa.select(chosen.subquery().c.id)
            connection.execute(
                sa.update(p)
                .where(p.c.id.in_(ids))
                .values(
                    water_status_id=3,
                    sewer_status_id=sa.case(
                        (p.c.sewer_status_id == 5, 3), else_=p.c.sewer_status_id
                    ),
                    version=p.c.version + 1,
                )
            )
            connection.execute(
                sa.update(w)
                .where(w.c.id.in_([r[0] for r in rows]))
                .values(reconnected_on=TODAY, version=w.c.version + 1)
            )
            history = []
            for property_id, sewer in rows:
                history.append(_history_row(next_id, property_id, "water", 5))
                next_id += 1
                if sewer == 5:
                    history.append(_history_row(next_id, property_id, "sewer", 5))
                    next_id += 1
            if history:
                connection.execute(sa.insert(t["situation_change"]), history)
            connection.execute(
                sa.insert(t["outbox"]),
                [
                    {
                        "id": next_id,
                        "tag": "connection.batch_applied",
                        "occurred_at": NOW,
                        "actor": ACTOR,
                        "payload": {"locality_id": locality, "count": len(rows)},
                        "published_at": None,
                    }
                ],
            )
            next_id += 1
            moved += len(rows)
    return time.perf_counter() - started, moved


def _history_row(
    ident: int, property_id: int, kind: str, before: int
) -> dict[str, Any]:
    return {
        "id": ident,
        "property_id": property_id,
        "kind": kind,
        "before_id": before,
        "after_id": 3,
        "effective_on": TODAY,
        "at": NOW,
        "operation": "water.reconnect_by_consumption",
        "order_id": None,
        "actor": ACTOR,
        "reading": None,
    }


def bench_batch(kind: str, *, size: int, rounds: int = 3) -> dict[str, Any]:
    """UC1073 over ``size`` cut properties, library vs set-based baseline, each on
    fresh data, interleaved over ``rounds`` rounds (medians)."""
    library_times: list[float] = []
    baseline_times: list[float] = []
    rows = 0
    for _ in range(rounds):
        with _backend(kind) as (backend, _):
            system = _system(backend)
            _bulk_town(backend, size)
            started = time.perf_counter()
            summary = system.connections.reconnect_cut_with_real_consumption(
                reference=202412, actor=ACTOR
            )
            library_times.append(time.perf_counter() - started)
            rows = summary.changed
        with _backend(kind) as (backend, _):
            _system(backend)
            _bulk_town(backend, size)
            baseline_s, baseline_rows = _batch_by_hand(backend)
            baseline_times.append(baseline_s)
        assert rows == baseline_rows, (rows, baseline_rows)
    library_s = statistics.median(library_times)
    baseline_s = statistics.median(baseline_times)
    figure = _figure(
        "reconnect cut with real consumption", kind, size, library_s, baseline_s
    )
    figure["rate"] = rows / library_s
    figure["baseline_rate"] = rows / baseline_s
    figure["rows"] = rows
    return figure


def _figure(
    name: str, backend: str, size: int, library_s: float, baseline_s: float
) -> dict[str, Any]:
    return {
        "area": "connections",
        "name": name,
        "backend": backend,
        "size": size,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "rate": 1 / library_s,
    }


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return False
    return True


def run(quick: bool = False) -> list[dict[str, Any]]:
    """Every connection figure (PostgreSQL ones when the server answers)."""
    cuts = 30 if quick else 200
    batch = 10_000 if quick else 100_000
    backends = ["sqlite"] + (["postgresql"] if _postgres_available() else [])
    figures = [bench_cut(kind, size=cuts) for kind in backends]
    if "postgresql" in backends:
        figures.append(bench_batch("postgresql", size=batch))
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    from benchmarks.harness import render  # noqa: PLC0415

    print(render(run(quick=args.quick)))


if __name__ == "__main__":
    main()
