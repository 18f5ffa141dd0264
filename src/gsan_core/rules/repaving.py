"""Repaving rules: opening the work of an executed order (ENC-16, PAV-10),
the repaving unit's return (PAV-01, PAV-02), the automatic acceptance within
the convergence percentage (PAV-03), the acceptance by hand (PAV-04) and the
rejection of a return (PAV-05). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from gsan_core.errors import Message, Violation
from gsan_core.model.repaving import RepavingAcceptance, RepavingWork

__all__ = [
    "AUTOMATIC_ACCEPTANCE",
    "check_acceptance",
    "check_open",
    "check_rejection",
    "check_return",
    "converges",
]

AREA_NOT_POSITIVE = Message(
    "repaving.area_not_positive",
    en="The {field} area must be greater than zero.",
    pt="A metragem deve ser positiva.",
    gsan_key="atencao.metragemSomentePositiva",
    rule="ENC-16",
)
NOT_A_REPAVING_UNIT = Message(
    "repaving.not_a_repaving_unit",
    en="Unit {unit_id} is not a repaving unit (or none serves the neighbourhood).",
    pt="Não existe unidade repavimentadora {unit_id}.",
    gsan_key="erro.nao_existe_unidade_repavimentadora",
    rule="ENC-16",
)
NOT_EXECUTED_WITH_PAVEMENT = Message(
    "repaving.order_not_executed_with_pavement",
    en="Service order {order_id} was not closed with execution by a type with pavement.",
    pt="A ordem de serviço {order_id} não foi encerrada com execução por um tipo de serviço com pavimento.",
    gsan_key="atencao.ordem_servico_situacao",
    rule="ENC-16",
)
NOT_OF_THE_UNIT = Message(
    "repaving.user_not_of_unit",
    en="A user of unit {user_unit_id} is not of repaving unit {unit_id}: cannot update its orders.",
    pt="O usuário não pertence à unidade repavimentadora {unit_id}: não possui permissão para atualizar.",
    gsan_key="atencao.nao_possui_permissao_para_atualizar",
    rule="PAV-01",
)
EXECUTED_BEFORE_CLOSING = Message(
    "repaving.executed_before_closing",
    en="The execution date {returned_on} is before the order's closing date {closed_on}.",
    pt="A data de execução é menor que a data de encerramento da OS {closed_on}.",
    gsan_key="atencao.data.execucao.menor.data.encerramento",
    rule="PAV-02",
)
EXECUTED_BEFORE_RETURN = Message(
    "repaving.executed_before_return",
    en="The execution date {returned_on} is before the previous return {previous}.",
    pt="A data de execução é menor que a data do retorno anterior.",
    gsan_key="atencao.data.execucao.menor.data.retorno",
    rule="PAV-02",
)
EXECUTED_BEFORE_REFUSAL = Message(
    "repaving.executed_before_refusal",
    en="The execution date {returned_on} is before the refusal {previous}.",
    pt="A data de execução é menor que a data do não aceite.",
    gsan_key="atencao.data.execucao.menor.data.aceite",
    rule="PAV-02",
)
EXECUTED_IN_FUTURE = Message(
    "repaving.executed_in_future",
    en="The execution date {returned_on} is after today.",
    pt="A data de execução é posterior à data corrente.",
    gsan_key="atencao.data.superior.data.corrente",
    rule="PAV-02",
)
AREA_INVALID = Message(
    "repaving.area_invalid",
    en="The returned {field} area {area} is negative or beyond the order's {sent}.",
    pt="A metragem retornada {area} é negativa ou maior que a da ordem.",
    gsan_key="atencao.metragemSomentePositiva",
    rule="PAV-02",
)
ALREADY_ACCEPTED = Message(
    "repaving.already_accepted",
    en="Order(s) {order_ids} are already accepted.",
    pt="Ordem(ns) de serviço selecionada(s) já aceita(s).",
    gsan_key="atencao.os.repavimentacao.aceite_selecionada",
    rule="PAV-04",
)
NOT_RETURNED = Message(
    "repaving.not_returned",
    en="The repaving of order {order_id} has no return yet.",
    pt="A repavimentação da ordem {order_id} não possui retorno.",
    gsan_key="atencao.campo.informada",
    rule="PAV-04",
)
DATE_REQUIRED = Message(
    "repaving.date_required",
    en="Inform the {field} date.",
    pt="Informe a data.",
    gsan_key="atencao.campo.informada",
    rule="PAV-05",
)
DATE_IN_FUTURE = Message(
    "repaving.date_in_future",
    en="The {field} date {on} is after today.",
    pt="A data {on} é superior à data corrente.",
    gsan_key="atencao.data.superior.data.corrente",
    rule="PAV-05",
)
DATE_BEFORE_CLOSING = Message(
    "repaving.date_before_closing",
    en="The {field} date {on} is before the order's closing date {closed_on}.",
    pt="A data {on} é menor que a data de encerramento da OS {closed_on}.",
    gsan_key="atencao.data.rejeicao.menor.data.encerramento",
    rule="PAV-05",
)


def check_open(
    *,
    street_area: Decimal | None,
    sidewalk_area: Decimal | None,
    unit_id: int | None,
    repaving_unit: bool,
) -> list[Violation]:
    """ENC-16: areas informed are positive (at least one); the unit repaves."""
    found = [
        AREA_NOT_POSITIVE(field=name)
        for name, area in (("street", street_area), ("sidewalk", sidewalk_area))
        if area is not None and area <= 0
    ]
    if street_area is None and sidewalk_area is None:
        found.append(AREA_NOT_POSITIVE(field="street"))
    if unit_id is None or not repaving_unit:
        found.append(NOT_A_REPAVING_UNIT(unit_id=unit_id))
    return found


def _area_ok(area: Decimal | None, sent: Decimal | None, percentage: Decimal) -> bool:
    if area is None:
        return True
    if area < 0:
        return False
    if sent is None:
        return area == 0
    return area <= sent + sent * percentage / 100


def check_return(
    work: RepavingWork,
    *,
    user_unit_id: int | None,
    authorised: bool,
    returned_on: date,
    street_area: Decimal | None,
    sidewalk_area: Decimal | None,
    percentage: Decimal,
    today: date,
) -> list[Violation]:
    """PAV-01: a user of the repaving unit (or authorised); PAV-02: the
    execution date is not before the closing, the previous return or the
    refusal, nor after today; the areas are neither negative nor beyond the
    order's (plus the convergence tolerance)."""
    found: list[Violation] = []
    if not authorised and user_unit_id != work.unit_id:
        found.append(NOT_OF_THE_UNIT(user_unit_id=user_unit_id, unit_id=work.unit_id))
    if returned_on > today:
        found.append(EXECUTED_IN_FUTURE(returned_on=returned_on))
    if returned_on < work.closed_on:
        found.append(
            EXECUTED_BEFORE_CLOSING(returned_on=returned_on, closed_on=work.closed_on)
        )
    elif work.acceptance is RepavingAcceptance.REFUSED and work.accepted_on is not None:
        if returned_on < work.accepted_on:
            found.append(
                EXECUTED_BEFORE_REFUSAL(
                    returned_on=returned_on, previous=work.accepted_on
                )
            )
    elif work.returned_on is not None and returned_on < work.returned_on:
        found.append(
            EXECUTED_BEFORE_RETURN(returned_on=returned_on, previous=work.returned_on)
        )
    for name, area, sent in (
        ("street", street_area, work.street_area),
        ("sidewalk", sidewalk_area, work.sidewalk_area),
    ):
        if not _area_ok(area, sent, percentage):
            found.append(AREA_INVALID(field=name, area=area, sent=sent))
    return found


#: The remark of an automatic acceptance (PAV-03), appended to the work's own.
AUTOMATIC_ACCEPTANCE = "ACEITE AUTOMATICO"


def converges(work: RepavingWork, *, percentage: Decimal) -> bool:
    """PAV-03: a return accepted automatically: same street pavement type and
    the returned street area equal to the sent one or within ``percentage``
    per cent of it."""
    if work.returned_on is None or work.acceptance is not None:
        return False
    if work.returned_street_pavement_id != work.street_pavement_id:
        return False
    sent, back = work.street_area, work.returned_street_area
    if sent is None or back is None:
        return sent == back
    return abs(back - sent) <= sent * percentage / 100


def check_acceptance(
    works: Sequence[RepavingWork],
    *,
    on: date | None,
    today: date,
    user_unit_id: int | None,
    authorised: bool,
) -> list[Violation]:
    """PAV-04: none of the selected returns is already accepted, each was
    returned; the date is given, not in the future, not before the closing;
    PAV-01: the user is of the works' repaving unit (or authorised)."""
    found: list[Violation] = []
    if not authorised:
        found += [
            NOT_OF_THE_UNIT(user_unit_id=user_unit_id, unit_id=unit_id)
            for unit_id in sorted({w.unit_id for w in works} - {user_unit_id or 0})
        ]
    accepted = [
        w.order_id for w in works if w.acceptance is RepavingAcceptance.ACCEPTED
    ]
    if accepted:
        found.append(ALREADY_ACCEPTED(order_ids=accepted))
    found += [NOT_RETURNED(order_id=w.order_id) for w in works if w.returned_on is None]
    found += _dated(on, today=today, works=works, field="acceptance")
    return found


def check_rejection(
    work: RepavingWork, *, on: date | None, today: date
) -> list[Violation]:
    """PAV-05: the rejection date is given, not in the future and not before
    the order's closing; there is a return to reject."""
    found = _dated(on, today=today, works=[work], field="rejection")
    if work.returned_on is None:
        found.append(NOT_RETURNED(order_id=work.order_id))
    return found


def _dated(
    on: date | None, *, today: date, works: Sequence[RepavingWork], field: str
) -> list[Violation]:
    if on is None:
        return [DATE_REQUIRED(field=field)]
    found: list[Violation] = []
    if on > today:
        found.append(DATE_IN_FUTURE(field=field, on=on))
    found += [
        DATE_BEFORE_CLOSING(field=field, on=on, closed_on=w.closed_on)
        for w in works
        if on < w.closed_on
    ]
    return found
