"""The numbered rules of ``domain/hydrometers.md``, one test per rule (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from gsan_core import profiles
from gsan_core.errors import ConfigurationError, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import (
    AnomalyActionStep,
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerAttributes,
    HydrometerInstallation,
    MeasurementPoint,
)
from gsan_core.model.properties import Economies, Property
from gsan_core.rules import hydrometers as rules
from gsan_core.rules.hydrometers import (
    IncomingMeter,
    InstallationChanges,
    MeterEvent,
    NewInstallation,
    Removal,
)

PROFILE = profiles.default().profile
CAGEPA = profiles.load("cagepa").profile
TODAY = date(2025, 1, 6)
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)
WATER, WELL = MeasurementPoint.WATER_CONNECTION, MeasurementPoint.WELL
FOUR_SIX = rules.number_layout(PROFILE)
FIVE_FIVE = rules.number_layout(CAGEPA)
FIVE_SEVEN = attrs.evolve(
    FIVE_FIVE, name="5x7", sequence_digits=7, max_sequence_digits=7
)
FREE = rules.number_layout(
    attrs.evolve(
        PROFILE, hydrometers=attrs.evolve(PROFILE.hydrometers, number_format="free")
    )
)


def item(
    kind: str, ident: int, description: str = "X", **attributes: object
) -> CatalogItem:
    active = bool(attributes.pop("active", True))
    return CatalogItem(
        kind=kind,
        id=ident,
        description=description,
        active=active,
        attributes=attributes,  # type: ignore[arg-type]
    )


REFERENCES: rules.References = {
    "hydrometer_type": {1: item("hydrometer_type", 1)},
    "hydrometer_brand": {
        10: item("hydrometer_brand", 10, code="A", revision_days=365),
        11: item("hydrometer_brand", 11, code="B", revision_days=365, active=False),
    },
    "hydrometer_capacity": {
        5: item(
            "hydrometer_capacity", 5, code="B", min_digits=4, max_digits=6, order=5
        ),
        6: item("hydrometer_capacity", 6, code="Y", min_digits=None, max_digits=None),
    },
    "hydrometer_diameter": {13: item("hydrometer_diameter", 13, order=13)},
    "hydrometer_metrological_class": {2: item("hydrometer_metrological_class", 2)},
    "hydrometer_register": {1: item("hydrometer_register", 1)},
    "hydrometer_turbine_type": {1: item("hydrometer_turbine_type", 1, code="H")},
    "hydrometer_stock_location": {
        1: item("hydrometer_stock_location", 1, workshop=False),
        3: item("hydrometer_stock_location", 3, workshop=True),
    },
    "consumption_anomaly": {6: item("consumption_anomaly", 6)},
    "category": {1: item("category", 1)},
    "property_profile": {1: item("property_profile", 1)},
}
ATTRIBUTES = HydrometerAttributes(
    acquired_on=date(2024, 3, 1),
    reading_digits=5,
    type_id=1,
    brand_id=10,
    capacity_id=5,
    diameter_id=13,
    metrological_class_id=2,
)


def check(
    attributes: HydrometerAttributes = ATTRIBUTES,
    *,
    fixed: str | None = "B24A",
    layout: rules.NumberLayout = FOUR_SIX,
    location_id: int | None = 1,
    check_location: bool = True,
) -> tuple[tuple[Violation, ...], int | None]:
    return rules.check_attributes(
        attributes,
        fixed=fixed,
        layout=layout,
        references=REFERENCES,
        today=TODAY,
        earliest_year=1985,
        location_id=location_id,
        check_location=check_location,
    )


def only(violations: object, code: str, rule: str, gsan_key: str | None) -> Violation:
    found = [v for v in violations if v.code == code]  # type: ignore[attr-defined]
    assert found, f"no {code} in {violations}"
    violation = found[0]
    assert violation.rule == rule
    assert violation.gsan_key == gsan_key
    assert violation.message("en")
    assert violation.message("pt")
    return violation


def meter(**changes: object) -> Hydrometer:
    base = Hydrometer(
        id=7,
        number="B24A000007",
        acquired_on=date(2024, 3, 1),
        manufacture_year=2024,
        reading_digits=5,
        type_id=1,
        situation_id=3,
        brand_id=10,
        capacity_id=5,
        diameter_id=13,
        metrological_class_id=2,
        location_id=1,
    )
    return attrs.evolve(base, **changes)


def prop(**changes: object) -> Property:
    base = Property(
        id=100,
        locality_id=1,
        sector_id=1,
        block_id=1,
        profile_id=1,
        categories=(Economies(category_id=1),),
        water_status_id=3,
        sewer_status_id=3,
    )
    return attrs.evolve(base, **changes)


def installation(**changes: object) -> HydrometerInstallation:
    base = HydrometerInstallation(
        id=1,
        hydrometer_id=7,
        property_id=100,
        point=WATER,
        installed_on=date(2024, 6, 1),
        installation_reading=0,
        registered_at=AT,
        place_id=1,
        protection_id=6,
        installed_by=1,
    )
    return attrs.evolve(base, **changes)


PLACE = item("hydrometer_installation_place", 1)
PROTECTION = item("hydrometer_protection", 6)
AVAILABLE = item("hydrometer_situation", 3, "DISPONIVEL")
INSTALLED = item("hydrometer_situation", 1, "INSTALADO")
STOLEN = item("hydrometer_situation", 4, "ROUBADO", lost=True)
MAINTENANCE = item("hydrometer_situation", 2, "EM MANUTENCAO")


def new_installation(**changes: object) -> NewInstallation:
    base = NewInstallation(
        installed_on=TODAY,
        reading=0,
        place=PLACE,
        place_id=1,
        protection=PROTECTION,
        protection_id=6,
    )
    return attrs.evolve(base, **changes)


def install(
    *,
    current: HydrometerInstallation | None = None,
    incoming: IncomingMeter | None = None,
    new: NewInstallation | None = None,
    locality_location_id: int | None = None,
    point: MeasurementPoint = WATER,
    point_last_removal: date | None = None,
    replacing: bool = False,
) -> list[Violation]:
    return rules.check_new_installation(
        PROFILE,
        point=point,
        prop=prop(),
        current=current,
        incoming=incoming or IncomingMeter(given=7, meter=meter(), situation=AVAILABLE),
        locality_location_id=locality_location_id,
        new=new or new_installation(),
        today=TODAY,
        point_last_removal=point_last_removal,
        replacing=replacing,
    )


def removal(**changes: object) -> Removal:
    base = Removal(
        removed_on=TODAY,
        reading=12,
        situation_id=3,
        situation=AVAILABLE,
        location_id=1,
        location=REFERENCES["hydrometer_stock_location"][1],
    )
    return attrs.evolve(base, **changes)


def remove(
    *,
    current: HydrometerInstallation | None = None,
    installed_meter: Hydrometer | None = None,
    given: Removal | None = None,
    replacing: bool = False,
    point: MeasurementPoint = WATER,
) -> list[Violation]:
    return rules.check_removal(
        PROFILE,
        point=point,
        prop=prop(),
        current=current if current is not None else installation(),
        meter=installed_meter or meter(situation_id=1),
        removal=given or removal(),
        today=TODAY,
        replacing=replacing,
    )


# ================================================================ situations
def test_situation_transitions_follow_the_table() -> None:
    assert rules.situation_after(PROFILE, None, MeterEvent.INSERT) == 3
    assert rules.situation_after(PROFILE, 3, MeterEvent.INSTALL) == 1
    assert rules.situation_after(PROFILE, 3, MeterEvent.REPLACE_INCOMING) == 1
    assert rules.situation_after(PROFILE, 1, MeterEvent.INSTALL) is None
    assert rules.situation_after(PROFILE, 2, MeterEvent.INSTALL) is None
    assert rules.situation_after(PROFILE, 1, MeterEvent.REMOVE, chosen=2) == 2
    assert rules.situation_after(PROFILE, 1, MeterEvent.REMOVE, chosen=1) is None
    assert rules.situation_after(PROFILE, 1, MeterEvent.REMOVE) is None
    assert rules.situation_after(PROFILE, 1, MeterEvent.REPLACE_OUTGOING, chosen=4) == 4
    assert rules.situation_after(PROFILE, 4, MeterEvent.MOVE_TO_STORE) == 3
    assert rules.situation_after(PROFILE, 3, MeterEvent.MOVE_TO_WORKSHOP) == 2
    assert rules.situation_after(PROFILE, 1, MeterEvent.MOVE_TO_STORE) is None
    # a utility's own situation (CAGEPA's DESCARTADO) moves like any stored one
    assert rules.situation_after(CAGEPA, 5, MeterEvent.MOVE_TO_STORE) == 3
    assert rules.situation_role(CAGEPA, 5) is None
    assert rules.situation_role(PROFILE, 4) == "stolen"


def test_situation_roles_must_be_mapped() -> None:
    bare = attrs.evolve(PROFILE, roles={})
    with pytest.raises(ConfigurationError, match=r"hydrometer_situation\.available"):
        rules.situation_id(bare, "available")


# ================================================================ number layout
def test_layouts_of_the_profiles() -> None:
    assert (FOUR_SIX.fixed_length, FOUR_SIX.sequence_digits) == (4, 6)
    assert FOUR_SIX.max_sequence == 9_999_999
    six_only = rules.number_layout(
        attrs.evolve(
            PROFILE,
            hydrometers=attrs.evolve(
                PROFILE.hydrometers, allow_seven_digit_sequence=False
            ),
        )
    )
    assert six_only.max_sequence == 999_999
    assert "6-digit" in six_only.describe()
    assert "6 or 7" in FOUR_SIX.describe()
    assert "sequencial de 6 ou 7 dígitos" in FOUR_SIX.describe_pt()
    assert "sequencial de 6 dígitos" in six_only.describe_pt()
    assert (FIVE_FIVE.fixed_length, FIVE_FIVE.sequence_digits) == (5, 5)
    casal = rules.number_layout(
        attrs.evolve(
            PROFILE, hydrometers=attrs.evolve(PROFILE.hydrometers, number_format="5x7")
        )
    )
    assert casal == FIVE_SEVEN
    assert FREE.free
    assert "letters or digits" in FREE.describe()
    assert "letras ou dígitos" in FREE.describe_pt()
    assert FOUR_SIX.number("B24A", 123) == "B24A000123"
    assert FOUR_SIX.number("B24A", 1_234_567) == "B24A1234567"


def test_h_12_a_malformed_fixed_part_is_refused() -> None:
    for fixed in ("B24", "b24a", "BX4A", 1234, "B24AA"):
        violation = only(
            rules.check_fixed(fixed, FOUR_SIX),
            "hydrometer.number.malformed_fixed",
            "H-12",
            "errors.invalid",
        )
        assert violation.params["length"] == 4
    assert rules.check_fixed("B24A", FOUR_SIX) == []
    assert rules.check_fixed("B24AH", FIVE_FIVE) == []
    assert "turbina" in rules.check_fixed("B24A", FIVE_FIVE)[0].message("pt")
    assert rules.check_fixed("anything", FREE) == []


def test_h_12_a_malformed_number_is_refused() -> None:
    malformed = ["B24A12345", "B24A12345678", "B24A0123456", "B24A00012X", "", 7]
    for number in malformed:
        only(
            rules.check_number(number, FOUR_SIX),
            "hydrometer.number.malformed",
            "H-12",
            "errors.invalid",
        )
    assert rules.check_number("B24A000123", FOUR_SIX) == []
    assert rules.check_number("B24A1234567", FOUR_SIX) == []
    assert rules.check_number("B24AH00012", FIVE_FIVE) == []
    assert rules.check_number("B24AH000012", FIVE_FIVE)
    assert rules.check_number("B24AH0000012", FIVE_SEVEN) == []
    assert rules.check_number("ABC-12/3.4", FREE) == []
    assert rules.check_number("abc", FREE)
    assert rules.split_number("B24A000123", FOUR_SIX) == ("B24A", 123)
    assert rules.split_number("B24A1234567", FOUR_SIX) == ("B24A", 1_234_567)
    assert rules.split_number("B24A00012٣", FOUR_SIX) is None
    assert rules.split_number("ABC", FREE) is None


def test_manufacture_year_from_the_fixed_part() -> None:
    assert rules.manufacture_year_of("B24A", today=TODAY) == 2024
    assert rules.manufacture_year_of("B25A", today=TODAY) == 2025
    assert rules.manufacture_year_of("B26A", today=TODAY) == 1926
    assert rules.manufacture_year_of("B99A", today=TODAY) == 1999


def test_h_9_a_range_is_positive_ordered_and_within_the_digits() -> None:
    assert rules.check_range(1, 10, FOUR_SIX) == []
    assert rules.check_range(5, 5, FOUR_SIX) == []
    for first, last in (
        (0, 10),
        (10, 9),
        (1, 10_000_000),
        (True, 3),
        ("1", 2),
        (1, 2.0),
    ):
        only(
            rules.check_range(first, last, FOUR_SIX),
            "hydrometer.range.invalid",
            "H-9",
            "errors.range",
        )
    only(
        rules.check_range(1, 100_000, FIVE_FIVE),
        "hydrometer.range.invalid",
        "H-9",
        "errors.range",
    )
    only(
        rules.check_range(1, 2, FREE),
        "hydrometer.range.needs_layout",
        "H-9",
        "errors.invalid",
    )
    assert rules.range_numbers("B24A", 9, 11, FOUR_SIX) == [
        "B24A000009",
        "B24A000010",
        "B24A000011",
    ]


def test_h_10_exact_generated_numbers_that_exist_reject_the_range() -> None:
    assert rules.check_no_existing(set(), first_number="a", last_number="b") == []
    violation = only(
        rules.check_no_existing(
            {"B24A000012", "B24A000011"},
            first_number="B24A000010",
            last_number="B24A000020",
        ),
        "hydrometer.range.existing_numbers",
        "H-10",
        "atencao.ja.existem.hidrometros.numeracao.dentro.faixa.informada",
    )
    assert violation.params["count"] == 2
    assert violation.params["example"] == "B24A000011"


def test_h_10_a_single_number_must_be_free() -> None:
    holder = meter()
    assert rules.check_number_free("B24A000007", holder=None) == []
    assert rules.check_number_free("B24A000007", holder=holder, own_id=7) == []
    only(
        rules.check_number_free("B24A000007", holder=holder),
        "hydrometer.number.exists",
        "H-10",
        "atencao.hidrometro_ja_existente",
    )


# ================================================================ meter attributes
def test_attributes_that_follow_every_rule_pass() -> None:
    found, year = check()
    assert found == ()
    assert year == 2024


def test_h_1_the_stock_location_exists_and_is_active() -> None:
    for location in (None, 99):
        found, _ = check(location_id=location)
        only(
            found,
            "hydrometer.location_unknown",
            "H-1",
            "atencao.pesquisa.hidrometro_local_armazenagem.inexistente",
        )
    assert check(location_id=99, check_location=False)[0] == ()


def test_h_2_the_brand_letter_is_the_4th_character() -> None:
    found, _ = check(fixed="B24C")
    only(
        found,
        "hydrometer.number.brand_mismatch",
        "H-2",
        "atencao.marca_incompativel_numero_fixo",
    )


def test_h_3_the_capacity_letter_is_the_1st_character() -> None:
    found, _ = check(fixed="A24A")
    only(
        found,
        "hydrometer.number.capacity_mismatch",
        "H-3",
        "atencao.capacidade_incompativel_numero_fixo",
    )


def test_h_13_the_turbine_letter_is_the_5th_character_in_5_character_layouts() -> None:
    with_turbine = attrs.evolve(ATTRIBUTES, turbine_type_id=1)
    assert check(with_turbine, fixed="B24AH", layout=FIVE_FIVE)[0] == ()
    found, _ = check(with_turbine, fixed="B24AV", layout=FIVE_FIVE)
    only(
        found,
        "hydrometer.number.turbine_mismatch",
        "H-13",
        "atencao.tipo_turbina_incompativel_numero_fixo",
    )
    found, _ = check(fixed="B24AH", layout=FIVE_FIVE)
    only(found, "common.required", "H-12", "atencao.required")
    assert check(fixed="B24AX", layout=FIVE_SEVEN)[0] == ()


def test_h_4_the_acquisition_date_is_not_in_the_future() -> None:
    found, _ = check(attrs.evolve(ATTRIBUTES, acquired_on=date(2025, 1, 7)))
    only(
        found,
        "hydrometer.acquired_in_future",
        "H-4",
        "atencao.data.aquisicao.nao.superior.data.corrente",
    )


def test_h_5_the_acquisition_date_is_not_before_1985() -> None:
    found, _ = check(
        attrs.evolve(ATTRIBUTES, acquired_on=date(1984, 12, 31)), fixed="B84A"
    )
    only(
        found,
        "hydrometer.acquired_too_early",
        "H-5",
        "atencao.data.aquisicao.nao.inferior.1985",
    )


def test_h_6_the_year_of_manufacture_is_not_in_the_future() -> None:
    free = attrs.evolve(ATTRIBUTES, manufacture_year=2026)
    found, year = check(free, fixed=None, layout=FREE)
    assert year == 2026
    only(
        found,
        "hydrometer.year_in_future",
        "H-6",
        "atencao.ano.fabricacao.nao.superior.data.corrente",
    )


def test_h_7_the_year_of_manufacture_is_not_before_1985() -> None:
    found, year = check(fixed="B84A")
    assert year == 1984
    only(
        found,
        "hydrometer.year_too_early",
        "H-7",
        "atencao.ano.fabricacao.nao.inferior.1985",
    )


def test_h_8_the_meter_is_not_acquired_before_its_manufacture() -> None:
    found, _ = check(
        attrs.evolve(ATTRIBUTES, acquired_on=date(2023, 5, 1)), fixed="B24A"
    )
    only(
        found,
        "hydrometer.acquired_before_manufacture",
        "H-8",
        "atencao.ano.aquisicao.menor.ano.fabricacao",
    )


def test_h_12_required_and_existing_references() -> None:
    missing = attrs.evolve(ATTRIBUTES, type_id=None, brand_id=11, diameter_id=99)  # type: ignore[arg-type]
    found, _ = check(missing)
    only(found, "common.required", "H-12", "atencao.required")
    codes = [v.code for v in found]
    assert codes.count("hydrometer.reference_missing") == 2
    only(found, "hydrometer.reference_missing", "H-12", "atencao.pesquisa_inexistente")
    register = attrs.evolve(ATTRIBUTES, register_id=1)
    assert check(register)[0] == ()
    unknown_capacity = attrs.evolve(ATTRIBUTES, capacity_id=99, reading_digits=9)
    assert [v.code for v in check(unknown_capacity)[0]] == [
        "hydrometer.reference_missing"
    ]


def test_h_12_the_reading_digits_fit_the_capacity() -> None:
    found, _ = check(attrs.evolve(ATTRIBUTES, reading_digits=7))
    violation = only(
        found, "hydrometer.reading_digits_out_of_range", "H-12", "errors.range"
    )
    assert (violation.params["minimum"], violation.params["maximum"]) == (4, 6)
    found, _ = check(attrs.evolve(ATTRIBUTES, reading_digits="5"))  # type: ignore[arg-type]
    only(found, "hydrometer.reading.not_a_number", None, "errors.integer")  # type: ignore[arg-type]
    loose = attrs.evolve(ATTRIBUTES, capacity_id=6, reading_digits=1)
    assert [v.code for v in check(loose, fixed="Y24A")[0]] == []


def test_h_12_the_year_given_matches_the_fixed_part() -> None:
    found, year = check(attrs.evolve(ATTRIBUTES, manufacture_year=2023))
    assert year == 2024
    only(found, "hydrometer.number.year_mismatch", "H-12", "errors.invalid")
    assert check(attrs.evolve(ATTRIBUTES, manufacture_year=2024))[0] == ()


def test_h_12_the_free_layout_needs_the_year() -> None:
    found, year = check(fixed=None, layout=FREE)
    assert year is None
    only(found, "common.required", "H-12", "atencao.required")
    assert check(fixed=None, layout=FOUR_SIX)[0] == ()


def test_h_12_flows_invoice_and_warranty_are_not_negative() -> None:
    negative = attrs.evolve(
        ATTRIBUTES,
        nominal_flow=Decimal("-1.5"),
        warranty_years=-1,
        invoice_number=12,
        minimum_flow=Decimal("0.2"),
    )
    found, _ = check(negative)
    assert [v.code for v in found] == ["hydrometer.negative_value"] * 2
    only(found, "hydrometer.negative_value", "H-12", "errors.range")


# ================================================================ OS-5, OS-6
def test_os_05_the_property_is_active() -> None:
    only(
        rules.check_property(prop(active=False), locked_reference=None),
        "hydrometer.property_inactive",
        "OS-5",
        "atencao.atualizar_imovel_situacao_invalida",
    )
    only(
        rules.check_property(prop(active=False), locked_reference=None, rule="A-3"),
        "hydrometer.property_inactive",
        "A-3",
        "atencao.atualizar_imovel_situacao_invalida",
    )
    assert rules.check_property(prop(), locked_reference=None) == []
    assert (
        rules.check_property(
            prop(active=False), locked_reference=None, check_active=False
        )
        == []
    )


def test_os_06_the_property_is_not_in_field() -> None:
    violation = only(
        rules.check_property(prop(), locked_reference=202501),
        "hydrometer.property_in_field",
        "OS-6",
        "atencao.imovel_em_campo",
    )
    assert violation.params["reference"] == "01/2025"
    assert rules.check_property(prop(), locked_reference=202501, check_lock=False) == []


# ================================================================ installation
LIGADO = item("water_status", 3, "LIGADO", connection_exists=True)
POTENCIAL = item("water_status", 1, "POTENCIAL")
SUPR_PARC = item("water_status", 7, "SUPR. PARC.", connection_exists=True)


def situation_check(
    point: MeasurementPoint,
    *,
    water: CatalogItem | None = LIGADO,
    property_: Property | None = None,
    operation: str = "hydrometer.install",
) -> list[Violation]:
    return rules.check_point_situation(
        PROFILE,
        point=point,
        prop=property_ or prop(),
        water_status=water,
        sewer_status=item("sewer_status", 1, "POTENCIAL"),
        operation=operation,
    )


def test_i_07_the_water_situation_allows_installation() -> None:
    assert situation_check(WATER) == []
    violation = only(
        situation_check(WATER, water=SUPR_PARC, property_=prop(water_status_id=7)),
        "hydrometer.install.water_situation_not_allowed",
        "I-7",
        "atencao.instalacao_hidrometro_situacao_ligacao_agua_invalida",
    )
    assert violation.params["situation"] == "SUPR. PARC."
    assert (
        situation_check(
            WATER,
            water=SUPR_PARC,
            property_=prop(water_status_id=7),
            operation="hydrometer.relocate",
        )
        == []
    )


def test_i_07_prime_a_well_meter_needs_the_sewer_connected() -> None:
    assert situation_check(WELL) == []
    only(
        situation_check(WELL, property_=prop(sewer_status_id=1)),
        "hydrometer.install.sewer_situation_not_allowed",
        "I-7'",
        "atencao.situacao_instalacao_hidrometro_poco_invalida",
    )
    unknown = rules.check_point_situation(
        PROFILE,
        point=WELL,
        prop=prop(sewer_status_id=99),
        water_status=LIGADO,
        sewer_status=None,
        operation="hydrometer.install",
    )
    assert unknown[0].params["situation"] == 99


def test_i_08_the_property_has_a_water_connection() -> None:
    # an allowed situation whose row is unknown: the connection cannot be shown
    only(
        situation_check(WATER, water=None, property_=prop(water_status_id=3)),
        "hydrometer.no_water_connection",
        "I-8",
        "atencao.naocadastrado",
    )
    # a profile that allows installing on POTENCIAL still needs the connection
    lenient = attrs.evolve(
        PROFILE,
        transitions={**PROFILE.transitions, "hydrometer.install.water": [1, 3]},
    )
    found = rules.check_point_situation(
        lenient,
        point=WATER,
        prop=prop(water_status_id=1),
        water_status=POTENCIAL,
        sewer_status=None,
        operation="hydrometer.install",
    )
    only(found, "hydrometer.no_water_connection", "I-8", "atencao.naocadastrado")


def test_i_07_before_i_08_a_property_without_connection_is_refused_for_its_situation() -> (
    None
):
    """GSAN checks the situation first: a POTENCIAL or FACTÍVEL property has no
    water connection row, and the refusal is I-7's, not I-8's."""
    for water in (POTENCIAL, item("water_status", 2, "FACTIVEL")):
        found = situation_check(
            WATER, water=water, property_=prop(water_status_id=water.id)
        )
        assert [v.rule for v in found] == ["I-7"]
        assert (
            found[0].gsan_key
            == "atencao.instalacao_hidrometro_situacao_ligacao_agua_invalida"
        )


def test_m_07_a_relocation_needs_the_water_connection() -> None:
    found = rules.check_point_situation(
        PROFILE,
        point=WATER,
        prop=prop(water_status_id=1),
        water_status=POTENCIAL,
        sewer_status=None,
        operation="hydrometer.relocate",
        connection_rule="M-7",
    )
    only(found, "hydrometer.no_water_connection", "M-7", "atencao.naocadastrado")


def test_i_09_no_meter_is_open_at_the_water_connection() -> None:
    violation = only(
        install(current=installation()),
        "hydrometer.install.point_has_meter",
        "I-9",
        "atencao.hidrometro_instalado_ligacao_agua",
    )
    assert violation.params["ponto"] == "LIGAÇÃO DE ÁGUA"


def test_i_09_prime_no_meter_is_open_at_the_well() -> None:
    only(
        install(current=installation(point=WELL), point=WELL),
        "hydrometer.install.point_has_meter",
        "I-9'",
        "atencao.hidrometro_instalado_poco",
    )


def test_i_10_the_meter_exists_and_is_named_once() -> None:
    assert install() == []
    only(
        install(incoming=IncomingMeter(given="B24A999999", meter=None)),
        "hydrometer.install.meter_unknown",
        "I-10",
        "atencao.hidrometro_inexistente",
    )
    for incoming in (
        IncomingMeter(given=None, meter=None),
        IncomingMeter(given=7, ambiguous=True, meter=None),
    ):
        only(
            install(incoming=incoming),
            "hydrometer.install.meter_required",
            "I-10",
            "atencao.required",
        )


def test_i_11_the_meter_location_matches_the_locality() -> None:
    assert install(locality_location_id=1) == []
    only(
        install(locality_location_id=2),
        "hydrometer.install.location_incompatible",
        "I-11",
        "atencao.hidrometro_local_armazenagem_imovel_diferente_hidrometro_local_armazenagem_hidrometro",
    )
    no_location = IncomingMeter(given=7, meter=meter(location_id=None))
    assert install(incoming=no_location, locality_location_id=2) == []


def test_i_12_only_an_available_meter_is_installed() -> None:
    for situation_id, situation in ((1, INSTALLED), (2, MAINTENANCE), (4, None)):
        incoming = IncomingMeter(
            given=7, meter=meter(situation_id=situation_id), situation=situation
        )
        violation = only(
            install(incoming=incoming),
            "hydrometer.install.not_available",
            "I-12",
            "atencao.hidrometro_situacao_indisponivel",
        )
        expected = situation.description if situation else situation_id
        assert violation.params["situation"] == expected


def test_i_13_place_protection_reading_and_seals() -> None:
    inactive_place = attrs.evolve(PLACE, active=False)
    found = install(
        new=new_installation(
            place=inactive_place,
            protection=None,
            protection_id=77,
            seal="1234567890123",
            tamper_seal=12,
        )
    )
    assert [v.code for v in found].count("hydrometer.reference_missing") == 2
    only(found, "hydrometer.reference_missing", "I-13", "atencao.pesquisa_inexistente")
    only(found, "common.too_long", "I-13", "atencao.execedeu_limit_observacao")
    only(found, "hydrometer.reading.not_a_number", "I-13", "errors.integer")
    for reading, code, key in (
        (None, "common.required", "atencao.required"),
        ("12", "hydrometer.reading.not_a_number", "errors.integer"),
        (True, "hydrometer.reading.not_a_number", "errors.integer"),
        (-1, "hydrometer.reading.negative", "atencao.long"),
        (
            100_000,
            "hydrometer.reading.too_many_digits",
            "atencao.digitos.leitura.maior.hidrometro",
        ),
    ):
        only(install(new=new_installation(reading=reading)), code, "I-13", key)
    assert (
        install(new=new_installation(reading=99_999, seal="ABC", tamper_seal="L1"))
        == []
    )


def test_i_14_the_installation_date_is_not_in_the_future() -> None:
    only(
        install(new=new_installation(installed_on=date(2025, 1, 7))),
        "hydrometer.install.date_in_future",
        "I-14",
        "atencao.data_instalacao_maior_data_corrente",
    )


def test_i_15_installation_periods_never_overlap() -> None:
    assert install(point_last_removal=TODAY) == []
    violation = only(
        install(point_last_removal=date(2025, 1, 7)),
        "hydrometer.install.period_overlap",
        "I-15",
        None,
    )
    assert violation.params["whose"] == "point's"
    moved_back = IncomingMeter(
        given=7, meter=meter(), situation=AVAILABLE, last_removal=date(2025, 1, 8)
    )
    violation = only(
        install(incoming=moved_back), "hydrometer.install.period_overlap", "I-15", None
    )
    assert violation.params["whose"] == "meter's"


# ================================================================ removal
def test_r_07_a_meter_is_installed_at_the_point() -> None:
    found = rules.check_removal(
        PROFILE,
        point=WELL,
        prop=prop(),
        current=None,
        meter=None,
        removal=removal(),
        today=TODAY,
    )
    violation = only(
        found,
        "hydrometer.remove.no_meter",
        "R-7",
        "atencao.hidrometro_instalado_nao_existente",
    )
    assert violation.params["no_ponto"] == "no Poço"


def test_r_08_the_situation_is_given_exists_and_is_not_installed() -> None:
    assert remove() == []
    only(
        remove(given=removal(situation_id=None, situation=None)),
        "common.required",
        "R-8",
        "atencao.required",
    )
    only(
        remove(given=removal(situation_id=99, situation=None)),
        "hydrometer.remove.situation_unknown",
        "R-8",
        "atencao.pesquisa_inexistente",
    )
    only(
        remove(given=removal(situation_id=1, situation=INSTALLED)),
        "hydrometer.remove.target_installed",
        "R-8",
        "atencao.hidrometro_situacao_disponivel",
    )


def test_r_09_the_stock_location_unless_lost() -> None:
    only(
        remove(given=removal(location_id=99, location=None)),
        "hydrometer.location_unknown",
        "R-9",
        "atencao.pesquisa.hidrometro_local_armazenagem.inexistente",
    )
    without = removal(location_id=None, location=None)
    assert remove(given=without) == []  # keeps the meter's location
    only(
        remove(given=without, installed_meter=meter(situation_id=1, location_id=None)),
        "hydrometer.remove.location_required",
        "R-9",
        "atencao.required",
    )
    stolen = removal(situation_id=4, situation=STOLEN, location_id=None, location=None)
    assert remove(given=stolen, installed_meter=meter(location_id=None)) == []


def test_r_09_where_the_removed_meter_goes() -> None:
    stored = meter(situation_id=1, location_id=2)
    assert rules.removal_outcome(stored, situation=AVAILABLE, location_id=1) == (3, 1)
    assert rules.removal_outcome(stored, situation=AVAILABLE, location_id=None) == (
        3,
        2,
    )
    assert rules.removal_outcome(stored, situation=STOLEN, location_id=1) == (4, None)


def test_r_10_the_removal_reading_is_optional_and_a_whole_number() -> None:
    assert remove(given=removal(reading=None)) == []
    only(
        remove(given=removal(reading="12a")),
        "hydrometer.reading.not_a_number",
        "R-10",
        "errors.integer",
    )
    only(
        remove(given=removal(reading=-3)),
        "hydrometer.reading.negative",
        "R-10",
        "atencao.long",
    )


def test_r_11_the_removal_date_is_between_installation_and_today() -> None:
    assert remove(given=removal(removed_on=date(2024, 6, 1))) == []
    for removed_on in (date(2024, 5, 31), date(2025, 1, 7)):
        only(
            remove(given=removal(removed_on=removed_on)),
            "hydrometer.remove.date_invalid",
            "R-11",
            None,
        )


# ================================================================ replacement
def test_s_07_a_meter_is_installed_at_the_point() -> None:
    for point, key in (
        (WATER, "atencao.imovel_ligacao_agua_sem_hidrometro"),
        (WELL, "atencao.imovel_poco_sem_hidrometro"),
    ):
        found = rules.check_removal(
            PROFILE,
            point=point,
            prop=prop(),
            current=None,
            meter=None,
            removal=removal(),
            today=TODAY,
            replacing=True,
        )
        only(found, "hydrometer.replace.no_meter", "S-7", key)


def test_s_08_the_outgoing_situation_is_not_installed() -> None:
    """A replacement's refusal carries the replacement's code and words."""
    violation = only(
        remove(given=removal(situation_id=1, situation=INSTALLED), replacing=True),
        "hydrometer.replace.target_installed",
        "S-8",
        "atencao.hidrometro_situacao_disponivel",
    )
    assert violation.message("pt").startswith(
        "Informe uma situação válida p/ o hidrômetro substituído"
    )


def test_s_09_the_new_meter_exists() -> None:
    only(
        install(incoming=IncomingMeter(given="X", meter=None), replacing=True),
        "hydrometer.replace.meter_unknown",
        "S-9",
        "atencao.numero_hidrometro_inexistente",
    )


def test_s_10_the_new_meter_location_matches_the_locality() -> None:
    only(
        install(locality_location_id=2, replacing=True),
        "hydrometer.install.location_incompatible",
        "S-10",
        "atencao.hidrometro_local_armazenagem_imovel_diferente_hidrometro_local_armazenagem_hidrometro",
    )


def test_s_11_the_new_meter_is_available() -> None:
    incoming = IncomingMeter(given=7, meter=meter(situation_id=1), situation=INSTALLED)
    only(
        install(incoming=incoming, replacing=True, current=installation()),
        "hydrometer.install.not_available",
        "S-11",
        "atencao.hidrometro_situacao_indisponivel",
    )


def test_s_12_the_removal_reading_and_the_inputs_are_required() -> None:
    only(
        remove(given=removal(reading=None), replacing=True),
        "common.required",
        "S-12",
        "atencao.required",
    )
    only(
        remove(
            given=removal(location_id=None, location=None),
            installed_meter=meter(location_id=None),
            replacing=True,
        ),
        "hydrometer.remove.location_required",
        "S-12",
        "atencao.required",
    )
    only(
        install(new=new_installation(place=None, place_id=None), replacing=True),
        "hydrometer.reference_missing",
        "S-12",
        "atencao.pesquisa_inexistente",
    )


def test_s_13_the_replacement_date_is_not_before_the_installation() -> None:
    only(
        remove(given=removal(removed_on=date(2024, 1, 1)), replacing=True),
        "hydrometer.remove.date_invalid",
        "S-13",
        None,
    )


# ================================================================ relocation
def relocate(
    current: HydrometerInstallation | None = None,
    *,
    point: MeasurementPoint = WATER,
    place: CatalogItem | None = PLACE,
    stand: object = True,
) -> list[Violation]:
    return rules.check_relocation(
        point=point,
        prop=prop(),
        current=current,
        place=place,
        place_id=1,
        protection=PROTECTION,
        protection_id=6,
        stand=stand,
    )


def test_m_08_a_meter_is_installed_at_the_point() -> None:
    assert relocate(installation()) == []
    only(
        relocate(),
        "hydrometer.relocate.no_meter",
        "M-8",
        "atencao.imovel_ligacao_agua_sem_hidrometro",
    )
    only(
        relocate(point=WELL),
        "hydrometer.relocate.no_meter",
        "M-8",
        "atencao.imovel_poco_sem_hidrometro",
    )


def test_m_09_place_protection_and_stand_are_required() -> None:
    only(
        relocate(installation(), place=None),
        "hydrometer.reference_missing",
        "M-9",
        "atencao.pesquisa_inexistente",
    )
    only(
        relocate(installation(), stand=None),
        "common.required",
        "M-9",
        "atencao.required",
    )


# ================================================================ update, UC0368
def update(
    changes: InstallationChanges | None = None,
    *,
    current: HydrometerInstallation | None = None,
    point: MeasurementPoint = WATER,
    property_: Property | None = None,
    water: CatalogItem | None = LIGADO,
    point_last_removal: date | None = None,
) -> list[Violation]:
    return rules.check_installation_update(
        PROFILE,
        point=point,
        prop=property_ or prop(),
        water_status=water,
        current=current if current is not None else installation(),
        meter=meter(situation_id=1),
        changes=changes or InstallationChanges(),
        today=TODAY,
        point_last_removal=point_last_removal,
    )


def test_a_02_installation_orders_allow_corrections_for_some_days() -> None:
    assert (
        rules.check_update_window(
            order_id=9, closed_on=date(2024, 12, 7), today=TODAY, days=30
        )
        == []
    )
    violation = only(
        rules.check_update_window(
            order_id=9, closed_on=date(2024, 12, 6), today=TODAY, days=30
        ),
        "hydrometer.update.window_passed",
        "A-2",
        "atencao.instalacao_hidrometro_data_encerramento_os_invalida",
    )
    assert violation.params["days_ago"] == 31


def test_a_04_the_connection_can_have_a_meter_and_has_one() -> None:
    assert update() == []
    for water_status in (1, 2):
        only(
            update(property_=prop(water_status_id=water_status), water=None),
            "hydrometer.update.water_situation",
            "A-4",
            "atencao.imovel.ligacao_agua_situacao.incompativel",
        )
    no_meter = rules.check_installation_update(
        PROFILE,
        point=WELL,
        prop=prop(),
        water_status=LIGADO,
        current=None,
        meter=None,
        changes=InstallationChanges(),
        today=TODAY,
        point_last_removal=None,
    )
    only(
        no_meter,
        "hydrometer.update.no_meter",
        "A-4",
        "atencao.imovel.poco.hidrometro.inexistente",
    )
    no_water_meter = rules.check_installation_update(
        PROFILE,
        point=WATER,
        prop=prop(water_status_id=1),
        water_status=POTENCIAL,
        current=None,
        meter=None,
        changes=InstallationChanges(),
        today=TODAY,
        point_last_removal=None,
    )
    assert [v.code for v in no_water_meter] == [
        "hydrometer.update.water_situation",
        "hydrometer.update.no_meter",
    ]
    assert (
        no_water_meter[1].gsan_key
        == "atencao.imovel.ligacao_agua.hidrometro.inexistente"
    )


def test_a_05_the_installation_date_is_not_in_the_future_nor_overlapping() -> None:
    only(
        update(InstallationChanges(installed_on=date(2025, 1, 7))),
        "hydrometer.install.date_in_future",
        "A-5",
        "atencao.data_instalacao_maior_data_corrente",
    )
    only(
        update(
            InstallationChanges(installed_on=date(2024, 1, 1)),
            point_last_removal=date(2024, 2, 1),
        ),
        "hydrometer.install.period_overlap",
        "I-15",
        None,
    )
    assert update(InstallationChanges(installed_on=date(2024, 3, 1))) == []


def test_a_06_the_installation_reading_is_zero_or_more() -> None:
    assert update(InstallationChanges(reading=0)) == []
    only(
        update(InstallationChanges(reading=-1)),
        "hydrometer.reading.negative",
        "A-6",
        "atencao.long",
    )
    found = update(
        InstallationChanges(
            place=None,
            place_id=42,
            protection=None,
            protection_id=43,
            stand="sim",
            seal="X" * 13,
        )
    )
    assert [v.code for v in found] == [
        "hydrometer.reference_missing",
        "hydrometer.reference_missing",
        "common.required",
        "common.too_long",
    ]
    assert {v.rule for v in found} == {"A-6"}
    fine = InstallationChanges(
        place=PLACE, place_id=1, protection=PROTECTION, protection_id=6, stand=False
    )
    assert update(fine) == []


def test_a_07_only_a_removed_record_takes_a_removal_reading() -> None:
    violation = only(
        update(InstallationChanges(removal_reading=5)),
        "hydrometer.update.not_removed",
        "A-7",
        None,
    )
    assert violation.params["installation_id"] == installation().id
    removed = attrs.evolve(installation(), removed_on=TODAY)
    assert update(InstallationChanges(removal_reading=5), current=removed) == []


def test_a_08_a_cut_connection_keeps_its_cut_reading() -> None:
    cut = prop(water_status_id=5)
    only(
        update(property_=cut),
        "hydrometer.update.cut_reading_required",
        "A-8",
        "atencao.numero_leitura_corte_obrigatorio",
    )
    assert update(InstallationChanges(cut_reading=10), property_=cut) == []
    assert update(property_=cut, current=installation(cut_reading=3)) == []
    only(
        update(InstallationChanges(suppression_reading="x")),
        "hydrometer.reading.not_a_number",
        "A-8",
        "errors.integer",
    )


# ================================================================ movement, §3.6
WORKSHOP = REFERENCES["hydrometer_stock_location"][3]
STORE = REFERENCES["hydrometer_stock_location"][1]
REASON = item("hydrometer_movement_reason", 1)


def move(
    meters: list[Hydrometer] | None = None,
    *,
    missing: list[int] | None = None,
    destination: CatalogItem | None = WORKSHOP,
    reason: CatalogItem | None = REASON,
    moved_on: date = TODAY,
    remark: str | None = None,
) -> list[Violation]:
    return rules.check_movement(
        PROFILE,
        meters=[meter()] if meters is None else meters,
        missing=missing or [],
        destination=destination,
        destination_id=None if destination is None else destination.id,
        reason=reason,
        reason_id=1,
        moved_on=moved_on,
        today=TODAY,
        remark=remark,
    )


def test_v_01_at_least_one_existing_meter() -> None:
    assert move() == []
    only(move([]), "hydrometer.move.nothing_selected", "V-1", None)
    violation = only(
        move(missing=[99, 98, 99]),
        "hydrometer.move.meter_unknown",
        "V-1",
        "atencao.hidrometro_inexistente",
    )
    assert violation.params["hydrometer_id"] == 98


def test_v_02_one_origin() -> None:
    only(
        move([meter(), meter(id=8, location_id=2), meter(id=9, location_id=None)]),
        "hydrometer.move.mixed_origins",
        "V-2",
        "atencao.hidrometros.selecionados.nao.uniformidade.local.armazenagem",
    )


def test_v_03_no_installed_meter_moves() -> None:
    violation = only(
        move([meter(), meter(id=8, number="B24A000008", situation_id=1)]),
        "hydrometer.move.installed",
        "V-3",
        "atencao.nao.possivel.movimentar.hidrometros.instalados",
    )
    assert violation.params["number"] == "B24A000008"
    assert move([meter(situation_id=4), meter(id=8, situation_id=2)]) == []


def test_v_04_the_destination_exists_and_is_active() -> None:
    for destination in (None, attrs.evolve(WORKSHOP, active=False)):
        only(
            move(destination=destination),
            "hydrometer.location_unknown",
            "V-4",
            "atencao.pesquisa.hidrometro_local_armazenagem.inexistente",
        )


def test_v_05_the_destination_differs_from_the_origin() -> None:
    only(
        move(destination=STORE),
        "hydrometer.move.same_location",
        "V-5",
        "atencao.nao.possivel.movimentar.hidrometro.mesmo.local.armazenagem",
    )


def test_v_06_date_window_reason_and_remark() -> None:
    only(move(moved_on=date(2025, 1, 7)), "hydrometer.move.date_in_future", "V-6", None)
    assert move(moved_on=date(2023, 1, 17)) == []
    only(
        move(moved_on=date(2023, 1, 16)),
        "hydrometer.move.date_too_old",
        "V-6",
        "atencao.data.movimentacao.nao.inferior.data.limite",
    )
    only(
        move(reason=None),
        "hydrometer.reference_missing",
        "V-6",
        "atencao.pesquisa_inexistente",
    )
    only(
        move(remark="x" * 201),
        "common.too_long",
        "V-6",
        "atencao.execedeu_limit_observacao",
    )


def test_moved_meters_take_maintenance_in_a_workshop_else_available() -> None:
    assert rules.movement_situation(PROFILE, WORKSHOP) == 2
    assert rules.movement_situation(PROFILE, STORE) == 3


# ================================================================ anomaly actions, §4
def action(**changes: object) -> ConsumptionAnomalyAction:
    base = ConsumptionAnomalyAction(
        id=1,
        anomaly_id=6,
        category_id=1,
        steps=(AnomalyActionStep(month=2), AnomalyActionStep(month=1)),
    )
    return attrs.evolve(base, **changes)


def test_ca_01_references_exist_and_the_action_is_unique() -> None:
    assert (
        rules.check_anomaly_action(action(), references=REFERENCES, siblings=[]) == []
    )
    found = rules.check_anomaly_action(
        action(anomaly_id=99, property_profile_id=98),
        references=REFERENCES,
        siblings=[],
    )
    assert [v.code for v in found] == ["hydrometer.reference_missing"] * 2
    only(found, "hydrometer.reference_missing", "CA-1", "atencao.pesquisa_inexistente")
    siblings = [
        action(id=2),
        action(id=3, active=False),
        action(id=4, category_id=None),
        action(),
    ]
    only(
        rules.check_anomaly_action(action(), references=REFERENCES, siblings=siblings),
        "consumption_anomaly_action.duplicate",
        "CA-1",
        "atencao.consumo_anormalidade_acao_ja_cadastrada",
    )
    assert (
        rules.check_anomaly_action(
            action(active=False), references=REFERENCES, siblings=siblings
        )
        == []
    )


def test_ca_02_steps_for_months_one_to_three() -> None:
    for steps in (
        (AnomalyActionStep(month=1), AnomalyActionStep(month=1)),
        (AnomalyActionStep(month=4),),
    ):
        only(
            rules.check_anomaly_action(
                action(steps=steps), references=REFERENCES, siblings=[]
            ),
            "consumption_anomaly_action.months",
            "CA-2",
            "errors.range",
        )
    bad = (
        AnomalyActionStep(month=1, consumption_factor=Decimal(-1)),
        AnomalyActionStep(month=2, bill_message="M" * 121),
        AnomalyActionStep(
            month=3, consumption_factor=Decimal("1.5"), bill_message="OK"
        ),
    )
    found = rules.check_anomaly_action(
        action(steps=bad), references=REFERENCES, siblings=[]
    )
    assert [v.code for v in found] == ["hydrometer.negative_value", "common.too_long"]
    assert {v.rule for v in found} == {"CA-2"}
    assert action(steps=bad).step(3) == bad[2]
    assert action().step(3) is None
