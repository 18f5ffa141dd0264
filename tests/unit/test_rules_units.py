"""UNI-1..UNI-7 and USR-1: the unit tree and users (``gsan_core.rules.units``).

GSAN's U-1 is UNI-5, U-2 UNI-1, U-3 UNI-6, U-4 UNI-4 and U-5 UNI-7.
"""

from __future__ import annotations

import attrs
import pytest

from gsan_core.errors import Violation
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.units import ancestors, check_unit, check_unit_in_use, check_user
from tests.support import assert_violation, only

#: unit type id -> level (a regional management above localities...).
LEVELS: dict[int, int | None] = {10: 1, 12: 2, 13: 2, 16: 3, 20: None}


def unit(id: int, **changes: object) -> OrganizationalUnit:
    base = OrganizationalUnit(id=id, name=f"UNIDADE {id}", unit_type_id=12)
    return attrs.evolve(base, **changes)


ROOT = unit(1, name="GERENCIA", acronym="GR", unit_type_id=10)
CENTRE = unit(2, name="CENTRAL", acronym="CA", superior_id=1, unit_type_id=13)
OFFICE = unit(3, name="ESCRITORIO", superior_id=1, locality_id=5, dispatch_centre_id=2)
CLOSED = unit(4, name="FECHADA", acronym="FC", superior_id=1, active=False)
TREE = {u.id: u for u in (ROOT, CENTRE, OFFICE, CLOSED)}


#: The contractor unit type (code ``T``).
CONTRACTOR_TYPE = 16


def check(
    new: OrganizationalUnit,
    *,
    units: dict[int, OrganizationalUnit] | None = None,
    vary: bool = True,
    main_company: int | None = None,
) -> tuple[Violation, ...]:
    return check_unit(
        new,
        units=TREE if units is None else units,
        type_levels=LEVELS,
        vary_hierarchy=vary,
        contractor_types={CONTRACTOR_TYPE},
        main_company_id=main_company,
    )


def test_a_valid_unit_has_no_violation() -> None:
    assert check(unit(9, superior_id=1, dispatch_centre_id=2, locality_id=6)) == ()
    assert check(ROOT) == ()
    assert check(OFFICE) == ()


# ---------------------------------------------------------------- UNI-1
@pytest.mark.parametrize("name", ["", "  "])
def test_uni_1_name_is_required(name: str) -> None:
    violation = only(check(unit(9, name=name)))
    assert_violation(
        violation,
        code="common.required",
        rule=None,
        gsan_key="atencao.required",
        en=["Unit name is required."],
        pt=["Nome da unidade é obrigatório(a)."],
    )


def test_uni_1_name_at_most_60_characters() -> None:
    assert check(unit(9, name="N" * 60)) == ()
    assert only(check(unit(9, name="N" * 61))).code == "common.too_long"


def test_uni_1_unit_type_must_exist() -> None:
    violation = only(check(unit(9, unit_type_id=99)))
    assert_violation(
        violation,
        code="unit.unknown_type",
        rule="UNI-1",
        gsan_key="atencao.pesquisa_inexistente",
        en=["Unit type 99 does not exist or is inactive."],
        pt=["Tipo de unidade 99 inexistente ou inativo."],
    )


def test_uni_1_name_unique_among_active_units() -> None:
    """GSAN U-2: the description is unique among active units."""
    violation = only(check(unit(9, name=" escritorio ")))
    assert_violation(
        violation,
        code="unit.duplicate_name",
        rule="UNI-1",
        gsan_key="atencao.inserir_unidade_organizacional_descricao_ja_existe",
        en=[
            "An active organisational unit named ' escritorio ' already exists (id 3)."
        ],
        pt=["Unidade Organizacional com a descrição ' escritorio ' já existe (id 3)."],
    )


def test_uni_1_acronym_unique_among_active_units() -> None:
    """GSAN U-2: the acronym (sigla) is unique among active units."""
    violation = only(check(unit(9, acronym="gr")))
    assert_violation(
        violation,
        code="unit.duplicate_acronym",
        rule="UNI-1",
        gsan_key="atencao.inserir_unidade_organizacional_sigla_ja_existe",
        en=["An active organisational unit with acronym 'gr' already exists (id 1)."],
        pt=["Unidade Organizacional com a sigla 'gr' já existe (id 1)."],
    )


def test_uni_1_inactive_units_and_the_unit_itself_do_not_count() -> None:
    assert check(unit(9, name="FECHADA", acronym="FC")) == ()
    assert check(attrs.evolve(OFFICE, version=2)) == ()
    inactive_copy = unit(9, name="GERENCIA", acronym="GR", active=False)
    assert check(inactive_copy) == ()


# ---------------------------------------------------------------- UNI-2
@pytest.mark.parametrize("superior", [99, 4])
def test_uni_2_superior_exists_and_is_active(superior: int) -> None:
    violation = only(check(unit(9, superior_id=superior)))
    assert_violation(
        violation,
        code="unit.unknown",
        rule="UNI-2",
        gsan_key="atencao.unidade.organizacional.inexistente",
        en=[f"The superior unit {superior} does not exist or is inactive."],
        pt=[f"A unidade superior {superior} é inexistente ou está inativa."],
    )


def test_uni_2_no_cycle_in_the_tree() -> None:
    root_below_office = attrs.evolve(ROOT, superior_id=3, unit_type_id=16)
    violation = only(check(root_below_office))
    assert_violation(
        violation,
        code="unit.cycle",
        rule="UNI-2",
        gsan_key=None,
        en=["Unit 1 cannot be below 3: the tree would have a cycle."],
        pt=["A unidade 1 não pode ficar abaixo de 3: haveria um ciclo."],
    )


def test_uni_2_a_unit_cannot_be_its_own_superior() -> None:
    violations = check(attrs.evolve(OFFICE, superior_id=3))
    assert "unit.cycle" in [v.code for v in violations]


def test_ancestors_nearest_first_and_stop_at_a_cycle() -> None:
    assert [u.id for u in ancestors(3, TREE)] == [1]
    deep = {**TREE, 5: unit(5, superior_id=3)}
    assert [u.id for u in ancestors(5, deep)] == [3, 1]
    looped = {1: unit(1, superior_id=2), 2: unit(2, superior_id=1)}
    assert [u.id for u in ancestors(1, looped)] == [2]
    dangling = {1: unit(1, superior_id=77)}
    assert list(ancestors(1, dangling)) == []
    assert list(ancestors(404, TREE)) == []


# ---------------------------------------------------------------- UNI-3
@pytest.mark.parametrize("centre", [99, 4])
def test_uni_3_dispatch_centre_exists_and_is_active(centre: int) -> None:
    violation = only(check(unit(9, superior_id=1, dispatch_centre_id=centre)))
    assert_violation(
        violation,
        code="unit.unknown",
        rule="UNI-2",
        gsan_key="atencao.unidade.organizacional.inexistente",
        en=[f"The dispatch centre unit {centre} does not exist or is inactive."],
        pt=[f"A unidade centralizadora {centre} é inexistente ou está inativa."],
    )


# ---------------------------------------------------------------- UNI-4
def test_uni_4_superior_level_smaller_when_the_hierarchy_varies() -> None:
    """GSAN U-4 with ``indicadorVariaHierarquiaUnidade = 1``; an equal level is
    refused (GSAN's quirk lets it pass, docs/profiles.md)."""
    below_root = unit(9, superior_id=1, unit_type_id=16)  # level 3 under level 1
    assert check(below_root, vary=True) == ()
    same_level = unit(9, superior_id=2, unit_type_id=12)  # level 2 under level 2
    violation = only(check(same_level, vary=True))
    assert_violation(
        violation,
        code="unit.hierarchy_level",
        rule="UNI-4",
        gsan_key="atencao.nivel_unidade_superior_invalido",
        en=["The superior unit's level (2) must be smaller than the unit's level (2)."],
        pt=[
            "O nível da unidade superior (2) deve ser menor que o nível da unidade (2)."
        ],
    )


def test_uni_4_strict_hierarchy_needs_exactly_one_level_above() -> None:
    """GSAN U-4 without ``indicadorVariaHierarquiaUnidade``."""
    assert check(unit(9, superior_id=2, unit_type_id=16), vary=False) == ()
    skipping = unit(9, superior_id=1, unit_type_id=16)  # level 3 under level 1
    violation = only(check(skipping, vary=False))
    assert_violation(
        violation,
        code="unit.hierarchy_level",
        rule="UNI-4",
        gsan_key="atencao.nivel_unidade_superior_invalido",
        en=[
            "The superior unit's level (1) must be exactly one below the unit's level (3)."
        ],
        pt=[
            "O nível da unidade superior (1) deve ser exatamente um a menos que o nível"
        ],
    )


def test_uni_4_types_without_level_are_not_compared() -> None:
    assert check(unit(9, superior_id=1, unit_type_id=20), vary=False) == ()
    levelless_root = {1: attrs.evolve(ROOT, unit_type_id=20)}
    assert check(unit(9, superior_id=1), units=levelless_root, vary=False) == ()


# ---------------------------------------------------------------- UNI-5
def test_uni_5_one_active_unit_per_locality() -> None:
    """GSAN U-1, for the locality (the library's units name no regional
    management or business unit)."""
    violation = only(check(unit(9, superior_id=1, locality_id=5)))
    assert_violation(
        violation,
        code="unit.duplicate_locality",
        rule="UNI-5",
        gsan_key="atencao.inserir_unidade_organizacional_localidade_ja_cadastradado",
        en=["An active unit already serves locality 5 (id 3)."],
        pt=["Unidade Organizacional com a localidade 5 já cadastrada (id 3)."],
    )
    closed_office = {**TREE, 3: attrs.evolve(OFFICE, active=False)}
    assert check(unit(9, superior_id=1, locality_id=5), units=closed_office) == ()


# ---------------------------------------------------------------- UNI-6
def test_uni_6_a_contractor_unit_cannot_belong_to_the_main_company() -> None:
    """GSAN U-3: a unit of type ``T`` whose company is the main company."""
    contractor = unit(9, superior_id=2, unit_type_id=CONTRACTOR_TYPE, company_id=1)
    violation = only(check(contractor, main_company=1))
    assert_violation(
        violation,
        code="unit.contractor_of_main_company",
        rule="UNI-6",
        gsan_key="atencao.inserir_unidade_organizacional_terceirizada_associada",
        en=["A contractor unit cannot belong to the main company (1)."],
        pt=[
            "Unidade com tipo Terceirizada não pode estar associada à empresa "
            "principal (1)."
        ],
    )
    # another company, another type, or no main company named: accepted
    assert check(attrs.evolve(contractor, company_id=2), main_company=1) == ()
    assert check(attrs.evolve(contractor, unit_type_id=20), main_company=1) == ()
    assert check(contractor, main_company=None) == ()


# ---------------------------------------------------------------- UNI-7
def test_uni_7_a_specification_unit_keeps_accepting_routing() -> None:
    """GSAN U-5: ``indicadorTramite = 2`` on a unit an especificação names."""
    closed = attrs.evolve(OFFICE, accepts_routing=False)
    violation = only(
        check_unit_in_use(closed, specification_ids=[717, 232], sewer_divisions=())
    )
    assert_violation(
        violation,
        code="unit.routing_in_use",
        rule="UNI-7",
        gsan_key="atencao.unidade.tramitacao",
        en=[
            "Unit 3 is the first unit of request specification 232 and must keep "
            "accepting forwarded requests."
        ],
        pt=["especificação 232", "não pode deixar de aceitar trâmite"],
    )
    assert check_unit_in_use(OFFICE, specification_ids=[232], sewer_divisions=()) == ()
    assert check_unit_in_use(closed, specification_ids=(), sewer_divisions=()) == ()


def test_uni_7_a_sewer_division_unit_stays_a_sewer_unit() -> None:
    """GSAN U-5: ``indicadorEsgoto = 2`` on a unit a divisão de esgoto names."""
    violation = only(
        check_unit_in_use(OFFICE, specification_ids=(), sewer_divisions=["NORTE"])
    )
    assert_violation(
        violation,
        code="unit.sewer_in_use",
        rule="UNI-7",
        gsan_key="atencao.unidade.esgoto",
        en=["Unit 3 serves sewer division 'NORTE' and must stay a sewer unit."],
        pt=["divisão de esgoto 'NORTE'", "não pode deixar de ser unidade de esgoto"],
    )
    sewer = attrs.evolve(OFFICE, sewer=True)
    assert check_unit_in_use(sewer, specification_ids=(), sewer_divisions=["N"]) == ()


# ---------------------------------------------------------------- USR-1
def test_usr_1_a_valid_user() -> None:
    assert check_user(User(id=1, name="ANA", unit_id=3), units=TREE) == ()


def test_usr_1_name_is_required_and_bounded() -> None:
    blank = only(check_user(User(id=1, name=" ", unit_id=3), units=TREE))
    assert_violation(
        blank,
        code="common.required",
        rule=None,
        gsan_key="atencao.required",
        en=["User name is required."],
        pt=["Nome do usuário é obrigatório(a)."],
    )
    long = only(check_user(User(id=1, name="A" * 61, unit_id=3), units=TREE))
    assert long.code == "common.too_long"


@pytest.mark.parametrize("home", [99, 4])
def test_usr_1_home_unit_exists_and_is_active(home: int) -> None:
    violation = only(check_user(User(id=1, name="ANA", unit_id=home), units=TREE))
    assert_violation(
        violation,
        code="unit.unknown",
        rule="UNI-2",
        gsan_key="atencao.unidade.organizacional.inexistente",
        en=[f"The home unit {home} does not exist or is inactive."],
        pt=[f"A unidade de lotação {home} é inexistente ou está inativa."],
    )
