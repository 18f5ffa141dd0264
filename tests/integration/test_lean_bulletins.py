"""The lean commands of ``benchmarks.lean_bulletins`` leave the rows the
library leaves: the benchmark compares like with like (issue 20, lean8).

The library puts some concluded orders' inspections into a bulletin, the lean
version others made alike; every column of the records is compared but their
keys. An id without a record is passed over by both, and a second run does
what the library's second run does (one version more).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from benchmarks import lean_bulletins, lean_inform_notice

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.bulletins import (
    BulletinInput,
    ConcludedOrderInspection,
    InspectionCode,
)
from gsan_core.model.units import User
from tests.integration import lean_rows
from tests.services.connections_setup import ACTOR, CONCLUDED, town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "order_id"})
#: Orders beyond an ``integer``, as the benchmark's ids are.
BIG = 9_040_000_000
#: A registered inspector, and a user without the permission to inspect.
INSPECTOR, NOBODY = 60, 61


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


def _inspect(
    sql: SqlBackend, gsan: gsan_core.System, order_id: int, **changes: Any
) -> ConcludedOrderInspection:
    values: dict[str, Any] = {
        "code": InspectionCode.REPROVED,
        "inspected_on": [gsan.today() - timedelta(days=1)],
        "inspector_id": INSPECTOR,
        "actor": ACTOR,
        "profile": gsan.profile,
        "now": gsan.clock.now(),
    }
    return lean_bulletins.lean_inspect_concluded(
        sql, order_id=order_id, **(values | changes)
    )


def test_a_lean_concluded_inspection_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A concluded order's first inspection and a second date: the record
    (version 1, then 2) and one ``bulletin.concluded_order_inspected`` each,
    from either; what the library refuses (a user without the permission, an
    unknown inspector, a date in the future, an order still pending) the
    lean version refuses, nothing written; its second run is the library's
    second run (an update, one version more)."""
    town(gsan)
    type_id, _ = lean_inform_notice.inspection_setup(gsan)
    gsan.units.register_user(User(id=INSPECTOR, name="FISCAL", unit_id=1), actor=0)
    gsan.units.register_user(User(id=NOBODY, name="ZE", unit_id=1), actor=0)
    lean_bulletins.inspection_rights(gsan, ACTOR)
    ids = iter(range(BIG, BIG + 100))
    mine, theirs = lean_bulletins.concluded_orders(
        gsan, [1, 2], type_id=type_id, ids=ids, inspected=False
    )
    (pending,) = lean_inform_notice.pending_inspections(
        gsan, [3], type_id=type_id, ids=ids
    )
    yesterday = gsan.today() - timedelta(days=1)
    gsan.inspections.inspect_concluded(
        order_id=mine,
        code=InspectionCode.REPROVED,
        inspected_on=[yesterday],
        inspector_id=INSPECTOR,
        actor=ACTOR,
    )
    before = lean_rows.last_outbox_id(sql)
    for order_id, wrong in (
        (theirs, {"actor": NOBODY}),
        (theirs, {"inspector_id": 12345}),
        (theirs, {"inspected_on": [gsan.today() + timedelta(days=1)]}),
        (pending, {}),
    ):
        with pytest.raises(AssertionError):
            _inspect(sql, gsan, order_id, **wrong)
    assert lean_rows.last_outbox_id(sql) == before
    assert gsan.inspections.concluded_inspection(theirs) is None
    stored = _inspect(sql, gsan, theirs)
    assert stored == gsan.inspections.concluded_inspection(theirs)
    assert stored.version == 1
    assert _records(sql, [mine]) == _records(sql, [theirs])
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "bulletin.concluded_order_inspected"
    # the second run, and a second date, as the library's
    gsan.inspections.inspect_concluded(
        order_id=mine,
        code=InspectionCode.APPROVED,
        inspected_on=[yesterday, yesterday],
        inspector_id=INSPECTOR,
        actor=ACTOR,
    )
    again = _inspect(
        sql,
        gsan,
        theirs,
        code=InspectionCode.APPROVED,
        inspected_on=[yesterday, yesterday],
    )
    assert again.version == 2
    assert _records(sql, [mine]) == _records(sql, [theirs])
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two


def test_a_lean_bulletin_update_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A closed order's bulletin given new quantities: the bulletin at
    version 2 (sidewalk asked, paving stone not: zero) and one
    ``bulletin.recorded``, from either; what the library refuses (a negative
    quantity, an order still pending) the lean version refuses, nothing
    written; a second run is the library's second (version 3)."""
    type_id = lean_bulletins.bulletin_type(gsan)
    ids = iter(range(BIG, BIG + 100))
    mine, theirs = lean_bulletins.bulletin_orders(
        gsan, [1, 2], type_id=type_id, ids=ids
    )
    (pending,) = lean_inform_notice.pending_inspections(
        gsan, [3], type_id=type_id, ids=ids
    )
    full = BulletinInput(
        has_pavement=True,
        asphalt=Decimal(3),
        paving_stone=Decimal(5),
        sidewalk=Decimal(1),
    )
    now = gsan.clock.now()
    gsan.inspections.update_bulletin(order_id=mine, bulletin=full, actor=ACTOR)
    before = lean_rows.last_outbox_id(sql)
    for order_id, wrong in (
        (theirs, BulletinInput(has_pavement=True, asphalt=Decimal(-1))),
        (pending, full),
    ):
        with pytest.raises(AssertionError):
            lean_bulletins.lean_update_bulletin(
                sql, order_id=order_id, bulletin=wrong, actor=ACTOR, now=now
            )
    assert lean_rows.last_outbox_id(sql) == before
    stored = lean_bulletins.lean_update_bulletin(
        sql, order_id=theirs, bulletin=full, actor=ACTOR, now=now
    )
    assert stored == gsan.inspections.bulletin(theirs)
    assert stored.version == 2
    assert stored.paving_stone == 0
    assert _bulletins(sql, [mine]) == _bulletins(sql, [theirs])
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "bulletin.recorded"
    gsan.inspections.update_bulletin(order_id=mine, bulletin=full, actor=ACTOR)
    again = lean_bulletins.lean_update_bulletin(
        sql, order_id=theirs, bulletin=full, actor=ACTOR, now=now
    )
    assert again.version == 3
    assert _bulletins(sql, [mine]) == _bulletins(sql, [theirs])


def _bulletins(sql: SqlBackend, ids: list[int]) -> list[dict[str, Any]]:
    return lean_rows.rows(sql, "order_bulletin", "id", ids, without=KEYS)


def test_a_lean_order_inspection_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A contractor's executed order refused for a reason asking the
    observation: the acceptance and one ``inspection.order_acceptance``,
    from either; what the library refuses (no observation, an order closed
    without execution, an order inspected already: the second run) the lean
    version refuses, nothing written."""
    town(gsan)
    type_id, _ = lean_inform_notice.inspection_setup(gsan)
    gsan.catalog.add(
        "non_acceptance_reason",
        id=8,
        description="SERVICO MAL EXECUTADO",
        attributes={"observation_required": True},
        actor=0,
    )
    ids = iter(range(BIG, BIG + 100))
    mine, theirs = lean_bulletins.concluded_orders(
        gsan, [1, 2], type_id=type_id, ids=ids, inspected=False, reason_id=CONCLUDED
    )
    (unexecuted,) = lean_bulletins.concluded_orders(
        gsan, [3], type_id=type_id, ids=ids, inspected=False
    )
    refusal: dict[str, Any] = {
        "accepted": False,
        "reason_id": 8,
        "observation": "CALCADA QUEBRADA",
        "actor": ACTOR,
    }
    gsan.inspections.inspect_order(order_id=mine, **refusal)
    before = lean_rows.last_outbox_id(sql)
    acceptances = iter(range(BIG + 200, BIG + 300))
    now = gsan.clock.now()
    for order_id, wrong in (
        (theirs, {"observation": " "}),
        (unexecuted, {}),
        (mine, {}),
    ):
        with pytest.raises(AssertionError):
            lean_bulletins.lean_inspect_order(
                sql,
                order_id=order_id,
                ids=acceptances,
                now=now,
                **(refusal | wrong),
            )
    assert lean_rows.last_outbox_id(sql) == before
    stored = lean_bulletins.lean_inspect_order(
        sql, order_id=theirs, ids=acceptances, now=now, **refusal
    )
    assert stored == gsan.inspections.order_acceptance(theirs)
    first, second = (
        lean_rows.rows(
            sql, "order_acceptance", "order_id", [o], without={"id", "order_id"}
        )
        for o in (mine, theirs)
    )
    assert first == second
    assert first[0]["observation"] == "CALCADA QUEBRADA"
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "inspection.order_acceptance"
    with pytest.raises(AssertionError):
        lean_bulletins.lean_inspect_order(
            sql, order_id=theirs, ids=acceptances, now=now, **refusal
        )
    assert lean_rows.last_outbox_id(sql) == before + 1
