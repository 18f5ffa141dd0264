"""The in-memory reference adapter: zero extra dependencies.

It passes the same contract suite as the SQL adapter, so notebooks and tests can
rely on it behaving like a database (isolation, rollback, compare-and-set).
"""

from __future__ import annotations

from collections.abc import Callable

from gsan_core.adapters.memory.connections import (
    MemoryConnectionBatches,
    MemorySewerConnectionRepository,
    MemorySituationHistory,
    MemoryWaterConnectionRepository,
)
from gsan_core.adapters.memory.field_work import (
    MemoryFieldFileQueries,
    MemorySelectiveQueries,
)
from gsan_core.adapters.memory.hydrometers import (
    MemoryHydrometerRepository,
    MemoryInstallationRepository,
    MemoryMovementRepository,
)
from gsan_core.adapters.memory.outbox import MemoryOutbox
from gsan_core.adapters.memory.ports import (
    MemoryBilling,
    MemoryFieldLock,
    MemoryPermissions,
)
from gsan_core.adapters.memory.repaving import (
    MemoryInfractionNotices,
    MemoryInspectionBatches,
    MemoryRepavingRepository,
)
from gsan_core.adapters.memory.repositories import (
    MemoryCatalogRepository,
    MemoryCollectionQueries,
    MemoryCustomerRepository,
    MemoryLocationQueries,
    MemoryPropertyRepository,
    MemoryRepository,
)
from gsan_core.adapters.memory.scheduling import (
    MemoryProgrammingRepository,
    MemoryScheduleRepository,
)
from gsan_core.adapters.memory.service_desk import (
    MemoryOutboundMessageRepository,
    MemorySupplyScheduleRepository,
)
from gsan_core.adapters.memory.service_orders import (
    MemoryServiceOrderRepository,
    MemoryServicePriceRepository,
)
from gsan_core.adapters.memory.service_requests import (
    MemoryAssociationRepository,
    MemoryServiceRequestRepository,
)
from gsan_core.adapters.memory.store import MemoryStore, MemoryUnitOfWorkBase
from gsan_core.adapters.seeding import StoreSeeding
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
from gsan_core.ports.ids import IdGenerator

__all__ = ["MemoryStore", "MemoryUnitOfWork", "memory_uow_factory"]


class MemoryUnitOfWork(MemoryUnitOfWorkBase):
    """A unit of work over a :class:`MemoryStore`."""

    def __init__(self, store: MemoryStore, ids: IdGenerator) -> None:
        super().__init__(store, ids)
        self.catalog = MemoryCatalogRepository(self)
        self.properties = MemoryPropertyRepository(self, "property")
        self.localities: MemoryRepository[Locality] = MemoryRepository(self, "locality")
        self.sectors: MemoryRepository[CommercialSector] = MemoryRepository(
            self, "sector"
        )
        self.blocks: MemoryRepository[Block] = MemoryRepository(self, "block")
        self.routes: MemoryRepository[Route] = MemoryRepository(self, "route")
        self.locations = MemoryLocationQueries(self)
        self.units: MemoryRepository[OrganizationalUnit] = MemoryRepository(
            self, "unit"
        )
        self.users: MemoryRepository[User] = MemoryRepository(self, "user")
        self.permission_changes: MemoryRepository[PermissionChange] = MemoryRepository(
            self, "permission_change"
        )
        self.service_types: MemoryRepository[ServiceType] = MemoryRepository(
            self, "service_type"
        )
        self.service_orders = MemoryServiceOrderRepository(self, "service_order")
        self.order_units: MemoryRepository[OrderUnitRecord] = MemoryRepository(
            self, "order_unit"
        )
        self.service_prices = MemoryServicePriceRepository(self, "service_charge_value")
        self.teams: MemoryRepository[Team] = MemoryRepository(self, "team")
        self.material_kits: MemoryRepository[MaterialKit] = MemoryRepository(
            self, "material_kit"
        )
        self.order_executions: MemoryRepository[OrderExecution] = MemoryRepository(
            self, "order_execution"
        )
        self.collection = MemoryCollectionQueries(self)
        self.water_connections = MemoryWaterConnectionRepository(
            self, "water_connection"
        )
        self.sewer_connections = MemorySewerConnectionRepository(
            self, "sewer_connection"
        )
        self.situation_history = MemorySituationHistory(self)
        self.connection_batches = MemoryConnectionBatches(self)
        self.hydrometers = MemoryHydrometerRepository(self, "hydrometer")
        self.hydrometer_installations = MemoryInstallationRepository(
            self, "hydrometer_installation"
        )
        self.hydrometer_movements = MemoryMovementRepository(
            self, "hydrometer_movement"
        )
        self.anomaly_actions: MemoryRepository[ConsumptionAnomalyAction] = (
            MemoryRepository(self, "consumption_anomaly_action")
        )
        self._service_request_repositories()
        self._account_repositories()
        self._scheduling_repositories()
        self._service_desk_repositories()
        self._field_work_repositories()
        self.billing = MemoryBilling(self)
        self.permissions = MemoryPermissions(self)
        self.field_lock = MemoryFieldLock(self)
        self.seeding = StoreSeeding(self.billing, self.permissions, self.field_lock)
        self.outbox = MemoryOutbox(self)

    def _service_request_repositories(self) -> None:
        self.service_requests = MemoryServiceRequestRepository(self, "service_request")
        self.request_specifications: MemoryRepository[RequestSpecification] = (
            MemoryRepository(self, "request_specification")
        )
        self.routing_steps: MemoryRepository[RoutingStep] = MemoryRepository(
            self, "routing_step"
        )
        self.situation_profiles: MemoryRepository[PropertySituationProfile] = (
            MemoryRepository(self, "situation_profile")
        )
        self.locality_specification_units: MemoryAssociationRepository[
            LocalitySpecificationUnit
        ] = MemoryAssociationRepository(self, "locality_specification_unit")
        self.collection_situation_units: MemoryAssociationRepository[
            CollectionSituationUnit
        ] = MemoryAssociationRepository(self, "collection_situation_unit")
        self.locality_group_units: MemoryAssociationRepository[LocalityGroupUnit] = (
            MemoryAssociationRepository(self, "locality_group_unit")
        )
        self.reiterations: MemoryRepository[Reiteration] = MemoryRepository(
            self, "reiteration"
        )
        self.closing_commands: MemoryRepository[ClosingCommand] = MemoryRepository(
            self, "closing_command"
        )
        self.manual_number_blocks: MemoryRepository[ManualNumberBlock] = (
            MemoryRepository(self, "manual_number_block")
        )
        self.occurrences: MemoryRepository[OperationalOccurrence] = MemoryRepository(
            self, "operational_occurrence"
        )
        self.surveys: MemoryRepository[SatisfactionSurvey] = MemoryRepository(
            self, "satisfaction_survey"
        )
        self.regulator_records: MemoryRepository[RegulatorRecord] = MemoryRepository(
            self, "regulator_record"
        )

    def _account_repositories(self) -> None:
        self.customers = MemoryCustomerRepository(self, "customer")
        self.customer_types: MemoryRepository[CustomerType] = MemoryRepository(
            self, "customer_type"
        )
        self.power_spheres: MemoryRepository[PowerSphere] = MemoryRepository(
            self, "power_sphere"
        )
        self.customer_properties: MemoryRepository[CustomerProperty] = MemoryRepository(
            self, "customer_property"
        )
        self.surcharge_indices: MemoryRepository[SurchargeIndex] = MemoryRepository(
            self, "surcharge_index"
        )
        self.collection_documents: MemoryRepository[CollectionDocument] = (
            MemoryRepository(self, "collection_document")
        )
        self.certificates: MemoryRepository[Certificate] = MemoryRepository(
            self, "certificate"
        )
        self.request_payments: MemoryRepository[RequestPayment] = MemoryRepository(
            self, "request_payment"
        )

    def _scheduling_repositories(self) -> None:
        self.schedules = MemoryScheduleRepository(self, "schedule")
        self.programmings = MemoryProgrammingRepository(self, "scheduled_order")
        self.special_days: MemoryRepository[SpecialDay] = MemoryRepository(
            self, "special_day"
        )
        self.team_followers: MemoryRepository[TeamFollower] = MemoryRepository(
            self, "team_follower"
        )

    def _field_work_repositories(self) -> None:
        self.selective_commands: MemoryRepository[SelectiveCommand] = MemoryRepository(
            self, "selective_command"
        )
        self.selective_orders: MemoryRepository[SelectiveOrder] = MemoryRepository(
            self, "selective_order"
        )
        self.sewer_commands: MemoryRepository[SewerCommand] = MemoryRepository(
            self, "sewer_command"
        )
        self.sewer_command_orders: MemoryRepository[SewerCommandOrder] = (
            MemoryRepository(self, "sewer_command_order")
        )
        self.selective = MemorySelectiveQueries(self)
        self.field_file_queries = MemoryFieldFileQueries(self)
        self.field_files: MemoryRepository[FieldFile] = MemoryRepository(
            self, "field_file"
        )
        self.field_file_items: MemoryRepository[FieldFileItem] = MemoryRepository(
            self, "field_file_item"
        )
        self.return_lines: MemoryRepository[ReturnLine] = MemoryRepository(
            self, "field_return_line"
        )

    def _service_desk_repositories(self) -> None:
        self.supply_schedules = MemorySupplyScheduleRepository(self, "supply_schedule")
        self.outbound_messages = MemoryOutboundMessageRepository(
            self, "outbound_message"
        )
        self.message_cursors: MemoryRepository[MessageCursor] = MemoryRepository(
            self, "message_cursor"
        )
        self.procedures: MemoryRepository[OperatingProcedure] = MemoryRepository(
            self, "operating_procedure"
        )
        self.inspection_findings: MemoryRepository[InspectionFinding] = (
            MemoryRepository(self, "inspection_finding")
        )
        self.infraction_notices = MemoryInfractionNotices(self, "infraction_notice")
        self.repaving_works = MemoryRepavingRepository(self, "repaving_work")
        self.inspection_batches = MemoryInspectionBatches(self)
        self.order_acceptances: MemoryRepository[OrderAcceptance] = MemoryRepository(
            self, "order_acceptance"
        )
        self.repaving_costs: MemoryRepository[RepavingCost] = MemoryRepository(
            self, "repaving_cost"
        )
        self.order_bulletins: MemoryRepository[OrderBulletin] = MemoryRepository(
            self, "order_bulletin"
        )
        self.concluded_inspections: MemoryRepository[ConcludedOrderInspection] = (
            MemoryRepository(self, "concluded_order_inspection")
        )


def memory_uow_factory(
    store: MemoryStore, ids: IdGenerator
) -> Callable[[], MemoryUnitOfWork]:
    """A factory of units of work sharing one store and one id generator."""

    def factory() -> MemoryUnitOfWork:
        return MemoryUnitOfWork(store, ids)

    return factory
