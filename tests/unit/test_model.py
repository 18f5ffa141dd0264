"""Helpers of the model ring: catalog rows, properties, profiles, event tags."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import ClassVar

import attrs
import pytest

from gsan_core.model.billing import Charge, ChargeShare
from gsan_core.model.catalog import (
    AttributeSpec,
    CatalogItem,
    CatalogItemAdded,
    CatalogKind,
)
from gsan_core.model.events import DomainEvent, all_event_types
from gsan_core.model.kinds import ALL_KINDS, kinds_by_name
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Economies, Property
from gsan_core.model.reference_tables import FOUNDATION_KINDS, WATER_STATUS

AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


# ---------------------------------------------------------------- catalog
def row(**attributes: object) -> CatalogItem:
    return CatalogItem(
        kind="water_status",
        id=3,
        description="LIGADO",
        attributes=attributes,  # type: ignore[arg-type]
    )


def test_catalog_item_flag_is_true_only_for_true() -> None:
    item = row(billing=True, network_exists=False, count=1, label="true")
    assert item.flag("billing") is True
    assert item.flag("network_exists") is False
    assert item.flag("count") is False
    assert item.flag("label") is False
    assert item.flag("absent") is False


def test_catalog_item_integer() -> None:
    item = row(count=7, flag=True, rate=Decimal("3.0"), none=None)
    assert item.integer("count") == 7
    assert item.integer("rate") == 3
    assert item.integer("flag") is None
    assert item.integer("none") is None
    assert item.integer("absent") is None


def test_catalog_item_text() -> None:
    item = row(code="C", count=1)
    assert item.text("code") == "C"
    assert item.text("count") is None
    assert item.text("absent") is None


def test_catalog_item_decimal() -> None:
    item = row(rate=Decimal("80.00"), count=2, flag=False, text="1.5")
    assert item.decimal("rate") == Decimal("80.00")
    assert str(item.decimal("rate")) == "80.00"
    assert item.decimal("count") == Decimal(2)
    assert item.decimal("text") == Decimal("1.5")
    assert item.decimal("flag") is None
    assert item.decimal("absent") is None


def test_catalog_item_attributes_are_sorted_copies() -> None:
    given = {"b": 1, "a": 2}
    item = row(**given)
    given["c"] = 3
    assert list(item.attributes) == ["a", "b"]
    assert item == row(a=2, b=1)


def test_catalog_kind_finds_its_attributes() -> None:
    assert WATER_STATUS.attribute("billing") == AttributeSpec(
        name="billing",
        type="bool",
        default=False,
        doc="last_icfaturamento: the situation is billed",
    )
    assert WATER_STATUS.attribute("nothing") is None


def test_kinds_by_name_covers_every_foundation_kind() -> None:
    kinds = kinds_by_name()
    assert {k.name for k in FOUNDATION_KINDS} <= set(kinds)
    assert len(kinds) == len(ALL_KINDS)
    assert kinds["water_status"] is WATER_STATUS


def test_kinds_by_name_refuses_a_name_declared_twice() -> None:
    copy = CatalogKind(name="water_status", title="x", title_pt="x", gsan_table="x")
    with pytest.raises(ValueError, match="'water_status' is declared twice"):
        kinds_by_name((WATER_STATUS, copy))


def test_every_referenced_kind_exists() -> None:
    kinds = kinds_by_name()
    for kind in kinds.values():
        for spec in kind.attributes:
            if spec.type == "ref":
                assert spec.ref in kinds, (kind.name, spec.name)


# ---------------------------------------------------------------- properties
def prop(*categories: Economies) -> Property:
    return Property(
        id=1,
        locality_id=1,
        sector_id=1,
        block_id=1,
        profile_id=1,
        categories=categories,
        water_status_id=3,
        sewer_status_id=1,
    )


def test_property_economies_sum_every_category() -> None:
    assert prop().economies == 0
    assert (
        prop(Economies(category_id=1, count=2), Economies(category_id=2)).economies == 3
    )


def test_property_main_category_has_most_economies_first_on_tie() -> None:
    assert prop().main_category is None
    first = Economies(category_id=1, count=2)
    second = Economies(category_id=2, count=5)
    tie = Economies(category_id=3, count=5)
    assert prop(first, second, tie).main_category == second
    assert prop(first).main_category == first


def test_property_collections_are_frozen() -> None:
    built = attrs.evolve(
        prop(*[Economies(category_id=1)]), collection_situation_ids=[3, 2, 3]
    )
    assert built.categories == (Economies(category_id=1),)
    assert built.collection_situation_ids == frozenset({2, 3})


@pytest.mark.parametrize("count", [0, -1])
def test_economies_count_must_be_positive(count: int) -> None:
    with pytest.raises(ValueError, match=f"count must be positive, got {count}"):
        Economies(category_id=1, count=count)


def test_charge_shares_become_a_tuple() -> None:
    share = ChargeShare(category_id=1, economies=1, amount=Decimal(10))
    charge = Charge(
        id=1,
        property_id=1,
        debit_type_id=1,
        total=Decimal(10),
        installments=1,
        installment_value=Decimal(10),
        generated_at=AT,
        shares=[share],  # type: ignore[arg-type]
        actor=1,
    )
    assert charge.shares == (share,)


# ---------------------------------------------------------------- profile
PROFILE = UtilityProfile(
    name="test",
    features=["catalog", "units"],
    roles={"water_status.cut": [5], "cut_type.branch": (4, 9)},
    transitions={"water.cut": [3, 4]},
)


def test_profile_ids_of_a_role() -> None:
    assert PROFILE.ids("water_status.cut") == frozenset({5})
    assert PROFILE.ids("cut_type.branch") == frozenset({4, 9})
    assert PROFILE.ids("unused") == frozenset()


def test_profile_single_id_of_a_role() -> None:
    assert PROFILE.id("water_status.cut") == 5
    assert PROFILE.id("unused") is None


def test_profile_single_id_refuses_a_multi_id_role() -> None:
    with pytest.raises(ValueError, match=r"several ids \[4, 9\]; use ids\(\)"):
        PROFILE.id("cut_type.branch")


def test_profile_plays() -> None:
    assert PROFILE.plays("cut_type.branch", 9)
    assert not PROFILE.plays("cut_type.branch", 5)
    assert not PROFILE.plays("cut_type.branch", None)
    assert not PROFILE.plays("unused", 4)


def test_profile_allowed_and_enabled() -> None:
    assert PROFILE.allowed("water.cut") == frozenset({3, 4})
    assert PROFILE.allowed("water.reconnect") == frozenset()
    assert PROFILE.enabled("catalog")
    assert not PROFILE.enabled("hydrometers")


def test_profile_maps_are_frozen_and_typed() -> None:
    assert PROFILE.features == frozenset({"catalog", "units"})
    assert isinstance(PROFILE.roles["water_status.cut"], frozenset)
    assert UtilityProfile(name="x", roles={"r": ["7"]}).ids("r") == frozenset({7})  # type: ignore[list-item]


def test_profile_defaults() -> None:
    plain = UtilityProfile(name="plain")
    assert (plain.timezone, plain.state) == ("America/Sao_Paulo", "SP")
    assert plain.system.financing_interest_rate == Decimal("1.00")
    assert plain.service_requests.vary_unit_hierarchy is False
    assert plain.features == frozenset()


# ---------------------------------------------------------------- events
def test_every_event_has_a_distinct_stable_tag() -> None:
    types = all_event_types()
    assert types["catalog.item_added"] is CatalogItemAdded
    assert {
        "catalog.item_added",
        "catalog.item_changed",
        "catalog.item_removed",
        "property.registered",
        "property.bulk_loaded",
        "property.changed",
        "unit.registered",
        "unit.changed",
        "user.registered",
        "billing.charge_created",
    } <= set(types)
    assert all(cls.tag == tag for tag, cls in types.items())
    assert "" not in types


@pytest.fixture
def scratch_events() -> Iterator[None]:
    """Event classes a test declares disappear from the registry afterwards."""
    yield
    gc.collect()
    assert "test.duplicated" not in all_event_types()
    assert "test.child" not in all_event_types()
    assert "test.fresh" not in all_event_types()


@pytest.mark.usefixtures("scratch_events")
def test_event_subclasses_without_tag_are_skipped_but_their_children_found() -> None:
    @attrs.frozen(kw_only=True)
    class Intermediate(DomainEvent):
        pass

    @attrs.frozen(kw_only=True)
    class Child(Intermediate):
        tag: ClassVar[str] = "test.child"

    types = all_event_types()
    assert types["test.child"] is Child
    assert Intermediate not in types.values()
    del Intermediate, Child


@pytest.mark.usefixtures("scratch_events")
def test_a_tag_used_by_two_classes_is_a_type_error() -> None:
    @attrs.frozen(kw_only=True)
    class First(DomainEvent):
        tag: ClassVar[str] = "test.duplicated"

    @attrs.frozen(kw_only=True)
    class Second(DomainEvent):
        tag: ClassVar[str] = "test.duplicated"

    with pytest.raises(TypeError, match=r"'test\.duplicated' is used by two classes"):
        all_event_types()
    del First, Second


@pytest.mark.usefixtures("scratch_events")
def test_a_freshly_declared_slotted_event_counts_once() -> None:
    """attrs replaces the class; the original lingers until collected."""
    gc.disable()
    try:

        @attrs.frozen(kw_only=True)
        class Fresh(DomainEvent):
            tag: ClassVar[str] = "test.fresh"

        assert all_event_types()["test.fresh"] is Fresh
        del Fresh
    finally:
        gc.enable()


def test_events_record_actor_and_instant() -> None:
    event = CatalogItemAdded(occurred_at=AT, actor=9, kind="cut_reason", item_id=1)
    assert (event.actor, event.occurred_at) == (9, AT)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        event.actor = 1  # type: ignore[misc]
