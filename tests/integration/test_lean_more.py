"""The lean commands of ``benchmarks.lean_more`` leave the rows the library
leaves: the benchmark compares like with like (issue 20, ninth round).

Each test runs the library on one target and the lean version on another of
the same kind, then compares every column of the rows written, but the
target's own keys, outbox rows included.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from benchmarks import lean_more, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.accounts.customers import RelationType
from tests.integration import lean_rows
from tests.services.connections_setup import add_property, town

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset({"id", "property_id"})


@pytest.fixture
def gsan(sql: SqlBackend) -> gsan_core.System:
    return town(scale._system(sql))


def _rows(sql: SqlBackend, table: str, column: str, keys: list[Any]) -> list[Any]:
    return lean_rows.rows(sql, table, column, keys, without=KEYS)


def test_a_lean_sewer_connection_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """UC0353 without an order (V-LE1..V-LE9, permission 67): the property's
    sewer LIGADO, its connection row (the profile's sewer percentage), the
    history row and ``connection.operation_applied``, from either."""
    stored, _ = lean_rows.connect_both(
        sql,
        gsan,
        "sewer",
        library_connect=gsan.connections.connect_sewer_without_order,
        lean_connect=lean_more.lean_connect_sewer,
        data=lean_more.SEWER,
        without=KEYS,
    )
    assert (
        stored.sewer_percentage
        == _rows(sql, "sewer_connection", "id", [500])[0]["sewer_percentage"]
    )
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["payload"]["operation"] == "sewer.connect_without_order"


def test_a_lean_property_change_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PRO-1..PRO-3: the changed data at version 2 and one
    ``property.changed``, from either."""
    for pid in (500, 501):
        add_property(gsan, pid, 1)
    library, lean = (gsan.properties.get(pid) for pid in (500, 501))
    gsan.properties.update(attrs.evolve(library, block_face=7), actor=7)
    stored = lean_more.lean_update_property(
        sql, attrs.evolve(lean, block_face=7), now=scale.NOW, actor=7
    )
    assert stored.version == 2
    first, second = _rows(sql, "property", "id", [500, 501])
    assert first == second
    assert (first["version"], first["block_face"]) == (2, 7)
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "property.changed"


def test_a_lean_property_change_refuses_what_the_library_refuses(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """PRO-3 (a situation changed), PRO-1 (an unknown block) and a stale
    version: nothing written."""
    add_property(gsan, 500, 1)
    prop = gsan.properties.get(500)
    for wrong in (
        attrs.evolve(prop, water_status_id=3),
        attrs.evolve(prop, block_id=999),
        attrs.evolve(prop, version=2),
    ):
        with pytest.raises(AssertionError):
            lean_more.lean_update_property(sql, wrong, now=scale.NOW, actor=7)
    assert _rows(sql, "property", "id", [500])[0]["version"] == 1


def test_a_lean_relation_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A responsible related to a property over a period, and one
    ``accounts.customer_changed``, from either; an overlapping one refused
    (a property has one responsible at a time)."""
    for pid in (500, 501):
        add_property(gsan, pid, 1)
    who = lean_more.customer(gsan, sql, "ANA")
    start, end = lean_more.RELATED
    library = gsan.accounts.relate(
        actor=7,
        customer_id=who,
        property_id=500,
        relation=RelationType.RESPONSIBLE,
        start=start,
        end=end,
    )
    lean = attrs.evolve(library, id=10**9, property_id=501)
    assert lean_more.lean_relate(sql, lean, now=scale.NOW, actor=7) == lean
    first, second = _rows(sql, "customer_property", "id", [library.id, 10**9])
    assert first == second
    assert (first["relation"], first["end"]) == (int(RelationType.RESPONSIBLE), end)
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "accounts.customer_changed"
    with pytest.raises(AssertionError, match="overlap"):
        lean_more.lean_relate(
            sql, attrs.evolve(lean, id=10**9 + 1), now=scale.NOW, actor=7
        )


def test_a_lean_relation_s_end_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """A relation ended (its end, its version moved by one) and one
    ``accounts.customer_changed``, from either; an end before the start
    refused."""
    for pid in (500, 501):
        add_property(gsan, pid, 1)
    who = lean_more.customer(gsan, sql, "ANA")
    start, end = lean_more.RELATED
    library, lean = (
        gsan.accounts.relate(
            actor=7,
            customer_id=who,
            property_id=pid,
            relation=RelationType.RESPONSIBLE,
            start=start,
        )
        for pid in (500, 501)
    )
    with pytest.raises(AssertionError, match="period"):
        lean_more.lean_end_relation(sql, lean.id, end=start, now=scale.NOW, actor=7)
    gsan.accounts.end_relation(actor=7, relation_id=library.id, end=end)
    ended = lean_more.lean_end_relation(sql, lean.id, end=end, now=scale.NOW, actor=7)
    assert (ended.end, ended.version) == (end, 2)
    first, second = _rows(sql, "customer_property", "id", [library.id, lean.id])
    assert first == second
    assert (first["end"], first["version"]) == (end, 2)
    one, two = lean_rows.outbox(sql, 2, without=KEYS)
    assert one == two
    assert one["tag"] == "accounts.customer_changed"
