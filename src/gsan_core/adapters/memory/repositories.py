"""Generic in-memory repositories over a :class:`MemoryUnitOfWorkBase`."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from gsan_core.adapters.memory.store import MemoryUnitOfWorkBase
from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.accounts import Customer
from gsan_core.model.catalog import CatalogItem, Reference
from gsan_core.model.collection import (
    CutCriteria,
    CutFact,
    CutOrdersWritten,
    CutOrderTemplate,
    CutSelection,
)
from gsan_core.model.properties import LocationLinks, Property

__all__ = [
    "MemoryCatalogRepository",
    "MemoryCollectionQueries",
    "MemoryCustomerRepository",
    "MemoryLocationQueries",
    "MemoryPropertyRepository",
    "MemoryRepository",
    "matches",
]

E = TypeVar("E")


def _is_collection(value: object) -> bool:
    return isinstance(value, Collection) and not isinstance(value, str | bytes)


def matches(entity: object, criteria: Mapping[str, object]) -> bool:
    """Whether ``entity``'s fields equal the criteria (a collection means "in")."""
    for name, wanted in criteria.items():
        actual = getattr(entity, name)
        if _is_collection(wanted):
            if actual not in wanted:  # type: ignore[operator]
                return False
        elif actual != wanted:
            return False
    return True


class MemoryRepository(Generic[E]):
    """Storage of one aggregate type, keyed by its integer id."""

    def __init__(self, uow: MemoryUnitOfWorkBase, table: str) -> None:
        self._uow = uow
        self._table = table

    def _key(self, entity: E) -> Hashable:
        return entity.id  # type: ignore[attr-defined,no-any-return]

    def get(self, id: int) -> E:
        found = self.find(id)
        if found is None:
            raise NotFound(self._table, id)
        return found

    def find(self, id: int) -> E | None:
        return self._uow.read(self._table, id)  # type: ignore[no-any-return]

    def get_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        found: dict[int, E] = {}
        for ident in ids:
            entity = self.find(ident)
            if entity is not None:
                found[ident] = entity
        return found

    def _candidates(self, criteria: Mapping[str, object]) -> Iterable[E]:
        for name, wanted in criteria.items():
            if not _is_collection(wanted) and wanted is not None:
                return self._uow.rows_where(self._table, name, wanted)
        return self._uow.rows(self._table)

    def find_by(self, **criteria: object) -> Sequence[E]:
        rows = [row for row in self._candidates(criteria) if matches(row, criteria)]
        rows.sort(key=self._key)  # type: ignore[arg-type]
        return rows

    def remove(self, entity: E) -> None:
        """Delete ``entity`` (compare-and-set on its version)."""
        key = self._key(entity)
        current = self._uow.read(self._table, key)
        if current is None:
            raise NotFound(self._table, key)
        version = entity.version  # type: ignore[attr-defined]
        if current.version != version:
            raise ConcurrencyConflict(self._table, key, version)
        self._uow.delete(self._table, key, expect=current.version)

    def count_by(self, **criteria: object) -> int:
        return sum(1 for row in self._candidates(criteria) if matches(row, criteria))

    def add(self, entity: E) -> None:
        key = self._key(entity)
        if self._uow.read(self._table, key) is not None:
            raise DuplicateEntity(self._table, key)
        self._uow.write(self._table, key, entity, expect=None)

    def add_many(self, entities: Iterable[E]) -> None:
        batch = list(entities)
        keys = [self._key(e) for e in batch]
        if len(set(keys)) != len(keys):
            duplicated = next(k for k in keys if keys.count(k) > 1)
            raise DuplicateEntity(self._table, duplicated)
        for key in keys:
            if self._uow.read(self._table, key) is not None:
                raise DuplicateEntity(self._table, key)
        for key, entity in zip(keys, batch, strict=True):
            self._uow.write(self._table, key, entity, expect=None)

    def update(self, entity: E) -> None:
        self.update_many([entity])

    def lock(self, id: int) -> E:
        self._uow.lock_rows(self._table, [id])
        return self.get(id)

    def lock_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        wanted = sorted(set(ids))
        self._uow.lock_rows(self._table, wanted)
        return self.get_many(wanted)

    def update_many(self, entities: Iterable[E]) -> None:
        batch = list(entities)
        staged: list[tuple[Hashable, E, int]] = []
        for entity in batch:
            key = self._key(entity)
            expected = entity.version - 1  # type: ignore[attr-defined]
            current = self._uow.read(self._table, key)
            if current is None:
                raise NotFound(self._table, key)
            if current.version != expected:
                raise ConcurrencyConflict(self._table, key, expected)
            staged.append((key, entity, current.version))
        for key, entity, version in staged:
            self._uow.write(self._table, key, entity, expect=version)


class MemoryCustomerRepository(MemoryRepository[Customer]):
    """Customers; their hierarchy walked one level at a time (in memory a
    level costs nothing)."""

    def under(self, customer_id: int) -> Mapping[int, Sequence[int]]:
        found: dict[int, list[int]] = {}
        seen: set[int] = set()
        level = [customer_id]
        while level:
            seen.update(level)
            children = self.find_by(responsible_customer_id=level)
            for child in children:
                assert child.responsible_customer_id is not None
                found.setdefault(child.responsible_customer_id, []).append(child.id)
            level = sorted({c.id for c in children} - seen)
        return found


class MemoryPropertyRepository(MemoryRepository[Property]):
    """Properties, with the grouped reads."""

    def count_by_water_status(self) -> Mapping[int, int]:
        counts: dict[int, int] = {}
        for prop in self._uow.rows(self._table):
            if prop.active:
                counts[prop.water_status_id] = counts.get(prop.water_status_id, 0) + 1
        return dict(sorted(counts.items()))

    def ids_by_route(self, route_id: int) -> Sequence[int]:
        return sorted(
            p.id for p in self._uow.rows(self._table) if p.route_id == route_id
        )


class MemoryCatalogRepository:
    """Reference rows keyed by ``(kind, id)``."""

    _table = "catalog"

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def get(self, kind: str, id: int) -> CatalogItem:
        found = self.find(kind, id)
        if found is None:
            raise NotFound(f"catalog.{kind}", id)
        return found

    def find(self, kind: str, id: int) -> CatalogItem | None:
        return self._uow.read(self._table, (kind, id))  # type: ignore[no-any-return]

    def find_many(
        self, keys: Iterable[tuple[str, int]]
    ) -> Mapping[tuple[str, int], CatalogItem]:
        found = ((key, self.find(*key)) for key in set(keys))
        return {key: item for key, item in found if item is not None}

    def list(
        self, kind: str, *, active_only: bool = False, cached: bool = False
    ) -> Sequence[CatalogItem]:
        del cached  # no cache: the rows are in memory
        rows = [
            row
            for row in self._uow.rows(self._table)
            if row.kind == kind and (row.active or not active_only)
        ]
        rows.sort(key=lambda row: row.id)
        return rows

    def add(self, item: CatalogItem) -> None:
        self.add_many([item])

    def add_many(self, items: Iterable[CatalogItem]) -> None:
        batch = list(items)
        seen: set[tuple[str, int]] = set()
        for item in batch:
            key = (item.kind, item.id)
            if key in seen or self._uow.read(self._table, key) is not None:
                raise DuplicateEntity(f"catalog.{item.kind}", item.id)
            seen.add(key)
        for item in batch:
            self._uow.write(self._table, (item.kind, item.id), item, expect=None)

    def _current(self, item: CatalogItem, expected: int) -> CatalogItem:
        current = self.find(item.kind, item.id)
        if current is None:
            raise NotFound(f"catalog.{item.kind}", item.id)
        if current.version != expected:
            raise ConcurrencyConflict(f"catalog.{item.kind}", item.id, expected)
        return current

    def update(self, item: CatalogItem) -> None:
        current = self._current(item, item.version - 1)
        self._uow.write(self._table, (item.kind, item.id), item, expect=current.version)

    def update_many(self, items: Iterable[CatalogItem]) -> None:
        for item in items:
            self.update(item)

    def remove(self, item: CatalogItem) -> None:
        current = self._current(item, item.version)
        self._uow.delete(self._table, (item.kind, item.id), expect=current.version)

    def usage_count(
        self,
        kind: str,
        id: int,
        references: Collection[Reference],
    ) -> int:
        del kind
        count = 0
        for reference in references:
            key = reference.key
            for row in self._uow.rows(reference.entity):
                value: Any = getattr(row, reference.field)
                if key is not None:
                    count += any(getattr(item, key) == id for item in value)
                elif value == id or (_is_collection(value) and id in value):
                    count += 1
        return count


class MemoryLocationQueries:
    """The links between location rows of the memory store."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def _rows(self, table: str, ids: Collection[int]) -> list[Any]:
        found = (self._uow.read(table, i) for i in set(ids))
        return [row for row in found if row is not None]

    def links(
        self,
        *,
        localities: Collection[int],
        sectors: Collection[int],
        blocks: Collection[int],
        routes: Collection[int],
    ) -> LocationLinks:
        return LocationLinks(
            active_localities=frozenset(
                r.id for r in self._rows("locality", localities) if r.active
            ),
            sector_locality={
                r.id: r.locality_id for r in self._rows("sector", sectors)
            },
            block_sector={r.id: r.sector_id for r in self._rows("block", blocks)},
            route_locality={r.id: r.locality_id for r in self._rows("route", routes)},
        )


class MemoryCollectionQueries:
    """The collection batch's reads over the memory store."""

    def __init__(self, uow: MemoryUnitOfWorkBase) -> None:
        self._uow = uow

    def routes_of_group(self, group_id: int) -> Sequence[int]:
        return sorted(r.id for r in self._uow.rows("route") if r.group_id == group_id)

    def route_sizes_of_groups(
        self, group_ids: Collection[int]
    ) -> Mapping[int, Sequence[tuple[int, int]]]:
        wanted = set(group_ids)
        group_of = {
            r.id: r.group_id for r in self._uow.rows("route") if r.group_id in wanted
        }
        sizes = dict.fromkeys(group_of, 0)
        for prop in self._uow.rows("property"):
            if prop.route_id in sizes:
                sizes[prop.route_id] += 1
        found: dict[int, list[tuple[int, int]]] = {g: [] for g in wanted}
        for route in sorted(group_of):
            found[group_of[route]].append((route, sizes[route]))
        return found

    def select_cut_orders(
        self, route_ids: Collection[int], criteria: CutCriteria
    ) -> CutSelection | None:
        """The memory store does not decide: the service runs the pure rules."""
        return None

    def write_cut_orders(
        self,
        route_ids: Collection[int],
        criteria: CutCriteria,
        template: CutOrderTemplate,
    ) -> CutOrdersWritten | None:
        """The memory store does not write set-based: the service does."""
        return None

    def route_cut_facts(
        self, route_ids: Collection[int], cut_service_type_ids: Collection[int]
    ) -> Sequence[CutFact]:
        cut_types = set(cut_service_type_ids)

        def of_routes() -> list[Any]:
            return sorted(
                (
                    p
                    for route_id in set(route_ids)
                    for p in self._uow.rows_where("property", "route_id", route_id)
                ),
                key=lambda p: p.id,
            )

        self._uow.lock_rows("property", [p.id for p in of_routes()])
        props = of_routes()
        open_cut = {
            o.property_id
            for p in props
            for o in self._uow.rows_where("service_order", "property_id", p.id)
            if o.is_open and o.service_type_id in cut_types
        }
        return [
            CutFact(
                property_id=p.id,
                route_id=p.route_id,
                locality_id=p.locality_id,
                water_status_id=p.water_status_id,
                active=p.active,
                has_open_cut_order=p.id in open_cut,
            )
            for p in props
        ]
