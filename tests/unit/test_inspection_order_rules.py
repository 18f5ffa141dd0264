"""The pure inspection rules (``gsan_core.rules.inspections``): the return's
checks, the charge multiplier and the expired notices."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from gsan_core.model.billing import CategoryTariff, Tariff, TariffRange
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InspectionFinding,
    NoticeSituation,
    SituationFound,
)
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.rules import inspections as rules

TODAY = date(2025, 1, 6)
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)
INSPECTION = ServiceType(
    id=1, description="FISC", abbreviation="FISC", infraction_inspection=True
)
ORDER = ServiceOrder(id=10, service_type_id=1, property_id=5, generated_at=AT)


def _situation(sid: int, **flags: bool | int) -> CatalogItem:
    return CatalogItem(
        kind="inspection_situation", id=sid, description=f"S{sid}", attributes=flags
    )


def _effect(kind: str, situation_id: int, status_id: int) -> CatalogItem:
    return CatalogItem(
        kind=kind,
        id=situation_id * 10 + status_id,
        description="E",
        attributes={"situation_id": situation_id, "status_id": status_id},
    )


def _check(
    situations: dict[int, CatalogItem], *ids: int, **options: object
) -> list[str]:
    found = [SituationFound(situation_id=i, found_on=TODAY) for i in ids]
    arguments: dict[str, object] = {
        "service_type": INSPECTION,
        "found": found,
        "situations": situations,
        "water_rows": [],
        "sewer_rows": [],
        "water_status_id": 3,
        "sewer_status_id": 3,
        "previous": [],
        "today": TODAY,
    }
    arguments.update(options)
    return [v.code for v in rules.check_return(ORDER, **arguments)]  # type: ignore[arg-type]


def test_fis_04_sewer_situation_must_match_the_matrix() -> None:
    """FIS-04: a situation validating the sewer situation needs a sewer matrix
    row for the property's current sewer situation."""
    situations = {1: _situation(1, validates_sewer=True)}
    assert _check(situations, 1) == ["inspection.sewer_incompatible"]
    rows = [_effect("inspection_sewer_effect", 1, 3)]
    assert _check(situations, 1, sewer_rows=rows) == []
    assert _check(situations, 1, sewer_rows=rows, sewer_status_id=5) == [
        "inspection.sewer_incompatible"
    ]


@pytest.mark.parametrize(
    ("flag", "rule", "key"),
    [
        ("validates_water", "FIS-05", "atencao.validar_situacao_ligacao_agua"),
        ("validates_sewer", "FIS-06", "atencao.validar_situacao_ligacao_esgoto"),
        ("changes_connection_date", "FIS-07", "atencao.alterar_ligacao_imovel"),
        (
            "validates_meter_capacity",
            "FIS-08",
            "atencao.validar_capacidade_hidrometro_imovel",
        ),
        ("controls_notices", "FIS-09", "atencao.controle_autos_infracao"),
    ],
)
def test_fis_05_06_07_08_09_one_situation_per_indicator(
    flag: str, rule: str, key: str
) -> None:
    """FIS-05..FIS-09: at most one selected situation carries each indicator."""
    situations = {1: _situation(1, **{flag: True}), 2: _situation(2, **{flag: True})}
    rows = [
        _effect("inspection_water_effect", 1, 3),
        _effect("inspection_water_effect", 2, 3),
    ]
    sewer = [
        _effect("inspection_sewer_effect", 1, 3),
        _effect("inspection_sewer_effect", 2, 3),
    ]
    violations = rules.check_return(
        ORDER,
        service_type=INSPECTION,
        found=[SituationFound(situation_id=i, found_on=TODAY) for i in (1, 2)],
        situations=situations,
        water_rows=rows,
        sewer_rows=sewer,
        water_status_id=3,
        sewer_status_id=3,
        previous=[],
        today=TODAY,
    )
    assert [(v.rule, v.gsan_key) for v in violations] == [(rule, key)]
    assert _check({1: situations[1]}, 1, water_rows=rows, sewer_rows=sewer) == []


def test_fis_10_unknown_or_inactive_situation_is_required() -> None:
    """FIS-10: every chosen situation is a known active one."""
    assert _check({}, 7) == ["inspection.situation_required"]


def test_fis_12_only_effect_free_findings_may_be_dropped() -> None:
    """FIS-12: a stored finding that changed the connection or was charged
    must stay in the return."""
    stored = [
        InspectionFinding(
            id=1,
            order_id=ORDER.id,
            situation_id=1,
            property_id=5,
            found_on=TODAY,
            operation="water.cut",
            actor=1,
            recorded_at=AT,
        ),
        InspectionFinding(
            id=2,
            order_id=ORDER.id,
            situation_id=2,
            property_id=5,
            found_on=TODAY,
            actor=1,
            recorded_at=AT,
        ),
    ]
    situations = {3: _situation(3)}
    assert _check(situations, 3, previous=stored) == ["inspection.finding_locked"]


def test_fis_13_charge_times_with_reincidence_and_cut_months() -> None:
    """FIS-13 (``calcularInserirValor``): the configured times, the reincidence
    times for a reincident property, capped by the months since the cut (at
    least once; GSAN's "no multiplication when equal" quirk is not copied)."""
    row = CatalogItem(
        kind="inspection_charge",
        id=1,
        description="M",
        attributes={"times": 2, "times_reincident": 4, "calculation": 10},
    )
    assert rules.charge_times(row, reincident=False, months_since_cut=None) == 2
    assert rules.charge_times(row, reincident=True, months_since_cut=None) == 4
    assert rules.charge_times(row, reincident=True, months_since_cut=3) == 3
    assert rules.charge_times(row, reincident=False, months_since_cut=2) == 2
    assert rules.charge_times(row, reincident=False, months_since_cut=0) == 1


def test_aut_05_expired_notices_after_the_grace_days() -> None:
    """AUT-05: only notices still in their appeal period whose deadline ended
    more than the grace days ago."""
    base = InfractionNotice(
        id=1,
        property_id=5,
        order_id=10,
        situation_id=3,
        employee_id=1,
        issued_on=date(2024, 12, 1),
        appeal_until=date(2025, 1, 1),
        actor=1,
    )
    judged = InfractionNotice(
        id=2,
        property_id=5,
        order_id=10,
        situation_id=3,
        situation=NoticeSituation.UNDER_REVIEW,
        employee_id=1,
        issued_on=date(2024, 12, 1),
        appeal_until=date(2025, 1, 1),
        actor=1,
    )
    assert rules.expired_notices([base, judged], today=TODAY, grace_days=0) == [base]
    assert rules.expired_notices([base], today=TODAY, grace_days=5) == []


def test_enc_04_only_infraction_inspections_wait() -> None:
    """ENC-04: an ordinary type never waits for a return."""
    plain = ServiceType(id=2, description="X", abbreviation="X")
    assert rules.check_close_inspection(ORDER, service_type=plain, findings=[]) == []
    assert [
        v.rule
        for v in rules.check_close_inspection(
            ORDER, service_type=INSPECTION, findings=[]
        )
    ] == ["ENC-04"]


def test_fis_11_notice_date_required_and_not_in_the_future() -> None:
    """FIS-11: the issue date is mandatory and not after today (AUT-02)."""
    missing = rules.check_notice(
        employee_id=1, issued_on=None, appeal_from=None, appeal_until=None, today=TODAY
    )
    assert [v.code for v in missing] == ["inspection.notice_required"]
    future = rules.check_notice(
        employee_id=1,
        issued_on=date(2025, 1, 7),
        appeal_from=None,
        appeal_until=None,
        today=TODAY,
    )
    assert [v.code for v in future] == ["inspection.notice_in_future"]


def test_fis_13_calculation_codes_without_consumption_give_no_value() -> None:
    """FIS-13: codes needing billing's consumption history are not valued."""
    row = CatalogItem(
        kind="inspection_charge", id=1, description="M", attributes={"calculation": 1}
    )
    assert rules.charge_value(row, order_price=None, suggested=None) is None


def test_fis_13_code_11_is_the_main_category_minimum_tariff() -> None:
    """FIS-13 code 11: the minimum value per economy of the main category,
    times the economies capped at four; nothing without a tariff or a part
    for the category."""
    tariff = Tariff(
        id=1,
        tariff_id=3,
        valid_from=date(2024, 1, 1),
        categories=[
            CategoryTariff(category_id=1, minimum_value=Decimal("12.50")),
            CategoryTariff(category_id=2, minimum_value=Decimal("30.00")),
        ],
    )
    assert rules.tariff_minimum(tariff, category_id=1, economies=2) == Decimal("25.00")
    assert rules.tariff_minimum(tariff, category_id=2, economies=9) == Decimal("120.00")
    assert rules.tariff_minimum(tariff, category_id=4, economies=1) is None
    assert rules.tariff_minimum(None, category_id=1, economies=1) is None
    row = CatalogItem(
        kind="inspection_charge", id=1, description="M", attributes={"calculation": 11}
    )
    value = rules.charge_value(
        row, order_price=Decimal(1), suggested=Decimal(2), minimum_tariff=Decimal(7)
    )
    assert value == Decimal(7)


def test_fis_13_code_1_values_the_average_consumption() -> None:
    """FIS-13 code 1: the average billed volume rounded HALF_UP to whole m³,
    shared by the economies, at the tariff; sewer at its percentage."""
    part = CategoryTariff(
        category_id=1,
        minimum_volume=10,
        minimum_value=Decimal("10.00"),
        ranges=[TariffRange(start=10, price=Decimal("2.00"))],
    )
    tariff = Tariff(id=1, tariff_id=3, valid_from=date(2024, 1, 1), categories=[part])
    value = rules.average_value(
        [15, 16], tariff, economies=[(1, 1)], sewer_percent=Decimal(50)
    )
    assert value == Decimal("33.00")  # 16 m3: 10 + 6 x 2 = 22, + 50 % sewer 11
    assert rules.average_value(
        [], tariff, economies=[(1, 2)], sewer_percent=None
    ) == Decimal("20.00")
    assert (
        rules.average_value([5], None, economies=[(1, 1)], sewer_percent=None) is None
    )
    row = CatalogItem(
        kind="inspection_charge", id=1, description="M", attributes={"calculation": 1}
    )
    assert rules.charge_value(
        row, order_price=None, suggested=None, average=Decimal(3)
    ) == Decimal(3)


def test_fis_13_codes_0_and_7_to_9_give_no_value() -> None:
    """FIS-13: GSAN's return has no branch for the codes 0 and 7-9 (no value);
    the codes 2, 3, 5 and 6 take the value the service computed."""
    for code in (0, 2, 3, 5, 6, 7, 8, 9):
        row = CatalogItem(
            kind="inspection_charge",
            id=code + 1,
            description="M",
            attributes={"calculation": code},
        )
        value = rules.charge_value(
            row,
            order_price=Decimal(1),
            suggested=Decimal(2),
            minimum_tariff=Decimal(3),
            average=Decimal(4),
            consumption=Decimal(5),
        )
        assert value == (Decimal(5) if code in rules.CONSUMPTION_CODES else None)


def test_fis_13_code_2_greater_volume_and_minimum_volume() -> None:
    """FIS-13 codes 2, 5, 6: the measured average when at least the
    non-measured one, else the non-measured; the non-measured fallback is the
    tariff's minimum volume times the economies."""
    assert rules.greater_volume(measured=12, non_measured=12) == 12
    assert rules.greater_volume(measured=8, non_measured=12) == 12
    assert rules.greater_volume(measured=30, non_measured=12) == 30
    tariff = Tariff(
        id=1,
        tariff_id=3,
        valid_from=date(2024, 1, 1),
        categories=[CategoryTariff(category_id=1, minimum_volume=10)],
    )
    assert rules.minimum_volume(tariff, economies=[(1, 2), (4, 3)]) == 20
    assert rules.minimum_volume(None, economies=[(1, 2)]) == 0
    assert rules.average_volume([1, 2]) == 2
    assert rules.average_volume([]) == 0


def test_fis_13_code_3_shortfall_months_and_value() -> None:
    """FIS-13 code 3: the months since the meter's installation capped by the
    averaged months, and the sum of (top value - each month's value)."""
    assert (
        rules.shortfall_months(installed_on=date(2024, 11, 20), today=TODAY, limit=6)
        == 2
    )
    assert (
        rules.shortfall_months(installed_on=date(2020, 1, 1), today=TODAY, limit=6) == 6
    )
    value = rules.shortfall_value(Decimal(80), [Decimal(80), Decimal(35)])
    assert value == Decimal(45)
    assert rules.shortfall_value(Decimal(80), []) == Decimal(0)


def test_fis_13_code_5_and_6_months_factor() -> None:
    """FIS-13 codes 5/6: the matrix row's months, else the months since the
    cut; none or 0 gives 1; capped by numeroMaximoMesesSancoes."""
    assert rules.months_factor(configured=3, months_since_cut=9, max_months=None) == 3
    assert rules.months_factor(configured=None, months_since_cut=9, max_months=6) == 6
    assert rules.months_factor(configured=8, months_since_cut=None, max_months=6) == 6
    assert rules.months_factor(configured=None, months_since_cut=0, max_months=6) == 1
    assert (
        rules.months_factor(configured=None, months_since_cut=None, max_months=None)
        == 1
    )
