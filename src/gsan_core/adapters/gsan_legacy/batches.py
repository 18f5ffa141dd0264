"""Set-based batch work on GSAN's tables: connection batches and cut orders.

:class:`LegacyConnectionBatches` is the connection batches' port over
``cadastro.imovel`` and ``atendimentopublico.ligacao_agua``: one statement per
chunk, the stamp set to GSAN's local now, the version bumped by the locking
trigger (never by the statement).

:class:`LegacyCollectionQueries` decides a chunk of routes with the rules
CUT-1..CUT-5 in **one** statement over GSAN's tables, in the order of
:mod:`gsan_core.adapters.sqlalchemy.collection`, and writes the chosen
properties' orders into ``atendimentopublico.ordem_servico`` and their unit
trail into ``ordem_servico_unidade`` in the same statement (data-modifying
CTEs), after the routes' properties are locked (their own statement):

* a property's route is its block's (``quadra.rota_id``, GSAN's indexed path;
  the alternative reading route ``rota_idalternativa`` is not a collection
  route);
* CUT-1: active (``imov_icexclusao`` not the "yes" flag) and its water
  situation (``last_id``) among the allowed ones;
* CUT-2: no order of a cut type (``svtp_id``) that is not closed
  (``orse_cdsituacao`` 2);
* CUT-3: its open bills (``faturamento.conta`` in the profile's
  ``open_bill_situations``) due before the limit, counted and added up
  (water + sewer + debits - credits - taxes);
* CUT-4: an active unit (``unid_icuso``) of its locality, the highest id;
* CUT-5: no order of the restricted type closed (``orse_tmencerramento``, local
  time) since the window's first instant.

The orders take their ids from GSAN's sequences (``seq_ordem_servico``,
``seq_ordem_servico_unidade``), one ``nextval`` per row in property order, and
only the mapped columns (:data:`ORDER_COLUMNS`); a NOT NULL column the template
leaves empty takes the profile's ``not_null_defaults``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.repositories import READ_ONLY
from gsan_core.adapters.sqlalchemy.collection import cut_selection
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import ARRAY_CHUNK, chunks
from gsan_core.errors import ConfigurationError
from gsan_core.model.collection import (
    CutCriteria,
    CutFact,
    CutOrdersWritten,
    CutOrderTemplate,
    CutSelection,
    WrittenCutOrder,
)
from gsan_core.model.connections import (
    BatchCandidate,
    WaterBatch,
    WaterBatchWritten,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.rules.collection import CutDecision

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = [
    "ORDER_COLUMNS",
    "LegacyCollectionQueries",
    "LegacyConnectionBatches",
]

ORDERS = "atendimentopublico.ordem_servico"
TRAIL = "atendimentopublico.ordem_servico_unidade"
#: ServiceOrder field -> ``ordem_servico`` column (what GSAN stores of an order).
ORDER_COLUMNS = {
    "id": "orse_id",
    "service_type_id": "svtp_id",
    "situation": "orse_cdsituacao",
    "property_id": "imov_id",
    "request_id": "rgat_id",
    "collection_document_id": "cbdo_id",
    "reference_order_id": "orse_idreferencia",
    "reference_service_type_id": "svtp_idreferencia",
    "generated_at": "orse_tmgeracao",
    "emitted_at": "orse_tmemissao",
    "closed_at": "orse_tmencerramento",
    "closing_reason_id": "amen_id",
    "closing_remark": "orse_dsparecerencerramento",
    "observation": "orse_dsobservacao",
    "original_value": "orse_vlservicooriginal",
    "current_value": "orse_vlservicoatual",
    "charge_percentage": "orse_pcvalorcobranca",
    "non_charge_reason_id": "sncm_id",
    "commercial_applied": "orse_iccomercialatualizado",
    "diagnosed": "orse_icdiagnostico",
    "scheduled": "orse_icprogramada",
    "automatic_closing": "orse_icencerramentoautomatico",
    "current_unit_id": "unid_idatual",
    "original_priority_id": "stpr_idoriginal",
    "current_priority_id": "stpr_idatual",
    "return_type_id": "orrt_id",
    "pavement_area": "orse_nnareapavimento",
}
#: The columns the statement fills per order (the rest is the template's).
_ORDER_OWN = ("orse_id", "imov_id", "unid_idatual")
#: The decision codes of the ``CASE``, in the order the rules apply.
REASONS = {
    1: CutDecision.INACTIVE,
    2: CutDecision.SITUATION,
    3: CutDecision.OPEN_ORDER,
    4: CutDecision.NO_DEBT,
    5: CutDecision.NO_UNIT,
    6: CutDecision.RESTRICTED,
}


# ---------------------------------------------------------------- connection batches
class LegacyConnectionBatches:
    """The connection batches' set-based port on ``cadastro.imovel``."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow
        self._yes = uow.profile.flag_true

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def _writable(self) -> None:
        if self._uow.tables.version is None:
            raise ConfigurationError(READ_ONLY, kind="read_only")

    def localities_with_water_status(
        self, status_ids: Collection[int]
    ) -> Sequence[int]:
        statement = sa.text(
            "SELECT DISTINCT loca_id FROM cadastro.imovel"
            " WHERE last_id = ANY(:s) AND coalesce(imov_icexclusao, 0) <> :yes"
            " ORDER BY loca_id"
        )
        with translated("property"):
            rows = self._conn.execute(
                statement, {"s": sorted(status_ids), "yes": self._yes}
            )
            return [int(i) for i in rows.scalars()]

    def write_water_batch(
        self,
        *,
        locality_ids: Sequence[int],
        batch: WaterBatch,
        today: date,
        at: datetime,
        actor: int,
    ) -> Mapping[int, WaterBatchWritten] | None:
        """``None``: on GSAN's tables the service runs the batch step by step
        (:meth:`candidates`, the billing port, :meth:`move_water`,
        :meth:`mark_reconnected`), each step set-based."""
        return None

    def candidates(
        self,
        *,
        locality_id: int,
        water_status_ids: Collection[int],
        cut_on_or_before: date | None = None,
        excluded_profile_ids: Collection[int] = (),
    ) -> Sequence[BatchCandidate]:
        params: dict[str, Any] = {
            "l": locality_id,
            "s": sorted(water_status_ids),
            "yes": self._yes,
            "x": sorted(excluded_profile_ids),
            "cut": cut_on_or_before,
        }
        where = "i.loca_id = :l AND i.last_id = ANY(:s)"
        with translated("property"):
            # the locality's properties in those situations, locked first
            self._conn.execute(
                sa.text(
                    f"SELECT i.imov_id FROM cadastro.imovel i WHERE {where}"
                    " ORDER BY i.imov_id FOR UPDATE"
                ),
                params,
            )
            sql = (
                "SELECT i.imov_id, i.last_id, i.lest_id FROM cadastro.imovel i"
                + (
                    " JOIN atendimentopublico.ligacao_agua w ON w.lagu_id = i.imov_id"
                    " AND w.lagu_dtcorte <= :cut"
                    if cut_on_or_before is not None
                    else ""
                )
                + f" WHERE {where} AND coalesce(i.imov_icexclusao, 0) <> :yes"
                " AND NOT (i.iper_id = ANY(:x)) ORDER BY i.imov_id"
            )
            rows = self._conn.execute(sa.text(sql), params).all()
        return [
            BatchCandidate(property_id=i, water_status_id=w, sewer_status_id=s)
            for i, w, s in rows
        ]

    def move_water(
        self,
        property_ids: Sequence[int],
        *,
        from_ids: Collection[int],
        to_id: int,
        sewer_from_ids: Collection[int] = (),
        sewer_to: int | None = None,
    ) -> int:
        self._writable()
        sewer = (
            "CASE WHEN lest_id = ANY(:sf) THEN :st ELSE lest_id END"
            if sewer_to is not None and sewer_from_ids
            else "lest_id"
        )
        statement = sa.text(
            f"UPDATE cadastro.imovel SET last_id = :to, lest_id = {sewer},"
            " imov_tmultimaalteracao = timezone(:zone, now())"
            " WHERE imov_id = ANY(:ids) AND last_id = ANY(:f)"
        )
        moved = 0
        for batch in chunks(property_ids, ARRAY_CHUNK):
            params = {
                "to": to_id,
                "sf": sorted(sewer_from_ids),
                "st": sewer_to,
                "zone": self._uow.profile.time_zone,
                "ids": batch,
                "f": sorted(from_ids),
            }
            with translated("property"):
                moved += self._conn.execute(statement, params).rowcount
        return moved

    def mark_reconnected(self, property_ids: Sequence[int], *, on: date) -> int:
        self._writable()
        statement = sa.text(
            "UPDATE atendimentopublico.ligacao_agua SET lagu_dtreligacaoagua = :on,"
            " lagu_tmultimaalteracao = timezone(:zone, now())"
            " WHERE lagu_id = ANY(:ids)"
        )
        marked = 0
        for batch in chunks(property_ids, ARRAY_CHUNK):
            params = {"on": on, "zone": self._uow.profile.time_zone, "ids": batch}
            with translated("water_connection"):
                marked += self._conn.execute(statement, params).rowcount
        return marked


# ---------------------------------------------------------------- cut orders
_DECIDED = """
decided AS (
  SELECT i.imov_id AS id, q.rota_id AS route_id, i.loca_id AS locality_id,
    i.last_id AS water_status_id,
    CASE
      WHEN coalesce(i.imov_icexclusao, 0) = :yes THEN 1
      WHEN NOT (i.last_id = ANY(:allowed)) THEN 2
      WHEN open_cut.hit IS NOT NULL THEN 3
      WHEN owed.bills < :min_bills OR coalesce(owed.amount, 0) < :min_amount THEN 4
      WHEN NOT EXISTS (SELECT 1 FROM cadastro.unidade_organizacional u
        WHERE u.loca_id = i.loca_id AND u.unid_icuso = :yes) THEN 5
      {restricted}
      ELSE 0 END AS decision
  FROM cadastro.quadra q
  JOIN cadastro.imovel i ON i.qdra_id = q.qdra_id
  LEFT JOIN LATERAL (SELECT 1 AS hit FROM atendimentopublico.ordem_servico o
    WHERE o.imov_id = i.imov_id AND o.svtp_id = ANY(:cut_types)
    AND o.orse_cdsituacao <> :closed LIMIT 1) open_cut ON true
  CROSS JOIN LATERAL (SELECT count(*) AS bills,
      sum(c.cnta_vlagua + c.cnta_vlesgoto + c.cnta_vldebitos - c.cnta_vlcreditos
        - coalesce(c.cnta_vlimpostos, 0)) AS amount
    FROM faturamento.conta c WHERE c.imov_id = i.imov_id
    AND c.dcst_idatual = ANY(:open_bills) AND c.cnta_dtvencimentoconta < :due) owed
  WHERE q.rota_id = ANY(:routes)
)"""
_RESTRICTED = (
    "WHEN EXISTS (SELECT 1 FROM atendimentopublico.ordem_servico r"
    " WHERE r.imov_id = i.imov_id AND r.svtp_id = :restricted"
    " AND r.orse_tmencerramento >= :since) THEN 6"
)
_SERVING = (
    "(SELECT max(u.unid_id) FROM cadastro.unidade_organizacional u"
    " WHERE u.loca_id = d.locality_id AND u.unid_icuso = :yes)"
)
_LOCK = (
    "SELECT i.imov_id FROM cadastro.imovel i JOIN cadastro.quadra q"
    " ON q.qdra_id = i.qdra_id WHERE q.rota_id = ANY(:routes)"
    " ORDER BY i.imov_id FOR UPDATE OF i"
)


class LegacyCollectionQueries:
    """The cut-order batch's port on GSAN's tables (decided and written in SQL)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow
        self._profile = uow.profile
        self._zone = ZoneInfo(uow.profile.time_zone)

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def routes_of_group(self, group_id: int) -> Sequence[int]:
        statement = sa.text(
            "SELECT rota_id FROM micromedicao.rota WHERE cbgr_id = :g ORDER BY rota_id"
        )
        with translated("route"):
            rows = self._conn.execute(statement, {"g": group_id}).scalars()
            return [int(i) for i in rows]

    def _local(self, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(self._zone).replace(tzinfo=None)

    def _decided(
        self, routes: list[int], criteria: CutCriteria
    ) -> tuple[str, dict[str, Any]]:
        restricted = (
            criteria.restricted_type_id is not None
            and criteria.restricted_since is not None
        )
        params: dict[str, Any] = {
            "routes": routes,
            "yes": self._profile.flag_true,
            "allowed": sorted(criteria.allowed_situations),
            "cut_types": sorted(criteria.cut_service_type_ids),
            "closed": int(OrderSituation.CLOSED),
            "open_bills": list(self._profile.open_bill_situations),
            "due": criteria.due_before,
            "min_bills": max(1, criteria.min_bills),
            "min_amount": criteria.min_amount,
        }
        if restricted:
            params["restricted"] = criteria.restricted_type_id
            params["since"] = self._local(criteria.restricted_since)
        sql = _DECIDED.format(restricted=_RESTRICTED if restricted else "")
        return sql, params

    def _lock(self, routes: list[int]) -> None:
        with translated("property"):
            self._conn.execute(sa.text(_LOCK), {"routes": routes})

    def route_cut_facts(
        self, route_ids: Collection[int], cut_service_type_ids: Collection[int]
    ) -> Sequence[CutFact]:
        routes = sorted(set(route_ids))
        self._lock(routes)
        statement = sa.text(
            "SELECT i.imov_id, q.rota_id, i.loca_id, i.last_id,"
            " coalesce(i.imov_icexclusao, 0) <> :yes,"
            " EXISTS (SELECT 1 FROM atendimentopublico.ordem_servico o"
            " WHERE o.imov_id = i.imov_id AND o.svtp_id = ANY(:cut_types)"
            " AND o.orse_cdsituacao <> :closed)"
            " FROM cadastro.quadra q JOIN cadastro.imovel i ON i.qdra_id = q.qdra_id"
            " WHERE q.rota_id = ANY(:routes) ORDER BY i.imov_id"
        )
        params = {
            "routes": routes,
            "yes": self._profile.flag_true,
            "cut_types": sorted(cut_service_type_ids),
            "closed": int(OrderSituation.CLOSED),
        }
        with translated("property"):
            rows = self._conn.execute(statement, params).all()
        return [
            CutFact(
                property_id=p,
                route_id=r,
                locality_id=loc,
                water_status_id=w,
                active=bool(active),
                has_open_cut_order=bool(has_open),
            )
            for p, r, loc, w, active, has_open in rows
        ]

    def select_cut_orders(
        self, route_ids: Collection[int], criteria: CutCriteria
    ) -> CutSelection | None:
        routes = sorted(set(route_ids))
        self._lock(routes)
        decided, params = self._decided(routes, criteria)
        statement = sa.text(
            f"WITH {decided}"
            f" SELECT d.decision, d.id, d.route_id, d.locality_id,"
            f" d.water_status_id, {_SERVING} FROM decided d WHERE d.decision = 0"
            " UNION ALL SELECT d.decision, count(*), NULL, NULL, NULL, NULL"
            " FROM decided d WHERE d.decision <> 0 GROUP BY d.decision"
        )
        with translated("property"):
            rows = self._conn.execute(statement, params).all()
        return cut_selection(rows)

    def _order_constants(self, template: CutOrderTemplate) -> dict[str, Any]:
        """The template order's columns but the per-order ones, as GSAN stores
        them (local timestamps, 1/2 flags, ids of enums); a NOT NULL column it
        leaves empty takes the profile's default."""
        defaults = self._profile.not_null_defaults.get(ORDERS, {})
        values: dict[str, Any] = {}
        for field, column in ORDER_COLUMNS.items():
            if column in _ORDER_OWN:
                continue
            value = getattr(template.order, field)
            if isinstance(value, bool):
                value = self._profile.flag_true if value else self._profile.flag_false
            elif isinstance(value, datetime):
                value = self._local(value)
            elif isinstance(value, Enum):
                value = value.value
            if value is None:
                value = defaults.get(column)
            values[column] = value
        return values

    def write_cut_orders(
        self,
        route_ids: Collection[int],
        criteria: CutCriteria,
        template: CutOrderTemplate,
    ) -> CutOrdersWritten | None:
        if self._uow.tables.version is None:
            raise ConfigurationError(READ_ONLY, kind="read_only")
        routes = sorted(set(route_ids))
        self._lock(routes)
        decided, params = self._decided(routes, criteria)
        constants = self._order_constants(template)
        columns = ", ".join(constants)
        values = ", ".join(
            f"CAST(:c_{c} AS {_CASTS.get(c, 'integer')})" for c in constants
        )
        params |= {f"c_{c}": v for c, v in constants.items()}
        trail = template.trail
        params |= {
            "t_user": trail.user_id,
            "t_relation": int(trail.relation),
            "zone": self._profile.time_zone,
            "order_seq": self._profile.sequence("service_order"),
            "trail_seq": self._profile.sequence("order_unit"),
        }
        statement = sa.text(
            f"WITH {decided},"
            f" chosen AS MATERIALIZED (SELECT d.id, d.route_id, {_SERVING} AS unit_id"
            " FROM decided d WHERE d.decision = 0 ORDER BY d.id),"
            " numbered AS MATERIALIZED (SELECT c.*,"
            " nextval(CAST(:order_seq AS regclass)) AS order_id,"
            " nextval(CAST(:trail_seq AS regclass)) AS trail_id FROM chosen c),"
            f" orders AS (INSERT INTO {ORDERS}"
            f" (orse_id, imov_id, unid_idatual, {columns}, orse_tmultimaalteracao)"
            f" SELECT n.order_id, n.id, n.unit_id, {values}, timezone(:zone, now())"
            " FROM numbered n RETURNING orse_id),"
            f" trail AS (INSERT INTO {TRAIL}"
            " (osun_id, unid_id, orse_id, usur_id, attp_id, osun_tmultimaalteracao)"
            " SELECT n.trail_id, n.unit_id, n.order_id, :t_user, :t_relation,"
            " timezone(:zone, now()) FROM numbered n RETURNING orse_id)"
            " SELECT 0, n.order_id, n.id, n.route_id FROM numbered n"
            " JOIN orders o ON o.orse_id = n.order_id"
            " JOIN trail t ON t.orse_id = n.order_id"
            " UNION ALL SELECT d.decision, count(*), NULL, NULL FROM decided d"
            " WHERE d.decision <> 0 GROUP BY d.decision"
        )
        with translated("service_order"):
            rows = self._conn.execute(statement, params).all()
        orders: list[WrittenCutOrder] = []
        skipped: dict[str, int] = {}
        for decision, value, property_id, route_id in rows:
            if decision == 0:
                orders.append(
                    WrittenCutOrder(
                        order_id=int(value),
                        property_id=int(property_id),
                        route_id=int(route_id),
                    )
                )
            else:
                skipped[str(REASONS[int(decision)].value)] = int(value)
        orders.sort(key=lambda order: order.order_id)
        return CutOrdersWritten(
            processed=len(orders) + sum(skipped.values()),
            orders=tuple(orders),
            skipped=dict(sorted(skipped.items())),
        )


#: SQL types of the template's columns that are not integers.
_CASTS = {
    "orse_tmgeracao": "timestamp",
    "orse_tmemissao": "timestamp",
    "orse_tmencerramento": "timestamp",
    "orse_dsparecerencerramento": "varchar",
    "orse_dsobservacao": "varchar",
    "orse_vlservicooriginal": "numeric",
    "orse_vlservicoatual": "numeric",
    "orse_pcvalorcobranca": "numeric",
    "orse_nnareapavimento": "numeric",
}
