"""Rules of the water and sewer connections: connect, cut, administrative cut,
suppression, reconnection, restoration, the sewer billing situation, minimum
consumption and volume, "alterar situação da ligação", data updates, CAEMA's
"factível faturável" sewer and the batches (``domain/connections.md`` §3).

Every operation is described once in :data:`OPERATIONS` (its GSAN ``Operacao``,
the OS check of the menu path, whether it charges, whether the "in field" lock
applies, the situation it moves to); the allowed *source* situations are the
utility profile's ``transitions[<key>]`` and the situations themselves are the
profile's roles (``water_status.connected``...). The docs render the table from
this data and the state-machine tests are generated from it.

Numbered rules: V-LA1..9, V-CO1..9, V-SU1..8, V-LE1..10, V-AS1..7 of the domain
notes; the shared checks C-ATV, C-LA, C-CAMPO; and the library's numbering of the
rules GSAN states without a number: V-CAD (administrative cut), V-RL
(reconnection), V-RS (restoration), V-MB (sewer billing situation), V-CM / V-VM
(minimum consumption / volume), V-UP / V-UE (water / sewer data update), V-CT
(cut type change), V-FF (CAEMA factível faturável), V-NO ("sem RA"), C-DATE
(dates: never in the future, never before the event they follow), and for the
"com hidrômetro" operations V-LAH (connection with a meter installation),
V-RLH (reconnection with one), V-RSH (restoration with one) and C-HID (their
meter data given; C-HID3: a cut reading fits the meter). The meter's own rules
are the hydrometer area's (V-LAH1 is I-9, V-LAH2 is I-10 / I-12, V-RSH4 is
I-11; the replacements S-7..S-13): an operation's :attr:`OperationSpec.meter`
says which meter step the service runs with it, in the same unit of work.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Literal, Protocol

import attrs

from gsan_core.errors import ConfigurationError, Message, Violation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import (
    HUNDRED,
    AdministrativeCutInput,
    ChangeCutTypeInput,
    ChangeSituationInput,
    ConnectionKind,
    ConnectWithMeterInput,
    ConnectWithReplacementInput,
    CutInput,
    MeterInstallation,
    MeterReplacement,
    MinimumConsumptionInput,
    MinimumVolumeInput,
    ReconnectionInput,
    ReconnectWithMeterInput,
    ReconnectWithReplacementInput,
    RestorationInput,
    RestoreWithMeterInput,
    RestoreWithReplacementInput,
    SewerBillingInput,
    SewerConnection,
    SewerConnectionInput,
    SewerUpdateInput,
    SuppressionInput,
    WaterConnection,
    WaterConnectionInput,
    WaterUpdateInput,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import NetworkIndicator, Property
from gsan_core.model.service_orders import ServiceOrder, ServiceType
from gsan_core.rules.validation import ensure, optional_text

__all__ = [
    "OPERATIONS",
    "CatalogLookup",
    "ConnectionContext",
    "ConnectionDecision",
    "ConnectionFacts",
    "MeterStep",
    "OperationSpec",
    "SewerBillingChange",
    "SituationStep",
    "TransitionRow",
    "check_operation",
    "coupled_sewer",
    "decide_operation",
    "evaluate_operation",
    "meter_part",
    "reconnection_cut_limit",
    "role_id",
    "sewer_billing_change",
    "transition_rows",
]

MenuVariant = Literal["strict", "grace", "update"]
Family = Literal["water", "sewer", "change", "batch"]
MAX_SEAL = 10


class CatalogLookup(Protocol):
    """What the rules read from the reference tables (a ``CatalogRepository``)."""

    def find(self, kind: str, id: int) -> CatalogItem | None:
        """The row, or ``None``."""
        ...


class SewerBillingChange(StrEnum):
    """What a "mudança de situação de faturamento do esgoto" order does (UC0356)."""

    PLUG = "plug"
    """743 ``TIPO_TAMPONAMENTO_LIGACAO_ESGOTO``."""
    DEACTIVATE = "deactivate"
    """752 ``TIPO_DESATIVACAO_LIGACAO_ESGOTO``."""
    RESTORE = "restore"
    """753 ``TIPO_RESTABELECIMENTO_LIGACAO_ESGOTO``."""
    REACTIVATE = "reactivate"
    """754 ``TIPO_REATIVACAO_LIGACAO_ESGOTO``."""


class MeterStep(StrEnum):
    """What an operation does with the water connection's meter (the hydrometer
    area does it in the same unit of work)."""

    NONE = "none"
    """Nothing."""
    INSTALL = "install"
    """Installs the meter its input gives ("com instalação de hidrômetro")."""
    OPTIONAL_INSTALL = "optional_install"
    """Installs a meter when its input gives one (UC0579, "sem RA")."""
    REPLACE = "replace"
    """Replaces the installed meter ("com substituição de hidrômetro")."""
    CUT_READING = "cut_reading"
    """Writes the cut reading on the open installation."""
    SUPPRESSION_REMOVAL = "suppression_removal"
    """Writes the suppression reading and removes the meter, without a charge
    (GSAN ``efetuarRetiradaHidrometroSemGeracaoDebito``)."""
    REFUSED_WHILE_INSTALLED = "refused_while_installed"
    """Refused while a meter is installed (V-AS6, V-AS7)."""


#: How the docs describe each meter step.
METER_TEXT: Mapping[MeterStep, str] = {
    MeterStep.NONE: "—",
    MeterStep.INSTALL: "installs the given meter (I-9..I-15)",
    MeterStep.OPTIONAL_INSTALL: "installs a meter when one is given (I-9..I-15)",
    MeterStep.REPLACE: "replaces the installed meter (S-7..S-13)",
    MeterStep.CUT_READING: "cut reading on the open installation",
    MeterStep.SUPPRESSION_REMOVAL: "suppression reading; the meter is removed, "
    "back to available at its location, no charge",
    MeterStep.REFUSED_WHILE_INSTALLED: "refused while a meter is installed",
}


# ---------------------------------------------------------------- the operations
@attrs.frozen(kw_only=True)
class OperationSpec:
    """One connection operation: everything but its rules."""

    key: str
    title: str
    title_pt: str
    family: Family
    #: GSAN ``Operacao`` id (E-TRX), when GSAN has one.
    gsan_operation: int | None
    #: The situation the operation moves (and whose source it checks).
    kind: ConnectionKind
    #: The role of the situation it moves to; ``None``: unchanged or computed.
    target_role: str | None
    #: How it is described in the docs when ``target_role`` is ``None``.
    target_text: str = "unchanged"
    #: The OS check of the menu path (C-OS); ``None``: no order (batches).
    menu_variant: MenuVariant | None = "strict"
    #: E-DEB: the service type's charge applies.
    charges: bool = True
    #: C-CAMPO: the property "in field" lock applies.
    field_lock: bool = False
    #: Whether ``profile.transitions[key]`` lists the allowed source situations.
    checks_source: bool = True
    #: The GSAN use case (for the docs).
    use_case: str = ""
    #: What it does with the water connection's meter.
    meter: MeterStep = MeterStep.NONE


def _spec(key: str, title: str, title_pt: str, **rest: object) -> OperationSpec:
    return OperationSpec(key=key, title=title, title_pt=title_pt, **rest)  # type: ignore[arg-type]


_W, _S = ConnectionKind.WATER, ConnectionKind.SEWER

#: Every connection operation by key (the keys service types link to).
OPERATIONS: Mapping[str, OperationSpec] = {
    spec.key: spec
    for spec in (
        _spec(
            "water.connect",
            "connect the water connection",
            "efetuar ligação de água",
            family="water",
            gsan_operation=257,
            kind=_W,
            target_role="water_status.connected",
            menu_variant="grace",
            field_lock=True,
            use_case="UC0354",
        ),
        _spec(
            "water.connect_without_order",
            "connect the water connection without a service request",
            "efetuar ligação de água sem RA",
            family="water",
            gsan_operation=882,
            kind=_W,
            target_role="water_status.connected",
            menu_variant=None,
            charges=False,
            field_lock=True,
            use_case="UC0354 / UC0579 (sem RA)",
            meter=MeterStep.OPTIONAL_INSTALL,
        ),
        _spec(
            "water.cut",
            "cut the water connection",
            "efetuar corte de ligação de água",
            family="water",
            gsan_operation=48,
            kind=_W,
            target_role="water_status.cut",
            menu_variant="grace",
            use_case="UC0355",
            meter=MeterStep.CUT_READING,
        ),
        _spec(
            "water.administrative_cut",
            "record an administrative cut",
            "efetuar corte administrativo",
            family="water",
            gsan_operation=358,
            kind=_W,
            target_role=None,
            use_case="UC0369",
        ),
        _spec(
            "water.suppress",
            "suppress the water connection",
            "efetuar supressão da ligação de água",
            family="water",
            gsan_operation=685,
            kind=_W,
            target_role=None,
            target_text="suppressed (total) or partially suppressed on request",
            menu_variant="grace",
            use_case="UC0360",
            meter=MeterStep.SUPPRESSION_REMOVAL,
        ),
        _spec(
            "water.reconnect",
            "reconnect the water connection",
            "efetuar religação de água",
            family="water",
            gsan_operation=50,
            kind=_W,
            target_role="water_status.connected",
            menu_variant="grace",
            field_lock=True,
            use_case="UC0357",
        ),
        _spec(
            "water.restore",
            "restore the water connection",
            "efetuar restabelecimento da ligação de água",
            family="water",
            gsan_operation=51,
            kind=_W,
            target_role="water_status.connected",
            menu_variant="grace",
            field_lock=True,
            use_case="UC0359",
        ),
        _spec(
            "water.connect_with_meter",
            "connect the water connection with a meter installation",
            "efetuar ligação de água com instalação de hidrômetro",
            family="water",
            gsan_operation=706,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0354 + UC0362",
            meter=MeterStep.INSTALL,
        ),
        _spec(
            "water.reconnect_with_meter",
            "reconnect the water connection with a meter installation",
            "efetuar religação de água com instalação de hidrômetro",
            family="water",
            gsan_operation=16044,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0498 / UC0747",
            meter=MeterStep.INSTALL,
        ),
        _spec(
            "water.restore_with_meter",
            "restore the water connection with a meter installation",
            "efetuar restabelecimento da ligação de água com instalação de hidrômetro",
            family="water",
            gsan_operation=879,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0540",
            meter=MeterStep.INSTALL,
        ),
        _spec(
            "water.connect_with_replacement",
            "connect the water connection with a meter replacement",
            "efetuar ligação de água com substituição de hidrômetro",
            family="water",
            gsan_operation=16045,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0354 + UC0364",
            meter=MeterStep.REPLACE,
        ),
        _spec(
            "water.reconnect_with_replacement",
            "reconnect the water connection with a meter replacement",
            "efetuar religação de água com substituição de hidrômetro",
            family="water",
            gsan_operation=16046,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0357 + UC0364",
            meter=MeterStep.REPLACE,
        ),
        _spec(
            "water.restore_with_replacement",
            "restore the water connection with a meter replacement",
            "efetuar restabelecimento com substituição de hidrômetro",
            family="water",
            gsan_operation=16047,
            kind=_W,
            target_role="water_status.connected",
            field_lock=True,
            use_case="UC0359 + UC0364",
            meter=MeterStep.REPLACE,
        ),
        _spec(
            "water.minimum_consumption",
            "update the minimum consumption",
            "atualizar consumo mínimo da ligação de água",
            family="water",
            gsan_operation=393,
            kind=_W,
            target_role=None,
            charges=False,
            checks_source=False,
            use_case="UC0463",
        ),
        _spec(
            "water.update",
            "update the water connection data",
            "atualizar ligação de água",
            family="water",
            gsan_operation=422,
            kind=_W,
            target_role=None,
            menu_variant="update",
            charges=False,
            field_lock=True,
            use_case="UC0367",
        ),
        _spec(
            "water.change_cut_type",
            "change the cut type",
            "alterar tipo de corte",
            family="water",
            gsan_operation=1503,
            kind=_W,
            target_role=None,
            use_case="op. 1503",
        ),
        _spec(
            "sewer.connect",
            "connect the sewer connection",
            "efetuar ligação de esgoto",
            family="sewer",
            gsan_operation=272,
            kind=_S,
            target_role="sewer_status.connected",
            field_lock=True,
            use_case="UC0353",
        ),
        _spec(
            "sewer.connect_without_order",
            "connect the sewer connection without a service request",
            "efetuar ligação de esgoto sem RA",
            family="sewer",
            gsan_operation=1002,
            kind=_S,
            target_role="sewer_status.connected",
            menu_variant=None,
            charges=False,
            field_lock=True,
            use_case="UC0353 (sem RA)",
        ),
        _spec(
            "sewer.billing_situation",
            "change the sewer billing situation",
            "efetuar mudança de situação de faturamento da ligação de esgoto",
            family="sewer",
            gsan_operation=247,
            kind=_S,
            target_role=None,
            target_text="by the service type: plug → plugged, deactivate → "
            "feasible/potential by the block's network (or out of use), "
            "restore / reactivate → connected",
            checks_source=False,
            use_case="UC0356",
        ),
        _spec(
            "sewer.minimum_volume",
            "update the minimum sewer volume",
            "atualizar volume mínimo da ligação de esgoto",
            family="sewer",
            gsan_operation=277,
            kind=_S,
            target_role=None,
            charges=False,
            checks_source=False,
            use_case="UC0464",
        ),
        _spec(
            "sewer.update",
            "update the sewer connection data",
            "atualizar ligação de esgoto",
            family="sewer",
            gsan_operation=None,
            kind=_S,
            target_role=None,
            menu_variant="update",
            charges=False,
            field_lock=True,
            use_case="atualizar ligação de esgoto",
        ),
        _spec(
            "sewer.feasible_billable.inform",
            "inform the feasible-billable sewer situation",
            "informar situação de esgoto factível faturável",
            family="sewer",
            gsan_operation=None,
            kind=_S,
            target_role="sewer_status.feasible_billable",
            use_case="UC1467 (CAEMA)",
        ),
        _spec(
            "sewer.feasible_billable.withdraw",
            "withdraw the feasible-billable sewer situation",
            "retirar situação de esgoto factível faturável",
            family="sewer",
            gsan_operation=None,
            kind=_S,
            target_role=None,
            target_text="the situation before it was informed",
            use_case="UC1468 (CAEMA)",
        ),
        _spec(
            "connection.change_situation",
            "change the connection situation",
            "alterar situação da ligação",
            family="change",
            gsan_operation=857,
            kind=_W,
            target_role=None,
            target_text="potential or feasible by the block's network; the "
            "connection row is deleted",
            charges=False,
            checks_source=False,
            use_case="UC0555",
            meter=MeterStep.REFUSED_WHILE_INSTALLED,
        ),
        _spec(
            "water.reconnect_by_consumption",
            "reconnect cut properties with real consumption (batch)",
            "religar imóveis cortados com consumo real",
            family="batch",
            gsan_operation=1685,
            kind=_W,
            target_role="water_status.connected",
            menu_variant=None,
            charges=False,
            use_case="UC1073",
        ),
        _spec(
            "water.promote_analysis",
            "promote 'connected under analysis' to connected (batch)",
            "atualizar ligação de água de ligado em análise para ligado",
            family="batch",
            gsan_operation=None,
            kind=_W,
            target_role="water_status.connected",
            menu_variant=None,
            charges=False,
            use_case="UC0823",
        ),
    )
}

#: The water situations the sewer billing changes read (allowed water situations).
SEWER_BILLING_WATER = {
    SewerBillingChange.PLUG: "sewer.billing_situation.plug.water",
    SewerBillingChange.DEACTIVATE: "sewer.billing_situation.deactivate.water",
}


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
BILLING_WATER_STATUS = {
    change: _m(
        f"connection.sewer.billing.{change.value}.water_status_not_allowed",
        "The water situation of property {property_id} is {status}: the sewer "
        f"cannot {change.value}.",
        "Situação da Ligação de água do Imóvel {status} está inválida para efetuar a "
        "alteração da ligação de esgoto.",
        key=key,
        rule="V-MB2",
    )
    for change, key in _BILLING_WATER_KEYS.items()
}
BILLING_SEWER_STATUS = {
    change: _m(
        f"connection.sewer.billing.{change.value}.sewer_status_not_allowed",
        "The sewer situation of property {property_id} is {status}: it cannot "
        f"{change.value}.",
        "Situação da Ligação de Esgoto do Imóvel {status} está inválida para a "
        "alteração da ligação de esgoto.",
        key=key,
        rule="V-MB3",
    )
    for change, key in _BILLING_SEWER_KEYS.items()
}
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
    "A empresa não utiliza {feature}.",
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


# ---------------------------------------------------------------- facts and results
@attrs.frozen(kw_only=True)
class ConnectionFacts:
    """What the rules know about the property of an operation."""

    property: Property
    water: WaterConnection | None = None
    sewer: SewerConnection | None = None
    water_network: NetworkIndicator = NetworkIndicator.NETWORK
    sewer_network: NetworkIndicator = NetworkIndicator.NONE
    #: The reference month (``yyyymm``) that locks the property in the field.
    locked_reference: int | None = None
    #: CAEMA: the property's locality is under a PPP sewer contract.
    ppp_contract: bool = False
    #: A meter is installed on the water connection / on the well (phase 2 of the
    #: hydrometer area answers these; without it there is no meter).
    water_meter: bool = False
    well_meter: bool = False


def _permissions(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _debts(value: Iterable[OpenDebt]) -> tuple[OpenDebt, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ConnectionContext:
    """Everything else an operation's rules read."""

    profile: UtilityProfile
    catalog: CatalogLookup
    #: The local date of the command.
    today: date
    #: The date the operation takes effect by default (the OS's closing date).
    effective_on: date
    #: The OS the operation runs for (``None`` without an order).
    order: ServiceOrder | None = None
    service_type: ServiceType | None = None
    #: Permission roles (``"suppress_water_connection"``...) the actor holds.
    permissions: frozenset[str] = attrs.field(factory=frozenset, converter=_permissions)
    #: The property's open debts (read only by the operations that gate on them).
    debts: tuple[OpenDebt, ...] = attrs.field(factory=tuple, converter=_debts)
    #: The local date the order closed (the data-update operations read it).
    order_closed_on: date | None = None
    #: The service request (RA) the operation is recorded under (CAEMA).
    request_id: int | None = None
    #: UC0105: the minimum consumption billing computed for the property.
    calculated_minimum: int | None = None


@attrs.frozen(kw_only=True)
class SituationStep:
    """One situation change an operation makes."""

    kind: ConnectionKind
    before: int
    after: int


@attrs.frozen(kw_only=True)
class ConnectionDecision:
    """What an operation changes. ``water`` / ``sewer``: the connection to store
    (a new one has version 1); ``None`` leaves it alone."""

    property: Property
    water: WaterConnection | None = None
    sewer: SewerConnection | None = None
    removed: tuple[ConnectionKind, ...] = ()
    steps: tuple[SituationStep, ...] = ()
    effective_on: date
    reading: int | None = None


Outcome = tuple[list[Violation], ConnectionDecision | None]
Rule = Callable[[ConnectionFacts, ConnectionContext, object], Outcome]


# ---------------------------------------------------------------- helpers
def role_id(profile: UtilityProfile, role: str) -> int:
    """The single id of a situation role; a profile without it is misconfigured."""
    found = profile.ids(role)
    if len(found) != 1:
        raise ConfigurationError(
            f"the profile must map role {role!r} to exactly one id, got {sorted(found)}",
            field=f"roles.{role}",
        )
    return next(iter(found))


def coupled_sewer(profile: UtilityProfile, sewer_status_id: int) -> int:
    """§2.3: water back to LIGADO moves the sewer from LIG. FORA DE USO to LIGADO."""
    if sewer_status_id in profile.ids("sewer_status.out_of_use"):
        return role_id(profile, "sewer_status.connected")
    return sewer_status_id


def _status_text(catalog: CatalogLookup, kind: str, status_id: int) -> str:
    row = catalog.find(kind, status_id)
    return f"{status_id} {row.description}" if row is not None else str(status_id)


def _water_status_text(ctx: ConnectionContext, status_id: int) -> str:
    return _status_text(ctx.catalog, "water_status", status_id)


def _sewer_status_text(ctx: ConnectionContext, status_id: int) -> str:
    return _status_text(ctx.catalog, "sewer_status", status_id)


def _active(
    facts: ConnectionFacts, message: Message = PROPERTY_INACTIVE
) -> list[Violation]:
    if facts.property.active:
        return []
    return [message(property_id=facts.property.id)]


def _in_field(facts: ConnectionFacts) -> list[Violation]:
    reference = facts.locked_reference
    if reference is None:
        return []
    return [
        PROPERTY_IN_FIELD(
            property_id=facts.property.id,
            reference=f"{reference % 100:02d}/{reference // 100}",
        )
    ]


def _water_source(
    facts: ConnectionFacts, ctx: ConnectionContext, key: str, message: Message
) -> list[Violation]:
    status = facts.property.water_status_id
    if status in ctx.profile.allowed(key):
        return []
    return [
        message(property_id=facts.property.id, status=_water_status_text(ctx, status))
    ]


def _sewer_source(
    facts: ConnectionFacts, ctx: ConnectionContext, key: str, message: Message
) -> list[Violation]:
    status = facts.property.sewer_status_id
    if status in ctx.profile.allowed(key):
        return []
    return [
        message(property_id=facts.property.id, status=_sewer_status_text(ctx, status))
    ]


def _required(value: object, field: str, campo: str) -> list[Violation]:
    if value is None:
        return [REQUIRED(field=field, campo=campo)]
    return []


def _reference(
    ctx: ConnectionContext,
    kind: str,
    value: int | None,
    field: str,
    campo: str,
    *,
    required: bool = True,
) -> list[Violation]:
    """A catalog id: required (when asked), existing and active."""
    if value is None:
        return _required(None, field, campo) if required else []
    row = ctx.catalog.find(kind, value)
    if row is None or not row.active:
        return [UNKNOWN_REFERENCE(field=field, campo=campo, value=value)]
    return []


def _not_negative(value: int | None, field: str, campo: str) -> list[Violation]:
    if value is not None and value < 0:
        return [NEGATIVE_VALUE(field=field, campo=campo, value=value)]
    return []


def _date(
    on: date,
    ctx: ConnectionContext,
    field: str,
    campo: str,
    *,
    after: date | None = None,
    after_field: str = "connection date",
    apos: str = "data da ligação",
) -> list[Violation]:
    """C-DATE: never in the future, never before the event it follows."""
    found: list[Violation] = []
    if on > ctx.today:
        found.append(DATE_IN_FUTURE(field=field, campo=campo, on=on, today=ctx.today))
    if after is not None and on < after:
        found.append(
            DATE_TOO_EARLY(
                field=field,
                campo=campo,
                on=on,
                after=after,
                after_field=after_field,
                apos=apos,
            )
        )
    return found


def _water_row(facts: ConnectionFacts) -> list[Violation]:
    if facts.water is None:
        return [NO_WATER_CONNECTION(property_id=facts.property.id)]
    return []


def _sewer_row(facts: ConnectionFacts) -> list[Violation]:
    if facts.sewer is None:
        return [NO_SEWER_CONNECTION(property_id=facts.property.id)]
    return []


def _move_water(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    target: int,
    *,
    couple: bool,
) -> tuple[Property, tuple[SituationStep, ...]]:
    """The property after moving its water to ``target`` (and the sewer coupling)."""
    prop = facts.property
    sewer = coupled_sewer(ctx.profile, prop.sewer_status_id) if couple else None
    steps: list[SituationStep] = []
    if target != prop.water_status_id:
        steps.append(
            SituationStep(
                kind=ConnectionKind.WATER, before=prop.water_status_id, after=target
            )
        )
    if sewer is not None and sewer != prop.sewer_status_id:
        steps.append(
            SituationStep(
                kind=ConnectionKind.SEWER, before=prop.sewer_status_id, after=sewer
            )
        )
    if not steps:
        return prop, ()
    moved = attrs.evolve(
        prop,
        water_status_id=target,
        sewer_status_id=prop.sewer_status_id if sewer is None else sewer,
        version=prop.version + 1,
    )
    return moved, tuple(steps)


def _move_sewer(
    facts: ConnectionFacts, target: int
) -> tuple[Property, tuple[SituationStep, ...]]:
    prop = facts.property
    if target == prop.sewer_status_id:
        return prop, ()
    step = SituationStep(
        kind=ConnectionKind.SEWER, before=prop.sewer_status_id, after=target
    )
    moved = attrs.evolve(prop, sewer_status_id=target, version=prop.version + 1)
    return moved, (step,)


# ---------------------------------------------------------------- water: connect
def _water_fields(
    ctx: ConnectionContext,
    *,
    connected_on: date | None,
    diameter_id: int | None,
    material_id: int | None,
    profile_id: int | None,
    origin_id: int | None,
    seal_number: str | None,
) -> list[Violation]:
    """V-LA8: the required data of a water connection, and its references."""
    found = _required(connected_on, "Connection date", "Data da Ligação")
    if connected_on is not None:
        found += _date(connected_on, ctx, "connection date", "Data da Ligação")
    found += _reference(
        ctx, "water_diameter", diameter_id, "Connection diameter", "Diametro da Ligação"
    )
    found += _reference(
        ctx, "water_material", material_id, "Connection material", "Material da Ligação"
    )
    found += _reference(
        ctx, "water_profile", profile_id, "Connection profile", "Perfil da Ligação"
    )
    found += _reference(
        ctx,
        "connection_origin",
        origin_id,
        "Connection origin",
        "Ligação de Origem",
        required=False,
    )
    found += optional_text(
        seal_number, field="Seal number", campo="Número do Lacre", max_length=MAX_SEAL
    )
    return found


def _connect_water(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: object,
    *,
    key: str,
    status: Message = CONNECT_WATER_STATUS,
) -> Outcome:
    assert isinstance(data, WaterConnectionInput)
    found = _active(facts, CONNECT_WATER_PROPERTY_INACTIVE)
    found += _water_source(facts, ctx, key, status)
    if facts.water_network is NetworkIndicator.NONE:
        found.append(NO_WATER_NETWORK(property_id=facts.property.id))
    found += _water_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        origin_id=data.origin_id,
        seal_number=data.seal_number,
    )
    found += _not_negative(
        data.minimum_consumption, "Minimum consumption", "Consumo Mínimo"
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert data.connected_on is not None
    assert data.diameter_id is not None
    assert data.material_id is not None
    assert data.profile_id is not None
    fields = {
        "connected_on": data.connected_on,
        "implanted_on": ctx.today,
        "diameter_id": data.diameter_id,
        "material_id": data.material_id,
        "profile_id": data.profile_id,
        "branch_location_id": data.branch_location_id,
        "origin_id": data.origin_id,
        "seal_number": data.seal_number,
        "street_pavement_id": data.street_pavement_id,
        "sidewalk_pavement_id": data.sidewalk_pavement_id,
        "branch_depth": data.branch_depth,
        "branch_distance": data.branch_distance,
        "minimum_consumption": data.minimum_consumption,
    }
    current = facts.water
    water = (
        WaterConnection(id=facts.property.id, **fields)  # type: ignore[arg-type]
        if current is None
        else attrs.evolve(current, version=current.version + 1, **fields)  # type: ignore[arg-type]
    )
    target = role_id(ctx.profile, "water_status.connected")
    prop, steps = _move_water(facts, ctx, target, couple=True)
    return [], ConnectionDecision(
        property=prop,
        water=water,
        steps=steps,
        effective_on=data.connected_on,
    )


def _connect_water_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    return _connect_water(facts, ctx, data, key="water.connect")


def _connect_water_no_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """UC0354 / UC0579 "sem RA": permission 65; the meter is optional."""
    if isinstance(data, ConnectWithMeterInput):
        data = data.connection
    found: list[Violation] = []
    if "connect_water_without_request" not in ctx.permissions:
        found.append(
            WITHOUT_ORDER_PERMISSION(
                permission_id=ctx.profile.id("permission.connect_water_without_request")
            )
        )
    violations, decision = _connect_water(
        facts, ctx, data, key="water.connect_without_order"
    )
    found += violations
    return (found, None) if found else ([], decision)


# ---------------------------------------------------------------- water: cuts
def _cut(facts: ConnectionFacts, ctx: ConnectionContext, data: object) -> Outcome:
    assert isinstance(data, CutInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.cut", CUT_STATUS)
    on = data.cut_on if data.cut_on is not None else ctx.effective_on
    found += _date(
        on,
        ctx,
        "cut date",
        "Data do Corte",
        after=None if facts.water is None else facts.water.connected_on,
    )
    found += _reference(ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte")
    if data.cut_type_id is not None:
        row = ctx.catalog.find("cut_type", data.cut_type_id)
        if row is not None and row.flag("administrative"):
            found.append(CUT_TYPE_ADMINISTRATIVE(cut_type_id=data.cut_type_id))
    found += _reference(
        ctx, "cut_reason", data.cut_reason_id, "Cut reason", "Motivo do Corte"
    )
    found += _not_negative(data.seal_number, "Cut seal", "Número do Selo de Corte")
    found += _not_negative(data.reading, "Cut reading", "Leitura do Corte")
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        cut_on=on,
        cut_seal=data.seal_number,
        cut_type_id=data.cut_type_id,
        cut_reason_id=data.cut_reason_id,
        version=facts.water.version + 1,
    )
    target = role_id(ctx.profile, "water_status.cut")
    prop, steps = _move_water(facts, ctx, target, couple=False)
    return [], ConnectionDecision(
        property=prop, water=water, steps=steps, effective_on=on, reading=data.reading
    )


def _administrative_cut(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, AdministrativeCutInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(
        facts, ctx, "water.administrative_cut", ADMINISTRATIVE_CUT_STATUS
    )
    on = data.cut_on if data.cut_on is not None else ctx.effective_on
    found += _date(
        on,
        ctx,
        "cut date",
        "Data do Corte",
        after=None if facts.water is None else facts.water.connected_on,
    )
    found += _reference(ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte")
    if data.cut_type_id is not None:
        row = ctx.catalog.find("cut_type", data.cut_type_id)
        if row is not None and not row.flag("administrative"):
            found.append(CUT_TYPE_NOT_ADMINISTRATIVE(cut_type_id=data.cut_type_id))
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        cut_type_id=data.cut_type_id,
        administrative_cut_on=on,
        version=facts.water.version + 1,
    )
    return [], ConnectionDecision(property=facts.property, water=water, effective_on=on)


def _change_cut_type(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, ChangeCutTypeInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.change_cut_type", CUT_TYPE_STATUS)
    found += _reference(ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte")
    if data.cut_type_id is not None:
        row = ctx.catalog.find("cut_type", data.cut_type_id)
        if row is not None and row.flag("administrative"):
            found.append(CUT_TYPE_ADMINISTRATIVE(cut_type_id=data.cut_type_id))
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water, cut_type_id=data.cut_type_id, version=facts.water.version + 1
    )
    return [], ConnectionDecision(
        property=facts.property, water=water, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- water: suppression
def _suppress(facts: ConnectionFacts, ctx: ConnectionContext, data: object) -> Outcome:
    assert isinstance(data, SuppressionInput)
    found = _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.suppress", SUPPRESS_STATUS)
    on = data.suppressed_on if data.suppressed_on is not None else ctx.effective_on
    found += _date(
        on,
        ctx,
        "suppression date",
        "Data da Supressão",
        after=None if facts.water is None else facts.water.connected_on,
    )
    found += _reference(
        ctx,
        "suppression_type",
        data.suppression_type_id,
        "Suppression type",
        "Tipo de Supressão",
    )
    if data.suppression_type_id is not None:
        row = ctx.catalog.find("suppression_type", data.suppression_type_id)
        wanted = "total" if data.total else "partial"
        if row is not None and not row.flag(wanted):
            found.append(
                SUPPRESSION_TYPE_MISMATCH(
                    suppression_type_id=data.suppression_type_id,
                    expected=wanted,
                    esperado="total" if data.total else "parcial",
                )
            )
    found += _reference(
        ctx,
        "suppression_reason",
        data.suppression_reason_id,
        "Suppression reason",
        "Motivo da Supressão",
    )
    found += _not_negative(data.seal_number, "Suppression seal", "Selo de Supressão")
    found += _not_negative(data.reading, "Suppression reading", "Leitura")
    found += _suppression_gate(facts, ctx, data.suppression_reason_id)
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        suppressed_on=on,
        suppression_seal=data.seal_number,
        suppression_type_id=data.suppression_type_id,
        suppression_reason_id=data.suppression_reason_id,
        version=facts.water.version + 1,
    )
    role = (
        "water_status.suppressed"
        if data.total
        else "water_status.partially_suppressed_on_request"
    )
    prop, steps = _move_water(facts, ctx, role_id(ctx.profile, role), couple=False)
    return [], ConnectionDecision(
        property=prop, water=water, steps=steps, effective_on=on, reading=data.reading
    )


def _suppression_gate(
    facts: ConnectionFacts, ctx: ConnectionContext, reason_id: int | None
) -> list[Violation]:
    """V-SU8: with ``indicadorSupressao``, debts block a customer-requested
    suppression; any other reason needs special permission 79."""
    if not ctx.profile.connections.suppression_debt_gate or reason_id is None:
        return []
    if ctx.profile.plays("suppression_reason.customer_request", reason_id):
        debts = [d for d in ctx.debts if d.kind is not DebtKind.CREDIT]
        if debts:
            return [SUPPRESSION_DEBTS(property_id=facts.property.id, count=len(debts))]
        return []
    if "suppress_water_connection" in ctx.permissions:
        return []
    return [
        SUPPRESSION_PERMISSION(
            reason_id=reason_id,
            permission_id=ctx.profile.id("permission.suppress_water_connection"),
        )
    ]


# ---------------------------------------------------------------- water: back to connected
def _reconnect(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: object,
    *,
    key: str = "water.reconnect",
    status: Message = RECONNECT_STATUS,
    inactive: Message = PROPERTY_INACTIVE,
) -> Outcome:
    assert isinstance(data, ReconnectionInput)
    found = _active(facts, inactive) + _water_row(facts)
    found += _water_source(facts, ctx, key, status)
    on = data.reconnected_on if data.reconnected_on is not None else ctx.effective_on
    water = facts.water
    found += _date(
        on,
        ctx,
        "reconnection date",
        "Data da Religação",
        after=None if water is None else (water.cut_on or water.connected_on),
        after_field="cut date",
        apos="data do corte",
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert water is not None
    updated = attrs.evolve(water, reconnected_on=on, version=water.version + 1)
    target = role_id(ctx.profile, "water_status.connected")
    prop, steps = _move_water(facts, ctx, target, couple=True)
    return [], ConnectionDecision(
        property=prop, water=updated, steps=steps, effective_on=on
    )


def _restore(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: object,
    *,
    key: str = "water.restore",
    status: Message = RESTORE_STATUS,
    inactive: Message = PROPERTY_INACTIVE,
    no_network: Message | None = None,
) -> Outcome:
    assert isinstance(data, RestorationInput)
    found = _active(facts, inactive) + _water_row(facts)
    found += _water_source(facts, ctx, key, status)
    if no_network is not None and facts.water_network is NetworkIndicator.NONE:
        found.append(no_network(property_id=facts.property.id))
    on = data.restored_on if data.restored_on is not None else ctx.effective_on
    water = facts.water
    found += _date(
        on,
        ctx,
        "restoration date",
        "Data do Restabelecimento",
        after=None if water is None else (water.suppressed_on or water.connected_on),
        after_field="suppression date",
        apos="data da supressão",
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert water is not None
    updated = attrs.evolve(water, restored_on=on, version=water.version + 1)
    target = role_id(ctx.profile, "water_status.connected")
    prop, steps = _move_water(facts, ctx, target, couple=True)
    return [], ConnectionDecision(
        property=prop, water=updated, steps=steps, effective_on=on
    )


# ---------------------------------------------------------------- water: with a meter
def meter_part(data: object) -> MeterInstallation | MeterReplacement | None:
    """The meter data of a "com hidrômetro" operation's input (``None`` for any
    other input, or when it gives none)."""
    if isinstance(
        data, ConnectWithMeterInput | ReconnectWithMeterInput | RestoreWithMeterInput
    ):
        return data.meter
    if isinstance(
        data,
        ConnectWithReplacementInput
        | ReconnectWithReplacementInput
        | RestoreWithReplacementInput,
    ):
        return data.replacement
    return None


def _composite(outcome: Outcome, part: object, required: Message) -> Outcome:
    """The base operation's outcome, plus C-HID1 / C-HID2 (the meter data)."""
    found, decision = outcome
    if part is None:
        found = [*found, required()]
    return (found, None) if found else ([], decision)


def _connect_with_meter(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.3 (operation 706): the connection's rules with their own situation
    message (V-LAH3); the meter's (V-LAH1 = I-9, V-LAH2 = I-10 / I-12) are the
    hydrometer area's."""
    assert isinstance(data, ConnectWithMeterInput)
    outcome = _connect_water(
        facts,
        ctx,
        data.connection,
        key="water.connect_with_meter",
        status=CONNECT_METER_STATUS,
    )
    return _composite(outcome, data.meter, METER_REQUIRED)


def _reconnect_with_meter(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.8 (operation 16044): V-RLH1 (cut), V-RLH2 (active), the
    reconnection's date and lock; no network check (GSAN has none)."""
    assert isinstance(data, ReconnectWithMeterInput)
    outcome = _reconnect(
        facts,
        ctx,
        data.reconnection,
        key="water.reconnect_with_meter",
        status=RECONNECT_METER_STATUS,
        inactive=RECONNECT_METER_INACTIVE,
    )
    return _composite(outcome, data.meter, METER_REQUIRED)


def _restore_with_meter(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.10 (operation 879): V-RSH1 (suppressed), V-RSH2 (active), V-RSH3
    (network), the restoration's date and lock."""
    assert isinstance(data, RestoreWithMeterInput)
    outcome = _restore(
        facts,
        ctx,
        data.restoration,
        key="water.restore_with_meter",
        status=RESTORE_METER_STATUS,
        inactive=RESTORE_METER_INACTIVE,
        no_network=RESTORE_METER_NO_NETWORK,
    )
    return _composite(outcome, data.meter, METER_REQUIRED)


def _connect_with_replacement(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.11 (operation 16045): the connection's rules (§3.2), then UC0364."""
    assert isinstance(data, ConnectWithReplacementInput)
    outcome = _connect_water(
        facts, ctx, data.connection, key="water.connect_with_replacement"
    )
    return _composite(outcome, data.replacement, REPLACEMENT_REQUIRED)


def _reconnect_with_replacement(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.11 (operation 16046): the reconnection's rules (§3.7), then UC0364."""
    assert isinstance(data, ReconnectWithReplacementInput)
    outcome = _reconnect(
        facts, ctx, data.reconnection, key="water.reconnect_with_replacement"
    )
    return _composite(outcome, data.replacement, REPLACEMENT_REQUIRED)


def _restore_with_replacement(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    """§3.11 (operation 16047): the restoration's rules (§3.9), then UC0364."""
    assert isinstance(data, RestoreWithReplacementInput)
    outcome = _restore(
        facts, ctx, data.restoration, key="water.restore_with_replacement"
    )
    return _composite(outcome, data.replacement, REPLACEMENT_REQUIRED)


# ---------------------------------------------------------------- water: data
def _minimum_consumption(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, MinimumConsumptionInput)
    found = _active(facts) + _water_row(facts)
    value = data.minimum_consumption
    found += _not_negative(value, "Minimum consumption", "Consumo Mínimo")
    minimum = ctx.calculated_minimum
    if value is not None and minimum is not None and 0 <= value < minimum:
        found.append(
            MINIMUM_BELOW_CALCULATED(
                property_id=facts.property.id, value=value, minimum=minimum
            )
        )
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water, minimum_consumption=value, version=facts.water.version + 1
    )
    return [], ConnectionDecision(
        property=facts.property, water=water, effective_on=ctx.effective_on
    )


def _order_too_old(ctx: ConnectionContext, role: str, kind: str) -> list[Violation]:
    """V-UP1: for some types the OS must have closed at most ``diasMaximoAlterarOS``
    days ago."""
    order, service_type = ctx.order, ctx.service_type
    closed_on = ctx.order_closed_on
    if order is None or service_type is None or closed_on is None:
        return []
    if not ctx.profile.plays(role, service_type.id):
        return []
    days = ctx.profile.service_orders.max_days_to_update_closed_order
    if (ctx.today - closed_on).days > days:
        return [UPDATE_ORDER_TOO_OLD(order_id=order.id, days=days, kind=kind)]
    return []


def _update_water(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, WaterUpdateInput)
    found = _order_too_old(ctx, "service_type.water.update_within_days", "water")
    found += _active(facts) + _water_row(facts)
    found += _water_source(facts, ctx, "water.update", UPDATE_WATER_STATUS)
    found += _water_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        origin_id=data.origin_id,
        seal_number=data.seal_number,
    )
    status = facts.property.water_status_id
    profile = ctx.profile
    if profile.plays("water_status.cut", status):
        for field, value in (
            ("type", data.cut_type_id),
            ("reason", data.cut_reason_id),
            ("seal", data.cut_seal),
        ):
            if value is None:
                found.append(UPDATE_CUT_DATA[field]())
    suppressed = profile.ids("water_status.suppressed") | profile.ids(
        "water_status.partially_suppressed_on_request"
    )
    if status in suppressed:
        for field, value in (
            ("type", data.suppression_type_id),
            ("reason", data.suppression_reason_id),
            ("seal", data.suppression_seal),
        ):
            if value is None:
                found.append(UPDATE_SUPPRESSION_DATA[field]())
    found += _reference(
        ctx, "cut_type", data.cut_type_id, "Cut type", "Tipo de Corte", required=False
    )
    found += _reference(
        ctx,
        "cut_reason",
        data.cut_reason_id,
        "Cut reason",
        "Motivo do Corte",
        required=False,
    )
    found += _reference(
        ctx,
        "suppression_type",
        data.suppression_type_id,
        "Suppression type",
        "Tipo de Supressão",
        required=False,
    )
    found += _reference(
        ctx,
        "suppression_reason",
        data.suppression_reason_id,
        "Suppression reason",
        "Motivo da Supressão",
        required=False,
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert facts.water is not None
    water = attrs.evolve(
        facts.water,
        version=facts.water.version + 1,
        **{f.name: getattr(data, f.name) for f in attrs.fields(WaterUpdateInput)},
    )
    return [], ConnectionDecision(
        property=facts.property, water=water, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- sewer
def _percentage(value: Decimal | None, field: str, campo: str) -> list[Violation]:
    if value is not None and not Decimal(0) <= value <= HUNDRED:
        return [PERCENTAGE_OUT_OF_RANGE(field=field, campo=campo, value=value)]
    return []


def _sewer_fields(
    ctx: ConnectionContext,
    *,
    connected_on: date | None,
    diameter_id: int | None,
    material_id: int | None,
    profile_id: int | None,
    grease_trap: bool | None,
    collection_percentage: Decimal | None,
    sewer_percentage: Decimal | None,
    optional: Mapping[str, tuple[int | None, str, str]],
    collection_changes: bool,
) -> list[Violation]:
    """V-LE7..V-LE9: the sewer connection's data."""
    found = _required(connected_on, "Connection date", "Data da Ligação")
    if connected_on is not None:
        found += _date(connected_on, ctx, "connection date", "Data da Ligação")
    found += _reference(
        ctx, "sewer_diameter", diameter_id, "Connection diameter", "Diâmetro da Ligação"
    )
    found += _reference(
        ctx, "sewer_material", material_id, "Connection material", "Material da Ligação"
    )
    found += _reference(
        ctx, "sewer_profile", profile_id, "Connection profile", "Perfil da Ligação"
    )
    found += _required(grease_trap, "Grease trap", "Caixa de Gordura")
    for kind, (value, field, campo) in optional.items():
        found += _reference(ctx, kind, value, field, campo, required=False)
    found += _percentage(
        collection_percentage, "collection percentage", "Percentual de Coleta"
    )
    found += _percentage(sewer_percentage, "sewer percentage", "Percentual de Esgoto")
    if (
        collection_changes
        and "change_sewer_collection_percentage" not in ctx.permissions
    ):
        found.append(
            COLLECTION_PERMISSION(
                permission_id=ctx.profile.id(
                    "permission.change_sewer_collection_percentage"
                )
            )
        )
    return found


def _sewer_optional(
    data: SewerConnectionInput | SewerUpdateInput,
) -> dict[str, tuple[int | None, str, str]]:
    return {
        "sewer_drainage": (data.drainage_id, "Drainage", "Esgotamento"),
        "waste_destination": (
            data.waste_destination_id,
            "Waste destination",
            "Destino de Dejetos",
        ),
        "sewer_inspection_box": (
            data.inspection_box_id,
            "Inspection box",
            "Caixa de Inspeção",
        ),
        "rainwater_destination": (
            data.rainwater_destination_id,
            "Rainwater destination",
            "Destino de Águas Pluviais",
        ),
        "connection_origin": (data.origin_id, "Connection origin", "Ligação de Origem"),
    }


def _sewer_percentage_of(ctx: ConnectionContext, profile_id: int) -> Decimal:
    row = ctx.catalog.find("sewer_profile", profile_id)
    value = None if row is None else row.decimal("sewer_percentage")
    return HUNDRED if value is None else value


def _new_sewer(
    facts: ConnectionFacts,
    ctx: ConnectionContext,
    data: SewerConnectionInput,
    **extra: object,
) -> SewerConnection:
    assert data.connected_on is not None
    assert data.diameter_id is not None
    assert data.material_id is not None
    assert data.profile_id is not None
    assert data.grease_trap is not None
    fields: dict[str, object] = {
        "connected_on": data.connected_on,
        "diameter_id": data.diameter_id,
        "material_id": data.material_id,
        "profile_id": data.profile_id,
        "collection_percentage": HUNDRED
        if data.collection_percentage is None
        else data.collection_percentage,
        "sewer_percentage": _sewer_percentage_of(ctx, data.profile_id)
        if data.sewer_percentage is None
        else data.sewer_percentage,
        "grease_trap": data.grease_trap,
        "connection_indicator": data.connection_indicator,
        "minimum_volume": data.minimum_volume,
        "drainage_id": data.drainage_id,
        "waste_destination_id": data.waste_destination_id,
        "inspection_box_id": data.inspection_box_id,
        "rainwater_destination_id": data.rainwater_destination_id,
        "origin_id": data.origin_id,
        **extra,
    }
    current = facts.sewer
    if current is None:
        return SewerConnection(id=facts.property.id, **fields)  # type: ignore[arg-type]
    return attrs.evolve(current, version=current.version + 1, **fields)  # type: ignore[arg-type]


def _sewer_input_violations(
    ctx: ConnectionContext, data: SewerConnectionInput
) -> list[Violation]:
    found = _sewer_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        grease_trap=data.grease_trap,
        collection_percentage=data.collection_percentage,
        sewer_percentage=data.sewer_percentage,
        optional=_sewer_optional(data),
        collection_changes=data.collection_percentage is not None
        and data.collection_percentage != HUNDRED,
    )
    found += _not_negative(data.minimum_volume, "Minimum volume", "Volume Mínimo")
    return found


def _connect_sewer(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object, *, key: str
) -> Outcome:
    assert isinstance(data, SewerConnectionInput)
    found = _active(facts, CONNECT_SEWER_PROPERTY_INACTIVE)
    found += _sewer_source(facts, ctx, key, CONNECT_SEWER_STATUS)
    if facts.sewer_network is NetworkIndicator.NONE:
        found.append(NO_SEWER_NETWORK(property_id=facts.property.id))
    found += _sewer_input_violations(ctx, data)
    found += _in_field(facts)
    if found:
        return found, None
    sewer = _new_sewer(facts, ctx, data)
    prop, steps = _move_sewer(facts, role_id(ctx.profile, "sewer_status.connected"))
    return [], ConnectionDecision(
        property=prop, sewer=sewer, steps=steps, effective_on=sewer.connected_on
    )


def _connect_sewer_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    return _connect_sewer(facts, ctx, data, key="sewer.connect")


def _connect_sewer_no_order(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    found: list[Violation] = []
    if "connect_sewer_without_request" not in ctx.permissions:
        found.append(
            WITHOUT_ORDER_PERMISSION(
                permission_id=ctx.profile.id("permission.connect_sewer_without_request")
            )
        )
    violations, decision = _connect_sewer(
        facts, ctx, data, key="sewer.connect_without_order"
    )
    found += violations
    return (found, None) if found else ([], decision)


def sewer_billing_change(
    profile: UtilityProfile, service_type_id: int
) -> SewerBillingChange | None:
    """Which sewer billing change a service type means (§3.13), by profile role."""
    for change in SewerBillingChange:
        if profile.plays(
            f"service_type.sewer.billing_situation.{change.value}", service_type_id
        ):
            return change
    return None


def _sewer_billing(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    on = ctx.effective_on
    if isinstance(data, SewerBillingInput) and data.changed_on is not None:
        on = data.changed_on
    service_type = ctx.service_type
    change = (
        None
        if service_type is None
        else sewer_billing_change(ctx.profile, service_type.id)
    )
    if change is None:
        return [
            BILLING_NO_TRANSITION(
                service_type_id=None if service_type is None else service_type.id
            )
        ], None
    found = _active(facts) + _sewer_row(facts)
    water_key = SEWER_BILLING_WATER.get(change)
    if water_key is not None:
        found += _water_source(facts, ctx, water_key, BILLING_WATER_STATUS[change])
    found += _sewer_source(
        facts,
        ctx,
        f"sewer.billing_situation.{change.value}",
        BILLING_SEWER_STATUS[change],
    )
    found += _date(
        on,
        ctx,
        "change date",
        "Data da Mudança",
        after=None if facts.sewer is None else facts.sewer.connected_on,
    )
    if found:
        return found, None
    profile = ctx.profile
    if change is SewerBillingChange.PLUG:
        target = role_id(profile, "sewer_status.plugged")
    elif change is SewerBillingChange.DEACTIVATE:
        if profile.connections.sewer_deactivation_target == "out_of_use":
            target = role_id(profile, "sewer_status.out_of_use")
        elif facts.sewer_network is NetworkIndicator.NETWORK:
            target = role_id(profile, "sewer_status.feasible")
        else:
            target = role_id(profile, "sewer_status.potential")
    else:
        target = role_id(profile, "sewer_status.connected")
    prop, steps = _move_sewer(facts, target)
    return [], ConnectionDecision(property=prop, steps=steps, effective_on=on)


def _minimum_volume(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, MinimumVolumeInput)
    found = _active(facts) + _sewer_row(facts)
    value = data.minimum_volume
    found += _not_negative(value, "Minimum volume", "Volume Mínimo")
    minimum = ctx.calculated_minimum
    if value is not None and minimum is not None and 0 <= value < minimum:
        found.append(
            VOLUME_BELOW_CALCULATED(
                property_id=facts.property.id, value=value, minimum=minimum
            )
        )
    if found:
        return found, None
    assert facts.sewer is not None
    sewer = attrs.evolve(
        facts.sewer, minimum_volume=value, version=facts.sewer.version + 1
    )
    return [], ConnectionDecision(
        property=facts.property, sewer=sewer, effective_on=ctx.effective_on
    )


def _update_sewer(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, SewerUpdateInput)
    found = _order_too_old(ctx, "service_type.sewer.update_within_days", "sewer")
    found += _active(facts) + _sewer_row(facts)
    found += _sewer_source(facts, ctx, "sewer.update", UPDATE_SEWER_STATUS)
    current = facts.sewer
    found += _sewer_fields(
        ctx,
        connected_on=data.connected_on,
        diameter_id=data.diameter_id,
        material_id=data.material_id,
        profile_id=data.profile_id,
        grease_trap=data.grease_trap,
        collection_percentage=data.collection_percentage,
        sewer_percentage=data.sewer_percentage,
        optional=_sewer_optional(data),
        collection_changes=current is not None
        and data.collection_percentage is not None
        and data.collection_percentage != current.collection_percentage,
    )
    found += _in_field(facts)
    if found:
        return found, None
    assert current is not None
    changes = {f.name: getattr(data, f.name) for f in attrs.fields(SewerUpdateInput)}
    for kept in ("collection_percentage", "sewer_percentage"):
        if changes[kept] is None:
            changes[kept] = getattr(current, kept)
    sewer = attrs.evolve(current, version=current.version + 1, **changes)
    return [], ConnectionDecision(
        property=facts.property, sewer=sewer, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- CAEMA
def _feasible_billable_enabled(ctx: ConnectionContext) -> list[Violation]:
    if ctx.profile.enabled("sewer.feasible_billable"):
        return []
    return [FEATURE_DISABLED(feature="sewer.feasible_billable")]


def _inform_feasible_billable(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, SewerConnectionInput)
    found = _feasible_billable_enabled(ctx)
    if found:
        return found, None
    if not facts.ppp_contract:
        found.append(NOT_PPP_LOCALITY(property_id=facts.property.id))
    found += _active(facts)
    status = facts.property.sewer_status_id
    if status not in ctx.profile.allowed("sewer.feasible_billable.inform"):
        found.append(
            FEASIBLE_BILLABLE_STATUS(
                property_id=facts.property.id,
                status=_sewer_status_text(ctx, status),
                action="informed",
                acao="informar",
            )
        )
    found += _sewer_input_violations(ctx, data)
    if found:
        return found, None
    sewer = _new_sewer(
        facts, ctx, data, previous_status_id=status, request_id=ctx.request_id
    )
    target = role_id(ctx.profile, "sewer_status.feasible_billable")
    prop, steps = _move_sewer(facts, target)
    return [], ConnectionDecision(
        property=prop, sewer=sewer, steps=steps, effective_on=sewer.connected_on
    )


def _withdraw_feasible_billable(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    del data
    found = _feasible_billable_enabled(ctx)
    if found:
        return found, None
    found += _active(facts)
    status = facts.property.sewer_status_id
    if status not in ctx.profile.allowed("sewer.feasible_billable.withdraw"):
        found.append(
            FEASIBLE_BILLABLE_STATUS(
                property_id=facts.property.id,
                status=_sewer_status_text(ctx, status),
                action="withdrawn",
                acao="retirar",
            )
        )
    if found:
        return found, None
    previous = None if facts.sewer is None else facts.sewer.previous_status_id
    if previous is None:
        previous = role_id(
            ctx.profile,
            "sewer_status.feasible"
            if facts.sewer_network is NetworkIndicator.NETWORK
            else "sewer_status.potential",
        )
    prop, steps = _move_sewer(facts, previous)
    removed = () if facts.sewer is None else (ConnectionKind.SEWER,)
    return [], ConnectionDecision(
        property=prop, removed=removed, steps=steps, effective_on=ctx.effective_on
    )


# ---------------------------------------------------------------- alterar situação
def offered_situations(
    ctx: ConnectionContext, kind: ConnectionKind, network: NetworkIndicator
) -> tuple[int, ...]:
    """V-AS4: POTENCIAL without a network, FACTÍVEL with one, either with a partial
    network; only situations that are not billed."""
    table = "water_status" if kind is ConnectionKind.WATER else "sewer_status"
    roles = {
        NetworkIndicator.NONE: ("potential",),
        NetworkIndicator.NETWORK: ("feasible",),
        NetworkIndicator.PARTIAL: ("potential", "feasible"),
    }[network]
    found: list[int] = []
    for role in roles:
        for status_id in sorted(ctx.profile.ids(f"{table}.{role}")):
            row = ctx.catalog.find(table, status_id)
            if row is not None and row.active and not row.flag("billing"):
                found.append(status_id)
    return tuple(found)


def _change_situation(
    facts: ConnectionFacts, ctx: ConnectionContext, data: object
) -> Outcome:
    assert isinstance(data, ChangeSituationInput)
    found: list[Violation] = []
    service_type = ctx.service_type
    if service_type is None or not ctx.profile.plays(
        "service_type.connection.change_situation", service_type.id
    ):
        found.append(
            CHANGE_WRONG_SERVICE_TYPE(
                service_type_id=None if service_type is None else service_type.id
            )
        )
    order = ctx.order
    if order is not None and not order.is_open:
        found.append(CHANGE_ORDER_CLOSED(order_id=order.id))
    found += _active(facts)
    target = data.target
    if target is None:
        found.append(
            CHANGE_TARGET_REQUIRED(
                field="Connection type", campo="Tipo de Ligacao a ser Removida"
            )
        )
        return found, None
    chosen = {
        ConnectionKind.WATER: (
            data.water_status_id,
            facts.water_network,
            "New water situation",
            "Nova Situação da Ligação de Água",
            "água",
        ),
        ConnectionKind.SEWER: (
            data.sewer_status_id,
            facts.sewer_network,
            "New sewer situation",
            "Nova Situação da Ligação de Esgoto",
            "esgoto",
        ),
    }
    targets: dict[ConnectionKind, int] = {}
    for kind in target.kinds:
        status_id, network, field, campo, tipo = chosen[kind]
        if status_id is None:
            found.append(CHANGE_TARGET_REQUIRED(field=field, campo=campo))
            continue
        offered = offered_situations(ctx, kind, network)
        if status_id not in offered:
            found.append(
                CHANGE_SITUATION_NOT_OFFERED(
                    status_id=status_id,
                    kind=kind.value,
                    tipo=tipo,
                    property_id=facts.property.id,
                    offered=", ".join(str(i) for i in offered) or "none",
                )
            )
        targets[kind] = status_id
    debts = list(ctx.debts)
    if debts and "change_situation_with_debts" not in ctx.permissions:
        found.append(
            CHANGE_DEBTS(
                property_id=facts.property.id,
                count=len(debts),
                permission_id=ctx.profile.id("permission.change_situation_with_debts"),
            )
        )
    if ConnectionKind.WATER in target.kinds and facts.water_meter:
        found.append(CHANGE_WATER_METER(property_id=facts.property.id))
    if ConnectionKind.SEWER in target.kinds and facts.well_meter:
        found.append(CHANGE_WELL_METER(property_id=facts.property.id))
    if found:
        return found, None
    prop = facts.property
    steps: list[SituationStep] = []
    removed: list[ConnectionKind] = []
    before = {
        ConnectionKind.WATER: (prop.water_status_id, facts.water),
        ConnectionKind.SEWER: (prop.sewer_status_id, facts.sewer),
    }
    for kind, status_id in targets.items():
        current, row = before[kind]
        if row is not None:
            removed.append(kind)
        if status_id != current:
            steps.append(SituationStep(kind=kind, before=current, after=status_id))
    if steps:
        prop = attrs.evolve(
            prop,
            water_status_id=targets.get(ConnectionKind.WATER, prop.water_status_id),
            sewer_status_id=targets.get(ConnectionKind.SEWER, prop.sewer_status_id),
            version=prop.version + 1,
        )
    return [], ConnectionDecision(
        property=prop,
        removed=tuple(removed),
        steps=tuple(steps),
        effective_on=ctx.effective_on,
    )


# ---------------------------------------------------------------- registry
_RULES: Mapping[str, Rule] = {
    "water.connect": _connect_water_order,
    "water.connect_without_order": _connect_water_no_order,
    "water.cut": _cut,
    "water.administrative_cut": _administrative_cut,
    "water.suppress": _suppress,
    "water.reconnect": _reconnect,
    "water.restore": _restore,
    "water.connect_with_meter": _connect_with_meter,
    "water.reconnect_with_meter": _reconnect_with_meter,
    "water.restore_with_meter": _restore_with_meter,
    "water.connect_with_replacement": _connect_with_replacement,
    "water.reconnect_with_replacement": _reconnect_with_replacement,
    "water.restore_with_replacement": _restore_with_replacement,
    "water.minimum_consumption": _minimum_consumption,
    "water.update": _update_water,
    "water.change_cut_type": _change_cut_type,
    "sewer.connect": _connect_sewer_order,
    "sewer.connect_without_order": _connect_sewer_no_order,
    "sewer.billing_situation": _sewer_billing,
    "sewer.minimum_volume": _minimum_volume,
    "sewer.update": _update_sewer,
    "sewer.feasible_billable.inform": _inform_feasible_billable,
    "sewer.feasible_billable.withdraw": _withdraw_feasible_billable,
    "connection.change_situation": _change_situation,
}

#: The input class each operation takes (``None``: none).
INPUTS: Mapping[str, type | None] = {
    "water.connect": WaterConnectionInput,
    "water.connect_without_order": WaterConnectionInput,
    "water.cut": CutInput,
    "water.administrative_cut": AdministrativeCutInput,
    "water.suppress": SuppressionInput,
    "water.reconnect": ReconnectionInput,
    "water.restore": RestorationInput,
    "water.connect_with_meter": ConnectWithMeterInput,
    "water.reconnect_with_meter": ReconnectWithMeterInput,
    "water.restore_with_meter": RestoreWithMeterInput,
    "water.connect_with_replacement": ConnectWithReplacementInput,
    "water.reconnect_with_replacement": ReconnectWithReplacementInput,
    "water.restore_with_replacement": RestoreWithReplacementInput,
    "water.minimum_consumption": MinimumConsumptionInput,
    "water.update": WaterUpdateInput,
    "water.change_cut_type": ChangeCutTypeInput,
    "sewer.connect": SewerConnectionInput,
    "sewer.connect_without_order": SewerConnectionInput,
    "sewer.billing_situation": None,
    "sewer.minimum_volume": MinimumVolumeInput,
    "sewer.update": SewerUpdateInput,
    "sewer.feasible_billable.inform": SewerConnectionInput,
    "sewer.feasible_billable.withdraw": None,
    "connection.change_situation": ChangeSituationInput,
}


def _rule(key: str) -> Rule:
    rule = _RULES.get(key)
    if rule is None:
        raise ConfigurationError(f"no connection operation {key!r}")
    return rule


def check_operation(
    key: str,
    *,
    facts: ConnectionFacts,
    context: ConnectionContext,
    data: object | None,
) -> tuple[Violation, ...]:
    """Every violation of running operation ``key`` (nothing is decided)."""
    return tuple(_rule(key)(facts, context, data)[0])


def evaluate_operation(
    key: str,
    *,
    facts: ConnectionFacts,
    context: ConnectionContext,
    data: object | None,
) -> tuple[tuple[Violation, ...], ConnectionDecision | None]:
    """Every violation of operation ``key`` and, when there is none, what it
    changes (a caller adding violations of its own raises them together)."""
    found, decision = _rule(key)(facts, context, data)
    return tuple(found), None if found else decision


def decide_operation(
    key: str,
    *,
    facts: ConnectionFacts,
    context: ConnectionContext,
    data: object | None,
) -> ConnectionDecision:
    """What operation ``key`` changes; ``RuleViolation`` with every violation."""
    found, decision = _rule(key)(facts, context, data)
    ensure(found)
    assert decision is not None
    return decision


# ---------------------------------------------------------------- batches
def reconnection_cut_limit(reference: int, days: int) -> date:
    """UC1073: a cut property is reconnected only if cut on or before the last day
    of the reference month minus ``days`` days."""
    year, month = divmod(reference, 100)
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=days)


# ---------------------------------------------------------------- the table (docs)
@attrs.frozen(kw_only=True)
class TransitionRow:
    """One row of an operation family's transition table, for a profile."""

    key: str
    title: str
    use_case: str
    gsan_operation: int | None
    sources: tuple[int, ...] | None
    target: str
    sewer_effect: str
    menu_variant: str
    charges: bool
    field_lock: bool
    meter: str = METER_TEXT[MeterStep.NONE]


def transition_rows(profile: UtilityProfile, family: Family) -> list[TransitionRow]:
    """The rows of ``family`` for ``profile`` (what the docs render)."""
    rows: list[TransitionRow] = []
    for spec in OPERATIONS.values():
        if spec.family != family:
            continue
        sources = (
            tuple(sorted(profile.allowed(spec.key))) if spec.checks_source else None
        )
        target = spec.target_text
        if spec.target_role is not None:
            target = spec.target_role.split(".", 1)[1].replace("_", " ")
            target += (
                f" ({', '.join(str(i) for i in sorted(profile.ids(spec.target_role)))})"
            )
        coupled = spec.target_role == "water_status.connected"
        rows.append(
            TransitionRow(
                key=spec.key,
                title=spec.title,
                use_case=spec.use_case,
                gsan_operation=spec.gsan_operation,
                sources=sources,
                target=target,
                sewer_effect="out of use → connected" if coupled else "unchanged",
                menu_variant=spec.menu_variant or "no order",
                charges=spec.charges,
                field_lock=spec.field_lock,
                meter=METER_TEXT[spec.meter],
            )
        )
    return rows
