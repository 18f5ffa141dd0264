"""Phase-1 reads of GSAN's users, permissions, orders, debts and consumption.

One query per entity, through the library's ports; the writes of these are
phase 2 and raise ``configuration.read_only`` (the loaders of reference data
are not offered at all: GSAN's screens own those rows).

* users: ``seguranca.usuario`` (active while ``usst_id`` is 1, ATIVO);
* special permissions: ``seguranca.usuario_permissao_espec``;
* service orders: ``atendimentopublico.ordem_servico`` (the columns of
  :data:`~gsan_core.adapters.gsan_legacy.batches.ORDER_COLUMNS`; GSAN stores
  no origin nor inspection result: they read as the model's defaults);
* debts: the open items of ``faturamento.conta`` (bills),
  ``guia_pagamento`` (slips), ``debito_a_cobrar`` (charges) and
  ``credito_a_realizar`` (credits) in the profile's ``open_bill_situations``;
  the ids are each table's own;
* service requests: ``atendimentopublico.registro_atendimento`` with
  ``ra_solicitante`` and ``ra_unidade``;
* consumption: ``micromedicao.consumo_historico``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.batches import ORDER_COLUMNS
from gsan_core.adapters.gsan_legacy.charges import read_charges
from gsan_core.adapters.gsan_legacy.optional import read_payments
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import ARRAY_CHUNK, chunks
from gsan_core.errors import ConfigurationError, NotFound
from gsan_core.model.billing import (
    BillStatus,
    Charge,
    DebtKind,
    OpenDebt,
    OverdueBills,
    Payment,
)
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.model.service_requests import (
    Requester,
    RequestSituation,
    ServiceRequest,
)
from gsan_core.model.units import User

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = [
    "USER_COLUMNS",
    "LegacyBilling",
    "LegacyPermissions",
    "LegacyServiceOrders",
    "LegacyServiceRequests",
    "LegacyUsers",
]

PHASE_2 = (
    "gsan_core writes {what} on GSAN's tables in phase 2: GSAN's own screens "
    "and batches own them for now"
)
_FLAGS = frozenset(
    {"commercial_applied", "diagnosed", "scheduled", "automatic_closing"}
)
_INSTANTS = frozenset({"generated_at", "emitted_at", "closed_at"})


def _phase_2(what: str) -> ConfigurationError:
    return ConfigurationError(PHASE_2.format(what=what), kind="read_only")


class _Reads:
    """A repository's reads by key over one SELECT; its writes refused."""

    _entity = ""
    _what = ""
    _sql = ""
    _key = ""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow
        self._zone = ZoneInfo(uow.profile.time_zone)
        self._yes = uow.profile.flag_true

    def _build(self, row: Any) -> Any:
        raise NotImplementedError

    def _rows(
        self, where: str, params: Mapping[str, Any], lock: bool = False
    ) -> list[Any]:
        sql = f"{self._sql} WHERE {where} ORDER BY {self._key}"
        if lock:
            sql += " FOR UPDATE"
        with translated(self._entity):
            rows = self._uow.connection.execute(sa.text(sql), params).mappings().all()
        return [self._build(r) for r in rows]

    def find(self, id: int) -> Any:
        found = self._rows(f"{self._key} = :id", {"id": id})
        return found[0] if found else None

    def get(self, id: int) -> Any:
        found = self.find(id)
        if found is None:
            raise NotFound(self._entity, id)
        return found

    def get_many(self, ids: Iterable[int]) -> Mapping[int, Any]:
        found: dict[int, Any] = {}
        for batch in chunks(sorted(set(ids)), ARRAY_CHUNK):
            for entity in self._rows(f"{self._key} = ANY(:ids)", {"ids": batch}):
                found[entity.id] = entity
        return found

    def lock(self, id: int) -> Any:
        found = self._rows(f"{self._key} = :id", {"id": id}, lock=True)
        if not found:
            raise NotFound(self._entity, id)
        return found[0]

    def add(self, entity: object) -> None:
        raise _phase_2(self._what)

    def add_many(self, entities: Iterable[object]) -> None:
        raise _phase_2(self._what)

    def update(self, entity: object) -> None:
        raise _phase_2(self._what)

    def update_many(self, entities: Iterable[object]) -> None:
        raise _phase_2(self._what)


#: What a user is read from (the reads and ``registry.py``'s writes).
USER_COLUMNS = "usur_id, usur_nmusuario, unid_id, usur_nmlogin, usst_id"


class LegacyUsers(_Reads):
    """Users (``seguranca.usuario``); GSAN's user screens own them."""

    _entity, _what, _key = "user", "users", "usur_id"
    _sql = f"SELECT {USER_COLUMNS} FROM seguranca.usuario"

    def _build(self, r: Any) -> User:
        return User(
            id=r["usur_id"],
            name=r["usur_nmusuario"].rstrip(),
            unit_id=r["unid_id"],
            login=None if r["usur_nmlogin"] is None else r["usur_nmlogin"].rstrip(),
            active=r["usst_id"] == 1,
        )

    def find_by(self, **criteria: object) -> Sequence[User]:
        return [
            u
            for u in self._rows("TRUE", {})
            if all(getattr(u, k) == v for k, v in criteria.items())
        ]


class LegacyServiceOrders(_Reads):
    """Service orders (``ordem_servico``), read; written in phase 2 (the
    cut-order batch writes its orders itself)."""

    _entity, _what, _key = "service_order", "service orders", "orse_id"
    _sql = (
        "SELECT "
        + ", ".join(f"{c} AS {f}" for f, c in ORDER_COLUMNS.items())
        + " FROM atendimentopublico.ordem_servico"
    )

    def _build(self, r: Any) -> ServiceOrder:
        values: dict[str, Any] = dict(r)
        for field in _FLAGS:
            values[field] = values[field] == self._yes
        for field in _INSTANTS:
            if values[field] is not None:
                values[field] = values[field].replace(tzinfo=self._zone)
        values["situation"] = OrderSituation(values["situation"])
        if values["charge_percentage"] is not None:
            values["charge_percentage"] = int(values["charge_percentage"])
        return ServiceOrder(**values)

    def find_by(self, **criteria: object) -> Sequence[ServiceOrder]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        flags = {True: self._yes, False: self._uow.profile.flag_false}
        for n, (field, given) in enumerate(criteria.items()):
            column = ORDER_COLUMNS[field]
            value = flags[bool(given)] if field in _FLAGS else given
            if isinstance(value, (list, tuple, set, frozenset)):
                clauses.append(f"{column} = ANY(:p{n})")
                params[f"p{n}"] = [int(v) for v in value]
            else:
                clauses.append(f"{column} = :p{n}")
                params[f"p{n}"] = int(value) if isinstance(value, int) else value
        return self._rows(" AND ".join(clauses) or "TRUE", params)

    def count_by(self, **criteria: object) -> int:
        return len(self.find_by(**criteria))


class LegacyPermissions:
    """Special permissions (``usuario_permissao_espec``), read."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow

    def has(self, user_id: int, permission_id: int) -> bool:
        with translated("permission"):
            return bool(
                self._uow.connection.execute(
                    sa.text(
                        "SELECT EXISTS (SELECT 1 FROM seguranca.usuario_permissao_espec"
                        " WHERE usur_id = :u AND pmep_id = :p)"
                    ),
                    {"u": user_id, "p": permission_id},
                ).scalar_one()
            )


#: kind -> SELECT of its open items as OpenDebt fields (``:ids``, ``:open``).
_DEBTS: Mapping[DebtKind, str] = {
    DebtKind.BILL: (
        "SELECT cnta_id AS id, imov_id AS property_id,"
        " cnta_vlagua + cnta_vlesgoto + cnta_vldebitos - cnta_vlcreditos"
        " - coalesce(cnta_vlimpostos, 0) AS amount,"
        " cnta_dtvencimentoconta AS due_date, cnta_amreferenciaconta AS reference,"
        " NULL::integer AS debit_type_id, NULL::date AS issued_on,"
        " dcst_idatual AS status, cnta_dtrevisao IS NOT NULL AS in_review,"
        " cmrv_id AS review_reason_id,"
        " cnta_amreferenciabaixacontabil AS written_off_reference,"
        " cnta_iccobrancamulta = 1 AS fine_charged, 1 AS installments,"
        " 0 AS installments_billed, 0 AS bonus_installments,"
        " NULL::integer AS financing_type_id, parc_id AS installment_plan_id,"
        " dotp_id AS document_type_id"
        " FROM faturamento.conta WHERE imov_id = ANY(:ids)"
        " AND dcst_idatual = ANY(:open)"
    ),
    DebtKind.PAYMENT_SLIP: (
        "SELECT gpag_id, imov_id, gpag_vldebito, gpag_dtvencimento, NULL::integer,"
        " dbtp_id, gpag_dtemissao, dcst_idatual, false, NULL::integer,"
        " NULL::integer, gpag_iccobrancamulta = 1, 1, 0, 0, fntp_id, parc_id,"
        " dotp_id FROM faturamento.guia_pagamento WHERE imov_id = ANY(:ids)"
        " AND dcst_idatual = ANY(:open)"
    ),
    DebtKind.CHARGE: (
        "SELECT dbac_id, imov_id, dbac_vldebito, NULL::date,"
        " dbac_amreferenciadebito, dbtp_id, NULL::date, dcst_idatual,"
        " dbac_dtrevisao IS NOT NULL, cmrv_id, NULL::integer, false,"
        " dbac_nnprestacaodebito, dbac_nnprestacaocobradas,"
        " coalesce(dbac_nnparcelabonus, 0), fntp_id, parc_id, dotp_id"
        " FROM faturamento.debito_a_cobrar WHERE imov_id = ANY(:ids)"
        " AND dcst_idatual = ANY(:open)"
    ),
    DebtKind.CREDIT: (
        "SELECT crar_id, imov_id, coalesce(crar_vlcredito, 0), NULL::date,"
        " crar_amreferenciacredito, NULL::integer, NULL::date, dcst_idatual,"
        " false, NULL::integer, NULL::integer, false,"
        " coalesce(crar_nnprestacaocredito, 1),"
        " coalesce(crar_nnprestacaorealizadas, 0),"
        " coalesce(crar_nnparcelabonus, 0), NULL::integer, parc_id, dotp_id"
        " FROM faturamento.credito_a_realizar WHERE imov_id = ANY(:ids)"
        " AND dcst_idatual = ANY(:open)"
    ),
}


class LegacyBilling:
    """The billing port's reads over GSAN's billing tables."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow
        self._open = list(uow.profile.open_bill_situations)

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    def open_debts(self, property_id: int) -> Sequence[OpenDebt]:
        return self.open_debts_of([property_id]).get(property_id, ())

    def open_debts_of(
        self,
        property_ids: Iterable[int],
        *,
        kinds: Collection[DebtKind] | None = None,
    ) -> Mapping[int, Sequence[OpenDebt]]:
        wanted = [k for k in DebtKind if kinds is None or k in kinds]
        found: dict[int, list[OpenDebt]] = {}
        for batch in chunks(sorted(set(property_ids)), ARRAY_CHUNK):
            for kind in wanted:
                params = {"ids": batch, "open": self._open}
                with translated("open_debt"):
                    rows = self._conn.execute(sa.text(_DEBTS[kind]), params).all()
                for row in rows:
                    debt = _debt(kind, row)
                    found.setdefault(debt.property_id, []).append(debt)
        return found

    def overdue_bills(
        self, property_ids: Iterable[int], *, due_before: date
    ) -> Mapping[int, OverdueBills]:
        statement = sa.text(
            "SELECT imov_id, count(*), sum(cnta_vlagua + cnta_vlesgoto"
            " + cnta_vldebitos - cnta_vlcreditos - coalesce(cnta_vlimpostos, 0))"
            " FROM faturamento.conta WHERE imov_id = ANY(:ids)"
            " AND dcst_idatual = ANY(:open) AND cnta_dtvencimentoconta < :due"
            " GROUP BY imov_id"
        )
        found: dict[int, OverdueBills] = {}
        for batch in chunks(sorted(set(property_ids)), ARRAY_CHUNK):
            params = {"ids": batch, "open": self._open, "due": due_before}
            with translated("open_debt"):
                for ident, count, amount in self._conn.execute(statement, params):
                    found[ident] = OverdueBills(count=count, amount=Decimal(amount))
        return found

    def has_payment_slip(
        self, *, property_id: int, debit_type_id: int, issued_on: date
    ) -> bool:
        statement = sa.text(
            "SELECT EXISTS (SELECT 1 FROM faturamento.guia_pagamento"
            " WHERE imov_id = :p AND dbtp_id = :t AND gpag_dtemissao = :d)"
        )
        params = {"p": property_id, "t": debit_type_id, "d": issued_on}
        with translated("open_debt"):
            return bool(self._conn.execute(statement, params).scalar_one())

    def payment_slips_issued(
        self, keys: Iterable[tuple[int, int, date]]
    ) -> set[tuple[int, int, date]]:
        statement = sa.text(
            "SELECT imov_id, dbtp_id, gpag_dtemissao FROM faturamento.guia_pagamento"
            " WHERE imov_id = ANY(:p) AND dbtp_id = ANY(:t) AND gpag_dtemissao = ANY(:d)"
        )
        wanted = set(keys)
        found: set[tuple[int, int, date]] = set()
        for batch in chunks(sorted(wanted), ARRAY_CHUNK):
            params = {
                "p": sorted({k[0] for k in batch}),
                "t": sorted({k[1] for k in batch}),
                "d": sorted({k[2] for k in batch}),
            }
            with translated("open_debt"):
                rows = self._conn.execute(statement, params).all()
            found |= {(p, t, d) for p, t, d in rows if (p, t, d) in wanted}
        return found

    def add_charge(self, charge: Charge) -> None:
        raise _phase_2("charges (débitos a cobrar)")

    def add_charges(self, charges: Iterable[Charge]) -> None:
        raise _phase_2("charges (débitos a cobrar)")

    def charges_of(self, property_id: int) -> Sequence[Charge]:
        return read_charges(self._uow, property_id)

    def payments_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[Payment]]:
        return read_payments(self._uow, property_ids)

    def update_payments(self, payments: Iterable[Payment]) -> None:
        raise _phase_2("payments")

    def real_consumption(
        self,
        property_ids: Iterable[int],
        *,
        reference: int,
        real_type_ids: Collection[int],
    ) -> set[int]:
        statement = sa.text(
            "SELECT imov_id FROM micromedicao.consumo_historico"
            " WHERE imov_id = ANY(:ids) AND cshi_amfaturamento = :r AND lgti_id = :k"
            " AND cstp_id = ANY(:types) AND cshi_nnconsumofaturadomes > 0"
        )
        found: set[int] = set()
        for batch in chunks(sorted(set(property_ids)), ARRAY_CHUNK):
            params = {
                "ids": batch,
                "r": reference,
                "k": MeasurementKind.WATER.value,
                "types": sorted(real_type_ids),
            }
            with translated("consumption_history"):
                found.update(self._conn.execute(statement, params).scalars())
        return found

    def repeated_anomaly(
        self,
        property_ids: Iterable[int],
        *,
        anomaly_ids: Collection[int],
        references: Collection[int],
    ) -> set[int]:
        """INSP-02 on ``consumo_historico``: water months with one of the
        anomalies (``csan_id``) in every one of ``references``."""
        months, anomalies = sorted(set(references)), sorted(set(anomaly_ids))
        found: set[int] = set()
        if not months or not anomalies:
            return found
        statement = sa.text(
            "SELECT imov_id FROM micromedicao.consumo_historico"
            " WHERE imov_id = ANY(:ids) AND lgti_id = :k"
            " AND cshi_amfaturamento = ANY(:months) AND csan_id = ANY(:anomalies)"
            " GROUP BY imov_id HAVING count(*) = :n"
        )
        for batch in chunks(sorted(set(property_ids)), ARRAY_CHUNK):
            params = {
                "ids": batch,
                "k": MeasurementKind.WATER.value,
                "months": months,
                "anomalies": anomalies,
                "n": len(months),
            }
            with translated("consumption_history"):
                found.update(self._conn.execute(statement, params).scalars())
        return found

    def billed_volumes(
        self,
        property_id: int,
        *,
        last: int,
        kind: MeasurementKind = MeasurementKind.WATER,
    ) -> Sequence[int]:
        """The billed volumes of the ``last`` latest months, newest first."""
        statement = sa.text(
            "SELECT cshi_nnconsumofaturadomes FROM micromedicao.consumo_historico"
            " WHERE imov_id = :p AND lgti_id = :k"
            " ORDER BY cshi_amfaturamento DESC LIMIT :n"
        )
        params = {"p": property_id, "k": kind.value, "n": max(last, 0)}
        with translated("consumption_history"):
            rows = self._conn.execute(statement, params).scalars()
            return [int(v or 0) for v in rows]

    def minimum_consumption(
        self, property_id: int, *, kind: MeasurementKind = MeasurementKind.WATER
    ) -> int | None:
        statement = sa.text(
            "SELECT cshi_nnconsumominimo FROM micromedicao.consumo_historico"
            " WHERE imov_id = :p AND lgti_id = :k"
            " ORDER BY cshi_amfaturamento DESC LIMIT 1"
        )
        with translated("consumption_history"):
            value = self._conn.execute(
                statement, {"p": property_id, "k": kind.value}
            ).scalar()
        return None if value is None else int(value)


def _debt(kind: DebtKind, row: Any) -> OpenDebt:
    (
        ident,
        owner,
        amount,
        due,
        reference,
        debit_type,
        issued,
        status,
        in_review,
        review_reason,
        written_off,
        fine,
        installments,
        billed,
        bonus,
        financing,
        plan,
        document,
    ) = row
    return OpenDebt(
        id=ident,
        property_id=owner,
        kind=kind,
        amount=Decimal(amount),
        due_date=due,
        reference=reference,
        debit_type_id=debit_type,
        issued_on=issued,
        status=BillStatus(status),
        in_review=bool(in_review),
        review_reason_id=review_reason,
        written_off_reference=written_off,
        fine_charged=bool(fine),
        installments=installments,
        installments_billed=billed,
        bonus_installments=bonus,
        financing_type_id=financing,
        installment_plan_id=plan,
        document_type_id=document,
    )


# ---------------------------------------------------------------- service requests
#: ServiceRequest field -> ``registro_atendimento`` column.
REQUEST_COLUMNS = {
    "id": "rgat_id",
    "specification_id": "step_id",
    "situation": "rgat_cdsituacao",
    "attended_at": "rgat_tmregistroatendimento",
    "online": "rgat_icatendimentoonline",
    "manual_number": "rgat_idmanual",
    "wait_started_at": "rgat_tminicioespera",
    "wait_ended_at": "rgat_tmfimespera",
    "original_due_date": "rgat_dtprevistaoriginal",
    "current_due_date": "rgat_dtprevistaatual",
    "channel_id": "meso_id",
    "property_id": "imov_id",
    "locality_id": "loca_id",
    "sector_id": "stcm_id",
    "block_id": "qdra_id",
    "sewer_division_id": "dves_id",
    "area_id": "brar_id",
    "address_complement": "rgat_dscomplementondereco",
    "reference_point": "rgat_dspontoreferencia",
    "street_pavement_id": "prua_id",
    "sidewalk_pavement_id": "pcal_id",
    "location_description": "rgat_dslocalocorrencia",
    "observation": "rgat_dsobservacao",
    "current_unit_id": "unid_idatual",
    "closed_at": "rgat_tmencerramento",
    "closing_reason_id": "amen_id",
    "closing_remark": "rgat_dsparecerencerramento",
    "duplicate_of_id": "rgat_idduplicidade",
    "non_charge_reason_id": "sncm_id",
    "reactivation_of_id": "rgat_idreativacao",
    "reactivation_reason_id": "rmrv_id",
    "reiterations": "rgat_qtreiteracoes",
    "last_reiterated_at": "rgat_tmultimareiteracao",
}
_REQUEST_INSTANTS = frozenset(
    {
        "attended_at",
        "wait_started_at",
        "wait_ended_at",
        "closed_at",
        "last_reiterated_at",
    }
)
#: ``atendimento_relacao_tipo`` of the unit that opened and closed a request.
_OPENED, _CLOSED = 1, 3


class LegacyServiceRequests(_Reads):
    """Service requests (``registro_atendimento``) with their requesters
    (``ra_solicitante``) and their opening and closing unit and user
    (``ra_unidade``); written in phase 2.

    The structured address beyond the block (street, neighbourhood,
    municipality) is GSAN's ``logradouro`` tables, outside the mapped subset:
    it reads as ``None``. The protocol is the principal requester's
    ``raso_nnprotocoloatendimento``.
    """

    _entity, _what, _key = "service_request", "service requests", "r.rgat_id"
    _sql = (
        "SELECT "
        + ", ".join(f"r.{c} AS {f}" for f, c in REQUEST_COLUMNS.items())
        + ", o.unid_id AS opening_unit_id, o.usur_id AS opened_by,"
        " c.unid_id AS closing_unit_id, c.usur_id AS closed_by"
        " FROM atendimentopublico.registro_atendimento r"
        f" LEFT JOIN atendimentopublico.ra_unidade o ON o.rgat_id = r.rgat_id"
        f" AND o.attp_id = {_OPENED}"
        " LEFT JOIN atendimentopublico.ra_unidade c ON c.rgat_id = r.rgat_id"
        f" AND c.attp_id = {_CLOSED}"
    )

    def _rows(
        self, where: str, params: Mapping[str, Any], lock: bool = False
    ) -> list[Any]:
        sql = f"{self._sql} WHERE {where} ORDER BY {self._key}"
        if lock:
            sql += " FOR UPDATE OF r"
        with translated(self._entity):
            rows = self._uow.connection.execute(sa.text(sql), params).mappings().all()
            requesters = self._requesters([r["id"] for r in rows]) if rows else {}
        return [self._request(r, requesters.get(r["id"], [])) for r in rows]

    def _requesters(self, ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
        found: dict[int, list[tuple[Any, ...]]] = {}
        rows = self._uow.connection.execute(
            sa.text(
                "SELECT rgat_id, clie_id, unid_id, func_id, raso_nmsolicitante,"
                " raso_dsemail, raso_icenvioemailpesquisa, raso_icsolicitanteprincipal,"
                " raso_nnprotocoloatendimento FROM atendimentopublico.ra_solicitante"
                " WHERE rgat_id = ANY(:ids) ORDER BY rgat_id,"
                " raso_icsolicitanteprincipal, raso_id"
            ),
            {"ids": ids},
        )
        for row in rows:
            found.setdefault(row[0], []).append(tuple(row[1:]))
        return found

    def _request(self, r: Any, requesters: list[tuple[Any, ...]]) -> ServiceRequest:
        values: dict[str, Any] = dict(r)
        for field in _REQUEST_INSTANTS:
            if values[field] is not None:
                values[field] = values[field].replace(tzinfo=self._zone)
        values["situation"] = RequestSituation(values["situation"])
        values["online"] = values["online"] == self._yes
        values["reiterations"] = values["reiterations"] or 0
        protocol = next((p[-1] for p in requesters if p[-2] == self._yes), None)
        values["protocol"] = (protocol or str(values["id"])).rstrip()
        values["requesters"] = tuple(
            Requester(
                customer_id=customer,
                unit_id=unit,
                employee_id=employee,
                name=None if name is None else name.rstrip(),
                email=email,
                survey_opt_in=survey == self._yes,
                principal=principal == self._yes,
            )
            for customer, unit, employee, name, email, survey, principal, _ in requesters
        )
        return ServiceRequest(**values)

    def _build(self, row: Any) -> Any:  # pragma: no cover - _rows builds
        raise NotImplementedError

    def find_by(self, **criteria: object) -> Sequence[ServiceRequest]:
        clauses: list[str] = []
        params: dict[str, Any] = {}
        for n, (field, value) in enumerate(criteria.items()):
            column = f"r.{REQUEST_COLUMNS[field]}"
            if isinstance(value, (list, tuple, set, frozenset)):
                clauses.append(f"{column} = ANY(:p{n})")
                params[f"p{n}"] = [int(v) for v in value]
            elif value is None:
                clauses.append(f"{column} IS NULL")
            else:
                clauses.append(f"{column} = :p{n}")
                params[f"p{n}"] = int(value) if isinstance(value, int) else value
        return self._rows(" AND ".join(clauses) or "TRUE", params)

    def count_by(self, **criteria: object) -> int:
        return len(self.find_by(**criteria))
