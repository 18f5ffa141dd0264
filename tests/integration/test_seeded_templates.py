"""Filling a test's empty SQL tables from a seeded template
(:func:`tests.conftest.seed_from_template`, what :func:`budget_system` and the
``sql_system`` fixture do instead of seeding every test)."""

from __future__ import annotations

import sqlalchemy as sa

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.testing import FixedClock
from tests.conftest import seed_from_template
from tests.integration.budgets import budget_profile


def _counts(backend: SqlBackend) -> dict[str, int]:
    with backend.engine.connect() as connection:
        return {
            table.name: connection.execute(
                sa.select(sa.func.count()).select_from(table)
            ).scalar_one()
            for table in backend.tables.metadata.sorted_tables
        }


def test_the_filled_tables_hold_every_seeded_row(sql_backend: SqlBackend) -> None:
    seed_from_template(sql_backend, budget_profile())
    filled = _counts(sql_backend)
    system = gsan_core.System(
        uow_factory=sql_backend.uow_factory,
        backend=sql_backend,
        profile=budget_profile(),
        clock=FixedClock(),
    )
    assert system.seed() == 0  # nothing left to write
    assert _counts(sql_backend) == filled
    assert sum(filled.values()) >= budget_profile().row_count > 0
    assert system.catalog.get("water_status", 3).description == "LIGADO"
