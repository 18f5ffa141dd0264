"""Simular Cobrança de Serviços and the table of services' values (SIM-01,
SIM-02): the service orders' price lookup, read only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import ServiceType
from tests.services.test_accounts_customers import setup_counter

CHECK = 620  # AFERICAO DE HIDROMETRO, base value 45.50


@pytest.fixture
def gsan() -> gsan_core.System:
    system = gsan_core.in_memory()
    setup_counter(system)
    return system


def _price(gsan: gsan_core.System, value: str, *, metered: bool) -> None:
    gsan.service_orders.add_price(
        service_type_id=CHECK,
        value=Decimal(value),
        metered=metered,
        valid_from=date(2000, 1, 1),
        valid_until=date(2100, 12, 31),
        actor=1,
    )


def test_sim_01_the_simulation_prices_the_property_as_an_order_would(
    gsan: gsan_core.System,
) -> None:
    assert gsan.accounts.simulate_service_charge(
        property_id=1, service_type_id=CHECK
    ) == Decimal("45.50")  # no price row: the type's own value
    _price(gsan, "30.00", metered=False)
    _price(gsan, "52.00", metered=True)
    for point in MeasurementPoint:  # no meter at either point: the unmetered row
        assert gsan.accounts.simulate_service_charge(
            property_id=1, service_type_id=CHECK, measurement=point
        ) == Decimal("30.00")
    before = gsan.accounts.collection_documents(1)
    assert before == []  # nothing written


def test_sim_01_a_type_without_any_value_simulates_zero(gsan: gsan_core.System) -> None:
    gsan.service_orders.add_type(
        ServiceType(id=9901, description="SEM VALOR", abbreviation="SEM VALOR"),
        actor=0,
    )
    assert gsan.accounts.simulate_service_charge(
        property_id=1, service_type_id=9901
    ) == Decimal(0)


def test_sim_01_unknown_property_and_service_type_are_refused(
    gsan: gsan_core.System,
) -> None:
    with pytest.raises(RuleViolation) as refused:
        gsan.accounts.simulate_service_charge(property_id=999, service_type_id=98765)
    assert refused.value.codes == (
        "accounts.simulation.property_not_found",
        "accounts.simulation.service_type_not_found",
    )
    assert {v.rule for v in refused.value.violations} == {"SIM-01"}
    assert refused.value.messages("pt") == (
        "Matrícula inexistente.",
        "Tipo de Serviço inexistente.",
    )


def test_sim_02_the_table_lists_active_types_with_a_value_by_description(
    gsan: gsan_core.System,
) -> None:
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=9902,
                description="AAA GRATUITO",
                abbreviation="GRAT",
                value=Decimal(0),
            ),
            ServiceType(
                id=9903,
                description="AAA LIGACAO",
                abbreviation="LIG",
                value=Decimal("9"),
            ),
        ],
        actor=0,
    )
    table = gsan.accounts.service_table()
    assert table[0].id == 9903
    assert all(t.value is not None and t.value > 0 and t.active for t in table)
    assert [t.description for t in table] == sorted(t.description for t in table)
    assert 9902 not in {t.id for t in table}
    assert CHECK in {t.id for t in table}
