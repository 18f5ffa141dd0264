"""The meter-stock commands beside their lean SQL (issue 20, sixth round).

The lean versions (:mod:`benchmarks.lean_sql`) of the commands that work on
many meters at once, or take one out of the register: ``BEGIN``, one joined
read of what the rules need, one write statement of data-modifying CTEs with
the outbox row, ``COMMIT``. Their checks are asserts (the measured calls are
all accepted); they are PostgreSQL's (the benchmark's database), each
statement built once with bound parameters (the meters' ids and numbers as
arrays), as the library builds its own.

* :func:`lean_insert_range`: "Inserir Hidrômetro" by range (H-1..H-12): the
  active catalogue rows the attributes and stock location name and how many
  of the range's numbers are taken (H-10), then the meters and
  ``hydrometer.inserted``;
* :func:`lean_update_range`: "Atualizar Conjunto" (H-2..H-9, H-12): those
  rows and the range's meters with their versions, then every meter's
  compare-and-set update and ``hydrometer.bulk_updated``;
* :func:`lean_move`: "Movimentar Hidrômetro" (V-1..V-7): the meters, the
  destination and the reason, then the meters' compare-and-set update, the
  movement, its lines and ``hydrometer.moved``;
* :func:`lean_delete_meter`: "Manter Hidrômetro", remover: the meter with
  its installations and movement lines counted, then its compare-and-set
  delete and ``hydrometer.deleted``.

:func:`measure_insert_range`, :func:`measure_update_range`,
:func:`measure_move` and :func:`measure_delete` time them beside the library
(``python -m benchmarks.commands --only
insert_range,update_range,move_meters,delete_meter``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_meters, lean_sql, scale, scale_commands
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.hydrometers import HydrometerAttributes
from gsan_core.testing.hydrometers import METER

__all__ = [
    "RANGE",
    "lean_delete_meter",
    "lean_insert_range",
    "lean_move",
    "lean_update_range",
    "measure_delete",
    "measure_insert_range",
    "measure_move",
    "measure_update_range",
    "range_numbers",
]

#: Meters in a range the benchmark inserts or updates; meters a movement moves.
RANGE = 10
MOVED = 3
#: The workshop (OFICINA DE HIDROMETROS): a moved meter goes EM MANUTENCAO.
WORKSHOP = 3
_IDS = postgresql.ARRAY(sa.BigInteger)
_NUMBERS = postgresql.ARRAY(sa.String)
_VERSIONS = postgresql.ARRAY(sa.Integer)


def range_numbers(fixed: str, first: int, last: int) -> list[str]:
    """The numbers ``fixed + first .. fixed + last`` (6-digit sequence)."""
    assert 0 < first <= last < 10**6
    return [f"{fixed}{n:06d}" for n in range(first, last + 1)]


def _keys() -> Any:
    """The meters ``:k_ids`` at ``:k_versions``, as rows ``k(id, version)``."""
    return (
        sa.func.unnest(
            sa.bindparam("k_ids", type_=_IDS),
            sa.bindparam("k_versions", type_=_VERSIONS),
        )
        .table_valued(sa.column("id", sa.BigInteger), sa.column("version", sa.Integer))
        .render_derived(name="k")
    )


def _references_read(sql: SqlBackend) -> sa.Select[Any]:
    """The active catalogue rows of ``:wanted`` ((kind, id) pairs), each with
    how many of ``:numbers`` are taken and the meters holding them (ids and
    versions, by number)."""
    catalog, meter = sql.tables["catalog_item"], sql.tables["hydrometer"]
    held = meter.c.number == sa.func.any(sa.bindparam("numbers", type_=_NUMBERS))
    ids = sa.select(
        sa.func.array_agg(postgresql.aggregate_order_by(meter.c.id, meter.c.number))
    )
    versions = sa.select(
        sa.func.array_agg(
            postgresql.aggregate_order_by(meter.c.version, meter.c.number)
        )
    )
    return sa.select(
        catalog.c.kind,
        catalog.c.attributes,
        ids.where(held).scalar_subquery().label("ids"),
        versions.where(held).scalar_subquery().label("versions"),
    ).where(
        catalog.c.active.is_(True),
        sa.tuple_(catalog.c.kind, catalog.c.id).in_(
            sa.bindparam("wanted", expanding=True)
        ),
    )


def _read(
    connection: sa.Connection,
    sql: SqlBackend,
    attributes: HydrometerAttributes,
    numbers: list[str],
    location_id: int | None,
    today: date,
) -> tuple[list[Any], int]:
    """The catalogue rows (checked: H-2..H-8, H-12) and the manufacture year."""
    wanted = lean_meters.wanted_references(attributes, location_id)
    read = lean_sql.built(sql, "range read", lambda: _references_read(sql))
    rows = list(connection.execute(read, {"wanted": wanted, "numbers": numbers}))
    assert len(rows) == len(wanted)
    return rows, lean_meters.check_meter(rows, attributes, numbers[0], today)


def _insert_range_write(sql: SqlBackend) -> Any:
    meter = sql.tables["hydrometer"]
    new = (
        sa.func.unnest(
            sa.bindparam("k_ids", type_=_IDS), sa.bindparam("k_numbers", type_=_NUMBERS)
        )
        .table_valued(sa.column("id", sa.BigInteger), sa.column("number", sa.String))
        .render_derived(name="k")
    )
    common = [c for c in meter.c if c.key not in ("id", "number")]
    rows = sa.select(
        new.c.id,
        new.c.number,
        *[sa.bindparam(f"m_{c.key}", type_=c.type).label(c.key) for c in common],
    )
    insert = sa.insert(meter).from_select(["id", "number", *common], rows)
    return lean_sql.one_statement(
        [insert.returning(meter.c.id), *lean_sql.outbox_rows(sql, 1)]
    )


def lean_insert_range(
    sql: SqlBackend,
    *,
    fixed: str,
    first: int,
    last: int,
    attributes: HydrometerAttributes,
    location_id: int,
    available: int,
    first_id: int,
    now: datetime,
    actor: int,
) -> None:
    """Insert the meters ``fixed + first .. fixed + last``, lean: one read of
    the catalogue rows and the numbers taken, then the meters and their
    outbox row in one statement."""
    meter = sql.tables["hydrometer"]
    numbers = range_numbers(fixed, first, last)
    ids = list(range(first_id, first_id + len(numbers)))
    write = lean_sql.built(sql, "insert range", lambda: _insert_range_write(sql))
    with sql.engine.begin() as connection:
        rows, year = _read(
            connection, sql, attributes, numbers, location_id, now.date()
        )
        assert rows[0].ids is None  # H-10: no number of the range taken
        values: dict[str, Any] = {c.name: None for c in meter.c}
        values |= lean_meters.meter_values(attributes, year)
        values |= {
            "situation_id": available,
            "location_id": location_id,
            "accumulated_reading": 0,
            "version": 1,
        }
        del values["id"], values["number"]
        payload = {
            "type": "hydrometer.inserted",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "count": len(numbers),
            "first_id": ids[0],
            "last_id": ids[-1],
            "first_number": numbers[0],
            "last_number": numbers[-1],
            "location_id": location_id,
        }
        params = {"k_ids": ids, "k_numbers": numbers} | lean_sql.params("m_", values)
        params |= lean_sql.event(0, "hydrometer.inserted", now, actor, payload)
        assert len(connection.execute(write, params).all()) == len(numbers)


def _update_range_write(sql: SqlBackend) -> Any:
    meter = sql.tables["hydrometer"]
    keys = _keys()
    update = (
        sa.update(meter)
        .where(meter.c.id == keys.c.id, meter.c.version == keys.c.version)
        .values(
            **lean_sql.bound(meter, "m_", *lean_meters.COPIED),
            version=meter.c.version + 1,
        )
        .returning(meter.c.id)
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


def lean_update_range(
    sql: SqlBackend,
    *,
    fixed: str,
    first: int,
    last: int,
    attributes: HydrometerAttributes,
    now: datetime,
    actor: int,
) -> int:
    """Copy ``attributes`` onto the meters of the range, lean: one read of
    the catalogue rows and the range's meters, then their compare-and-set
    update and the outbox row in one statement; how many changed."""
    numbers = range_numbers(fixed, first, last)
    write = lean_sql.built(sql, "update range", lambda: _update_range_write(sql))
    with sql.engine.begin() as connection:
        rows, year = _read(connection, sql, attributes, numbers, None, now.date())
        ids, versions = rows[0].ids, rows[0].versions
        assert ids  # RANGE_EMPTY
        payload = {
            "type": "hydrometer.bulk_updated",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "count": len(ids),
            "first_number": numbers[0],
            "last_number": numbers[-1],
        }
        values = lean_meters.meter_values(attributes, year)
        params = {"k_ids": ids, "k_versions": versions}
        params |= lean_sql.params("m_", values)
        params |= lean_sql.event(0, "hydrometer.bulk_updated", now, actor, payload)
        assert len(connection.execute(write, params).all()) == len(ids)
    return len(ids)


# ---------------------------------------------------------------- movements
def _move_read(sql: SqlBackend) -> sa.Select[Any]:
    """The meters ``:k_ids`` with the active destination ``:destination`` and
    reason ``:reason`` (``LEFT JOIN``: null when absent or inactive)."""
    meter, catalog = sql.tables["hydrometer"], sql.tables["catalog_item"]
    place, reason = catalog.alias("place"), catalog.alias("reason")

    def active(row: Any, kind: str, name: str) -> sa.ColumnElement[bool]:
        return sa.and_(
            row.c.kind == kind,
            row.c.id == sa.bindparam(name, type_=sa.BigInteger),
            row.c.active.is_(True),
        )

    return (
        sa.select(
            meter.c.id,
            meter.c.situation_id,
            meter.c.location_id,
            meter.c.version,
            place.c.id.label("destination"),
            place.c.attributes.label("place"),
            reason.c.id.label("reason"),
        )
        .select_from(
            meter.outerjoin(
                place, active(place, "hydrometer_stock_location", "destination")
            ).outerjoin(reason, active(reason, "hydrometer_movement_reason", "reason"))
        )
        .where(meter.c.id == sa.func.any(sa.bindparam("k_ids", type_=_IDS)))
    )


def _move_write(sql: SqlBackend) -> Any:
    meter = sql.tables["hydrometer"]
    movement, line = (
        sql.tables["hydrometer_movement"],
        sql.tables["hydrometer_movement_line"],
    )
    keys = _keys()
    moved = (
        sa.update(meter)
        .where(meter.c.id == keys.c.id, meter.c.version == keys.c.version)
        .values(
            **lean_sql.bound(meter, "v_", "location_id", "situation_id"),
            version=meter.c.version + 1,
        )
        .returning(meter.c.id)
    )
    lines = sa.insert(line).from_select(
        ["movement_id", "hydrometer_id"],
        sa.select(
            sa.bindparam("d_id", type_=sa.BigInteger),
            sa.func.unnest(sa.bindparam("k_ids", type_=_IDS)),
        ),
    )
    document = sa.insert(movement).values(lean_sql.bound(movement, "d_"))
    return lean_sql.one_statement(
        [moved, document, lines, *lean_sql.outbox_rows(sql, 1)]
    )


def lean_move(
    sql: SqlBackend,
    meter_ids: Sequence[int],
    *,
    destination_id: int,
    reason_id: int,
    moved_on: date,
    moved_time: time,
    situations: tuple[int, int, int],
    movement_id: int,
    now: datetime,
    actor: int,
    zone: ZoneInfo,
) -> None:
    """Move meters to another stock location, lean: one read of the meters,
    the destination and the reason, then the meters' compare-and-set update,
    the movement document, its lines and the outbox row in one statement.
    ``situations``: INSTALADO (V-3), EM MANUTENCAO and DISPONIVEL."""
    installed, maintenance, available = situations
    ids = list(dict.fromkeys(meter_ids))
    read = lean_sql.built(sql, "move read", lambda: _move_read(sql))
    write = lean_sql.built(sql, "move", lambda: _move_write(sql))
    asked = {"k_ids": ids, "destination": destination_id, "reason": reason_id}
    today = now.astimezone(zone).date()
    with sql.engine.begin() as connection:
        rows = {r.id: r for r in connection.execute(read, asked)}
        assert len(rows) == len(ids)  # V-1
        meters = [rows[i] for i in ids]
        origins = {m.location_id for m in meters}
        assert len(origins) == 1  # V-2
        assert all(m.situation_id != installed for m in meters)  # V-3
        first = meters[0]
        assert first.destination is not None  # V-4
        assert first.destination not in origins  # V-5
        assert today - timedelta(days=720) <= moved_on <= today  # V-6
        assert first.reason is not None
        workshop = (first.place or {}).get("workshop") is True
        situation = maintenance if workshop else available
        document = {
            "id": movement_id,
            "moved_at": datetime.combine(moved_on, moved_time, tzinfo=zone),
            "reason_id": reason_id,
            "origin_id": first.location_id,
            "destination_id": destination_id,
            "situation_id": situation,
            "remark": None,
            "count": len(ids),
            "actor": actor,
            "registered_at": now,
            "version": 1,
        }
        payload = {
            "type": "hydrometer.moved",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "movement_id": movement_id,
            "count": len(ids),
            "origin_id": first.location_id,
            "destination_id": destination_id,
            "situation_id": situation,
        }
        params: dict[str, Any] = {
            "k_ids": ids,
            "k_versions": [m.version for m in meters],
        }
        params |= {"v_location_id": destination_id, "v_situation_id": situation}
        params |= lean_sql.params("d_", document)
        params |= lean_sql.event(0, "hydrometer.moved", now, actor, payload)
        assert len(connection.execute(write, params).all()) == len(ids)  # V-7


# ---------------------------------------------------------------- delete
def _delete_read(sql: SqlBackend) -> sa.Select[Any]:
    t = sql.tables
    meter, installed = t["hydrometer"], t["hydrometer_installation"]
    line = t["hydrometer_movement_line"]

    def counted(table: sa.Table) -> Any:
        return (
            sa.select(sa.func.count())
            .where(table.c.hydrometer_id == meter.c.id)
            .scalar_subquery()
        )

    return sa.select(
        meter.c.number,
        meter.c.version,
        counted(installed).label("installations"),
        counted(line).label("movements"),
    ).where(meter.c.id == sa.bindparam("k_id"))


def _delete_write(sql: SqlBackend) -> Any:
    meter = sql.tables["hydrometer"]
    delete = (
        sa.delete(meter)
        .where(
            meter.c.id == sa.bindparam("k_id"),
            meter.c.version == sa.bindparam("k_version"),
        )
        .returning(meter.c.id)
    )
    return lean_sql.one_statement([delete, *lean_sql.outbox_rows(sql, 1)])


def lean_delete_meter(
    sql: SqlBackend,
    meter_id: int,
    *,
    expected_version: int,
    now: datetime,
    actor: int,
) -> None:
    """Take a meter out of the register, lean: one read of the meter with
    its installations and movement lines counted, then its compare-and-set
    delete and the outbox row in one statement."""
    read = lean_sql.built(sql, "delete read", lambda: _delete_read(sql))
    write = lean_sql.built(sql, "delete", lambda: _delete_write(sql))
    with sql.engine.begin() as connection:
        row = connection.execute(read, {"k_id": meter_id}).one()
        assert row.version == expected_version
        assert row.installations == 0
        assert row.movements == 0  # METER_IN_USE
        payload = {
            "type": "hydrometer.deleted",
            "occurred_at": now.isoformat(),
            "actor": actor,
            "hydrometer_id": meter_id,
            "number": row.number,
        }
        params = {"k_id": meter_id, "k_version": row.version}
        params |= lean_sql.event(0, "hydrometer.deleted", now, actor, payload)
        assert len(connection.execute(write, params).all()) == 1


# ---------------------------------------------------------------- measures
def measure_insert_range(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` ranges of :data:`RANGE` meters inserted by each side, on
    numbers no repeat used."""
    (available,) = gsan.profile.ids("hydrometer_situation.available")
    ids = id_ranges.take("insert_range")

    def first(n: int) -> int:
        return 1 + 2 * RANGE * (skip + n)

    def library(n: int) -> None:
        gsan.hydrometers.insert_range(
            fixed="B20A",
            first=first(n),
            last=first(n) + RANGE - 1,
            attributes=METER,
            location_id=1,
            actor=scale.ADMIN,
        )

    def baseline(n: int) -> None:
        start = ids.block(RANGE)
        lean_insert_range(
            sql,
            fixed="B20A",
            first=first(n) + RANGE,
            last=first(n) + 2 * RANGE - 1,
            attributes=METER,
            location_id=1,
            available=available,
            first_id=start,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        f"insert a range of {RANGE} meters (lean SQL)", size, library_s, baseline_s
    )


def _stocked(gsan: gsan_core.System, fixed: str, first: int, count: int) -> list[int]:
    """The ids of ``count`` meters inserted (outside the timing) from
    ``fixed + first``, in stock at location 1, by number."""
    inserted = gsan.hydrometers.insert_range(
        fixed=fixed,
        first=first,
        last=first + count - 1,
        attributes=METER,
        location_id=1,
        actor=scale.ADMIN,
    )
    return list(range(inserted.first_id, inserted.last_id + 1))


def measure_update_range(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` ranges of :data:`RANGE` meters changed by each side, of
    meters inserted for the repeat (outside the timing)."""
    base = 1 + 2 * RANGE * skip
    _stocked(gsan, "B21A", base, 2 * RANGE * count)
    scale.analyze(sql)
    changed = attrs.evolve(METER, warranty_years=2, invoice_number=1234)

    def first(n: int) -> int:
        return base + 2 * RANGE * n

    def library(n: int) -> None:
        assert (
            gsan.hydrometers.update_range(
                fixed="B21A",
                first=first(n),
                last=first(n) + RANGE - 1,
                attributes=changed,
                actor=scale.ADMIN,
            )
            == RANGE
        )

    def baseline(n: int) -> None:
        lean_update_range(
            sql,
            fixed="B21A",
            first=first(n) + RANGE,
            last=first(n) + 2 * RANGE - 1,
            attributes=changed,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        f"update a range of {RANGE} meters (lean SQL)", size, library_s, baseline_s
    )


def situations(gsan: gsan_core.System) -> tuple[int, int, int]:
    """INSTALADO, EM MANUTENCAO and DISPONIVEL, for :func:`lean_move`."""
    ids = gsan.profile.ids
    installed, maintenance, available = (
        min(ids(f"hydrometer_situation.{role}"))
        for role in ("installed", "maintenance", "available")
    )
    return installed, maintenance, available


def measure_move(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` movements of :data:`MOVED` meters to the workshop by each
    side, of meters inserted for the repeat (outside the timing)."""
    meters = _stocked(gsan, "B19A", 1 + 2 * MOVED * skip, 2 * MOVED * count)
    scale.analyze(sql)
    ids = id_ranges.take("move_meters")
    known = situations(gsan)
    zone = ZoneInfo(gsan.profile.timezone)

    def library(n: int) -> None:
        gsan.hydrometers.move(
            hydrometer_ids=meters[2 * MOVED * n : 2 * MOVED * n + MOVED],
            destination_id=WORKSHOP,
            reason_id=1,
            moved_on=scale.TODAY,
            moved_time=time(12),
            actor=scale.ADMIN,
        )

    def baseline(n: int) -> None:
        lean_move(
            sql,
            meters[2 * MOVED * n + MOVED : 2 * MOVED * (n + 1)],
            destination_id=WORKSHOP,
            reason_id=1,
            moved_on=scale.TODAY,
            moved_time=time(12),
            situations=known,
            movement_id=next(ids),
            now=scale.NOW,
            actor=scale.ADMIN,
            zone=zone,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        f"move {MOVED} meters (lean SQL)", size, library_s, baseline_s
    )


def measure_delete(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` meters deleted by each side, of meters inserted for the
    repeat (outside the timing)."""
    meters = _stocked(gsan, "B18A", 1 + 2 * skip, 2 * count)
    scale.analyze(sql)

    def library(n: int) -> None:
        gsan.hydrometers.delete(meters[2 * n], expected_version=1, actor=scale.ADMIN)

    def baseline(n: int) -> None:
        lean_delete_meter(
            sql, meters[2 * n + 1], expected_version=1, now=scale.NOW, actor=scale.ADMIN
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "delete a meter (lean SQL)", size, library_s, baseline_s
    )
