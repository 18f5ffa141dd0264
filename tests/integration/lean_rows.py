"""The rows a library command and its lean version left, without their keys.

The lean-version tests (``test_lean_*.py``) run a command through the library
and through its hand-written version on rows alike and compare what each
wrote: every column but the ids and references that differ between the two
runs (``without``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence
from typing import Any

import sqlalchemy as sa
from benchmarks import lean_meters, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_work import SelectiveCriteria
from tests.field_commands import INSPECTION
from tests.services.connections_setup import add_property


def rows(
    sql: SqlBackend,
    table: str,
    column: str,
    keys: Sequence[Any],
    *,
    without: Collection[str],
) -> list[dict[str, Any]]:
    """The rows of ``table`` whose ``column`` is one of ``keys``, in their
    order, without the columns ``without``."""
    t = sql.tables[table]
    with sql.engine.connect() as connection:
        found = {
            row[column]: row
            for row in connection.execute(sa.select(t).where(t.c[column].in_(keys)))
            .mappings()
            .all()
        }
    return [{k: v for k, v in found[key].items() if k not in without} for key in keys]


def catalog_row(
    sql: SqlBackend, kind: str, ident: int, *, without: Collection[str]
) -> dict[str, Any]:
    """The reference row ``(kind, ident)`` without the columns ``without``."""
    t = sql.tables["catalog_item"]
    with sql.engine.connect() as connection:
        row = (
            connection.execute(sa.select(t).where(t.c.kind == kind, t.c.id == ident))
            .mappings()
            .one()
        )
    return {k: v for k, v in row.items() if k not in without}


def outbox(
    sql: SqlBackend, count: int, *, without: Collection[str]
) -> list[dict[str, Any]]:
    """The last ``count`` outbox rows, consecutive, oldest first, their
    payloads without the keys ``without``."""
    t = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        last = (
            connection.execute(sa.select(t).order_by(t.c.id.desc()).limit(count))
            .mappings()
            .all()
        )
    assert [r["id"] for r in last] == list(
        range(last[0]["id"], last[0]["id"] - count, -1)
    )
    return [
        {
            **{k: v for k, v in r.items() if k not in ("id", "payload")},
            "payload": {k: v for k, v in r["payload"].items() if k not in without},
        }
        for r in reversed(last)
    ]


def last_outbox_id(sql: SqlBackend) -> int:
    """The id of the last outbox row (0 when none): the rows after it are
    those a command wrote next."""
    t = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(t.c.id))).scalar() or 0)


def trails(
    sql: SqlBackend, orders: Sequence[int], *, without: Collection[str]
) -> list[dict[str, Any]]:
    """The unit-trail rows of ``orders`` (``order_unit``), by order and
    relation, without the columns ``without``."""
    t = sql.tables["order_unit"]
    with sql.engine.connect() as connection:
        return [
            {k: v for k, v in r.items() if k not in without}
            for r in connection.execute(
                sa.select(t)
                .where(t.c.order_id.in_(orders))
                .order_by(t.c.order_id, t.c.relation)
            ).mappings()
        ]


def connect_both(
    sql: SqlBackend,
    gsan: gsan_core.System,
    network: lean_meters.Network,
    *,
    library_connect: Callable[..., object],
    lean_connect: Callable[..., Any],
    data: object,
    without: Collection[str],
) -> tuple[Any, int]:
    """Properties 500 and 501 added and connected to ``network`` without an
    order, 500 by ``library_connect``, 501 by ``lean_connect``, by the
    town's user 7 (granted the permission); their property, connection and
    history rows compared (``without``). The lean call's result and the
    connected situation."""
    for pid in (500, 501):
        add_property(gsan, pid, 1)
    profile = gsan.profile
    (permission,) = profile.ids(f"permission.connect_{network}_without_request")
    (connected,) = profile.ids(f"{network}_status.connected")
    allowed_from = profile.allowed(f"{network}.connect_without_order")
    assert lean_meters.connectable(sql, allowed_from, network=network) == [500, 501]
    library_connect(property_id=500, data=data, actor=7)
    stored = lean_connect(
        sql,
        501,
        data=data,
        permission_id=permission,
        allowed_from=allowed_from,
        connected=connected,
        ids=itertools.count(10**9),
        now=scale.NOW,
        actor=7,
    )
    for table, column in (
        ("property", "id"),
        (f"{network}_connection", "id"),
        ("situation_change", "property_id"),
    ):
        library, lean = rows(sql, table, column, [500, 501], without=without)
        assert library == lean, table
    (home,) = rows(sql, "property", "id", [500], without=without)
    assert home[f"{network}_status_id"] == connected
    return stored, connected


def selective_command(system: gsan_core.System, locality: int, name: str) -> int:
    """A selective command ``name`` of three inspection orders of
    ``locality``, emitted: its id."""
    fw = system.field_work
    command = fw.create_selective_command(
        description=name,
        service_type_id=INSPECTION,
        criteria=SelectiveCriteria(locality_first=locality, locality_last=locality),
        actor=1,
        max_orders=3,
    )
    assert fw.emit_selective_orders(command_id=command.id, actor=1).summary.changed
    return command.id
