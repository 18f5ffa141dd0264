"""The lean download of a field file (``benchmarks.lean_download``, issue 20)
writes the library's rows and text: two released files of three inspection
orders each; one is downloaded through the library, the other by hand. The
two files' rows are compared without their ids and agents, and each text
with the library's own rendering of that file (``write_field_file``, which
changes nothing)."""

from __future__ import annotations

import io
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_download

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.field_files import FileKind, FileSituation
from gsan_core.synthetic import generate
from tests.field_commands import command_orders, emitted_inspections


def _released(system: gsan_core.System, orders: list[int], agent: int) -> int:
    fw = system.field_work
    file_id = fw.generate_field_file(
        kind=FileKind.COLLECTION, order_ids=orders, actor=1
    ).id
    fw.release_field_file(file_id=file_id, agent_id=agent, actor=1)
    return file_id


def _file(sql: SqlBackend, file_id: int) -> dict[str, Any]:
    table = sql.tables["field_file"]
    with sql.engine.connect() as connection:
        row = connection.execute(sa.select(table).where(table.c.id == file_id)).one()
    return {k: v for k, v in row._mapping.items() if k not in {"id", "agent_id"}}


def _text(system: gsan_core.System, file_id: int) -> bytes:
    out = io.BytesIO()
    system.field_work.write_field_file(file_id=file_id, out=out)
    return out.getvalue()


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
def test_lean_download_writes_the_librarys_rows_and_text(
    system: gsan_core.System,
) -> None:
    generate(system, properties=300, seed=9)
    sql = system.backend
    assert isinstance(sql, SqlBackend)
    orders = command_orders(system, emitted_inspections(system))
    library_file = _released(system, orders[:3], 71)
    lean_file = _released(system, orders[3:6], 72)
    assert _file(sql, library_file) == _file(sql, lean_file)

    library_out = io.BytesIO()
    system.field_work.download_field_file(
        file_id=library_file, out=library_out, actor=1
    )
    lean_out = io.BytesIO()
    lines = lean_download.lean_download(
        sql, system, file_id=lean_file, out=lean_out, now=system.clock.now()
    )

    assert _file(sql, library_file) == _file(sql, lean_file)
    assert _file(sql, lean_file)["situation"] == int(FileSituation.IN_FIELD)
    assert library_out.getvalue() == _text(system, library_file)
    assert lean_out.getvalue() == _text(system, lean_file)
    text = lean_out.getvalue().decode(system.profile.field_work.file_encoding)
    assert lines == len(text.splitlines())
    assert [line[:3] for line in text.splitlines()].count("16|") == 3
