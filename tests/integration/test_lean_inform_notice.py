"""The lean return issuing an infraction notice
(``benchmarks.lean_inform_notice``, issue 20) writes the library's rows: the
same return of a situation controlling notices on two inspection orders, one
by the library, one by the lean version. The findings, the notices and the
outbox rows are compared without the ids that name the run; a second return
of the same situation, by each, writes only the return's event."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from benchmarks import lean_inform_notice

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.inspections import InfractionNotice, SituationFound
from gsan_core.services.inspections.results import NoticeInput
from tests.integration import lean_rows
from tests.services import test_inspection_orders as insp

pytestmark = pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)

#: The columns and payload keys that name the run's rows, not what it did.
KEYS = frozenset({"id", "property_id", "order_id", "notice_id"})


def _rows(sql: SqlBackend, order_id: int) -> dict[str, Any]:
    """The order's findings and notices, without :data:`KEYS`."""
    return {
        table: lean_rows.rows(sql, table, "order_id", [order_id], without=KEYS)
        for table in ("inspection_finding", "infraction_notice")
    }


def _outbox(sql: SqlBackend, after: int) -> list[dict[str, Any]]:
    return lean_rows.outbox(sql, lean_rows.last_outbox_id(sql) - after, without=KEYS)


def test_uc0488_a_lean_return_issuing_a_notice_writes_the_library_s_rows(
    system: gsan_core.System,
) -> None:
    gsan = insp.inspection_town(system)
    sql = gsan.backend
    assert isinstance(sql, SqlBackend)
    today = gsan.today()
    found = SituationFound(situation_id=insp.NOTICE, found_on=today)
    data = NoticeInput(
        employee_id=insp.ACTOR,
        issued_on=today,
        appeal_until=today + timedelta(days=5),
        debit_type_id=insp.FINE_TYPE,
        installments=3,
        observation="NA CALCADA",
    )
    mine, theirs = insp._inspection(gsan, 450), insp._inspection(gsan, 451)
    ids = itertools.count(95_000)

    def library() -> InfractionNotice | None:
        return gsan.inspections.inform_return(
            order_id=mine, found=[found], actor=insp.ACTOR, notice=data
        ).notice

    def lean() -> InfractionNotice | None:
        return lean_inform_notice.lean_inform_notice(
            sql,
            gsan,
            order_id=theirs,
            found=found,
            notice=data,
            ids=ids,
            actor=insp.ACTOR,
            now=gsan.clock.now(),
            today=today,
        )

    before = lean_rows.last_outbox_id(sql)
    issued = library()
    library_outbox = _outbox(sql, before)
    before = lean_rows.last_outbox_id(sql)
    lean_issued = lean()
    assert issued is not None
    assert lean_issued is not None
    assert lean_issued.order_id == theirs
    assert _outbox(sql, before) == library_outbox
    assert [r["tag"] for r in library_outbox] == [
        "inspection.notice_issued",
        "inspection.return_informed",
    ]
    library_rows = _rows(sql, mine)
    assert library_rows["infraction_notice"][0]["installments"] == 3
    assert _rows(sql, theirs) == library_rows
    # the same return again, by each: the situation is stored, so only the
    # return's event is written
    before = lean_rows.last_outbox_id(sql)
    assert library() is None
    library_outbox = _outbox(sql, before)
    before = lean_rows.last_outbox_id(sql)
    assert lean() is None
    assert _outbox(sql, before) == library_outbox
    assert [r["tag"] for r in library_outbox] == ["inspection.return_informed"]
    assert _rows(sql, theirs) == _rows(sql, mine) == library_rows
