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
* The catalogue attributes the meter and connection rules read (a brand's
  and a capacity's letter, a capacity's reading digits, a workshop stock
  location, a lost-meter situation, a situation with a connection) are the
  profile's ``catalog_attributes``, read with the row (the one mapping the
  catalogue's writes use too).
* The consumption tariffs (``faturamento.consumo_tarifa``) are read, never
  written (``READ_ONLY_CATALOG_TABLES`` of the profile).
* A catalogue kind GSAN keeps no table of (``hydrometer_turbine_type``: the
  companion schema keeps a meter's turbine type) lists nothing: a meter given
  a turbine type is refused by the rules as with an unknown id.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from gsan_core.adapters.gsan_legacy.catalog import LegacyCatalog
from gsan_core.adapters.gsan_legacy.readers import _Reads
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import ServiceType

__all__ = [
    "SERVICE_TYPE_COLUMNS",
    "TABLELESS_KINDS",
    "LegacyServiceCatalog",
    "LegacyServiceTypes",
]

#: Catalogue kinds GSAN has no reference table for.
TABLELESS_KINDS = frozenset({"hydrometer_turbine_type"})

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
    """The legacy catalogue, with the kinds GSAN has no table for empty."""

    def _read(
        self, kind: str, where: str, params: Mapping[str, Any]
    ) -> list[CatalogItem]:
        if kind in TABLELESS_KINDS:
            return []
        return super()._read(kind, where, params)
