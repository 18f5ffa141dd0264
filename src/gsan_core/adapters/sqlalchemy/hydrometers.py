"""SQL repositories of the hydrometer area: Core statements keyed by number,
point or meter, chunked where they take many ids."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import cast

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.pipeline import deferred_insert
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.adapters.sqlalchemy.repositories import (
    CHUNK,
    SqlRepository,
    chunks,
    prepared,
)
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    HydrometerMovement,
    MeasurementPoint,
    StockEntry,
)

__all__ = [
    "SqlHydrometerRepository",
    "SqlInstallationRepository",
    "SqlMovementRepository",
]


class SqlHydrometerRepository(SqlRepository[Hydrometer]):
    """Meters, with the number look-ups (on the unique number index)."""

    @functools.cached_property
    def _move(self) -> sa.Update:
        t = self._table
        return (
            sa.update(t)
            .where(
                t.c.id == sa.bindparam("k_id"),
                t.c.version == sa.bindparam("k_expected"),
            )
            .values(
                location_id=sa.bindparam("v_location_id"),
                situation_id=sa.bindparam("v_situation_id"),
                version=sa.bindparam("v_version"),
            )
        )

    def stock_entries(self, ids: Iterable[int]) -> Mapping[int, StockEntry]:
        t = self._table
        columns = (t.c.id, t.c.number, t.c.situation_id, t.c.location_id, t.c.version)
        found: dict[int, StockEntry] = {}
        for batch in chunks(set(ids)):
            with translated("hydrometer"):
                rows = self._conn.execute(sa.select(*columns).where(t.c.id.in_(batch)))
                for ident, number, situation, location, version in rows:
                    found[ident] = StockEntry(
                        id=ident,
                        number=number,
                        situation_id=situation,
                        location_id=location,
                        version=version,
                    )
        return found

    def move_many(
        self, read: Iterable[tuple[int, int]], *, location_id: int, situation_id: int
    ) -> None:
        every = [
            {
                "k_id": ident,
                "k_expected": version,
                "v_location_id": location_id,
                "v_situation_id": situation_id,
                "v_version": version + 1,
            }
            for ident, version in read
        ]
        self._uow.wrote("hydrometer")
        if self._defer_all(every):
            return
        for params in chunks(every, CHUNK):
            with translated("hydrometer"):
                result = self._conn.execute(self._move, params)
            if result.rowcount != len(params):
                self._conflict(params)

    def find_by_number(self, number: str) -> Hydrometer | None:
        t = self._table
        # built once (inserting a meter reads it on every call, issue 20)
        statement = prepared(
            t,
            "by_number",
            lambda: sa.select(t).where(t.c.number == sa.bindparam("k_number")),
        )
        with translated("hydrometer"):
            row = self._read.execute(statement, {"k_number": number}).mappings().first()
        return None if row is None else self._mapper.from_row(row)

    def _range(self, first: str, last: str) -> list[sa.ColumnElement[bool]]:
        column = self._table.c.number
        return [
            column >= first,
            column <= last,
            sa.func.length(column) == len(first),
        ]

    def numbers_between(self, first: str, last: str) -> Sequence[str]:
        column = self._table.c.number
        statement = sa.select(column).where(*self._range(first, last)).order_by(column)
        with translated("hydrometer"):
            return list(self._conn.execute(statement).scalars())

    def between(self, first: str, last: str) -> Sequence[Hydrometer]:
        statement = (
            sa.select(self._table)
            .where(*self._range(first, last))
            .order_by(self._table.c.number)
        )
        with translated("hydrometer"):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)

    def stock(self) -> Mapping[tuple[int | None, int], int]:
        t = self._table
        statement = (
            sa.select(t.c.location_id, t.c.situation_id, sa.func.count())
            .group_by(t.c.location_id, t.c.situation_id)
            .order_by(t.c.location_id, t.c.situation_id)
        )
        with translated("hydrometer"):
            counts = {
                (None if loc is None else int(loc), int(sit)): int(n)
                for loc, sit, n in self._conn.execute(statement)
            }
        return dict(sorted(counts.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])))


class SqlInstallationRepository(SqlRepository[HydrometerInstallation]):
    """The installation history."""

    def _chronological(
        self, *clauses: sa.ColumnElement[bool]
    ) -> list[HydrometerInstallation]:
        t = self._table
        statement = sa.select(t).where(*clauses).order_by(t.c.installed_on, t.c.id)
        with translated("hydrometer_installation"):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)

    def current(
        self, *, property_id: int, point: MeasurementPoint
    ) -> HydrometerInstallation | None:
        ahead = self._ahead(("current", property_id, int(point)))
        if ahead is not MISSING:
            return cast("HydrometerInstallation | None", ahead)
        t = self._table
        statement = prepared(
            t,
            "current",
            lambda: sa.select(t).where(
                t.c.property_id == sa.bindparam("k_property"),
                t.c.point == sa.bindparam("k_point"),
                t.c.removed_on.is_(None),
            ),
        )
        params = {"k_property": property_id, "k_point": int(point)}
        with translated("hydrometer_installation"):
            rows = self._conn.execute(statement, params).mappings().all()
        return self._mapper.from_rows(rows)[0] if rows else None

    def current_of(self, hydrometer_id: int) -> HydrometerInstallation | None:
        t = self._table
        rows = self._select(
            t.c.hydrometer_id == hydrometer_id, t.c.removed_on.is_(None)
        )
        return rows[0] if rows else None

    def of_point(
        self, *, property_id: int, point: MeasurementPoint
    ) -> Sequence[HydrometerInstallation]:
        t = self._table
        return self._chronological(
            t.c.property_id == property_id, t.c.point == int(point)
        )

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerInstallation]:
        return self._chronological(self._table.c.hydrometer_id == hydrometer_id)

    def last_removal(
        self,
        *,
        property_id: int | None = None,
        point: MeasurementPoint | None = None,
        hydrometer_id: int | None = None,
    ) -> date | None:
        if property_id is not None and point is not None and hydrometer_id is None:
            ahead = self._ahead(("last_removal", property_id, int(point)))
            if ahead is not MISSING:
                return cast("date | None", ahead)
        t = self._table
        clauses: list[sa.ColumnElement[bool]] = [t.c.removed_on.is_not(None)]
        if property_id is not None:
            clauses.append(t.c.property_id == property_id)
        if point is not None:
            clauses.append(t.c.point == int(point))
        if hydrometer_id is not None:
            clauses.append(t.c.hydrometer_id == hydrometer_id)
        statement = sa.select(sa.func.max(t.c.removed_on)).where(*clauses)
        with translated("hydrometer_installation"):
            value = self._conn.execute(statement).scalar()
        return value if isinstance(value, date) else None


class SqlMovementRepository(SqlRepository[HydrometerMovement]):
    """Movement documents and their lines (``hydrometer_movement_line``)."""

    @property
    def _lines(self) -> sa.Table:
        return self._uow.tables["hydrometer_movement_line"]

    def add_lines(self, movement_id: int, hydrometer_ids: Iterable[int]) -> None:
        for batch in chunks(hydrometer_ids, 5 * CHUNK):
            rows = [{"movement_id": movement_id, "hydrometer_id": i} for i in batch]
            if deferred_insert(
                self._uow, "hydrometer_movement_line", self._lines, rows
            ):
                continue  # waits with the movement (issue 20)
            with translated("hydrometer_movement_line", movement_id):
                self._conn.execute(sa.insert(self._lines), rows)

    def hydrometer_ids(self, movement_id: int) -> Sequence[int]:
        lines = self._lines
        statement = (
            sa.select(lines.c.hydrometer_id)
            .where(lines.c.movement_id == movement_id)
            .order_by(lines.c.hydrometer_id)
        )
        with translated("hydrometer_movement_line"):
            return [int(i) for i in self._conn.execute(statement).scalars()]

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        moved_from: datetime | None = None,
        moved_until: datetime | None = None,
        location_id: int | None = None,
        situation_id: int | None = None,
        number_from: str | None = None,
        number_to: str | None = None,
    ) -> Sequence[HydrometerMovement]:
        t, lines = self._table, self._lines
        clauses: list[sa.ColumnElement[bool]] = []
        if moved_from is not None:
            clauses.append(t.c.moved_at >= moved_from)
        if moved_until is not None:
            clauses.append(t.c.moved_at < moved_until)
        if location_id is not None:
            clauses.append(
                sa.or_(t.c.origin_id == location_id, t.c.destination_id == location_id)
            )
        if situation_id is not None:
            clauses.append(t.c.situation_id == situation_id)
        if number_from is not None or number_to is not None:
            meters = self._uow.tables["hydrometer"]
            inner = [lines.c.movement_id == t.c.id]
            if number_from is not None:
                inner.append(meters.c.number >= number_from)
            if number_to is not None:
                inner.append(meters.c.number <= number_to)
            clauses.append(
                sa.exists(
                    sa.select(lines.c.movement_id)
                    .join(meters, meters.c.id == lines.c.hydrometer_id)
                    .where(*inner)
                )
            )
        statement = (
            sa.select(t)
            .where(*clauses)
            .order_by(t.c.moved_at.desc(), t.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with translated("hydrometer_movement"):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerMovement]:
        ahead = self._ahead(("of_hydrometer", hydrometer_id))
        if ahead is not MISSING:
            return cast("Sequence[HydrometerMovement]", ahead)
        t, lines = self._table, self._lines
        statement = (
            sa.select(t)
            .join(lines, lines.c.movement_id == t.c.id)
            .where(lines.c.hydrometer_id == hydrometer_id)
            .order_by(t.c.moved_at, t.c.id)
        )
        with translated("hydrometer_movement"):
            rows = self._conn.execute(statement).mappings().all()
        return self._mapper.from_rows(rows)
