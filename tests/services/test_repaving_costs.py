"""Repaving costs per pavement type and repaving unit (PAV-06..08), the cost
bulletin and the follow-up queries' cost columns (PAV-11), and the repaving
services a unit offers (PAV-09); on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

import gsan_core
from gsan_core.errors import ConcurrencyConflict, RuleViolation
from gsan_core.model.repaving import CostLine, PavementSurface, RepavingAcceptance
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.units import OrganizationalUnit, User
from tests.services.connections_setup import ACTOR, CONCLUDED, add_property, town

PAVED = 982
PAVER_UNIT = 50
OTHER_PAVER_UNIT = 52
PAVER = 51  # a user of the repaving unit
NEIGHBOURHOOD = 7
ASPHALT, STONE = 1, 2
STREET, SIDEWALK = PavementSurface.STREET, PavementSurface.SIDEWALK


@pytest.fixture
def gsan(system: gsan_core.System) -> gsan_core.System:
    return repaving_town(system)


def repaving_town(system: gsan_core.System) -> gsan_core.System:
    """The town with a paved type, two repaving units and a neighbourhood."""
    town(system)
    system.service_orders.add_types(
        [
            ServiceType(
                id=PAVED,
                description="CONSERTO DE VAZAMENTO NA RUA",
                abbreviation="VAZ RUA",
                street_pavement=True,
                sidewalk_pavement=True,
            )
        ],
        actor=0,
    )
    system.units.register(
        OrganizationalUnit(id=PAVER_UNIT, name="REPAVIMENTADORA", unit_type_id=18),
        actor=0,
    )
    system.units.register(
        OrganizationalUnit(id=OTHER_PAVER_UNIT, name="ASFALTO SUL", unit_type_id=18),
        actor=0,
    )
    system.units.register_users(
        [User(id=PAVER, name="ASFALTO", unit_id=PAVER_UNIT)], actor=0
    )
    system.catalog.add(
        "repaving_neighbourhood",
        id=1,
        description="CENTRO",
        attributes={"neighbourhood_id": NEIGHBOURHOOD, "unit_id": PAVER_UNIT},
        actor=0,
    )
    return system


def _work(gsan: gsan_core.System, pid: int, *, street: str, sidewalk: str) -> int:
    add_property(gsan, pid, 3)
    order = gsan.service_orders.generate(
        service_type_id=PAVED, property_id=pid, actor=ACTOR
    )
    gsan.service_orders.close_executed(
        order_id=order.id, reason_id=CONCLUDED, closed_on=gsan.today(), actor=ACTOR
    )
    return gsan.repaving.open_work(
        order_id=order.id,
        street_pavement_id=ASPHALT,
        street_area=Decimal(street),
        sidewalk_pavement_id=STONE,
        sidewalk_area=Decimal(sidewalk),
        neighbourhood_id=NEIGHBOURHOOD,
        actor=ACTOR,
    ).id


def _lines(street: str = "80.00", sidewalk: str = "35.50") -> list[CostLine]:
    return [
        CostLine(surface=STREET, pavement_type_id=ASPHALT, value=Decimal(street)),
        CostLine(surface=SIDEWALK, pavement_type_id=STONE, value=Decimal(sidewalk)),
    ]


def test_pav_06_insert_costs_closes_the_vigencia_in_force(
    gsan: gsan_core.System,
) -> None:
    """PAV-06: the repaving unit and at least one positive line are
    mandatory (nothing written on refusal); a new vigência ends the one in
    force of the same pavement type and surface the day before."""
    start = date(2026, 1, 1)
    with pytest.raises(RuleViolation) as empty:
        gsan.repaving.add_costs(unit_id=None, valid_from=start, lines=[], actor=ACTOR)
    assert [v.gsan_key for v in empty.value.violations] == [
        "atencao.unidade_repavimentadora_nao_informada",
        "atencao.informe.custo_pavimento_por_repavimentadora",
    ]
    with pytest.raises(RuleViolation) as not_paver:
        gsan.repaving.add_costs(
            unit_id=1, valid_from=start, lines=_lines(street="0"), actor=ACTOR
        )
    assert [v.rule for v in not_paver.value.violations] == ["PAV-09", "PAV-06"]
    first = gsan.repaving.add_costs(
        unit_id=PAVER_UNIT, valid_from=start, lines=_lines(), actor=ACTOR
    )
    assert [c.valid_until for c in first] == [None, None]
    later = date(2026, 7, 1)
    gsan.repaving.add_costs(
        unit_id=PAVER_UNIT,
        valid_from=later,
        lines=[_lines(street="90.00")[0]],
        actor=ACTOR,
    )
    costs = gsan.repaving.costs(unit_id=PAVER_UNIT)
    assert [(c.surface, c.valid_from, c.valid_until, c.value) for c in costs] == [
        (STREET, start, later - timedelta(days=1), Decimal("80.00")),
        (STREET, later, None, Decimal("90.00")),
        (SIDEWALK, start, None, Decimal("35.50")),
    ]
    with pytest.raises(RuleViolation) as earlier:
        gsan.repaving.add_costs(
            unit_id=PAVER_UNIT, valid_from=later, lines=_lines(), actor=ACTOR
        )
    assert earlier.value.violations[0].code == "repaving.cost.starts_before_current"
    assert len(gsan.repaving.costs(unit_id=PAVER_UNIT)) == 3


def test_pav_07_update_cost_dates_overlap_and_gap(gsan: gsan_core.System) -> None:
    """PAV-07: the end is not before the start, vigências do not overlap, a
    gap left between vigências needs confirmation; a stale copy is a
    conflict."""
    start, later = date(2026, 1, 1), date(2026, 7, 1)
    gsan.repaving.add_costs(
        unit_id=PAVER_UNIT, valid_from=start, lines=_lines()[:1], actor=ACTOR
    )
    gsan.repaving.add_costs(
        unit_id=PAVER_UNIT, valid_from=later, lines=_lines()[:1], actor=ACTOR
    )
    old, new = gsan.repaving.costs(unit_id=PAVER_UNIT)
    cases = [
        (start, start - timedelta(days=1), "atencao.atencao.data_vigencia_final_menor"),
        (start, later, None),  # overlaps the next vigência
        (
            start,
            date(2026, 5, 31),
            "atencao.existe.periodo.sem_cadastro.custo_pavimento_por_repavimentadora",
        ),
    ]
    for valid_from, valid_until, key in cases:
        with pytest.raises(RuleViolation) as refused:
            gsan.repaving.update_cost(
                cost_id=old.id,
                expected_version=old.version,
                valid_from=valid_from,
                valid_until=valid_until,
                value=old.value,
                actor=ACTOR,
            )
        assert refused.value.violations[0].gsan_key == key
        assert refused.value.violations[0].rule == "PAV-07"
    changed = gsan.repaving.update_cost(
        cost_id=old.id,
        expected_version=old.version,
        valid_from=start,
        valid_until=date(2026, 5, 31),
        value=Decimal("82.00"),
        gap_confirmed=True,
        actor=ACTOR,
    )
    assert (changed.valid_until, changed.value) == (date(2026, 5, 31), Decimal("82.00"))
    with pytest.raises(ConcurrencyConflict):
        gsan.repaving.update_cost(
            cost_id=old.id,
            expected_version=old.version,
            valid_from=start,
            valid_until=None,
            value=old.value,
            actor=ACTOR,
        )
    assert gsan.repaving.costs(unit_id=PAVER_UNIT)[1] == new


def test_pav_08_cost_used_by_a_closed_order_cannot_be_removed(
    gsan: gsan_core.System,
) -> None:
    """PAV-08: a cost whose vigência covers the closing of a work of its unit
    with its pavement type is kept; one nothing used is removed."""
    today = gsan.today()
    street, sidewalk = gsan.repaving.add_costs(
        unit_id=PAVER_UNIT, valid_from=today, lines=_lines(), actor=ACTOR
    )
    (unused,) = gsan.repaving.add_costs(
        unit_id=PAVER_UNIT,
        valid_from=today,
        lines=[CostLine(surface=STREET, pavement_type_id=STONE, value=Decimal(70))],
        actor=ACTOR,
    )
    _work(gsan, 600, street="10.00", sidewalk="2.00")
    for cost, key in (
        (street, "atencao.custo_pavimento_por_repavimentadora_rua.remover"),
        (sidewalk, "atencao.custo_pavimento_por_repavimentadora_calcada.remover"),
    ):
        with pytest.raises(RuleViolation) as refused:
            gsan.repaving.remove_cost(cost_id=cost.id, actor=ACTOR)
        assert refused.value.violations[0].gsan_key == key
    gsan.repaving.remove_cost(cost_id=unused.id, actor=ACTOR)
    assert [c.id for c in gsan.repaving.costs(unit_id=PAVER_UNIT)] == sorted(
        [street.id, sidewalk.id], key=lambda i: (i != street.id, i)
    )


def test_pav_11_cost_bulletin_values_accepted_works(gsan: gsan_core.System) -> None:
    """PAV-11: the bulletin values each accepted work by the costs in force on
    its order's closing date, over the returned areas; the follow-up queries'
    cost columns value any work the same way (the sent areas before a
    return)."""
    today = gsan.today()
    gsan.repaving.add_costs(
        unit_id=PAVER_UNIT,
        valid_from=today - timedelta(days=30),
        lines=_lines(),
        actor=ACTOR,
    )
    accepted = _work(gsan, 610, street="10.00", sidewalk="2.00")
    waiting = _work(gsan, 611, street="4.00", sidewalk="1.00")
    gsan.repaving.inform_return(
        work_id=accepted,
        returned_on=today,
        street_pavement_id=ASPHALT,
        street_area=Decimal("10.00"),
        sidewalk_pavement_id=STONE,
        sidewalk_area=Decimal("2.00"),
        actor=PAVER,
    )
    gsan.repaving.accept(
        work_ids=[accepted],
        acceptance=RepavingAcceptance.ACCEPTED,
        on=today,
        actor=PAVER,
    )
    (line,) = gsan.repaving.cost_bulletin(unit_id=PAVER_UNIT)
    assert (line.work_id, line.street_cost, line.sidewalk_cost, line.total) == (
        accepted,
        Decimal("800.00"),
        Decimal("71.00"),
        Decimal("871.00"),
    )
    assert (
        gsan.repaving.cost_bulletin(
            unit_id=PAVER_UNIT, accepted_from=today + timedelta(days=1)
        )
        == []
    )
    (column,) = gsan.repaving.costed([waiting])
    assert (column.street_unit_cost, column.street_cost) == (
        Decimal("80.00"),
        Decimal("320.00"),
    )


def test_pav_09_repaving_services_by_the_unit(gsan: gsan_core.System) -> None:
    """PAV-09: description, unit of measure, repaving unit and value are
    mandatory; a user of a repaving unit inserts and maintains only that
    unit's services; the utility's users any unit's."""
    with pytest.raises(RuleViolation) as missing:
        gsan.repaving.add_service(
            description="RECOMPOSICAO ASFALTICA",
            unit_id=PAVER_UNIT,
            measure_unit_id=None,
            value=None,
            actor=ACTOR,
        )
    assert len(missing.value.violations) == 2
    with pytest.raises(RuleViolation) as elsewhere:
        gsan.repaving.add_service(
            description="RECOMPOSICAO ASFALTICA",
            unit_id=OTHER_PAVER_UNIT,
            measure_unit_id=1,
            value=Decimal("45.90"),
            actor=PAVER,
        )
    assert [(v.rule, v.gsan_key) for v in elsewhere.value.violations] == [
        ("PAV-09", "atencao.nao_possui_permissao_para_atualizar")
    ]
    own = gsan.repaving.add_service(
        description="RECOMPOSICAO ASFALTICA",
        unit_id=PAVER_UNIT,
        measure_unit_id=1,
        value=Decimal("45.90"),
        actor=PAVER,
    )
    other = gsan.repaving.add_service(
        description="CALCADA",
        unit_id=OTHER_PAVER_UNIT,
        measure_unit_id=1,
        value=Decimal("30"),
        actor=ACTOR,
    )
    assert gsan.repaving.services(unit_id=PAVER_UNIT) == [own]
    with pytest.raises(RuleViolation):
        gsan.repaving.update_service(
            service_id=other.id,
            expected_version=other.version,
            attributes={"value": Decimal(31)},
            actor=PAVER,
        )
    with pytest.raises(RuleViolation):
        gsan.repaving.update_service(
            service_id=own.id,
            expected_version=own.version,
            attributes={"unit_id": OTHER_PAVER_UNIT},
            actor=PAVER,
        )
    changed = gsan.repaving.update_service(
        service_id=own.id,
        expected_version=own.version,
        attributes={"value": Decimal("47.00")},
        actor=PAVER,
    )
    assert changed.decimal("value") == Decimal("47.00")
