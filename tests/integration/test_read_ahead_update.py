"""The read aheads of updating an RA (``read_ahead_update.py``) and of
correcting an installation (``read_ahead_meters.read_correction``) on
PostgreSQL (issue 20, eleventh round): their statements stay under psycopg's
cache limits, and the rows read ahead are what the deferred write compares
with, so it sets only the columns the command changed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.hydrometers import UpdateInstallation
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import build_request_utility
from tests.integration.budgets import budget_system
from tests.integration.opened_requests import opened_at_call_centre
from tests.integration.psycopg_cache import oversized, sent
from tests.integration.test_lean_meters2 import _installed

pytestmark = pytest.mark.postgres


def test_an_ra_update_reads_ahead_and_sets_the_observation_alone(
    sql: SqlBackend,
) -> None:
    clock = FixedClock()
    system = budget_system(sql, clock)
    utility = build_request_utility(system, properties=2, actor=0)
    opened = [o.request for o in opened_at_call_centre(system, utility, 2)]
    clock.advance(timedelta(minutes=5))
    system.service_requests.update(  # warms the caches
        request_id=opened[0].id, observation="PRIMEIRA", actor=utility.attendant
    )
    with oversized(sql.engine) as found, sent(sql.engine) as statements:
        changed = system.service_requests.update(
            request_id=opened[1].id, observation="SEGUNDA", actor=utility.attendant
        )
    assert not found, [str(f) for f in found]
    assert changed.observation == "SEGUNDA"
    assert changed.version == opened[1].version + 1
    assert system.service_requests.get(changed.id) == changed
    # the lock (request, then property), the joined read, the write
    texts = [s.text for s in statements]
    assert len(texts) == 3, texts
    assert texts[0].startswith("WITH locked AS MATERIALIZED"), texts[0]
    write = texts[2]
    assert "observation" in write
    assert "specification_id" not in write  # only what changed is set
    assert "requesters" not in write


def test_an_installation_correction_reads_ahead_and_sets_the_reading_alone(
    sql: SqlBackend,
) -> None:
    system = budget_system(sql)
    mine, theirs = _installed(system)
    meters = system.hydrometers
    meters.update_installation(  # warms the caches
        property_id=mine, data=UpdateInstallation(reading=12), actor=9
    )
    before = meters.current_installation(property_id=theirs)
    assert before is not None
    with oversized(sql.engine) as found, sent(sql.engine) as statements:
        changed = meters.update_installation(
            property_id=theirs, data=UpdateInstallation(reading=13), actor=9
        )
    assert not found, [str(f) for f in found]
    assert changed.installation_reading == 13
    assert changed.version == before.version + 1
    assert meters.current_installation(property_id=theirs) == changed
    # the property's lock, the joined read of both points, the write
    texts = [s.text for s in statements]
    assert len(texts) == 3, texts
    assert "FOR UPDATE" in texts[0]
    write = texts[2]
    assert "installation_reading" in write
    assert "hydrometer_id" not in write.partition("SET")[2].partition("WHERE")[0]
