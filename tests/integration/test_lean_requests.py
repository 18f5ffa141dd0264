"""The lean "check an RA's opening" and "relay a batch of the outbox"
(``benchmarks.lean_requests``, issue 20) agree with the library: the check
accepts and refuses the same openings and writes nothing either way; the
relay hands on the oldest pending entries and acknowledges them as the
library does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from benchmarks import lean_requests

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_requests import OpenRequest, Requester, RequestLocation
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    GROUP_WATER,
    build_request_utility,
)
from tests.integration.budgets import budget_system

SPECIFICATION = 679  # VAZAMENTO NO RAMAL: urgent, automatic OS
ANA = (Requester(name="ANA", address="RUA 1"),)


def _counts(sql: SqlBackend) -> dict[str, Any]:
    """The rows an opening would write, counted, and the outbox's last id."""
    t = sql.tables
    with sql.engine.connect() as connection:
        return {
            name: connection.execute(
                sa.select(sa.func.count()).select_from(t[name])
            ).scalar_one()
            for name in (
                "service_request",
                "routing_step",
                "service_order",
                "order_unit",
                "outbox",
            )
        }


def test_the_lean_check_accepts_and_refuses_what_the_library_does(
    sql_backend: SqlBackend,
) -> None:
    system = budget_system(sql_backend)
    utility = build_request_utility(system, properties=4, actor=0)
    homes = [p.id for p in utility.town.properties]
    attendant = utility.attendant

    def library(home: int) -> bool:
        violations, _ = system.service_requests.check_open(
            OpenRequest(
                specification_id=SPECIFICATION,
                unit_id=utility.call_centre,
                channel_id=CHANNEL_PHONE,
                location=RequestLocation(property_id=home),
                requesters=ANA,
            ),
            actor=attendant,
        )
        return not violations

    def lean(home: int) -> bool:
        return lean_requests.lean_check_open(
            sql_backend,
            specification_id=SPECIFICATION,
            channel_id=CHANNEL_PHONE,
            group_id=GROUP_WATER,
            call_centre=utility.call_centre,
            attendant=attendant,
            property_id=home,
        )

    # INS-09: a pending RA of the specification on the property refuses it
    system.service_requests.open(
        specification_id=SPECIFICATION,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        actor=attendant,
        location=RequestLocation(property_id=homes[0]),
        requesters=ANA,
    )
    before = _counts(sql_backend)
    assert [library(h) for h in homes[:3]] == [False, True, True]
    assert [lean(h) for h in homes[:3]] == [False, True, True]
    assert _counts(sql_backend) == before  # neither wrote anything


def _published(sql: SqlBackend) -> list[tuple[int, Any]]:
    outbox = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        return [
            (row.id, row.published_at)
            for row in connection.execute(
                sa.select(outbox.c.id, outbox.c.published_at).order_by(outbox.c.id)
            )
        ]


def test_the_lean_relay_hands_on_and_acknowledges_what_the_library_does(
    sql_backend: SqlBackend,
) -> None:
    system: gsan_core.System = budget_system(sql_backend)
    system.outbox.relay(lambda batch: None)  # the seeding's entries
    utility = build_request_utility(system, properties=8, actor=0)
    system.outbox.relay(lambda batch: None)
    for home in utility.town.properties[:4]:  # 3 entries each
        system.service_requests.open(
            specification_id=SPECIFICATION,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=home.id),
            requesters=ANA,
        )
    system.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    pending = [e.id for e in system.outbox.pending(100)]
    assert len(pending) == 12
    handed: list[list[int]] = []

    def keep(batch: Sequence[Any]) -> None:
        handed.append([entry.id for entry in batch])

    run = system.outbox.relay(keep, batch_size=5, max_batches=1)
    assert run.entries == 5
    now = system.clock.now()
    assert lean_requests.lean_relay(sql_backend, keep, batch_size=5, now=now) == 5
    assert handed == [pending[:5], pending[5:10]]
    published = dict(_published(sql_backend))
    assert {published[i] for i in pending[:10]} == {now}  # the same stamp
    assert [published[i] for i in pending[10:]] == [None, None]
    assert [e.id for e in system.outbox.pending(100)] == pending[10:]
