"""``gsan.service_requests``: the service requests (RA) of GSAN.

Open a request (with its deadline, its first destination and its automatic OS),
forward it between units, reiterate it, close it (with its orders, a duplicate
reference, a charge, a follow-up request), reactivate it, command the closing of
thousands, hand out manual numbers, register outages and their quick calls,
answer the satisfaction survey and keep the regulator's complaints.

The flows themselves work inside a caller's unit of work, one module per step:
``lifecycle`` (open, close, reactivate), ``opening``, ``closing``, ``forwarding``,
``updates`` (reiterate, change the place), ``place`` (the suggested destination),
``registry`` (manual numbers, occurrences, simplified requests, surveys, the
regulator's records), ``batches`` (the closing command), ``hooks`` (what closing
an OS does to its request) and ``configuration``. The façade,
:class:`ServiceRequestService` (``service``), opens one unit of work per call.
"""

from __future__ import annotations

from gsan_core.services.service_requests.registry import SimplifiedResult
from gsan_core.services.service_requests.results import (
    ForwardResult,
    OpeningResult,
    RequestClosingResult,
    RequestDetails,
)
from gsan_core.services.service_requests.service import ServiceRequestService

__all__ = [
    "ForwardResult",
    "OpeningResult",
    "RequestClosingResult",
    "RequestDetails",
    "ServiceRequestService",
    "SimplifiedResult",
]
