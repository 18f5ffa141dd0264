"""Joining the host's transaction, and the outbox written with the work."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.errors import RuleViolation
from gsan_core.model.catalog import CatalogItemAdded, CatalogItemChanged
from gsan_core.model.events import DomainEvent
from gsan_core.model.service_requests import ServiceRequestClosed
from gsan_core.testing import DEFAULT_NOW, FixedClock


def outbox(backend: SqlBackend) -> list[sa.RowMapping]:
    table = backend.tables["outbox"]
    with backend.engine.connect() as connection:
        return list(
            connection.execute(sa.select(table).order_by(table.c.id)).mappings()
        )


def cut_reasons(backend: SqlBackend) -> list[str]:
    table = backend.tables["catalog_item"]
    with backend.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(table.c.description)
                .where(table.c.kind == "cut_reason")
                .order_by(table.c.id)
            ).scalars()
        )


# ---------------------------------------------------------------- outbox
def test_outbox_rows_for_committed_work_only(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    seeded = outbox(sql_backend)
    loaded = sql_system.loaded_profile
    assert len(seeded) == loaded.row_count
    item = sql_system.catalog.add("cut_reason", description="NOVO", actor=31)
    with pytest.raises(RuleViolation):
        sql_system.catalog.add("cut_reason", description="", actor=32)
    with sql_system.uow_factory() as uow:  # recorded but never committed
        uow.record(
            CatalogItemAdded(occurred_at=DEFAULT_NOW, actor=33, kind="x", item_id=1)
        )
    rows = outbox(sql_backend)[len(seeded) :]
    assert len(rows) == 1
    (row,) = rows
    assert (row["tag"], row["actor"], row["published_at"]) == (
        "catalog.item_added",
        31,
        None,
    )
    assert row["occurred_at"] == DEFAULT_NOW
    assert serialization.from_dict(dict(row["payload"])) == CatalogItemAdded(
        occurred_at=DEFAULT_NOW, actor=31, kind="cut_reason", item_id=item.id
    )
    ids = [r["id"] for r in outbox(sql_backend)]
    assert ids == sorted(set(ids))


def test_a_batch_of_events_is_written_whole_and_in_order(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    """A unit of work's many events (a batch chunk's: one INSERT of a JSON array
    on PostgreSQL) come back as they were recorded, in id order."""
    seeded = len(outbox(sql_backend))
    events = [
        CatalogItemAdded(
            occurred_at=DEFAULT_NOW, actor=40 + n, kind="cut_reason 'é\"", item_id=n
        )
        for n in range(45)
    ]
    with sql_system.uow_factory() as uow:
        uow.record(*events)
        uow.commit()
    rows = outbox(sql_backend)[seeded:]
    assert [serialization.from_dict(dict(r["payload"])) for r in rows] == events
    assert [(r["tag"], r["actor"], r["occurred_at"]) for r in rows] == [
        ("catalog.item_added", e.actor, DEFAULT_NOW) for e in events
    ]
    assert all(r["published_at"] is None for r in rows)


def test_a_batch_of_mixed_events_keeps_each_tag_instant_actor_and_payload(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    """Issue 20: the many-event path reads the tag, the instant and the actor
    from each payload (PostgreSQL): events of several types, instants and
    offsets come back as recorded."""
    seeded = len(outbox(sql_backend))
    later = DEFAULT_NOW.astimezone(timezone(timedelta(hours=-3))) + timedelta(
        minutes=5, microseconds=7
    )
    events: list[DomainEvent] = []
    for n in range(30):
        at = later if n % 3 else DEFAULT_NOW
        events.append(
            CatalogItemAdded(occurred_at=at, actor=n, kind="cut_reason", item_id=n)
            if n % 2
            else ServiceRequestClosed(
                occurred_at=at,
                actor=n,
                request_id=n,
                closing_reason_id=32,
                executed=False,
                closed_at=later,
                command_id=n if n % 4 else None,
            )
        )
    with sql_system.uow_factory() as uow:
        uow.record(*events)
        uow.commit()
    rows = outbox(sql_backend)[seeded:]
    assert [dict(r["payload"]) for r in rows] == [
        serialization.to_dict(e) for e in events
    ]
    assert [(r["tag"], r["actor"], r["occurred_at"]) for r in rows] == [
        (type(e).tag, e.actor, e.occurred_at) for e in events
    ]
    ids = [r["id"] for r in rows]
    assert ids == list(range(ids[0], ids[0] + len(events)))


def test_outbox_can_be_turned_off(sql_backend: SqlBackend) -> None:
    quiet = SqlBackend(sql_backend.engine, tables=sql_backend.tables, outbox=False)
    system = gsan_core.System(uow_factory=quiet.uow_factory, clock=FixedClock())
    assert system.seed() > 0
    assert outbox(sql_backend) == []
    loaded = system.loaded_profile
    assert len(system.events) == loaded.row_count


# ---------------------------------------------------------------- joining
def test_host_commit_keeps_the_library_work(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    before = len(outbox(sql_backend))
    received: list[object] = []
    sql_system.subscribe(received.extend)
    with sql_backend.engine.connect() as connection, connection.begin():
        inside = sql_system.joining(connection)
        assert inside.profile is sql_system.profile
        inside.catalog.add("cut_reason", description="DO HOST", actor=7)
        connection.execute(
            sa.update(sql_backend.tables["catalog_item"])
            .where(sql_backend.tables["catalog_item"].c.kind == "cut_reason")
            .where(sql_backend.tables["catalog_item"].c.id == 1)
            .values(abbreviation="HOST")
        )
        assert "DO HOST" not in cut_reasons(sql_backend)  # not committed yet
        assert inside.events == ()
    assert cut_reasons(sql_backend)[-1] == "DO HOST"
    assert sql_system.catalog.get("cut_reason", 1).abbreviation == "HOST"
    rows = outbox(sql_backend)[before:]
    assert [(r["tag"], r["actor"]) for r in rows] == [("catalog.item_added", 7)]
    assert received == []  # the host delivers joined events from the outbox


def test_host_rollback_discards_the_library_work(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    before_rows = len(outbox(sql_backend))
    before = cut_reasons(sql_backend)
    with sql_backend.engine.connect() as connection, connection.begin() as transaction:
        inside = sql_system.joining(connection)
        inside.catalog.add("cut_reason", description="DESCARTADO", actor=7)
        inside.catalog.update(
            "cut_reason", 1, expected_version=1, description="TAMBEM", actor=7
        )
        transaction.rollback()
    assert cut_reasons(sql_backend) == before
    assert len(outbox(sql_backend)) == before_rows


def test_refused_library_work_leaves_the_host_transaction_usable(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    with sql_backend.engine.connect() as connection, connection.begin():
        inside = sql_system.joining(connection)
        inside.catalog.add("cut_reason", description="PRIMEIRO", actor=1)
        with pytest.raises(RuleViolation):
            inside.catalog.add("cut_reason", description="primeiro", actor=1)
        inside.catalog.update(
            "cut_reason", 1, expected_version=1, description="X", actor=2
        )
    assert cut_reasons(sql_backend)[0] == "X"
    assert cut_reasons(sql_backend)[-1] == "PRIMEIRO"
    tags = [r["tag"] for r in outbox(sql_backend)][-2:]
    assert tags == ["catalog.item_added", "catalog.item_changed"]
    event = serialization.from_dict(dict(outbox(sql_backend)[-1]["payload"]))
    assert isinstance(event, CatalogItemChanged)
    assert event.actor == 2


def test_library_work_without_commit_is_rolled_back_inside_the_host(
    sql_backend: SqlBackend,
) -> None:
    factory = sql_backend.joining
    with sql_backend.engine.connect() as connection, connection.begin():
        with factory(connection)() as uow:
            uow.catalog.add(
                gsan_core.model.catalog.CatalogItem(
                    kind="cut_reason", id=1, description="SEM COMMIT"
                )
            )
        with factory(connection)() as uow:
            assert uow.catalog.find("cut_reason", 1) is None
            uow.catalog.add(
                gsan_core.model.catalog.CatalogItem(
                    kind="cut_reason", id=2, description="COM COMMIT"
                )
            )
            uow.commit()
    assert cut_reasons(sql_backend) == ["COM COMMIT"]


def test_an_entry_of_an_unknown_event_keeps_its_payload(
    sql_system: gsan_core.System, sql_backend: SqlBackend
) -> None:
    """An event written by another version of the library (a tag this one does
    not know, or other fields) is handed on with its payload and no event."""
    sql_system.outbox.relay(lambda _: None, batch_size=1_000)
    start = max(r["id"] for r in outbox(sql_backend))
    table = sql_backend.tables["outbox"]
    with sql_backend.engine.begin() as connection:
        connection.execute(
            sa.insert(table),
            [
                {
                    "id": start + 1,
                    "tag": "future.thing_happened",
                    "occurred_at": sql_system.clock.now(),
                    "actor": 1,
                    "payload": {"type": "future.thing_happened", "x": 1},
                    "published_at": None,
                },
                {
                    "id": start + 2,
                    "tag": "catalog.item_added",
                    "occurred_at": sql_system.clock.now(),
                    "actor": 1,
                    "payload": {"type": "catalog.item_added", "renamed": 1},
                    "published_at": None,
                },
            ],
        )
    entries = sql_system.outbox.pending()
    assert [(e.tag, e.event) for e in entries] == [
        ("future.thing_happened", None),
        ("catalog.item_added", None),
    ]
    assert entries[0].payload["x"] == 1
