"""The scenario builders (every backend) and the pytest plugin's fixtures."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

import gsan_core
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import RequestSituation
from gsan_core.testing import DEFAULT_NOW, FixedClock, Scenario


def test_a_property_in_a_named_situation_with_meter_and_bills(
    system: gsan_core.System,
) -> None:
    given = Scenario(system)
    home = given.property(
        water="CORTADO", sewer="connected", meter=True, overdue_bills=2
    )
    assert (home.water_status_id, home.sewer_status_id) == (5, 3)
    water = system.connections.water_connection(home.id)
    assert water is not None
    assert water.cut_on is not None
    assert system.connections.sewer_connection(home.id) is not None
    installed = system.hydrometers.current_installation(
        property_id=home.id, point=MeasurementPoint.WATER_CONNECTION
    )
    assert installed is not None
    meter = system.hydrometers.get(installed.hydrometer_id)
    assert meter.situation_id in system.profile.ids("hydrometer_situation.installed")
    with system.uow_factory() as uow:
        debts = uow.billing.open_debts_of({home.id})[home.id]
    assert len(debts) == 2
    assert all(d.due_date is not None and d.due_date < system.today() for d in debts)
    bare = given.property(water="water_status.potential", id=424242)
    assert bare.id == 424242
    assert system.connections.water_connection(bare.id) is None


def test_a_meter_in_stock_an_order_by_role_a_request_and_a_team(
    system: gsan_core.System,
) -> None:
    given = Scenario(system)
    meter = given.meter(location="ALMOXARIFADO CENTRAL")
    assert meter.location_id == 1
    assert system.hydrometers.stock(location_id=1)[(1, "DISPONÍVEL")] == 1
    order = given.order("cut_order")
    assert order.service_type_id in system.profile.ids("service_type.cut_order")
    assert order.situation is OrderSituation.PENDING
    assert order.current_unit_id == given.place.office
    opened = given.request("VAZAMENTO NO RAMAL")
    assert opened.request.situation is RequestSituation.PENDING
    assert opened.order is not None
    assert opened.request.current_unit_id == given.place.call_centre
    sewer = given.request("DESOBSTRUCAO DE RAMAL")  # another group, routed too
    assert sewer.request.situation is RequestSituation.PENDING
    team = given.team()
    assert team.unit_id == given.place.office
    assert [c.employee_id for c in team.components] == [given.place.technician]


def test_unknown_names_say_what_was_looked_for(system: gsan_core.System) -> None:
    given = Scenario(system)
    with pytest.raises(LookupError, match="no water_status named 'MOLHADO'"):
        given.property(water="MOLHADO")
    with pytest.raises(LookupError, match="no service type named 'nada'"):
        given.order("nada")
    with pytest.raises(LookupError, match="no request specification"):
        given.request("NADA")


def test_two_scenarios_share_one_place(system: gsan_core.System) -> None:
    first = Scenario(system)
    first.property()
    second = Scenario(system)
    assert second.property(water=3).locality_id == first.place.locality
    assert len(system.properties.find_by()) == 2


# ---------------------------------------------------------------- the plugin
def test_plugin_memory_system_and_clock(
    gsan: gsan_core.System, gsan_clock: FixedClock, gsan_scenario: Scenario
) -> None:
    assert gsan.clock.source is gsan_clock
    assert gsan.clock.now() == DEFAULT_NOW
    assert gsan.catalog.get("water_status", 3).description == "LIGADO"
    assert gsan.events == ()
    gsan_clock.advance(timedelta(days=1))
    assert gsan.today() == (DEFAULT_NOW + timedelta(days=1)).date()
    assert gsan_scenario.system is gsan
    assert gsan_scenario.property().id in {p.id for p in gsan.properties.find_by()}


def test_plugin_systems_are_fresh_per_test(gsan: gsan_core.System) -> None:
    assert gsan.properties.find_by() == []


def test_plugin_sqlite_system(gsan_sqlite: gsan_core.System) -> None:
    assert gsan_sqlite.catalog.get("water_status", 3).description == "LIGADO"
    home = Scenario(gsan_sqlite).property(water="LIGADO")
    assert gsan_sqlite.properties.get(home.id).water_status_id == 3


@pytest.mark.postgres
def test_plugin_postgres_system(gsan_postgres: gsan_core.System) -> None:
    assert gsan_postgres.catalog.get("water_status", 3).description == "LIGADO"
    assert Scenario(gsan_postgres).order("cut_order").id > 0


@pytest.mark.parametrize("gsan_profile", ["cagepa"])
def test_plugin_profile_is_a_fixture(gsan: gsan_core.System) -> None:
    assert gsan.profile.name == "cagepa"


def test_the_plugin_imports_without_sqlalchemy_or_hypothesis() -> None:
    code = (
        "import sys\n"
        "sys.modules['sqlalchemy'] = None\n"
        "sys.modules['hypothesis'] = None\n"
        "import gsan_core.testing.pytest_plugin\n"
        "import gsan_core.testing.templates\n"
        "from gsan_core.testing import Scenario\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.stdout == "ok\n", done.stderr
