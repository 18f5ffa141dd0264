"""The pure scheduling rules (``gsan_core.rules.scheduling``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.scheduling import (
    Schedule,
    ScheduledOrder,
    SpecialDay,
    TeamFollower,
)
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, Team
from gsan_core.rules import scheduling as rules
from gsan_core.rules.scheduling import automatic as auto
from gsan_core.rules.scheduling.special_days import check_follower, check_special_day

AT = datetime(2026, 12, 7, 13, tzinfo=UTC)
MONDAY = date(2026, 12, 7)
TEAM = Team(id=1, name="A", unit_id=10, work_minutes=300)


def order(id: int = 1, **changes: object) -> ServiceOrder:
    return attrs.evolve(
        ServiceOrder(id=id, service_type_id=5, generated_at=AT, current_unit_id=10),
        **changes,
    )


def row(id: int, sequence: int, **changes: object) -> ScheduledOrder:
    return attrs.evolve(
        ScheduledOrder(
            id=id,
            schedule_id=1,
            order_id=100 + id,
            team_id=1,
            unit_id=10,
            on=MONDAY,
            sequence=sequence,
            scheduled_by=1,
            scheduled_at=AT,
        ),
        **changes,
    )


def program(*orders: ServiceOrder, used: int = 0, minutes: int = 60) -> set[str]:
    request = rules.ProgramRequest(
        unit_id=10, on=MONDAY, team_ids=(1,), order_ids=tuple(o.id for o in orders)
    )
    found = rules.check_program(
        request,
        today=MONDAY,
        teams={1: TEAM},
        orders={o.id: o for o in orders},
        active={},
        used={(1, MONDAY): used},
        minutes={o.id: minutes for o in orders},
    )
    return {v.code for v in found}


def test_prg_03_only_pending_or_in_execution_orders_are_programmed() -> None:
    assert program(order(situation=OrderSituation.PENDING)) == set()
    assert program(order(situation=OrderSituation.IN_EXECUTION)) == set()
    assert program(order(situation=OrderSituation.AWAITING_RELEASE)) == {
        "schedule.program.order_not_schedulable"
    }


def test_prg_12_the_orders_fit_the_free_minutes_exactly() -> None:
    assert program(order(), used=240, minutes=60) == set()
    assert program(order(), used=241, minutes=60) == {"schedule.work_load_exceeded"}


def test_prg_08_resequence_places_a_new_row_and_bumps_the_versions_it_moves() -> None:
    rows = [row(1, 1), row(2, 2)]
    new = row(3, 0)
    placed = rules.resequence(rows, first=new, at=2)
    assert [(r.id, r.sequence, r.version) for r in placed] == [
        (1, 1, 1),
        (3, 2, 1),
        (2, 3, 2),
    ]
    assert [r.sequence for r in rules.resequence([row(4, 7), row(5, 3)])] == [1, 2]


def test_prg_08_a_new_sequence_stays_within_the_team_s_day() -> None:
    team_rows = [row(1, 1), row(2, 2)]
    assert rules.check_reorder(team_rows[0], team_rows=team_rows, sequence=2) == []
    assert rules.check_reorder(team_rows[0], team_rows=team_rows, sequence=3)
    assert rules.check_reorder(team_rows[0], team_rows=team_rows, sequence=0)
    assert (
        rules.check_insert_sequence(team_id=1, on=MONDAY, sequence=3, current=2) == []
    )
    assert rules.check_insert_sequence(team_id=1, on=MONDAY, sequence=4, current=2)


def test_enc_02_11_the_closing_origin_of_a_programmed_order() -> None:
    today = [row(1, 1, on=MONDAY)]
    later = [row(1, 1, on=date(2026, 12, 9))]
    close = rules.check_close_origin
    assert close(order(), active=today, today=MONDAY, closed_on=MONDAY, route_on=None)
    assert (
        close(order(), active=later, today=MONDAY, closed_on=MONDAY, route_on=None)
        == []
    )
    assert (
        close(order(), active=today, today=MONDAY, closed_on=MONDAY, route_on=MONDAY)
        == []
    )
    [after] = close(
        order(),
        active=today,
        today=MONDAY,
        closed_on=MONDAY,
        route_on=date(2026, 12, 4),
    )
    assert after.rule == "ENC-11"


def test_rot_01_the_route_month_is_the_current_one_or_later() -> None:
    assert rules.check_route_month(date(2026, 12, 1), today=MONDAY) == []
    assert rules.check_route_month(date(2027, 1, 1), today=MONDAY) == []
    [refused] = rules.check_route_month(date(2026, 11, 30), today=MONDAY)
    assert refused.rule == "PRG-04"


def test_rot_03_04_special_day_checks() -> None:
    taken = [SpecialDay(id=1, team_id=1, on=MONDAY, created_by=1)]
    found = check_special_day(
        on=MONDAY,
        team_id=1,
        team_exists=True,
        existing=taken,
        working_day=True,
        confirmed=False,
    )
    assert [v.rule for v in found] == ["ROT-03", "ROT-04"]


def test_days_of_spans_the_final_date() -> None:
    assert rules.days_of(MONDAY, None) == [MONDAY]
    assert len(rules.days_of(MONDAY, date(2026, 12, 13))) == 7


def test_prg_01_02_04_05_06_the_program_request_s_own_checks() -> None:
    closed = order(2, situation=OrderSituation.CLOSED)
    request = rules.ProgramRequest(
        unit_id=10,
        on=MONDAY,
        until=date(2026, 12, 6),
        team_ids=(1, 2, 3),
        order_ids=(1, 2, 9),
        principal_team_id=4,
    )
    found = rules.check_program(
        request,
        today=MONDAY,
        teams={1: TEAM, 3: attrs.evolve(TEAM, id=3, unit_id=11)},
        orders={1: order(current_unit_id=11), 2: closed},
        active={},
        used={},
        minutes={},
        closed_days=[MONDAY],
        enforce_work_load=False,
    )
    assert {v.code for v in found} == {
        "schedule.program.many_to_many",
        "schedule.program.principal_not_selected",
        "schedule.program.until_before_date",
        "schedule.day_closed",
        "schedule.team_unknown",
        "schedule.team_not_in_unit",
        "schedule.program.order_not_in_unit",
        "schedule.program.order_closed",
        "schedule.order_unknown",
    }


def test_prg_07_an_active_programming_is_named() -> None:
    request = rules.ProgramRequest(unit_id=10, on=MONDAY, team_ids=(1,), order_ids=(1,))
    [found] = rules.check_program(
        request,
        today=MONDAY,
        teams={1: TEAM},
        orders={1: order()},
        active={1: [row(2, 1, team_id=7, on=date(2026, 12, 9)), row(3, 1, team_id=5)]},
        used={},
        minutes={},
    )
    assert found.params == {"order_id": 1, "team_id": 5, "on": MONDAY}


def test_prg_09_11_12_move_checks() -> None:
    rows = [row(1, 1), row(2, 1, team_id=2)]
    closed = order(situation=OrderSituation.CLOSED)
    found = rules.check_move(
        closed,
        rows_of_day=rows,
        unit_id=10,
        target=None,
        target_id=9,
        target_used=0,
        minutes=60,
    )
    assert [v.rule for v in found] == ["PRG-09", "PRG-11", "PRG-01"]
    other_unit = attrs.evolve(TEAM, id=3, unit_id=11)
    [elsewhere] = rules.check_move(
        order(),
        rows_of_day=rows[:1],
        unit_id=10,
        target=other_unit,
        target_id=3,
        target_used=0,
        minutes=60,
    )
    assert elsewhere.code == "schedule.team_not_in_unit"
    [full] = rules.check_move(
        order(),
        rows_of_day=[],
        unit_id=10,
        target=TEAM,
        target_id=1,
        target_used=290,
        minutes=60,
    )
    assert full.params["free"] == 10
    assert full.params["on"] is None


def test_prg_09_10_inform_checks() -> None:
    found = rules.check_inform(
        order(situation=OrderSituation.CLOSED),
        situation=OrderSituation.AWAITING_RELEASE,
        on=MONDAY,
        active=[row(1, 1, on=date(2026, 12, 5))],
    )
    assert [v.rule for v in found] == ["PRG-09", "PRG-09", "PRG-10"]
    assert rules.check_follow_up(order()) == []


def test_rot_02_04_special_day_requirements_and_a_missing_team() -> None:
    found = check_special_day(
        on=None,
        team_id=None,
        team_exists=False,
        existing=(),
        working_day=False,
        confirmed=False,
    )
    assert [v.rule for v in found] == ["ROT-02", "ROT-02"]
    [unknown] = check_special_day(
        on=MONDAY,
        team_id=4,
        team_exists=False,
        existing=(),
        working_day=True,
        confirmed=True,
    )
    assert unknown.code == "schedule.team_unknown"


def test_rot_12_follower_references() -> None:
    found = check_follower(
        user_exists=True,
        user_id=1,
        nature_ids=[3, 3],
        team_ids=[4],
        exists=lambda kind, ident: kind == "team",
    )
    assert [v.params["value"] for v in found] == [3]


def test_cal_01_02_calibration_and_importance_checks() -> None:
    rows = {
        1: CatalogItem(
            kind="calibration", id=1, description="T", attributes={"kind": 6}
        ),
        2: CatalogItem(
            kind="calibration", id=2, description="D", attributes={"kind": 5}
        ),
    }
    found = auto.check_calibration(
        {1: (None, -1), 2: (True, 3), 9: (1, 1)},  # type: ignore[dict-item]
        rows=rows,
    )
    assert [v.code for v in found] == [
        "schedule.calibration.value_required",
        "schedule.calibration.value_required",
        "schedule.calibration.value_required",
        "schedule.calibration.unknown",
    ]
    assert auto.check_calibration({1: (0, 2)}, rows=rows) == []
    found = auto.check_importance(
        {5: 1, 6: None, 7: 2, 8: 1}, known_types={5, 6, 7}, rows=rows
    )
    assert [v.code for v in found] == [
        "schedule.importance.value_required",
        "schedule.importance.not_a_service_type_row",
        "schedule.importance.type_unknown",
    ]
    assert [v.code for v in auto.check_importance({}, known_types=(), rows=rows)] == [
        "schedule.importance.nothing_selected"
    ]


def test_cal_03_score_parts_and_defaults() -> None:
    rows = {
        1: CatalogItem(
            kind="calibration",
            id=1,
            description="LOCAL",
            attributes={"kind": 1, "weight": 2, "factor": 3, "locality_id": 5},
        ),
        2: CatalogItem(
            kind="calibration",
            id=2,
            description="DIAMETRO",
            attributes={"kind": 2, "range_from": 50, "range_to": 100, "weight": 4},
        ),
        3: CatalogItem(
            kind="calibration",
            id=3,
            description="SEM FAIXA",
            attributes={"kind": 3, "range_from": 1},
        ),
    }
    candidate = auto.Candidate(
        order_id=1,
        generated_at=AT,
        minutes=30,
        location_calibration_id=1,
        service_type_calibration_id=1,  # a location row given to a type: ignored
        network_diameter=75,
        reiterations=2,
    )
    total, parts = auto.score(candidate, calibration=rows)
    assert total == 6 + 4 + 4  # 2 x 3, 4 x 1, and four defaults
    assert [(p.kind.name, p.calibration_id, p.points) for p in parts] == [
        ("LOCATION", 1, 6),
        ("NETWORK_DIAMETER", 2, 4),
        ("REITERATION", None, 1),
        ("RECURRENCE", None, 1),
        ("DAYS_OPEN", None, 1),
        ("SERVICE_TYPE", None, 1),
    ]
    index = auto.CalibrationIndex(rows)
    assert auto.score(candidate, calibration=index)[0] == total


def test_uc1190_placement_with_missing_equipment_and_no_room() -> None:
    teams = [TEAM, attrs.evolve(TEAM, id=2, work_minutes=60, equipment_ids={7})]
    candidates = [
        auto.Candidate(order_id=1, generated_at=AT, minutes=60, missing_equipment_id=8),
        auto.Candidate(order_id=2, generated_at=AT, minutes=400),
        auto.Candidate(order_id=3, generated_at=AT, minutes=30),
    ]
    placed, left = auto.place(
        candidates, teams=teams, used={}, taken={1: 2}, calibration={}
    )
    # no team carries equipment 8: left out without stopping the run; the
    # 400-minute order fits nobody: GSAN stops there
    assert placed == []
    assert left == [1, 2, 3]
    placed, left = auto.place(
        candidates, teams=teams, used={}, taken={1: 2}, calibration={}, fill_gaps=True
    )
    assert [(p.order_id, p.team_id, p.sequence) for p in placed] == [(3, 1, 3)]


def test_the_scheduling_model_shows_itself_and_refuses_naive_instants() -> None:
    schedule = Schedule(id=1, unit_id=10, on=MONDAY)
    assert "unit_id=10" in repr(schedule)
    assert "<table" in schedule._repr_html_()
    assert "sequence=1" in repr(row(1, 1))
    assert "<table" in row(1, 1)._repr_html_()
    assert TeamFollower(id=7).user_id == 7
    with pytest.raises(ValueError, match="timezone-aware"):
        Schedule(id=1, unit_id=10, on=MONDAY, closed_at=datetime(2026, 12, 7))  # noqa: DTZ001


def test_prg_12_an_unknown_team_is_not_weighed() -> None:
    request = rules.ProgramRequest(unit_id=10, on=MONDAY, team_ids=(9,), order_ids=(1,))
    found = rules.check_program(
        request,
        today=MONDAY,
        teams={},
        orders={1: order()},
        active={},
        used={},
        minutes={1: 60},
    )
    assert [v.code for v in found] == ["schedule.team_unknown"]


def test_cal_03_a_value_outside_every_range_counts_the_default() -> None:
    rows = {
        1: CatalogItem(
            kind="calibration",
            id=1,
            description="10 A 20 DIAS",
            attributes={"kind": 5, "range_from": 10, "range_to": 20, "weight": 9},
        )
    }
    index = auto.CalibrationIndex(rows)
    assert index.ranged(auto.PrioritizationKind.DAYS_OPEN, 3)[2:] == (None, 1, 1)
    assert index.ranged(auto.PrioritizationKind.DAYS_OPEN, 15)[2:] == (1, 9, 1)
