"""Closing overdue orders (UC0734, VEN-01..VEN-03) and the completed-orders
bulletin (R0765), on memory, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gsan_core.errors import RuleViolation
from gsan_core.model.service_orders import (
    OrderSituation,
    OrderUnitRelation,
    OverdueOrdersClosed,
)
from gsan_core.services.batches import BatchProgress
from tests.services.orders_support import (
    ACTOR,
    EXECUTED,
    GAVE_UP,
    OTHER,
    OVERDUE,
    OVERDUE_REASON,
    PLAIN,
    Harness,
    harness,
)

__all__ = ["harness"]


def _orders(h: Harness) -> dict[str, Any]:
    """Orders of the overdue type aged around the cutoff (10 + 90 days)."""
    made = {
        "old": [h.generate(OVERDUE, days_ago=101 + i).id for i in range(5)],
        "boundary": h.generate(OVERDUE, days_ago=100).id,
        "recent": h.generate(OVERDUE, days_ago=99).id,
        "other_type": h.generate(PLAIN, days_ago=150).id,
    }
    in_execution = h.generate(OVERDUE, days_ago=150)
    h.gsan.service_orders.start_execution(order_id=in_execution.id, actor=ACTOR)
    made["in_execution"] = in_execution.id
    cancelled = h.generate(OVERDUE, days_ago=150)
    h.clock.set(h.clock.now() - timedelta(days=140))
    h.gsan.service_orders.close_not_executed(
        order_id=cancelled.id, reason_id=GAVE_UP, closed_on=h.today, actor=ACTOR
    )
    h.clock.set(h.clock.now() + timedelta(days=140))
    made["cancelled"] = cancelled.id
    return made


def test_ven_02_closes_pending_orders_older_than_days_plus_90(harness: Harness) -> None:
    made = _orders(harness)
    before = harness.orders()
    progress: list[BatchProgress] = []
    summary = harness.gsan.service_orders.close_overdue(
        service_type_id=OVERDUE,
        days=10,
        actor=OTHER,
        progress=progress.append,
        chunk_size=2,
    )
    closed_ids = {*made["old"], made["boundary"]}
    assert (summary.processed, summary.changed, summary.units) == (6, 6, 3)
    assert [p.units_done for p in progress] == [1, 2, 3]
    assert progress[-1].changed == 6
    after = harness.orders()
    for order_id, order in after.items():
        if order_id in closed_ids:
            assert order.situation is OrderSituation.CLOSED
            assert order.closing_reason_id == OVERDUE_REASON
            assert order.closed_at == harness.clock.now()
            assert order.closing_remark is None
            assert order.version == before[order_id].version + 1
            trail = harness.gsan.service_orders.unit_history(order_id)
            closing = [r for r in trail if r.relation is OrderUnitRelation.CLOSED]
            assert [(r.unit_id, r.user_id) for r in closing] == [(202, OTHER)]
        else:
            assert order == before[order_id]
    events = [e for e in harness.gsan.events if isinstance(e, OverdueOrdersClosed)]
    assert sorted(i for e in events for i in e.order_ids) == sorted(closed_ids)
    assert {e.closing_reason_id for e in events} == {OVERDUE_REASON}


def test_ven_03_nothing_left_is_refused_and_writes_nothing(harness: Harness) -> None:
    _orders(harness)
    harness.gsan.service_orders.close_overdue(
        service_type_id=OVERDUE, days=10, actor=ACTOR
    )
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_overdue(
            service_type_id=OVERDUE, days=10, actor=ACTOR
        )
    found = error.value.violations[0]
    assert (found.code, found.rule, found.gsan_key) == (
        "service_order.overdue.nothing_to_close",
        "VEN-03",
        "atencao.pesquisa.nenhumresultado",
    )
    assert harness.orders() == before


def test_ven_02_resumes_after_an_interruption(harness: Harness) -> None:
    made = _orders(harness)

    class Stop(Exception):
        pass

    def interrupt(progress: BatchProgress) -> None:
        if progress.units_done == 1:
            raise Stop

    with pytest.raises(Stop):
        harness.gsan.service_orders.close_overdue(
            service_type_id=OVERDUE,
            days=10,
            actor=ACTOR,
            progress=interrupt,
            chunk_size=4,
        )
    halfway = harness.orders()
    assert sum(halfway[i].situation is OrderSituation.CLOSED for i in made["old"]) == 4
    summary = harness.gsan.service_orders.close_overdue(
        service_type_id=OVERDUE, days=10, actor=ACTOR, chunk_size=4
    )
    assert (summary.processed, summary.changed) == (2, 2)
    done = harness.orders()
    for order_id in [*made["old"], made["boundary"]]:
        trail = harness.gsan.service_orders.unit_history(order_id)
        assert [r.relation for r in trail] == [
            OrderUnitRelation.OPENED,
            OrderUnitRelation.CLOSED,
        ]
        assert done[order_id].situation is OrderSituation.CLOSED


def test_ven_02_the_extra_days_are_a_profile_option(harness: Harness) -> None:
    made = _orders(harness)
    exact = harness.variant(overdue_extra_days=0)
    summary = exact.service_orders.close_overdue(
        service_type_id=OVERDUE, days=99, actor=ACTOR
    )
    assert summary.changed == 7
    assert harness.orders()[made["recent"]].situation is OrderSituation.CLOSED


@pytest.mark.parametrize(
    ("service_type_id", "days", "code"),
    [
        (PLAIN, 10, "service_order.overdue.type_not_allowed"),
        (999, 10, "service_order.overdue.type_not_allowed"),
        (OVERDUE, 0, "service_order.overdue.days_invalid"),
    ],
)
def test_ven_01_type_and_days_checked_before_anything(
    harness: Harness, service_type_id: int, days: int, code: str
) -> None:
    _orders(harness)
    before = harness.orders()
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_overdue(
            service_type_id=service_type_id, days=days, actor=ACTOR
        )
    assert code in error.value.codes
    assert all(v.rule == "VEN-01" for v in error.value.violations)
    assert harness.orders() == before


# ---------------------------------------------------------------- bulletin
def test_r0765_bulletin_rows_by_period_unit_and_type(harness: Harness) -> None:
    today = harness.today
    first = harness.generate(PLAIN, days_ago=3)
    second = harness.generate(OVERDUE, days_ago=3)
    third = harness.generate(PLAIN, days_ago=3)
    harness.generate(PLAIN)
    services = harness.gsan.service_orders
    services.close_executed(
        order_id=first.id, reason_id=EXECUTED, closed_on=today, actor=ACTOR
    )
    services.close_not_executed(
        order_id=second.id, reason_id=GAVE_UP, closed_on=today, actor=OTHER
    )
    harness.clock.set(harness.clock.now() - timedelta(days=2))
    services.close_executed(
        order_id=third.id,
        reason_id=EXECUTED,
        closed_on=today - timedelta(days=2),
        actor=ACTOR,
    )
    harness.clock.set(harness.clock.now() + timedelta(days=2))
    rows = services.completed_orders_bulletin(start=today, end=today)
    assert [r.order_id for r in rows] == [first.id, second.id]
    row = rows[0]
    assert (row.service_type, row.closing_reason, row.executed) == (
        "SERVICO SIMPLES",
        "CONCLUSAO DO SERVICO",
        True,
    )
    assert (row.closing_unit_id, row.closing_user_id) == (102, ACTOR)
    assert row.closed_at.astimezone(harness.clock.now().tzinfo) == harness.clock.now()
    assert rows[1].executed is False
    by_unit = services.completed_orders_bulletin(start=today, end=today, unit_id=202)
    assert [r.order_id for r in by_unit] == [second.id]
    by_type = services.completed_orders_bulletin(
        start=today - timedelta(days=7), end=today, service_type_id=PLAIN
    )
    assert [r.order_id for r in by_type] == [third.id, first.id]
    assert (
        services.completed_orders_bulletin(
            start=today + timedelta(days=1), end=today + timedelta(days=9)
        )
        == []
    )


def test_r0765_bulletin_counts_overdue_orders_once(harness: Harness) -> None:
    made = _orders(harness)
    harness.gsan.service_orders.close_overdue(
        service_type_id=OVERDUE, days=10, actor=OTHER
    )
    rows = harness.gsan.service_orders.completed_orders_bulletin(
        start=harness.today, end=harness.today, unit_id=202
    )
    assert sorted(r.order_id for r in rows) == sorted([*made["old"], made["boundary"]])
    assert {r.closing_reason_id for r in rows} == {OVERDUE_REASON}


def test_ven_02_pages_pending_orders_by_id(harness: Harness) -> None:
    made = _orders(harness)
    old = sorted([*made["old"], made["boundary"]])
    before = harness.clock.now() - timedelta(days=99)
    with harness.gsan.uow_factory() as uow:
        pages = [
            list(
                uow.service_orders.pending_ids(
                    service_type_id=OVERDUE,
                    generated_before=before,
                    limit=4,
                    after_id=after,
                )
            )
            for after in (0, old[3], old[-1])
        ]
    assert pages == [old[:4], old[4:], []]
