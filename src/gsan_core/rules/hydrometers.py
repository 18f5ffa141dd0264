"""Rules of the hydrometer area (``domain/hydrometers.md``).

Pure functions over facts the services load: the meter stock and its number
layout (§1.12, H-1..H-12), the installation history (§2), the operations run by a
service order (§3: OS-5/OS-6, I-7..I-15, R-7..R-11, S-7..S-13, M-7..M-9, A-2..A-8)
and the stock movements (§3.6, V-1..V-6). The meter's situation lifecycle is data:
:data:`SITUATION_TRANSITIONS`, over the profile's situation roles.

Rules GSAN does not have, added so that installation periods never overlap, are
numbered after GSAN's: I-14/I-15 (installation date), R-11 (removal date), S-13
(replacement date), H-13 (CAGEPA's turbine letter).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

import attrs

from gsan_core.errors import ConfigurationError, Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import (
    ANOMALY_ACTION_MONTHS,
    ConsumptionAnomalyAction,
    Hydrometer,
    HydrometerAttributes,
    HydrometerInstallation,
    MeasurementPoint,
    StockEntry,
)
from gsan_core.model.profile import HydrometerNumberFormat, UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.rules.service_orders import PROPERTY_IN_FIELD as _ORDER_IN_FIELD
from gsan_core.rules.validation import REQUIRED, optional_text

__all__ = [
    "ANY_NOT_INSTALLED",
    "CHOSEN",
    "LOCATION_REQUIRED",
    "RANGE_EMPTY",
    "SITUATION_ROLES",
    "SITUATION_TRANSITIONS",
    "IncomingMeter",
    "InstallationChanges",
    "MeterEvent",
    "NewInstallation",
    "NumberLayout",
    "References",
    "Removal",
    "check_anomaly_action",
    "check_attributes",
    "check_fixed",
    "check_installation_update",
    "check_movement",
    "check_new_installation",
    "check_number",
    "check_number_free",
    "check_point_situation",
    "check_property",
    "check_range",
    "check_reading",
    "check_relocation",
    "check_removal",
    "check_update_window",
    "manufacture_year_of",
    "movement_situation",
    "number_layout",
    "range_numbers",
    "removal_outcome",
    "situation_after",
    "situation_id",
    "situation_role",
    "split_number",
]

# ================================================================ situations
#: The situation roles of a meter (``hydrometer_situation.<role>`` in the profile).
SITUATION_ROLES: Final = ("installed", "maintenance", "available", "stolen")
#: In :data:`SITUATION_TRANSITIONS`: any situation but ``installed``.
ANY_NOT_INSTALLED: Final = "*"
#: In :data:`SITUATION_TRANSITIONS`: the situation the user chose (never installed).
CHOSEN: Final = "chosen"


class MeterEvent(StrEnum):
    """What happens to a meter (the columns of the §3.7 transition table)."""

    INSERT = "insert"
    INSTALL = "install"
    REPLACE_INCOMING = "replace_incoming"
    REPLACE_OUTGOING = "replace_outgoing"
    REMOVE = "remove"
    MOVE_TO_WORKSHOP = "move_to_workshop"
    MOVE_TO_STORE = "move_to_store"


#: ``(situation role before, event) -> situation role after`` (§3.7). ``None``
#: before is a new meter; a missing pair is refused.
SITUATION_TRANSITIONS: Mapping[tuple[str | None, MeterEvent], str] = {
    (None, MeterEvent.INSERT): "available",
    ("available", MeterEvent.INSTALL): "installed",
    ("available", MeterEvent.REPLACE_INCOMING): "installed",
    ("installed", MeterEvent.REMOVE): CHOSEN,
    ("installed", MeterEvent.REPLACE_OUTGOING): CHOSEN,
    (ANY_NOT_INSTALLED, MeterEvent.MOVE_TO_WORKSHOP): "maintenance",
    (ANY_NOT_INSTALLED, MeterEvent.MOVE_TO_STORE): "available",
}


def situation_id(profile: UtilityProfile, role: str) -> int:
    """The id of the situation that plays ``role`` (``"installed"``...)."""
    ident = profile.id(f"hydrometer_situation.{role}")
    if ident is None:
        raise ConfigurationError(
            f"the profile maps no id to role 'hydrometer_situation.{role}'",
            field=f"roles.hydrometer_situation.{role}",
        )
    return ident


def situation_role(profile: UtilityProfile, situation: int | None) -> str | None:
    """The role ``situation`` plays, if any (``"available"``, ``"installed"``...)."""
    for role in SITUATION_ROLES:
        if profile.plays(f"hydrometer_situation.{role}", situation):
            return role
    return None


def situation_after(
    profile: UtilityProfile,
    current: int | None,
    event: MeterEvent,
    *,
    chosen: int | None = None,
) -> int | None:
    """The situation id after ``event`` from ``current`` (``None``: refused).

    ``chosen`` is the situation the user picked for a removed or replaced meter.
    """
    role = None if current is None else situation_role(profile, current)
    after = SITUATION_TRANSITIONS.get((role, event))
    if after is None and current is not None and role != "installed":
        after = SITUATION_TRANSITIONS.get((ANY_NOT_INSTALLED, event))
    if after is None:
        return None
    if after == CHOSEN:
        if chosen is None or situation_role(profile, chosen) == "installed":
            return None
        return chosen
    return situation_id(profile, after)


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
    pt="O número do hidrômetro {number!r} não segue o formato {layout} ({expected}).",
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


# ================================================================ number layouts
@attrs.frozen(kw_only=True)
class NumberLayout:
    """A meter-number layout: a fixed part and a zero-padded sequence.

    ``4x6`` (GSAN): capacity letter, two-digit year, brand letter, then the
    sequence padded to 6 digits (7 when the profile allows a 7-digit sequence).
    ``5x5`` (CAGEPA) and ``5x7`` (CASAL): a 5th fixed character, the turbine
    type's letter, then 5 or 7 digits. ``free``: any number, inserted one by one.
    """

    name: HydrometerNumberFormat
    fixed_length: int
    sequence_digits: int
    max_sequence_digits: int

    @property
    def free(self) -> bool:
        """The free layout (no fixed part, no ranges)."""
        return self.fixed_length == 0

    @property
    def max_sequence(self) -> int:
        """The highest sequence the layout holds."""
        return int(10**self.max_sequence_digits) - 1

    def number(self, fixed: str, sequence: int) -> str:
        """The number of ``sequence`` in the fixed part ``fixed``."""
        return f"{fixed}{sequence:0{self.sequence_digits}d}"

    def describe(self) -> str:
        """A human description of the layout."""
        if self.free:
            return "1 to 12 letters or digits"
        digits = (
            str(self.sequence_digits)
            if self.max_sequence_digits == self.sequence_digits
            else f"{self.sequence_digits} or {self.max_sequence_digits}"
        )
        return f"{self.fixed_length}-character fixed part + {digits}-digit sequence"


def number_layout(profile: UtilityProfile) -> NumberLayout:
    """The layout of the utility's meter numbers (``hydrometers.number_format``)."""
    params = profile.hydrometers
    name = params.number_format
    if name == "5x5":
        return NumberLayout(
            name=name, fixed_length=5, sequence_digits=5, max_sequence_digits=5
        )
    if name == "5x7":
        return NumberLayout(
            name=name, fixed_length=5, sequence_digits=7, max_sequence_digits=7
        )
    if name == "free":
        return NumberLayout(
            name=name, fixed_length=0, sequence_digits=0, max_sequence_digits=0
        )
    return NumberLayout(
        name=name,
        fixed_length=4,
        sequence_digits=6,
        max_sequence_digits=7 if params.allow_seven_digit_sequence else 6,
    )


_FIXED = {
    4: re.compile(r"[A-Z0-9][0-9]{2}[A-Z0-9]"),
    5: re.compile(r"[A-Z0-9][0-9]{2}[A-Z0-9]{2}"),
}
_FREE = re.compile(r"[A-Z0-9][A-Z0-9\-/.]{0,11}")


def check_fixed(fixed: object, layout: NumberLayout) -> list[Violation]:
    """H-12: the fixed part has the layout's length and shape (upper case); the
    free layout has none (its ranges are refused by :func:`check_range`)."""
    if layout.free:
        return []
    if isinstance(fixed, str) and _FIXED[layout.fixed_length].fullmatch(fixed):
        return []
    five = layout.fixed_length == 5
    return [
        MALFORMED_FIXED(
            fixed=fixed,
            length=layout.fixed_length,
            extra=", the turbine letter" if five else "",
            extra_pt=", a letra da turbina" if five else "",
        )
    ]


def split_number(number: str, layout: NumberLayout) -> tuple[str, int] | None:
    """``(fixed part, sequence)`` of a number in a fixed layout; ``None`` when the
    number does not follow the layout (the free layout has no parts)."""
    if layout.free:
        return None
    fixed, sequence = number[: layout.fixed_length], number[layout.fixed_length :]
    if check_fixed(fixed, layout) or not sequence.isdigit() or not sequence.isascii():
        return None
    if not layout.sequence_digits <= len(sequence) <= layout.max_sequence_digits:
        return None
    if len(sequence) > layout.sequence_digits and sequence[0] == "0":
        return None
    return fixed, int(sequence)


def check_number(number: object, layout: NumberLayout) -> list[Violation]:
    """H-12: a whole number follows the layout (the free layout: 1 to 12 upper-case
    letters, digits, ``-``, ``/`` or ``.``)."""
    if isinstance(number, str) and (
        _FREE.fullmatch(number)
        if layout.free
        else split_number(number, layout) is not None
    ):
        return []
    return [
        MALFORMED_NUMBER(number=number, layout=layout.name, expected=layout.describe())
    ]


def manufacture_year_of(fixed: str, *, today: date) -> int:
    """The year of manufacture the fixed part's 2nd-3rd characters name: up to the
    current two-digit year it is 20yy, above it 19yy (GSAN's insert screen)."""
    yy = int(fixed[1:3])
    return 2000 + yy if yy <= today.year % 100 else 1900 + yy


def check_range(first: object, last: object, layout: NumberLayout) -> list[Violation]:
    """H-9: a range of sequences: both positive, ``last >= first``, within the
    layout's digits."""
    if layout.free:
        return [RANGE_NEEDS_LAYOUT()]
    valid = (
        isinstance(first, int)
        and isinstance(last, int)
        and not isinstance(first, bool)
        and not isinstance(last, bool)
        and 0 < first <= last <= layout.max_sequence
    )
    if valid:
        return []
    return [RANGE_INVALID(first=first, last=last, digits=layout.max_sequence_digits)]


def range_numbers(fixed: str, first: int, last: int, layout: NumberLayout) -> list[str]:
    """The exact numbers of the range (what H-10 checks and H-11 inserts)."""
    return [layout.number(fixed, sequence) for sequence in range(first, last + 1)]


def check_no_existing(
    existing: Collection[str], *, first_number: str, last_number: str
) -> list[Violation]:
    """H-10 (range): no generated number exists. GSAN compares the unpadded range
    with a string BETWEEN; this checks the exact generated numbers."""
    if not existing:
        return []
    return [
        RANGE_HAS_EXISTING(
            count=len(existing),
            first_number=first_number,
            last_number=last_number,
            example=min(existing),
        )
    ]


def check_number_free(
    number: str, *, holder: Hydrometer | None, own_id: int | None = None
) -> list[Violation]:
    """H-10 (one meter): no other meter has the number (``atencao.hidrometro_ja_existente``)."""
    if holder is None or holder.id == own_id:
        return []
    return [NUMBER_EXISTS(number=number, other_id=holder.id)]


# ================================================================ meter attributes
#: Catalog rows by kind and id, as the services load them.
References = Mapping[str, Mapping[int, CatalogItem]]

_ATTRIBUTE_REFS: tuple[tuple[str, str, str, str], ...] = (
    ("type_id", "hydrometer_type", "Hydrometer type", "Tipo"),
    ("brand_id", "hydrometer_brand", "Brand", "Marca"),
    ("capacity_id", "hydrometer_capacity", "Capacity", "Capacidade"),
    ("diameter_id", "hydrometer_diameter", "Diameter", "Diâmetro"),
    (
        "metrological_class_id",
        "hydrometer_metrological_class",
        "Metrological class",
        "Classe Metrológica",
    ),
    ("register_id", "hydrometer_register", "Register", "Relojoaria"),
    (
        "turbine_type_id",
        "hydrometer_turbine_type",
        "Turbine type",
        "Tipo de Instalação da Turbina",
    ),
)


def _active(references: References, kind: str, ident: object) -> CatalogItem | None:
    if not isinstance(ident, int):
        return None
    item = references.get(kind, {}).get(ident)
    return item if item is not None and item.active else None


def check_attributes(
    attributes: HydrometerAttributes,
    *,
    fixed: str | None,
    layout: NumberLayout,
    references: References,
    today: date,
    earliest_year: int,
    location_id: int | None = None,
    check_location: bool = False,
) -> tuple[tuple[Violation, ...], int | None]:
    """H-1..H-8, H-12, H-13 for a meter's attributes; returns the violations and
    the year of manufacture (read from ``fixed`` in the fixed layouts).

    ``fixed`` is ``None`` when the number itself is malformed (the letters are then
    not compared) and in the free layout.
    """
    found: list[Violation] = []
    if (
        check_location
        and _active(references, "hydrometer_stock_location", location_id) is None
    ):
        found.append(LOCATION_UNKNOWN(location_id=location_id))
    items: dict[str, CatalogItem | None] = {}
    for field, kind, title, titulo in _ATTRIBUTE_REFS:
        value = getattr(attributes, field)
        if value is None:
            optional = field == "register_id" or (
                field == "turbine_type_id" and layout.name != "5x5"
            )
            if not optional:
                found.append(REQUIRED_FIELD(field=title, campo=titulo))
            items[field] = None
            continue
        items[field] = _active(references, kind, value)
        if items[field] is None:
            found.append(REFERENCE_MISSING(field=title, campo=titulo, value=value))
    capacity, brand, turbine = (
        items["capacity_id"],
        items["brand_id"],
        items["turbine_type_id"],
    )
    if fixed is not None:
        if capacity is not None and capacity.text("code") != fixed[0]:
            found.append(CAPACITY_MISMATCH(code=capacity.text("code"), fixed=fixed))
        if brand is not None and brand.text("code") != fixed[3]:
            found.append(BRAND_MISMATCH(code=brand.text("code"), fixed=fixed))
        if (
            layout.fixed_length == 5
            and turbine is not None
            and turbine.text("code") != fixed[4]
        ):
            found.append(TURBINE_MISMATCH(code=turbine.text("code"), fixed=fixed))
    found += _digits(attributes.reading_digits, capacity, attributes.capacity_id)
    year = attributes.manufacture_year
    if fixed is not None:
        derived = manufacture_year_of(fixed, today=today)
        if year is not None and year != derived:
            found.append(YEAR_MISMATCH(year=year, fixed=fixed, derived=derived))
        year = derived
    elif year is None and layout.free:
        found.append(
            REQUIRED_FIELD(field="Year of manufacture", campo="Ano de Fabricação")
        )
    found += _dates(attributes.acquired_on, year, today=today, earliest=earliest_year)
    for field, title, titulo in (
        ("transition_flow", "Transition flow", "Vazão de Transição"),
        ("nominal_flow", "Nominal flow", "Vazão Nominal"),
        ("minimum_flow", "Minimum flow", "Vazão Mínima"),
        ("invoice_number", "Invoice number", "Nota Fiscal"),
        ("warranty_years", "Warranty", "Tempo de Garantia"),
    ):
        value = getattr(attributes, field)
        if isinstance(value, int | Decimal) and value < 0:
            found.append(NEGATIVE_VALUE(field=title, campo=titulo, value=value))
    return tuple(found), year


def _digits(
    digits: object, capacity: CatalogItem | None, capacity_id: object
) -> list[Violation]:
    if not isinstance(digits, int) or isinstance(digits, bool):
        return [
            READING_NOT_A_NUMBER(
                field="Reading digits", campo="Número de Dígitos", value=digits
            )
        ]
    if capacity is None:
        return []
    low = capacity.integer("min_digits") or 1
    high = capacity.integer("max_digits") or low
    if low <= digits <= high:
        return []
    return [
        DIGITS_OUT_OF_RANGE(
            digits=digits, capacity_id=capacity_id, minimum=low, maximum=high
        )
    ]


def _dates(
    acquired_on: date, year: int | None, *, today: date, earliest: int
) -> list[Violation]:
    found: list[Violation] = []
    if acquired_on > today:
        found.append(ACQUIRED_IN_FUTURE(acquired_on=acquired_on, today=today))
    if acquired_on < date(earliest, 1, 1):
        found.append(ACQUIRED_TOO_EARLY(acquired_on=acquired_on, earliest=earliest))
    if year is None:
        return found
    if year > today.year:
        found.append(YEAR_IN_FUTURE(year=year, current=today.year))
    if year < earliest:
        found.append(YEAR_TOO_EARLY(year=year, earliest=earliest))
    if acquired_on.year < year:
        found.append(
            ACQUIRED_BEFORE_MANUFACTURE(acquired_year=acquired_on.year, year=year)
        )
    return found


# ================================================================ common checks
_POINT_EN = {
    MeasurementPoint.WATER_CONNECTION: "water connection",
    MeasurementPoint.WELL: "well",
}
_POINT_PT = {
    MeasurementPoint.WATER_CONNECTION: "LIGAÇÃO DE ÁGUA",
    MeasurementPoint.WELL: "POÇO",
}
_ON_POINT_PT = {
    MeasurementPoint.WATER_CONNECTION: "na Ligação de Água",
    MeasurementPoint.WELL: "no Poço",
}


def _point_params(point: MeasurementPoint) -> dict[str, object]:
    return {
        "point": _POINT_EN[point],
        "ponto": _POINT_PT[point],
        "no_ponto": _ON_POINT_PT[point],
    }


def check_property(
    prop: Property,
    *,
    locked_reference: int | None,
    check_active: bool = True,
    check_lock: bool = True,
    rule: str = "OS-5",
) -> list[Violation]:
    """OS-5: the property is active (``rule`` names the operation's alias, e.g.
    A-3); OS-6: it is not "in field" (the billing lock; the update screen does
    not check it)."""
    found: list[Violation] = []
    if check_active and not prop.active:
        found.append(_with_rule(PROPERTY_INACTIVE, rule)(property_id=prop.id))
    if check_lock and locked_reference is not None:
        found.append(
            PROPERTY_IN_FIELD(
                property_id=prop.id,
                reference=f"{locked_reference % 100:02d}/{locked_reference // 100}",
            )
        )
    return found


def check_point_situation(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    water_status: CatalogItem | None,
    sewer_status: CatalogItem | None,
    operation: str,
    connection_rule: str = "I-8",
) -> list[Violation]:
    """I-7 / I-7' and I-8 (M-7): the connection's situation allows the operation.

    Water: the property has a water connection (its situation's
    ``connection_exists`` flag) and, when ``operation`` has allowed source
    situations in the profile (``transitions["<operation>.water"]``), its water
    situation is one of them. Well: the sewer situation is one of
    ``transitions["<operation>.well"]`` when the profile lists them.
    """
    found: list[Violation] = []
    if point is MeasurementPoint.WATER_CONNECTION:
        name = water_status.description if water_status else prop.water_status_id
        if water_status is None or not water_status.flag("connection_exists"):
            found.append(
                _with_rule(NO_WATER_CONNECTION, connection_rule)(
                    property_id=prop.id, situation=name
                )
            )
            return found
        allowed = profile.allowed(f"{operation}.water")
        if allowed and prop.water_status_id not in allowed:
            found.append(
                WATER_SITUATION_NOT_ALLOWED(property_id=prop.id, situation=name)
            )
        return found
    allowed = profile.allowed(f"{operation}.well")
    if allowed and prop.sewer_status_id not in allowed:
        name = sewer_status.description if sewer_status else prop.sewer_status_id
        found.append(SEWER_SITUATION_NOT_ALLOWED(property_id=prop.id, situation=name))
    return found


def check_reading(
    value: object,
    *,
    field: str,
    campo: str,
    digits: int | None,
    rule: str,
    required: bool = False,
) -> list[Violation]:
    """A reading is a whole number >= 0 that fits the meter's reading digits."""
    if value is None:
        if required:
            return [_with_rule(REQUIRED, rule)(field=field, campo=campo)]
        return []
    if not isinstance(value, int) or isinstance(value, bool):
        return [
            _with_rule(READING_NOT_A_NUMBER, rule)(
                field=field, campo=campo, value=value
            )
        ]
    if value < 0:
        return [
            _with_rule(READING_NEGATIVE, rule)(field=field, campo=campo, value=value)
        ]
    if digits is not None and digits > 0 and value >= 10**digits:
        return [
            _with_rule(READING_TOO_MANY_DIGITS, rule)(
                field=field, campo=campo, value=value, digits=digits
            )
        ]
    return []


def _seals(seal: object, tamper_seal: object, rule: str) -> list[Violation]:
    found: list[Violation] = []
    for value, field, campo, length in (
        (seal, "Seal", "Selo", 12),
        (tamper_seal, "Tamper seal", "Lacre", 10),
    ):
        if value is None:
            continue
        if not isinstance(value, str):
            found.append(
                _with_rule(READING_NOT_A_NUMBER, rule)(
                    field=field, campo=campo, value=value
                )
            )
            continue
        found += [
            attrs.evolve(v, rule=rule)
            for v in optional_text(value, field=field, campo=campo, max_length=length)
        ]
    return found


def _place(item: CatalogItem | None, ident: object, rule: str) -> list[Violation]:
    if item is not None and item.active:
        return []
    return [
        _with_rule(REFERENCE_MISSING, rule)(
            field="Installation place", campo="Local de Instalação", value=ident
        )
    ]


def _protection(item: CatalogItem | None, ident: object, rule: str) -> list[Violation]:
    if item is not None and item.active:
        return []
    return [
        _with_rule(REFERENCE_MISSING, rule)(
            field="Protection", campo="Proteção", value=ident
        )
    ]


# ================================================================ installation
@attrs.frozen(kw_only=True)
class IncomingMeter:
    """What the rules need to know of the meter to install."""

    #: The id or number the caller gave (for the message); ``None``: none given.
    given: int | str | None
    #: Both an id and a number were given.
    ambiguous: bool = False
    meter: Hydrometer | None
    situation: CatalogItem | None = None
    #: The meter's end of its last installation anywhere (periods never overlap).
    last_removal: date | None = None


@attrs.frozen(kw_only=True)
class NewInstallation:
    """The inputs of a new installation record."""

    installed_on: date
    reading: object
    place: CatalogItem | None
    place_id: object
    protection: CatalogItem | None
    protection_id: object
    seal: object = None
    tamper_seal: object = None


_INSTALL_RULES = {
    "unknown": "I-10",
    "location": "I-11",
    "available": "I-12",
    "inputs": "I-13",
}
_REPLACE_RULES = {
    "unknown": "S-9",
    "location": "S-10",
    "available": "S-11",
    "inputs": "S-12",
}


def check_new_installation(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation | None,
    incoming: IncomingMeter,
    locality_location_id: int | None,
    new: NewInstallation,
    today: date,
    point_last_removal: date | None,
    replacing: bool = False,
) -> list[Violation]:
    """I-9..I-15 (``replacing``: S-9..S-12 for the incoming meter).

    I-9: no meter open at the point (a replacement closes it first); I-10: the
    meter exists; I-11: its stock location matches the locality's, when both are
    set; I-12: it is available; I-13: place, protection, a reading >= 0 that fits
    the meter's digits, seal lengths; I-14: the date is not after today; I-15: the
    date is not before the end of the point's or the meter's last installation.
    """
    rules = _REPLACE_RULES if replacing else _INSTALL_RULES
    found: list[Violation] = []
    if not replacing and current is not None:
        key = (
            "atencao.hidrometro_instalado_ligacao_agua"
            if point is MeasurementPoint.WATER_CONNECTION
            else "atencao.hidrometro_instalado_poco"
        )
        rule = "I-9" if point is MeasurementPoint.WATER_CONNECTION else "I-9'"
        found.append(
            _with_rule(POINT_HAS_METER, rule, key)(
                property_id=prop.id,
                hydrometer_id=current.hydrometer_id,
                **_point_params(point),
            )
        )
    meter = incoming.meter
    unknown = NEW_METER_UNKNOWN if replacing else METER_UNKNOWN
    if incoming.given is None or incoming.ambiguous:
        found.append(_with_rule(METER_REQUIRED, rules["unknown"])())
    elif meter is None:
        found.append(unknown(meter=incoming.given))
    if meter is not None:
        if (
            locality_location_id is not None
            and meter.location_id is not None
            and meter.location_id != locality_location_id
        ):
            found.append(
                _with_rule(LOCATION_INCOMPATIBLE, rules["location"])(
                    number=meter.number,
                    meter_location=meter.location_id,
                    property_id=prop.id,
                    locality_location=locality_location_id,
                )
            )
        event = MeterEvent.REPLACE_INCOMING if replacing else MeterEvent.INSTALL
        if situation_after(profile, meter.situation_id, event) is None:
            name = (
                incoming.situation.description
                if incoming.situation
                else meter.situation_id
            )
            found.append(
                _with_rule(METER_NOT_AVAILABLE, rules["available"])(
                    number=meter.number, situation=name
                )
            )
    found += _place(new.place, new.place_id, rules["inputs"])
    found += _protection(new.protection, new.protection_id, rules["inputs"])
    found += check_reading(
        new.reading,
        field="Installation reading",
        campo="Leitura de Instalação",
        digits=None if meter is None else meter.reading_digits,
        rule=rules["inputs"],
        required=True,
    )
    found += _seals(new.seal, new.tamper_seal, rules["inputs"])
    if new.installed_on > today:
        found.append(INSTALLED_IN_FUTURE(installed_on=new.installed_on, today=today))
    for whose, cujo, ended in (
        ("point's", "do ponto", point_last_removal),
        ("meter's", "do hidrômetro", incoming.last_removal),
    ):
        if ended is not None and new.installed_on < ended:
            found.append(
                PERIOD_OVERLAP(
                    installed_on=new.installed_on,
                    whose=whose,
                    cujo=cujo,
                    removed_on=ended,
                )
            )
    return found


# ================================================================ removal
@attrs.frozen(kw_only=True)
class Removal:
    """The inputs of closing the current installation (removal, replacement)."""

    removed_on: date
    reading: object
    situation_id: object
    situation: CatalogItem | None
    location_id: object
    location: CatalogItem | None


def check_removal(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation | None,
    meter: Hydrometer | None,
    removal: Removal,
    today: date,
    replacing: bool = False,
) -> list[Violation]:
    """R-7..R-11 (``replacing``: S-7, S-8, S-12, S-13 for the outgoing meter).

    R-7: a meter is installed at the point; R-8: the situation the meter takes
    exists and is not INSTALADO (GSAN checks it only on replacement); R-9: the
    stock location exists when given, and the meter ends with one unless the
    situation is a lost/stolen one; R-10: the reading is optional on removal,
    required on replacement, a whole number >= 0 within the meter's digits; R-11:
    the date is from the installation date to today.
    """
    rules = (
        {
            "none": "S-7",
            "situation": "S-8",
            "location": "S-12",
            "reading": "S-12",
            "date": "S-13",
        }
        if replacing
        else {
            "none": "R-7",
            "situation": "R-8",
            "location": "R-9",
            "reading": "R-10",
            "date": "R-11",
        }
    )
    if current is None:
        if replacing:
            key = (
                "atencao.imovel_ligacao_agua_sem_hidrometro"
                if point is MeasurementPoint.WATER_CONNECTION
                else "atencao.imovel_poco_sem_hidrometro"
            )
            message = _with_rule(NO_METER_TO_REPLACE, rules["none"], key)
        else:
            message = NO_METER_AT_POINT
        return [message(property_id=prop.id, **_point_params(point))]
    found: list[Violation] = []
    situation = removal.situation
    if removal.situation_id is None:
        found.append(
            _with_rule(REQUIRED, rules["situation"])(
                field="Hydrometer situation", campo="Situação do Hidrômetro"
            )
        )
    elif situation is None or not situation.active:
        found.append(
            _with_rule(SITUATION_UNKNOWN, rules["situation"])(
                situation_id=removal.situation_id
            )
        )
    elif situation_role(profile, situation.id) == "installed":
        found.append(
            _with_rule(TARGET_INSTALLED, rules["situation"])(
                situation=situation.description
            )
        )
    lost = situation is not None and situation.flag("lost")
    if removal.location_id is not None and (
        removal.location is None or not removal.location.active
    ):
        found.append(
            _with_rule(LOCATION_UNKNOWN, rules["location"])(
                location_id=removal.location_id
            )
        )
    elif (
        not lost
        and removal.location_id is None
        and (meter is None or meter.location_id is None)
    ):
        found.append(_with_rule(LOCATION_REQUIRED, rules["location"])())
    found += check_reading(
        removal.reading,
        field="Removal reading",
        campo="Leitura de Retirada",
        digits=None if meter is None else meter.reading_digits,
        rule=rules["reading"],
        required=replacing,
    )
    if not current.installed_on <= removal.removed_on <= today:
        found.append(
            _with_rule(REMOVAL_DATE_INVALID, rules["date"])(
                removed_on=removal.removed_on,
                installed_on=current.installed_on,
                today=today,
            )
        )
    return found


def removal_outcome(
    meter: Hydrometer, *, situation: CatalogItem, location_id: int | None
) -> tuple[int, int | None]:
    """The situation and stock location of a meter leaving a point: the chosen
    situation; no location when it is lost/stolen, else the chosen one or, when
    none is given, the one it had."""
    if situation.flag("lost"):
        return situation.id, None
    return situation.id, location_id if location_id is not None else meter.location_id


# ================================================================ relocation
def check_relocation(
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation | None,
    place: CatalogItem | None,
    place_id: object,
    protection: CatalogItem | None,
    protection_id: object,
    stand: object,
) -> list[Violation]:
    """M-8: a meter is installed at the point; M-9: place, protection and stand."""
    found: list[Violation] = []
    if current is None:
        key = (
            "atencao.imovel_ligacao_agua_sem_hidrometro"
            if point is MeasurementPoint.WATER_CONNECTION
            else "atencao.imovel_poco_sem_hidrometro"
        )
        found.append(
            attrs.evolve(NO_METER_TO_RELOCATE, gsan_key=key)(
                property_id=prop.id, **_point_params(point)
            )
        )
    found += _place(place, place_id, "M-9")
    found += _protection(protection, protection_id, "M-9")
    if not isinstance(stand, bool):
        found.append(_with_rule(REQUIRED, "M-9")(field="Stand", campo="Cavalete"))
    return found


# ================================================================ update, UC0368
def check_update_window(
    *, order_id: int, closed_on: date, today: date, days: int
) -> list[Violation]:
    """A-2: an installation or replacement OS allows corrections for ``days`` days
    after its closing (``diasMaximoAlterarOS``)."""
    ago = (today - closed_on).days
    if ago <= days:
        return []
    return [UPDATE_WINDOW_PASSED(order_id=order_id, days_ago=ago, days=days)]


@attrs.frozen(kw_only=True)
class InstallationChanges:
    """The corrected values of UC0368 (``None``: unchanged) and their catalog rows."""

    installed_on: date | None = None
    reading: object = None
    place: CatalogItem | None = None
    place_id: object = None
    protection: CatalogItem | None = None
    protection_id: object = None
    stand: object = None
    seal: object = None
    tamper_seal: object = None
    cut_reading: object = None
    suppression_reading: object = None


def check_installation_update(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    water_status: CatalogItem | None,
    current: HydrometerInstallation | None,
    meter: Hydrometer | None,
    changes: InstallationChanges,
    today: date,
    point_last_removal: date | None,
) -> list[Violation]:
    """A-4..A-8 for correcting the current installation.

    A-4: water: the connection is not potential or feasible and has a meter; well:
    a meter is installed. A-5: the installation date is not after today (and,
    I-15, not before the previous installation's end). A-6: the installation
    reading is >= 0 (GSAN: > 0, which contradicts installation's default 0).
    A-8: a cut connection keeps a cut reading. A-7 (a removal reading when the
    record has a removal date) never applies: the current installation is open.
    """
    found: list[Violation] = []
    if point is MeasurementPoint.WATER_CONNECTION and (
        profile.plays("water_status.potential", prop.water_status_id)
        or profile.plays("water_status.feasible", prop.water_status_id)
    ):
        found.append(
            WATER_SITUATION_WITHOUT_METER(
                property_id=prop.id,
                situation=water_status.description
                if water_status
                else prop.water_status_id,
            )
        )
    if current is None:
        key = (
            "atencao.imovel.ligacao_agua.hidrometro.inexistente"
            if point is MeasurementPoint.WATER_CONNECTION
            else "atencao.imovel.poco.hidrometro.inexistente"
        )
        found.append(
            attrs.evolve(NO_METER_TO_UPDATE, gsan_key=key)(
                property_id=prop.id, **_point_params(point)
            )
        )
        return found
    digits = None if meter is None else meter.reading_digits
    installed_on = changes.installed_on
    if installed_on is not None:
        if installed_on > today:
            found.append(
                _with_rule(INSTALLED_IN_FUTURE, "A-5")(
                    installed_on=installed_on, today=today
                )
            )
        if point_last_removal is not None and installed_on < point_last_removal:
            found.append(
                PERIOD_OVERLAP(
                    installed_on=installed_on,
                    whose="point's",
                    cujo="do ponto",
                    removed_on=point_last_removal,
                )
            )
    found += check_reading(
        changes.reading,
        field="Installation reading",
        campo="Leitura de Instalação",
        digits=digits,
        rule="A-6",
    )
    if changes.place_id is not None:
        found += _place(changes.place, changes.place_id, "A-6")
    if changes.protection_id is not None:
        found += _protection(changes.protection, changes.protection_id, "A-6")
    if changes.stand is not None and not isinstance(changes.stand, bool):
        found.append(_with_rule(REQUIRED, "A-6")(field="Stand", campo="Cavalete"))
    found += _seals(changes.seal, changes.tamper_seal, "A-6")
    for value, field, campo in (
        (changes.cut_reading, "Cut reading", "Leitura de Corte"),
        (changes.suppression_reading, "Suppression reading", "Leitura de Supressão"),
    ):
        found += check_reading(
            value, field=field, campo=campo, digits=digits, rule="A-8"
        )
    cut = point is MeasurementPoint.WATER_CONNECTION and profile.plays(
        "water_status.cut", prop.water_status_id
    )
    cut_reading = (
        changes.cut_reading if changes.cut_reading is not None else current.cut_reading
    )
    if cut and cut_reading is None:
        found.append(CUT_READING_REQUIRED(property_id=prop.id))
    return found


# ================================================================ movement, §3.6
def movement_situation(profile: UtilityProfile, destination: CatalogItem) -> int:
    """The situation a moved meter takes: EM MANUTENCAO in a workshop, else
    DISPONIVEL (a stolen meter found and stored becomes available, as in GSAN)."""
    role = "maintenance" if destination.flag("workshop") else "available"
    return situation_id(profile, role)


def check_movement(
    profile: UtilityProfile,
    *,
    meters: Sequence[Hydrometer | StockEntry],
    missing: Iterable[int],
    destination: CatalogItem | None,
    destination_id: object,
    reason: CatalogItem | None,
    reason_id: object,
    moved_on: date,
    today: date,
    remark: str | None,
) -> list[Violation]:
    """V-1..V-6 for moving ``meters`` to ``destination``.

    V-1: at least one meter, all existing; V-2: one origin location; V-3: none
    installed; V-4: the destination exists and is active; V-5: it differs from
    the origin; V-6: the date is not after today nor older than
    ``movement_max_days_back`` days (GSAN's server builds that limit with a
    month-index bug: the intended check is applied), the reason exists, the
    remark fits 200 characters. V-7 (optimistic lock) is the service's.
    """
    found: list[Violation] = []
    absent = sorted(set(missing))
    if not meters and not absent:
        found.append(NOTHING_SELECTED())
    found += [MOVED_METER_UNKNOWN(hydrometer_id=ident) for ident in absent[:10]]
    origins = {meter.location_id for meter in meters}
    if len(origins) > 1:
        found.append(
            MIXED_ORIGINS(
                count=len(origins),
                locations=", ".join(str(o) for o in sorted(origins, key=str)),
            )
        )
    installed = [
        meter
        for meter in meters
        if situation_after(profile, meter.situation_id, MeterEvent.MOVE_TO_STORE)
        is None
    ]
    if installed:
        found.append(MOVING_INSTALLED(count=len(installed), number=installed[0].number))
    if destination is None or not destination.active:
        found.append(DESTINATION_UNKNOWN(location_id=destination_id))
    elif destination.id in origins:
        found.append(SAME_LOCATION(location_id=destination.id))
    if moved_on > today:
        found.append(MOVEMENT_DATE_IN_FUTURE(moved_on=moved_on, today=today))
    days = profile.hydrometers.movement_max_days_back
    earliest = today - timedelta(days=days)
    if moved_on < earliest:
        found.append(
            MOVEMENT_DATE_TOO_OLD(moved_on=moved_on, earliest=earliest, days=days)
        )
    if reason is None or not reason.active:
        found.append(
            MOVEMENT_REASON_UNKNOWN(
                field="Movement reason", campo="Motivo da Movimentação", value=reason_id
            )
        )
    found += [
        attrs.evolve(v, rule="V-6")
        for v in optional_text(remark, field="Remark", campo="Parecer", max_length=200)
    ]
    return found


# ================================================================ anomaly actions, §4
def check_anomaly_action(
    action: ConsumptionAnomalyAction,
    *,
    references: References,
    siblings: Iterable[ConsumptionAnomalyAction],
) -> list[Violation]:
    """CA-1: the anomaly, category and profile exist and are active, and no other
    active action has the same anomaly, category and profile; CA-2: steps for
    months 1, 2 and 3, each at most once, with non-negative factors."""
    found: list[Violation] = []
    for value, kind, field, campo in (
        (
            action.anomaly_id,
            "consumption_anomaly",
            "Consumption anomaly",
            "Anormalidade de Consumo",
        ),
        (action.category_id, "category", "Category", "Categoria"),
        (
            action.property_profile_id,
            "property_profile",
            "Property profile",
            "Perfil do Imóvel",
        ),
    ):
        if value is not None and _active(references, kind, value) is None:
            found.append(
                ANOMALY_REFERENCE_MISSING(field=field, campo=campo, value=value)
            )
    months = [step.month for step in action.steps]
    if len(set(months)) != len(months) or not set(months) <= set(ANOMALY_ACTION_MONTHS):
        found.append(ANOMALY_STEP_MONTHS(months=months))
    found += [
        _with_rule(NEGATIVE_VALUE, "CA-2")(
            field="Consumption factor",
            campo="Fator de Consumo",
            value=step.consumption_factor,
        )
        for step in action.steps
        if step.consumption_factor is not None and step.consumption_factor < 0
    ]
    found += [
        attrs.evolve(v, rule="CA-2")
        for step in action.steps
        for v in optional_text(
            step.bill_message,
            field="Bill message",
            campo="Mensagem da Conta",
            max_length=120,
        )
    ]
    if action.active:
        for other in siblings:
            if (
                other.id != action.id
                and other.active
                and (other.anomaly_id, other.category_id, other.property_profile_id)
                == (action.anomaly_id, action.category_id, action.property_profile_id)
            ):
                found.append(
                    DUPLICATE_ANOMALY_ACTION(
                        anomaly_id=action.anomaly_id,
                        category_id=action.category_id,
                        profile_id=action.property_profile_id,
                        other_id=other.id,
                    )
                )
    return found
