"""What the public services read on GSAN's tables beyond the phase-1 maps:
service types (``atendimentopublico.servico_tipo``) and the catalogue kinds
GSAN has no table for.

* Service types carry their description, abbreviation, code, price, debit
  type, priority, team profile, reference behaviour, importance and the 1/2
  flags the rules read. GSAN links a type to its commercial operation through
  ``servico_tipo_operacao`` and its own ``operacao`` ids; the library's
  operation keys (``"water.cut"``) are not mapped yet, so ``operation`` reads
  as ``None``: closing an order runs no commercial operation, and closing
  writes the order, which is phase 2 (``configuration.read_only``) anyway.
  The activities, materials and closing reasons of a type (GSAN's
  ``servico_tipo_atividade``, ``servico_tipo_material``,
  ``servico_tipo_motivo_encerramento``) read as empty.
* The catalogue attributes the meter and connection rules read come from
  their GSAN columns (:data:`CATALOG_ATTRIBUTES`: a brand's and a
  capacity's letter, a capacity's reading digits, a workshop stock location,
  a lost-meter situation, a situation with a connection); one more query per
  read of such a kind.
* The consumption tariffs (``faturamento.consumo_tarifa``) are read, never
  written (:data:`READ_KINDS`).
* A catalogue kind GSAN keeps no table of (``hydrometer_turbine_type``: the
  companion schema keeps a meter's turbine type) lists nothing: a meter given
  a turbine type is refused by the rules as with an unknown id.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.catalog import CatalogLayout, LegacyCatalog
from gsan_core.adapters.gsan_legacy.readers import _Reads
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import ServiceType

__all__ = [
    "CATALOG_ATTRIBUTES",
    "SERVICE_TYPE_COLUMNS",
    "TABLELESS_KINDS",
    "LegacyServiceCatalog",
    "LegacyServiceTypes",
]

#: Catalogue kinds the services read and the adapter never writes (so they
#: need no sequence in the profile): the consumption tariffs are billing's.
READ_KINDS: Mapping[str, str] = {"consumption_tariff": "faturamento.consumo_tarifa"}
#: Catalogue kinds GSAN has no reference table for.
TABLELESS_KINDS = frozenset({"hydrometer_turbine_type"})

#: kind -> attribute -> (GSAN column, a 1/2 flag).
CATALOG_ATTRIBUTES: Mapping[str, Mapping[str, tuple[str, bool]]] = {
    "hydrometer_brand": {"code": ("himc_cdhidrometromarca", False)},
    "hydrometer_capacity": {
        "code": ("hicp_cdhidrometrocapacidade", False),
        "min_digits": ("hicp_nndigitosleituraminimo", False),
        "max_digits": ("hicp_nndigitosleituramaximo", False),
    },
    "hydrometer_stock_location": {"workshop": ("hila_icoficina", True)},
    "hydrometer_situation": {"lost": ("hist_ichidrometroextraviado", True)},
    "water_status": {"connection_exists": ("last_icexistencialigacao", True)},
    "sewer_status": {"connection_exists": ("lest_icexistencialigacao", True)},
}

#: ServiceType field -> ``servico_tipo`` column (flags are GSAN's 1/2).
SERVICE_TYPE_COLUMNS = {
    "id": "svtp_id",
    "description": "svtp_dsservicotipo",
    "abbreviation": "svtp_dsabreviado",
    "code": "svtp_cdservicotipo",
    "value": "svtp_vlservico",
    "debit_type_id": "dbtp_id",
    "priority_id": "stpr_id",
    "profile_id": "sptp_id",
    "reference_id": "strf_id",
    "calibration_id": "ospc_id",
    "average_execution_minutes": "svtp_nntempomedioexecucao",
    "value_editable": "svtp_icpermitealterarvalor",
    "include_debit": "svtp_icincluirdebito",
    "charge_interest": "svtp_iccobrarjuros",
    "consider_economies": "svtp_icconsideraeconomias",
    "updates_commercial": "svtp_icatualizacomercial",
    "requires_activities": "svtp_icatividade",
    "inspection": "svtp_icvistoria",
    "infraction_inspection": "svtp_icfiscalizacaoinfracao",
    "pavement": "svtp_icpavimento",
    "street_pavement": "svtp_icpvtorua",
    "sidewalk_pavement": "svtp_icpvtocal",
    "contractor": "svtp_icterceirizado",
    "selective_emission": "svtp_icservicoordemseletiva",
    "automatic_scheduling": "svtp_icprogramacaoautomatica",
    "auto_close_request": "svtp_icencautomaticoraqdoencos",
    "send_survey": "svtp_icenvioemailpesquisa",
    "active": "svtp_icuso",
    "allows_property_in_field": "svtp_icpermitealteracaoimovelemcampo",
}
_TEXTS = ("description", "abbreviation", "code")
_NUMBERS = frozenset(
    {
        "id",
        "debit_type_id",
        "priority_id",
        "profile_id",
        "reference_id",
        "calibration_id",
        "average_execution_minutes",
    }
)


class LegacyServiceTypes(_Reads):
    """Service types (``servico_tipo``); GSAN's service-type screens own them."""

    _entity, _what, _key = "service_type", "service types", "svtp_id"
    _sql = (
        "SELECT "
        + ", ".join(f"{c} AS {f}" for f, c in SERVICE_TYPE_COLUMNS.items())
        + " FROM atendimentopublico.servico_tipo"
    )

    def _build(self, row: Any) -> ServiceType:
        values: dict[str, Any] = dict(row)
        for field in _TEXTS:
            if values[field] is not None:
                values[field] = values[field].rstrip()
        values["abbreviation"] = values["abbreviation"] or ""
        if values["value"] is not None:
            values["value"] = Decimal(values["value"])
        # GSAN blocks only a 2 ("não permite"); no value allows
        values["allows_property_in_field"] = (
            values["allows_property_in_field"] != self._uow.profile.flag_false
        )
        for field in SERVICE_TYPE_COLUMNS.keys() - _NUMBERS - {"value", *_TEXTS}:
            if field != "allows_property_in_field":
                values[field] = values[field] == self._yes
        return ServiceType(**values)

    def find_by(self, **criteria: object) -> list[ServiceType]:
        clauses = [f"{SERVICE_TYPE_COLUMNS[f]} = :{f}" for f in criteria]
        params: Mapping[str, Any] = {
            f: (self._yes if v is True else v) for f, v in criteria.items()
        }
        found: list[ServiceType] = self._rows(" AND ".join(clauses) or "TRUE", params)
        return found


class LegacyServiceCatalog(LegacyCatalog):
    """The legacy catalogue, with the kinds GSAN has no table for empty, the
    :data:`READ_KINDS` read, and the rules' attributes of some kinds."""

    def _layout(self, kind: str) -> CatalogLayout:
        table = READ_KINDS.get(kind)
        if table is None:
            return super()._layout(kind)
        return self._layouts.get(self._conn, table)

    def _read(
        self, kind: str, where: str, params: Mapping[str, Any]
    ) -> list[CatalogItem]:
        if kind in TABLELESS_KINDS:
            return []
        items = super()._read(kind, where, params)
        wanted = CATALOG_ATTRIBUTES.get(kind)
        if not wanted or not items:
            return items
        layout = self._layout(kind)
        columns = ", ".join(column for column, _ in wanted.values())
        statement = sa.text(
            f"SELECT {layout.key}, {columns} FROM {layout.table}"
            f" WHERE {layout.key} = ANY(:ids)"
        )
        with translated("catalog"):
            rows = self._uow.connection.execute(
                statement, {"ids": [i.id for i in items]}
            ).all()
        yes = self._uow.profile.flag_true
        found: dict[int, dict[str, int | str | bool | None]] = {
            row[0]: {
                name: (value == yes if flag else _plain(value))
                for (name, (_, flag)), value in zip(
                    wanted.items(), row[1:], strict=True
                )
            }
            for row in rows
        }
        return [
            attrs.evolve(i, attributes={**i.attributes, **found.get(i.id, {})})
            for i in items
        ]


def _plain(value: Any) -> int | str | None:
    return value.rstrip() if isinstance(value, str) else value
