"""Use cases of the hydrometer area: the stock, the installation history, the
operations run by a service order, the stock movements and the consumption
anomaly escalation.

The ``*_in`` functions work inside a caller's unit of work, so the connection
area composes them into its own operations (connection with installation,
reconnection with replacement, the cut and suppression readings). Each checks
every rule first and raises :class:`~gsan_core.errors.RuleViolation` with all of
them, writing nothing; otherwise it writes and records its events (the caller
commits).

The five commercial operations (``hydrometer.install``, ``.remove``,
``.replace``, ``.relocate``, ``.update_installation``) run by closing their
service order or from the menu path (``service_orders.apply_operation``).
"""

from __future__ import annotations

from gsan_core.services.hydrometers.common import T as T
from gsan_core.services.hydrometers.connection_meters import ConnectionMeters
from gsan_core.services.hydrometers.installation import (
    MeterPlan,
    current_installation,
    install_in,
    record_readings_in,
)
from gsan_core.services.hydrometers.operations import (
    InstallOperation as InstallOperation,
)
from gsan_core.services.hydrometers.operations import (
    RelocateOperation as RelocateOperation,
)
from gsan_core.services.hydrometers.operations import RemoveOperation as RemoveOperation
from gsan_core.services.hydrometers.operations import (
    ReplaceOperation as ReplaceOperation,
)
from gsan_core.services.hydrometers.operations import (
    UpdateInstallationOperation as UpdateInstallationOperation,
)
from gsan_core.services.hydrometers.operations import hydrometer_operations
from gsan_core.services.hydrometers.removal import remove_in, replace_in
from gsan_core.services.hydrometers.service import HydrometerService, InsertedRange

__all__ = [
    "ConnectionMeters",
    "HydrometerService",
    "InsertedRange",
    "MeterPlan",
    "current_installation",
    "hydrometer_operations",
    "install_in",
    "record_readings_in",
    "remove_in",
    "replace_in",
]
