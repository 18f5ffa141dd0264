"""Delivering committed events: the outbox (``gsan.outbox``) and the in-process
sinks after commit, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import pytest

import gsan_core
from gsan_core.errors import BatchAlreadyRunning
from gsan_core.model.catalog import CatalogItemAdded
from gsan_core.model.events import DomainEvent
from gsan_core.model.outbox import OutboxEntry
from gsan_core.serialization import to_dict


def add_reasons(gsan: gsan_core.System, *names: str) -> list[int]:
    return [
        gsan.catalog.add("cut_reason", description=name, actor=5).id for name in names
    ]


def start_of(gsan: gsan_core.System) -> int:
    """The position after what is in the outbox now (the seeding's events)."""
    gsan.outbox.relay(lambda _: None, batch_size=1_000)
    return max((e.id for e in gsan.outbox.after(0, limit=100_000)), default=0)


# ---------------------------------------------------------------- sinks
class Exploding:
    def __init__(self) -> None:
        self.calls = 0

    def publish(self, events: Sequence[DomainEvent]) -> None:
        self.calls += 1
        raise RuntimeError("the message broker is down")


def test_a_sink_that_raises_after_commit_does_not_fail_the_command(
    system: gsan_core.System, caplog: pytest.LogCaptureFixture
) -> None:
    """The work is committed and its events are in the outbox: the caller gets
    its result (so it does not retry and add a second row), the failure is
    logged on ``gsan_core``, and the next sink still gets the events."""
    start = start_of(system)
    exploding = Exploding()
    received: list[DomainEvent] = []
    system.subscribe(exploding)
    system.subscribe(received.extend)
    with caplog.at_level(logging.ERROR, logger="gsan_core"):
        item = system.catalog.add("cut_reason", description="SINK CAIU", actor=5)
    assert exploding.calls == 1
    assert [type(e) for e in received] == [CatalogItemAdded]
    descriptions = [i.description for i in system.catalog.list("cut_reason")]
    assert descriptions.count("SINK CAIU") == 1
    (entry,) = system.outbox.after(start)
    assert entry.event == received[0]
    assert entry.event.item_id == item.id  # type: ignore[union-attr]
    (record,) = [r for r in caplog.records if r.name == "gsan_core"]
    assert record.levelno == logging.ERROR
    assert "after commit" in record.getMessage()
    assert record.exc_info is not None


# ---------------------------------------------------------------- the outbox
def test_entries_in_commit_order_with_their_payload(system: gsan_core.System) -> None:
    start = start_of(system)
    ids = add_reasons(system, "PRIMEIRO", "SEGUNDO", "TERCEIRO")
    entries = system.outbox.after(start)
    assert [e.id for e in entries] == [start + 1, start + 2, start + 3]
    assert [e.event.item_id for e in entries] == ids  # type: ignore[union-attr]
    for entry in entries:
        assert isinstance(entry, OutboxEntry)
        assert entry.tag == "catalog.item_added"
        assert entry.actor == 5
        assert entry.event is not None
        assert dict(entry.payload) == to_dict(entry.event)
        assert not entry.published
    assert system.outbox.after(start + 1, limit=1)[0].id == start + 2


def test_pending_until_acknowledged(system: gsan_core.System) -> None:
    start_of(system)
    add_reasons(system, "A", "B", "C")
    first = system.outbox.pending(2)
    assert len(first) == 2
    assert system.outbox.ack(e.id for e in first) == 2
    assert system.outbox.ack([first[0].id]) == 0  # twice is harmless
    assert system.outbox.ack([]) == 0
    (rest,) = system.outbox.pending()
    assert rest.id == first[-1].id + 1
    acknowledged = system.outbox.after(first[0].id - 1, limit=1)[0]
    assert acknowledged.published_at == system.clock.now()


def test_the_relay_hands_batches_on_in_order_at_least_once(
    system: gsan_core.System,
) -> None:
    start_of(system)
    add_reasons(system, *(f"MOTIVO {n}" for n in range(5)))
    handed: list[list[int]] = []

    def flaky(batch: Sequence[OutboxEntry]) -> None:
        handed.append([e.id for e in batch])
        if len(handed) == 2:
            raise ConnectionError("broker unreachable")

    with pytest.raises(ConnectionError):
        system.outbox.relay(flaky, batch_size=2)
    # the first batch was acknowledged, the failed one stays pending
    assert [e.id for e in system.outbox.pending()] == handed[1] + [handed[1][-1] + 1]
    run = system.outbox.relay(lambda batch: handed.append([e.id for e in batch]))
    assert (run.batches, run.entries) == (1, 3)
    assert handed[2] == handed[1] + [handed[1][-1] + 1]  # handed on again
    assert run.last_id == handed[2][-1]
    assert system.outbox.pending() == []
    assert system.outbox.relay(lambda _: None).entries == 0
    with pytest.raises(gsan_core.RuleViolation) as refused:
        system.outbox.relay(lambda _: None, batch_size=0)
    assert refused.value.code == "input.invalid.batch_size"


def test_the_relay_stops_after_max_batches(system: gsan_core.System) -> None:
    start_of(system)
    add_reasons(system, "X", "Y", "Z")
    run = system.outbox.relay(lambda _: None, batch_size=1, max_batches=2)
    assert (run.batches, run.entries) == (2, 2)
    assert len(system.outbox.pending()) == 1


def test_one_relay_at_a_time(system: gsan_core.System) -> None:
    start_of(system)
    add_reasons(system, "UM")

    def nested(_: Sequence[OutboxEntry]) -> None:
        system.outbox.relay(lambda _: None)

    with pytest.raises(BatchAlreadyRunning, match="outbox relay"):
        system.outbox.relay(nested)
    assert len(system.outbox.pending()) == 1
