"""FIS-13: the inspection debts valued from billing's consumption history
(calculation codes 2, 3, 5 and 6) and the codes GSAN charges nothing for (0,
7-9), through the public face on every backend (``informarRetornoOSFiscalizacao``
7.1.2-7.1.6 of GSAN's ``ControladorOrdemServicoSEJB``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.billing import CategoryTariff, Tariff, TariffRange
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.inspections import SituationFound
from gsan_core.model.service_orders import ServiceType
from gsan_core.services.hydrometers import install_in
from gsan_core.testing.hydrometers import METER
from tests.services.connections_setup import ACTOR, add_property, order_for, town

INSPECTION = 980
FINE_TYPE = 7
TARIFF = 2


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    """The connections' town, an inspection type, a tariff in force (10 m³
    minimum for 20.00, 3.00 per m³ above) and six meters in stock."""
    town(system)
    system.service_orders.add_types(
        [
            ServiceType(
                id=INSPECTION,
                description="FISCALIZACAO DE INFRACAO",
                abbreviation="FISC INFR",
                infraction_inspection=True,
            )
        ],
        actor=0,
    )
    part = CategoryTariff(
        category_id=1,
        minimum_volume=10,
        minimum_value=Decimal("20.00"),
        ranges=[TariffRange(start=10, price=Decimal("3.00"))],
    )
    system.billing.record_tariffs(
        [
            Tariff(
                id=1,
                tariff_id=TARIFF,
                valid_from=system.today() - timedelta(days=30),
                categories=[part],
            )
        ]
    )
    system.hydrometers.insert_range(
        fixed="B24A", first=1, last=6, attributes=METER, location_id=1, actor=0
    )
    return system


def _charged_situation(
    gsan: gsan_core.System, calculation: int, *, bill_months: int | None = None
) -> int:
    """A situation charged by ``calculation``; with ``bill_months``, water and
    sewer matrix rows for the connected (3) and cut (5) situations naming them."""
    situation = gsan.catalog.add(
        "inspection_situation",
        description=f"SITUACAO {calculation} {bill_months}",
        attributes={},
        actor=0,
    )
    gsan.catalog.add(
        "inspection_charge",
        description=f"DEBITO {calculation}",
        attributes={
            "situation_id": situation.id,
            "debit_type_id": FINE_TYPE,
            "calculation": calculation,
        },
        actor=0,
    )
    if bill_months is not None:
        for kind, status_id in (
            ("inspection_water_effect", 5),
            ("inspection_sewer_effect", 3),
        ):
            gsan.catalog.add(
                kind,
                description=f"MESES {kind}",
                attributes={
                    "situation_id": situation.id,
                    "status_id": status_id,
                    "bill_months": bill_months,
                },
                actor=0,
            )
    return situation.id


def _history(
    gsan: gsan_core.System, pid: int, volumes: dict[int, int], minimum: int | None
) -> None:
    gsan.billing.record_consumption(
        ConsumptionRecord(
            property_id=pid,
            reference=month,
            consumption_type_id=1,
            billed_volume=volume,
            minimum=minimum,
        )
        for month, volume in volumes.items()
    )


def _inform(gsan: gsan_core.System, pid: int, situation_id: int) -> list[Decimal]:
    gsan.inspections.inform_return(
        order_id=order_for(gsan, INSPECTION, pid).id,
        found=[
            SituationFound(
                situation_id=situation_id, found_on=gsan.today(), charge=True
            )
        ],
        actor=ACTOR,
    )
    return [c.total for c in gsan.billing.charges(pid)]


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def test_fis_13_code_2_greater_of_measured_and_non_measured_average(
    gsan: gsan_core.System,
) -> None:
    """FIS-13 code 2: the water (no sewer connection) of the greater of the
    average billed volume and the non-measured average (billing's minimum
    consumption, else the tariff's minimum volume)."""
    situation_id = _charged_situation(gsan, 2)
    for pid, volumes, minimum in (
        (600, {202405: 8, 202406: 8}, 12),
        (601, {202405: 28, 202406: 32}, 12),
        (602, {}, None),
    ):
        add_property(gsan, pid, 3, consumption_tariff_id=TARIFF)
        _history(gsan, pid, volumes, minimum)
    assert _inform(gsan, 600, situation_id) == [Decimal("26.00")]  # 12 m3
    assert _inform(gsan, 601, situation_id) == [Decimal("80.00")]  # 30 m3
    assert _inform(gsan, 602, situation_id) == [Decimal("20.00")]  # 10 m3


def test_fis_13_code_3_months_since_the_meter_less_what_they_billed(
    gsan: gsan_core.System,
) -> None:
    """FIS-13 code 3: over the months since the meter was installed (at most
    the averaged months), the value at the greater of the non-measured average
    and the highest billed volume less the value of each month's billed volume;
    a property without a meter on its water connection is refused."""
    situation_id = _charged_situation(gsan, 3)
    today = gsan.today()
    add_property(gsan, 610, 3, consumption_tariff_id=TARIFF)
    _history(gsan, 610, {202405: 12, 202406: 15, 202407: 30}, 10)
    meter_id = next(
        m.id for m in gsan.hydrometers.in_range(fixed="B24A", first=1, last=1)
    )
    with gsan.uow_factory() as uow:
        install_in(
            uow,
            profile=gsan.profile,
            property_id=610,
            point=MeasurementPoint.WATER_CONNECTION,
            installed_on=_months_back(today, 2),
            reading=0,
            place_id=1,
            protection_id=6,
            actor=0,
            at=gsan.clock.now(),
            hydrometer_id=meter_id,
        )
        uow.commit()
    # top 30 m3 = 80.00; the 2 newest months: (80 - 80) + (80 - 35)
    assert _inform(gsan, 610, situation_id) == [Decimal("45.00")]
    add_property(gsan, 611, 3, consumption_tariff_id=TARIFF)
    with pytest.raises(RuleViolation) as refused:
        _inform(gsan, 611, situation_id)
    (violation,) = refused.value.violations
    assert (violation.code, violation.rule, violation.gsan_key) == (
        "inspection.no_meter",
        "FIS-13",
        "atencao.imovel_ligacao_agua_sem_hidrometro",
    )


def test_fis_13_code_5_water_months_factor(gsan: gsan_core.System) -> None:
    """FIS-13 code 5: code 2's value times the water matrix row's months, else
    the whole months since the cut."""
    configured = _charged_situation(gsan, 5, bill_months=3)
    plain = _charged_situation(gsan, 5)
    today = gsan.today()
    cut = {"cut_on": _months_back(today, 4)}
    for pid in (620, 621):
        add_property(gsan, pid, 5, consumption_tariff_id=TARIFF, water_changes=cut)
    assert _inform(gsan, 620, configured) == [Decimal("60.00")]  # 20.00 x 3
    assert _inform(gsan, 621, plain) == [Decimal("80.00")]  # 20.00 x 4 months


def test_fis_13_code_6_sewer_months_factor(gsan: gsan_core.System) -> None:
    """FIS-13 code 6: code 2's water and sewer times the sewer matrix row's
    months, else once."""
    configured = _charged_situation(gsan, 6, bill_months=2)
    plain = _charged_situation(gsan, 6)
    for pid in (630, 631):
        add_property(gsan, pid, 3, 3, consumption_tariff_id=TARIFF)
    # 10 m3: 20.00 water + 100 % sewer
    assert _inform(gsan, 630, configured) == [Decimal("80.00")]
    assert _inform(gsan, 631, plain) == [Decimal("40.00")]


def test_fis_13_codes_7_8_9_charge_nothing(gsan: gsan_core.System) -> None:
    """FIS-13: GSAN's return has no branch for the codes 7-9: no debt."""
    for offset, code in enumerate((7, 8, 9)):
        pid = 640 + offset
        add_property(gsan, pid, 3, consumption_tariff_id=TARIFF)
        assert _inform(gsan, pid, _charged_situation(gsan, code)) == []
