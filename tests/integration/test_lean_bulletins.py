"""The lean commands of ``benchmarks.lean_bulletins`` leave the rows the
library leaves: the benchmark compares like with like (issue 20, lean8).

The library puts some concluded orders' inspections into a bulletin, the lean
version others made alike; every column of the records is compared but their
keys. An id without a record is passed over by both, and a second run does
what the library's second run does (one version more).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from benchmarks import lean_bulletins, lean_inform_notice

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "order_id"})
#: Orders beyond an ``integer``, as the benchmark's ids are.
BIG = 9_040_000_000


def _records(sql: SqlBackend, ids: list[int]) -> list[dict[str, Any]]:
    return lean_rows.rows(sql, "concluded_order_inspection", "id", ids, without=KEYS)


def test_a_lean_bulletin_inclusion_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """Two records each side (and an id without one, passed over): the
    bulletin's month and closing date, the actor and version 2 on both; the
    records returned are those stored; a record left out is untouched; a
    second run gives version 3, as the library's does."""
    type_id, _ = lean_inform_notice.inspection_setup(gsan)
    ids = iter(range(BIG, BIG + 100))
    mine, theirs, other = (
        lean_bulletins.concluded_orders(
            gsan, [1, 2], type_id=type_id, ids=ids, inspected=True
        )
        for _ in range(3)
    )
    (bare,) = lean_bulletins.concluded_orders(
        gsan, [3], type_id=type_id, ids=ids, inspected=False
    )
    day = gsan.today() - timedelta(days=1)
    values: dict[str, Any] = {"month": 202612, "closed_on": day, "actor": 9}
    done = gsan.inspections.include_in_bulletin(order_ids=[*mine, bare], **values)
    lean = lean_bulletins.lean_include_in_bulletin(
        sql, order_ids=[theirs[1], bare, theirs[0]], **values
    )
    assert [r.id for r in lean] == theirs
    assert [r.version for r in lean] == [2, 2]
    assert [gsan.inspections.concluded_inspection(i) for i in theirs] == list(lean)
    assert len(done) == 2
    first, second = _records(sql, mine), _records(sql, theirs)
    assert first == second
    assert first[0]["bulletin_month"] == 202612
    assert first[0]["bulletin_closed_on"] == day
    assert first[0]["actor"] == 9
    assert gsan.inspections.concluded_inspection(bare) is None
    assert [r["version"] for r in _records(sql, other)] == [1, 1]
    assert [r["bulletin_month"] for r in _records(sql, other)] == [None, None]
    gsan.inspections.include_in_bulletin(order_ids=mine, **values)
    again = lean_bulletins.lean_include_in_bulletin(sql, order_ids=theirs, **values)
    assert [r.version for r in again] == [3, 3]
    assert _records(sql, mine) == _records(sql, theirs)
