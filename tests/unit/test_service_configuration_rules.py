"""The configuration rules of service orders: CFG-01..CFG-06, REF-08, PRG-13,
the material kits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.model.service_orders import (
    KitLine,
    MaterialKit,
    ServiceChargeValue,
    Team,
    TeamComponent,
    TypeMaterial,
)
from gsan_core.rules import service_configuration as config
from tests.unit.orders_helpers import codes, item, only, service_type


def exists(kind: str, ident: int) -> bool:
    return ident < 100


# ---------------------------------------------------------------- CFG-05 / CFG-06
def test_cfg_06_activity_orders_unique_and_contiguous_from_one() -> None:
    assert not config.check_activity_order([(2, 2), (1, 1), (3, 3)])
    only(
        config.check_activity_order([(1, 1), (2, 1)]),
        "service_type.activity_order_repeated",
        "CFG-06",
        "atencao.ordem_execucao.ja_existente",
    )
    only(
        config.check_activity_order([(1, 1), (2, 3)]),
        "service_type.activity_order_not_contiguous",
        "CFG-06",
        "atencao.ordem_execucao.invalida",
    )
    only(
        config.check_activity_order([(1, 2)]),
        "service_type.activity_order_not_contiguous",
        "CFG-06",
        "atencao.ordem_execucao.invalida",
    )
    only(
        config.check_activity_order([(1, 1), (1, 2)]),
        "service_type.activity_repeated",
        "CFG-06",
        "atencao.ordem_execucao.ja_existente",
    )


def test_cfg_05_at_least_one_activity() -> None:
    only(
        config.check_activity_order([]),
        "service_type.activities_missing",
        "CFG-05",
        "atencao.adionar.atividade.servico.tipo",
    )


def test_cfg_05_type_materials_exist_once_with_positive_quantity() -> None:
    assert not config.check_type_materials(
        [TypeMaterial(material_id=1, quantity=Decimal(2))], exists=exists
    )
    found = config.check_type_materials(
        [
            TypeMaterial(material_id=1, quantity=Decimal(1)),
            TypeMaterial(material_id=1, quantity=Decimal(0)),
            TypeMaterial(material_id=200, quantity=Decimal(1)),
        ],
        exists=exists,
    )
    assert codes(found) == [
        "service_type.material_repeated",
        "service_order.quantity_not_positive",
        "service_order.reference_missing",
    ]
    only(
        found,
        "service_type.material_repeated",
        "CFG-05",
        "atencao.material_ja_informado",
    )


# ---------------------------------------------------------------- REF-08
def test_ref_08_situations_follow_the_existence_flag() -> None:
    requires = item(
        "service_type_reference",
        1,
        requires_reference_order=True,
        situation_before=1,
        situation_after=4,
    )
    assert not config.check_reference_config(requires)
    closed_before = attrs.evolve(
        requires,
        attributes={**requires.attributes, "situation_before": 2, "situation_after": 2},
    )
    assert not config.check_reference_config(closed_before)
    wrong = attrs.evolve(
        requires,
        attributes={**requires.attributes, "situation_before": 3, "situation_after": 1},
    )
    found = config.check_reference_config(wrong)
    only(
        found,
        "service_type_reference.situation_before_invalid",
        "REF-08",
        "atencao.indicador_os_incompativel_os_antes",
    )
    only(
        found,
        "service_type_reference.situation_after_invalid",
        "REF-08",
        "atencao.indicador_ordem_servico_incompativel",
    )
    free = item("service_type_reference", 3, requires_reference_order=False)
    assert not config.check_reference_config(free)
    only(
        config.check_reference_config(
            item(
                "service_type_reference",
                4,
                requires_reference_order=False,
                situation_after=4,
            )
        ),
        "service_type_reference.situations_not_allowed",
        "REF-08",
        "atencao.indicador_os_nao_permitido",
    )


# ---------------------------------------------------------------- price table
def price(id: int = 1, **changes: Any) -> ServiceChargeValue:
    values: dict[str, Any] = {
        "id": id,
        "service_type_id": 10,
        "value": Decimal("30.00"),
        "metered": False,
        "valid_from": date(2025, 1, 1),
        "valid_until": date(2025, 12, 31),
    }
    values.update(changes)
    return ServiceChargeValue(**values)


def test_cfg_01_price_of_an_existing_type() -> None:
    only(
        config.check_price(price(), service_type=None, others=[]),
        "service_price.unknown_service_type",
        "CFG-01",
        "atencao.tipo_servico_inexistente",
    )
    assert not config.check_price(price(), service_type=service_type(), others=[])


def test_price_value_not_negative() -> None:
    only(
        config.check_price(
            price(value=Decimal(-1)), service_type=service_type(), others=[]
        ),
        "service_price.value_invalid",
        None,
        "atencao.valor_invalido",
    )


def test_cfg_02_economies_range() -> None:
    stype = service_type()
    assert not config.check_price(
        price(economies_from=1, economies_to=5), service_type=stype, others=[]
    )
    only(
        config.check_price(price(economies_from=0), service_type=stype, others=[]),
        "service_price.economies_from_invalid",
        "CFG-02",
        "atencao.quatidade_economia_inicial_invalida",
    )
    only(
        config.check_price(price(economies_to=-1), service_type=stype, others=[]),
        "service_price.economies_to_invalid",
        "CFG-02",
        "atencao.quatidade_economia_final_invalida",
    )
    only(
        config.check_price(
            price(economies_from=5, economies_to=5), service_type=stype, others=[]
        ),
        "service_price.economies_range_invalid",
        "CFG-02",
        "atencao.quatidade_economia_final_superior",
    )


def test_cfg_03_validity_not_reversed() -> None:
    reversed_ = price(valid_from=date(2025, 2, 1), valid_until=date(2025, 1, 31))
    only(
        config.check_price(reversed_, service_type=service_type(), others=[price(2)]),
        "service_price.validity_reversed",
        "CFG-03",
        "atencao.atencao.data_vigencia_final_menor",
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 6, 1), date(2026, 6, 30)),  # starts inside
        (date(2024, 6, 1), date(2025, 1, 1)),  # ends inside (one shared day)
        (date(2025, 3, 1), date(2025, 4, 1)),  # inside
        (date(2024, 1, 1), date(2026, 12, 31)),  # contains: GSAN misses this one
    ],
)
def test_cfg_04_no_overlapping_validity_in_a_segment(start: date, end: date) -> None:
    new = price(2, valid_from=start, valid_until=end)
    violation = only(
        config.check_price(new, service_type=service_type(), others=[price(1), new]),
        "service_price.validity_overlaps",
        "CFG-04",
        "atencao.existe_valor_para_vigencia",
    )
    assert violation.params["other_id"] == 1


@pytest.mark.parametrize(
    "change",
    [
        {"metered": True},
        {"property_profile_id": 4},
        {"capacity_id": 2},
        {"category_id": 1},
        {"subcategory_id": 10},
        {"economies_from": 1},
        {"economies_to": 3},
        {"service_type_id": 11},
        {"valid_from": date(2026, 1, 1), "valid_until": date(2026, 12, 31)},
    ],
)
def test_cfg_04_other_segments_or_periods_do_not_overlap(
    change: dict[str, Any],
) -> None:
    new = price(2, **change)
    assert not config.check_price(new, service_type=service_type(), others=[price(1)])


# ---------------------------------------------------------------- PRG-13 teams
def team(**changes: Any) -> Team:
    values: dict[str, Any] = {
        "id": 1,
        "name": "EQUIPE NORTE",
        "unit_id": 10,
        "work_minutes": 480,
        "plate": "ABC1234",
        "components": (
            TeamComponent(employee_id=5, responsible=True),
            TeamComponent(name="AJUDANTE"),
        ),
    }
    values.update(changes)
    return Team(**values)


def check_team(
    candidate: Team, *others: Team, mercosul: bool = False
) -> tuple[Any, ...]:
    return config.check_team(
        candidate, others=[candidate, *others], exists=exists, accept_mercosul=mercosul
    )


def test_prg_13_a_valid_team_passes() -> None:
    assert not check_team(team())
    assert not check_team(team(plate=None, work_minutes=24 * 60))


@pytest.mark.parametrize("minutes", [0, 24 * 60 + 1])
def test_prg_13_work_load_up_to_24_hours_in_minutes(minutes: int) -> None:
    only(
        check_team(team(work_minutes=minutes)),
        "team.work_load_invalid",
        "PRG-13",
        "atencao.inserir_equipe_carga_horaria_maxima",
    )


@pytest.mark.parametrize(
    "plate", ["AB12345", "ABCD123", "ABC123", "ABC12345", "ABC1D23"]
)
def test_prg_13_plate_three_letters_four_digits(plate: str) -> None:
    only(
        check_team(team(plate=plate)),
        "team.plate_invalid",
        "PRG-13",
        "atencao.inserir_equipe_placa_veiculo_invalida",
    )


def test_prg_13_mercosul_plates_by_profile_option() -> None:
    assert not check_team(team(plate="ABC1D23"), mercosul=True)
    violation = only(
        check_team(team(plate="AB1C234"), mercosul=True),
        "team.plate_invalid",
        "PRG-13",
        "atencao.inserir_equipe_placa_veiculo_invalida",
    )
    assert "Mercosul" in violation.message("en")


def test_prg_13_unique_name() -> None:
    only(
        check_team(team(), team(id=2, name=" equipe  norte ", active=False, imei="1")),
        "team.name_taken",
        "PRG-13",
        "atencao.inserir_equipe_mesmo_nome",
    )


def test_prg_13_unique_imei_among_active_teams() -> None:
    mine = team(imei="356938035643809")
    only(
        check_team(mine, team(id=2, name="OUTRA", imei="356938035643809")),
        "team.imei_taken",
        "PRG-13",
        "atencao.descricao_concatenada",
    )
    assert not check_team(
        mine, team(id=2, name="OUTRA", imei="356938035643809", active=False)
    )
    assert not check_team(
        attrs.evolve(mine, active=False),
        team(id=2, name="OUTRA", imei="356938035643809"),
    )


def test_prg_13_exactly_one_responsible_component() -> None:
    only(
        check_team(team(components=(TeamComponent(name="A"),))),
        "team.no_responsible",
        "PRG-13",
        "atencao.inserir_equipe_nenhum_responsavel",
    )
    only(
        check_team(team(components=())),
        "team.no_responsible",
        "PRG-13",
        "atencao.inserir_equipe_nenhum_responsavel",
    )
    only(
        check_team(
            team(
                components=(
                    TeamComponent(name="A", responsible=True),
                    TeamComponent(employee_id=5, responsible=True),
                )
            )
        ),
        "team.many_responsible",
        "PRG-13",
        "atencao.inserir_equipe_um_responsavel",
    )


def test_prg_13_component_once_and_valid() -> None:
    found = check_team(
        team(
            components=(
                TeamComponent(employee_id=5, responsible=True),
                TeamComponent(employee_id=5),
                TeamComponent(name="  "),
                TeamComponent(employee_id=500),
            )
        )
    )
    only(
        found,
        "team.component_repeated",
        "PRG-13",
        "atencao.inserir_equipe_componente_ja_informado",
    )
    only(
        found,
        "team.component_invalid",
        "PRG-13",
        "atencao.inserir_equipe_componente_invalido",
    )
    only(found, "service_order.reference_missing", None, "atencao.pesquisa_inexistente")


def test_team_references_exist() -> None:
    found = check_team(
        team(
            unit_id=100,
            profile_id=101,
            responsible_user_id=102,
            equipment_ids={1, 103},
            name="",
        )
    )
    assert codes(found) == [
        "common.required",
        "service_order.reference_missing",
        "service_order.reference_missing",
        "service_order.reference_missing",
        "service_order.reference_missing",
    ]
    assert [v.params["value"] for v in found[1:]] == [100, 101, 102, 103]


# ---------------------------------------------------------------- material kits
def kit(**changes: Any) -> MaterialKit:
    values: dict[str, Any] = {
        "id": 1,
        "description": "KIT RAMAL",
        "lines": (KitLine(material_id=1, quantity=Decimal(2)),),
    }
    values.update(changes)
    return MaterialKit(**values)


def test_kit_with_materials_and_unique_description() -> None:
    assert not config.check_kit(kit(), others=[kit()], exists=exists)
    only(
        config.check_kit(
            kit(), others=[kit(id=2, description="kit ramal")], exists=exists
        ),
        "material_kit.description_taken",
        None,
        "atencao.descricao_existente",
    )
    assert not config.check_kit(
        kit(), others=[kit(id=2, description="kit ramal", active=False)], exists=exists
    )
    assert not config.check_kit(
        kit(active=False), others=[kit(id=2, description="kit ramal")], exists=exists
    )


def test_kit_needs_valid_lines() -> None:
    only(
        config.check_kit(kit(lines=()), others=[], exists=exists),
        "material_kit.no_materials",
        None,
        "atencao.required",
    )
    found = config.check_kit(
        kit(
            lines=(
                KitLine(material_id=1, quantity=Decimal(1)),
                KitLine(material_id=1, quantity=Decimal(1)),
                KitLine(material_id=300, quantity=Decimal(-2)),
            ),
            abbreviation="X" * 21,
        ),
        others=[],
        exists=exists,
    )
    assert codes(found) == [
        "common.too_long",
        "service_type.material_repeated",
        "service_order.reference_missing",
        "service_order.quantity_not_positive",
    ]
