"""The hydrometer rules' messages (H-, OS-, I-, R-, S-, M-, A- and V- rules)."""

from __future__ import annotations

import attrs

from gsan_core.errors import Message
from gsan_core.rules.service_orders import PROPERTY_IN_FIELD as _ORDER_IN_FIELD
from gsan_core.rules.validation import REQUIRED


# ================================================================ messages
def _with_rule(message: Message, rule: str, gsan_key: str | None = None) -> Message:
    return attrs.evolve(message, rule=rule, gsan_key=gsan_key or message.gsan_key)


MALFORMED_FIXED = Message(
    "hydrometer.number.malformed_fixed",
    en="The fixed part {fixed!r} must be {length} characters: the capacity letter, the two-digit year of manufacture, the brand letter{extra}.",
    pt="O fixo {fixed!r} deve ter {length} caracteres: a letra da capacidade, o ano de fabricação com dois dígitos, a letra da marca{extra_pt}.",
    gsan_key="errors.invalid",
    rule="H-12",
)
MALFORMED_NUMBER = Message(
    "hydrometer.number.malformed",
    en="The hydrometer number {number!r} does not follow the {layout} layout ({expected}).",
    pt="O número do hidrômetro {number!r} não segue o formato {layout!r} ({esperado}).",
    gsan_key="errors.invalid",
    rule="H-12",
)
CAPACITY_MISMATCH = Message(
    "hydrometer.number.capacity_mismatch",
    en="The capacity's letter {code!r} is not the 1st character of {fixed!r}.",
    pt="Capacidade selecionada incompatível com número Fixo ({fixed!r}).",
    gsan_key="atencao.capacidade_incompativel_numero_fixo",
    rule="H-3",
)
BRAND_MISMATCH = Message(
    "hydrometer.number.brand_mismatch",
    en="The brand's letter {code!r} is not the 4th character of {fixed!r}.",
    pt="Marca selecionada incompatível com número Fixo ({fixed!r}).",
    gsan_key="atencao.marca_incompativel_numero_fixo",
    rule="H-2",
)
TURBINE_MISMATCH = Message(
    "hydrometer.number.turbine_mismatch",
    en="The turbine type's letter {code!r} is not the 5th character of {fixed!r}.",
    pt="Tipo de Instalação da Turbina incompatível com número Fixo ({fixed!r}).",
    gsan_key="atencao.tipo_turbina_incompativel_numero_fixo",
    rule="H-13",
)
YEAR_MISMATCH = Message(
    "hydrometer.number.year_mismatch",
    en="The year of manufacture {year} does not match the fixed part {fixed!r} ({derived}).",
    pt="O ano de fabricação {year} não corresponde ao fixo {fixed!r} ({derived}).",
    gsan_key="errors.invalid",
    rule="H-12",
)
LOCATION_UNKNOWN = Message(
    "hydrometer.location_unknown",
    en="Stock location {location_id} does not exist or is inactive.",
    pt="Local de Armazenagem informado inexistente ({location_id}).",
    gsan_key="atencao.pesquisa.hidrometro_local_armazenagem.inexistente",
    rule="H-1",
)
ACQUIRED_IN_FUTURE = Message(
    "hydrometer.acquired_in_future",
    en="The acquisition date {acquired_on} is after today ({today}).",
    pt="Data de aquisição {acquired_on} não pode ser superior à data corrente.",
    gsan_key="atencao.data.aquisicao.nao.superior.data.corrente",
    rule="H-4",
)
ACQUIRED_TOO_EARLY = Message(
    "hydrometer.acquired_too_early",
    en="The acquisition date {acquired_on} is before 01/01/{earliest}.",
    pt="Data de aquisição {acquired_on} não pode ser inferior a 01/01/{earliest}.",
    gsan_key="atencao.data.aquisicao.nao.inferior.1985",
    rule="H-5",
)
YEAR_IN_FUTURE = Message(
    "hydrometer.year_in_future",
    en="The year of manufacture {year} is after the current year {current}.",
    pt="Ano de fabricação {year} não pode ser superior ao ano corrente.",
    gsan_key="atencao.ano.fabricacao.nao.superior.data.corrente",
    rule="H-6",
)
YEAR_TOO_EARLY = Message(
    "hydrometer.year_too_early",
    en="The year of manufacture {year} is before {earliest}.",
    pt="Ano de fabricação {year} não pode ser inferior a {earliest}.",
    gsan_key="atencao.ano.fabricacao.nao.inferior.1985",
    rule="H-7",
)
ACQUIRED_BEFORE_MANUFACTURE = Message(
    "hydrometer.acquired_before_manufacture",
    en="The meter was acquired in {acquired_year}, before its year of manufacture {year}.",
    pt="Ano da data de aquisição {acquired_year} menor que o ano de fabricação {year}.",
    gsan_key="atencao.ano.aquisicao.menor.ano.fabricacao",
    rule="H-8",
)
RANGE_INVALID = Message(
    "hydrometer.range.invalid",
    en="The range {first}..{last} is invalid: both positive, the final not below the initial, at most {digits} digits.",
    pt="Faixa {first}..{last} inválida: ambos positivos, final maior ou igual ao inicial, no máximo {digits} dígitos.",
    gsan_key="errors.range",
    rule="H-9",
)
RANGE_NEEDS_LAYOUT = Message(
    "hydrometer.range.needs_layout",
    en="Meters with free numbers are inserted one at a time: a range needs a fixed layout.",
    pt="Hidrômetros de numeração livre são inseridos um a um: a faixa exige um formato com fixo.",
    gsan_key="errors.invalid",
    rule="H-9",
)
RANGE_EMPTY = Message(
    "hydrometer.range.empty",
    en="No meter has a number from {first_number} to {last_number}.",
    pt="A pesquisa não retornou nenhum resultado ({first_number} a {last_number}).",
    gsan_key="atencao.pesquisa.nenhumresultado",
    rule="H-9",
)
RANGE_HAS_EXISTING = Message(
    "hydrometer.range.existing_numbers",
    en="{count} meter(s) already have numbers in the range {first_number}..{last_number} (e.g. {example}).",
    pt="Já existe(m) {count} hidrometro(s) com numeração dentro da faixa informada (ex.: {example}).",
    gsan_key="atencao.ja.existem.hidrometros.numeracao.dentro.faixa.informada",
    rule="H-10",
)
NUMBER_EXISTS = Message(
    "hydrometer.number.exists",
    en="A meter with the number {number} already exists (id {other_id}).",
    pt="Hidrometro com o número {number} já existe no cadastro.",
    gsan_key="atencao.hidrometro_ja_existente",
    rule="H-10",
)
REFERENCE_MISSING = Message(
    "hydrometer.reference_missing",
    en="{field} {value} does not exist or is inactive.",
    pt="{campo} {value} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="H-12",
)
REQUIRED_FIELD = _with_rule(REQUIRED, "H-12")
DIGITS_OUT_OF_RANGE = Message(
    "hydrometer.reading_digits_out_of_range",
    en="{digits} reading digits: capacity {capacity_id} allows {minimum} to {maximum}.",
    pt="Número de dígitos de leitura {digits}: a capacidade {capacity_id} permite de {minimum} a {maximum}.",
    gsan_key="errors.range",
    rule="H-12",
)
NEGATIVE_VALUE = Message(
    "hydrometer.negative_value",
    en="{field} may not be negative, got {value}.",
    pt="{campo} não pode ser negativo(a); informado {value}.",
    gsan_key="errors.range",
    rule="H-12",
)

# ---------------------------------------------------------------- OS-5, OS-6
PROPERTY_INACTIVE = Message(
    "hydrometer.property_inactive",
    en="Property {property_id} is not active.",
    pt="Imóvel {property_id} não está ativo.",
    gsan_key="atencao.atualizar_imovel_situacao_invalida",
    rule="OS-5",
)
PROPERTY_IN_FIELD = attrs.evolve(
    _ORDER_IN_FIELD, code="hydrometer.property_in_field", rule="OS-6"
)

# ---------------------------------------------------------------- I-2, R-2, S-2, M-2, A-1
_WRONG_TYPE: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "install",
        "atencao.servico_associado_instalacao_hidrometro_invalida",
        "I-2",
        "install a hydrometer",
        "instalação de hidrômetro",
    ),
    (
        "remove",
        "atencao.servico_associado_retirada_hidrometro_invalida",
        "R-2",
        "remove a hydrometer",
        "retirada de hidrômetro",
    ),
    (
        "replace",
        "atencao.servico_associado_substituicao_hidrometro_invalida",
        "S-2",
        "replace a hydrometer",
        "substituição de hidrômetro",
    ),
    (
        "relocate",
        "atencao.servico_associado_remanejamento_hidrometro_invalida",
        "M-2",
        "relocate a hydrometer",
        "remanejamento de hidrômetro",
    ),
    (
        "update_installation",
        "atencao.servico_associado_atualizar_instalacao_hidrometro_invalida",
        "A-1",
        "change the hydrometer installation data",
        "alteração dos dados da instalação de hidrômetro",
    ),
)
#: Each meter operation's own "the order's service does not allow..." message.
WRONG_SERVICE_TYPE: dict[str, Message] = {
    f"hydrometer.{key}": Message(
        f"hydrometer.{key}.wrong_service_type",
        en=f"The service of order {{order_id}} (type {{service_type_id}}) does not allow to {what}.",
        pt=f"Serviço associado à ordem de serviço informada não permite {oque}.",
        gsan_key=gsan_key,
        rule=rule,
    )
    for key, gsan_key, rule, what, oque in _WRONG_TYPE
}

# ---------------------------------------------------------------- readings
READING_NOT_A_NUMBER = Message(
    "hydrometer.reading.not_a_number",
    en="{field} must be a whole number, got {value!r}.",
    pt="{campo} deve ser um número; informado {value!r}.",
    gsan_key="errors.integer",
)
READING_NEGATIVE = Message(
    "hydrometer.reading.negative",
    en="{field} may not be negative, got {value}.",
    pt="{campo} não pode ser negativa; informada {value}.",
    gsan_key="atencao.long",
)
READING_TOO_MANY_DIGITS = Message(
    "hydrometer.reading.too_many_digits",
    en="{field} {value} has more digits than the meter's {digits}.",
    pt="Quantidade de dígitos da leitura é superior ao número de dígitos de leitura do hidrômetro ({digits}).",
    gsan_key="atencao.digitos.leitura.maior.hidrometro",
)

# ---------------------------------------------------------------- installation
WATER_SITUATION_NOT_ALLOWED = Message(
    "hydrometer.install.water_situation_not_allowed",
    en="The water connection of property {property_id} is {situation}: a meter is installed only on a connection that is connected, under inspection or cut.",
    pt="Situação da Ligação de água do Imóvel {property_id} está inválida para efetuar a instalação de hidrômetro na Ligação de água ({situation}).",
    gsan_key="atencao.instalacao_hidrometro_situacao_ligacao_agua_invalida",
    rule="I-7",
)
SEWER_SITUATION_NOT_ALLOWED = Message(
    "hydrometer.install.sewer_situation_not_allowed",
    en="The sewer connection of property {property_id} is {situation}: a well meter needs it connected.",
    pt="Situação da Ligação de Esgoto do Imóvel {property_id} está inválida para efetuar a instalação de hidrômetro no Poço, a situação deve ser Ligado.",
    gsan_key="atencao.situacao_instalacao_hidrometro_poco_invalida",
    rule="I-7'",
)
NO_WATER_CONNECTION = Message(
    "hydrometer.no_water_connection",
    en="Property {property_id} has no water connection (its water situation is {situation}).",
    pt="Ligação de Água do imóvel {property_id} não cadastrado(a).",
    gsan_key="atencao.naocadastrado",
    rule="I-8",
)
POINT_HAS_METER = Message(
    "hydrometer.install.point_has_meter",
    en="Property {property_id} already has meter {hydrometer_id} installed on its {point}.",
    pt="Imóvel já tem hidrômetro instalado no imóvel para o tipo de medição {ponto}.",
    gsan_key="atencao.hidrometro_instalado_ligacao_agua",
    rule="I-9",
)
METER_REQUIRED = Message(
    "hydrometer.install.meter_required",
    en="Give the meter to install by id or by number (exactly one).",
    pt="Informe o hidrômetro a instalar pelo id ou pelo número (apenas um).",
    gsan_key="atencao.required",
    rule="I-10",
)
METER_UNKNOWN = Message(
    "hydrometer.install.meter_unknown",
    en="Meter {meter} does not exist.",
    pt="Hidrômetro Inexistente ({meter}).",
    gsan_key="atencao.hidrometro_inexistente",
    rule="I-10",
)
LOCATION_INCOMPATIBLE = Message(
    "hydrometer.install.location_incompatible",
    en="Meter {number} is stocked at location {meter_location}; the locality of property {property_id} uses location {locality_location}.",
    pt="O local de armazenagem do hidrômetro não é compatível com a localidade do imóvel.",
    gsan_key="atencao.hidrometro_local_armazenagem_imovel_diferente_hidrometro_local_armazenagem_hidrometro",
    rule="I-11",
)
METER_NOT_AVAILABLE = Message(
    "hydrometer.install.not_available",
    en="Meter {number} is {situation}: only an available meter can be installed.",
    pt="Hidrômetro com situação {situation} não pode ser instalado.",
    gsan_key="atencao.hidrometro_situacao_indisponivel",
    rule="I-12",
)
INSTALLATION_REFERENCE_MISSING = _with_rule(REFERENCE_MISSING, "I-13")
WELL_TYPE_NOT_OFFERED = Message(
    "hydrometer.install.well_type_not_offered",
    en="Well type {well_type_id} does not exist, is inactive or is not offered for well meters.",
    pt="Tipo de Poço {well_type_id} inexistente, inativo ou não disponível para hidrômetro de poço.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="I-13",
)
WELL_TYPE_ON_WATER_CONNECTION = Message(
    "hydrometer.install.well_type_on_water_connection",
    en="A well type is given only for a meter on the well, not on the water connection.",
    pt="O tipo de poço só é informado para o hidrômetro instalado no poço.",
    rule="I-13",
)
INSTALLED_IN_FUTURE = Message(
    "hydrometer.install.date_in_future",
    en="The installation date {installed_on} is after today ({today}).",
    pt="Data de instalação {installed_on} maior que a data corrente.",
    gsan_key="atencao.data_instalacao_maior_data_corrente",
    rule="I-14",
)
PERIOD_OVERLAP = Message(
    "hydrometer.install.period_overlap",
    en="Installing on {installed_on} would overlap the {whose} installation that ended on {removed_on}.",
    pt="Instalar em {installed_on} sobreporia a instalação {cujo} encerrada em {removed_on}.",
    rule="I-15",
)

# ---------------------------------------------------------------- removal
NO_METER_AT_POINT = Message(
    "hydrometer.remove.no_meter",
    en="Property {property_id} has no meter installed on its {point}.",
    pt="Não existe hidrômetro instalado {no_ponto} para este imóvel.",
    gsan_key="atencao.hidrometro_instalado_nao_existente",
    rule="R-7",
)
SITUATION_UNKNOWN = Message(
    "hydrometer.remove.situation_unknown",
    en="Hydrometer situation {situation_id} does not exist or is inactive.",
    pt="Situação do Hidrômetro {situation_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="R-8",
)
TARGET_INSTALLED = Message(
    "hydrometer.remove.target_installed",
    en="A meter leaving a property cannot stay {situation}: choose another situation.",
    pt="Informe uma situação válida p/ o hidrômetro retirado ({situation}).",
    gsan_key="atencao.hidrometro_situacao_disponivel",
    rule="R-8",
)
#: S-8: GSAN's own refusal (the removal's R-8 borrows its key).
OUTGOING_TARGET_INSTALLED = Message(
    "hydrometer.replace.target_installed",
    en="The replaced meter cannot stay {situation}: choose another situation for it.",
    pt="Informe uma situação válida p/ o hidrômetro substituído ({situation}).",
    gsan_key="atencao.hidrometro_situacao_disponivel",
    rule="S-8",
)
LOCATION_REQUIRED = Message(
    "hydrometer.remove.location_required",
    en="Give the stock location the removed meter goes to.",
    pt="Informe Local de Armazenagem do Hidrômetro.",
    gsan_key="atencao.required",
    rule="R-9",
)
REMOVAL_DATE_INVALID = Message(
    "hydrometer.remove.date_invalid",
    en="The removal date {removed_on} must be from the installation date {installed_on} to today ({today}).",
    pt="A data de retirada {removed_on} deve estar entre a data de instalação {installed_on} e hoje ({today}).",
    rule="R-11",
)

# ---------------------------------------------------------------- replacement
NO_METER_TO_REPLACE = Message(
    "hydrometer.replace.no_meter",
    en="Property {property_id} has no meter installed on its {point}.",
    pt="Imóvel {property_id} não tem hidrômetro instalado {no_ponto}.",
    gsan_key="atencao.imovel_ligacao_agua_sem_hidrometro",
    rule="S-7",
)
NEW_METER_UNKNOWN = Message(
    "hydrometer.replace.meter_unknown",
    en="Meter {meter} does not exist.",
    pt="Número do Hidrômetro {meter} inexistente.",
    gsan_key="atencao.numero_hidrometro_inexistente",
    rule="S-9",
)

# ---------------------------------------------------------------- relocation
NO_METER_TO_RELOCATE = attrs.evolve(
    NO_METER_TO_REPLACE, code="hydrometer.relocate.no_meter", rule="M-8"
)

# ---------------------------------------------------------------- update, UC0368
UPDATE_WINDOW_PASSED = Message(
    "hydrometer.update.window_passed",
    en="Service order {order_id} was closed {days_ago} days ago; its installation data may change for {days} days only.",
    pt="A ordem de serviço informada {order_id} já tem mais de {days} dias de encerramento não é possível atualizar dados da instalação hidrômetro.",
    gsan_key="atencao.instalacao_hidrometro_data_encerramento_os_invalida",
    rule="A-2",
)
WATER_SITUATION_WITHOUT_METER = Message(
    "hydrometer.update.water_situation",
    en="The water connection of property {property_id} is {situation}: it cannot have a meter.",
    pt="Ligação de água do imóvel {property_id} está {situation}, não é possível ter hidrômetro instalado na ligação de água deste imóvel.",
    gsan_key="atencao.imovel.ligacao_agua_situacao.incompativel",
    rule="A-4",
)
NO_METER_TO_UPDATE = Message(
    "hydrometer.update.no_meter",
    en="Property {property_id} has no meter installed on its {point}.",
    pt="Não existe hidrômetro instalado {no_ponto} deste imóvel.",
    gsan_key="atencao.imovel.ligacao_agua.hidrometro.inexistente",
    rule="A-4",
)
NOT_REMOVED = Message(
    "hydrometer.update.not_removed",
    en="Installation {installation_id} is current (not removed): it takes no removal reading.",
    pt="A instalação {installation_id} é a atual (o hidrômetro não foi retirado): não há leitura de retirada a informar.",
    rule="A-7",
)
CUT_READING_REQUIRED = Message(
    "hydrometer.update.cut_reading_required",
    en="Property {property_id} is cut: its meter needs the reading at the cut.",
    pt="Número de Leitura de corte obrigatória para imóvel com hidrômetro na ligação de água.",
    gsan_key="atencao.numero_leitura_corte_obrigatorio",
    rule="A-8",
)

# ---------------------------------------------------------------- movement
NOTHING_SELECTED = Message(
    "hydrometer.move.nothing_selected",
    en="Select at least one meter to move.",
    pt="Nenhum registro selecionado.",
    rule="V-1",
)
MOVED_METER_UNKNOWN = Message(
    "hydrometer.move.meter_unknown",
    en="Meter {hydrometer_id} does not exist.",
    pt="Hidrômetro Inexistente ({hydrometer_id}).",
    gsan_key="atencao.hidrometro_inexistente",
    rule="V-1",
)
MIXED_ORIGINS = Message(
    "hydrometer.move.mixed_origins",
    en="The selected meters are in {count} different stock locations ({locations}); a movement leaves one.",
    pt="Dentre os hidrômetros selecionados não há uniformidade do local de armazenagem.",
    gsan_key="atencao.hidrometros.selecionados.nao.uniformidade.local.armazenagem",
    rule="V-2",
)
MOVING_INSTALLED = Message(
    "hydrometer.move.installed",
    en="{count} selected meter(s) are installed (e.g. {number}) and cannot be moved.",
    pt="Não é possível movimentar hidrômetros instalados.",
    gsan_key="atencao.nao.possivel.movimentar.hidrometros.instalados",
    rule="V-3",
)
DESTINATION_UNKNOWN = _with_rule(LOCATION_UNKNOWN, "V-4")
SAME_LOCATION = Message(
    "hydrometer.move.same_location",
    en="The meters are already at location {location_id}.",
    pt="Não é possível movimentar hidrômetro(s) para mesmo local de armazenagem.",
    gsan_key="atencao.nao.possivel.movimentar.hidrometro.mesmo.local.armazenagem",
    rule="V-5",
)
MOVEMENT_DATE_IN_FUTURE = Message(
    "hydrometer.move.date_in_future",
    en="The movement date {moved_on} is after today ({today}).",
    pt="Data de Movimentação posterior à data corrente.",
    rule="V-6",
)
MOVEMENT_DATE_TOO_OLD = Message(
    "hydrometer.move.date_too_old",
    en="The movement date {moved_on} is before {earliest} (at most {days} days back).",
    pt="A Data de Movimentação deve ser maior que a data atual menos {days} dias.",
    gsan_key="atencao.data.movimentacao.nao.inferior.data.limite",
    rule="V-6",
)
MOVEMENT_REASON_UNKNOWN = _with_rule(REFERENCE_MISSING, "V-6")

# ---------------------------------------------------------------- anomaly actions
DUPLICATE_ANOMALY_ACTION = Message(
    "consumption_anomaly_action.duplicate",
    en="Anomaly {anomaly_id} already has an action for category {category_id} and profile {profile_id} (id {other_id}).",
    pt="Já existe ação para a anormalidade {anomaly_id}, categoria {category_id} e perfil {profile_id} (id {other_id}).",
    gsan_key="atencao.consumo_anormalidade_acao_ja_cadastrada",
    rule="CA-1",
)
ANOMALY_STEP_MONTHS = Message(
    "consumption_anomaly_action.months",
    en="The steps must be for months 1, 2 and 3, each at most once; got {months}.",
    pt="As ações devem ser dos meses 1, 2 e 3, cada um no máximo uma vez; informado {months}.",
    gsan_key="errors.range",
    rule="CA-2",
)
ANOMALY_REFERENCE_MISSING = _with_rule(REFERENCE_MISSING, "CA-1")
METER_IN_USE = Message(
    "hydrometer.delete.in_use",
    en="Meter {hydrometer_id} has {installations} installation(s) and {movements} movement(s): it cannot be deleted.",
    pt="Hidrômetro {hydrometer_id} possui histórico de instalação ou movimentação. Remova as dependências.",
    gsan_key="atencao.dependencias.existentes",
)
