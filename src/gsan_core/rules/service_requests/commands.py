"""Batch closing commands (CMD-01..07)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_requests import ClosingCommand, RequestSpecification
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.service_requests.record_messages import (
    COMMAND_EXISTS,
    COMMAND_FIELD_REQUIRED,
    COMMAND_NO_SUBORDINATES,
    COMMAND_NOT_AUTHORISED,
    COMMAND_NOT_AUTHORISED_CURRENT,
    COMMAND_NOT_AUTHORISED_SUPERIOR,
    COMMAND_PERIOD_INVALID,
    COMMAND_REASON_NOT_ALLOWED,
    COMMAND_SPECIFICATION_NOT_ALLOWED,
    COMMAND_UNKNOWN_UNIT,
)


# ================================================================= command, CMD
def commands_overlap(new: ClosingCommand, other: ClosingCommand) -> bool:
    """CMD-05: ``other`` (not executed yet) already covers ``new``: its period
    contains the new one and either it has no unit filter, or it has the same
    unit filters the new one sets."""
    if other.executed or other.id == new.id:
        return False
    covers = (
        other.period_start <= new.period_start and other.period_end >= new.period_end
    )
    if not covers:
        return False
    if not other.unit_filtered:
        return True
    return (
        other.attendance_unit_id == new.attendance_unit_id
        and other.current_unit_id == new.current_unit_id
        and other.superior_unit_id == new.superior_unit_id
    )


def check_closing_command(
    command: ClosingCommand,
    *,
    reason: CatalogItem | None,
    specifications: Mapping[int, RequestSpecification],
    units: Mapping[int, OrganizationalUnit],
    responsible: User | None,
    presidency_unit_id: int | None,
    others: Iterable[ClosingCommand],
) -> tuple[Violation, ...]:
    """CMD-01..CMD-05 for a new batch closing command."""
    found: list[Violation] = []
    if command.period_end < command.period_start:
        found.append(
            COMMAND_PERIOD_INVALID(start=command.period_start, end=command.period_end)
        )
    if (
        reason is None
        or not reason.active
        or reason.flag("executed")
        or reason.flag("duplicate")
    ):
        found.append(COMMAND_REASON_NOT_ALLOWED(reason_id=command.reason_id))
    for spec_id in sorted(command.specification_ids):
        spec = specifications.get(spec_id)
        if spec is None or not spec.active or spec.auto_close:
            found.append(COMMAND_SPECIFICATION_NOT_ALLOWED(specification_id=spec_id))
    for unit_id, field, campo in (
        (command.attendance_unit_id, "Attendance unit", "Unidade de Atendimento"),
        (command.current_unit_id, "Current unit", "Unidade Atual"),
        (command.superior_unit_id, "Superior unit", "Unidade Superior"),
    ):
        if unit_id is not None and unit_id not in units:
            found.append(
                COMMAND_UNKNOWN_UNIT(field=field, campo=campo, unit_id=unit_id)
            )
    superior = command.superior_unit_id
    if (
        superior is not None
        and superior in units
        and not any(u.superior_id == superior for u in units.values())
    ):
        found.append(COMMAND_NO_SUBORDINATES(unit_id=superior))
    if responsible is None:
        found.append(
            COMMAND_FIELD_REQUIRED(
                field="Responsible user", campo="Usuário Responsável"
            )
        )
    else:
        found += _command_authorisation(command, responsible, units, presidency_unit_id)
    for other in others:
        if commands_overlap(command, other):
            found.append(COMMAND_EXISTS(other_id=other.id))
            break
    return tuple(found)


def _command_authorisation(
    command: ClosingCommand,
    responsible: User,
    units: Mapping[int, OrganizationalUnit],
    presidency_unit_id: int | None,
) -> list[Violation]:
    home = units.get(responsible.unit_id)
    filtered = (
        command.current_unit_id
        if command.current_unit_id is not None
        else command.superior_unit_id
    )
    if filtered is None:
        allowed = responsible.unit_id == presidency_unit_id or (
            home is not None and home.call_centre
        )
        return [] if allowed else [COMMAND_NOT_AUTHORISED(user_id=responsible.id)]
    if _is_at_or_above(responsible.unit_id, filtered, units):
        return []
    message = (
        COMMAND_NOT_AUTHORISED_CURRENT
        if command.current_unit_id is not None
        else COMMAND_NOT_AUTHORISED_SUPERIOR
    )
    return [message(user_id=responsible.id, unit_id=filtered)]


def _is_at_or_above(
    home_id: int, unit_id: int, units: Mapping[int, OrganizationalUnit]
) -> bool:
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        if current == home_id:
            return True
        seen.add(current)
        unit = units.get(current)
        current = None if unit is None else unit.superior_id
    return False
