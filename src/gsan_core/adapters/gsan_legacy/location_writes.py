"""Location writes on GSAN's tables: localities, sectors, blocks and routes.

``c0004`` (``locking=True``) puts the opt-in version column on
``cadastro.localidade``, ``cadastro.setor_comercial``, ``cadastro.quadra`` and
``micromedicao.rota``; then the repositories add rows with their mapped
columns, the profile's NOT NULL defaults, the stamp and the version, and update
them by compare-and-set (a row GSAN's screen saved first raises
``ConcurrencyConflict``). Without the column the writes raise
``configuration.read_only`` and the reads carry version 1.

What GSAN's columns need beyond the library's entity:

* a locality's ``loca_cdelo`` (the pole locality of its "elo") is the locality
  itself; its regional management and business unit are the profile's
  defaults;
* a sector's municipality (``muni_id``) is its locality's main municipality,
  else the profile's default;
* a block's route (``quadra.rota_id``, NOT NULL): GSAN's "Inserir Quadra" asks
  for one, so the block takes the lowest route of its sector, which must be
  there first;
* a route's billing group (``ftgr_id``) is its group, as the collection group
  (``cbgr_id``); reading type and company are the profile's defaults.

A field GSAN does not store (a block's sewer division, a route's simultaneous
printing on COSANPA's line, a CAEMA PPP contract) is refused when set rather
than dropped, so what was written reads back equal.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.location import (
    LOCATION_TABLES,
    LegacyLocationRepository,
)
from gsan_core.adapters.gsan_legacy.registry import RegistryTable
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConfigurationError
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    LocationLinks,
    Route,
)

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["LegacyLocationWrites", "LegacyLocations", "location_repositories"]

E = TypeVar("E", Locality, CommercialSector, Block, Route)
UNSTORED = "GSAN's {table} has no column for {entity}.{field}: {entity} {id} sets it"
NO_ROUTE = (
    "GSAN's cadastro.quadra needs a route (rota_id NOT NULL): add a route of"
    " sector {sector} before block {id}"
)


def _refuse(table: str, entity: str, ident: int, field: str) -> ConfigurationError:
    msg = UNSTORED.format(table=table, entity=entity, field=field, id=ident)
    return ConfigurationError(msg, kind="unmapped")


class LegacyLocationWrites(LegacyLocationRepository[E]):
    """One location entity: GSAN's reads plus compare-and-set writes."""

    def __init__(self, uow: LegacyUnitOfWork, entity: str) -> None:
        super().__init__(uow, entity)
        table, key, alias = LOCATION_TABLES[entity]
        self._registry = RegistryTable(uow, table, key, entity)
        self._read_version(self._registry.version_of(alias))
        self._columns: Callable[..., dict[str, Any]] = getattr(
            self, f"_{entity}_columns"
        )

    # ------------------------------------------------------------ columns
    def _flag(self, value: bool) -> int:
        profile = self._uow.profile
        return profile.flag_true if value else profile.flag_false

    def _locality_columns(self, loc: Locality, *, new: bool) -> dict[str, Any]:
        if loc.ppp_contract:
            raise _refuse(self._registry.table, "locality", loc.id, "ppp_contract")
        values = {
            "loca_nmlocalidade": loc.name,
            "muni_idprincipal": loc.municipality_id,
            "hila_id": loc.stock_location_id,
            "loca_icuso": self._flag(loc.active),
        }
        # UC1176's filters; none given keeps GSAN's value (the profile's
        # default on an insert: both columns are NOT NULL)
        given = (
            ("greg_id", loc.regional_management_id),
            ("uneg_id", loc.business_unit_id),
        )
        values.update({column: value for column, value in given if value is not None})
        return {**values, "loca_cdelo": loc.id} if new else values

    def _sector_columns(self, sector: CommercialSector, *, new: bool) -> dict[str, Any]:
        values = {
            "loca_id": sector.locality_id,
            "stcm_cdsetorcomercial": sector.code,
            "stcm_nmsetorcomercial": sector.name,
        }
        if new:
            municipality = self._scalar(
                "SELECT muni_idprincipal FROM cadastro.localidade WHERE loca_id = :k",
                sector.locality_id,
            )
            values["muni_id"] = municipality
        return values

    def _block_columns(self, block: Block, *, new: bool) -> dict[str, Any]:
        if block.sewer_division_id is not None:
            raise _refuse(self._registry.table, "block", block.id, "sewer_division_id")
        values = {
            "stcm_id": block.sector_id,
            "qdra_nnquadra": block.number,
            "qdra_icredeagua": block.water_network.value,
            "qdra_icredeesgoto": block.sewer_network.value,
        }
        if new:
            route = self._scalar(
                "SELECT min(rota_id) FROM micromedicao.rota WHERE stcm_id = :k",
                block.sector_id,
            )
            if route is None:
                msg = NO_ROUTE.format(sector=block.sector_id, id=block.id)
                raise ConfigurationError(msg, kind="unmapped")
            values["rota_id"] = route
        return values

    def _route_columns(self, route: Route, *, new: bool) -> dict[str, Any]:
        if route.simultaneous_printing:
            raise _refuse(
                self._registry.table, "route", route.id, "simultaneous_printing"
            )
        return {
            "stcm_id": route.sector_id,
            "rota_cdrota": route.code,
            "cbgr_id": route.group_id,
            "ftgr_id": route.group_id,
        }

    def _scalar(self, sql: str, key: int) -> Any:
        with translated(self._entity):
            return self._uow.connection.execute(sa.text(sql), {"k": key}).scalar()

    # ------------------------------------------------------------ writes
    def add(self, entity: E) -> None:
        self.add_many([entity])

    def add_many(self, entities: Iterable[E]) -> None:
        """Insert in order (a locality before its sectors, a route before the
        blocks of its sector)."""
        for entity in entities:
            self._registry.insert(
                entity.id, self._columns(entity, new=True), entity.version
            )

    def update(self, entity: E) -> None:
        self._registry.update(
            entity.id, self._columns(entity, new=False), entity.version
        )


#: link -> the statement of (id, value) pairs among ``:ids``
_LINKS = {
    "localities": "SELECT loca_id, loca_id FROM cadastro.localidade"
    " WHERE loca_id = ANY(:ids) AND (loca_icuso IS NULL OR loca_icuso = :yes)",
    "sectors": "SELECT stcm_id, loca_id FROM cadastro.setor_comercial"
    " WHERE stcm_id = ANY(:ids)",
    "blocks": "SELECT qdra_id, stcm_id FROM cadastro.quadra WHERE qdra_id = ANY(:ids)",
    "routes": "SELECT r.rota_id, s.loca_id FROM micromedicao.rota r"
    " JOIN cadastro.setor_comercial s ON s.stcm_id = r.stcm_id"
    " WHERE r.rota_id = ANY(:ids)",
}


class LegacyLocations:
    """The location links of a batch of registrations: one statement per
    kind asked for (an id array, whatever the count)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow

    def links(
        self,
        *,
        localities: Collection[int],
        sectors: Collection[int],
        blocks: Collection[int],
        routes: Collection[int],
    ) -> LocationLinks:
        asked = {
            "localities": localities,
            "sectors": sectors,
            "blocks": blocks,
            "routes": routes,
        }
        found: dict[str, dict[int, int]] = {}
        for kind, ids in asked.items():
            found[kind] = {}
            if not ids:
                continue
            params = {"ids": sorted(set(ids)), "yes": self._uow.profile.flag_true}
            with translated("location"):
                rows = self._uow.connection.execute(sa.text(_LINKS[kind]), params)
                found[kind] = dict(rows.all())
        return LocationLinks(
            active_localities=frozenset(found["localities"]),
            sector_locality=found["sectors"],
            block_sector=found["blocks"],
            route_locality=found["routes"],
        )


def location_repositories(
    uow: LegacyUnitOfWork,
) -> tuple[
    LegacyLocationWrites[Locality],
    LegacyLocationWrites[CommercialSector],
    LegacyLocationWrites[Block],
    LegacyLocationWrites[Route],
]:
    """The four location repositories of a unit of work."""
    return (
        LegacyLocationWrites[Locality](uow, "locality"),
        LegacyLocationWrites[CommercialSector](uow, "sector"),
        LegacyLocationWrites[Block](uow, "block"),
        LegacyLocationWrites[Route](uow, "route"),
    )
