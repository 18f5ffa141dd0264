"""In-memory repositories of the hydrometer area."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

import attrs

from gsan_core.adapters.memory.repositories import MemoryRepository
from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    HydrometerMovement,
    MeasurementPoint,
    MovedHydrometer,
    StockEntry,
)
from gsan_core.rules.uniques import UniqueRule, unique_rule, unique_violation

__all__ = [
    "MemoryHydrometerRepository",
    "MemoryInstallationRepository",
    "MemoryMovementRepository",
]


def _key(table: str, *columns: str) -> UniqueRule:
    found = unique_rule(table, columns=columns)
    assert found is not None, (table, columns)
    return found


#: The unique keys the SQL schema enforces, enforced the same way here.
_NUMBER_KEY = _key("hydrometer", "number")
_OPEN_POINT_KEY = _key("hydrometer_installation", "property_id", "point")
_OPEN_METER_KEY = _key("hydrometer_installation", "hydrometer_id")


class MemoryHydrometerRepository(MemoryRepository[Hydrometer]):
    """Meters, with the number look-ups; numbers are unique, as the SQL index."""

    def add_many(self, entities: Iterable[Hydrometer]) -> None:
        batch = list(entities)
        taken = {meter.number for meter in self._uow.rows(self._table)}
        for meter in batch:
            if meter.number in taken:
                raise RuleViolation([unique_violation(_NUMBER_KEY)])
            taken.add(meter.number)
        super().add_many(batch)

    def add(self, entity: Hydrometer) -> None:
        self.add_many([entity])

    def find_by_number(self, number: str) -> Hydrometer | None:
        for meter in self._uow.rows(self._table):
            if meter.number == number:
                found: Hydrometer = meter
                return found
        return None

    def _between(self, first: str, last: str) -> list[Hydrometer]:
        size = len(first)
        return sorted(
            (
                meter
                for meter in self._uow.rows(self._table)
                if len(meter.number) == size and first <= meter.number <= last
            ),
            key=lambda meter: meter.number,
        )

    def numbers_between(self, first: str, last: str) -> Sequence[str]:
        return [meter.number for meter in self._between(first, last)]

    def between(self, first: str, last: str) -> Sequence[Hydrometer]:
        return self._between(first, last)

    def stock_entries(self, ids: Iterable[int]) -> Mapping[int, StockEntry]:
        return {
            ident: StockEntry(
                id=meter.id,
                number=meter.number,
                situation_id=meter.situation_id,
                location_id=meter.location_id,
                version=meter.version,
            )
            for ident, meter in self.get_many(ids).items()
        }

    def move_many(
        self, read: Iterable[tuple[int, int]], *, location_id: int, situation_id: int
    ) -> None:
        moved = []
        for ident, version in read:
            meter = self.get(ident)
            if meter.version != version:
                raise ConcurrencyConflict(self._table, ident, version)
            moved.append(
                attrs.evolve(
                    meter,
                    location_id=location_id,
                    situation_id=situation_id,
                    version=version + 1,
                )
            )
        self.update_many(moved)

    def stock(self) -> Mapping[tuple[int | None, int], int]:
        counts: dict[tuple[int | None, int], int] = {}
        for meter in self._uow.rows(self._table):
            key = (meter.location_id, meter.situation_id)
            counts[key] = counts.get(key, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])))


def _chronological(
    rows: Iterable[HydrometerInstallation],
) -> list[HydrometerInstallation]:
    return sorted(rows, key=lambda row: (row.installed_on, row.id))


class MemoryInstallationRepository(MemoryRepository[HydrometerInstallation]):
    """The installation history: one open installation per point and per meter,
    as the SQL schema's partial unique indexes."""

    def add_many(self, entities: Iterable[HydrometerInstallation]) -> None:
        batch = list(entities)
        open_rows = [row for row in self._uow.rows(self._table) if row.is_open]
        points = {(row.property_id, row.point) for row in open_rows}
        meters = {row.hydrometer_id for row in open_rows}
        for row in batch:
            if not row.is_open:
                continue
            if (row.property_id, row.point) in points:
                raise RuleViolation([unique_violation(_OPEN_POINT_KEY)])
            if row.hydrometer_id in meters:
                raise RuleViolation([unique_violation(_OPEN_METER_KEY)])
            points.add((row.property_id, row.point))
            meters.add(row.hydrometer_id)
        super().add_many(batch)

    def add(self, entity: HydrometerInstallation) -> None:
        self.add_many([entity])

    def current(
        self, *, property_id: int, point: MeasurementPoint
    ) -> HydrometerInstallation | None:
        for row in self._uow.rows(self._table):
            if row.property_id == property_id and row.point is point and row.is_open:
                found: HydrometerInstallation = row
                return found
        return None

    def current_of(self, hydrometer_id: int) -> HydrometerInstallation | None:
        for row in self._uow.rows(self._table):
            if row.hydrometer_id == hydrometer_id and row.is_open:
                found: HydrometerInstallation = row
                return found
        return None

    def of_point(
        self, *, property_id: int, point: MeasurementPoint
    ) -> Sequence[HydrometerInstallation]:
        return _chronological(
            row
            for row in self._uow.rows(self._table)
            if row.property_id == property_id and row.point is point
        )

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerInstallation]:
        return _chronological(
            row
            for row in self._uow.rows(self._table)
            if row.hydrometer_id == hydrometer_id
        )

    def last_removal(
        self,
        *,
        property_id: int | None = None,
        point: MeasurementPoint | None = None,
        hydrometer_id: int | None = None,
    ) -> date | None:
        dates = [
            row.removed_on
            for row in self._uow.rows(self._table)
            if row.removed_on is not None
            and (property_id is None or row.property_id == property_id)
            and (point is None or row.point is point)
            and (hydrometer_id is None or row.hydrometer_id == hydrometer_id)
        ]
        return max(dates, default=None)


class MemoryMovementRepository(MemoryRepository[HydrometerMovement]):
    """Movement documents; their lines live in the ``hydrometer_movement_line``
    table keyed by ``(movement_id, hydrometer_id)``."""

    _lines = "hydrometer_movement_line"

    def add_lines(self, movement_id: int, hydrometer_ids: Iterable[int]) -> None:
        for ident in hydrometer_ids:
            line = MovedHydrometer(movement_id=movement_id, hydrometer_id=ident)
            self._uow.write(self._lines, (movement_id, ident), line, expect=None)

    def hydrometer_ids(self, movement_id: int) -> Sequence[int]:
        return sorted(
            line.hydrometer_id
            for line in self._uow.rows(self._lines)
            if line.movement_id == movement_id
        )

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
        rows = [
            m
            for m in self._uow.rows(self._table)
            if (moved_from is None or m.moved_at >= moved_from)
            and (moved_until is None or m.moved_at < moved_until)
            and (location_id is None or location_id in (m.origin_id, m.destination_id))
            and (situation_id is None or m.situation_id == situation_id)
        ]
        if number_from is not None or number_to is not None:
            low, high = number_from or "", number_to or "\uffff"
            numbers = {meter.id: meter.number for meter in self._uow.rows("hydrometer")}
            wanted = {
                line.movement_id
                for line in self._uow.rows(self._lines)
                if low <= numbers.get(line.hydrometer_id, "") <= high
            }
            rows = [m for m in rows if m.id in wanted]
        rows.sort(key=lambda m: (m.moved_at, m.id), reverse=True)
        return rows[offset : offset + limit]

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerMovement]:
        ids = {
            line.movement_id
            for line in self._uow.rows(self._lines)
            if line.hydrometer_id == hydrometer_id
        }
        return sorted(
            (self.get(ident) for ident in ids),
            key=lambda movement: (movement.moved_at, movement.id),
        )
