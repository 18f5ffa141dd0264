"""Inspection and repaving benchmarks, each beside a hand-written SQLAlchemy
Core baseline doing the same database work (PostgreSQL).

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

import attrs
import sqlalchemy as sa

from benchmarks.harness import render
from benchmarks.orders import ACTOR, NOW, Scratch, scratch
from gsan_core import profiles
from gsan_core.adapters.sqlalchemy.repaving import AUTOMATIC, convergent
from gsan_core.adapters.sqlalchemy.schema import Tables
from gsan_core.adapters.sqlalchemy.types import Money
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork
from gsan_core.system import System
from gsan_core.testing import FixedClock

AREA = "inspections"
CHUNK = 5_000
PERCENTAGE = Decimal(5)
CLOSED = date(2025, 5, 1)


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


# ---------------------------------------------------------------- entry points
def run(quick: bool) -> list[dict[str, object]]:
    """Every figure of this area (``quick``: small sizes, for a smoke run)."""
    size = 5_000 if quick else 100_000
    return [measure_accept_repaving("postgresql", size)]


def main(argv: list[str]) -> int:
    """Print this area's figures."""
    print(render(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
