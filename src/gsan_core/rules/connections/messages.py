"""The connection rules' messages (each with its GSAN key and rule number)."""

from __future__ import annotations

from collections.abc import Mapping

from gsan_core.errors import Message
from gsan_core.rules.connections.facts import SewerBillingChange


# ---------------------------------------------------------------- messages
def _m(code: str, en: str, pt: str, *, key: str | None, rule: str) -> Message:
    return Message(code, en=en, pt=pt, gsan_key=key, rule=rule)


PROPERTY_INACTIVE = _m(
    "connection.property_inactive",
    "Property {property_id} is not active.",
    "Imóvel {property_id} associado a ordem de serviço não está ativo.",
    key="atencao.atualizar_imovel_situacao_invalida",
    rule="C-ATV",
)
CONNECT_WATER_PROPERTY_INACTIVE = _m(
    "connection.water.connect.property_inactive",
    "Property {property_id} is not active.",
    "Imóvel {property_id} associado a ordem de serviço não está ativo.",
    key="atencao.situacao_imovel_indicador_exclusao",
    rule="V-LA6",
)
CONNECT_SEWER_PROPERTY_INACTIVE = _m(
    "connection.sewer.connect.property_inactive",
    "Property {property_id} is not active.",
    "Imóvel {property_id} associado a ordem de serviço não está ativo.",
    key="situacao_imovel_indicador_exclusao_esgoto",
    rule="V-LE6",
)
NO_WATER_CONNECTION = _m(
    "connection.water.missing",
    "Property {property_id} has no water connection.",
    "Nenhum(a) Ligação de Água encontrado(a).",
    key="atencao.naocadastrado",
    rule="C-LA",
)
NO_SEWER_CONNECTION = _m(
    "connection.sewer.missing",
    "Property {property_id} has no sewer connection.",
    "Nenhum(a) Ligação de Esgoto encontrado(a).",
    key="atencao.naocadastrado",
    rule="C-LA",
)
PROPERTY_IN_FIELD = _m(
    "connection.property_in_field",
    "Property {property_id} cannot change until its group is billed for {reference}.",
    "O imóvel não pode sofrer alterações, até que seu grupo seja faturado para a referência {reference}.",
    key="atencao.imovel_em_campo",
    rule="C-CAMPO",
)
REQUIRED = _m(
    "connection.required",
    "{field} is required.",
    "Informe {campo}.",
    key="atencao.required",
    rule="C-REQ",
)
UNKNOWN_REFERENCE = _m(
    "connection.unknown_reference",
    "{field} {value} does not exist or is inactive.",
    "{campo} {value} inexistente.",
    key="atencao.pesquisa_inexistente",
    rule="C-REF",
)
NEGATIVE_VALUE = _m(
    "connection.negative_value",
    "{field} must not be negative, got {value}.",
    "{campo} não pode ser negativo(a): {value}.",
    key="atencao.campo.invalido",
    rule="C-REQ",
)
DATE_IN_FUTURE = _m(
    "connection.date_in_future",
    "The {field} {on} is after today ({today}).",
    "{campo} {on} posterior à data corrente ({today}).",
    key="atencao.data.invalida",
    rule="C-DATE",
)
DATE_TOO_EARLY = _m(
    "connection.date_too_early",
    "The {field} {on} is before the {after_field} {after}.",
    "{campo} {on} anterior à {apos} {after}.",
    key="atencao.data.invalida",
    rule="C-DATE",
)
CONNECT_WATER_STATUS = _m(
    "connection.water.connect.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: it cannot be connected.",
    "Situação da Ligação de água do Imóvel {status} está inválida para efetuar a ligação, a situação da água deve ser Potencial, Factível ou Em Fiscalização.",
    key="atencao.situacao_validar_ligacao_agua_invalida_exibir",
    rule="V-LA4",
)
NO_WATER_NETWORK = _m(
    "connection.water.connect.no_network",
    "There is no water network in the block of property {property_id}.",
    "Não existe rede de água na quadra do imóvel {property_id}.",
    key="atencao.seituacao_rede_agua_quadra",
    rule="V-LA5",
)
CUT_STATUS = _m(
    "connection.water.cut.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: it cannot be cut.",
    "Situação ligação de água do Imóvel {status} está inválida para efetuar o Corte de Ligação de água, a situação deve ser Ligado.",
    key="atencao.situacao_agua_imovel_invaliga",
    rule="V-CO7",
)
CUT_TYPE_ADMINISTRATIVE = _m(
    "connection.water.cut.administrative_type",
    "Cut type {cut_type_id} is administrative; a cut needs a non-administrative type.",
    "O tipo de corte {cut_type_id} é administrativo.",
    key="atencao.pesquisa_inexistente",
    rule="V-CO9",
)
ADMINISTRATIVE_CUT_STATUS = _m(
    "connection.water.administrative_cut.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: no administrative cut.",
    "Situação da ligação de água do imóvel inválida para corte.",
    key="atencao.situacao_ligacao_agua_invalida",
    rule="V-CAD1",
)
CUT_TYPE_NOT_ADMINISTRATIVE = _m(
    "connection.water.administrative_cut.type_not_administrative",
    "Cut type {cut_type_id} is not administrative.",
    "O tipo de corte {cut_type_id} não é administrativo.",
    key="atencao.pesquisa_inexistente",
    rule="V-CAD2",
)
SUPPRESS_STATUS = _m(
    "connection.water.suppress.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: it cannot be suppressed.",
    "Situação da Ligação de água do Imóvel {status} está inválida para efetuar a supressão",
    key="atencao.situacao_ligacao_agua_supressao_invalida",
    rule="V-SU5",
)
SUPPRESSION_TYPE_MISMATCH = _m(
    "connection.water.suppress.type_mismatch",
    "Suppression type {suppression_type_id} is not a {expected} suppression.",
    "O tipo de supressão {suppression_type_id} não é de supressão {esperado}.",
    key="atencao.pesquisa_inexistente",
    rule="V-SU7",
)
SUPPRESSION_DEBTS = _m(
    "connection.water.suppress.debts",
    "Property {property_id} has {count} open debt(s): it cannot be suppressed at the customer's request.",
    "Não é possivel efetuar supressão da ligação devido a existência de débito.",
    key="atencao.nao_e_possivel_efetuar_supressao",
    rule="V-SU8",
)
SUPPRESSION_PERMISSION = _m(
    "connection.water.suppress.permission_required",
    "Suppressing for reason {reason_id} needs special permission {permission_id}.",
    "Necessário permissão especial para efetuar supressão.",
    key="atencao.necessario_permissao_para_efetuar_supressao",
    rule="V-SU8",
)
RECONNECT_STATUS = _m(
    "connection.water.reconnect.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: only a cut connection is reconnected.",
    "Situação da ligação de água do imóvel {property_id} inválida para religação, a situação deve ser Cortado.",
    key="atencao.situacao_ligacao_agua_invalida",
    rule="V-RL1",
)
RESTORE_STATUS = _m(
    "connection.water.restore.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: only a suppressed connection is restored.",
    "Situação da Ligação de água do Imóvel {property_id} está invalida para efetuar o Restabelecimento da Ligação de água, a situação de água deve ser Suprimido ou Suprimido Parcial.",
    key="atencao.situacao_ligacao_agua_invalida_restabelecimento",
    rule="V-RS1",
)
CONNECT_SEWER_STATUS = _m(
    "connection.sewer.connect.sewer_status_not_allowed",
    "The sewer situation of property {property_id} is {status}: it cannot be connected.",
    "Situação da Ligação de Esgoto do Imóvel {status} está inválida para efetuar a ligação, a situação do esgoto deve ser Potencial, Factível ou Em Fiscalização.",
    key="atencao.situacao_validar_ligacao_esgoto_invalida_exibir",
    rule="V-LE4",
)
NO_SEWER_NETWORK = _m(
    "connection.sewer.connect.no_network",
    "There is no sewer network in the block of property {property_id}.",
    "Não existe rede de esgoto na quadra do imóvel {property_id}.",
    key="atencao.percentual_rede_esgoto_quadra",
    rule="V-LE5",
)
COLLECTION_PERMISSION = _m(
    "connection.sewer.collection_percentage_permission",
    "A collection percentage other than 100 needs special permission {permission_id}.",
    "Alterar o percentual de coleta exige a permissão especial {permission_id}.",
    key="atencao.necessario_permissao_especial",
    rule="V-LE8",
)
PERCENTAGE_OUT_OF_RANGE = _m(
    "connection.sewer.percentage_out_of_range",
    "The {field} must be between 0 and 100, got {value}.",
    "{campo} deve ser no máximo 100%: {value}.",
    key="atencao.percentual_coleta_invalido",
    rule="V-LE8",
)
BILLING_NO_TRANSITION = _m(
    "connection.sewer.billing.no_transition",
    "Service type {service_type_id} defines no sewer billing change.",
    "Serviço associado à ordem de serviço informada não permite alteração dos dados da ligação de esgoto.",
    key="atencao.servico_associado_atualizar_ligacao_esgoto_invalida",
    rule="V-MB1",
)
_BILLING_WATER_KEYS = {
    SewerBillingChange.PLUG: "atencao.situacao_tamponamento_ligacao_agua_imovel_invalida",
    SewerBillingChange.DEACTIVATE: "atencao.situacao_desativacao_ligacao_agua_imovel_invalida",
}
_BILLING_SEWER_KEYS = {
    SewerBillingChange.PLUG: "atencao.situacao_tamponamento_ligacao_esgoto_imovel_invalida",
    SewerBillingChange.DEACTIVATE: "atencao.situacao_desativacao_ligacao_esgoto_imovel_invalida",
    SewerBillingChange.RESTORE: "atencao.situacao_restabelecimento_ligacao_esgoto_imovel_invalida",
    SewerBillingChange.REACTIVATE: "atencao.situacao_reativacaoo_ligacao_esgoto_imovel_invalida",
}
#: Each sewer billing change names itself in its refusals (GSAN's texts).
_BILLING_NAMES = {
    SewerBillingChange.PLUG: ("plugged", "tamponamento"),
    SewerBillingChange.DEACTIVATE: ("deactivated", "desativação"),
    SewerBillingChange.RESTORE: ("restored", "restabelecimento"),
    SewerBillingChange.REACTIVATE: ("reactivated", "reativação"),
}
BILLING_WATER_STATUS = {
    change: _m(
        f"connection.sewer.billing.{change.value}.water_status_not_allowed",
        "The water situation of property {property_id} is {status}: the sewer "
        f"connection cannot be {_BILLING_NAMES[change][0]}.",
        "Situação da Ligação de água do Imóvel {status} está inválida para efetuar a "
        f"{_BILLING_NAMES[change][1]} da ligação de esgoto.",
        key=key,
        rule="V-MB2",
    )
    for change, key in _BILLING_WATER_KEYS.items()
}
BILLING_SEWER_STATUS = {
    change: _m(
        f"connection.sewer.billing.{change.value}.sewer_status_not_allowed",
        "The sewer situation of property {property_id} is {status}: it cannot be "
        f"{_BILLING_NAMES[change][0]}.",
        "Situação da Ligação de Esgoto do Imóvel {status} está inválida para "
        f"{_BILLING_NAMES[change][1]} da ligação de esgoto.",
        key=key,
        rule="V-MB3",
    )
    for change, key in _BILLING_SEWER_KEYS.items()
}
ORDER_REQUIRED = _m(
    "connection.order_required",
    "Operation {operation} runs only through its service order: give the order.",
    "Informe Ordem de Serviço.",
    key="atencao.required",
    rule="V-CO1",
)
TARIFF_NOT_ALLOWED = _m(
    "connection.water.connect.tariff_not_allowed",
    "The consumption tariff {tariff_id} of property {property_id} is not one of those bound to connection profile {profile_id} ({allowed}).",
    "Tarifa de consumo do imóvel é diferente da tarifa permitida para o perfil selecionado.",
    key="atencao.tarifa_consumo_perfil_ligacao",
    rule="V-LA7",
)
MINIMUM_BELOW_CALCULATED = _m(
    "connection.water.minimum_below_calculated",
    "The minimum consumption {value} m³ is below the calculated minimum {minimum} m³ of property {property_id}.",
    "Volume mínimo informado não deve ser menor que o valor mínimo calculado do imóvel {minimum} m³.",
    key="atencao.atualizar_situacao_consumo_minimo_fixado_menor_minimo",
    rule="V-CM1",
)
VOLUME_BELOW_CALCULATED = _m(
    "connection.sewer.minimum_below_calculated",
    "The minimum volume {value} m³ is below the calculated minimum {minimum} m³ of property {property_id}.",
    "Volume mínimo informado não deve ser menor que o valor mínimo calculado do imóvel {minimum} m³.",
    key="atencao.situacao_volume_minimo_fixado_menor_consumo_calculado",
    rule="V-VM1",
)
CHANGE_WRONG_SERVICE_TYPE = _m(
    "connection.change_situation.wrong_service_type",
    "Service type {service_type_id} does not change the connection situation.",
    "Serviço associado à ordem de serviço não corresponde a Alterar Situação da Ligação de água/Esgoto.",
    key="atencao.servico_associado_alteracao_situacao_ligacao_invalida",
    rule="V-AS1",
)
CHANGE_ORDER_CLOSED = _m(
    "connection.change_situation.order_closed",
    "Service order {order_id} is closed: the change of situation closes an open order.",
    "Esta Ordem de Serviço está ENCERRADA.",
    key="atencao.os.encerrada",
    rule="V-AS2",
)
CHANGE_TARGET_REQUIRED = _m(
    "connection.change_situation.required",
    "{field} is required.",
    "Informe {campo}.",
    key="atencao.required",
    rule="V-AS3",
)
CHANGE_SITUATION_NOT_OFFERED = _m(
    "connection.change_situation.situation_not_offered",
    "Situation {status_id} is not offered for the {kind} connection of property {property_id} (offered: {offered}).",
    "Situação {status_id} não permitida para a ligação de {tipo} do imóvel {property_id} (permitidas: {offered}).",
    key="atencao.entidade_sem_dados_para_selecao",
    rule="V-AS4",
)
CHANGE_DEBTS = _m(
    "connection.change_situation.debts",
    "Property {property_id} has {count} open debt(s): its situation cannot change without special permission {permission_id}.",
    "Não é possível alterar a situação da ligação devido a existência de débito.",
    key="atencao.imovel_com_debito",
    rule="V-AS5",
)
CHANGE_WATER_METER = _m(
    "connection.change_situation.water_meter_installed",
    "Property {property_id} has a meter on its water connection.",
    "O Imóvel {property_id} possui hidrômetro instalado na ligação de água, não é possível alterar a situação da ligação de água.",
    key="atencao.hidrometro_ja_instalado_ligacao_agua",
    rule="V-AS6",
)
CHANGE_WELL_METER = _m(
    "connection.change_situation.well_meter_installed",
    "Property {property_id} has a meter on its well (the sewer measurement).",
    "O Imóvel {property_id} possui hidrômetro instalado na ligação de esgoto, não é possível alterar a situação da ligação de esgoto.",
    key="atencao.hidrometro_ja_instalado_ligacao_esgoto",
    rule="V-AS7",
)
UPDATE_ORDER_TOO_OLD = _m(
    "connection.update.order_too_old",
    "Service order {order_id} was closed more than {days} days ago: it cannot update the {kind} connection.",
    "A ordem de serviço informada {order_id} já tem mais de {days} dias de encerramento não é possível atualizar dados da ligação.",
    key="atencao.ligacao_agua_data_encerramento_os_invalida",
    rule="V-UP1",
)
UPDATE_WATER_STATUS = _m(
    "connection.water.update.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: its connection data cannot change.",
    "Situação ligação de água do Imóvel é {status}.",
    key="atencao.atualizar_ligacao_agua_situacao_invalida",
    rule="V-UP2",
)
UPDATE_CUT_DATA = {
    field: _m(
        f"connection.water.update.cut_{field}_required",
        f"A cut connection needs its cut {field.replace('_', ' ')}.",
        f"{campo} é obrigatório para ligação de água em situação de CORTADO.",
        key=f"atencao.atualizar_ligacao_agua_situacao_{suffix}",
        rule="V-UP3",
    )
    for field, campo, suffix in (
        ("type", "Tipo do Corte", "tipo_corte"),
        ("reason", "Motivo do Corte", "motivo_corte"),
        ("seal", "Número Selo Corte", "selo_corte"),
    )
}
UPDATE_SUPPRESSION_DATA = {
    field: _m(
        f"connection.water.update.suppression_{field}_required",
        f"A suppressed connection needs its suppression {field.replace('_', ' ')}.",
        f"{campo} é obrigatório para ligação de água em situação de SUPRIMIDO ou SUP. PARC. PEDIDO.",
        key=f"atencao.atualizar_ligacao_agua_situacao_{suffix}",
        rule="V-UP4",
    )
    for field, campo, suffix in (
        ("type", "Tipo da Supressão", "tipo_supressao"),
        ("reason", "Motivo da Supressão", "motivo_supressao"),
        ("seal", "Número Selo Supressão", "selo_supressao"),
    )
}
UPDATE_SEWER_STATUS = _m(
    "connection.sewer.update.sewer_status_not_allowed",
    "The sewer situation of property {property_id} is {status}: its connection data cannot change.",
    "Situação da Ligação de Esgoto do Imóvel é {status}.",
    key="atencao.atualizar_situacao_ligacao_esgoto_invalida",
    rule="V-UE1",
)
CUT_TYPE_STATUS = _m(
    "connection.water.change_cut_type.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: its cut type cannot change.",
    "Situação da ligação de água do imóvel {status} inválida para alterar o tipo de corte.",
    key="atencao.situacao_ligacao_agua_invalida",
    rule="V-CT1",
)
FEATURE_DISABLED = _m(
    "connection.feature_disabled",
    "The utility does not use {feature}.",
    "A empresa não utiliza {funcionalidade}.",
    key="atencao.usuario.permissao_negada",
    rule="V-FF1",
)
NOT_PPP_LOCALITY = _m(
    "connection.sewer.feasible_billable.not_ppp",
    "The locality of property {property_id} is not under a PPP sewer contract.",
    "A localidade do imóvel {property_id} não possui contrato PPP.",
    key="atencao.pesquisa.nenhumresultado",
    rule="V-FF2",
)
FEASIBLE_BILLABLE_STATUS = _m(
    "connection.sewer.feasible_billable.sewer_status_not_allowed",
    "The sewer situation of property {property_id} is {status}: it cannot be {action}.",
    "Situação da Ligação de Esgoto do Imóvel {status} inválida para {acao} factível faturável.",
    key="atencao.pesquisa.nenhumresultado",
    rule="V-FF3",
)
WITHOUT_ORDER_PERMISSION = _m(
    "connection.without_order.permission_required",
    "Connecting without a service request needs special permission {permission_id}.",
    "Efetuar a ligação sem RA exige a permissão especial {permission_id}.",
    key="atencao.usuario.permissao_negada",
    rule="V-NO1",
)

# ---------------------------------------------------------------- with a meter
CONNECT_METER_STATUS = _m(
    "connection.water.connect_with_meter.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: it cannot be connected with a meter installation.",
    "Situação da Ligação de água do Imóvel {status} está inválida para efetuar a ligação, a situação da água deve ser Potencial, Factível ou Em Fiscalização.",
    key="atencao.situacao_validar_ligacao_agua_invalida_exibir",
    rule="V-LAH3",
)
RECONNECT_METER_STATUS = _m(
    "connection.water.reconnect_with_meter.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: only a cut connection is reconnected with a meter installation.",
    "Situação da Ligação de água do Imóvel {status} está inválida para efetuar a Religação de água com instalação de hidrômetro, a situação da água deve ser Cortado.",
    key="atencao.situacao_validar_religacao_agua_invalida_exibir",
    rule="V-RLH1",
)
RECONNECT_METER_INACTIVE = _m(
    "connection.water.reconnect_with_meter.property_inactive",
    "Property {property_id} is not active.",
    "Imóvel {property_id} associado a ordem de serviço não está ativo.",
    key="atencao.situacao_imovel_indicador_exclusao",
    rule="V-RLH2",
)
RESTORE_METER_STATUS = _m(
    "connection.water.restore_with_meter.water_status_not_allowed",
    "The water situation of property {property_id} is {status}: only a suppressed connection is restored with a meter installation.",
    "Situação da Ligação de água do Imóvel {property_id} está invalida para efetuar o Restabelecimento da Ligação de água, a situação de água deve ser Suprimido ou Suprimido Parcial.",
    key="atencao.situacao_ligacao_agua_invalida_restabelecimento",
    rule="V-RSH1",
)
RESTORE_METER_INACTIVE = _m(
    "connection.water.restore_with_meter.property_inactive",
    "Property {property_id} is not active.",
    "Imóvel {property_id} associado a ordem de serviço não está ativo.",
    key="atencao.situacao_imovel_indicador_exclusao",
    rule="V-RSH2",
)
RESTORE_METER_NO_NETWORK = _m(
    "connection.water.restore_with_meter.no_network",
    "There is no water network in the block of property {property_id}.",
    "Não existe rede de água na quadra do imóvel {property_id}.",
    key="atencao.seituacao_rede_agua_quadra",
    rule="V-RSH3",
)
METER_REQUIRED = _m(
    "connection.water.meter_required",
    "Give the meter to install (its id or number, reading, place and protection).",
    "Informe o Hidrômetro a instalar.",
    key="atencao.required",
    rule="C-HID1",
)
REPLACEMENT_REQUIRED = _m(
    "connection.water.replacement_required",
    "Give the meter replacement (the outgoing meter's reading and situation, and the incoming meter).",
    "Informe os dados da substituição do hidrômetro.",
    key="atencao.required",
    rule="C-HID2",
)


_WRONG_TYPE: tuple[tuple[str, str | None, str, str], ...] = (
    (
        "water.connect",
        "atencao.servico_associado_ligacao_agua_invalida",
        "V-LA1",
        "Ligação de água",
    ),
    (
        "water.cut",
        "atencao.servico_associado_corte_ligacao_agua_invalida",
        "V-CO2",
        "corte de ligação de água",
    ),
    (
        "water.administrative_cut",
        "atencao.servico_associado_corte_administrativo_ligacao_agua_invalida",
        "C-ST",
        "corte administrativo de ligação de água",
    ),
    (
        "water.suppress",
        "atencao.servico_associado_supressa_ligacao_agua_invalida",
        "V-SU1",
        "supressão da ligação de água",
    ),
    (
        "water.reconnect",
        "atencao.servico_associado_religacao_agua_invalida",
        "C-ST",
        "religação de água",
    ),
    (
        "water.restore",
        "atencao.servico_associado_restabelecimento_ligacao_agua_invalida",
        "C-ST",
        "restabelecimento de água",
    ),
    (
        "water.connect_with_meter",
        "atencao.servico_associado_ligacao_agua_instalacao_hidrometro_invalida",
        "C-ST",
        "Ligação de Água com Instalação de Hidrômetro",
    ),
    (
        "water.reconnect_with_meter",
        "atencao.servico_associado_religacao_agua_instalacao_hidrometro_invalida",
        "C-ST",
        "Religação de Água com Instalação de Hidrômetro",
    ),
    (
        "water.restore_with_meter",
        "atencao.servico_associado_restabelecimento_ligacao_agua_instalacao_hidrometro_invalida",
        "C-ST",
        "Restabelecimento da Ligação de Água com Instalação de Hidrômetro",
    ),
    (
        "water.connect_with_replacement",
        None,
        "C-ST",
        "Ligação de Água com Substituição de Hidrômetro",
    ),
    (
        "water.reconnect_with_replacement",
        None,
        "C-ST",
        "Religação de Água com Substituição de Hidrômetro",
    ),
    (
        "water.restore_with_replacement",
        None,
        "C-ST",
        "Restabelecimento da Ligação de Água com Substituição de Hidrômetro",
    ),
    (
        "water.minimum_consumption",
        "atencao.atualizar_consumo_minimo_ligacao_agua_servico",
        "C-ST",
        "Atualização do Consumo Mínimo de água",
    ),
    (
        "water.update",
        "atencao.servico_associado_atualizar_ligacao_agua_invalida",
        "C-ST",
        "alteração dos dados da ligação de água",
    ),
    (
        "sewer.connect",
        "atencao.servico_associado_ligacao_esgoto_invalida",
        "V-LE1",
        "Ligação de Esgoto",
    ),
    (
        "sewer.billing_situation",
        "atencao.servico_associado_atualizar_ligacao_esgoto_invalida",
        "C-ST",
        "alteração dos dados da ligação de esgoto",
    ),
    (
        "sewer.minimum_volume",
        "atencao.atualizar_volume_minimo_ligacao_esgoto_servico",
        "C-ST",
        "Atualização do Volume Mínimo de Esgoto",
    ),
    (
        "sewer.update",
        "atencao.servico_associado_atualizar_ligacao_esgoto_invalida",
        "C-ST",
        "alteração dos dados da ligação de esgoto",
    ),
)
#: C-ST: each operation's own "the order's service does not allow..." message.
WRONG_SERVICE_TYPE: Mapping[str, Message] = {
    "connection.change_situation": CHANGE_WRONG_SERVICE_TYPE,
    **{
        key: _m(
            f"connection.{key}.wrong_service_type",
            "The service of order {order_id} (type {service_type_id}) does not allow to {operation}.",
            f"Serviço associado à ordem de serviço informada não permite {what}.",
            key=gsan_key,
            rule=rule,
        )
        for key, gsan_key, rule, what in _WRONG_TYPE
    },
}
