"""RAs opened at a request utility's call centre, each with its automatic
order: the set-up of the tests that measure or compare what a command on
them sends (the psycopg cache's, the read aheads', the lean versions')."""

from __future__ import annotations

import gsan_core
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.services.service_requests import OpeningResult
from gsan_core.testing.request_utility import CHANNEL_PHONE, RequestUtility

__all__ = ["SPECIFICATION", "opened_at_call_centre"]

SPECIFICATION = 679  # VAZAMENTO NO RAMAL: urgent, automatic OS


def opened_at_call_centre(
    system: gsan_core.System,
    utility: RequestUtility,
    count: int,
    *,
    specification: int = SPECIFICATION,
) -> list[OpeningResult]:
    """``count`` RAs of ``specification`` opened by the utility's attendant
    at the call centre by phone, one on each of the town's first ``count``
    properties, a requester ANA."""
    return [
        system.service_requests.open(
            specification_id=specification,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=p.id),
            requesters=(Requester(name="ANA", address="RUA 1"),),
        )
        for p in utility.town.properties[:count]
    ]
