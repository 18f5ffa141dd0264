"""Use cases of service orders: types, generation, update, execution, closing,
and the commercial operation applied at most once per OS.

The ``*_in`` functions work inside a caller's unit of work, so other areas (the
service requests that generate and close orders, the connection and hydrometer
operations run from the menu) compose them into their own transactions.
"""

from __future__ import annotations

from gsan_core.services.service_orders.closing import (
    EXECUTION_WITHOUT_EXECUTING as EXECUTION_WITHOUT_EXECUTING,
)
from gsan_core.services.service_orders.closing import REASON_MISMATCH as REASON_MISMATCH
from gsan_core.services.service_orders.closing import close_in
from gsan_core.services.service_orders.commercial import (
    COMMERCIAL_DATA_REQUIRED as COMMERCIAL_DATA_REQUIRED,
)
from gsan_core.services.service_orders.commercial import apply_operation_in
from gsan_core.services.service_orders.common import order_property
from gsan_core.services.service_orders.generation import (
    generate_from_collection_in,
    generate_in,
)
from gsan_core.services.service_orders.results import (
    CUT_ORDER_OBSERVATION,
    ChargeSimulation,
    ClosingResult,
    CutOrderResult,
)
from gsan_core.services.service_orders.service import ServiceOrderService
from gsan_core.services.service_orders.service_types import (
    DUPLICATE_TYPE_ABBREVIATION as DUPLICATE_TYPE_ABBREVIATION,
)
from gsan_core.services.service_orders.service_types import (
    DUPLICATE_TYPE_DESCRIPTION as DUPLICATE_TYPE_DESCRIPTION,
)
from gsan_core.services.service_orders.service_types import (
    INFRACTION_WITH_REFERENCE as INFRACTION_WITH_REFERENCE,
)
from gsan_core.services.service_orders.service_types import (
    TYPE_REFERENCE_MISSING as TYPE_REFERENCE_MISSING,
)
from gsan_core.services.service_orders.service_types import (
    UNKNOWN_OPERATION as UNKNOWN_OPERATION,
)

__all__ = [
    "CUT_ORDER_OBSERVATION",
    "ChargeSimulation",
    "ClosingResult",
    "CutOrderResult",
    "ServiceOrderService",
    "apply_operation_in",
    "close_in",
    "generate_from_collection_in",
    "generate_in",
    "order_property",
]
