"""Phase-1 reads around GSAN's service requests and orders.

* routing steps (``atendimentopublico.tramite``): GSAN does not mark the steps
  the system generated (opening, reactivation), so ``automatic`` reads as
  ``False``;
* reiterations (``ra_reiteracao``, the default phone of ``ra_reiteracao_fone``):
  GSAN keeps no reiteration instant nor user besides the row's stamp, so
  ``at`` is ``rart_tmultimaalteracao`` and ``actor`` is
  :data:`~gsan_core.rules.units.SETUP_ACTOR`;
* the unit trail of an order (``ordem_servico_unidade``, relations 1 opened
  and 3 closed; GSAN's other relations are not the library's);
* the charges of a property: :mod:`~gsan_core.adapters.gsan_legacy.charges`;
* the structured address of a request: the street is ``lgbr_id`` (GSAN's
  logradouro-bairro); its neighbourhood and municipality come from
  ``cadastro.logradouro_bairro`` and ``cadastro.bairro`` when the database
  has their columns (the DDL subset has only their keys), else ``None``.

Their writes are phase 2 (``configuration.read_only``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from gsan_core.adapters.gsan_legacy.readers import LegacyServiceRequests, _Reads
from gsan_core.model.service_orders import OrderUnitRecord, OrderUnitRelation
from gsan_core.model.service_requests import Reiteration, RoutingStep
from gsan_core.rules.units import SETUP_ACTOR

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = [
    "LegacyOrderUnits",
    "LegacyReiterations",
    "LegacyRequestReads",
    "LegacyRoutingSteps",
]


def _criteria(
    columns: Mapping[str, str], criteria: Mapping[str, object]
) -> tuple[str, dict[str, Any]]:
    clauses = [f"{columns[field]} = :{field}" for field in criteria]
    return " AND ".join(clauses) or "TRUE", dict(criteria)


class _Finder(_Reads):
    _columns: ClassVar[Mapping[str, str]] = {}

    def find_by(self, **criteria: object) -> list[Any]:
        where, params = _criteria(self._columns, criteria)
        return self._rows(where, params)

    def count_by(self, **criteria: object) -> int:
        return len(self.find_by(**criteria))


class LegacyRoutingSteps(_Finder):
    """Routing steps (``tramite``), by request in step order."""

    _entity, _what, _key = "routing_step", "routing steps", "tram_id"
    _columns: ClassVar[Mapping[str, str]] = {"id": "tram_id", "request_id": "rgat_id"}
    _sql = (
        "SELECT tram_id, rgat_id, unid_idorigem, unid_iddestino, tram_tmtramite,"
        " usur_idregistro, usur_idresponsavel, tram_dsparecertramite"
        " FROM atendimentopublico.tramite"
    )

    def _build(self, r: Any) -> RoutingStep:
        return RoutingStep(
            id=r["tram_id"],
            request_id=r["rgat_id"],
            from_unit_id=r["unid_idorigem"],
            to_unit_id=r["unid_iddestino"],
            at=r["tram_tmtramite"].replace(tzinfo=self._zone),
            registered_by=r["usur_idregistro"],
            responsible_id=r["usur_idresponsavel"],
            remark=r["tram_dsparecertramite"],
        )


class LegacyReiterations(_Finder):
    """Reiterations (``ra_reiteracao``) with their default phone."""

    _entity, _what, _key = "reiteration", "reiterations", "r.rart_id"
    _columns: ClassVar[Mapping[str, str]] = {
        "id": "r.rart_id",
        "request_id": "r.rgat_id",
    }
    _sql = (
        "SELECT r.rart_id, r.rgat_id, r.rart_tmultimaalteracao, r.rart_nmsolicitante,"
        " r.rart_dsobservacao, (SELECT concat_ws(' ', f.rtfo_cdddd, f.rtfo_nnfone)"
        " FROM atendimentopublico.ra_reiteracao_fone f WHERE f.rart_id = r.rart_id"
        " ORDER BY f.rtfo_icfonepadrao, f.rtfo_id LIMIT 1) AS phone"
        " FROM atendimentopublico.ra_reiteracao r"
    )

    def _build(self, r: Any) -> Reiteration:
        return Reiteration(
            id=r["rart_id"],
            request_id=r["rgat_id"],
            at=r["rart_tmultimaalteracao"].replace(tzinfo=self._zone),
            actor=SETUP_ACTOR,
            requester_name=r["rart_nmsolicitante"],
            phone=r["phone"] or None,
            remark=r["rart_dsobservacao"],
        )


class LegacyOrderUnits(_Finder):
    """The unit trail of orders (``ordem_servico_unidade``)."""

    _entity, _what, _key = "order_unit", "the unit trail of orders", "osun_id"
    _columns: ClassVar[Mapping[str, str]] = {
        "id": "osun_id",
        "order_id": "orse_id",
        "relation": "attp_id",
    }
    _sql = (
        "SELECT osun_id, orse_id, unid_id, usur_id, attp_id, osun_tmultimaalteracao"
        " FROM atendimentopublico.ordem_servico_unidade"
    )

    def _rows(
        self, where: str, params: Mapping[str, Any], lock: bool = False
    ) -> list[Any]:
        known = ", ".join(str(r.value) for r in OrderUnitRelation)
        return super()._rows(f"({where}) AND attp_id IN ({known})", params, lock)

    def _build(self, r: Any) -> OrderUnitRecord:
        return OrderUnitRecord(
            id=r["osun_id"],
            order_id=r["orse_id"],
            unit_id=r["unid_id"],
            user_id=r["usur_id"],
            relation=OrderUnitRelation(r["attp_id"]),
            at=r["osun_tmultimaalteracao"].replace(tzinfo=self._zone),
        )


class LegacyRequestReads(LegacyServiceRequests):
    """Service requests with their structured address (street, and the
    neighbourhood and municipality when GSAN's address tables are there)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        super().__init__(uow)
        if uow.report.unavailable.get("address"):
            self._sql = self._sql.replace(
                " FROM atendimentopublico.registro_atendimento r",
                ", r.lgbr_id AS street_id"
                " FROM atendimentopublico.registro_atendimento r",
            )
        else:
            self._sql = self._sql.replace(
                " FROM atendimentopublico.registro_atendimento r",
                ", r.lgbr_id AS street_id, lb.bair_id AS neighbourhood_id,"
                " b.muni_id AS municipality_id"
                " FROM atendimentopublico.registro_atendimento r"
                " LEFT JOIN cadastro.logradouro_bairro lb ON lb.lgbr_id = r.lgbr_id"
                " LEFT JOIN cadastro.bairro b ON b.bair_id = lb.bair_id",
            )
