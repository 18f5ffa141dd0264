"""Use cases of the water and sewer connections.

Each connection operation runs through :func:`apply_in`, inside a caller's unit of
work: it loads what the rules need (the property and its block, the connection
rows, the "in field" lock, the actor's permissions, the debts, billing's minimum),
asks :func:`gsan_core.rules.connections.decide_operation`, and stores the result
(the property's situations with compare-and-set, the connection rows, one
situation-history row per change, one :class:`ConnectionOperationApplied` event).

The operations reach :func:`apply_in` three ways:

* closing their service order with execution (``service_orders.close_executed``
  with ``commercial=<input>``): :class:`ConnectionOperation` is the commercial
  operation the order's service type links to;
* from the menu with an order already closed (``service_orders.apply_operation``);
* without an order ("sem RA", special permission) and from the batches, through
  :class:`ConnectionService`.

The hydrometer area plugs in through :class:`MeterSeam`
(:class:`gsan_core.services.hydrometers.ConnectionMeters` in every system):
whether a meter is installed, the cut reading, the suppression reading and the
meter removal a suppression implies, and the meter installation or replacement
of the "com hidrômetro" operations. Each operation's
:attr:`~gsan_core.rules.connections.OperationSpec.meter` names its meter step;
the step is checked with the operation's rules (every violation reported at
once, nothing written) and written in the same unit of work.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import attrs

from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    Message,
    NotFound,
    Violation,
)
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import (
    BatchCandidate,
    ChangeSituationInput,
    ConnectionKind,
    ConnectionOperationApplied,
    ConnectionsChangedInBatch,
    ConnectWithMeterInput,
    CutInput,
    MeterInstallation,
    MeterReplacement,
    SewerConnection,
    SewerConnectionInput,
    SituationChange,
    SuppressionInput,
    WaterConnection,
    WaterConnectionInput,
)
from gsan_core.model.consumption import MeasurementKind
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import NetworkIndicator, Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import connections as rules
from gsan_core.rules import service_orders as order_rules
from gsan_core.rules.charges import PriceFacts
from gsan_core.rules.connections import (
    INPUTS,
    OPERATIONS,
    CatalogLookup,
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    MeterStep,
    OperationSpec,
)
from gsan_core.rules.service_orders import MenuVariant
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import (
    BatchSummary,
    ChunkOutcome,
    Progress,
    run_batch,
)
from gsan_core.services.charges import given_meter_facts
from gsan_core.services.context import Service, ServiceContext
from gsan_core.services.operations import CommercialOperation, OperationCall
from gsan_core.services.service_orders import ClosingResult, close_in

__all__ = [
    "COMMERCIAL_OPERATIONS",
    "ConnectionOperation",
    "ConnectionService",
    "MeterSeam",
    "PlannedMeterWork",
    "apply_in",
    "connection_operations",
    "load_facts",
]

#: The operations a service order's type can link to (run by closing the order
#: or from the menu with a closed order).
COMMERCIAL_OPERATIONS: tuple[str, ...] = (
    "water.connect",
    "water.cut",
    "water.administrative_cut",
    "water.suppress",
    "water.reconnect",
    "water.restore",
    "water.connect_with_meter",
    "water.reconnect_with_meter",
    "water.restore_with_meter",
    "water.connect_with_replacement",
    "water.reconnect_with_replacement",
    "water.restore_with_replacement",
    "water.minimum_consumption",
    "water.update",
    "water.change_cut_type",
    "sewer.connect",
    "sewer.billing_situation",
    "sewer.minimum_volume",
    "sewer.update",
    "sewer.feasible_billable.inform",
    "sewer.feasible_billable.withdraw",
    "connection.change_situation",
)

#: The permission roles each operation may read (``permission.<role>`` ids).
_PERMISSIONS: Mapping[str, tuple[str, ...]] = {
    "water.connect_without_order": ("connect_water_without_request",),
    "water.suppress": ("suppress_water_connection",),
    "sewer.connect": ("change_sewer_collection_percentage",),
    "sewer.connect_without_order": (
        "connect_sewer_without_request",
        "change_sewer_collection_percentage",
    ),
    "sewer.update": ("change_sewer_collection_percentage",),
    "sewer.feasible_billable.inform": ("change_sewer_collection_percentage",),
    "connection.change_situation": ("change_situation_with_debts",),
}
_DEBTS = frozenset({"water.suppress", "connection.change_situation"})
_MINIMUM = {
    "water.minimum_consumption": MeasurementKind.WATER,
    "sewer.minimum_volume": MeasurementKind.SEWER,
}
#: ``MedicaoTipo``: where a meter measures.
WATER_POINT, WELL_POINT = 1, 2


class PlannedMeterWork(Protocol):
    """A meter step checked but not written yet
    (:class:`gsan_core.services.hydrometers.MeterPlan`)."""

    @property
    def violations(self) -> tuple[Violation, ...]:
        """Every rule the step breaks (empty: it may be applied)."""
        ...

    @property
    def apply(self) -> Callable[[], object]:
        """Write the step (only when the operation raised nothing)."""
        ...


class MeterSeam(Protocol):
    """What the connection operations ask the hydrometer area, inside the
    caller's unit of work (:class:`gsan_core.services.hydrometers.ConnectionMeters`
    implements it over the installation history)."""

    def installed(self, uow: UnitOfWork, *, property_id: int, point: int) -> bool:
        """Whether a meter is installed at the measurement point (1 water, 2 well)."""
        ...

    def plan_cut(
        self,
        uow: UnitOfWork,
        *,
        property_id: int,
        reading: int | None,
        actor: int,
        at: datetime,
    ) -> PlannedMeterWork:
        """The cut reading on the water connection's open installation."""
        ...

    def plan_suppression(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        prop: Property,
        reading: int | None,
        removed_on: date,
        actor: int,
        at: datetime,
    ) -> PlannedMeterWork:
        """The suppression reading and the meter's removal (no charge)."""
        ...

    def plan_install(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        prop: Property,
        meter: MeterInstallation,
        installed_on: date,
        actor: int,
        at: datetime,
    ) -> PlannedMeterWork:
        """A meter installed on the water connection."""
        ...

    def plan_replace(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        prop: Property,
        replacement: MeterReplacement,
        replaced_on: date,
        actor: int,
        at: datetime,
    ) -> PlannedMeterWork:
        """The water connection's meter replaced."""
        ...


# ---------------------------------------------------------------- facts
#: The operations whose rules read the block's networks.
_NETWORK = frozenset(
    {
        "water.connect",
        "water.connect_without_order",
        "water.connect_with_meter",
        "water.connect_with_replacement",
        "water.restore_with_meter",
        "sewer.connect",
        "sewer.connect_without_order",
        "sewer.billing_situation",
        "sewer.feasible_billable.withdraw",
        "connection.change_situation",
    }
)


class _CatalogMemo:
    """The reference rows an operation reads, read once per operation."""

    def __init__(self, catalog: CatalogLookup) -> None:
        self._catalog = catalog
        self._rows: dict[tuple[str, int], CatalogItem | None] = {}

    def find(self, kind: str, id: int) -> CatalogItem | None:
        key = (kind, id)
        if key not in self._rows:
            self._rows[key] = self._catalog.find(kind, id)
        return self._rows[key]


def load_facts(
    uow: UnitOfWork,
    profile: UtilityProfile,
    property_id: int,
    *,
    spec: OperationSpec,
    meters: MeterSeam,
    prop: Property | None = None,
) -> ConnectionFacts:
    """What the rules of ``spec`` need to know about the property (``prop``: the
    property already read in this unit of work)."""
    if prop is None or prop.id != property_id:
        prop = uow.properties.get(property_id)
    key = spec.key
    water_network = sewer_network = NetworkIndicator.NONE
    if key in _NETWORK:
        block = uow.blocks.get(prop.block_id)
        water_network, sewer_network = block.water_network, block.sewer_network
    both = key == "connection.change_situation"
    ppp = False
    if key.startswith("sewer.feasible_billable"):
        locality = uow.localities.find(prop.locality_id)
        ppp = locality is not None and locality.ppp_contract
    water_meter = well_meter = False
    if spec.meter is MeterStep.REFUSED_WHILE_INSTALLED:
        water_meter = meters.installed(uow, property_id=prop.id, point=WATER_POINT)
        well_meter = meters.installed(uow, property_id=prop.id, point=WELL_POINT)
    water_kind = spec.kind is ConnectionKind.WATER
    return ConnectionFacts(
        property=prop,
        water=uow.water_connections.find(prop.id) if water_kind or both else None,
        sewer=uow.sewer_connections.find(prop.id) if not water_kind or both else None,
        water_network=water_network,
        sewer_network=sewer_network,
        locked_reference=uow.field_lock.locked_reference(prop.id)
        if spec.field_lock
        else None,
        ppp_contract=ppp,
        water_meter=water_meter,
        well_meter=well_meter,
    )


def _held(
    uow: UnitOfWork, profile: UtilityProfile, actor: int, roles: Collection[str]
) -> frozenset[str]:
    return frozenset(
        role
        for role in roles
        if any(
            uow.permissions.has(actor, pid) for pid in profile.ids(f"permission.{role}")
        )
    )


def _context(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    key: str,
    facts: ConnectionFacts,
    actor: int,
    today: date,
    effective_on: date,
    order: ServiceOrder | None,
    service_type: ServiceType | None,
    request_id: int | None = None,
) -> ConnectionContext:
    zone = ZoneInfo(profile.timezone)
    minimum_kind = _MINIMUM.get(key)
    return ConnectionContext(
        profile=profile,
        catalog=_CatalogMemo(uow.catalog),
        today=today,
        effective_on=effective_on,
        order=order,
        service_type=service_type,
        request_id=request_id
        if request_id is not None or order is None
        else order.request_id,
        permissions=_held(uow, profile, actor, _PERMISSIONS.get(key, ())),
        debts=uow.billing.open_debts(facts.property.id) if key in _DEBTS else (),
        order_closed_on=None
        if order is None or order.closed_at is None
        else order.closed_at.astimezone(zone).date(),
        calculated_minimum=None
        if minimum_kind is None
        else uow.billing.minimum_consumption(facts.property.id, kind=minimum_kind),
    )


# ---------------------------------------------------------------- apply
@attrs.frozen(kw_only=True)
class _Evaluation:
    """An operation's decision and meter step, with every violation of both."""

    spec: OperationSpec
    facts: ConnectionFacts
    violations: tuple[Violation, ...]
    decision: ConnectionDecision | None
    meter_work: PlannedMeterWork | None


def _evaluate(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    operation: str,
    property_id: int,
    data: object | None,
    actor: int,
    at: datetime,
    meters: MeterSeam,
    order: ServiceOrder | None = None,
    service_type: ServiceType | None = None,
    effective_on: date | None = None,
    request_id: int | None = None,
    prop: Property | None = None,
) -> _Evaluation:
    spec = OPERATIONS.get(operation)
    if spec is None:
        raise ConfigurationError(f"no connection operation {operation!r}")
    today = at.astimezone(ZoneInfo(profile.timezone)).date()
    on = effective_on or today
    facts = load_facts(uow, profile, property_id, spec=spec, meters=meters, prop=prop)
    context = _context(
        uow,
        profile,
        key=operation,
        facts=facts,
        actor=actor,
        today=today,
        effective_on=on,
        order=order,
        service_type=service_type,
        request_id=request_id,
    )
    found, decision = rules.evaluate_operation(
        operation, facts=facts, context=context, data=data
    )
    work = _meter_work(
        uow,
        profile,
        meters,
        spec=spec,
        prop=facts.property,
        data=data,
        effective_on=on,
        actor=actor,
        at=at,
    )
    if work is not None:
        found = (*found, *work.violations)
    return _Evaluation(
        spec=spec, facts=facts, violations=found, decision=decision, meter_work=work
    )


def _meter_work(
    uow: UnitOfWork,
    profile: UtilityProfile,
    meters: MeterSeam,
    *,
    spec: OperationSpec,
    prop: Property,
    data: object | None,
    effective_on: date,
    actor: int,
    at: datetime,
) -> PlannedMeterWork | None:
    """The meter step of ``spec`` (its date: the order's closing date, today
    without an order; a cut or suppression's own date for their readings)."""
    step = spec.meter
    if step is MeterStep.CUT_READING:
        assert isinstance(data, CutInput)
        return meters.plan_cut(
            uow, property_id=prop.id, reading=data.reading, actor=actor, at=at
        )
    if step is MeterStep.SUPPRESSION_REMOVAL:
        assert isinstance(data, SuppressionInput)
        return meters.plan_suppression(
            uow,
            profile=profile,
            prop=prop,
            reading=data.reading,
            removed_on=data.suppressed_on or effective_on,
            actor=actor,
            at=at,
        )
    if step not in (MeterStep.INSTALL, MeterStep.OPTIONAL_INSTALL, MeterStep.REPLACE):
        return None
    part = rules.meter_part(data)
    if isinstance(part, MeterInstallation):
        return meters.plan_install(
            uow,
            profile=profile,
            prop=prop,
            meter=part,
            installed_on=effective_on,
            actor=actor,
            at=at,
        )
    if isinstance(part, MeterReplacement):
        return meters.plan_replace(
            uow,
            profile=profile,
            prop=prop,
            replacement=part,
            replaced_on=effective_on,
            actor=actor,
            at=at,
        )
    return None


def apply_in(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    operation: str,
    property_id: int,
    data: object | None,
    actor: int,
    at: datetime,
    meters: MeterSeam,
    order: ServiceOrder | None = None,
    service_type: ServiceType | None = None,
    effective_on: date | None = None,
    request_id: int | None = None,
    prop: Property | None = None,
) -> ConnectionDecision:
    """Run connection operation ``operation`` for a property inside ``uow``, with
    its meter step (``meters``).

    ``effective_on`` is the default date of the operation (the order's closing
    date); it defaults to the utility-local date of ``at``. Raises
    ``RuleViolation`` with the violations of the operation and of its meter step
    (nothing written) when a rule refuses it.
    """
    evaluation = _evaluate(
        uow,
        profile,
        operation=operation,
        property_id=property_id,
        data=data,
        actor=actor,
        at=at,
        meters=meters,
        order=order,
        service_type=service_type,
        effective_on=effective_on,
        request_id=request_id,
        prop=prop,
    )
    ensure(evaluation.violations)
    decision = evaluation.decision
    assert decision is not None
    if evaluation.meter_work is not None:
        evaluation.meter_work.apply()
    _store(
        uow,
        evaluation.facts,
        decision,
        operation=evaluation.spec,
        order_id=None if order is None else order.id,
        actor=actor,
        at=at,
    )
    return decision


def _store(
    uow: UnitOfWork,
    facts: ConnectionFacts,
    decision: ConnectionDecision,
    *,
    operation: OperationSpec,
    order_id: int | None,
    actor: int,
    at: datetime,
) -> None:
    before = facts.property
    after = decision.property
    if after is not before:
        uow.properties.update(after)
    _store_row(uow.water_connections, facts.water, decision.water)
    _store_row(uow.sewer_connections, facts.sewer, decision.sewer)
    if ConnectionKind.WATER in decision.removed and facts.water is not None:
        uow.water_connections.remove(facts.water)
    if ConnectionKind.SEWER in decision.removed and facts.sewer is not None:
        uow.sewer_connections.remove(facts.sewer)
    if decision.steps:
        ids = uow.next_ids("situation_change", len(decision.steps))
        uow.situation_history.add_many(
            SituationChange(
                id=ident,
                property_id=after.id,
                kind=step.kind,
                before_id=step.before,
                after_id=step.after,
                effective_on=decision.effective_on,
                at=at,
                operation=operation.key,
                order_id=order_id,
                actor=actor,
                reading=decision.reading if step.kind is ConnectionKind.WATER else None,
            )
            for ident, step in zip(ids, decision.steps, strict=True)
        )
    uow.record(
        ConnectionOperationApplied(
            occurred_at=at,
            actor=actor,
            property_id=after.id,
            operation=operation.key,
            gsan_operation=operation.gsan_operation,
            order_id=order_id,
            effective_on=decision.effective_on,
            water_before=before.water_status_id,
            water_after=after.water_status_id,
            sewer_before=before.sewer_status_id,
            sewer_after=after.sewer_status_id,
            removed=decision.removed,
        )
    )


def _store_row(
    repository: object,
    current: WaterConnection | SewerConnection | None,
    new: WaterConnection | SewerConnection | None,
) -> None:
    if new is None:
        return
    if current is None:
        repository.add(new)  # type: ignore[attr-defined]
    else:
        repository.update(new)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the commercial operations
class ConnectionOperation:
    """A connection operation run by closing its service order (or from the menu
    with the order already closed): a :class:`~gsan_core.services.operations.
    CommercialOperation`."""

    def __init__(self, key: str, *, meters: MeterSeam) -> None:
        spec = OPERATIONS[key]
        self.spec = spec
        self.key: str = key
        self.title: str = spec.title
        self.title_pt: str = spec.title_pt
        self.input_type: type | None = INPUTS[key]
        variant = spec.menu_variant
        assert variant is not None
        self.menu_variant: MenuVariant = variant
        self.charges: bool = spec.charges
        #: C-ST: the operation's own "service does not allow" message.
        self.wrong_type_message: Message | None = rules.WRONG_SERVICE_TYPE.get(key)
        self._meters = meters

    def run(self, call: OperationCall) -> None:
        """Apply the operation to the order's property (E-TRX, history)."""
        apply_in(
            call.uow,
            call.profile,
            operation=self.key,
            property_id=call.property_id,
            data=call.data,
            actor=call.actor,
            at=call.at,
            order=call.order,
            service_type=call.service_type,
            effective_on=call.effective_on,
            meters=self._meters,
            prop=call.property,
        )

    def price_facts(
        self, uow: UnitOfWork, *, prop: Property, data: object | None
    ) -> PriceFacts | None:
        """§4.1 "with a given hidrômetro": a "com instalação" or "com
        substituição" operation is priced as metered with the incoming meter's
        capacity (a :class:`~gsan_core.services.operations.PricedOperation`);
        ``None`` prices the property as it is."""
        if self.spec.meter not in (MeterStep.INSTALL, MeterStep.REPLACE):
            return None
        part = rules.meter_part(data)
        if part is None:
            return None
        return given_meter_facts(
            uow, prop, hydrometer_id=part.hydrometer_id, number=part.number
        )

    def __repr__(self) -> str:
        return f"<ConnectionOperation {self.key}>"


def connection_operations(*, meters: MeterSeam) -> list[CommercialOperation]:
    """The connection operations to register (``system.default_operations``),
    with the hydrometer area's meter steps."""
    return [ConnectionOperation(key, meters=meters) for key in COMMERCIAL_OPERATIONS]


# ---------------------------------------------------------------- the service
class ConnectionService(Service):
    """``gsan.connections``: the water and sewer connections of the properties.

    Most operations run by closing their service order (``gsan.service_orders.
    close_executed(..., commercial=CutInput(...))``) or from the menu with an order
    closed as executed (``gsan.service_orders.apply_operation(operation=
    "water.cut", ...)``); this service has what runs without one.
    """

    def __init__(self, context: ServiceContext, *, meters: MeterSeam) -> None:
        super().__init__(context)
        #: The hydrometer area's meter steps (``ConnectionMeters``).
        self.meters: MeterSeam = meters

    # ------------------------------------------------------------ bulk load
    def load(
        self,
        *,
        actor: int,
        water: Iterable[WaterConnection] = (),
        sewer: Iterable[SewerConnection] = (),
    ) -> int:
        """Insert connection rows from the utility's cadastre in one transaction
        (set-based; their properties must exist). Returns how many were added."""
        del actor  # a cadastral import: no events, as properties.load_locations
        new_water = [attrs.evolve(w, version=1) for w in water]
        new_sewer = [attrs.evolve(s, version=1) for s in sewer]
        with self._work() as uow:
            wanted = {c.id for c in new_water} | {c.id for c in new_sewer}
            missing = sorted(wanted - set(uow.properties.get_many(wanted)))
            if missing:
                raise NotFound("property", missing[0])
            uow.water_connections.add_many(new_water)
            uow.sewer_connections.add_many(new_sewer)
            uow.commit()
        return len(new_water) + len(new_sewer)

    # ------------------------------------------------------------ reads
    def water_connection(self, property_id: int) -> WaterConnection | None:
        """The property's water connection, if any."""
        with self._work() as uow:
            return uow.water_connections.find(property_id)

    def sewer_connection(self, property_id: int) -> SewerConnection | None:
        """The property's sewer connection, if any."""
        with self._work() as uow:
            return uow.sewer_connections.find(property_id)

    def history(self, property_id: int) -> Sequence[SituationChange]:
        """Every water and sewer situation change of the property, oldest first."""
        with self._work() as uow:
            return uow.situation_history.of_property(property_id)

    def changes_between(
        self,
        start: date,
        end: date,
        *,
        operations: Collection[str] | None = None,
        kind: ConnectionKind | None = None,
    ) -> Sequence[SituationChange]:
        """Situation changes that took effect in ``[start, end]`` (GSAN R0906:
        suppressions, reconnections and restorations of a period)."""
        with self._work() as uow:
            return uow.situation_history.between(
                start, end, operations=operations, kind=kind
            )

    def check(
        self,
        operation: str,
        *,
        property_id: int,
        data: object | None,
        actor: int,
        order_id: int | None = None,
    ) -> tuple[Violation, ...]:
        """Every rule violation of running ``operation`` now, its meter step's
        included (nothing is written): GSAN's "validate for display" step. The
        order checks of the menu path are ``gsan.service_orders``'s."""
        at = self._now()
        with self._work() as uow:
            order = None if order_id is None else uow.service_orders.get(order_id)
            service_type = (
                None if order is None else uow.service_types.get(order.service_type_id)
            )
            return _evaluate(
                uow,
                self.profile,
                operation=operation,
                property_id=property_id,
                data=data,
                actor=actor,
                at=at,
                meters=self.meters,
                order=order,
                service_type=service_type,
            ).violations

    # ------------------------------------------------------------ without an order
    def connect_water_without_order(
        self,
        *,
        property_id: int,
        data: WaterConnectionInput,
        actor: int,
        meter: MeterInstallation | None = None,
    ) -> WaterConnection:
        """Efetuar Ligação de Água com/sem Instalação de Hidrômetro sem RA (UC0354
        / UC0579, operation 882): by the property's id, without a service request
        (special permission 65), with a meter installed when ``meter`` is given,
        today, in the same transaction; no order, no charge."""
        given: object = data
        if meter is not None:
            given = ConnectWithMeterInput(connection=data, meter=meter)
        return self._without_order(
            "water.connect_without_order", property_id, given, actor
        ).water  # type: ignore[return-value]

    def connect_sewer_without_order(
        self, *, property_id: int, data: SewerConnectionInput, actor: int
    ) -> SewerConnection:
        """Efetuar Ligação de Esgoto sem RA (special permission 67)."""
        return self._without_order(
            "sewer.connect_without_order", property_id, data, actor
        ).sewer  # type: ignore[return-value]

    def _without_order(
        self, operation: str, property_id: int, data: object, actor: int
    ) -> ConnectionDecision:
        at = self._now()
        with self._work() as uow:
            decision = apply_in(
                uow,
                self.profile,
                operation=operation,
                property_id=property_id,
                data=data,
                actor=actor,
                at=at,
                meters=self.meters,
            )
            uow.commit()
        return decision

    # ------------------------------------------------------------ alterar situação
    def change_situation(
        self,
        *,
        order_id: int,
        data: ChangeSituationInput,
        actor: int,
        closed_on: date | None = None,
    ) -> ClosingResult:
        """Alterar Situação da Ligação (UC0555): the open order of type 1004 is
        closed with execution ("conclusão do serviço") and the connection(s) go
        back to POTENCIAL or FACTÍVEL, their rows deleted — all in one transaction."""
        at = self._now()
        reason = self.profile.id("closing_reason.service_concluded")
        if reason is None:
            raise ConfigurationError(
                "the profile has no closing_reason.service_concluded role"
            )
        with self._work() as uow:
            order = uow.service_orders.get(order_id)
            service_type = uow.service_types.get(order.service_type_id)
            linked = (
                service_type.updates_commercial
                and service_type.operation == "connection.change_situation"
            )
            if not linked or not order.is_open:
                # GSAN's own screen: the operation runs here, then the order closes
                # (its rules report a wrong type, V-AS1, or a closed order, V-AS2)
                ensure(order_rules.check_has_property(order, order.property_id))
                assert order.property_id is not None
                apply_in(
                    uow,
                    self.profile,
                    operation="connection.change_situation",
                    property_id=order.property_id,
                    data=data,
                    actor=actor,
                    at=at,
                    order=order,
                    service_type=service_type,
                    meters=self.meters,
                )
            result = close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=reason,
                closed_on=closed_on or self._today(at),
                actor=actor,
                at=at,
                commercial=data if linked else None,
            )
            uow.commit()
        return result

    # ------------------------------------------------------------ batches
    def reconnect_cut_with_real_consumption(
        self, *, reference: int, actor: int, progress: Progress | None = None
    ) -> BatchSummary:
        """UC1073 "religar imóveis cortados com consumo real", per locality.

        Cut properties (``transitions["water.reconnect_by_consumption"]``), cut at
        least ``connections.reconnection_cut_age_days`` days before the end of the
        ``reference`` month, not on the social tariff, whose water consumption of
        that month billing reports as real and billed, go back to LIGADO (the
        sewer coupling applies) with today as the reconnection date. Idempotent:
        a reconnected property is no longer a candidate.
        """
        profile = self.profile
        return self._water_batch(
            "water.reconnect_by_consumption",
            actor=actor,
            progress=progress,
            reference=reference,
            cut_on_or_before=rules.reconnection_cut_limit(
                reference, profile.connections.reconnection_cut_age_days
            ),
            excluded_profiles=profile.ids("property_profile.social_tariff"),
        )

    def promote_connected_under_analysis(
        self, *, actor: int, progress: Progress | None = None
    ) -> BatchSummary:
        """UC0823 "atualizar ligação de água de ligado em análise para ligado", per
        locality: every active property in ``transitions["water.promote_analysis"]``
        goes to LIGADO (the sewer coupling applies)."""
        return self._water_batch(
            "water.promote_analysis", actor=actor, progress=progress
        )

    def _water_batch(
        self,
        operation: str,
        *,
        actor: int,
        progress: Progress | None,
        reference: int | None = None,
        cut_on_or_before: date | None = None,
        excluded_profiles: Collection[int] = (),
    ) -> BatchSummary:
        profile = self.profile
        sources = profile.allowed(operation)
        connected = rules.role_id(profile, "water_status.connected")
        out_of_use = profile.ids("sewer_status.out_of_use")
        with self._work() as uow:
            localities = uow.connection_batches.localities_with_water_status(sources)

        def chunk(uow: UnitOfWork, locality_id: int) -> ChunkOutcome:
            at = self._now()
            today = self._today(at)
            candidates = uow.connection_batches.candidates(
                locality_id=locality_id,
                water_status_ids=sources,
                cut_on_or_before=cut_on_or_before,
                excluded_profile_ids=excluded_profiles,
            )
            chosen: Sequence[BatchCandidate] = candidates
            if reference is not None:
                real = uow.billing.real_consumption(
                    [c.property_id for c in candidates],
                    reference=reference,
                    real_type_ids=profile.ids("consumption_type.real"),
                )
                chosen = [c for c in candidates if c.property_id in real]
            skipped = len(candidates) - len(chosen)
            if not chosen:
                return ChunkOutcome(
                    processed=len(candidates),
                    skipped={"no real consumption": skipped} if skipped else {},
                )
            ids = [c.property_id for c in chosen]
            moved = uow.connection_batches.move_water(
                ids,
                from_ids=sources,
                to_id=connected,
                sewer_from_ids=out_of_use,
                sewer_to=connected,
            )
            if moved != len(ids):
                raise ConcurrencyConflict("property", ids[0], -1)
            if reference is not None:
                uow.connection_batches.mark_reconnected(ids, on=today)
            uow.situation_history.add_many(
                _batch_history(
                    uow,
                    chosen,
                    operation=operation,
                    connected=connected,
                    out_of_use=out_of_use,
                    today=today,
                    at=at,
                    actor=actor,
                )
            )
            uow.record(
                ConnectionsChangedInBatch(
                    occurred_at=at,
                    actor=actor,
                    operation=operation,
                    locality_id=locality_id,
                    count=len(ids),
                    reference=reference,
                )
            )
            uow.commit()
            return ChunkOutcome(
                processed=len(candidates),
                changed=len(ids),
                skipped={"no real consumption": skipped} if skipped else {},
            )

        return run_batch(
            job=operation,
            units=localities,
            chunk=chunk,
            work=self._work,
            progress=progress,
        )

    # ------------------------------------------------------------ CAEMA
    def inform_feasible_billable(
        self,
        *,
        locality_id: int,
        data: SewerConnectionInput,
        actor: int,
        request_id: int | None = None,
    ) -> list[int]:
        """CAEMA UC1467 for a PPP locality: every active property whose sewer is in
        ``transitions["sewer.feasible_billable.inform"]`` gets the sewer connection
        data and goes to FACTÍVEL FATURÁVEL (its previous situation is kept). One
        transaction; returns the properties changed."""
        return self._feasible_billable(
            "sewer.feasible_billable.inform", locality_id, data, actor, request_id
        )

    def withdraw_feasible_billable(
        self, *, locality_id: int, actor: int, request_id: int | None = None
    ) -> list[int]:
        """CAEMA UC1468: the locality's FACTÍVEL FATURÁVEL properties go back to
        their previous sewer situation; the sewer rows are deleted."""
        return self._feasible_billable(
            "sewer.feasible_billable.withdraw", locality_id, None, actor, request_id
        )

    def _feasible_billable(
        self,
        operation: str,
        locality_id: int,
        data: object | None,
        actor: int,
        request_id: int | None,
    ) -> list[int]:
        if not self.profile.enabled("sewer.feasible_billable"):
            ensure([rules.FEATURE_DISABLED(feature="sewer.feasible_billable")])
        at = self._now()
        changed: list[int] = []
        sources = self.profile.allowed(operation)
        with self._work() as uow:
            props = uow.properties.find_by(
                locality_id=locality_id, sewer_status_id=sources, active=True
            )
            for prop in props:
                apply_in(
                    uow,
                    self.profile,
                    operation=operation,
                    property_id=prop.id,
                    data=data,
                    actor=actor,
                    at=at,
                    meters=self.meters,
                    request_id=request_id,
                )
                changed.append(prop.id)
            uow.commit()
        return changed


def _batch_history(
    uow: UnitOfWork,
    chosen: Sequence[BatchCandidate],
    *,
    operation: str,
    connected: int,
    out_of_use: Collection[int],
    today: date,
    at: datetime,
    actor: int,
) -> list[SituationChange]:
    steps: list[tuple[int, ConnectionKind, int]] = []
    for candidate in chosen:
        steps.append(
            (candidate.property_id, ConnectionKind.WATER, candidate.water_status_id)
        )
        if candidate.sewer_status_id in out_of_use:
            steps.append(
                (candidate.property_id, ConnectionKind.SEWER, candidate.sewer_status_id)
            )
    ids = uow.next_ids("situation_change", len(steps))
    return [
        SituationChange(
            id=ident,
            property_id=property_id,
            kind=kind,
            before_id=before,
            after_id=connected,
            effective_on=today,
            at=at,
            operation=operation,
            actor=actor,
        )
        for ident, (property_id, kind, before) in zip(ids, steps, strict=True)
    ]
