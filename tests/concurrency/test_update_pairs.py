"""Manter RA (UC0408) racing another writer of its property's requests
(``docs/concurrency.md``; issue 20, eleventh round).

Updating an RA reads ahead (``read_ahead_update.py``): the request and its
property locked in one statement, then the property's requests in one joined
read begun after the lock. INS-09 (one pending RA of a specification on a
property) must hold when the update gives the RA a specification another
process opens on the same property at the same time: exactly one of them
passes, the other is refused with a library error.
"""

from __future__ import annotations

import pytest

import gsan_core
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
    RequestSituation,
)
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    build_request_utility,
    request_profile,
)
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, attempt, race

ANA = (Requester(name="ANA", address="RUA DAS FLORES 10"),)
#: The RA's specification before the update, and the one both sides want.
BEFORE, WANTED = 311, 679
ROUNDS = 3


def _open(system: gsan_core.System, pid: int, spec: int, unit: int, actor: int) -> int:
    return system.service_requests.open(
        specification_id=spec,
        unit_id=unit,
        channel_id=CHANNEL_PHONE,
        actor=actor,
        location=RequestLocation(property_id=pid),
        requesters=ANA,
    ).request.id


def _writer(
    system: gsan_core.System, kind: str, key: int, unit: int, actor: int
) -> Attempt:
    """``update``: give RA ``key`` the wanted specification; ``open``: open an
    RA of it on property ``key``."""
    if kind == "update":
        return attempt(
            lambda: (
                system.service_requests.update(
                    request_id=key, specification_id=WANTED, actor=actor
                ).id
            )
        )
    return attempt(lambda: _open(system, key, WANTED, unit, actor))


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_ins_09_an_update_racing_an_opening_of_its_new_specification(
    database: Database, round_: int
) -> None:
    """INS-09: an RA updated to a specification while another process opens
    an RA of it on the same property: one pending RA of it is left."""
    system, shared = database.make(request_profile())
    utility = build_request_utility(system)
    pid = [p.id for p in utility.town.properties if p.locality_id == 1][round_]
    unit, actor = utility.call_centre, utility.attendant
    request_id = _open(system, pid, BEFORE, unit, actor)

    outcomes = race(
        _writer,
        [
            (shared, "update", request_id, unit, actor),
            (shared, "open", pid, unit, actor),
        ],
    )

    assert all(o.ok for o in outcomes), outcomes
    tried = [o.value for o in outcomes]
    assert all(a.gsan_error for a in tried), tried
    assert sum(a.ok for a in tried) == 1, tried
    pending = [
        r
        for r in system.service_requests.find_by(property_id=pid)
        if r.specification_id == WANTED and r.situation is RequestSituation.PENDING
    ]
    assert len(pending) == 1, pending
