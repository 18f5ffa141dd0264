"""The cut-order batch on GSAN's tables (CUT-1..CUT-5, orders into ordem_servico)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConfigurationError
from gsan_core.model.collection import CutCriteria, CutOrderTemplate
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.rules.collection import CutDecision
from tests.conftest import POSTGRES_URL
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres
Run = Callable[..., Any]
AT = datetime(2025, 1, 6, 9, 30, tzinfo=timezone(timedelta(hours=-3)))
CUT = 242
CRITERIA = CutCriteria(
    cut_service_type_ids={CUT},
    allowed_situations={3},
    due_before=date(2025, 1, 1),
    min_bills=1,
    min_amount=Decimal("50.00"),
)
TEMPLATE = CutOrderTemplate(
    order=ServiceOrder(
        id=0,
        service_type_id=CUT,
        origin=OrderOrigin.COLLECTION,
        property_id=0,
        generated_at=AT,
        original_value=Decimal("12.50"),
    ),
    trail=OrderUnitRecord(
        id=0,
        order_id=0,
        unit_id=None,
        user_id=1,
        relation=OrderUnitRelation.OPENED,
        at=AT,
    ),
)


def _bill(connection: sa.Connection, ident: int, property_id: int, amount: str) -> None:
    ensure_row(
        connection,
        "faturamento.conta",
        {
            "cnta_id": ident,
            "imov_id": property_id,
            "cnta_amreferenciaconta": 202400 + ident % 12 + 1,
            "dcst_idatual": 0,
            "cnta_dtvencimentoconta": date(2024, 11, 10),
            "cnta_vlagua": Decimal(amount),
            "cnta_vlesgoto": 0,
            "cnta_vldebitos": 0,
            "cnta_vlcreditos": 0,
        },
    )


@pytest.fixture
def route(legacy: LegacyBackend) -> LegacyBackend:
    """Route 1 (block 1, locality 1, served by units 3 and 7): 10 and 15
    qualify; 11 has a situation that allows no cut, 12 an open cut order,
    13 no overdue bill, 14 is inactive; 16 owes too little."""
    with legacy.engine.begin() as connection:
        for ident in range(10, 17):
            seed_property(connection, ident, water=5 if ident == 11 else 3)
        connection.execute(
            sa.text("UPDATE cadastro.imovel SET imov_icexclusao = 1 WHERE imov_id = 14")
        )
        for ident, owner, amount in (
            (1, 10, "30.00"),
            (2, 10, "30.00"),
            (3, 11, "90.00"),
            (4, 12, "90.00"),
            (5, 14, "90.00"),
            (6, 15, "80.00"),
            (7, 16, "20.00"),
        ):
            _bill(connection, ident, owner, amount)
        for unit in (3, 7):
            ensure_row(
                connection,
                "cadastro.unidade_organizacional",
                {"unid_id": unit, "loca_id": 1, "unid_icuso": 1},
            )
        ensure_row(connection, "atendimentopublico.servico_tipo", {"svtp_id": CUT})
        ensure_row(
            connection,
            "atendimentopublico.atendimento_relacao_tipo",
            {"attp_id": int(OrderUnitRelation.OPENED)},
        )
        ensure_row(
            connection,
            "atendimentopublico.ordem_servico",
            {
                "orse_id": 900,
                "imov_id": 12,
                "svtp_id": CUT,
                "orse_cdsituacao": 1,
                "unid_idatual": 3,
            },
        )
        ensure_row(connection, "cobranca.cobranca_grupo", {"cbgr_id": 4})
        connection.execute(sa.text("UPDATE micromedicao.rota SET cbgr_id = 4"))
    return legacy


def test_the_chunk_is_decided_and_written_on_gsans_tables(
    route: LegacyBackend, run_sql: Run
) -> None:
    """CUT-1..CUT-5 in one statement; the orders and their trail in GSAN's
    tables with ids from GSAN's sequences."""
    with route.uow_factory() as uow:
        assert uow.collection.routes_of_group(4) == [1]
        selection = uow.collection.select_cut_orders([1], CRITERIA)
        assert selection is not None
        facts = uow.collection.route_cut_facts([1], {CUT})
    assert [f.property_id for f in selection.chosen] == [10, 15]
    assert selection.units == {1: 7}
    assert [(f.property_id, f.active, f.has_open_cut_order) for f in facts][2:5] == [
        (12, True, True),
        (13, True, False),
        (14, False, False),
    ]
    skipped = {
        str(CutDecision.INACTIVE.value): 1,
        str(CutDecision.SITUATION.value): 1,
        str(CutDecision.OPEN_ORDER.value): 1,
        str(CutDecision.NO_DEBT.value): 2,
    }
    assert selection.skipped == dict(sorted(skipped.items()))
    # GSAN's own nextval before: the library's ids interleave with GSAN's
    first = run_sql("SELECT nextval('atendimentopublico.seq_ordem_servico')").scalar()
    with route.uow_factory() as uow:
        written = uow.collection.write_cut_orders([1], CRITERIA, TEMPLATE)
        uow.commit()
    assert written is not None
    assert [o.property_id for o in written.orders] == [10, 15]
    assert written.processed == 7
    assert written.skipped == selection.skipped
    ids = [o.order_id for o in written.orders]
    assert ids == [first + 1, first + 2]
    last = run_sql("SELECT last_value FROM atendimentopublico.seq_ordem_servico")
    assert last.scalar() == ids[1]
    rows = run_sql(
        "SELECT orse_id, imov_id, svtp_id, orse_cdsituacao, unid_idatual,"
        " stpr_idoriginal, orse_iccomercialatualizado, orse_icdiagnostico,"
        " orse_tmgeracao, orse_vlservicooriginal FROM atendimentopublico.ordem_servico"
        " WHERE orse_id <> 900 ORDER BY orse_id"
    ).all()
    assert [tuple(r)[:8] for r in rows] == [
        (ids[0], 10, CUT, 1, 7, 1, 2, 2),
        (ids[1], 15, CUT, 1, 7, 1, 2, 2),
    ]
    assert rows[0][8] == datetime(2025, 1, 6, 9, 30)  # noqa: DTZ001 - GSAN's local time
    assert rows[0][9] == Decimal("12.50")
    trail = run_sql(
        "SELECT orse_id, unid_id, usur_id, attp_id FROM"
        " atendimentopublico.ordem_servico_unidade ORDER BY orse_id"
    ).all()
    assert [tuple(r) for r in trail] == [(i, 7, 1, 1) for i in ids]
    # CUT-2: a second run sees the orders the first one wrote
    with route.uow_factory() as uow:
        again = uow.collection.write_cut_orders([1], CRITERIA, TEMPLATE)
        uow.commit()
    assert again is not None
    assert again.orders == ()
    assert again.skipped[str(CutDecision.OPEN_ORDER.value)] == 3


def test_a_recent_closing_restricts_a_new_order(
    route: LegacyBackend, run_sql: Run
) -> None:
    """CUT-5 (GEN-18): an order of the type closed inside the window."""
    run_sql(
        "UPDATE atendimentopublico.ordem_servico SET imov_id = 15, orse_cdsituacao = 2,"
        " orse_tmencerramento = '2025-01-05 10:00' WHERE orse_id = 900"
    )
    criteria = CutCriteria(
        cut_service_type_ids={CUT},
        allowed_situations={3},
        due_before=date(2025, 1, 1),
        min_bills=1,
        min_amount=Decimal("50.00"),
        restricted_type_id=CUT,
        restricted_since=AT - timedelta(days=3),
    )
    with route.uow_factory() as uow:
        selection = uow.collection.select_cut_orders([1], criteria)
    assert selection is not None
    assert [f.property_id for f in selection.chosen] == [10, 12]
    assert selection.skipped[str(CutDecision.RESTRICTED.value)] == 1


def test_the_cut_orders_are_not_written_without_the_locking(
    legacy_engine: sa.Engine,
) -> None:
    backend = LegacyBackend(legacy_engine)
    with backend.uow_factory() as uow, pytest.raises(ConfigurationError) as caught:
        uow.collection.write_cut_orders([1], CRITERIA, TEMPLATE)
    assert caught.value.code == "configuration.read_only"


def test_the_benchmark_orders_the_same_properties_on_both_schemas(
    legacy_server: object,
) -> None:
    """``benchmarks/legacy.py`` at a small size: the library's schema and
    GSAN's, through the same chunk function, order the same properties (the
    run asserts it) and every property is evaluated."""
    from benchmarks import legacy as bench  # noqa: PLC0415

    assert POSTGRES_URL is not None
    figures = bench.measure(1_000, 1, POSTGRES_URL)
    assert figures["evaluated"] == 1_000
    assert figures["orders"] > 0
    assert figures["ratio"] > 0
