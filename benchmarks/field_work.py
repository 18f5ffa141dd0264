"""Selective emission (SEL-01, GEN-11) beside a hand-written SQLAlchemy Core baseline.

``emit_selective_orders`` over a synthetic utility (100,000 properties on
PostgreSQL; 10,000 with ``--quick``; a copy of its template database,
seeded once: ``benchmarks/seeded.py``), every property of every locality in
scope, water situation 3 (LIGADO) selected. The baseline does the same database
work by hand, chunk by chunk at the library's chunk size (2,000 properties by
id): it locks the command and the chunk's properties, selects the properties
that qualify (the same GEN-11 / already-emitted / unit probes) in one
statement, inserts the orders, their unit trail and their links to the command
with one ``executemany`` each, moves the command's count and writes one outbox
row, then commits. It runs first; its rows are deleted before the library's
run, so both emit the same orders (checked). The figures are rows/s and the
ratio library/baseline time; the library's peak Python memory is measured on
a second run (which emits nothing and reads every chunk again).

Run alone with ``python -m benchmarks.field_work [--quick | --million |
--sizes 10000,100000]`` (``--million``: 10,000 and 1,000,000 properties, the
scale check of issue 16; ``--sizes``: those sizes, each rate over the first's).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import render
from benchmarks.orders import NOW, Scratch, scratch
from benchmarks.seeded import seeded
from gsan_core import serialization
from gsan_core.model.field_work import SelectiveCriteria, SelectiveOrdersEmitted
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
)
from gsan_core.synthetic import generate

AREA = "field_work"
TYPE = 350
ACTOR = 1
CHUNK = 2_000
FIRST_ID = 10**12  # the baseline's ids: far from the library's


def _command(gsan: Any, description: str) -> int:
    with gsan.uow_factory() as uow:
        # the localities table, not every property (a million rows at scale)
        localities = sorted(loc.id for loc in uow.localities.find_by())
    return int(
        gsan.field_work.create_selective_command(
            description=description,
            service_type_id=TYPE,
            criteria=SelectiveCriteria(
                locality_first=localities[0],
                locality_last=localities[-1],
                water_status_ids={3},
            ),
            actor=ACTOR,
        ).id
    )


def baseline(db: Scratch, command_id: int) -> int:
    """The emission by hand; returns the orders written."""
    t = db.tables
    prop, order, trail, link, unit = (
        t["property"],
        t["service_order"],
        t["order_unit"],
        t["selective_order"],
        t["unit"],
    )
    command, counter, outbox = t["selective_command"], t["counter"], t["outbox"]
    with db.engine.connect() as connection:
        ids = (
            connection.execute(sa.select(prop.c.id).order_by(prop.c.id)).scalars().all()
        )
    bounds = [
        (ids[n], ids[min(n + CHUNK, len(ids)) - 1]) for n in range(0, len(ids), CHUNK)
    ]
    del ids
    since = NOW - timedelta(days=90)
    serving = (
        sa.select(unit.c.locality_id, sa.func.max(unit.c.id).label("unit_id"))
        .where(unit.c.active.is_(True))
        .group_by(unit.c.locality_id)
        .subquery("serving")
    )
    # one index probe per property each (LIMIT 1 scalar subqueries): an
    # EXISTS / NOT EXISTS may be planned as a hashed subplan or a hash anti
    # join reading every open order and every link of the command per chunk,
    # whose cost grows with the run (issue 16)
    blocked = _probe(
        order.c.property_id == prop.c.id,
        order.c.service_type_id.in_([304, 310, 350, 1420]),
        order.c.situation != int(OrderSituation.CLOSED),
        order.c.request_id.is_(None),
        order.c.collection_document_id.is_(None),
        order.c.generated_at >= since,
    )
    # ``+ 0``: through the property's index only, as the library (a command
    # the statistics call rare would be probed through the command's index)
    emitted = _probe(
        link.c.property_id == prop.c.id, link.c.command_id + 0 == command_id
    )
    next_id, written = FIRST_ID, 0
    for first, last in bounds:
        with db.engine.begin() as connection:
            connection.execute(
                sa.select(command.c.id)
                .where(command.c.id == command_id)
                .with_for_update()
            )
            connection.execute(
                sa.select(prop.c.id)
                .where(prop.c.id.between(first, last))
                .with_for_update()
            )
            rows = connection.execute(
                sa.select(prop.c.id, serving.c.unit_id)
                .join(serving, serving.c.locality_id == prop.c.locality_id)
                .where(
                    prop.c.id.between(first, last),
                    prop.c.active.is_(True),
                    # the constant in the text: a prepared statement's generic
                    # plan, blind to it, would AND the chunk's id range with
                    # a bitmap of the whole water-situation index (83% LIGADO)
                    prop.c.water_status_id == sa.literal_column("3"),
                    emitted.is_(None),
                    blocked.is_(None),
                )
            ).all()
            if not rows:
                continue
            ids = list(range(next_id, next_id + len(rows)))
            next_id += len(rows)
            connection.execute(
                sa.insert(order),
                [
                    _order_row(ident, pid, unit_id)
                    for ident, (pid, unit_id) in zip(ids, rows, strict=True)
                ],
            )
            connection.execute(
                sa.insert(trail),
                [
                    {
                        "id": ident,
                        "order_id": ident,
                        "unit_id": unit_id,
                        "user_id": ACTOR,
                        "relation": OrderUnitRelation.OPENED.value,
                        "at": NOW,
                        "version": 1,
                    }
                    for ident, (_, unit_id) in zip(ids, rows, strict=True)
                ],
            )
            connection.execute(
                sa.insert(link),
                [
                    {
                        "id": ident,
                        "command_id": command_id,
                        "order_id": ident,
                        "property_id": pid,
                        "version": 1,
                    }
                    for ident, (pid, _) in zip(ids, rows, strict=True)
                ],
            )
            connection.execute(
                sa.update(command)
                .where(command.c.id == command_id)
                .values(
                    emitted=command.c.emitted + len(rows),
                    emitted_at=NOW,
                    version=command.c.version + 1,
                )
            )
            event = SelectiveOrdersEmitted(
                occurred_at=NOW,
                actor=ACTOR,
                command_id=command_id,
                service_type_id=TYPE,
                order_ids=ids,
                property_ids=[r[0] for r in rows],
            )
            number = connection.execute(
                sa.update(counter)
                .where(counter.c.name == "outbox")
                .values(value=counter.c.value + 1)
                .returning(counter.c.value)
            ).scalar()
            if number is None:
                connection.execute(sa.insert(counter).values(name="outbox", value=1))
                number = 1
            connection.execute(
                sa.insert(outbox).values(
                    id=number,
                    tag=event.tag,
                    occurred_at=NOW,
                    actor=ACTOR,
                    payload=serialization.to_dict(event),
                    published_at=None,
                )
            )
            _analyze_when_grown(connection, db, len(rows))
            written += len(rows)
    return written


def _analyze_when_grown(connection: sa.Connection, db: Scratch, rows: int) -> None:
    """What the library does per chunk, by hand: ``ANALYZE`` a table the chunk
    wrote ``rows`` of when they are more than a tenth of its estimated rows,
    so the probes are not planned on an empty table's defaults."""
    for name in ("service_order", "order_unit", "selective_order"):
        table = db.tables[name]
        qualified = f'"{table.schema}"."{table.name}"'
        estimate = connection.execute(
            sa.text("SELECT reltuples FROM pg_class WHERE oid = to_regclass(:t)"),
            {"t": qualified},
        ).scalar()
        if estimate is None or rows > 0.1 * max(estimate, 0):
            connection.exec_driver_sql(f"ANALYZE {qualified}")


def _probe(*where: sa.ColumnElement[bool]) -> sa.ScalarSelect[Any]:
    """``1`` when a row matches ``where``, else ``NULL``: one index probe."""
    return sa.select(sa.literal(1)).where(*where).limit(1).scalar_subquery()


def _order_row(ident: int, property_id: int, unit_id: int) -> dict[str, Any]:
    return {
        "id": ident,
        "service_type_id": TYPE,
        "situation": int(OrderSituation.PENDING),
        "origin": OrderOrigin.SELECTIVE.value,
        "property_id": property_id,
        "request_id": None,
        "collection_document_id": None,
        "reference_order_id": None,
        "reference_service_type_id": None,
        "generated_at": NOW,
        "emitted_at": NOW,
        "closed_at": None,
        "closing_reason_id": None,
        "closing_remark": None,
        "observation": None,
        "original_value": None,
        "current_value": None,
        "charge_percentage": None,
        "non_charge_reason_id": None,
        "commercial_applied": False,
        "diagnosed": False,
        "scheduled": False,
        "automatic_closing": False,
        "current_unit_id": unit_id,
        "original_priority_id": 1,
        "current_priority_id": 1,
        "return_type_id": None,
        "inspection_result": None,
        "pavement_area": None,
        "version": 1,
    }


def _forget(db: Scratch, command_id: int) -> None:
    """Delete what the baseline wrote, so that the library starts clean."""
    t = db.tables
    with db.engine.begin() as connection:
        connection.execute(
            sa.delete(t["order_unit"]).where(t["order_unit"].c.id >= FIRST_ID)
        )
        connection.execute(
            sa.delete(t["service_order"]).where(t["service_order"].c.id >= FIRST_ID)
        )
        connection.execute(
            sa.delete(t["selective_order"]).where(
                t["selective_order"].c.command_id == command_id
            )
        )


class _RssSampler:
    """The process's resident memory sampled every 0.2 s in a thread while a
    run lasts (Linux ``/proc/self/statm``): its start and its peak."""

    def __init__(self) -> None:
        self.start = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, _rss())

    def __enter__(self) -> _RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def _utility(dialect: str, properties: int) -> Iterator[Scratch]:
    """The synthetic utility (seed 7): on PostgreSQL a copy of its template
    database (:mod:`benchmarks.seeded`), elsewhere generated in a scratch."""
    if dialect == "postgresql":
        with seeded(properties, seed=7) as db:
            yield db
        return
    with scratch(dialect) as db:
        generate(db.system(keep_events=False), properties=properties, seed=7)
        yield db


def measure(dialect: str, *, properties: int, rerun: bool = True) -> dict[str, object]:
    """One size; ``rerun=False`` (the 1M scale check) skips the traced re-run
    and reports the resident memory sampled during the library's run."""
    with _utility(dialect, properties) as db:
        gsan = db.system(keep_events=False)
        by_hand = _command(gsan, "BASELINE")
        library = _command(gsan, "LIBRARY")
        db.vacuum()
        started = time.perf_counter()
        expected = baseline(db, by_hand)
        baseline_s = time.perf_counter() - started
        _forget(db, by_hand)
        db.vacuum()
        started = time.perf_counter()
        with _RssSampler() as rss:
            run = gsan.field_work.emit_selective_orders(
                command_id=library, actor=ACTOR, chunk_size=CHUNK
            )
        library_s = time.perf_counter() - started
        assert run.generated == expected, (run.generated, expected)
        memory = (
            f"resident memory {rss.start / 2**20:.0f} MiB at the start of the "
            f"run, peak {rss.peak / 2**20:.0f} MiB"
        )
        if rerun:
            tracemalloc.start()
            again = gsan.field_work.emit_selective_orders(
                command_id=library, actor=ACTOR, chunk_size=CHUNK
            )
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            assert again.generated == 0
            memory += f"; peak Python memory of a re-run {peak / 2**20:.1f} MiB"
    return {
        "area": AREA,
        "name": "selective emission (SEL-01)",
        "backend": dialect,
        "size": properties,
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "rate": run.evaluated / library_s,
        "baseline_rate": run.evaluated / baseline_s,
        "target": 2.0,
        "notes": (
            f"{run.generated} orders over {run.evaluated} properties; "
            f"{properties / library_s:,.0f} properties/s (baseline "
            f"{properties / baseline_s:,.0f}); {memory}"
        ),
    }


def run(
    quick: bool, *, million: bool = False, sizes: Sequence[int] = ()
) -> list[dict[str, object]]:
    """Every figure of this area (``quick``: small sizes, for a smoke run;
    ``million``: 10,000 then 1,000,000 properties, the scale check: the
    throughput at 1M stays within 30% of the one at 10k; ``sizes``: these
    sizes, the scale check against the first)."""
    if million:
        sizes = (10_000, 1_000_000)
    if sizes:
        return scale(sizes)
    if quick:
        return [measure("postgresql", properties=10_000)]
    return [
        measure("postgresql", properties=10_000),
        measure("postgresql", properties=100_000),
    ]


def _rate(figure: Mapping[str, object], key: str) -> float:
    """A rate of a :func:`measure` figure (events a second, a float there)."""
    value = figure[key]
    assert isinstance(value, float)
    return value


def scale(sizes: Sequence[int]) -> list[dict[str, object]]:
    """One figure per size (no traced re-run), each noting its rate over the
    first size's, the library's and the baseline's (issue 16)."""
    figures = [measure("postgresql", properties=n, rerun=False) for n in sizes]
    first = figures[0]
    for figure in figures[1:]:
        kept = _rate(figure, "rate") / _rate(first, "rate")
        kept_by_hand = _rate(figure, "baseline_rate") / _rate(first, "baseline_rate")
        figure["notes"] = (
            f"{figure['notes']}; rate at {figure['size']:,} / rate at "
            f"{first['size']:,} = {kept:.2f} (baseline {kept_by_hand:.2f})"
        )
    return figures


def _sizes(argv: Sequence[str]) -> tuple[int, ...]:
    """``--sizes 10000,100000`` (or ``--sizes=...``): the sizes asked for."""
    for n, arg in enumerate(argv):
        if arg.startswith("--sizes"):
            text = arg.partition("=")[2] or (argv[n + 1] if n + 1 < len(argv) else "")
            return tuple(int(size) for size in text.split(",") if size)
    return ()


def main(argv: Sequence[str]) -> int:
    figures = run("--quick" in argv, million="--million" in argv, sizes=_sizes(argv))
    print(render(figures))
    print(json.dumps(figures, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
