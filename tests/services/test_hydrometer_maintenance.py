"""Consultar Movimentação de Hidrômetro by period, location, situation and
number range, and removing a meter from the register, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import gsan_core
from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.hydrometers import HydrometerDeleted

from .test_hydrometer_stock import NOON, TODAY, stocked


def move(
    system: gsan_core.System, ids: list[int], destination: int, day: date
) -> gsan_core.model.hydrometers.HydrometerMovement:
    return system.hydrometers.move(
        hydrometer_ids=ids,
        destination_id=destination,
        reason_id=1,
        moved_on=day,
        moved_time=NOON,
        actor=5,
    )


def test_movements_page_by_period_location_situation_and_number_range(
    system: gsan_core.System,
) -> None:
    """ "Consultar Movimentação de Hidrômetro": many meters at once, newest
    first, a page at a time."""
    ids = stocked(system, last=6)
    first = move(system, ids[:2], 3, date(2025, 1, 2))  # into the workshop
    second = move(system, ids[2:4], 2, date(2025, 1, 3))
    third = move(system, ids[:2], 2, TODAY)
    assert system.hydrometers.movements() == [third, second, first]
    assert system.hydrometers.movements(limit=1, offset=1) == [second]
    assert system.hydrometers.movements(
        moved_from=datetime(2025, 1, 3, tzinfo=UTC),
        moved_until=datetime(2025, 1, 4, tzinfo=UTC),
    ) == [second]
    assert system.hydrometers.movements(location_id=3) == [third, first]
    assert system.hydrometers.movements(situation_id=2) == [first]
    in_range = system.hydrometers.movements(
        number_from="B24A000003", number_to="B24A000004"
    )
    assert in_range == [second]
    assert system.hydrometers.movements(number_from="B24A000006") == []
    with pytest.raises(gsan_core.RuleViolation, match="1 to 500"):
        system.hydrometers.movements(limit=501)


def test_a_meter_without_history_is_deleted_and_one_with_history_is_not(
    system: gsan_core.System,
) -> None:
    """ "Manter Hidrômetro", remover: as GSAN, only a meter no installation or
    movement refers to (``atencao.dependencias.existentes``), read at its
    version."""
    ids = stocked(system, last=3)
    move(system, ids[:1], 3, TODAY)
    with pytest.raises(gsan_core.RuleViolation) as refused:
        system.hydrometers.delete(ids[0], expected_version=2, actor=1)
    assert refused.value.violations[0].gsan_key == "atencao.dependencias.existentes"
    with pytest.raises(ConcurrencyConflict):
        system.hydrometers.delete(ids[1], expected_version=9, actor=1)
    with pytest.raises(NotFound):
        system.hydrometers.delete(ids[-1] + 1, expected_version=1, actor=1)
    gone = system.hydrometers.delete(ids[1], expected_version=1, actor=1)
    assert gone.number == "B24A000002"
    assert system.hydrometers.find_by_number("B24A000002") is None
    deleted = [e for e in system.events if isinstance(e, HydrometerDeleted)]
    assert [(e.hydrometer_id, e.number) for e in deleted] == [(ids[1], "B24A000002")]
