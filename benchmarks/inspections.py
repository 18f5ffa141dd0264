"""Inspection and repaving benchmarks, each beside a hand-written SQLAlchemy
Core baseline doing the same database work (PostgreSQL).

* ``inspect_closed_orders``: UC1176 over N closed orders of a contractor's
  unit (100,000; half closed by conclusion, 10 % of those sampled) vs, by
  hand, per chunk of 5,000 candidates one ``INSERT ... SELECT`` of their
  inspection orders, one of the orders' unit-trail records and one read of
  the chunk's last id (target: ratio <= 2);
* ``accept_repaving``: the automatic repaving acceptance (PAV-03) over N
  returned works (100,000; half of them converge) vs, by hand, per chunk of
  5,000 works one select of the chunk's ids and one ``UPDATE`` of those that
  converge, each chunk committed (target: the library accepts at least half as
  many works per second as the baseline: ``ratio`` = library / baseline time
  <= 2).

Run alone with ``python -m benchmarks.inspections [--quick]``.
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from benchmarks.harness import render
from benchmarks.orders import ACTOR, NOW, Scratch, scratch
from gsan_core import profiles
from gsan_core.adapters.sqlalchemy.repaving import AUTOMATIC, convergent
from gsan_core.adapters.sqlalchemy.schema import Tables
from gsan_core.adapters.sqlalchemy.types import Money
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.system import System
from gsan_core.testing import FixedClock

AREA = "inspections"
CHUNK = 5_000
PERCENTAGE = Decimal(5)
CLOSED = date(2025, 5, 1)
INSPECTED, INSPECTION = 992, 705
CONTRACTOR_UNIT, COMPANY = 60, 3
#: The closed orders' ids start above the ids the library's generator gives.
FIRST_ORDER = 50_000_000


def _figure(
    name: str, backend: str, size: int, library: float, baseline: float
) -> dict[str, object]:
    return {
        "area": AREA,
        "name": name,
        "backend": backend,
        "size": size,
        "library_s": library,
        "baseline_s": baseline,
        "ratio": library / baseline,
        "rate": size / library,
    }


def _system(db: Scratch) -> System:
    loaded = profiles.default()
    profile = loaded.profile
    changed = attrs.evolve(
        profile,
        service_orders=attrs.evolve(
            profile.service_orders, repaving_convergence_percentage=PERCENTAGE
        ),
    )
    gsan = System(
        uow_factory=db.backend.uow_factory,
        profile=attrs.evolve(loaded, profile=changed),
        clock=FixedClock(NOW),
    )
    gsan.seed()
    return gsan


def _load_works(gsan: System, size: int) -> None:
    step = 10_000
    for first in range(1, size + 1, step):
        with gsan.uow_factory() as uow:
            uow.repaving_works.add_many(
                RepavingWork(
                    id=ident,
                    order_id=ident,
                    property_id=ident,
                    unit_id=50 + ident % 4,
                    closed_on=CLOSED,
                    street_pavement_id=1,
                    street_area=Decimal("10.00"),
                    returned_street_pavement_id=1,
                    # even ids converge (4 %), odd ones do not (8 %)
                    returned_street_area=Decimal("10.40" if ident % 2 == 0 else "9.20"),
                    returned_on=CLOSED + timedelta(days=3),
                    opened_at=NOW,
                    actor=ACTOR,
                )
                for ident in range(first, min(first + step, size + 1))
            )
            uow.commit()


def _reset(db: Scratch) -> None:
    works = db.tables["repaving_work"]
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(works).values(
                acceptance=None,
                accepted_on=None,
                accepted_by=None,
                acceptance_remark=None,
                version=1,
            )
        )
    if db.dialect == "postgresql":
        with db.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.exec_driver_sql(
                f'VACUUM ANALYZE "{db.tables.schema}"."{works.name}"'
            )


def baseline_accept(engine: sa.Engine, tables: Tables, *, chunk: int = CHUNK) -> int:
    """PAV-03 by hand: per chunk one select of returned, not accepted ids
    (keyset by id), one update of the convergent ones, a commit."""
    t = tables["repaving_work"]
    accepted = last = 0
    while True:
        with engine.begin() as connection:
            ids = list(
                connection.execute(
                    sa.select(t.c.id)
                    .where(
                        t.c.id > last,
                        t.c.returned_on.is_not(None),
                        t.c.acceptance.is_(None),
                    )
                    .order_by(t.c.id)
                    .limit(chunk)
                ).scalars()
            )
            if not ids:
                return accepted
            last = ids[-1]
            done = connection.execute(
                sa.update(t)
                .where(
                    t.c.id.in_(ids),
                    t.c.acceptance.is_(None),
                    convergent(t, sa.literal(PERCENTAGE, Money())),
                )
                .values(
                    acceptance=int(RepavingAcceptance.ACCEPTED),
                    accepted_on=t.c.returned_on,
                    accepted_by=ACTOR,
                    acceptance_remark=sa.case(
                        (t.c.acceptance_remark.is_(None), sa.literal(AUTOMATIC)),
                        else_=t.c.acceptance_remark + " " + AUTOMATIC,
                    ),
                    version=t.c.version + 1,
                )
            )
            accepted += done.rowcount


def measure_accept_repaving(dialect: str, size: int) -> dict[str, object]:
    """Accept ``size`` returns automatically with the library, then by hand."""
    with scratch(dialect) as db:
        gsan = _system(db)
        _load_works(gsan, size)
        _reset(db)
        started = time.perf_counter()
        summary = gsan.repaving.accept_automatically(actor=ACTOR, chunk_size=CHUNK)
        library = time.perf_counter() - started
        assert summary.changed == size // 2, summary
        _reset(db)
        started = time.perf_counter()
        accepted = baseline_accept(db.engine, db.tables)
        baseline = time.perf_counter() - started
        assert accepted == size // 2, accepted
    return _figure("accept_repaving", dialect, size, library, baseline)


# ---------------------------------------------------------------- UC1176
def _load_closed(gsan: System, size: int) -> None:
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=INSPECTED, description="SERVICO BENCH", abbreviation="SERV B"
            ),
            ServiceType(
                id=INSPECTION, description="FISCALIZACAO BENCH", abbreviation="FISC B"
            ),
        ],
        actor=0,
    )
    gsan.units.register(
        OrganizationalUnit(
            id=CONTRACTOR_UNIT, name="EMPREITEIRA", unit_type_id=16, company_id=COMPANY
        ),
        actor=0,
    )
    step = 10_000
    for first in range(1, size + 1, step):
        with gsan.uow_factory() as uow:
            uow.service_orders.add_many(
                ServiceOrder(
                    id=FIRST_ORDER + ident,
                    service_type_id=INSPECTED,
                    situation=OrderSituation.CLOSED,
                    property_id=ident,
                    generated_at=NOW - timedelta(days=5),
                    closed_at=NOW - timedelta(days=1),
                    # half closed by conclusion (sampled), half by another reason
                    closing_reason_id=2 if ident % 2 == 0 else 4,
                    current_unit_id=CONTRACTOR_UNIT,
                )
                for ident in range(first, min(first + step, size + 1))
            )
            uow.commit()


def _trail_rows(db: Scratch) -> int:
    """How many unit-trail records the inspection orders have."""
    orders, trail = db.tables["service_order"], db.tables["order_unit"]
    with db.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count())
                .select_from(trail.join(orders, orders.c.id == trail.c.order_id))
                .where(orders.c.service_type_id == INSPECTION)
            ).scalar_one()
        )


def _drop_inspections(db: Scratch) -> None:
    orders = db.tables["service_order"]
    trail = db.tables["order_unit"]
    with db.engine.begin() as connection:
        connection.execute(
            sa.delete(trail).where(
                trail.c.order_id.in_(
                    sa.select(orders.c.id).where(orders.c.service_type_id == INSPECTION)
                )
            )
        )
        connection.execute(
            sa.delete(orders).where(orders.c.service_type_id == INSPECTION)
        )
    db.vacuum()


def baseline_inspect(db: Scratch, *, sample: frozenset[int], chunk: int = CHUNK) -> int:
    """UC1176 by hand: per chunk one ``INSERT ... SELECT`` of the inspection
    orders of the chunk's candidates (keyset by id), one of their unit-trail
    records and one read of the chunk's last id, each chunk committed."""
    o = db.tables["service_order"]
    i = o.alias("i")
    template = db.backend.mappers.service_order.to_row(
        ServiceOrder(
            id=0,
            service_type_id=INSPECTION,
            origin=OrderOrigin.INSPECTION,
            generated_at=NOW,
            emitted_at=NOW,
        )
    )
    dynamic = {"id", "property_id", "reference_order_id", "current_unit_id"}
    u = db.tables["order_unit"]
    with db.engine.connect() as connection:
        base = int(connection.execute(sa.select(sa.func.max(o.c.id))).scalar_one())
        trail_base = int(
            connection.execute(
                sa.select(sa.func.coalesce(sa.func.max(u.c.id), 0))
            ).scalar_one()
        )
    trail_values = {
        "id": sa.bindparam("trail_base") + sa.func.row_number().over(order_by=o.c.id),
        "order_id": o.c.id,
        "unit_id": o.c.current_unit_id,
        "user_id": sa.literal(ACTOR, sa.BigInteger),
        "relation": sa.literal(1, sa.SmallInteger),
        "at": sa.literal(NOW, u.c.at.type),
        "version": sa.literal(1, sa.Integer),
    }
    trail_columns = [c.key for c in u.c]
    trail_insert = u.insert().from_select(
        trail_columns,
        sa.select(*[trail_values[name] for name in trail_columns]).where(
            o.c.id > sa.bindparam("low"), o.c.id <= sa.bindparam("high")
        ),
    )
    candidates = (
        sa.select(o.c.id, o.c.property_id, o.c.current_unit_id, o.c.closing_reason_id)
        .where(
            o.c.id > sa.bindparam("last"),
            o.c.situation == int(OrderSituation.CLOSED),
            o.c.property_id.is_not(None),
            o.c.closed_at >= NOW - timedelta(days=5),
            o.c.current_unit_id.in_([CONTRACTOR_UNIT]),
            ~sa.select(i.c.id)
            .where(
                i.c.reference_order_id == o.c.id,
                i.c.service_type_id == INSPECTION,
                i.c.situation != int(OrderSituation.CLOSED),
            )
            .exists(),
        )
        .order_by(o.c.id)
        .limit(chunk)
        .cte("c")
    )
    chosen = sa.or_(
        candidates.c.closing_reason_id.not_in([2, 32]),
        candidates.c.id
        == sa.func.any(sa.bindparam("sample", type_=ARRAY(sa.BigInteger))),
    )
    columns = [c.key for c in o.c]
    values = {
        "id": sa.bindparam("base")
        + sa.func.row_number().over(order_by=candidates.c.id),
        "property_id": candidates.c.property_id,
        "reference_order_id": candidates.c.id,
        "current_unit_id": candidates.c.current_unit_id,
    }
    select = sa.select(
        *[
            values[name]
            if name in dynamic
            else sa.literal(template[name], o.c[name].type)
            for name in columns
        ]
    ).where(chosen)
    insert = (
        o.insert().from_select(columns, select).add_cte(candidates).returning(o.c.id)
    )
    last_of: sa.Select[Any] = sa.select(
        sa.func.max(sa.literal_column("id"))
    ).select_from(
        sa.select(o.c.id)
        .where(
            o.c.id > sa.bindparam("last"),
            o.c.situation == int(OrderSituation.CLOSED),
            o.c.current_unit_id.in_([CONTRACTOR_UNIT]),
            o.c.service_type_id == INSPECTED,
        )
        .order_by(o.c.id)
        .limit(chunk)
        .subquery()
    )
    made = last = 0
    sampled = sorted(sample)
    while True:
        with db.engine.begin() as connection:
            written = len(
                connection.execute(
                    insert, {"last": last, "base": base + made, "sample": sampled}
                ).all()
            )
            if written:
                connection.execute(
                    trail_insert,
                    {
                        "trail_base": trail_base + made,
                        "low": base + made,
                        "high": base + made + written,
                    },
                )
            upper = connection.execute(last_of, {"last": last}).scalar()
        if upper is None:
            return made
        made += written
        last = int(upper)


def measure_inspect_closed(dialect: str, size: int) -> dict[str, object]:
    """Generate the inspections of ``size`` closed orders (10 % of the
    concluded half sampled) with the library, then by hand."""
    with scratch(dialect) as db:
        gsan = _system(db)
        _load_closed(gsan, size)
        db.vacuum()
        started = time.perf_counter()
        summary = gsan.inspections.generate_for_closed(
            company_id=COMPANY,
            days=5,
            sample_percentage=10,
            actor=ACTOR,
            chunk_size=CHUNK,
        )
        library = time.perf_counter() - started
        expected = size // 2 + round(size // 2 * 0.1)
        assert summary.changed == expected, summary
        assert _trail_rows(db) == expected
        with gsan.uow_factory() as uow:
            sample = frozenset(
                o.reference_order_id or 0
                for o in uow.service_orders.find_by(service_type_id=INSPECTION)
                if (o.reference_order_id or 0) % 2 == 0
            )
        _drop_inspections(db)
        started = time.perf_counter()
        made = baseline_inspect(db, sample=sample)
        baseline = time.perf_counter() - started
        assert made == expected, made
        assert _trail_rows(db) == expected
    return _figure("inspect_closed_orders", dialect, size, library, baseline)


# ---------------------------------------------------------------- entry points
def run(quick: bool) -> list[dict[str, object]]:
    """Every figure of this area (``quick``: small sizes, for a smoke run)."""
    size = 5_000 if quick else 100_000
    return [
        measure_accept_repaving("postgresql", size),
        measure_inspect_closed("postgresql", size),
    ]


def main(argv: list[str]) -> int:
    """Print this area's figures."""
    print(render(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
