"""Rules of the service-order lifecycle: generation, update, closing, references,
and the commercial operation run at most once per OS.

The lifecycle is data: :data:`TRANSITIONS` maps ``(situation, action)`` to the
situation after; every rule that moves an OS consults it, the docs render it and
the state machine tests are generated from it.

Numbered rules (``domain/service-orders.md`` §3): GEN-01..09, UPD-01..04,
ENC-03..17, REF-01..08, COM-01..08.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import (
    ExecutedActivity,
    InspectionResult,
    MaterialKit,
    OrderAction,
    OrderSituation,
    ServiceOrder,
    ServiceType,
    Team,
)
from gsan_core.rules.service_configuration import (
    QUANTITY_NOT_POSITIVE,
    REFERENCE_MISSING,
)
from gsan_core.rules.validation import REQUIRED, optional_text

__all__ = [
    "CHARGE_PERCENTAGES",
    "TRANSITIONS",
    "ChargeRequest",
    "CloseRequest",
    "MenuVariant",
    "RequestFacts",
    "allowed_closing_reasons",
    "bills_in_period",
    "check_charge_request",
    "check_charged_property",
    "check_close",
    "check_collection_unit",
    "check_cut_order",
    "check_execution",
    "check_generation",
    "check_has_property",
    "check_menu_path",
    "check_overdue_request",
    "check_property_uniqueness",
    "check_transition",
    "check_type_matches",
    "check_update",
    "overdue_cutoff",
    "reference_spec",
    "transition",
]

P, C, E, A = (
    OrderSituation.PENDING,
    OrderSituation.CLOSED,
    OrderSituation.IN_EXECUTION,
    OrderSituation.AWAITING_RELEASE,
)

#: ``(situation before, action) -> situation after``; ``None`` before = a new OS.
TRANSITIONS: Mapping[tuple[OrderSituation | None, OrderAction], OrderSituation] = {
    (None, OrderAction.GENERATE): P,
    (P, OrderAction.UPDATE): P,
    (E, OrderAction.UPDATE): E,
    (A, OrderAction.UPDATE): A,
    (P, OrderAction.START_EXECUTION): E,
    (E, OrderAction.BACK_TO_PENDING): P,
    (P, OrderAction.CLOSE_EXECUTED): C,
    (E, OrderAction.CLOSE_EXECUTED): C,
    (P, OrderAction.CLOSE_NOT_EXECUTED): C,
    (E, OrderAction.CLOSE_NOT_EXECUTED): C,
    (P, OrderAction.HOLD_FOR_REFERENCE): A,
    (A, OrderAction.RELEASE): P,
    (A, OrderAction.RELEASE_CLOSING): C,
    (P, OrderAction.CLOSE_WITH_REFERRING): C,
    (E, OrderAction.CLOSE_WITH_REFERRING): C,
    (A, OrderAction.CLOSE_WITH_REFERRING): C,
    (P, OrderAction.CLOSE_OVERDUE): C,
    (P, OrderAction.CLOSE_BY_REQUEST): C,
    (E, OrderAction.CLOSE_BY_REQUEST): C,
    (A, OrderAction.CLOSE_BY_REQUEST): C,
}

#: ``orse_pcvalorcobranca``: the percentages of the value a charge may take.
CHARGE_PERCENTAGES = (100, 70, 50)
MenuVariant = Literal["strict", "grace", "update"]
MAX_REMARK = 400
MAX_OBSERVATION = 200

# ---------------------------------------------------------------- messages
NOT_ALLOWED_FROM_SITUATION = Message(
    "service_order.situation_not_allowed",
    en="Service order {order_id} is {situation}: it cannot {action}.",
    pt="A ordem de serviço {order_id} está {situacao}: não é possível {acao}.",
    gsan_key="atencao.situacao.diferente_pendente",
    rule="ENC-05",
)
REQUEST_DOES_NOT_ALLOW_ORDERS = Message(
    "service_order.generate.request_does_not_allow_orders",
    en="The specification of service request {request_id} does not allow service orders.",
    pt="Especificação da Solicitação do Registro de Atendimento {request_id} não permite geração de ordem de serviço.",
    gsan_key="atencao.registro_atendimento.nao_permite_geracao_os",
    rule="GEN-01",
)
REQUEST_NOT_PENDING = Message(
    "service_order.generate.request_not_pending",
    en="Service request {request_id} is not pending and does not allow service orders.",
    pt="Situação do Registro de Atendimento {request_id} não permite geração de ordem de serviço.",
    gsan_key="atencao.registro_atendimento.diferente_pendente",
    rule="GEN-02",
)
USER_NOT_AUTHORISED_FOR_REQUEST = Message(
    "service_order.generate.user_not_authorised",
    en="Service request {request_id} is in unit {unit_id}: you cannot generate its orders.",
    pt="Este RA está na unidade {unit_id}. Não é possível gerar ordem de serviço.",
    gsan_key="atencao.unidade_atendimento.nao_permite_geracao_os",
    rule="GEN-03",
)
UNKNOWN_SERVICE_TYPE = Message(
    "service_order.unknown_service_type",
    en="Service type {service_type_id} does not exist or is inactive.",
    pt="Tipo de Serviço {service_type_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="GEN-04",
)
OPEN_ORDER_OF_SAME_TYPE = Message(
    "service_order.generate.open_order_of_same_type",
    en="Service order {other_id} of type {service_type_id} is still open for request {request_id}.",
    pt="Já existe ordem de serviço {other_id} com este tipo de serviço {service_type_id} para este registro de atendimento {request_id}.",
    gsan_key="atencao.servico_tipo.existe_os",
    rule="GEN-05",
)
REFERENCE_ORDER_REQUIRED = Message(
    "service_order.reference.order_required",
    en="The service type requires a reference service order.",
    pt="Ordem de Serviço Referência deve ser informada.",
    gsan_key="atencao.campo.informado",
    rule="GEN-06",
)
REFERENCE_ORDER_OTHER_REQUEST = Message(
    "service_order.reference.other_request",
    en="Reference service order {reference_id} belongs to another service request.",
    pt="Ordem de Serviço de Referência {reference_id} pertence à outra RA.",
    gsan_key="atencao.os_referencia_pertence_outra_ra",
    rule="GEN-07",
)
REFERENCE_ORDER_WRONG_TYPE = Message(
    "service_order.reference.wrong_type",
    en="Reference service order {reference_id} must be of service type {expected}.",
    pt="Tipo de Serviço da Ordem de Serviço informada não está compatível com o tipo de serviço de referência {expected}.",
    gsan_key="atencao.servico_tipo_os.incompativel",
    rule="GEN-08",
)
REFERENCE_ORDER_WRONG_SITUATION = Message(
    "service_order.reference.wrong_situation",
    en="Reference service order {reference_id} must be {expected} to be referred to.",
    pt="Situação da Ordem de Serviço de referência informada não está compatível com a situação requerida.",
    gsan_key="atencao.situacao_os.incompativel.situacao_os_requerida",
    rule="GEN-09",
)
CLOSED_ORDER_UNCHANGEABLE = Message(
    "service_order.update.closed",
    en="Service order {order_id} is closed and cannot change.",
    pt="A ordem de serviço {order_id} está encerrada e não pode ser alterada.",
    gsan_key="atencao.situacao.diferente_pendente",
    rule="UPD-01",
)
OBSERVATION_TOO_LONG = Message(
    "service_order.update.observation_too_long",
    en="The observation has {length} characters; at most 200 are allowed.",
    pt="Observação excedeu o limite de 200 caracteres ({length}).",
    gsan_key="atencao.execedeu_limit_observacao",
    rule="UPD-02",
)
AUTOMATIC_CLOSING_ONLY = Message(
    "service_order.close.automatic_only",
    en="Service order {order_id} is flagged for automatic closing and cannot be closed by hand.",
    pt="Ordem de serviço {order_id} assinalada para encerramento automático.",
    gsan_key="atencao.indicador_encerramento_automatico_ordem_servico",
    rule="ENC-03",
)
CLOSING_REASON_NOT_ALLOWED = Message(
    "service_order.close.reason_not_allowed",
    en="Closing reason {reason_id} does not exist, is inactive, or is not allowed for service type {service_type_id}.",
    pt="Motivo de encerramento {reason_id} inexistente, inativo ou não permitido para o tipo de serviço {service_type_id}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="ENC-06",
)
CLOSING_DATE_IN_FUTURE = Message(
    "service_order.close.date_in_future",
    en="The closing date {closed_on} is after today ({today}).",
    pt="A data de encerramento {closed_on} é posterior à data corrente ({today}).",
    gsan_key="atencao.data.maior.data.corrente",
    rule="ENC-08",
)
CLOSING_DATE_TOO_EARLY = Message(
    "service_order.close.date_too_early",
    en="The closing date {closed_on} is before {earliest} (generation on {generated_on}; at most {days} days back).",
    pt="Data do Encerramento {closed_on} anterior ao permitido ({earliest}).",
    gsan_key="atencao.data_encerramento_anterior_permitido",
    rule="ENC-09",
)
SELECTIVE_CLOSING_DATE_TOO_EARLY = Message(
    "service_order.close.selective_date_too_early",
    en="The closing date {closed_on} is before {earliest}, the limit for selective orders.",
    pt="Data do Encerramento anterior ao permitido para OS seletiva ({earliest}).",
    gsan_key="atencao.data_encerramento_anterior_permitido_os_seletiva",
    rule="ENC-10",
)
REASON_REQUIRED = attrs.evolve(REQUIRED, rule="ENC-06")
DATE_REQUIRED = attrs.evolve(REQUIRED, rule="ENC-07")
REMARK_TOO_LONG = Message(
    "service_order.close.remark_too_long",
    en="The closing remark has {length} characters; at most 400 are allowed.",
    pt="Parecer excedeu o limite de 400 caracteres ({length}).",
    gsan_key="atencao.execedeu_limit_observacao",
    rule="ENC-15",
)
PAVEMENT_NOT_POSITIVE = Message(
    "service_order.close.pavement_not_positive",
    en="The pavement area must be positive, got {area}.",
    pt="A metragem deve ser somente positiva ({area}).",
    gsan_key="atencao.metragemSomentePositiva",
    rule="ENC-16",
)
ACTIVITIES_REQUIRED = Message(
    "service_order.close.activities_required",
    en="Service type {service_type_id} requires the executed activities.",
    pt="Atividades é obrigatório(a).",
    gsan_key="atencao.required",
    rule="ENC-12",
)
INSPECTION_RESULT_REQUIRED = Message(
    "service_order.close.inspection_result_required",
    en="Service type {service_type_id} requires the inspection result (approved or rejected).",
    pt="Retorno Vistoria é obrigatório(a).",
    gsan_key="atencao.required",
    rule="ENC-13",
)
DIAGNOSIS_REMARK_REQUIRED = Message(
    "service_order.close.diagnosis_remark_required",
    en="A diagnosis order requires a closing remark.",
    pt="Ordem de serviço de diagnóstico exige parecer de encerramento.",
    gsan_key="atencao.indicador_diagnostico_sim",
    rule="ENC-14",
)
PROPERTY_IN_FIELD = Message(
    "service_order.close.property_in_field",
    en="Property {property_id} cannot change until its group is billed for {reference}.",
    pt="O imóvel {property_id} não pode sofrer alterações, até que seu grupo seja faturado para a referência {reference}.",
    gsan_key="atencao.imovel_em_campo",
    rule="ENC-17",
)
RETURN_TYPE_REQUIRED = Message(
    "service_order.reference.return_type_required",
    en="Closing an order that refers to another requires a return type.",
    pt="Tipo de Retorno Referida é obrigatório(a).",
    gsan_key="atencao.required",
    rule="REF-01",
)
PAVEMENT_REQUIRED = Message(
    "service_order.reference.pavement_required",
    en="An approved return of service type {service_type_id} requires the pavement area.",
    pt="Pavimento é obrigatório(a).",
    gsan_key="atencao.required",
    rule="REF-02",
)
NEW_SERVICE_TYPE_REQUIRED = Message(
    "service_order.reference.new_service_type_required",
    en="A return that changes the service requires the new service type.",
    pt="Tipo de Serviço é obrigatório(a).",
    gsan_key="atencao.required",
    rule="REF-03",
)
NEW_SERVICE_TYPE_OPEN = Message(
    "service_order.reference.new_type_open",
    en="Service order {other_id} of type {service_type_id} is still open for request {request_id}.",
    pt="Já existe ordem de serviço {other_id} com este tipo de serviço {service_type_id} para este registro de atendimento {request_id}.",
    gsan_key="atencao.ordem_servico_com_ra",
    rule="REF-04",
)
NEW_SERVICE_TYPE_HAS_REFERENCE = Message(
    "service_order.reference.new_type_has_reference",
    en="Service type {service_type_id} has a reference of its own and cannot replace a referenced order's type.",
    pt="Tipo de serviço selecionado tem um serviço de referência e não pode ser associado a uma ordem de serviço de referência.",
    gsan_key="atencao.existe_tipo_servico_referencia_os",
    rule="REF-04",
)
MENU_ORDER_NOT_CLOSED = Message(
    "service_order.commercial.not_closed",
    en="Service order {order_id} is not closed: close it first, or run the operation by closing it.",
    pt="Esta Ordem de Serviço não está Encerrada.",
    gsan_key="atencao.ordem_servico_situacao",
    rule="COM-01",
)
MENU_ORDER_NOT_EXECUTED = Message(
    "service_order.commercial.not_executed",
    en="Service order {order_id} was closed but not executed.",
    pt="Esta Ordem de Serviço está encerrada porém não foi executada.",
    gsan_key="atencao.ordem_servico_nao_executada",
    rule="COM-02",
)
COMMERCIAL_ALREADY_APPLIED = Message(
    "service_order.commercial.already_applied",
    en="The commercial system was already updated by service order {order_id}.",
    pt="Sistema Comercial já atualizado com esta Ordem de Serviço.",
    gsan_key="atencao.ordem_servico_sistema_comercial_atualizado",
    rule="COM-03",
)
WRONG_SERVICE_TYPE_FOR_OPERATION = Message(
    "service_order.commercial.wrong_service_type",
    en="The service of order {order_id} (type {service_type_id}) does not allow {operation}.",
    pt="Serviço associado à ordem de serviço informada não permite {operation}.",
    gsan_key="atencao.servico_associado_ordem_servico_invalido",
    rule="COM-04",
)
ORDER_WITHOUT_PROPERTY = Message(
    "service_order.commercial.no_property",
    en="Service order {order_id} has no property.",
    pt="Ordem de serviço informada não tem imóvel associado.",
    gsan_key="atencao.ordem_servico_imovel_invalida",
    rule="COM-05",
)
PERMISSION_REQUIRED_FOR_CHARGE = Message(
    "service_order.charge.permission_required",
    en="A non-charge reason, a percentage other than 100 or more than one installment needs special permission {permission_id}.",
    pt="Informar motivo de não cobrança, percentual diferente de 100 ou mais de uma parcela exige a permissão especial {permission_id}.",
    gsan_key="atencao.necessario_permissao_especial",
    rule="COM-06",
)
VALUE_NOT_EDITABLE = Message(
    "service_order.charge.value_not_editable",
    en="Service type {service_type_id} does not allow changing the charged value.",
    pt="O tipo de serviço {service_type_id} não permite alterar o valor do débito.",
    rule="COM-07",
)
TOO_MANY_INSTALLMENTS = Message(
    "service_order.charge.too_many_installments",
    en="{installments} installments requested; at most {maximum} are allowed.",
    pt="Quantidade de parcelas ({installments}) superior ao máximo permitido ({maximum}).",
    gsan_key="atencao.qtde_parcelas_invalida",
    rule="COM-08",
)
INVALID_PERCENTAGE = Message(
    "service_order.charge.invalid_percentage",
    en="The charge percentage must be 100, 70 or 50, got {percentage}.",
    pt="O percentual de cobrança deve ser 100, 70 ou 50; informado {percentage}.",
    rule="COM-06",
)
INVALID_INSTALLMENTS = Message(
    "service_order.charge.invalid_installments",
    en="The number of installments must be at least 1, got {installments}.",
    pt="Quantidades de Parcelas Inválida ({installments}).",
    gsan_key="atencao.qtde_parcelas_invalida",
    rule="DEB-05",
)
INVALID_VALUE = Message(
    "service_order.charge.invalid_value",
    en="The charged value must be positive, got {value}.",
    pt="Valor do Débito Inválido ({value}).",
    gsan_key="atencao.valor_debito_invalido",
    rule="DEB-05",
)
UNKNOWN_NON_CHARGE_REASON = Message(
    "service_order.charge.unknown_non_charge_reason",
    en="Non-charge reason {reason_id} does not exist or is inactive.",
    pt="Motivo de não cobrança {reason_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="COM-06",
)


EXECUTION_DATE_OUT_OF_RANGE = Message(
    "service_order.execution.date_out_of_range",
    en="Activity {activity_id} was executed on {on}, outside the order's life ({generated_on} to {closed_on}).",
    pt="Data de execução {on} inválida: deve estar entre a geração ({generated_on}) e o encerramento ({closed_on}).",
    gsan_key="atencao.data_execucao_invalida",
    rule="EXE-01",
)
EXECUTION_END_BEFORE_START = Message(
    "service_order.execution.end_before_start",
    en="Activity {activity_id} on {on} ends at {end} before it starts at {start}.",
    pt="Hora final {end} anterior à hora de início {start}.",
    gsan_key="atencao.hora_final_anterior_hora_inicio",
    rule="EXE-02",
)
EXECUTION_UNKNOWN_TEAM = Message(
    "service_order.execution.unknown_team",
    en="Team {team_id} does not exist or is inactive.",
    pt="Equipe {team_id} inexistente ou inativa.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="EXE-03",
)
EXECUTION_TEAM_REQUIRED = Message(
    "service_order.execution.team_required",
    en="The execution period of activity {activity_id} on {on} names no team.",
    pt="Equipe é obrigatório(a).",
    gsan_key="atencao.required",
    rule="EXE-03",
)
EXECUTION_UNKNOWN_ACTIVITY = Message(
    "service_order.execution.unknown_activity",
    en="Activity {activity_id} does not exist, is inactive, or is not an activity of service type {service_type_id}.",
    pt="Atividade {activity_id} inexistente, inativa ou não pertencente ao tipo de serviço {service_type_id}.",
    gsan_key="atencao.pesquisa_inexistente",
)
EXECUTION_ACTIVITY_REPEATED = Message(
    "service_order.execution.activity_repeated",
    en="Activity {activity_id} is recorded more than once.",
    pt="Atividade {activity_id} informada mais de uma vez.",
)
NO_UNIT_FOR_LOCALITY = Message(
    "service_order.generate.no_unit_for_locality",
    en="No organisational unit corresponds to locality {locality_id} of property {property_id}.",
    pt="Não existe unidade organizacional correspondente à localidade {locality_id} do documento de cobrança.",
    gsan_key="atencao.unidade_nao_existe_localidade",
    rule="GEN-10",
)
OPEN_ORDER_FOR_PROPERTY = Message(
    "service_order.generate.open_order_for_property",
    en="Service order {other_id} of type {service_type_id} is still open for property {property_id}.",
    pt="Já existe ordem de serviço {other_id} com este tipo de serviço {service_type_id} para o imóvel {property_id}.",
    gsan_key="atencao.servico_tipo.existe_os",
    rule="GEN-05",
)
CUT_ORDER_WATER_STATUS = Message(
    "service_order.cut_order.water_status_not_allowed",
    en="The water connection of property {property_id} is in situation {water_status_id}: a cut order needs it connected or connected under inspection.",
    pt="Situação da ligação de água do imóvel inválida para corte.",
    gsan_key="atencao.situacao_ligacao_agua_invalida",
    rule="GEN-12",
)
CUT_ORDER_NO_DEBTS = Message(
    "service_order.cut_order.no_debts",
    en="Property {property_id} has no unpaid bills in the period.",
    pt="Imóvel {property_id} sem débitos.",
    gsan_key="atencao.imovel.sem.debito",
    rule="GEN-14",
)
CUT_ORDER_NO_NOTICE = Message(
    "service_order.cut_order.no_notice",
    en="Property {property_id} has no cut notice (aviso de corte) document.",
    pt="Imóvel {property_id} não possui documento do tipo AVISO DE CORTE.",
    gsan_key="atencao.imovel_sem_documento_do_tipo",
    rule="GEN-15",
)
CUT_ORDER_TYPE_MISSING = Message(
    "service_order.cut_order.type_not_configured",
    en="The cut-order service type (role service_type.cut_order) is not configured or is inactive.",
    pt="Serviço tipo não parametrizado.",
    gsan_key="atencao.servico_tipo_nao_existe",
    rule="GEN-16",
)
OVERDUE_TYPE_NOT_ALLOWED = Message(
    "service_order.overdue.type_not_allowed",
    en="Service type {service_type_id} is not one whose overdue orders may be closed ({allowed}).",
    pt="O tipo de serviço {service_type_id} não permite encerrar ordens vencidas ({allowed}).",
    rule="VEN-01",
)
OVERDUE_DAYS_INVALID = Message(
    "service_order.overdue.days_invalid",
    en="The number of days must be a positive integer, got {days}.",
    pt="A quantidade de dias deve ser um inteiro positivo ({days}).",
    rule="VEN-01",
)
OVERDUE_NOTHING = Message(
    "service_order.overdue.nothing_to_close",
    en="No pending order of type {service_type_id} was generated on or before {cutoff}.",
    pt="A pesquisa não retornou nenhum resultado.",
    gsan_key="atencao.pesquisa.nenhumresultado",
    rule="VEN-03",
)


CHARGED_ORDER_WITHOUT_PROPERTY = Message(
    "service_order.charge.no_property",
    en="Service order {order_id} has no property to charge its service to.",
    pt="Ordem de serviço {order_id} sem imóvel.",
    gsan_key="atencao.os_sem_imovel",
    rule="DEB-04",
)


# ---------------------------------------------------------------- facts given to rules
@attrs.frozen(kw_only=True)
class RequestFacts:
    """What generation needs to know about the service request (RA) of an OS."""

    id: int
    allows_orders: bool
    pending: bool
    user_authorised: bool
    current_unit_id: int | None = None
    property_id: int | None = None


@attrs.frozen(kw_only=True)
class ChargeRequest:
    """What the operator filled in the charge part of the commercial screen."""

    value: Decimal | None = None
    percentage: int = 100
    installments: int = 1
    non_charge_reason_id: int | None = None


@attrs.frozen(kw_only=True)
class CloseRequest:
    """The closing form of an OS (UC0457)."""

    reason: CatalogItem | None
    closed_on: date | None
    remark: str | None = None
    #: The reason id the operator chose (``reason`` is ``None`` when it does not
    #: exist): reported as not allowed rather than missing.
    reason_id: int | None = None
    inspection_result: InspectionResult | None = None
    activities_given: bool = False
    return_type: CatalogItem | None = None
    new_service_type: ServiceType | None = None
    pavement_area: Decimal | None = None


# ---------------------------------------------------------------- transitions
def transition(
    situation: OrderSituation | None, action: OrderAction
) -> OrderSituation | None:
    """The situation after ``action``, or ``None`` when not allowed."""
    return TRANSITIONS.get((situation, action))


_SITUATION_PT = {
    P: "pendente",
    C: "encerrada",
    E: "em execução",
    A: "aguardando liberação",
}


def check_transition(order: ServiceOrder, action: OrderAction) -> tuple[Violation, ...]:
    """ENC-05 (and its siblings): the action must be allowed from the situation."""
    if transition(order.situation, action) is not None:
        return ()
    return (
        NOT_ALLOWED_FROM_SITUATION(
            order_id=order.id,
            situation=order.situation.name.lower(),
            situacao=_SITUATION_PT[order.situation],
            action=action.value.replace("_", " "),
            acao=action.value.replace("_", " "),
        ),
    )


# ---------------------------------------------------------------- references
def reference_spec(
    service_type: ServiceType, lookup: Mapping[int, CatalogItem]
) -> CatalogItem | None:
    """The service type's reference behaviour row (``servico_tipo_referencia``)."""
    if service_type.reference_id is None:
        return None
    return lookup.get(service_type.reference_id)


def _needs_reference_order(spec: CatalogItem | None) -> bool:
    return spec is not None and spec.flag("requires_reference_order")


# ---------------------------------------------------------------- generation
def check_generation(
    *,
    service_type: ServiceType | None,
    service_type_id: int,
    reference: CatalogItem | None,
    request: RequestFacts | None,
    open_orders_of_request: Iterable[ServiceOrder] = (),
    reference_order: ServiceOrder | None = None,
    observation: str | None = None,
) -> tuple[Violation, ...]:
    """GEN-01..GEN-09 for a new OS.

    GEN-08 compares the *referenced* OS's type with the type the reference row
    names (GSAN compares the new OS's own type, which looks like a bug).
    """
    found: list[Violation] = []
    if request is not None:
        if not request.allows_orders:
            found.append(REQUEST_DOES_NOT_ALLOW_ORDERS(request_id=request.id))
        if not request.pending:
            found.append(REQUEST_NOT_PENDING(request_id=request.id))
        if not request.user_authorised:
            found.append(
                USER_NOT_AUTHORISED_FOR_REQUEST(
                    request_id=request.id, unit_id=request.current_unit_id
                )
            )
    if service_type is None or not service_type.active:
        found.append(UNKNOWN_SERVICE_TYPE(service_type_id=service_type_id))
        return tuple(found)
    if request is not None:
        for other in open_orders_of_request:
            if other.is_open and other.service_type_id == service_type.id:
                found.append(
                    OPEN_ORDER_OF_SAME_TYPE(
                        other_id=other.id,
                        service_type_id=service_type.id,
                        request_id=request.id,
                    )
                )
                break
    found += optional_text(
        observation, field="Observation", campo="Observação", max_length=MAX_OBSERVATION
    )
    if _needs_reference_order(reference):
        assert reference is not None
        found += _reference_order_violations(reference, request, reference_order)
    return tuple(found)


def _reference_order_violations(
    reference: CatalogItem,
    request: RequestFacts | None,
    reference_order: ServiceOrder | None,
) -> list[Violation]:
    if reference_order is None:
        return [REFERENCE_ORDER_REQUIRED()]
    found: list[Violation] = []
    request_id = None if request is None else request.id
    if reference_order.request_id != request_id:
        found.append(REFERENCE_ORDER_OTHER_REQUEST(reference_id=reference_order.id))
    expected_type = reference.integer("service_type_id")
    if expected_type is not None and reference_order.service_type_id != expected_type:
        found.append(
            REFERENCE_ORDER_WRONG_TYPE(
                reference_id=reference_order.id, expected=expected_type
            )
        )
    before = reference.integer("situation_before")
    if before is not None and reference_order.situation != before:
        found.append(
            REFERENCE_ORDER_WRONG_SITUATION(
                reference_id=reference_order.id,
                expected=OrderSituation(before).name.lower(),
            )
        )
    return found


# ---------------------------------------------------------------- update
def check_update(
    order: ServiceOrder,
    *,
    observation: str | None,
    service_type: ServiceType | None,
    service_type_id: int,
    reference: CatalogItem | None,
    request: RequestFacts | None,
    reference_order: ServiceOrder | None,
    reference_changed: bool = True,
) -> tuple[Violation, ...]:
    """UPD-01..UPD-04: a closed OS never changes; the reference rules GEN-06..09
    are re-validated when the type or the referenced OS changes (an unchanged
    reference was validated at generation, and the OS it holds is awaiting
    release since then, which GEN-09 would refuse)."""
    if not order.is_open:
        return (CLOSED_ORDER_UNCHANGEABLE(order_id=order.id),)
    found: list[Violation] = []
    if observation is not None and len(observation) > MAX_OBSERVATION:
        found.append(OBSERVATION_TOO_LONG(length=len(observation)))
    if service_type is None or not service_type.active:
        found.append(UNKNOWN_SERVICE_TYPE(service_type_id=service_type_id))
    elif reference_changed and _needs_reference_order(reference):
        assert reference is not None
        found += _reference_order_violations(reference, request, reference_order)
    return tuple(found)


# ---------------------------------------------------------------- closing
def allowed_closing_reasons(
    service_type: ServiceType, reasons: Iterable[CatalogItem]
) -> list[CatalogItem]:
    """Reasons offered for an OS of the type: the type's own list, or every active
    non-duplicate reason (a duplicate reason is never offered for an OS)."""
    usable = [r for r in reasons if r.active and not r.flag("duplicate")]
    if service_type.closing_reason_ids:
        return [r for r in usable if r.id in service_type.closing_reason_ids]
    return usable


def check_close(
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    request: CloseRequest,
    offered_reasons: Iterable[CatalogItem],
    reference: CatalogItem | None,
    today: date,
    generated_on: date,
    profile: UtilityProfile,
    has_permission: Mapping[str, bool],
    locked_reference: int | None,
    open_orders_of_request: Iterable[ServiceOrder] = (),
    new_type_reference: CatalogItem | None = None,
) -> tuple[Violation, ...]:
    """Every violation of closing ``order`` with ``request`` (ENC, REF).

    ``has_permission`` answers for the roles ``"close_order_before_today"`` (57)
    and ``"close_order_without_activities"`` (106).
    """
    reason = request.reason
    executed = reason is not None and reason.flag("executed")
    action = OrderAction.CLOSE_EXECUTED if executed else OrderAction.CLOSE_NOT_EXECUTED
    found = list(check_transition(order, action))
    if order.automatic_closing:
        found.append(AUTOMATIC_CLOSING_ONLY(order_id=order.id))
    if reason is None and request.reason_id is not None:
        found.append(
            CLOSING_REASON_NOT_ALLOWED(
                reason_id=request.reason_id, service_type_id=service_type.id
            )
        )
    elif reason is None:
        found.append(
            REASON_REQUIRED(field="Closing reason", campo="Motivo de Encerramento")
        )
    elif reason.id not in {r.id for r in offered_reasons}:
        found.append(
            CLOSING_REASON_NOT_ALLOWED(
                reason_id=reason.id, service_type_id=service_type.id
            )
        )
    found += _closing_date(
        order=order,
        request=request,
        today=today,
        generated_on=generated_on,
        profile=profile,
        has_permission=has_permission,
    )
    if (
        executed
        and service_type.requires_activities
        and not request.activities_given
        and not has_permission.get("close_order_without_activities", False)
    ):
        found.append(ACTIVITIES_REQUIRED(service_type_id=service_type.id))
    if service_type.inspection and request.inspection_result is None:
        found.append(INSPECTION_RESULT_REQUIRED(service_type_id=service_type.id))
    if (
        reference is not None
        and reference.flag("diagnosis")
        and not (request.remark or "").strip()
    ):
        found.append(DIAGNOSIS_REMARK_REQUIRED())
    if request.remark is not None and len(request.remark) > MAX_REMARK:
        found.append(REMARK_TOO_LONG(length=len(request.remark)))
    if request.pavement_area is not None and request.pavement_area <= 0:
        found.append(PAVEMENT_NOT_POSITIVE(area=request.pavement_area))
    if not service_type.allows_property_in_field and locked_reference is not None:
        found.append(
            PROPERTY_IN_FIELD(
                property_id=order.property_id, reference=_month(locked_reference)
            )
        )
    if executed and order.reference_order_id is not None and _is_referring(reference):
        found += _return_violations(
            order, service_type, request, open_orders_of_request, new_type_reference
        )
    return tuple(found)


def _is_referring(reference: CatalogItem | None) -> bool:
    return reference is not None and (
        reference.flag("diagnosis") or reference.flag("inspection")
    )


def _month(reference: int) -> str:
    return f"{reference % 100:02d}/{reference // 100}"


def _closing_date(
    *,
    order: ServiceOrder,
    request: CloseRequest,
    today: date,
    generated_on: date,
    profile: UtilityProfile,
    has_permission: Mapping[str, bool],
) -> list[Violation]:
    closed_on = request.closed_on
    if closed_on is None:
        return [DATE_REQUIRED(field="Closing date", campo="Data de Encerramento")]
    found: list[Violation] = []
    if closed_on > today:
        found.append(CLOSING_DATE_IN_FUTURE(closed_on=closed_on, today=today))
    days = profile.service_orders.closing_days_back
    earliest = max(generated_on, today - timedelta(days=days))
    if closed_on < earliest:
        found.append(
            CLOSING_DATE_TOO_EARLY(
                closed_on=closed_on,
                earliest=earliest,
                generated_on=generated_on,
                days=days,
            )
        )
    selective = order.request_id is None and order.collection_document_id is None
    limit = today - timedelta(days=profile.service_orders.selective_closing_days_back)
    if (
        selective
        and closed_on < limit
        and not has_permission.get("close_order_before_today", False)
    ):
        found.append(
            SELECTIVE_CLOSING_DATE_TOO_EARLY(closed_on=closed_on, earliest=limit)
        )
    return found


def _return_violations(
    order: ServiceOrder,
    service_type: ServiceType,
    request: CloseRequest,
    open_orders_of_request: Iterable[ServiceOrder],
    new_type_reference: CatalogItem | None,
) -> list[Violation]:
    returned = request.return_type
    if returned is None:
        return [RETURN_TYPE_REQUIRED()]
    if not returned.flag("approval"):
        return []
    found: list[Violation] = []
    if service_type.pavement and request.pavement_area is None:
        found.append(PAVEMENT_REQUIRED(service_type_id=service_type.id))
    if returned.flag("changes_service"):
        new_type = request.new_service_type
        if new_type is None:
            found.append(NEW_SERVICE_TYPE_REQUIRED())
        else:
            for other in open_orders_of_request:
                if (
                    other.is_open
                    and other.service_type_id == new_type.id
                    and other.id != order.id
                ):
                    found.append(
                        NEW_SERVICE_TYPE_OPEN(
                            other_id=other.id,
                            service_type_id=new_type.id,
                            request_id=order.request_id,
                        )
                    )
                    break
            if new_type.reference_id is not None and new_type_reference is not None:
                found.append(
                    NEW_SERVICE_TYPE_HAS_REFERENCE(service_type_id=new_type.id)
                )
    return found


# ---------------------------------------------------------------- charges (COM-06..08)
def check_charge_request(
    charge: ChargeRequest,
    *,
    service_type: ServiceType,
    suggested_value: Decimal | None,
    max_installments: int,
    may_waive: bool,
    permission_id: int | None,
    non_charge_reasons: Iterable[int],
    reject_below_one: bool = False,
) -> tuple[Violation, ...]:
    """COM-06..COM-08 and DEB-05 for what the operator filled in (and, with
    ``reject_below_one``, GSAN's refusal of a value between 0 and 1)."""
    found: list[Violation] = []
    if charge.percentage not in CHARGE_PERCENTAGES:
        found.append(INVALID_PERCENTAGE(percentage=charge.percentage))
    if charge.installments < 1:
        found.append(INVALID_INSTALLMENTS(installments=charge.installments))
    elif charge.installments > max_installments:
        found.append(
            TOO_MANY_INSTALLMENTS(
                installments=charge.installments, maximum=max_installments
            )
        )
    special = (
        charge.non_charge_reason_id is not None
        or charge.percentage != 100
        or charge.installments > 1
    )
    if special and not may_waive:
        found.append(PERMISSION_REQUIRED_FOR_CHARGE(permission_id=permission_id))
    if (
        charge.non_charge_reason_id is not None
        and charge.non_charge_reason_id not in set(non_charge_reasons)
    ):
        found.append(UNKNOWN_NON_CHARGE_REASON(reason_id=charge.non_charge_reason_id))
    if charge.value is not None:
        if charge.value <= 0:
            found.append(INVALID_VALUE(value=charge.value))
        elif not service_type.value_editable and charge.value != suggested_value:
            found.append(VALUE_NOT_EDITABLE(service_type_id=service_type.id))
    amount = charge.value if charge.value is not None else suggested_value
    if reject_below_one and amount is not None and 0 < amount < 1:
        found.append(INVALID_VALUE(value=amount))
    return tuple(found)


# ---------------------------------------------------------------- commercial operation
def check_menu_path(
    order: ServiceOrder,
    *,
    reason: CatalogItem | None,
    today: date,
    variant: MenuVariant,
) -> tuple[Violation, ...]:
    """COM-01..COM-03: an operation run from the menu needs an OS already closed
    *as executed* (``"grace"``: or closed not executed within the reason's grace
    days) that did not update the commercial system yet (``"update"`` skips that
    last check, for the data-correction screens)."""
    if order.situation is not OrderSituation.CLOSED:
        return (MENU_ORDER_NOT_CLOSED(order_id=order.id),)
    found: list[Violation] = []
    executed = reason is not None and reason.flag("executed")
    if not executed:
        grace = None if reason is None else reason.integer("grace_days")
        closed_on = order.closed_at.date() if order.closed_at else None
        within = (
            variant == "grace"
            and grace is not None
            and closed_on is not None
            and closed_on + timedelta(days=grace) >= today
        )
        if not within:
            found.append(MENU_ORDER_NOT_EXECUTED(order_id=order.id))
    if variant != "update" and order.commercial_applied:
        found.append(COMMERCIAL_ALREADY_APPLIED(order_id=order.id))
    return tuple(found)


def check_type_matches(
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    operation: str,
    operation_title: str,
    profile: UtilityProfile,
    message: Message | None = None,
) -> tuple[Violation, ...]:
    """COM-04 (GSAN C-ST): the OS's type runs ``operation``, either because the type
    is linked to it (``servico_tipo_operacao``) or because the profile's role
    ``service_type.<operation>`` lists the type's id (GSAN's hard-coded fallback).

    ``message`` replaces the generic violation with the operation's own (GSAN has
    one message per operation, e.g. ``atencao.servico_associado_corte_ligacao_agua_invalida``);
    it receives the same parameters."""
    linked = service_type.operation == operation
    fallback = service_type.id in profile.ids(f"service_type.{operation}")
    if linked or fallback:
        return ()
    return (
        (message or WRONG_SERVICE_TYPE_FOR_OPERATION)(
            order_id=order.id,
            service_type_id=service_type.id,
            operation=operation_title,
        ),
    )


def check_charged_property(
    order: ServiceOrder, prop: Property | None
) -> tuple[Violation, ...]:
    """DEB-04: an OS whose service is charged has a property (its own or its RA's)."""
    if prop is None:
        return (CHARGED_ORDER_WITHOUT_PROPERTY(order_id=order.id),)
    return ()


def check_has_property(
    order: ServiceOrder, property_id: int | None
) -> tuple[Violation, ...]:
    """COM-05 (first part): the OS has a property, its own or its RA's."""
    if property_id is None:
        return (ORDER_WITHOUT_PROPERTY(order_id=order.id),)
    return ()


# ---------------------------------------------------------------- execution data
def check_execution(
    activities: Sequence[ExecutedActivity],
    *,
    service_type: ServiceType,
    generated_on: date,
    closed_on: date | None,
    known_activities: Mapping[int, CatalogItem],
    teams: Mapping[int, Team],
    materials: Mapping[int, CatalogItem],
    kits: Mapping[int, MaterialKit],
) -> tuple[Violation, ...]:
    """EXE-01..EXE-03 for the execution data of an OS being closed: periods dated
    between generation and closing, ending after they start, by existing active
    teams; activities of the type (when it lists them), materials and kits that
    exist, with positive quantities."""
    found: list[Violation] = []
    seen: set[int] = set()
    for activity in activities:
        ident = activity.activity_id
        item = known_activities.get(ident)
        if (
            item is None
            or not item.active
            or (service_type.activity_ids and ident not in service_type.activity_ids)
        ):
            found.append(
                EXECUTION_UNKNOWN_ACTIVITY(
                    activity_id=ident, service_type_id=service_type.id
                )
            )
        if ident in seen:
            found.append(EXECUTION_ACTIVITY_REPEATED(activity_id=ident))
        seen.add(ident)
        for period in activity.periods:
            last = closed_on if closed_on is not None else period.on
            if not generated_on <= period.on <= last:
                found.append(
                    EXECUTION_DATE_OUT_OF_RANGE(
                        activity_id=ident,
                        on=period.on,
                        generated_on=generated_on,
                        closed_on=closed_on,
                    )
                )
            if period.end < period.start:
                found.append(
                    EXECUTION_END_BEFORE_START(
                        activity_id=ident,
                        on=period.on,
                        start=period.start,
                        end=period.end,
                    )
                )
            if not period.team_ids:
                found.append(EXECUTION_TEAM_REQUIRED(activity_id=ident, on=period.on))
            for team_id in period.team_ids:
                team = teams.get(team_id)
                if team is None or not team.active:
                    found.append(EXECUTION_UNKNOWN_TEAM(team_id=team_id))
        for used in activity.materials:
            material = materials.get(used.material_id)
            if material is None or not material.active:
                found.append(
                    REFERENCE_MISSING(
                        field="Material", campo="Material", value=used.material_id
                    )
                )
            if used.quantity <= 0:
                found.append(
                    QUANTITY_NOT_POSITIVE(
                        what="material",
                        oque="material",
                        item_id=used.material_id,
                        quantity=used.quantity,
                    )
                )
        for kit_used in activity.kits:
            kit = kits.get(kit_used.kit_id)
            if kit is None or not kit.active:
                found.append(
                    REFERENCE_MISSING(
                        field="Material kit",
                        campo="Kit de Material",
                        value=kit_used.kit_id,
                    )
                )
            if kit_used.quantity <= 0:
                found.append(
                    QUANTITY_NOT_POSITIVE(
                        what="kit",
                        oque="kit",
                        item_id=kit_used.kit_id,
                        quantity=kit_used.quantity,
                    )
                )
    return tuple(found)


# ---------------------------------------------------------------- other origins
def check_collection_unit(prop: Property, unit_id: int | None) -> tuple[Violation, ...]:
    """GEN-10: an OS generated by a collection action needs the unit mapped to the
    property's locality."""
    if unit_id is None:
        return (
            NO_UNIT_FOR_LOCALITY(locality_id=prop.locality_id, property_id=prop.id),
        )
    return ()


def check_property_uniqueness(
    *,
    enabled: bool,
    property_id: int | None,
    service_type_id: int,
    open_orders_of_property: Iterable[ServiceOrder],
) -> tuple[Violation, ...]:
    """The profile option ``one_open_order_per_property_type``: GEN-05 applied to
    the property instead of the RA (off in GSAN, see ``docs/profiles.md``)."""
    if not enabled or property_id is None:
        return ()
    for other in open_orders_of_property:
        if other.is_open and other.service_type_id == service_type_id:
            return (
                OPEN_ORDER_FOR_PROPERTY(
                    other_id=other.id,
                    service_type_id=service_type_id,
                    property_id=property_id,
                ),
            )
    return ()


def bills_in_period(
    debts: Iterable[OpenDebt],
    *,
    reference_from: int | None = None,
    reference_to: int | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
) -> list[OpenDebt]:
    """The unpaid bills among ``debts`` whose reference month (``yyyymm``) and due
    date fall in the given bounds (an absent bound does not filter)."""
    found: list[OpenDebt] = []
    for debt in debts:
        if debt.kind is not DebtKind.BILL:
            continue
        reference = debt.reference
        if reference is not None and (
            (reference_from is not None and reference < reference_from)
            or (reference_to is not None and reference > reference_to)
        ):
            continue
        due = debt.due_date
        if due is not None and (
            (due_from is not None and due < due_from)
            or (due_to is not None and due > due_to)
        ):
            continue
        found.append(debt)
    return found


def check_cut_order(
    prop: Property,
    *,
    allowed_water_statuses: frozenset[int],
    service_type: ServiceType | None,
    bills: Sequence[OpenDebt],
    requires_notice: bool,
    notice_document_id: int | None,
) -> tuple[Violation, ...]:
    """GEN-12, GEN-14..GEN-16 of "Gerar Ordem de Corte" (GEN-13, an open cut
    order, is not a refusal: the existing order is emitted again)."""
    found: list[Violation] = []
    if service_type is None or not service_type.active:
        found.append(CUT_ORDER_TYPE_MISSING())
    if prop.water_status_id not in allowed_water_statuses:
        found.append(
            CUT_ORDER_WATER_STATUS(
                property_id=prop.id, water_status_id=prop.water_status_id
            )
        )
    if not bills:
        found.append(CUT_ORDER_NO_DEBTS(property_id=prop.id))
    if requires_notice and notice_document_id is None:
        found.append(CUT_ORDER_NO_NOTICE(property_id=prop.id))
    return tuple(found)


# ---------------------------------------------------------------- overdue orders
def overdue_cutoff(today: date, *, days: int, extra_days: int) -> date:
    """VEN-02: orders generated on or before this date are overdue."""
    return today - timedelta(days=days + extra_days)


def check_overdue_request(
    *,
    service_type: ServiceType | None,
    service_type_id: int,
    days: int,
    closable: frozenset[int],
) -> tuple[Violation, ...]:
    """VEN-01: only the types of role ``service_type.overdue_closable`` (GSAN 304,
    310, 458), active; the number of days a positive integer."""
    found: list[Violation] = []
    if (
        service_type is None
        or not service_type.active
        or service_type_id not in closable
    ):
        found.append(
            OVERDUE_TYPE_NOT_ALLOWED(
                service_type_id=service_type_id,
                allowed=", ".join(str(i) for i in sorted(closable)) or "none",
            )
        )
    if days <= 0:
        found.append(OVERDUE_DAYS_INVALID(days=days))
    return tuple(found)
