"""AUT-05's compare-and-set update of a chunk of notices
(``InfractionNotices.mark_expired``) on PostgreSQL is one ``UPDATE ... FROM
unnest(...)`` whose text does not grow with the chunk (issue 20): the
statement is built once and psycopg converts it once; the notices move, with
their charges, at their versions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.inspections import InfractionNotice, NoticeSituation

pytestmark = pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)


def _notice(notice_id: int) -> InfractionNotice:
    return InfractionNotice(
        id=notice_id,
        property_id=notice_id,
        order_id=None,
        situation_id=3,
        employee_id=1,
        issued_on=date(2025, 1, 1),
        appeal_until=date(2025, 1, 5),
        debit_type_id=7,
        installments=1,
        actor=1,
    )


def test_a_chunk_s_update_is_one_statement_of_the_same_text(
    system: gsan_core.System,
) -> None:
    sql = system.backend
    assert isinstance(sql, SqlBackend)
    notices = [_notice(n) for n in range(1, 8)]
    with system.uow_factory() as uow:
        uow.infraction_notices.add_many(notices)
        uow.commit()
    sent: list[str] = []

    def record(*args: Any) -> None:
        if str(args[2]).startswith("UPDATE"):
            sent.append(str(args[2]))

    event.listen(sql.engine, "before_cursor_execute", record)
    try:
        for chunk, charges in ((notices[:2], {1: 90}), (notices[2:], {5: 91, 7: 92})):
            with system.uow_factory() as uow:
                uow.infraction_notices.mark_expired(chunk, charge_ids=charges)
                uow.commit()
    finally:
        event.remove(sql.engine, "before_cursor_execute", record)
    assert len(sent) == 2
    assert "unnest" in sent[0]
    assert sent[0] == sent[1]
    with system.uow_factory() as uow:
        stored = [uow.infraction_notices.get(n.id) for n in notices]
    assert {n.situation for n in stored} == {NoticeSituation.APPEAL_EXPIRED}
    assert {n.version for n in stored} == {2}
    assert [n.charge_id for n in stored] == [90, None, None, None, 91, None, 92]
