"""Statements built once with bound parameters (issue 20, ninth round): the
repositories' ``find_by``, ``count_by`` and ``lock_many`` build their
statement once per table, dialect and criteria shape, and it sends the SQL
the statement built for each call sent (its parameters named apart)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

import gsan_core
from gsan_core.adapters.sqlalchemy import repositories, statement_cache
from gsan_core.adapters.sqlalchemy.schema import build_tables
from gsan_core.adapters.sqlalchemy.statement_cache import _PREPARED

CRITERIA: list[dict[str, object]] = [
    {"situation": 2},
    {"request_id": None},
    {"id": [3, 1, 2]},
    {"property_id": 7, "closed_at": None, "service_type_id": frozenset({4, 5})},
]


def _normalized(statement: sa.ClauseElement, dialect: Any) -> str:
    text = str(statement.compile(dialect=dialect))
    text = re.sub(r"%\(\w+\)s", "%s", text)
    return re.sub(r"__\[POSTCOMPILE_\w+\]", "[LIST]", text)


@pytest.mark.parametrize("criteria", CRITERIA)
@pytest.mark.parametrize(
    "dialect", [postgresql.dialect(), sqlite.dialect()], ids=["pg", "sqlite"]
)
def test_the_bound_criteria_send_the_same_sql(
    criteria: dict[str, object], dialect: Any
) -> None:
    table = build_tables()["service_order"]
    name = dialect.name
    shape = statement_cache.criteria_shape(criteria)
    built = sa.select(table).where(*repositories.where(table, criteria, name))
    bound = sa.select(table).where(*statement_cache.bound_where(table, shape, name))
    assert _normalized(bound, dialect) == _normalized(built, dialect)
    assert set(statement_cache.bound_values(criteria)) == {
        f"w_{key}" for key, value in criteria.items() if value is not None
    }


def test_find_by_count_by_and_lock_many_reuse_one_statement(
    sql_system: gsan_core.System,
) -> None:
    with sql_system.uow_factory() as uow:
        ids = sorted(t.id for t in uow.service_types.find_by())[:3]
        assert len(ids) == 3
        for ident in ids:
            assert [t.id for t in uow.service_types.find_by(id=ident)] == [ident]
        assert uow.service_types.count_by(id=ids[:2]) == 2
        assert sorted(uow.service_types.lock_many(ids[1:])) == ids[1:]
        table = uow.tables["service_type"]
    built = [key for key in _PREPARED[table] if key.startswith("by:")]

    assert len([k for k in built if "('id', 'one')" in k]) == 1
