"""Consumption anomaly actions (§4, CA-1, CA-2)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from gsan_core.errors import Violation
from gsan_core.model.hydrometers import ANOMALY_ACTION_MONTHS, ConsumptionAnomalyAction
from gsan_core.rules.hydrometers.messages import (
    ANOMALY_REFERENCE_MISSING,
    ANOMALY_STEP_MONTHS,
    DUPLICATE_ANOMALY_ACTION,
    NEGATIVE_VALUE,
    _with_rule,
)
from gsan_core.rules.hydrometers.stock import References, _active
from gsan_core.rules.validation import optional_text


# ================================================================ anomaly actions, §4
def check_anomaly_action(
    action: ConsumptionAnomalyAction,
    *,
    references: References,
    siblings: Iterable[ConsumptionAnomalyAction],
) -> list[Violation]:
    """CA-1: the anomaly, category and profile exist and are active, and no other
    active action has the same anomaly, category and profile; CA-2: steps for
    months 1, 2 and 3, each at most once, with non-negative factors."""
    found: list[Violation] = []
    for value, kind, field, campo in (
        (
            action.anomaly_id,
            "consumption_anomaly",
            "Consumption anomaly",
            "Anormalidade de Consumo",
        ),
        (action.category_id, "category", "Category", "Categoria"),
        (
            action.property_profile_id,
            "property_profile",
            "Property profile",
            "Perfil do Imóvel",
        ),
    ):
        if value is not None and _active(references, kind, value) is None:
            found.append(
                ANOMALY_REFERENCE_MISSING(field=field, campo=campo, value=value)
            )
    months = [step.month for step in action.steps]
    if len(set(months)) != len(months) or not set(months) <= set(ANOMALY_ACTION_MONTHS):
        found.append(ANOMALY_STEP_MONTHS(months=months))
    found += [
        _with_rule(NEGATIVE_VALUE, "CA-2")(
            field="Consumption factor",
            campo="Fator de Consumo",
            value=step.consumption_factor,
        )
        for step in action.steps
        if step.consumption_factor is not None and step.consumption_factor < 0
    ]
    found += [
        attrs.evolve(v, rule="CA-2")
        for step in action.steps
        for v in optional_text(
            step.bill_message,
            field="Bill message",
            campo="Mensagem da Conta",
            max_length=120,
        )
    ]
    if action.active:
        for other in siblings:
            if (
                other.id != action.id
                and other.active
                and (other.anomaly_id, other.category_id, other.property_profile_id)
                == (action.anomaly_id, action.category_id, action.property_profile_id)
            ):
                found.append(
                    DUPLICATE_ANOMALY_ACTION(
                        anomaly_id=action.anomaly_id,
                        category_id=action.category_id,
                        profile_id=action.property_profile_id,
                        other_id=other.id,
                    )
                )
    return found
