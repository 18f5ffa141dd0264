"""PRO-1..PRO-3: properties and their location (``gsan_core.rules.properties``)."""

from __future__ import annotations

import attrs
import pytest

from gsan_core.model.properties import Economies, Property
from gsan_core.rules.properties import (
    PropertyReferences,
    check_change,
    check_location_entry,
    check_property,
)
from tests.support import assert_violation, only

REFS = PropertyReferences(
    localities=frozenset({1, 2}),
    sector_locality={10: 1, 20: 2},
    block_sector={100: 10, 200: 20},
    route_locality={1000: 1, 2000: 2},
    profiles=frozenset({1, 4}),
    water_statuses=frozenset({1, 3, 5}),
    sewer_statuses=frozenset({1, 3}),
    categories=frozenset({1, 2}),
    subcategory_category={10: 1, 20: 2},
    collection_situations=frozenset({2, 3}),
    consumption_tariffs=frozenset({1, 2}),
    well_types=frozenset({1}),
)


def prop(**changes: object) -> Property:
    base = Property(
        id=7,
        locality_id=1,
        sector_id=10,
        block_id=100,
        route_id=1000,
        profile_id=1,
        categories=(Economies(category_id=1, subcategory_id=10, count=2),),
        water_status_id=3,
        sewer_status_id=1,
        collection_situation_ids=frozenset({2}),
    )
    return attrs.evolve(base, **changes)


def test_a_consistent_property_has_no_violation() -> None:
    assert check_property(prop(), refs=REFS) == ()
    assert check_property(prop(route_id=None), refs=REFS) == ()
    no_sub = prop(categories=(Economies(category_id=2),))
    assert check_property(no_sub, refs=REFS) == ()


# ---------------------------------------------------------------- PRO-1
@pytest.mark.parametrize(
    ("missing", "field", "campo", "value"),
    [
        ({"localities": frozenset({2})}, "locality", "localidade", 1),
        ({"sector_locality": {20: 2}}, "sector", "setor comercial", 10),
        ({"block_sector": {200: 20}}, "block", "quadra", 100),
        ({"route_locality": {2000: 2}}, "route", "rota", 1000),
    ],
)
def test_pro_1_location_must_exist(
    missing: dict[str, object], field: str, campo: str, value: int
) -> None:
    refs = attrs.evolve(REFS, **missing)
    violation = only(check_property(prop(), refs=refs))
    assert_violation(
        violation,
        code="property.unknown_reference",
        rule="PRO-1",
        gsan_key="atencao.pesquisa_inexistente",
        en=[f"Property 7: {field} {value} does not exist or is inactive."],
        pt=[f"Imóvel 7: {campo} {value} inexistente ou inativo(a)."],
    )


@pytest.mark.parametrize(
    ("changes", "en", "pt"),
    [
        (
            {"sector_id": 20, "block_id": 200},
            "sector 20 does not belong to locality 1",
            "setor comercial 20 não pertence a localidade 1",
        ),
        ({"block_id": 200}, "block 200 does not belong to sector 10", "quadra 200"),
        ({"route_id": 2000}, "route 2000 does not belong to locality 1", "rota 2000"),
    ],
)
def test_pro_1_location_parts_belong_together(
    changes: dict[str, object], en: str, pt: str
) -> None:
    violation = only(check_property(prop(**changes), refs=REFS))
    assert_violation(
        violation,
        code="property.inconsistent_location",
        rule="PRO-1",
        gsan_key=None,
        en=[f"Property 7: {en}."],
        pt=[f"Imóvel 7: {pt}"],
    )


def test_pro_1_location_entry_needs_an_existing_locality() -> None:
    violation = only(
        check_location_entry(
            entity="sector",
            entity_id=30,
            locality_id=9,
            sector_id=None,
            localities=frozenset({1}),
            sector_locality={},
        )
    )
    assert_violation(
        violation,
        code="property.location.unknown_parent",
        rule="PRO-1",
        gsan_key="atencao.pesquisa_inexistente",
        en=["sector 30: locality 9 does not exist."],
        pt=["setor comercial 30: localidade 9 inexistente."],
    )


def test_pro_1_location_entry_needs_an_existing_sector() -> None:
    violation = only(
        check_location_entry(
            entity="block",
            entity_id=300,
            locality_id=1,
            sector_id=77,
            localities=frozenset({1}),
            sector_locality={10: 1},
        )
    )
    assert_violation(
        violation,
        code="property.location.unknown_parent",
        rule="PRO-1",
        gsan_key="atencao.pesquisa_inexistente",
        en=["block 300: sector 77 does not exist."],
        pt=["quadra 300: setor comercial 77 inexistente."],
    )


def test_pro_1_location_entry_sector_of_another_locality() -> None:
    violation = only(
        check_location_entry(
            entity="route",
            entity_id=3000,
            locality_id=1,
            sector_id=20,
            localities=frozenset({1, 2}),
            sector_locality={10: 1, 20: 2},
        )
    )
    assert_violation(
        violation,
        code="property.location.mismatch",
        rule="PRO-1",
        gsan_key=None,
        en=["route 3000: sector 20 belongs to locality 2, not 1."],
        pt=["rota 3000: setor comercial 20 pertence à localidade 2, não à 1."],
    )


def test_pro_1_location_entry_consistent() -> None:
    assert (
        check_location_entry(
            entity="block",
            entity_id=1,
            locality_id=1,
            sector_id=10,
            localities=frozenset({1}),
            sector_locality={10: 1},
        )
        == ()
    )


def test_pro_1_location_entry_of_another_entity_keeps_its_name() -> None:
    violation = only(
        check_location_entry(
            entity="division",
            entity_id=5,
            locality_id=9,
            sector_id=None,
            localities=frozenset(),
            sector_locality={},
        )
    )
    assert violation.message("pt").startswith("division 5: localidade 9")


# ---------------------------------------------------------------- PRO-2
@pytest.mark.parametrize(
    ("changes", "field", "campo", "value"),
    [
        ({"profile_id": 9}, "property profile", "perfil do imóvel", 9),
        ({"water_status_id": 9}, "water situation", "situação de ligação de água", 9),
        (
            {"sewer_status_id": 9},
            "sewer situation",
            "situação de ligação de esgoto",
            9,
        ),
        (
            {"collection_situation_ids": frozenset({2, 9})},
            "collection situation",
            "situação de cobrança",
            9,
        ),
        (
            {"categories": (Economies(category_id=9),)},
            "category",
            "categoria",
            9,
        ),
        (
            {"categories": (Economies(category_id=1, subcategory_id=99),)},
            "subcategory",
            "subcategoria",
            99,
        ),
        ({"consumption_tariff_id": 9}, "consumption tariff", "tarifa de consumo", 9),
        ({"well_type_id": 9}, "well type", "tipo de poço", 9),
    ],
)
def test_pro_2_references_must_exist(
    changes: dict[str, object], field: str, campo: str, value: int
) -> None:
    violation = only(check_property(prop(**changes), refs=REFS))
    assert_violation(
        violation,
        code="property.unknown_reference",
        rule="PRO-2",
        gsan_key="atencao.pesquisa_inexistente",
        en=[f"Property 7: {field} {value} does not exist or is inactive."],
        pt=[f"Imóvel 7: {campo} {value} inexistente ou inativo(a)."],
    )


def test_pro_2_a_known_tariff_and_well_type_or_none() -> None:
    assert (
        check_property(prop(consumption_tariff_id=2, well_type_id=1), refs=REFS) == ()
    )
    assert check_property(prop(consumption_tariff_id=None), refs=REFS) == ()


def test_pro_2_every_unknown_collection_situation_in_order() -> None:
    violations = check_property(
        prop(collection_situation_ids=frozenset({8, 2, 5})), refs=REFS
    )
    assert [v.params["value"] for v in violations] == [5, 8]


def test_pro_2_subcategory_belongs_to_its_category() -> None:
    bad = prop(categories=(Economies(category_id=1, subcategory_id=20),))
    violation = only(check_property(bad, refs=REFS))
    assert_violation(
        violation,
        code="property.inconsistent_location",
        rule="PRO-2",
        gsan_key=None,
        en=["Property 7: subcategory 20 does not belong to category 1."],
        pt=["Imóvel 7: subcategoria 20 não pertence a categoria 1."],
    )


def test_pro_2_at_least_one_economy() -> None:
    violation = only(check_property(prop(categories=()), refs=REFS))
    assert_violation(
        violation,
        code="property.missing_economies",
        rule="PRO-2",
        gsan_key="atencao.required",
        en=["Property 7 must have at least one category with economies."],
        pt=["Imóvel 7 deve ter ao menos uma categoria com economias."],
    )


def test_pro_1_and_pro_2_report_everything_at_once() -> None:
    bad = prop(locality_id=9, profile_id=9, categories=())
    codes = [(v.code, v.rule) for v in check_property(bad, refs=REFS)]
    assert codes == [
        ("property.unknown_reference", "PRO-1"),
        ("property.inconsistent_location", "PRO-1"),
        ("property.inconsistent_location", "PRO-1"),
        ("property.unknown_reference", "PRO-2"),
        ("property.missing_economies", "PRO-2"),
    ]


# ---------------------------------------------------------------- PRO-3
@pytest.mark.parametrize(
    ("field", "which", "qual"),
    [("water_status_id", "water", "água"), ("sewer_status_id", "sewer", "esgoto")],
)
def test_pro_3_cadastral_change_never_moves_a_situation(
    field: str, which: str, qual: str
) -> None:
    before = prop()
    after = attrs.evolve(before, **{field: 5 if which == "water" else 3})
    violation = only(check_change(before, after, refs=REFS))
    assert_violation(
        violation,
        code="property.situation_change_not_allowed",
        rule="PRO-3",
        gsan_key=None,
        en=[f"Property 7: the {which} situation changes only through its connection"],
        pt=[f"Imóvel 7: a situação de {qual} só muda pelas operações da ligação"],
    )


def test_pro_3_other_changes_are_checked_with_pro_1_and_pro_2() -> None:
    before = prop()
    assert check_change(before, prop(block_id=100, profile_id=4), refs=REFS) == ()
    both = prop(water_status_id=5, sewer_status_id=3, profile_id=9)
    codes = [v.code for v in check_change(before, both, refs=REFS)]
    assert codes == [
        "property.unknown_reference",
        "property.situation_change_not_allowed",
        "property.situation_change_not_allowed",
    ]
