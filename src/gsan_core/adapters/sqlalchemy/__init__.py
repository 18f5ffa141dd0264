"""The SQLAlchemy adapter: SQLite (embedded default) and PostgreSQL (psycopg 3).

Core tables built by :func:`build_tables` on a caller-supplied ``MetaData``,
schema and prefix; explicit row mappers; compare-and-set updates; driver errors
translated; Alembic migrations shipped as package data with their own version
table; a unit of work that owns its transaction or joins the host's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy import event

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.ids import HiLoIds, SpareBlocks, reserve
from gsan_core.adapters.sqlalchemy.mappers import RowMapper, value_codec
from gsan_core.adapters.sqlalchemy.reference import ReferenceCache
from gsan_core.adapters.sqlalchemy.schema import Tables, build_tables
from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork
from gsan_core.errors import ConfigurationError
from gsan_core.model.accounts import (
    Certificate,
    CollectionDocument,
    Customer,
    CustomerProperty,
    CustomerType,
    PowerSphere,
    RequestPayment,
    SurchargeIndex,
)
from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    Charge,
    InstallmentPlan,
    OpenDebt,
    Payment,
    Tariff,
)
from gsan_core.model.bulletins import ConcludedOrderInspection, OrderBulletin
from gsan_core.model.connections import (
    SewerConnection,
    SewerConnectionInput,
    SituationChange,
    WaterConnection,
)
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.field_files import FieldFile, FieldFileItem, ReturnLine
from gsan_core.model.field_work import (
    SelectiveCommand,
    SelectiveCriteria,
    SelectiveOrder,
)
from gsan_core.model.hydrometers import (
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerInstallation,
    HydrometerMovement,
)
from gsan_core.model.inspections import (
    InfractionNotice,
    InspectionFinding,
    OrderAcceptance,
)
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    Property,
    Route,
)
from gsan_core.model.repaving import RepavingCost, RepavingWork
from gsan_core.model.scheduling import (
    Schedule,
    ScheduledOrder,
    SpecialDay,
    TeamFollower,
)
from gsan_core.model.service_desk import (
    MessageCursor,
    OperatingProcedure,
    OutboundMessage,
    SupplySchedule,
)
from gsan_core.model.service_orders import (
    MaterialKit,
    OrderExecution,
    OrderUnitRecord,
    ServiceChargeValue,
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
    ServiceRequest,
)
from gsan_core.model.sewer_commands import SewerCommand, SewerCommandOrder
from gsan_core.model.units import OrganizationalUnit, PermissionChange, User
from gsan_core.ports.ids import IdGenerator

__all__ = [
    "Mappers",
    "SqlBackend",
    "SqlUnitOfWork",
    "Tables",
    "build_tables",
    "create_engine",
]


#: How long a PostgreSQL statement waits for a row lock by default (ms).
LOCK_TIMEOUT_MS = 10_000
#: Seconds a backend keeps a reference row it read by id (``reference.py``).
REFERENCE_TTL = 30.0
#: How long a SQLite connection waits for the database's write lock (ms).
BUSY_TIMEOUT_MS = 10_000
_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


def create_engine(
    url: str,
    *,
    lock_timeout_ms: int | None = LOCK_TIMEOUT_MS,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    **options: Any,
) -> sa.Engine:
    """An engine set up the way the adapter needs it.

    SQLite: foreign keys on, a busy timeout, WAL for files, and the pysqlite
    transaction workaround so SAVEPOINTs (joining mode) work. A unit of work that
    writes to a file begins with ``BEGIN IMMEDIATE`` (the connection's execution
    option ``gsan_sqlite_begin``; other transactions begin deferred): it takes the
    database's write lock first, so concurrent writers (threads or processes)
    queue for up to the busy timeout instead of failing when they first write,
    and what it reads stays true until it commits (see ``docs/concurrency.md``).
    A writer that waited ``busy_timeout_ms`` (10 s by default) gets
    ``ConcurrencyConflict``.

    PostgreSQL: give a ``postgresql+psycopg://`` URL (psycopg 3). Sessions get a
    ``lock_timeout`` (``lock_timeout_ms``, 10 s by default; 0 waits for ever,
    ``None`` leaves the server's setting): a unit of work waiting longer for a
    row another one locked gets ``ConcurrencyConflict``.
    """
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, **options)
        file_database = engine.url.database not in (None, "", ":memory:")

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            if file_database:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            mode = connection.get_execution_options().get("gsan_sqlite_begin")
            if mode not in _BEGIN_MODES or not file_database:
                mode = "DEFERRED"
            connection.exec_driver_sql(f"BEGIN {mode}")

        return engine
    if url.startswith("postgresql") and "+psycopg" not in url.split("://", 1)[0]:
        raise ConfigurationError(
            "use a postgresql+psycopg:// URL: gsan_core supports psycopg 3"
        )
    engine = sa.create_engine(url, **options)
    if url.startswith("postgresql") and lock_timeout_ms is not None:
        timeout = int(lock_timeout_ms)

        @event.listens_for(engine, "connect")
        def _lock_timeout(dbapi_connection: Any, _record: Any) -> None:
            # a SET once per new connection (not a startup option, which
            # connection poolers such as PgBouncer refuse), committed so that
            # the pool's rollback on return keeps it
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SET lock_timeout = {timeout}")
            cursor.close()
            dbapi_connection.commit()

    return engine


@attrs.frozen
class Mappers:
    """The row mappers of the foundation's aggregates."""

    locality: RowMapper[Locality]
    sector: RowMapper[CommercialSector]
    block: RowMapper[Block]
    route: RowMapper[Route]
    property: RowMapper[Property]
    unit: RowMapper[OrganizationalUnit]
    user: RowMapper[User]
    service_type: RowMapper[ServiceType]
    service_order: RowMapper[ServiceOrder]
    order_unit: RowMapper[OrderUnitRecord]
    service_charge_value: RowMapper[ServiceChargeValue]
    team: RowMapper[Team]
    material_kit: RowMapper[MaterialKit]
    order_execution: RowMapper[OrderExecution]
    open_debt: RowMapper[OpenDebt]
    charge: RowMapper[Charge]
    water_connection: RowMapper[WaterConnection]
    sewer_connection: RowMapper[SewerConnection]
    situation_change: RowMapper[SituationChange]
    consumption: RowMapper[ConsumptionRecord]
    hydrometer: RowMapper[Hydrometer]
    hydrometer_installation: RowMapper[HydrometerInstallation]
    hydrometer_movement: RowMapper[HydrometerMovement]
    consumption_anomaly_action: RowMapper[ConsumptionAnomalyAction]
    service_request: RowMapper[ServiceRequest]
    request_specification: RowMapper[RequestSpecification]
    routing_step: RowMapper[RoutingStep]
    situation_profile: RowMapper[PropertySituationProfile]
    locality_specification_unit: RowMapper[LocalitySpecificationUnit]
    collection_situation_unit: RowMapper[CollectionSituationUnit]
    locality_group_unit: RowMapper[LocalityGroupUnit]
    reiteration: RowMapper[Reiteration]
    closing_command: RowMapper[ClosingCommand]
    manual_number_block: RowMapper[ManualNumberBlock]
    operational_occurrence: RowMapper[OperationalOccurrence]
    satisfaction_survey: RowMapper[SatisfactionSurvey]
    regulator_record: RowMapper[RegulatorRecord]
    permission_change: RowMapper[PermissionChange]
    customer: RowMapper[Customer]
    customer_type: RowMapper[CustomerType]
    power_sphere: RowMapper[PowerSphere]
    customer_property: RowMapper[CustomerProperty]
    surcharge_index: RowMapper[SurchargeIndex]
    collection_document: RowMapper[CollectionDocument]
    certificate: RowMapper[Certificate]
    payment: RowMapper[Payment]
    installment_plan: RowMapper[InstallmentPlan]
    cash_payment_terms: RowMapper[CashPaymentTerms]
    tariff: RowMapper[Tariff]
    billed_consumption: RowMapper[BilledConsumption]
    request_payment: RowMapper[RequestPayment]
    schedule: RowMapper[Schedule]
    scheduled_order: RowMapper[ScheduledOrder]
    special_day: RowMapper[SpecialDay]
    team_follower: RowMapper[TeamFollower]
    supply_schedule: RowMapper[SupplySchedule]
    outbound_message: RowMapper[OutboundMessage]
    message_cursor: RowMapper[MessageCursor]
    operating_procedure: RowMapper[OperatingProcedure]
    selective_command: RowMapper[SelectiveCommand]
    selective_order: RowMapper[SelectiveOrder]
    sewer_command: RowMapper[SewerCommand]
    sewer_command_order: RowMapper[SewerCommandOrder]
    field_file: RowMapper[FieldFile]
    field_file_item: RowMapper[FieldFileItem]
    return_line: RowMapper[ReturnLine]
    inspection_finding: RowMapper[InspectionFinding]
    infraction_notice: RowMapper[InfractionNotice]
    repaving_work: RowMapper[RepavingWork]
    order_acceptance: RowMapper[OrderAcceptance]
    repaving_cost: RowMapper[RepavingCost]
    order_bulletin: RowMapper[OrderBulletin]
    concluded_order_inspection: RowMapper[ConcludedOrderInspection]

    @classmethod
    def build(cls, tables: Tables) -> Mappers:
        return cls(
            **_foundation_mappers(tables),
            **_desk_mappers(tables),
            **_account_mappers(tables),
            **_scheduling_mappers(tables),
        )


def _foundation_mappers(tables: Tables) -> dict[str, RowMapper[Any]]:
    """The row mappers of places, orders, debts, connections and meters."""
    return {
        "locality": RowMapper(Locality, tables["locality"]),
        "sector": RowMapper(CommercialSector, tables["sector"]),
        "block": RowMapper(Block, tables["block"]),
        "route": RowMapper(Route, tables["route"]),
        "property": RowMapper(Property, tables["property"]),
        "unit": RowMapper(OrganizationalUnit, tables["unit"]),
        "user": RowMapper(User, tables["user"]),
        "service_type": RowMapper(ServiceType, tables["service_type"]),
        "service_order": RowMapper(ServiceOrder, tables["service_order"]),
        "order_unit": RowMapper(OrderUnitRecord, tables["order_unit"]),
        "service_charge_value": RowMapper(
            ServiceChargeValue, tables["service_charge_value"]
        ),
        "team": RowMapper(Team, tables["team"]),
        "material_kit": RowMapper(MaterialKit, tables["material_kit"]),
        "order_execution": RowMapper(OrderExecution, tables["order_execution"]),
        "open_debt": RowMapper(OpenDebt, tables["open_debt"]),
        "charge": RowMapper(Charge, tables["charge"]),
        "water_connection": RowMapper(WaterConnection, tables["water_connection"]),
        "sewer_connection": RowMapper(SewerConnection, tables["sewer_connection"]),
        "situation_change": RowMapper(SituationChange, tables["situation_change"]),
        "consumption": RowMapper(ConsumptionRecord, tables["consumption_history"]),
        "hydrometer": RowMapper(Hydrometer, tables["hydrometer"]),
        "hydrometer_installation": RowMapper(
            HydrometerInstallation, tables["hydrometer_installation"]
        ),
        "hydrometer_movement": RowMapper(
            HydrometerMovement, tables["hydrometer_movement"]
        ),
        "consumption_anomaly_action": RowMapper(
            ConsumptionAnomalyAction, tables["consumption_anomaly_action"]
        ),
    }


def _desk_mappers(tables: Tables) -> dict[str, RowMapper[Any]]:
    """The row mappers of the service desk: requests, routing, occurrences, inspections and repaving."""
    return {
        "service_request": RowMapper(ServiceRequest, tables["service_request"]),
        "request_specification": RowMapper(
            RequestSpecification, tables["request_specification"]
        ),
        "routing_step": RowMapper(RoutingStep, tables["routing_step"]),
        "situation_profile": RowMapper(
            PropertySituationProfile, tables["situation_profile"]
        ),
        "locality_specification_unit": RowMapper(
            LocalitySpecificationUnit, tables["locality_specification_unit"]
        ),
        "collection_situation_unit": RowMapper(
            CollectionSituationUnit, tables["collection_situation_unit"]
        ),
        "locality_group_unit": RowMapper(
            LocalityGroupUnit, tables["locality_group_unit"]
        ),
        "reiteration": RowMapper(Reiteration, tables["reiteration"]),
        "closing_command": RowMapper(ClosingCommand, tables["closing_command"]),
        "manual_number_block": RowMapper(
            ManualNumberBlock, tables["manual_number_block"]
        ),
        "operational_occurrence": RowMapper(
            OperationalOccurrence, tables["operational_occurrence"]
        ),
        "satisfaction_survey": RowMapper(
            SatisfactionSurvey, tables["satisfaction_survey"]
        ),
        "regulator_record": RowMapper(RegulatorRecord, tables["regulator_record"]),
        "inspection_finding": RowMapper(
            InspectionFinding, tables["inspection_finding"]
        ),
        "infraction_notice": RowMapper(InfractionNotice, tables["infraction_notice"]),
        "repaving_work": RowMapper(RepavingWork, tables["repaving_work"]),
        "order_acceptance": RowMapper(OrderAcceptance, tables["order_acceptance"]),
        "repaving_cost": RowMapper(RepavingCost, tables["repaving_cost"]),
        "order_bulletin": RowMapper(OrderBulletin, tables["order_bulletin"]),
        "concluded_order_inspection": RowMapper(
            ConcludedOrderInspection, tables["concluded_order_inspection"]
        ),
        "permission_change": RowMapper(PermissionChange, tables["permission_change"]),
    }


def _account_mappers(tables: Tables) -> dict[str, RowMapper[Any]]:
    """The row mappers of customers and accounts."""
    return {
        "customer": RowMapper(Customer, tables["customer"]),
        "customer_type": RowMapper(CustomerType, tables["customer_type"]),
        "power_sphere": RowMapper(PowerSphere, tables["power_sphere"]),
        "customer_property": RowMapper(CustomerProperty, tables["customer_property"]),
        "surcharge_index": RowMapper(SurchargeIndex, tables["surcharge_index"]),
        "collection_document": RowMapper(
            CollectionDocument, tables["collection_document"]
        ),
        "certificate": RowMapper(Certificate, tables["certificate"]),
        "payment": RowMapper(Payment, tables["payment"]),
        "installment_plan": RowMapper(InstallmentPlan, tables["installment_plan"]),
        "cash_payment_terms": RowMapper(CashPaymentTerms, tables["cash_payment_terms"]),
        "tariff": RowMapper(Tariff, tables["tariff"]),
        "billed_consumption": RowMapper(
            BilledConsumption, tables["billed_consumption"]
        ),
        "request_payment": RowMapper(RequestPayment, tables["request_payment"]),
    }


def _scheduling_mappers(tables: Tables) -> dict[str, RowMapper[Any]]:
    """The row mappers of scheduling, messages, commands and field files."""
    return {
        "schedule": RowMapper(Schedule, tables["schedule"]),
        "scheduled_order": RowMapper(ScheduledOrder, tables["scheduled_order"]),
        "special_day": RowMapper(SpecialDay, tables["special_day"]),
        "team_follower": RowMapper(TeamFollower, tables["team_follower"]),
        "supply_schedule": RowMapper(SupplySchedule, tables["supply_schedule"]),
        "outbound_message": RowMapper(OutboundMessage, tables["outbound_message"]),
        "message_cursor": RowMapper(MessageCursor, tables["message_cursor"]),
        "operating_procedure": RowMapper(
            OperatingProcedure, tables["operating_procedure"]
        ),
        "selective_command": RowMapper(
            SelectiveCommand,
            tables["selective_command"],
            overrides={"criteria": value_codec(SelectiveCriteria)},
        ),
        "selective_order": RowMapper(SelectiveOrder, tables["selective_order"]),
        "sewer_command": RowMapper(
            SewerCommand,
            tables["sewer_command"],
            overrides={
                "criteria": value_codec(SelectiveCriteria),
                "connection": value_codec(SewerConnectionInput),
            },
        ),
        "sewer_command_order": RowMapper(
            SewerCommandOrder, tables["sewer_command_order"]
        ),
        "field_file": RowMapper(FieldFile, tables["field_file"]),
        "field_file_item": RowMapper(FieldFileItem, tables["field_file_item"]),
        "return_line": RowMapper(ReturnLine, tables["field_return_line"]),
    }


def _mappers(tables: Tables) -> Mappers:
    """The row mappers of ``tables``, built once and shared by every backend
    over them (a mapper holds no state of a backend: its columns, codecs and
    statements)."""
    mappers = tables.derived.get("mappers")
    if not isinstance(mappers, Mappers):
        mappers = tables.derived["mappers"] = Mappers.build(tables)
    return mappers


class SqlBackend:
    """An engine, the tables and the mappers: makes units of work."""

    def __init__(
        self,
        engine: sa.Engine,
        *,
        tables: Tables,
        ids: IdGenerator | None = None,
        outbox: bool = True,
        owns_engine: bool = False,
        reference_ttl: float = REFERENCE_TTL,
    ) -> None:
        self.engine = engine
        self.tables = tables
        self.mappers = _mappers(tables)
        self.outbox = outbox
        self._owns_engine = owns_engine
        if ids is None and engine.dialect.name != "sqlite":
            ids = HiLoIds(engine, tables["id_block"])
        self.ids: IdGenerator | None = ids
        #: Unused ids of committed SQLite blocks (when ``ids`` is None).
        self.spare_ids = SpareBlocks()
        #: Reference rows read by id (catalog, service types, units, users),
        #: kept ``reference_ttl`` seconds (see ``reference.py``).
        self.reference = ReferenceCache(reference_ttl)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        engine: sa.Engine | None = None,
        metadata: sa.MetaData | None = None,
        schema: str | None = None,
        prefix: str = "gsan_",
        ids: IdGenerator | None = None,
        outbox: bool = True,
        reference_ttl: float = REFERENCE_TTL,
        **engine_options: Any,
    ) -> SqlBackend:
        """A backend for ``url`` (or a given ``engine``)."""
        if (url is None) == (engine is None):
            raise ConfigurationError("give either a database url or an engine")
        owns = engine is None
        if engine is None:
            assert url is not None
            engine = create_engine(url, **engine_options)
        tables = build_tables(metadata, schema=schema, prefix=prefix)
        return cls(
            engine,
            tables=tables,
            ids=ids,
            outbox=outbox,
            owns_engine=owns,
            reference_ttl=reference_ttl,
        )

    def uow_factory(self) -> SqlUnitOfWork:
        """A new owning unit of work (this method is the factory)."""
        return SqlUnitOfWork(self)

    def joining(self, connection: sa.Connection) -> Callable[[], SqlUnitOfWork]:
        """A factory of units of work inside the host's ``connection``."""
        return lambda: SqlUnitOfWork(self, joined=connection)

    def create_all(self) -> None:
        """Create the tables directly (tests and notebooks; use migrations
        elsewhere), stamped with the newest revision so :meth:`check_schema`
        passes."""
        from gsan_core.adapters.sqlalchemy.migrations import stamp  # noqa: PLC0415

        with translated("schema"), self.engine.begin() as connection:
            if self.tables.schema and connection.dialect.name == "postgresql":
                connection.execute(
                    sa.schema.CreateSchema(self.tables.schema, if_not_exists=True)
                )
            self.tables.metadata.create_all(connection)
            stamp(connection, schema=self.tables.schema, prefix=self.tables.prefix)

    def check_schema(self) -> None:
        """Refuse a database whose schema is not this library's newest revision
        (``ConfigurationError``, code ``configuration.schema``): an older one
        needs ``gsan-core db upgrade``; a newer one a newer gsan_core."""
        from gsan_core.adapters.sqlalchemy.migrations import (  # noqa: PLC0415
            heads,
            state,
        )

        where, revision = state(
            self.engine, schema=self.tables.schema, prefix=self.tables.prefix
        )
        newest = ", ".join(heads())
        if where == "current":
            return
        if where == "missing":
            problem = (
                "the database has no gsan_core schema: run `gsan-core db upgrade` "
                "(or connect(..., migrate=True))"
            )
        elif where == "older":
            problem = (
                f"the database's gsan_core schema is at revision {revision}, older "
                f"than this gsan_core's {newest}: run `gsan-core db upgrade`"
            )
        else:
            problem = (
                f"the database's gsan_core schema is at revision {revision}, "
                f"unknown to this gsan_core (newest {newest}): it was migrated by a "
                "newer gsan_core; upgrade the library"
            )
        raise ConfigurationError(problem, kind="schema")

    def upgrade(self, revision: str = "head") -> None:
        """Upgrade the schema with the shipped Alembic migrations."""
        from gsan_core.adapters.sqlalchemy.migrations import upgrade  # noqa: PLC0415

        upgrade(
            self.engine,
            schema=self.tables.schema,
            prefix=self.tables.prefix,
            revision=revision,
        )

    def reserve_ids(self, kind: str, floor: int) -> None:
        """Make future ids of ``kind`` greater than ``floor`` (data already there)."""
        with translated("id_block", kind), self.engine.begin() as connection:
            reserve(connection, self.tables["id_block"], kind, floor)
        if isinstance(self.ids, HiLoIds):
            self.ids.forget(kind)  # a block cached before holds ids below floor
        self.spare_ids.forget(kind)

    def dispose(self) -> None:
        """Close the pooled connections (only of an engine this backend created)."""
        if self._owns_engine:
            self.engine.dispose()
