"""CAT-1..CAT-5: the rules of the reference tables (``gsan_core.rules.catalog``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gsan_core.errors import Violation
from gsan_core.model.catalog import AttributeSpec, CatalogItem, CatalogKind
from gsan_core.model.reference_tables import CUT_TYPE, SUBCATEGORY
from gsan_core.rules.catalog import (
    SiblingIndex,
    check_item,
    check_removal,
    coerce_attributes,
)
from tests.support import assert_violation, only

#: A kind exercising every option of CatalogKind and AttributeSpec.
BRAND = CatalogKind(
    name="meter_brand",
    title="Meter brand",
    title_pt="Marca de hidrômetro",
    gsan_table="micromedicao.hidrometro_marca",
    description_max_length=12,
    abbreviation_max_length=3,
    abbreviation_required=True,
    abbreviation_unique=True,
    attributes=(
        AttributeSpec(
            name="letter", type="str", required=True, unique=True, max_length=1
        ),
        AttributeSpec(name="capacity", type="int", min_value=1, max_value=10),
        AttributeSpec(name="floor", type="int", min_value=0),
        AttributeSpec(name="rate", type="decimal", min_value=0, max_value=100),
        AttributeSpec(name="main", type="bool", default=False),
        AttributeSpec(name="note", type="str"),
        AttributeSpec(name="category_id", type="ref", ref="category"),
        AttributeSpec(name="loose_id", type="ref"),
    ),
)
CATEGORIES = {
    1: CatalogItem(kind="category", id=1, description="RESIDENCIAL"),
    2: CatalogItem(kind="category", id=2, description="ANTIGA", active=False),
}


def lookup(kind: str, ident: int) -> CatalogItem | None:
    assert kind == "category"
    return CATEGORIES.get(ident)


def brand(
    id: int = 1,
    *,
    description: str = "ELSTER",
    abbreviation: str | None = "ELS",
    active: bool = True,
    **attributes: object,
) -> CatalogItem:
    values: dict[str, object] = {"letter": "E"}
    values.update(attributes)
    return CatalogItem(
        kind="meter_brand",
        id=id,
        description=description,
        abbreviation=abbreviation,
        active=active,
        attributes=values,  # type: ignore[arg-type]
    )


def check(
    item: CatalogItem,
    siblings: Iterable[CatalogItem] | SiblingIndex = (),
    kind: CatalogKind = BRAND,
) -> tuple[Violation, ...]:
    return check_item(item, kind=kind, siblings=siblings, lookup=lookup)


def test_a_valid_row_has_no_violation() -> None:
    assert check(brand(capacity=10, rate="12.5", main=True, category_id=1)) == ()


# ---------------------------------------------------------------- CAT-1
@pytest.mark.parametrize("description", ["", "   "])
def test_cat_1_description_is_required(description: str) -> None:
    violation = only(check(brand(description=description)))
    assert_violation(
        violation,
        code="common.required",
        rule=None,
        gsan_key="atencao.required",
        en=["Meter brand: description is required."],
        pt=["Marca de hidrômetro: descrição é obrigatório(a)."],
    )


def test_cat_1_description_within_the_kind_length() -> None:
    assert check(brand(description="X" * 12)) == ()
    violation = only(check(brand(description="X" * 13)))
    assert_violation(
        violation,
        code="common.too_long",
        rule=None,
        gsan_key="atencao.execedeu_limit_observacao",
        en=["Meter brand: description has 13 characters; at most 12"],
        pt=["Marca de hidrômetro: descrição tem 13 caracteres; o máximo é 12."],
    )


# ---------------------------------------------------------------- CAT-2
def test_cat_2_abbreviation_required_where_the_kind_says_so() -> None:
    violation = only(check(brand(abbreviation=None)))
    assert_violation(
        violation,
        code="common.required",
        rule=None,
        gsan_key="atencao.required",
        en=["Meter brand: abbreviation is required."],
        pt=["Marca de hidrômetro: descrição abreviada é obrigatório(a)."],
    )


def test_cat_2_abbreviation_within_its_length() -> None:
    violation = only(check(brand(abbreviation="ELST")))
    assert_violation(
        violation,
        code="common.too_long",
        rule=None,
        gsan_key="atencao.execedeu_limit_observacao",
        en=["abbreviation has 4 characters; at most 3"],
        pt=["descrição abreviada tem 4 caracteres; o máximo é 3."],
    )


def test_cat_2_optional_abbreviation_may_be_missing_but_not_too_long() -> None:
    cut = CatalogItem(kind="cut_type", id=1, description="RAMAL")
    assert check(cut, kind=CUT_TYPE) == ()
    long = attrs.evolve(cut, abbreviation="X" * 11)
    assert only(check(long, kind=CUT_TYPE)).code == "common.too_long"


# ---------------------------------------------------------------- CAT-3
def test_cat_3_unknown_attribute() -> None:
    violation = only(check(brand(colour="red")))
    assert_violation(
        violation,
        code="catalog.unknown_attribute",
        rule="CAT-3",
        gsan_key=None,
        en=["Meter brand has no attribute 'colour'."],
        pt=["Marca de hidrômetro não tem o atributo 'colour'."],
        identifiers=["colour"],
    )


@pytest.mark.parametrize(
    ("name", "value", "expected", "esperado"),
    [
        ("main", "yes", "a boolean", "verdadeiro ou falso"),
        ("main", 1, "a boolean", "verdadeiro ou falso"),
        ("capacity", True, "an integer", "um número inteiro"),
        ("capacity", 1.5, "an integer", "um número inteiro"),
        ("capacity", "1.5", "an integer", "um número inteiro"),
        ("category_id", "one", "an id", "um id"),
        ("rate", 1.5, "a decimal", "um número decimal"),
        ("rate", False, "a decimal", "um número decimal"),
        ("rate", "abc", "a decimal", "um número decimal"),
        ("rate", [1], "a decimal", "um número decimal"),
        ("note", 5, "text", "um texto"),
    ],
)
def test_cat_3_attribute_of_the_wrong_type(
    name: str, value: object, expected: str, esperado: str
) -> None:
    violation = only(check(brand(**{name: value})))
    assert_violation(
        violation,
        code="catalog.attribute_wrong_type",
        rule="CAT-3",
        gsan_key=None,
        en=[f"{name} of Meter brand must be {expected}, got {value!r}."],
        pt=[f"{name} de Marca de hidrômetro deve ser {esperado}; informado {value!r}."],
        identifiers=[name],
    )


def test_cat_3_values_are_coerced_and_defaults_filled() -> None:
    typed, violations = coerce_attributes(
        BRAND,
        {
            "letter": "E",
            "capacity": " 7 ",
            "rate": 3,
            "category_id": "1",
            "floor": "-0",
        },
    )
    assert violations == []
    assert typed == {
        "letter": "E",
        "capacity": 7,
        "floor": 0,
        "rate": Decimal(3),
        "main": False,
        "note": None,
        "category_id": 1,
        "loose_id": None,
    }
    assert isinstance(typed["rate"], Decimal)


def test_cat_3_decimal_from_text_keeps_its_digits() -> None:
    typed, _ = coerce_attributes(BRAND, {"letter": "E", "rate": "80.00"})
    assert str(typed["rate"]) == "80.00"


def test_cat_3_required_attribute_missing() -> None:
    violation = only(check(brand(letter=None)))
    assert_violation(
        violation,
        code="common.required",
        rule=None,
        gsan_key="atencao.required",
        en=["Meter brand: letter is required."],
        pt=["Marca de hidrômetro: letter é obrigatório(a)."],
        identifiers=["letter"],
    )


def test_cat_3_required_attribute_with_a_default_is_filled() -> None:
    typed, violations = coerce_attributes(CUT_TYPE, {})
    assert (typed, violations) == ({"administrative": False}, [])


@pytest.mark.parametrize(
    ("name", "value", "bounds"),
    [
        ("capacity", 0, "between 1 and 10, got 0"),
        ("capacity", 11, "between 1 and 10, got 11"),
        ("floor", -1, "between 0 and -, got -1"),
        ("rate", "100.01", "between 0 and 100, got 100.01"),
    ],
)
def test_cat_3_attribute_out_of_range(name: str, value: object, bounds: str) -> None:
    violation = only(check(brand(**{name: value})))
    assert_violation(
        violation,
        code="catalog.attribute_out_of_range",
        rule="CAT-3",
        gsan_key=None,
        en=[f"{name} of Meter brand must be {bounds}."],
        pt=[f"{name} de Marca de hidrômetro deve estar entre"],
        identifiers=[name],
    )


def test_cat_3_range_bounds_are_inclusive() -> None:
    assert check(brand(capacity=1, rate="100", floor=0)) == ()
    assert check(brand(capacity=10, rate="0")) == ()
    assert check(brand(floor=10**9)) == ()


def test_cat_3_text_attribute_within_its_length() -> None:
    violation = only(check(brand(letter="EL")))
    assert_violation(
        violation,
        code="common.too_long",
        rule=None,
        gsan_key="atencao.execedeu_limit_observacao",
        en=["Meter brand: letter has 2 characters; at most 1"],
        pt=["Marca de hidrômetro: letter tem 2 caracteres; o máximo é 1."],
        identifiers=["letter"],
    )
    assert check(brand(note="any length " * 20)) == ()


@pytest.mark.parametrize("target", [404, 2, "404"])
def test_cat_3_reference_to_missing_or_inactive_row(target: object) -> None:
    violation = only(check(brand(category_id=target)))
    ident = int(str(target))
    assert_violation(
        violation,
        code="catalog.reference_missing",
        rule="CAT-3",
        gsan_key="atencao.pesquisa_inexistente",
        en=[f"category_id points to category {ident}, which does not exist"],
        pt=[f"category_id aponta para category {ident}, inexistente ou inativo(a)."],
        identifiers=["category_id", "category"],
    )
    assert violation.params["value"] == ident


def test_cat_3_an_inactive_row_may_point_to_an_inactive_row() -> None:
    assert check(brand(category_id=2, active=False)) == ()
    missing = only(check(brand(category_id=404, active=False)))
    assert missing.code == "catalog.reference_missing"


def test_cat_3_reference_to_an_active_row_given_as_text() -> None:
    assert check(brand(category_id="1")) == ()


def test_cat_3_reference_without_target_kind_is_not_looked_up() -> None:
    assert check(brand(loose_id=12345)) == ()


def test_cat_3_subcategory_needs_its_category() -> None:
    sub = CatalogItem(kind="subcategory", id=10, description="RESIDENCIAL PADRAO")
    violation = only(check(sub, kind=SUBCATEGORY))
    assert violation.code == "common.required"
    assert violation.params["field"] == "Subcategory: category_id"


def test_cat_3_wrong_typed_reference_is_reported_once() -> None:
    violations = check(brand(category_id=True))
    assert [v.code for v in violations] == ["catalog.attribute_wrong_type"]


def test_check_reports_every_violation_at_once() -> None:
    item = brand(description="", abbreviation="TOOLONG", letter=None, colour=1)
    codes = sorted(v.code for v in check(item))
    assert codes == [
        "catalog.unknown_attribute",
        "common.required",
        "common.required",
        "common.too_long",
    ]


# ---------------------------------------------------------------- CAT-4
def test_cat_4_description_unique_among_active_rows() -> None:
    stored = brand(1, description="ELSTER", abbreviation="E1", letter="A")
    new = brand(2, description="  elster ", abbreviation="E2", letter="B")
    violation = only(check(new, [stored]))
    assert_violation(
        violation,
        code="catalog.duplicate_description",
        rule="CAT-4",
        gsan_key="atencao.descricao_existente",
        en=["Meter brand with the description '  elster ' already exists (id 1)."],
        pt=["Marca de hidrômetro com a descrição '  elster ' já existe (id 1)."],
    )


def test_cat_4_duplicate_description_uses_the_kind_gsan_key() -> None:
    stored = CatalogItem(kind="cut_type", id=1, description="RAMAL")
    new = CatalogItem(kind="cut_type", id=2, description="Ramal")
    violation = only(check(new, [stored], kind=CUT_TYPE))
    assert_violation(
        violation,
        code="catalog.duplicate_description",
        rule="CAT-4",
        gsan_key="atencao.descricao_ja_existente_tipo_corte",
        en=["Cut type with the description 'Ramal' already exists (id 1)."],
        pt=["Tipo de Corte com a descrição 'Ramal' já existe (id 1)."],
    )


def test_cat_4_inactive_rows_and_the_row_itself_do_not_count() -> None:
    inactive = brand(1, description="ELSTER", abbreviation="ELS", active=False)
    itself = brand(2, description="ELSTER", abbreviation="ELS")
    assert check(brand(2), [inactive, itself]) == ()


def test_cat_4_an_inactive_row_is_not_checked_for_uniqueness() -> None:
    stored = brand(1)
    assert check(brand(2, active=False), [stored]) == ()
    assert {v.code for v in check(brand(2), [stored])} == {
        "catalog.duplicate_description",
        "catalog.duplicate_abbreviation",
        "catalog.duplicate_attribute",
    }


def test_cat_4_description_may_repeat_where_the_kind_allows() -> None:
    free = attrs.evolve(BRAND, description_unique=False)
    stored = brand(1, abbreviation="A", letter="A")
    assert check(brand(2, abbreviation="B", letter="B"), [stored], kind=free) == ()


def test_cat_4_abbreviation_unique_where_the_kind_says_so() -> None:
    stored = brand(1, description="ELSTER", abbreviation="els", letter="A")
    new = brand(2, description="ITRON", abbreviation="ELS", letter="B")
    violation = only(check(new, [stored]))
    assert_violation(
        violation,
        code="catalog.duplicate_abbreviation",
        rule="CAT-4",
        gsan_key="atencao.descricao_abreviada_ja_existente",
        en=["Meter brand with the abbreviation 'ELS' already exists (id 1)."],
        pt=["Marca de hidrômetro com a descrição abreviada 'ELS' já existe (id 1)."],
    )


def test_cat_4_abbreviation_may_repeat_on_other_kinds() -> None:
    origin = attrs.evolve(BRAND, abbreviation_unique=False)
    stored = brand(1, description="A", abbreviation="X", letter="A")
    assert (
        check(
            brand(2, description="B", abbreviation="X", letter="B"),
            [stored],
            kind=origin,
        )
        == ()
    )


def test_cat_4_unique_attribute() -> None:
    stored = brand(1, description="ELSTER", abbreviation="A", letter="E")
    new = brand(2, description="ITRON", abbreviation="B", letter="E")
    violation = only(check(new, [stored]))
    assert_violation(
        violation,
        code="catalog.duplicate_attribute",
        rule="CAT-4",
        gsan_key=None,
        en=["Meter brand with letter = 'E' already exists (id 1)."],
        pt=["Marca de hidrômetro com letter = 'E' já existe (id 1)."],
        identifiers=["letter"],
    )


def test_cat_4_unique_attribute_compares_typed_values() -> None:
    kind = attrs.evolve(
        BRAND,
        attributes=(AttributeSpec(name="code", type="int", unique=True),),
        abbreviation_required=False,
    )
    stored = CatalogItem(
        kind="meter_brand", id=1, description="A", attributes={"code": 7}
    )
    new = CatalogItem(
        kind="meter_brand", id=2, description="B", attributes={"code": "7"}
    )  # type: ignore[dict-item]
    assert only(check(new, [stored], kind=kind)).code == "catalog.duplicate_attribute"
    empty = CatalogItem(kind="meter_brand", id=3, description="C")
    assert check(empty, [attrs.evolve(stored, attributes={})], kind=kind) == ()


# ---------------------------------------------------------------- CAT-5
def test_cat_5_a_row_in_use_cannot_be_removed() -> None:
    violation = only(check_removal(brand(7), kind=BRAND, usage=3))
    assert_violation(
        violation,
        code="catalog.in_use",
        rule="CAT-5",
        gsan_key="atencao.dependencias.existentes",
        en=["Meter brand 7 is in use by 3 record(s); deactivate it instead."],
        pt=["Marca de hidrômetro 7 é usado(a) por 3 registro(s); desative-o(a)."],
    )
    assert violation.params["count"] == 3


def test_cat_5_a_row_nothing_uses_can_be_removed() -> None:
    assert check_removal(brand(7), kind=BRAND, usage=0) == ()


# ---------------------------------------------------------------- CAT-4 index
_DESCRIPTIONS = st.sampled_from(["ELSTER", "elster ", "LAO", "ZENNER", "Zenner"])
_ABBREVIATIONS = st.sampled_from(["ELS", "els", "LAO", "ZEN"])
_LETTERS = st.sampled_from(["E", "L", "Z"])


@st.composite
def _brands(draw: st.DrawFn, ident: int) -> CatalogItem:
    return brand(
        ident,
        description=draw(_DESCRIPTIONS),
        abbreviation=draw(_ABBREVIATIONS),
        active=draw(st.booleans()),
        letter=draw(_LETTERS),
    )


@given(
    stored=st.lists(st.integers(1, 40), unique=True, max_size=12).flatmap(
        lambda ids: st.tuples(*(_brands(i) for i in ids))
    ),
    new=_brands(99),
)
def test_cat_4_an_index_of_the_siblings_finds_the_same_duplicates(
    stored: tuple[CatalogItem, ...], new: CatalogItem
) -> None:
    index = SiblingIndex(BRAND, stored)
    assert check(new, index) == check(new, list(stored))


def test_cat_4_the_index_learns_the_rows_added_to_it() -> None:
    index = SiblingIndex(BRAND)
    assert check(brand(1), index) == ()
    index.add(brand(1))
    index.add(brand(2, description="LAO", abbreviation="LAO", letter="L", active=False))
    found = check(brand(3, description="Elster", abbreviation="XYZ", letter="Q"), index)
    assert [v.rule for v in found] == ["CAT-4"]
    assert (
        check(brand(3, description="LAO", abbreviation="LAO", letter="L"), index) == ()
    )
