"""Compatibility path: the service-request flows now live in the package
:mod:`gsan_core.services.service_requests` (``lifecycle``, ``opening``,
``closing``, ``forwarding``, ``updates``...). This module re-exports their names
so that imports written before the move keep working.
"""

from __future__ import annotations

from gsan_core.services.service_requests.closing import (
    CLOSED_BY_COMMAND_REMARK,
    apply_close,
    close_orders_by_request,
    prepare_close,
)
from gsan_core.services.service_requests.common import (
    day_bounds,
    move_request,
    protocol_number,
)
from gsan_core.services.service_requests.forwarding import forward_in
from gsan_core.services.service_requests.lifecycle import (
    close_request_in,
    open_in,
    reactivate_in,
)
from gsan_core.services.service_requests.opening import generate_order_in
from gsan_core.services.service_requests.place import suggest_in
from gsan_core.services.service_requests.results import (
    ForwardResult,
    OpeningResult,
    RequestClosingResult,
    RequestDetails,
)
from gsan_core.services.service_requests.updates import reiterate_in, update_location_in
from gsan_core.services.units import load_units, may_maintain

__all__ = [
    "CLOSED_BY_COMMAND_REMARK",
    "ForwardResult",
    "OpeningResult",
    "RequestClosingResult",
    "RequestDetails",
    "apply_close",
    "close_orders_by_request",
    "close_request_in",
    "day_bounds",
    "forward_in",
    "generate_order_in",
    "load_units",
    "may_maintain",
    "move_request",
    "open_in",
    "prepare_close",
    "protocol_number",
    "reactivate_in",
    "reiterate_in",
    "suggest_in",
    "update_location_in",
]
