"""The sewer operations: connect, billing situation, minimum volume, data
update and CAEMA's "factível faturável"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.errors import Violation
from gsan_core.model.connections import (
    HUNDRED,
    ConnectionKind,
    MinimumVolumeInput,
    SewerBillingInput,
    SewerConnection,
    SewerConnectionInput,
    SewerUpdateInput,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import NetworkIndicator
from gsan_core.rules.connections.checks import (
    _active,
    _date,
    _in_field,
    _move_sewer,
    _not_negative,
    _reference,
    _required,
    _sewer_row,
    _sewer_source,
    _sewer_status_text,
    _water_source,
    role_id,
)
from gsan_core.rules.connections.facts import (
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    Outcome,
    SewerBillingChange,
)
from gsan_core.rules.connections.messages import (
    BILLING_NO_TRANSITION,
    BILLING_SEWER_STATUS,
    BILLING_WATER_STATUS,
    COLLECTION_PERMISSION,
    CONNECT_SEWER_PROPERTY_INACTIVE,
    CONNECT_SEWER_STATUS,
    FEASIBLE_BILLABLE_STATUS,
    FEATURE_DISABLED,
    NO_SEWER_NETWORK,
    NOT_PPP_LOCALITY,
    PERCENTAGE_OUT_OF_RANGE,
    UPDATE_SEWER_STATUS,
    VOLUME_BELOW_CALCULATED,
    WITHOUT_ORDER_PERMISSION,
)
from gsan_core.rules.connections.water import _order_too_old

#: The water situations the sewer billing changes read (allowed water situations).
SEWER_BILLING_WATER = {
    SewerBillingChange.PLUG: "sewer.billing_situation.plug.water",
    SewerBillingChange.DEACTIVATE: "sewer.billing_situation.deactivate.water",
}


# ---------------------------------------------------------------- sewer
def _percentage(value: Decimal | None, field: str, campo: str) -> list[Violation]:
    if value is not None and not Decimal(0) <= value <= HUNDRED:
        return [PERCENTAGE_OUT_OF_RANGE(field=field, campo=campo, value=value)]
    return []


def _sewer_fields(
    ctx: ConnectionContext,
    *,
    connected_on: date | None,
    diameter_id: int | None,
    material_id: int | None,
    profile_id: int | None,
    grease_trap: bool | None,
    collection_percentage: Decimal | None,
    sewer_percentage: Decimal | None,
    optional: Mapping[str, tuple[int | None, str, str]],
    collection_changes: bool,
) -> list[Violation]:
    """V-LE7..V-LE9: the sewer connection's data."""
    found = _required(connected_on, "Connection date", "Data da Ligação")
    if connected_on is not None:
        found += _date(connected_on, ctx, "connection date", "Data da Ligação")
    found += _reference(
        ctx, "sewer_diameter", diameter_id, "Connection diameter", "Diâmetro da Ligação"
    )
    found += _reference(
        ctx, "sewer_material", material_id, "Connection material", "Material da Ligação"
    )
    found += _reference(
        ctx, "sewer_profile", profile_id, "Connection profile", "Perfil da Ligação"
    )
    found += _required(grease_trap, "Grease trap", "Caixa de Gordura")
    for kind, (value, field, campo) in optional.items():
        found += _reference(ctx, kind, value, field, campo, required=False)
    found += _percentage(
        collection_percentage, "collection percentage", "Percentual de Coleta"
    )
    found += _percentage(sewer_percentage, "sewer percentage", "Percentual de Esgoto")
    if (
        collection_changes
        and "change_sewer_collection_percentage" not in ctx.permissions
    ):
        found.append(
            COLLECTION_PERMISSION(
                permission_id=ctx.profile.id(
                    "permission.change_sewer_collection_percentage"
                )
            )
        )
    return found


def _sewer_optional(
    data: SewerConnectionInput | SewerUpdateInput,
) -> dict[str, tuple[int | None, str, str]]:
    return {
        "sewer_drainage": (data.drainage_id, "Drainage", "Esgotamento"),
        "waste_destination": (
            data.waste_destination_id,
            "Waste destination",
            "Destino de Dejetos",
        ),
        "sewer_inspection_box": (
            data.inspection_box_id,
            "Inspection box",
            "Caixa de Inspeção",
        ),
        "rainwater_destination": (
            data.rainwater_destination_id,
            "Rainwater destination",
            "Destino de Águas Pluviais",
        ),
        "connection_origin": (data.origin_id, "Connection origin", "Ligação de Origem"),
    }


def _sewer_percentage_of(ctx: ConnectionContext, profile_id: int) -> Decimal:
    row = ctx.catalog.find("sewer_profile", profile_id)
    value = None if row is None else row.decimal("sewer_percentage")
    return HUNDRED if value is None else value


def _new_sewer(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: SewerConnectionInput,
    **extra: object,
) -> SewerConnection:
    assert data.connected_on is not None
    assert data.diameter_id is not None
    assert data.material_id is not None
    assert data.profile_id is not None
    assert data.grease_trap is not None
    fields: dict[str, object] = {
        "connected_on": data.connected_on,
        "diameter_id": data.diameter_id,
        "material_id": data.material_id,
        "profile_id": data.profile_id,
        "collection_percentage": HUNDRED
        if data.collection_percentage is None
        else data.collection_percentage,
        "sewer_percentage": _sewer_percentage_of(ctx, data.profile_id)
        if data.sewer_percentage is None
        else data.sewer_percentage,
        "grease_trap": data.grease_trap,
        "connection_indicator": data.connection_indicator,
        "minimum_volume": data.minimum_volume,
        "drainage_id": data.drainage_id,
        "waste_destination_id": data.waste_destination_id,
        "inspection_box_id": data.inspection_box_id,
        "rainwater_destination_id": data.rainwater_destination_id,
        "origin_id": data.origin_id,
        **extra,
    }
    current = facts.sewer
    if current is None:
        return SewerConnection(id=facts.property.id, **fields)  # type: ignore[arg-type]
    return attrs.evolve(current, version=current.version + 1, **fields)  # type: ignore[arg-type]


def _sewer_input_violations(
    ctx: ConnectionContext, data: SewerConnectionInput
) -> list[Violation]:
    found = _sewer_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        grease_trap=data.grease_trap,
        collection_percentage=data.collection_percentage,
        sewer_percentage=data.sewer_percentage,
        optional=_sewer_optional(data),
        collection_changes=data.collection_percentage is not None
        and data.collection_percentage != HUNDRED,
    )
    found += _not_negative(data.minimum_volume, "Minimum volume", "Volume Mínimo")
    return found


def _connect_sewer(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object, *, key: str
) -> Outcome:
    assert isinstance(data, SewerConnectionInput)
    found = _active(facts, CONNECT_SEWER_PROPERTY_INACTIVE)
    found += _sewer_source(facts, ctx, key, CONNECT_SEWER_STATUS)
    if facts.sewer_network is NetworkIndicator.NONE:
        found.append(NO_SEWER_NETWORK(property_id=facts.property.id))
    found += _sewer_input_violations(ctx, data)
    found += _in_field(facts)
    if found:
        return found, None
    sewer = _new_sewer(facts, ctx, data)
    prop, steps = _move_sewer(facts, role_id(ctx.profile, "sewer_status.connected"))
    return [], ConnectionDecision(
        property=prop, sewer=sewer, steps=steps, effective_on=sewer.connected_on
    )


def _connect_sewer_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    return _connect_sewer(facts, ctx, data, key="sewer.connect")


def _connect_sewer_no_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    found: list[Violation] = []
    if "connect_sewer_without_request" not in ctx.permissions:
        found.append(
            WITHOUT_ORDER_PERMISSION(
                permission_id=ctx.profile.id("permission.connect_sewer_without_request")
            )
        )
    violations, decision = _connect_sewer(
        facts, ctx, data, key="sewer.connect_without_order"
    )
    found += violations
    return (found, None) if found else ([], decision)


def sewer_billing_change(
    profile: UtilityProfile, service_type_id: int
) -> SewerBillingChange | None:
    """Which sewer billing change a service type means (§3.13), by profile role."""
    for change in SewerBillingChange:
        if profile.plays(
            f"service_type.sewer.billing_situation.{change.value}", service_type_id
        ):
            return change
    return None


def _sewer_billing(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    on = ctx.effective_on
    if isinstance(data, SewerBillingInput) and data.changed_on is not None:
        on = data.changed_on
    service_type = ctx.service_type
    change = (
        None
        if service_type is None
        else sewer_billing_change(ctx.profile, service_type.id)
    )
    if change is None:
        return [
            BILLING_NO_TRANSITION(
                service_type_id=None if service_type is None else service_type.id
            )
        ], None
    found = _active(facts) + _sewer_row(facts)
    water_key = SEWER_BILLING_WATER.get(change)
    if water_key is not None:
        found += _water_source(facts, ctx, water_key, BILLING_WATER_STATUS[change])
    found += _sewer_source(
        facts,
        ctx,
        f"sewer.billing_situation.{change.value}",
        BILLING_SEWER_STATUS[change],
    )
    found += _date(
        on,
        ctx,
        "change date",
        "Data da Mudança",
        after=None if facts.sewer is None else facts.sewer.connected_on,
    )
    if found:
        return found, None
    profile = ctx.profile
    if change is SewerBillingChange.PLUG:
        target = role_id(profile, "sewer_status.plugged")
    elif change is SewerBillingChange.DEACTIVATE:
        if profile.connections.sewer_deactivation_target == "out_of_use":
            target = role_id(profile, "sewer_status.out_of_use")
        elif facts.sewer_network is NetworkIndicator.NETWORK:
            target = role_id(profile, "sewer_status.feasible")
        else:
            target = role_id(profile, "sewer_status.potential")
    else:
        target = role_id(profile, "sewer_status.connected")
    prop, steps = _move_sewer(facts, target)
    return [], ConnectionDecision(property=prop, steps=steps, effective_on=on)


def _minimum_volume(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, MinimumVolumeInput)
    found = _active(facts) + _sewer_row(facts)
    value = data.minimum_volume
    found += _not_negative(value, "Minimum volume", "Volume Mínimo")
    minimum = ctx.calculated_minimum
    if value is not None and minimum is not None and 0 <= value < minimum:
        found.append(
            VOLUME_BELOW_CALCULATED(
                property_id=facts.property.id, value=value, minimum=minimum
            )
        )
    if found:
        return found, None
    assert facts.sewer is not None
    sewer = attrs.evolve(
        facts.sewer, minimum_volume=value, version=facts.sewer.version + 1
    )
    return [], ConnectionDecision(
        property=facts.property, sewer=sewer, effective_on=ctx.effective_on
    )


def _update_sewer(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, SewerUpdateInput)
    found = _order_too_old(ctx, "service_type.sewer.update_within_days", "sewer")
    found += _active(facts) + _sewer_row(facts)
    found += _sewer_source(facts, ctx, "sewer.update", UPDATE_SEWER_STATUS)
    current = facts.sewer
    found += _sewer_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        grease_trap=data.grease_trap,
        collection_percentage=data.collection_percentage,
        sewer_percentage=data.sewer_percentage,
        optional=_sewer_optional(data),
        collection_changes=current is not None
        and data.collection_percentage is not None
        and data.collection_percentage != current.collection_percentage,
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert current is not None
    changes = {f.name: getattr(data, f.name) for f in attrs.fields(SewerUpdateInput)}
    for kept in ("collection_percentage", "sewer_percentage"):
        if changes[kept] is None:
            changes[kept] = getattr(current, kept)
    sewer = attrs.evolve(current, version=current.version + 1, **changes)
    return [], ConnectionDecision(
        property=facts.property, sewer=sewer, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- CAEMA
def _feasible_billable_enabled(ctx: ConnectionContext) -> list[Violation]:
    if ctx.profile.enabled("sewer.feasible_billable"):
        return []
    return [
        FEATURE_DISABLED(
            feature="sewer.feasible_billable",
            funcionalidade="a situação de esgoto factível faturável",
        )
    ]


def _inform_feasible_billable(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, SewerConnectionInput)
    found = _feasible_billable_enabled(ctx)
    if found:
        return found, None
    if not facts.ppp_contract:
        found.append(NOT_PPP_LOCALITY(property_id=facts.property.id))
    found += _active(facts)
    status = facts.property.sewer_status_id
    if status not in ctx.profile.allowed("sewer.feasible_billable.inform"):
        found.append(
            FEASIBLE_BILLABLE_STATUS(
                property_id=facts.property.id,
                status=_sewer_status_text(ctx, status),
                action="informed",
                acao="informar",
            )
        )
    found += _sewer_input_violations(ctx, data)
    if found:
        return found, None
    sewer = _new_sewer(
        facts, ctx, data, previous_status_id=status, request_id=ctx.request_id
    )
    target = role_id(ctx.profile, "sewer_status.feasible_billable")
    prop, steps = _move_sewer(facts, target)
    return [], ConnectionDecision(
        property=prop, sewer=sewer, steps=steps, effective_on=sewer.connected_on
    )


def _withdraw_feasible_billable(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    del data
    found = _feasible_billable_enabled(ctx)
    if found:
        return found, None
    found += _active(facts)
    status = facts.property.sewer_status_id
    if status not in ctx.profile.allowed("sewer.feasible_billable.withdraw"):
        found.append(
            FEASIBLE_BILLABLE_STATUS(
                property_id=facts.property.id,
                status=_sewer_status_text(ctx, status),
                action="withdrawn",
                acao="retirar",
            )
        )
    if found:
        return found, None
    previous = None if facts.sewer is None else facts.sewer.previous_status_id
    if previous is None:
        previous = role_id(
            ctx.profile,
            "sewer_status.feasible"
            if facts.sewer_network is NetworkIndicator.NETWORK
            else "sewer_status.potential",
        )
    prop, steps = _move_sewer(facts, previous)
    removed = () if facts.sewer is None else (ConnectionKind.SEWER,)
    return [], ConnectionDecision(
        property=prop, removed=removed, steps=steps, effective_on=ctx.effective_on
    )
