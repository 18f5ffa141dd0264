"""Differential test of the set-based batches of issue 20: the RA batch closing
(UC0736, CMD-06/CMD-07) and the reconnection of cut properties with real
consumption (UC1073). The memory adapter runs the steps through the ports and
the pure rules; SQLite runs the same steps in SQL; PostgreSQL writes each
locality in one statement of data-modifying CTEs
(``adapters/sqlalchemy/request_closing.py``, ``water_batches.py``). On
Hypothesis-generated small utilities the three must close / reconnect the same
rows, skip the same, count the same and record the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gsan_core
from gsan_core.model.connections import ConnectionsChangedInBatch
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.service_orders import ServiceOrderClosed
from gsan_core.model.service_requests import (
    ClosingCommandExecuted,
    Requester,
    RequestLocation,
    ServiceRequestClosed,
)
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    build_request_utility,
    request_profile,
)
from tests.conftest import PostgresSchema
from tests.services.connections_setup import ACTOR, PPP_BLOCK, add_property, town
from tests.stateful.conftest import memory_copy, sqlite_system
from tests.templates import loaded

Maker = Callable[[], Any]


# ---------------------------------------------------------------- UC0736
@attrs.frozen
class Requests:
    """Requests opened on a small town and the command that closes them."""

    #: (property index, locality, specification) per request.
    opened: tuple[tuple[int, int, int], ...]
    #: 0: no filter, 1: the call centre as current unit, 2: the call centre as
    #: superior unit, 3: specifications 679 and 216 only.
    scope: int
    #: Requests closed one by one before the command (their indexes).
    closed_first: frozenset[int]


REQUESTS = st.builds(
    Requests,
    opened=st.lists(
        st.tuples(
            st.integers(0, 4), st.sampled_from([1, 2]), st.sampled_from([679, 3, 216])
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda r: (r[0], r[1]),  # one request per property (INS-09)
    ).map(tuple),
    scope=st.integers(0, 3),
    closed_first=st.frozensets(st.integers(0, 7), max_size=2),
)
ANA = (Requester(name="ANA", address="RUA 1"),)


def closing_outcome(system: gsan_core.System, shape: Requests) -> Any:
    """Open the requests, close some one by one, run the command twice: what
    each run did, the requests, orders, charges and events, as plain data."""
    utility = build_request_utility(system, properties=200, actor=0)
    homes: dict[int, list[int]] = {}
    for prop in utility.town.properties:
        homes.setdefault(prop.locality_id, []).append(prop.id)
    requests = []
    for index, (home, locality, specification) in enumerate(shape.opened):
        opened = system.service_requests.open(
            specification_id=specification,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=homes[locality][home]),
            requesters=ANA,
        )
        requests.append(opened.request.id)
        if index in shape.closed_first:
            system.service_requests.close(
                request_id=opened.request.id, reason_id=32, actor=utility.admin
            )
    system.clock.advance(timedelta(minutes=5))
    today = system.clock.today()
    filters: dict[str, Any] = [
        {},
        {"current_unit_id": utility.call_centre},
        {"superior_unit_id": utility.call_centre},
        {"specification_ids": [679, 216]},
    ][shape.scope]
    command = system.service_requests.issue_closing_command(
        period_start=today,
        period_end=today,
        reason_id=32,
        responsible_id=utility.attendant,
        actor=utility.attendant,
        **filters,
    )
    runs = []
    for _ in range(2):
        summary = system.service_requests.execute_closing_command(
            command_id=command.id, actor=utility.admin
        )
        runs.append((summary.units, summary.processed, summary.changed))
    final = system.service_requests.closing_command(command.id)
    rows = [
        (
            r.id,
            r.situation,
            r.closing_reason_id,
            r.closing_remark,
            r.closing_unit_id,
            r.closed_by,
            r.version,
        )
        for r in (system.service_requests.get(i) for i in requests)
    ]
    orders = sorted(
        (o.id, o.request_id, o.situation, o.closing_reason_id, o.version)
        for o in system.service_orders.find_by()
    )
    charges = sorted(
        (c.service_request_id, c.debit_type_id, str(c.total), c.installments)
        for home in {p for ps in homes.values() for p in ps[:5]}
        for c in system.billing.charges(home)
    )
    events = [
        (type(e).__name__, getattr(e, "request_id", None), getattr(e, "order_id", 0))
        for e in system.events
        if isinstance(
            e, ServiceRequestClosed | ServiceOrderClosed | ClosingCommandExecuted
        )
    ]
    counters = (final.closed_requests, final.closed_orders, final.executed)
    return runs, rows, orders, charges, sorted(events, key=repr), counters


# ---------------------------------------------------------------- UC1073
@attrs.frozen
class Cuts:
    """Cut (and other) properties with their consumption of the reference."""

    #: (water situation, sewer situation, PPP locality, cut day (of
    #: ``CUT_DAYS``), social tariff,
    #: consumption: 0 none, 1 real billed, 2 real billed zero, 3 average).
    properties: tuple[tuple[int, int, bool, int, bool, int], ...]


#: Cut days around UC1073's age limit for the reference 2024-12.
CUT_DAYS = (
    date(2024, 10, 5),
    date(2024, 11, 15),
    date(2024, 11, 30),
    date(2024, 12, 20),
)
CUTS = st.builds(
    Cuts,
    properties=st.lists(
        st.tuples(
            st.sampled_from([5, 5, 5, 3, 4]),
            st.sampled_from([1, 3, 5]),
            st.booleans(),
            st.integers(0, len(CUT_DAYS) - 1),
            st.booleans(),
            st.integers(0, 3),
        ),
        min_size=1,
        max_size=12,
    ).map(tuple),
)


def reconnection_outcome(system: gsan_core.System, shape: Cuts) -> Any:
    """Load the properties, run UC1073 twice: the runs, the situations, the
    connections, the history and the events, as plain data."""
    gsan = town(system)
    records = []
    for n, (water, sewer, ppp, day, social, kind) in enumerate(shape.properties):
        pid = 100 + n
        changes: dict[str, Any] = {"profile_id": 4} if social else {}
        add_property(
            gsan,
            pid,
            water,
            sewer,
            block=PPP_BLOCK if ppp else 1,
            water_changes={"cut_on": CUT_DAYS[day]},
            **changes,
        )
        if kind:
            records.append(
                ConsumptionRecord(
                    property_id=pid,
                    reference=202412,
                    consumption_type_id=3 if kind == 3 else 1,
                    billed_volume=0 if kind == 2 else 9,
                )
            )
    if records:
        gsan.billing.record_consumption(records)
    runs = []
    for _ in range(2):
        summary = gsan.connections.reconnect_cut_with_real_consumption(
            reference=202412, actor=ACTOR
        )
        runs.append(
            (summary.units, summary.processed, summary.changed, dict(summary.skipped))
        )
    ids = [100 + n for n in range(len(shape.properties))]
    situations = [
        (p.id, p.water_status_id, p.sewer_status_id, p.version)
        for p in (gsan.properties.get(i) for i in ids)
    ]
    connections = [
        (w.id, w.reconnected_on, w.version)
        for w in (gsan.connections.water_connection(i) for i in ids)
        if w is not None
    ]
    history = [
        (h.property_id, h.kind, h.before_id, h.after_id, h.effective_on, h.operation)
        for i in ids
        for h in gsan.connections.history(i)
    ]
    events = [
        (e.locality_id, e.count, e.reference, e.operation)
        for e in gsan.events
        if isinstance(e, ConnectionsChangedInBatch)
    ]
    return runs, situations, connections, history, events


# ---------------------------------------------------------------- backends
def agree(run: Callable[[gsan_core.System], Any], makers: dict[str, Maker]) -> None:
    found = {}
    for name, make in makers.items():
        with make() as system:
            found[name] = run(system)
    reference = found["memory"]
    for name, mine in found.items():
        for part, (theirs, ours) in enumerate(zip(reference, mine, strict=True)):
            assert ours == theirs, (name, part)


def makers(profile: Any, pg: PostgresSchema | None) -> dict[str, Maker]:
    @contextmanager
    def memory() -> Iterator[gsan_core.System]:
        # a copy of the profile's seeded store, not a seeding per example
        yield memory_copy("gsan_default" if profile is None else profile)

    @contextmanager
    def sqlite() -> Iterator[gsan_core.System]:
        base = sqlite_system()
        try:
            yield _profiled(base, profile)
        finally:
            base.close()

    @contextmanager
    def postgres() -> Iterator[gsan_core.System]:
        assert pg is not None
        # a copy of the profile's seeded template, not a seeding per example
        backend = pg.reset("gsan_default" if profile is None else profile)
        yield gsan_core.System(
            uow_factory=backend.uow_factory,
            backend=backend,
            clock=FixedClock(),
            profile=loaded("gsan_default" if profile is None else profile),
        )

    found: dict[str, Maker] = {"memory": memory, "sqlite": sqlite}
    if pg is not None:
        found["postgres"] = postgres
    return found


def _profiled(base: gsan_core.System, profile: Any) -> gsan_core.System:
    if profile is None:
        return base
    return gsan_core.System(
        uow_factory=base.uow_factory,
        backend=getattr(base, "backend", None),
        clock=base.clock,
        profile=profile,
    )


@settings(max_examples=6, deadline=None)
@given(REQUESTS)
def test_cmd_06_cmd_07_memory_and_sqlite_agree(shape: Requests) -> None:
    """CMD-06, CMD-07: the batch closing closes, skips, charges and records
    the same on memory and SQLite."""
    agree(
        lambda system: closing_outcome(system, shape),
        makers(request_profile(large_consumer_unit_id=None), None),
    )


@settings(max_examples=10, deadline=None)
@given(CUTS)
def test_uc1073_memory_and_sqlite_agree(shape: Cuts) -> None:
    """UC1073: the same properties reconnected, skipped and recorded."""
    agree(lambda system: reconnection_outcome(system, shape), makers(None, None))


@pytest.mark.postgres
def test_cmd_06_cmd_07_and_uc1073_memory_sqlite_and_postgres_agree(
    postgres: PostgresSchema,
) -> None:
    """CMD-06, CMD-07 and UC1073 on the three backends: PostgreSQL's one
    statement per locality writes what the step-by-step path writes."""
    profile = request_profile(large_consumer_unit_id=None)

    @settings(max_examples=5, deadline=None)
    @given(REQUESTS)
    def closing(shape: Requests) -> None:
        agree(lambda system: closing_outcome(system, shape), makers(profile, postgres))

    @settings(max_examples=8, deadline=None)
    @given(CUTS)
    def reconnection(shape: Cuts) -> None:
        agree(
            lambda system: reconnection_outcome(system, shape),
            makers(None, postgres),
        )

    closing()
    reconnection()
