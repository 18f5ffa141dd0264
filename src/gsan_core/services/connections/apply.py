"""Running one operation inside the caller's unit of work: evaluate it with
its meter step, then store the property, the connection rows, the situation
history and the event (:func:`apply_in`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import attrs

from gsan_core.errors import ConfigurationError, Violation
from gsan_core.model.connections import (
    ConnectionKind,
    ConnectionOperationApplied,
    CutInput,
    MeterInstallation,
    MeterReplacement,
    SewerConnection,
    SituationChange,
    SuppressionInput,
    WaterConnection,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import connections as rules
from gsan_core.rules.connections import (
    OPERATIONS,
    ConnectionDecision,
    ConnectionFacts,
    MeterStep,
    OperationSpec,
    SituationStep,
)
from gsan_core.rules.validation import ensure
from gsan_core.services.connections.facts import _context, load_facts, load_facts_many
from gsan_core.services.connections.seams import MeterSeam, PlannedMeterWork


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
    lock: bool = False,
) -> _Evaluation:
    spec = OPERATIONS.get(operation)
    if spec is None:
        raise ConfigurationError(f"no connection operation {operation!r}")
    today = at.astimezone(ZoneInfo(profile.timezone)).date()
    on = effective_on or today
    facts = load_facts(
        uow, profile, property_id, spec=spec, meters=meters, prop=prop, lock=lock
    )
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

    The property is locked before anything is read (a ``prop`` given was read
    under its lock by the caller).
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
        lock=True,
    )
    ensure(evaluation.violations)
    decision = evaluation.decision
    assert decision is not None
    _store(
        uow,
        evaluation.facts,
        decision,
        operation=evaluation.spec,
        order_id=None if order is None else order.id,
        actor=actor,
        at=at,
        meter_work=evaluation.meter_work,
    )
    return decision


def apply_many_in(
    uow: UnitOfWork,
    profile: UtilityProfile,
    *,
    operation: str,
    props: Sequence[Property],
    data: object | None,
    actor: int,
    at: datetime,
    meters: MeterSeam,
    request_id: int | None = None,
) -> list[ConnectionDecision]:
    """:func:`apply_in` for many properties without an order, set-based: the
    properties are given read under their locks (``lock_many``), their facts
    are read together (:func:`load_facts_many`), each is decided by the pure
    rules, and every violation of every property refuses the whole (nothing
    written); then the properties, the connection rows and the history are
    written a statement each (the removed rows one by one). An operation
    with a meter step goes property by property through :func:`apply_in`."""
    spec = OPERATIONS.get(operation)
    if spec is None:
        raise ConfigurationError(f"no connection operation {operation!r}")
    if spec.meter is not MeterStep.NONE:
        return [
            apply_in(
                uow,
                profile,
                operation=operation,
                property_id=p.id,
                data=data,
                actor=actor,
                at=at,
                meters=meters,
                request_id=request_id,
                prop=p,
            )
            for p in props
        ]
    today = at.astimezone(ZoneInfo(profile.timezone)).date()
    facts = load_facts_many(uow, profile, props, spec=spec, meters=meters)
    found: list[Violation] = []
    decided: list[tuple[ConnectionFacts, ConnectionDecision]] = []
    for prop in props:
        context = _context(
            uow,
            profile,
            key=operation,
            facts=facts[prop.id],
            actor=actor,
            today=today,
            effective_on=today,
            order=None,
            service_type=None,
            request_id=request_id,
        )
        refused, decision = rules.evaluate_operation(
            operation, facts=facts[prop.id], context=context, data=data
        )
        found.extend(refused)
        if decision is not None:
            decided.append((facts[prop.id], decision))
    ensure(found)
    _store_many(uow, decided, operation=spec, actor=actor, at=at)
    return [decision for _, decision in decided]


@attrs.frozen
class _Stamp:
    """Who applied an operation, when and under which order: what its
    history rows and its event carry besides the decision."""

    operation: OperationSpec
    order_id: int | None
    actor: int
    at: datetime

    def history(
        self, ident: int, decision: ConnectionDecision, step: SituationStep
    ) -> SituationChange:
        """The history row of one of ``decision``'s situation steps."""
        return SituationChange(
            id=ident,
            property_id=decision.property.id,
            kind=step.kind,
            before_id=step.before,
            after_id=step.after,
            effective_on=decision.effective_on,
            at=self.at,
            operation=self.operation.key,
            order_id=self.order_id,
            actor=self.actor,
            reading=decision.reading if step.kind is ConnectionKind.WATER else None,
        )

    def applied(
        self, facts: ConnectionFacts, decision: ConnectionDecision
    ) -> ConnectionOperationApplied:
        """The event of ``decision`` applied to the property of ``facts``."""
        before, after = facts.property, decision.property
        return ConnectionOperationApplied(
            occurred_at=self.at,
            actor=self.actor,
            property_id=after.id,
            operation=self.operation.key,
            gsan_operation=self.operation.gsan_operation,
            order_id=self.order_id,
            effective_on=decision.effective_on,
            water_before=before.water_status_id,
            water_after=after.water_status_id,
            sewer_before=before.sewer_status_id,
            sewer_after=after.sewer_status_id,
            removed=decision.removed,
        )


def _store_many(
    uow: UnitOfWork,
    decided: Sequence[tuple[ConnectionFacts, ConnectionDecision]],
    *,
    operation: OperationSpec,
    actor: int,
    at: datetime,
) -> None:
    """:func:`_store` of many decisions without an order or a meter step."""
    uow.properties.update_many(
        d.property for f, d in decided if d.property is not f.property
    )
    water = [(f.water, d.water) for f, d in decided]
    uow.water_connections.add_many(n for o, n in water if n and o is None)
    uow.water_connections.update_many(n for o, n in water if n and o is not None)
    sewer = [(f.sewer, d.sewer) for f, d in decided]
    uow.sewer_connections.add_many(n for o, n in sewer if n and o is None)
    uow.sewer_connections.update_many(n for o, n in sewer if n and o is not None)
    for facts, decision in decided:
        if ConnectionKind.WATER in decision.removed and facts.water is not None:
            uow.water_connections.remove(facts.water)
        if ConnectionKind.SEWER in decision.removed and facts.sewer is not None:
            uow.sewer_connections.remove(facts.sewer)
    steps = [(d, step) for _, d in decided for step in d.steps]
    ids = uow.next_ids("situation_change", len(steps)) if steps else []
    stamp = _Stamp(operation=operation, order_id=None, actor=actor, at=at)
    uow.situation_history.add_many(
        stamp.history(ident, decision, step)
        for ident, (decision, step) in zip(ids, steps, strict=True)
    )
    for facts, decision in decided:
        uow.record(stamp.applied(facts, decision))


def _store(
    uow: UnitOfWork,
    facts: ConnectionFacts,
    decision: ConnectionDecision,
    *,
    operation: OperationSpec,
    order_id: int | None,
    actor: int,
    at: datetime,
    meter_work: PlannedMeterWork | None = None,
) -> None:
    before = facts.property
    after = decision.property
    if after is not before:
        uow.properties.update(after)
    _store_row(uow.water_connections, facts.water, decision.water)
    _store_row(uow.sewer_connections, facts.sewer, decision.sewer)
    if meter_work is not None:
        # after a new connection row: an installation on the water connection
        # references it (GSAN's hidrometro_inst_hist.lagu_id foreign key)
        meter_work.apply()
    if ConnectionKind.WATER in decision.removed and facts.water is not None:
        uow.water_connections.remove(facts.water)
    if ConnectionKind.SEWER in decision.removed and facts.sewer is not None:
        uow.sewer_connections.remove(facts.sewer)
    stamp = _Stamp(operation=operation, order_id=order_id, actor=actor, at=at)
    if decision.steps:
        ids = uow.next_ids("situation_change", len(decision.steps))
        uow.situation_history.add_many(
            stamp.history(ident, decision, step)
            for ident, step in zip(ids, decision.steps, strict=True)
        )
    uow.record(stamp.applied(facts, decision))


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
