"""Use cases of properties and their location: register one, load many, update.

Integrators load properties from their own cadastre: :meth:`PropertyService.load`
validates a whole chunk against reference ids loaded once (set-based), then
inserts it with one statement per chunk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice

import attrs

from gsan_core.display import Named, NamedCounts
from gsan_core.errors import ConcurrencyConflict, Violation
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    PropertiesLoaded,
    Property,
    PropertyChanged,
    PropertyRegistered,
    Route,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import properties as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["LoadSummary", "Progress", "PropertyService", "chunked"]

_LOG = logging.getLogger(__name__)

#: Progress callback of batch work: ``(done, total)``; ``total`` may be unknown.
Progress = Callable[[int, int | None], None]


@attrs.frozen(kw_only=True)
class LoadSummary:
    """What a bulk load did."""

    loaded: int
    skipped_existing: int
    chunks: int


@attrs.define
class _Tally:
    seen: int = 0
    loaded: int = 0
    chunks: int = 0
    first: int | None = None
    last: int | None = None

    def count(self, chunk: list[Property], fresh: list[Property]) -> None:
        self.seen += len(chunk)
        self.loaded += len(fresh)
        self.chunks += 1
        if fresh:
            ids = [p.id for p in fresh]
            self.first = min(ids) if self.first is None else min(self.first, *ids)
            self.last = max(ids) if self.last is None else max(self.last, *ids)

    def merge(self, other: _Tally) -> None:
        self.seen += other.seen
        self.loaded += other.loaded
        self.chunks += other.chunks
        for value in (other.first, other.last):
            if value is not None:
                self.first = value if self.first is None else min(self.first, value)
                self.last = value if self.last is None else max(self.last, value)

    def summary(self) -> LoadSummary:
        return LoadSummary(
            loaded=self.loaded,
            skipped_existing=self.seen - self.loaded,
            chunks=self.chunks,
        )


def chunked(items: Iterable[Property], size: int) -> Iterator[list[Property]]:
    """Split ``items`` into lists of at most ``size``."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class PropertyService(Service):
    """``gsan.properties``: the properties and their location."""

    # ------------------------------------------------------------ location
    def load_locations(
        self,
        *,
        actor: int,
        localities: Iterable[Locality] = (),
        sectors: Iterable[CommercialSector] = (),
        blocks: Iterable[Block] = (),
        routes: Iterable[Route] = (),
    ) -> None:
        """Insert localities, sectors, blocks and routes in one transaction (PRO-1)."""
        del actor  # location loads are cadastral imports; no events
        new_localities = list(localities)
        new_sectors = list(sectors)
        new_blocks = list(blocks)
        new_routes = list(routes)
        with self._work() as uow:
            locality_ids = frozenset(
                [loc.id for loc in uow.localities.find_by()]
                + [loc.id for loc in new_localities]
            )
            sector_locality = {s.id: s.locality_id for s in uow.sectors.find_by()}
            sector_locality.update({s.id: s.locality_id for s in new_sectors})
            violations: list[Violation] = []
            for sector in new_sectors:
                violations += rules.check_location_entry(
                    entity="sector",
                    entity_id=sector.id,
                    locality_id=sector.locality_id,
                    sector_id=None,
                    localities=locality_ids,
                    sector_locality=sector_locality,
                )
            for block in new_blocks:
                violations += rules.check_location_entry(
                    entity="block",
                    entity_id=block.id,
                    locality_id=block.locality_id,
                    sector_id=block.sector_id,
                    localities=locality_ids,
                    sector_locality=sector_locality,
                )
            for route in new_routes:
                violations += rules.check_location_entry(
                    entity="route",
                    entity_id=route.id,
                    locality_id=route.locality_id,
                    sector_id=route.sector_id,
                    localities=locality_ids,
                    sector_locality=sector_locality,
                )
            ensure(violations)
            uow.localities.add_many(new_localities)
            uow.sectors.add_many(new_sectors)
            uow.blocks.add_many(new_blocks)
            uow.routes.add_many(new_routes)
            uow.commit()

    def locality(self, id: int) -> Locality:
        """One locality."""
        with self._read() as uow:
            return uow.localities.get(id)

    def block(self, id: int) -> Block:
        """One block with its network indicators."""
        with self._read() as uow:
            return uow.blocks.get(id)

    def route(self, id: int) -> Route:
        """One route."""
        with self._read() as uow:
            return uow.routes.get(id)

    # ------------------------------------------------------------ properties
    def _references(
        self, uow: UnitOfWork, props: Iterable[Property]
    ) -> rules.PropertyReferences:
        """The reference ids the rules need for ``props``: the location and
        catalog rows they point to, read by id (so the cost does not grow with
        the size of the utility or of its catalog). A set holds the ids of
        ``props`` that exist and are active, which is all the rules ask of it."""
        wanted = list(props)
        kinds = {
            "property_profile": {p.profile_id for p in wanted},
            "water_status": {p.water_status_id for p in wanted},
            "sewer_status": {p.sewer_status_id for p in wanted},
            "category": {e.category_id for p in wanted for e in p.categories},
            "subcategory": {
                e.subcategory_id
                for p in wanted
                for e in p.categories
                if e.subcategory_id is not None
            },
            "collection_situation": {
                s for p in wanted for s in p.collection_situation_ids
            },
            "consumption_tariff": {
                p.consumption_tariff_id
                for p in wanted
                if p.consumption_tariff_id is not None
            },
            "well_type": {p.well_type_id for p in wanted if p.well_type_id is not None},
        }
        items = uow.catalog.find_many(
            (kind, i) for kind, ids in kinds.items() for i in ids
        )

        def active(kind: str) -> frozenset[int]:
            return frozenset(
                i for (k, i), item in items.items() if k == kind and item.active
            )

        links = uow.locations.links(
            localities={p.locality_id for p in wanted},
            sectors={p.sector_id for p in wanted},
            blocks={p.block_id for p in wanted},
            routes={p.route_id for p in wanted if p.route_id is not None},
        )
        return rules.PropertyReferences(
            localities=links.active_localities,
            sector_locality=links.sector_locality,
            block_sector=links.block_sector,
            route_locality=links.route_locality,
            profiles=active("property_profile"),
            water_statuses=active("water_status"),
            sewer_statuses=active("sewer_status"),
            categories=active("category"),
            subcategory_category={
                i: item.integer("category_id") or 0
                for (k, i), item in items.items()
                if k == "subcategory" and item.active
            },
            collection_situations=active("collection_situation"),
            consumption_tariffs=active("consumption_tariff"),
            well_types=active("well_type"),
        )

    def check(self, prop: Property) -> tuple[object, ...]:
        """Every PRO-1/PRO-2 violation ``prop`` would raise on registration."""
        with self._read() as uow:
            return rules.check_property(prop, refs=self._references(uow, [prop]))

    def register(self, prop: Property, *, actor: int) -> Property:
        """Add one property (version 1)."""
        prop = attrs.evolve(prop, version=1)
        with self._work() as uow:
            ensure(rules.check_property(prop, refs=self._references(uow, [prop])))
            uow.properties.add(prop)
            uow.record(
                PropertyRegistered(
                    occurred_at=self._now(), actor=actor, property_id=prop.id
                )
            )
            uow.commit()
        return prop

    def load(
        self,
        properties: Iterable[Property],
        *,
        actor: int,
        chunk_size: int = 5_000,
        atomic: bool = True,
        total: int | None = None,
        progress: Progress | None = None,
    ) -> LoadSummary:
        """Load many properties, validated a chunk at a time against reference ids.

        With ``atomic=True`` (the default) everything is one transaction: any
        violation leaves nothing written. With ``atomic=False`` each chunk commits
        on its own and a re-run skips the ids already stored, so an interrupted
        load resumes where it stopped.
        """
        tally = _Tally()
        if atomic:
            with self._work() as uow:
                for chunk in chunked(properties, chunk_size):
                    refs = self._references(uow, chunk)
                    self._load_chunk(uow, chunk, refs, tally, skip_existing=False)
                    if progress is not None:
                        progress(tally.seen, total)
                self._record_load(uow, tally, actor)
                uow.commit()
            return tally.summary()
        for chunk in chunked(properties, chunk_size):
            part = _Tally()
            with self._work() as uow:
                self._load_chunk(
                    uow, chunk, self._references(uow, chunk), part, skip_existing=True
                )
                self._record_load(uow, part, actor)
                uow.commit()
            tally.merge(part)
            _LOG.debug(
                "properties: chunk committed, %d loaded, %d already stored",
                part.loaded,
                part.seen - part.loaded,
            )
            if progress is not None:
                progress(tally.seen, total)
        return tally.summary()

    @staticmethod
    def _load_chunk(
        uow: UnitOfWork,
        chunk: list[Property],
        refs: rules.PropertyReferences,
        tally: _Tally,
        *,
        skip_existing: bool,
    ) -> None:
        fresh = chunk
        if skip_existing:
            existing = uow.properties.get_many(p.id for p in chunk)
            fresh = [p for p in chunk if p.id not in existing]
        fresh = [p if p.version == 1 else attrs.evolve(p, version=1) for p in fresh]
        violations: list[Violation] = []
        for prop in fresh:
            violations += rules.check_property(prop, refs=refs)
        ensure(violations)
        uow.properties.add_many(fresh)
        tally.count(chunk, fresh)

    def _record_load(self, uow: UnitOfWork, tally: _Tally, actor: int) -> None:
        if tally.loaded and tally.first is not None and tally.last is not None:
            uow.record(
                PropertiesLoaded(
                    occurred_at=self._now(),
                    actor=actor,
                    count=tally.loaded,
                    first_id=tally.first,
                    last_id=tally.last,
                )
            )

    def get(self, id: int) -> Property:
        """One property; ``NotFound`` if absent."""
        with self._read() as uow:
            return uow.properties.get(id)

    def find_by(self, **criteria: object) -> Sequence[Property]:
        """Properties whose fields equal the criteria (a collection means "in")."""
        with self._read() as uow:
            return uow.properties.find_by(**criteria)

    def update(self, prop: Property, *, actor: int) -> Property:
        """Store a cadastral change of a property read at ``prop.version``.

        The water and sewer situations cannot change here (PRO-3).
        """
        # its writes (the compare-and-set update, the outbox) sent together
        # after its reads (issue 20, ninth round)
        with self._work(defer=True) as uow:
            stored = uow.properties.get(prop.id)
            if stored.version != prop.version:
                raise ConcurrencyConflict("property", prop.id, prop.version)
            refs = self._references(uow, [stored, prop])
            ensure(rules.check_change(stored, prop, refs=refs))
            changed = attrs.evolve(prop, version=stored.version + 1)
            uow.properties.update(changed)
            uow.record(
                PropertyChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    property_id=prop.id,
                    version=changed.version,
                )
            )
            uow.commit()
        return changed

    def count_by_water_status(self) -> NamedCounts[int]:
        """How many active properties are in each water situation; the keys are
        the situation ids, shown with their names (``counts["LIGADO"]`` reads
        the same entry as ``counts[3]``)."""
        with self._read() as uow:
            counts = uow.properties.count_by_water_status()
            found = uow.catalog.find_many(("water_status", key) for key in counts)
        return NamedCounts(
            {
                Named(
                    key, getattr(found.get(("water_status", key)), "description", None)
                ): count
                for key, count in counts.items()
            },
            title="Properties by water situation",
            headers=("water situation", "properties"),
        )

    # ------------------------------------------------------------ field lock
    def lock_route_in_field(self, route_id: int, *, reference: int) -> None:
        """Billing started for the route in the field (``yyyymm`` reference)."""
        with self._work() as uow:
            uow.routes.get(route_id)
            uow.seeding.lock_route(route_id, reference)
            uow.commit()

    def unlock_route(self, route_id: int) -> None:
        """The route's group was billed; its properties may change again."""
        with self._work() as uow:
            uow.seeding.unlock_route(route_id)
            uow.commit()

    def locked_reference(self, property_id: int) -> int | None:
        """The reference month that locks the property in the field, if any."""
        with self._read() as uow:
            return uow.field_lock.locked_reference(property_id)
