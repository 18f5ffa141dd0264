"""Checks the operations share: the property, the point's situation, the
reading, seals, place and protection."""

from __future__ import annotations

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.rules.hydrometers.messages import (
    NO_WATER_CONNECTION,
    PROPERTY_IN_FIELD,
    PROPERTY_INACTIVE,
    READING_NEGATIVE,
    READING_NOT_A_NUMBER,
    READING_TOO_MANY_DIGITS,
    REFERENCE_MISSING,
    SEWER_SITUATION_NOT_ALLOWED,
    WATER_SITUATION_NOT_ALLOWED,
    WELL_TYPE_NOT_OFFERED,
    WELL_TYPE_ON_WATER_CONNECTION,
    _with_rule,
)
from gsan_core.rules.validation import REQUIRED, optional_text

# ================================================================ common checks
_POINT_EN = {
    MeasurementPoint.WATER_CONNECTION: "water connection",
    MeasurementPoint.WELL: "well",
}
_POINT_PT = {
    MeasurementPoint.WATER_CONNECTION: "LIGAÇÃO DE ÁGUA",
    MeasurementPoint.WELL: "POÇO",
}
_ON_POINT_PT = {
    MeasurementPoint.WATER_CONNECTION: "na Ligação de Água",
    MeasurementPoint.WELL: "no Poço",
}


def _point_params(point: MeasurementPoint) -> dict[str, object]:
    return {
        "point": _POINT_EN[point],
        "ponto": _POINT_PT[point],
        "no_ponto": _ON_POINT_PT[point],
    }


def check_property(
    prop: Property,
    *,
    locked_reference: int | None,
    check_active: bool = True,
    check_lock: bool = True,
    rule: str = "OS-5",
) -> list[Violation]:
    """OS-5: the property is active (``rule`` names the operation's alias, e.g.
    A-3); OS-6: it is not "in field" (the billing lock; the update screen does
    not check it)."""
    found: list[Violation] = []
    if check_active and not prop.active:
        found.append(_with_rule(PROPERTY_INACTIVE, rule)(property_id=prop.id))
    if check_lock and locked_reference is not None:
        found.append(
            PROPERTY_IN_FIELD(
                property_id=prop.id,
                reference=f"{locked_reference % 100:02d}/{locked_reference // 100}",
            )
        )
    return found


def check_point_situation(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    water_status: CatalogItem | None,
    sewer_status: CatalogItem | None,
    operation: str,
    connection_rule: str = "I-8",
) -> list[Violation]:
    """I-7 / I-7' and I-8 (M-7): the connection's situation allows the operation.

    Water: when ``operation`` has allowed source situations in the profile
    (``transitions["<operation>.water"]``), the water situation is one of them
    (I-7, checked first, as GSAN does: a FACTÍVEL property is refused for its
    situation, not for its missing connection); then the property has a water
    connection (its situation's ``connection_exists`` flag, I-8). Well: the
    sewer situation is one of ``transitions["<operation>.well"]`` when the
    profile lists them.
    """
    found: list[Violation] = []
    if point is MeasurementPoint.WATER_CONNECTION:
        name = water_status.description if water_status else prop.water_status_id
        allowed = profile.allowed(f"{operation}.water")
        if allowed and prop.water_status_id not in allowed:
            found.append(
                WATER_SITUATION_NOT_ALLOWED(property_id=prop.id, situation=name)
            )
        elif water_status is None or not water_status.flag("connection_exists"):
            found.append(
                _with_rule(NO_WATER_CONNECTION, connection_rule)(
                    property_id=prop.id, situation=name
                )
            )
        return found
    allowed = profile.allowed(f"{operation}.well")
    if allowed and prop.sewer_status_id not in allowed:
        name = sewer_status.description if sewer_status else prop.sewer_status_id
        found.append(SEWER_SITUATION_NOT_ALLOWED(property_id=prop.id, situation=name))
    return found


def check_well_type(
    *,
    point: MeasurementPoint,
    well_type_id: object,
    well_type: CatalogItem | None,
    rule: str = "I-13",
) -> list[Violation]:
    """I-13 (A-4 on the correction screen): the optional well type of a well
    meter is an active ``well_type`` row offered for meters (GSAN lists only the
    types whose "hidrômetro tipo poço" flag is set); a water connection meter
    takes none."""
    if well_type_id is None:
        return []
    if point is not MeasurementPoint.WELL:
        return [_with_rule(WELL_TYPE_ON_WATER_CONNECTION, rule)()]
    if well_type is None or not well_type.active or not well_type.flag("meter_well"):
        return [_with_rule(WELL_TYPE_NOT_OFFERED, rule)(well_type_id=well_type_id)]
    return []


def check_reading(
    value: object,
    *,
    field: str,
    campo: str,
    digits: int | None,
    rule: str,
    required: bool = False,
) -> list[Violation]:
    """A reading is a whole number >= 0 that fits the meter's reading digits."""
    if value is None:
        if required:
            return [_with_rule(REQUIRED, rule)(field=field, campo=campo)]
        return []
    if not isinstance(value, int) or isinstance(value, bool):
        return [
            _with_rule(READING_NOT_A_NUMBER, rule)(
                field=field, campo=campo, value=value
            )
        ]
    if value < 0:
        return [
            _with_rule(READING_NEGATIVE, rule)(field=field, campo=campo, value=value)
        ]
    if digits is not None and digits > 0 and value >= 10**digits:
        return [
            _with_rule(READING_TOO_MANY_DIGITS, rule)(
                field=field, campo=campo, value=value, digits=digits
            )
        ]
    return []


def _seals(seal: object, tamper_seal: object, rule: str) -> list[Violation]:
    found: list[Violation] = []
    for value, field, campo, length in (
        (seal, "Seal", "Selo", 12),
        (tamper_seal, "Tamper seal", "Lacre", 10),
    ):
        if value is None:
            continue
        if not isinstance(value, str):
            found.append(
                _with_rule(READING_NOT_A_NUMBER, rule)(
                    field=field, campo=campo, value=value
                )
            )
            continue
        found += [
            attrs.evolve(v, rule=rule)
            for v in optional_text(value, field=field, campo=campo, max_length=length)
        ]
    return found


def _place(item: CatalogItem | None, ident: object, rule: str) -> list[Violation]:
    if item is not None and item.active:
        return []
    return [
        _with_rule(REFERENCE_MISSING, rule)(
            field="Installation place", campo="Local de Instalação", value=ident
        )
    ]


def _protection(item: CatalogItem | None, ident: object, rule: str) -> list[Violation]:
    if item is not None and item.active:
        return []
    return [
        _with_rule(REFERENCE_MISSING, rule)(
            field="Protection", campo="Proteção", value=ident
        )
    ]
