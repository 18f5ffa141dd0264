"""The lean "check an RA's opening", "relay a batch of the outbox" and
"generate a cut order" (``benchmarks.lean_requests``, issue 20) agree with the
library: the check accepts and refuses the same openings and writes nothing
either way; the relay hands on the oldest pending entries and acknowledges
them as the library does; the cut order leaves the library's rows (the order,
its unit trail, the outbox row), its own ids left out."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import lean_requests

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.service_requests import OpenRequest, Requester, RequestLocation
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    GROUP_WATER,
    build_request_utility,
)
from gsan_core.testing.town import load_town, small_town
from tests.integration.budgets import budget_system
from tests.integration.test_lean_orders import Rows
from tests.services.orders_support import (
    ACTOR,
    CUT_ORDER,
    TEST_TYPES,
    orders_profile,
)

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


#: Keys that name the property or a row of its own.
OWN = {"id", "order_id", "property_id"}


def _plain(row: Any) -> dict[str, Any]:
    found = {k: v for k, v in dict(row).items() if k not in OWN}
    if isinstance(found.get("payload"), dict):
        found["payload"] = {k: v for k, v in found["payload"].items() if k not in OWN}
    return found


def _cut_rows(sql: SqlBackend, property_id: int, after: int) -> dict[str, Any]:
    """The property's orders, their unit trail and the outbox rows after
    ``after``, their own ids left out."""
    t = sql.tables
    order, trail, outbox = t["service_order"], t["order_unit"], t["outbox"]
    mine = sa.select(order.c.id).where(order.c.property_id == property_id)
    with sql.engine.connect() as connection:

        def rows(statement: Any) -> list[dict[str, Any]]:
            return [_plain(r) for r in connection.execute(statement).mappings()]

        return {
            "orders": rows(sa.select(order).where(order.c.property_id == property_id)),
            "trail": rows(sa.select(trail).where(trail.c.order_id.in_(mine))),
            "outbox": rows(
                sa.select(outbox).where(outbox.c.id > after).order_by(outbox.c.id)
            ),
        }


@pytest.mark.postgres
def test_the_lean_cut_order_leaves_the_library_s_rows(sql: SqlBackend) -> None:
    # the lean version's one write is data-modifying CTEs: PostgreSQL's
    sql_backend = sql
    clock = FixedClock()
    system = gsan_core.System(
        uow_factory=sql_backend.uow_factory,
        backend=sql_backend,
        profile=orders_profile(),
        clock=clock,
        keep_events=False,
    )
    system.seed()
    system.service_orders.add_types(
        [t for t in TEST_TYPES if t.id == CUT_ORDER], actor=0
    )
    town = small_town(properties=4)
    load_town(system, town)
    # two connected properties (GEN-12), each with an unpaid bill (GEN-14)
    connected = [
        attrs.evolve(p, id=8_000_001 + n, water_status_id=3)
        for n, p in enumerate(town.properties[:2])
    ]
    for prop in connected:
        system.properties.register(prop, actor=0)
    mine, theirs = (p.id for p in connected)
    system.billing.record_debts(
        OpenDebt(
            id=70 + n,
            property_id=home,
            kind=DebtKind.BILL,
            amount=Decimal("45.50"),
            due_date=date(2024, 12, 10),
            reference=202411,
        )
        for n, home in enumerate((mine, theirs))
    )
    profile = system.profile
    cut_types = profile.ids("service_type.cut_order")
    statuses = profile.ids("water_status.connected") | profile.ids(
        "water_status.under_inspection"
    )
    last = _last_outbox(sql_backend)
    result = system.service_orders.generate_cut_order(property_id=mine, actor=ACTOR)
    assert result.generated
    lean_requests.lean_generate_cut_order(
        sql_backend,
        theirs,
        type_id=min(cut_types),
        blocking=cut_types | profile.ids("service_type.cut"),
        water_statuses=statuses,
        actor=ACTOR,
        ids=itertools.count(9_000_000_000),
        now=clock.now(),
    )
    library = _cut_rows(sql_backend, mine, last)
    lean = _cut_rows(sql_backend, theirs, _last_outbox(sql_backend) - 1)
    assert library["orders"]
    assert library["trail"]
    assert library["outbox"]
    library["outbox"] = library["outbox"][:1]
    assert lean == library


def _last_outbox(sql: SqlBackend) -> int:
    outbox = sql.tables["outbox"]
    with sql.engine.connect() as connection:
        return int(
            connection.execute(sa.select(sa.func.max(outbox.c.id))).scalar() or 0
        )


#: Keys of the reactivation's rows that name its own RAs (ids aside).
THEIRS = {"reactivation_of_id", "previous_id"}


def _without(found: Any) -> Any:
    """``found`` (rows of ``test_lean_orders.Rows``) without :data:`THEIRS`."""
    if isinstance(found, dict):
        return {k: _without(v) for k, v in found.items() if k not in THEIRS}
    if isinstance(found, list):
        return [_without(v) for v in found]
    return found


@pytest.mark.postgres
def test_the_lean_reactivation_leaves_the_library_s_rows(sql: SqlBackend) -> None:
    # the lean version's one write is data-modifying CTEs: PostgreSQL's
    sql_backend = sql
    system = budget_system(sql_backend)
    utility = build_request_utility(system, properties=4, actor=0)
    attendant = utility.attendant
    closed = []
    for home in utility.town.properties[:2]:
        opened = system.service_requests.open(
            specification_id=SPECIFICATION,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=attendant,
            location=RequestLocation(property_id=home.id),
            requesters=ANA,
        )
        closed.append(opened.request.id)
    system.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    for request_id in closed:
        system.service_requests.close(
            request_id=request_id, reason_id=4, actor=attendant
        )
    system.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    rows = Rows(sql_backend)
    mine = system.service_requests.reactivate(
        request_id=closed[0],
        reason_id=1,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        actor=attendant,
    ).request.id
    library = rows.of(mine)
    theirs = lean_requests.lean_reactivate(
        sql_backend,
        closed[1],
        reason_id=1,
        unit_id=utility.call_centre,
        channel_id=CHANNEL_PHONE,
        group_id=GROUP_WATER,
        actor=attendant,
        ids=itertools.count(9_000_000_000),
        now=system.clock.now(),
        zone=ZoneInfo(system.profile.timezone),
    )
    lean = rows.of(theirs)
    assert library["request"]
    assert library["orders"]
    assert library["outbox"]
    assert _without(lean) == _without(library)
