"""Gap-free counters under concurrent takers: manual request numbers (NUM-03)
and outbox ids in commit order, with a consumer reading while two processes
write."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import gsan_core
from gsan_core.model.catalog import CatalogItemAdded
from gsan_core.model.outbox import OutboxEntry
from gsan_core.testing.request_utility import build_request_utility, request_profile
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, Outcome, attempt, race
from tests.concurrency.test_pairs import attempts, losers_got_library_errors

AT = datetime(2026, 1, 5, 12, tzinfo=UTC)
REQUESTERS = 4
BLOCKS = 3
QUANTITY = 30


def _take_blocks(system: gsan_core.System, unit: int, actor: int) -> list[Attempt]:
    def take() -> tuple[int, int]:
        block, _ = system.service_requests.generate_manual_numbers(
            unit_id=unit, quantity=QUANTITY, actor=actor
        )
        return block.first_number, block.last_number

    return [attempt(take) for _ in range(BLOCKS)]


def test_num_03_concurrent_requesters_get_contiguous_blocks(
    database: Database,
) -> None:
    """NUM-03: four processes asking three times each for 30 numbers at once get
    twelve blocks that tile 1..360 with no gap and no overlap."""
    system, shared = database.make(request_profile())
    utility = build_request_utility(system)

    tried = attempts(
        race(_take_blocks, [(shared, utility.call_centre, utility.admin)] * REQUESTERS)
    )

    losers_got_library_errors(tried)
    assert all(a.ok for a in tried), tried
    blocks = sorted(a.value for a in tried)
    assert blocks == [
        (1 + QUANTITY * n, QUANTITY * (n + 1)) for n in range(REQUESTERS * BLOCKS)
    ]
    with system.uow_factory() as uow:
        stored = sorted(
            (b.first_number, b.last_number) for b in uow.manual_number_blocks.find_by()
        )
    assert stored == blocks


# ---------------------------------------------------------------- the outbox
WRITES = 40


def _write(system: gsan_core.System, kind: str) -> int:
    for n in range(WRITES):
        system.catalog.add(kind, description=f"NOVO {n}", actor=1)
    return WRITES


def _consume(system: gsan_core.System, start: int, expected: int) -> list[int]:
    """Page by id from ``start`` while the writers write, like a consumer that
    keeps its position, until ``expected`` entries came (or half a minute)."""
    seen: list[int] = []
    position = start
    deadline = time.monotonic() + 30
    while len(seen) < expected and time.monotonic() < deadline:
        page: list[OutboxEntry] = list(system.outbox.after(position, limit=7))
        if page:
            seen.extend(e.id for e in page)
            position = page[-1].id
        else:
            time.sleep(0.005)
    return seen


def _role(system: gsan_core.System, role: str, start: int) -> int | list[int]:
    if role == "consumer":
        return _consume(system, start, expected=2 * WRITES)
    return _write(system, role)


def test_outbox_ids_follow_commit_order_for_a_consumer_paging_by_id(
    database: Database,
) -> None:
    """Two processes write (each command one outbox event) while a third pages
    the outbox by id, keeping its last position: it sees every event, once and
    in order, because ids are gap-free and given in commit order."""
    system, shared = database.make()
    start = max((e.id for e in system.outbox.after(0, limit=10_000)), default=0)

    outcomes: list[Outcome] = race(
        _role,
        [
            (shared, "consumer", start),
            (shared, "cut_reason", start),
            (shared, "reactivation_reason", start),
        ],
    )

    assert all(o.ok for o in outcomes), outcomes
    seen = outcomes[0].value
    written = [e.id for e in system.outbox.after(start, limit=10_000)]
    assert len(written) == 2 * WRITES
    assert seen == written  # nothing skipped, nothing twice, in order
    assert written == list(range(start + 1, start + 1 + 2 * WRITES))  # no gaps


# ------------------------------------- several events a commit, a new counter
COMMITS = 15


def _commit_events(system: gsan_core.System, writer: str) -> int:
    """``COMMITS`` units of work, the n-th recording ``1 + n % 4`` events of
    kind ``writer`` numbered ``n * 10 + j``, in that order."""
    written = 0
    for n in range(COMMITS):
        with system.uow_factory() as uow:
            uow.record(
                *(
                    CatalogItemAdded(
                        occurred_at=AT, actor=1, kind=writer, item_id=n * 10 + j
                    )
                    for j in range(1 + n % 4)
                )
            )
            uow.commit()
        written += 1 + n % 4
    return written


def _events_role(system: gsan_core.System, role: str, start: int) -> int | list[int]:
    if role == "consumer":
        total = 3 * sum(1 + n % 4 for n in range(COMMITS))
        return _consume(system, start, expected=total)
    return _commit_events(system, role)


def test_outbox_rows_of_concurrent_multi_event_commits_are_whole_and_in_order(
    database: Database,
) -> None:
    """Three processes commit one to four events at a time (on PostgreSQL the
    outbox counter's upsert and the rows are one statement) while a fourth
    pages the outbox by id: the ids are gap-free, each commit's events have
    consecutive ids in the order they were recorded, and the consumer sees
    every entry once and in order (ids follow commit order)."""
    system, shared = database.make()
    start = max((e.id for e in system.outbox.after(0, limit=10_000)), default=0)

    outcomes = race(
        _events_role,
        [(shared, "consumer", start)] + [(shared, f"w{i}", start) for i in range(3)],
    )

    assert all(o.ok for o in outcomes), outcomes
    entries = list(system.outbox.after(start, limit=10_000))
    written = [e.id for e in entries]
    assert len(written) == sum(o.value for o in outcomes[1:])
    assert written == list(range(start + 1, start + 1 + len(written)))  # no gaps
    assert outcomes[0].value == written  # nothing skipped, nothing twice
    commits: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for entry in entries:
        event = entry.event
        assert isinstance(event, CatalogItemAdded)
        commits.setdefault((event.kind, event.item_id // 10), []).append(
            (entry.id, event.item_id % 10)
        )
    assert len(commits) == 3 * COMMITS
    for (_, n), rows in commits.items():
        ids = [i for i, _ in rows]
        assert ids == list(range(ids[0], ids[0] + 1 + n % 4))  # one block
        assert [j for _, j in rows] == list(range(1 + n % 4))  # in order


def _take_fresh(system: gsan_core.System) -> list[tuple[int, int]]:
    taken: list[tuple[int, int]] = []
    for _ in range(BLOCKS):
        with system.uow_factory() as uow:
            numbers = uow.take_numbers("fresh", QUANTITY)
            uow.commit()
        taken.append((numbers[0], numbers[-1]))
    return taken


def test_a_counter_made_by_its_first_takers_at_once_gives_no_number_twice(
    database: Database,
) -> None:
    """A counter that does not exist yet, taken by four processes at once: one
    upsert makes it (the others wait on its key, then move it), and the
    blocks tile 1..360 with no gap and no overlap."""
    system, shared = database.make()

    outcomes = race(_take_fresh, [(shared,)] * REQUESTERS)

    assert all(o.ok for o in outcomes), outcomes
    blocks = sorted(b for o in outcomes for b in o.value)
    assert blocks == [
        (1 + QUANTITY * n, QUANTITY * (n + 1)) for n in range(REQUESTERS * BLOCKS)
    ]
    with system.uow_factory() as uow:  # and the counter stands after them
        assert list(uow.take_numbers("fresh", 1)) == [QUANTITY * len(blocks) + 1]
