"""The heaviest scheduling commands beside their lean SQL (issue 20, seventh
round).

The lean versions are hand-written PostgreSQL (the benchmark's database):
the roteiro's named lock (its counter row), one read of what the rules need
with the orders locked, one write statement of data-modifying CTEs with the
outbox rows, ``COMMIT``. Their checks are asserts (the measured calls are all
accepted); each statement is a text built once per set of tables, its values
bound (the orders' ids and versions as arrays).

* :func:`lean_program`: program orders on one team's day, at its end
  (PRG-01..PRG-08, PRG-12): lock the day, lock the orders with their types'
  minutes and active programmings, the team with its day's load and the
  roteiro; then the roteiro (when new), the programmings, the orders and one
  ``schedule.order_programmed`` each;
* :func:`lean_move`: move an order's programming to another team at the end
  of its day (PRG-09, PRG-11, PRG-12): the day's lock taken from the
  programming's row, the order locked with the day's rows and the target
  team in one read; then the row ended, the rows after it renumbered, the
  new row and ``schedule.programming_moved``.

* :func:`lean_schedule_automatically`: UC1190 for one unit and day: the
  day's lock, the unit's automatic teams with their day's load (and special
  day, ROT-05) and roteiro, the candidates (the unit's schedulable orders with
  their types, requests, localities and the day before's missing equipment),
  then one write (the roteiro when new, the programmings, the orders by
  compare-and-set on the versions read, ``schedule.order_programmed`` each
  and ``schedule.orders_scheduled_automatically``). The calibration rows and
  the business day are read once and kept (:func:`auto_kept`), as the
  library caches them; the placement is the library's pure rule
  (``auto.place``). It takes no batch lease: the day's lock serialises two
  runs of a unit's day.

:func:`measure_program`, :func:`measure_move` and :func:`measure_automatic`
time them beside the library
(``python -m benchmarks.commands --only
program_orders,move_order,schedule_auto``) on a
small scheduling set-up of the seeded utility (:func:`setting`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import NotFound
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.scheduling import (
    OrderProgrammed,
    OrdersScheduledAutomatically,
    PrioritizationKind,
    ProgrammingMoved,
    ScheduleOutcome,
)
from gsan_core.model.service_orders import ServiceType, Team, TeamComponent
from gsan_core.rules.scheduling import automatic as auto
from gsan_core.testing.scenarios import Scenario

__all__ = [
    "MINUTES",
    "OUTBOX_TEXT",
    "PROGRAMMED_TAIL",
    "ROTEIRO_HEAD",
    "AutoKept",
    "Setting",
    "auto_kept",
    "auto_unit",
    "lean_move",
    "lean_program",
    "lean_schedule_automatically",
    "measure_automatic",
    "measure_move",
    "measure_program",
    "setting",
]

#: The service type of the benchmark's orders and its minutes.
QUICK = 9_991
MINUTES = 30
#: Orders a team's day takes in the benchmark (10 x 30 minutes of 480).
PER_DAY = 10
_IDS = postgresql.ARRAY(sa.BigInteger)
_INTS = postgresql.ARRAY(sa.Integer)
_TEXTS = postgresql.ARRAY(sa.Text)


@attrs.frozen
class Setting:
    """A unit with four teams of eight hours (the library's two, the lean
    version's two), its dispatcher, and how to open an order there."""

    unit_id: int
    actor: int
    teams: tuple[Team, ...]
    order: Callable[[], int]


def _quick_type(gsan: gsan_core.System) -> None:
    """The benchmark's 30-minute service type, added once."""
    try:
        gsan.service_orders.get_type(QUICK)
    except NotFound:
        gsan.service_orders.add_types(
            [
                ServiceType(
                    id=QUICK,
                    description="VISTORIA BENCH",
                    abbreviation="VIST BENCH",
                    average_execution_minutes=MINUTES,
                )
            ],
            actor=0,
        )


def setting(gsan: gsan_core.System, tag: str = "") -> Setting:
    """The scenario's office (an empty database), four teams named with
    ``tag``; an order is opened on a new connected property."""
    given = Scenario(gsan)
    place = given.ready()
    _quick_type(gsan)
    teams = tuple(
        given.team(f"EQUIPE BENCH {tag}{k}", work_minutes=480) for k in range(4)
    )
    return Setting(place.office, place.technician, teams, lambda: given.order(QUICK).id)


def utility_setting(
    gsan: gsan_core.System, sql: SqlBackend, tag: str, properties: int
) -> Setting:
    """The seeded utility's administrator's unit, four teams named with
    ``tag``; orders opened on ``properties`` connected properties (those
    after the ones of earlier tags: each order on a property of its own)."""
    _quick_type(gsan)
    _TAGS.append(tag)
    found = scale_commands.connected(sql, metered=False, limit=properties * len(_TAGS))[
        -properties:
    ]
    with sql.engine.connect() as connection:
        users = sql.tables["user"]
        unit_id = connection.execute(
            sa.select(users.c.unit_id).where(users.c.id == scale.ADMIN)
        ).scalar_one()
    teams = tuple(
        gsan.service_orders.add_team(
            name=f"EQUIPE BENCH {tag}{k}",
            unit_id=unit_id,
            work_minutes=480,
            components=[TeamComponent(employee_id=scale.ADMIN, responsible=True)],
            actor=scale.ADMIN,
        )
        for k in range(4)
    )
    homes = iter(found)

    def order() -> int:
        return gsan.service_orders.generate(
            service_type_id=QUICK,
            property_id=next(homes),
            actor=scale.ADMIN,
            unit_id=unit_id,
        ).id

    return Setting(unit_id, scale.ADMIN, teams, order)


#: The tags of the settings made on the utility so far (their properties).
_TAGS: list[str] = []


def working_days(first: date, count: int) -> list[date]:
    """``count`` weekdays from ``first``."""
    days = (first + timedelta(days=n) for n in itertools.count())
    return list(itertools.islice((d for d in days if d.weekday() < 5), count))


# ================================================================ SQL
def _names(sql: SqlBackend) -> dict[str, str]:
    return {
        k: sql.tables[k].fullname
        for k in (
            "counter",
            "outbox",
            "schedule",
            "scheduled_order",
            "service_order",
            "service_type",
            "team",
        )
    }


_LOCK = """INSERT INTO {counter} AS k (name, value) VALUES (:key, 0)
ON CONFLICT (name) DO UPDATE SET value = k.value RETURNING k.value"""

#: The outbox counter's upsert and the outbox rows (``:n`` of them, tags
#: ``:tags``, JSON texts ``:payloads``, at ``:at`` by ``:actor``) as two CTEs
#: of a text statement (the other lean texts end with it).
OUTBOX_TEXT = """c AS (INSERT INTO {counter} AS k (name, value) VALUES ('outbox', :n)
  ON CONFLICT (name) DO UPDATE SET value = k.value + :n RETURNING k.value),
b AS (INSERT INTO {outbox} (id, tag, occurred_at, actor, payload, published_at)
  SELECT c.value - :n + e.ord, e.tag, :at, :actor, CAST(e.payload AS jsonb), NULL
  FROM c, unnest(CAST(:tags AS text[]), CAST(:payloads AS text[]))
    WITH ORDINALITY AS e(tag, payload, ord) RETURNING 1)"""

#: The start of the texts that program orders: the roteiro ``:schedule_id``
#: of ``:unit``'s day ``:on``, added when ``:new_schedule`` (CTE ``s``).
ROTEIRO_HEAD = """WITH s AS (INSERT INTO {schedule}
  (id, unit_id, "on", closed, closed_at, closed_by, version)
  SELECT :schedule_id, :unit, :on, false, NULL, NULL, 1 WHERE :new_schedule
  RETURNING id),
"""

#: The end of the texts that program orders (:func:`lean_program`,
#: :func:`lean_schedule_automatically`), after their roteiro's and
#: programmings' CTEs (``s``, ``p``): the orders marked programmed by
#: compare-and-set on the versions read (``:orders``, ``:versions``), the
#: outbox (:data:`OUTBOX_TEXT`), and the counts of orders updated and
#: programmings added.
PROGRAMMED_TAIL = (
    """u AS (UPDATE {service_order} o SET scheduled = true, version = o.version + 1
  FROM unnest(CAST(:orders AS bigint[]), CAST(:versions AS integer[]))
    AS k(id, version)
  WHERE o.id = k.id AND o.version = k.version RETURNING 1),
"""
    + OUTBOX_TEXT
    + """
SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM p)"""
)

_PROGRAM_READ = """SELECT o.id, o.version, o.situation, o.scheduled,
  st.average_execution_minutes AS minutes,
  (SELECT count(*) FROM {scheduled_order} p
    WHERE p.order_id = o.id AND p.active) AS active_rows
FROM {service_order} o JOIN {service_type} st ON st.id = o.service_type_id
WHERE o.id = ANY(CAST(:orders AS bigint[])) ORDER BY o.id FOR UPDATE OF o"""

_DAY_READ = """SELECT tm.work_minutes, tm.active,
  (SELECT s.id FROM {schedule} s WHERE s.unit_id = :unit AND s."on" = :on)
    AS schedule_id,
  (SELECT s.closed FROM {schedule} s WHERE s.unit_id = :unit AND s."on" = :on)
    AS closed,
  (SELECT count(*) FROM {scheduled_order} p WHERE p.unit_id = :unit
    AND p."on" = :on AND p.team_id = tm.id AND p.active) AS taken,
  (SELECT coalesce(sum(st.average_execution_minutes), 0)
    FROM {scheduled_order} p JOIN {service_order} o ON o.id = p.order_id
    JOIN {service_type} st ON st.id = o.service_type_id
    WHERE p.unit_id = :unit AND p."on" = :on AND p.team_id = tm.id
      AND p.active) AS used
FROM {team} tm WHERE tm.id = :team"""

_PROGRAM_WRITE = (
    ROTEIRO_HEAD
    + """p AS (INSERT INTO {scheduled_order} (id, schedule_id, order_id, team_id,
  unit_id, "on", sequence, principal, active, scheduled_by, scheduled_at,
  outcome, reason_id, missing_equipment_id, closed_by, version)
  SELECT r.id, :schedule_id, r.order_id, :team, :unit, :on, r.seq, true, true,
    :actor, :at, NULL, NULL, NULL, NULL, 1
  FROM unnest(CAST(:ids AS bigint[]), CAST(:orders AS bigint[]),
    CAST(:seqs AS integer[])) AS r(id, order_id, seq) RETURNING 1),
"""
    + PROGRAMMED_TAIL
)


def _text(sql: SqlBackend, name: str, template: str) -> Any:
    return lean_sql.built(
        sql, f"scheduling {name}", lambda: sa.text(template.format(**_names(sql)))
    )


def _events(events: Sequence[Any]) -> dict[str, Any]:
    return {
        "n": len(events),
        "tags": [type(e).tag for e in events],
        "payloads": [serialization.dumps(e) for e in events],
    }


def lean_program(
    sql: SqlBackend,
    *,
    unit_id: int,
    on: date,
    team_id: int,
    order_ids: Sequence[int],
    first_id: int,
    schedule_id: int,
    now: datetime,
    actor: int,
) -> list[int]:
    """Program ``order_ids`` at the end of ``team_id``'s day ``on``, lean:
    the day's lock, the orders locked and read, the team's day read, then
    one write; the programmings' ids."""
    key = f"schedule:{unit_id}:{on.isoformat()}"
    orders = sorted(order_ids)
    with sql.engine.begin() as connection:
        connection.execute(_text(sql, "lock", _LOCK), {"key": key})
        read = connection.execute(
            _text(sql, "program read", _PROGRAM_READ), {"orders": orders}
        ).all()
        day = connection.execute(
            _text(sql, "day read", _DAY_READ),
            {"unit": unit_id, "on": on, "team": team_id},
        ).one()
        # PRG-01..PRG-07, PRG-12: open, not programmed, the team's room
        assert len(read) == len(orders)
        assert day.active
        assert not day.closed
        assert all(r.situation in (1, 3) and r.active_rows == 0 for r in read)
        versions = {r.id: r.version for r in read}
        minutes = sum(r.minutes or 0 for r in read)
        assert day.used + minutes <= day.work_minutes
        ids = list(range(first_id, first_id + len(order_ids)))
        seqs = list(range(day.taken + 1, day.taken + 1 + len(order_ids)))
        schedule = day.schedule_id or schedule_id
        events = [
            OrderProgrammed(
                occurred_at=now,
                actor=actor,
                order_id=order_id,
                team_id=team_id,
                on=on,
                sequence=seq,
                principal=True,
                programming_id=ident,
            )
            for ident, order_id, seq in zip(ids, order_ids, seqs, strict=True)
        ]
        updated, added = connection.execute(
            _text(sql, "program write", _PROGRAM_WRITE),
            {
                "schedule_id": schedule,
                "new_schedule": day.schedule_id is None,
                "unit": unit_id,
                "on": on,
                "team": team_id,
                "actor": actor,
                "at": now,
                "ids": ids,
                "orders": list(order_ids),
                "seqs": seqs,
                "versions": [versions[o] for o in order_ids],
                **_events(events),
            },
        ).one()
        assert updated == added == len(order_ids)
    return ids


_MOVE_LOCK = """INSERT INTO {counter} AS k (name, value)
SELECT 'schedule:' || p.unit_id || ':' || :on_text, 0 FROM {scheduled_order} p
WHERE p.order_id = :order AND p."on" = :on AND p.active LIMIT 1
ON CONFLICT (name) DO UPDATE SET value = k.value RETURNING k.value"""

_MOVE_READ = """SELECT o.version, o.situation, st.average_execution_minutes
    AS minutes, tm.unit_id AS team_unit, tm.work_minutes, tm.active,
  (SELECT json_agg(json_build_array(p.id, p.order_id, p.team_id, p.sequence,
      p.version, p.schedule_id, p.unit_id, pst.average_execution_minutes)
      ORDER BY p.team_id, p.sequence, p.id)
    FROM {scheduled_order} p JOIN {service_order} po ON po.id = p.order_id
    JOIN {service_type} pst ON pst.id = po.service_type_id
    WHERE p.unit_id = tm.unit_id AND p."on" = :on AND p.active) AS day
FROM {service_order} o JOIN {service_type} st ON st.id = o.service_type_id
  JOIN {team} tm ON tm.id = :target
WHERE o.id = :order FOR UPDATE OF o"""

_MOVE_WRITE = (
    """WITH e AS (UPDATE {scheduled_order} p SET active = false,
    outcome = :outcome, reason_id = NULL, missing_equipment_id = NULL,
    closed_by = :actor, version = p.version + 1
  WHERE p.id = :row AND p.version = :row_version RETURNING 1),
r AS (UPDATE {scheduled_order} p SET sequence = p.sequence - 1,
    version = p.version + 1
  FROM unnest(CAST(:after AS bigint[]), CAST(:after_versions AS integer[]))
    AS k(id, version)
  WHERE p.id = k.id AND p.version = k.version RETURNING 1),
m AS (INSERT INTO {scheduled_order} (id, schedule_id, order_id, team_id,
  unit_id, "on", sequence, principal, active, scheduled_by, scheduled_at,
  outcome, reason_id, missing_equipment_id, closed_by, version)
  VALUES (:id, :schedule_id, :order, :target, :unit, :on, :sequence, true,
    true, :actor, :at, NULL, NULL, NULL, NULL, 1) RETURNING 1),
"""
    + OUTBOX_TEXT
    + """
SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM r), (SELECT count(*) FROM m)"""
)


def lean_move(
    sql: SqlBackend,
    *,
    order_id: int,
    on: date,
    to_team_id: int,
    new_id: int,
    now: datetime,
    actor: int,
) -> int:
    """Move ``order_id``'s programming of ``on`` to the end of
    ``to_team_id``'s day, lean: the day's lock from the programming's row,
    one read (the order locked, the day's rows, the target team), one
    write; the new programming's id."""
    with sql.engine.begin() as connection:
        locked = connection.execute(
            _text(sql, "move lock", _MOVE_LOCK),
            {"order": order_id, "on": on, "on_text": on.isoformat()},
        ).first()
        assert locked is not None  # programmed that day
        read = connection.execute(
            _text(sql, "move read", _MOVE_READ),
            {"order": order_id, "on": on, "target": to_team_id},
        ).one()
        rows = read.day
        (row,) = [r for r in rows if r[1] == order_id]
        ident, _, team_id, sequence, version, schedule_id, unit_id, _ = row
        target = [r for r in rows if r[2] == to_team_id]
        # PRG-09, PRG-11, PRG-12: the unit's active team, its room
        assert read.active
        assert read.team_unit == unit_id
        assert team_id != to_team_id
        used = sum(r[7] or 0 for r in target)
        assert used + (read.minutes or 0) <= read.work_minutes
        after = [r for r in rows if r[2] == team_id and r[3] > sequence]
        event = ProgrammingMoved(
            occurred_at=now,
            actor=actor,
            order_id=order_id,
            on=on,
            from_team_id=team_id,
            to_team_id=to_team_id,
            programming_id=new_id,
        )
        ended, renumbered, added = connection.execute(
            _text(sql, "move write", _MOVE_WRITE),
            {
                "outcome": ScheduleOutcome.RELOCATED.value,
                "actor": actor,
                "row": ident,
                "row_version": version,
                "after": [r[0] for r in after],
                "after_versions": [r[4] for r in after],
                "id": new_id,
                "schedule_id": schedule_id,
                "order": order_id,
                "target": to_team_id,
                "unit": unit_id,
                "on": on,
                "sequence": len(target) + 1,
                "at": now,
                **_events([event]),
            },
        ).one()
        assert (ended, renumbered, added) == (1, len(after), 1)
    return new_id


# ================================================================ timing
def _orders(place: Setting, count: int) -> list[int]:
    return [place.order() for _ in range(count)]


def _ids(name: str) -> id_ranges.IdRange:
    return id_ranges.take(name)


def measure_program(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` orders programmed one a call by each side (``PER_DAY`` a
    team's day, the library's team beside the lean version's), on orders
    generated for the repeat (outside the timing)."""
    place = utility_setting(gsan, sql, f"P{skip} ", 2 * count)
    orders = _orders(place, 2 * count)
    days = working_days(scale.TODAY + timedelta(days=1 + 30 * skip), count)
    scale.analyze(sql)
    ids = _ids("program_orders")
    library_team, lean_team = place.teams[0].id, place.teams[2].id

    def library(n: int) -> None:
        gsan.scheduling.program(
            unit_id=place.unit_id,
            on=days[n // PER_DAY],
            team_ids=[library_team],
            order_ids=[orders[2 * n]],
            actor=place.actor,
        )

    def baseline(n: int) -> None:
        lean_program(
            sql,
            unit_id=place.unit_id,
            on=days[n // PER_DAY],
            team_id=lean_team,
            order_ids=[orders[2 * n + 1]],
            first_id=next(ids),
            schedule_id=next(ids),
            now=scale.NOW,
            actor=place.actor,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "program an order (lean SQL)", size, library_s, baseline_s
    )


def measure_move(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` programmings moved to another team by each side, of orders
    programmed for the repeat (``PER_DAY`` a day, outside the timing)."""
    place = utility_setting(gsan, sql, f"M{skip} ", 2 * count)
    orders = _orders(place, 2 * count)
    days = working_days(scale.TODAY + timedelta(days=1 + 30 * skip), count)
    teams = [t.id for t in place.teams]
    for k in range(0, count, PER_DAY):
        for side in (0, 1):
            gsan.scheduling.program(
                unit_id=place.unit_id,
                on=days[k // PER_DAY],
                team_ids=[teams[2 * side]],
                order_ids=orders[2 * k + side : 2 * (k + PER_DAY) : 2],
                actor=place.actor,
            )
    scale.analyze(sql)
    ids = _ids("move_order")

    def library(n: int) -> None:
        gsan.scheduling.move(
            order_id=orders[2 * n],
            on=days[n // PER_DAY],
            to_team_id=teams[1],
            actor=place.actor,
        )

    def baseline(n: int) -> None:
        lean_move(
            sql,
            order_id=orders[2 * n + 1],
            on=days[n // PER_DAY],
            to_team_id=teams[3],
            new_id=next(ids),
            now=scale.NOW,
            actor=place.actor,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "move an order to another team (lean SQL)", size, library_s, baseline_s
    )


# ================================================================ UC1190
_AUTO_TEAMS = """SELECT tm.*,
  (SELECT count(*) FROM {scheduled_order} p WHERE p.unit_id = :unit
    AND p."on" = :on AND p.team_id = tm.id AND p.active) AS taken,
  (SELECT coalesce(sum(st.average_execution_minutes), 0)
    FROM {scheduled_order} p JOIN {service_order} o ON o.id = p.order_id
    JOIN {service_type} st ON st.id = o.service_type_id
    WHERE p.unit_id = :unit AND p."on" = :on AND p.team_id = tm.id
      AND p.active) AS used,
  EXISTS (SELECT 1 FROM {special_day} d WHERE d.team_id = tm.id
    AND d."on" = :on) AS special,
  (SELECT s.id FROM {schedule} s WHERE s.unit_id = :unit AND s."on" = :on)
    AS schedule_id
FROM {team} tm WHERE tm.unit_id = :unit AND tm.active
  AND tm.automatic_scheduling ORDER BY tm.id"""

_AUTO_CANDIDATES = """SELECT o.id, o.generated_at, o.version,
  st.average_execution_minutes AS minutes, st.calibration_id,
  r.reiterations, r.reactivation_of_id, pr.locality_id,
  (SELECT p.missing_equipment_id FROM {scheduled_order} p
    WHERE p.order_id = o.id AND p.unit_id = :unit AND p."on" = :before
      AND p.outcome = :not_closed AND p.missing_equipment_id IS NOT NULL
    ORDER BY p.id DESC LIMIT 1) AS missing
FROM {service_order} o JOIN {service_type} st ON st.id = o.service_type_id
  LEFT JOIN {service_request} r ON r.id = o.request_id
  LEFT JOIN {property} pr ON pr.id = o.property_id
WHERE o.current_unit_id = :unit AND o.situation IN (1, 3)
  AND NOT o.scheduled AND st.automatic_scheduling ORDER BY o.id"""

_AUTO_WRITE = (
    ROTEIRO_HEAD
    + """p AS (INSERT INTO {scheduled_order} (id, schedule_id, order_id, team_id,
  unit_id, "on", sequence, principal, active, scheduled_by, scheduled_at,
  outcome, reason_id, missing_equipment_id, closed_by, version)
  SELECT r.id, :schedule_id, r.order_id, r.team_id, :unit, :on, r.seq, true,
    true, :actor, :at, NULL, NULL, NULL, NULL, 1
  FROM unnest(CAST(:ids AS bigint[]), CAST(:orders AS bigint[]),
    CAST(:teams AS bigint[]), CAST(:seqs AS integer[]))
    AS r(id, order_id, team_id, seq) RETURNING 1),
"""
    + PROGRAMMED_TAIL
)


def _auto_text(sql: SqlBackend, name: str, template: str) -> Any:
    names = _names(sql) | {
        k: sql.tables[k].fullname
        for k in ("special_day", "service_request", "property")
    }
    return lean_sql.built(
        sql, f"scheduling {name}", lambda: sa.text(template.format(**names))
    )


@attrs.frozen(kw_only=True)
class AutoKept:
    """What the lean run reads once and keeps, as the library caches it: the
    active calibration rows, whether the unit's day is a business day, the
    zone and the profile's ``fill_gaps``."""

    calibration: Mapping[int, CatalogItem]
    business_day: bool
    zone: tzinfo
    fill_gaps: bool


def auto_kept(gsan: gsan_core.System, unit_id: int, on: date) -> AutoKept:
    """:class:`AutoKept` of ``gsan`` for ``unit_id``'s day ``on``."""
    unit = gsan.units.get(unit_id)
    locality = (
        None if unit.locality_id is None else gsan.properties.locality(unit.locality_id)
    )
    calendar = gsan.calendar
    business = (
        calendar.is_business_day(on)
        if locality is None or locality.municipality_id is None
        else calendar.is_business_day(
            on, scope="municipal", municipality_id=locality.municipality_id
        )
    )
    return AutoKept(
        calibration={r.id: r for r in gsan.scheduling.calibration()},
        business_day=business,
        zone=ZoneInfo(gsan.profile.timezone),
        fill_gaps=gsan.profile.service_orders.automatic_scheduling_fills_gaps,
    )


def _auto_candidates(
    rows: Sequence[Any], keep: AutoKept, today: date
) -> list[auto.Candidate]:
    """CAL-03's facts of each schedulable order (its location row only when
    the calibration has location rows)."""
    location_rows = {
        r.integer("locality_id"): r.id
        for r in sorted(keep.calibration.values(), key=lambda r: r.id)
        if r.integer("kind") == PrioritizationKind.LOCATION
        and r.integer("locality_id") is not None
    }
    return [
        auto.Candidate(
            order_id=r.id,
            generated_at=r.generated_at,
            minutes=r.minutes or 0,
            location_calibration_id=location_rows.get(r.locality_id),
            service_type_calibration_id=r.calibration_id,
            reiterations=r.reiterations or 0,
            recurrences=0 if r.reactivation_of_id is None else 1,
            days_open=max(
                (today - r.generated_at.astimezone(keep.zone).date()).days, 0
            ),
            missing_equipment_id=r.missing,
        )
        for r in rows
    ]


def lean_schedule_automatically(
    sql: SqlBackend,
    *,
    unit_id: int,
    on: date,
    keep: AutoKept,
    ids: Iterator[int],
    now: datetime,
    today: date,
    actor: int,
) -> list[auto.Placement]:
    """UC1190 for one unit and day, lean: the day's lock, the unit's teams
    with their day's load, the candidates, then one write (the roteiro when
    new, the programmings, the orders by compare-and-set, the outbox rows);
    the placements."""
    assert (on.year, on.month) >= (today.year, today.month)  # PRG-04
    with sql.engine.begin() as connection:
        connection.execute(
            _text(sql, "lock", _LOCK), {"key": f"schedule:{unit_id}:{on.isoformat()}"}
        )
        rows = (
            connection.execute(
                _auto_text(sql, "auto teams", _AUTO_TEAMS), {"unit": unit_id, "on": on}
            )
            .mappings()
            .all()
        )
        names = [c.key for c in sql.tables["team"].c]
        teams = [
            sql.mappers.team.from_row({k: r[k] for k in names})
            for r in rows
            if keep.business_day or r["special"]  # ROT-05
        ]
        day = {r["id"]: r for r in rows}
        found = connection.execute(
            _auto_text(sql, "auto candidates", _AUTO_CANDIDATES),
            {
                "unit": unit_id,
                "before": on - timedelta(days=1),
                "not_closed": ScheduleOutcome.NOT_CLOSED.value,
            },
        ).all()
        placements, _left = auto.place(
            _auto_candidates(found, keep, today),
            teams=teams,
            used={t.id: day[t.id]["used"] for t in teams},
            taken={t.id: day[t.id]["taken"] for t in teams},
            calibration=keep.calibration,
            fill_gaps=keep.fill_gaps,
        )
        if placements:
            existing = rows[0]["schedule_id"] if rows else None
            _auto_write(
                sql,
                connection,
                placements,
                versions={r.id: r.version for r in found},
                schedule_id=existing or next(ids),
                new_schedule=existing is None,
                unit_id=unit_id,
                on=on,
                ids=ids,
                now=now,
                actor=actor,
            )
    return placements


def _auto_write(
    sql: SqlBackend,
    connection: sa.Connection,
    placements: Sequence[auto.Placement],
    *,
    versions: Mapping[int, int],
    schedule_id: int,
    new_schedule: bool,
    unit_id: int,
    on: date,
    ids: Iterator[int],
    now: datetime,
    actor: int,
) -> None:
    """The run's one write statement and its outbox rows."""
    made = [next(ids) for _ in placements]
    events: list[Any] = [
        OrderProgrammed(
            occurred_at=now,
            actor=actor,
            order_id=p.order_id,
            team_id=p.team_id,
            on=on,
            sequence=p.sequence,
            principal=True,
            programming_id=ident,
        )
        for ident, p in zip(made, placements, strict=True)
    ]
    events.append(
        OrdersScheduledAutomatically(
            occurred_at=now,
            actor=actor,
            unit_id=unit_id,
            on=on,
            order_ids=tuple(p.order_id for p in placements),
        )
    )
    orders = [p.order_id for p in placements]
    updated, added = connection.execute(
        _auto_text(sql, "auto write", _AUTO_WRITE),
        {
            "schedule_id": schedule_id,
            "new_schedule": new_schedule,
            "unit": unit_id,
            "on": on,
            "actor": actor,
            "at": now,
            "ids": made,
            "orders": orders,
            "teams": [p.team_id for p in placements],
            "seqs": [p.sequence for p in placements],
            "versions": [versions[o] for o in orders],
            **_events(events),
        },
    ).one()
    # the candidates were read unlocked: a changed order gives up (as the
    # library's ConcurrencyConflict; never in the benchmark)
    assert updated == added == len(placements)


#: The automatic-scheduling service type of :func:`measure_automatic` (30
#: minutes) and its teams' day (two orders each).
AUTO_TYPE = 9_992
AUTO_TEAM_MINUTES = 2 * MINUTES


def _auto_type(gsan: gsan_core.System) -> None:
    """The benchmark's automatic-scheduling service type, added once."""
    try:
        gsan.service_orders.get_type(AUTO_TYPE)
    except NotFound:
        gsan.service_orders.add_types(
            [
                ServiceType(
                    id=AUTO_TYPE,
                    description="AFERICAO BENCH",
                    abbreviation="AFER BENCH",
                    average_execution_minutes=MINUTES,
                    automatic_scheduling=True,
                )
            ],
            actor=0,
        )


def auto_unit(
    gsan: gsan_core.System,
    unit_id: int,
    homes: Sequence[int],
    *,
    actor: int,
    tag: str,
) -> None:
    """Two automatic-scheduling teams of :data:`AUTO_TEAM_MINUTES` in
    ``unit_id`` and an order of :data:`AUTO_TYPE` there on each of ``homes``."""
    _auto_type(gsan)
    for k in range(2):
        gsan.service_orders.add_team(
            name=f"EQUIPE AUTO {tag}{k}",
            unit_id=unit_id,
            work_minutes=AUTO_TEAM_MINUTES,
            components=[TeamComponent(employee_id=actor, responsible=True)],
            automatic_scheduling=True,
            actor=actor,
        )
    for home in homes:
        gsan.service_orders.generate(
            service_type_id=AUTO_TYPE, property_id=home, actor=actor, unit_id=unit_id
        )


def measure_automatic(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` automatic runs (UC1190) by each side, one a business day, in
    an office of its own per side and repeat (two teams of two orders a day,
    ``4 * count`` orders pending at the start: each run reads them all and
    places four)."""
    repeat = skip // (2 * count)
    offices = [10_000 + (1 + 2 * repeat + side) * 10 + 2 for side in (0, 1)]
    homes = scale_commands.connected(sql, metered=False, limit=8 * count * 3)
    mine = homes[8 * count * repeat : 8 * count * (repeat + 1)]
    for side, office in enumerate(offices):
        auto_unit(
            gsan,
            office,
            mine[side::2],
            actor=scale.ADMIN,
            tag=f"A{repeat}{side} ",
        )
    scale.analyze(sql)
    # the weekdays that are business days of both offices (on a holiday no
    # team works)
    weekdays = working_days(scale.TODAY + timedelta(days=1), 2 * count)
    kept = {day: auto_kept(gsan, offices[1], day) for day in weekdays}
    days = [
        day
        for day in weekdays
        if kept[day].business_day and auto_kept(gsan, offices[0], day).business_day
    ][:count]
    assert len(days) == count
    ids = _ids("schedule_auto")

    def library(n: int) -> None:
        done = gsan.scheduling.schedule_automatically(
            unit_id=offices[0], on=days[n], actor=scale.ADMIN
        )
        assert done.placements

    def baseline(n: int) -> None:
        placed = lean_schedule_automatically(
            sql,
            unit_id=offices[1],
            on=days[n],
            keep=kept[days[n]],
            ids=ids,
            now=scale.NOW,
            today=scale.TODAY,
            actor=scale.ADMIN,
        )
        assert placed

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "schedule automatically (lean SQL)", size, library_s, baseline_s
    )
