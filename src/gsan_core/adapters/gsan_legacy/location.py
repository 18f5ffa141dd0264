"""Cadastre reads from GSAN's tables: localities, sectors, blocks, routes, units.

One joined statement per entity (a block's locality comes from its sector, as
GSAN keeps it). The writes are the subclasses' (``location_writes.py``,
``registry.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import NotFound
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    NetworkIndicator,
    Route,
)
from gsan_core.model.units import OrganizationalUnit

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["LOCATION_TABLES", "LegacyLocationRepository"]

E = TypeVar("E")
#: entity -> (GSAN table, key column, the table's alias in the read statement):
#: the reads and the writes (``location_writes.py``, ``registry.py``) use it.
LOCATION_TABLES: Mapping[str, tuple[str, str, str]] = {
    "unit": ("cadastro.unidade_organizacional", "unid_id", "u"),
    "locality": ("cadastro.localidade", "loca_id", "l"),
    "sector": ("cadastro.setor_comercial", "stcm_id", "s"),
    "block": ("cadastro.quadra", "qdra_id", "q"),
    "route": ("micromedicao.rota", "rota_id", "r"),
}
#: entity -> ``FROM`` of its read statement.
_FROM = {entity: f" FROM {t} {a}" for entity, (t, _, a) in LOCATION_TABLES.items()}


def _network(value: int | None, default: NetworkIndicator) -> NetworkIndicator:
    try:
        return default if value is None else NetworkIndicator(value)
    except ValueError:
        return default


#: entity -> (SELECT ... FROM ... with the key as "id", row -> entity)
_QUERIES: dict[str, tuple[str, Callable[[Any, int], Any]]] = {
    "locality": (
        "SELECT l.loca_id AS id, l.loca_nmlocalidade AS name,"
        " l.muni_idprincipal AS municipality_id, l.hila_id AS stock_location_id,"
        " l.greg_id AS regional_management_id, l.uneg_id AS business_unit_id,"
        " l.loca_icuso AS in_use" + _FROM["locality"],
        lambda r, yes: Locality(
            id=r["id"],
            name=(r["name"] or "").rstrip(),
            municipality_id=r["municipality_id"],
            stock_location_id=r["stock_location_id"],
            regional_management_id=r["regional_management_id"],
            business_unit_id=r["business_unit_id"],
            active=r["in_use"] in (None, yes),
        ),
    ),
    "sector": (
        "SELECT s.stcm_id AS id, s.loca_id AS locality_id,"
        " s.stcm_cdsetorcomercial AS code, s.stcm_nmsetorcomercial AS name"
        + _FROM["sector"],
        lambda r, yes: CommercialSector(
            id=r["id"],
            locality_id=r["locality_id"],
            code=r["code"],
            name=(r["name"] or "").rstrip(),
        ),
    ),
    "block": (
        "SELECT q.qdra_id AS id, s.loca_id AS locality_id, q.stcm_id AS sector_id,"
        " q.qdra_nnquadra AS number, q.qdra_icredeagua AS water,"
        " q.qdra_icredeesgoto AS sewer"
        + _FROM["block"]
        + " JOIN cadastro.setor_comercial s ON s.stcm_id = q.stcm_id",
        lambda r, yes: Block(
            id=r["id"],
            locality_id=r["locality_id"],
            sector_id=r["sector_id"],
            number=r["number"],
            water_network=_network(r["water"], NetworkIndicator.NETWORK),
            sewer_network=_network(r["sewer"], NetworkIndicator.NONE),
        ),
    ),
    "route": (
        # the collection group: the batches that read routes are collection's
        "SELECT r.rota_id AS id, s.loca_id AS locality_id, r.stcm_id AS sector_id,"
        " r.rota_cdrota AS code, r.cbgr_id AS group_id"
        + _FROM["route"]
        + " JOIN cadastro.setor_comercial s ON s.stcm_id = r.stcm_id",
        lambda r, yes: Route(
            id=r["id"],
            locality_id=r["locality_id"],
            sector_id=r["sector_id"],
            code=r["code"],
            group_id=r["group_id"],
        ),
    ),
}
_QUERIES["unit"] = (
    "SELECT u.unid_id AS id, u.unid_dsunidade AS name,"
    " u.unid_dssiglaunidade AS acronym, u.untp_id AS unit_type_id,"
    " u.unid_idsuperior AS superior_id, u.unid_idcentralizadora AS dispatch_centre_id,"
    " u.unid_ictramite AS routing, u.unid_icabertura AS opening,"
    " u.unid_iccentralatendimento AS call_centre, u.unid_ictarifasocial AS social,"
    " u.unid_icesgoto AS sewer, u.loca_id AS locality_id, u.empr_id AS company_id,"
    " u.unid_icuso AS in_use" + _FROM["unit"],
    lambda r, yes: OrganizationalUnit(
        id=r["id"],
        name=(r["name"] or "").rstrip(),
        acronym=None if r["acronym"] is None else r["acronym"].rstrip(),
        unit_type_id=r["unit_type_id"],
        superior_id=r["superior_id"],
        dispatch_centre_id=r["dispatch_centre_id"],
        accepts_routing=r["routing"] == yes,
        may_open_requests=r["opening"] == yes,
        call_centre=r["call_centre"] == yes,
        social_tariff=r["social"] == yes,
        sewer=r["sewer"] == yes,
        locality_id=r["locality_id"],
        company_id=r["company_id"],
        active=r["in_use"] in (None, yes),
    ),
)
_KEYS = {entity: f"{a}.{key}" for entity, (_, key, a) in LOCATION_TABLES.items()}


class LegacyLocationRepository(Generic[E]):
    """Reads of one location entity (``get``, ``find``, ``get_many``, ``find_by``)."""

    def __init__(self, uow: LegacyUnitOfWork, entity: str) -> None:
        self._uow = uow
        self._entity = entity
        self._sql, self._build = _QUERIES[entity]
        self._key = _KEYS[entity]

    def _read_version(self, expression: str) -> None:
        """Read ``expression`` (of the table's alias: the opt-in version
        column, or 1 before ``c0004``) as the entity's version."""
        self._sql = self._sql.replace(" FROM ", f", {expression} AS version FROM ", 1)
        build = self._build
        self._build = lambda r, yes: attrs.evolve(build(r, yes), version=r["version"])

    def _rows(self, where: str, params: Mapping[str, Any]) -> list[E]:
        statement = sa.text(f"{self._sql} WHERE {where} ORDER BY {self._key}")
        yes = self._uow.profile.flag_true
        with translated(self._entity):
            rows = self._uow.connection.execute(statement, params).mappings().all()
        return [self._build(r, yes) for r in rows]

    def find(self, id: int) -> E | None:
        found = self._rows(f"{self._key} = :id", {"id": id})
        return found[0] if found else None

    def get(self, id: int) -> E:
        found = self.find(id)
        if found is None:
            raise NotFound(self._entity, id)
        return found

    def get_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        found = self._rows(f"{self._key} = ANY(:ids)", {"ids": sorted(set(ids))})
        return {e.id: e for e in found}  # type: ignore[attr-defined]

    def find_by(self, **criteria: object) -> Sequence[E]:
        return [
            e
            for e in self._rows("TRUE", {})
            if all(getattr(e, k) == v for k, v in criteria.items())
        ]

    def count_by(self, **criteria: object) -> int:
        return len(self.find_by(**criteria))

    def lock(self, id: int) -> E:
        return self.get(id)
