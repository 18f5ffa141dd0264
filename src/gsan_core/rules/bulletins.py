"""The contractor's measurement bulletin: the quantities asked when an order
of a bulletin type closes with execution (ENC-19) and the inspection of a
concluded selective order ("Manter Ordem de Serviço Concluída", FIS-17,
FIS-18). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from gsan_core.errors import Message, Violation
from gsan_core.model.bulletins import (
    BulletinInput,
    ConcludedOrderInspection,
    InspectionCode,
)
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import OrderSituation, ServiceOrder

__all__ = [
    "bulletin_quantities",
    "check_bulletin",
    "check_concluded_inspection",
    "check_concluded_order",
]

#: The quantities of a bulletin: (setup flag, input field).
QUANTITIES: tuple[tuple[str, str], ...] = (
    ("asks_asphalt", "asphalt"),
    ("asks_paving_stone", "paving_stone"),
    ("asks_sidewalk", "sidewalk"),
)
#: Their names in the Portuguese messages.
_PT = {"asphalt": "asfalto", "paving_stone": "paralelepípedo", "sidewalk": "calçada"}

PAVEMENT_REQUIRED = Message(
    "bulletin.pavement_required",
    en="Choose whether there was pavement.",
    pt="Informe o campo Existe Pavimento.",
    gsan_key="atencao.campo_selecionado.obrigatorio",
    rule="ENC-19",
)
ZEROS_UNCONFIRMED = Message(
    "bulletin.zeros_unconfirmed",
    en="The bulletin quantities {fields} are empty or zero: they will be recorded "
    "as zeros and the service will not count in the bulletin. Confirm.",
    pt="As quantidades do boletim {fields_pt} serão gravadas com zero e o serviço não "
    "será contabilizado no boletim. Confirma?",
    gsan_key="atencao.encerrar_OS_boletim",
    rule="ENC-19",
)
QUANTITY_NEGATIVE = Message(
    "bulletin.quantity_negative",
    en="The bulletin quantity {field} is negative.",
    pt="A quantidade de {field_pt} do boletim é negativa.",
    rule="ENC-19",
)
NOT_A_BULLETIN_TYPE = Message(
    "bulletin.not_a_bulletin_type",
    en="The service of order {order_id} asks no bulletin information.",
    pt="O serviço associado a esta ordem de serviço não solicita informações para "
    "boletim.",
    gsan_key="atencao.os.solicitam.informacoes.boletim",
    rule="ENC-19",
)
NO_BULLETIN = Message(
    "bulletin.missing",
    en="Order {order_id} has no bulletin information.",
    pt="Não existem informações desta ordem de serviço para boletim.",
    gsan_key="atencao.nao.existe.informacoes.boletim",
    rule="ENC-19",
)
NOT_CLOSED = Message(
    "bulletin.order_not_closed",
    en="Order {order_id} is not closed.",
    pt="Esta Ordem de Serviço não está Encerrada.",
    gsan_key="atencao.ordem_servico_situacao",
    rule="FIS-17",
)
NOT_SELECTIVE = Message(
    "bulletin.order_not_selective",
    en="Order {order_id} is not a selective order (it has a request or a collection "
    "document).",
    pt="A ordem de serviço {order_id} não é seletiva.",
    rule="FIS-17",
)
TOO_MANY_DATES = Message(
    "bulletin.inspection.too_many_dates",
    en="At most three inspection dates ({count} given).",
    pt="No máximo três datas de fiscalização.",
    rule="FIS-17",
)
INSPECTED_NOT_BEFORE_TODAY = Message(
    "bulletin.inspection.not_before_today",
    en="The {nth} inspection date {on} must be before today.",
    pt="A {nth}ª data de fiscalização deve ser anterior à data corrente.",
    gsan_key="atencao.data_fiscalizacao_anterior_corrente",
    rule="FIS-17",
)
INSPECTED_IN_FUTURE = Message(
    "bulletin.inspection.in_future",
    en="The {nth} inspection date {on} is after today.",
    pt="A {nth}ª data de fiscalização é posterior à data corrente.",
    gsan_key="atencao.data_fiscalizacao_anterior_corrente",
    rule="FIS-17",
)
INSPECTED_BEFORE_CLOSING = Message(
    "bulletin.inspection.before_closing",
    en="The {nth} inspection date {on} is before the order's closing {closed_on}.",
    pt="A {nth}ª data de fiscalização é anterior à data de encerramento da OS.",
    gsan_key="atencao.data_fiscalizacao_anterior_data_encerramento_os",
    rule="FIS-17",
)
INSPECTED_BEFORE_PREVIOUS = Message(
    "bulletin.inspection.before_previous",
    en="The {nth} inspection date {on} is before the previous one {previous}.",
    pt="A {nth}ª data de fiscalização é menor que a data de fiscalização anterior.",
    gsan_key="atencao.data_fiscalizacao_menor_data_fiscalizacao_anterior",
    rule="FIS-17",
)
INSPECTOR_UNKNOWN = Message(
    "bulletin.inspection.inspector_unknown",
    en="The inspector {inspector_id} is not a registered user.",
    pt="Funcionário inexistente.",
    gsan_key="pesquisa.funcionario.inexistente",
    rule="FIS-18",
)
NOT_ALLOWED = Message(
    "bulletin.inspection.not_allowed",
    en="User {actor} may not update inspection data.",
    pt="O usuário não possui permissão para atualizar os dados da fiscalização.",
    rule="FIS-18",
)
UNDO_NOT_ALLOWED = Message(
    "bulletin.inspection.undo_not_allowed",
    en="The inspection of order {order_id} is in the bulletin of {month}: undoing "
    "it needs the permission to undo a bulletin's inspection.",
    pt="A fiscalização já está em boletim: o usuário não possui permissão para "
    "desfazê-la.",
    rule="FIS-18",
)


def _asked(setup: CatalogItem, flag: str) -> bool:
    return setup.flag(flag)


def check_bulletin(
    setup: CatalogItem | None, bulletin: BulletinInput | None, *, order_id: int
) -> list[Violation]:
    """ENC-19: a type that asks the bulletin (``setup``, its
    ``service_type_bulletin`` row) needs "there was pavement" answered when it
    asks it, and the quantities it asks either positive or, empty or zero,
    confirmed (``zero_confirmed``); none negative. Bulletin data for a type
    that asks none is refused."""
    if setup is None:
        return [] if bulletin is None else [NOT_A_BULLETIN_TYPE(order_id=order_id)]
    given = bulletin or BulletinInput()
    found: list[Violation] = []
    if _asked(setup, "asks_pavement") and given.has_pavement is None:
        found.append(PAVEMENT_REQUIRED())
    zeros: list[str] = []
    for flag, field in QUANTITIES:
        value: Decimal | None = getattr(given, field)
        if value is not None and value < 0:
            found.append(QUANTITY_NEGATIVE(field=field, field_pt=_PT[field]))
        elif _asked(setup, flag) and not value:
            zeros.append(field)
    if zeros and not given.zero_confirmed:
        found.append(
            ZEROS_UNCONFIRMED(
                fields=", ".join(zeros), fields_pt=", ".join(_PT[f] for f in zeros)
            )
        )
    return found


def bulletin_quantities(
    setup: CatalogItem, bulletin: BulletinInput | None
) -> tuple[Decimal, Decimal, Decimal]:
    """The asphalt, paving-stone and sidewalk quantities recorded: those asked
    (empty ones as zero), the others zero (as GSAN)."""
    given = bulletin or BulletinInput()
    asphalt, stone, sidewalk = (
        (getattr(given, field) or Decimal(0)) if _asked(setup, flag) else Decimal(0)
        for flag, field in QUANTITIES
    )
    return asphalt, stone, sidewalk


def check_concluded_order(order: ServiceOrder) -> list[Violation]:
    """FIS-17: the order is closed and selective (no request, no collection
    document: ENC-10's definition)."""
    found: list[Violation] = []
    if order.situation is not OrderSituation.CLOSED:
        found.append(NOT_CLOSED(order_id=order.id))
    if order.request_id is not None or order.collection_document_id is not None:
        found.append(NOT_SELECTIVE(order_id=order.id))
    return found


def check_concluded_inspection(
    current: ConcludedOrderInspection | None,
    *,
    order_id: int,
    closed_on: date,
    code: InspectionCode,
    dates: Sequence[date],
    inspector_id: int | None,
    inspector_known: bool,
    actor: int,
    today: date,
    today_allowed: bool,
    may_update: bool,
    may_undo: bool,
) -> list[Violation]:
    """FIS-17: at most three dates; the last one given is before today (or
    not after it when the profile accepts today), not before the order's
    closing nor before the date before it (the earlier ones are not checked
    again, as GSAN). FIS-18: a non-zero code needs a registered inspector;
    the user may update inspection data; undoing (code back to none) an
    inspection already in a bulletin needs the undo permission."""
    found: list[Violation] = []
    if not may_update:
        found.append(NOT_ALLOWED(actor=actor))
    if len(dates) > 3:
        found.append(TOO_MANY_DATES(count=len(dates)))
    elif dates:
        nth, last = len(dates), dates[-1]
        if today_allowed and last > today:
            found.append(INSPECTED_IN_FUTURE(nth=nth, on=last))
        elif not today_allowed and last >= today:
            found.append(INSPECTED_NOT_BEFORE_TODAY(nth=nth, on=last))
        elif last < closed_on:
            found.append(
                INSPECTED_BEFORE_CLOSING(nth=nth, on=last, closed_on=closed_on)
            )
        elif nth > 1 and last < dates[-2]:
            found.append(
                INSPECTED_BEFORE_PREVIOUS(nth=nth, on=last, previous=dates[-2])
            )
    if code is not InspectionCode.NONE and not inspector_known:
        found.append(INSPECTOR_UNKNOWN(inspector_id=inspector_id))
    undoing = (
        current is not None
        and current.code is not InspectionCode.NONE
        and code is InspectionCode.NONE
        and current.bulletin_month is not None
    )
    if undoing and not may_undo:
        assert current is not None
        found.append(UNDO_NOT_ALLOWED(order_id=order_id, month=current.bulletin_month))
    return found
