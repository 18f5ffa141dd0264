"""A movement's writes sent together (issue 20, sixth round).

Moving meters declares ``defer_writes()``: on PostgreSQL the compare-and-set
updates of up to 20 meters, the movement, its lines and the outbox rows go
as one statement at the commit. A meter changed by another transaction
after the command read it still refuses the whole movement (V-7:
``ConcurrencyConflict``, at the commit now) and nothing is written; a larger
movement is sent as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time
from typing import Any

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.hydrometers import SqlHydrometerRepository
from gsan_core.errors import ConcurrencyConflict
from gsan_core.testing import FixedClock
from gsan_core.testing.hydrometers import METER
from tests.conftest import PostgresSchema

pytestmark = pytest.mark.postgres

IN_STOCK: dict[str, Any] = {"attributes": METER, "location_id": 1, "actor": 1}


@pytest.fixture
def pg(postgres: PostgresSchema) -> SqlBackend:
    return postgres.reset()


@pytest.fixture
def gsan(pg: SqlBackend) -> gsan_core.System:
    system = gsan_core.System(
        uow_factory=pg.uow_factory, backend=pg, clock=FixedClock(), keep_events=False
    )
    system.seed()
    return system


@pytest.fixture
def statements(pg: SqlBackend) -> Iterator[list[str]]:
    sent: list[str] = []

    def _seen(*args: Any) -> None:
        sent.append(" ".join(str(args[2]).split())[:12])

    sa.event.listen(pg.engine, "before_cursor_execute", _seen)
    yield sent
    sa.event.remove(pg.engine, "before_cursor_execute", _seen)


def _outbox(pg: SqlBackend) -> int:
    outbox = pg.tables["outbox"]
    with pg.engine.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(outbox)
            ).scalar_one()
        )


def _behind(
    pg: SqlBackend,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    meter_id: Callable[[], int],
) -> None:
    """After the repository's ``method`` read the meters, another
    transaction changes meter ``meter_id()`` (its version moves on)."""
    read = getattr(SqlHydrometerRepository, method)
    meter = pg.tables["hydrometer"]

    def then_changed(self: SqlHydrometerRepository, *args: Any) -> Any:
        found = read(self, *args)
        with pg.engine.begin() as other:
            other.execute(
                sa.update(meter)
                .where(meter.c.id == meter_id())
                .values(version=meter.c.version + 1)
            )
        return found

    monkeypatch.setattr(SqlHydrometerRepository, method, then_changed)


def test_a_movement_is_one_write_and_refused_whole_on_a_stale_meter(
    gsan: gsan_core.System,
    pg: SqlBackend,
    statements: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """V-7 at the write: a meter changed after the movement read it."""
    meters = gsan.hydrometers
    inserted = meters.insert_range(fixed="B24A", first=1, last=4, **IN_STOCK)
    ids = list(range(inserted.first_id, inserted.last_id + 1))

    def move(chosen: list[int]) -> Any:
        return meters.move(
            hydrometer_ids=chosen,
            destination_id=3,
            reason_id=1,
            moved_on=date(2025, 1, 6),
            moved_time=time(12),
            actor=1,
        )

    statements.clear()
    movement = move(ids[:2])
    assert [s for s in statements if s.startswith("WITH")] == [statements[-1]]
    assert meters.moved_hydrometers(movement.id) == ids[:2]
    before = _outbox(pg)
    _behind(pg, monkeypatch, "stock_entries", lambda: ids[3])
    with pytest.raises(ConcurrencyConflict) as refused:
        move(ids[2:])
    assert refused.value.id == ids[3]
    monkeypatch.undo()
    assert [m.location_id for m in map(meters.get, ids)] == [3, 3, 1, 1]
    assert len(meters.movements_of(ids[2])) == 0
    assert _outbox(pg) == before


def test_a_movement_of_more_than_20_meters_is_written_at_once(
    gsan: gsan_core.System, statements: list[str]
) -> None:
    """Each waiting row is a CTE of its own: a larger movement goes as
    before, its meters' updates in one statement of their own."""
    meters = gsan.hydrometers
    inserted = meters.insert_range(fixed="B24A", first=1, last=21, **IN_STOCK)
    ids = list(range(inserted.first_id, inserted.last_id + 1))
    statements.clear()
    movement = meters.move(
        hydrometer_ids=ids,
        destination_id=3,
        reason_id=1,
        moved_on=date(2025, 1, 6),
        moved_time=time(12),
        actor=1,
    )
    assert any(s.startswith("UPDATE") for s in statements)
    assert meters.moved_hydrometers(movement.id) == ids
    assert {meters.get(i).location_id for i in ids} == {3}
