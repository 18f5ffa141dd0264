"""Statements the account documents send on SQL: the index table's entities
reused while unchanged, and the certificate's header from the reads the
surcharges make; and the methods the statement budgets list as queries
(``QUERIES`` of ``test_statement_budgets_accounts.py``, ``_desk.py`` and
``_scheduling.py``) write nothing. (The
documents' counts that do not grow with the debts, the properties or the
customers, CNC-05 and EXT-19, are held with their budgets there.)"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import GsanError
from gsan_core.model.accounts import RelationType
from gsan_core.testing import FixedClock
from tests.conftest import sqlite_backend
from tests.integration import (
    test_statement_budgets_accounts,
    test_statement_budgets_desk,
    test_statement_budgets_scheduling,
)
from tests.integration.budgets import Counter
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import load_indices
from tests.services.test_service_desk_schedules import statements


@pytest.fixture
def sql(tmp_path: Path) -> Iterator[SqlBackend]:
    # the process's shared tables (building them cost ~0.2 s of CPU)
    backend = sqlite_backend(tmp_path / "accounts.db")
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
    """Every statement reads the index table (from the backend's reference
    cache); the entities are rebuilt only when a row differs from the last
    read (an update through the library, which bumps the version and forgets
    the cached table, or a write behind its back, seen once the cached copy is
    older than ``reference_ttl``: here, the cache turned off)."""
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
    cached = {i.id: i for i in system.accounts.indices()}
    assert cached[202410].fine_rate == Decimal("3")  # within reference_ttl
    sql.reference.ttl = 0  # what an expired copy does: read the database
    behind = {i.id: i for i in system.accounts.indices()}
    assert behind[202410].fine_rate == Decimal("4")


def test_cnd_09_the_header_reuses_the_certificate_s_reads(sql: SqlBackend) -> None:
    """The header's user and locality come from the reads the certificate
    already makes: one read of the customers (responsible and user together,
    CND-02's sphere check among its users), the locality from the reference
    cache (read by the warming call)."""
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
    # CND-02's sphere check, the surcharges and the header take the
    # responsible and the user from one read (issue 20, ninth round: two
    # before, the sphere check's own read of the responsible)
    assert len(customers) == 1, counter.statements
    assert not localities, counter.statements


DAY = date(2024, 12, 2)
#: A call of each query of the budgets' ``QUERIES`` on :func:`_system`'s data
#: (property 1, unit 1, user 1, the customer ``c``); a refusal counts too.
CALLS: dict[str, Callable[[gsan_core.System, int], object]] = {
    "accounts.collection_documents": lambda g, c: g.accounts.collection_documents(1),
    "accounts.customer": lambda g, c: g.accounts.customer(c),
    "accounts.hierarchy": lambda g, c: g.accounts.hierarchy(c),
    "accounts.index": lambda g, c: g.accounts.index(202410),
    "accounts.indices": lambda g, c: g.accounts.indices(),
    "accounts.open_debts": lambda g, c: g.accounts.open_debts(customer_id=c),
    "accounts.property_view": lambda g, c: g.accounts.property_view(1),
    "accounts.refund_guide_subject": lambda g, c: g.accounts.refund_guide_subject(
        request_id=1
    ),
    "accounts.refund_requests": lambda g, c: g.accounts.refund_requests(property_id=1),
    "accounts.relations": lambda g, c: g.accounts.relations(property_id=1),
    "accounts.service_contract": lambda g, c: g.accounts.service_contract(
        property_id=1, customer_id=c
    ),
    "accounts.service_table": lambda g, c: g.accounts.service_table(),
    "accounts.simulate_service_charge": lambda g, c: g.accounts.simulate_service_charge(
        property_id=1, service_type_id=242
    ),
    "accounts.surcharges": lambda g, c: g.accounts.surcharges(1),
    "accounts.verify_certificate": lambda g, c: g.accounts.verify_certificate(
        property_id=1, authentication_code="ABC"
    ),
    "service_desk.interruptions": lambda g, c: g.service_desk.interruptions(
        locality_id=1
    ),
    "service_desk.messages": lambda g, c: g.service_desk.messages(),
    "service_desk.procedures": lambda g, c: g.service_desk.procedures(),
    "service_desk.property_interruptions": lambda g, c: (
        g.service_desk.property_interruptions(property_id=1)
    ),
    "service_desk.schedules": lambda g, c: g.service_desk.schedules(),
    "scheduling.calendar": lambda g, c: g.scheduling.calendar(
        unit_id=1, year=2024, month=12
    ),
    "scheduling.calibration": lambda g, c: g.scheduling.calibration(),
    "scheduling.day": lambda g, c: g.scheduling.day(unit_id=1, on=DAY),
    "scheduling.followed_teams": lambda g, c: g.scheduling.followed_teams(user_id=1),
    "scheduling.programmings": lambda g, c: g.scheduling.programmings(order_id=1),
    "scheduling.route": lambda g, c: g.scheduling.route(team_id=1, on=DAY),
    "scheduling.route_file": lambda g, c: list(
        g.scheduling.route_file(team_id=1, on=DAY)
    ),
    "scheduling.route_sheet": lambda g, c: g.scheduling.route_sheet(team_id=1, on=DAY),
    "scheduling.special_days": lambda g, c: g.scheduling.special_days(team_id=1),
}
#: A write, not a row lock taken by a read (``FOR UPDATE``).
WRITE = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def test_the_budgets_queries_write_nothing(sql_backend: SqlBackend) -> None:
    """A method listed as a query sends no write and commits nothing (SQLite
    and PostgreSQL)."""
    system = _system(sql_backend)
    ana = system.accounts.register_customer(actor=1, name="ANA", customer_type_id=1)
    system.accounts.relate(
        actor=1,
        customer_id=ana.id,
        property_id=1,
        relation=RelationType.USER,
        start=date(2024, 1, 1),
    )
    counter = Counter(sql_backend.engine)
    assert set(CALLS) == (
        test_statement_budgets_accounts.QUERIES
        | test_statement_budgets_desk.QUERIES
        | test_statement_budgets_scheduling.QUERIES
    )
    for name, call in CALLS.items():
        # a refusal (GsanError) writes nothing either
        with (
            counter.counting(),
            statements(system) as sent,
            contextlib.suppress(GsanError),
        ):
            call(system, ana.id)
        assert sent, name
        writes = [
            s for s in sent if WRITE.search(re.sub(r"FOR (NO KEY )?UPDATE", "", s))
        ]
        assert not writes, (name, writes)
        assert "COMMIT" not in counter.statements, (name, counter.statements)
