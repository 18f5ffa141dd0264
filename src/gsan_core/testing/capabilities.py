"""Capability flags of the shipped contract suites.

A contract suite runs every test by default. An adapter that cannot do part of
what a port offers (an adapter over a GSAN database that cannot load reference
data through the ports, or has no set-based batch work yet) narrows the suite's
``capabilities``; the tests that need a missing capability are skipped, naming
it, and the rest run::

    class TestMyConnections(ConnectionsContract):
        capabilities = ALL - {BATCHES, BILLING}
"""

from __future__ import annotations

import pytest

__all__ = [
    "ALL",
    "ANOMALY_ACTIONS",
    "BATCHES",
    "BILLING",
    "CATALOG_WRITES",
    "METER_HISTORY",
    "REGISTRY_WRITES",
    "SEEDING",
    "require",
]

#: The set-based batch port (``uow.connection_batches``).
BATCHES = "batches"
#: The billing port's loaders and queries (``uow.billing``).
BILLING = "billing"
#: The meter installation history and movements.
METER_HISTORY = "meter_history"
#: The consumption-anomaly actions table.
ANOMALY_ACTIONS = "anomaly_actions"
#: The seeding port (``uow.seeding``): loading debts, payments, consumption,
#: permissions and the field lock into the default stores.
SEEDING = "seeding"
#: Inserting properties, localities, sectors, blocks, routes, organisational
#: units and users through the ports, and changing their fields (a GSAN
#: database registers them in its own screens).
REGISTRY_WRITES = "registry_writes"
#: Adding, changing and removing catalogue rows through ``uow.catalog``.
CATALOG_WRITES = "catalog_writes"
#: Every capability (the default of every suite).
ALL = frozenset(
    {
        BATCHES,
        BILLING,
        METER_HISTORY,
        ANOMALY_ACTIONS,
        SEEDING,
        REGISTRY_WRITES,
        CATALOG_WRITES,
    }
)


def require(capabilities: frozenset[str], capability: str) -> None:
    """Skip the calling test unless the adapter offers ``capability``."""
    if capability not in capabilities:
        pytest.skip(f"the adapter does not offer {capability!r}")
