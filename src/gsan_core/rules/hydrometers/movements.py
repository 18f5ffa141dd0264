"""Stock movements (§3.6, V-1..V-6)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import Hydrometer, StockEntry
from gsan_core.model.profile import UtilityProfile
from gsan_core.rules.hydrometers.messages import (
    DESTINATION_UNKNOWN,
    MIXED_ORIGINS,
    MOVED_METER_UNKNOWN,
    MOVEMENT_DATE_IN_FUTURE,
    MOVEMENT_DATE_TOO_OLD,
    MOVEMENT_REASON_UNKNOWN,
    MOVING_INSTALLED,
    NOTHING_SELECTED,
    SAME_LOCATION,
)
from gsan_core.rules.hydrometers.situations import (
    MeterEvent,
    situation_after,
    situation_id,
)
from gsan_core.rules.validation import optional_text


# ================================================================ movement, §3.6
def movement_situation(profile: UtilityProfile, destination: CatalogItem) -> int:
    """The situation a moved meter takes: EM MANUTENCAO in a workshop, else
    DISPONIVEL (a stolen meter found and stored becomes available, as in GSAN)."""
    role = "maintenance" if destination.flag("workshop") else "available"
    return situation_id(profile, role)


def check_movement(
    profile: UtilityProfile,
    *,
    meters: Sequence[Hydrometer | StockEntry],
    missing: Iterable[int],
    destination: CatalogItem | None,
    destination_id: object,
    reason: CatalogItem | None,
    reason_id: object,
    moved_on: date,
    today: date,
    remark: str | None,
) -> list[Violation]:
    """V-1..V-6 for moving ``meters`` to ``destination``.

    V-1: at least one meter, all existing; V-2: one origin location; V-3: none
    installed; V-4: the destination exists and is active; V-5: it differs from
    the origin; V-6: the date is not after today nor older than
    ``movement_max_days_back`` days (GSAN's server builds that limit with a
    month-index bug: the intended check is applied), the reason exists, the
    remark fits 200 characters. V-7 (optimistic lock) is the service's.
    """
    found: list[Violation] = []
    absent = sorted(set(missing))
    if not meters and not absent:
        found.append(NOTHING_SELECTED())
    found += [MOVED_METER_UNKNOWN(hydrometer_id=ident) for ident in absent[:10]]
    origins = {meter.location_id for meter in meters}
    if len(origins) > 1:
        found.append(
            MIXED_ORIGINS(
                count=len(origins),
                locations=", ".join(str(o) for o in sorted(origins, key=str)),
            )
        )
    installed = [
        meter
        for meter in meters
        if situation_after(profile, meter.situation_id, MeterEvent.MOVE_TO_STORE)
        is None
    ]
    if installed:
        found.append(MOVING_INSTALLED(count=len(installed), number=installed[0].number))
    if destination is None or not destination.active:
        found.append(DESTINATION_UNKNOWN(location_id=destination_id))
    elif destination.id in origins:
        found.append(SAME_LOCATION(location_id=destination.id))
    if moved_on > today:
        found.append(MOVEMENT_DATE_IN_FUTURE(moved_on=moved_on, today=today))
    days = profile.hydrometers.movement_max_days_back
    earliest = today - timedelta(days=days)
    if moved_on < earliest:
        found.append(
            MOVEMENT_DATE_TOO_OLD(moved_on=moved_on, earliest=earliest, days=days)
        )
    if reason is None or not reason.active:
        found.append(
            MOVEMENT_REASON_UNKNOWN(
                field="Movement reason", campo="Motivo da Movimentação", value=reason_id
            )
        )
    found += [
        attrs.evolve(v, rule="V-6")
        for v in optional_text(remark, field="Remark", campo="Parecer", max_length=200)
    ]
    return found
