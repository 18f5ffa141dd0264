"""The legacy unit of work: one PostgreSQL transaction over GSAN's tables.

It offers the repositories phase 1 maps (properties, water and sewer
connections, the situation history, meters and their installation history and
movements, the connection and cut-order batches, and the reads of users,
permissions, orders, requests, debts and consumption), the id port over GSAN's
sequences, and the events written to the companion outbox on commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn, Self
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gsan_core import serialization
from gsan_core.adapters.gsan_legacy.batches import (
    LegacyCollectionQueries,
    LegacyConnectionBatches,
)
from gsan_core.adapters.gsan_legacy.location_writes import (
    LegacyLocations,
    location_repositories,
)
from gsan_core.adapters.gsan_legacy.meters_history import (
    LegacyInstallationRepository,
    LegacyMovementRepository,
)
from gsan_core.adapters.gsan_legacy.optional import LegacyFieldLock
from gsan_core.adapters.gsan_legacy.readers import (
    LegacyBilling,
    LegacyPermissions,
    LegacyServiceOrders,
)
from gsan_core.adapters.gsan_legacy.registry import (
    LegacyUnitRepository,
    LegacyUserRepository,
)
from gsan_core.adapters.gsan_legacy.repositories import (
    LegacyHydrometerRepository,
    LegacyPropertyRepository,
    LegacyRepository,
)
from gsan_core.adapters.gsan_legacy.requests import (
    LegacyOrderUnits,
    LegacyReiterations,
    LegacyRequestReads,
    LegacyRoutingSteps,
)
from gsan_core.adapters.gsan_legacy.seeding import LegacySeeding
from gsan_core.adapters.gsan_legacy.service_reads import (
    LegacyServiceCatalog,
    LegacyServiceTypes,
)
from gsan_core.adapters.sqlalchemy.connections import SqlSituationHistory
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.leases import advisory_key, first_refused
from gsan_core.errors import BatchAlreadyRunning, ConfigurationError
from gsan_core.model.connections import SewerConnection, WaterConnection
from gsan_core.model.events import DomainEvent
from gsan_core.ports.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy import LegacyBackend

__all__ = ["NO_SEEDING", "LegacyUnitOfWork"]

NO_SEEDING = (
    "the GSAN database's own billing, security and field-lock modules own"
    " debts, payments, consumption, permissions and the field lock: the"
    " legacy adapter offers the seeding port only when asked"
    " (LegacyBackend(engine, seeding=True): tests, demos, data loading)"
)


PHASE_2_PORT = (
    "gsan_core maps {name} on GSAN's tables in phase 2 (or the unit of work"
    " is not open)"
)
#: The unit-of-work ports (the protocol's members).
_PORTS = frozenset(name for name in dir(UnitOfWork) if not name.startswith("_"))


class LegacyUnitOfWork:
    """Owns one transaction; rolls back unless :meth:`commit` ran."""

    def __init__(self, backend: LegacyBackend) -> None:
        self._backend = backend
        self.profile = backend.profile
        self.tables = backend.tables
        self.history_tables = backend.history_tables
        self.catalog_layouts = backend.catalog_layouts
        self.report = backend.report
        self._connection: sa.Connection | None = None
        self._events: list[DomainEvent] = []
        #: Events of committed work, not yet collected.
        self._committed: list[DomainEvent] = []
        self._read_only = False

    def __getattr__(self, name: str) -> NoReturn:
        """A port of the library's unit of work that phase 1 does not map
        (programmings, teams, ...): phase 2, ``configuration.read_only``,
        rather than an ``AttributeError`` in the middle of a service."""
        if name in _PORTS:
            msg = PHASE_2_PORT.format(name=name)
            raise ConfigurationError(msg, kind="read_only")
        raise AttributeError(name)

    # ------------------------------------------------------------ plumbing
    @property
    def seeding(self) -> LegacySeeding:
        """The seeding port, on a backend built with ``seeding=True`` (tests,
        demos, data loading); otherwise GSAN's billing, security and field
        lock own that data and this raises ``configuration.no_seeding``."""
        if not self._backend.seeding:
            raise ConfigurationError(NO_SEEDING, kind="no_seeding")
        return LegacySeeding(self)

    @property
    def connection(self) -> sa.Connection:
        if self._connection is None:
            msg = "the unit of work is not open (use it in a with block)"
            raise ConfigurationError(msg)
        return self._connection

    @property
    def now_expression(self) -> Any:
        """GSAN's stamp: the database's now, naive, in the profile's zone."""
        return self.tables.now

    @property
    def local_now(self) -> datetime:
        """The same stamp computed here (for inserts)."""
        zone = ZoneInfo(self.profile.time_zone)
        return datetime.now(zone).replace(tzinfo=None)

    def __enter__(self) -> Self:
        with translated("connection"):
            self._connection = self._backend.engine.connect()
            self._connection.begin()
        self.properties = LegacyPropertyRepository(self)
        self.water_connections = LegacyRepository[WaterConnection](
            self, self.tables.water, "water_connection"
        )
        self.sewer_connections = LegacyRepository[SewerConnection](
            self, self.tables.sewer, "sewer_connection"
        )
        self.hydrometers = LegacyHydrometerRepository(
            self, self.tables.hydrometer, "hydrometer"
        )
        self.users = LegacyUserRepository(self)
        self.permissions = LegacyPermissions(self)
        self.service_orders = LegacyServiceOrders(self)
        self.service_requests = LegacyRequestReads(self)
        self.routing_steps = LegacyRoutingSteps(self)
        self.reiterations = LegacyReiterations(self)
        self.order_units = LegacyOrderUnits(self)
        self.billing = LegacyBilling(self)
        self.field_lock = LegacyFieldLock(self)
        self.connection_batches = LegacyConnectionBatches(self)
        self.collection = LegacyCollectionQueries(self)
        self.hydrometer_installations = LegacyInstallationRepository(self)
        self.hydrometer_movements = LegacyMovementRepository(self)
        self.situation_history = SqlSituationHistory(self, self.tables.history)
        self.catalog = LegacyServiceCatalog(self)
        self.service_types = LegacyServiceTypes(self)
        self.localities, self.sectors, self.blocks, self.routes = location_repositories(
            self
        )
        self.locations = LegacyLocations(self)
        self.units = LegacyUnitRepository(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._events = []  # what was not committed is dropped with the work
        if self._connection is not None:
            try:
                if self._connection.in_transaction():
                    self._connection.rollback()
            finally:
                self._connection.close()
                self._connection = None

    def commit(self) -> None:
        """Write the events to the companion outbox and commit."""
        if self._read_only:
            self.connection.rollback()
            self._events = []
            return
        if self._events:
            self._write_outbox(self._events)
        with translated("commit"):
            self.connection.commit()
        self._committed.extend(self._events)
        self._events = []

    def rollback(self) -> None:
        self.connection.rollback()
        self._events.clear()

    def read_only(self) -> None:
        """This unit of work only reads: commit ends it without writing."""
        self._read_only = True

    def defer_writes(self) -> None:
        """A GSAN database's writes are sent one by one (its tables stamp
        columns of their own)."""

    def read_ahead(self, command: str, key: int) -> None:
        """A GSAN database is read one statement at a time."""

    def record(self, *events: DomainEvent) -> None:
        self._events.extend(events)

    def collect_events(self) -> Sequence[DomainEvent]:
        """Events of committed work, once (uncommitted ones are never handed out)."""
        events, self._committed = self._committed, []
        return events

    def hold_batch(self, job: str, key: str) -> None:
        """Hold batch ``job`` for ``key`` until this unit of work ends: a
        transaction-scoped advisory lock in the companion schema's namespace
        (released when the holder's connection dies)."""
        self.hold_batches(job, [key])

    def hold_batches(self, job: str, keys: Sequence[str]) -> None:
        """:meth:`hold_batch` for each of ``keys`` in order, in one statement
        (``BatchHolding``)."""
        if not keys:
            return
        namespace = f"{self.profile.companion_schema}."
        with translated("batch_lease", keys[0]):
            refused = first_refused(
                self.connection, [advisory_key(namespace, job, key) for key in keys]
            )
        if refused is not None:
            raise BatchAlreadyRunning(job, keys[refused])

    def refresh_statistics(
        self, changed: Mapping[str, int], *, share: float | None = None
    ) -> None:
        """Nothing: GSAN's tables are the utility DBA's to analyse (a batch
        changes a small share of ``imovel`` and ``ligacao_agua``)."""

    def next_id(self, kind: str) -> int:
        return self._backend.ids.next_id(kind)

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        return self._backend.ids.next_ids(kind, count)

    def _write_outbox(self, events: Sequence[DomainEvent]) -> None:
        outbox = self.tables.companion["outbox"]
        sequence = f"{self.profile.companion_schema}.seq_outbox"
        with translated("outbox"):
            ids = (
                self.connection.execute(
                    sa.text(
                        "SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)"
                    ),
                    {"seq": sequence, "n": len(events)},
                )
                .scalars()
                .all()
            )
            self.connection.execute(
                sa.insert(outbox),
                [
                    {
                        "id": ident,
                        "tag": type(event).tag,
                        "occurred_at": event.occurred_at,
                        "actor": event.actor,
                        "payload": serialization.to_dict(event),
                        "published_at": None,
                    }
                    for ident, event in zip(ids, events, strict=True)
                ],
            )
