"""Reads of GSAN tables outside the DDL subset: the field lock and payments.

A utility's GSAN database has them (GSAN's billing and collection modules
write them), a trimmed copy may not: the start-up check lists each feature's
tables and columns as *optional* (:attr:`SchemaReport.unavailable`), the
adapter reads them when they are there, and otherwise its port raises
:class:`~gsan_core.errors.ConfigurationError` with code
``configuration.feature_unavailable`` naming what is missing, so a DBA knows
what to grant or restore; nothing else of the adapter depends on them.

* **Field lock** ("imóvel em campo", C-CAMPO / OS-6 / ENC-17; GSAN
  ``ControladorMicromedicao.isImovelEmCampo``): the property's route (its
  block's ``rota_id``) is a simultaneous-printing route (``lttp_id`` 4,
  ``LeituraTipo.LEITURA_E_ENTRADA_SIMULTANEA``) and, in the billing schedule
  of the route's billing group for the group's current reference
  (``fatur_grupo_crg_mensal``), the activity "gerar arquivo de leitura"
  (``fatur_ativ_cronograma.ftat_id`` 1) has been carried out
  (``ftac_tmrealizacao`` set). The lock's reference is the group's
  ``ftgr_amreferencia``.
* **Payments** (``arrecadacao.pagamento``): the payments of the situations the
  library knows (:class:`~gsan_core.model.billing.PaymentSituation`: 0
  classified, 1 duplicate, 9 excess returned); GSAN's other situations (value
  mismatch, document not found, ...) are collection's own work and are left
  out. A previous situation the library does not know reads as ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.repositories import ARRAY_CHUNK, chunks
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import Payment, PaymentSituation

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = [
    "BILLING_SCHEDULE_READING_FILE",
    "OPTIONAL_FEATURES",
    "SIMULTANEOUS_PRINTING",
    "LegacyFieldLock",
    "read_payments",
    "require",
]

#: ``LeituraTipo.LEITURA_E_ENTRADA_SIMULTANEA``: a simultaneous-printing route.
SIMULTANEOUS_PRINTING = 4
#: ``FaturamentoAtividade.GERAR_ARQUIVO_LEITURA``.
BILLING_SCHEDULE_READING_FILE = 1

#: Feature -> GSAN table -> the columns the adapter reads (outside the subset).
OPTIONAL_FEATURES: Mapping[str, Mapping[str, frozenset[str]]] = {
    "field_lock": {
        "faturamento.fatur_grupo_crg_mensal": frozenset(
            {"ftcm_id", "ftgr_id", "ftcm_amreferencia"}
        ),
        "faturamento.fatur_ativ_cronograma": frozenset(
            {"ftac_id", "ftcm_id", "ftat_id", "ftac_tmrealizacao"}
        ),
    },
    # a request's neighbourhood and municipality (its street is lgbr_id)
    "address": {
        "cadastro.logradouro_bairro": frozenset({"lgbr_id", "bair_id"}),
        "cadastro.bairro": frozenset({"bair_id", "muni_id"}),
    },
    "payments": {
        "arrecadacao.pagamento": frozenset(
            {
                "pgmt_id",
                "imov_id",
                "pgmt_vlpagamento",
                "pgmt_dtpagamento",
                "pgmt_amreferenciapagamento",
                "pgmt_amreferenciaarrecadacao",
                "pgst_idatual",
                "pgst_idanterior",
                "gpag_id",
            }
        ),
    },
}

_WHAT = {
    "address": "a request's neighbourhood and municipality",
    "field_lock": "the field lock (imóvel em campo)",
    "payments": "payments (arrecadacao.pagamento)",
}


def require(uow: LegacyUnitOfWork, feature: str) -> None:
    """Raise ``configuration.feature_unavailable`` when the database lacks a
    table or column of ``feature`` (as the start-up check found)."""
    missing = uow.report.unavailable.get(feature)
    if missing:
        msg = (
            f"{_WHAT[feature]} needs GSAN tables this database does not have: "
            + ", ".join(missing)
        )
        raise ConfigurationError(msg, kind="feature_unavailable")


_FIELD_LOCK = sa.text(
    "SELECT g.ftgr_amreferencia FROM cadastro.imovel i"
    " JOIN cadastro.quadra q ON q.qdra_id = i.qdra_id"
    " JOIN micromedicao.rota r ON r.rota_id = q.rota_id"
    " JOIN faturamento.faturamento_grupo g ON g.ftgr_id = r.ftgr_id"
    " WHERE i.imov_id = :p AND r.lttp_id = :simultaneous AND EXISTS ("
    "SELECT 1 FROM faturamento.fatur_grupo_crg_mensal m"
    " JOIN faturamento.fatur_ativ_cronograma a ON a.ftcm_id = m.ftcm_id"
    " WHERE m.ftgr_id = g.ftgr_id AND m.ftcm_amreferencia = g.ftgr_amreferencia"
    " AND a.ftat_id = :activity AND a.ftac_tmrealizacao IS NOT NULL)"
)


class LegacyFieldLock:
    """The field-lock port over GSAN's routes and billing schedule (one query)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        self._uow = uow

    def locked_reference(self, property_id: int) -> int | None:
        require(self._uow, "field_lock")
        params = {
            "p": property_id,
            "simultaneous": SIMULTANEOUS_PRINTING,
            "activity": BILLING_SCHEDULE_READING_FILE,
        }
        with translated("field_lock"):
            value = self._uow.connection.execute(_FIELD_LOCK, params).scalar()
        return None if value is None else int(value)


_PAYMENTS = sa.text(
    "SELECT pgmt_id, imov_id, pgmt_vlpagamento, pgmt_dtpagamento,"
    " pgmt_amreferenciapagamento, pgmt_amreferenciaarrecadacao, pgst_idatual,"
    " pgst_idanterior, gpag_id FROM arrecadacao.pagamento"
    " WHERE imov_id = ANY(:ids) AND pgst_idatual = ANY(:known)"
    " ORDER BY imov_id, pgmt_id"
)
_KNOWN = frozenset(s.value for s in PaymentSituation)


def read_payments(
    uow: LegacyUnitOfWork, property_ids: Iterable[int]
) -> Mapping[int, Sequence[Payment]]:
    """The payments of the properties, by property (one query per chunk)."""
    require(uow, "payments")
    found: dict[int, list[Payment]] = {}
    for batch in chunks(sorted(set(property_ids)), ARRAY_CHUNK):
        params = {"ids": batch, "known": sorted(_KNOWN)}
        with translated("payment"):
            rows = uow.connection.execute(_PAYMENTS, params).all()
        for ident, owner, value, paid, ref, month, now, before, slip in rows:
            found.setdefault(owner, []).append(
                Payment(
                    id=ident,
                    property_id=owner,
                    value=Decimal(value),
                    paid_on=paid,
                    reference=ref,
                    collection_month=month,
                    situation=PaymentSituation(now),
                    previous_situation=(
                        PaymentSituation(before) if before in _KNOWN else None
                    ),
                    slip_id=slip,
                )
            )
    return found
