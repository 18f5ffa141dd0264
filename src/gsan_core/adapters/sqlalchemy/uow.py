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
from gsan_core.adapters.sqlalchemy.read_ahead import (
    read_closing,
    read_connecting,
    read_generation,
    read_opening,
)
from gsan_core.adapters.sqlalchemy.read_ahead_meters import read_deletion
from gsan_core.adapters.sqlalchemy.read_ahead_requests import (
    read_forwarding,
    read_order_update,
    read_reactivation,
    read_refund,
    read_request_closing,
    read_under_requests,
    written,
)
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
from gsan_core.model.field_files import FieldFile, FieldFileItem, ReturnLine
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
    from gsan_core.adapters.sqlalchemy import Mappers, SqlBackend
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
        self.mappers = backend.mappers
        self._joined = joined
        self._connection: sa.Connection | None = None
        self._tx: sa.Transaction | None = None
        self._events: list[DomainEvent] = []
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
        mappers = backend.mappers
        #: The backend's row mappers (shared by every unit of work).
        self.mappers = mappers
        self.catalog = SqlCatalogRepository(self, self.tables["catalog_item"])
        self.properties = SqlPropertyRepository(self, mappers.property, "property")
        self.localities: SqlRepository[Locality] = SqlRepository(
            self, mappers.locality, "locality"
        )
        self.sectors: SqlRepository[CommercialSector] = SqlRepository(
            self, mappers.sector, "sector"
        )
        self.blocks: SqlRepository[Block] = SqlRepository(self, mappers.block, "block")
        self.routes: SqlRepository[Route] = SqlRepository(self, mappers.route, "route")
        self.locations = SqlLocationQueries(self)
        self.units: SqlRepository[OrganizationalUnit] = SqlRepository(
            self, mappers.unit, "unit"
        )
        self.users: SqlRepository[User] = SqlRepository(self, mappers.user, "user")
        self.permission_changes: SqlRepository[PermissionChange] = SqlRepository(
            self, mappers.permission_change, "permission_change"
        )
        self.service_types: SqlRepository[ServiceType] = SqlRepository(
            self, mappers.service_type, "service_type"
        )
        self.service_orders = SqlServiceOrderRepository(
            self, mappers.service_order, mappers.order_unit
        )
        self.order_units: SqlRepository[OrderUnitRecord] = SqlRepository(
            self, mappers.order_unit, "order_unit"
        )
        self.service_prices = SqlServicePriceRepository(
            self, mappers.service_charge_value, "service_charge_value"
        )
        self.collection = SqlCollectionQueries(self)
        self.teams: SqlRepository[Team] = SqlRepository(self, mappers.team, "team")
        self.material_kits: SqlRepository[MaterialKit] = SqlRepository(
            self, mappers.material_kit, "material_kit"
        )
        self.order_executions: SqlRepository[OrderExecution] = SqlRepository(
            self, mappers.order_execution, "order_execution"
        )
        self.water_connections = SqlWaterConnectionRepository(
            self, mappers.water_connection, "water_connection"
        )
        self.sewer_connections = SqlSewerConnectionRepository(
            self, mappers.sewer_connection, "sewer_connection"
        )
        self.situation_history = SqlSituationHistory(self, mappers.situation_change)
        self.connection_batches = SqlConnectionBatches(self)
        self.hydrometers = SqlHydrometerRepository(
            self, mappers.hydrometer, "hydrometer"
        )
        self.hydrometer_installations = SqlInstallationRepository(
            self, mappers.hydrometer_installation, "hydrometer_installation"
        )
        self.hydrometer_movements = SqlMovementRepository(
            self, mappers.hydrometer_movement, "hydrometer_movement"
        )
        self.anomaly_actions: SqlRepository[ConsumptionAnomalyAction] = SqlRepository(
            self, mappers.consumption_anomaly_action, "consumption_anomaly_action"
        )
        self._service_request_repositories(mappers)
        self._account_repositories(mappers)
        self._scheduling_repositories(mappers)
        self._field_work_repositories(mappers)
        self.billing = SqlBilling(self)
        self.permissions = SqlPermissions(self)
        self.field_lock = SqlFieldLock(self)
        self.seeding = StoreSeeding(self.billing, self.permissions, self.field_lock)
        # a relay claims its batch in one statement on PostgreSQL, in a
        # transaction of its own (a host's transaction holds no batch)
        claims = backend.engine.dialect.name == "postgresql" and self._joined is None
        self.outbox = PostgresOutbox(self) if claims else SqlOutbox(self)

    def _service_request_repositories(self, mappers: Mappers) -> None:
        self.service_requests = SqlServiceRequestRepository(
            self, mappers.service_request, "service_request"
        )
        self.request_specifications: SqlRepository[RequestSpecification] = (
            SqlRepository(self, mappers.request_specification, "request_specification")
        )
        self.routing_steps: SqlRepository[RoutingStep] = SqlRepository(
            self, mappers.routing_step, "routing_step"
        )
        self.situation_profiles: SqlRepository[PropertySituationProfile] = (
            SqlRepository(self, mappers.situation_profile, "situation_profile")
        )
        self.locality_specification_units: SqlAssociationRepository[
            LocalitySpecificationUnit
        ] = SqlAssociationRepository(
            self, mappers.locality_specification_unit, "locality_specification_unit"
        )
        self.collection_situation_units: SqlAssociationRepository[
            CollectionSituationUnit
        ] = SqlAssociationRepository(
            self, mappers.collection_situation_unit, "collection_situation_unit"
        )
        self.locality_group_units: SqlAssociationRepository[LocalityGroupUnit] = (
            SqlAssociationRepository(
                self, mappers.locality_group_unit, "locality_group_unit"
            )
        )
        self.reiterations: SqlRepository[Reiteration] = SqlRepository(
            self, mappers.reiteration, "reiteration"
        )
        self.closing_commands: SqlRepository[ClosingCommand] = SqlRepository(
            self, mappers.closing_command, "closing_command"
        )
        self.manual_number_blocks: SqlRepository[ManualNumberBlock] = SqlRepository(
            self, mappers.manual_number_block, "manual_number_block"
        )
        self.occurrences: SqlRepository[OperationalOccurrence] = SqlRepository(
            self, mappers.operational_occurrence, "operational_occurrence"
        )
        self.surveys: SqlRepository[SatisfactionSurvey] = SqlRepository(
            self, mappers.satisfaction_survey, "satisfaction_survey"
        )
        self.regulator_records: SqlRepository[RegulatorRecord] = SqlRepository(
            self, mappers.regulator_record, "regulator_record"
        )

        self.supply_schedules = SqlSupplyScheduleRepository(
            self, mappers.supply_schedule, "supply_schedule"
        )
        self.outbound_messages = SqlOutboundMessageRepository(
            self, mappers.outbound_message, "outbound_message"
        )
        self.message_cursors: SqlRepository[MessageCursor] = SqlRepository(
            self, mappers.message_cursor, "message_cursor"
        )
        self.procedures: SqlRepository[OperatingProcedure] = SqlRepository(
            self, mappers.operating_procedure, "operating_procedure"
        )
        self.inspection_findings: SqlRepository[InspectionFinding] = SqlRepository(
            self, mappers.inspection_finding, "inspection_finding"
        )
        self.infraction_notices = SqlInfractionNotices(
            self, mappers.infraction_notice, "infraction_notice"
        )
        self.repaving_works = SqlRepavingRepository(
            self, mappers.repaving_work, "repaving_work"
        )
        self.inspection_batches = SqlInspectionBatches(
            self, mappers.service_order, "service_order"
        )
        self.order_acceptances: SqlRepository[OrderAcceptance] = SqlRepository(
            self, mappers.order_acceptance, "order_acceptance"
        )
        self.repaving_costs: SqlRepository[RepavingCost] = SqlRepository(
            self, mappers.repaving_cost, "repaving_cost"
        )
        self.order_bulletins: SqlRepository[OrderBulletin] = SqlRepository(
            self, mappers.order_bulletin, "order_bulletin"
        )
        self.concluded_inspections: SqlRepository[ConcludedOrderInspection] = (
            SqlRepository(
                self, mappers.concluded_order_inspection, "concluded_order_inspection"
            )
        )

    def _account_repositories(self, mappers: Mappers) -> None:
        self.customers = SqlCustomers(self, mappers.customer, "customer")
        self.customer_types: SqlRepository[CustomerType] = SqlRepository(
            self, mappers.customer_type, "customer_type"
        )
        self.power_spheres: SqlRepository[PowerSphere] = SqlRepository(
            self, mappers.power_sphere, "power_sphere"
        )
        self.customer_properties: SqlRepository[CustomerProperty] = SqlRepository(
            self, mappers.customer_property, "customer_property"
        )
        self.surcharge_indices: SqlRepository[SurchargeIndex] = SqlSurchargeIndices(
            self, mappers.surcharge_index, "surcharge_index"
        )
        self.collection_documents: SqlRepository[CollectionDocument] = SqlRepository(
            self, mappers.collection_document, "collection_document"
        )
        self.certificates: SqlRepository[Certificate] = SqlRepository(
            self, mappers.certificate, "certificate"
        )
        self.request_payments: SqlRepository[RequestPayment] = SqlRepository(
            self, mappers.request_payment, "request_payment"
        )

    def _field_work_repositories(self, mappers: Mappers) -> None:
        self.selective_commands: SqlRepository[SelectiveCommand] = SqlRepository(
            self, mappers.selective_command, "selective_command"
        )
        self.selective_orders: SqlRepository[SelectiveOrder] = SqlRepository(
            self, mappers.selective_order, "selective_order"
        )
        self.selective = SqlSelectiveQueries(self)
        self.sewer_commands: SqlRepository[SewerCommand] = SqlRepository(
            self, mappers.sewer_command, "sewer_command"
        )
        self.sewer_command_orders: SqlRepository[SewerCommandOrder] = SqlRepository(
            self, mappers.sewer_command_order, "sewer_command_order"
        )
        self.field_file_queries = SqlFieldFileQueries(self)
        self.field_files: SqlRepository[FieldFile] = SqlRepository(
            self, mappers.field_file, "field_file"
        )
        self.field_file_items: SqlRepository[FieldFileItem] = SqlRepository(
            self, mappers.field_file_item, "field_file_item"
        )
        self.return_lines: SqlRepository[ReturnLine] = SqlRepository(
            self, mappers.return_line, "field_return_line"
        )

    def _scheduling_repositories(self, mappers: Mappers) -> None:
        self.schedules = SqlScheduleRepository(self, mappers.schedule, "schedule")
        self.programmings = SqlProgrammingRepository(
            self, mappers.scheduled_order, "scheduled_order"
        )
        self.special_days: SqlRepository[SpecialDay] = SqlRepository(
            self, mappers.special_day, "special_day"
        )
        self.team_followers: SqlRepository[TeamFollower] = SqlRepository(
            self, mappers.team_follower, "team_follower"
        )

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
        """Read what ``command`` (``"close_order"``, ``"change_situation"``,
        ``"open_request"``, ``"check_open_request"``,
        ``"generate_order"``, ``"connect"``, ``"forward_request"``,
        ``"close_request"``, ``"reactivate_request"``, ``"refund"``, ``"update_order"``, ``"delete_meter"``) reads
        about ``key`` in
        fewer statements, for the repositories' next reads of the same rows
        (``read_ahead.py``; ADR 0006). Other commands: nothing."""
        if command == "close_order":
            read_closing(self, key)
        elif command == "change_situation":
            read_closing(self, key, situation=True)
        elif command == "open_request":
            read_opening(self, key)
        elif command == "check_open_request":
            read_opening(self, key, lock=False)
        elif command == "generate_order":
            read_generation(self, key)
        elif command == "connect":
            read_connecting(self, key)
        elif command == "forward_request":
            read_forwarding(self, key)
        elif command == "close_request":
            read_request_closing(self, key)
        elif command == "reactivate_request":
            read_reactivation(self, key)
        elif command == "refund":
            read_refund(self, key)
        elif command == "update_order":
            read_order_update(self, key)
        elif command == "delete_meter":
            read_deletion(self, key)

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
        if self._defer and (self.pending or self._events):
            # the waiting writes and the outbox's: one statement
            outbox = None
            if self._events and self._backend.outbox:
                outbox = outbox_rows(
                    self.tables["counter"], self.tables["outbox"], self._events
                )
            self.pending.send(self._open(), outbox)
        elif self._events and self._backend.outbox:
            self._write_outbox(self._events)
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
        self._ahead = {}
        self._handed = {}
        self._forget_written()

    def rollback(self) -> None:
        """Discard the work and the recorded events."""
        self._events = []
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
