"""Repository ports.

One convention for the whole library:

* ``get(id)`` returns the entity or raises :class:`~gsan_core.errors.NotFound`;
* ``find(id)`` returns the entity or ``None``; ``find_by(**criteria)`` a list;
* ``add(entity)`` inserts version 1 and raises
  :class:`~gsan_core.errors.DuplicateEntity` when the id exists;
* ``update(entity)`` stores ``entity`` (whose ``version`` is the stored one plus
  one) with a compare-and-set on the stored version and raises
  :class:`~gsan_core.errors.ConcurrencyConflict` (nothing written) when the stored
  version moved;
* ``add_many`` / ``update_many`` are the set-based forms: all or nothing;
* ``lock(id)`` reads the entity and locks it until the transaction ends: a
  concurrent ``lock`` or write of it waits, and everything the use case reads
  after taking the lock is current (see ``docs/concurrency.md``).

After a repository raises, the unit of work must be rolled back (leaving the
``with`` block does it).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol, TypeVar

from gsan_core.model.accounts import Customer
from gsan_core.model.catalog import CatalogItem, Reference
from gsan_core.model.collection import (
    CutCriteria,
    CutFact,
    CutOrdersWritten,
    CutOrderTemplate,
    CutSelection,
)
from gsan_core.model.events import DomainEvent
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    HydrometerMovement,
    MeasurementPoint,
    StockEntry,
)
from gsan_core.model.inspections import (
    ClosedOrderRow,
    ClosedOrderScope,
    InfractionNotice,
    InspectedChunk,
)
from gsan_core.model.properties import LocationLinks, Property
from gsan_core.model.repaving import RepavingWork
from gsan_core.model.scheduling import SchedulableOrder
from gsan_core.model.service_desk import (
    MessageStatus,
    OutboundMessage,
    ScheduleKind,
    SupplySchedule,
)
from gsan_core.model.service_orders import (
    OrderUnitRecord,
    ServiceChargeValue,
    ServiceOrder,
)
from gsan_core.model.service_requests import (
    ClosedByCommand,
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    OrderRef,
    RequestRef,
    ServiceRequest,
)

__all__ = [
    "AssociationRepository",
    "CatalogRepository",
    "CollectionQueries",
    "Criterion",
    "CustomerRepository",
    "Entity",
    "HydrometerRepository",
    "InfractionNoticeRepository",
    "InspectionBatchQueries",
    "InstallationRepository",
    "LocationQueries",
    "MovementRepository",
    "OutboundMessageRepository",
    "PropertyRepository",
    "RemovableRepository",
    "RepavingRepository",
    "Repository",
    "ServiceOrderRepository",
    "ServicePriceRepository",
    "ServiceRequestRepository",
    "SupplyScheduleRepository",
]

#: A ``find_by`` criterion: a value to equal, or a collection to be in.
Criterion = object


class Entity(Protocol):
    """What every aggregate has: an integer id and a version."""

    @property
    def id(self) -> int: ...

    @property
    def version(self) -> int: ...


E = TypeVar("E", bound=Entity)


class Repository(Protocol[E]):
    """Storage of one aggregate type."""

    def get(self, id: int) -> E:
        """The entity with that id; ``NotFound`` otherwise."""
        ...

    def find(self, id: int) -> E | None:
        """The entity with that id, or ``None``."""
        ...

    def get_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        """The entities among ``ids`` that exist, by id (one round trip per chunk)."""
        ...

    def find_by(self, **criteria: Criterion) -> Sequence[E]:
        """Entities whose fields equal the criteria (a collection means "in"), by id."""
        ...

    def count_by(self, **criteria: Criterion) -> int:
        """How many entities match the criteria."""
        ...

    def add(self, entity: E) -> None:
        """Insert a new entity."""
        ...

    def add_many(self, entities: Iterable[E]) -> None:
        """Insert many new entities at once; all or nothing."""
        ...

    def update(self, entity: E) -> None:
        """Store a new version of an entity (compare-and-set)."""
        ...

    def update_many(self, entities: Iterable[E]) -> None:
        """Store new versions of many entities; all or nothing."""
        ...

    def lock(self, id: int) -> E:
        """The entity, locked until the transaction ends; ``NotFound`` otherwise.

        A unit of work that locks an aggregate root waits for one that holds it
        (until the backend's lock timeout: then ``ConcurrencyConflict``) and then
        reads the state that unit of work committed.
        """
        ...

    def lock_many(self, ids: Iterable[int]) -> Mapping[int, E]:
        """:meth:`lock` for many entities at once (in id order, so that two units
        of work locking overlapping sets cannot deadlock); those that exist."""
        ...


class CustomerRepository(Repository[Customer], Protocol):
    """Customers, with their hierarchy read at once (CNC-05, issue 20)."""

    def under(self, customer_id: int) -> Mapping[int, Sequence[int]]:
        """The customers answering, directly or through others, to
        ``customer_id``: their ids by their responsible customer, each list
        by id (one read; a loop in the hierarchy ends where it closes)."""
        ...


class PropertyRepository(Repository[Property], Protocol):
    """Properties, with the grouped reads the batch jobs and the demo need."""

    def count_by_water_status(self) -> Mapping[int, int]:
        """How many active properties are in each water situation."""
        ...

    def ids_by_route(self, route_id: int) -> Sequence[int]:
        """Ids of the route's properties, ascending."""
        ...


class ServiceOrderRepository(Repository[ServiceOrder], Protocol):
    """Service orders, with the set-based statements of the batches and reports.

    The overdue closing (UC0734) works chunk by chunk: one statement selects a
    chunk of pending ids, one closes them, one inserts their unit-trail rows.
    """

    def pending_ids(
        self,
        *,
        service_type_id: int,
        generated_before: datetime,
        limit: int,
        after_id: int = 0,
    ) -> Sequence[int]:
        """Ids above ``after_id`` of pending orders of the type generated before
        the instant, the ``limit`` lowest first (a batch pages with ``after_id``,
        so it never walks again over the orders it closed)."""
        ...

    def schedulable(self, unit_id: int) -> Sequence[SchedulableOrder]:
        """The unit's open orders (pending or in execution) not programmed whose
        type takes automatic scheduling, by id (UC1190's candidates, one
        statement)."""
        ...

    def count_pending(self, *, service_type_id: int, generated_before: datetime) -> int:
        """How many pending orders of the type were generated before the instant."""
        ...

    def close_pending(
        self, ids: Sequence[int], *, reason_id: int, closed_at: datetime
    ) -> Sequence[int]:
        """Close those of ``ids`` that are still pending (situation 2, the reason,
        the instant, no remark, version + 1); return the ids it closed."""
        ...

    def close_next_pending(
        self,
        *,
        service_type_id: int,
        generated_before: datetime,
        after_id: int,
        limit: int,
        reason_id: int,
        closed_at: datetime,
        unit_id: int | None,
        user_id: int,
    ) -> tuple[Sequence[int], Sequence[int]]:
        """One chunk of the overdue closing: select the :meth:`pending_ids`
        after ``after_id`` (at most ``limit``), close those still pending as
        :meth:`close_pending` does, and append one CLOSED unit-trail row per
        order closed, with ids of kind ``order_unit`` the adapter takes in the
        chunk's own transaction (ascending with the orders' ids), so that a
        rollback leaves neither the orders closed nor their trail.
        Returns ``(ids selected, ids closed)``, ascending.

        The SQL adapter does it in one statement on PostgreSQL (the update, the
        trail ids' reservation in ``id_block`` and the trail insert are
        data-modifying CTEs)."""
        ...

    def closed_between(
        self,
        *,
        start: datetime,
        end: datetime,
        service_type_id: int | None = None,
        unit_id: int | None = None,
    ) -> Sequence[tuple[ServiceOrder, OrderUnitRecord | None]]:
        """Orders closed in ``[start, end)`` with their closing unit-trail row
        (relation ``CLOSED``), by closing instant and id;
        ``unit_id`` filters on the unit that closed them."""
        ...


class ServicePriceRepository(Repository[ServiceChargeValue], Protocol):
    """The service price table ("Manter Valor de Cobrança do Serviço" removes rows)."""

    def remove(self, row: ServiceChargeValue) -> None:
        """Delete the row at its current version (compare-and-set)."""
        ...

    def of_type(self, service_type_id: int) -> Sequence[ServiceChargeValue]:
        """The rows that price ``service_type_id`` (CHG-5's look-up), by id: a
        reference read an adapter may serve from its reference cache (the
        rules that check the table itself read it with ``find_by``)."""
        ...


class AssociationRepository(Repository[E], Protocol):
    """Configuration rows that are replaced as a set (routing associations)."""

    def remove_many(self, entities: Iterable[E]) -> None:
        """Delete rows at their current version (compare-and-set); all or nothing."""
        ...


class ServiceRequestRepository(Repository[ServiceRequest], Protocol):
    """Service requests, with the set-based reads of the batch and the queries."""

    def closing_localities(
        self, *, since: datetime, until: datetime
    ) -> Sequence[int | None]:
        """The localities of pending requests attended in ``[since, until)``."""
        ...

    def closing_candidates(
        self,
        *,
        locality_id: int | None,
        since: datetime,
        until: datetime,
        attendance_unit_id: int | None = None,
        current_unit_ids: Collection[int] | None = None,
        specification_ids: Collection[int] | None = None,
    ) -> Sequence[RequestRef]:
        """CMD-06: pending requests of the locality attended in ``[since, until)``
        without any open scheduled order, filtered as given, by id.

        The pending requests of the locality and period are locked first, until
        the transaction ends (the roots of the orders read here)."""
        ...

    def close_by_command(
        self,
        *,
        command_id: int,
        locality_ids: Sequence[int | None],
        since: datetime,
        until: datetime,
        attendance_unit_id: int | None,
        current_unit_ids: Collection[int] | None,
        specification_ids: Collection[int] | None,
        reason_id: int,
        closed_at: datetime,
        order_remark: str,
        request_remark: str,
        actor: int,
    ) -> ClosedByCommand | None:
        """UC0736 for a chunk of localities written set-based in the store
        (CMD-06; ``None`` among them: the requests without a locality): the
        :meth:`closing_candidates` of each of them closed (``closing_unit_id``
        the actor's unit), their open orders closed with a unit-trail row each
        (relation CLOSED), and the command's counters increased, the ids of
        the trail reserved in the same statement; what they closed, together
        (the requests and the orders by id).

        ``None`` when the store does not write set-based: the service then
        runs, locality by locality, :meth:`closing_candidates`,
        :meth:`open_orders_of`, :meth:`close_orders` and
        :meth:`close_requests` with the pure rules."""
        ...

    def open_orders_of(self, request_ids: Collection[int]) -> Sequence[OrderRef]:
        """The open orders (pending, in execution, awaiting release) of requests."""
        ...

    def close_requests(
        self,
        requests: Sequence[RequestRef],
        *,
        closed_at: datetime,
        reason_id: int,
        remark: str | None,
        unit_id: int | None,
        actor: int,
    ) -> None:
        """Close the requests set-based, each at the version it was read
        (compare-and-set; ``ConcurrencyConflict`` and nothing kept otherwise)."""
        ...

    def close_orders(
        self,
        orders: Sequence[OrderRef],
        *,
        closed_at: datetime,
        reason_id: int,
        remark: str | None,
    ) -> None:
        """Close orders because their request closed, set-based, each at the
        version it was read (compare-and-set)."""
        ...

    def overdue(
        self, *, today: date, unit_id: int | None = None
    ) -> Sequence[ServiceRequest]:
        """Open requests due before ``today`` (of one current unit), by due date."""
        ...

    def routing_associations(
        self,
        *,
        specification_id: int,
        locality_id: int | None,
        group_id: int | None,
        collection_situation_ids: Collection[int],
    ) -> tuple[
        Sequence[CollectionSituationUnit],
        Sequence[LocalitySpecificationUnit],
        Sequence[LocalityGroupUnit],
    ]:
        """The routing rows that may apply to a new request, in one round trip:
        specification x the collection situations, locality x specification,
        locality x group (each by id)."""
        ...


class CatalogRepository(Protocol):
    """Rows of every reference table, keyed by ``(kind, id)``."""

    def get(self, kind: str, id: int) -> CatalogItem:
        """The row; ``NotFound`` otherwise."""
        ...

    def find(self, kind: str, id: int) -> CatalogItem | None:
        """The row, or ``None``."""
        ...

    def find_many(
        self, keys: Iterable[tuple[str, int]]
    ) -> Mapping[tuple[str, int], CatalogItem]:
        """The rows of these ``(kind, id)`` keys that exist, in one round trip."""
        ...

    def list(
        self, kind: str, *, active_only: bool = False, cached: bool = False
    ) -> Sequence[CatalogItem]:
        """The rows of a kind, by id. ``cached``: a display's read (a field
        file's parameter records): the rows may come from the backend's
        reference cache, as a by-id read's do; a rule deciding on the whole
        kind (CAT-4's unique descriptions, the next id) reads without it."""
        ...

    def add(self, item: CatalogItem) -> None:
        """Insert a row (``DuplicateEntity`` when ``(kind, id)`` exists)."""
        ...

    def add_many(self, items: Iterable[CatalogItem]) -> None:
        """Insert many rows; all or nothing."""
        ...

    def update(self, item: CatalogItem) -> None:
        """Store a new version of a row (compare-and-set)."""
        ...

    def update_many(self, items: Iterable[CatalogItem]) -> None:
        """Store new versions of many rows (compare-and-set each, in one round
        trip where the adapter can); ``NotFound`` or ``ConcurrencyConflict`` for
        the first row that fails."""
        ...

    def remove(self, item: CatalogItem) -> None:
        """Delete a row at its current version (compare-and-set)."""
        ...

    def usage_count(
        self,
        kind: str,
        id: int,
        references: Collection[Reference],
    ) -> int:
        """How many entities use the row through the given references.

        Catalog rows of other kinds pointing to it through a ``ref`` attribute are
        counted by the service, which knows the kinds.
        """
        ...


class LocationQueries(Protocol):
    """The links between location rows, read in one round trip."""

    def links(
        self,
        *,
        localities: Collection[int],
        sectors: Collection[int],
        blocks: Collection[int],
        routes: Collection[int],
    ) -> LocationLinks:
        """Which of ``localities`` are active, and the locality or sector each
        of the given sectors, blocks and routes belongs to."""
        ...


class CollectionQueries(Protocol):
    """Set-based reads of the collection batch (one round trip per chunk of routes)."""

    def routes_of_group(self, group_id: int) -> Sequence[int]:
        """The route ids of a billing/collection group, ascending."""
        ...

    def route_sizes_of_groups(
        self, group_ids: Collection[int]
    ) -> Mapping[int, Sequence[tuple[int, int]]]:
        """For every group of ``group_ids``, ``(route id, properties of the
        route)`` for each of its routes by route id (a group without routes:
        an empty sequence): what sizes the batch's chunks in properties, one
        ``GROUP BY`` for all the groups of a run."""
        ...

    def route_cut_facts(
        self, route_ids: Collection[int], cut_service_type_ids: Collection[int]
    ) -> Sequence[CutFact]:
        """For every property of the routes, by id: route, situation, active flag,
        and whether it has an open order of one of ``cut_service_type_ids``.

        The routes' properties are locked first, until the transaction ends (the
        roots of the orders decided here: a concurrent run or a single "Gerar
        Ordem de Corte" waits, then sees the orders this one generated)."""

    def select_cut_orders(
        self, route_ids: Collection[int], criteria: CutCriteria
    ) -> CutSelection | None:
        """CUT-1..CUT-5 decided in the store, set-based, for the properties of
        the routes (locked first, as :meth:`route_cut_facts`): the chosen
        properties and the skips counted by reason (``CutDecision`` values).

        ``None`` when the adapter does not decide in the store: the service
        then reads :meth:`route_cut_facts` and runs the pure rules
        (``gsan_core.rules.collection``), which stay the specification."""
        ...

    def write_cut_orders(
        self,
        route_ids: Collection[int],
        criteria: CutCriteria,
        template: CutOrderTemplate,
    ) -> CutOrdersWritten | None:
        """:meth:`select_cut_orders` and the writes in one go, set-based: the
        chosen properties' orders (as ``template.order``, with new ids
        ascending with the property id and the unit of CUT-4) and their trail
        rows (as ``template.trail``) inserted in the store, in the caller's
        transaction. The caller records the events.

        ``None`` when the adapter does not write in the store: the service then
        decides with :meth:`select_cut_orders` (or the pure rules) and writes
        through the repositories."""
        ...


class RemovableRepository(Repository[E], Protocol):
    """A repository whose entities may be deleted."""

    def remove(self, entity: E) -> None:
        """Delete the entity (compare-and-set on its version): ``NotFound`` when
        it is gone, ``ConcurrencyConflict`` when its version moved."""
        ...


class HydrometerRepository(RemovableRepository[Hydrometer], Protocol):
    """Meters, with the number look-ups and the stock count."""

    def find_by_number(self, number: str) -> Hydrometer | None:
        """The meter with that number, or ``None``."""
        ...

    def numbers_between(self, first: str, last: str) -> Sequence[str]:
        """Stored numbers ``n`` with ``first <= n <= last`` and ``len(n) ==
        len(first)`` (the numbers of one fixed part and sequence width), ascending."""
        ...

    def between(self, first: str, last: str) -> Sequence[Hydrometer]:
        """The meters of :meth:`numbers_between`, by number."""
        ...

    def stock(self) -> Mapping[tuple[int | None, int], int]:
        """How many meters are at each ``(stock location, situation)``."""
        ...

    def stock_entries(self, ids: Iterable[int]) -> Mapping[int, StockEntry]:
        """The stock data of the meters among ``ids`` that exist, by id (set-based)."""
        ...

    def move_many(
        self, read: Iterable[tuple[int, int]], *, location_id: int, situation_id: int
    ) -> None:
        """Move the meters ``(id, version read)`` to a stock location and
        situation: a compare-and-set per meter (version + 1), all or nothing."""
        ...


class InstallationRepository(Repository[HydrometerInstallation], Protocol):
    """The installation history (append-only: records close, never disappear)."""

    def current(
        self, *, property_id: int, point: MeasurementPoint
    ) -> HydrometerInstallation | None:
        """The open record of the point, or ``None``."""
        ...

    def current_of(self, hydrometer_id: int) -> HydrometerInstallation | None:
        """The open record of the meter, or ``None``."""
        ...

    def of_point(
        self, *, property_id: int, point: MeasurementPoint
    ) -> Sequence[HydrometerInstallation]:
        """Every record of the point, oldest first."""
        ...

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerInstallation]:
        """Every record of the meter, oldest first."""
        ...

    def last_removal(
        self,
        *,
        property_id: int | None = None,
        point: MeasurementPoint | None = None,
        hydrometer_id: int | None = None,
    ) -> date | None:
        """The latest removal date of the point's (or the meter's) closed records."""
        ...


class MovementRepository(Repository[HydrometerMovement], Protocol):
    """Stock-movement documents and their lines."""

    def add_lines(self, movement_id: int, hydrometer_ids: Iterable[int]) -> None:
        """Insert the lines of a movement (set-based)."""
        ...

    def hydrometer_ids(self, movement_id: int) -> Sequence[int]:
        """The meters a movement moved, ascending."""
        ...

    def of_hydrometer(self, hydrometer_id: int) -> Sequence[HydrometerMovement]:
        """The movements that moved the meter, oldest first."""
        ...

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        moved_from: datetime | None = None,
        moved_until: datetime | None = None,
        location_id: int | None = None,
        situation_id: int | None = None,
        number_from: str | None = None,
        number_to: str | None = None,
    ) -> Sequence[HydrometerMovement]:
        """ "Consultar Movimentação de Hidrômetro": a page of the movements moved
        in ``[moved_from, moved_until)``, from or to ``location_id``, leaving
        the meters in ``situation_id``, that moved a meter numbered between
        ``number_from`` and ``number_to``; newest first, one statement."""
        ...


class SupplyScheduleRepository(Repository[SupplySchedule], Protocol):
    """The supply and maintenance windows (``abastecimento_programacao`` and
    ``manutencao_programacao``), keyed by month and place."""

    def covering(
        self,
        *,
        reference: int,
        area_id: int | None = None,
        neighbourhood_id: int | None = None,
        sector_id: int | None = None,
        locality_id: int | None = None,
    ) -> Sequence[SupplySchedule]:
        """The windows of month ``reference`` whose area, neighbourhood, sector
        or locality is the one given (PAM-06), by start; one statement."""
        ...

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        reference: int | None = None,
        kind: ScheduleKind | None = None,
        municipality_id: int | None = None,
        locality_id: int | None = None,
        sector_id: int | None = None,
        neighbourhood_id: int | None = None,
        area_id: int | None = None,
    ) -> Sequence[SupplySchedule]:
        """A page of the windows matching every criterion given, by start
        instant and id; one statement."""
        ...

    def remove(self, schedule: SupplySchedule) -> None:
        """Delete the window (compare-and-set on its version)."""
        ...


class OutboundMessageRepository(Repository[OutboundMessage], Protocol):
    """The outbound text messages and their history (``mensagem_sms_historico``)."""

    def search(
        self,
        *,
        limit: int,
        offset: int = 0,
        phone: str | None = None,
        request_id: int | None = None,
        property_id: int | None = None,
        customer_id: int | None = None,
        reason: str | None = None,
        status: Collection[MessageStatus] | None = None,
        created_from: datetime | None = None,
        created_until: datetime | None = None,
    ) -> Sequence[OutboundMessage]:
        """A page of the messages matching every criterion given (created in
        ``[created_from, created_until)``), newest first; one statement."""
        ...

    def due(self, *, limit: int, max_attempts: int) -> Sequence[OutboundMessage]:
        """The oldest ``limit`` messages to send: pending, or failed with fewer
        than ``max_attempts`` attempts, by id."""
        ...

    def claim_due(self, *, limit: int, max_attempts: int) -> Sequence[OutboundMessage]:
        """The messages :meth:`due` would give, claimed: marked ``UNCONFIRMED``
        with one more attempt and the next version, as stored, by id. One
        statement where the backend allows (an ``UPDATE … RETURNING`` whose
        rows another claimer holds are skipped, never claimed twice)."""
        ...


class InfractionNoticeRepository(Repository[InfractionNotice], Protocol):
    """Infraction notices, with the chunked reads and the set-based update of
    the batch that expires them (AUT-05)."""

    def count_expired(self, *, appeal_before: date) -> int:
        """How many notices in their appeal period have an appeal end before
        ``appeal_before``."""
        ...

    def expired_chunk(
        self, *, appeal_before: date, after_id: int, limit: int
    ) -> Sequence[InfractionNotice]:
        """The ``limit`` lowest of those notices with ids above ``after_id``;
        one statement."""
        ...

    def mark_expired(
        self, notices: Sequence[InfractionNotice], *, charge_ids: Mapping[int, int]
    ) -> None:
        """Move the notices (as read) to "appeal expired", each with its
        charge when ``charge_ids`` has one, their versions plus one: one
        compare-and-set statement (``ConcurrencyConflict`` and nothing written
        when one moved)."""
        ...


class RepavingRepository(Repository[RepavingWork], Protocol):
    """Repaving works, with the set-based automatic acceptance (PAV-03)."""

    def accept_convergent(
        self,
        *,
        percentage: Decimal,
        after_id: int,
        limit: int,
        user_id: int,
        event: Callable[[tuple[int, ...]], DomainEvent] | None = None,
    ) -> tuple[Sequence[int], Sequence[int]]:
        """One chunk of the automatic acceptance: the ids above ``after_id`` of
        returned works not yet accepted (at most ``limit``, lowest first), and
        those of them it accepted (PAV-03: same street pavement, area within
        ``percentage`` %; accepted on the execution date, by ``user_id``,
        remark "ACEITE AUTOMATICO" appended), both ascending.

        ``event``: when any work was accepted, ``event(accepted ids)`` is
        recorded in the unit of work (on PostgreSQL its outbox row written by
        the same statement, issue 20)."""
        ...


class InspectionBatchQueries(Protocol):
    """The reads of the inspection batch of closed orders (UC1176), each one
    statement over the service orders."""

    def closed_candidates(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        reason_ids: Collection[int] | None = None,
    ) -> Sequence[ClosedOrderRow]:
        """The candidates of ``scope`` with ids above ``after_id``, the
        ``limit`` lowest first (``reason_ids``: only those closed with one of
        these reasons)."""
        ...

    def chunk_to_inspect(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        skipped_reason_ids: Collection[int],
        sample_ids: Collection[int],
    ) -> tuple[Sequence[ClosedOrderRow], int, int]:
        """One chunk of UC1176: of the ``limit`` lowest candidates above
        ``after_id`` (as :meth:`closed_candidates`), the rows to inspect
        (closed with a reason not in ``skipped_reason_ids``, or in
        ``sample_ids``), ascending; how many candidates the chunk holds; and
        the highest of their ids (``after_id`` when none). The SQL adapter:
        one statement, only the rows to inspect are read."""
        ...

    def inspect_chunk(
        self,
        scope: ClosedOrderScope,
        *,
        after_id: int,
        limit: int,
        skipped_reason_ids: Collection[int],
        sample_ids: Collection[int],
        template: ServiceOrder,
        opened_by: int,
    ) -> InspectedChunk:
        """One chunk of UC1176 done: :meth:`chunk_to_inspect`'s rows get
        their orders and unit-trail records as :meth:`add_inspections` writes
        them, with consecutive new ids of ``service_order`` and ``order_unit``.
        The SQL adapter on PostgreSQL: one statement (the candidates selected,
        the ids reserved in ``id_block``, both ``INSERT ... SELECT``); no
        candidate row is read, only the inspected ids come back as an array."""
        ...

    def concluded_sample(
        self,
        scope: ClosedOrderScope,
        *,
        reason_ids: Collection[int],
        percentage: int,
        seed: int,
    ) -> tuple[Sequence[int], int]:
        """UC1176's sample, drawn in the store: of the candidates (as
        :meth:`closed_candidates` with no ``after_id``) closed with one of
        ``reason_ids``, the ids of the
        :func:`~gsan_core.rules.inspections.sample_size` of them of lowest
        ``(sample_rank(seed, id), id)``, ascending; and how many candidates
        there are in all (the SQL adapter: one statement, the candidates
        numbered by rank with their totals; only the sampled ids and one row
        of totals come back)."""
        ...

    def add_inspections(
        self,
        *,
        referenced: Sequence[ClosedOrderRow],
        first_id: int,
        template: ServiceOrder,
        trail_first_id: int | None = None,
        opened_by: int = 0,
    ) -> None:
        """Insert one order like ``template`` per row of ``referenced``
        (ascending ids), with the row's property and unit and the row's order
        as its reference, ids ``first_id, first_id + 1, ...`` in that order
        (the SQL adapter: one ``INSERT ... SELECT``); with ``trail_first_id``,
        also each new order's unit-trail record (``order_unit``: opened by
        the row's unit and user ``opened_by`` at the template's
        ``generated_at``, ids from ``trail_first_id`` in the same order; one
        more ``INSERT ... SELECT``)."""
        ...
