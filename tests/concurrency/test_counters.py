"""Gap-free counters under concurrent takers: manual request numbers (NUM-03)
and outbox ids in commit order, with a consumer reading while two processes
write."""

from __future__ import annotations

import time

import gsan_core
from gsan_core.model.outbox import OutboxEntry
from gsan_core.testing.request_utility import build_request_utility, request_profile
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, Outcome, attempt, race
from tests.concurrency.test_pairs import attempts, losers_got_library_errors

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
