"""The rule of each operation key and the input it takes; the check /
evaluate / decide entry points."""

from __future__ import annotations

from collections.abc import Mapping

from gsan_core.errors import ConfigurationError, Violation
from gsan_core.model.connections import (
    AdministrativeCutInput,
    ChangeCutTypeInput,
    ChangeSituationInput,
    ConnectWithMeterInput,
    ConnectWithReplacementInput,
    CutInput,
    MinimumConsumptionInput,
    MinimumVolumeInput,
    ReconnectionInput,
    ReconnectWithMeterInput,
    ReconnectWithReplacementInput,
    RestorationInput,
    RestoreWithMeterInput,
    RestoreWithReplacementInput,
    SewerConnectionInput,
    SewerUpdateInput,
    SuppressionInput,
    WaterConnectionInput,
    WaterUpdateInput,
)
from gsan_core.rules.connections.facts import (
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    Rule,
)
from gsan_core.rules.connections.meters import (
    _connect_with_meter,
    _connect_with_replacement,
    _reconnect_with_meter,
    _reconnect_with_replacement,
    _restore_with_meter,
    _restore_with_replacement,
)
from gsan_core.rules.connections.sewer import (
    _connect_sewer_no_order,
    _connect_sewer_order,
    _inform_feasible_billable,
    _minimum_volume,
    _sewer_billing,
    _update_sewer,
    _withdraw_feasible_billable,
)
from gsan_core.rules.connections.situation import _change_situation
from gsan_core.rules.connections.water import (
    _administrative_cut,
    _change_cut_type,
    _connect_water_no_order,
    _connect_water_order,
    _cut,
    _minimum_consumption,
    _reconnect,
    _restore,
    _suppress,
    _update_water,
)
from gsan_core.rules.validation import ensure

# ---------------------------------------------------------------- registry
_RULES: Mapping[str, Rule] = {
    "water.connect": _connect_water_order,
    "water.connect_without_order": _connect_water_no_order,
    "water.cut": _cut,
    "water.administrative_cut": _administrative_cut,
    "water.suppress": _suppress,
    "water.reconnect": _reconnect,
    "water.restore": _restore,
    "water.connect_with_meter": _connect_with_meter,
    "water.reconnect_with_meter": _reconnect_with_meter,
    "water.restore_with_meter": _restore_with_meter,
    "water.connect_with_replacement": _connect_with_replacement,
    "water.reconnect_with_replacement": _reconnect_with_replacement,
    "water.restore_with_replacement": _restore_with_replacement,
    "water.minimum_consumption": _minimum_consumption,
    "water.update": _update_water,
    "water.change_cut_type": _change_cut_type,
    "sewer.connect": _connect_sewer_order,
    "sewer.connect_without_order": _connect_sewer_no_order,
    "sewer.billing_situation": _sewer_billing,
    "sewer.minimum_volume": _minimum_volume,
    "sewer.update": _update_sewer,
    "sewer.feasible_billable.inform": _inform_feasible_billable,
    "sewer.feasible_billable.withdraw": _withdraw_feasible_billable,
    "connection.change_situation": _change_situation,
}

#: The input class each operation takes (``None``: none).
INPUTS: Mapping[str, type | None] = {
    "water.connect": WaterConnectionInput,
    "water.connect_without_order": WaterConnectionInput,
    "water.cut": CutInput,
    "water.administrative_cut": AdministrativeCutInput,
    "water.suppress": SuppressionInput,
    "water.reconnect": ReconnectionInput,
    "water.restore": RestorationInput,
    "water.connect_with_meter": ConnectWithMeterInput,
    "water.reconnect_with_meter": ReconnectWithMeterInput,
    "water.restore_with_meter": RestoreWithMeterInput,
    "water.connect_with_replacement": ConnectWithReplacementInput,
    "water.reconnect_with_replacement": ReconnectWithReplacementInput,
    "water.restore_with_replacement": RestoreWithReplacementInput,
    "water.minimum_consumption": MinimumConsumptionInput,
    "water.update": WaterUpdateInput,
    "water.change_cut_type": ChangeCutTypeInput,
    "sewer.connect": SewerConnectionInput,
    "sewer.connect_without_order": SewerConnectionInput,
    "sewer.billing_situation": None,
    "sewer.minimum_volume": MinimumVolumeInput,
    "sewer.update": SewerUpdateInput,
    "sewer.feasible_billable.inform": SewerConnectionInput,
    "sewer.feasible_billable.withdraw": None,
    "connection.change_situation": ChangeSituationInput,
}


def _rule(key: str) -> Rule:
    rule = _RULES.get(key)
    if rule is None:
        raise ConfigurationError(f"no connection operation {key!r}")
    return rule


def check_operation(
    key: str,
    *,
    facts: ConnectionFacts,
    context: ConnectionContext,
    data: object | None,
) -> tuple[Violation, ...]:
    """Every violation of running operation ``key`` (nothing is decided)."""
    return tuple(_rule(key)(facts, context, data)[0])


def evaluate_operation(
    key: str,
    *,
    facts: ConnectionFacts,
    context: ConnectionContext,
    data: object | None,
) -> tuple[tuple[Violation, ...], ConnectionDecision | None]:
    """Every violation of operation ``key`` and, when there is none, what it
    changes (a caller adding violations of its own raises them together)."""
    found, decision = _rule(key)(facts, context, data)
    return tuple(found), None if found else decision


def decide_operation(
    key: str,
    *,
    facts: ConnectionFacts,
    context: ConnectionContext,
    data: object | None,
) -> ConnectionDecision:
    """What operation ``key`` changes; ``RuleViolation`` with every violation."""
    found, decision = _rule(key)(facts, context, data)
    ensure(found)
    assert decision is not None
    return decision
