"""The water operations: connect, cut, administrative cut, cut type change,
suppression, reconnection, restoration, minimum consumption, data update, and
the batches' reconnection cut limit."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.billing import DebtKind
from gsan_core.model.connections import (
    AdministrativeCutInput,
    ChangeCutTypeInput,
    ConnectWithMeterInput,
    CutInput,
    MinimumConsumptionInput,
    ReconnectionInput,
    RestorationInput,
    SuppressionInput,
    WaterConnection,
    WaterConnectionInput,
    WaterUpdateInput,
)
from gsan_core.model.properties import NetworkIndicator
from gsan_core.rules.connections.checks import (
    _active,
    _date,
    _in_field,
    _move_water,
    _not_negative,
    _reference,
    _required,
    _water_row,
    _water_source,
    role_id,
)
from gsan_core.rules.connections.facts import (
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    Outcome,
)
from gsan_core.rules.connections.messages import (
    ADMINISTRATIVE_CUT_STATUS,
    CONNECT_WATER_PROPERTY_INACTIVE,
    CONNECT_WATER_STATUS,
    CUT_STATUS,
    CUT_TYPE_ADMINISTRATIVE,
    CUT_TYPE_NOT_ADMINISTRATIVE,
    CUT_TYPE_STATUS,
    MINIMUM_BELOW_CALCULATED,
    NO_WATER_NETWORK,
    PROPERTY_INACTIVE,
    RECONNECT_STATUS,
    RESTORE_STATUS,
    SUPPRESS_STATUS,
    SUPPRESSION_DEBTS,
    SUPPRESSION_PERMISSION,
    SUPPRESSION_TYPE_MISMATCH,
    TARIFF_NOT_ALLOWED,
    UPDATE_CUT_DATA,
    UPDATE_ORDER_TOO_OLD,
    UPDATE_SUPPRESSION_DATA,
    UPDATE_WATER_STATUS,
    WITHOUT_ORDER_PERMISSION,
)
from gsan_core.rules.validation import optional_text

MAX_SEAL = 10


# ---------------------------------------------------------------- water: connect
def _water_fields(
    ctx: ConnectionContext,
    *,
    connected_on: date | None,
    diameter_id: int | None,
    material_id: int | None,
    profile_id: int | None,
    origin_id: int | None,
    seal_number: str | None,
) -> list[Violation]:
    """V-LA8: the required data of a water connection, and its references."""
    found = _required(connected_on, "Connection date", "Data da Ligação")
    if connected_on is not None:
        found += _date(connected_on, ctx, "connection date", "Data da Ligação")
    found += _reference(
        ctx, "water_diameter", diameter_id, "Connection diameter", "Diametro da Ligação"
    )
    found += _reference(
        ctx, "water_material", material_id, "Connection material", "Material da Ligação"
    )
    found += _reference(
        ctx, "water_profile", profile_id, "Connection profile", "Perfil da Ligação"
    )
    found += _reference(
        ctx,
        "connection_origin",
        origin_id,
        "Connection origin",
        "Ligação de Origem",
        required=False,
    )
    found += optional_text(
        seal_number, field="Seal number", campo="Número do Lacre", max_length=MAX_SEAL
    )
    return found


def _tariff_for_profile(
    facts: ConnectionFacts, profile_id: int | None
) -> list[Violation]:
    """V-LA7: when consumption tariffs are bound to the connection profile
    chosen, the property's tariff is one of them (a property without a tariff
    is refused too)."""
    bound = facts.profile_tariffs.get(profile_id) if profile_id is not None else None
    tariff = facts.property.consumption_tariff_id
    if not bound or tariff in bound:
        return []
    return [
        TARIFF_NOT_ALLOWED(
            property_id=facts.property.id,
            tariff_id=tariff,
            profile_id=profile_id,
            allowed=", ".join(str(t) for t in sorted(bound)),
        )
    ]


def _connect_water(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: object,
    *,
    key: str,
    status: Message = CONNECT_WATER_STATUS,
) -> Outcome:
    assert isinstance(data, WaterConnectionInput)
    found = _active(facts, CONNECT_WATER_PROPERTY_INACTIVE)
    found += _water_source(facts, ctx, key, status)
    if facts.water_network is NetworkIndicator.NONE:
        found.append(NO_WATER_NETWORK(property_id=facts.property.id))
    found += _water_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        origin_id=data.origin_id,
        seal_number=data.seal_number,
    )
    found += _tariff_for_profile(facts, data.profile_id)
    found += _not_negative(
        data.minimum_consumption, "Minimum consumption", "Consumo Mínimo"
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert data.connected_on is not None
    assert data.diameter_id is not None
    assert data.material_id is not None
    assert data.profile_id is not None
    fields = {
        "connected_on": data.connected_on,
        "implanted_on": ctx.today,
        "diameter_id": data.diameter_id,
        "material_id": data.material_id,
        "profile_id": data.profile_id,
        "branch_location_id": data.branch_location_id,
        "origin_id": data.origin_id,
        "seal_number": data.seal_number,
        "street_pavement_id": data.street_pavement_id,
        "sidewalk_pavement_id": data.sidewalk_pavement_id,
        "branch_depth": data.branch_depth,
        "branch_distance": data.branch_distance,
        "minimum_consumption": data.minimum_consumption,
    }
    current = facts.water
    water = (
        WaterConnection(id=facts.property.id, **fields)  # type: ignore[arg-type]
        if current is None
        else attrs.evolve(current, version=current.version + 1, **fields)  # type: ignore[arg-type]
    )
    target = role_id(ctx.profile, "water_status.connected")
    prop, steps = _move_water(facts, ctx, target, couple=True)
    return [], ConnectionDecision(
        property=prop,
        water=water,
        steps=steps,
        effective_on=data.connected_on,
    )


def _connect_water_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    return _connect_water(facts, ctx, data, key="water.connect")


def _connect_water_no_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """UC0354 / UC0579 "sem RA": permission 65; the meter is optional."""
    if isinstance(data, ConnectWithMeterInput):
        data = data.connection
    found: list[Violation] = []
    if "connect_water_without_request" not in ctx.permissions:
        found.append(
            WITHOUT_ORDER_PERMISSION(
                permission_id=ctx.profile.id("permission.connect_water_without_request")
            )
        )
    violations, decision = _connect_water(
        facts, ctx, data, key="water.connect_without_order"
    )
    found += violations
    return (found, None) if found else ([], decision)


# ---------------------------------------------------------------- water: cuts
def _cut(facts: ConnectionFacts, ctx: ConnectionContext, data: object) -> Outcome:
    assert isinstance(data, CutInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.cut", CUT_STATUS)
    on = data.cut_on if data.cut_on is not None else ctx.effective_on
    found += _date(
        on,
        ctx,
        "cut date",
        "Data do Corte",
        after=None if facts.water is None else facts.water.connected_on,
    )
    found += _reference(ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte")
    if data.cut_type_id is not None:
        row = ctx.catalog.find("cut_type", data.cut_type_id)
        if row is not None and row.flag("administrative"):
            found.append(CUT_TYPE_ADMINISTRATIVE(cut_type_id=data.cut_type_id))
    found += _reference(
        ctx, "cut_reason", data.cut_reason_id, "Cut reason", "Motivo do Corte"
    )
    found += _not_negative(data.seal_number, "Cut seal", "Número do Selo de Corte")
    found += _not_negative(data.reading, "Cut reading", "Leitura do Corte")
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        cut_on=on,
        cut_seal=data.seal_number,
        cut_type_id=data.cut_type_id,
        cut_reason_id=data.cut_reason_id,
        version=facts.water.version + 1,
    )
    target = role_id(ctx.profile, "water_status.cut")
    prop, steps = _move_water(facts, ctx, target, couple=False)
    return [], ConnectionDecision(
        property=prop, water=water, steps=steps, effective_on=on, reading=data.reading
    )


def _administrative_cut(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, AdministrativeCutInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(
        facts, ctx, "water.administrative_cut", ADMINISTRATIVE_CUT_STATUS
    )
    on = data.cut_on if data.cut_on is not None else ctx.effective_on
    found += _date(
        on,
        ctx,
        "cut date",
        "Data do Corte",
        after=None if facts.water is None else facts.water.connected_on,
    )
    found += _reference(ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte")
    if data.cut_type_id is not None:
        row = ctx.catalog.find("cut_type", data.cut_type_id)
        if row is not None and not row.flag("administrative"):
            found.append(CUT_TYPE_NOT_ADMINISTRATIVE(cut_type_id=data.cut_type_id))
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        cut_type_id=data.cut_type_id,
        administrative_cut_on=on,
        version=facts.water.version + 1,
    )
    return [], ConnectionDecision(property=facts.property, water=water, effective_on=on)


def _change_cut_type(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, ChangeCutTypeInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.change_cut_type", CUT_TYPE_STATUS)
    found += _reference(ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte")
    if data.cut_type_id is not None:
        row = ctx.catalog.find("cut_type", data.cut_type_id)
        if row is not None and row.flag("administrative"):
            found.append(CUT_TYPE_ADMINISTRATIVE(cut_type_id=data.cut_type_id))
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water, cut_type_id=data.cut_type_id, version=facts.water.version + 1
    )
    return [], ConnectionDecision(
        property=facts.property, water=water, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- water: suppression
def _suppress(facts: ConnectionFacts, ctx: ConnectionContext, data: object) -> Outcome:
    assert isinstance(data, SuppressionInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.suppress", SUPPRESS_STATUS)
    on = data.suppressed_on if data.suppressed_on is not None else ctx.effective_on
    found += _date(
        on,
        ctx,
        "suppression date",
        "Data da Supressão",
        after=None if facts.water is None else facts.water.connected_on,
    )
    found += _reference(
        ctx,
        "suppression_type",
        data.suppression_type_id,
        "Suppression type",
        "Tipo de Supressão",
    )
    if data.suppression_type_id is not None:
        row = ctx.catalog.find("suppression_type", data.suppression_type_id)
        wanted = "total" if data.total else "partial"
        if row is not None and not row.flag(wanted):
            found.append(
                SUPPRESSION_TYPE_MISMATCH(
                    suppression_type_id=data.suppression_type_id,
                    expected=wanted,
                    esperado="total" if data.total else "parcial",
                )
            )
    found += _reference(
        ctx,
        "suppression_reason",
        data.suppression_reason_id,
        "Suppression reason",
        "Motivo da Supressão",
    )
    found += _not_negative(data.seal_number, "Suppression seal", "Selo de Supressão")
    found += _not_negative(data.reading, "Suppression reading", "Leitura")
    found += _suppression_gate(facts, ctx, data.suppression_reason_id)
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        suppressed_on=on,
        suppression_seal=data.seal_number,
        suppression_type_id=data.suppression_type_id,
        suppression_reason_id=data.suppression_reason_id,
        version=facts.water.version + 1,
    )
    role = (
        "water_status.suppressed"
        if data.total
        else "water_status.partially_suppressed_on_request"
    )
    prop, steps = _move_water(facts, ctx, role_id(ctx.profile, role), couple=False)
    return [], ConnectionDecision(
        property=prop, water=water, steps=steps, effective_on=on, reading=data.reading
    )


def _suppression_gate(
    facts: ConnectionFacts, ctx: ConnectionContext, reason_id: int | None
) -> list[Violation]:
    """V-SU8: with ``indicadorSupressao``, debts block a customer-requested
    suppression; any other reason needs special permission 79."""
    if not ctx.profile.connections.suppression_debt_gate or reason_id is None:
        return []
    if ctx.profile.plays("suppression_reason.customer_request", reason_id):
        debts = [d for d in ctx.debts if d.kind is not DebtKind.CREDIT]
        if debts:
            return [SUPPRESSION_DEBTS(property_id=facts.property.id, count=len(debts))]
        return []
    if "suppress_water_connection" in ctx.permissions:
        return []
    return [
        SUPPRESSION_PERMISSION(
            reason_id=reason_id,
            permission_id=ctx.profile.id("permission.suppress_water_connection"),
        )
    ]


# ---------------------------------------------------------------- water: back to connected
def _reconnect(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: object,
    *,
    key: str = "water.reconnect",
    status: Message = RECONNECT_STATUS,
    inactive: Message = PROPERTY_INACTIVE,
) -> Outcome:
    assert isinstance(data, ReconnectionInput)
    found = _active(facts, inactive) + _water_row(facts)
    found += _water_source(facts, ctx, key, status)
    on = data.reconnected_on if data.reconnected_on is not None else ctx.effective_on
    water = facts.water
    found += _date(
        on,
        ctx,
        "reconnection date",
        "Data da Religação",
        after=None if water is None else (water.cut_on or water.connected_on),
        after_field="cut date",
        apos="data do corte",
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert water is not None
    updated = attrs.evolve(water, reconnected_on=on, version=water.version + 1)
    target = role_id(ctx.profile, "water_status.connected")
    prop, steps = _move_water(facts, ctx, target, couple=True)
    return [], ConnectionDecision(
        property=prop, water=updated, steps=steps, effective_on=on
    )


def _restore(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: object,
    *,
    key: str = "water.restore",
    status: Message = RESTORE_STATUS,
    inactive: Message = PROPERTY_INACTIVE,
    no_network: Message | None = None,
) -> Outcome:
    assert isinstance(data, RestorationInput)
    found = _active(facts, inactive) + _water_row(facts)
    found += _water_source(facts, ctx, key, status)
    if no_network is not None and facts.water_network is NetworkIndicator.NONE:
        found.append(no_network(property_id=facts.property.id))
    on = data.restored_on if data.restored_on is not None else ctx.effective_on
    water = facts.water
    found += _date(
        on,
        ctx,
        "restoration date",
        "Data do Restabelecimento",
        after=None if water is None else (water.suppressed_on or water.connected_on),
        after_field="suppression date",
        apos="data da supressão",
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert water is not None
    updated = attrs.evolve(water, restored_on=on, version=water.version + 1)
    target = role_id(ctx.profile, "water_status.connected")
    prop, steps = _move_water(facts, ctx, target, couple=True)
    return [], ConnectionDecision(
        property=prop, water=updated, steps=steps, effective_on=on
    )


# ---------------------------------------------------------------- water: data
def _minimum_consumption(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, MinimumConsumptionInput)
    found = _active(facts) + _water_row(facts)
    value = data.minimum_consumption
    found += _not_negative(value, "Minimum consumption", "Consumo Mínimo")
    minimum = ctx.calculated_minimum
    if value is not None and minimum is not None and 0 <= value < minimum:
        found.append(
            MINIMUM_BELOW_CALCULATED(
                property_id=facts.property.id, value=value, minimum=minimum
            )
        )
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water, minimum_consumption=value, version=facts.water.version + 1
    )
    return [], ConnectionDecision(
        property=facts.property, water=water, effective_on=ctx.effective_on
    )


def _order_too_old(ctx: ConnectionContext, role: str, kind: str) -> list[Violation]:
    """V-UP1: for some types the OS must have closed at most ``diasMaximoAlterarOS``
    days ago."""
    order, service_type = ctx.order, ctx.service_type
    closed_on = ctx.order_closed_on
    if order is None or service_type is None or closed_on is None:
        return []
    if not ctx.profile.plays(role, service_type.id):
        return []
    days = ctx.profile.service_orders.max_days_to_update_closed_order
    if (ctx.today - closed_on).days > days:
        return [UPDATE_ORDER_TOO_OLD(order_id=order.id, days=days, kind=kind)]
    return []


def _update_water(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, WaterUpdateInput)
    found = _order_too_old(ctx, "service_type.water.update_within_days", "water")
    found += _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.update", UPDATE_WATER_STATUS)
    found += _water_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        origin_id=data.origin_id,
        seal_number=data.seal_number,
    )
    status = facts.property.water_status_id
    profile = ctx.profile
    if profile.plays("water_status.cut", status):
        for field, value in (
            ("type", data.cut_type_id),
            ("reason", data.cut_reason_id),
            ("seal", data.cut_seal),
        ):
            if value is None:
                found.append(UPDATE_CUT_DATA[field]())
    suppressed = profile.ids("water_status.suppressed") | profile.ids(
        "water_status.partially_suppressed_on_request"
    )
    if status in suppressed:
        for field, value in (
            ("type", data.suppression_type_id),
            ("reason", data.suppression_reason_id),
            ("seal", data.suppression_seal),
        ):
            if value is None:
                found.append(UPDATE_SUPPRESSION_DATA[field]())
    found += _reference(
        ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte", required=False
    )
    found += _reference(
        ctx,
        "cut_reason",
        data.cut_reason_id,
        "Cut reason",
        "Motivo do Corte",
        required=False,
    )
    found += _reference(
        ctx,
        "suppression_type",
        data.suppression_type_id,
        "Suppression type",
        "Tipo de Supressão",
        required=False,
    )
    found += _reference(
        ctx,
        "suppression_reason",
        data.suppression_reason_id,
        "Suppression reason",
        "Motivo da Supressão",
        required=False,
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        version=facts.water.version + 1,
        **{f.name: getattr(data, f.name) for f in attrs.fields(WaterUpdateInput)},
    )
    return [], ConnectionDecision(
        property=facts.property, water=water, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- batches
def reconnection_cut_limit(reference: int, days: int) -> date:
    """UC1073: a cut property is reconnected only if cut on or before the last day
    of the reference month minus ``days`` days."""
    year, month = divmod(reference, 100)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=days)
