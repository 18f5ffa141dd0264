"""Foundation rules and model helpers: properties (PRO-1..3), units (UNI-1..5,
USR-1), catalog attribute coercion (CAT-3), the profile and the event registry."""

from __future__ import annotations

import gc
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import pytest

from gsan_core import profiles
from gsan_core.model.catalog import AttributeSpec, CatalogItem, CatalogKind
from gsan_core.model.events import DomainEvent, all_event_types
from gsan_core.model.kinds import ALL_KINDS, kinds_by_name
from gsan_core.model.properties import Economies, Property
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules import catalog as catalog_rules
from gsan_core.rules import properties as property_rules
from gsan_core.rules import units as unit_rules
from tests.unit.orders_helpers import codes, only

REFS = property_rules.PropertyReferences(
    localities=frozenset({1}),
    sector_locality={10: 1, 20: 2},
    block_sector={100: 10, 200: 20},
    route_locality={1000: 1, 2000: 2},
    profiles=frozenset({1}),
    water_statuses=frozenset({3}),
    sewer_statuses=frozenset({1}),
    categories=frozenset({1, 2}),
    subcategory_category={10: 1},
    collection_situations=frozenset({1}),
)


def prop(**changes: Any) -> Property:
    values: dict[str, Any] = {
        "id": 5,
        "locality_id": 1,
        "sector_id": 10,
        "block_id": 100,
        "route_id": 1000,
        "profile_id": 1,
        "categories": (Economies(category_id=1, subcategory_id=10, count=2),),
        "water_status_id": 3,
        "sewer_status_id": 1,
        "collection_situation_ids": {1},
    }
    values.update(changes)
    return Property(**values)


# ---------------------------------------------------------------- properties
def test_pro_1_2_a_consistent_property_passes() -> None:
    assert not property_rules.check_property(prop(), refs=REFS)
    assert prop().economies == 2
    assert prop(categories=()).main_category is None
    tie = prop(
        categories=(
            Economies(category_id=2, count=1),
            Economies(category_id=1, count=3),
            Economies(category_id=3, count=3),
        )
    )
    assert tie.main_category == Economies(category_id=1, count=3)
    with pytest.raises(ValueError, match="positive"):
        Economies(category_id=1, count=0)


def test_pro_1_location_must_exist_and_agree() -> None:
    found = property_rules.check_property(
        prop(locality_id=9, sector_id=20, block_id=200, route_id=2000), refs=REFS
    )
    assert codes(found) == [
        "property.unknown_reference",
        "property.inconsistent_location",
        "property.inconsistent_location",
    ]
    assert [v.params["child"] for v in found[1:]] == ["sector", "route"]
    only(
        found[:1], "property.unknown_reference", "PRO-2", "atencao.pesquisa_inexistente"
    )
    unknown = property_rules.check_property(
        prop(sector_id=99, block_id=999, route_id=9999), refs=REFS
    )
    assert [v.params["field"] for v in unknown] == ["sector", "block", "route"]
    assert not property_rules.check_property(prop(route_id=None), refs=REFS)


def test_pro_2_references_and_economies() -> None:
    found = property_rules.check_property(
        prop(
            profile_id=9,
            water_status_id=9,
            sewer_status_id=9,
            collection_situation_ids={7},
            categories=(
                Economies(category_id=9),
                Economies(category_id=2, subcategory_id=99),
                Economies(category_id=2, subcategory_id=10),
            ),
        ),
        refs=REFS,
    )
    assert [v.params.get("field") for v in found] == [
        "property profile",
        "water situation",
        "sewer situation",
        "collection situation",
        "category",
        "subcategory",
        None,
    ]
    only(
        property_rules.check_property(prop(categories=()), refs=REFS),
        "property.missing_economies",
        "PRO-2",
        "atencao.required",
    )


def test_pro_3_cadastral_change_keeps_the_situations() -> None:
    found = property_rules.check_change(
        prop(), prop(water_status_id=3, sewer_status_id=1, block_face=2), refs=REFS
    )
    assert not found
    changed = attrs.evolve(
        REFS, water_statuses=frozenset({3, 5}), sewer_statuses=frozenset({1, 3})
    )
    found = property_rules.check_change(
        prop(), prop(water_status_id=5, sewer_status_id=3), refs=changed
    )
    assert [v.params["which"] for v in found] == ["water", "sewer"]
    assert {v.rule for v in found} == {"PRO-3"}


def test_pro_1_location_entries() -> None:
    kwargs: dict[str, Any] = {
        "entity": "block",
        "entity_id": 7,
        "localities": frozenset({1}),
        "sector_locality": {10: 1, 20: 2},
    }
    assert not property_rules.check_location_entry(
        locality_id=1, sector_id=10, **kwargs
    )
    assert not property_rules.check_location_entry(
        locality_id=1, sector_id=None, **kwargs
    )
    found = property_rules.check_location_entry(locality_id=9, sector_id=99, **kwargs)
    assert codes(found) == ["property.location.unknown_parent"] * 2
    only(
        property_rules.check_location_entry(locality_id=1, sector_id=20, **kwargs),
        "property.location.mismatch",
        "PRO-1",
        None,
    )


# ---------------------------------------------------------------- units
LEVELS = {10: 1, 11: 2, 12: 3, 99: None}


def unit(id: int, **changes: Any) -> OrganizationalUnit:
    values: dict[str, Any] = {"id": id, "name": f"UNIDADE {id}", "unit_type_id": 12}
    values.update(changes)
    return OrganizationalUnit(**values)


TREE = {
    1: unit(1, unit_type_id=10),
    2: unit(2, unit_type_id=11, superior_id=1, acronym="U2", locality_id=7),
    3: unit(3, superior_id=2),
    4: unit(4, active=False),
}


def check(candidate: OrganizationalUnit, *, vary: bool = True) -> tuple[Any, ...]:
    return unit_rules.check_unit(
        candidate, units=TREE, type_levels=LEVELS, vary_hierarchy=vary
    )


def test_uni_a_valid_unit_passes_both_hierarchies() -> None:
    assert not check(unit(5, superior_id=2))
    assert not check(unit(5, superior_id=2), vary=False)
    assert not check(unit(5, superior_id=1), vary=True)
    assert not check(unit(5, unit_type_id=99, superior_id=3))


def test_uni_1_names_acronyms_and_types() -> None:
    found = check(unit(5, name="unidade 2", acronym="u2", unit_type_id=50))
    assert codes(found) == [
        "unit.unknown_type",
        "unit.duplicate_name",
        "unit.duplicate_acronym",
    ]
    assert not check(unit(5, name="UNIDADE 4"))
    assert not check(unit(5, name="UNIDADE 2", active=False))


def test_uni_2_superiors_and_cycles() -> None:
    assert codes(check(unit(5, superior_id=4))) == ["unit.unknown"]
    assert codes(check(unit(5, superior_id=77, dispatch_centre_id=78))) == [
        "unit.unknown",
        "unit.unknown",
    ]
    cycle = check(unit(1, unit_type_id=10, superior_id=3))
    assert "unit.cycle" in codes(cycle)
    assert "unit.cycle" in codes(check(unit(3, superior_id=3)))
    assert not check(unit(5, dispatch_centre_id=2))


def test_uni_4_hierarchy_levels() -> None:
    only(
        check(unit(5, unit_type_id=11, superior_id=2)),
        "unit.hierarchy_level",
        "UNI-4",
        "atencao.nivel_unidade_superior_invalido",
    )
    only(
        check(unit(5, superior_id=1), vary=False),
        "unit.hierarchy_level",
        "UNI-4",
        "atencao.nivel_unidade_superior_invalido",
    )


def test_uni_5_one_unit_per_locality() -> None:
    assert "unit.duplicate_locality" in codes(check(unit(5, locality_id=7)))


def test_ancestors_stop_at_a_cycle_or_a_missing_unit() -> None:
    assert [u.id for u in unit_rules.ancestors(3, TREE)] == [2, 1]
    looped = {1: unit(1, superior_id=2), 2: unit(2, superior_id=1)}
    assert [u.id for u in unit_rules.ancestors(1, looped)] == [2]
    assert list(unit_rules.ancestors(9, TREE)) == []
    assert list(unit_rules.ancestors(5, {5: unit(5, superior_id=6)})) == []


def test_usr_1_user_needs_a_name_and_an_active_home_unit() -> None:
    assert not unit_rules.check_user(User(id=1, name="ANA", unit_id=2), units=TREE)
    found = unit_rules.check_user(User(id=1, name=" ", unit_id=4), units=TREE)
    assert codes(found) == ["common.required", "unit.unknown"]


# ---------------------------------------------------------------- catalog
KIND = CatalogKind(
    name="sample",
    title="Sample",
    title_pt="Amostra",
    gsan_table="x.sample",
    attributes=(
        AttributeSpec(name="flag", type="bool"),
        AttributeSpec(name="count", type="int", min_value=1, max_value=3),
        AttributeSpec(name="target", type="ref", ref="other"),
        AttributeSpec(name="rate", type="decimal", min_value=Decimal(0)),
        AttributeSpec(name="code", type="str", max_length=2),
        AttributeSpec(name="needed", type="int", required=True, default=None),
    ),
)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("flag", True, True),
        ("count", "2", 2),
        ("count", "-", None),
        ("target", 7, 7),
        ("rate", "1.5", Decimal("1.5")),
        ("rate", 2, Decimal(2)),
        ("code", "AB", "AB"),
    ],
)
def test_cat_3_coercion_of_good_values(
    name: str, value: object, expected: object
) -> None:
    typed, found = catalog_rules.coerce_attributes(KIND, {name: value, "needed": 1})
    if expected is None:
        assert codes(found) == ["catalog.attribute_wrong_type"]
    else:
        assert typed[name] == expected
        assert not found


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("flag", 1),
        ("count", True),
        ("count", 1.5),
        ("rate", True),
        ("rate", 1.5),
        ("rate", "abc"),
        ("rate", object()),
        ("code", 3),
    ],
)
def test_cat_3_wrong_types(name: str, value: object) -> None:
    _, found = catalog_rules.coerce_attributes(KIND, {name: value, "needed": 1})
    assert codes(found) == ["catalog.attribute_wrong_type"]


def test_cat_3_ranges_lengths_required_and_unknown() -> None:
    _, found = catalog_rules.coerce_attributes(
        KIND, {"count": 9, "code": "ABC", "rate": "-1", "extra": 1}
    )
    assert codes(found) == [
        "catalog.unknown_attribute",
        "catalog.attribute_out_of_range",
        "catalog.attribute_out_of_range",
        "common.too_long",
        "common.required",
    ]


def test_cat_3_references_must_point_to_active_rows() -> None:
    item = CatalogItem(
        kind="sample", id=1, description="A", attributes={"target": 5, "needed": 1}
    )
    inactive = CatalogItem(kind="other", id=5, description="B", active=False)
    found = catalog_rules.check_item(
        item, kind=KIND, siblings=[], lookup=lambda kind, ident: inactive
    )
    only(found, "catalog.reference_missing", "CAT-3", "atencao.pesquisa_inexistente")


def test_catalog_item_typed_reads() -> None:
    item = CatalogItem(
        kind="sample",
        id=1,
        description="A",
        attributes={"count": "4", "rate": Decimal("1.5"), "code": "X", "flag": True},
    )
    assert item.integer("count") == 4
    assert item.integer("flag") is None
    assert item.integer("absent") is None
    assert item.decimal("rate") == Decimal("1.5")
    assert item.decimal("flag") is None
    assert item.text("code") == "X"
    assert item.text("count") is not None
    assert item.text("rate") is None
    assert KIND.attribute("absent") is None


# ---------------------------------------------------------------- profile and kinds
def test_profile_roles_and_features() -> None:
    profile = profiles.default().profile
    assert profile.id("closing_reason.overdue") == 32
    assert profile.id("nothing.here") is None
    with pytest.raises(ValueError, match="several ids"):
        profile.id("service_type.cut")
    assert profile.plays("property_profile.social_tariff", 4)
    assert not profile.plays("property_profile.social_tariff", None)
    assert profile.allowed("water.cut") == frozenset({3, 4})
    assert profile.enabled("catalog")
    assert not profile.enabled("scheduling")


def test_kinds_are_unique_by_name() -> None:
    assert set(kinds_by_name()) == {k.name for k in ALL_KINDS}
    with pytest.raises(ValueError, match="declared twice"):
        kinds_by_name((ALL_KINDS[0], ALL_KINDS[0]))


def test_event_tags_are_unique() -> None:
    found = all_event_types()
    assert found["service_order.closed"].__name__ == "ServiceOrderClosed"

    @attrs.frozen(kw_only=True)
    class Untagged(DomainEvent):
        """An intermediate base: no tag of its own."""

    @attrs.frozen(kw_only=True)
    class Clash(Untagged):
        tag: ClassVar[str] = "service_order.closed"

    try:
        with pytest.raises(TypeError, match="used by two classes"):
            all_event_types()
    finally:
        del Clash, Untagged
        gc.collect()
    assert all_event_types() == found
