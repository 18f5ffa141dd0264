"""The shipped Hypothesis strategies draw values the rules accept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gsan_core
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.kinds import kinds_by_name
from gsan_core.model.properties import Block, Locality, Property
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.catalog import check_item, coerce_attributes
from gsan_core.testing import strategies as gst
from gsan_core.testing.contracts import location

SYSTEM = gsan_core.in_memory()
SYSTEM.properties.load_locations(
    actor=0,
    localities=[location()[0]],
    sectors=[location()[1]],
    blocks=[location()[2]],
    routes=[location()[3]],
)
KINDS = kinds_by_name()
REFERENCES = {
    name: [row.id for row in SYSTEM.catalog.list(name, active_only=True)]
    for name in KINDS
}


def find(kind: str, ident: int) -> CatalogItem | None:
    return next((r for r in SYSTEM.catalog.list(kind) if r.id == ident), None)


@given(gst.properties())
def test_default_properties_pass_pro_1_and_pro_2(prop: Property) -> None:
    assert SYSTEM.properties.check(prop) == ()
    assert prop.economies >= 1


@pytest.mark.parametrize("kind", sorted(KINDS))
@given(data=st.data())
def test_catalog_items_pass_cat_1_to_cat_3(kind: str, data: st.DataObject) -> None:
    spec = KINDS[kind]
    item = data.draw(gst.catalog_items(kind=spec, references=REFERENCES))
    assert item.kind == kind
    violations = check_item(
        item,
        kind=spec,
        siblings=[],
        lookup=lambda k, i: (
            SYSTEM.catalog.list(k)
            and next((r for r in SYSTEM.catalog.list(k) if r.id == i), None)
        ),
    )
    assert violations == ()
    typed, problems = coerce_attributes(spec, item.attributes)
    assert problems == []
    assert typed == dict(item.attributes)


@given(gst.descriptions(max_size=5))
def test_descriptions_are_never_blank(text: str) -> None:
    assert text == text.strip()
    assert 1 <= len(text) <= 5
    assert "  " not in text


@given(gst.aware_datetimes())
def test_aware_datetimes(at: object) -> None:
    assert at.utcoffset() is not None  # type: ignore[attr-defined]


@given(gst.money(min_value=1, max_value=5))
def test_money_is_finite_with_two_places(value: Decimal) -> None:
    assert Decimal(1) <= value <= Decimal(5)
    assert value == value.quantize(Decimal("0.01"))


@given(
    gst.localities(),
    gst.blocks(sectors=[(2, 20)]),
    gst.organizational_units(superior_ids=[1, 2]),
    gst.users(unit_ids=[7]),
)
def test_location_and_unit_strategies(
    locality: object, block: object, unit: object, user: object
) -> None:
    assert isinstance(locality, Locality)
    assert isinstance(block, Block)
    assert (block.locality_id, block.sector_id) == (2, 20)
    assert isinstance(unit, OrganizationalUnit)
    assert unit.superior_id in (None, 1, 2)
    assert isinstance(user, User)
    assert user.unit_id == 7


@given(gst.organizational_units())
def test_units_without_superiors(unit: object) -> None:
    assert unit.superior_id is None  # type: ignore[attr-defined]


@given(gst.catalog_items(kind=KINDS["subcategory"]))
def test_reference_attributes_without_known_targets_are_ids(item: CatalogItem) -> None:
    assert isinstance(item.attributes["category_id"], int)


@given(gst.properties(consumption_tariff_ids=(1, 2), well_type_ids=(1, 2)))
def test_properties_with_a_tariff_and_a_well_type_pass_pro_2(prop: Property) -> None:
    assert prop.consumption_tariff_id in (None, 1, 2)
    assert prop.well_type_id in (None, 1, 2)
    assert SYSTEM.properties.check(prop) == ()


@given(gst.properties(collection_situation_ids=()))
def test_properties_without_collection_situations(prop: Property) -> None:
    assert prop.collection_situation_ids == frozenset()
