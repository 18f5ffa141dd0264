"""Messages of the records around RAs: batch closing commands (CMD),
simplified requests and operational occurrences (SIMP), satisfaction surveys
(SAT) and regulatory agency records (ARG)."""

from __future__ import annotations

from gsan_core.rules.service_requests.messages import _REQUIRED, _UNKNOWN, _m

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
OCCURRENCE_IN_USE = _m(
    "service_request.occurrence.in_use",
    "Occurrence {occurrence_id} is referenced by {count} service request(s): it cannot be removed.",
    "Ocorrência operacional {occurrence_id} possui {count} registro(s) de atendimento vinculado(s). Remova as dependências.",
    "SIMP-03",
    "atencao.dependencias.existentes",
)
OCCURRENCE_CONCURRENT = _m(
    "service_request.occurrence.concurrent",
    "Occurrence {occurrence_id} changed since it was read (version {expected}).",
    "Ocorrência operacional {occurrence_id} atualizada por outro usuário.",
    "SIMP-03",
    "atencao.atualizacao.timestamp",
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
