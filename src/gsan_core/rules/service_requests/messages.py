"""Messages of the RA's own lifecycle: opening (INS), manual numbering (NUM),
forwarding (TRM), closing (ENC), reactivation (REA), reiteration (REI) and
the place of the occurrence (UPD)."""

from __future__ import annotations

from gsan_core.errors import Message


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
UPDATE_DUE_BEFORE_ATTENDANCE = _m(
    "service_request.update.due_before_attendance",
    "The due date {due_on} is before the attendance date {attended_on}.",
    "Data prevista {due_on} anterior à data do atendimento {attended_on}.",
    "UPD-09",
)
UPDATE_NOTHING = _m(
    "service_request.update.nothing_to_change",
    "Nothing to change on service request {request_id}.",
    "Nenhuma alteração informada para o registro de atendimento {request_id}.",
    "UPD-09",
)
