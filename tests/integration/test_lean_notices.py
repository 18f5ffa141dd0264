"""The lean expiry of infraction notices (``benchmarks.lean_notices``, issue
20) writes the library's rows: three notices due in the library's run and
three alike (the same installments, a payment slip of the day on the third
property) in the lean run ten days later. The notices, the charges and the
outbox rows each run wrote are compared without the ids and dates that name
the run; a second lean run, after or at once, writes nothing."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_field_batches, lean_notices

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.inspections import NoticeSituation, SituationFound
from gsan_core.services.inspections.results import NoticeInput
from gsan_core.testing import FixedClock
from tests.integration import lean_rows
from tests.services import test_inspection_orders as insp

pytestmark = pytest.mark.parametrize("backend_name", ["postgres"], indirect=True)

#: The columns and payload keys that name the run's rows, not what it did.
KEYS = frozenset(
    {"id", "property_id", "order_id", "charge_id", "service_order_id"}
    | {"issued_on", "appeal_from", "appeal_until", "generated_at", "occurred_at"}
    | {"notice_ids"}
)
INSTALLMENTS = (1, 3, 2)


def _notices(gsan: gsan_core.System, homes: Sequence[int]) -> list[int]:
    """A notice on each of ``homes``, its appeal ending in five days."""
    today = gsan.today()
    made = []
    for home, installments in zip(homes, INSTALLMENTS, strict=True):
        notice = gsan.inspections.inform_return(
            order_id=insp._inspection(gsan, home),
            found=[SituationFound(situation_id=insp.NOTICE, found_on=today)],
            actor=insp.ACTOR,
            notice=NoticeInput(
                employee_id=insp.ACTOR,
                issued_on=today,
                appeal_until=today + timedelta(days=5),
                debit_type_id=insp.FINE_TYPE,
                installments=installments,
            ),
        ).notice
        assert notice is not None
        made.append(notice.id)
    return made


def _slip(gsan: gsan_core.System, home: int, debt_id: int) -> None:
    """A payment slip of the fine's debit type issued today (DEB-02)."""
    gsan.billing.record_debts(
        [
            OpenDebt(
                id=debt_id,
                property_id=home,
                kind=DebtKind.PAYMENT_SLIP,
                amount=Decimal("25.00"),
                debit_type_id=insp.FINE_TYPE,
                issued_on=gsan.today(),
            )
        ]
    )


def _rows(sql: SqlBackend, notices: Sequence[int]) -> dict[str, Any]:
    """The notices and their charges, without :data:`KEYS`."""
    found = lean_rows.rows(sql, "infraction_notice", "id", notices, without=())
    charges = [n["charge_id"] for n in found if n["charge_id"] is not None]
    return {
        "notices": [{k: v for k, v in n.items() if k not in KEYS} for n in found],
        "charges": lean_rows.rows(sql, "charge", "id", charges, without=KEYS),
    }


def _outbox(sql: SqlBackend, after: int) -> list[dict[str, Any]]:
    """The outbox rows after ``after``, without :data:`KEYS`."""
    count = lean_rows.last_outbox_id(sql) - after
    return [
        {k: v for k, v in row.items() if k != "occurred_at"}
        for row in lean_rows.outbox(sql, count, without=KEYS)
    ]


def _lean(gsan: gsan_core.System, sql: SqlBackend, clock: FixedClock) -> list[int]:
    return lean_notices.lean_expire(
        sql,
        gsan,
        charge_ids=itertools.count(90_000),
        actor=insp.ACTOR,
        now=clock.now(),
        today=gsan.today(),
    )


def test_aut_05_a_lean_expiry_writes_the_library_s_rows(
    system: gsan_core.System, clock: FixedClock
) -> None:
    gsan = insp.inspection_town(system)
    sql = gsan.backend
    assert isinstance(sql, SqlBackend)
    mine = _notices(gsan, [430, 431, 432])
    clock.advance(timedelta(days=10))
    _slip(gsan, 432, 930)
    before = lean_rows.last_outbox_id(sql)
    expired = gsan.inspections.expire_notices(actor=insp.ACTOR)
    assert [n.id for n in expired] == mine
    library_outbox = _outbox(sql, before)

    theirs = _notices(gsan, [440, 441, 442])
    clock.advance(timedelta(days=10))
    _slip(gsan, 442, 931)
    before = lean_rows.last_outbox_id(sql)
    assert _lean(gsan, sql, clock) == theirs

    library = _rows(sql, mine)
    assert [n["situation"] for n in library["notices"]] == [
        int(NoticeSituation.APPEAL_EXPIRED)
    ] * 3
    assert [c["installments"] for c in library["charges"]] == [1, 3]
    assert _rows(sql, theirs) == library
    assert _outbox(sql, before) == library_outbox
    assert [r["tag"] for r in library_outbox] == [
        "billing.charge_created",
        "billing.charge_created",
        "inspection.notices_expired",
    ]
    # run again: nothing due, nothing written
    before = lean_rows.last_outbox_id(sql)
    assert _lean(gsan, sql, clock) == []
    assert lean_rows.last_outbox_id(sql) == before
    assert _rows(sql, theirs) == library


def test_aut_05_a_lean_expiry_is_refused_while_another_run_holds_the_batch(
    system: gsan_core.System, clock: FixedClock
) -> None:
    """Two runs at once: the second is refused by the library's hold (the
    library raises ``BatchAlreadyRunning`` there), writing nothing."""
    gsan = insp.inspection_town(system)
    sql = gsan.backend
    assert isinstance(sql, SqlBackend)
    theirs = _notices(gsan, [440, 441, 442])
    clock.advance(timedelta(days=10))
    before = lean_rows.last_outbox_id(sql)
    with sql.engine.begin() as holder:
        lean_field_batches.hold(holder, sql, lean_notices.JOB, lean_notices.KEY)
        with pytest.raises(AssertionError, match="is running"):
            _lean(gsan, sql, clock)
    assert lean_rows.last_outbox_id(sql) == before
    notice = sql.tables["infraction_notice"]
    with sql.engine.connect() as connection:
        situations = connection.execute(
            sa.select(notice.c.situation).where(notice.c.id.in_(theirs))
        ).scalars()
        assert set(situations) == {int(NoticeSituation.APPEAL_OPEN)}
    assert _lean(gsan, sql, clock) == theirs
