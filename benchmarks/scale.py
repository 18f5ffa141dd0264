"""How the cost grows with the size of the utility (issue #7).

For each backend (a SQLite file, a PostgreSQL schema) and each size (10
thousand, 100 thousand and 1 million properties by default) a synthetic utility
is generated (:func:`gsan_core.synthetic.generate`) and measured:

* **cut-order generation** for every collection group (the library's
  ``collection.generate_cut_orders``, one unit of work per route) against a
  hand-written baseline that does the selection in one SQL statement per route
  (situation, no open cut order, overdue bills aggregated with ``GROUP BY ...
  HAVING``) and the same inserts (orders, unit trail, one outbox row per route).
  Figure: properties evaluated per second. The two must generate the same
  orders; the run checks it. The library pass is repeated under ``tracemalloc``
  for its peak memory.
* **overdue-order closing** (UC0734) of pending orders on a tenth of the
  properties: the library's ``service_orders.close_overdue`` against
  :func:`benchmarks.orders.baseline_close_overdue`. Figure: orders per second.
* **single commands** on the big database, interleaved with their baselines
  (mean milliseconds per command): closing a cut order with its cut
  (:func:`benchmarks.connections._cut_by_hand`), replacing a meter by closing
  its order (:func:`benchmarks.hydrometers._baseline_replace`) and opening an RA
  routed by locality x group with its automatic order
  (:func:`benchmarks.requests.baseline_open`).

Results go to ``benchmarks/results/scale.json`` and a plot of throughput against
size to ``benchmarks/results/scale.png``.

``python -m benchmarks.scale [--quick] [--sizes 10000,100000] [--backends sqlite]``
(also ``gsan-core bench`` from a source checkout).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

import gsan_core
from benchmarks import batches as batch_bench
from benchmarks import id_ranges, limits
from benchmarks.harness import RESULTS, Run
from benchmarks.seeded import seeded
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import DebtKind
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.services.batches import sized_chunks
from gsan_core.services.collection import PROPERTIES_PER_CHUNK
from gsan_core.services.service_orders.service import OVERDUE_ORDERS_PER_CHUNK
from gsan_core.synthetic import FIRST_PROPERTY_ID, generate
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    request_profile,
)

SIZES = (10_000, 100_000, 1_000_000)
#: The measurements, in the order they run (``--only`` picks some).
STEPS = (
    "cut-orders",
    "overdue",
    "cut-closing",
    "replacement",
    "opening",
    "ra-closing",
    "reconnection",
)
QUICK_SIZES = (2_000, 10_000)
BACKENDS = ("sqlite", "postgres")
NOW = datetime(2025, 1, 6, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
ADMIN = 1  # the synthetic utility's administrator, in unit 1
CUT_TYPE = 242
OVERDUE_TYPE = 458  # CORTE DE AGUA POR DEBITO: closable when overdue (VEN-01)
OVERDUE_REASON = 32  # CANCELADO POR DECURSO DE PRAZO (closing_reason.overdue)
#: Passes of each batch variant (median and spread reported).
REPEATS = 3
#: The synthetic generator's seed (its default).
SEED = 2007
#: Sums of money compared as numbers (money is text on SQLite).
NUMBER = sa.Numeric(20, 7)


# ---------------------------------------------------------------- databases
def _system(sql: SqlBackend) -> gsan_core.System:
    """The system every figure runs through (and the generator loads with)."""
    gsan = gsan_core.System(
        uow_factory=sql.uow_factory,
        backend=sql,
        profile=request_profile(large_consumer_unit_id=None),
        clock=FixedClock(NOW),
        keep_events=False,
    )
    gsan.seed()
    return gsan


@contextmanager
def utility(backend: str, size: int, postgres_url: str | None) -> Iterator[Any]:
    """A fresh database of ``backend`` holding a synthetic utility of ``size``
    properties; yields ``(system, sql_backend, seconds_to_generate)``.

    On PostgreSQL it is a copy of a template database seeded once per size
    (:func:`benchmarks.seeded.seeded`); the seconds are then those of the copy
    (or of the seeding, when the template was missing)."""
    if backend == "postgres":
        started = time.perf_counter()
        with seeded(
            size,
            seed=SEED,
            system=lambda db: _system(db.backend),
            today=TODAY,
            tag="scale",
            url=postgres_url,
        ) as db:
            seconds = time.perf_counter() - started
            gsan = _system(db.backend)
            analyze(db.backend)
            yield gsan, db.backend, seconds
        return
    run = Run(backend=backend, quick=False, postgres_url=postgres_url)
    with run.database() as database:
        sql = database.sql_backend()
        gsan = _system(sql)
        started = time.perf_counter()
        generate(gsan, properties=size, today=TODAY, seed=SEED)
        seconds = time.perf_counter() - started
        analyze(sql)
        yield gsan, sql, seconds


def analyze(sql: SqlBackend) -> None:
    """Fresh planner statistics (and no dead rows on PostgreSQL)."""
    if sql.engine.dialect.name == "postgresql":
        with sql.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        ) as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    else:
        with sql.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")


def delete_orders(sql: SqlBackend, service_type_id: int) -> None:
    """Remove the orders of a type, their unit trail and the outbox."""
    t = sql.tables
    orders, trail = t["service_order"], t["order_unit"]
    mine = sa.select(orders.c.id).where(orders.c.service_type_id == service_type_id)
    with sql.engine.begin() as connection:
        connection.execute(sa.delete(trail).where(trail.c.order_id.in_(mine)))
        connection.execute(
            sa.delete(orders).where(orders.c.service_type_id == service_type_id)
        )
        connection.execute(sa.delete(t["outbox"]))
    analyze(sql)


def traced_peak(peaks: list[float]) -> Callable[[Callable[[], object]], None]:
    """Runs an action under ``tracemalloc``, appending its peak (MiB)."""

    def run(action: Callable[[], object]) -> None:
        gc.collect()
        tracemalloc.start()
        try:
            action()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        peaks.append(peak / 2**20)

    return run


def timed(action: Callable[[], object]) -> tuple[float, Any]:
    gc.collect()
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


# ---------------------------------------------------------------- cut orders
def groups(sql: SqlBackend) -> list[int]:
    route = sql.tables["route"]
    with sql.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(route.c.group_id).distinct().order_by(route.c.group_id)
            ).scalars()
        )


def library_cut_orders(gsan: gsan_core.System, group_ids: Sequence[int]) -> int:
    """The library's batch over every group in one run (chunks spanning
    groups); returns properties evaluated."""
    return gsan.collection.generate_cut_orders_of_groups(
        group_ids=group_ids, actor=ADMIN
    ).evaluated


def baseline_cut_orders(
    gsan: gsan_core.System, sql: SqlBackend, group_ids: Sequence[int]
) -> tuple[int, int]:
    """The same work by hand, one transaction per route: one statement selects
    the route's properties that qualify (CUT-1..CUT-3 in SQL), then the orders,
    their unit trail and an outbox row are inserted. Returns (evaluated,
    generated)."""
    t = sql.tables
    prop, order, trail, debt = (
        t["property"],
        t["service_order"],
        t["order_unit"],
        t["open_debt"],
    )
    route, unit, stype = t["route"], t["unit"], t["service_type"]
    profile = gsan.profile
    criteria = profile.collection
    limit = TODAY - timedelta(days=criteria.overdue_after_days)
    cut_types = sorted(profile.ids("service_type.cut") | {CUT_TYPE})
    open_cut = (
        sa.select(sa.literal(1))
        .where(
            order.c.property_id == prop.c.id,
            order.c.service_type_id.in_(cut_types),
            order.c.situation != int(OrderSituation.CLOSED),
        )
        .exists()
    )
    overdue = (
        sa.select(prop.c.id, prop.c.locality_id)
        .join(debt, debt.c.property_id == prop.c.id)
        .where(
            prop.c.route_id == sa.bindparam("route_id"),
            prop.c.active.is_(True),
            prop.c.water_status_id.in_(sorted(profile.allowed("water.cut"))),
            ~open_cut,
            debt.c.kind == DebtKind.BILL.value,
            debt.c.due_date < limit,
        )
        .group_by(prop.c.id, prop.c.locality_id)
        .having(
            sa.func.count() >= max(1, criteria.min_overdue_bills),
            sa.func.sum(debt.c.amount, type_=NUMBER)
            >= sa.literal(criteria.min_overdue_amount, NUMBER),
        )
        .order_by(prop.c.id)
    )
    counted = sa.select(sa.func.count()).where(
        prop.c.route_id == sa.bindparam("route_id")
    )
    with sql.engine.connect() as connection:
        routes = list(
            connection.execute(
                sa.select(route.c.id)
                .where(route.c.group_id.in_(group_ids))
                .order_by(route.c.id)
            ).scalars()
        )
        units = dict(
            connection.execute(
                sa.select(unit.c.locality_id, unit.c.id).where(
                    unit.c.active.is_(True), unit.c.locality_id.is_not(None)
                )
            ).all()
        )
        kind = connection.execute(
            sa.select(stype.c.value, stype.c.priority_id).where(stype.c.id == CUT_TYPE)
        ).one()
    # an order and its trail row a property, an outbox row a route
    ids = id_ranges.take("cut orders by hand")
    template: dict[str, Any] = {c.name: None for c in order.c}
    evaluated = generated = 0
    for route_id in routes:
        with sql.engine.begin() as connection:
            evaluated += connection.execute(
                counted, {"route_id": route_id}
            ).scalar_one()
            chosen = [
                (pid, units[locality])
                for pid, locality in connection.execute(overdue, {"route_id": route_id})
                if locality in units
            ]
            if not chosen:
                continue
            rows = [
                {
                    **template,
                    "id": next(ids),
                    "service_type_id": CUT_TYPE,
                    "situation": int(OrderSituation.PENDING),
                    "origin": OrderOrigin.COLLECTION.value,
                    "property_id": pid,
                    "generated_at": NOW,
                    "original_value": kind.value,
                    "commercial_applied": False,
                    "diagnosed": False,
                    "scheduled": False,
                    "automatic_closing": False,
                    "current_unit_id": unit_id,
                    "original_priority_id": kind.priority_id,
                    "current_priority_id": kind.priority_id,
                    "version": 1,
                }
                for pid, unit_id in chosen
            ]
            connection.execute(sa.insert(order), rows)
            connection.execute(
                sa.insert(trail),
                [
                    {
                        "id": next(ids),
                        "order_id": row["id"],
                        "unit_id": row["current_unit_id"],
                        "user_id": ADMIN,
                        "relation": int(OrderUnitRelation.OPENED),
                        "at": NOW,
                        "version": 1,
                    }
                    for row in rows
                ],
            )
            connection.execute(
                sa.insert(t["outbox"]),
                [
                    {
                        "id": next(ids),
                        "tag": "collection.cut_orders_generated",
                        "occurred_at": NOW,
                        "actor": ADMIN,
                        "payload": {
                            "route_id": route_id,
                            "order_ids": [r["id"] for r in rows],
                            "property_ids": [r["property_id"] for r in rows],
                        },
                        "published_at": None,
                    }
                ],
            )
            generated += len(rows)
    return evaluated, generated


def count_orders(sql: SqlBackend, service_type_id: int) -> int:
    order = sql.tables["service_order"]
    with sql.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).where(
                    order.c.service_type_id == service_type_id
                )
            ).scalar_one()
        )


def _spread(seconds: Sequence[float]) -> dict[str, float]:
    """Median seconds and the spread ((max - min) / median) of the passes."""
    median = statistics.median(seconds)
    return {"median_s": median, "spread": (max(seconds) - min(seconds)) / median}


def cut_limit(
    gsan: gsan_core.System, sql: SqlBackend, group_ids: Sequence[int], *, chunk: int
) -> int:
    """The set-based limit over every group: all its routes in one statement per
    table (``chunk=0``), or the library's chunks (whole routes packed up to
    ``chunk`` properties across groups, in group order) one transaction each."""
    route, prop = sql.tables["route"], sql.tables["property"]
    with sql.engine.connect() as connection:
        rows = connection.execute(
            sa.select(route.c.group_id, route.c.id, sa.func.count(prop.c.id))
            .select_from(route.outerjoin(prop, prop.c.route_id == route.c.id))
            .where(route.c.group_id.in_(group_ids))
            .group_by(route.c.group_id, route.c.id)
            .order_by(route.c.group_id, route.c.id)
        ).all()
    profile = gsan.profile
    criteria = profile.collection
    pieces = (
        [[route_id for _, route_id, _ in rows]]
        if chunk == 0
        else [
            list(piece)
            for piece in sized_chunks(
                [(route_id, count) for _, route_id, count in rows], chunk
            )
        ]
    )
    return limits.cut_orders_limit(
        sql,
        routes=pieces,
        type_id=CUT_TYPE,
        cut_types=sorted(profile.ids("service_type.cut") | {CUT_TYPE}),
        allowed=sorted(profile.allowed("water.cut")),
        min_bills=max(1, criteria.min_overdue_bills),
        min_amount=criteria.min_overdue_amount,
        due_before=TODAY - timedelta(days=criteria.overdue_after_days),
        now=NOW,
        actor=ADMIN,
    )


def count_properties(sql: SqlBackend) -> int:
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(prop)
            ).scalar_one()
        )


def measure_cut_orders(
    gsan: gsan_core.System, sql: SqlBackend, size: int, repeats: int = REPEATS
) -> list[dict[str, Any]]:
    """The library, the set-based limit in one statement per table and the
    limit at the library's chunks (routes packed up to
    ``PROPERTIES_PER_CHUNK`` properties): ``repeats`` passes each, the orders
    deleted and ``ANALYZE`` run before each; every variant must write the same
    orders (:func:`benchmarks.limits.order_hash`)."""
    group_ids = groups(sql)
    evaluated = count_properties(sql)
    variants: dict[str, Callable[[], object]] = {
        "library": lambda: library_cut_orders(gsan, group_ids),
        "limit": lambda: cut_limit(gsan, sql, group_ids, chunk=0),
        "limit_chunked": lambda: cut_limit(
            gsan, sql, group_ids, chunk=PROPERTIES_PER_CHUNK
        ),
    }
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    hashes: dict[str, tuple[int, str]] = {}
    for _ in range(repeats):
        for name, action in variants.items():
            delete_orders(sql, CUT_TYPE)
            spent, _result = timed(action)
            seconds[name].append(spent)
            hashes.setdefault(name, limits.order_hash(sql, CUT_TYPE))
    assert len(set(hashes.values())) == 1, ("the variants disagree", hashes)
    generated = hashes["library"][0] // 1
    delete_orders(sql, CUT_TYPE)
    tracemalloc.start()
    library_cut_orders(gsan, group_ids)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    analyze(sql)
    return _batch_figures(
        "cut-order generation",
        "properties/s",
        size,
        evaluated,
        seconds,
        generated=generated,
        peak_mib=peak / 2**20,
    )


def _batch_figures(
    name: str,
    unit: str,
    size: int,
    rows: int,
    seconds: dict[str, list[float]],
    **extra: Any,
) -> list[dict[str, Any]]:
    """The library's figure against the limit (one statement) and the chunked
    limit: rows/s of the median pass, with each variant's spread."""
    library = _spread(seconds["library"])
    figures = []
    for limit_name, label in (
        ("limit", "set-based, one statement"),
        ("limit_chunked", "set-based, per chunk"),
    ):
        limit = _spread(seconds[limit_name])
        figures.append(
            {
                "name": f"{name} vs {label}",
                "unit": unit,
                "higher_is_better": True,
                "target": 0.5,
                "size": size,
                "rows": rows,
                "library": rows / library["median_s"],
                "baseline": rows / limit["median_s"],
                "library_s": library["median_s"],
                "baseline_s": limit["median_s"],
                "library_spread": library["spread"],
                "baseline_spread": limit["spread"],
                "repeats": len(seconds["library"]),
                **extra,
            }
        )
    return figures


# ---------------------------------------------------------------- overdue orders
def load_overdue(gsan: gsan_core.System, size: int) -> int:
    """A pending 458 order, 400 days old, on every tenth property."""
    wanted = range(FIRST_PROPERTY_ID, FIRST_PROPERTY_ID + size, 10)
    first = id_ranges.take("overdue orders", span=len(wanted)).start
    generated_at = NOW - timedelta(days=400)
    for start in range(0, len(wanted), 10_000):
        with gsan.uow_factory() as uow:
            uow.service_orders.add_many(
                ServiceOrder(
                    id=first + n,
                    service_type_id=OVERDUE_TYPE,
                    property_id=wanted[n],
                    generated_at=generated_at,
                    current_unit_id=1,
                )
                for n in range(start, min(start + 10_000, len(wanted)))
            )
            uow.commit()
    return len(wanted)


def reopen_overdue(sql: SqlBackend) -> None:
    t = sql.tables
    orders, trail = t["service_order"], t["order_unit"]
    mine = orders.c.service_type_id == OVERDUE_TYPE
    with sql.engine.begin() as connection:
        connection.execute(
            sa.update(orders)
            .where(mine)
            .values(
                situation=int(OrderSituation.PENDING),
                closing_reason_id=None,
                closed_at=None,
                version=1,
            )
        )
        connection.execute(
            sa.delete(trail).where(
                trail.c.order_id.in_(sa.select(orders.c.id).where(mine))
            )
        )
    analyze(sql)


def measure_overdue(
    gsan: gsan_core.System, sql: SqlBackend, size: int, repeats: int = REPEATS
) -> list[dict[str, Any]]:
    """UC0734: the library against the set-based limit, whole and per
    ``OVERDUE_ORDERS_PER_CHUNK`` orders (the library's chunk); ``repeats``
    passes each, reopened and analysed before each; the library's peak
    memory from one more pass under ``tracemalloc``."""
    count = load_overdue(gsan, size)
    before = NOW - timedelta(days=99)

    def library() -> None:
        summary = gsan.service_orders.close_overdue(
            service_type_id=OVERDUE_TYPE, days=10, actor=ADMIN
        )
        assert summary.changed == count, summary

    def limit(chunk: int | None) -> Callable[[], object]:
        def run() -> None:
            closed = limits.overdue_limit(
                sql,
                service_type_id=OVERDUE_TYPE,
                before=before,
                reason_id=OVERDUE_REASON,
                unit_id=1,
                actor=ADMIN,
                now=NOW,
                chunk=chunk,
            )
            assert closed == count, closed

        return run

    variants = {
        "library": library,
        "limit": limit(None),
        "limit_chunked": limit(OVERDUE_ORDERS_PER_CHUNK),
    }
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    hashes: dict[str, tuple[int, str]] = {}
    for _ in range(repeats):
        for name, action in variants.items():
            reopen_overdue(sql)
            spent, _result = timed(action)
            seconds[name].append(spent)
            hashes.setdefault(name, limits.order_hash(sql, OVERDUE_TYPE))
    assert len(set(hashes.values())) == 1, ("the variants disagree", hashes)
    peaks: list[float] = []
    reopen_overdue(sql)
    traced_peak(peaks)(library)
    return _batch_figures(
        "overdue-order closing", "orders/s", size, count, seconds, peak_mib=peaks[0]
    )


# ---------------------------------------------------------------- issue 20 batches
def measure_ra_closing(
    gsan: gsan_core.System, sql: SqlBackend, size: int, repeats: int = REPEATS
) -> list[dict[str, Any]]:
    """UC0736 against the set-based limit, whole and per locality
    (:mod:`benchmarks.batches`); PostgreSQL only (the limit is one statement of
    data-modifying CTEs)."""
    return _against_limits(
        batch_bench.measure_ra_closing,
        ("RA batch closing", "requests/s"),
        gsan,
        sql,
        size,
        repeats,
    )


def measure_reconnection(
    gsan: gsan_core.System, sql: SqlBackend, size: int, repeats: int = REPEATS
) -> list[dict[str, Any]]:
    """UC1073 against the set-based limit, whole and per locality
    (:mod:`benchmarks.batches`); PostgreSQL only."""
    return _against_limits(
        batch_bench.measure_reconnection,
        ("UC1073 reconnection", "candidates/s"),
        gsan,
        sql,
        size,
        repeats,
    )


def _against_limits(
    measure: Callable[..., tuple[int, dict[str, list[float]]]],
    label: tuple[str, str],
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    repeats: int,
) -> list[dict[str, Any]]:
    """The figures of a :mod:`benchmarks.batches` measurement (``label``: its
    name and unit) with the library's peak memory; none off PostgreSQL."""
    if sql.engine.dialect.name != "postgresql":
        return []
    peaks: list[float] = []
    count, seconds = measure(
        gsan,
        sql,
        now=NOW,
        repeats=repeats,
        timed=timed,
        analyze=analyze,
        traced=traced_peak(peaks),
    )
    name, unit = label
    return _batch_figures(name, unit, size, count, seconds, peak_mib=peaks[0])


# ---------------------------------------------------------------- one point
def measure(
    backend: str,
    size: int,
    *,
    postgres_url: str | None,
    commands: int,
    repeats: int = REPEATS,
    only: Sequence[str] = STEPS,
) -> list[dict[str, Any]]:
    """Every figure (of the ``only`` steps) of one backend at one size."""
    # the commands read this module's constants: imported here, no cycle
    from benchmarks import scale_commands as single  # noqa: PLC0415

    figures: list[dict[str, Any]] = []
    with utility(backend, size, postgres_url) as (gsan, sql, generation_s):
        print(
            f"... {backend} {size:,}: ready in {generation_s:.1f} s",
            file=sys.stderr,
        )
        if backend != "postgres":  # there a template's copy, not the generator
            figures.append(
                {
                    "name": "synthetic generation",
                    "unit": "properties/s",
                    "size": size,
                    "library": size / generation_s,
                    "library_s": generation_s,
                }
            )
        steps: dict[str, Callable[[], Any]] = {
            "cut-orders": lambda: measure_cut_orders(gsan, sql, size, repeats),
            "overdue": lambda: measure_overdue(gsan, sql, size, repeats),
            "cut-closing": lambda: single.measure_cut_closing(
                gsan, sql, size, commands
            ),
            "replacement": lambda: single.measure_replacement(
                gsan, sql, size, commands
            ),
            "opening": lambda: single.measure_opening(gsan, sql, size, commands),
            # last: they change a tenth of the properties' situations
            "ra-closing": lambda: measure_ra_closing(gsan, sql, size, repeats),
            "reconnection": lambda: measure_reconnection(gsan, sql, size, repeats),
        }
        for name, step in steps.items():
            if name not in only:
                continue
            made = step()
            for figure in made if isinstance(made, list) else [made]:
                print(f"... {backend} {size:,}: {_line(figure)}", file=sys.stderr)
                figures.append(figure)
    for figure in figures:
        figure["backend"] = backend
        if "baseline" in figure:
            figure["ratio"] = figure["library"] / figure["baseline"]
    return figures


def _line(figure: dict[str, Any]) -> str:
    text = f"{figure['name']}: library {figure['library']:,.1f} {figure['unit']}"
    if "baseline" in figure:
        text += (
            f", baseline {figure['baseline']:,.1f}, "
            f"ratio {figure['library'] / figure['baseline']:.2f}"
        )
    if "peak_mib" in figure:
        text += f", peak {figure['peak_mib']:.1f} MiB"
    return text


# ---------------------------------------------------------------- report
def table(figures: Sequence[dict[str, Any]]) -> str:
    """The figures as a Markdown table (the one in ``docs/scale.md``)."""
    lines = [
        "| Figure | Backend | Properties | Library | Limit | Ratio | Spread | Peak |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for f in figures:
        baseline = f"{f['baseline']:,.1f}" if "baseline" in f else "—"
        ratio = f"{f['ratio']:.2f}" if "ratio" in f else "—"
        spread = (
            f"{f['library_spread']:.0%} / {f['baseline_spread']:.0%}"
            if "library_spread" in f
            else ""
        )
        peak = f"{f['peak_mib']:.1f} MiB" if "peak_mib" in f else ""
        lines.append(
            f"| {f['name']} ({f['unit']}) | {f['backend']} | {f['size']:,} | "
            f"{f['library']:,.1f} | {baseline} | {ratio} | {spread} | {peak} |"
        )
    return "\n".join(lines)


def plot(figures: Sequence[dict[str, Any]], path: Path) -> Path | None:
    """Throughput against size, library and baseline, per backend."""
    try:
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:  # the bench extra is not installed
        return None
    names = (
        "cut-order generation vs set-based, per chunk",
        "overdue-order closing vs set-based, per chunk",
    )
    fig, axes = plt.subplots(1, len(names), figsize=(11, 4.2))
    for axis, name in zip(axes, names, strict=True):
        for backend, style in (("sqlite", "-"), ("postgres", "--")):
            points = sorted(
                (f["size"], f["library"], f["baseline"])
                for f in figures
                if f["name"] == name and f["backend"] == backend
            )
            if not points:
                continue
            sizes = [p[0] for p in points]
            axis.plot(
                sizes, [p[1] for p in points], "o" + style, label=f"library, {backend}"
            )
            axis.plot(
                sizes,
                [p[2] for p in points],
                "s" + style,
                label=f"set-based limit, {backend}",
            )
        axis.set_xscale("log")
        axis.set_ylim(bottom=0)
        axis.set_xlabel("properties in the utility")
        axis.set_ylabel(figures_unit(figures, name))
        axis.set_title(name)
        axis.grid(visible=True, alpha=0.3)
        axis.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def figures_unit(figures: Sequence[dict[str, Any]], name: str) -> str:
    return next((f["unit"] for f in figures if f["name"] == name), "")


def write(figures: Sequence[dict[str, Any]], directory: Path, *, quick: bool) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "scale.json"
    document = {
        "area": "scale",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "python": platform.python_version(),
        "sqlalchemy": sa.__version__,
        "gsan_core": gsan_core.__version__,
        "cpus": os.cpu_count(),
        "figures": list(figures),
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale", description=__doc__
    )
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}")
    parser.add_argument("--sizes", help="comma-separated property counts")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--commands", type=int, default=200, help="calls per command")
    parser.add_argument(
        "--postgres-url", default=os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
    )
    parser.add_argument("--output-dir", type=Path, default=RESULTS)
    parser.add_argument(
        "--only",
        default=",".join(STEPS),
        help=f"comma-separated measurements (of {', '.join(STEPS)})",
    )
    args = parser.parse_args(argv)
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else list(QUICK_SIZES if args.quick else SIZES)
    )
    backends = [b for b in args.backends.split(",") if b]
    if "postgres" in backends and not args.postgres_url:
        print("skipping postgres: no --postgres-url", file=sys.stderr)
        backends.remove("postgres")
    figures: list[dict[str, Any]] = []
    for backend in backends:
        for size in sizes:
            figures.extend(
                measure(
                    backend,
                    size,
                    postgres_url=args.postgres_url,
                    commands=min(args.commands, max(20, size // 100)),
                    only=[s for s in args.only.split(",") if s],
                )
            )
            write(figures, args.output_dir, quick=args.quick)
    print(table(figures))
    picture = plot(figures, args.output_dir / "scale.png")
    print(
        f"written to {args.output_dir / 'scale.json'}"
        + (f" and {picture}" if picture else "")
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
