"""The "com hidrômetro" water operations: connect, reconnect or restore with a
meter installation or replacement (V-LAH, V-RLH, V-RSH, C-HID)."""

from __future__ import annotations

from gsan_core.errors import Message
from gsan_core.model.connections import (
    ConnectWithMeterInput,
    ConnectWithReplacementInput,
    MeterInstallation,
    MeterReplacement,
    ReconnectWithMeterInput,
    ReconnectWithReplacementInput,
    RestoreWithMeterInput,
    RestoreWithReplacementInput,
)
from gsan_core.rules.connections.facts import (
    ConnectionContext,
    ConnectionFacts,
    Outcome,
)
from gsan_core.rules.connections.messages import (
    CONNECT_METER_STATUS,
    METER_REQUIRED,
    RECONNECT_METER_INACTIVE,
    RECONNECT_METER_STATUS,
    REPLACEMENT_REQUIRED,
    RESTORE_METER_INACTIVE,
    RESTORE_METER_NO_NETWORK,
    RESTORE_METER_STATUS,
)
from gsan_core.rules.connections.water import _connect_water, _reconnect, _restore


# ---------------------------------------------------------------- water: with a meter
def meter_part(data: object) -> MeterInstallation | MeterReplacement | None:
    """The meter data of a "com hidrômetro" operation's input (``None`` for any
    other input, or when it gives none)."""
    if isinstance(
        data, ConnectWithMeterInput | ReconnectWithMeterInput | RestoreWithMeterInput
    ):
        return data.meter
    if isinstance(
        data,
        ConnectWithReplacementInput
        | ReconnectWithReplacementInput
        | RestoreWithReplacementInput,
    ):
        return data.replacement
    return None


def _composite(outcome: Outcome, part: object, required: Message) -> Outcome:
    """The base operation's outcome, plus C-HID1 / C-HID2 (the meter data)."""
    found, decision = outcome
    if part is None:
        found = [*found, required()]
    return (found, None) if found else ([], decision)


def _connect_with_meter(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.3 (operation 706): the connection's rules with their own situation
    message (V-LAH3); the meter's (V-LAH1 = I-9, V-LAH2 = I-10 / I-12) are the
    hydrometer area's."""
    assert isinstance(data, ConnectWithMeterInput)
    outcome = _connect_water(
        facts,
        ctx,
        data.connection,
        key="water.connect_with_meter",
        status=CONNECT_METER_STATUS,
    )
    return _composite(outcome, data.meter, METER_REQUIRED)


def _reconnect_with_meter(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.8 (operation 16044): V-RLH1 (cut), V-RLH2 (active), the
    reconnection's date and lock; no network check (GSAN has none)."""
    assert isinstance(data, ReconnectWithMeterInput)
    outcome = _reconnect(
        facts,
        ctx,
        data.reconnection,
        key="water.reconnect_with_meter",
        status=RECONNECT_METER_STATUS,
        inactive=RECONNECT_METER_INACTIVE,
    )
    return _composite(outcome, data.meter, METER_REQUIRED)


def _restore_with_meter(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.10 (operation 879): V-RSH1 (suppressed), V-RSH2 (active), V-RSH3
    (network), the restoration's date and lock."""
    assert isinstance(data, RestoreWithMeterInput)
    outcome = _restore(
        facts,
        ctx,
        data.restoration,
        key="water.restore_with_meter",
        status=RESTORE_METER_STATUS,
        inactive=RESTORE_METER_INACTIVE,
        no_network=RESTORE_METER_NO_NETWORK,
    )
    return _composite(outcome, data.meter, METER_REQUIRED)


def _connect_with_replacement(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.11 (operation 16045): the connection's rules (§3.2), then UC0364."""
    assert isinstance(data, ConnectWithReplacementInput)
    outcome = _connect_water(
        facts, ctx, data.connection, key="water.connect_with_replacement"
    )
    return _composite(outcome, data.replacement, REPLACEMENT_REQUIRED)


def _reconnect_with_replacement(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.11 (operation 16046): the reconnection's rules (§3.7), then UC0364."""
    assert isinstance(data, ReconnectWithReplacementInput)
    outcome = _reconnect(
        facts, ctx, data.reconnection, key="water.reconnect_with_replacement"
    )
    return _composite(outcome, data.replacement, REPLACEMENT_REQUIRED)


def _restore_with_replacement(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.11 (operation 16047): the restoration's rules (§3.9), then UC0364."""
    assert isinstance(data, RestoreWithReplacementInput)
    outcome = _restore(
        facts, ctx, data.restoration, key="water.restore_with_replacement"
    )
    return _composite(outcome, data.replacement, REPLACEMENT_REQUIRED)
