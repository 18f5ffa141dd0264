"""The lean service-desk commands (``benchmarks.lean_desk``) leave the rows
the library leaves: the benchmark compares like with like (issue 20).

Each test runs the library on one target and the lean version on another of
the same kind, then compares every column of the rows written but the
target's own keys (ids, places, phones), outbox rows included.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_desk, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_desk import MessageStatus
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "area_id", "schedule_id", "message_ids", "phone"})


def _rows(sql: SqlBackend, table: str, column: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, column, keys, without=KEYS)


def test_a_lean_window_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAM-01: one supply window at version 1 and one
    ``service_desk.schedule_changed`` ("added"), from either."""
    window = lean_desk._window(501, 6)
    stored = gsan.service_desk.schedule(
        kind=window.kind,
        municipality_id=window.municipality_id,
        area_id=501,
        starts_on=window.starts_on,
        ends_on=window.ends_on,
        start_time=window.start_time,
        end_time=window.end_time,
        actor=1,
    )
    lean_desk.lean_add_window(
        sql, lean_desk._window(502, 6), window_id=10**9, now=scale.NOW, actor=1
    )
    library, lean = (
        _rows(sql, "supply_schedule", "id", [stored.id]),
        _rows(sql, "supply_schedule", "id", [10**9]),
    )
    assert library == lean
    assert library[0]["version"] == 1
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["payload"]["change"] == "added"


def test_a_lean_window_refuses_an_overlap_as_the_library_does(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PAM-03: a second window over the first of its place is refused."""
    lean_desk.lean_add_window(
        sql, lean_desk._window(503, 6), window_id=10**9, now=scale.NOW, actor=1
    )
    with pytest.raises(AssertionError, match=r"service_desk\.schedule\.overlap"):
        lean_desk.lean_add_window(
            sql, lean_desk._window(503, 6), window_id=10**9 + 1, now=scale.NOW, actor=1
        )


def test_a_lean_dispatch_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """SMS-01: every claimed message SENT with one attempt, its sent instant
    and the gateway's reply, and one ``service_desk.messages_changed``
    (SENT), from either; nothing left to claim after."""
    gateway = lean_desk.AcceptingGateway()
    attempts = gsan.profile.service_requests.sms_max_attempts
    first = lean_desk.queue_messages(sql, 10**9, 3, now=scale.NOW, actor=1)
    assert gsan.service_desk.dispatch(gateway=gateway, compose=False, actor=1).sent == 3
    second = lean_desk.queue_messages(sql, 2 * 10**9, 3, now=scale.NOW, actor=1)
    sent = lean_desk.lean_dispatch(
        sql, gateway, limit=100, max_attempts=attempts, now=scale.NOW, actor=1
    )
    assert sent == 3
    library = _rows(sql, "outbound_message", "id", first)
    lean = _rows(sql, "outbound_message", "id", second)
    assert library == lean
    assert {(r["status"], r["attempts"]) for r in library} == {
        (MessageStatus.SENT.value, 1)
    }
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["payload"]["status"] == MessageStatus.SENT.value
    assert (
        lean_desk.lean_dispatch(
            sql, gateway, limit=100, max_attempts=attempts, now=scale.NOW, actor=1
        )
        == 0
    )


def test_a_lean_composition_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """ENC-13: one PENDING message per closing of a request that came by SMS,
    the cursor after the closings and one ``service_desk.messages_changed``,
    from either; a request of another channel gives none."""
    gsan.service_desk.compose_messages(actor=1)
    cursor = sql.tables["message_cursor"]
    first = lean_desk.closings(gsan, 10**9, 2, now=scale.NOW)
    _, written = gsan.service_desk.compose_messages(actor=1)
    second = lean_desk.closings(gsan, 2 * 10**9, 2, now=scale.NOW)
    done = lean_desk.lean_compose(
        sql, gsan, first_id=3 * 10**9, limit=500, now=scale.NOW, actor=1
    )
    assert done == len(written) == 2
    message = sql.tables["outbound_message"]
    with sql.engine.connect() as connection:
        by_request = dict(
            connection.execute(sa.select(message.c.request_id, message.c.id)).all()
        )
        position = connection.execute(sa.select(cursor.c.position)).scalar_one()
    keys = frozenset({*KEYS, "request_id", "event_id", "text"})
    library = lean_rows.rows(
        sql, "outbound_message", "id", [by_request[i] for i in first], without=keys
    )
    lean = lean_rows.rows(
        sql, "outbound_message", "id", [by_request[i] for i in second], without=keys
    )
    assert library == lean
    assert {r["status"] for r in library} == {MessageStatus.PENDING.value}
    one, _, _, two = lean_rows.outbox(sql, 4, without=KEYS)
    assert one["tag"] == "service_desk.messages_changed"
    assert one == two
    with sql.engine.connect() as connection:
        outbox = sql.tables["outbox"]
        last = connection.execute(sa.select(sa.func.max(outbox.c.id))).scalar_one()
    assert position == last - 1  # the lean event itself is after the cursor
