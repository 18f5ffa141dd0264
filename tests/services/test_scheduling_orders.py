"""Scheduling orders on teams' routes, on every backend: teams' nature and
vehicle (VEI), elaborating a roteiro (PRG-01..PRG-08, PRG-12), the follow-up
(PRG-09..PRG-11), closing from the route (ENC-02, ENC-11, §2.6.7), closing a
day, special days (ROT-02..ROT-04) and followers (ROT-12, ROT-13)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, GsanError, RuleViolation
from gsan_core.model.scheduling import ScheduleOutcome
from gsan_core.model.service_orders import OrderSituation, TeamComponent
from tests.services.scheduling_support import (
    MONDAY,
    NOT_EXECUTED_REASON,
    QUICK,
    Dispatch,
    codes,
    dispatch,
    rules_of,
)

__all__ = ["dispatch"]

EXECUTED = 2
TUESDAY = MONDAY + timedelta(days=1)


# ================================================================ teams (VEI)
def test_vei_01_02_a_team_has_a_nature_and_a_vehicle_whose_plate_it_takes(
    dispatch: Dispatch,
) -> None:
    gsan, place = dispatch.gsan, dispatch.place
    nature = gsan.catalog.add("team_nature", description="MANUTENCAO DE REDE", actor=1)
    van = gsan.catalog.add(
        "vehicle", description="FURGAO", attributes={"plate": "ABC1234"}, actor=1
    )
    team = dispatch.given.team(
        "EQUIPE C",
        members=[place.contractor_user],
        nature_id=nature.id,
        vehicle_id=van.id,
        phone_area_code=91,
        phone_number="32221234",
        imei="356938035643809",
        responsible_user_id=place.technician,
        automatic_scheduling=True,
    )
    stored = gsan.service_orders.get_team(team.id)
    assert (stored.nature_id, stored.vehicle_id, stored.plate) == (
        nature.id,
        van.id,
        "ABC1234",
    )
    assert stored.automatic_scheduling
    assert stored.imei == "356938035643809"


def test_vei_01_02_an_unknown_nature_or_vehicle_is_refused_and_nothing_written(
    dispatch: Dispatch,
) -> None:
    before = len(dispatch.gsan.service_orders.teams())
    with pytest.raises(RuleViolation) as refused:
        dispatch.given.team("EQUIPE X", nature_id=4040, vehicle_id=4041)
    assert codes(refused) >= {"team.nature_unknown", "team.vehicle_unknown"}
    assert rules_of(refused) >= {"VEI-01", "VEI-02"}
    assert {v.gsan_key for v in refused.value.violations} == {
        "atencao.pesquisa_inexistente"
    }
    assert len(dispatch.gsan.service_orders.teams()) == before


def test_vei_02_a_vehicle_serves_one_active_team(dispatch: Dispatch) -> None:
    gsan = dispatch.gsan
    van = gsan.catalog.add(
        "vehicle", description="PICAPE", attributes={"plate": "XYZ9876"}, actor=1
    )
    gsan.service_orders.update_team(
        attrs.evolve(dispatch.team, vehicle_id=van.id), actor=1
    )
    with pytest.raises(RuleViolation) as refused:
        gsan.service_orders.update_team(
            attrs.evolve(dispatch.other, vehicle_id=van.id), actor=1
        )
    assert codes(refused) == {"team.vehicle_taken"}


def test_prg_13_a_work_load_over_24_hours_is_refused(dispatch: Dispatch) -> None:
    with pytest.raises(RuleViolation) as refused:
        dispatch.given.team("EQUIPE LONGA", work_minutes=24 * 60 + 1)
    assert codes(refused) == {"team.work_load_invalid"}


# ================================================================ elaborate
def test_prg_01_nothing_selected(dispatch: Dispatch) -> None:
    gsan, place = dispatch.gsan, dispatch.place
    for teams, orders, key in (
        ([], [], "atencao.nao.informado.equipe.ordem_servico.programacao"),
        ([], [1], "atencao.nao.informado.equipe.programacao"),
        ([dispatch.team.id], [], "atencao.nao.informado.ordem_servico.programacao"),
    ):
        with pytest.raises(RuleViolation) as refused:
            gsan.scheduling.program(
                unit_id=place.office,
                on=MONDAY,
                team_ids=teams,
                order_ids=orders,
                actor=place.technician,
            )
        assert refused.value.violations[0].gsan_key == key


def test_prg_02_never_many_orders_on_many_teams(dispatch: Dispatch) -> None:
    one, two = dispatch.order(QUICK), dispatch.order(QUICK)
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.program(
            unit_id=dispatch.place.office,
            on=MONDAY,
            team_ids=[dispatch.team.id, dispatch.other.id],
            order_ids=[one.id, two.id],
            actor=dispatch.place.technician,
        )
    assert codes(refused) == {"schedule.program.many_to_many"}
    assert (
        dispatch.gsan.scheduling.calendar(
            unit_id=dispatch.place.office, year=2026, month=12
        )
        == []
    )


def test_prg_02_one_order_on_several_teams_with_a_principal(dispatch: Dispatch) -> None:
    order = dispatch.order()
    rows = dispatch.gsan.scheduling.program(
        unit_id=dispatch.place.office,
        on=MONDAY,
        team_ids=[dispatch.team.id, dispatch.other.id],
        order_ids=[order.id],
        principal_team_id=dispatch.other.id,
        actor=dispatch.place.technician,
    )
    assert {(r.team_id, r.principal) for r in rows} == {
        (dispatch.team.id, False),
        (dispatch.other.id, True),
    }
    assert dispatch.gsan.service_orders.get(order.id).scheduled


def test_several_orders_on_one_team_in_sequence_and_the_day_s_load(
    dispatch: Dispatch,
) -> None:
    orders = [dispatch.order(QUICK) for _ in range(3)]
    rows = dispatch.program(*orders)
    assert [(r.order_id, r.sequence) for r in rows] == [
        (o.id, n) for n, o in enumerate(orders, start=1)
    ]
    day = dispatch.gsan.scheduling.day(unit_id=dispatch.place.office, on=MONDAY)
    team_day = day.team(dispatch.team.id)
    assert (team_day.used_minutes, team_day.free_minutes) == (90, 210)
    assert team_day.percent_used == 30.0
    assert day.team(dispatch.other.id).used_minutes == 0
    assert day.schedule is not None


def test_prg_04_rot_01_a_month_before_the_current_one_is_refused(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(order, on=date(2026, 11, 30))
    assert codes(refused) == {"schedule.month_in_past"}
    assert refused.value.violations[0].gsan_key == "atencao.ano_mes_referencia.invalida"
    # an earlier day of the current month is accepted, as in GSAN
    dispatch.program(order, on=date(2026, 12, 1))


def test_prg_05_a_team_of_another_unit_is_refused(dispatch: Dispatch) -> None:
    outsider = dispatch.given.team(
        "EQUIPE DA CENTRAL",
        unit=dispatch.place.call_centre,
        members=[dispatch.place.contractor_user],
    )
    order = dispatch.order()
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(order, team=outsider)
    assert codes(refused) == {"schedule.team_not_in_unit"}
    assert not dispatch.gsan.service_orders.get(order.id).scheduled


def test_prg_05_an_order_of_another_unit_is_refused(dispatch: Dispatch) -> None:
    order = dispatch.order()
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.program(
            unit_id=dispatch.place.call_centre,
            on=MONDAY,
            team_ids=[dispatch.team.id],
            order_ids=[order.id],
            actor=dispatch.place.technician,
        )
    assert "schedule.program.order_not_in_unit" in codes(refused)
    assert "atencao.unidade_lotacao_nao_encontra_ordem_servico" in {
        v.gsan_key for v in refused.value.violations
    }


def test_prg_06_a_closed_order_cannot_be_programmed(dispatch: Dispatch) -> None:
    order = dispatch.order()
    dispatch.gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=EXECUTED,
        closed_on=MONDAY,
        actor=dispatch.place.technician,
    )
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(order)
    assert codes(refused) == {"schedule.program.order_closed"}


def test_prg_07_an_order_already_programmed_is_refused(dispatch: Dispatch) -> None:
    order = dispatch.order()
    dispatch.program(order)
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(order, team=dispatch.other, on=TUESDAY)
    assert codes(refused) == {"schedule.program.order_already_programmed"}
    assert refused.value.violations[0].gsan_key == "atencao.ordem_servico_ja_programada"


def test_prg_08_an_inclusion_at_a_sequence_renumbers_the_others(
    dispatch: Dispatch,
) -> None:
    first, second, urgent = (dispatch.order(QUICK) for _ in range(3))
    dispatch.program(first, second)
    dispatch.program(urgent, sequence=1)
    route = dispatch.gsan.scheduling.route(team_id=dispatch.team.id, on=MONDAY)
    assert [(s.sequence, s.order_id) for s in route] == [
        (1, urgent.id),
        (2, first.id),
        (3, second.id),
    ]
    assert route[0].minutes == 30
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(dispatch.order(QUICK), sequence=9)
    assert codes(refused) == {"schedule.sequence_over_limit"}


def test_prg_08_several_orders_included_at_a_sequence_keep_their_order(
    dispatch: Dispatch,
) -> None:
    first, second = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(first, second)
    one, two = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(one, two, sequence=2)
    route = dispatch.gsan.scheduling.route(team_id=dispatch.team.id, on=MONDAY)
    assert [s.order_id for s in route] == [first.id, one.id, two.id, second.id]
    [moved] = [
        r for r in dispatch.gsan.scheduling.programmings(order_id=second.id) if r.active
    ]
    assert (moved.sequence, moved.version) == (4, 2)


def test_prg_08_reorder_within_the_team_s_limit(dispatch: Dispatch) -> None:
    orders = [dispatch.order(QUICK) for _ in range(3)]
    dispatch.program(*orders)
    day = dispatch.gsan.scheduling.reorder(
        order_id=orders[2].id, on=MONDAY, sequence=1, actor=dispatch.place.technician
    )
    assert [(r.sequence, r.order_id) for r in day] == [
        (1, orders[2].id),
        (2, orders[0].id),
        (3, orders[1].id),
    ]
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.reorder(
            order_id=orders[0].id,
            on=MONDAY,
            sequence=4,
            actor=dispatch.place.technician,
        )
    assert refused.value.violations[0].gsan_key == (
        "atencao.sequencial_programacao_maior_limite"
    )


def test_prg_12_a_team_s_work_load_is_never_exceeded(dispatch: Dispatch) -> None:
    dispatch.program(dispatch.order(), dispatch.order())  # 240 of 300 minutes
    third = dispatch.order()
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(third)
    assert codes(refused) == {"schedule.work_load_exceeded"}
    assert refused.value.violations[0].params["free"] == 60
    assert not dispatch.gsan.service_orders.get(third.id).scheduled
    assert dispatch.gsan.scheduling.programmings(order_id=third.id) == []
    # a 30-minute order still fits
    dispatch.program(dispatch.order(QUICK))


def test_prg_12_the_profile_may_follow_gsan_and_check_only_the_mobile_follow_up(
    dispatch: Dispatch,
) -> None:
    from gsan_core.system import System  # noqa: PLC0415

    profile = attrs.evolve(
        dispatch.gsan.profile,
        service_orders=attrs.evolve(
            dispatch.gsan.profile.service_orders, scheduling_checks_work_load=False
        ),
    )
    lax = System(
        uow_factory=dispatch.gsan.uow_factory, profile=profile, clock=dispatch.clock
    )
    orders = [dispatch.order() for _ in range(3)]
    lax.scheduling.program(
        unit_id=dispatch.place.office,
        on=MONDAY,
        team_ids=[dispatch.team.id],
        order_ids=[o.id for o in orders],
        actor=dispatch.place.technician,
    )
    day = lax.scheduling.day(unit_id=dispatch.place.office, on=MONDAY)
    assert day.team(dispatch.team.id).free_minutes == -60


def test_a_final_date_programs_one_row_per_day(dispatch: Dispatch) -> None:
    order = dispatch.order()
    rows = dispatch.program(order, until=MONDAY + timedelta(days=2))
    assert [r.on for r in rows] == [MONDAY + timedelta(days=n) for n in range(3)]
    assert dispatch.gsan.scheduling.calendar(
        unit_id=dispatch.place.office, year=2026, month=12
    ) == [MONDAY + timedelta(days=n) for n in range(3)]
    assert (
        dispatch.gsan.scheduling.calendar(
            unit_id=dispatch.place.office, year=2027, month=1
        )
        == []
    )


# ================================================================ follow-up
def test_prg_11_move_to_another_team_and_compact_the_sequences(
    dispatch: Dispatch,
) -> None:
    first, second = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(first, second)
    moved = dispatch.gsan.scheduling.move(
        order_id=first.id,
        on=MONDAY,
        to_team_id=dispatch.other.id,
        actor=dispatch.place.technician,
    )
    assert (moved.team_id, moved.sequence) == (dispatch.other.id, 1)
    route = dispatch.gsan.scheduling.route(team_id=dispatch.team.id, on=MONDAY)
    assert [(s.sequence, s.order_id) for s in route] == [(1, second.id)]
    history = dispatch.gsan.scheduling.programmings(order_id=first.id)
    assert [h.outcome for h in history] == [ScheduleOutcome.RELOCATED, None]


def test_prg_11_an_order_on_several_teams_cannot_be_moved(dispatch: Dispatch) -> None:
    third = dispatch.given.team(
        "EQUIPE C", work_minutes=300, members=[dispatch.place.contractor_user]
    )
    order = dispatch.order()
    dispatch.gsan.scheduling.program(
        unit_id=dispatch.place.office,
        on=MONDAY,
        team_ids=[dispatch.team.id, dispatch.other.id],
        order_ids=[order.id],
        actor=dispatch.place.technician,
    )
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.move(
            order_id=order.id,
            on=MONDAY,
            to_team_id=third.id,
            actor=dispatch.place.technician,
        )
    assert codes(refused) == {"schedule.follow_up.several_teams"}


def test_prg_12_a_move_into_a_full_day_is_refused(dispatch: Dispatch) -> None:
    dispatch.program(dispatch.order(), dispatch.order(), team=dispatch.other)
    order = dispatch.order()
    dispatch.program(order)
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.move(
            order_id=order.id,
            on=MONDAY,
            to_team_id=dispatch.other.id,
            actor=dispatch.place.technician,
        )
    assert (
        refused.value.violations[0].gsan_key == "atencao.limite_carga_trabalho_excedido"
    )


def test_prg_09_informing_in_execution_keeps_the_order_programmed(
    dispatch: Dispatch,
) -> None:
    order, after = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(order, after)
    informed = dispatch.gsan.scheduling.inform_situation(
        order_id=order.id,
        on=MONDAY,
        situation=OrderSituation.IN_EXECUTION,
        actor=dispatch.place.technician,
    )
    assert informed.situation is OrderSituation.IN_EXECUTION
    assert informed.scheduled
    route = dispatch.gsan.scheduling.route(team_id=dispatch.team.id, on=MONDAY)
    assert [(s.sequence, s.order_id) for s in route] == [(1, after.id)]
    row = dispatch.gsan.scheduling.programmings(order_id=order.id)[0]
    assert (row.active, row.outcome, row.closed_by) == (
        False,
        ScheduleOutcome.IN_EXECUTION,
        dispatch.place.technician,
    )


def test_prg_09_informing_pending_returns_the_order_to_the_pool_with_the_reason(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    dispatch.program(order)
    informed = dispatch.gsan.scheduling.inform_situation(
        order_id=order.id,
        on=MONDAY,
        situation=OrderSituation.PENDING,
        reason_id=NOT_EXECUTED_REASON,
        missing_equipment_id=1,
        actor=dispatch.place.technician,
    )
    assert (informed.situation, informed.scheduled) == (OrderSituation.PENDING, False)
    row = dispatch.gsan.scheduling.programmings(order_id=order.id)[0]
    assert (row.outcome, row.reason_id, row.missing_equipment_id) == (
        ScheduleOutcome.NOT_CLOSED,
        NOT_EXECUTED_REASON,
        1,
    )
    # back in the pool: it can be programmed again on another day
    dispatch.program(informed, on=TUESDAY)


def test_prg_09_the_follow_up_changes_nothing_of_a_closed_order(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    dispatch.program(order)
    dispatch.gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=EXECUTED,
        closed_on=MONDAY,
        route_on=MONDAY,
        actor=dispatch.place.technician,
    )
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.inform_situation(
            order_id=order.id,
            on=MONDAY,
            situation=OrderSituation.IN_EXECUTION,
            actor=dispatch.place.technician,
        )
    # the closing ended its programming: nothing is left to inform
    assert codes(refused) == {"schedule.not_programmed"}


def test_prg_10_an_earlier_day_is_informed_first(dispatch: Dispatch) -> None:
    order = dispatch.order()
    dispatch.program(order, until=TUESDAY)
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.inform_situation(
            order_id=order.id,
            on=TUESDAY,
            situation=OrderSituation.IN_EXECUTION,
            actor=dispatch.place.technician,
        )
    assert codes(refused) == {"schedule.follow_up.programmed_earlier"}
    assert refused.value.violations[0].gsan_key == (
        "atencao.programacao_ativa_dias_anteriores"
    )


def test_remove_returns_the_order_to_the_pool(dispatch: Dispatch) -> None:
    order, other = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(order, other)
    removed = dispatch.gsan.scheduling.remove(
        order_id=order.id, on=MONDAY, actor=dispatch.place.technician
    )
    assert not removed.scheduled
    route = dispatch.gsan.scheduling.route(team_id=dispatch.team.id, on=MONDAY)
    assert [(s.sequence, s.order_id) for s in route] == [(1, other.id)]


# ================================================================ closing
def test_enc_02_an_order_on_today_s_route_is_closed_from_the_follow_up(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    dispatch.program(order)
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=EXECUTED,
            closed_on=MONDAY,
            actor=dispatch.place.technician,
        )
    assert refused.value.violations[0].gsan_key == "atencao.origem_encerramento_os"
    assert dispatch.gsan.service_orders.get(order.id).is_open


def test_enc_02_an_order_programmed_for_a_later_day_closes_anywhere_and_leaves_it(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    dispatch.program(order, on=TUESDAY)
    dispatch.gsan.service_orders.close_not_executed(
        order_id=order.id,
        reason_id=4,
        closed_on=MONDAY,
        actor=dispatch.place.technician,
    )
    row = dispatch.gsan.scheduling.programmings(order_id=order.id)[0]
    assert (row.active, row.outcome) == (False, ScheduleOutcome.CANCELLED)


def test_enc_11_the_closing_date_does_not_pass_the_route_date(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    dispatch.program(order, on=date(2026, 12, 1))
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.service_orders.close_executed(
            order_id=order.id,
            reason_id=EXECUTED,
            closed_on=MONDAY,
            route_on=date(2026, 12, 1),
            actor=dispatch.place.technician,
        )
    assert refused.value.violations[0].gsan_key == (
        "atencao.data_encerramento_maior_data_roteiro"
    )


def test_closing_from_the_route_ends_the_programming_and_compacts_the_day(
    dispatch: Dispatch,
) -> None:
    """§2.6.7: the closing day's programming ends as closed."""
    first, second = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(first, second)
    dispatch.gsan.service_orders.close_executed(
        order_id=first.id,
        reason_id=EXECUTED,
        closed_on=MONDAY,
        route_on=MONDAY,
        actor=dispatch.place.technician,
    )
    row = dispatch.gsan.scheduling.programmings(order_id=first.id)[0]
    assert (row.active, row.outcome) == (False, ScheduleOutcome.CLOSED)
    route = dispatch.gsan.scheduling.route(team_id=dispatch.team.id, on=MONDAY)
    assert [(s.sequence, s.order_id) for s in route] == [(1, second.id)]


def test_closing_a_day_returns_the_orders_left_open_to_the_pool(
    dispatch: Dispatch,
) -> None:
    left, working = dispatch.order(QUICK), dispatch.order(QUICK)
    dispatch.program(left, working)
    dispatch.gsan.scheduling.inform_situation(
        order_id=working.id,
        on=MONDAY,
        situation=OrderSituation.IN_EXECUTION,
        actor=dispatch.place.technician,
    )
    closing = dispatch.gsan.scheduling.close_day(
        unit_id=dispatch.place.office, on=MONDAY, actor=dispatch.place.technician
    )
    assert closing.returned_order_ids == (left.id, working.id)
    back = dispatch.gsan.service_orders.get(working.id)
    assert (back.situation, back.scheduled) == (OrderSituation.IN_EXECUTION, False)
    assert closing.schedule.closed
    assert not dispatch.gsan.service_orders.get(left.id).scheduled
    with pytest.raises(RuleViolation) as refused:
        dispatch.program(dispatch.order(QUICK))
    assert codes(refused) == {"schedule.day_closed"}
    with pytest.raises(RuleViolation) as again:
        dispatch.gsan.scheduling.close_day(
            unit_id=dispatch.place.office, on=MONDAY, actor=dispatch.place.technician
        )
    assert codes(again) == {"schedule.day_closed"}


def test_a_future_day_or_a_day_without_a_route_cannot_be_closed(
    dispatch: Dispatch,
) -> None:
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.close_day(
            unit_id=dispatch.place.office, on=TUESDAY, actor=dispatch.place.technician
        )
    assert codes(refused) == {"schedule.close_day.in_future", "schedule.none"}


# ================================================================ the RA
def test_a_programmed_order_holds_its_request_until_it_returns_to_the_pool(
    dispatch: Dispatch,
) -> None:
    """TRM-03b: forwarding waits while the request's pending order is programmed."""
    opened = dispatch.given.request()
    request = opened.request
    order = opened.order or dispatch.gsan.service_orders.generate(
        service_type_id=QUICK,
        request_id=request.id,
        actor=dispatch.place.technician,
    )
    dispatch.clock.advance(timedelta(minutes=5))
    dispatch.gsan.service_requests.forward(
        request_id=request.id,
        destination_unit_id=dispatch.place.office,
        actor=dispatch.place.attendant,
    )
    dispatch.program(order)
    dispatch.clock.advance(timedelta(minutes=5))
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.service_requests.forward(
            request_id=request.id,
            destination_unit_id=dispatch.place.call_centre,
            actor=dispatch.place.technician,
        )
    assert "atencao.tramitar_ra_os_programada" in {
        v.gsan_key for v in refused.value.violations
    }
    dispatch.gsan.scheduling.inform_situation(
        order_id=order.id,
        on=MONDAY,
        situation=OrderSituation.PENDING,
        actor=dispatch.place.technician,
    )
    dispatch.gsan.service_requests.forward(
        request_id=request.id,
        destination_unit_id=dispatch.place.call_centre,
        actor=dispatch.place.technician,
    )


# ================================================================ special days
SATURDAY = date(2026, 12, 12)
CHRISTMAS = date(2026, 12, 25)


def test_rot_02_date_and_team_are_required(dispatch: Dispatch) -> None:
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.add_special_day(team_id=None, on=None, actor=1)
    assert [v.gsan_key for v in refused.value.violations] == [
        "atencao.campo_texto.obrigatorio"
    ] * 2


def test_rot_03_one_special_day_per_date_and_team(dispatch: Dispatch) -> None:
    day = dispatch.gsan.scheduling.add_special_day(
        team_id=dispatch.team.id, on=SATURDAY, actor=1
    )
    assert dispatch.gsan.scheduling.special_days(team_id=dispatch.team.id) == [day]
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.add_special_day(
            team_id=dispatch.team.id, on=SATURDAY, actor=1
        )
    assert codes(refused) == {"schedule.special_day.taken"}
    dispatch.gsan.scheduling.add_special_day(
        team_id=dispatch.other.id, on=SATURDAY, actor=1
    )


def test_rot_04_a_working_day_needs_confirmation_a_holiday_does_not(
    dispatch: Dispatch,
) -> None:
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.add_special_day(
            team_id=dispatch.team.id, on=TUESDAY, actor=1
        )
    assert refused.value.violations[0].gsan_key == (
        "atencao.data_programacao_nao_corresponde_feriado"
    )
    dispatch.gsan.scheduling.add_special_day(
        team_id=dispatch.team.id, on=TUESDAY, actor=1, confirmed=True
    )
    dispatch.gsan.scheduling.add_special_day(
        team_id=dispatch.team.id, on=CHRISTMAS, actor=1
    )


def test_rot_04_the_team_s_unit_needs_a_locality(dispatch: Dispatch) -> None:
    outsider = dispatch.given.team(
        "EQUIPE DA CENTRAL",
        unit=dispatch.place.call_centre,
        members=[dispatch.place.contractor_user],
    )
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.add_special_day(
            team_id=outsider.id, on=SATURDAY, actor=1
        )
    assert refused.value.violations[0].gsan_key == (
        "atencao.localidade_nao_informada_unidade_organizacional"
    )


# ================================================================ followers
def test_rot_12_13_a_user_follows_the_teams_of_natures_and_the_teams_named(
    dispatch: Dispatch,
) -> None:
    gsan, place = dispatch.gsan, dispatch.place
    nature = gsan.catalog.add("team_nature", description="COMERCIAL", actor=1)
    third = gsan.service_orders.add_team(
        name="EQUIPE C",
        unit_id=place.office,
        work_minutes=240,
        components=[TeamComponent(name="JOSE", responsible=True)],
        nature_id=nature.id,
        actor=1,
    )
    follower = gsan.scheduling.set_followed_teams(
        user_id=place.attendant,
        nature_ids=[nature.id],
        team_ids=[dispatch.team.id],
        actor=1,
    )
    assert follower.version == 1
    followed = gsan.scheduling.followed_teams(user_id=place.attendant)
    assert [t.id for t in followed] == sorted([third.id, dispatch.team.id])
    # saving replaces the whole set
    gsan.scheduling.set_followed_teams(
        user_id=place.attendant, team_ids=[dispatch.other.id], actor=1
    )
    assert [t.id for t in gsan.scheduling.followed_teams(user_id=place.attendant)] == [
        dispatch.other.id
    ]
    assert gsan.scheduling.followed_teams(user_id=place.technician) == []


def test_rot_12_unknown_user_nature_or_team_is_refused(dispatch: Dispatch) -> None:
    with pytest.raises(RuleViolation) as refused:
        dispatch.gsan.scheduling.set_followed_teams(
            user_id=777, nature_ids=[55], team_ids=[66], actor=1
        )
    assert len(refused.value.violations) == 3
    assert rules_of(refused) == {"ROT-12"}


# ================================================================ concurrency
def _race(*commands: Callable[[], object]) -> list[object]:
    """Run the commands at once in threads; what each returned or raised."""
    barrier = threading.Barrier(len(commands))
    outcomes: list[object] = [None] * len(commands)

    def run(index: int, command: Callable[[], object]) -> None:
        barrier.wait(5)
        try:
            outcomes[index] = command()
        except GsanError as refused:
            outcomes[index] = refused

    threads = [
        threading.Thread(target=run, args=(n, c)) for n, c in enumerate(commands)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_prg_12_two_dispatchers_on_one_team_s_day_never_exceed_its_work_load(
    dispatch: Dispatch,
) -> None:
    dispatch.program(dispatch.order())  # 120 of 300 minutes
    one, two = dispatch.order(), dispatch.order()
    outcomes = _race(lambda: dispatch.program(one), lambda: dispatch.program(two))
    refused = [o for o in outcomes if isinstance(o, GsanError)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], RuleViolation | ConcurrencyConflict)
    day = dispatch.gsan.scheduling.day(unit_id=dispatch.place.office, on=MONDAY)
    assert day.team(dispatch.team.id).used_minutes == 240
    assert [r.sequence for r in day.team(dispatch.team.id).programmings] == [1, 2]


def test_prg_07_two_dispatchers_programming_one_order_one_wins(
    dispatch: Dispatch,
) -> None:
    order = dispatch.order()
    outcomes = _race(
        lambda: dispatch.program(order),
        lambda: dispatch.program(order, team=dispatch.other, on=TUESDAY),
    )
    refused = [o for o in outcomes if isinstance(o, GsanError)]
    assert len(refused) == 1, outcomes
    assert isinstance(refused[0], RuleViolation | ConcurrencyConflict)
    assert len(dispatch.gsan.scheduling.programmings(order_id=order.id)) == 1


def test_the_overdue_closing_ends_the_programmings_of_the_orders_it_closes(
    dispatch: Dispatch,
) -> None:
    """§2.6.7 in the overdue batch (VEN-02): its orders leave their routes."""
    from gsan_core.system import System  # noqa: PLC0415

    roles = dict(dispatch.gsan.profile.roles) | {
        "service_type.overdue_closable": {QUICK}
    }
    overdue = System(
        uow_factory=dispatch.gsan.uow_factory,
        profile=attrs.evolve(dispatch.gsan.profile, roles=roles),
        clock=dispatch.clock,
    )
    now = dispatch.clock.now()
    dispatch.clock.set(now - timedelta(days=200))
    old = dispatch.order(QUICK)
    dispatch.clock.set(now)
    fresh = dispatch.order(QUICK)
    dispatch.program(old, fresh, on=TUESDAY)
    overdue.service_orders.close_overdue(
        service_type_id=QUICK, days=10, actor=dispatch.place.technician
    )
    [row] = dispatch.gsan.scheduling.programmings(order_id=old.id)
    assert (row.active, row.outcome) == (False, ScheduleOutcome.CANCELLED)
    assert dispatch.gsan.scheduling.programmings(order_id=fresh.id, active_only=True)
