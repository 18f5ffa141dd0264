"""Many charges written at once (``Billing.add_charges``: AUT-05's fines, a
closing batch's charges, a document's fees) are one statement: on PostgreSQL
one ``INSERT ... SELECT FROM unnest(...)`` of one array per column, its text
the same whatever the number of charges (issue 20); the rows round-trip."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import Charge, ChargeShare

pytestmark = pytest.mark.parametrize(
    "backend_name", ["postgres", "sqlite"], indirect=True
)


def _charges(first: int, count: int) -> list[Charge]:
    return [
        Charge(
            id=first + n,
            property_id=1,
            debit_type_id=7,
            total=Decimal("30.00") + n,
            installments=1 + n % 3,
            installment_value=Decimal("10.00"),
            interest_rate=Decimal("1.5") if n % 2 else Decimal(0),
            service_order_id=None if n % 2 else 100 + n,
            generated_at=datetime(2025, 1, 6, 12, tzinfo=UTC),
            shares=(
                ChargeShare(category_id=1, economies=2, amount=Decimal("20.00")),
                ChargeShare(category_id=2, economies=1, amount=Decimal("10.00") + n),
            ),
            actor=3,
        )
        for n in range(count)
    ]


def test_add_charges_is_one_statement_whatever_their_number(
    system: gsan_core.System,
) -> None:
    sql = system.backend
    assert isinstance(sql, SqlBackend)
    sent: list[tuple[str, bool]] = []

    def record(*args: Any) -> None:
        statement, many = str(args[2]), bool(args[5])
        if "INSERT INTO" in statement and "charge" in statement:
            sent.append((statement, many))

    event.listen(sql.engine, "before_cursor_execute", record)
    try:
        for first, count in ((1, 3), (10, 40)):
            with system.uow_factory() as uow:
                uow.billing.add_charges(_charges(first, count))
                uow.commit()
    finally:
        event.remove(sql.engine, "before_cursor_execute", record)
    assert len(sent) == 2
    if sql.engine.dialect.name == "postgresql":
        assert all("unnest" in text and not many for text, many in sent)
        assert sent[0][0] == sent[1][0]  # the same text for 3 and 40 rows
    with system.uow_factory() as uow:
        assert list(uow.billing.charges_of(1)) == _charges(1, 3) + _charges(10, 40)
    table = sql.tables["charge"]
    with sql.engine.connect() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            == 43
        )
