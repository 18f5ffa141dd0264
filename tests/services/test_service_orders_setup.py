"""The configuration tables of service orders through ``gsan.service_orders`` and
``gsan.catalog``, on memory, SQLite and PostgreSQL: type activities and
materials (CFG-05/06), the price table (CFG-01..04), teams (PRG-13), material
kits, service profiles (CFG-07), references (REF-08) and materials."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, NotFound, RuleViolation
from gsan_core.model.service_orders import (
    KitLine,
    MaterialKitSaved,
    ServicePriceRemoved,
    ServiceType,
    ServiceTypeSaved,
    TeamComponent,
    TeamSaved,
    TypeMaterial,
)
from tests.services.orders_support import ACTOR, PLAIN, Harness, harness

__all__ = ["harness"]

D = Decimal
RESPONSIBLE = TeamComponent(employee_id=ACTOR, responsible=True)


# ---------------------------------------------------------------- service types
def test_cfg_06_type_activities_stored_in_execution_order(harness: Harness) -> None:
    services = harness.gsan.service_orders
    stored = services.get_type(PLAIN)
    changed = services.set_type_activities(
        service_type_id=PLAIN,
        activities=[(3, 2), (2, 1)],
        expected_version=stored.version,
        actor=0,
    )
    assert changed.activity_ids == (2, 3)
    assert services.get_type(PLAIN) == changed
    with pytest.raises(RuleViolation) as error:
        services.set_type_activities(
            service_type_id=PLAIN,
            activities=[(2, 1), (3, 3), (99, 4)],
            expected_version=changed.version,
            actor=0,
        )
    assert set(error.value.codes) == {
        "service_type.activity_order_not_contiguous",
        "service_order.reference_missing",
    }
    with pytest.raises(ConcurrencyConflict):
        services.set_type_activities(
            service_type_id=PLAIN,
            activities=[(2, 1)],
            expected_version=stored.version,
            actor=0,
        )
    saved = [e for e in harness.gsan.events if isinstance(e, ServiceTypeSaved)]
    assert saved[-1].service_type_id == PLAIN


def test_cfg_05_type_materials_and_activities_checked_on_insert(
    harness: Harness,
) -> None:
    services = harness.gsan.service_orders
    stored = services.get_type(PLAIN)
    changed = services.set_type_materials(
        service_type_id=PLAIN,
        materials=[TypeMaterial(material_id=4, quantity=D("2.5"))],
        expected_version=stored.version,
        actor=0,
    )
    assert services.get_type(PLAIN).materials == changed.materials
    with pytest.raises(RuleViolation) as error:
        services.add_type(
            ServiceType(
                id=980,
                description="MATERIAL INVALIDO",
                abbreviation="MAT INV",
                activity_ids=(2, 2),
                materials=(TypeMaterial(material_id=50, quantity=D(1)),),
            ),
            actor=0,
        )
    assert set(error.value.codes) == {
        "service_type.activity_repeated",
        "service_order.reference_missing",
    }
    with pytest.raises(NotFound):
        services.get_type(980)


# ---------------------------------------------------------------- price table
def test_cfg_04_price_rows_refuse_overlaps_including_containment(
    harness: Harness,
) -> None:
    services = harness.gsan.service_orders
    today = harness.today
    row = services.add_price(
        service_type_id=PLAIN,
        value=D("12.00"),
        metered=False,
        valid_from=today,
        valid_until=today + timedelta(days=30),
        actor=0,
    )
    with pytest.raises(RuleViolation) as error:
        services.add_price(
            service_type_id=PLAIN,
            value=D("14.00"),
            metered=False,
            valid_from=today - timedelta(days=10),
            valid_until=today + timedelta(days=60),
            actor=0,
        )
    found = error.value.violations[0]
    assert (found.code, found.rule, found.gsan_key) == (
        "service_price.validity_overlaps",
        "CFG-04",
        "atencao.existe_valor_para_vigencia",
    )
    assert services.prices(service_type_id=PLAIN) == [row]
    other = services.add_price(
        service_type_id=PLAIN,
        value=D("14.00"),
        metered=True,
        valid_from=today,
        valid_until=today,
        economies_from=1,
        economies_to=3,
        category_id=1,
        actor=0,
    )
    assert services.prices() == [row, other]
    longer = services.update_price(
        attrs.evolve(row, valid_until=today + timedelta(days=90)), actor=0
    )
    assert longer.version == 2
    with pytest.raises(ConcurrencyConflict):
        services.update_price(row, actor=0)
    with pytest.raises(RuleViolation) as error:
        services.add_price(
            service_type_id=999,
            value=D("1.00"),
            metered=False,
            valid_from=today,
            valid_until=today,
            actor=0,
        )
    assert error.value.violations[0].rule == "CFG-01"
    with pytest.raises(ConcurrencyConflict):
        services.remove_price(price_id=row.id, expected_version=1, actor=0)
    services.remove_price(price_id=row.id, expected_version=longer.version, actor=0)
    assert services.prices(service_type_id=PLAIN) == [other]
    removed = [e for e in harness.gsan.events if isinstance(e, ServicePriceRemoved)]
    assert [e.price_id for e in removed] == [row.id]
    with pytest.raises(NotFound):
        services.remove_price(price_id=row.id, expected_version=2, actor=0)


# ---------------------------------------------------------------- teams
def test_prg_13_teams_inserted_and_maintained(harness: Harness) -> None:
    services = harness.gsan.service_orders
    team = services.add_team(
        name="EQUIPE LESTE",
        unit_id=102,
        work_minutes=8 * 60,
        plate="abc1234",
        profile_id=1,
        phone_area_code=91,
        phone_number="32221111",
        imei="356938035643809",
        responsible_user_id=ACTOR,
        components=[RESPONSIBLE, TeamComponent(name="AJUDANTE")],
        equipment_ids=[1, 2],
        actor=0,
    )
    assert team.plate == "ABC1234"
    assert services.get_team(team.id) == team
    with pytest.raises(RuleViolation) as error:
        services.add_team(
            name="Equipe Leste",
            unit_id=102,
            work_minutes=25 * 60,
            imei="356938035643809",
            components=[TeamComponent(name="A")],
            actor=0,
        )
    assert {v.rule for v in error.value.violations} == {"PRG-13"}
    assert set(error.value.codes) == {
        "team.name_taken",
        "team.work_load_invalid",
        "team.imei_taken",
        "team.no_responsible",
    }
    assert services.teams() == [team]
    retired = services.update_team(attrs.evolve(team, active=False), actor=0)
    second = services.add_team(
        name="EQUIPE OESTE",
        unit_id=202,
        work_minutes=360,
        imei="356938035643809",
        components=[TeamComponent(employee_id=202, responsible=True)],
        actor=0,
    )
    assert services.teams(active_only=True) == [second]
    assert services.teams(unit_id=102) == [retired]
    with pytest.raises(ConcurrencyConflict):
        services.update_team(team, actor=0)
    saved = [e for e in harness.gsan.events if isinstance(e, TeamSaved)]
    assert [(e.team_id, e.version) for e in saved] == [
        (team.id, 1),
        (team.id, 2),
        (second.id, 1),
    ]


def test_equipment_and_profiles_in_use_by_a_team_cannot_be_removed(
    harness: Harness,
) -> None:
    harness.gsan.service_orders.add_team(
        name="EQUIPE PIPA",
        unit_id=102,
        work_minutes=480,
        profile_id=1,
        components=[RESPONSIBLE],
        equipment_ids=[2],
        actor=0,
    )
    catalog = harness.gsan.catalog
    for kind, ident in (("special_equipment", 2), ("service_profile", 1)):
        with pytest.raises(RuleViolation) as error:
            catalog.remove(kind, ident, expected_version=1, actor=0)
        assert error.value.code == "catalog.in_use"
    catalog.remove("special_equipment", 1, expected_version=1, actor=0)


# ---------------------------------------------------------------- kits
def test_material_kits_inserted_and_maintained(harness: Harness) -> None:
    services = harness.gsan.service_orders
    kit = services.add_kit(
        description="KIT CAVALETE",
        abbreviation="CAVALETE",
        lines=[
            KitLine(material_id=1, quantity=D("0.5")),
            KitLine(material_id=2, quantity=D(3)),
        ],
        actor=0,
    )
    assert services.get_kit(kit.id) == kit
    with pytest.raises(RuleViolation) as error:
        services.add_kit(description="kit cavalete", lines=[], actor=0)
    assert set(error.value.codes) == {
        "material_kit.description_taken",
        "material_kit.no_materials",
    }
    changed = services.update_kit(
        attrs.evolve(kit, lines=(KitLine(material_id=4, quantity=D(1)),)), actor=0
    )
    assert services.kits() == [changed]
    retired = services.update_kit(attrs.evolve(changed, active=False), actor=0)
    assert services.kits(active_only=True) == []
    assert services.kits() == [retired]
    with pytest.raises(ConcurrencyConflict):
        services.update_kit(kit, actor=0)
    saved = [e for e in harness.gsan.events if isinstance(e, MaterialKitSaved)]
    assert [e.version for e in saved] == [1, 2, 3]


# ---------------------------------------------------------------- catalog kinds
def test_cfg_07_service_profile_description_unique(harness: Harness) -> None:
    with pytest.raises(RuleViolation) as error:
        harness.gsan.catalog.add(
            "service_profile",
            description="equipe padrao",
            abbreviation="PAD2",
            actor=0,
        )
    found = error.value.violations[0]
    assert (found.code, found.rule, found.gsan_key) == (
        "catalog.duplicate_description",
        "CFG-07",
        "atencao.descricao_ja_existente_tipo_perfil_servico",
    )


def test_ref_08_reference_configuration(harness: Harness) -> None:
    catalog = harness.gsan.catalog
    with pytest.raises(RuleViolation) as error:
        catalog.add(
            "service_type_reference",
            description="VISTORIA PREVIA",
            abbreviation="DIAG",
            attributes={
                "requires_reference_order": True,
                "situation_before": 3,
                "situation_after": 4,
            },
            actor=0,
        )
    assert set(error.value.codes) == {
        "catalog.duplicate_abbreviation",
        "service_type_reference.situation_before_invalid",
    }
    duplicate = next(
        v for v in error.value.violations if v.code == "catalog.duplicate_abbreviation"
    )
    assert (duplicate.rule, duplicate.gsan_key) == (
        "REF-08",
        "atencao.descricao_abreviada_ja_existente_servico_referencia",
    )
    made = catalog.add(
        "service_type_reference",
        description="FISCALIZACAO LIVRE",
        abbreviation="FLIVRE",
        attributes={"requires_reference_order": False},
        actor=0,
    )
    with pytest.raises(RuleViolation) as error:
        catalog.update(
            "service_type_reference",
            made.id,
            expected_version=made.version,
            attributes={"situation_before": 1},
            actor=0,
        )
    assert error.value.code == "service_type_reference.situations_not_allowed"


def test_materials_need_a_unit_and_keep_it_in_use(harness: Harness) -> None:
    catalog = harness.gsan.catalog
    with pytest.raises(RuleViolation) as error:
        catalog.add("material", description="HIDROMETRO", actor=0)
    assert error.value.code == "common.required"
    made = catalog.add(
        "material",
        description="HIDROMETRO 1,5 M3",
        abbreviation="HD 1,5",
        attributes={"unit_id": 1, "code": "200.015"},
        actor=0,
    )
    assert made.integer("unit_id") == 1
    with pytest.raises(RuleViolation) as error:
        catalog.add(
            "material",
            description="HIDROMETRO 3 M3",
            attributes={"unit_id": 1, "code": "200.015"},
            actor=0,
        )
    assert error.value.code == "catalog.duplicate_attribute"
    with pytest.raises(RuleViolation) as error:
        catalog.remove("material_unit", 1, expected_version=1, actor=0)
    assert error.value.code == "catalog.in_use"
