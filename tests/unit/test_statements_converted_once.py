"""Statements psycopg converts once (issue 20, tenth round).

psycopg 3 keeps the conversion of a query (its ``%(name)s`` placeholders to
``$n``) only for queries of at most 4,096 bytes and 50 parameters; a longer
one is converted again on every call. The reads of a scheduling command's
day (``load_days``: moving, programming, reordering an order) and of a
field file's record ``16`` (a download) stay under both limits, whatever the
schema's name (their tables under short aliases), as compiled for
PostgreSQL.
"""

from __future__ import annotations

import pytest

from gsan_core.adapters.sqlalchemy.field_work import SqlFieldFileQueries
from gsan_core.adapters.sqlalchemy.scheduling import LOAD_LIMIT, _load_statement
from gsan_core.adapters.sqlalchemy.schema import build_tables
from tests.integration.psycopg_cache import MOST_BYTES, MOST_PARAMS, compiled

#: A schema name as long as an integrator's might be.
SCHEMAS = (None, "gsan", "a_rather_long_schema_name_of_an_integrator")


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("every_team", [True, False])
@pytest.mark.parametrize("ended", [True, False])
def test_a_day_s_load_is_converted_once(
    schema: str | None, every_team: bool, ended: bool
) -> None:
    tables = build_tables(schema=schema)
    size, parameters = compiled(
        _load_statement(tables, "postgresql", every_team=every_team, ended=ended)
    )
    assert LOAD_LIMIT == MOST_BYTES
    assert size <= MOST_BYTES
    assert parameters <= MOST_PARAMS


class _Tables:
    """What ``SqlFieldFileQueries`` reads of its unit of work: the tables."""

    def __init__(self, schema: str | None) -> None:
        self.tables = build_tables(schema=schema)


@pytest.mark.parametrize("schema", SCHEMAS)
@pytest.mark.parametrize("paged", [True, False])
def test_a_file_s_records_are_converted_once(schema: str | None, paged: bool) -> None:
    queries = SqlFieldFileQueries(_Tables(schema))  # type: ignore[arg-type]
    size, parameters = compiled(queries._build_records(paged))
    assert size <= MOST_BYTES
    assert parameters <= MOST_PARAMS
