"""A day's renumbering sets each row's changed columns only (issue 20,
seventh round).

``program`` and ``move`` read the team's day under the day's lock and
renumber its rows in the commit's one statement (``defer_writes``): each
row's compare-and-set update then sets the sequence and the version, not
every column, since the unit of work keeps the rows as it read them
(``SqlUnitOfWork.read_rows``): a statement under psycopg's 4 KiB
prepared-statement limit, converted once. The rows renumbered are one
``UPDATE ... FROM unnest(...)`` (their updates have one shape: issue 20,
eighth round), one text whatever their number.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event

from gsan_core.adapters.sqlalchemy import SqlBackend
from tests.services.scheduling_support import QUICK, Dispatch, dispatch

__all__ = ["dispatch"]

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_programming_ahead_of_a_day_sets_only_the_new_sequences(
    dispatch: Dispatch,
) -> None:
    first = [dispatch.order(QUICK) for _ in range(2)]
    dispatch.program(*first)
    backend = dispatch.gsan.backend
    assert isinstance(backend, SqlBackend)
    sent: list[str] = []

    def _seen(*args: Any) -> None:
        sent.append(str(args[2]))

    event.listen(backend.engine, "before_cursor_execute", _seen)
    try:
        added = dispatch.order(QUICK)
        dispatch.program(added, sequence=1)
    finally:
        event.remove(backend.engine, "before_cursor_execute", _seen)
    updates = [
        u
        for s in sent
        for u in re.findall(r"UPDATE \S*scheduled_order SET (.*?) (?:WHERE|FROM)", s)
    ]
    assert len(updates) == 1, sent  # the two rows it pushed down, together
    assert re.findall(r"(\w+)=", updates[0]) == ["sequence", "version"]
    assert "FROM unnest(" in "".join(sent)
    placed = {
        o.id: [
            r.sequence
            for r in dispatch.gsan.scheduling.programmings(order_id=o.id)
            if r.active
        ]
        for o in (added, *first)
    }
    assert placed == {added.id: [1], first[0].id: [2], first[1].id: [3]}


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_moving_an_order_sets_only_the_new_sequences_of_those_after_it(
    dispatch: Dispatch,
) -> None:
    orders = [dispatch.order(QUICK) for _ in range(3)]
    rows = dispatch.program(*orders)
    backend = dispatch.gsan.backend
    assert isinstance(backend, SqlBackend)
    sent: list[str] = []

    def _seen(*args: Any) -> None:
        sent.append(str(args[2]))

    event.listen(backend.engine, "before_cursor_execute", _seen)
    try:
        dispatch.gsan.scheduling.move(
            order_id=orders[0].id,
            on=rows[0].on,
            to_team_id=dispatch.other.id,
            actor=dispatch.place.technician,
        )
    finally:
        event.remove(backend.engine, "before_cursor_execute", _seen)
    updates = [
        re.findall(r"(\w+)=", u)
        for s in sent
        for u in re.findall(r"UPDATE \S*scheduled_order SET (.*?) (?:WHERE|FROM)", s)
    ]
    # the row it ends (its state), then the two pushed up (one update of
    # both): their sequences
    assert len(updates) == 2, sent
    assert "scheduled_by" not in updates[0]
    assert updates[1:] == [["sequence", "version"]]
    placed = {
        o.id: [
            (r.team_id, r.sequence)
            for r in dispatch.gsan.scheduling.programmings(order_id=o.id)
            if r.active
        ]
        for o in orders
    }
    assert placed == {
        orders[0].id: [(dispatch.other.id, 1)],
        orders[1].id: [(dispatch.team.id, 1)],
        orders[2].id: [(dispatch.team.id, 2)],
    }
