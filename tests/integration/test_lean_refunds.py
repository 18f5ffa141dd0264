"""The lean refund (``benchmarks.lean_refunds``) leaves the rows the library
leaves: the benchmark compares like with like (issue 20).

UC1131 with the RA's closing (DEV-06..DEV-15) runs through the library on one
refund RA and by hand on another alike (the same payments and bills, other
ids); the RA, its property's bills and credits, its payments, its links and
the outbox rows each wrote are compared without the keys that name the target.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import sqlalchemy as sa
from benchmarks import lean_refunds

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import build_request_utility
from tests.integration import lean_rows
from tests.integration.budgets import budget_system

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset(
    {"id", "request_id", "property_id", "payment_id", "protocol"}
    | {"locality_id", "sector_id", "block_id"}
)


def _rows(sql: SqlBackend, case: lean_refunds.RefundCase) -> dict[str, Any]:
    """The rows of ``case``: its RA, its property's debts (bills, then
    credits), its payments and links, without :data:`KEYS`."""
    t = sql.tables
    req, debt, payment, link = (
        t["service_request"],
        t["open_debt"],
        t["payment"],
        t["request_payment"],
    )

    def plain(row: Any) -> dict[str, Any]:
        return {k: v for k, v in dict(row).items() if k not in KEYS}

    with sql.engine.connect() as connection:

        def rows(statement: Any) -> list[dict[str, Any]]:
            return [plain(r) for r in connection.execute(statement).mappings()]

        return {
            "request": rows(sa.select(req).where(req.c.id == case.request_id)),
            "debts": rows(
                sa.select(debt)
                .where(debt.c.property_id == case.property_id)
                .order_by(debt.c.kind, debt.c.reference, debt.c.amount)
            ),
            "payments": rows(
                sa.select(payment)
                .where(payment.c.property_id == case.property_id)
                .order_by(payment.c.reference)
            ),
            "links": rows(
                sa.select(link)
                .where(link.c.request_id == case.request_id)
                .order_by(link.c.reference)
            ),
        }


def test_dev_06_to_15_a_lean_refund_writes_the_library_s_rows(
    sql: SqlBackend,
) -> None:
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=2, actor=0)
    homes = [p.id for p in utility.town.properties[:2]]
    mine, theirs = lean_refunds.refund_cases(
        system,
        homes,
        ids=itertools.count(70_000),
        unit_id=utility.call_centre,
        actor=utility.attendant,
    )
    before = _rows(sql, mine)
    assert before == _rows(sql, theirs)
    result = system.accounts.refund(
        actor=utility.attendant,
        request_id=mine.request_id,
        payment_ids=mine.payment_ids,
        bill_ids=mine.bill_ids,
    )
    library_outbox = lean_rows.outbox(sql, 2, without=KEYS)
    allocations = lean_refunds.lean_refund(
        sql,
        theirs.request_id,
        payment_ids=theirs.payment_ids,
        bill_ids=theirs.bill_ids,
        credit_ids=itertools.count(90_000),
        reason_id=system.profile.id("closing_reason.service_concluded"),
        actor=utility.attendant,
        now=clock.now(),
        today=system.clock.today(),
    )
    after = _rows(sql, mine)
    assert after != before  # the refund wrote something
    assert result.credits
    assert result.retified_bills
    assert [a.amount for a in allocations] == [a.amount for a in result.allocations]
    assert _rows(sql, theirs) == after
    assert lean_rows.outbox(sql, 2, without=KEYS) == library_outbox
    assert [r["tag"] for r in library_outbox] == [
        "service_request.closed",
        "accounts.refund_done",
    ]
