"""The field lock and payments on a GSAN database (issue 19): tables outside
the DDL subset, read when the database has them (created here with GSAN's own
columns), ``configuration.feature_unavailable`` otherwise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConfigurationError
from gsan_core.model.billing import Payment, PaymentSituation
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres

#: GSAN's billing schedule (``FaturamentoGrupoCronogramaMensal``,
#: ``FaturamentoAtividadeCronograma`` mappings), the columns the adapter reads.
SCHEDULE_DDL = """
CREATE TABLE faturamento.fatur_grupo_crg_mensal (
    ftcm_id integer PRIMARY KEY, ftgr_id integer NOT NULL,
    ftcm_amreferencia integer NOT NULL, usur_id integer,
    ftcm_tmultimaalteracao timestamp without time zone DEFAULT now() NOT NULL);
CREATE TABLE faturamento.fatur_ativ_cronograma (
    ftac_id integer PRIMARY KEY, ftcm_id integer NOT NULL, ftat_id integer NOT NULL,
    ftac_dtprevista date, ftac_tmrealizacao timestamp without time zone,
    ftac_tmcomando timestamp without time zone, usur_id integer,
    ftac_tmultimaalteracao timestamp without time zone DEFAULT now() NOT NULL);
"""
#: GSAN's ``arrecadacao.pagamento`` (the ``Pagamento`` mapping's columns).
PAYMENT_DDL = """
CREATE SCHEMA IF NOT EXISTS arrecadacao;
CREATE TABLE arrecadacao.pagamento (
    pgmt_id integer PRIMARY KEY, pgmt_vlpagamento numeric(13,2) NOT NULL,
    pgmt_vlexcedente numeric(13,2), pgmt_amreferenciapagamento integer,
    pgmt_dtpagamento date NOT NULL, pgmt_amreferenciaarrecadacao integer NOT NULL,
    pgmt_tmultimaalteracao timestamp without time zone DEFAULT now() NOT NULL,
    clie_id integer, imov_id integer, dotp_id integer NOT NULL,
    cnta_id integer, loca_id integer NOT NULL, pgst_idatual integer,
    pgst_idanterior integer, gpag_id integer, avbc_id integer NOT NULL,
    dbtp_id integer);
"""

Run = Callable[..., sa.CursorResult[object]]


def _raw(engine: sa.Engine, sql: str) -> None:
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute(sql)


@pytest.fixture
def in_field(locked_engine: sa.Engine, run_sql: Run) -> LegacyBackend:
    """Property 1000 on route 1 of billing group 1 (reference 202405)."""
    _raw(locked_engine, SCHEDULE_DDL)
    with locked_engine.begin() as c:
        seed_property(c, 1000)
    run_sql("UPDATE faturamento.faturamento_grupo SET ftgr_amreferencia = 202405")
    run_sql("INSERT INTO faturamento.fatur_grupo_crg_mensal VALUES (1, 1, 202405)")
    run_sql("INSERT INTO faturamento.fatur_grupo_crg_mensal VALUES (2, 1, 202404)")
    return LegacyBackend(locked_engine)


def _simultaneous(engine: sa.Engine) -> None:
    """Route 1 becomes a simultaneous-printing route (GSAN's CHECK: with its
    reader, in use)."""
    with engine.begin() as c:
        ensure_row(c, "micromedicao.leitura_tipo", {"lttp_id": 4})
        ensure_row(c, "micromedicao.leiturista", {"leit_id": 1})
        c.execute(
            sa.text(
                "UPDATE micromedicao.rota SET lttp_id = 4, leit_id = 1,"
                " rota_icuso = 1 WHERE rota_id = 1"
            )
        )


def _activity(
    run_sql: Run, ident: int, schedule: int, activity: int, done: bool
) -> None:
    run_sql(
        "INSERT INTO faturamento.fatur_ativ_cronograma"
        " (ftac_id, ftcm_id, ftat_id, ftac_tmrealizacao) VALUES (:i, :s, :a, :d)",
        i=ident,
        s=schedule,
        a=activity,
        d=datetime(2024, 5, 2, 8, 0) if done else None,  # noqa: DTZ001
    )


def _locked(backend: LegacyBackend) -> int | None:
    with backend.uow_factory() as uow:
        return uow.field_lock.locked_reference(1000)


def test_field_lock_C_CAMPO_reads_the_reading_file_activity_of_the_groups_reference(
    in_field: LegacyBackend, run_sql: Run
) -> None:
    _simultaneous(in_field.engine)
    assert _locked(in_field) is None  # no schedule activity yet
    _activity(run_sql, 1, 1, 1, done=False)  # planned, not carried out
    _activity(run_sql, 2, 2, 1, done=True)  # carried out, previous reference
    _activity(run_sql, 3, 1, 2, done=True)  # another activity
    assert _locked(in_field) is None
    run_sql(
        "UPDATE faturamento.fatur_ativ_cronograma SET"
        " ftac_tmrealizacao = now() WHERE ftac_id = 1"
    )
    assert _locked(in_field) == 202405


def test_field_lock_C_CAMPO_needs_a_simultaneous_printing_route(
    in_field: LegacyBackend, run_sql: Run
) -> None:
    _activity(run_sql, 1, 1, 1, done=True)
    assert _locked(in_field) is None  # lttp_id 1: conventional reading
    _simultaneous(in_field.engine)
    assert _locked(in_field) == 202405
    with in_field.uow_factory() as uow:
        assert uow.field_lock.locked_reference(999) is None  # no such property


def test_payments_read_gsan_rows_of_the_known_situations(
    locked_engine: sa.Engine, run_sql: Run
) -> None:
    _raw(locked_engine, PAYMENT_DDL)
    for ident, owner, situation, before in (
        (1, 1000, 1, None),
        (2, 1000, 9, 1),
        (3, 1000, 4, None),  # GSAN's "documento inexistente": not the library's
        (4, 2000, 0, 4),
        (5, 3000, 1, None),
    ):
        run_sql(
            "INSERT INTO arrecadacao.pagamento (pgmt_id, pgmt_vlpagamento,"
            " pgmt_amreferenciapagamento, pgmt_dtpagamento,"
            " pgmt_amreferenciaarrecadacao, imov_id, dotp_id, loca_id,"
            " pgst_idatual, pgst_idanterior, gpag_id, avbc_id)"
            " VALUES (:i, 25.30, 202404, '2024-05-10', 202405, :p, 1, 1, :s, :b,"
            " :g, 1)",
            i=ident,
            p=owner,
            s=situation,
            b=before,
            g=8 if ident == 4 else None,
        )
    backend = LegacyBackend(locked_engine)
    assert "payments" not in backend.report.unavailable
    with backend.uow_factory() as uow:
        found = uow.billing.payments_of([1000, 2000, 4000])
    assert [p.id for p in found[1000]] == [1, 2]
    assert found[1000][1] == Payment(
        id=2,
        property_id=1000,
        value=Decimal("25.30"),
        paid_on=date(2024, 5, 10),
        reference=202404,
        collection_month=202405,
        situation=PaymentSituation.REFUNDED,
        previous_situation=PaymentSituation.DUPLICATE,
    )
    assert found[2000][0].previous_situation is None  # 4: not the library's
    assert found[2000][0].slip_id == 8
    assert 4000 not in found


def test_without_their_tables_the_features_raise_feature_unavailable(
    legacy: LegacyBackend,
) -> None:
    assert legacy.report.unavailable == {
        "address": (
            "column cadastro.bairro.muni_id",
            "column cadastro.logradouro_bairro.bair_id",
        ),
        "field_lock": (
            "table faturamento.fatur_ativ_cronograma",
            "table faturamento.fatur_grupo_crg_mensal",
        ),
        "payments": ("table arrecadacao.pagamento",),
    }
    assert legacy.status().endswith("; without address, field lock, payments")
    with legacy.uow_factory() as uow:
        with pytest.raises(ConfigurationError) as caught:
            uow.field_lock.locked_reference(1000)
        assert caught.value.code == "configuration.feature_unavailable"
        assert "faturamento.fatur_ativ_cronograma" in str(caught.value)
        with pytest.raises(ConfigurationError) as caught:
            uow.billing.payments_of([1000])
        assert caught.value.code == "configuration.feature_unavailable"


def test_a_missing_column_makes_the_feature_unavailable(
    locked_engine: sa.Engine,
) -> None:
    _raw(locked_engine, PAYMENT_DDL)
    _raw(locked_engine, "ALTER TABLE arrecadacao.pagamento DROP COLUMN gpag_id")
    backend = LegacyBackend(locked_engine)
    assert backend.report.unavailable["payments"] == (
        "column arrecadacao.pagamento.gpag_id",
    )
    assert backend.report.writable  # the rest of the adapter is unaffected
