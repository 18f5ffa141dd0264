"""The cut-order chunks run with PostgreSQL's JIT off (issue 20).

At 1 million properties the first chunks were planned above ``jit_above_cost``
and JIT-compiled (34-79 ms each, more than the statement's own work). The
chunk's lock statement turns JIT off for its transaction
(``set_config('jit', 'off', true)``, no statement more); the setting ends with
the transaction.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.sqlalchemy.repositories import lock_where
from gsan_core.synthetic import generate
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import request_profile
from tests.conftest import PostgresSchema

pytestmark = pytest.mark.postgres


def _jit(connection: sa.Connection) -> str:
    return str(connection.execute(sa.text("SELECT current_setting('jit')")).scalar())


def test_lock_where_turns_jit_off_for_its_transaction_only(
    postgres: PostgresSchema,
) -> None:
    backend = postgres.reset()
    prop = backend.tables["property"]
    with backend.engine.connect() as connection:
        assert _jit(connection) == "on"  # the server's default here
        connection.commit()
        lock_where(connection, prop, prop.c.id > 0)
        assert _jit(connection) == "on"
        connection.commit()
        lock_where(connection, prop, prop.c.id > 0, jit=False)
        assert _jit(connection) == "off"
        connection.commit()
        # SET LOCAL semantics: the next transaction has the session's value
        assert _jit(connection) == "on"


def test_cut_order_chunks_write_with_jit_off(postgres: PostgresSchema) -> None:
    backend = postgres.reset()
    system = gsan_core.System(
        uow_factory=backend.uow_factory,
        backend=backend,
        profile=request_profile(large_consumer_unit_id=None),
        clock=FixedClock(),
        keep_events=False,
    )
    system.seed()
    generate(system, properties=600, seed=3)
    with system.uow_factory() as uow:
        groups = sorted({r.group_id for r in uow.routes.find_by()})
    seen: list[tuple[str, str]] = []

    def observe(_conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        # the setting of the statement's transaction, on the same connection
        if statement.lstrip().upper().startswith(("INSERT", "WITH")):
            row = cursor.connection.execute("SELECT current_setting('jit')")
            seen.append((statement, str(row.fetchone()[0])))

    event.listen(backend.engine, "after_cursor_execute", observe)
    try:
        with backend.engine.connect() as connection:
            assert _jit(connection) == "on"  # the server's default here
        run = system.collection.generate_cut_orders_of_groups(
            group_ids=groups, actor=1, properties_per_chunk=100
        )
    finally:
        event.remove(backend.engine, "after_cursor_execute", observe)
    assert run.generated > 0
    assert run.summary.units > 1
    writes = [jit for statement, jit in seen if "service_order" in statement]
    assert writes
    assert set(writes) == {"off"}
    with backend.engine.connect() as connection:
        assert _jit(connection) == "on"
