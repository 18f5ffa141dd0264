"""The library beside GSAN on the same database (issue 19's coexistence)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.connections import SewerConnection, WaterConnection
from gsan_core.model.hydrometers import Hydrometer
from gsan_core.rules.service_requests.numbering import check_digit
from tests.legacy.support import seed_property

pytestmark = pytest.mark.postgres
Run = Callable[..., Any]


def _water(ident: int, **changes: Any) -> WaterConnection:
    base = WaterConnection(
        id=ident,
        connected_on=date(2024, 1, 10),
        implanted_on=date(2024, 1, 11),
        diameter_id=1,
        material_id=1,
        profile_id=1,
        seal_number="L-77",
        branch_depth=Decimal("0.80"),
    )
    return attrs.evolve(base, **changes)


def _row(run: Run, table: str, key: str, ident: int) -> dict[str, Any]:
    return dict(
        run(f"SELECT * FROM {table} WHERE {key} = :i", i=ident).mappings().one()
    )


@pytest.fixture
def connected(legacy: LegacyBackend, run_sql: Run) -> WaterConnection:
    """Property 1000 with a water connection written by the library."""
    with legacy.engine.begin() as connection:
        seed_property(connection, 1000, water=3)
    water = _water(1000)
    with legacy.uow_factory() as uow:
        uow.water_connections.add(water)
        uow.commit()
    return water


def test_a_written_connection_reads_back_equal(
    legacy: LegacyBackend, connected: WaterConnection, run_sql: Run
) -> None:
    with legacy.uow_factory() as uow:
        assert uow.water_connections.get(1000) == connected
    row = _row(run_sql, "atendimentopublico.ligacao_agua", "lagu_id", 1000)
    assert row["lagu_nnlacre"] == "L-77"
    assert row["lagd_id"] == 1
    assert row["gsan_core_version"] == 1


def test_no_column_outside_the_mapping_changes_after_a_library_write(
    legacy: LegacyBackend, connected: WaterConnection, run_sql: Run
) -> None:
    # GSAN's own columns the library does not map, set by GSAN
    run_sql(
        "UPDATE atendimentopublico.ligacao_agua SET lagu_icemissaocortesupressao = 1,"
        " eoct_id = NULL, hidi_id = NULL WHERE lagu_id = 1000"
    )
    run_sql("UPDATE cadastro.imovel SET imov_nnmorador = 4 WHERE imov_id = 1000")
    before = _row(run_sql, "atendimentopublico.ligacao_agua", "lagu_id", 1000)
    prop_before = _row(run_sql, "cadastro.imovel", "imov_id", 1000)
    with legacy.uow_factory() as uow:
        water = uow.water_connections.lock(1000)
        uow.water_connections.update(
            attrs.evolve(
                water, cut_on=date(2024, 5, 2), cut_type_id=1, version=water.version + 1
            )
        )
        prop = uow.properties.lock(1000)
        uow.properties.update(
            attrs.evolve(prop, water_status_id=5, version=prop.version + 1)
        )
        uow.commit()
    after = _row(run_sql, "atendimentopublico.ligacao_agua", "lagu_id", 1000)
    prop_after = _row(run_sql, "cadastro.imovel", "imov_id", 1000)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {
        "lagu_dtcorte",
        "cotp_id",
        "lagu_tmultimaalteracao",
        "gsan_core_version",
    }
    assert after["lagu_tmultimaalteracao"] > before["lagu_tmultimaalteracao"]
    assert after["lagu_icemissaocortesupressao"] == 1
    prop_changed = {k for k in prop_before if prop_before[k] != prop_after[k]}
    assert prop_changed == {"last_id", "imov_tmultimaalteracao", "gsan_core_version"}
    assert prop_after["imov_nnmorador"] == 4


def test_a_gsan_full_row_update_makes_the_next_compare_and_set_conflict(
    legacy: LegacyBackend, connected: WaterConnection, run_sql: Run
) -> None:
    with legacy.uow_factory() as uow:
        read = uow.water_connections.get(1000)
    # Hibernate's update: every mapped column, its stamp check, no version column
    run_sql(
        "UPDATE atendimentopublico.ligacao_agua SET lagu_dtligacaoagua ="
        " lagu_dtligacaoagua, lagd_id = lagd_id, lagm_id = lagm_id,"
        " lagu_nnlacre = 'GSAN', lagu_tmultimaalteracao = now()"
        " WHERE lagu_id = 1000 AND lagu_tmultimaalteracao = lagu_tmultimaalteracao"
    )
    with legacy.uow_factory() as uow, pytest.raises(ConcurrencyConflict) as caught:
        uow.water_connections.update(
            attrs.evolve(read, seal_number="LIB", version=read.version + 1)
        )
    assert caught.value.code == "concurrency_conflict"
    assert (
        _row(run_sql, "atendimentopublico.ligacao_agua", "lagu_id", 1000)[
            "lagu_nnlacre"
        ]
        == "GSAN"
    )


def test_a_gsan_stampless_bulk_update_makes_the_next_compare_and_set_conflict(
    legacy: LegacyBackend, connected: WaterConnection, run_sql: Run
) -> None:
    with legacy.uow_factory() as uow:
        read = uow.properties.get(1000)
    # a batch that touches neither the stamp nor the version
    run_sql("UPDATE cadastro.imovel SET imov_nnmorador = 9 WHERE loca_id = 1")
    with legacy.uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.properties.update(
            attrs.evolve(read, water_status_id=5, version=read.version + 1)
        )
    assert _row(run_sql, "cadastro.imovel", "imov_id", 1000)["last_id"] == 3


def test_ids_interleave_with_gsans_own_nextval(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    seen: list[int] = []
    for _ in range(3):
        seen += legacy.ids.next_ids("hydrometer", 2)
        seen.append(
            run_sql("SELECT nextval('micromedicao.seq_hidrometro')").scalar_one()
        )
    assert seen == sorted(seen)
    assert len(set(seen)) == len(seen) == 9
    # property ids carry GSAN's modulo-11 check digit
    ident = legacy.ids.next_id("property")
    assert ident % 10 == check_digit(ident // 10)
    assert run_sql("SELECT last_value FROM cadastro.seq_imovel").scalar_one() == (
        ident // 10
    )


def test_two_concurrent_writers_lose_no_update(
    legacy: LegacyBackend, connected: WaterConnection
) -> None:
    rounds, writers = 15, 2
    conflicts: list[int] = []

    def work() -> None:
        done = 0
        while done < rounds:
            try:
                with legacy.uow_factory() as uow:
                    water = uow.water_connections.get(1000)  # no lock: CAS decides
                    uow.water_connections.update(
                        attrs.evolve(
                            water,
                            minimum_consumption=(water.minimum_consumption or 0) + 1,
                            version=water.version + 1,
                        )
                    )
                    uow.commit()
                done += 1
            except ConcurrencyConflict:
                conflicts.append(1)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with legacy.uow_factory() as uow:
        final = uow.water_connections.get(1000)
    assert final.minimum_consumption == rounds * writers
    assert final.version == 1 + rounds * writers


def test_sewer_flags_are_gsans_1_2_and_extra_fields_go_to_the_companion(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    with legacy.engine.begin() as connection:
        seed_property(connection, 2000, sewer=3)
    sewer = SewerConnection(
        id=2000,
        connected_on=date(2024, 2, 1),
        diameter_id=1,
        material_id=1,
        profile_id=1,
        grease_trap=True,
        connection_indicator=False,
        previous_status_id=2,
        request_id=55,
    )
    with legacy.uow_factory() as uow:
        uow.sewer_connections.add(sewer)
        uow.commit()
    row = _row(run_sql, "atendimentopublico.ligacao_esgoto", "lesg_id", 2000)
    assert (row["lesg_iccaixagordura"], row["lesg_icligacaoesgoto"]) == (1, 2)
    assert row["lesg_pccoleta"] == Decimal(100)
    extra = _row(run_sql, "gsan_core.sewer_connection_extra", "lesg_id", 2000)
    assert (extra["previous_status_id"], extra["request_id"]) == (2, 55)
    with legacy.uow_factory() as uow:
        assert uow.sewer_connections.get(2000) == sewer
        uow.sewer_connections.update(
            attrs.evolve(sewer, grease_trap=False, request_id=56, version=2)
        )
        uow.commit()
    with legacy.uow_factory() as uow:
        again = uow.sewer_connections.get(2000)
        assert (again.grease_trap, again.request_id, again.version) == (False, 56, 2)
        uow.sewer_connections.remove(again)
        uow.commit()
    assert (
        run_sql("SELECT count(*) FROM gsan_core.sewer_connection_extra").scalar_one()
        == 0
    )


def test_a_meter_round_trips_with_its_defaults_and_companion_field(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    with legacy.uow_factory() as uow:
        ident = uow.next_id("hydrometer")
        meter = Hydrometer(
            id=ident,
            number="A12B345678",
            acquired_on=date(2023, 3, 1),
            manufacture_year=2022,
            reading_digits=5,
            type_id=1,
            situation_id=1,
            brand_id=1,
            capacity_id=1,
            diameter_id=1,
            metrological_class_id=1,
            location_id=1,
            turbine_type_id=7,
        )
        uow.hydrometers.add(meter)
        uow.commit()
    row = _row(run_sql, "micromedicao.hidrometro", "hidr_id", ident)
    assert row["hidr_icoperacional"] == 2  # the profile's NOT NULL default
    assert row["hidr_icmacro"] == 2
    assert isinstance(row["hidr_tmultimaalteracao"], datetime)
    with legacy.uow_factory() as uow:
        assert uow.hydrometers.find_by_number("A12B345678") == meter
        moved = attrs.evolve(meter, location_id=2, situation_id=2, version=2)
        uow.hydrometers.update(moved)
        uow.commit()
    with legacy.uow_factory() as uow:
        assert uow.hydrometers.get(ident) == moved
        assert uow.hydrometers.numbers_between("A12B000000", "A12B999999") == [
            "A12B345678"
        ]
