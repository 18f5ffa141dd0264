"""The lean application of a field file's returns (``benchmarks.lean_field``,
issue 20) leaves the rows the library leaves: two files of three inspection
orders each are returned alike; one is applied through the library, the other
by hand, and the two files' orders, their unit trail, their return lines and
the outbox rows each wrote are compared without the ids that differ."""

from __future__ import annotations

import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from benchmarks import lean_field

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_files import FileKind
from gsan_core.model.service_orders import OrderSituation
from gsan_core.synthetic import generate
from tests.field_commands import INSPECTION, command_orders, emitted_inspections
from tests.integration import lean_rows

EXECUTED = 2  # CONCLUSAO DO SERVICO
#: Columns and payload keys that name a row, its order, file or property.
OWN = {
    "id",
    "order_id",
    "file_id",
    "property_id",
    "closed_order_ids",
    "digest",
    "line_number",
}


def _returned(system: gsan_core.System, orders: list[int], agent: int) -> int:
    """A file of ``orders`` in the field, its return (executed) staged."""
    fw = system.field_work
    file_id = fw.generate_field_file(
        kind=FileKind.COLLECTION, order_ids=orders, actor=1
    ).id
    fw.release_field_file(file_id=file_id, agent_id=agent, actor=1)
    fw.download_field_file(file_id=file_id, out=io.BytesIO(), actor=1)
    when = system.clock.now().strftime("%d/%m/%Y %H:%M:%S")
    lines = [f"0|{file_id}|4|"] + [
        f"1|{o}|1|{EXECUTED}|{when}|SERVIÇO OK|{INSPECTION}|" for o in orders
    ]
    source = ("\n".join(lines) + "\n").encode("iso-8859-1")
    assert fw.process_field_return(file_id=file_id, source=source, actor=1).ok
    return file_id


def _rows(sql: SqlBackend, file_id: int, orders: list[int]) -> dict[str, Any]:
    without = OWN
    trails = lean_rows.trails(sql, orders, without=OWN)
    lines = sql.tables["field_return_line"]
    with sql.engine.connect() as connection:
        returned = [
            {k: v for k, v in r.items() if k not in OWN and k != "fields"}
            for r in connection.execute(
                sa.select(lines)
                .where(lines.c.file_id == file_id)
                .order_by(lines.c.line_number)
            ).mappings()
        ]
    return {
        "orders": lean_rows.rows(sql, "service_order", "id", orders, without=without),
        "trail": trails,
        "lines": returned,
    }


@pytest.mark.parametrize("backend_name", ["sqlite", "postgres"], indirect=True)
def test_lean_apply_returns_writes_the_librarys_rows(system: gsan_core.System) -> None:
    generate(system, properties=300, seed=9)
    sql = system.backend
    assert isinstance(sql, SqlBackend)
    orders = command_orders(system, emitted_inspections(system))
    mine, theirs = orders[:3], orders[3:6]
    library_file = _returned(system, mine, 71)
    lean_file = _returned(system, theirs, 72)
    before = {
        "library": _rows(sql, library_file, mine),
        "lean": _rows(sql, lean_file, theirs),
    }
    assert before["library"] == before["lean"]

    applied = system.field_work.apply_field_returns(file_id=library_file, actor=1)
    assert applied.closed == tuple(mine)
    library_outbox = lean_rows.outbox(sql, 4, without=OWN)
    closed = lean_field.lean_apply_returns(
        sql,
        lean_file,
        actor=1,
        now=system.clock.now(),
        zone=ZoneInfo(system.profile.timezone),
    )
    assert list(closed) == theirs
    lean_outbox = lean_rows.outbox(sql, 4, without=OWN)

    after_library = _rows(sql, library_file, mine)
    after_lean = _rows(sql, lean_file, theirs)
    assert after_library == after_lean
    assert all(
        o["situation"] == int(OrderSituation.CLOSED) for o in after_lean["orders"]
    )
    assert all(line["applied"] for line in after_lean["lines"])
    assert library_outbox == lean_outbox
    assert [r["tag"] for r in lean_outbox] == [
        "service_order.closed",
        "service_order.closed",
        "service_order.closed",
        "field_work.return_applied",
    ]
