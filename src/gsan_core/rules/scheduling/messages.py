"""The scheduling rules' messages (PRG, ROT, ENC-02/ENC-11)."""

from __future__ import annotations

from gsan_core.errors import Message

__all__ = [
    "CALIBRATION_KIND_MISMATCH",
    "CALIBRATION_UNKNOWN",
    "CALIBRATION_VALUE_REQUIRED",
    "CLOSE_AFTER_SCHEDULE_DATE",
    "CLOSE_FROM_FOLLOW_UP",
    "DAY_ALREADY_CLOSED",
    "DAY_IN_FUTURE",
    "FOLLOWER_UNKNOWN",
    "IMPORTANCE_NOTHING_SELECTED",
    "IMPORTANCE_TYPE_UNKNOWN",
    "IMPORTANCE_VALUE_REQUIRED",
    "MANY_TO_MANY",
    "MONTH_IN_PAST",
    "NOTHING_SCHEDULED",
    "NOT_PROGRAMMED",
    "NO_ORDERS",
    "NO_TEAMS",
    "NO_TEAMS_NO_ORDERS",
    "ORDER_ALREADY_PROGRAMMED",
    "ORDER_CLOSED",
    "ORDER_CLOSED_FOR_FOLLOW_UP",
    "ORDER_NOT_IN_UNIT",
    "ORDER_NOT_SCHEDULABLE",
    "ORDER_UNKNOWN",
    "PRINCIPAL_NOT_SELECTED",
    "PROGRAMMED_EARLIER",
    "PROGRAMMED_FOR_SEVERAL_TEAMS",
    "SEQUENCE_OVER_LIMIT",
    "SITUATION_NOT_INFORMABLE",
    "SPECIAL_DAY_REQUIRED",
    "SPECIAL_DAY_TAKEN",
    "SPECIAL_DAY_WORKING_DAY",
    "TEAM_NOT_IN_UNIT",
    "TEAM_UNKNOWN",
    "TEAM_WITHOUT_DEVICE",
    "UNIT_WITHOUT_LOCALITY",
    "UNIT_WITHOUT_MUNICIPALITY",
    "UNTIL_BEFORE_DATE",
    "WORK_LOAD_EXCEEDED",
]

NO_TEAMS_NO_ORDERS = Message(
    "schedule.program.nothing_selected",
    en="Select at least one team and one service order to program.",
    pt="Informe ao menos uma equipe e uma ordem de serviço para a programação.",
    gsan_key="atencao.nao.informado.equipe.ordem_servico.programacao",
    rule="PRG-01",
)
NO_TEAMS = Message(
    "schedule.program.no_team",
    en="Select at least one team to program.",
    pt="Informe ao menos uma equipe para a programação.",
    gsan_key="atencao.nao.informado.equipe.programacao",
    rule="PRG-01",
)
NO_ORDERS = Message(
    "schedule.program.no_order",
    en="Select at least one service order to program.",
    pt="Informe ao menos uma ordem de serviço para a programação.",
    gsan_key="atencao.nao.informado.ordem_servico.programacao",
    rule="PRG-01",
)
MANY_TO_MANY = Message(
    "schedule.program.many_to_many",
    en="Program one order on several teams or several orders on one team, "
    "not {orders} orders on {teams} teams.",
    pt="Programe uma ordem para várias equipes ou várias ordens para uma equipe, "
    "não {orders} ordens para {teams} equipes.",
    gsan_key="atencao.informado.ordem_servico.equipe.programacao",
    rule="PRG-02",
)
PRINCIPAL_NOT_SELECTED = Message(
    "schedule.program.principal_not_selected",
    en="The principal team {team_id} is not among the selected teams.",
    pt="A equipe principal {team_id} não está entre as equipes selecionadas.",
    gsan_key="atencao.campo_selecionado.obrigatorio",
    rule="PRG-02",
)
ORDER_NOT_SCHEDULABLE = Message(
    "schedule.program.order_not_schedulable",
    en="Service order {order_id} is {situation}: only pending or in-execution "
    "orders not yet programmed can be programmed.",
    pt="A ordem de serviço {order_id} está {situacao}: só ordens pendentes ou em "
    "execução e não programadas podem ser programadas.",
    gsan_key="atencao.ordem_servico_situacao_invalida_programacao",
    rule="PRG-03",
)
MONTH_IN_PAST = Message(
    "schedule.month_in_past",
    en="The route date {on} is in a month before the current month.",
    pt="A data do roteiro {on} está em um mês anterior ao mês corrente.",
    gsan_key="atencao.ano_mes_referencia.invalida",
    rule="PRG-04",
)
UNTIL_BEFORE_DATE = Message(
    "schedule.program.until_before_date",
    en="The final programming date {until} is before the route date {on}.",
    pt="A data final da programação {until} é anterior à data do roteiro {on}.",
    gsan_key="atencao.data_final_menor_data_inicial",
    rule="PRG-04",
)
ORDER_NOT_IN_UNIT = Message(
    "schedule.program.order_not_in_unit",
    en="Service order {order_id} is not in unit {unit_id}; it cannot be included "
    "in the team's programming.",
    pt="A ordem de serviço {order_id} não está na unidade {unit_id}; não é "
    "possível incluí-la na programação da equipe.",
    gsan_key="atencao.unidade_lotacao_nao_encontra_ordem_servico",
    rule="PRG-05",
)
ORDER_CLOSED = Message(
    "schedule.program.order_closed",
    en="Service order {order_id} is closed and cannot be programmed.",
    pt="A ordem de serviço {order_id} está encerrada e não pode ser programada.",
    gsan_key="atencao.ordem_servico_encerrada_para_programacao",
    rule="PRG-06",
)
ORDER_ALREADY_PROGRAMMED = Message(
    "schedule.program.order_already_programmed",
    en="Service order {order_id} is already programmed for team {team_id} on the "
    "route of {on}.",
    pt="A ordem de serviço {order_id} já está programada para a equipe {team_id} "
    "no roteiro de {on}.",
    gsan_key="atencao.ordem_servico_ja_programada",
    rule="PRG-07",
)
SEQUENCE_OVER_LIMIT = Message(
    "schedule.sequence_over_limit",
    en="Sequence {sequence} is over the limit {limit} of team {team_id} on {on}.",
    pt="O sequencial {sequence} é maior que o limite {limit} da equipe {team_id} "
    "em {on}.",
    gsan_key="atencao.sequencial_programacao_maior_limite",
    rule="PRG-08",
)
ORDER_CLOSED_FOR_FOLLOW_UP = Message(
    "schedule.follow_up.order_closed",
    en="Service order {order_id} is closed: its situation cannot be informed nor "
    "its team changed.",
    pt="A ordem de serviço {order_id} está encerrada: não é possível informar a "
    "situação nem alocar equipes.",
    gsan_key="atencao.ordem_servico_encerrada_para_alocar",
    rule="PRG-09",
)
PROGRAMMED_EARLIER = Message(
    "schedule.follow_up.programmed_earlier",
    en="Service order {order_id} has an active programming on the earlier route "
    "of {earlier}; inform that day first.",
    pt="A ordem de serviço {order_id} tem programação ativa no roteiro anterior "
    "de {earlier}; informe aquele dia primeiro.",
    gsan_key="atencao.programacao_ativa_dias_anteriores",
    rule="PRG-10",
)
PROGRAMMED_FOR_SEVERAL_TEAMS = Message(
    "schedule.follow_up.several_teams",
    en="Service order {order_id} is programmed for several teams on {on} and "
    "cannot be moved.",
    pt="A ordem de serviço {order_id} está programada para várias equipes em {on} "
    "e não pode ser remanejada.",
    gsan_key="atencao.ordem_servico_programada_varias_equipes",
    rule="PRG-11",
)
WORK_LOAD_EXCEEDED = Message(
    "schedule.work_load_exceeded",
    en="Team {team_id} has {free} free minutes on {on}; the orders need {needed}.",
    pt="A equipe {team_id} tem {free} minutos livres em {on}; as ordens precisam "
    "de {needed}.",
    gsan_key="atencao.limite_carga_trabalho_excedido",
    rule="PRG-12",
)
TEAM_UNKNOWN = Message(
    "schedule.team_unknown",
    en="Team {team_id} does not exist or is inactive.",
    pt="Equipe {team_id} inexistente ou inativa.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="PRG-01",
)
TEAM_NOT_IN_UNIT = Message(
    "schedule.team_not_in_unit",
    en="Team {team_id} belongs to unit {team_unit_id}, not to unit {unit_id} of "
    "the route.",
    pt="A equipe {team_id} pertence à unidade {team_unit_id}, não à unidade "
    "{unit_id} do roteiro.",
    gsan_key="atencao.equipe_nao_pertence_unidade",
    rule="PRG-05",
)
ORDER_UNKNOWN = Message(
    "schedule.order_unknown",
    en="Service order {order_id} does not exist.",
    pt="Ordem de serviço {order_id} inexistente.",
    gsan_key="atencao.ordem_servico.inexistente",
    rule="ROT-07",
)
NOT_PROGRAMMED = Message(
    "schedule.not_programmed",
    en="Service order {order_id} has no active programming on {on}.",
    pt="A ordem de serviço {order_id} não tem programação ativa em {on}.",
    gsan_key="atencao.pesquisa.nenhumresultado",
)
NOTHING_SCHEDULED = Message(
    "schedule.none",
    en="Unit {unit_id} has no route on {on}.",
    pt="A unidade {unit_id} não tem roteiro em {on}.",
    gsan_key="atencao.pesquisa.nenhumresultado",
)
SITUATION_NOT_INFORMABLE = Message(
    "schedule.follow_up.situation_not_informable",
    en="Inform a programmed order as in execution or pending, not {situation}.",
    pt="Informe a ordem programada como em execução ou pendente, não {situacao}.",
    gsan_key="atencao.campo_selecionado.obrigatorio",
    rule="PRG-09",
)
DAY_ALREADY_CLOSED = Message(
    "schedule.day_closed",
    en="The route of unit {unit_id} on {on} is closed.",
    pt="O roteiro da unidade {unit_id} em {on} está fechado.",
    gsan_key="atencao.roteiro_fechado",
)
DAY_IN_FUTURE = Message(
    "schedule.close_day.in_future",
    en="The route of {on} cannot be closed before its day.",
    pt="O roteiro de {on} não pode ser fechado antes do seu dia.",
    gsan_key="atencao.data.maior.data.corrente",
)
CLOSE_FROM_FOLLOW_UP = Message(
    "service_order.close.from_follow_up",
    en="Service order {order_id} is programmed on the route of {on}: close it "
    "from the route follow-up.",
    pt="A ordem de serviço {order_id} está programada no roteiro de {on}: "
    "encerre-a pelo acompanhamento do roteiro.",
    gsan_key="atencao.origem_encerramento_os",
    rule="ENC-02",
)
CLOSE_AFTER_SCHEDULE_DATE = Message(
    "service_order.close.after_schedule_date",
    en="The closing date {closed_on} is after the route date {on}.",
    pt="A data de encerramento {closed_on} é posterior à data do roteiro {on}.",
    gsan_key="atencao.data_encerramento_maior_data_roteiro",
    rule="ENC-11",
)
SPECIAL_DAY_REQUIRED = Message(
    "schedule.special_day.required",
    en="{field} is required.",
    pt="{campo} é obrigatório(a).",
    gsan_key="atencao.campo_texto.obrigatorio",
    rule="ROT-02",
)
SPECIAL_DAY_TAKEN = Message(
    "schedule.special_day.taken",
    en="Team {team_id} already has a programming on the special day {on}.",
    pt="Já existe programação nesta data {on} para esta equipe {team_id}.",
    gsan_key="atencao.programacao_dia_especial",
    rule="ROT-03",
)
SPECIAL_DAY_WORKING_DAY = Message(
    "schedule.special_day.working_day",
    en="{on} is a working day, not a weekend or holiday; confirm the manual "
    "programming.",
    pt="A data {on} não é feriado nem fim de semana; confirma a programação manual?",
    gsan_key="atencao.data_programacao_nao_corresponde_feriado",
    rule="ROT-04",
)
UNIT_WITHOUT_LOCALITY = Message(
    "schedule.special_day.unit_without_locality",
    en="Unit {unit_id} of the team has no locality.",
    pt="Localidade não informada para a unidade organizacional {unit_id}.",
    gsan_key="atencao.localidade_nao_informada_unidade_organizacional",
    rule="ROT-04",
)
UNIT_WITHOUT_MUNICIPALITY = Message(
    "schedule.special_day.locality_without_municipality",
    en="Locality {locality_id} of the team's unit has no municipality.",
    pt="Município não informado para a localidade {locality_id}.",
    gsan_key="atencao.municipio_nao_informado_localidade",
    rule="ROT-04",
)
FOLLOWER_UNKNOWN = Message(
    "schedule.follower.reference_missing",
    en="{field} {value} does not exist or is inactive.",
    pt="{campo} {value} inexistente ou inativo(a).",
    gsan_key="atencao.pesquisa_inexistente",
    rule="ROT-12",
)
CALIBRATION_UNKNOWN = Message(
    "schedule.calibration.unknown",
    en="Calibration row {calibration_id} does not exist or is inactive.",
    pt="Calibragem {calibration_id} inexistente ou inativa.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CAL-01",
)
CALIBRATION_VALUE_REQUIRED = Message(
    "schedule.calibration.value_required",
    en="{field} of calibration row {calibration_id} is required (an integer, "
    "zero or more).",
    pt="{campo} da calibragem {calibration_id} é obrigatório (inteiro, zero ou mais).",
    gsan_key="atencao.campo_texto.obrigatorio",
    rule="CAL-01",
)
IMPORTANCE_NOTHING_SELECTED = Message(
    "schedule.importance.nothing_selected",
    en="Select at least one service type to give an importance.",
    pt="Selecione ao menos um tipo de serviço para atualizar.",
    gsan_key="atencao.registros.nao_selecionados_atualizacao",
    rule="CAL-02",
)
IMPORTANCE_TYPE_UNKNOWN = Message(
    "schedule.importance.type_unknown",
    en="Service type {service_type_id} does not exist or is inactive.",
    pt="Tipo de serviço {service_type_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa.nenhumresultado",
    rule="CAL-02",
)
IMPORTANCE_VALUE_REQUIRED = Message(
    "schedule.importance.value_required",
    en="Service type {service_type_id} is selected without an importance.",
    pt="Tipo de serviço {service_type_id} selecionado sem grau de importância.",
    gsan_key="atencao.campo_selecionado.obrigatorio",
    rule="CAL-02",
)
CALIBRATION_KIND_MISMATCH = Message(
    "schedule.importance.not_a_service_type_row",
    en="Calibration row {calibration_id} given to service type {service_type_id} "
    "is not a service-type importance.",
    pt="A calibragem {calibration_id} informada para o tipo de serviço "
    "{service_type_id} não é um grau de importância de tipo de serviço.",
    gsan_key="atencao.campo_selecionado.obrigatorio",
    rule="CAL-02",
)

TEAM_WITHOUT_DEVICE = Message(
    "schedule.route_file.team_without_device",
    en="Team {team_id} has no device (IMEI): its route file has no addressee.",
    pt="A equipe {team_id} não tem aparelho (IMEI) para receber o arquivo do roteiro.",
    rule="ROT-06",
)
