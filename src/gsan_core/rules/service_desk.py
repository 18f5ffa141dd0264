"""Rules of the service desk's own records: the supply and maintenance schedule
(PAM-01..PAM-08), the outbound text messages (SMS-01, SMS-02, ENC-13 of the
requests) and the standard operating procedures (POP-01, POP-02)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Final

from gsan_core.errors import Message, Violation
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    OperatingProcedure,
    ProcedureScope,
    ScheduleKind,
    SupplySchedule,
    month_reference,
)

__all__ = [
    "DESCRIPTION_MAX",
    "MAINTENANCE_SCHEDULED",
    "NOTHING_TO_COPY",
    "NO_SUPPLY_SCHEDULED",
    "PHONE_INVALID",
    "PROCEDURE_CONCURRENT",
    "PROCEDURE_REQUIRED",
    "PROCEDURE_TARGET_REQUIRED",
    "PROCEDURE_UNKNOWN_TARGET",
    "SCHEDULE_CONCURRENT",
    "SCHEDULE_DESCRIPTION_TOO_LONG",
    "SCHEDULE_END_BEFORE_START",
    "SCHEDULE_OUTSIDE_MONTH",
    "SCHEDULE_OVERLAP",
    "SCHEDULE_PLACE_REQUIRED",
    "SCHEDULE_REQUIRED",
    "TEXT_REQUIRED",
    "check_procedure",
    "check_schedule",
    "covers",
    "matches_place",
    "normalized_phone",
    "outage_warnings",
    "overlaps",
    "procedure_scope_matches",
    "same_place",
]


def _m(code: str, en: str, pt: str, rule: str, key: str | None = None) -> Message:
    return Message(code, en=en, pt=pt, gsan_key=key, rule=rule)


DESCRIPTION_MAX: Final = 100
_KIND_PT: Final = {
    ScheduleKind.SUPPLY: "abastecimento",
    ScheduleKind.MAINTENANCE: "manutenção",
}

SCHEDULE_REQUIRED = _m(
    "service_desk.schedule.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "PAM-02",
    "atencao.required",
)
SCHEDULE_PLACE_REQUIRED = _m(
    "service_desk.schedule.place_required",
    "A schedule needs its municipality and a locality, sector, neighbourhood or area.",
    "Informe o município e a localidade, o setor, o bairro ou a área de bairro.",
    "PAM-02",
    "atencao.required",
)
SCHEDULE_OUTSIDE_MONTH = _m(
    "service_desk.schedule.outside_month",
    "The window {start} to {end} is not inside the month {reference}.",
    "O período {start} a {end} não está no mês/ano {reference}.",
    "PAM-02",
)
SCHEDULE_END_BEFORE_START = _m(
    "service_desk.schedule.end_before_start",
    "The window ends ({end}) before it starts ({start}).",
    "O período termina ({end}) antes de começar ({start}).",
    "PAM-02",
)
SCHEDULE_OVERLAP = _m(
    "service_desk.schedule.overlap",
    "A {kind} schedule already exists for {start} to {end} (window {other_id}).",
    "Já existe programação de {tipo} para o período {start} a {end}.",
    "PAM-03",
    "atencao.ja_existe_programacao_no_periodo",
)
NOTHING_TO_COPY = _m(
    "service_desk.schedule.nothing_to_copy",
    "There is no supply schedule in {reference} for the place to copy.",
    "Não existe Programação de Abastecimento para a área em {reference} para ser copiada.",
    "PAM-04",
    "atencao.ja_existe_programacao_abastecimento_na_area",
)
SCHEDULE_CONCURRENT = _m(
    "service_desk.schedule.concurrent",
    "Schedule {record_id} changed since it was read (version {expected}).",
    "Programação {record_id} atualizada por outro usuário.",
    "PAM-05",
    "atencao.atualizacao.timestamp",
)
NO_SUPPLY_SCHEDULED = _m(
    "service_desk.schedule.no_supply",
    "No water supply is scheduled on {on} for neighbourhood area {area}.",
    "Não há programação de abastecimento no dia {on} para a Área de bairro {area}.",
    "PAM-07",
)
MAINTENANCE_SCHEDULED = _m(
    "service_desk.schedule.maintenance",
    "Maintenance is scheduled on {on} for neighbourhood area {area} ({description}).",
    "Há manutenção prevista no dia {on} para a Área de bairro {area} ({description}).",
    "PAM-07",
)
PHONE_INVALID = _m(
    "service_desk.message.invalid_phone",
    "{number} is not a phone number (area code and 8 or 9 digits).",
    "Telefone {number} inválido (DDD e 8 ou 9 dígitos).",
    "SMS-01",
)
TEXT_REQUIRED = _m(
    "service_desk.message.text_required",
    "The message has no text.",
    "Informe o texto da mensagem.",
    "SMS-01",
    "atencao.required",
)
SCHEDULE_DESCRIPTION_TOO_LONG = _m(
    "service_desk.schedule.description_too_long",
    "The description has {length} characters; at most {max_length}.",
    "A descrição tem {length} caracteres; o máximo é {max_length}.",
    "PAM-02",
)
PROCEDURE_REQUIRED = _m(
    "service_desk.procedure.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "POP-01",
    "atencao.required",
)
PROCEDURE_UNKNOWN_TARGET = _m(
    "service_desk.procedure.unknown_target",
    "{field} {record_id} does not exist.",
    "{campo} {record_id} inexistente.",
    "POP-01",
    "atencao.label_inexistente",
)
PROCEDURE_CONCURRENT = _m(
    "service_desk.procedure.concurrent",
    "Procedure {record_id} changed since it was read (version {expected}).",
    "Procedimento {record_id} atualizado por outro usuário.",
    "POP-01",
    "atencao.atualizacao.timestamp",
)
PROCEDURE_TARGET_REQUIRED = _m(
    "service_desk.procedure.target_required",
    "A procedure is attached to a specification or a service type.",
    "Informe a especificação ou o tipo de serviço do procedimento.",
    "POP-01",
    "atencao.required",
)


# ================================================================ schedules
def _stamp(day: date, at: time) -> str:
    return f"{day:%d/%m/%Y} {at:%H:%M}"


def _required(schedule: SupplySchedule) -> list[Violation]:
    found: list[Violation] = []
    if schedule.kind is ScheduleKind.MAINTENANCE:
        if not (schedule.description or "").strip():
            found.append(SCHEDULE_REQUIRED(field="Description", campo="Descrição"))
        if schedule.situation is None:
            found.append(SCHEDULE_REQUIRED(field="Situation", campo="Situação"))
    if schedule.description is not None and len(schedule.description) > DESCRIPTION_MAX:
        found.append(
            SCHEDULE_DESCRIPTION_TOO_LONG(
                length=len(schedule.description), max_length=DESCRIPTION_MAX
            )
        )
    if not any(
        value is not None
        for value in (
            schedule.locality_id,
            schedule.sector_id,
            schedule.neighbourhood_id,
            schedule.area_id,
        )
    ):
        found.append(SCHEDULE_PLACE_REQUIRED())
    return found


def same_place(a: SupplySchedule, b: SupplySchedule) -> bool:
    """PAM-01: the windows belong to the same place (the list "Informar" edits)."""
    return (
        a.municipality_id,
        a.locality_id,
        a.sector_id,
        a.neighbourhood_id,
        a.area_id,
    ) == (
        b.municipality_id,
        b.locality_id,
        b.sector_id,
        b.neighbourhood_id,
        b.area_id,
    )


def overlaps(new: SupplySchedule, other: SupplySchedule, *, as_gsan: bool) -> bool:
    """PAM-03 (FS0009): the new window's start or end instant falls inside the
    other; unless ``as_gsan``, a new window containing the other also overlaps
    (GSAN misses it: a [QUIRK])."""
    start, end = new.starts(), new.ends()
    other_start, other_end = other.starts(), other.ends()
    if other_start <= start <= other_end or other_start <= end <= other_end:
        return True
    return not as_gsan and start <= other_start and other_end <= end


def check_schedule(
    schedule: SupplySchedule,
    others: Iterable[SupplySchedule],
    *,
    overlap_as_gsan: bool,
) -> tuple[Violation, ...]:
    """PAM-02 and PAM-03 for a window to store, against the other windows of its
    place and month (``others`` may hold any window: only those of the same
    kind and place count, and never the window itself)."""
    found = _required(schedule)
    start, end = schedule.starts(), schedule.ends()
    if end < start:
        found.append(
            SCHEDULE_END_BEFORE_START(
                start=_stamp(schedule.starts_on, schedule.start_time),
                end=_stamp(schedule.ends_on, schedule.end_time),
            )
        )
    if (
        month_reference(schedule.starts_on) != schedule.reference
        or month_reference(schedule.ends_on) != schedule.reference
    ):
        found.append(
            SCHEDULE_OUTSIDE_MONTH(
                start=f"{schedule.starts_on:%d/%m/%Y}",
                end=f"{schedule.ends_on:%d/%m/%Y}",
                reference=f"{schedule.reference % 100:02d}/{schedule.reference // 100}",
            )
        )
    if found:
        return tuple(found)
    for other in others:
        if (
            other.id != schedule.id
            and other.kind is schedule.kind
            and same_place(other, schedule)
            and overlaps(schedule, other, as_gsan=overlap_as_gsan)
        ):
            found.append(
                SCHEDULE_OVERLAP(
                    kind=schedule.kind.name.lower(),
                    tipo=_KIND_PT[schedule.kind],
                    start=_stamp(other.starts_on, other.start_time),
                    end=_stamp(other.ends_on, other.end_time),
                    other_id=other.id,
                )
            )
            break
    return tuple(found)


def matches_place(
    schedule: SupplySchedule,
    *,
    area_id: int | None = None,
    neighbourhood_id: int | None = None,
    sector_id: int | None = None,
    locality_id: int | None = None,
) -> bool:
    """PAM-06: the window's area **or** neighbourhood (or sector, or locality)
    is the place's."""
    pairs = (
        (schedule.area_id, area_id),
        (schedule.neighbourhood_id, neighbourhood_id),
        (schedule.sector_id, sector_id),
        (schedule.locality_id, locality_id),
    )
    return any(mine is not None and mine == theirs for mine, theirs in pairs)


def covers(schedule: SupplySchedule, at: datetime, *, hours_as_gsan: bool) -> bool:
    """PAM-06: the window covers the local wall-clock instant ``at`` (naive or
    already in the utility's zone). A day strictly between the first and the
    last is covered at any time; ``hours_as_gsan`` applies the hours to the
    first and the last day alike (GSAN's [QUIRK]), else the window runs from its
    start instant to its end instant."""
    day, hour = at.date(), at.time().replace(tzinfo=None)
    if schedule.reference != month_reference(day):
        return False
    if schedule.starts_on < day < schedule.ends_on:
        return True
    if hours_as_gsan:
        return day in (schedule.starts_on, schedule.ends_on) and (
            schedule.start_time <= hour <= schedule.end_time
        )
    moment = datetime.combine(day, hour)
    return schedule.starts() <= moment <= schedule.ends()


def outage_warnings(
    rows: Sequence[SupplySchedule],
    *,
    at: datetime,
    area_id: int,
    warn_unscheduled_supply: bool,
    hours_as_gsan: bool,
) -> tuple[Violation, ...]:
    """PAM-07: the informative message of an outage request for the area at the
    attendance instant (local): no supply window covers it, else an open
    maintenance window does; otherwise none. ``rows`` are the windows of the
    area's month. Without ``warn_unscheduled_supply`` the first message is
    given only where the area is on a rotation (it has supply windows that
    month); GSAN gives it everywhere."""
    covering = [r for r in rows if covers(r, at, hours_as_gsan=hours_as_gsan)]
    on = f"{at:%d/%m/%Y}"
    supply = [r for r in covering if r.kind is ScheduleKind.SUPPLY]
    rotation = any(r.kind is ScheduleKind.SUPPLY for r in rows)
    if not supply and (warn_unscheduled_supply or rotation):
        return (NO_SUPPLY_SCHEDULED(on=on, area=area_id),)
    maintenance = [
        r
        for r in covering
        if r.kind is ScheduleKind.MAINTENANCE
        and r.situation is not MaintenanceSituation.CONCLUDED
    ]
    if maintenance:
        return (
            MAINTENANCE_SCHEDULED(
                on=on, area=area_id, description=maintenance[0].description or ""
            ),
        )
    return ()


# ================================================================ messages
_PHONE = re.compile(r"^[1-9][1-9](?:9\d{8}|[2-8]\d{7})$")


def normalized_phone(value: str) -> tuple[str | None, tuple[Violation, ...]]:
    """SMS-01: a Brazilian phone as digits (area code first; a leading ``+55``
    or ``0`` and the punctuation are dropped), or the violation."""
    digits = re.sub(r"[\s().+-]", "", value)
    if digits.startswith("55") and len(digits) in (12, 13):
        digits = digits[2:]
    digits = digits.removeprefix("0")
    if not _PHONE.match(digits):
        return None, (PHONE_INVALID(number=value),)
    return digits, ()


# ================================================================ procedures
def check_procedure(procedure: OperatingProcedure) -> tuple[Violation, ...]:
    """POP-01: a title, a document, and a specification or a service type."""
    found: list[Violation] = []
    if not procedure.title.strip():
        found.append(PROCEDURE_REQUIRED(field="Title", campo="Título"))
    if not procedure.document.strip():
        found.append(PROCEDURE_REQUIRED(field="Document", campo="Arquivo"))
    if procedure.specification_id is None and procedure.service_type_id is None:
        found.append(PROCEDURE_TARGET_REQUIRED())
    return tuple(found)


def procedure_scope_matches(code: str | None, scope: ProcedureScope | None) -> bool:
    """POP-02: the procedure's service type is of the scope asked (``None``: any).
    GSAN compares the scope with the type's id, so its filter never matches
    ([QUIRK]); the library compares it with the type's code."""
    return scope is None or code == scope.value
