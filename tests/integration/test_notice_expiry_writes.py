"""AUT-05's writes of a chunk (issue 20): the notices' compare-and-set
update (``InfractionNotices.mark_expired``) on PostgreSQL is one ``UPDATE
... FROM unnest(...)`` whose text does not grow with the chunk (the
statement built once, psycopg converting it once), the notices moving with
their charges at their versions; the chunk's charge ids are taken at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.memory.store import MemoryUnitOfWorkBase
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.inspections import InfractionNotice, NoticeSituation
from gsan_core.testing import FixedClock
from tests.services import test_inspection_orders as insp


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


@pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)
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


@pytest.mark.parametrize("backend_name", ["memory"], indirect=True)
def test_a_chunk_takes_its_charge_ids_at_once(
    system: gsan_core.System, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One ``next_ids`` of the chunk's fines, not one ``next_id`` a fine: the
    id generator gives a large request room for the next runs (on
    PostgreSQL a block of ids every fourth run of 100 fines, not every run)."""
    gsan = insp.inspection_town(system)
    for home in (430, 431, 432):
        insp._expired_notice(gsan, home)
    clock.advance(timedelta(days=10))
    asked: list[tuple[str, int]] = []
    one, many = MemoryUnitOfWorkBase.next_id, MemoryUnitOfWorkBase.next_ids

    def next_id(uow: MemoryUnitOfWorkBase, kind: str) -> int:
        asked.append((kind, 0))
        return one(uow, kind)

    def next_ids(uow: MemoryUnitOfWorkBase, kind: str, count: int) -> Sequence[int]:
        asked.append((kind, count))
        return many(uow, kind, count)

    monkeypatch.setattr(MemoryUnitOfWorkBase, "next_id", next_id)
    monkeypatch.setattr(MemoryUnitOfWorkBase, "next_ids", next_ids)
    expired = gsan.inspections.expire_notices(actor=insp.ACTOR)
    assert [a for a in asked if a[0] == "charge"] == [("charge", 3)]
    charges = [n.charge_id for n in expired]
    assert None not in charges
    assert len(set(charges)) == 3
