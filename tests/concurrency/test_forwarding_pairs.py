"""A joint forwarding (UC0503) racing the updates of the orders it moves
(``docs/concurrency.md``).

On PostgreSQL a joint forwarding keeps the requests it locked and the orders
it read as read, and its deferred compare-and-set updates set only what
changed (the unit and the version, issue 20). An order updated by another
process between the forwarding's read and its write must then neither be
overwritten by the forwarding nor lose the forwarding's move: one of the two
fails with a library error, or both pass one after the other.
"""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

import gsan_core
from gsan_core.testing.request_utility import request_profile
from tests.concurrency.conftest import Database
from tests.concurrency.support import CONTEXT, Attempt, in_step, race
from tests.concurrency.test_pairs import (
    attempts,
    losers_got_library_errors,
    open_requests,
)

SPECIFICATION = 679  # VAZAMENTO NO RAMAL: an automatic OS with each RA
NOTE = "VISTORIA MARCADA"


def _forward_or_note(
    system: gsan_core.System,
    role: str,
    work: list[list[int]],
    unit: int,
    actor: int,
    step: Barrier,
) -> list[Attempt]:
    """In step with the other process: forward each pair of requests of
    ``work`` together to ``unit`` (``role`` "forward"), or note an
    observation on the order of each (one-item) entry, at the version read
    before the race (``role`` "note")."""

    def act(items: list[int]) -> object:
        if role == "forward":
            moved = system.service_requests.forward_many(
                request_ids=items, destination_unit_id=unit, actor=actor
            )
            return [r.request.id for r in moved]
        (order_id,) = items
        return system.service_orders.update(
            order_id=order_id, expected_version=1, actor=actor, observation=NOTE
        ).version

    return [in_step(step, lambda i=items: act(i)) for items in work]  # type: ignore[misc]


def test_uc0503_a_joint_forwarding_racing_its_orders_updates(
    database: Database,
) -> None:
    """TRM-15 (a forwarding moves the request and all its orders) against
    UPD (an order's update, a compare-and-set on the version read): no order
    is left behind its request, and no observation written is lost."""
    system, shared = database.make(request_profile())
    utility, opened = open_requests(system, SPECIFICATION, 8)
    ids = [r.id for r in opened]
    origin = {r.id: r.current_unit_id for r in opened}
    orders = {}
    for request_id in ids:
        (order,) = system.service_orders.find_by(request_id=request_id)
        assert order.version == 1
        orders[request_id] = order.id
    pairs = [ids[k : k + 2] for k in range(0, len(ids), 2)]
    # the second order of each pair: the forwarding locks the first first
    noted = [orders[pair[1]] for pair in pairs]
    step = CONTEXT.Barrier(2)

    tried = attempts(
        race(
            _forward_or_note,
            [
                (shared, "forward", pairs, utility.office, utility.attendant, step),
                (shared, "note", [[o] for o in noted], 0, utility.admin, step),
            ],
        )
    )

    losers_got_library_errors(tried)
    forwarded, updated = tried[: len(pairs)], tried[len(pairs) :]
    for pair, moved, update in zip(pairs, forwarded, updated, strict=True):
        # the loser saw the winner's row: never both refused
        assert moved.ok or update.ok, (moved, update)
        for request_id in pair:
            request = system.service_requests.get(request_id)
            order = system.service_orders.get(orders[request_id])
            unit = utility.office if moved.ok else origin[request_id]
            assert request.current_unit_id == unit, request
            assert order.current_unit_id == unit, order
            wrote = update.ok and order.id == orders[pair[1]]
            assert (order.observation == NOTE) == wrote, order
            assert order.version == 1 + moved.ok + wrote, order
