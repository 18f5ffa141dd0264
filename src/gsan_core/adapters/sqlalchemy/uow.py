"""The SQL unit of work: owning its transaction, or joining the host's.

*Owning* (the default): a connection from the engine, one transaction, committed by
``commit()`` and rolled back otherwise. *Joining*: inside the host application's
connection and transaction, as a SAVEPOINT: ``commit()`` releases the savepoint,
the host decides the outer commit, and leaving without ``commit()`` rolls back
only the library's work.

With the outbox on, the events of the unit of work are written to the ``outbox``
table in the same transaction as the work itself, with ids taken from a gap-free
counter just before the commit: the counter's row lock queues the committing
transactions, so outbox ids follow commit order (``docs/concurrency.md``).

On a SQLite file an owning unit of work begins ``IMMEDIATE`` (it queues for the
database's write lock before its first read) unless :meth:`read_only` declared
that it only reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import sqlalchemy as sa

from gsan_core.adapters.seeding import StoreSeeding
from gsan_core.adapters.sqlalchemy.bulk import copy_rows
from gsan_core.adapters.sqlalchemy.connections import (
    SqlConnectionBatches,
    SqlSewerConnectionRepository,
    SqlSituationHistory,
    SqlWaterConnectionRepository,
)
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.field_work import (
    SqlFieldFileQueries,
    SqlReturnLineRepository,
    SqlSelectiveQueries,
)
from gsan_core.adapters.sqlalchemy.hydrometers import (
    SqlHydrometerRepository,
    SqlInstallationRepository,
    SqlMovementRepository,
)
from gsan_core.adapters.sqlalchemy.ids import HiLoIds, TransactionIds
from gsan_core.adapters.sqlalchemy.leases import BatchHolds
from gsan_core.adapters.sqlalchemy.outbox import (
    PostgresOutbox,
    SqlOutbox,
    lock_key,
    take_numbers,
    write_outbox,
)
from gsan_core.adapters.sqlalchemy.pipeline import WriteBuffer, outbox_rows, watch
from gsan_core.adapters.sqlalchemy.ports import (
    SqlBilling,
    SqlCustomers,
    SqlFieldLock,
    SqlPermissions,
    SqlSurchargeIndices,
)
from gsan_core.adapters.sqlalchemy.read_ahead_requests import (
    read_under_requests,
    written,
)
from gsan_core.adapters.sqlalchemy.read_aheads import READERS
from gsan_core.adapters.sqlalchemy.reference import (
    CACHED_TABLES,
    DEPENDENT,
    LOCKED_TABLES,
    MISSING,
    ReferenceCache,
)
from gsan_core.adapters.sqlalchemy.repaving import (
    SqlInfractionNotices,
    SqlInspectionBatches,
    SqlRepavingRepository,
)
from gsan_core.adapters.sqlalchemy.repositories import (
    SqlCatalogRepository,
    SqlCollectionQueries,
    SqlLocationQueries,
    SqlPropertyRepository,
    SqlRepository,
)
from gsan_core.adapters.sqlalchemy.scheduling import (
    SqlProgrammingRepository,
    SqlScheduleRepository,
)
from gsan_core.adapters.sqlalchemy.service_desk import (
    SqlOutboundMessageRepository,
    SqlSupplyScheduleRepository,
)
from gsan_core.adapters.sqlalchemy.service_orders import (
    SqlServiceOrderRepository,
    SqlServicePriceRepository,
)
from gsan_core.adapters.sqlalchemy.service_requests import (
    SqlAssociationRepository,
    SqlServiceRequestRepository,
)
from gsan_core.errors import ConfigurationError, PersistenceError
from gsan_core.model.accounts import (
    Certificate,
    CollectionDocument,
    CustomerProperty,
    CustomerType,
    PowerSphere,
    RequestPayment,
    SurchargeIndex,
)
from gsan_core.model.bulletins import ConcludedOrderInspection, OrderBulletin
from gsan_core.model.events import DomainEvent
from gsan_core.model.field_files import FieldFile, FieldFileItem
from gsan_core.model.field_work import SelectiveCommand, SelectiveOrder
from gsan_core.model.hydrometers import ConsumptionAnomalyAction
from gsan_core.model.inspections import (
    InspectionFinding,
    OrderAcceptance,
)
from gsan_core.model.properties import Block, CommercialSector, Locality, Route
from gsan_core.model.repaving import RepavingCost
from gsan_core.model.scheduling import SpecialDay, TeamFollower
from gsan_core.model.service_desk import MessageCursor, OperatingProcedure
from gsan_core.model.service_orders import (
    MaterialKit,
    OrderExecution,
    OrderUnitRecord,
    ServiceOrder,
    ServiceType,
    Team,
)
from gsan_core.model.service_requests import (
    ClosingCommand,
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    ManualNumberBlock,
    OperationalOccurrence,
    PropertySituationProfile,
    RegulatorRecord,
    Reiteration,
    RequestSpecification,
    RoutingStep,
    SatisfactionSurvey,
)
from gsan_core.model.sewer_commands import SewerCommand, SewerCommandOrder
from gsan_core.model.units import OrganizationalUnit, PermissionChange, User

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy import SqlBackend
    from gsan_core.adapters.sqlalchemy.mappers import RowMapper

__all__ = ["SqlUnitOfWork"]

#: The stores :meth:`SqlUnitOfWork.bulk_add` loads (each the name of its
#: mapper and of its table's entity).
BULK_STORES = frozenset(
    {
        "property",
        "water_connection",
        "sewer_connection",
        "hydrometer",
        "hydrometer_installation",
        "open_debt",
    }
)

#: A batch that wrote more than this share of a table's estimated rows
#: refreshes its statistics (``refresh_statistics``).
STALE_SHARE = 0.1


class SqlUnitOfWork:
    """One transaction (or savepoint) over every table of the library."""

    def __init__(
        self, backend: SqlBackend, *, joined: sa.Connection | None = None
    ) -> None:
        self._backend = backend
        self.tables = backend.tables
        #: The backend's row mappers (shared by every unit of work).
        self.mappers = backend.mappers
        self._joined = joined
        self._connection: sa.Connection | None = None
        self._tx: sa.Transaction | None = None
        self._events: list[DomainEvent] = []
        #: Recorded events whose outbox rows a statement wrote (by id()).
        self._outboxed: set[int] = set()
        self._committed: list[DomainEvent] = []
        self._read_only = False
        self._batches = BatchHolds(backend, joined=joined)
        #: SQLite id blocks this transaction may hand out (see TransactionIds).
        self._id_blocks: dict[str, tuple[int, int]] = {}
        #: Its kinds whose block was borrowed from the backend's spare blocks
        #: (reserved for good): a rollback gives back what is left of them.
        self._borrowed: set[str] = set()
        #: The cached reference tables this unit of work wrote (reference.py).
        self._written: set[str] = set()
        #: Writes not sent yet (defer_writes, pipeline.py).
        self.pending = WriteBuffer()
        self._defer = False
        #: The buffer the connection was watched for before (a host's).
        self._watched: WriteBuffer | None = None
        #: Rows read ahead for the next reads of them (read_ahead.py).
        self._ahead: dict[tuple[str, object], list[Any]] = {}
        #: The entities read ahead by id (or lock) and handed out, by table
        #: and id, kept through this unit of work's own writes of them: what
        #: a deferred update compares its row with (:meth:`as_read`).
        self._handed: dict[tuple[str, object], Any] = {}
        # a relay claims its batch in one statement on PostgreSQL, in a
        # transaction of its own (a host's transaction holds no batch)
        claims = backend.engine.dialect.name == "postgresql" and self._joined is None
        self.outbox = PostgresOutbox(self) if claims else SqlOutbox(self)

    # ------------------------------------------------------------ repositories
    # each built on first use (a command uses a few of them): building the
    # seventy of them for every unit of work cost ~0.1 ms a command (issue 20)

    @cached_property
    def catalog(self) -> SqlCatalogRepository:
        return SqlCatalogRepository(self, self.tables["catalog_item"])

    @cached_property
    def properties(self) -> SqlPropertyRepository:
        return SqlPropertyRepository(self, self.mappers.property, "property")

    @cached_property
    def localities(self) -> SqlRepository[Locality]:
        return SqlRepository(self, self.mappers.locality, "locality")

    @cached_property
    def sectors(self) -> SqlRepository[CommercialSector]:
        return SqlRepository(self, self.mappers.sector, "sector")

    @cached_property
    def blocks(self) -> SqlRepository[Block]:
        return SqlRepository(self, self.mappers.block, "block")

    @cached_property
    def routes(self) -> SqlRepository[Route]:
        return SqlRepository(self, self.mappers.route, "route")

    @cached_property
    def locations(self) -> SqlLocationQueries:
        return SqlLocationQueries(self)

    @cached_property
    def units(self) -> SqlRepository[OrganizationalUnit]:
        return SqlRepository(self, self.mappers.unit, "unit")

    @cached_property
    def users(self) -> SqlRepository[User]:
        return SqlRepository(self, self.mappers.user, "user")

    @cached_property
    def permission_changes(self) -> SqlRepository[PermissionChange]:
        return SqlRepository(self, self.mappers.permission_change, "permission_change")

    @cached_property
    def service_types(self) -> SqlRepository[ServiceType]:
        return SqlRepository(self, self.mappers.service_type, "service_type")

    @cached_property
    def service_orders(self) -> SqlServiceOrderRepository:
        return SqlServiceOrderRepository(
            self, self.mappers.service_order, self.mappers.order_unit
        )

    @cached_property
    def order_units(self) -> SqlRepository[OrderUnitRecord]:
        return SqlRepository(self, self.mappers.order_unit, "order_unit")

    @cached_property
    def service_prices(self) -> SqlServicePriceRepository:
        return SqlServicePriceRepository(
            self, self.mappers.service_charge_value, "service_charge_value"
        )

    @cached_property
    def collection(self) -> SqlCollectionQueries:
        return SqlCollectionQueries(self)

    @cached_property
    def teams(self) -> SqlRepository[Team]:
        return SqlRepository(self, self.mappers.team, "team")

    @cached_property
    def material_kits(self) -> SqlRepository[MaterialKit]:
        return SqlRepository(self, self.mappers.material_kit, "material_kit")

    @cached_property
    def order_executions(self) -> SqlRepository[OrderExecution]:
        return SqlRepository(self, self.mappers.order_execution, "order_execution")

    @cached_property
    def water_connections(self) -> SqlWaterConnectionRepository:
        return SqlWaterConnectionRepository(
            self, self.mappers.water_connection, "water_connection"
        )

    @cached_property
    def sewer_connections(self) -> SqlSewerConnectionRepository:
        return SqlSewerConnectionRepository(
            self, self.mappers.sewer_connection, "sewer_connection"
        )

    @cached_property
    def situation_history(self) -> SqlSituationHistory:
        return SqlSituationHistory(self, self.mappers.situation_change)

    @cached_property
    def connection_batches(self) -> SqlConnectionBatches:
        return SqlConnectionBatches(self)

    @cached_property
    def hydrometers(self) -> SqlHydrometerRepository:
        return SqlHydrometerRepository(self, self.mappers.hydrometer, "hydrometer")

    @cached_property
    def hydrometer_installations(self) -> SqlInstallationRepository:
        return SqlInstallationRepository(
            self, self.mappers.hydrometer_installation, "hydrometer_installation"
        )

    @cached_property
    def hydrometer_movements(self) -> SqlMovementRepository:
        return SqlMovementRepository(
            self, self.mappers.hydrometer_movement, "hydrometer_movement"
        )

    @cached_property
    def anomaly_actions(self) -> SqlRepository[ConsumptionAnomalyAction]:
        return SqlRepository(
            self, self.mappers.consumption_anomaly_action, "consumption_anomaly_action"
        )

    @cached_property
    def billing(self) -> SqlBilling:
        return SqlBilling(self)

    @cached_property
    def permissions(self) -> SqlPermissions:
        return SqlPermissions(self)

    @cached_property
    def field_lock(self) -> SqlFieldLock:
        return SqlFieldLock(self)

    @cached_property
    def service_requests(self) -> SqlServiceRequestRepository:
        return SqlServiceRequestRepository(
            self, self.mappers.service_request, "service_request"
        )

    @cached_property
    def request_specifications(self) -> SqlRepository[RequestSpecification]:
        return SqlRepository(
            self, self.mappers.request_specification, "request_specification"
        )

    @cached_property
    def routing_steps(self) -> SqlRepository[RoutingStep]:
        return SqlRepository(self, self.mappers.routing_step, "routing_step")

    @cached_property
    def situation_profiles(self) -> SqlRepository[PropertySituationProfile]:
        return SqlRepository(self, self.mappers.situation_profile, "situation_profile")

    @cached_property
    def locality_specification_units(
        self,
    ) -> SqlAssociationRepository[LocalitySpecificationUnit]:
        return SqlAssociationRepository(
            self,
            self.mappers.locality_specification_unit,
            "locality_specification_unit",
        )

    @cached_property
    def collection_situation_units(
        self,
    ) -> SqlAssociationRepository[CollectionSituationUnit]:
        return SqlAssociationRepository(
            self, self.mappers.collection_situation_unit, "collection_situation_unit"
        )

    @cached_property
    def locality_group_units(self) -> SqlAssociationRepository[LocalityGroupUnit]:
        return SqlAssociationRepository(
            self, self.mappers.locality_group_unit, "locality_group_unit"
        )

    @cached_property
    def reiterations(self) -> SqlRepository[Reiteration]:
        return SqlRepository(self, self.mappers.reiteration, "reiteration")

    @cached_property
    def closing_commands(self) -> SqlRepository[ClosingCommand]:
        return SqlRepository(self, self.mappers.closing_command, "closing_command")

    @cached_property
    def manual_number_blocks(self) -> SqlRepository[ManualNumberBlock]:
        return SqlRepository(
            self, self.mappers.manual_number_block, "manual_number_block"
        )

    @cached_property
    def occurrences(self) -> SqlRepository[OperationalOccurrence]:
        return SqlRepository(
            self, self.mappers.operational_occurrence, "operational_occurrence"
        )

    @cached_property
    def surveys(self) -> SqlRepository[SatisfactionSurvey]:
        return SqlRepository(
            self, self.mappers.satisfaction_survey, "satisfaction_survey"
        )

    @cached_property
    def regulator_records(self) -> SqlRepository[RegulatorRecord]:
        return SqlRepository(self, self.mappers.regulator_record, "regulator_record")

    @cached_property
    def supply_schedules(self) -> SqlSupplyScheduleRepository:
        return SqlSupplyScheduleRepository(
            self, self.mappers.supply_schedule, "supply_schedule"
        )

    @cached_property
    def outbound_messages(self) -> SqlOutboundMessageRepository:
        return SqlOutboundMessageRepository(
            self, self.mappers.outbound_message, "outbound_message"
        )

    @cached_property
    def message_cursors(self) -> SqlRepository[MessageCursor]:
        return SqlRepository(self, self.mappers.message_cursor, "message_cursor")

    @cached_property
    def procedures(self) -> SqlRepository[OperatingProcedure]:
        return SqlRepository(
            self, self.mappers.operating_procedure, "operating_procedure"
        )

    @cached_property
    def inspection_findings(self) -> SqlRepository[InspectionFinding]:
        return SqlRepository(
            self, self.mappers.inspection_finding, "inspection_finding"
        )

    @cached_property
    def infraction_notices(self) -> SqlInfractionNotices:
        return SqlInfractionNotices(
            self, self.mappers.infraction_notice, "infraction_notice"
        )

    @cached_property
    def repaving_works(self) -> SqlRepavingRepository:
        return SqlRepavingRepository(self, self.mappers.repaving_work, "repaving_work")

    @cached_property
    def inspection_batches(self) -> SqlInspectionBatches:
        return SqlInspectionBatches(self, self.mappers.service_order, "service_order")

    @cached_property
    def order_acceptances(self) -> SqlRepository[OrderAcceptance]:
        return SqlRepository(self, self.mappers.order_acceptance, "order_acceptance")

    @cached_property
    def repaving_costs(self) -> SqlRepository[RepavingCost]:
        return SqlRepository(self, self.mappers.repaving_cost, "repaving_cost")

    @cached_property
    def order_bulletins(self) -> SqlRepository[OrderBulletin]:
        return SqlRepository(self, self.mappers.order_bulletin, "order_bulletin")

    @cached_property
    def concluded_inspections(self) -> SqlRepository[ConcludedOrderInspection]:
        return SqlRepository(
            self, self.mappers.concluded_order_inspection, "concluded_order_inspection"
        )

    @cached_property
    def customers(self) -> SqlCustomers:
        return SqlCustomers(self, self.mappers.customer, "customer")

    @cached_property
    def customer_types(self) -> SqlRepository[CustomerType]:
        return SqlRepository(self, self.mappers.customer_type, "customer_type")

    @cached_property
    def power_spheres(self) -> SqlRepository[PowerSphere]:
        return SqlRepository(self, self.mappers.power_sphere, "power_sphere")

    @cached_property
    def customer_properties(self) -> SqlRepository[CustomerProperty]:
        return SqlRepository(self, self.mappers.customer_property, "customer_property")

    @cached_property
    def surcharge_indices(self) -> SqlRepository[SurchargeIndex]:
        return SqlSurchargeIndices(
            self, self.mappers.surcharge_index, "surcharge_index"
        )

    @cached_property
    def collection_documents(self) -> SqlRepository[CollectionDocument]:
        return SqlRepository(
            self, self.mappers.collection_document, "collection_document"
        )

    @cached_property
    def certificates(self) -> SqlRepository[Certificate]:
        return SqlRepository(self, self.mappers.certificate, "certificate")

    @cached_property
    def request_payments(self) -> SqlRepository[RequestPayment]:
        return SqlRepository(self, self.mappers.request_payment, "request_payment")

    @cached_property
    def selective_commands(self) -> SqlRepository[SelectiveCommand]:
        return SqlRepository(self, self.mappers.selective_command, "selective_command")

    @cached_property
    def selective_orders(self) -> SqlRepository[SelectiveOrder]:
        return SqlRepository(self, self.mappers.selective_order, "selective_order")

    @cached_property
    def selective(self) -> SqlSelectiveQueries:
        return SqlSelectiveQueries(self)

    @cached_property
    def sewer_commands(self) -> SqlRepository[SewerCommand]:
        return SqlRepository(self, self.mappers.sewer_command, "sewer_command")

    @cached_property
    def sewer_command_orders(self) -> SqlRepository[SewerCommandOrder]:
        return SqlRepository(
            self, self.mappers.sewer_command_order, "sewer_command_order"
        )

    @cached_property
    def field_file_queries(self) -> SqlFieldFileQueries:
        return SqlFieldFileQueries(self)

    @cached_property
    def field_files(self) -> SqlRepository[FieldFile]:
        return SqlRepository(self, self.mappers.field_file, "field_file")

    @cached_property
    def field_file_items(self) -> SqlRepository[FieldFileItem]:
        return SqlRepository(self, self.mappers.field_file_item, "field_file_item")

    @cached_property
    def return_lines(self) -> SqlReturnLineRepository:
        return SqlReturnLineRepository(
            self, self.mappers.return_line, "field_return_line"
        )

    @cached_property
    def schedules(self) -> SqlScheduleRepository:
        return SqlScheduleRepository(self, self.mappers.schedule, "schedule")

    @cached_property
    def programmings(self) -> SqlProgrammingRepository:
        return SqlProgrammingRepository(
            self, self.mappers.scheduled_order, "scheduled_order"
        )

    @cached_property
    def special_days(self) -> SqlRepository[SpecialDay]:
        return SqlRepository(self, self.mappers.special_day, "special_day")

    @cached_property
    def team_followers(self) -> SqlRepository[TeamFollower]:
        return SqlRepository(self, self.mappers.team_follower, "team_follower")

    @cached_property
    def seeding(self) -> StoreSeeding:
        return StoreSeeding(self.billing, self.permissions, self.field_lock)

    # ------------------------------------------------------------ connection
    @property
    def connection(self) -> sa.Connection:
        """The connection, inside an active transaction (begun on first use),
        after the writes waiting to be sent (the caller reads its own writes)."""
        connection = self._open()
        if self.pending:
            self.pending.send(connection)
        return connection

    def reading(self, *tables: sa.Table) -> sa.Connection:
        """The connection for a read of ``tables`` only: the waiting writes
        are sent first when they write one of them (a read of other tables
        does not need them)."""
        connection = self._open()
        if self.pending.touches(*tables):
            self.pending.send(connection)
        return connection

    @property
    def deferring(self) -> bool:
        """Whether repositories may leave their writes in :attr:`pending`."""
        return self._defer

    def defer_writes(self) -> None:
        """Send this unit of work's inserts, updates and deletes together
        (PostgreSQL): at its next read or its commit, in one statement
        (``pipeline.py``).
        A write's ``DuplicateEntity`` / ``ConcurrencyConflict`` then comes at
        that point instead of at once; nothing is written either way."""
        if self._backend.engine.dialect.name == "postgresql":
            self._defer = True
            if self._connection is not None:
                self._watched = watch(self._connection, self.pending)

    def read_ahead(self, command: str, key: int) -> None:
        """Read what ``command`` reads about ``key`` in fewer statements, for
        the repositories' next reads of the same rows: the commands of
        ``read_aheads.READERS`` (ADR 0006). Other commands: nothing."""
        reader = READERS.get(command)
        if reader is not None:
            reader(self, key)

    def read_under_requests(
        self, request_ids: Sequence[int]
    ) -> tuple[
        Sequence[ServiceOrder], Sequence[RoutingStep], Sequence[LocalityGroupUnit]
    ]:
        """``JointReading``: the requests' orders, routing steps and
        localities' units by group in one statement (``read_ahead_requests``)."""
        return read_under_requests(self, request_ids)

    def keep_ahead(
        self, table: str, key: object, found: object, *, times: int = 1
    ) -> None:
        """Keep ``found`` (read ahead) for the next ``times`` reads of
        ``table`` whose repository asks ``key`` (a command that reads the same
        rows twice after the read ahead's lock: once each), unless the table
        is written first (:meth:`wrote`)."""
        self._ahead[(table, key)] = [found, times]

    def take_ahead(self, table: str, key: object) -> object:
        """What was read ahead for ``key`` of ``table``, or ``MISSING``."""
        if not self._ahead:
            return MISSING
        kept = self._ahead.get((table, key))
        if kept is None:
            return MISSING
        kept[1] -= 1
        if kept[1] <= 0:
            del self._ahead[(table, key)]
        found = kept[0]
        if isinstance(key, tuple) and key and key[0] in ("id", "lock"):
            handed = found.values() if key[0] == "lock" else (found,)
            for entity in handed:
                if entity is not None:
                    self._handed[(table, getattr(entity, "id", None))] = entity
        return found

    def as_read(self, table: str, id: object) -> Any:
        """The entity of ``table`` with id ``id`` as this unit of work read
        it ahead, or last wrote it entity by entity (``None``: not known)."""
        return self._handed.get((table, id)) if self._handed else None

    def read_rows(self, table: str, entities: Sequence[Any]) -> None:
        """Keep ``entities`` of ``table``, which this unit of work just read
        (a team's day of programmings), as what a deferred update of one of
        them compares its row with (:meth:`as_read`): a day's renumbering
        then sets each row's changed columns only (issue 20, seventh round)."""
        for entity in entities:
            self._handed[(table, getattr(entity, "id", None))] = entity

    def _open(self) -> sa.Connection:
        if self._connection is None:
            msg = "the unit of work is used outside its 'with' block"
            raise PersistenceError(msg)
        if self._tx is None or not self._tx.is_active:
            with translated("transaction"):
                if self._joined is not None:
                    self._tx = self._connection.begin_nested()
                else:
                    mode = "DEFERRED" if self._read_only else "IMMEDIATE"
                    self._connection.execution_options(gsan_sqlite_begin=mode)
                    self._tx = self._connection.begin()
        return self._connection

    def __enter__(self) -> Self:
        if self._joined is not None:
            self._connection = self._joined
        else:
            with translated("connection"):
                self._connection = self._backend.engine.connect()
        self._events = []
        if self._defer:
            self._watched = watch(self._connection, self.pending)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            if self._defer and self._connection is not None:
                watch(self._connection, self._watched)
            try:
                self._batches.release()
            finally:
                if self._joined is None and self._connection is not None:
                    self._connection.close()
                self._connection = None

    # ------------------------------------------------------------ reference rows
    def reference_cache(self, table: str) -> ReferenceCache | None:
        """The backend's cache of ``table``'s rows by id, or ``None``: not a
        cached table, or one this unit of work wrote (it reads its own writes)."""
        if table not in CACHED_TABLES or table in self._written:
            return None
        return self._backend.reference

    def wrote(
        self, table: str, rows: Sequence[tuple[Mapping[str, Any], object]] = ()
    ) -> None:
        """This unit of work wrote ``table``: read it from the database, and
        forget the backend's cached rows of it when the transaction ends.

        ``rows``: the written rows and their entities, when the write was
        only those (an insert or a compare-and-set update of each): the rows
        read ahead of the table are then kept, with those entities in them
        (``read_ahead.written``), instead of forgotten."""
        if self._ahead:
            self._ahead = written(self._ahead, table, rows)
        if self._handed:
            if not rows:  # an unknown write of the table: forget its rows
                self._handed = {k: v for k, v in self._handed.items() if k[0] != table}
            for _, entity in rows:
                self._handed[(table, getattr(entity, "id", None))] = entity
        if table in CACHED_TABLES:
            self._written.add(table)
        if table in DEPENDENT:  # e.g. a permission's answer and the user's row
            self._written.add(DEPENDENT[table])

    def _forget_written(self) -> None:
        if self._written:
            self._backend.reference.invalidate(self._written)
            self._written = set()

    # ------------------------------------------------------------ transaction
    def commit(self) -> None:
        """Write the outbox rows and commit (or release the savepoint)."""
        unwritten = [e for e in self._events if id(e) not in self._outboxed]
        if self._defer and (self.pending or unwritten):
            # the waiting writes and the outbox's: one statement
            outbox = None
            if unwritten and self._backend.outbox:
                outbox = outbox_rows(
                    self.tables["counter"], self.tables["outbox"], unwritten
                )
            self.pending.send(self._open(), outbox)
        elif unwritten and self._backend.outbox:
            self._write_outbox(unwritten)
        if self._tx is not None and self._tx.is_active:
            with translated("commit"):
                self._tx.commit()
        self._tx = None
        if self._id_blocks:
            self._backend.spare_ids.give_back(self._id_blocks)
            self._id_blocks = {}
        self._borrowed = set()
        self._committed.extend(self._events)
        self._events = []
        self._outboxed = set()
        self._ahead = {}
        self._handed = {}
        self._forget_written()

    def rollback(self) -> None:
        """Discard the work and the recorded events."""
        self._events = []
        self._outboxed = set()
        self._ahead = {}
        self._handed = {}
        self.pending.clear()
        # the blocks taken in this transaction: their reservation is rolled
        # back too; what is left of the borrowed ones (reserved by a committed
        # transaction) stays usable, past the ids handed out
        self._backend.spare_ids.give_back(
            {k: self._id_blocks[k] for k in self._borrowed if k in self._id_blocks}
        )
        self._id_blocks = {}
        self._borrowed = set()
        if self._tx is not None and self._tx.is_active:
            with translated("rollback"):
                self._tx.rollback()
        self._tx = None
        self._forget_written()

    def record(self, *events: DomainEvent) -> None:
        """Record events produced by the use case."""
        self._events.extend(events)

    def outbox_tables(self) -> tuple[sa.Table, sa.Table] | None:
        """The outbox's counter and table, where a repository's statement may
        write an event's outbox row itself (PostgreSQL, the outbox on; the
        event then goes to :meth:`record_written`); ``None`` elsewhere."""
        if self._backend.outbox and self._backend.engine.dialect.name == "postgresql":
            return self.tables["counter"], self.tables["outbox"]
        return None

    def record_written(self, event: DomainEvent) -> None:
        """Record ``event``, whose outbox row a statement of this transaction
        wrote already (issue 20): published once committed, not written again."""
        self._events.append(event)
        self._outboxed.add(id(event))

    def collect_events(self) -> Sequence[DomainEvent]:
        """Events of committed work, once."""
        events, self._committed = self._committed, []
        return events

    # ------------------------------------------------------------ ids
    def next_id(self, kind: str) -> int:
        """A new id of ``kind``."""
        return self.next_ids(kind, 1)[0]

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` new ids of ``kind``."""
        shared = self._backend.ids
        if shared is not None:
            return shared.next_ids(kind, count)
        owned = self._joined is None  # a host's transaction may still roll back
        return TransactionIds(
            self.connection,
            self.tables["id_block"],
            blocks=self._id_blocks if owned else None,
            spare=self._backend.spare_ids if owned else None,
            borrowed=self._borrowed,
        ).next_ids(kind, count)

    def ids_in_statements(self) -> bool:
        """Whether a statement may reserve its own ids in ``id_block`` (one
        ``INSERT ... ON CONFLICT`` upsert inside it): on PostgreSQL, when the
        ids come from this backend's blocks (:class:`HiLoIds` over its
        table); their cached blocks were taken from it before, so no id is
        given twice."""
        ids = self._backend.ids
        return (
            self._backend.engine.dialect.name == "postgresql"
            and isinstance(ids, HiLoIds)
            and ids.table is self.tables["id_block"]
        )

    # ------------------------------------------------------------ concurrency
    def read_only(self) -> None:
        """This unit of work only reads: on SQLite it begins deferred, beside
        the writers, instead of queueing for the write lock."""
        self._read_only = True

    def take_numbers(self, name: str, count: int, *, after: int = 0) -> Sequence[int]:
        """``count`` consecutive numbers of counter ``name``, in this transaction."""
        return take_numbers(
            self.connection, self.tables["counter"], name, count, after=after
        )

    def lock_key(self, name: str) -> None:
        """Lock the key ``name`` (its counter row) until the transaction ends;
        a cached table the key guards is read from the database from then on
        (``reference.LOCKED_TABLES``)."""
        lock_key(self.connection, self.tables["counter"], name)
        guarded = LOCKED_TABLES.get(name)
        if guarded is not None:
            self.wrote(guarded)

    def hold_batch(self, job: str, key: str) -> None:
        """Hold batch ``job`` for ``key`` until this unit of work ends."""
        self._batches.hold(self, job, [key])

    def holds_in_transaction(self) -> bool:
        """Whether this unit of work's batch holds end with its transaction
        (``TransactionHolding``: PostgreSQL's advisory locks, not a host's
        transaction; SQLite's lease rows are committed at once)."""
        return self._batches.in_transaction()

    def hold_batches(self, job: str, keys: Sequence[str]) -> None:
        """Hold batch ``job`` for each of ``keys`` (``BatchHolding``; on
        PostgreSQL one statement)."""
        self._batches.hold(self, job, keys)

    def bulk_add(self, store: str, entities: Sequence[object]) -> None:
        """Insert new rows of ``store`` (one of :data:`BULK_STORES`) in this
        transaction, as the store's ``add_many`` would write them but in one
        ``COPY`` on PostgreSQL (``BulkLoading``; a cadastral load)."""
        if store not in BULK_STORES:
            raise ConfigurationError(f"no bulk loading of {store!r}")
        mapper: RowMapper[Any] = getattr(self.mappers, store)
        self.wrote(store)
        copy_rows(self.connection, mapper.table, mapper.to_rows(entities), entity=store)

    def refresh_statistics(
        self, changed: Mapping[str, int], *, share: float | None = None
    ) -> None:
        """``ANALYZE`` the tables of which ``changed`` rows are more than
        ``share`` (default :data:`STALE_SHARE`, a tenth) of the planner's row
        estimate (PostgreSQL); ``PRAGMA optimize`` on SQLite, which analyses
        what it finds stale."""
        stale = STALE_SHARE if share is None else share
        connection = self.connection
        with translated("statistics"):
            if connection.dialect.name == "sqlite":
                if any(changed.values()):
                    connection.exec_driver_sql("PRAGMA optimize")
                return
            quote = connection.dialect.identifier_preparer
            names = {
                name: f"{quote.format_table(self.tables[name])}"
                for name, rows in changed.items()
                if rows
            }
            if not names:
                return
            # every estimate in one statement (a batch asks once per chunk)
            estimates: dict[str, float | None] = dict(
                connection.execute(
                    sa.text(
                        "SELECT t, reltuples FROM unnest(CAST(:ts AS text[])) AS t"
                        " LEFT JOIN pg_class ON pg_class.oid = to_regclass(t)"
                    ),
                    {"ts": list(names.values())},
                ).all()
            )
            for name, qualified in names.items():
                estimate = estimates.get(qualified)
                if estimate is None or changed[name] > stale * max(estimate, 0):
                    connection.exec_driver_sql(f"ANALYZE {qualified}")

    def _write_outbox(self, events: Sequence[DomainEvent]) -> None:
        # the last statement before COMMIT: the counter's row lock is held from
        # here to the commit, so ids are handed out in commit order
        write_outbox(
            self.connection, self.tables["counter"], self.tables["outbox"], events
        )
