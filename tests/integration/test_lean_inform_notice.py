"""The lean return issuing an infraction notice
(``benchmarks.lean_inform_notice``, issue 20) writes the library's rows: the
same return of a situation controlling notices on two inspection orders, one
by the library, one by the lean version. The findings, the notices and the
outbox rows are compared without the ids that name the run; a second return
of the same situation, by each, writes only the return's event."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from attrs import evolve
from benchmarks import lean_inform_notice

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.inspections import (
    InfractionNotice,
    InspectionFinding,
    SituationFound,
)
from gsan_core.services.inspections.results import NoticeInput
from tests.integration import lean_rows
from tests.integration.holding import waiting
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


def test_uc0488_a_lean_return_waiting_on_the_order_reads_the_finding_stored_meanwhile(
    system: gsan_core.System,
) -> None:
    """Two returns of one order at once: the lean one waits on the order's
    lock held by the other, then reads the finding the other stored (its read
    comes after the lock, not in the locking statement's older snapshot),
    so it writes only the return's event, as a second return does."""
    gsan = insp.inspection_town(system)
    sql = gsan.backend
    assert isinstance(sql, SqlBackend)
    today = gsan.today()
    order_id = insp._inspection(gsan, 452)
    found = SituationFound(situation_id=insp.NOTICE, found_on=today)
    data = NoticeInput(
        employee_id=insp.ACTOR, issued_on=today, debit_type_id=insp.FINE_TYPE
    )
    order = sql.tables["service_order"]
    finding = InspectionFinding(
        id=96_000,
        order_id=order_id,
        situation_id=insp.NOTICE,
        property_id=452,
        found_on=today,
        actor=insp.ACTOR,
        recorded_at=gsan.clock.now(),
    )
    before = lean_rows.last_outbox_id(sql)
    issued: list[InfractionNotice | None] = []
    with sql.engine.connect() as holder:
        holder.execute(
            sa.select(order.c.id).where(order.c.id == order_id).with_for_update()
        )
        holder.execute(
            sa.insert(sql.tables["inspection_finding"]).values(
                sql.mappers.inspection_finding.to_row(finding)
            )
        )
        second = threading.Thread(
            target=lambda: issued.append(
                lean_inform_notice.lean_inform_notice(
                    sql,
                    gsan,
                    order_id=order_id,
                    found=found,
                    notice=data,
                    ids=itertools.count(96_100),
                    actor=insp.ACTOR,
                    now=gsan.clock.now(),
                    today=today,
                )
            )
        )
        second.start()
        assert waiting(sql.engine, 20)
        holder.commit()
    second.join(20)
    assert issued == [None]
    assert [r["tag"] for r in _outbox(sql, before)] == ["inspection.return_informed"]
    notice = sql.tables["infraction_notice"]
    with sql.engine.connect() as connection:
        assert not connection.execute(
            sa.select(notice.c.id).where(notice.c.order_id == order_id)
        ).all()


def test_aut_02_a_lean_notice_change_writes_the_library_s_rows(
    system: gsan_core.System,
) -> None:
    """Manter Autos de Infração: the same change of two notices alike, one by
    the library, one by the lean version; run again with the same (now
    stale) notice, the lean version writes nothing, as the library refuses
    it with ``ConcurrencyConflict``."""
    gsan = insp.inspection_town(system)
    sql = gsan.backend
    assert isinstance(sql, SqlBackend)
    ids = itertools.count(97_000)
    mine, theirs = lean_inform_notice.open_notices(
        gsan, [453, 454], ids=ids, debit_type=insp.FINE_TYPE
    )

    def changed(notice: InfractionNotice) -> InfractionNotice:
        return evolve(
            notice,
            observation="RECURSO",
            appeal_until=gsan.today() + timedelta(days=20),
            installments=4,
        )

    stored = gsan.inspections.update_notice(changed(mine), actor=insp.ACTOR + 1)
    lean = lean_inform_notice.lean_update_notice(
        sql, changed(theirs), actor=insp.ACTOR + 1, today=gsan.today()
    )
    assert lean is not None
    assert lean.version == stored.version == 2
    library_row = lean_rows.rows(
        sql, "infraction_notice", "id", [mine.id], without=KEYS
    )
    assert library_row[0]["observation"] == "RECURSO"
    assert library_row[0]["actor"] == insp.ACTOR + 1
    assert (
        lean_rows.rows(sql, "infraction_notice", "id", [theirs.id], without=KEYS)
        == library_row
    )
    with pytest.raises(ConcurrencyConflict):
        gsan.inspections.update_notice(changed(mine), actor=insp.ACTOR)
    again = evolve(changed(theirs), observation="OUTRO")
    assert (
        lean_inform_notice.lean_update_notice(
            sql, again, actor=insp.ACTOR, today=gsan.today()
        )
        is None
    )
    assert (
        lean_rows.rows(sql, "infraction_notice", "id", [theirs.id], without=KEYS)
        == library_row
    )
