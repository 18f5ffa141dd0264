"""Configuration of the service requests: specifications, property-situation
profiles and the routing associations (CFG-01..CFG-08).

Request types, groups, channels, reactivation reasons, automatic messages,
sewer divisions, pavements, occurrence types and reasons and the regulator's
reasons are reference tables: maintain them with ``gsan.catalog``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from gsan_core.errors import ConcurrencyConflict, NotFound, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_requests import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    PropertySituationProfile,
    RequestConfigurationChanged,
    RequestSpecification,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_configuration as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["RequestConfigurationService"]


def _lookup(
    uow: UnitOfWork, keys: Iterable[tuple[str, int]]
) -> Callable[[str, int], CatalogItem | None]:
    """The rules' catalog lookup with ``keys`` read at once (one statement, or
    none from the reference cache: issue 20, not one a row); another key is
    read when asked."""
    wanted = set(keys)
    found = uow.catalog.find_many(wanted) if wanted else {}

    def lookup(kind: str, id: int) -> CatalogItem | None:
        if (kind, id) in wanted:
            return found.get((kind, id))
        return uow.catalog.find(kind, id)

    return lookup


class RequestConfigurationService(Service):
    """``gsan.service_requests.configuration``: Inserir/Manter Tipo de Solicitação
    com Especificações, Especificação da Situação do Imóvel, Associação de
    Localidade com Especificação e Unidade, Trâmite por Situação de Cobrança."""

    # ------------------------------------------------------------ specifications
    def _check_specifications(
        self,
        uow: UnitOfWork,
        specs: Sequence[RequestSpecification],
        stored: Mapping[int, RequestSpecification] | None = None,
    ) -> list[Violation]:
        """CFG-02..04 and CFG-08 of specifications saved together, with every
        reference read once (``stored``: every specification, when read)."""
        if stored is None:
            stored = {s.id: s for s in uow.request_specifications.find_by()}
        everything = {**stored, **{s.id: s for s in specs}}
        unit_ids = {s.unit_id for s in specs if s.unit_id is not None}
        type_ids = {s.service_type_id for s in specs if s.service_type_id} | {
            e.service_type_id for s in specs for e in s.service_types
        }
        units = uow.units.get_many(unit_ids) if unit_ids else {}
        service_types = uow.service_types.get_many(type_ids) if type_ids else {}
        profiles = [p.id for p in uow.situation_profiles.find_by()]
        lookup = _lookup(
            uow,
            [
                *(("request_type", s.request_type_id) for s in specs),
                *(("debit_type", s.debit_type_id) for s in specs if s.debit_type_id),
                *(("request_message", s.message_id) for s in specs if s.message_id),
                *(
                    ("request_channel", c)
                    for s in specs
                    for c in s.document_channel_ids
                ),
            ],
        )

        found: list[Violation] = []
        for spec in specs:
            found += rules.check_specification(
                spec,
                lookup=lookup,
                siblings=[
                    other
                    for other in everything.values()
                    if other.request_type_id == spec.request_type_id
                    and other is not spec
                ],
                units=units,
                service_types=service_types,
                specification_ids=everything,
                situation_profile_ids=profiles,
            )
        return found

    def add_specification(
        self, specification: RequestSpecification, *, actor: int
    ) -> RequestSpecification:
        """Insert a specification (CFG-02..CFG-04, CFG-08)."""
        return self.add_specifications([specification], actor=actor)[0]

    def add_specifications(
        self, specifications: Sequence[RequestSpecification], *, actor: int
    ) -> list[RequestSpecification]:
        """Insert several specifications in one transaction."""
        new = [attrs.evolve(s, version=1) for s in specifications]
        now = self._now()
        with self._work() as uow:
            ensure(self._check_specifications(uow, new))
            uow.request_specifications.add_many(new)
            uow.record(
                *(
                    RequestConfigurationChanged(
                        occurred_at=now, actor=actor, what="specification", key=s.id
                    )
                    for s in new
                )
            )
            uow.commit()
        return new

    def update_specification(
        self, specification: RequestSpecification, *, actor: int
    ) -> RequestSpecification:
        """Store a change of a specification read at ``specification.version``."""
        with self._work() as uow:
            # every specification, read once: the one changed and CFG-02's
            # siblings (issue 20: not read twice)
            everything = {s.id: s for s in uow.request_specifications.find_by()}
            stored = everything.get(specification.id)
            if stored is None:
                raise NotFound("request_specification", specification.id)
            if stored.version != specification.version:
                raise ConcurrencyConflict(
                    "request_specification", specification.id, specification.version
                )
            changed = attrs.evolve(specification, version=stored.version + 1)
            ensure(self._check_specifications(uow, [changed], everything))
            uow.request_specifications.update(changed)
            uow.record(
                RequestConfigurationChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    what="specification",
                    key=changed.id,
                )
            )
            uow.commit()
        return changed

    def specification(self, id: int) -> RequestSpecification:
        """One specification."""
        with self._read() as uow:
            return uow.request_specifications.get(id)

    def specifications(
        self, *, request_type_id: int | None = None, active_only: bool = False
    ) -> Sequence[RequestSpecification]:
        """Specifications, by id."""
        criteria: dict[str, object] = {}
        if request_type_id is not None:
            criteria["request_type_id"] = request_type_id
        if active_only:
            criteria["active"] = True
        with self._read() as uow:
            return uow.request_specifications.find_by(**criteria)

    # ------------------------------------------------------------ situation profiles
    def add_situation_profile(
        self, profile: PropertySituationProfile, *, actor: int
    ) -> PropertySituationProfile:
        """Insert a property-situation profile (CFG-07)."""
        new = attrs.evolve(profile, version=1)
        with self._work() as uow:
            ensure(rules.check_situation_profile(new, lookup=uow.catalog.find))
            uow.situation_profiles.add(new)
            uow.record(
                RequestConfigurationChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    what="situation_profile",
                    key=new.id,
                )
            )
            uow.commit()
        return new

    def update_situation_profile(
        self, profile: PropertySituationProfile, *, actor: int
    ) -> PropertySituationProfile:
        """Store a change of a profile read at ``profile.version``."""
        with self._work() as uow:
            stored = uow.situation_profiles.get(profile.id)
            if stored.version != profile.version:
                raise ConcurrencyConflict(
                    "situation_profile", profile.id, profile.version
                )
            changed = attrs.evolve(profile, version=stored.version + 1)
            ensure(rules.check_situation_profile(changed, lookup=uow.catalog.find))
            uow.situation_profiles.update(changed)
            uow.record(
                RequestConfigurationChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    what="situation_profile",
                    key=changed.id,
                )
            )
            uow.commit()
        return changed

    def situation_profiles(self) -> Sequence[PropertySituationProfile]:
        """Every property-situation profile, by id."""
        with self._read() as uow:
            return uow.situation_profiles.find_by()

    # ------------------------------------------------------------ locality x specification
    def set_locality_specification_units(
        self,
        *,
        locality_id: int,
        rows: Sequence[tuple[int, int]],
        actor: int,
    ) -> list[LocalitySpecificationUnit]:
        """UC1091 (CFG-05): the grid of a locality, ``(specification, unit)`` rows;
        saving replaces every row of the locality."""
        with self._work() as uow:
            existing = uow.locality_specification_units.find_by(locality_id=locality_id)
            ids = uow.next_ids("locality_specification_unit", len(rows))
            new = [
                LocalitySpecificationUnit(
                    id=ident,
                    locality_id=locality_id,
                    specification_id=spec,
                    unit_id=unit,
                )
                for ident, (spec, unit) in zip(ids, rows, strict=True)
            ]
            ensure(
                rules.check_locality_specification_units(
                    locality_id,
                    new,
                    locality_exists=uow.localities.find(locality_id) is not None,
                    specification_ids=[
                        s.id
                        for s in uow.request_specifications.get_many(
                            {r.specification_id for r in new}
                        ).values()
                        if s.active
                    ],
                    units=uow.units.get_many({r.unit_id for r in new}),
                )
            )
            uow.locality_specification_units.remove_many(existing)
            uow.locality_specification_units.add_many(new)
            uow.record(
                RequestConfigurationChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    what="locality_specification_unit",
                    key=locality_id,
                )
            )
            uow.commit()
        return new

    def locality_specification_units(
        self, *, locality_id: int | None = None
    ) -> Sequence[LocalitySpecificationUnit]:
        """The locality x specification associations (of one locality)."""
        with self._read() as uow:
            if locality_id is None:
                return uow.locality_specification_units.find_by()
            return uow.locality_specification_units.find_by(locality_id=locality_id)

    # ------------------------------------------------------------ collection situation
    def add_collection_situation_units(
        self, rows: Iterable[tuple[int, int, int]], *, actor: int
    ) -> list[CollectionSituationUnit]:
        """Informar Trâmite por Situação de Cobrança (CFG-06):
        ``(specification, collection situation, unit)`` rows."""
        listed = list(rows)
        with self._work() as uow:
            ids = uow.next_ids("collection_situation_unit", len(listed))
            new = [
                CollectionSituationUnit(
                    id=ident,
                    specification_id=spec,
                    collection_situation_id=situation,
                    unit_id=unit,
                )
                for ident, (spec, situation, unit) in zip(ids, listed, strict=True)
            ]
            ensure(
                rules.check_collection_situation_units(
                    new,
                    existing=uow.collection_situation_units.find_by(),
                    lookup=_lookup(
                        uow,
                        (
                            ("collection_situation", r.collection_situation_id)
                            for r in new
                        ),
                    ),
                    specification_ids=[
                        s.id
                        for s in uow.request_specifications.get_many(
                            {r.specification_id for r in new}
                        ).values()
                        if s.active
                    ],
                    units=uow.units.get_many({r.unit_id for r in new}),
                )
            )
            uow.collection_situation_units.add_many(new)
            uow.record(
                *(
                    RequestConfigurationChanged(
                        occurred_at=self._now(),
                        actor=actor,
                        what="collection_situation_unit",
                        key=r.id,
                    )
                    for r in new
                )
            )
            uow.commit()
        return new

    def remove_collection_situation_unit(self, row_id: int, *, actor: int) -> None:
        """Remove one collection-situation association."""
        with self._work() as uow:
            row = uow.collection_situation_units.get(row_id)
            uow.collection_situation_units.remove_many([row])
            uow.record(
                RequestConfigurationChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    what="collection_situation_unit",
                    key=row_id,
                )
            )
            uow.commit()

    def collection_situation_units(self) -> Sequence[CollectionSituationUnit]:
        """Every collection-situation association."""
        with self._read() as uow:
            return uow.collection_situation_units.find_by()

    # ------------------------------------------------------------ locality x group
    def set_locality_group_units(
        self, *, locality_id: int, rows: Sequence[tuple[int, int]], actor: int
    ) -> list[LocalityGroupUnit]:
        """The locality x request-type group associations of a locality,
        ``(group, unit)`` rows; saving replaces every row of the locality."""
        with self._work() as uow:
            existing = uow.locality_group_units.find_by(locality_id=locality_id)
            ids = uow.next_ids("locality_group_unit", len(rows))
            new = [
                LocalityGroupUnit(
                    id=ident, locality_id=locality_id, group_id=group, unit_id=unit
                )
                for ident, (group, unit) in zip(ids, rows, strict=True)
            ]
            ensure(
                rules.check_locality_group_units(
                    new,
                    existing=(),
                    lookup=_lookup(
                        uow, (("request_type_group", r.group_id) for r in new)
                    ),
                    locality_ids=[locality_id]
                    if uow.localities.find(locality_id) is not None
                    else [],
                    units=uow.units.get_many({r.unit_id for r in new}),
                )
            )
            uow.locality_group_units.remove_many(existing)
            uow.locality_group_units.add_many(new)
            uow.record(
                RequestConfigurationChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    what="locality_group_unit",
                    key=locality_id,
                )
            )
            uow.commit()
        return new

    def locality_group_units(
        self, *, locality_id: int | None = None
    ) -> Sequence[LocalityGroupUnit]:
        """The locality x group associations (of one locality)."""
        with self._read() as uow:
            if locality_id is None:
                return uow.locality_group_units.find_by()
            return uow.locality_group_units.find_by(locality_id=locality_id)
