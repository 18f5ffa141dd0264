"""The service-order rules' messages (GEN, UPD, ENC, REF, COM, DEB,
EXE, VEN rules)."""

from __future__ import annotations

import attrs

from gsan_core.errors import Message
from gsan_core.rules.validation import REQUIRED

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
ORDER_TRANSMITTED = Message(
    "service_order.update.transmitted",
    en="Service order {order_id} was already returned by a field device (file {file_id}) and cannot change.",
    pt="Não é possível atualizar a ordem de serviço {order_id}: o arquivo {file_id} do dispositivo móvel já foi finalizado.",
    gsan_key="atencao.nao_possivel.atualizar_os.situacao_finalizado",
    rule="UPD-05",
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
    pt="Serviço associado à ordem de serviço informada não permite {operacao}.",
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
    en="The charge percentage must be one of {allowed}, got {percentage}.",
    pt="O percentual de cobrança deve ser um destes: {allowed}; informado {percentage}.",
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
CLOSING_USER_NOT_AUTHORISED = Message(
    "service_order.close.request_of_another_unit",
    en="The request of service order {order_id} is in unit {unit_id}: the user may not maintain it, so the order cannot be closed.",
    pt="O RA desta ordem de serviço pertence à unidade {unit_id}. Não é possível encerrar a ordem de serviço.",
    gsan_key="atencao.nao_possivel_encerramento_os",
    rule="ENC-01",
)
CLOSING_UNIT_NOT_AUTHORISED = Message(
    "service_order.close.order_of_another_unit",
    en="Service order {order_id} is in unit {unit_id}: only that unit or a superior one may close it.",
    pt="A ordem de serviço {order_id} foi gerada por outra unidade organizacional ({unit_id}).",
    gsan_key="atencao.os_foi_gerada_por_outra_unidade_organizacional",
    rule="ENC-01",
)
NEW_ORDER_WITHIN_RESTRICTION = Message(
    "service_order.generate.within_restriction_window",
    en="Service order {last_order_id} of type {service_type_id} was closed for property {property_id} on {closed_on}: a new one waits {restriction_days} days.",
    pt="A ordem de serviço {last_order_id} do tipo de serviço {service_type_id} foi encerrada para o imóvel {property_id} em {closed_on}: uma nova só pode ser gerada após {restriction_days} dias.",
    gsan_key="atencao.servico_tipo.existe_os_restricao_dias",
    rule="GEN-18",
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
