"""Service-order benchmarks, each beside a hand-written SQLAlchemy Core baseline
doing the same database work.

* ``close_overdue``: UC0734 over N pending orders of one type (100,000 on
  PostgreSQL; target: the library closes at least half as many orders per
  second as the baseline, i.e. ``ratio`` = library / baseline time <= 2);
* ``close_with_operation``: closing one order whose type runs a commercial
  operation (a cut-like update of the property), its charge, unit trail and
  outbox rows, vs one hand-written transaction with the same reads and writes
  (target: ``ratio`` <= 2).

Run alone with ``python -m benchmarks.orders [--quick]``. PostgreSQL comes from
``GSAN_CORE_BENCH_POSTGRES_URL`` or ``GSAN_CORE_TEST_POSTGRES_URL``; each run
works in its own schema, dropped at the end.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from benchmarks.harness import render
from gsan_core import profiles, serialization
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.schema import Tables, build_tables
from gsan_core.model.billing import ChargeCreated
from gsan_core.model.service_orders import (
    CommercialOperationApplied,
    OrderSituation,
    ServiceOrder,
    ServiceOrderClosed,
    ServiceType,
)
from gsan_core.services.operations import OperationCall
from gsan_core.system import System, default_operations
from gsan_core.testing import FixedClock
from gsan_core.testing.town import load_town, small_town

AREA = "orders"
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=400)
OVERDUE_TYPE = 990
CUT_TYPE = 991
ACTOR = 102
UNIT = 102
EXECUTED = 2
OVERDUE_REASON = 32
CUT_STATUS = 5


def postgres_url() -> str:
    """The server the PostgreSQL figures use."""
    return (
        os.environ.get("GSAN_CORE_BENCH_POSTGRES_URL")
        or os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


# ---------------------------------------------------------------- scratch databases
@attrs.define
class Scratch:
    """An empty library schema of one backend, dropped by :func:`scratch`."""

    backend: SqlBackend
    dialect: str

    @property
    def engine(self) -> sa.Engine:
        return self.backend.engine

    @property
    def tables(self) -> Tables:
        return self.backend.tables

    def system(self, **options: Any) -> System:
        """A seeded system over the scratch schema, with the benchmark types."""
        gsan = System(
            uow_factory=self.backend.uow_factory,
            profile=_profile(),
            clock=FixedClock(NOW),
            **options,
        )
        gsan.seed()
        return gsan

    def vacuum(self) -> None:
        """Reclaim dead rows and refresh statistics (PostgreSQL)."""
        if self.dialect != "postgresql":
            return
        names = ", ".join(
            f'"{self.tables.schema}"."{self.tables[n].name}"'
            for n in ("service_order", "order_unit", "property", "charge", "outbox")
        )
        with self.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.exec_driver_sql(f"VACUUM ANALYZE {names}")


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


def _profile() -> profiles.LoadedProfile:
    loaded = profiles.default()
    roles = {k: set(v) for k, v in loaded.profile.roles.items()}
    roles["service_type.overdue_closable"] = {OVERDUE_TYPE}
    return attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))


def _figure(
    name: str, backend: str, size: int, library: float, baseline: float, rate: float
) -> dict[str, object]:
    return {
        "area": AREA,
        "name": name,
        "backend": backend,
        "size": size,
        "library_s": library,
        "baseline_s": baseline,
        "ratio": library / baseline,
        "rate": rate,
    }


# ---------------------------------------------------------------- overdue closing
def _load_pending(gsan: System, size: int) -> None:
    gsan.service_orders.add_type(
        ServiceType(
            id=OVERDUE_TYPE, description="INSTALACAO BENCH", abbreviation="INST B"
        ),
        actor=0,
    )
    load_town(gsan, small_town(properties=10), actor=0)
    step = 10_000
    for first in range(1, size + 1, step):
        with gsan.uow_factory() as uow:
            uow.service_orders.add_many(
                ServiceOrder(
                    id=ident,
                    service_type_id=OVERDUE_TYPE,
                    generated_at=OLD + timedelta(seconds=ident),
                    current_unit_id=UNIT,
                )
                for ident in range(first, min(first + step, size + 1))
            )
            uow.commit()


def _reopen(db: Scratch) -> None:
    orders, trail = db.tables["service_order"], db.tables["order_unit"]
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(orders).values(
                situation=int(OrderSituation.PENDING),
                closing_reason_id=None,
                closed_at=None,
                version=1,
            )
        )
        connection.execute(sa.delete(trail))
    db.vacuum()


def baseline_close_overdue(
    engine: sa.Engine,
    tables: Tables,
    *,
    before: datetime,
    chunk: int = 1_000,
    service_type_id: int = OVERDUE_TYPE,
    unit_id: int = UNIT,
    actor: int = ACTOR,
    now: datetime = NOW,
) -> int:
    """UC0734 by hand: per chunk one select of pending ids, one update that
    closes them, one insert of their unit-trail rows, and a commit."""
    orders, trail = tables["service_order"], tables["order_unit"]
    with engine.connect() as connection:
        next_id = (
            int(
                connection.execute(
                    sa.select(sa.func.coalesce(sa.func.max(trail.c.id), 0))
                ).scalar_one()
            )
            + 1
        )
    closed_total = 0
    while True:
        with engine.begin() as connection:
            ids = (
                connection.execute(
                    sa.select(orders.c.id)
                    .where(
                        orders.c.service_type_id == service_type_id,
                        orders.c.situation == int(OrderSituation.PENDING),
                        orders.c.generated_at < before,
                    )
                    .order_by(orders.c.id)
                    .limit(chunk)
                )
                .scalars()
                .all()
            )
            if not ids:
                return closed_total
            closed = (
                connection.execute(
                    sa.update(orders)
                    .where(
                        orders.c.id.in_(ids),
                        orders.c.situation == int(OrderSituation.PENDING),
                    )
                    .values(
                        situation=int(OrderSituation.CLOSED),
                        closing_reason_id=OVERDUE_REASON,
                        closed_at=now,
                        closing_remark=None,
                        version=orders.c.version + 1,
                    )
                    .returning(orders.c.id)
                )
                .scalars()
                .all()
            )
            connection.execute(
                sa.insert(trail),
                [
                    {
                        "id": next_id + k,
                        "order_id": order_id,
                        "unit_id": unit_id,
                        "user_id": actor,
                        "relation": 3,
                        "at": now,
                        "version": 1,
                    }
                    for k, order_id in enumerate(closed)
                ],
            )
        next_id += len(closed)
        closed_total += len(closed)


def measure_close_overdue(dialect: str, size: int) -> dict[str, object]:
    """Close ``size`` overdue orders with the library, then with the baseline."""
    with scratch(dialect) as db:
        gsan = db.system()
        _load_pending(gsan, size)
        db.vacuum()
        started = time.perf_counter()
        summary = gsan.service_orders.close_overdue(
            service_type_id=OVERDUE_TYPE, days=10, actor=ACTOR
        )
        library = time.perf_counter() - started
        assert summary.changed == size, summary
        _reopen(db)
        cutoff = NOW - timedelta(days=99)
        started = time.perf_counter()
        closed = baseline_close_overdue(db.engine, db.tables, before=cutoff)
        baseline = time.perf_counter() - started
        assert closed == size, closed
    return _figure("close_overdue", dialect, size, library, baseline, size / library)


# ---------------------------------------------------------------- closing one order
@attrs.define
class CutLike:
    """A commercial operation that cuts the property's water (one read, one update)."""

    key: str = "bench.cut"
    title: str = "cut"
    title_pt: str = "corte"
    input_type: type | None = None
    menu_variant: Any = "strict"
    charges: bool = True

    def run(self, call: OperationCall) -> None:
        prop = call.uow.properties.get(call.property_id)
        call.uow.properties.update(
            attrs.evolve(prop, water_status_id=CUT_STATUS, version=prop.version + 1)
        )


def _orders_to_close(gsan: System, count: int) -> list[int]:
    gsan.service_orders.add_type(
        ServiceType(
            id=CUT_TYPE,
            description="CORTE BENCH",
            abbreviation="CORTE B",
            updates_commercial=True,
            operation="bench.cut",
            debit_type_id=7,
            value=Decimal("30.00"),
        ),
        actor=0,
    )
    town = small_town(properties=2 * count)
    load_town(gsan, town, actor=0)
    return [
        gsan.service_orders.generate(
            service_type_id=CUT_TYPE, property_id=p.id, actor=ACTOR
        ).id
        for p in town.properties
    ]


class _Ids:
    """Client-side ids of the baseline (what an application would keep)."""

    def __init__(self, engine: sa.Engine, tables: Tables) -> None:
        self._next: dict[str, int] = {}
        with engine.connect() as connection:
            for name in ("order_unit", "charge", "outbox"):
                table = tables[name]
                top = connection.execute(
                    sa.select(sa.func.coalesce(sa.func.max(table.c.id), 0))
                ).scalar_one()
                self._next[name] = int(top) + 1_000_000

    def take(self, name: str, count: int = 1) -> int:
        first = self._next[name]
        self._next[name] = first + count
        return first


def baseline_close_one(
    engine: sa.Engine, tables: Tables, ids: _Ids, order_id: int
) -> None:
    """Closing with a commercial operation by hand, in one transaction: read the
    order, its type, the reason and the property; cut the property; close the
    order (compare-and-set); add its unit-trail row, its charge and three outbox
    events."""
    orders, types, catalog = (
        tables["service_order"],
        tables["service_type"],
        tables["catalog_item"],
    )
    props, trail = tables["property"], tables["order_unit"]
    charges, outbox = tables["charge"], tables["outbox"]
    with engine.begin() as connection:
        order = (
            connection.execute(sa.select(orders).where(orders.c.id == order_id))
            .mappings()
            .one()
        )
        stype = (
            connection.execute(
                sa.select(types).where(types.c.id == order["service_type_id"])
            )
            .mappings()
            .one()
        )
        connection.execute(
            sa.select(catalog).where(
                catalog.c.kind == "closing_reason", catalog.c.id == EXECUTED
            )
        ).mappings().one()
        prop = (
            connection.execute(
                sa.select(props).where(props.c.id == order["property_id"])
            )
            .mappings()
            .one()
        )
        connection.execute(
            sa.update(props)
            .where(props.c.id == prop["id"], props.c.version == prop["version"])
            .values(water_status_id=CUT_STATUS, version=prop["version"] + 1)
        )
        value = Decimal(stype["value"])
        result = connection.execute(
            sa.update(orders)
            .where(orders.c.id == order_id, orders.c.version == order["version"])
            .values(
                situation=int(OrderSituation.CLOSED),
                closed_at=NOW,
                closing_reason_id=EXECUTED,
                commercial_applied=True,
                current_value=value,
                charge_percentage=100,
                version=order["version"] + 1,
            )
        )
        assert result.rowcount == 1
        connection.execute(
            sa.insert(trail).values(
                id=ids.take("order_unit"),
                order_id=order_id,
                unit_id=UNIT,
                user_id=ACTOR,
                relation=3,
                at=NOW,
                version=1,
            )
        )
        categories = prop["categories"]
        if isinstance(categories, str):
            categories = json.loads(categories)
        charge_id = ids.take("charge")
        connection.execute(
            sa.insert(charges).values(
                id=charge_id,
                property_id=prop["id"],
                debit_type_id=stype["debit_type_id"],
                total=value,
                installments=1,
                installment_value=value,
                interest_rate=Decimal(0),
                service_order_id=order_id,
                service_request_id=None,
                generated_at=NOW,
                reference=None,
                shares=[
                    {
                        "category_id": c["category_id"],
                        "economies": c["count"],
                        "amount": str(value),
                    }
                    for c in categories[:1]
                ],
                actor=ACTOR,
            )
        )
        events = [
            ServiceOrderClosed(
                occurred_at=NOW,
                actor=ACTOR,
                order_id=order_id,
                closing_reason_id=EXECUTED,
                executed=True,
                closed_at=NOW,
            ),
            CommercialOperationApplied(
                occurred_at=NOW,
                actor=ACTOR,
                order_id=order_id,
                operation="bench.cut",
                property_id=prop["id"],
                via_closing=True,
            ),
            ChargeCreated(
                occurred_at=NOW,
                actor=ACTOR,
                charge_id=charge_id,
                property_id=prop["id"],
                total=value,
                service_order_id=order_id,
            ),
        ]
        first = ids.take("outbox", len(events))
        connection.execute(
            sa.insert(outbox),
            [
                {
                    "id": first + k,
                    "tag": type(event).tag,
                    "occurred_at": event.occurred_at,
                    "actor": event.actor,
                    "payload": serialization.to_dict(event),
                    "published_at": None,
                }
                for k, event in enumerate(events)
            ],
        )


def _interleaved(
    library: list[Callable[[], object]], baseline: list[Callable[[], object]]
) -> tuple[float, float]:
    """Median durations, running library and baseline calls alternately so the
    server's background load falls on both alike."""
    durations: tuple[list[float], list[float]] = ([], [])
    for pair in zip(library, baseline, strict=True):
        for side, call in enumerate(pair):
            started = time.perf_counter()
            call()
            durations[side].append(time.perf_counter() - started)
    return statistics.median(durations[0]), statistics.median(durations[1])


def measure_close_with_operation(dialect: str, count: int) -> dict[str, object]:
    """The median time of closing one order with its operation, library vs baseline
    (each closes ``count`` different orders of the same kind, alternately)."""
    with scratch(dialect) as db:
        gsan = db.system(operations=[*default_operations(), CutLike()])
        order_ids = _orders_to_close(gsan, count)
        db.vacuum()
        library_ids, baseline_ids = order_ids[:count], order_ids[count:]
        today = NOW.date()
        ids = _Ids(db.engine, db.tables)
        library, baseline = _interleaved(
            [
                partial(
                    gsan.service_orders.close_executed,
                    order_id=i,
                    reason_id=EXECUTED,
                    closed_on=today,
                    actor=ACTOR,
                )
                for i in library_ids
            ],
            [
                partial(baseline_close_one, db.engine, db.tables, ids, i)
                for i in baseline_ids
            ],
        )
        closed = gsan.service_orders.find_by(
            service_type_id=CUT_TYPE, situation=OrderSituation.CLOSED
        )
        assert len(closed) == 2 * count
    return _figure(
        "close_with_operation", dialect, count, library, baseline, 1 / library
    )


# ---------------------------------------------------------------- entry points
def run(quick: bool) -> list[dict[str, object]]:
    """Every figure of this area (``quick``: small sizes, for a smoke run)."""
    overdue = 5_000 if quick else 100_000
    closings = 20 if quick else 300
    return [
        measure_close_overdue("postgresql", overdue),
        measure_close_with_operation("postgresql", closings),
        measure_close_with_operation("sqlite", closings),
    ]


def main(argv: list[str]) -> int:
    """Print this area's figures."""
    print(render(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
