"""The pure scheduling rules (``gsan_core.rules.scheduling``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs

from gsan_core.model.scheduling import ScheduledOrder, SpecialDay
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, Team
from gsan_core.rules import scheduling as rules
from gsan_core.rules.scheduling.special_days import check_special_day

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
