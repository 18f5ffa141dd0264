"""The selective emission's reads over the memory store: the pure rules of
:mod:`gsan_core.rules.field_work` decide (the specification the SQL statement
is checked against)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.accounts.customers import RelationType
from gsan_core.model.billing import DebtKind
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.field_files import FieldFile, FieldFileFilter, FileOrderDetail
from gsan_core.model.field_work import (
    SelectiveCriteria,
    SelectiveDecision,
    SelectiveFact,
    SelectiveSelection,
    SelectiveWanted,
)
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.sewer_commands import SewerCommand
from gsan_core.rules.field_work import decide_selective

if TYPE_CHECKING:
    from gsan_core.adapters.memory.store import MemoryUnitOfWorkBase

__all__ = ["MemoryFieldFileQueries", "MemorySelectiveQueries", "in_scope"]


def in_scope(prop: Any, criteria: SelectiveCriteria) -> bool:
    """The property is inside the criteria's location bounds."""
    c = criteria
    return (
        (c.locality_first is None or prop.locality_id >= c.locality_first)
        and (c.locality_last is None or prop.locality_id <= c.locality_last)
        and (c.sector_first is None or prop.sector_id >= c.sector_first)
        and (c.sector_last is None or prop.sector_id <= c.sector_last)
        and (c.block_first is None or prop.block_id >= c.block_first)
        and (c.block_last is None or prop.block_id <= c.block_last)
        and (not c.route_ids or prop.route_id in c.route_ids)
        and (c.property_id is None or prop.id == c.property_id)
    )


class MemorySelectiveQueries:
    """The selective emission's reads in memory."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def _scope(self, criteria: SelectiveCriteria, first: int, last: int) -> list[Any]:
        return sorted(
            (
                p
                for p in self._uow.rows("property")
                if first <= p.id <= last and in_scope(p, criteria)
            ),
            key=lambda p: p.id,
        )

    def chunk_bounds(
        self, criteria: SelectiveCriteria, size: int, *, lock_one: bool = False
    ) -> Sequence[tuple[int, int]]:
        ids = [p.id for p in self._scope(criteria, -(2**62), 2**62)]
        if lock_one and 0 < len(ids) <= size:
            self._uow.lock_rows("property", ids)
        return [
            (ids[n], ids[min(n + size, len(ids)) - 1]) for n in range(0, len(ids), size)
        ]

    def sewer_command_bounds(
        self, command_id: int, size: int, *, lock_one: bool = False
    ) -> tuple[SewerCommand, Sequence[tuple[int, int]]]:
        command: SewerCommand | None = self._uow.read("sewer_command", command_id)
        if command is None:
            raise NotFound("sewer_command", command_id)
        return command, self.chunk_bounds(command.criteria, size, lock_one=lock_one)

    def select_selective(
        self,
        first: int,
        last: int,
        wanted: SelectiveWanted,
        *,
        locked: bool = False,
    ) -> SelectiveSelection:
        if not locked:
            self._uow.lock_rows(
                "property", [p.id for p in self._scope(wanted.criteria, first, last)]
            )
        facts = [
            self._fact(p, wanted) for p in self._scope(wanted.criteria, first, last)
        ]
        decisions = {f.property_id: decide_selective(f, wanted.criteria) for f in facts}
        return SelectiveSelection(
            processed=len(facts),
            chosen=tuple(
                f
                for f in facts
                if decisions[f.property_id] is SelectiveDecision.GENERATE
            ),
            skipped=dict(
                sorted(
                    Counter(
                        d.value
                        for d in decisions.values()
                        if d is not SelectiveDecision.GENERATE
                    ).items()
                )
            ),
        )

    def _fact(self, prop: Any, wanted: SelectiveWanted) -> SelectiveFact:
        uow = self._uow
        links = "sewer_command_order" if wanted.sewer else "selective_order"
        emitted = any(
            row.command_id == wanted.command_id
            for row in uow.rows_where(links, "property_id", prop.id)
        )
        has_open = any(
            o.situation is not OrderSituation.CLOSED
            and o.service_type_id in wanted.blocking_type_ids
            and o.request_id is None
            and o.collection_document_id is None
            and o.generated_at >= wanted.open_since
            for o in uow.rows_where("service_order", "property_id", prop.id)
        )
        debts = list(uow.rows_where("open_debt", "property_id", prop.id))
        bills = sum(1 for d in debts if d.kind is DebtKind.BILL)
        units = [
            u.id
            for u in uow.rows_where("unit", "locality_id", prop.locality_id)
            if u.active
        ]
        return SelectiveFact(
            property_id=prop.id,
            locality_id=prop.locality_id,
            water_status_id=prop.water_status_id,
            sewer_status_id=prop.sewer_status_id,
            profile_id=prop.profile_id,
            active=prop.active,
            open_bills=bills,
            emitted=emitted,
            has_open_order=has_open,
            unit_id=max(units) if units else None,
            debt_total=sum((Decimal(d.amount) for d in debts), Decimal(0)),
            **self._measures(prop.id, wanted),
        )

    def _measures(self, property_id: int, wanted: SelectiveWanted) -> dict[str, Any]:
        """The consumption, anomaly and meter facts of a property."""
        c = wanted.criteria
        if not (c.uses_consumption or c.consecutive_anomalies or c.uses_meter):
            return {}
        history = sorted(
            (
                r
                for r in self._uow.rows("consumption")
                if r.property_id == property_id and r.kind is MeasurementKind.WATER
            ),
            key=lambda r: r.reference,
            reverse=True,
        )
        window = [
            r.billed_volume for r in history if r.reference >= wanted.consumption_since
        ]
        streak = 0
        for record in history:
            if record.anomaly_id is None or (
                c.anomaly_ids and record.anomaly_id not in c.anomaly_ids
            ):
                break
            streak += 1
        meters = [
            i.installed_on
            for i in self._uow.rows_where(
                "hydrometer_installation", "property_id", property_id
            )
            if i.removed_on is None and i.point is MeasurementPoint.WATER_CONNECTION
        ]
        return {
            "average_consumption": (
                Decimal(sum(window)) / len(window) if window else None
            ),
            "anomaly_streak": streak,
            "meter_installed_on": meters[0] if meters else None,
        }

    def pending_orders_of_command(
        self, command_id: int, *, after_order_id: int, limit: int
    ) -> Sequence[int]:
        ids = sorted(
            row.order_id
            for row in self._uow.rows_where("selective_order", "command_id", command_id)
            if row.order_id > after_order_id
        )
        found: list[int] = []
        for order_id in ids:
            order = self._uow.read("service_order", order_id)
            if order is not None and order.situation is OrderSituation.PENDING:
                found.append(order_id)
                if len(found) == limit:
                    break
        return found


class MemoryFieldFileQueries:
    """The device files' reads in memory."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def file_rows(
        self, file_id: int, first: int, last: int
    ) -> Sequence[tuple[int, ...]]:
        items = sorted(
            (
                i
                for i in self._uow.rows_where("field_file_item", "file_id", file_id)
                if first <= i.sequence <= last
            ),
            key=lambda i: i.sequence,
        )
        rows: list[tuple[int, ...]] = []
        for item in items:
            order = self._uow.read("service_order", item.order_id)
            prop = (
                self._uow.read("property", order.property_id)
                if order.property_id is not None
                else None
            )
            place: tuple[int, ...] = (
                (
                    prop.id,
                    prop.locality_id,
                    prop.sector_id,
                    prop.block_id,
                    prop.block_face or 0,
                    prop.profile_id,
                    prop.route_id or 0,
                    prop.water_status_id,
                    prop.sewer_status_id,
                )
                if prop is not None
                else (0,) * 9
            )
            rows.append((order.id, order.service_type_id, item.sequence, *place))
        return rows

    def record_rows(
        self, file_id: int, first: int, last: int, *, consumption_since: int
    ) -> Sequence[tuple[Any, ...]]:
        rows = self.file_rows(file_id, first, last)
        details = self.order_details(file_id, first, last)
        averages = self.average_consumptions(
            [row[3] for row in rows if row[3]], consumption_since
        )
        return [
            (
                *row,
                *list(attrs.astuple(detail, recurse=False))[1:],
                averages.get(row[3]),
                *self._principal(row[3]),
            )
            for row, detail in zip(rows, details, strict=True)
        ]

    def _principal(self, property_id: int) -> tuple[int | None, int | None]:
        """The property's principal category id and its economies."""
        prop = self._uow.read("property", property_id) if property_id else None
        main = None if prop is None else prop.main_category
        return (None, None) if main is None else (main.category_id, main.count)

    def record_pages(
        self, file_id: int, *, consumption_since: int, size: int
    ) -> Iterator[Sequence[tuple[Any, ...]]]:
        items = self._uow.rows_where("field_file_item", "file_id", file_id)
        last = max((i.sequence for i in items), default=0)
        for first in range(1, last + 1, size):
            rows = self.record_rows(
                file_id, first, first + size - 1, consumption_since=consumption_since
            )
            if rows:
                yield rows

    def document_pages(
        self, file_id: int, *, size: int
    ) -> Iterator[Sequence[tuple[int, int]]]:
        items = sorted(
            self._uow.rows_where("field_file_item", "file_id", file_id),
            key=lambda i: i.sequence,
        )
        pairs: list[tuple[int, int]] = []
        for item in items:
            order = self._uow.read("service_order", item.order_id)
            if order.collection_document_id is not None:
                pairs.append((order.id, order.collection_document_id))
        for start in range(0, len(pairs), size):
            yield pairs[start : start + size]

    def average_consumptions(
        self, property_ids: Sequence[int], since: int
    ) -> Mapping[int, int]:
        wanted = set(property_ids)
        volumes: dict[int, list[int]] = {}
        for r in self._uow.rows("consumption"):
            if (
                r.property_id in wanted
                and r.kind is MeasurementKind.WATER
                and r.reference >= since
            ):
                volumes.setdefault(r.property_id, []).append(r.billed_volume)
        return {p: sum(v) // len(v) for p, v in volumes.items()}

    def order_details(
        self, file_id: int, first: int, last: int
    ) -> Sequence[FileOrderDetail]:
        items = sorted(
            (
                i
                for i in self._uow.rows_where("field_file_item", "file_id", file_id)
                if first <= i.sequence <= last
            ),
            key=lambda i: i.sequence,
        )
        found: list[FileOrderDetail] = []
        for item in items:
            order = self._uow.read("service_order", item.order_id)
            pid = order.property_id
            document = order.collection_document_id
            found.append(
                FileOrderDetail(order_id=order.id, collection_document_id=document)
                if pid is None
                else FileOrderDetail(
                    order_id=order.id,
                    collection_document_id=document,
                    **self._user(pid),
                    **self._meter(pid),
                )
            )
        return found

    def _user(self, property_id: int) -> dict[str, Any]:
        relations = sorted(
            (
                r
                for r in self._uow.rows_where(
                    "customer_property", "property_id", property_id
                )
                if r.relation == RelationType.USER and r.end is None
            ),
            key=lambda r: r.id,
        )
        if not relations:
            return {}
        customer = self._uow.read("customer", relations[0].customer_id)
        return {
            "customer_name": customer.name,
            "document": customer.document,
            "identity_card": customer.identity_card,
            "identity_issuer_id": customer.identity_issuer_id,
            "identity_state_id": customer.identity_state_id,
            "phone_area": customer.phone_area,
            "phone": customer.phone,
            "phone_extension": customer.phone_extension,
        }

    def _meter(self, property_id: int) -> dict[str, Any]:
        current = next(
            (
                i
                for i in self._uow.rows_where(
                    "hydrometer_installation", "property_id", property_id
                )
                if i.point == MeasurementPoint.WATER_CONNECTION and i.removed_on is None
            ),
            None,
        )
        if current is None:
            return {}
        meter = self._uow.read("hydrometer", current.hydrometer_id)
        return {
            "meter_number": meter.number,
            "meter_type_id": meter.type_id,
            "meter_situation_id": meter.situation_id,
            "place_id": current.place_id,
            "protection_id": current.protection_id,
            "stand": current.stand,
            "brand_id": meter.brand_id,
        }

    def order_states(self, file_id: int, order_ids: Sequence[int]) -> Mapping[int, int]:
        found: dict[int, int] = {}
        for order_id in order_ids:
            if any(
                i.file_id == file_id
                for i in self._uow.rows_where("field_file_item", "order_id", order_id)
            ):
                found[order_id] = int(
                    self._uow.read("service_order", order_id).situation
                )
        return found

    def staged_digests(self, file_id: int, digests: Sequence[str]) -> set[str]:
        return {
            line.digest
            for digest in set(digests)
            for line in self._uow.rows_where("field_return_line", "digest", digest)
            if line.file_id == file_id
        }

    def eligible_orders(
        self, wanted: FieldFileFilter, *, skip_open_files: bool, limit: int | None
    ) -> Sequence[int]:
        uow = self._uow
        sectors, blocks = wanted.sectors, wanted.blocks
        found: list[tuple[tuple[int, ...], int]] = []
        for order in uow.rows("service_order"):
            if order.situation is not OrderSituation.PENDING or not order.property_id:
                continue
            if (
                wanted.service_type_ids
                and order.service_type_id not in wanted.service_type_ids
            ):
                continue
            prop = uow.read("property", order.property_id)
            if prop is None or not prop.active:
                continue
            if (
                wanted.locality_id is not None
                and prop.locality_id != wanted.locality_id
            ):
                continue
            code = uow.read("sector", prop.sector_id).code
            number = uow.read("block", prop.block_id).number
            if sectors is not None and not sectors[0] <= code <= sectors[1]:
                continue
            if blocks is not None and not blocks[0] <= number <= blocks[1]:
                continue
            if skip_open_files and self._in_open_file(order.id):
                continue
            place = (prop.locality_id, code, number, prop.id, order.id)
            found.append((place, order.id))
        found.sort()
        ids = [order_id for _, order_id in found]
        return ids if limit is None else ids[:limit]

    def _in_open_file(self, order_id: int) -> bool:
        return any(
            not self._uow.read("field_file", item.file_id).situation.finished
            for item in self._uow.rows_where("field_file_item", "order_id", order_id)
        )

    def delete_files(self, files: Sequence[FieldFile]) -> int:
        for file in files:
            current = self._uow.read("field_file", file.id)
            if current is None:
                raise NotFound("field_file", file.id)
            if current.version != file.version:
                raise ConcurrencyConflict("field_file", file.id, file.version)
        count = 0
        for file in files:
            items = list(self._uow.rows_where("field_file_item", "file_id", file.id))
            for item in items:
                self._uow.delete("field_file_item", item.id, expect=item.version)
            self._uow.delete("field_file", file.id, expect=file.version)
            count += len(items)
        return count
