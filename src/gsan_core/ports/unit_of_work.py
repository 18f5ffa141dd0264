"""The unit-of-work port.

A unit of work is a context manager around one transaction. It rolls back unless
``commit()`` ran (also when an exception leaves the block), collects the events
the use case records, writes them to its outbox with the work, and hands them out
only once committed.

Concurrency (``docs/concurrency.md``, ADR 0004): a use case whose rule reads
state that another use case may change at the same time first *locks* the
aggregate root that state hangs from (``uow.properties.lock(id)``,
``uow.service_requests.lock(id)``); the lock lasts until the transaction ends,
and what the use case reads after taking it is what it will commit against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

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
from gsan_core.ports.billing import Billing
from gsan_core.ports.connections import (
    ConnectionBatches,
    SewerConnectionRepository,
    SituationHistory,
    WaterConnectionRepository,
)
from gsan_core.ports.field_lock import FieldLock
from gsan_core.ports.field_work import FieldFileQueries, SelectiveQueries
from gsan_core.ports.outbox import Outbox
from gsan_core.ports.permissions import Permissions
from gsan_core.ports.repositories import (
    AssociationRepository,
    CatalogRepository,
    CollectionQueries,
    CustomerRepository,
    HydrometerRepository,
    InfractionNoticeRepository,
    InspectionBatchQueries,
    InstallationRepository,
    LocationQueries,
    MovementRepository,
    OutboundMessageRepository,
    PropertyRepository,
    RemovableRepository,
    RepavingRepository,
    Repository,
    ServiceOrderRepository,
    ServicePriceRepository,
    ServiceRequestRepository,
    SupplyScheduleRepository,
)
from gsan_core.ports.scheduling import ProgrammingRepository, ScheduleRepository
from gsan_core.ports.seeding import Seeding

__all__ = [
    "BatchHolding",
    "JointReading",
    "TransactionHolding",
    "UnitOfWork",
    "UnitOfWorkFactory",
]


class UnitOfWork(Protocol):
    """One transaction over every repository and port."""

    @property
    def catalog(self) -> CatalogRepository: ...

    @property
    def properties(self) -> PropertyRepository: ...

    @property
    def localities(self) -> Repository[Locality]: ...

    @property
    def sectors(self) -> Repository[CommercialSector]: ...

    @property
    def blocks(self) -> Repository[Block]: ...

    @property
    def routes(self) -> Repository[Route]: ...

    @property
    def units(self) -> Repository[OrganizationalUnit]: ...

    @property
    def users(self) -> Repository[User]: ...

    @property
    def permission_changes(self) -> Repository[PermissionChange]:
        """The audit trail of special-permission grants and revocations."""
        ...

    @property
    def service_types(self) -> Repository[ServiceType]: ...

    @property
    def service_orders(self) -> ServiceOrderRepository: ...

    @property
    def order_units(self) -> Repository[OrderUnitRecord]: ...

    @property
    def service_prices(self) -> ServicePriceRepository: ...

    @property
    def teams(self) -> Repository[Team]: ...

    @property
    def material_kits(self) -> Repository[MaterialKit]: ...

    @property
    def order_executions(self) -> Repository[OrderExecution]: ...

    @property
    def locations(self) -> LocationQueries: ...

    @property
    def collection(self) -> CollectionQueries: ...

    @property
    def water_connections(self) -> WaterConnectionRepository: ...

    @property
    def sewer_connections(self) -> SewerConnectionRepository: ...

    @property
    def situation_history(self) -> SituationHistory: ...

    @property
    def connection_batches(self) -> ConnectionBatches: ...

    @property
    def hydrometers(self) -> HydrometerRepository: ...

    @property
    def hydrometer_installations(self) -> InstallationRepository: ...

    @property
    def hydrometer_movements(self) -> MovementRepository: ...

    @property
    def anomaly_actions(self) -> Repository[ConsumptionAnomalyAction]: ...

    @property
    def service_requests(self) -> ServiceRequestRepository: ...

    @property
    def request_specifications(self) -> Repository[RequestSpecification]: ...

    @property
    def routing_steps(self) -> Repository[RoutingStep]: ...

    @property
    def situation_profiles(self) -> Repository[PropertySituationProfile]: ...

    @property
    def locality_specification_units(
        self,
    ) -> AssociationRepository[LocalitySpecificationUnit]: ...

    @property
    def collection_situation_units(
        self,
    ) -> AssociationRepository[CollectionSituationUnit]: ...

    @property
    def locality_group_units(self) -> AssociationRepository[LocalityGroupUnit]: ...

    @property
    def reiterations(self) -> Repository[Reiteration]: ...

    @property
    def closing_commands(self) -> Repository[ClosingCommand]: ...

    @property
    def manual_number_blocks(self) -> Repository[ManualNumberBlock]: ...

    @property
    def occurrences(self) -> RemovableRepository[OperationalOccurrence]: ...

    @property
    def surveys(self) -> Repository[SatisfactionSurvey]: ...

    @property
    def regulator_records(self) -> Repository[RegulatorRecord]: ...

    @property
    def customers(self) -> CustomerRepository: ...

    @property
    def customer_types(self) -> Repository[CustomerType]: ...

    @property
    def power_spheres(self) -> Repository[PowerSphere]: ...

    @property
    def customer_properties(self) -> Repository[CustomerProperty]:
        """``cliente_imovel``: customer–property relations (by customer or property)."""
        ...

    @property
    def surcharge_indices(self) -> Repository[SurchargeIndex]:
        """The index table of the late-payment surcharges (id = ``yyyymm``)."""
        ...

    @property
    def collection_documents(self) -> Repository[CollectionDocument]: ...

    @property
    def certificates(self) -> Repository[Certificate]: ...

    @property
    def request_payments(self) -> Repository[RequestPayment]:
        """Duplicated payments linked to refund RAs (§6.1)."""
        ...

    @property
    def schedules(self) -> ScheduleRepository: ...

    @property
    def programmings(self) -> ProgrammingRepository: ...

    @property
    def special_days(self) -> Repository[SpecialDay]: ...

    @property
    def team_followers(self) -> Repository[TeamFollower]: ...

    @property
    def supply_schedules(self) -> SupplyScheduleRepository: ...

    @property
    def outbound_messages(self) -> OutboundMessageRepository: ...

    @property
    def message_cursors(self) -> Repository[MessageCursor]: ...

    @property
    def procedures(self) -> Repository[OperatingProcedure]: ...

    @property
    def selective_commands(self) -> Repository[SelectiveCommand]:
        """Selective commands (SEL)."""
        ...

    @property
    def selective_orders(self) -> Repository[SelectiveOrder]:
        """The orders each selective command emitted (one per property)."""
        ...

    @property
    def sewer_commands(self) -> Repository[SewerCommand]:
        """Sewer-connection commands (ESG)."""
        ...

    @property
    def sewer_command_orders(self) -> Repository[SewerCommandOrder]:
        """The orders each sewer command generated (one per property)."""
        ...

    @property
    def field_files(self) -> RemovableRepository[FieldFile]:
        """Field-device files (TXT)."""
        ...

    @property
    def field_file_items(self) -> Repository[FieldFileItem]:
        """The orders of each field-device file, in file order."""
        ...

    @property
    def return_lines(self) -> Repository[ReturnLine]:
        """Staged lines of the devices' returns (RET-01)."""
        ...

    @property
    def field_file_queries(self) -> FieldFileQueries:
        """The device files' set-based reads."""
        ...

    @property
    def selective(self) -> SelectiveQueries:
        """The selective emission's set-based reads."""
        ...

    @property
    def inspection_findings(self) -> RemovableRepository[InspectionFinding]: ...

    @property
    def infraction_notices(self) -> InfractionNoticeRepository: ...

    @property
    def repaving_works(self) -> RepavingRepository: ...

    @property
    def inspection_batches(self) -> InspectionBatchQueries: ...

    @property
    def order_acceptances(self) -> Repository[OrderAcceptance]: ...

    @property
    def repaving_costs(self) -> RemovableRepository[RepavingCost]:
        """Repaving costs per unit, surface and pavement type (PAV-06..08)."""
        ...

    @property
    def order_bulletins(self) -> Repository[OrderBulletin]:
        """Executed orders' bulletin quantities (ENC-19)."""
        ...

    @property
    def concluded_inspections(self) -> Repository[ConcludedOrderInspection]:
        """Concluded orders' inspections (FIS-17/18)."""
        ...

    @property
    def billing(self) -> Billing: ...

    @property
    def permissions(self) -> Permissions: ...

    @property
    def field_lock(self) -> FieldLock: ...

    @property
    def seeding(self) -> Seeding:
        """Loading the outside modules' data into the default stores (debts,
        payments, consumption, permissions, the field lock); a backend over
        a database those modules own has none (``ConfigurationError``)."""
        ...

    @property
    def outbox(self) -> Outbox: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the work durable; events become collectable."""
        ...

    def rollback(self) -> None:
        """Discard the work and the recorded events."""
        ...

    def record(self, *events: DomainEvent) -> None:
        """Record events produced by the use case."""
        ...

    def collect_events(self) -> Sequence[DomainEvent]:
        """The events of committed work, once (later calls return nothing new)."""
        ...

    def next_id(self, kind: str) -> int:
        """A new id of ``kind`` (see :class:`~gsan_core.ports.ids.IdGenerator`)."""
        ...

    def next_ids(self, kind: str, count: int) -> Sequence[int]:
        """``count`` new ids of ``kind``."""
        ...

    def read_only(self) -> None:
        """Declare, before the first read, that this unit of work will not write.

        A backend may then run it beside writers instead of queueing it behind
        them (SQLite begins its transaction deferred instead of immediate).
        """
        ...

    def defer_writes(self) -> None:
        """Declare that a repository's inserts and updates may be sent later,
        together: at the unit of work's next read or at its commit (one
        statement on PostgreSQL). A write's ``DuplicateEntity`` or
        ``ConcurrencyConflict`` then comes at that point instead of at once;
        nothing is written either way. For a command's one transaction
        (issue 20); a backend may write at once regardless.
        """
        ...

    def read_ahead(self, command: str, key: int) -> None:
        """Declare that ``command`` is about to run on ``key``: a backend may
        read what it reads in fewer statements, and answer the repositories'
        next reads of the same rows from them (issue 20; ADR 0006).

        ``"close_order"`` (``key``: the order): the order, its request and
        property, locked (the request first) as the roots of its orders
        (ADR 0004), the request's orders, the property's
        water connection, the meter at its water point and its payment
        slips. ``"change_situation"`` (``key``: the order of type 1004,
        UC0555; also a field order closed from its return, a visit or a
        sewer command): what ``"close_order"`` reads, the property's block,
        sewer connection and locality, the order answered once more (the
        command checks its type before closing it). ``"open_request"``
        (``key``: the property): the property, locked, its customers and its
        requests. ``"check_open_request"`` (``key``: the property; checking
        an opening, which writes nothing): the same rows, not locked.
        ``"generate_order"`` (``key``: the property): the property
        and the active units of its locality. ``"connect"`` (``key``:
        the property; connecting water or sewer without an order): the
        property, locked, then its route share-locked (the field lock), its
        block, water and sewer connections, the route's field lock and the
        consumption tariffs. ``"forward_request"`` (``key``:
        the request): the request, locked, its orders, its routing steps and
        its locality's units by group. ``"close_request"`` (``key``: the
        request): the request, locked, and its orders. ``"refund"``
        (``key``: the refund request, UC1131): the request, locked, then its
        property, locked, the request's orders and payment links, the
        property's open debts and charges and its payments.
        ``"reactivate_request"`` (``key``: the closed request): the request,
        locked, then its property, locked, its successors, the property's
        customers and requests. ``"update_order"``
        (``key``: the order): the order, its field-file items and their
        files. ``"delete_meter"`` (``key``: the meter): the meter and
        how many installation periods and movement lines name it.
        ``"correct_installation"`` (``key``: the property; UC0368 without an
        order): the property, locked, and at each point its open
        installation, that meter and the point's last removal.
        ``"update_request"`` (``key``: the request; "Manter RA" without a new
        place): the request, locked, then its property, locked, the request's
        orders and the property's requests. The answers are
        the same as without the call; a backend may do nothing.
        """
        ...

    def take_numbers(self, name: str, count: int, *, after: int = 0) -> Sequence[int]:
        """``count`` consecutive numbers of the gap-free counter ``name``.

        Taken in this unit of work's transaction: concurrent takers queue, and a
        rollback gives the numbers back, so numbers are handed out without gaps
        in commit order. The first number is greater than ``after`` (a floor for
        numbers issued before the counter existed).
        """
        ...

    def lock_key(self, name: str) -> None:
        """Lock the key ``name`` until the transaction ends: for a rule whose
        root is no single row (the rows of one catalog kind, CAT-4), the key
        plays the root (``docs/concurrency.md``)."""
        ...

    def hold_batch(self, job: str, key: str) -> None:
        """Hold the right to run batch ``job`` for ``key`` until this unit of work
        ends; :class:`~gsan_core.errors.BatchAlreadyRunning` when another unit
        of work (of any process) holds it. A holder that dies releases it."""
        ...

    def refresh_statistics(
        self, changed: Mapping[str, int], *, share: float | None = None
    ) -> None:
        """A batch wrote ``changed[table]`` rows of these tables: when that is
        a large share of a table, refresh the store's planner statistics
        (``ANALYZE`` on PostgreSQL, ``PRAGMA optimize`` on SQLite; nothing in
        memory), so the next statements are planned on the new sizes.
        ``share``: the fraction of the table's estimated rows above which it
        is refreshed (``None``: the store's default, a tenth on PostgreSQL)."""
        ...


@runtime_checkable
class BatchHolding(Protocol):
    """A unit of work that holds a batch for several keys at once (the SQL
    adapters on PostgreSQL: one statement, where :meth:`UnitOfWork.hold_batch`
    per key is one round trip each; a cut-order run over every collection
    group holds hundreds of keys at 1 million properties, issue 20). Without
    it a service holds the keys one by one."""

    def hold_batches(self, job: str, keys: Sequence[str]) -> None:
        """:meth:`UnitOfWork.hold_batch` for each of ``keys`` in order:
        :class:`~gsan_core.errors.BatchAlreadyRunning` names the first key
        another unit of work holds, and the keys after it are not taken."""
        ...


@runtime_checkable
class TransactionHolding(Protocol):
    """A unit of work whose batch hold lives in its transaction (the SQL
    adapter on PostgreSQL: a transaction-level advisory lock): the hold ends
    with the transaction's commit or rollback. A batch run can then read what
    it starts from in the holding transaction and write its last chunk there,
    its commit ending the hold (issue 20: the batch frame of a one-chunk run
    in one transaction)."""

    def holds_in_transaction(self) -> bool:
        """Whether the batches this unit of work holds end with its current
        transaction (``False`` where a hold is a committed lease row, or the
        transaction is a host's)."""
        ...


@runtime_checkable
class JointReading(Protocol):
    """A unit of work that reads what hangs from several requests in one
    statement (the SQL adapters; issue 20): forwarding requests together
    (UC0503) reads their orders, routing steps and localities' units after
    locking them. Without it a service reads them one table at a time."""

    def read_under_requests(
        self, request_ids: Sequence[int]
    ) -> tuple[
        Sequence[ServiceOrder], Sequence[RoutingStep], Sequence[LocalityGroupUnit]
    ]:
        """The orders and routing steps of the requests ``request_ids`` and
        the units associated with their localities by group, each by id."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
