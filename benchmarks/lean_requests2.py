"""Lean hand-written versions of more request commands (issue 20).

The commands of ``service_requests`` that had no lean version
(:mod:`benchmarks.lean_orders` and :mod:`benchmarks.lean_requests` measure the
others); each is ``BEGIN``, one joined read under the lock the command needs,
one write statement (data-modifying CTEs on PostgreSQL, the outbox counter's
upsert one of them), ``COMMIT``; the rules are asserted on the read row (a
lean version is measured on rows the library accepts) and
``tests/integration/test_lean_requests2.py`` checks that it leaves the
library's rows.

* :func:`lean_update_request` — "Manter RA" (UC0408) changing an open RA's
  observation: UPD-01..UPD-05 (the user may maintain it, not a duplicate, not
  closed, no scheduled open order, the version the caller read), the place's
  rules re-checked on every save (UPD-07: the property still there, no other
  pending RA of its specification on it, INS-09) and the observation's
  length (INS-06); the request (compare-and-set) and
  ``service_request.updated``. Run twice, the second run changes nothing and
  is refused, as the library refuses it (UPDATE_NOTHING): its ``assert``;
* :func:`lean_set_group_units` — a configuration change: a locality's
  request-type-group units replaced (the locality there, the groups and the
  units active, one unit a group); the locality's rows deleted and the new
  ones inserted in one statement with ``service_request.configuration_changed``.
  Run twice, it leaves the same rows (new ids), as the library does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_orders, lean_sql, scale_commands
from benchmarks.lean_orders import Case, event, may_maintain
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import RequestSituation
from gsan_core.rules.service_requests.lifecycle import OBSERVATION_MAX
from gsan_core.testing.request_utility import GROUP_WATER

__all__ = [
    "COMMANDS",
    "STEPS",
    "lean_set_group_units",
    "lean_update_request",
    "measure_group_units",
    "measure_update_request",
    "update_read",
]

PENDING = int(RequestSituation.PENDING)
CLOSED_ORDER = int(OrderSituation.CLOSED)


def update_read(sql: SqlBackend) -> sa.Select[Any]:
    """The change's one read: the request (locked, ADR 0004: the root of its
    orders), whether the user may maintain it, whether an open order of it is
    scheduled, whether its property is still there and whether another
    pending RA of its specification is on it."""
    t = sql.tables
    req, order, prop = t["service_request"], t["service_order"], t["property"]
    other = req.alias("other")
    scheduled = (
        sa.select(sa.literal(1))
        .where(
            order.c.request_id == req.c.id,
            order.c.situation != CLOSED_ORDER,
            order.c.scheduled.is_(True),
        )
        .exists()
    )
    duplicate = (
        sa.select(sa.literal(1))
        .where(
            other.c.property_id == req.c.property_id,
            other.c.specification_id == req.c.specification_id,
            other.c.situation == PENDING,
            other.c.id != req.c.id,
        )
        .exists()
    )
    placed = sa.select(sa.literal(1)).where(prop.c.id == req.c.property_id).exists()
    return (
        sa.select(
            req.c.version,
            req.c.situation,
            req.c.specification_id,
            req.c.duplicate_of_id,
            req.c.observation,
            may_maintain(sql, sa.bindparam("actor"), req.c.current_unit_id).label(
                "authorised"
            ),
            scheduled.label("scheduled"),
            duplicate.label("duplicate"),
            placed.label("placed"),
        )
        .where(req.c.id == sa.bindparam("request_id"))
        .with_for_update(of=req)
    )


def _update_write(sql: SqlBackend) -> Any:
    """The change's one write (PostgreSQL), built once: the request
    (compare-and-set on ``expected``) and the outbox row (``o0_*``)."""
    req = sql.tables["service_request"]
    expected = sa.bindparam("expected", type_=req.c.version.type)
    return lean_sql.one_statement(
        [
            sa.update(req)
            .where(req.c.id == sa.bindparam("request_id"), req.c.version == expected)
            .values(observation=sa.bindparam("observation"), version=expected + 1),
            *lean_sql.outbox_rows(sql, 1),
        ]
    )


def lean_update_request(
    sql: SqlBackend,
    request_id: int,
    *,
    observation: str,
    actor: int,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Change an open RA's observation: one read, one write."""
    read = lean_sql.built(sql, "update_request read", lambda: update_read(sql))
    write = lean_sql.built(sql, "update_request write", lambda: _update_write(sql))
    with sql.engine.begin() as connection:
        row = connection.execute(read, {"request_id": request_id, "actor": actor}).one()
        assert row.authorised  # UPD-01
        assert row.duplicate_of_id is None  # UPD-02
        assert row.situation == PENDING  # UPD-03 (a pending place: UPD-07)
        assert not row.scheduled  # UPD-04
        assert expected_version in (None, row.version)  # UPD-05
        assert row.placed  # INS-08
        assert not row.duplicate  # INS-09
        assert len(observation) <= OBSERVATION_MAX  # INS-06
        assert observation != row.observation  # something changes
        updated = event(
            "service_request.updated",
            now,
            actor,
            fields=["observation"],
            situation=PENDING,
            request_id=request_id,
            specification_id=row.specification_id,
        )
        connection.execute(
            write,
            {
                "request_id": request_id,
                "expected": row.version,
                "observation": observation,
            }
            | lean_sql.event(0, updated["tag"], now, actor, updated["payload"]),
        )


# ---------------------------------------------------------------- configuration
def _group_units_read(sql: SqlBackend) -> sa.Select[Any]:
    """The change's one read: whether the locality is there, how many of the
    groups are active groups and how many of the units active units."""
    t = sql.tables
    locality, catalog, unit = t["locality"], t["catalog_item"], t["unit"]
    return sa.select(
        sa.select(sa.literal(1))
        .where(locality.c.id == sa.bindparam("locality_id"))
        .exists(),
        sa.select(sa.func.count())
        .where(
            catalog.c.kind == "request_type_group",
            catalog.c.id.in_(sa.bindparam("groups", expanding=True)),
            catalog.c.active.is_(True),
        )
        .scalar_subquery(),
        sa.select(sa.func.count())
        .where(
            unit.c.id.in_(sa.bindparam("units", expanding=True)),
            unit.c.active.is_(True),
        )
        .scalar_subquery(),
    )


def _group_units_write(sql: SqlBackend) -> Any:
    """The change's one write (PostgreSQL), built once: the locality's rows
    deleted, the new ones inserted from the arrays ``ids``, ``groups`` and
    ``units``, and the outbox row (``o0_*``)."""
    table = sql.tables["locality_group_unit"]
    ids = postgresql.ARRAY(sa.BigInteger)
    locality = sa.bindparam("locality_id", type_=sa.BigInteger)
    new = (
        sa.func.unnest(
            sa.bindparam("ids", type_=ids),
            sa.bindparam("groups", type_=ids),
            sa.bindparam("units", type_=ids),
        )
        .table_valued("id", "group_id", "unit_id")
        .render_derived()
    )
    return lean_sql.one_statement(
        [
            sa.delete(table).where(table.c.locality_id == locality),
            sa.insert(table).from_select(
                ["id", "locality_id", "group_id", "unit_id", "version"],
                sa.select(
                    new.c.id, locality, new.c.group_id, new.c.unit_id, sa.literal(1)
                ),
            ),
            *lean_sql.outbox_rows(sql, 1),
        ]
    )


def lean_set_group_units(
    sql: SqlBackend,
    locality_id: int,
    rows: Sequence[tuple[int, int]],
    *,
    actor: int,
    ids: Any,
    now: datetime,
) -> None:
    """Replace a locality's ``(group, unit)`` routing rows: one read, one
    write of the deletion, the new rows and the outbox row."""
    groups, units = [g for g, _ in rows], [u for _, u in rows]
    read = lean_sql.built(sql, "group_units read", lambda: _group_units_read(sql))
    write = lean_sql.built(sql, "group_units write", lambda: _group_units_write(sql))
    with sql.engine.begin() as connection:
        there, active_groups, active_units = connection.execute(
            read,
            {
                "locality_id": locality_id,
                "groups": sorted(set(groups)),
                "units": sorted(set(units)),
            },
        ).one()
        assert there
        assert active_groups == len(set(groups))
        assert active_units == len(set(units))
        assert len(set(groups)) == len(groups)  # one unit a group
        changed = event(
            "service_request.configuration_changed",
            now,
            actor,
            key=locality_id,
            what="locality_group_unit",
        )
        connection.execute(
            write,
            {
                "locality_id": locality_id,
                "ids": [next(ids) for _ in rows],
                "groups": groups,
                "units": units,
            }
            | lean_sql.event(0, changed["tag"], now, actor, changed["payload"]),
        )


# ---------------------------------------------------------------- measuring
def _update_library(gsan: gsan_core.System, cases: Sequence[Case], n: int) -> None:
    case = cases[n]
    gsan.service_requests.update(
        request_id=case.request_id, observation=f"BENCH {n}", actor=case.attendant
    )


def _update_lean(
    gsan: gsan_core.System, sql: SqlBackend, cases: Sequence[Case], n: int
) -> None:
    case = cases[n]
    lean_update_request(
        sql,
        case.request_id,
        observation=f"BENCH {n}",
        actor=case.attendant,
        now=gsan.clock.now(),
    )


def measure_update_request(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``service_requests.update`` of the observation beside
    :func:`lean_update_request`, each on its own half of ``2 * count`` RAs
    opened through the library (with their automatic orders) before the
    timing, on properties no earlier figure took."""
    del skip
    homes = scale_commands.fresh(sql, metered=False, limit=2 * count)
    cases = lean_orders.open_cases(gsan, sql, homes)
    clock: Any = gsan.clock
    clock.advance(timedelta(minutes=1))
    count = len(cases) // 2
    library_s, lean_s = scale_commands.interleaved(
        partial(_update_library, gsan, cases[:count]),
        partial(_update_lean, gsan, sql, cases[count : 2 * count]),
        count,
    )
    return scale_commands.command_figure(
        "update an RA's observation (lean SQL)", size, library_s, lean_s
    )


def _localities(sql: SqlBackend) -> list[int]:
    """The localities that have their ESCRITORIO (``10_000 + 10 * id + 2``:
    the unit :func:`benchmarks.lean_orders.open_cases` routes them to)."""
    unit = sql.tables["unit"]
    with sql.engine.connect() as connection:
        return sorted(
            connection.execute(
                sa.select(unit.c.locality_id).where(
                    unit.c.id == 10_002 + unit.c.locality_id * 10,
                    unit.c.active.is_(True),
                )
            ).scalars()
        )


def measure_group_units(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``configuration.set_locality_group_units`` beside
    :func:`lean_set_group_units`, each call setting a locality's water group
    to its ESCRITORIO (what the opening figures route by), the library on the
    even localities, the lean version on the odd ones, round and round."""
    del skip
    localities = _localities(sql)
    assert len(localities) >= 2
    ids = id_ranges.take("locality group units")
    configuration = gsan.service_requests.configuration

    evens, odds = localities[0::2], localities[1::2]

    def library(n: int) -> None:
        locality = evens[n % len(evens)]
        configuration.set_locality_group_units(
            locality_id=locality,
            rows=[(GROUP_WATER, 10_002 + locality * 10)],
            actor=0,
        )

    def lean(n: int) -> None:
        locality = odds[n % len(odds)]
        lean_set_group_units(
            sql,
            locality,
            [(GROUP_WATER, 10_002 + locality * 10)],
            actor=0,
            ids=ids,
            now=gsan.clock.now(),
        )

    library_s, lean_s = scale_commands.interleaved(library, lean, count)
    return scale_commands.command_figure(
        "set a locality's group units (lean SQL)", size, library_s, lean_s
    )


#: The names ``python -m benchmarks.commands --only`` takes for these.
STEPS = {
    "update_request": measure_update_request,
    "group_units": measure_group_units,
}
#: The same names, as the other lean modules list theirs.
COMMANDS = tuple(STEPS)
