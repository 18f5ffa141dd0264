"""Rules of the service-request (RA) lifecycle.

The lifecycle is data: :data:`TRANSITIONS` maps ``(situation, action)`` to the
situation after. Numbered rules (``domain/service-requests.md`` §3): INS-01..25
(opening), UPD-01..07 (the place of the occurrence), TRM-01..15 (forwarding, in
GSAN's order, first failure only), ENC-01..15 (closing), REA-01..06
(reactivation), REI-01..04 (reiteration), CMD-01..07 (batch closing command),
NUM-01..07 (manual numbering), SIMP-01..07 (simplified requests and operational
occurrences), SAT-01..04 (satisfaction survey) and ARG-01..07 (regulatory agency).

Routing, deadlines and AUTH-01 are in :mod:`gsan_core.rules.request_routing`; the
configuration rules (CFG-01..08) in :mod:`gsan_core.rules.request_configuration`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Final

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.profile import ServiceRequestParameters
from gsan_core.model.properties import Property
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.model.service_requests import (
    ClosingCommand,
    OpenRequest,
    OperationalOccurrence,
    PropertySituationProfile,
    RequestAction,
    Requester,
    RequestLocation,
    RequestSituation,
    RequestSpecification,
    RoutingStep,
    ServiceRequest,
    SimplifiedKind,
    SituationCriterion,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.request_routing import dispatch_centre, is_authorised

__all__ = [
    "CLOSING_REMARK_MAX",
    "DEFAULT_OPENING_REMARK",
    "TRANSITIONS",
    "CloseFacts",
    "ForwardFacts",
    "OpeningFacts",
    "check_close",
    "check_closing_command",
    "check_destination",
    "check_digit",
    "check_forward",
    "check_location_change",
    "check_manual_generation",
    "check_manual_number",
    "check_occurrence",
    "check_open",
    "check_reactivate",
    "check_regulator_record",
    "check_regulator_return",
    "check_reiterate",
    "check_simplified",
    "check_survey",
    "check_text",
    "commands_overlap",
    "format_manual_number",
    "opening_warnings",
    "parse_manual_number",
    "property_matches",
    "situation_on_open",
    "transition",
    "valid_cpf",
    "with_check_digit",
]

P, C, B = RequestSituation.PENDING, RequestSituation.CLOSED, RequestSituation.BLOCKED

#: ``(situation before, action) -> situation after``; ``None`` before = a new RA.
#: A closed request never changes: reactivating it opens a new one.
TRANSITIONS: Mapping[
    tuple[RequestSituation | None, RequestAction], RequestSituation
] = {
    (None, RequestAction.OPEN): P,
    (None, RequestAction.OPEN_WITHOUT_ADDRESS): B,
    (P, RequestAction.FORWARD): P,
    (P, RequestAction.REITERATE): P,
    (P, RequestAction.INFORM_ADDRESS): P,
    (B, RequestAction.INFORM_ADDRESS): P,
    (P, RequestAction.REMOVE_ADDRESS): B,
    (B, RequestAction.REMOVE_ADDRESS): B,
    (P, RequestAction.CLOSE): C,
    (B, RequestAction.CLOSE): C,
    (C, RequestAction.REACTIVATE): C,
}

OBSERVATION_MAX: Final = 400
CLOSING_REMARK_MAX: Final = 400
ROUTING_REMARK_MAX: Final = 400
REACTIVATION_TEXT_MAX: Final = 200
#: ``parecer`` of the opening step when the user typed none (§2.4).
DEFAULT_OPENING_REMARK: Final = (
    "TRAMITE GERADO PELO SISTEMA NA ABERTURA DO REGISTRO DE ATENDIMENTO"
)


def transition(
    situation: RequestSituation | None, action: RequestAction
) -> RequestSituation | None:
    """The situation after ``action``, or ``None`` when not allowed."""
    return TRANSITIONS.get((situation, action))


# ================================================================= messages
def _m(code: str, en: str, pt: str, rule: str, key: str | None = None) -> Message:
    return Message(code, en=en, pt=pt, gsan_key=key, rule=rule)


_REQUIRED = "atencao.required"
_UNKNOWN = "atencao.label_inexistente"

# ---------------------------------------------------------------- opening, INS
UNKNOWN_SPECIFICATION = _m(
    "service_request.open.unknown_specification",
    "Specification {specification_id} does not exist, is inactive or is reserved for the system.",
    "Tipo de Especificação {specification_id} inexistente.",
    "INS-01",
    "atencao.tipo_especificacao.inexistente",
)
OPEN_FIELD_REQUIRED = _m(
    "service_request.open.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "INS-01",
    _REQUIRED,
)
UNKNOWN_CHANNEL = _m(
    "service_request.open.unknown_channel",
    "Request channel {channel_id} does not exist or is inactive.",
    "Meio de Solicitação {channel_id} inexistente.",
    "INS-01",
    _UNKNOWN,
)
ATTENDANCE_DATE_IN_FUTURE = _m(
    "service_request.open.date_in_future",
    "The attendance date {attended_on} is after today ({today}).",
    "Data do atendimento {attended_on} posterior à data corrente ({today}).",
    "INS-02",
    "atencao.data_atendimento_posterior_data_corrente",
)
ATTENDANCE_TIME_IN_FUTURE = _m(
    "service_request.open.time_in_future",
    "The attendance time {attended_at} is after now ({now}).",
    "Hora do atendimento {attended_at} posterior à hora corrente ({now}).",
    "INS-02",
    "atencao.hora_atendimento_posterior_hora_corrente",
)
WAIT_IN_FUTURE = _m(
    "service_request.open.wait_in_future",
    "The waiting time cannot end after now.",
    "Tempo de espera posterior à hora corrente.",
    "INS-03",
    "atencao.tempo_espera_atendimento_posterior_hora_corrente",
)
WAIT_END_BEFORE_START = _m(
    "service_request.open.wait_end_before_start",
    "The waiting time ends before it starts.",
    "Tempo de Espera Final para Atendimento é anterior ao Tempo de Espera Inicial.",
    "INS-03",
    "atencao.tempo_espera_final_anterior_tempo_espera_final_registro_atendimento",
)
UNKNOWN_ATTENDANCE_UNIT = _m(
    "service_request.open.unknown_unit",
    "Attendance unit {unit_id} does not exist or is inactive.",
    "Unidade de Atendimento {unit_id} inexistente.",
    "INS-04",
    _UNKNOWN,
)
UNIT_CANNOT_OPEN = _m(
    "service_request.open.unit_cannot_open",
    "Unit {unit_id} is not allowed to open service requests.",
    "A unidade {unit_id} não tem autorização para efetuar a abertura de registro de atendimento.",
    "INS-04",
    "atencao.unidade_organizacional_nao_autorizada_registro_atendimento",
)
OBSERVATION_REQUIRED = _m(
    "service_request.open.observation_required",
    "The observation is required for an automatically closed specification.",
    "Observação é obrigatório(a).",
    "INS-06",
    _REQUIRED,
)
TEXT_TOO_LONG = _m(
    "service_request.text_too_long",
    "{field} has {length} characters; at most {max_length} are allowed.",
    "{campo} excedeu o limite de {max_length} caracteres ({length}).",
    "INS-06",
    "atencao.execedeu_limit_observacao",
)
LOCATION_REQUIRED = _m(
    "service_request.open.location_required",
    "Give the place of the occurrence: structured data or a description.",
    "Informe a descrição ou os dados do local da ocorrência.",
    "INS-07",
    "atencao.informar_descricao_ou_dados_local_ocorrencia",
)
LOCATION_FIELD_REQUIRED = _m(
    "service_request.open.location_field_required",
    "{field} is required for this specification.",
    "{campo} é obrigatório(a).",
    "INS-08",
    _REQUIRED,
)
UNKNOWN_PLACE = _m(
    "service_request.open.unknown_place",
    "{field} {value} does not exist or does not match the place.",
    "{campo} {value} inexistente.",
    "INS-08",
    _UNKNOWN,
)
DUPLICATE_PENDING = _m(
    "service_request.open.duplicate",
    "Service request {other_id} of specification {specification} is pending for property {property_id}.",
    "Existe um Registro de Atendimento de {specification} de número {other_id} pendente para o imóvel {property_id}.",
    "INS-09",
    "atencao.imovel_ja_possui_ra_com_mesma_especificacao",
)
OTHER_PENDING_ON_PROPERTY = _m(
    "service_request.open.other_pending",
    "Property {property_id} has pending service requests: {others}.",
    "Existe RA pendente para o imóvel {property_id}: {others}.",
    "INS-09b",
)
SAME_SPECIFICATION_AT_ADDRESS = _m(
    "service_request.open.same_address",
    "Pending requests of the same specification at this address: {others}.",
    "Existem RA pendentes da mesma especificação neste endereço: {others}.",
    "INS-09b",
)
RECENTLY_CLOSED = _m(
    "service_request.open.recently_closed",
    "Requests of the same specification closed in the last {days} days here: {others}.",
    "RA da mesma especificação encerrados nos últimos {days} dias neste local: {others}.",
    "INS-09b",
)
PENDING_INDIVIDUAL_OUTAGES = _m(
    "service_request.open.pending_individual_outages",
    "Area {area_id} has pending individual outage requests: {others}.",
    "A área {area_id} possui RA de falta de água individual pendentes: {others}.",
    "INS-23",
)
GENERAL_OUTAGE_OPEN = _m(
    "service_request.open.general_outage_open",
    "A general outage request is open for area {area_id}: {others}.",
    "Existe RA de falta de água generalizada para a área {area_id}: {others}.",
    "INS-23",
)
SITUATION_MISMATCH = _m(
    "service_request.open.situation_mismatch",
    "The situation of property {property_id} (water {water_status_id}, sewer {sewer_status_id}) does not allow specification {specification}.",
    "A situação do imóvel {property_id} não permite a abertura de registro de atendimento de {specification}.",
    "INS-10",
    "atencao.imovel_especificacao_correspondencia_invalida",
)
DIVISION_INCOMPATIBLE = _m(
    "service_request.open.division_incompatible",
    "Sewer division {division_id} does not serve the block, sector or locality given.",
    "Divisão de esgoto {division_id} não compatível com a localidade, setor ou quadra.",
    "INS-11",
    "atencao.divisao_esgoto_nao_compativel_com_localidade_setor_quadra",
)
PROPERTY_WITH_DEBTS = _m(
    "service_request.open.property_with_debts",
    "Property {property_id} has open debts.",
    "O imóvel {property_id} possui débitos.",
    "INS-12",
    "atencao.imovel_com_debitos",
)
DUE_DATE_CHANGED_RECENTLY = _m(
    "service_request.open.due_date_changed_recently",
    "The due date of property {property_id} changed on {changed_on}, less than {months} months ago.",
    "O vencimento do imóvel {property_id} foi alterado em {changed_on}, há menos de {months} meses.",
    "INS-13",
    "atencao.imovel.vencimento.alterado",
)
DUPLICATE_PAYMENT_REQUIRED = _m(
    "service_request.open.duplicate_payment_required",
    "Link at least one duplicated payment.",
    "Pagamento em duplicidade é obrigatório(a).",
    "INS-14",
    _REQUIRED,
)
SUBMITTED_TWICE = _m(
    "service_request.open.submitted_twice",
    "This opening was already done: service request {other_id}.",
    "O sistema detectou um procedimento indevido. O RA {other_id} foi incluído.",
    "INS-21",
    "atencao.registro_atendimento_insercao_ja_realizada",
)
REQUESTER_MISSING = _m(
    "service_request.open.requester_missing",
    "Give the requester: a customer, a unit with its employee, or a name.",
    "Dados do solicitante não informados.",
    "INS-18",
    "atencao.dados_solicitante_nao_informado",
)
REQUESTER_FIELD_REQUIRED = _m(
    "service_request.open.requester_field_required",
    "{field} of the requester is required.",
    "{campo} do solicitante é obrigatório(a).",
    "INS-18",
    _REQUIRED,
)
UNKNOWN_REQUESTER_UNIT = _m(
    "service_request.open.unknown_requester_unit",
    "{field} {value} does not exist or is inactive.",
    "{campo} {value} inexistente.",
    "INS-18",
    _UNKNOWN,
)
CUSTOMER_WITHOUT_DOCUMENT = _m(
    "service_request.open.customer_without_document",
    "Customer {customer_id} has no CPF/CNPJ.",
    "Cliente {customer_id} sem CPF/CNPJ.",
    "INS-19",
    "atencao.cliente_sem_documento",
)
PROPERTY_WITHOUT_RESPONSIBLE = _m(
    "service_request.open.property_without_responsible",
    "Property {property_id} has no responsible customer.",
    "Imóvel {property_id} sem cliente responsável.",
    "INS-19",
    "atencao.imovel_sem_cliente_responsavel",
)
RESPONSIBLE_WITHOUT_DOCUMENT = _m(
    "service_request.open.responsible_without_document",
    "The responsible customer of property {property_id} has no CPF/CNPJ.",
    "O cliente responsável do imóvel {property_id} não possui CPF/CNPJ.",
    "INS-19",
    "atencao.imovel_sem_cliente_responsavel_valido",
)
SURVEY_EMAIL_REQUIRED = _m(
    "service_request.open.survey_email_required",
    "A requester who wants the satisfaction survey must give an e-mail.",
    "E-mail é obrigatório(a).",
    "SAT-01",
    _REQUIRED,
)
UNKNOWN_DESTINATION = _m(
    "service_request.destination.unknown",
    "Destination unit {unit_id} does not exist.",
    "Unidade de destino {unit_id} inexistente.",
    "INS-17",
    _UNKNOWN,
)
DESTINATION_NOT_ROUTABLE = _m(
    "service_request.destination.not_routable",
    "Unit {unit_id} does not receive service requests.",
    "Não é possível encaminhar para a unidade de destino {unit_id}.",
    "INS-17",
    "atencao.unidade_destino_nao_possivel_encaminhamento",
)
DESTINATION_INACTIVE = _m(
    "service_request.destination.inactive",
    "Destination unit {unit_id} is inactive.",
    "Unidade de destino {unit_id} inativa.",
    "INS-17",
    "atencao.unidade_destino_inativa",
)

# ---------------------------------------------------------------- numbering, NUM
MANUAL_QUANTITY_OVER_LIMIT = _m(
    "service_request.manual.quantity_over_limit",
    "{quantity} manual numbers asked; at most {limit} at a time.",
    "Quantidade informada ultrapassa o valor limite que é de {limit}.",
    "NUM-01",
    "atencao.registro_atendimento_geracao_manual_limite_quantidade_superior",
)
MANUAL_QUANTITY_INVALID = _m(
    "service_request.manual.quantity_invalid",
    "The quantity of manual numbers must be at least 1 (got {quantity}).",
    "Quantidade inválida ({quantity}).",
    "NUM-01",
    "atencao.campo.invalido",
)
MANUAL_UNKNOWN_UNIT = _m(
    "service_request.manual.unknown_unit",
    "Unit {unit_id} does not exist or is inactive.",
    "Unidade {unit_id} inexistente.",
    "NUM-02",
    _UNKNOWN,
)
MANUAL_NOT_NUMERIC = _m(
    "service_request.manual.not_numeric",
    "The manual number {value!r} accepts digits only.",
    "O campo Número Manual aceita apenas números.",
    "NUM-04",
    "atencao.campo_aceita_apenas_numero",
)
MANUAL_TOO_SHORT = _m(
    "service_request.manual.too_short",
    "The manual number needs at least 2 digits (number + check digit).",
    "Informe um número com no mínimo 2 posições (Número + Dígito Verificador) no campo Número Manual.",
    "NUM-04",
    "atencao.numero_ra_manual_obrigatorio_numero_digito",
)
MANUAL_NOT_ISSUED = _m(
    "service_request.manual.not_issued",
    "Manual number {number} was never issued (the last one is {last}).",
    "Numeração de RA manual {number} superior à última gerada ({last}).",
    "NUM-05",
    "atencao.numeracao_ra_manual_superior",
)
MANUAL_WRONG_DIGIT = _m(
    "service_request.manual.wrong_digit",
    "The check digit of manual number {number} is {expected}, not {given}.",
    "Dígito verificador da numeração de RA manual {number} inválido.",
    "NUM-06",
    "atencao.numeracao_ra_manual_digito_invalido",
)
MANUAL_ALREADY_USED = _m(
    "service_request.manual.already_used",
    "Manual number {manual} is already used by service request {other_id}.",
    "Numeração de RA manual {manual} já informada no RA {other_id}.",
    "NUM-07",
    "atencao.numeracao_ra_manual_ja_informado",
)

# ---------------------------------------------------------------- forwarding, TRM
FORWARD_CLOSED_OR_BLOCKED = _m(
    "service_request.forward.closed_or_blocked",
    "Service request {request_id} is closed or blocked: it cannot be forwarded.",
    "Este RA já está encerrado ou bloqueado. Não é possível tramitá-lo.",
    "TRM-01",
    "atencao.tramitar_ra_situacao_bloqueado_encerrado",
)
FORWARD_ORDER_IN_EXECUTION = _m(
    "service_request.forward.order_in_execution",
    "Order {order_id} of the request is in execution.",
    "Existe OS pendente em andamento para este RA. O Trâmite não pode ser realizado.",
    "TRM-02",
    "atencao.tramitar_ra_os_em_andamento",
)
FORWARD_ORDER_AWAITING = _m(
    "service_request.forward.order_awaiting_reference",
    "Order {order_id} of the request waits for its reference order.",
    "Existe OS pendente aguardando retorno da OS de Referência para este RA. Número da OS de referência {order_id}.",
    "TRM-03",
    "atencao.tramitar_ra_os_referencia",
)
FORWARD_ORDER_SCHEDULED = _m(
    "service_request.forward.order_scheduled",
    "Pending order {order_id} of the request is scheduled.",
    "Existe OS programada para este RA. O Trâmite não pode ser realizado.",
    "TRM-03b",
    "atencao.tramitar_ra_os_programada",
)
FORWARD_NOT_AUTHORISED = _m(
    "service_request.forward.not_authorised",
    "Service request {request_id} is in unit {unit_id}: you may not forward it.",
    "Este R.A. é de outra Unidade Organizacional. Trâmite não autorizado.",
    "TRM-04",
    "atencao.tramitar_ra_tarifa_social",
)
FORWARD_DATE_IN_FUTURE = _m(
    "service_request.forward.date_in_future",
    "The routing date {on} is after today ({today}).",
    "Data de Tramitação deve ser anterior ou igual a {today}.",
    "TRM-05",
    "atencao.tramitar_ra_data_maior_que_atual",
)
FORWARD_TIME_IN_FUTURE = _m(
    "service_request.forward.time_in_future",
    "The routing time {at} is after now ({now}).",
    "Hora de Tramitação deve ser anterior ou igual a {now}.",
    "TRM-05",
    "atencao.tramitar_ra_hora_maior_que_atual",
)
FORWARD_SAME_UNIT = _m(
    "service_request.forward.same_unit",
    "The destination is the request's current unit ({unit_id}).",
    "A Unidade de Destino não pode ser igual à Unidade de Origem.",
    "TRM-06",
    "atencao.tramitar_ra_unidade_origem_destino_iguais",
)
FORWARD_DESTINATION_NOT_ROUTABLE = _m(
    "service_request.forward.destination_not_routable",
    "Unit {unit_id} does not receive service requests.",
    "Unidade de Destino não autorizada a receber este RA. Trâmite não autorizado.",
    "TRM-07",
    "atencao.tramitar_ra_unidade_destino_tramite",
)
FORWARD_DESTINATION_INACTIVE = _m(
    "service_request.forward.destination_inactive",
    "Destination unit {unit_id} is inactive.",
    "Unidade de destino {unit_id} inativa.",
    "TRM-08",
    "atencao.unidade_destino_inativa",
)
FORWARD_UNKNOWN_DESTINATION = _m(
    "service_request.forward.unknown_destination",
    "Destination unit {unit_id} does not exist.",
    "Unidade de destino {unit_id} inexistente.",
    "TRM-08",
    _UNKNOWN,
)
FORWARD_CONTRACTOR_FROM_CENTRE_ONLY = _m(
    "service_request.forward.contractor_from_centre_only",
    "Only a dispatch centre may forward requests to a contractor.",
    "Só as unidades centralizadoras podem encaminhar RA para terceiros.",
    "TRM-09",
    "atencao.tramitar_ra_unidade_centralizadora",
)
FORWARD_NO_CONTRACTOR_ORDER = _m(
    "service_request.forward.no_contractor_order",
    "Service request {request_id} has no pending order for a contractor.",
    "RA {request_id} sem OS para firma. Trâmite não pode ser realizado.",
    "TRM-10",
    "atencao.tramitar_ra_os_possui_terceiros",
)
FORWARD_WRONG_CENTRE = _m(
    "service_request.forward.wrong_dispatch_centre",
    "The place of service request {request_id} does not belong to dispatch centre {unit_id}.",
    "O local do RA não pertence a esta Central. Trâmite não pode ser realizado.",
    "TRM-11",
    "atencao.tramitar_ra_unidade_origem_central",
)
FORWARD_CONTRACTOR_USER = _m(
    "service_request.forward.contractor_user",
    "A request in contractor unit {unit_id} leaves it only by the contractor or automatically.",
    "Os registros que se encontram nas terceirizadas só poderão sofrer trâmite automático, após o encerramento das ordens.",
    "TRM-12",
    "atencao.tramitar_ra_unidade_usuario",
)
FORWARD_MANY_PENDING_ORDERS = _m(
    "service_request.forward.many_pending_orders",
    "Service request {request_id} has more than one pending order.",
    'O RA {request_id} possui MAIS DE UMA ordem se serviço "PENDENTE" associada.',
    "TRM-13",
    "atencao.tramitar_ra_possui_mais_de_uma_os_pensente",
)
FORWARD_SAME_INSTANT = _m(
    "service_request.forward.same_instant",
    "Service request {request_id} already has a routing step at {at}.",
    "Já existe Tramite para o dia e hora informado.",
    "TRM-14",
    "atencao.tramite_existente_dia_hora_informada",
)
FORWARD_BEFORE_LAST_STEP = _m(
    "service_request.forward.before_last_step",
    "The routing instant {at} is before the request's last step ({last_at}).",
    "A data do trâmite {at} é anterior à do último trâmite ({last_at}).",
    "TRM-16",
)
FORWARD_CONCURRENT = _m(
    "service_request.forward.concurrent",
    "Service request {request_id} changed since it was read (version {expected}, now {actual}).",
    "Este RA foi atualizado por outro usuário. Não foi possível efetuar a tramitação.",
    "TRM-15",
    "atencao.tramitar_ra_usuario_concorrente",
)

# ---------------------------------------------------------------- closing, ENC
CLOSE_NOT_AUTHORISED = _m(
    "service_request.close.not_authorised",
    "Service request {request_id} belongs to unit {unit_id}: you may not close it.",
    "Este RA pertence à unidade {unit_id}. Não é possível encerrá-lo.",
    "ENC-01",
    "atencao.encerrar_ra_nao_tarifa_social",
)
CLOSE_ALREADY_CLOSED = _m(
    "service_request.close.already_closed",
    "Service request {request_id} is already closed.",
    "O Registro de Atendimento {request_id} está ENCERRADO. Não é possível encerrá-lo novamente.",
    "ENC-02",
    "atencao.encerrar_ra_ja_encerrado",
)
CLOSE_ORDER_SCHEDULED = _m(
    "service_request.close.order_scheduled",
    "Order {order_id} of service request {request_id} is scheduled.",
    "Existe Ordem de Serviço programada para o Registro de Atendimento {request_id}. Não é possível encerrá-lo.",
    "ENC-03",
    "atencao.encerrar_ra_existe_os_programada",
)
CLOSE_FIELD_REQUIRED = _m(
    "service_request.close.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "ENC-04",
    _REQUIRED,
)
CLOSE_UNKNOWN_REASON = _m(
    "service_request.close.unknown_reason",
    "Closing reason {reason_id} does not exist or is inactive.",
    "Motivo de encerramento {reason_id} inexistente.",
    "ENC-04",
    "atencao.pesquisa_inexistente",
)
CLOSE_REFERENCE_REQUIRED = _m(
    "service_request.close.reference_required",
    "A duplicate closing needs the reference service request.",
    "RA de Referência é obrigatório(a).",
    "ENC-05",
    _REQUIRED,
)
CLOSE_REFERENCE_ITSELF = _m(
    "service_request.close.reference_itself",
    "The reference request cannot be the request being closed.",
    "O RA Referência não pode ser o RA que está sendo encerrado.",
    "ENC-05",
    "atencao.encerrar_ra_referencia_igual_ra",
)
CLOSE_REFERENCE_UNKNOWN = _m(
    "service_request.close.reference_unknown",
    "Reference service request {reference_id} does not exist.",
    "RA de Referência inexistente. Informe outro.",
    "ENC-05",
    "atencao.encerrar_ra_referencia_inexistente",
)
CLOSE_REFERENCE_CLOSED = _m(
    "service_request.close.reference_closed",
    "Reference service request {reference_id} is closed.",
    "O RA de Referência está encerrado. Informe outro.",
    "ENC-05",
    "atencao.encerrar_ra_referencia_ja_encerrado",
)
CLOSE_REFERENCE_NOT_ALLOWED = _m(
    "service_request.close.reference_not_allowed",
    "Closing reason {reason_id} is not a duplicate: give no reference request.",
    "O motivo {reason_id} não é de duplicidade: não informe RA de referência.",
    "ENC-05",
)
CLOSE_DATE_IN_FUTURE = _m(
    "service_request.close.date_in_future",
    "The closing date {on} is after today ({today}).",
    "Data do Encerramento deve ser anterior ou igual a {today}.",
    "ENC-06",
    "atencao.encerrar_ra_data_encerramento_anterior_data_corrente",
)
CLOSE_TIME_IN_FUTURE = _m(
    "service_request.close.time_in_future",
    "The closing time {at} is after now ({now}).",
    "Hora do Encerramento deve ser anterior ou igual a {now}.",
    "ENC-06",
    "atencao.encerrar_ra_hora_encerramento_anterior_hora_corrente",
)
CLOSE_DATE_BEFORE_ATTENDANCE = _m(
    "service_request.close.date_before_attendance",
    "The closing date {on} is before the attendance ({attended_on}).",
    "Data do Encerramento deve ser posterior ou igual a {attended_on}.",
    "ENC-06",
    "atencao.encerrar_ra_data_encerramento_posterior_data_atendimento",
)
CLOSE_TIME_BEFORE_ATTENDANCE = _m(
    "service_request.close.time_before_attendance",
    "The closing time {at} is before the attendance ({attended_at}).",
    "Hora do Encerramento deve ser posterior a {attended_at}.",
    "ENC-06",
    "atencao.encerrar_ra_hora_encerramento_posterior_hora_atendimento",
)
CLOSE_DATE_BEFORE_ORDERS = _m(
    "service_request.close.date_before_orders",
    "The closing date {on} is before the last order closing ({last_on}).",
    "Data do Encerramento deve ser posterior ou igual a {last_on}.",
    "ENC-06",
    "atencao.encerrar_ra_data_encerramento_posterior_maior_data_encerramento_os",
)
CLOSE_TIME_BEFORE_ORDERS = _m(
    "service_request.close.time_before_orders",
    "The closing time {at} is before the last order closing ({last_at}).",
    "Hora do Encerramento deve ser posterior a {last_at}.",
    "ENC-06",
    "atencao.encerrar_ra_hora_encerramento_posterior_hora_maior_data_encerramento_os",
)
CLOSE_CONCURRENT = _m(
    "service_request.close.concurrent",
    "Service request {request_id} changed since it was read (version {expected}, now {actual}).",
    "Este RA foi atualizado por outro usuário. Não foi possível encerrar o registro de atendimento.",
    "ENC-07",
    "atencao.encerrar_ra_usuario_concorrente",
)
CLOSE_EXECUTED_WITH_OPEN_ORDERS = _m(
    "service_request.close.open_orders",
    "Service request {request_id} has open orders ({orders}): it cannot be closed as executed.",
    "Não pode ser encerrado por execução, pois tem OS pendentes.",
    "ENC-08",
    "atencao.indicador_execucao_nao",
)

# ---------------------------------------------------------------- reactivation, REA
REACTIVATE_NOT_AUTHORISED = _m(
    "service_request.reactivate.not_authorised",
    "You may not maintain requests of unit {unit_id}.",
    "Este RA foi aberto pela unidade {unit_id}. Não é possível reativá-lo.",
    "REA-01",
    "atencao.unidade_nao_autorizada",
)
REACTIVATE_NOT_CLOSED = _m(
    "service_request.reactivate.not_closed",
    "Service request {request_id} is {situation}: only a closed request can be reactivated.",
    "O Registro de Atendimento {request_id} está {situacao}. Não é possível reativá-lo.",
    "REA-02",
    "atencao.ra_nao_encerrado",
)
REACTIVATE_DUPLICATE = _m(
    "service_request.reactivate.duplicate",
    "Service request {request_id} was closed as a duplicate of {reference_id}.",
    "O Registro de Atendimento {request_id} é uma duplicidade do Registro de Atendimento {reference_id}. Não é possível reativá-lo.",
    "REA-03",
    "atencao.ra_duplicidade",
)
REACTIVATE_ALREADY = _m(
    "service_request.reactivate.already",
    "Service request {request_id} was already reactivated; the current one is {current_id}.",
    "O Registro de Atendimento {request_id} já foi reativado. O Registro de Atendimento Atual é o de número {current_id}.",
    "REA-04",
    "atencao.ra_reativado",
)
REACTIVATE_REMARK_REQUIRED = _m(
    "service_request.reactivate.remark_required",
    "Give a remark for the chosen destination unit.",
    "Informe o parecer para a unidade de destino selecionada.",
    "REA-05",
    "atencao.informe_parecer_unidade_destino_selecionada",
)
REACTIVATE_FIELD_REQUIRED = _m(
    "service_request.reactivate.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "REA-05",
    _REQUIRED,
)

# ---------------------------------------------------------------- reiteration, REI
REITERATE_CLOSED_OR_BLOCKED = _m(
    "service_request.reiterate.closed_or_blocked",
    "Service request {request_id} is closed or blocked: it cannot be reiterated.",
    "Este R.A. já está encerrado ou bloqueado. Não é possível reiterá-lo.",
    "REI-01",
    "atencao.registro_atendimento.cancelado_bloqueado",
)
REITERATE_NOT_DUE = _m(
    "service_request.reiterate.not_due",
    "Service request {request_id} is due on {due_on}: it cannot be reiterated before.",
    "Prazo previsto para o atendimento ainda não expirou. Não é possível reiterá-lo.",
    "REI-02",
    "atencao.registro_atendimento.prazo_nao_expirado",
)
REITERATE_NOT_AUTHORISED = _m(
    "service_request.reiterate.not_authorised",
    "Service request {request_id} is in unit {unit_id}: you may not reiterate it.",
    "Este R.A. foi registrado por outra Unidade Organizacional, reiteração impedida.",
    "REI-03",
    "atencao.registro_atendimento.manutencao_nao_autorizada",
)
REITERATE_CONCURRENT = _m(
    "service_request.reiterate.concurrent",
    "Service request {request_id} changed since it was read (version {expected}, now {actual}).",
    "Este R.A. foi atualizado por outro usuário. Não foi possível efetuar a reiteração.",
    "REI-04",
    "atencao.registro_atendimento.timestamp",
)

# ---------------------------------------------------------------- place, UPD
UPDATE_NOT_AUTHORISED = _m(
    "service_request.update.not_authorised",
    "Service request {request_id} belongs to unit {unit_id}: you may not change it.",
    "Este RA pertence à unidade {unit_id}. Não é possivel alterá-lo.",
    "UPD-01",
    "atencao.unidade_organizacional_nao_pode_ser_alterada",
)
UPDATE_DUPLICATE = _m(
    "service_request.update.duplicate",
    "Service request {request_id} is a duplicate of {reference_id}.",
    "O registro de atendimento {request_id} é uma duplicidade do registro de atendimento {reference_id}.",
    "UPD-02",
    "atencao.registro_atendimento_duplicidade",
)
UPDATE_CLOSED = _m(
    "service_request.update.closed",
    "Service request {request_id} is closed: it cannot change.",
    "O registro de atendimento {request_id} está encerrado. Não é possivel alterá-lo.",
    "UPD-03",
    "atencao.registro_atendimento_situacao",
)
UPDATE_ORDER_SCHEDULED = _m(
    "service_request.update.order_scheduled",
    "Order {order_id} of service request {request_id} is scheduled.",
    "Existe ordem de serviço programada para o registro de atendimento {request_id}.",
    "UPD-04",
    "atencao.ordem_servico_nao_encerrada_programada_ra",
)
UPDATE_CONCURRENT = _m(
    "service_request.update.concurrent",
    "Service request {request_id} changed since it was read (version {expected}, now {actual}).",
    "Registro de atendimento atualizado por outro usuário.",
    "UPD-05",
    "atencao.atualizacao.timestamp",
)

# ---------------------------------------------------------------- command, CMD
COMMAND_FIELD_REQUIRED = _m(
    "service_request.command.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "CMD-01",
    _REQUIRED,
)
COMMAND_PERIOD_INVALID = _m(
    "service_request.command.period_invalid",
    "The period ends ({end}) before it starts ({start}).",
    "Período final ({end}) anterior ao inicial ({start}).",
    "CMD-01",
    "atencao.data_final_periodo_anterior_data_inicial",
)
COMMAND_REASON_NOT_ALLOWED = _m(
    "service_request.command.reason_not_allowed",
    "Closing reason {reason_id} must exist, be active, not executed and not a duplicate.",
    "Motivo de encerramento {reason_id} não permitido para o comando.",
    "CMD-02",
    "atencao.pesquisa_inexistente",
)
COMMAND_SPECIFICATION_NOT_ALLOWED = _m(
    "service_request.command.specification_not_allowed",
    "Specification {specification_id} must exist, be active and not close automatically.",
    "Especificação {specification_id} não permitida para o comando.",
    "CMD-02",
    "atencao.pesquisa_inexistente",
)
COMMAND_UNKNOWN_UNIT = _m(
    "service_request.command.unknown_unit",
    "{field} {unit_id} does not exist.",
    "{campo} {unit_id} inexistente.",
    "CMD-01",
    _UNKNOWN,
)
COMMAND_NO_SUBORDINATES = _m(
    "service_request.command.no_subordinates",
    "Unit {unit_id} has no subordinate units.",
    "Não existe unidades subordinadas à unidade {unit_id}.",
    "CMD-03",
    "atencao.nao.existe.unidades.subordinadas",
)
COMMAND_NOT_AUTHORISED = _m(
    "service_request.command.not_authorised",
    "User {user_id} may not command the closing of every unit's requests.",
    "Usuário responsável {user_id} sem autorização.",
    "CMD-04",
    "atencao.usuario.responsavel.sem.autorizacao",
)
COMMAND_NOT_AUTHORISED_CURRENT = _m(
    "service_request.command.not_authorised_current_unit",
    "User {user_id} works neither in unit {unit_id} nor above it.",
    "Usuário responsável {user_id} sem autorização para a unidade atual {unit_id}.",
    "CMD-04",
    "atencao.usuario.responsavel.sem.autorizacao.unidade.atual",
)
COMMAND_NOT_AUTHORISED_SUPERIOR = _m(
    "service_request.command.not_authorised_superior_unit",
    "User {user_id} works neither in unit {unit_id} nor above it.",
    "Usuário responsável {user_id} sem autorização para a unidade superior {unit_id}.",
    "CMD-04",
    "atencao.usuario.responsavel.sem.autorizacao.unidade.superior",
)
COMMAND_EXISTS = _m(
    "service_request.command.exists",
    "Command {other_id}, not executed yet, already covers this period and filters.",
    "Já existe comando {other_id} para este período.",
    "CMD-05",
    "atencao.comando.ja.existente",
)

# ---------------------------------------------------------------- simplified, SIMP
SIMPLIFIED_FIELD_REQUIRED = _m(
    "service_request.simplified.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "SIMP-01",
    _REQUIRED,
)
SIMPLIFIED_INVALID_CPF = _m(
    "service_request.simplified.invalid_cpf",
    "CPF {cpf} is not valid.",
    "CPF {cpf} inválido.",
    "SIMP-01",
    "atencao.cpf_invalido",
)
SIMPLIFIED_IDENTITY_INCOMPLETE = _m(
    "service_request.simplified.identity_incomplete",
    "Give the identity number, its issuer and state together, or none of them.",
    "Informe RG, órgão expedidor e UF juntos.",
    "SIMP-01",
    _REQUIRED,
)
SIMPLIFIED_UNKNOWN_OCCURRENCE = _m(
    "service_request.simplified.unknown_occurrence",
    "Operational occurrence {occurrence_id} does not exist or is concluded.",
    "Ocorrência operacional {occurrence_id} inexistente ou concluída.",
    "SIMP-03",
    _UNKNOWN,
)
SIMPLIFIED_REFERENCE_REQUIRED = _m(
    "service_request.simplified.reference_required",
    "A reiteration needs the request number or its protocol.",
    "Informe o número do RA ou o protocolo.",
    "SIMP-05",
    _REQUIRED,
)
SIMPLIFIED_UNKNOWN_REFERENCE = _m(
    "service_request.simplified.unknown_reference",
    "No service request with number or protocol {reference}.",
    "Registro de Atendimento {reference} inexistente.",
    "SIMP-05",
    "atencao.registro_atendimento.inexistente",
)
OCCURRENCE_FIELD_REQUIRED = _m(
    "service_request.occurrence.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "SIMP-03",
    _REQUIRED,
)
OCCURRENCE_REASON_OF_OTHER_TYPE = _m(
    "service_request.occurrence.reason_of_other_type",
    "Reason {reason_id} does not belong to occurrence type {type_id}.",
    "Motivo {reason_id} não pertence ao tipo de ocorrência {type_id}.",
    "SIMP-03",
    _UNKNOWN,
)
OCCURRENCE_EXISTS = _m(
    "service_request.occurrence.exists",
    "Occurrence {other_id} of the same type and reason is still open for this place.",
    "Já existe ocorrência operacional {other_id} em aberto para este local, tipo e motivo.",
    "SIMP-03",
    "atencao.ocorrencia_operacional_ja_existente",
)
OCCURRENCE_CONCLUDED = _m(
    "service_request.occurrence.concluded",
    "Occurrence {occurrence_id} is already concluded.",
    "Ocorrência operacional {occurrence_id} já concluída.",
    "SIMP-03",
)

# ---------------------------------------------------------------- survey, SAT
SURVEY_NOT_CLOSED = _m(
    "service_request.survey.not_closed",
    "Service request {request_id} is not closed.",
    "Registro de Atendimento {request_id} não está encerrado.",
    "SAT-03",
    "atencao.registro_atendimento.esta.encerrada",
)
SURVEY_ALREADY_ANSWERED = _m(
    "service_request.survey.already_answered",
    "The survey of service request {request_id} was already answered.",
    "O questionário do Registro de Atendimento {request_id} já foi respondido.",
    "SAT-03",
)
SURVEY_ANSWER_REQUIRED = _m(
    "service_request.survey.answer_required",
    "{field} is required.",
    "{campo} deve ser informada.",
    "SAT-04",
    "atencao.campo.informada",
)
SURVEY_GRADE_INVALID = _m(
    "service_request.survey.grade_invalid",
    "The grade must be between 0 and 10 (got {grade}).",
    "A nota deve estar entre 0 e 10 ({grade}).",
    "SAT-04",
    "atencao.campo.invalido",
)

# ---------------------------------------------------------------- regulator, ARG
REGULATOR_UNKNOWN_REQUEST = _m(
    "service_request.regulator.unknown_request",
    "Service request {request_id} does not exist.",
    "Não existe Registro de Atendimento com este número ({request_id}).",
    "ARG-01",
    "atencao.registro_atendimento.inexistente",
)
REGULATOR_FIELD_REQUIRED = _m(
    "service_request.regulator.required",
    "{field} is required.",
    "{campo} é obrigatório(a).",
    "ARG-02",
    _REQUIRED,
)
REGULATOR_UNKNOWN_REASON = _m(
    "service_request.regulator.unknown_reason",
    "{field} {reason_id} does not exist or is inactive.",
    "{campo} {reason_id} inexistente.",
    "ARG-02",
    _UNKNOWN,
)
REGULATOR_DUPLICATE = _m(
    "service_request.regulator.duplicate",
    "Service request {request_id} already has regulator protocol {protocol_number}.",
    "Já existe RA com esse Número do Registro na Agência Reguladora.",
    "ARG-04",
    "atencao.ra_existente_numero_agencia_reguladora",
)
REGULATOR_NO_FILTER = _m(
    "service_request.regulator.no_filter",
    "Give at least one filter.",
    "Nenhum parâmetro de pesquisa foi informado.",
    "ARG-06",
    "atencao.filtro.nenhum_parametro_informado",
)
REGULATOR_NOT_PENDING = _m(
    "service_request.regulator.not_pending",
    "Regulator record {record_id} already has its return.",
    "O registro {record_id} da agência reguladora já foi retornado.",
    "ARG-07",
)


# ================================================================= helpers
def _text(
    value: str | None, *, field: str, campo: str, max_length: int, message: Message
) -> list[Violation]:
    if value is not None and len(value) > max_length:
        return [
            message(field=field, campo=campo, length=len(value), max_length=max_length)
        ]
    return []


def _local(at: datetime, zone: tzinfo) -> datetime:
    return at.astimezone(zone)


# ================================================================= numbering, NUM
def check_digit(number: int) -> int:
    """The modulo-11 check digit of GSAN (``Util.obterDigitoVerificadorModulo11``).

    Weights 2, 3, ..., 9, 2, ... from the rightmost digit; a remainder of 0 or 1
    gives 0, any other ``r`` gives ``11 - r``. ``121 -> 0``, ``123 -> 6``, ``1 -> 9``.
    """
    if number < 0:
        msg = f"a manual number is not negative: {number}"
        raise ValueError(msg)
    total = 0
    weight = 2
    for digit in reversed(str(number)):
        total += int(digit) * weight
        weight = 2 if weight == 9 else weight + 1
    remainder = total % 11
    return 0 if remainder in (0, 1) else 11 - remainder


def with_check_digit(number: int) -> int:
    """The number followed by its check digit, as GSAN stores it (``123 -> 1236``)."""
    return number * 10 + check_digit(number)


def format_manual_number(number: int) -> str:
    """The printed form: 9 zero-padded digits, a dash and the check digit."""
    return f"{number:09d}-{check_digit(number)}"


def check_manual_generation(
    *, quantity: int, unit: OrganizationalUnit | None, unit_id: int, limit: int
) -> tuple[Violation, ...]:
    """NUM-01 and NUM-02: a quantity within the limit for an active unit."""
    found: list[Violation] = []
    if quantity < 1:
        found.append(MANUAL_QUANTITY_INVALID(quantity=quantity))
    elif quantity > limit:
        found.append(MANUAL_QUANTITY_OVER_LIMIT(quantity=quantity, limit=limit))
    if unit is None or not unit.active:
        found.append(MANUAL_UNKNOWN_UNIT(unit_id=unit_id))
    return tuple(found)


def parse_manual_number(value: str) -> tuple[int | None, tuple[Violation, ...]]:
    """NUM-04: the typed manual number as an integer (number and check digit)."""
    text = value.strip()
    if not text.isdigit():
        return None, (MANUAL_NOT_NUMERIC(value=value),)
    if len(text) < 2:
        return None, (MANUAL_TOO_SHORT(),)
    return int(text), ()


def check_manual_number(
    manual: int, *, last_issued: int | None, used_by: int | None
) -> tuple[Violation, ...]:
    """NUM-05..NUM-07 for a manual number with its check digit (``1236``)."""
    number, given = divmod(manual, 10)
    found: list[Violation] = []
    if last_issued is None or number > last_issued:
        found.append(MANUAL_NOT_ISSUED(number=number, last=last_issued or 0))
    expected = check_digit(number)
    if expected != given:
        found.append(MANUAL_WRONG_DIGIT(number=number, expected=expected, given=given))
    if used_by is not None:
        found.append(MANUAL_ALREADY_USED(manual=manual, other_id=used_by))
    return tuple(found)


# ================================================================= opening, INS
def situation_on_open(location: RequestLocation) -> RequestSituation:
    """INS-15: only a free-text place blocks the request."""
    if not location.structured and (location.description or "").strip():
        return RequestSituation.BLOCKED
    return RequestSituation.PENDING


def property_matches(
    profile: PropertySituationProfile,
    *,
    water_status_id: int,
    sewer_status_id: int,
    water_meter: bool | None,
    well_meter: bool | None,
    per_row: bool,
) -> bool:
    """INS-10: whether the property's situations satisfy the profile.

    ``per_row`` (the default profile): one criterion must match as a whole.
    Otherwise GSAN's evaluation: each of the four conditions may be satisfied by a
    different row. A criterion's ``None`` matches anything, and so does an unknown
    meter fact.
    """

    def water(c: SituationCriterion) -> bool:
        return c.water_status_id is None or c.water_status_id == water_status_id

    def sewer(c: SituationCriterion) -> bool:
        return c.sewer_status_id is None or c.sewer_status_id == sewer_status_id

    def meter(c: SituationCriterion) -> bool:
        return (
            c.water_meter is None or water_meter is None or c.water_meter == water_meter
        )

    def well(c: SituationCriterion) -> bool:
        return c.well_meter is None or well_meter is None or c.well_meter == well_meter

    tests: tuple[Callable[[SituationCriterion], bool], ...] = (
        water,
        sewer,
        meter,
        well,
    )
    criteria = profile.criteria
    if not criteria:
        return True
    if per_row:
        return any(water(c) and sewer(c) and meter(c) and well(c) for c in criteria)
    return all(any(test(c) for c in criteria) for test in tests)


def _all_digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def valid_cpf(value: str) -> bool:
    """Whether ``value`` is a valid CPF (11 digits, both check digits right)."""
    digits = _all_digits(value)
    if len(digits) != 11 or digits == digits[0] * 11:
        return False
    numbers = [int(d) for d in digits]
    for size in (9, 10):
        total = sum(
            n * w for n, w in zip(numbers[:size], range(size + 1, 1, -1), strict=True)
        )
        expected = total * 10 % 11 % 10
        if numbers[size] != expected:
            return False
    return True


@attrs.frozen(kw_only=True)
class OpeningFacts:
    """What opening a request reads, loaded by the service."""

    now: datetime
    zone: tzinfo
    params: ServiceRequestParameters
    specification: RequestSpecification | None
    request_type: CatalogItem | None
    group: CatalogItem | None
    channel: CatalogItem | None
    unit: OrganizationalUnit | None
    #: The property of the place, when given and found.
    prop: Property | None = None
    #: Place ids that were given but do not exist (``(field, campo, value)``).
    unknown_places: tuple[tuple[str, str, int], ...] = ()
    #: The sewer division serves the block / sector / locality given (INS-11).
    division_compatible: bool = True
    #: Pending requests of the same property and specification (INS-09).
    pending_same: tuple[ServiceRequest, ...] = ()
    situation_profile: PropertySituationProfile | None = None
    has_debts: bool = False
    #: Requester units and users by id (INS-18).
    units: Mapping[int, OrganizationalUnit] = attrs.field(factory=dict)
    users: Mapping[int, User] = attrs.field(factory=dict)
    #: The request already opened with the command's submission key (INS-21).
    submitted: ServiceRequest | None = None
    #: Manual numbering: the last number issued and who uses the number (NUM).
    last_manual_number: int | None = None
    manual_used_by: int | None = None
    #: The user may change the due date anytime (INS-13).
    may_change_due_date: bool = False
    #: The opening of a reactivation: only INS-01..04, INS-09 and INS-10 apply
    #: (REA-05); the place and the requesters are the closed request's.
    reactivation: bool = False


def _check_attendance(command: OpenRequest, facts: OpeningFacts) -> list[Violation]:
    found: list[Violation] = []
    now = _local(facts.now, facts.zone)
    if command.attended_at is not None:
        at = _local(command.attended_at, facts.zone)
        if at.date() > now.date():
            found.append(
                ATTENDANCE_DATE_IN_FUTURE(attended_on=at.date(), today=now.date())
            )
        elif at > now:
            found.append(
                ATTENDANCE_TIME_IN_FUTURE(
                    attended_at=at.time().isoformat("minutes"),
                    now=now.time().isoformat("minutes"),
                )
            )
    start, end = command.wait_started_at, command.wait_ended_at
    if (start is not None and start > facts.now) or (
        end is not None and end > facts.now
    ):
        found.append(WAIT_IN_FUTURE())
    if start is not None and end is not None and end < start:
        found.append(WAIT_END_BEFORE_START())
    return found


def _check_specification(
    command: OpenRequest, facts: OpeningFacts
) -> tuple[list[Violation], bool]:
    spec = facts.specification
    kind = facts.request_type
    if (
        spec is None
        or not spec.active
        or kind is None
        or not kind.active
        or kind.flag("system_use")
    ):
        return [UNKNOWN_SPECIFICATION(specification_id=command.specification_id)], False
    return [], True


def _check_location(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    location = command.location
    found: list[Violation] = [
        UNKNOWN_PLACE(field=field, campo=campo, value=value)
        for field, campo, value in facts.unknown_places
    ]
    if not location.structured and not (location.description or "").strip():
        return [*found, LOCATION_REQUIRED()]
    if not location.structured:
        if spec.requires_property:
            found.append(LOCATION_FIELD_REQUIRED(field="Property", campo="Imóvel"))
        return found
    outage = facts.request_type is not None and facts.request_type.flag("outage")
    sewer = facts.group is not None and facts.group.flag("sewer")

    def need(value: object, field: str, campo: str) -> None:
        if value is None:
            found.append(LOCATION_FIELD_REQUIRED(field=field, campo=campo))

    if spec.requires_property:
        need(location.property_id, "Property", "Imóvel")
    if outage and location.property_id is None:
        need(location.municipality_id, "Municipality", "Município")
        need(location.neighbourhood_id, "Neighbourhood", "Bairro")
        need(location.area_id, "Neighbourhood area", "Área de Bairro")
    if location.property_id is None:
        if not outage:
            need(location.street_id, "Address", "Endereço")
        need(location.locality_id, "Locality", "Localidade")
        if location.block_id is not None:
            need(location.sector_id, "Commercial sector", "Setor Comercial")
        if sewer:
            need(location.sewer_division_id, "Sewer division", "Divisão de Esgoto")
    if spec.street_pavement:
        need(location.street_pavement_id, "Street pavement", "Pavimento Rua")
    if spec.sidewalk_pavement:
        need(location.sidewalk_pavement_id, "Sidewalk pavement", "Pavimento Calçada")
    if location.sewer_division_id is not None and not facts.division_compatible:
        found.append(DIVISION_INCOMPATIBLE(division_id=location.sewer_division_id))
    return found


def _check_property(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    prop = facts.prop
    if prop is None:
        return []
    found: list[Violation] = [
        DUPLICATE_PENDING(
            other_id=other.id,
            specification=spec.description,
            property_id=prop.id,
        )
        for other in facts.pending_same[:1]
    ]
    profile = facts.situation_profile
    if profile is not None and not property_matches(
        profile,
        water_status_id=prop.water_status_id,
        sewer_status_id=prop.sewer_status_id,
        water_meter=command.water_meter,
        well_meter=command.well_meter,
        per_row=facts.params.situation_criteria_per_row,
    ):
        found.append(
            SITUATION_MISMATCH(
                property_id=prop.id,
                water_status_id=prop.water_status_id,
                sewer_status_id=prop.sewer_status_id,
                specification=spec.description,
            )
        )
    if facts.reactivation:
        return found
    if spec.check_debts and facts.has_debts:
        found.append(PROPERTY_WITH_DEBTS(property_id=prop.id))
    changed = command.last_due_date_change_on
    if (
        spec.alternative_due_date
        and changed is not None
        and not facts.may_change_due_date
    ):
        months = facts.params.due_date_change_min_months
        today = _local(facts.now, facts.zone).date()
        if _add_months(changed, months) > today:
            found.append(
                DUE_DATE_CHANGED_RECENTLY(
                    property_id=prop.id, changed_on=changed, months=months
                )
            )
    return found


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in range(day.day, 0, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover - day 1 always exists


def _check_requesters(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    found: list[Violation] = []
    requesters = command.requesters
    identified = [
        r
        for r in requesters
        if r.customer_id is not None
        or r.unit_id is not None
        or r.employee_id is not None
        or (r.name or "").strip()
    ]
    if not identified:
        if spec.requires_requester or spec.requires_customer:
            found.append(REQUESTER_MISSING())
        return found
    if spec.requires_customer and not any(
        r.customer_id is not None for r in requesters
    ):
        found.append(REQUESTER_FIELD_REQUIRED(field="Customer", campo="Cliente"))
    for requester in identified:
        found += _check_requester(requester, facts)
    return found


def _check_requester(requester: Requester, facts: OpeningFacts) -> list[Violation]:
    found: list[Violation] = []
    if requester.employee_id is not None and requester.unit_id is None:
        found.append(
            REQUESTER_FIELD_REQUIRED(
                field="Requesting unit", campo="Unidade Solicitante"
            )
        )
    if requester.employee_id is None and requester.unit_id is not None:
        found.append(
            REQUESTER_FIELD_REQUIRED(
                field="Responsible employee", campo="Funcionário Responsável"
            )
        )
    if requester.customer_id is None and not (requester.address or "").strip():
        found.append(REQUESTER_FIELD_REQUIRED(field="Address", campo="Endereço"))
    if requester.unit_id is not None:
        unit = facts.units.get(requester.unit_id)
        if unit is None or not unit.active:
            found.append(
                UNKNOWN_REQUESTER_UNIT(
                    field="Requesting unit",
                    campo="Unidade Solicitante",
                    value=requester.unit_id,
                )
            )
    if requester.employee_id is not None:
        user = facts.users.get(requester.employee_id)
        if user is None or user.unit_id != requester.unit_id:
            found.append(
                UNKNOWN_REQUESTER_UNIT(
                    field="Responsible employee",
                    campo="Funcionário Responsável",
                    value=requester.employee_id,
                )
            )
    if requester.survey_opt_in and not (requester.email or "").strip():
        found.append(SURVEY_EMAIL_REQUIRED())
    return found


def _check_documents(
    command: OpenRequest, facts: OpeningFacts, spec: RequestSpecification
) -> list[Violation]:
    if not spec.document_required:
        return []
    channels = spec.document_channel_ids
    if channels and command.channel_id not in channels:
        return []
    property_id = command.location.property_id
    if spec.validate_responsible_document and property_id is not None:
        responsible = command.responsible
        if responsible is None:
            return [PROPERTY_WITHOUT_RESPONSIBLE(property_id=property_id)]
        if not _all_digits(responsible.document):
            return [RESPONSIBLE_WITHOUT_DOCUMENT(property_id=property_id)]
        return []
    return [
        CUSTOMER_WITHOUT_DOCUMENT(customer_id=r.customer_id)
        for r in command.requesters
        if r.customer_id is not None and not _all_digits(r.document)
    ]


def check_text(
    value: str | None, *, field: str, campo: str, max_length: int
) -> tuple[Violation, ...]:
    """A free text longer than allowed."""
    return tuple(
        _text(
            value,
            field=field,
            campo=campo,
            max_length=max_length,
            message=TEXT_TOO_LONG,
        )
    )


def check_destination(
    unit_id: int, unit: OrganizationalUnit | None
) -> tuple[Violation, ...]:
    """FS0021: the destination exists, receives requests and is active."""
    if unit is None:
        return (UNKNOWN_DESTINATION(unit_id=unit_id),)
    found: list[Violation] = []
    if not unit.accepts_routing:
        found.append(DESTINATION_NOT_ROUTABLE(unit_id=unit_id))
    if not unit.active:
        found.append(DESTINATION_INACTIVE(unit_id=unit_id))
    return tuple(found)


def check_open(command: OpenRequest, facts: OpeningFacts) -> tuple[Violation, ...]:
    """Every violation of opening the request (INS-01..INS-21, NUM-04..07, SAT-01)."""
    found: list[Violation] = []
    if facts.submitted is not None:
        return (SUBMITTED_TWICE(other_id=facts.submitted.id),)
    found += _check_attendance(command, facts)
    spec_found, spec_ok = _check_specification(command, facts)
    found += spec_found
    if facts.channel is None or not facts.channel.active:
        found.append(UNKNOWN_CHANNEL(channel_id=command.channel_id))
    if facts.unit is None or not facts.unit.active:
        found.append(UNKNOWN_ATTENDANCE_UNIT(unit_id=command.unit_id))
    elif not facts.unit.may_open_requests:
        found.append(UNIT_CANNOT_OPEN(unit_id=command.unit_id))
    if command.manual_number is not None:
        manual, invalid = parse_manual_number(command.manual_number)
        found += invalid
        if manual is not None:
            found += check_manual_number(
                manual,
                last_issued=facts.last_manual_number,
                used_by=facts.manual_used_by,
            )
    found += _text(
        command.observation,
        field="Observation",
        campo="Observação",
        max_length=OBSERVATION_MAX,
        message=TEXT_TOO_LONG,
    )
    if not spec_ok:
        return tuple(found)
    spec = facts.specification
    assert spec is not None
    if facts.reactivation:
        return (*found, *_check_property(command, facts, spec))
    if spec.auto_close and not (command.observation or "").strip():
        found.append(OBSERVATION_REQUIRED())
    found += _check_location(command, facts, spec)
    found += _check_property(command, facts, spec)
    if spec.duplicate_payment and not command.duplicate_payment_ids:
        found.append(DUPLICATE_PAYMENT_REQUIRED())
    found += _check_requesters(command, facts, spec)
    found += _check_documents(command, facts, spec)
    return tuple(found)


def opening_warnings(
    *,
    property_id: int | None,
    area_id: int | None,
    specification: RequestSpecification,
    outage: bool,
    pending_on_property: Sequence[ServiceRequest],
    pending_same_address: Sequence[ServiceRequest],
    recently_closed: Sequence[ServiceRequest],
    general_outage: bool,
    pending_outages_in_area: Sequence[ServiceRequest],
    warning_days: int,
) -> tuple[Violation, ...]:
    """INS-09b and INS-23: the soft warnings the caller may show; opening goes on.

    ``pending_outages_in_area`` are the open outage requests of the area (other
    than general ones for a general outage, general ones for an individual one).
    """
    found: list[Violation] = []
    others = [r for r in pending_on_property if r.specification_id != specification.id]
    if property_id is not None and others:
        found.append(
            OTHER_PENDING_ON_PROPERTY(
                property_id=property_id, others=", ".join(str(r.id) for r in others)
            )
        )
    if pending_same_address:
        found.append(
            SAME_SPECIFICATION_AT_ADDRESS(
                others=", ".join(str(r.id) for r in pending_same_address)
            )
        )
    if recently_closed:
        found.append(
            RECENTLY_CLOSED(
                days=warning_days, others=", ".join(str(r.id) for r in recently_closed)
            )
        )
    if outage and area_id is not None and pending_outages_in_area:
        message = PENDING_INDIVIDUAL_OUTAGES if general_outage else GENERAL_OUTAGE_OPEN
        found.append(
            message(
                area_id=area_id,
                others=", ".join(str(r.id) for r in pending_outages_in_area),
            )
        )
    return tuple(found)


# ================================================================= place, UPD
def check_location_change(
    request: ServiceRequest,
    *,
    expected_version: int | None,
    authorised: bool,
    orders: Iterable[ServiceOrder],
) -> tuple[Violation, ...]:
    """UPD-01..UPD-05 before the place of a request changes (UPD-06/07 reuse the
    opening checks and INS-15)."""
    found: list[Violation] = []
    if not authorised:
        found.append(
            UPDATE_NOT_AUTHORISED(
                request_id=request.id, unit_id=request.current_unit_id
            )
        )
    if request.duplicate_of_id is not None:
        found.append(
            UPDATE_DUPLICATE(
                request_id=request.id, reference_id=request.duplicate_of_id
            )
        )
    if request.situation is RequestSituation.CLOSED:
        found.append(UPDATE_CLOSED(request_id=request.id))
    for order in orders:
        if order.is_open and order.scheduled:
            found.append(
                UPDATE_ORDER_SCHEDULED(request_id=request.id, order_id=order.id)
            )
            break
    if expected_version is not None and expected_version != request.version:
        found.append(
            UPDATE_CONCURRENT(
                request_id=request.id, expected=expected_version, actual=request.version
            )
        )
    return tuple(found)


# ================================================================= forwarding, TRM
@attrs.frozen(kw_only=True)
class ForwardFacts:
    """What forwarding one request reads, loaded by the service."""

    request: ServiceRequest
    destination_id: int
    destination: OrganizationalUnit | None
    origin: OrganizationalUnit | None
    #: Code letter of each unit type (``untp_cdtipo``: C, T, L...).
    unit_type_codes: Mapping[int, str]
    units: Mapping[int, OrganizationalUnit]
    user: User | None
    orders: tuple[ServiceOrder, ...]
    #: Service types of the request's orders, by id.
    service_types: Mapping[int, ServiceType]
    request_type: CatalogItem | None
    group_id: int | None
    #: Units associated to the request's locality, by request-type group (TRM-11).
    locality_group_units: Mapping[int, tuple[int, ...]]
    last_step: RoutingStep | None
    at: datetime
    now: datetime
    zone: tzinfo
    params: ServiceRequestParameters
    may_forward_anywhere: bool
    expected_version: int | None = None
    #: Joint forwarding skips TRM-14 and TRM-15 (§2.6).
    joint: bool = False


def _code(unit: OrganizationalUnit | None, codes: Mapping[int, str]) -> str | None:
    return None if unit is None else codes.get(unit.unit_type_id)


def _forward_orders(
    request_id: int, orders: Sequence[ServiceOrder]
) -> Violation | None:
    for order in orders:
        if order.situation is OrderSituation.IN_EXECUTION:
            return FORWARD_ORDER_IN_EXECUTION(request_id=request_id, order_id=order.id)
    for order in orders:
        if order.situation is OrderSituation.AWAITING_RELEASE:
            return FORWARD_ORDER_AWAITING(request_id=request_id, order_id=order.id)
    for order in orders:
        if order.situation is OrderSituation.PENDING and order.scheduled:
            return FORWARD_ORDER_SCHEDULED(request_id=request_id, order_id=order.id)
    return None


def _forward_authorised(facts: ForwardFacts, social: bool) -> bool:
    if not facts.params.routing_control:
        return True
    user_unit = None if facts.user is None else facts.user.unit_id
    if is_authorised(
        user_unit_id=user_unit,
        unit_id=facts.request.current_unit_id,
        units=facts.units,
        may_forward_anywhere=facts.may_forward_anywhere,
    ):
        return True
    home = None if user_unit is None else facts.units.get(user_unit)
    return social and home is not None and home.social_tariff


def _forward_when(facts: ForwardFacts) -> Violation | None:
    at = _local(facts.at, facts.zone)
    now = _local(facts.now, facts.zone)
    if at.date() > now.date():
        return FORWARD_DATE_IN_FUTURE(on=at.date(), today=now.date())
    if at > now:
        return FORWARD_TIME_IN_FUTURE(
            at=at.time().isoformat("minutes"), now=now.time().isoformat("minutes")
        )
    return None


def _centre_allowed(facts: ForwardFacts, pending: Sequence[ServiceOrder]) -> bool:
    associated = facts.locality_group_units
    if facts.params.dispatch_centre_any_group_with_pending_order and pending:
        candidates = [u for units in associated.values() for u in units]
    else:
        candidates = list(associated.get(facts.group_id or -1, ()))
    return any(
        dispatch_centre(unit_id, facts.units) == facts.destination_id
        or unit_id == facts.destination_id
        for unit_id in candidates
    )


def check_forward(facts: ForwardFacts) -> tuple[Violation, ...]:
    """TRM-01..TRM-15 in GSAN's order; only the first failure is reported
    (``validarTramitacao`` stops at it). TRM-16, the library's own: a step is
    never dated before the request's last step (GSAN does not check it), so the
    history in time order ends with the step to the current unit."""
    request = facts.request
    rid = request.id
    orders = facts.orders
    open_orders = [o for o in orders if o.is_open]
    pending = [o for o in orders if o.situation is OrderSituation.PENDING]
    social = facts.request_type is not None and facts.request_type.flag("social_tariff")
    dest = facts.destination
    dest_code = _code(dest, facts.unit_type_codes)
    origin_code = _code(facts.origin, facts.unit_type_codes)
    checks: list[Violation | None] = []
    if request.situation is not RequestSituation.PENDING:
        return (FORWARD_CLOSED_OR_BLOCKED(request_id=rid),)
    found = _forward_orders(rid, open_orders)
    if found is not None:
        return (found,)
    if not _forward_authorised(facts, social):
        return (
            FORWARD_NOT_AUTHORISED(request_id=rid, unit_id=request.current_unit_id),
        )
    checks.append(_forward_when(facts))
    if facts.destination_id == request.current_unit_id:
        checks.append(FORWARD_SAME_UNIT(unit_id=facts.destination_id))
    if dest is None:
        checks.append(FORWARD_UNKNOWN_DESTINATION(unit_id=facts.destination_id))
    else:
        if not dest.accepts_routing and not social:
            checks.append(FORWARD_DESTINATION_NOT_ROUTABLE(unit_id=dest.id))
        if not dest.active:
            checks.append(FORWARD_DESTINATION_INACTIVE(unit_id=dest.id))
    if dest_code == "T":
        if origin_code != "C":
            checks.append(FORWARD_CONTRACTOR_FROM_CENTRE_ONLY())
        if not any(
            facts.service_types.get(o.service_type_id) is not None
            and facts.service_types[o.service_type_id].contractor
            for o in pending
        ):
            checks.append(FORWARD_NO_CONTRACTOR_ORDER(request_id=rid))
    if dest_code == "C" and origin_code != "C" and not _centre_allowed(facts, pending):
        checks.append(
            FORWARD_WRONG_CENTRE(request_id=rid, unit_id=facts.destination_id)
        )
    if origin_code == "T" and (
        facts.user is None or facts.user.unit_id != request.current_unit_id
    ):
        checks.append(FORWARD_CONTRACTOR_USER(unit_id=request.current_unit_id))
    if dest_code == "T" and len(pending) > 1:
        checks.append(FORWARD_MANY_PENDING_ORDERS(request_id=rid))
    last = facts.last_step
    if last is not None and facts.at < last.at:
        checks.append(
            FORWARD_BEFORE_LAST_STEP(
                at=facts.at.isoformat(), last_at=last.at.isoformat()
            )
        )
    if not facts.joint:
        if last is not None and last.at == facts.at:
            checks.append(FORWARD_SAME_INSTANT(request_id=rid, at=facts.at.isoformat()))
        expected = facts.expected_version
        if expected is not None and expected != request.version:
            checks.append(
                FORWARD_CONCURRENT(
                    request_id=rid, expected=expected, actual=request.version
                )
            )
    for violation in checks:
        if violation is not None:
            return (violation,)
    return ()


# ================================================================= closing, ENC
@attrs.frozen(kw_only=True)
class CloseFacts:
    """What closing one request reads, loaded by the service."""

    request: ServiceRequest
    specification: RequestSpecification | None
    reason_id: int | None
    reason: CatalogItem | None
    closed_at: datetime
    remark: str | None
    duplicate_of_id: int | None
    reference: ServiceRequest | None
    orders: tuple[ServiceOrder, ...]
    authorised: bool
    now: datetime
    zone: tzinfo
    params: ServiceRequestParameters
    expected_version: int | None = None


def _closing_when(facts: CloseFacts) -> list[Violation]:
    request = facts.request
    at = _local(facts.closed_at, facts.zone)
    now = _local(facts.now, facts.zone)
    found: list[Violation] = []
    if at.date() > now.date():
        found.append(CLOSE_DATE_IN_FUTURE(on=at.date(), today=now.date()))
    elif at > now:
        found.append(
            CLOSE_TIME_IN_FUTURE(
                at=at.time().isoformat("minutes"), now=now.time().isoformat("minutes")
            )
        )
    attended = _local(request.attended_at, facts.zone)
    if at.date() < attended.date():
        found.append(
            CLOSE_DATE_BEFORE_ATTENDANCE(on=at.date(), attended_on=attended.date())
        )
    elif at < attended:
        found.append(
            CLOSE_TIME_BEFORE_ATTENDANCE(
                at=at.time().isoformat("minutes"),
                attended_at=attended.time().isoformat("minutes"),
            )
        )
    closings = [o.closed_at for o in facts.orders if o.closed_at is not None]
    if closings:
        last = _local(max(closings), facts.zone)
        if at.date() < last.date():
            found.append(CLOSE_DATE_BEFORE_ORDERS(on=at.date(), last_on=last.date()))
        elif at < last:
            found.append(
                CLOSE_TIME_BEFORE_ORDERS(
                    at=at.time().isoformat("minutes"),
                    last_at=last.time().isoformat("minutes"),
                )
            )
    return found


def _closing_reference(facts: CloseFacts, reason: CatalogItem) -> list[Violation]:
    request = facts.request
    if not reason.flag("duplicate"):
        if facts.duplicate_of_id is not None:
            return [CLOSE_REFERENCE_NOT_ALLOWED(reason_id=reason.id)]
        return []
    if facts.duplicate_of_id is None:
        return [CLOSE_REFERENCE_REQUIRED()]
    if facts.duplicate_of_id == request.id:
        return [CLOSE_REFERENCE_ITSELF()]
    if facts.reference is None:
        return [CLOSE_REFERENCE_UNKNOWN(reference_id=facts.duplicate_of_id)]
    if facts.reference.situation is RequestSituation.CLOSED:
        return [CLOSE_REFERENCE_CLOSED(reference_id=facts.duplicate_of_id)]
    return []


def check_close(facts: CloseFacts) -> tuple[Violation, ...]:
    """ENC-01..ENC-08 (and ENC-11's decision) for closing one request."""
    request = facts.request
    rid = request.id
    found: list[Violation] = []
    if not facts.authorised:
        found.append(
            CLOSE_NOT_AUTHORISED(request_id=rid, unit_id=request.current_unit_id)
        )
    if request.situation is RequestSituation.CLOSED:
        return (*found, CLOSE_ALREADY_CLOSED(request_id=rid))
    open_orders = [o for o in facts.orders if o.is_open]
    for order in open_orders:
        if order.scheduled:
            found.append(CLOSE_ORDER_SCHEDULED(request_id=rid, order_id=order.id))
            break
    reason = facts.reason
    if facts.reason_id is None:
        found.append(
            CLOSE_FIELD_REQUIRED(field="Closing reason", campo="Motivo de Encerramento")
        )
    elif reason is None or not reason.active:
        found.append(CLOSE_UNKNOWN_REASON(reason_id=facts.reason_id))
        reason = None
    spec = facts.specification
    if (
        spec is not None
        and spec.closing_remark_required
        and not (facts.remark or "").strip()
    ):
        found.append(CLOSE_FIELD_REQUIRED(field="Closing remark", campo="Parecer"))
    found += _text(
        facts.remark,
        field="Closing remark",
        campo="Parecer",
        max_length=CLOSING_REMARK_MAX,
        message=TEXT_TOO_LONG,
    )
    if reason is not None:
        found += _closing_reference(facts, reason)
    found += _closing_when(facts)
    if facts.expected_version is not None and facts.expected_version != request.version:
        found.append(
            CLOSE_CONCURRENT(
                request_id=rid, expected=facts.expected_version, actual=request.version
            )
        )
    if reason is not None and reason.flag("executed"):
        blocking = (
            [o for o in open_orders if o.situation is OrderSituation.PENDING]
            if facts.params.executed_closing_checks_pending_only
            else open_orders
        )
        if blocking:
            found.append(
                CLOSE_EXECUTED_WITH_OPEN_ORDERS(
                    request_id=rid, orders=", ".join(str(o.id) for o in blocking)
                )
            )
    return tuple(found)


# ================================================================= reactivation, REA
def check_reactivate(
    request: ServiceRequest,
    *,
    authorised: bool,
    authorised_new_unit: bool,
    new_unit_id: int,
    successor: ServiceRequest | None,
    destination_informed: bool,
    remark: str | None,
    reason_id: int | None,
    reason: CatalogItem | None,
    observation: str | None,
) -> tuple[Violation, ...]:
    """REA-01..REA-05 (the opening checks of REA-05 are added by the service)."""
    found: list[Violation] = []
    if not authorised:
        found.append(REACTIVATE_NOT_AUTHORISED(unit_id=request.current_unit_id))
    if not authorised_new_unit:
        found.append(REACTIVATE_NOT_AUTHORISED(unit_id=new_unit_id))
    if request.situation is not RequestSituation.CLOSED:
        found.append(
            REACTIVATE_NOT_CLOSED(
                request_id=request.id,
                situation=request.situation.name.lower(),
                situacao=_SITUATION_PT[request.situation],
            )
        )
    elif request.duplicate_of_id is not None:
        found.append(
            REACTIVATE_DUPLICATE(
                request_id=request.id, reference_id=request.duplicate_of_id
            )
        )
    elif successor is not None:
        found.append(REACTIVATE_ALREADY(request_id=request.id, current_id=successor.id))
    if reason_id is None or reason is None or not reason.active:
        found.append(
            REACTIVATE_FIELD_REQUIRED(
                field="Reactivation reason", campo="Motivo da Reativação"
            )
        )
    if destination_informed and not (remark or "").strip():
        found.append(REACTIVATE_REMARK_REQUIRED())
    for value, field, campo in (
        (remark, "Remark", "Parecer"),
        (observation, "Observation", "Observação"),
    ):
        found += _text(
            value,
            field=field,
            campo=campo,
            max_length=REACTIVATION_TEXT_MAX,
            message=TEXT_TOO_LONG,
        )
    return tuple(found)


_SITUATION_PT = {P: "pendente", C: "encerrado", B: "bloqueado"}


# ================================================================= reiteration, REI
def check_reiterate(
    request: ServiceRequest,
    *,
    today: date,
    authorised: bool,
    expected_version: int | None,
) -> tuple[Violation, ...]:
    """REI-01..REI-04."""
    found: list[Violation] = []
    if request.situation is not RequestSituation.PENDING:
        found.append(REITERATE_CLOSED_OR_BLOCKED(request_id=request.id))
    elif request.current_due_date > today:
        found.append(
            REITERATE_NOT_DUE(request_id=request.id, due_on=request.current_due_date)
        )
    if not authorised:
        found.append(
            REITERATE_NOT_AUTHORISED(
                request_id=request.id, unit_id=request.current_unit_id
            )
        )
    if expected_version is not None and expected_version != request.version:
        found.append(
            REITERATE_CONCURRENT(
                request_id=request.id, expected=expected_version, actual=request.version
            )
        )
    return tuple(found)


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


# ================================================================= simplified, SIMP
def check_simplified(
    *,
    kind: SimplifiedKind,
    name: str | None,
    cpf: str | None,
    identity: tuple[str | None, str | None, str | None],
    params: ServiceRequestParameters,
    occurrence: OperationalOccurrence | None,
    occurrence_id: int | None,
    reference: str | None,
    observation: str | None,
    text: str | None,
) -> tuple[Violation, ...]:
    """SIMP-01..SIMP-06 for the quick form of area-wide outages and calls."""
    found: list[Violation] = []
    if not (name or "").strip():
        found.append(
            SIMPLIFIED_FIELD_REQUIRED(
                field="Requester name", campo="Nome do Solicitante"
            )
        )
    if (cpf or "").strip():
        assert cpf is not None
        if not valid_cpf(cpf):
            found.append(SIMPLIFIED_INVALID_CPF(cpf=cpf))
    else:
        required = {
            SimplifiedKind.OPERATIONAL: params.simplified_document_operational,
            SimplifiedKind.COMMERCIAL: params.simplified_document_commercial,
            SimplifiedKind.REITERATION: params.simplified_document_reiteration,
        }.get(kind, False)
        if required:
            found.append(SIMPLIFIED_FIELD_REQUIRED(field="CPF", campo="CPF"))
    given = [bool((part or "").strip()) for part in identity]
    if any(given) and not all(given):
        found.append(SIMPLIFIED_IDENTITY_INCOMPLETE())
    if (
        kind is SimplifiedKind.OPERATIONAL
        and occurrence_id is not None
        and (occurrence is None or not occurrence.open)
    ):
        found.append(SIMPLIFIED_UNKNOWN_OCCURRENCE(occurrence_id=occurrence_id))
    if kind is SimplifiedKind.REITERATION:
        if not (reference or "").strip():
            found.append(SIMPLIFIED_REFERENCE_REQUIRED())
        if not (observation or "").strip():
            found.append(
                SIMPLIFIED_FIELD_REQUIRED(field="Observation", campo="Observação")
            )
    if kind is SimplifiedKind.INFORMATION and not (text or "").strip():
        found.append(SIMPLIFIED_FIELD_REQUIRED(field="Information", campo="Informação"))
    return tuple(found)


def check_occurrence(
    occurrence: OperationalOccurrence,
    *,
    occurrence_type: CatalogItem | None,
    reason: CatalogItem | None,
    open_same: Iterable[OperationalOccurrence],
) -> tuple[Violation, ...]:
    """The occurrence registry: required data, the reason of the type, and one open
    occurrence per (municipality, locality, neighbourhood, type, reason)."""
    found: list[Violation] = []
    if not occurrence.description.strip():
        found.append(OCCURRENCE_FIELD_REQUIRED(field="Description", campo="Descrição"))
    if occurrence_type is None or not occurrence_type.active:
        found.append(
            OCCURRENCE_FIELD_REQUIRED(
                field="Occurrence type", campo="Tipo de Ocorrência"
            )
        )
    if reason is None or not reason.active:
        found.append(
            OCCURRENCE_FIELD_REQUIRED(field="Occurrence reason", campo="Motivo")
        )
    elif reason.integer("type_id") != occurrence.type_id:
        found.append(
            OCCURRENCE_REASON_OF_OTHER_TYPE(
                reason_id=reason.id, type_id=occurrence.type_id
            )
        )
    if occurrence.open:
        for other in open_same:
            if (
                other.id != occurrence.id
                and other.open
                and (
                    other.municipality_id,
                    other.locality_id,
                    other.neighbourhood_id,
                    other.type_id,
                    other.reason_id,
                )
                == (
                    occurrence.municipality_id,
                    occurrence.locality_id,
                    occurrence.neighbourhood_id,
                    occurrence.type_id,
                    occurrence.reason_id,
                )
            ):
                found.append(OCCURRENCE_EXISTS(other_id=other.id))
                break
    return tuple(found)


# ================================================================= survey, SAT
def check_survey(
    request: ServiceRequest | None,
    request_id: int,
    *,
    already_answered: bool,
    well_served: bool | None,
    resolved: bool | None,
    field_team_contact: bool | None,
    grade: int | None,
) -> tuple[Violation, ...]:
    """SAT-03 and SAT-04: one survey per closed request, every answer given."""
    found: list[Violation] = []
    if request is None or request.situation is not RequestSituation.CLOSED:
        found.append(SURVEY_NOT_CLOSED(request_id=request_id))
    elif already_answered:
        found.append(SURVEY_ALREADY_ANSWERED(request_id=request_id))
    for value, field, campo in (
        (well_served, "Were you well served", "Pergunta você foi bem atendido"),
        (
            resolved,
            "Was your request resolved",
            "Pergunta sua solicitação foi resolvida",
        ),
        (
            field_team_contact,
            "Contact with the field team",
            "Pergunta sobre contato com a equipe de campo",
        ),
        (grade, "Grade", "Nota sobre atendimento"),
    ):
        if value is None:
            found.append(SURVEY_ANSWER_REQUIRED(field=field, campo=campo))
    if grade is not None and not 0 <= grade <= 10:
        found.append(SURVEY_GRADE_INVALID(grade=grade))
    return tuple(found)


# ================================================================= regulator, ARG
def check_regulator_record(
    *,
    request_id: int,
    request: ServiceRequest | None,
    protocol_number: str | None,
    complaint_reason_id: int | None,
    complaint_reason: CatalogItem | None,
    current_forecast: date | None,
    existing_protocols: Iterable[str],
) -> tuple[Violation, ...]:
    """ARG-01, ARG-02 and ARG-04."""
    if request is None:
        return (REGULATOR_UNKNOWN_REQUEST(request_id=request_id),)
    found: list[Violation] = []
    if complaint_reason_id is None:
        found.append(
            REGULATOR_FIELD_REQUIRED(
                field="Complaint reason", campo="Motivo da Reclamação"
            )
        )
    elif complaint_reason is None or not complaint_reason.active:
        found.append(
            REGULATOR_UNKNOWN_REASON(
                field="Complaint reason",
                campo="Motivo da Reclamação",
                reason_id=complaint_reason_id,
            )
        )
    if not (protocol_number or "").strip():
        found.append(
            REGULATOR_FIELD_REQUIRED(
                field="Regulator protocol number", campo="Número na Agência Reguladora"
            )
        )
    elif protocol_number in set(existing_protocols):
        found.append(
            REGULATOR_DUPLICATE(request_id=request_id, protocol_number=protocol_number)
        )
    if current_forecast is None:
        found.append(
            REGULATOR_FIELD_REQUIRED(
                field="Current forecast", campo="Data de Previsão Atual"
            )
        )
    return tuple(found)


def check_regulator_return(
    *,
    record_id: int,
    pending: bool,
    return_reason_id: int | None,
    return_reason: CatalogItem | None,
) -> tuple[Violation, ...]:
    """ARG-07: the return of a pending record, with an active reason."""
    found: list[Violation] = []
    if not pending:
        found.append(REGULATOR_NOT_PENDING(record_id=record_id))
    if return_reason_id is None:
        found.append(
            REGULATOR_FIELD_REQUIRED(field="Return reason", campo="Motivo do Retorno")
        )
    elif return_reason is None or not return_reason.active:
        found.append(
            REGULATOR_UNKNOWN_REASON(
                field="Return reason",
                campo="Motivo do Retorno",
                reason_id=return_reason_id,
            )
        )
    return tuple(found)
