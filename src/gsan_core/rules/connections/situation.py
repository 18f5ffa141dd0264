""" "Alterar situação da ligação" (V-AS): the situations offered and the change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from gsan_core.errors import Violation
from gsan_core.model.connections import ChangeSituationInput, ConnectionKind
from gsan_core.model.properties import NetworkIndicator
from gsan_core.rules.connections.checks import _active
from gsan_core.rules.connections.facts import (
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    Outcome,
    SituationStep,
)
from gsan_core.rules.connections.messages import (
    CHANGE_DEBTS,
    CHANGE_ORDER_CLOSED,
    CHANGE_SITUATION_NOT_OFFERED,
    CHANGE_TARGET_REQUIRED,
    CHANGE_WATER_METER,
    CHANGE_WELL_METER,
    CHANGE_WRONG_SERVICE_TYPE,
)


# ---------------------------------------------------------------- alterar situação
def offered_situations(
    ctx: ConnectionContext, kind: ConnectionKind, network: NetworkIndicator
) -> tuple[int, ...]:
    """V-AS4: POTENCIAL without a network, FACTÍVEL with one, either with a partial
    network; only situations that are not billed."""
    table = "water_status" if kind is ConnectionKind.WATER else "sewer_status"
    roles = {
        NetworkIndicator.NONE: ("potential",),
        NetworkIndicator.NETWORK: ("feasible",),
        NetworkIndicator.PARTIAL: ("potential", "feasible"),
    }[network]
    found: list[int] = []
    for role in roles:
        for status_id in sorted(ctx.profile.ids(f"{table}.{role}")):
            row = ctx.catalog.find(table, status_id)
            if row is not None and row.active and not row.flag("billing"):
                found.append(status_id)
    return tuple(found)


def _change_situation(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, ChangeSituationInput)
    found: list[Violation] = []
    service_type = ctx.service_type
    if service_type is None or not ctx.profile.plays(
        "service_type.connection.change_situation", service_type.id
    ):
        found.append(
            CHANGE_WRONG_SERVICE_TYPE(
                service_type_id=None if service_type is None else service_type.id
            )
        )
    order = ctx.order
    if order is not None and not order.is_open:
        found.append(CHANGE_ORDER_CLOSED(order_id=order.id))
    found += _active(facts)
    target = data.target
    if target is None:
        found.append(
            CHANGE_TARGET_REQUIRED(
                field="Connection type", campo="Tipo de Ligacao a ser Removida"
            )
        )
        return found, None
    targets = _targets(facts, ctx, data, target.kinds, found)
    debts = list(ctx.debts)
    if debts and "change_situation_with_debts" not in ctx.permissions:
        found.append(
            CHANGE_DEBTS(
                property_id=facts.property.id,
                count=len(debts),
                permission_id=ctx.profile.id("permission.change_situation_with_debts"),
            )
        )
    if ConnectionKind.WATER in target.kinds and facts.water_meter:
        found.append(CHANGE_WATER_METER(property_id=facts.property.id))
    if ConnectionKind.SEWER in target.kinds and facts.well_meter:
        found.append(CHANGE_WELL_METER(property_id=facts.property.id))
    if found:
        return found, None
    return [], _situation_decision(facts, ctx, targets)


def _targets(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: ChangeSituationInput,
    kinds: Iterable[ConnectionKind],
    found: list[Violation],
) -> dict[ConnectionKind, int]:
    """The new situation of each connection changed: given, and one the
    connection's network offers (the refusals are added to ``found``)."""
    chosen = {
        ConnectionKind.WATER: (
            data.water_status_id,
            facts.water_network,
            "New water situation",
            "Nova Situação da Ligação de Água",
            "água",
        ),
        ConnectionKind.SEWER: (
            data.sewer_status_id,
            facts.sewer_network,
            "New sewer situation",
            "Nova Situação da Ligação de Esgoto",
            "esgoto",
        ),
    }
    targets: dict[ConnectionKind, int] = {}
    for kind in kinds:
        status_id, network, field, campo, tipo = chosen[kind]
        if status_id is None:
            found.append(CHANGE_TARGET_REQUIRED(field=field, campo=campo))
            continue
        offered = offered_situations(ctx, kind, network)
        if status_id not in offered:
            found.append(
                CHANGE_SITUATION_NOT_OFFERED(
                    status_id=status_id,
                    kind=kind.value,
                    tipo=tipo,
                    property_id=facts.property.id,
                    offered=", ".join(str(i) for i in offered) or "none",
                )
            )
        targets[kind] = status_id
    return targets


def _situation_decision(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    targets: Mapping[ConnectionKind, int],
) -> ConnectionDecision:
    """The connections removed and the situation steps of the property."""
    prop = facts.property
    steps: list[SituationStep] = []
    removed: list[ConnectionKind] = []
    before = {
        ConnectionKind.WATER: (prop.water_status_id, facts.water),
        ConnectionKind.SEWER: (prop.sewer_status_id, facts.sewer),
    }
    for kind, status_id in targets.items():
        current, row = before[kind]
        if row is not None:
            removed.append(kind)
        if status_id != current:
            steps.append(SituationStep(kind=kind, before=current, after=status_id))
    if steps:
        prop = attrs.evolve(
            prop,
            water_status_id=targets.get(ConnectionKind.WATER, prop.water_status_id),
            sewer_status_id=targets.get(ConnectionKind.SEWER, prop.sewer_status_id),
            version=prop.version + 1,
        )
    return ConnectionDecision(
        property=prop,
        removed=tuple(removed),
        steps=tuple(steps),
        effective_on=ctx.effective_on,
    )
