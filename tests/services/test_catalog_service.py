"""``gsan.catalog``: insert, maintain, deactivate, activate and remove reference rows.

Every test runs on memory, SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.errors import (
    ConcurrencyConflict,
    DuplicateEntity,
    NotFound,
    RuleViolation,
)
from gsan_core.model.catalog import (
    CatalogItem,
    CatalogItemAdded,
    CatalogItemChanged,
    CatalogItemRemoved,
    Reference,
)
from gsan_core.model.kinds import ALL_KINDS
from gsan_core.model.reference_tables import FOUNDATION_KINDS
from gsan_core.testing import DEFAULT_NOW, SequentialIds
from tests.services.conftest import valid_property
from tests.support import assert_violation, only


def new_events(system: gsan_core.System, since: int) -> list[object]:
    return list(system.events[since:])


# ---------------------------------------------------------------- reads
def test_kinds_are_listed_by_name(system: gsan_core.System) -> None:
    names = [k.name for k in system.catalog.kinds()]
    assert names == sorted(names)
    assert names == sorted(kind.name for kind in ALL_KINDS)
    assert {kind.name for kind in FOUNDATION_KINDS} <= set(names)
    assert system.catalog.kind("cut_type").title_pt == "Tipo de Corte"


def test_unknown_kind_is_a_rule_violation(system: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as caught:
        system.catalog.list("meters")
    assert_violation(
        only(caught.value.violations),
        code="catalog.unknown_kind",
        rule=None,
        gsan_key=None,
        en=["There is no reference table named 'meters'."],
        pt=["Não existe tabela de referência chamada 'meters'."],
        identifiers=["meters"],
    )
    with pytest.raises(RuleViolation):
        system.catalog.get("meters", 1)


def test_get_and_list(system: gsan_core.System) -> None:
    ligado = system.catalog.get("water_status", 3)
    assert (ligado.description, ligado.flag("billing"), ligado.version) == (
        "LIGADO",
        True,
        1,
    )
    statuses = system.catalog.list("water_status")
    assert [s.id for s in statuses] == list(range(1, 10))
    active = system.catalog.list("water_status", active_only=True)
    assert [s.id for s in active] == list(range(1, 9))  # 9 EM CANCELAMENTO is inactive
    with pytest.raises(NotFound):
        system.catalog.get("water_status", 404)


def test_references_of_a_kind(system: gsan_core.System) -> None:
    assert system.catalog.references("water_status") == (
        Reference("property", "water_status_id"),
    )
    assert system.catalog.references("cut_reason") == ()


# ---------------------------------------------------------------- add
def test_add_takes_the_next_id_and_types_attributes(system: gsan_core.System) -> None:
    since = len(system.events)
    item = system.catalog.add(
        "sewer_profile",
        description="ESPECIAL",
        abbreviation="ESP",
        attributes={"sewer_percentage": "55.50", "main": False},
        actor=42,
    )
    assert item == CatalogItem(
        kind="sewer_profile",
        id=3,
        description="ESPECIAL",
        abbreviation="ESP",
        attributes={"sewer_percentage": Decimal("55.50"), "main": False},
    )
    assert system.catalog.get("sewer_profile", 3) == item
    assert new_events(system, since) == [
        CatalogItemAdded(
            occurred_at=DEFAULT_NOW, actor=42, kind="sewer_profile", item_id=3
        )
    ]


def test_add_fills_attribute_defaults(system: gsan_core.System) -> None:
    item = system.catalog.add("cut_type", description="LACRE", actor=1)
    assert item.attributes == {"administrative": False}
    assert system.catalog.get("cut_type", item.id).flag("administrative") is False


def test_add_with_an_explicit_id(system: gsan_core.System) -> None:
    item = system.catalog.add("cut_reason", id=90, description="FRAUDE", actor=1)
    assert system.catalog.get("cut_reason", 90) == item
    nxt = system.catalog.add("cut_reason", description="OUTRO", actor=1)
    assert nxt.id == 91


def test_cat_ids_come_from_the_id_port_and_are_not_reused(
    system: gsan_core.System,
) -> None:
    """Issue 19: a new row's id is the id port's (kind ``catalog.<kind>``),
    moved past the seeded rows; a removed row's id is not handed out again
    (``max + 1`` gave it to the next row)."""
    first = system.catalog.add("cut_reason", description="UM", actor=1)
    seeded = [i.id for i in system.catalog.list("cut_reason") if i.id != first.id]
    assert first.id == max(seeded) + 1
    system.catalog.remove("cut_reason", first.id, expected_version=1, actor=1)
    second = system.catalog.add("cut_reason", description="DOIS", actor=1)
    assert second.id == first.id + 1


def test_cat_ids_follow_the_id_generator() -> None:
    """Issue 19: the catalogue takes ids from the system's id generator, as a
    GSAN database hands them out from the table's sequence."""
    ids = SequentialIds(starts={"catalog.cut_reason": 500})
    gsan = gsan_core.in_memory(ids=ids)
    item = gsan.catalog.add("cut_reason", description="NOVO", actor=1)
    assert item.id == 500
    assert ids.next_id("catalog.cut_reason") == 501


def test_add_an_inactive_row(system: gsan_core.System) -> None:
    item = system.catalog.add("cut_reason", description="ANTIGO", active=False, actor=1)
    assert not system.catalog.get("cut_reason", item.id).active
    assert item not in system.catalog.list("cut_reason", active_only=True)


def test_add_an_existing_id_is_a_duplicate(system: gsan_core.System) -> None:
    since = len(system.events)
    with pytest.raises(DuplicateEntity):
        system.catalog.add("cut_reason", id=1, description="OUTRA COISA", actor=1)
    assert system.catalog.get("cut_reason", 1).description != "OUTRA COISA"
    assert new_events(system, since) == []


def test_cat_4_add_refuses_a_duplicate_description(system: gsan_core.System) -> None:
    before = system.catalog.list("cut_type")
    since = len(system.events)
    with pytest.raises(RuleViolation) as caught:
        system.catalog.add("cut_type", description=" ramal ", actor=1)
    violation = only(caught.value.violations)
    assert violation.code == "catalog.duplicate_description"
    assert violation.gsan_key == "atencao.descricao_ja_existente_tipo_corte"
    assert system.catalog.list("cut_type") == before
    assert new_events(system, since) == []


def test_cat_1_to_3_add_reports_every_violation(system: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as caught:
        system.catalog.add(
            "sewer_profile",
            description="",
            attributes={"sewer_percentage": "150", "colour": "red"},
            actor=1,
        )
    assert sorted(caught.value.codes) == [
        "catalog.attribute_out_of_range",
        "catalog.unknown_attribute",
        "common.required",
    ]
    assert len(system.catalog.list("sewer_profile")) == 2


def test_cat_3_add_refuses_a_reference_to_a_missing_row(
    system: gsan_core.System,
) -> None:
    for target in (99, "99"):
        with pytest.raises(RuleViolation) as caught:
            system.catalog.add(
                "subcategory",
                description="X",
                attributes={"category_id": target},
                actor=1,
            )
        assert caught.value.code == "catalog.reference_missing"
    sub = system.catalog.add(
        "subcategory", description="Y", attributes={"category_id": "2"}, actor=1
    )
    assert sub.attributes == {"category_id": 2}


def test_check_lists_violations_without_raising(system: gsan_core.System) -> None:
    duplicate = CatalogItem(kind="cut_reason", id=99, description="falta de  pagamento")
    fine = CatalogItem(kind="cut_reason", id=99, description="NOVO")
    assert [v.code for v in system.catalog.check(duplicate)] == [
        "catalog.duplicate_description"
    ]
    assert system.catalog.check(fine) == ()
    assert system.catalog.list("cut_reason")[-1].id != 99


# ---------------------------------------------------------------- update
def test_update_changes_only_the_given_fields(system: gsan_core.System) -> None:
    since = len(system.events)
    before = system.catalog.get("sewer_profile", 1)
    after = system.catalog.update(
        "sewer_profile",
        1,
        expected_version=1,
        attributes={"sewer_percentage": "70"},
        actor=5,
    )
    assert after.version == 2
    assert after.description == before.description
    assert after.abbreviation == before.abbreviation
    assert after.attributes == {"main": True, "sewer_percentage": Decimal(70)}
    assert system.catalog.get("sewer_profile", 1) == after
    assert new_events(system, since) == [
        CatalogItemChanged(
            occurred_at=DEFAULT_NOW,
            actor=5,
            kind="sewer_profile",
            item_id=1,
            version=2,
            active=True,
        )
    ]


def test_update_description_and_clear_the_abbreviation(
    system: gsan_core.System,
) -> None:
    item = system.catalog.update(
        "cut_reason",
        1,
        expected_version=1,
        description="NOVO NOME",
        abbreviation=None,
        actor=1,
    )
    assert (item.description, item.abbreviation) == ("NOVO NOME", None)
    again = system.catalog.update(
        "cut_reason", 1, expected_version=2, abbreviation="NN", actor=1
    )
    assert (again.description, again.abbreviation, again.version) == (
        "NOVO NOME",
        "NN",
        3,
    )


def test_cat_6_stale_update_conflicts_and_writes_nothing(
    system: gsan_core.System,
) -> None:
    system.catalog.update("cut_reason", 1, expected_version=1, description="A", actor=1)
    since = len(system.events)
    with pytest.raises(ConcurrencyConflict) as caught:
        system.catalog.update(
            "cut_reason", 1, expected_version=1, description="B", actor=2
        )
    assert (caught.value.entity, caught.value.id, caught.value.expected_version) == (
        "catalog.cut_reason",
        1,
        1,
    )
    stored = system.catalog.get("cut_reason", 1)
    assert (stored.description, stored.version) == ("A", 2)
    assert new_events(system, since) == []


def test_update_of_a_missing_row(system: gsan_core.System) -> None:
    with pytest.raises(NotFound):
        system.catalog.update(
            "cut_reason", 404, expected_version=1, description="X", actor=1
        )


def test_cat_4_update_refuses_a_duplicate(system: gsan_core.System) -> None:
    other = system.catalog.get("cut_reason", 2).description
    with pytest.raises(RuleViolation) as caught:
        system.catalog.update(
            "cut_reason", 1, expected_version=1, description=other.lower(), actor=1
        )
    assert caught.value.code == "catalog.duplicate_description"
    assert system.catalog.get("cut_reason", 1).version == 1


# ---------------------------------------------------------------- (de)activate
def test_deactivate_and_activate(system: gsan_core.System) -> None:
    since = len(system.events)
    off = system.catalog.deactivate("cut_reason", 1, expected_version=1, actor=3)
    assert (off.active, off.version) == (False, 2)
    assert 1 not in [i.id for i in system.catalog.list("cut_reason", active_only=True)]
    on = system.catalog.activate("cut_reason", 1, expected_version=2, actor=4)
    assert (on.active, on.version) == (True, 3)
    changes = new_events(system, since)
    assert [(e.actor, e.active, e.version) for e in changes] == [  # type: ignore[attr-defined]
        (3, False, 2),
        (4, True, 3),
    ]


def test_cat_4_activation_checks_uniqueness_again(system: gsan_core.System) -> None:
    old = system.catalog.get("cut_reason", 1)
    system.catalog.deactivate("cut_reason", 1, expected_version=1, actor=1)
    system.catalog.add("cut_reason", description=old.description, actor=1)
    with pytest.raises(RuleViolation) as caught:
        system.catalog.activate("cut_reason", 1, expected_version=2, actor=1)
    assert caught.value.code == "catalog.duplicate_description"
    assert not system.catalog.get("cut_reason", 1).active


def test_a_subcategory_of_a_deactivated_category_can_be_deactivated(
    system: gsan_core.System,
) -> None:
    system.catalog.deactivate("category", 3, expected_version=1, actor=1)
    sub = system.catalog.deactivate("subcategory", 30, expected_version=1, actor=1)
    assert not sub.active
    with pytest.raises(RuleViolation) as caught:
        system.catalog.activate("subcategory", 30, expected_version=2, actor=1)
    assert caught.value.code == "catalog.reference_missing"


# ---------------------------------------------------------------- remove
def test_remove_an_unused_row(system: gsan_core.System) -> None:
    item = system.catalog.add("cut_reason", description="TEMPORARIO", actor=1)
    since = len(system.events)
    system.catalog.remove("cut_reason", item.id, expected_version=1, actor=8)
    with pytest.raises(NotFound):
        system.catalog.get("cut_reason", item.id)
    assert new_events(system, since) == [
        CatalogItemRemoved(
            occurred_at=DEFAULT_NOW, actor=8, kind="cut_reason", item_id=item.id
        )
    ]


def test_remove_with_a_stale_version(system: gsan_core.System) -> None:
    system.catalog.update("cut_reason", 1, expected_version=1, description="X", actor=1)
    with pytest.raises(ConcurrencyConflict):
        system.catalog.remove("cut_reason", 1, expected_version=1, actor=1)
    assert system.catalog.get("cut_reason", 1).description == "X"


def test_cat_5_a_row_used_by_properties_cannot_be_removed(
    located: gsan_core.System,
) -> None:
    system = located
    system.properties.register(valid_property(1), actor=1)
    system.properties.register(valid_property(2), actor=1)
    since = len(system.events)
    with pytest.raises(RuleViolation) as caught:
        system.catalog.remove("water_status", 3, expected_version=1, actor=1)
    violation = only(caught.value.violations)
    assert_violation(
        violation,
        code="catalog.in_use",
        rule="CAT-5",
        gsan_key="atencao.dependencias.existentes",
        en=["Water connection situation 3 is in use by 2 record(s)"],
        pt=["Situação de Ligação de Água 3 é usado(a) por 2 registro(s)"],
    )
    # deactivating is the way out, and still does not allow removal
    system.catalog.deactivate("water_status", 3, expected_version=1, actor=1)
    with pytest.raises(RuleViolation):
        system.catalog.remove("water_status", 3, expected_version=2, actor=1)
    assert system.catalog.get("water_status", 3).version == 2
    assert [type(e) for e in new_events(system, since)] == [CatalogItemChanged]


def test_cat_5_json_collection_references_count(located: gsan_core.System) -> None:
    system = located
    system.properties.register(
        valid_property(1, collection_situation_ids=frozenset({2, 3})), actor=1
    )
    with pytest.raises(RuleViolation) as caught:
        system.catalog.remove("collection_situation", 2, expected_version=1, actor=1)
    assert caught.value.violations[0].params["count"] == 1
    system.catalog.remove("collection_situation", 1, expected_version=1, actor=1)
    assert [i.id for i in system.catalog.list("collection_situation")] == [2, 3]


def test_cat_5_the_economies_of_a_property_use_their_category_and_subcategory(
    located: gsan_core.System,
) -> None:
    system = located
    # valid_property has economies of category 1 / subcategory 10 and 2 / 20
    system.properties.register(valid_property(1), actor=1)
    system.properties.register(valid_property(2), actor=1)
    with pytest.raises(RuleViolation) as caught:
        system.catalog.remove("subcategory", 20, expected_version=1, actor=1)
    assert caught.value.violations[0].params["count"] == 2
    with pytest.raises(RuleViolation) as caught:
        system.catalog.remove("category", 2, expected_version=1, actor=1)
    # two properties plus the subcategory 20 that points to it
    assert caught.value.violations[0].params["count"] == 3
    system.catalog.remove("subcategory", 30, expected_version=1, actor=1)
    assert 30 not in {i.id for i in system.catalog.list("subcategory")}


def test_cat_5_ref_attributes_between_kinds_count(system: gsan_core.System) -> None:
    with pytest.raises(RuleViolation) as caught:
        system.catalog.remove("category", 1, expected_version=1, actor=1)
    assert caught.value.violations[0].params["count"] == 2  # subcategories 10 and 11
    system.catalog.remove("subcategory", 40, expected_version=1, actor=1)
    system.catalog.remove("category", 4, expected_version=1, actor=1)
    assert [i.id for i in system.catalog.list("category")] == [1, 2, 3]


def test_cat_5_inactive_rows_referencing_still_count(system: gsan_core.System) -> None:
    system.catalog.deactivate("subcategory", 40, expected_version=1, actor=1)
    with pytest.raises(RuleViolation):
        system.catalog.remove("category", 4, expected_version=1, actor=1)


def test_cat_5_units_use_their_unit_type(system: gsan_core.System) -> None:
    from gsan_core.model.units import OrganizationalUnit  # noqa: PLC0415

    system.units.register(
        OrganizationalUnit(id=1, name="SEDE", unit_type_id=10), actor=1
    )
    with pytest.raises(RuleViolation) as caught:
        system.catalog.remove("unit_type", 10, expected_version=1, actor=1)
    assert caught.value.code == "catalog.in_use"
    system.catalog.remove("unit_type", 18, expected_version=1, actor=1)


# ---------------------------------------------------------------- seed
def test_seed_is_idempotent(system: gsan_core.System) -> None:
    rows = {k.name: system.catalog.list(k.name) for k in system.catalog.kinds()}
    since = len(system.events)
    assert system.seed() == 0
    assert system.seed(actor=9) == 0
    assert {k: system.catalog.list(k) for k in rows} == rows
    assert new_events(system, since) == []


def test_seed_adds_only_missing_rows(system: gsan_core.System) -> None:
    system.catalog.remove("cut_reason", 1, expected_version=1, actor=1)
    system.catalog.update(
        "cut_reason", 2, expected_version=1, description="MUDOU", actor=1
    )
    since = len(system.events)
    assert system.seed(actor=6) == 1
    assert system.catalog.get("cut_reason", 2).description == "MUDOU"
    assert system.catalog.get("cut_reason", 1).version == 1
    assert new_events(system, since) == [
        CatalogItemAdded(occurred_at=DEFAULT_NOW, actor=6, kind="cut_reason", item_id=1)
    ]


def test_seed_of_a_fresh_system_adds_every_profile_row(
    make_system: Callable[..., gsan_core.System],
) -> None:
    empty = make_system(seed=False)
    assert empty.catalog.list("water_status") == []
    assert empty.seed() == empty.loaded_profile.row_count
    added = [e for e in empty.events if isinstance(e, CatalogItemAdded)]
    assert len(added) == len(empty.loaded_profile.seeds)
    assert {e.actor for e in added} == {gsan_core.SETUP_ACTOR}


def test_seed_checks_every_row_and_is_atomic(system: gsan_core.System) -> None:
    good = CatalogItem(kind="cut_reason", id=77, description="NOVO")
    dup = CatalogItem(kind="cut_reason", id=78, description="falta de  pagamento")
    bad = CatalogItem(kind="cut_reason", id=79, description="")
    for broken, code in (
        (dup, "catalog.duplicate_description"),
        (bad, "common.required"),
    ):
        with pytest.raises(RuleViolation) as caught:
            system.catalog.seed([good, broken], actor=1)
        assert caught.value.codes == (code,)
    assert system.catalog.seed([], actor=1) == 0
    assert [i.id for i in system.catalog.list("cut_reason")] == [1, 2, 3, 9]
