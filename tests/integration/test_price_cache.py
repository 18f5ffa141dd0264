"""CHG-5's price rows of a type come from the backend's reference cache
(issue 20: closing a cut order no longer reads the price table), and a change
of the table through the backend is seen by the next look-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gsan_core.adapters.sqlalchemy import SqlBackend
from tests.integration.budgets import Counter, budget_system
from tests.integration.test_statement_budgets import sql

__all__ = ["sql"]

TYPE = 242  # CORTE ADMINISTRATIVO (seeded)


def _rows(backend: SqlBackend) -> list[Decimal]:
    with backend.uow_factory() as uow:
        return [row.value for row in uow.service_prices.of_type(TYPE)]


def test_chg_5_price_rows_are_cached_and_a_write_is_seen(sql: SqlBackend) -> None:
    system = budget_system(sql)
    counter = Counter(sql.engine)
    before = _rows(sql)
    with counter.counting():
        assert _rows(sql) == before
    assert not [s for s in counter.statements if s.startswith("SELECT")]

    row = system.service_orders.add_price(
        service_type_id=TYPE,
        value=Decimal("33.00"),
        metered=False,
        valid_from=date(2000, 1, 1),
        valid_until=date(2099, 12, 31),
        actor=1,
        category_id=4,
    )
    assert _rows(sql) == [*before, Decimal("33.00")]
    system.service_orders.remove_price(
        price_id=row.id, expected_version=row.version, actor=1
    )
    assert _rows(sql) == before


def test_chg_5_a_unit_of_work_that_wrote_prices_reads_its_own_rows(
    sql: SqlBackend,
) -> None:
    budget_system(sql)
    before = _rows(sql)
    with sql.uow_factory() as uow:
        price = next(iter(uow.service_prices.find_by()), None)
        if price is not None:
            uow.service_prices.remove(price)
            assert price.id not in {r.id for r in uow.service_prices.of_type(TYPE)}
        # not committed: rolled back
    assert _rows(sql) == before


def _active(backend: SqlBackend, kind: str) -> list[str]:
    with backend.uow_factory() as uow:
        return [i.description for i in uow.catalog.list(kind, active_only=True)]


def test_a_kinds_active_rows_are_cached_and_a_write_is_seen(sql: SqlBackend) -> None:
    """ENC-19's setup lookup (a kind's active rows) costs no statement once read;
    a catalogue change through the backend is seen by the next list."""
    system = budget_system(sql)
    kind = "closing_reason"
    counter = Counter(sql.engine)
    before = _active(sql, kind)
    with counter.counting():
        assert _active(sql, kind) == before
    assert not [s for s in counter.statements if s.startswith("SELECT")]

    system.catalog.add(kind, description="MOTIVO NOVO DO CACHE", actor=1)
    assert _active(sql, kind) == [*before, "MOTIVO NOVO DO CACHE"]
