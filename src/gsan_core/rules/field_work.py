"""Pure rules of selective commands and their emission (SEL, GEN-11).

* SEL-01: every order of a command is tied to it, created already emitted,
  without RA and without collection document (the service builds it so).
* SEL-02/SEL-03: closing a command closes its pending orders; a closed command
  cannot be closed again (:func:`check_close_command`).
* The emission decides each property looked at with :func:`decide_selective`,
  in this order: already emitted by the command (what makes a re-run
  idempotent), inactive, the situation / profile / debt criteria, the debt
  amount, average consumption, consecutive anomalies and meter installation
  criteria, GEN-11 (an
  open order of an installation/substitution/inspection type without RA and
  without collection document, emitted in the last 90 days), and an active
  unit serving the locality.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.field_work import (
    CommandSituation,
    SelectiveCommand,
    SelectiveCriteria,
    SelectiveDecision,
    SelectiveFact,
)
from gsan_core.model.service_orders import ServiceType
from gsan_core.rules.validation import required_text

__all__ = [
    "BAD_CAP",
    "BAD_REASON",
    "COMMAND_CLOSED",
    "GEN11_DAYS",
    "GEN11_TYPE_IDS",
    "NO_CRITERIA",
    "TYPE_NOT_SELECTIVE",
    "check_close_command",
    "check_emit_command",
    "check_new_command",
    "consumption_since",
    "decide_selective",
]

#: GEN-11: the types whose open order blocks a selective one (304 installation,
#: 310 substitution, 1420, 350 anomaly inspection), the default of the profile
#: role ``service_type.selective_blocking``.
GEN11_TYPE_IDS = frozenset({304, 310, 350, 1420})
#: GEN-11: only orders emitted in the last 90 days block.
GEN11_DAYS = 90

COMMAND_CLOSED = Message(
    "field_work.command.closed",
    en="Selective command {command_id} is already closed.",
    pt="O comando de OS seletiva {command_id} já está encerrado.",
    rule="SEL-03",
)
TYPE_NOT_SELECTIVE = Message(
    "field_work.command.type_not_selective",
    en="Service type {service_type_id} is inactive and cannot be emitted by a selective command.",
    pt="O tipo de serviço {service_type_id} está inativo e não pode ser emitido por comando seletivo.",
    gsan_key="atencao.servico_tipo_nao_existe",
    rule="SEL-01",
)
BAD_REASON = Message(
    "field_work.command.closing_reason_invalid",
    en="Closing reason {reason_id} does not exist, is not in use or means an executed service.",
    pt="O motivo de encerramento {reason_id} não existe, não está em uso ou indica serviço executado.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="SEL-02",
)
BAD_CAP = Message(
    "field_work.command.max_orders_invalid",
    en="The maximum number of orders ({max_orders}) must be at least 1.",
    pt="A quantidade máxima de ordens ({max_orders}) deve ser pelo menos 1.",
    gsan_key="atencao.campo_invalido",
    rule="SEL-04",
)
NO_CRITERIA = Message(
    "field_work.command.no_location",
    en="A selective command needs a locality range, routes or a property.",
    pt="Informe a faixa de localidades, as rotas ou o imóvel do comando seletivo.",
    gsan_key="atencao.campo_texto.obrigatorio",
    rule="SEL-04",
)


def check_new_command(
    *, description: str, service_type: ServiceType, criteria: SelectiveCriteria
) -> list[Violation]:
    """Every problem of a new command: description, an active type, and a
    location bound (a command over the whole utility is refused: GSAN's filter
    screen requires a locality or route)."""
    found = required_text(
        description, field="description", campo="Descrição do Comando", max_length=100
    )
    if not service_type.active:
        found.append(TYPE_NOT_SELECTIVE(service_type_id=service_type.id))
    if (
        criteria.locality_first is None
        and not criteria.route_ids
        and criteria.property_id is None
    ):
        found.append(NO_CRITERIA())
    return found


def consumption_since(on: date, months: int) -> int:
    """The first reference month (``yyyymm``) of a consumption window of
    ``months`` months ending with the month of ``on``."""
    index = on.year * 12 + on.month - 1 - (months - 1)
    return (index // 12) * 100 + index % 12 + 1


def check_emit_command(command: SelectiveCommand) -> Sequence[Violation]:
    """SEL-03: a closed command emits nothing more."""
    if command.situation is CommandSituation.CLOSED:
        return [COMMAND_CLOSED(command_id=command.id)]
    return []


def check_close_command(
    command: SelectiveCommand, *, reason: CatalogItem | None, reason_id: int
) -> Sequence[Violation]:
    """SEL-02/SEL-03: a closed command is not closed again; the closing
    reason exists, is in use and is a "not executed" one (the orders are
    closed without execution)."""
    found: list[Violation] = []
    if command.situation is CommandSituation.CLOSED:
        found.append(COMMAND_CLOSED(command_id=command.id))
    if reason is None or not reason.active or reason.flag("executed"):
        found.append(BAD_REASON(reason_id=reason_id))
    return found


def decide_selective(
    fact: SelectiveFact, criteria: SelectiveCriteria
) -> SelectiveDecision:
    """The decision for one property looked at (see the module docstring)."""
    if fact.emitted:
        return SelectiveDecision.EMITTED
    if not fact.active:
        return SelectiveDecision.INACTIVE
    if (
        criteria.water_status_ids
        and fact.water_status_id not in criteria.water_status_ids
    ):
        return SelectiveDecision.WATER_SITUATION
    if (
        criteria.sewer_status_ids
        and fact.sewer_status_id not in criteria.sewer_status_ids
    ):
        return SelectiveDecision.SEWER_SITUATION
    if criteria.profile_ids and fact.profile_id not in criteria.profile_ids:
        return SelectiveDecision.PROFILE
    if fact.open_bills < criteria.min_open_bills:
        return SelectiveDecision.DEBTS
    return _measured(fact, criteria)


def _measured(fact: SelectiveFact, criteria: SelectiveCriteria) -> SelectiveDecision:
    """The debt amount, consumption, anomaly and meter criteria, then GEN-11
    and the serving unit."""
    c = criteria
    if c.min_debt_amount is not None and fact.debt_total < c.min_debt_amount:
        return SelectiveDecision.DEBT_AMOUNT
    if c.uses_consumption:
        average = fact.average_consumption
        if (
            average is None
            or (c.consumption_first is not None and average < c.consumption_first)
            or (c.consumption_last is not None and average > c.consumption_last)
        ):
            return SelectiveDecision.CONSUMPTION
    if c.consecutive_anomalies and fact.anomaly_streak < c.consecutive_anomalies:
        return SelectiveDecision.ANOMALY
    if c.uses_meter:
        on = fact.meter_installed_on
        if (
            on is None
            or (c.meter_installed_first is not None and on < c.meter_installed_first)
            or (c.meter_installed_last is not None and on > c.meter_installed_last)
        ):
            return SelectiveDecision.METER
    if fact.has_open_order:
        return SelectiveDecision.OPEN_ORDER
    if fact.unit_id is None:
        return SelectiveDecision.NO_UNIT
    return SelectiveDecision.GENERATE
