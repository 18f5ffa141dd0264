"""Reads of GSAN rows written by GSAN; the history and outbox in the companion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile, codecs
from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    NotFound,
)
from gsan_core.model.connections import ConnectionKind, SituationChange
from gsan_core.model.properties import Economies, PropertyChanged
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres
Run = Callable[..., Any]


def test_a_property_written_by_gsan_reads_with_categories_and_situations(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    with legacy.engine.begin() as connection:
        seed_property(connection, 1234, water=3, sewer=1)
        ensure_row(
            connection,
            "cadastro.imovel_cobranca_situacao",
            {"iscb_id": 1, "imov_id": 1234, "cbst_id": 4},
        )
        ensure_row(
            connection,
            "cadastro.imovel_cobranca_situacao",
            {
                "iscb_id": 2,
                "imov_id": 1234,
                "cbst_id": 5,
                "iscb_dtretiradacobranca": date(2021, 1, 1),
            },
        )
    run_sql("UPDATE cadastro.imovel SET imov_icexclusao = NULL WHERE imov_id = 1234")
    with legacy.uow_factory() as uow:
        prop = uow.properties.get(1234)
        assert uow.properties.get_many([1234, 9]) == {1234: prop}
        with pytest.raises(NotFound):
            uow.properties.get(9)
    assert (prop.water_status_id, prop.sewer_status_id) == (3, 1)
    assert prop.categories == (Economies(category_id=1, subcategory_id=10, count=2),)
    assert prop.collection_situation_ids == frozenset({4})
    assert prop.active  # GSAN leaves imov_icexclusao NULL on active properties
    run_sql("UPDATE cadastro.imovel SET imov_icexclusao = 1 WHERE imov_id = 1234")
    with legacy.uow_factory() as uow:
        assert not uow.properties.get(1234).active


def test_the_situation_history_and_the_outbox_live_in_the_companion(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    at = datetime(2024, 5, 2, 14, 0, tzinfo=UTC)
    change = SituationChange(
        id=1,
        property_id=1000,
        kind=ConnectionKind.WATER,
        before_id=3,
        after_id=5,
        effective_on=date(2024, 5, 2),
        at=at,
        operation="water.cut",
        actor=7,
    )
    with legacy.uow_factory() as uow:
        uow.situation_history.add_many([change])
        uow.record(
            PropertyChanged(property_id=1000, version=2, actor=7, occurred_at=at)
        )
        uow.commit()
    with legacy.uow_factory() as uow:
        assert uow.situation_history.of_property(1000) == [change]
        assert uow.situation_history.between(
            date(2024, 5, 1), date(2024, 5, 31), kind=ConnectionKind.WATER
        ) == [change]
        assert not uow.situation_history.between(
            date(2024, 5, 1), date(2024, 5, 31), operations=["water.reconnection"]
        )
    tag, actor = run_sql("SELECT tag, actor FROM gsan_core.outbox").one()
    assert (tag, actor) == ("property.changed", 7)


def test_a_rolled_back_unit_of_work_leaves_nothing(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    with legacy.engine.begin() as connection:
        seed_property(connection, 1000)
    with legacy.uow_factory() as uow:
        prop = uow.properties.lock(1000)
        uow.properties.update(
            type(prop)(**{**_fields(prop), "water_status_id": 5, "version": 2})
        )
    assert (
        run_sql("SELECT last_id FROM cadastro.imovel WHERE imov_id = 1000").scalar_one()
        == 3
    )


def _fields(obj: Any) -> dict[str, Any]:
    import attrs  # noqa: PLC0415

    return attrs.asdict(obj, recurse=False)


def test_the_legacy_backend_needs_postgresql(tmp_path: Any) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(ConfigurationError):
        LegacyBackend(engine, LegacyProfile())


def test_codecs() -> None:
    encode, decode = codecs.flag()
    assert encode is not None
    assert decode is not None
    assert (encode(True), encode(False), encode(None)) == (1, 2, None)
    assert (decode(1), decode(2), decode(None)) == (True, False, False)
    _, strip = codecs.padded()
    assert strip is not None
    assert (strip("12   "), strip(None)) == ("12", None)
    to_db, from_db = codecs.local_time("America/Belem")
    assert to_db is not None
    assert from_db is not None
    aware = datetime(2024, 5, 2, 15, 0, tzinfo=UTC)
    naive = to_db(aware)
    assert naive == datetime(2024, 5, 2, 12, 0)  # noqa: DTZ001
    assert from_db(naive) == aware
    assert to_db(None) is None
    assert from_db(None) is None


def test_the_catalogue_reads_gsans_reference_tables(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    run_sql(
        "UPDATE atendimentopublico.ligacao_agua_situacao SET"
        " last_dsligacaoaguasituacao = 'CORTADO', last_dsabreviado = 'CT',"
        " last_icuso = 1 WHERE last_id = 5"
    )
    run_sql(
        "UPDATE atendimentopublico.ligacao_agua_situacao SET last_icuso = 2"
        " WHERE last_id = 9"
    )
    with legacy.uow_factory() as uow:
        cut = uow.catalog.get("water_status", 5)
        assert (cut.description, cut.abbreviation, cut.active) == (
            "CORTADO",
            "CT",
            True,
        )
        assert not uow.catalog.get("water_status", 9).active
        assert [i.id for i in uow.catalog.list("water_status")] == list(range(1, 10))
        assert 9 not in {
            i.id for i in uow.catalog.list("water_status", active_only=True)
        }
        found = uow.catalog.find_many(
            [("water_status", 5), ("cut_type", 1), ("cut_type", 99)]
        )
        assert set(found) == {("water_status", 5), ("cut_type", 1)}
        assert uow.catalog.find("cut_type", 99) is None
        with pytest.raises(NotFound):
            uow.catalog.get("cut_type", 99)
        with pytest.raises(DuplicateEntity):
            # GSAN's row is there (the writes: test_catalog_writes.py)
            uow.catalog.add(uow.catalog.get("cut_reason", 1))
        with pytest.raises(ConfigurationError):
            uow.catalog.list("no_such_kind")


def test_location_rows_read_from_gsans_cadastre(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    with legacy.engine.begin() as connection:
        seed_property(connection, 1000)
        ensure_row(
            connection,
            "micromedicao.rota",
            {"rota_id": 7, "stcm_id": 1, "rota_cdrota": 3, "cbgr_id": 2, "lttp_id": 1},
        )
    run_sql(
        "UPDATE cadastro.localidade SET loca_nmlocalidade = 'BELEM', loca_icuso = 1"
        " WHERE loca_id = 1"
    )
    # UC1176's location filters read the gerência regional and unidade de negócio
    with legacy.engine.connect() as connection:
        greg, uneg = connection.execute(
            sa.text(
                "SELECT greg_id, uneg_id FROM cadastro.localidade WHERE loca_id = 1"
            )
        ).one()
    run_sql("UPDATE cadastro.quadra SET qdra_icredeagua = 3, qdra_icredeesgoto = 2")
    with legacy.uow_factory() as uow:
        locality = uow.localities.get(1)
        assert (locality.name, locality.active) == ("BELEM", True)
        assert (locality.regional_management_id, locality.business_unit_id) == (
            greg,
            uneg,
        )
        block = uow.blocks.get(1)
        assert (block.locality_id, block.sector_id) == (1, 1)
        assert (block.water_network.name, block.sewer_network.name) == (
            "PARTIAL",
            "NETWORK",
        )
        route = uow.routes.get(7)
        assert (route.locality_id, route.sector_id, route.code, route.group_id) == (
            1,
            1,
            3,
            2,
        )
        assert uow.sectors.get(1).locality_id == 1
        assert list(uow.routes.get_many([7, 8])) == [7]
        # route 1 is the seeded block's
        assert [r.id for r in uow.routes.find_by(sector_id=1)] == [1, 7]
        with pytest.raises(NotFound):
            uow.localities.get(99)
        # an update carries the next version (the writes: test_registry_writes.py)
        with pytest.raises(ConcurrencyConflict):
            uow.localities.update(locality)


def test_units_read_with_gsans_flags(legacy: LegacyBackend, run_sql: Run) -> None:
    with legacy.engine.begin() as connection:
        ensure_row(
            connection,
            "cadastro.unidade_organizacional",
            {
                "unid_id": 20,
                "unid_dsunidade": "ATENDIMENTO",
                "unid_dssiglaunidade": "AT",
                "unid_ictramite": 1,
                "unid_icabertura": 2,
                "unid_iccentralatendimento": 1,
                "unid_ictarifasocial": 2,
                "unid_icesgoto": 2,
                "unid_icuso": 1,
            },
        )
    with legacy.uow_factory() as uow:
        unit = uow.units.get(20)
    assert (unit.name, unit.acronym) == ("ATENDIMENTO", "AT")
    assert (unit.accepts_routing, unit.may_open_requests, unit.call_centre) == (
        True,
        False,
        True,
    )
    assert (unit.social_tariff, unit.sewer, unit.active) == (False, False, True)
