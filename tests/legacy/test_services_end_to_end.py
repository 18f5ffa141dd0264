"""The public services on GSAN's tables (issue 19, phase 1): a ``System`` over
a :class:`LegacyBackend` runs the meter stock entry and movement and the
connection operations without an order (UC0354 / UC0579 with a meter
installed, the sewer connection without an RA); after each, GSAN's columns
hold what GSAN's screens read, and no column outside the mapping changed.
Operations that close an order need an order write (phase 2): they are refused
with ``configuration.read_only`` and write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile
from gsan_core.errors import ConfigurationError
from gsan_core.model.connections import (
    ChangeSituationInput,
    ConnectionTarget,
    MeterInstallation,
    SewerConnectionInput,
    WaterConnectionInput,
)
from gsan_core.model.hydrometers import UpdateInstallation
from gsan_core.profiles import load
from gsan_core.testing.clocks import FixedClock
from gsan_core.testing.hydrometers import METER
from tests.legacy.support import ensure_row, seed_property
from tests.legacy.test_optional_reads import SCHEDULE_DDL, _raw

pytestmark = pytest.mark.postgres

ACTOR = 7
TODAY = date(2025, 1, 6)

WITHOUT_ORDER_WATER, WITHOUT_ORDER_SEWER = 65, 67
Run = Callable[..., sa.CursorResult[object]]


def _system(backend: LegacyBackend) -> gsan_core.System:
    base = load("gsan_default").profile
    return gsan_core.System(
        uow_factory=backend.uow_factory,
        profile=backend.utility_profile(base),
        clock=FixedClock(),
        backend=backend,
    )


@pytest.fixture
def gsan(locked_engine: sa.Engine) -> gsan_core.System:
    """GSAN's schema with its billing schedule, property 1000 (water FACTÍVEL,
    sewer POTENCIAL), user 7 with the "without order" permissions."""
    _raw(locked_engine, SCHEDULE_DDL)
    with locked_engine.begin() as c:
        seed_property(c, 1000, water=2, sewer=1)
        ensure_row(c, "seguranca.usuario", {"usur_id": ACTOR, "usur_nmlogin": "maria"})
        for permission in (WITHOUT_ORDER_WATER, WITHOUT_ORDER_SEWER):
            ensure_row(c, "seguranca.permissao_especial", {"pmep_id": permission})
            ensure_row(
                c,
                "seguranca.usuario_permissao_espec",
                {"usur_id": ACTOR, "pmep_id": permission},
            )
        # GSAN's meter catalogue as its screens fill it (letters, digits)
        for statement in (
            "UPDATE micromedicao.hidrometro_capacidade SET"
            " hicp_cdhidrometrocapacidade = 'B', hicp_nndigitosleituraminimo = 4,"
            " hicp_nndigitosleituramaximo = 6",
            "UPDATE micromedicao.hidrometro_marca SET himc_cdhidrometromarca = 'A'",
            "UPDATE micromedicao.hidrometro_local_armaz SET hila_icoficina = 2",
            "UPDATE cadastro.quadra SET qdra_icredeagua = 2, qdra_icredeesgoto = 2",
        ):
            c.execute(sa.text(statement))
    return _system(LegacyBackend(locked_engine, LegacyProfile()))


def _row(gsan: gsan_core.System, table: str, key: str, ident: int) -> dict[str, Any]:
    engine: sa.Engine = gsan.backend.engine
    with engine.connect() as c:
        row = (
            c.execute(sa.text(f"SELECT * FROM {table} WHERE {key} = :i"), {"i": ident})
            .mappings()
            .one()
        )
    return dict(row)


def _changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {c for c in before if before[c] != after[c]}


def _mapped(gsan: gsan_core.System, entity: str) -> set[str]:
    profile: LegacyProfile = gsan.backend.profile
    found = profile.entity(entity)
    return {*found.columns.values(), found.stamp, profile.version_column}


def test_stock_entry_and_movement_write_gsans_meter_tables(
    gsan: gsan_core.System,
) -> None:
    meter = gsan.hydrometers.insert(
        number="B24A000001", attributes=METER, location_id=1, actor=ACTOR
    )
    row = _row(gsan, "micromedicao.hidrometro", "hidr_id", meter.id)
    assert (row["hidr_nnhidrometro"].rstrip(), row["hila_id"]) == ("B24A000001", 1)
    assert (row["himc_id"], row["hicp_id"], row["hidm_id"]) == (10, 5, 13)
    moved = gsan.hydrometers.move(
        hydrometer_ids=[meter.id],
        destination_id=2,
        reason_id=1,
        moved_on=TODAY,
        moved_time=time(9, 30),
        actor=ACTOR,
    )
    after = _row(gsan, "micromedicao.hidrometro", "hidr_id", meter.id)
    assert after["hila_id"] == 2
    assert _changed(row, after) <= _mapped(gsan, "hydrometer")
    movement = _row(gsan, "micromedicao.hidrometro_movimentacao", "himv_id", moved.id)
    assert (movement["hila_idhidmtlocalarmzorigem"], movement["himm_id"]) == (1, 1)
    assert movement["hila_idhidmtlocalarmzdest"] == 2
    assert (movement["himv_dtmovimentacao"], movement["usur_id"]) == (TODAY, ACTOR)
    line = _row(gsan, "micromedicao.hidrometro_movimentado", "himv_id", moved.id)
    assert line["hidr_id"] == meter.id
    assert gsan.hydrometers.movements_of(meter.id)[0].id == moved.id


def _meter(gsan: gsan_core.System) -> int:
    return gsan.hydrometers.insert(
        number="B24A000002", attributes=METER, location_id=1, actor=ACTOR
    ).id


def test_water_connection_without_order_writes_gsans_rows(
    gsan: gsan_core.System,
) -> None:
    """UC0354 (operation 882) without a meter."""
    prop = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    gsan.connections.connect_water_without_order(
        property_id=1000,
        data=WaterConnectionInput(
            connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
        ),
        actor=ACTOR,
    )
    after = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    assert after["last_id"] == 3  # LIGADO, as GSAN's property screen shows
    assert _changed(prop, after) <= {
        "last_id",
        "imov_tmultimaalteracao",
        "gsan_core_version",
    }
    water = _row(gsan, "atendimentopublico.ligacao_agua", "lagu_id", 1000)
    assert water["lagu_dtligacaoagua"] == TODAY
    assert (water["lagd_id"], water["lagm_id"], water["lapf_id"]) == (1, 1, 1)


def test_water_connection_without_order_with_a_meter_writes_gsans_rows(
    gsan: gsan_core.System,
) -> None:
    """UC0579 (operation 882): the connection, the property's water
    situation and the meter's installation in one transaction."""
    meter_id = _meter(gsan)
    prop = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    stock = _row(gsan, "micromedicao.hidrometro", "hidr_id", meter_id)
    gsan.connections.connect_water_without_order(
        property_id=1000,
        data=WaterConnectionInput(
            connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
        ),
        actor=ACTOR,
        meter=MeterInstallation(
            hydrometer_id=meter_id, reading=10, place_id=1, protection_id=6
        ),
    )
    after = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    assert after["last_id"] == 3  # LIGADO, as GSAN's property screen shows
    assert _changed(prop, after) <= {
        "last_id",
        "imov_tmultimaalteracao",
        "gsan_core_version",
    }
    water = _row(gsan, "atendimentopublico.ligacao_agua", "lagu_id", 1000)
    assert water["lagu_dtligacaoagua"] == TODAY
    assert (water["lagd_id"], water["lagm_id"], water["lapf_id"]) == (1, 1, 1)
    installed = _row(gsan, "micromedicao.hidrometro", "hidr_id", meter_id)
    assert _changed(stock, installed) <= _mapped(gsan, "hydrometer")
    assert installed["hist_id"] != stock["hist_id"]  # INSTALADO
    history = _row(gsan, "micromedicao.hidrometro_inst_hist", "hidr_id", meter_id)
    assert (history["lagu_id"], history["medt_id"]) == (1000, 1)
    assert history["hidi_dtinstalacaohidrometro"] == TODAY
    assert history["hidi_nnleitinstalacaohidmt"] == 10
    assert history["hidi_dtretiradahidrometro"] is None
    # UC0368 by the property, no order: the record is corrected in place
    gsan.hydrometers.update_installation(
        property_id=1000,
        data=UpdateInstallation(place_id=2, seal="S123", stand=True),
        actor=ACTOR,
    )
    corrected = _row(gsan, "micromedicao.hidrometro_inst_hist", "hidr_id", meter_id)
    assert (corrected["hili_id"], corrected["hidi_nnselo"]) == (2, "S123")
    assert corrected["hidi_iccavalete"] == 1  # GSAN's 1: with a stand
    assert _changed(history, corrected) <= {
        "hili_id",
        "hidi_nnselo",
        "hidi_iccavalete",
        "hidi_tmultimaalteracao",
        "gsan_core_version",
    }


def test_sewer_connection_without_order_writes_gsans_rows(
    gsan: gsan_core.System,
) -> None:
    prop = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    gsan.connections.connect_sewer_without_order(
        property_id=1000,
        data=SewerConnectionInput(
            connected_on=TODAY,
            diameter_id=1,
            material_id=1,
            profile_id=1,
            grease_trap=True,
        ),
        actor=ACTOR,
    )
    after = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    assert after["lest_id"] == 3  # LIGADO
    assert _changed(prop, after) <= {
        "lest_id",
        "imov_tmultimaalteracao",
        "gsan_core_version",
    }
    sewer = _row(gsan, "atendimentopublico.ligacao_esgoto", "lesg_id", 1000)
    assert sewer["lesg_dtligacao"] == TODAY
    assert (sewer["legd_id"], sewer["legm_id"], sewer["lepf_id"]) == (1, 1, 1)


def test_without_the_billing_schedule_the_field_lock_check_refuses(
    legacy: LegacyBackend,
) -> None:
    """A database without GSAN's billing schedule cannot tell whether a
    property is in the field: the operations that check it say so."""
    with legacy.engine.begin() as c:
        seed_property(c, 1000, water=2, sewer=1)
    gsan = _system(legacy)
    with pytest.raises(ConfigurationError) as refused:
        gsan.connections.connect_sewer_without_order(
            property_id=1000,
            data=SewerConnectionInput(
                connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
            ),
            actor=ACTOR,
        )
    assert refused.value.code == "configuration.feature_unavailable"


@pytest.mark.parametrize("how", ["close_not_executed", "change_situation"])
def test_an_operation_closing_an_order_is_refused_and_writes_nothing(
    gsan: gsan_core.System, how: str
) -> None:
    """Closing an order (with the connection operations its type runs, here
    Alterar Situação, UC0555) writes the order and its trail: phase 2,
    ``configuration.read_only``, with nothing written."""
    engine: sa.Engine = gsan.backend.engine
    with engine.begin() as c:
        ensure_row(
            c,
            "atendimentopublico.ordem_servico",
            {"orse_id": 55, "imov_id": 1000, "svtp_id": 1004, "orse_cdsituacao": 1},
        )
    prop = _row(gsan, "cadastro.imovel", "imov_id", 1000)
    order = _row(gsan, "atendimentopublico.ordem_servico", "orse_id", 55)

    def close() -> object:
        if how == "close_not_executed":
            return gsan.service_orders.close_not_executed(
                order_id=55, reason_id=2, closed_on=TODAY, actor=ACTOR
            )
        return gsan.connections.change_situation(
            order_id=55,
            data=ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2),
            actor=ACTOR,
        )

    with pytest.raises(ConfigurationError) as refused:
        close()
    assert refused.value.code == "configuration.read_only"
    assert "phase 2" in str(refused.value)
    assert _row(gsan, "cadastro.imovel", "imov_id", 1000) == prop
    assert _row(gsan, "atendimentopublico.ordem_servico", "orse_id", 55) == order


def test_the_promotion_batch_connects_properties_under_analysis(
    gsan: gsan_core.System,
) -> None:
    """UC0823 (``water.promote_analysis``), set-based on GSAN's tables."""
    engine: sa.Engine = gsan.backend.engine
    with engine.begin() as c:
        seed_property(c, 1001, water=4, sewer=1)
        ensure_row(c, "atendimentopublico.ligacao_agua", {"lagu_id": 1001})
    prop = _row(gsan, "cadastro.imovel", "imov_id", 1001)
    summary = gsan.connections.promote_connected_under_analysis(actor=ACTOR)
    assert summary.changed == 1
    after = _row(gsan, "cadastro.imovel", "imov_id", 1001)
    assert after["last_id"] == 3
    assert _changed(prop, after) <= {
        "last_id",
        "imov_tmultimaalteracao",
        "gsan_core_version",
    }
    assert _row(gsan, "cadastro.imovel", "imov_id", 1000)["last_id"] == 2


def test_the_reconnection_batch_reconnects_cut_properties_with_real_consumption(
    gsan: gsan_core.System,
) -> None:
    """UC1073 (``water.reconnect_by_consumption``): GSAN's consumption history
    says which cut properties consumed; they are reconnected today."""
    engine: sa.Engine = gsan.backend.engine
    with engine.begin() as c:
        for ident, billed in ((1002, 12), (1003, 0)):
            seed_property(c, ident, water=5, sewer=1)
            ensure_row(
                c,
                "atendimentopublico.ligacao_agua",
                {"lagu_id": ident, "lagu_dtcorte": date(2024, 1, 10)},
            )
            ensure_row(
                c,
                "micromedicao.consumo_historico",
                {
                    "cshi_id": ident,
                    "imov_id": ident,
                    "lgti_id": 1,
                    "cshi_amfaturamento": 202412,
                    "cstp_id": 1,
                    "cshi_nnconsumofaturadomes": billed,
                },
            )
    water = _row(gsan, "atendimentopublico.ligacao_agua", "lagu_id", 1002)
    summary = gsan.connections.reconnect_cut_with_real_consumption(
        reference=202412, actor=ACTOR
    )
    assert (summary.processed, summary.changed) == (2, 1)
    assert _row(gsan, "cadastro.imovel", "imov_id", 1002)["last_id"] == 3
    assert _row(gsan, "cadastro.imovel", "imov_id", 1003)["last_id"] == 5
    after = _row(gsan, "atendimentopublico.ligacao_agua", "lagu_id", 1002)
    assert after["lagu_dtreligacaoagua"] == TODAY
    assert _changed(water, after) <= {
        "lagu_dtreligacaoagua",
        "lagu_tmultimaalteracao",
        "gsan_core_version",
    }
