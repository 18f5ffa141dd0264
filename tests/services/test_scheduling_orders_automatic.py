"""Automatic scheduling (UC1190, ``domain/service-orders.md`` §2.5.4) with its
calibration (CAL-01..CAL-03) and the special days' teams (ROT-05), on every
backend."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from gsan_core.errors import RuleViolation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.scheduling import PrioritizationKind
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from tests.services.scheduling_support import (
    MONDAY,
    Dispatch,
    codes,
    dispatch,
)

__all__ = ["dispatch"]

LONG = 995  # 120 minutes, automatic
SHORT = 996  # 30 minutes, automatic
SATURDAY = date(2026, 12, 12)


@pytest.fixture
def auto(dispatch: Dispatch) -> Dispatch:
    """The two teams take automatic scheduling (240 and 180 minutes)."""
    gsan = dispatch.gsan
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=LONG,
                description="TROCA DE RAMAL",
                abbreviation="TROCA RAM",
                average_execution_minutes=120,
                automatic_scheduling=True,
            ),
            ServiceType(
                id=SHORT,
                description="AFERICAO PROGRAMADA",
                abbreviation="AFER PROG",
                average_execution_minutes=30,
                automatic_scheduling=True,
            ),
        ],
        actor=0,
    )
    team = gsan.service_orders.update_team(
        attrs.evolve(dispatch.team, automatic_scheduling=True, work_minutes=240),
        actor=0,
    )
    other = gsan.service_orders.update_team(
        attrs.evolve(dispatch.other, automatic_scheduling=True, work_minutes=180),
        actor=0,
    )
    return attrs.evolve(dispatch, team=team, other=other)


def calibration(dispatch: Dispatch, description: str, **values: int) -> CatalogItem:
    return dispatch.gsan.catalog.add(
        "calibration", description=description, attributes=values, actor=1
    )


def aged(dispatch: Dispatch, days: int, service_type_id: int) -> ServiceOrder:
    now = dispatch.clock.now()
    dispatch.clock.set(now - timedelta(days=days))
    try:
        return dispatch.order(service_type_id)
    finally:
        dispatch.clock.set(now)


def run(dispatch: Dispatch, on: date = MONDAY, **options: bool):  # type: ignore[no-untyped-def]
    return dispatch.gsan.scheduling.schedule_automatically(
        unit_id=dispatch.place.office, on=on, actor=dispatch.place.technician, **options
    )


def test_cal_03_without_calibration_every_order_scores_six(auto: Dispatch) -> None:
    orders = [auto.order(SHORT) for _ in range(4)]
    result = run(auto)
    assert [p.score for p in result.placements] == [6, 6, 6, 6]
    # equal scores: the oldest first, then by id; each to the team with most room
    assert [p.order_id for p in result.placements] == [o.id for o in orders]
    # A: 240 -> 210 -> 180 -> 150 (a tie with B's 150 goes to the lower id), B
    assert [p.team_id for p in result.placements] == [
        auto.team.id,
        auto.team.id,
        auto.team.id,
        auto.other.id,
    ]
    assert {part.kind for part in result.placements[0].parts} == set(PrioritizationKind)
    assert all(auto.gsan.service_orders.get(o.id).scheduled for o in orders)


def test_cal_02_03_the_service_type_importance_and_days_open_rank_the_orders(
    auto: Dispatch,
) -> None:
    urgent = calibration(auto, "TIPO URGENTE", kind=6, importance=1, weight=5, factor=2)
    calibration(
        auto, "ABERTA HA 10 DIAS", kind=5, range_from=10, range_to=999, weight=3
    )
    auto.gsan.scheduling.set_service_type_importance(
        importances={SHORT: urgent.id}, actor=1
    )
    old = aged(auto, 20, LONG)
    new_long = auto.order(LONG)
    short = auto.order(SHORT)
    result = run(auto)
    assert [(p.order_id, p.score) for p in result.placements] == [
        (short.id, 15),  # 5 x 2 + five defaults
        (old.id, 8),  # 3 x 1 + five defaults
        (new_long.id, 6),
    ]
    days = next(p for p in result.placements[1].parts if p.kind.name == "DAYS_OPEN")
    assert (days.value, days.weight, days.factor) == (20, 3, 1)


def test_cal_02_refusals(auto: Dispatch) -> None:
    plain = calibration(auto, "DIAS", kind=5, range_from=0, range_to=5)
    with pytest.raises(RuleViolation) as nothing:
        auto.gsan.scheduling.set_service_type_importance(importances={}, actor=1)
    assert nothing.value.violations[0].gsan_key == (
        "atencao.registros.nao_selecionados_atualizacao"
    )
    with pytest.raises(RuleViolation) as refused:
        auto.gsan.scheduling.set_service_type_importance(
            importances={SHORT: None, LONG: plain.id, 4040: plain.id}, actor=1
        )
    assert codes(refused) == {
        "schedule.importance.value_required",
        "schedule.importance.not_a_service_type_row",
        "schedule.importance.type_unknown",
    }
    assert auto.gsan.service_orders.get_type(LONG).calibration_id is None


def test_cal_01_weight_and_factor_are_required_integers(auto: Dispatch) -> None:
    row = calibration(auto, "REITERACAO", kind=3, range_from=1, range_to=9)
    with pytest.raises(RuleViolation) as refused:
        auto.gsan.scheduling.inform_calibration(changes={row.id: (None, 2)}, actor=1)
    assert refused.value.violations[0].gsan_key == "atencao.campo_texto.obrigatorio"
    [changed] = auto.gsan.scheduling.inform_calibration(
        changes={row.id: (4, 2)}, actor=1
    )
    assert (changed.integer("weight"), changed.integer("factor")) == (4, 2)
    assert auto.gsan.scheduling.calibration() == [changed]


def test_cal_03_a_reiterated_request_s_order_goes_first(auto: Dispatch) -> None:
    calibration(auto, "REITERADA", kind=3, range_from=1, range_to=99, weight=7)
    plain = auto.order(SHORT)
    opened = auto.given.request()
    with auto.gsan.uow_factory() as uow:  # a request reiterated twice
        request = uow.service_requests.get(opened.request.id)
        uow.service_requests.update(
            attrs.evolve(
                request,
                reiterations=2,
                current_unit_id=auto.place.office,
                version=request.version + 1,
            )
        )
        uow.commit()
    order = auto.gsan.service_requests.generate_order(
        service_type_id=SHORT, request_id=opened.request.id, actor=auto.place.attendant
    )
    with auto.gsan.uow_factory() as uow:  # the order follows its request's unit
        stored = uow.service_orders.get(order.id)
        uow.service_orders.update(
            attrs.evolve(
                stored, current_unit_id=auto.place.office, version=stored.version + 1
            )
        )
        uow.commit()
    result = run(auto)
    assert [p.order_id for p in result.placements][:2] == [order.id, plain.id]
    assert result.placements[0].score == 12


def test_uc1190_gsan_stops_at_the_first_order_that_fits_no_team(
    auto: Dispatch,
) -> None:
    """§2.5.4: the loop stops at the first order no team has room for."""
    longs = [auto.order(LONG) for _ in range(4)]  # 480 minutes: A 240, B 180
    short = auto.order(SHORT)
    result = run(auto)
    assert [p.order_id for p in result.placements] == [o.id for o in longs[:3]]
    assert result.left_order_ids == (longs[3].id, short.id)
    assert result.placed_per_team() == {auto.team.id: 2, auto.other.id: 1}
    # the profile's (or the call's) option goes on with the smaller ones
    again = run(auto, fill_gaps=True)
    assert [p.order_id for p in again.placements] == [short.id]
    assert again.placements[0].sequence == 2  # after the long one of team B


def test_uc1190_is_deterministic_and_idempotent(auto: Dispatch) -> None:
    orders = [auto.order(SHORT) for _ in range(5)]
    first = run(auto)
    assert len(first.placements) == 5
    assert run(auto).placements == ()
    day = auto.gsan.scheduling.day(unit_id=auto.place.office, on=MONDAY)
    placed = {r.order_id for t in day.teams for r in t.programmings}
    assert placed == {o.id for o in orders}


def test_uc1190_keeps_what_the_dispatcher_programmed_and_types_not_automatic(
    auto: Dispatch,
) -> None:
    manual = auto.order()  # a type without automatic scheduling
    by_hand = auto.order(LONG)
    auto.program(by_hand)
    automatic = auto.order(LONG)
    result = run(auto)
    assert [p.order_id for p in result.placements] == [automatic.id]
    assert result.placements[0].team_id == auto.other.id  # A has 120 left, B 180
    assert not auto.gsan.service_orders.get(manual.id).scheduled


def test_uc1190_missing_equipment_goes_to_a_team_that_has_it(auto: Dispatch) -> None:
    """§2.5.4: reasons 5/7 send the order to a team owning the equipment."""
    gsan = auto.gsan
    digger = gsan.service_orders.update_team(
        attrs.evolve(auto.other, equipment_ids={1}), actor=0
    )
    order = auto.order(SHORT)
    auto.program(order, on=MONDAY - timedelta(days=1))
    gsan.scheduling.inform_situation(
        order_id=order.id,
        on=MONDAY - timedelta(days=1),
        situation=OrderSituation.PENDING,
        reason_id=7,
        missing_equipment_id=1,
        actor=auto.place.technician,
    )
    result = run(auto)
    assert [(p.order_id, p.team_id) for p in result.placements] == [
        (order.id, digger.id)
    ]


def test_rot_05_on_a_weekend_only_teams_with_a_special_day_work(
    auto: Dispatch,
) -> None:
    orders = [auto.order(SHORT) for _ in range(2)]
    assert run(auto, on=SATURDAY).placements == ()
    auto.gsan.scheduling.add_special_day(team_id=auto.other.id, on=SATURDAY, actor=1)
    result = run(auto, on=SATURDAY)
    assert result.team_ids == (auto.other.id,)
    assert {p.team_id for p in result.placements} == {auto.other.id}
    assert {p.order_id for p in result.placements} == {o.id for o in orders}
