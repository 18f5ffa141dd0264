"""A place's month of supply windows saved at once beside its lean SQL (issue
20, eleventh round).

``service_desk.inform`` (PAM-01 "Informar Programação de Abastecimento e
Manutenção") saves the whole list of a place's month: a window with ``id`` 0
is added, a stored one given replaces it (PAM-05 on its version), a stored
one left out is removed, every window checked against the list
(PAM-02/PAM-03). Its lean version, in the pattern of
:mod:`benchmarks.lean_desk2` (PostgreSQL's, the checks asserts, the rules the
library's pure ones):

* :func:`lean_inform`: ``BEGIN``, the list's key locked (the library's
  advisory lock of the place and month), the month's windows read, the
  library's pure ``check_schedule`` over the final list, then every write in
  one statement of data-modifying CTEs: the removals and the changes as
  compare-and-set statements on the versions read, an insert a new window
  (single-row: SQLAlchemy caches its compiled form), one outbox row per
  window added, changed or removed (in the library's order), ``COMMIT``:
  5 statements (the library's 6 on PostgreSQL). The write's text depends
  only on how many windows are added, changed and removed (built once per
  shape). Ids of new windows are given (from :mod:`benchmarks.id_ranges`).

A second run of the same list finds the versions moved (a changed window's
PAM-05) and writes nothing. :func:`measure_inform` times it beside the
library (``python -m benchmarks.commands --only inform``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import id_ranges, lean_desk, lean_desk2, lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_desk import SupplySchedule, SupplyScheduleChanged
from gsan_core.rules import service_desk as rules

__all__ = ["AREAS", "COMMANDS", "lean_inform", "measure_inform", "month"]

#: The commands measured here (names of ``benchmarks.commands``).
COMMANDS = ("inform",)
#: The first area of the measures' months (above lean_desk2's, 8,000,000 to
#: 8,600,000).
AREAS = 9_000_000
#: The columns a window's change writes (its version moves by one).
_CHANGED = tuple(c for c in lean_desk._SCHEDULE_COLUMNS if c != "id")


def _write(sql: SqlBackend, removed: int, changed: int, added: int) -> Any:
    """The removals (``r<n>_id``, ``r<n>_version``), the compare-and-set
    changes (``c<n>_*``, ``c<n>_k_id``, ``c<n>_k_version``), the insert of
    the new windows (``a<n>_*``) and the outbox rows, one statement: a row of
    how many rows each wrote."""
    t = sql.tables["supply_schedule"]
    writes: list[Any] = [
        sa.delete(t)
        .where(
            t.c.id == sa.bindparam(f"r{n}_id", type_=t.c.id.type),
            t.c.version == sa.bindparam(f"r{n}_version", type_=t.c.version.type),
        )
        .returning(t.c.id)
        for n in range(removed)
    ]
    writes += [
        sa.update(t)
        .where(
            t.c.id == sa.bindparam(f"c{n}_k_id", type_=t.c.id.type),
            t.c.version == sa.bindparam(f"c{n}_k_version", type_=t.c.version.type),
        )
        .values({**lean_sql.bound(t, f"c{n}_", *_CHANGED), "version": t.c.version + 1})
        .returning(t.c.id)
        for n in range(changed)
    ]
    # one single-row insert a new window: SQLAlchemy caches their compiled
    # form, not a multi-row insert's (compiled anew on every call, the whole
    # statement with it)
    writes += [
        sa.insert(t)
        .values(
            {**lean_sql.bound(t, f"a{n}_", *lean_desk._SCHEDULE_COLUMNS), "version": 1}
        )
        .returning(t.c.id)
        for n in range(added)
    ]
    writes += lean_sql.outbox_rows(sql, added + changed + removed)
    ctes = [w.cte(f"w{n}") for n, w in enumerate(writes)]
    return sa.select(
        *(
            sa.select(sa.func.count()).select_from(c).scalar_subquery().label(f"n{n}")
            for n, c in enumerate(ctes)
        )
    )


def _event(n: int, window: SupplySchedule, what: str, now: datetime, actor: int) -> Any:
    event = SupplyScheduleChanged(
        occurred_at=now,
        actor=actor,
        schedule_id=window.id,
        kind=window.kind,
        change=what,
    )
    (payload,) = serialization.to_dicts([event])
    return lean_sql.event(n, event.tag, now, actor, payload)


def lean_inform(
    sql: SqlBackend,
    *,
    place: SupplySchedule,
    windows: Sequence[SupplySchedule],
    ids: Sequence[int],
    now: datetime,
    actor: int,
    overlap_as_gsan: bool = False,
) -> tuple[SupplySchedule, ...]:
    """PAM-01's whole list of ``place``'s month, lean (see the module): the
    new windows (``id`` 0) take ``ids`` in turn; returns the final list as
    the library does (by start, time and id)."""
    lock = lean_sql.built(sql, "desk window lock", lean_desk._lock)
    read = lean_sql.built(sql, "desk window read", lambda: lean_desk._window_read(sql))
    params = lean_desk2._place(place)
    key = "supply schedule " + "/".join(
        "-" if p is None else str(p) for p in params.values()
    )
    fresh = iter(ids)
    with sql.engine.begin() as connection:
        connection.execute(lock, {"k_key": key})
        stored = {
            w.id: w
            for w in (
                lean_desk._schedule_of(r)
                for r in connection.execute(read, params).mappings()
            )
        }
        added, changed, unchanged = [], [], []
        for window in windows:
            located = attrs.evolve(
                window,
                **{k: getattr(place, k) for k in _PLACE},
            )
            current = stored.get(window.id)
            if window.id == 0:
                added.append(attrs.evolve(located, id=next(fresh), version=1))
                continue
            assert current is not None
            assert current.version == window.version  # PAM-05
            if located == current:
                unchanged.append(current)
            else:
                changed.append(attrs.evolve(located, version=current.version + 1))
        final = [*added, *changed, *unchanged]
        found = [
            v
            for w in final
            for v in rules.check_schedule(w, final, overlap_as_gsan=overlap_as_gsan)
        ]
        assert not found, found
        listed = {w.id for w in final}
        removed = [w for ident, w in stored.items() if ident not in listed]
        shape = (len(removed), len(changed), len(added))
        write = lean_sql.built(sql, f"desk inform {shape}", lambda: _write(sql, *shape))
        values: dict[str, Any] = {}
        mapper = sql.mappers.supply_schedule
        for n, w in enumerate(removed):
            values |= {f"r{n}_id": w.id, f"r{n}_version": w.version}
        for n, w in enumerate(changed):
            row = mapper.to_row(w)
            values |= lean_sql.params(f"c{n}_", {c: row[c] for c in _CHANGED})
            values |= {f"c{n}_k_id": w.id, f"c{n}_k_version": w.version - 1}
        for n, w in enumerate(added):
            row = mapper.to_row(w)
            values |= lean_sql.params(
                f"a{n}_", {c: row[c] for c in lean_desk._SCHEDULE_COLUMNS}
            )
        events = [
            *((w, "added") for w in added),
            *((w, "changed") for w in changed),
            *((w, "removed") for w in removed),
        ]
        for n, (w, what) in enumerate(events):
            values |= _event(n, w, what, now, actor)
        counts = tuple(connection.execute(write, values).one())
        assert counts == (1,) * (len(removed) + len(changed) + len(added) + len(events))
    return tuple(sorted(final, key=lambda w: (w.starts_on, w.start_time, w.id)))


#: The fields naming a window's place and month.
_PLACE = (
    "reference",
    "municipality_id",
    "locality_id",
    "sector_id",
    "neighbourhood_id",
    "area_id",
)


def month(gsan: gsan_core.System, area: int) -> list[SupplySchedule]:
    """Three supply windows of ``area``'s month (January 2, 4 and 6), added
    through the library."""
    return [lean_desk.schedule(gsan, lean_desk._window(area, day)) for day in (2, 4, 6)]


def edited(made: Sequence[SupplySchedule]) -> list[SupplySchedule]:
    """The list as the screen sends it: the window of the 2nd removed, the 4th
    kept, the 6th moved to the 7th, a new one on the 10th."""
    _, kept, moved = made
    day7 = attrs.evolve(
        moved,
        starts_on=moved.starts_on.replace(day=7),
        ends_on=moved.ends_on.replace(day=7),
    )
    new = attrs.evolve(
        kept,
        id=0,
        version=1,
        starts_on=kept.starts_on.replace(day=10),
        ends_on=kept.ends_on.replace(day=10),
    )
    return [kept, day7, new]


def measure_inform(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` months (an area each, three windows added before the timing)
    informed by each side: one window removed, one kept, one changed, one
    added (4 writes and 3 events a call)."""
    first = AREAS + 10 * skip
    months = [month(gsan, first + n) for n in range(2 * count)]
    ids = id_ranges.take("inform: windows")

    def library(n: int) -> None:
        made = months[2 * n]
        gsan.service_desk.inform(place=made[0], windows=edited(made), actor=scale.ADMIN)

    def baseline(n: int) -> None:
        made = months[2 * n + 1]
        lean_inform(
            sql,
            place=made[0],
            windows=edited(made),
            ids=[next(ids)],
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "inform a place's month of windows (lean SQL)", size, library_s, baseline_s
    )
