"""The legacy seeding port: reference and billing rows written to GSAN's own
tables as GSAN writes them (for tests, demos and data loading).

Off unless asked (``LegacyBackend(engine, seeding=True)``): on a production
GSAN database the billing, security and field-lock modules own these rows.
What it writes:

* special permissions: ``seguranca.usuario_permissao_espec`` (idempotent
  grant and revoke, stamped);
* open bills (``faturamento.conta`` with its ``conta_geral`` row), payment
  slips (``guia_pagamento`` with ``guia_pagamento_geral``), charges
  (``debito_a_cobrar`` with ``debito_a_cobrar_geral``, not historical) and
  credits (``credito_a_realizar`` with ``credito_a_realizar_geral``): the ids
  are the debts' own, the property's locality, block, situations and tariff
  are copied from ``cadastro.imovel`` (as GSAN's billing does), the other NOT
  NULL columns take the profile's ``not_null_defaults`` of the table;
* the consumption history (``micromedicao.consumo_historico``, ids from its
  sequence; GSAN's unique index on month, property and connection kind makes
  a month that is there a ``DuplicateEntity``);
* ``settle``: the items leave the open situations for the profile's
  ``settled_situation`` (GSAN's ``DebitoCreditoSituacao.PAGA``).

Payments, installment plans, cash-payment terms, tariffs, billed consumption
and the field lock are not seeded yet: they raise
``configuration.no_seeding`` naming what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.consumption import ConsumptionRecord

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["NOT_SEEDED", "LegacySeeding"]

NOT_SEEDED = (
    "the legacy seeding port does not write {what} to GSAN's tables yet"
    " (load them through GSAN's own modules)"
)
#: kind -> (GSAN table, its ``*_geral`` parent, key column).
_TABLES: Mapping[DebtKind, tuple[str, str, str]] = {
    DebtKind.BILL: ("faturamento.conta", "faturamento.conta_geral", "cnta_id"),
    DebtKind.PAYMENT_SLIP: (
        "faturamento.guia_pagamento",
        "faturamento.guia_pagamento_geral",
        "gpag_id",
    ),
    DebtKind.CHARGE: (
        "faturamento.debito_a_cobrar",
        "faturamento.debito_a_cobrar_geral",
        "dbac_id",
    ),
    DebtKind.CREDIT: (
        "faturamento.credito_a_realizar",
        "faturamento.credito_a_realizar_geral",
        "crar_id",
    ),
}
#: The ``*_geral`` parent's own NOT NULL columns (a charge's "historical" flag).
_PARENT_COLUMNS: Mapping[str, Mapping[str, int]] = {
    "faturamento.debito_a_cobrar_geral": {"dage_ichistorico": 2},
}


def _reference(debt: OpenDebt) -> int:
    """The bill's reference month (``yyyymm``): its own, else its due month."""
    if debt.reference is not None:
        return debt.reference
    when = debt.due_date or debt.issued_on
    return 0 if when is None else when.year * 100 + when.month


def _bill(debt: OpenDebt, fine: int) -> dict[str, Any]:
    reference = _reference(debt)
    return {
        "cnta_id": debt.id,
        "imov_id": debt.property_id,
        "cnta_amreferenciaconta": reference,
        "cnta_amreferenciacontabil": reference,
        "cnta_iccobrancamulta": fine,
        "cnta_vlagua": debt.amount,
        "cnta_vlesgoto": 0,
        "cnta_vldebitos": 0,
        "cnta_vlcreditos": 0,
        "cnta_dtvencimentoconta": debt.due_date,
        "cnta_dtvencimentooriginal": debt.due_date,
        "dcst_idatual": debt.status.value,
        "cmrv_id": debt.review_reason_id,
        "parc_id": debt.installment_plan_id,
        "dotp_id": debt.document_type_id,
    }


def _slip(debt: OpenDebt, fine: int) -> dict[str, Any]:
    return {
        "gpag_id": debt.id,
        "imov_id": debt.property_id,
        "gpag_amreferenciacontabil": _reference(debt),
        "gpag_dtemissao": debt.issued_on or debt.due_date,
        "gpag_dtvencimento": debt.due_date or debt.issued_on,
        "gpag_vldebito": debt.amount,
        "dbtp_id": debt.debit_type_id,
        "fntp_id": debt.financing_type_id,
        "dcst_idatual": debt.status.value,
        "gpag_iccobrancamulta": fine,
        "parc_id": debt.installment_plan_id,
        "dotp_id": debt.document_type_id,
    }


def _charge(debt: OpenDebt, fine: int) -> dict[str, Any]:
    del fine  # a charge has no fine flag
    return {
        "dbac_id": debt.id,
        "imov_id": debt.property_id,
        "dbtp_id": debt.debit_type_id,
        "dbac_amreferenciadebito": debt.reference,
        "dbac_amreferenciacontabil": _reference(debt),
        "dbac_vldebito": debt.amount,
        "dbac_nnprestacaodebito": debt.installments,
        "dbac_nnprestacaocobradas": debt.installments_billed,
        "dbac_nnparcelabonus": debt.bonus_installments,
        "fntp_id": debt.financing_type_id,
        "dcst_idatual": debt.status.value,
        "cmrv_id": debt.review_reason_id,
        "parc_id": debt.installment_plan_id,
        "dotp_id": debt.document_type_id,
    }


def _credit(debt: OpenDebt, fine: int) -> dict[str, Any]:
    del fine  # a credit has no fine flag
    return {
        "crar_id": debt.id,
        "imov_id": debt.property_id,
        "crar_amreferenciacredito": debt.reference,
        "crar_vlcredito": debt.amount,
        "crar_nnprestacaocredito": debt.installments,
        "crar_nnprestacaorealizadas": debt.installments_billed,
        "crar_nnparcelabonus": debt.bonus_installments,
        "dcst_idatual": debt.status.value,
        "parc_id": debt.installment_plan_id,
        "dotp_id": debt.document_type_id,
    }


_BUILD = {
    DebtKind.BILL: _bill,
    DebtKind.PAYMENT_SLIP: _slip,
    DebtKind.CHARGE: _charge,
    DebtKind.CREDIT: _credit,
}
#: The instant a charge's or credit's value was last computed (NOT NULL).
_UPDATED_AT: Mapping[DebtKind, str] = {
    DebtKind.CHARGE: "dbac_tmatudebito",
    DebtKind.CREDIT: "crar_tmatucredito",
}
#: Columns copied from the property's ``cadastro.imovel`` row.
_FROM_PROPERTY: Mapping[DebtKind, tuple[str, ...]] = {
    DebtKind.BILL: ("loca_id", "qdra_id", "last_id", "lest_id", "cstf_id"),
    DebtKind.PAYMENT_SLIP: ("loca_id",),
    DebtKind.CHARGE: ("loca_id", "qdra_id"),
    DebtKind.CREDIT: ("loca_id", "qdra_id"),
}


class LegacySeeding:
    """The seeding port over GSAN's tables (see the module's docstring)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow

    @property
    def _conn(self) -> sa.Connection:
        return self._uow.connection

    # ------------------------------------------------------------ permissions
    def grant(self, user_id: int, permission_id: int) -> None:
        """Grant a special permission (idempotent)."""
        statement = sa.text(
            "INSERT INTO seguranca.usuario_permissao_espec"
            " (usur_id, pmep_id, upes_tmultimaalteracao)"
            " SELECT :u, :p, :now WHERE NOT EXISTS (SELECT 1 FROM"
            " seguranca.usuario_permissao_espec WHERE usur_id = :u AND pmep_id = :p)"
        )
        params = {"u": user_id, "p": permission_id, "now": self._uow.local_now}
        with translated("permission", (user_id, permission_id)):
            self._conn.execute(statement, params)

    def revoke(self, user_id: int, permission_id: int) -> None:
        """Revoke a special permission (idempotent)."""
        statement = sa.text(
            "DELETE FROM seguranca.usuario_permissao_espec"
            " WHERE usur_id = :u AND pmep_id = :p"
        )
        with translated("permission", (user_id, permission_id)):
            self._conn.execute(statement, {"u": user_id, "p": permission_id})

    # ------------------------------------------------------------ debts
    def record_debts(self, debts: Iterable[OpenDebt]) -> None:
        """Load open bills, slips, charges and credits (one row per debt, its
        id kept)."""
        profile = self._uow.profile
        for debt in debts:
            table, parent, key = _TABLES[debt.kind]
            fine = profile.flag_true if debt.fine_charged else profile.flag_false
            build = _BUILD[debt.kind]
            defaults = profile.not_null_defaults.get(table, {})
            row = {
                **{
                    k: v
                    for k, v in defaults.items()
                    if k not in _FROM_PROPERTY[debt.kind]
                },
                **{k: v for k, v in build(debt, fine).items() if v is not None},
                f"{key.removesuffix('_id')}_tmultimaalteracao": self._uow.local_now,
            }
            if debt.kind in _UPDATED_AT:  # when the item was last recomputed
                row[_UPDATED_AT[debt.kind]] = self._uow.local_now
            self._insert(debt, table, parent, key, row)

    def _insert(
        self, debt: OpenDebt, table: str, parent: str, key: str, row: dict[str, Any]
    ) -> None:
        copied = [c for c in _FROM_PROPERTY[debt.kind] if c not in row]
        names = [*row, *copied]
        values = [f":p{n}" for n in range(len(row))]
        # a property without a tariff takes the profile's default (NOT NULL)
        defaults = self._uow.profile.not_null_defaults.get(table, {})
        values += [
            f"coalesce(i.{c}, :d_{c})" if c in defaults else f"i.{c}" for c in copied
        ]
        params = {f"p{n}": v for n, v in enumerate(row.values())}
        params |= {f"d_{c}": defaults[c] for c in copied if c in defaults}
        params["property"] = debt.property_id
        with translated(debt.kind.value, debt.id):
            more = _PARENT_COLUMNS.get(parent, {})
            self._conn.execute(
                sa.text(
                    f"INSERT INTO {parent} ({', '.join([key, *more])})"
                    f" VALUES ({', '.join([':id', *(f':{c}' for c in more)])})"
                ),
                {"id": debt.id, **more},
            )
            inserted = self._conn.execute(
                sa.text(
                    f"INSERT INTO {table} ({', '.join(names)})"
                    f" SELECT {', '.join(values)} FROM cadastro.imovel i"
                    " WHERE i.imov_id = :property"
                ),
                params,
            ).rowcount
        if inserted != 1:
            msg = f"no GSAN property {debt.property_id} for {debt.kind.value} {debt.id}"
            raise ConfigurationError(msg, kind="no_seeding")

    def settle(self, debt_ids: Iterable[int]) -> None:
        """The items leave the open situations (``settled_situation``)."""
        ids = sorted(set(debt_ids))
        for table, _, key in _TABLES.values():
            with translated("open_debt"):
                self._conn.execute(
                    sa.text(
                        f"UPDATE {table} SET dcst_idatual = :paid,"
                        f" {key.removesuffix('_id')}_tmultimaalteracao = :now"
                        f" WHERE {key} = ANY(:ids)"
                    ),
                    {
                        "paid": self._uow.profile.settled_situation,
                        "now": self._uow.local_now,
                        "ids": ids,
                    },
                )

    # ------------------------------------------------------------ consumption
    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None:
        """Load consumption history rows (``DuplicateEntity`` for a month of
        a property's connection that is there: GSAN's unique index)."""
        rows = [
            {
                "p": r.property_id,
                "r": r.reference,
                "k": r.kind.value,
                "t": r.consumption_type_id,
                "v": r.billed_volume,
                "m": r.minimum,
                "a": r.anomaly_id,
                "now": self._uow.local_now,
            }
            for r in records
        ]
        if not rows:
            return
        statement = sa.text(
            "INSERT INTO micromedicao.consumo_historico (cshi_id, imov_id,"
            " cshi_amfaturamento, lgti_id, cstp_id, cshi_nnconsumofaturadomes,"
            " cshi_nnconsumominimo, csan_id, cshi_tmultimaalteracao) VALUES"
            " (nextval('micromedicao.seq_consumo_historico'), :p, :r, :k, :t, :v,"
            " :m, :a, :now)"
        )
        with translated("consumption_history", rows[0]["p"]):
            self._conn.execute(statement, rows)

    # ------------------------------------------------------------ not yet
    def _missing(self, what: str) -> ConfigurationError:
        return ConfigurationError(NOT_SEEDED.format(what=what), kind="no_seeding")

    def record_payments(self, payments: Iterable[object]) -> None:
        raise self._missing("payments (arrecadacao.pagamento)")

    def record_installment_plans(self, plans: Iterable[object]) -> None:
        raise self._missing("installment plans")

    def record_cash_payment_terms(self, terms: Iterable[object]) -> None:
        raise self._missing("cash-payment terms")

    def record_tariffs(self, tariffs: Iterable[object]) -> None:
        raise self._missing("tariffs")

    def record_billed_consumption(self, rows: Iterable[object]) -> None:
        raise self._missing("billed consumption")

    def lock_route(self, route_id: int, reference: int) -> None:
        raise self._missing("the field lock")

    def unlock_route(self, route_id: int) -> None:
        raise self._missing("the field lock")
