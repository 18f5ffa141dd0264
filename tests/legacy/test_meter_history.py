"""The meter history on GSAN's tables: what GSAN sees, what GSAN wrote, I-9."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConcurrencyConflict, ConfigurationError, RuleViolation
from gsan_core.model.hydrometers import (
    HydrometerInstallation,
    HydrometerMovement,
    InstallationOrigin,
    MeasurementPoint,
)
from tests.legacy.support import ensure_row, seed_property, seed_water_connection

pytestmark = pytest.mark.postgres
Run = Callable[..., Any]
AT = datetime(2025, 1, 6, 9, 30, tzinfo=timezone(timedelta(hours=-3)))
BELEM = ZoneInfo("America/Belem")


def _installation(ident: int, **changes: Any) -> HydrometerInstallation:
    base = HydrometerInstallation(
        id=ident,
        hydrometer_id=1,
        property_id=1000,
        point=MeasurementPoint.WATER_CONNECTION,
        installed_on=date(2024, 6, 1),
        installation_reading=12,
        registered_at=AT,
        origin=InstallationOrigin.REPLACEMENT,
        place_id=1,
        protection_id=6,
        stand=True,
        tamper_seal="L1",
        installed_by=3,
    )
    return attrs.evolve(base, **changes)


@pytest.fixture
def meters(legacy: LegacyBackend) -> LegacyBackend:
    """Property 1000 with its water connection, and meters 1 and 2 (GSAN's)."""
    with legacy.engine.begin() as connection:
        seed_property(connection, 1000)
        seed_water_connection(connection, 1000)
        for ident in (1, 2):
            ensure_row(
                connection,
                "micromedicao.hidrometro",
                {"hidr_id": ident, "hidr_nnhidrometro": f"A24A00000{ident}"},
            )
    return legacy


def test_an_installation_is_written_as_gsan_writes_it(
    meters: LegacyBackend, run_sql: Run
) -> None:
    """I-9's record as GSAN's screens read it: the connection names a water
    meter, the property a well's; 1/2 flags; the registration as a date."""
    well = _installation(
        2, hydrometer_id=2, point=MeasurementPoint.WELL, stand=False, tamper_seal=None
    )
    with meters.uow_factory() as uow:
        uow.hydrometer_installations.add_many([_installation(1), well])
        uow.commit()
    rows = {
        r["hidi_id"]: dict(r)
        for r in run_sql(
            "SELECT * FROM micromedicao.hidrometro_inst_hist ORDER BY hidi_id"
        ).mappings()
    }
    assert (rows[1]["lagu_id"], rows[1]["imov_id"], rows[1]["medt_id"]) == (
        1000,
        None,
        1,
    )
    assert (rows[2]["lagu_id"], rows[2]["imov_id"], rows[2]["medt_id"]) == (
        None,
        1000,
        2,
    )
    assert (rows[1]["hidi_iccavalete"], rows[2]["hidi_iccavalete"]) == (1, 2)
    assert rows[1]["hidi_icinstalacaosubstituicao"] == 2
    assert rows[1]["hidi_dtinstalacaohidmtsistema"] == date(2025, 1, 6)
    assert rows[1]["hidi_nnlacre"] == "L1        "  # char(10)
    assert rows[1]["hidi_tmultimaalteracao"] is not None
    with meters.uow_factory() as uow:
        history = uow.hydrometer_installations
        assert history.get(1) == _installation(1)
        assert history.get(2) == well
        # what the services filter on (a meter's records, a property's)
        assert history.count_by(hydrometer_id=2) == 1
        assert history.find_by(property_id=1000, point=MeasurementPoint.WELL) == [well]
        assert history.find_by(property_id=[1000], removed_on=None) == [
            _installation(1),
            well,
        ]


def test_a_removal_is_a_compare_and_set_that_gsan_trips(
    meters: LegacyBackend, run_sql: Run
) -> None:
    with meters.uow_factory() as uow:
        uow.hydrometer_installations.add(_installation(1))
        uow.commit()
    removed = _installation(
        1, removed_on=date(2024, 9, 1), removal_reading=80, removed_by=4, version=2
    )
    with meters.uow_factory() as uow:
        uow.hydrometer_installations.update(removed)
        uow.commit()
    # GSAN's own full-row update bumps the version through the trigger
    run_sql(
        "UPDATE micromedicao.hidrometro_inst_hist SET hidi_ictrocaprotecao = 1"
        " WHERE hidi_id = 1"
    )
    with meters.uow_factory() as uow:
        with pytest.raises(ConcurrencyConflict):
            uow.hydrometer_installations.update(attrs.evolve(removed, version=3))
        uow.rollback()
    with meters.uow_factory() as uow:
        current = uow.hydrometer_installations.get(1)
    assert current.removed_on == date(2024, 9, 1)
    assert current.version == 3
    row = run_sql(
        "SELECT hidi_ictrocaprotecao FROM micromedicao.hidrometro_inst_hist"
    ).scalar_one()
    assert row == 1


def test_rows_gsan_wrote_read_with_what_gsan_stores(
    meters: LegacyBackend, run_sql: Run
) -> None:
    run_sql(
        "INSERT INTO micromedicao.hidrometro_inst_hist (hidi_id, hidr_id,"
        " hidi_dtinstalacaohidrometro, medt_id, hili_id, hipr_id,"
        " hidi_nnleitinstalacaohidmt, hidi_dtinstalacaohidmtsistema, lagu_id,"
        " usur_idinstalacao) VALUES (77, 1, '2023-02-01', 1, 1, 1, 5,"
        " '2023-02-02', 1000, 3)"
    )
    run_sql(
        "INSERT INTO micromedicao.hidrometro_movimentacao (himv_id,"
        " himv_dtmovimentacao, himv_hrmovimentacao, himm_id,"
        " hila_idhidmtlocalarmzorigem, hila_idhidmtlocalarmzdest, usur_id,"
        " himv_tmultimaalteracao) VALUES (88, '2023-03-01', '14:15', 1, 1, 2, 5,"
        " '2023-03-01 14:16')"
    )
    run_sql(
        "INSERT INTO micromedicao.hidrometro_movimentado (himv_id, hidr_id)"
        " VALUES (88, 1), (88, 2)"
    )
    with meters.uow_factory() as uow:
        installed = uow.hydrometer_installations.current(
            property_id=1000, point=MeasurementPoint.WATER_CONNECTION
        )
        movement = uow.hydrometer_movements.get(88)
    assert installed is not None
    assert installed.id == 77
    assert installed.origin is InstallationOrigin.INSTALLATION
    assert installed.registered_at == datetime(2023, 2, 2, tzinfo=BELEM)
    assert movement.moved_at == datetime.combine(date(2023, 3, 1), time(14, 15), BELEM)
    assert (movement.count, movement.origin_id, movement.destination_id) == (2, 1, 2)
    assert movement.situation_id == meters.profile.movement_situation_id
    assert movement.registered_at == datetime(2023, 3, 1, 14, 16, tzinfo=BELEM)


def test_a_movement_from_nowhere_keeps_gsans_not_null_origin(
    meters: LegacyBackend, run_sql: Run
) -> None:
    movement = HydrometerMovement(
        id=5,
        moved_at=AT,
        reason_id=1,
        origin_id=None,
        destination_id=3,
        situation_id=3,
        count=1,
        actor=5,
        registered_at=AT,
    )
    with meters.uow_factory() as uow:
        uow.hydrometer_movements.add(movement)
        uow.hydrometer_movements.add_lines(5, [2])
        uow.commit()
    row = run_sql(
        "SELECT hila_idhidmtlocalarmzorigem, himv_dtmovimentacao, himv_hrmovimentacao"
        " FROM micromedicao.hidrometro_movimentacao WHERE himv_id = 5"
    ).one()
    assert tuple(row) == (3, date(2025, 1, 6), time(9, 30))
    with meters.uow_factory() as uow:
        assert uow.hydrometer_movements.get(5) == movement
        assert uow.hydrometer_movements.search(limit=5, location_id=1) == []


def test_two_writers_cannot_open_one_point_twice(meters: LegacyBackend) -> None:
    """I-9 without a unique index: the second writer waits on the point's
    advisory lock and then sees the first one's record."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def install(ident: int, meter: int) -> None:
        try:
            with meters.uow_factory() as uow:
                barrier.wait()
                uow.hydrometer_installations.add(
                    _installation(ident, hydrometer_id=meter)
                )
                uow.commit()
        except RuleViolation as error:
            errors.append(error)

    threads = [threading.Thread(target=install, args=(i, i)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [e.code for e in errors] == ["hydrometer.install.point_has_meter"]  # type: ignore[attr-defined]
    with meters.uow_factory() as uow:
        assert (
            len(
                uow.hydrometer_installations.of_point(
                    property_id=1000, point=MeasurementPoint.WATER_CONNECTION
                )
            )
            == 1
        )


def test_the_history_is_read_only_without_the_locking(
    legacy_engine: Any,
) -> None:
    backend = LegacyBackend(legacy_engine)
    assert backend.read_only
    with backend.uow_factory() as uow:
        assert uow.hydrometer_installations.find(1) is None
        assert uow.hydrometer_movements.search(limit=3) == []
        with pytest.raises(ConfigurationError) as caught:
            uow.hydrometer_installations.add(_installation(1))
    assert caught.value.code == "configuration.read_only"
