"""The statements psycopg converts anew on every call (issue 20).

:func:`tests.integration.psycopg_cache.oversized` lists the statements over
psycopg's cache limits (4 KiB of text, 50 parameters).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy import SqlBackend
from tests.integration.psycopg_cache import MOST_BYTES, MOST_PARAMS, oversized


@pytest.mark.postgres
def test_the_check_lists_the_statements_over_either_limit(sql: SqlBackend) -> None:
    long = "SELECT " + " + ".join(["CAST(:a AS integer)"] * 400)
    many = "SELECT " + " + ".join(f"CAST(:p{i} AS integer)" for i in range(51))
    with sql.engine.connect() as connection, oversized(sql.engine) as found:
        connection.execute(sa.text("SELECT CAST(:a AS integer)"), {"a": 1})
        connection.execute(sa.text(long), {"a": 1})
        connection.execute(sa.text(many), {f"p{i}": i for i in range(51)})
    assert [(f.size > MOST_BYTES, f.params > MOST_PARAMS) for f in found] == [
        (True, False),
        (False, True),
    ]
    assert found[0].head.startswith("SELECT CAST(")
