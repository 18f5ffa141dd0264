"""Statements the account documents send on SQL: the index table's entities
reused while unchanged, and the certificate's header from the reads the
surcharges make. (The documents' counts that do not grow with the debts, the
properties or the customers, CNC-05 and EXT-19, are held with their budgets in
``test_statement_budgets_accounts.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend, build_tables, create_engine
from gsan_core.model.accounts import RelationType
from gsan_core.testing import FixedClock
from tests.integration.budgets import Counter
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import load_indices


@pytest.fixture
def sql(tmp_path: Path) -> Iterator[SqlBackend]:
    backend = SqlBackend(
        create_engine(f"sqlite:///{tmp_path / 'accounts.db'}"),
        tables=build_tables(),
        owns_engine=True,
    )
    backend.create_all()
    yield backend
    backend.dispose()


def _system(sql: SqlBackend) -> gsan_core.System:
    system = gsan_core.System(
        uow_factory=sql.uow_factory, backend=sql, clock=FixedClock(), keep_events=False
    )
    system.seed()
    setup_counter(system)
    load_indices(system)
    return system


def test_the_index_table_s_entities_are_reused_only_while_its_rows_are_unchanged(
    sql: SqlBackend,
) -> None:
    """Every statement reads the index table; the entities are rebuilt only
    when a row differs from the last read (an update through the library, which
    bumps the version, or a write behind its back)."""
    system = _system(sql)
    first = system.accounts.indices()
    again = system.accounts.indices()
    assert again == first
    assert again[0] is first[0]
    system.accounts.inform_index(
        actor=1,
        month=202410,
        fine_rate=Decimal("3"),
        interest_rate=Decimal("1"),
        correction_factor=Decimal("1.0000"),
    )
    updated = {i.id: i for i in system.accounts.indices()}
    assert updated[202410].fine_rate == Decimal("3")
    table = sql.tables["surcharge_index"]
    with sql.engine.begin() as connection:
        connection.execute(
            sa.update(table).where(table.c.id == 202410).values(fine_rate="4")
        )
    behind = {i.id: i for i in system.accounts.indices()}
    assert behind[202410].fine_rate == Decimal("4")


def test_cnd_09_the_header_reuses_the_certificate_s_reads(sql: SqlBackend) -> None:
    """The header's user and locality come from the reads the surcharges
    already make: one read of the customers (responsible and user together),
    one of the locality."""
    system = _system(sql)
    ana = system.accounts.register_customer(actor=1, name="ANA", customer_type_id=2)
    for relation in (RelationType.USER, RelationType.RESPONSIBLE):
        system.accounts.relate(
            actor=1,
            customer_id=ana.id,
            property_id=1,
            relation=relation,
            start=date(2024, 1, 1),
        )
    counter = Counter(sql.engine)
    system.accounts.issue_certificate(actor=1, property_id=1)  # warm
    with counter.counting():
        cert = system.accounts.issue_certificate(actor=1, property_id=1)
    assert cert.header is not None
    assert cert.header.user_name == "ANA"
    customers = [s for s in counter.statements if s.startswith("SELECT gsan_customer.")]
    localities = [
        s for s in counter.statements if s.startswith("SELECT gsan_locality.")
    ]
    # CND-02's sphere check reads the responsible customer; the surcharges'
    # read brings the user along (no read of its own for the header)
    assert len(customers) == 2, counter.statements
    assert len(localities) == 1, counter.statements
