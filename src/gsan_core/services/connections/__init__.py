"""Use cases of the water and sewer connections.

Each connection operation runs through :func:`apply_in`, inside a caller's unit of
work: it loads what the rules need (the property and its block, the connection
rows, the "in field" lock, the actor's permissions, the debts, billing's minimum),
asks :func:`gsan_core.rules.connections.decide_operation`, and stores the result
(the property's situations with compare-and-set, the connection rows, one
situation-history row per change, one :class:`ConnectionOperationApplied` event).

The operations reach :func:`apply_in` three ways:

* closing their service order with execution (``service_orders.close_executed``
  with ``commercial=<input>``): :class:`ConnectionOperation` is the commercial
  operation the order's service type links to;
* from the menu with an order already closed (``service_orders.apply_operation``);
* without an order ("sem RA", special permission) and from the batches, through
  :class:`ConnectionService`.

The hydrometer area plugs in through :class:`MeterSeam`
(:class:`gsan_core.services.hydrometers.ConnectionMeters` in every system):
whether a meter is installed, the cut reading, the suppression reading and the
meter removal a suppression implies, and the meter installation or replacement
of the "com hidrômetro" operations. Each operation's
:attr:`~gsan_core.rules.connections.OperationSpec.meter` names its meter step;
the step is checked with the operation's rules (every violation reported at
once, nothing written) and written in the same unit of work.
"""

from __future__ import annotations

from gsan_core.services.connections.apply import apply_in
from gsan_core.services.connections.commercial import (
    COMMERCIAL_OPERATIONS,
    ConnectionOperation,
    connection_operations,
)
from gsan_core.services.connections.facts import load_facts
from gsan_core.services.connections.seams import WATER_POINT as WATER_POINT
from gsan_core.services.connections.seams import WELL_POINT as WELL_POINT
from gsan_core.services.connections.seams import MeterSeam, PlannedMeterWork
from gsan_core.services.connections.service import ConnectionService

__all__ = [
    "COMMERCIAL_OPERATIONS",
    "ConnectionOperation",
    "ConnectionService",
    "MeterSeam",
    "PlannedMeterWork",
    "apply_in",
    "connection_operations",
    "load_facts",
]
