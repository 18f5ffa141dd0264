"""The shipped contract suites on the legacy adapter (GSAN's own tables).

Only the capability-gated tests are left out. The connection suite runs whole:
its consumption loaders are the legacy seeding port's (``seeding=True``) over
GSAN's properties. Of the unit-of-work suite, the billing port's ``add_charge``
is not mapped and the seeded tests need it, the field lock or a payment slip
without the due date GSAN's ``guia_pagamento`` requires (the port itself:
``test_seeding.py``); locations are not written through the ports and the
suite's sample property has no GSAN check digit nor subcategory (the registry
writes: ``test_registry_writes.py``). The anomaly actions are not mapped. The
catalogue writes (``c0004``), the set-based batch port and the meter history
(installations, movements) run on GSAN's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.model.hydrometers import Hydrometer, MeterPurpose
from gsan_core.testing.capabilities import (
    ALL,
    ANOMALY_ACTIONS,
    BILLING,
    REGISTRY_WRITES,
    SEEDING,
)
from gsan_core.testing.contracts import UnitOfWorkContract
from gsan_core.testing.contracts_connections import ConnectionsContract
from gsan_core.testing.contracts_hydrometers import HydrometerRepositoriesContract
from tests.legacy.support import ensure_row, seed_property, seed_water_connection

pytestmark = pytest.mark.postgres


class TestLegacyUnitOfWork(UnitOfWorkContract):
    capabilities = ALL - {SEEDING, BILLING, REGISTRY_WRITES}

    @pytest.fixture
    def uow_factory(self, legacy: LegacyBackend) -> Callable[[], Any]:
        # the suite's catalogue kinds start empty (the template seeds them)
        with legacy.engine.begin() as connection:
            for kind in ("cut_reason", "sewer_profile"):
                table = legacy.profile.catalog_tables[kind]
                connection.execute(sa.text(f"DELETE FROM {table}"))
        return legacy.uow_factory

    def probe_add(self, uow: Any, n: int) -> None:
        """A meter: what phase 1 writes without a property."""
        uow.hydrometers.add(
            Hydrometer(
                id=n,
                number=f"P{n}",
                acquired_on=date(2024, 3, 1),
                manufacture_year=2024,
                purpose=MeterPurpose.OPERATIONAL,
                reading_digits=5,
                type_id=1,
                situation_id=3,
                brand_id=10,
                capacity_id=5,
                diameter_id=13,
                metrological_class_id=2,
                location_id=1,
            )
        )

    def probe_found(self, uow: Any, n: int) -> bool:
        return uow.hydrometers.find(n) is not None


class TestLegacyConnections(ConnectionsContract):
    capabilities = ALL

    @pytest.fixture
    def uow_factory(self, locked_engine: sa.Engine) -> Callable[[], Any]:
        # the consumption loaders are the legacy seeding port's
        self._backend = LegacyBackend(locked_engine, seeding=True)
        return self._backend.uow_factory

    def _gsan_properties(self, *ids: int) -> None:
        """GSAN's consumption rows point to GSAN's properties, its types
        and anomalies (GSAN's reference rows)."""
        with self._backend.engine.begin() as connection:
            for ident in ids:
                seed_property(connection, ident)
            for table, key, values in (
                ("micromedicao.ligacao_tipo", "lgti_id", (1, 2)),
                ("micromedicao.consumo_tipo", "cstp_id", (1, 3)),
                ("micromedicao.consumo_anormalidade", "csan_id", (5, 7)),
            ):
                for value in values:
                    ensure_row(connection, table, {key: value})

    def test_consumption_history_port(self, uow_factory: Any) -> None:
        self._gsan_properties(1, 2, 3, 4)
        super().test_consumption_history_port(uow_factory)

    def test_repeated_reading_anomaly(self, uow_factory: Any) -> None:
        self._gsan_properties(1, 2, 3, 4)
        super().test_repeated_reading_anomaly(uow_factory)

    def seed_properties(
        self, factory: Any, ids: tuple[int, ...], changes: dict[str, object]
    ) -> None:
        with self._backend.engine.begin() as connection:
            for ident in ids:
                seed_property(
                    connection,
                    ident,
                    water=int(changes.get("water_status_id", 3)),  # type: ignore[call-overload]
                    sewer=int(changes.get("sewer_status_id", 1)),  # type: ignore[call-overload]
                )

    def change_property_profile(
        self, factory: Any, property_id: int, *, profile_id: int
    ) -> None:
        with self._backend.engine.begin() as connection:
            ensure_row(connection, "cadastro.imovel_perfil", {"iper_id": profile_id})
            connection.execute(
                sa.text("UPDATE cadastro.imovel SET iper_id = :p WHERE imov_id = :i"),
                {"p": profile_id, "i": property_id},
            )


class TestLegacyHydrometers(HydrometerRepositoriesContract):
    capabilities = ALL - {ANOMALY_ACTIONS}
    _backend: LegacyBackend

    @pytest.fixture
    def uow_factory(self, legacy: LegacyBackend) -> Callable[[], Any]:
        type(self)._backend = legacy
        return legacy.uow_factory

    @staticmethod
    def _with_property(factory: Any) -> None:
        # GSAN's cadastre is read-only for the library: the property and its
        # water connection are GSAN's rows
        backend = TestLegacyHydrometers._backend
        with backend.engine.begin() as connection:
            seed_property(connection, 1)
            seed_water_connection(connection, 1)
