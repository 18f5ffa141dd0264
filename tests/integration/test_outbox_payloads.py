"""The outbox rows of a command's merged write bound as one JSON array
(issue 20, ``adapters/sqlalchemy/pipeline.py``).

The merged write of a unit of work that defers its writes (PostgreSQL) ends
with its outbox rows. Their payloads are bound as **one** JSON string, the
array of the events' payloads, read by ``jsonb_array_elements ... WITH
ORDINALITY`` (the tag, the instant and the actor taken from each payload):
as a ``jsonb[]`` parameter psycopg's text array dumper escaped every quote of
every payload, and the events went through the converter one by one. The rows
are the ones the outbox's own write (``outbox.write``, not deferred) writes,
for one event and for several.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.catalog import CatalogItemAdded
from gsan_core.model.events import DomainEvent
from tests.conftest import PostgresSchema

pytestmark = pytest.mark.postgres

#: An instant away from UTC, with microseconds: the payload's text form
#: must come back as the same instant.
AT = datetime(2026, 3, 5, 21, 7, 9, 123456, tzinfo=timezone(timedelta(hours=-3)))


@pytest.fixture
def pg(postgres: PostgresSchema) -> SqlBackend:
    return postgres.reset()


def _events(first: int, count: int) -> list[DomainEvent]:
    return [
        CatalogItemAdded(
            occurred_at=AT + timedelta(seconds=k),
            actor=7 + k,
            kind='unit "quoted" \\ name',
            item_id=first + k,
        )
        for k in range(count)
    ]


def _record(pg: SqlBackend, events: Sequence[DomainEvent], *, defer: bool) -> None:
    with pg.uow_factory() as uow:
        if defer:
            uow.defer_writes()
        uow.record(*events)
        uow.commit()


def _rows(pg: SqlBackend) -> list[tuple[Any, ...]]:
    table = pg.tables["outbox"]
    with pg.engine.connect() as connection:
        found = connection.execute(sa.select(table).order_by(table.c.id)).all()
    return [tuple(r) for r in found]


@pytest.mark.parametrize("count", [1, 3])
def test_the_merged_write_s_outbox_rows_are_the_outbox_write_s(
    pg: SqlBackend, postgres: PostgresSchema, count: int
) -> None:
    """The same events through the merged write and through the outbox's
    own write: the same rows, numbered in the events' order, each the
    event's tag, instant, actor and payload."""
    _record(pg, _events(1, count), defer=True)
    merged = _rows(pg)
    pg = postgres.reset()
    _record(pg, _events(1, count), defer=False)
    assert merged == _rows(pg)
    events = _events(1, count)
    assert [r[0] for r in merged] == list(range(1, count + 1))
    for row, sent in zip(merged, events, strict=True):
        assert row[1:4] == (type(sent).tag, sent.occurred_at, sent.actor)
        assert serialization.from_dict(dict(row[4])) == sent
        assert row[5] is None


def test_the_payloads_are_one_json_string_the_text_the_same(
    pg: SqlBackend,
) -> None:
    """One and three events: the outbox's parameters are the count and one
    string (no array of payloads for psycopg's array dumper), and the
    statement's text is the same."""
    seen: list[tuple[str, dict[str, Any]]] = []

    def _seen(*args: Any) -> None:
        seen.append((args[2], dict(args[3])))

    event.listen(pg.engine, "before_cursor_execute", _seen)
    try:
        _record(pg, _events(1, 1), defer=True)
        _record(pg, _events(10, 3), defer=True)
    finally:
        event.remove(pg.engine, "before_cursor_execute", _seen)
    (one_text, one), (three_text, three) = seen
    assert one_text == three_text
    for params in (one, three):
        outbox = {k: v for k, v in params.items() if k.startswith("o")}
        assert sorted(outbox) == ["o_n", "o_rows"]
        assert isinstance(outbox["o_rows"], str)
    assert len(_rows(pg)) == 4
