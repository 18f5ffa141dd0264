"""Automatic scheduling (UC1190) beside a hand-written SQLAlchemy Core baseline.

``schedule_automatically``: 10,000 open orders of one unit over 50 teams of
eight hours for one day on PostgreSQL (target: ``ratio`` = library / baseline
time <= 2). The baseline does the same database work by hand: it locks the
roteiro, reads the candidates (orders of automatic types, open, not
programmed) with their types, the calibration rows and the day's programmings,
scores and places them with the same formula (going on past an order no team
has room for, the library's ``fill_gaps``), inserts the roteiro and the
programmings, locks and marks the placed orders, and writes one outbox row per
event. The library's peak Python memory (``tracemalloc``) is reported, and a plot
of the placements per team goes to ``benchmarks/results/scheduling.png``.

Run alone with ``python -m benchmarks.scheduling [--quick]``.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.harness import render
from benchmarks.orders import NOW, Scratch, scratch
from gsan_core import serialization
from gsan_core.model.scheduling import OrderProgrammed, OrdersScheduledAutomatically
from gsan_core.model.service_orders import (
    OrderSituation,
    ServiceOrder,
    ServiceType,
    TeamComponent,
)
from gsan_core.model.units import OrganizationalUnit, User

AREA = "scheduling"
ACTOR = 7001
TYPES = {981: 30, 982: 60, 983: 90, 984: 120}
RESULTS = Path(__file__).parent / "results"


def _load(db: Scratch, *, orders: int, teams: int) -> tuple[Any, list[int]]:
    """A seeded system with two units (library, baseline), each with ``teams``
    teams and ``orders`` open orders of automatic types."""
    gsan = db.system()
    gsan.units.register_many(
        [
            OrganizationalUnit(id=unit, name=f"UNIDADE BENCH {unit}", unit_type_id=12)
            for unit in (7001, 7002)
        ],
        actor=0,
    )
    gsan.units.register_users(
        [User(id=ACTOR, name="DESPACHANTE", unit_id=7001)], actor=0
    )
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=ident,
                description=f"SERVICO PROGRAMADO {ident}",
                abbreviation=f"PROG {ident}",
                average_execution_minutes=minutes,
                automatic_scheduling=True,
            )
            for ident, minutes in TYPES.items()
        ],
        actor=0,
    )
    urgent = gsan.catalog.add(
        "calibration",
        description="TIPO URGENTE",
        attributes={"kind": 6, "importance": 1, "weight": 4, "factor": 2},
        actor=0,
    )
    for low, high, weight in ((0, 9, 1), (10, 29, 2), (30, 9999, 3)):
        gsan.catalog.add(
            "calibration",
            description=f"ABERTA DE {low} A {high} DIAS",
            attributes={
                "kind": 5,
                "range_from": low,
                "range_to": high,
                "weight": weight,
            },
            actor=0,
        )
    gsan.scheduling.set_service_type_importance(importances={983: urgent.id}, actor=0)
    for unit in (7001, 7002):
        for n in range(teams):
            gsan.service_orders.add_team(
                name=f"EQUIPE {unit}-{n:03d}",
                unit_id=unit,
                work_minutes=480,
                components=[TeamComponent(name="ENCARREGADO", responsible=True)],
                automatic_scheduling=True,
                actor=0,
            )
    next_id = 1
    for unit in (7001, 7002):
        for first in range(0, orders, 5_000):
            with gsan.uow_factory() as uow:
                batch = []
                for n in range(first, min(first + 5_000, orders)):
                    batch.append(
                        ServiceOrder(
                            id=next_id,
                            service_type_id=list(TYPES)[n % len(TYPES)],
                            generated_at=NOW - timedelta(days=n % 45, minutes=n),
                            current_unit_id=unit,
                        )
                    )
                    next_id += 1
                uow.service_orders.add_many(batch)
                uow.commit()
    return gsan, list(TYPES)


# ---------------------------------------------------------------- the baseline
def _score(order: Any, today: date, rows: list[Any], type_row: dict[int, int]) -> int:
    """The calibration score, written out: six kinds, 1 x 1 when no row."""
    by_id = {r.id: r for r in rows}
    total = 0
    assigned = type_row.get(order.service_type_id)
    row = by_id.get(assigned) if assigned is not None else None
    total += row.weight * row.factor if row is not None and row.kind == 6 else 1
    total += 1  # location: no row for orders without a property
    days = max((today - order.generated_at.date()).days, 0)
    for kind, value in ((2, None), (3, 0), (4, 0), (5, days)):
        match = None
        if value is not None:
            match = next(
                (
                    r
                    for r in rows
                    if r.kind == kind
                    and r.range_from is not None
                    and r.range_to is not None
                    and r.range_from <= value <= r.range_to
                ),
                None,
            )
        total += match.weight * match.factor if match is not None else 1
    return total


def baseline(db: Scratch, unit_id: int, on: date) -> int:
    """UC1190 by hand in one transaction; returns the placements."""
    t = db.tables
    orders, types, teams = t["service_order"], t["service_type"], t["team"]
    programmings, schedules = t["scheduled_order"], t["schedule"]
    catalog, counter, outbox = t["catalog_item"], t["counter"], t["outbox"]
    with db.engine.begin() as connection:
        key = f"schedule:{unit_id}:{on.isoformat()}"
        connection.execute(
            sa.select(counter.c.value).where(counter.c.name == key).with_for_update()
        )
        candidates = connection.execute(
            sa.select(
                orders.c.id,
                orders.c.service_type_id,
                orders.c.generated_at,
                orders.c.version,
                types.c.average_execution_minutes,
                types.c.calibration_id,
            )
            .join(types, types.c.id == orders.c.service_type_id)
            .where(
                orders.c.current_unit_id == unit_id,
                orders.c.situation.in_([1, 3]),
                orders.c.scheduled.is_(False),
                types.c.automatic_scheduling.is_(True),
            )
        ).all()
        rows = [
            _Row(r)
            for r in connection.execute(
                sa.select(catalog).where(
                    catalog.c.kind == "calibration", catalog.c.active.is_(True)
                )
            ).mappings()
        ]
        staff = connection.execute(
            sa.select(teams.c.id, teams.c.work_minutes)
            .where(
                teams.c.unit_id == unit_id,
                teams.c.active.is_(True),
                teams.c.automatic_scheduling.is_(True),
            )
            .order_by(teams.c.id)
        ).all()
        type_row = {c.service_type_id: c.calibration_id for c in candidates}
        today = NOW.date()
        ranked = sorted(
            candidates,
            key=lambda c: (-_score(c, today, rows, type_row), c.generated_at, c.id),
        )
        free = {s.id: s.work_minutes for s in staff}
        sequence = dict.fromkeys(free, 0)
        placed: list[tuple[int, int, int]] = []
        for candidate in ranked:
            minutes = candidate.average_execution_minutes or 0
            fitting = [(free[k] - minutes, -k) for k in free if free[k] >= minutes]
            if not fitting:
                continue  # the library's fill_gaps: go on with smaller orders
            after, negative = max(fitting)
            free[-negative] = after
            sequence[-negative] += 1
            placed.append((candidate.id, -negative, sequence[-negative]))
        schedule_id = 10_000_000 + unit_id
        connection.execute(
            sa.insert(schedules),
            {
                "id": schedule_id,
                "unit_id": unit_id,
                "on": on,
                "closed": False,
                "closed_at": None,
                "closed_by": None,
                "version": 1,
            },
        )
        connection.execute(
            sa.insert(programmings),
            [
                {
                    "id": 20_000_000 + unit_id * 10_000 + n,
                    "schedule_id": schedule_id,
                    "order_id": order_id,
                    "team_id": team_id,
                    "unit_id": unit_id,
                    "on": on,
                    "sequence": seq,
                    "principal": True,
                    "active": True,
                    "scheduled_by": ACTOR,
                    "scheduled_at": NOW,
                    "outcome": None,
                    "reason_id": None,
                    "missing_equipment_id": None,
                    "closed_by": None,
                    "version": 1,
                }
                for n, (order_id, team_id, seq) in enumerate(placed)
            ],
        )
        ids = [p[0] for p in placed]
        connection.execute(
            sa.select(orders.c.id).where(orders.c.id.in_(ids)).with_for_update()
        )
        connection.execute(
            sa.update(orders)
            .where(orders.c.id.in_(ids))
            .values(scheduled=True, version=orders.c.version + 1)
        )
        events: list[Any] = [
            OrderProgrammed(
                occurred_at=NOW,
                actor=ACTOR,
                order_id=order_id,
                team_id=team_id,
                on=on,
                sequence=seq,
                principal=True,
                programming_id=0,
            )
            for order_id, team_id, seq in placed
        ]
        events.append(
            OrdersScheduledAutomatically(
                occurred_at=NOW,
                actor=ACTOR,
                unit_id=unit_id,
                on=on,
                order_ids=tuple(ids),
            )
        )
        last = connection.execute(
            sa.update(counter)
            .where(counter.c.name == "outbox")
            .values(value=counter.c.value + len(events))
            .returning(counter.c.value)
        ).scalar_one()
        connection.execute(
            sa.insert(outbox),
            [
                {
                    "id": last - len(events) + n + 1,
                    "tag": type(event).tag,
                    "occurred_at": NOW,
                    "actor": ACTOR,
                    "payload": serialization.to_dict(event),
                    "published_at": None,
                }
                for n, event in enumerate(events)
            ],
        )
    return len(placed)


class _Row:
    """A calibration row's typed values, read by hand."""

    def __init__(self, row: Any) -> None:
        values = row["attributes"]
        if isinstance(values, str):
            values = json.loads(values)
        self.id = row["id"]
        self.kind = values.get("kind")
        self.range_from = values.get("range_from")
        self.range_to = values.get("range_to")
        self.weight = values.get("weight", 1)
        self.factor = values.get("factor", 1)


# ---------------------------------------------------------------- measure
def measure(
    dialect: str, *, orders: int, teams: int, plot: bool = True
) -> dict[str, object]:
    """One run of each side over its own unit of the same database."""
    with scratch(dialect) as db:
        gsan, _ = _load(db, orders=orders, teams=teams)
        db.vacuum()
        on = NOW.date()
        started = time.perf_counter()
        placed_by_hand = baseline(db, 7002, on)
        baseline_s = time.perf_counter() - started
        gsan.calendar.is_business_day(on)  # the holidays package loads once
        started = time.perf_counter()
        result = gsan.scheduling.schedule_automatically(
            unit_id=7001, on=on, actor=ACTOR, fill_gaps=True
        )
        library_s = time.perf_counter() - started
        # the memory of a run that reads every candidate again (and places
        # nothing new): tracemalloc would slow the timed run
        tracemalloc.start()
        again = gsan.scheduling.schedule_automatically(
            unit_id=7001, on=on, actor=ACTOR, fill_gaps=True
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert again.placements == ()
        assert len(result.placements) == placed_by_hand, (
            len(result.placements),
            placed_by_hand,
        )
        per_team = result.placed_per_team()
        scheduled = gsan.service_orders.find_by(
            current_unit_id=7001, scheduled=True, situation=OrderSituation.PENDING
        )
        assert len(scheduled) == len(result.placements)
    if plot:
        _plot(per_team, RESULTS / "scheduling.png", orders=orders)
    return {
        "area": AREA,
        "name": "schedule_automatically",
        "backend": dialect,
        "size": orders,
        "teams": teams,
        "placements": len(result.placements),
        "library_s": library_s,
        "baseline_s": baseline_s,
        "ratio": library_s / baseline_s,
        "target": 2.0,
        "peak_mib": round(peak / 2**20, 1),
        "notes": (
            f"{len(result.placements)} placements over {teams} teams; library peak "
            f"{peak / 2**20:.1f} MiB (tracemalloc); plot: results/scheduling.png"
        ),
    }


def _plot(per_team: dict[int, int], path: Path, *, orders: int) -> Path | None:
    """Placements per team (a bar per team)."""
    try:
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:  # the bench extra is not installed
        return None
    teams = sorted(per_team)
    fig, axis = plt.subplots(figsize=(10, 3.6))
    axis.bar(range(len(teams)), [per_team[k] for k in teams])
    axis.set_xlabel("team (by id)")
    axis.set_ylabel("orders placed")
    axis.set_title(
        f"UC1190: placements per team ({orders:,} open orders, {len(teams)} teams)"
    )
    axis.grid(visible=True, axis="y", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def run(quick: bool) -> list[dict[str, object]]:
    """Every figure of this area (``quick``: small sizes, for a smoke run)."""
    if quick:
        return [measure("postgresql", orders=1_000, teams=10, plot=False)]
    return [measure("postgresql", orders=10_000, teams=50)]


def main(argv: Sequence[str]) -> int:
    """Print this area's figures."""
    print(render(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
