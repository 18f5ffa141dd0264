"""The utility profile: everything that differs between the utilities running GSAN.

GSAN forks disagree on which situations allow a cut, which service-type ids mean
"cut", whether deadlines count business days... so nothing utility-specific is a
module constant. A :class:`UtilityProfile` holds

* the enabled features (the utility's menu),
* the allowed source situations of every operation (the transition tables),
* the role -> ids maps (one role to many ids, as CAGEPA's ``*_cdconstante`` columns),
* the ``sistema_parametro`` values the rules read, grouped by area.

Profiles are loaded and validated by :mod:`gsan_core.profiles`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import MAXYEAR, MINYEAR
from decimal import Decimal
from typing import Any, Literal

import attrs

from gsan_core.errors import ConfigurationError, Language
from gsan_core.model.billing import DebtKind
from gsan_core.model.limits import TEXT_LENGTHS

__all__ = [
    "CertificateParameters",
    "CollectionParameters",
    "ConnectionParameters",
    "FieldWorkParameters",
    "FileEncoding",
    "HolidayScope",
    "HydrometerNumberFormat",
    "HydrometerParameters",
    "NewOrderRestriction",
    "ReactivationRouting",
    "SecondCopyFeeRule",
    "SecondCopyParameters",
    "ServiceOrderParameters",
    "ServiceRequestParameters",
    "SewerDeactivationTarget",
    "StatementParameters",
    "SurchargeParameters",
    "SurchargeRounding",
    "SystemParameters",
    "UtilityProfile",
]

HolidayScope = Literal["national", "state", "municipal"]
HydrometerNumberFormat = Literal["4x6", "5x5", "5x7", "free"]
SewerDeactivationTarget = Literal["network", "out_of_use"]
ReactivationRouting = Literal["opening", "gsan"]
SurchargeRounding = Literal["half_up", "down"]
FileEncoding = Literal["iso-8859-1", "utf-8"]
SecondCopyFeeRule = Literal["pct_tarifa_minima", "parametro"]


def _names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _frozen_ids(value: Mapping[str, Iterable[int]]) -> Mapping[str, frozenset[int]]:
    return {str(k): frozenset(int(i) for i in v) for k, v in value.items()}


def _lengths(value: Mapping[str, int]) -> Mapping[str, int]:
    return {str(k): v for k, v in value.items()}


#: An attrs validator: ``(instance, attribute, value)``.
_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """The profile path of a field: ``service_orders.max_sanction_months``."""
    section = _SECTIONS.get(type(instance))
    return f"{section}.{attribute.name}" if section else attribute.name


def _refuse(instance: object, attribute: attrs.Attribute[Any], problem: str) -> None:
    raise ConfigurationError(problem, field=_where(instance, attribute), kind="profile")


def _within(
    low: int | None = None, high: int | None = None, *, optional: bool = False
) -> _Validator:
    """A range validator: ``low <= value <= high`` (either bound may be
    open); ``optional`` also takes ``None``. A value outside raises
    :class:`ConfigurationError` (``configuration.profile``) naming the field."""
    if low is not None and high is not None:
        bounds = f"between {low} and {high}"
    else:
        bounds = f"at least {low}" if low is not None else f"at most {high}"
    allowed = f"must be {bounds}{' or none' if optional else ''}"

    def check(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if (low is not None and value < low) or (high is not None and value > high):
            _refuse(instance, attribute, f"{allowed}, got {value}")

    return check


def _optional_month(
    instance: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    """``None`` or a ``yyyymm`` month (ACR-12's ``parm_amatualizacaotarifaria``)."""
    if value is not None and not (
        MINYEAR <= value // 100 <= MAXYEAR and 1 <= value % 100 <= 12
    ):
        _refuse(instance, attribute, f"must be a month as yyyymm or none, got {value}")


def _percentages(
    instance: object, attribute: attrs.Attribute[Any], value: tuple[int, ...]
) -> None:
    """COM-06: each offered percentage of a charge is 1..100."""
    if not value or any(not 1 <= p <= 100 for p in value):
        _refuse(instance, attribute, "must list percentages between 1 and 100")


def _positive_lengths(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for name, length in value.items():
        if type(length) is not int or length < 1:
            raise ConfigurationError(
                f"must be a positive integer, got {length!r}",
                field=f"{attribute.name}.{name}",
                kind="profile",
            )


@attrs.frozen(kw_only=True)
class SystemParameters:
    """General ``sistema_parametro`` values used across areas."""

    #: ``percentualTaxaJurosFinanciamento``: monthly interest (%) on installments.
    financing_interest_rate: Decimal = attrs.field(
        default=Decimal("1.00"), validator=_within(0)
    )
    #: ``numeroMaximoParcelasFinanciamento``: most installments a charge may have.
    max_installments: int = attrs.field(default=12, validator=_within(1))
    #: ``indicadorTarifaCategoria``: minimum consumption by category (True) or
    #: subcategory (False).
    tariff_by_category: bool = True
    #: GSAN's ``validacaoGerarDebito`` rejects charges whose *integer part* is
    #: zero (so 0.50 is refused). ``False`` (our default) only refuses <= 0.
    reject_charges_below_one: bool = False
    #: §4.2 ``percentualCobranca``: the percentages of the value a charge may
    #: bill (GSAN's form offers 100, 70 and 50). Another value is refused
    #: (COM-06); GSAN's ``Util.calcularValorDebitoComPorcentagem`` would bill it
    #: as 100 %.
    charge_percentages: tuple[int, ...] = attrs.field(
        default=(100, 70, 50), converter=tuple, validator=_percentages
    )
    #: The company (``empresa``) with ``indicadorEmpresaPrincipal = 1``: the
    #: utility itself, to which a contractor unit may not belong (UNI-6, GSAN
    #: U-3). ``None`` names no main company.
    main_company_id: int | None = None


@attrs.frozen(kw_only=True)
class NewOrderRestriction:
    """CAGEPA's ``ServicoTipo.prazoRestricaoNovaOrdemServico``: no new order of
    ``service_type_id`` for a property within ``days`` days of the closing of
    its last order of that type (GEN-18)."""

    service_type_id: int
    days: int = attrs.field(validator=_within(0))


def _restrictions(
    value: Iterable[NewOrderRestriction],
) -> tuple[NewOrderRestriction, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ServiceOrderParameters:
    """``sistema_parametro`` values read by the service-order rules."""

    #: ``numeroDiasEncerramentoOrdemServico``: how far back a closing date may go.
    closing_days_back: int = attrs.field(default=30, validator=_within(0))
    #: ``numeroDiasEncerramentoOSSeletiva``: the same, for selective orders.
    selective_closing_days_back: int = attrs.field(default=10, validator=_within(0))
    #: ``indicadorValidarLocalizacaoEncerramentoOS``.
    validate_location_on_close: bool = False
    #: UC0734 adds a hard-coded 90 days to the user's number of days.
    overdue_extra_days: int = attrs.field(default=90, validator=_within(0))
    #: ``diasMaximoAlterarOS``: days after closing during which data may change.
    max_days_to_update_closed_order: int = attrs.field(default=30, validator=_within(0))
    #: GSAN refuses a second open OS of a type only within the same RA (GEN-05).
    #: ``True`` also refuses it for the same property, whatever the origin.
    one_open_order_per_property_type: bool = False
    #: GEN-15: the cut order needs a valid "aviso de corte" collection document.
    #: The billing port does not model collection documents, so the caller
    #: names it; ``False`` (the default) does not ask for one.
    cut_order_requires_notice: bool = False
    #: ``indicadorControlaAutoInfracao``: an inspection situation that controls
    #: infraction notices issues one from the return (AUT-01, FIS-11).
    controls_infraction_notices: bool = True
    #: ``numeroMaximoMesesSancoes``: the cap of the months factor of an
    #: inspection debt of calculation 5 (FIS-13); ``None``: no cap.
    max_sanction_months: int | None = attrs.field(
        default=None, validator=_within(1, optional=True)
    )
    #: ``numeroDiasPrazoRecursoAutoInfracao``: days after a notice's appeal
    #: deadline before the batch charges its fines (AUT-05).
    notice_appeal_grace_days: int = attrs.field(default=0, validator=_within(0))
    #: ``percentualConvergenciaRepavimentacao``: a returned street area within
    #: this percentage of the sent one is accepted automatically (PAV-03).
    repaving_convergence_percentage: Decimal = attrs.field(
        default=Decimal(0), validator=_within(0, 100)
    )
    #: FIS-17: GSAN refuses a concluded order's inspection dated today (the
    #: date must be *before* today); ``True`` accepts today's inspection.
    concluded_inspection_today: bool = False
    #: PRG-13: GSAN only accepts the old plates (3 letters + 4 digits); ``True``
    #: also accepts the Mercosul format (ABC1D23) used since 2018.
    accept_mercosul_plates: bool = False
    #: PRG-12: GSAN checks a team's work load only when the mobile follow-up
    #: includes or moves an order; ``True`` (the default) checks it whenever an
    #: order is programmed or moved, so no team's day is over-programmed.
    scheduling_checks_work_load: bool = True
    #: UC1190: GSAN's automatic scheduling stops at the first order (by score)
    #: that no team has room for; ``True`` goes on with the next, smaller ones.
    automatic_scheduling_fills_gaps: bool = False
    #: GEN-18 (CAGEPA): the service types whose new order waits some days after
    #: the closing of the property's last order of the type. GSAN's main line
    #: has no such window (empty).
    new_order_restrictions: tuple[NewOrderRestriction, ...] = attrs.field(
        default=(), converter=_restrictions
    )

    def restriction_days(self, service_type_id: int) -> int:
        """GEN-18: the days a new order of the type waits (0: no window)."""
        for restriction in self.new_order_restrictions:
            if restriction.service_type_id == service_type_id:
                return restriction.days
        return 0


@attrs.frozen(kw_only=True)
class ConnectionParameters:
    """``sistema_parametro`` values read by the connection rules."""

    #: ``indicadorSupressao``: debts block a customer-requested suppression and
    #: other reasons need special permission 79.
    suppression_debt_gate: bool = True
    #: Where "desativação" of a sewer connection (service type 752) goes: by the
    #: block's network to FACTÍVEL or POTENCIAL (GSAN), or to LIG. FORA DE USO
    #: (CAGEPA).
    sewer_deactivation_target: SewerDeactivationTarget = "network"
    #: UC1073: a cut property is reconnected by the batch only if it was cut at
    #: least this many days before the end of the billing month.
    reconnection_cut_age_days: int = attrs.field(default=30, validator=_within(0))


@attrs.frozen(kw_only=True)
class HydrometerParameters:
    """Values read by the hydrometer rules."""

    number_format: HydrometerNumberFormat = "4x6"
    #: Since 2017 GSAN accepts a 7-digit sequence (11-character numbers).
    allow_seven_digit_sequence: bool = True
    #: The earliest year of manufacture / acquisition accepted (H-5, H-7).
    earliest_year: int = attrs.field(default=1985, validator=_within(MINYEAR, MAXYEAR))
    #: Stock movements may be dated at most this many days back (V-6).
    movement_max_days_back: int = attrs.field(default=720, validator=_within(0))


@attrs.frozen(kw_only=True)
class ServiceRequestParameters:
    """``sistema_parametro`` values read by the service-request (RA) rules."""

    #: ``indicadorSugestaoTramite``: suggest the first destination unit.
    routing_suggestion: bool = True
    #: ``indicadorControleTramitacaoRA``: manual forwarding needs AUTH-01.
    routing_control: bool = True
    #: ``indicadorCalculoPrevisaoRADiasUteis``: deadlines count business days.
    deadline_in_business_days: bool = True
    #: Which holidays a business day skips. GSAN uses national holidays only.
    holiday_scope: HolidayScope = "national"
    #: ``diasReativacao``: warn about RAs closed this many days ago.
    reactivation_warning_days: int = attrs.field(default=30, validator=_within(0))
    #: ``unidadeOrganizacionalTramiteGrandeConsumidor``.
    large_consumer_unit_id: int | None = None
    #: ``unidadeOrganizacionalIdPresidencia``.
    presidency_unit_id: int | None = None
    #: ``indicadorVariaHierarquiaUnidade``.
    vary_unit_hierarchy: bool = False
    #: COMPESA's TRM-11: with a pending order, any dispatch centre of a unit
    #: associated to the request's locality (any group) may receive it.
    dispatch_centre_any_group_with_pending_order: bool = False
    #: CAEMA: the locality x group routing also serves sewer request types.
    locality_group_for_sewer_types: bool = False
    #: §2.3: ``"opening"`` routes a reactivated request like a new one (§2.2);
    #: ``"gsan"`` keeps GSAN's older reactivation algorithm.
    reactivation_routing: ReactivationRouting = "opening"
    #: INS-10: one criterion row must match as a whole (CAGEPA's fix); ``False``
    #: reproduces GSAN's per-condition matching across rows.
    situation_criteria_per_row: bool = True
    #: ENC-11: ``False`` refuses closing "with execution" while any order is open;
    #: ``True`` only looks at pending orders (GSAN).
    executed_closing_checks_pending_only: bool = False
    #: NUM-01 ``LIMITE_QUANTIDADE_GERACAO_MANUAL``.
    manual_numbers_limit: int = attrs.field(default=90, validator=_within(1))
    #: INS-13 ``numeroMesesMinimoAlteracaoVencimento``.
    due_date_change_min_months: int = attrs.field(default=6, validator=_within(0))
    #: SIMP-01 ``indicadorDocObrAtendimento{Operacional,Comercial,Reiteracao}``.
    simplified_document_operational: bool = False
    simplified_document_commercial: bool = False
    simplified_document_reiteration: bool = False
    #: PAM-03: ``True`` refuses, as GSAN, only a window whose start or end falls
    #: inside an existing one; ``False`` also a window that contains one.
    schedule_overlap_as_gsan: bool = False
    #: PAM-06: ``True`` applies, as GSAN, the window's hours to its first and
    #: last day alike; ``False`` covers from the start instant to the end one.
    schedule_hours_as_gsan: bool = False
    #: PAM-07: ``True`` warns an outage request whenever no supply window covers
    #: its area then (GSAN, also where the utility keeps no rotation);
    #: ``False`` only when the area has supply windows that month.
    warn_unscheduled_supply: bool = False
    #: SMS-01 ``tamanhoMaximoMensagemSms``: a longer text is cut.
    sms_max_length: int = attrs.field(default=160, validator=_within(1))
    #: SMS-01: a message the gateway refused is retried this many times in all.
    sms_max_attempts: int = attrs.field(default=3, validator=_within(1))
    #: ENC-13: the text sent to the requester of a request closed that came by
    #: the SMS channel (``{request_id}``, ``{protocol}``).
    sms_request_closed_text: str = (
        "Sua solicitacao {protocol} (RA {request_id}) foi encerrada. Obrigado."
    )


@attrs.frozen(kw_only=True)
class CollectionParameters:
    """The criteria of the collection action that generates cut orders in batch
    (GSAN's ``cobranca_criterio`` of the "corte" action)."""

    #: A property needs at least this many overdue bills.
    min_overdue_bills: int = attrs.field(default=1, validator=_within(0))
    #: ... adding up to at least this amount.
    min_overdue_amount: Decimal = attrs.field(default=Decimal(0), validator=_within(0))
    #: ``numeroDiasVencimentoCobranca``: a bill counts as overdue this many days
    #: after its due date.
    overdue_after_days: int = attrs.field(default=0, validator=_within(0))


def _encoding(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ("iso-8859-1", "utf-8"):
        msg = f"{attribute.name} must be 'iso-8859-1' or 'utf-8', got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class FieldWorkParameters:
    """The field-device files and their returns (field work II, TXT/RET).

    GSAN writes the outbound file in the server's default charset, reads the
    online return as UTF-8 and the offline return in the default charset
    again (field-work §14 item 3): here one declared encoding per utility
    serves the file and both returns."""

    #: The encoding of the files and returns: ``"iso-8859-1"`` (legacy
    #: devices, the default) or ``"utf-8"``.
    file_encoding: FileEncoding = attrs.field(default="iso-8859-1", validator=_encoding)
    #: ``numeroLimiteOSCobranca`` (TXT-04): at most this many orders per file
    #: (``None``: no cap).
    max_orders_per_file: int | None = attrs.field(
        default=None, validator=_within(1, optional=True)
    )
    #: TXT-06: an order already in a file not yet finished is refused in a
    #: new one (``False`` keeps GSAN's behaviour: the same pending order may
    #: travel in two files).
    one_open_file_per_order: bool = True
    #: A return whose lines fail validation applies nothing (``False``, the
    #: default) or stages its good lines one by one (``True``).
    returns_line_by_line: bool = False
    #: INSP-09: the closing reason of a processed field visit. GSAN closes
    #: the visit with motive 2 (CONCLUSAO_SERVICO) on the not-executed path;
    #: here the reason's own kind decides (2: closed executed).
    visit_closing_reason_id: int = 2
    #: RET-06: applying a return writes its client data (record 2) to the
    #: customer register in the same unit of work (``False`` keeps caema's
    #: current code, where that call is commented out: the data stay staged).
    returns_update_customers: bool = True
    #: ESG-02 ``numeroDiasEncerramentoOrdemServicoFactivelFaturavel``: a
    #: notified sewer-connection order closes automatically once it is this
    #: many days old.
    sewer_close_after_days: int = attrs.field(default=30, validator=_within(0))
    #: ESG-03: the (executed) closing reason of those orders
    #: (``AtendimentoMotivoEncerramento.CONCLUSAO_SERVICO``).
    sewer_close_reason_id: int = 2


def _month_offset(
    instance: object, attribute: attrs.Attribute[int], value: int
) -> None:
    if value not in (0, -1):
        _refuse(instance, attribute, f"must be 0 or -1, got {value}")


@attrs.frozen(kw_only=True)
class SurchargeParameters:
    """UC0216 late-payment surcharges and the §2.3 per-utility variations
    (profile section ``surcharge``)."""

    #: ACR-01: CS also prices payment slips; GSAN (P) prices bills only.
    price_guias: bool = False
    #: ACR-06: the first index looked up is the due month + this (P: −1, CS/CE: 0).
    index_month_offset: int = attrs.field(default=-1, validator=_month_offset)
    #: ACR-04: for unpaid items the grace ends ``numeroDiasVencimentoCobranca``
    #: (``collection.overdue_after_days``) days before today (P since 2020);
    #: ``False``: today (CS, CE).
    grace_uses_vencimento_cobranca: bool = True
    #: ACR-12 ``parm_icatualizacaotarifaria = 1``: a bill's "correction" is
    #: the tariff update (the bill re-priced at the tariff in force, through
    #: the billing port), not the monetary correction of the index.
    tariff_update: bool = False
    #: ACR-12 ``parm_amatualizacaotarifaria``: only bills of a reference month
    #: before this one (``yyyymm``) are re-priced (``None``: every bill).
    tariff_update_before: int | None = attrs.field(
        default=None, validator=_optional_month
    )
    #: ACR-13: final rounding of each surcharge (P: HALF_UP; CS, CE: DOWN).
    rounding: SurchargeRounding = "half_up"
    #: ``numeroDiasCalculoAcrescimos``: grace in business days (ACR-05).
    grace_business_days: int = attrs.field(default=0, validator=_within(0))
    #: ``numeroMesesCalculoCorrecao``: correction only when more months late
    #: than this (``None``: always, ACR-10).
    correction_min_months: int | None = attrs.field(
        default=None, validator=_within(0, optional=True)
    )
    #: ACR-05: business days skip the holidays of this scope (GSAN: national +
    #: the property's municipality).
    holiday_scope: HolidayScope = "municipal"
    #: ODB-08: categories with ``catg_iccobrancaacrescimos = 2``.
    exempt_category_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=frozenset
    )
    #: ODB-02: split bills left by previous occupants into their own block (P).
    split_previous_occupants: bool = True
    #: ODB-04 ``parm_icbloqctasctrparceldebito``: bills tied to an active
    #: contract of parcelamento by customer are not open debts.
    contract_blocks_bills: bool = False
    #: ODB-04 ``indicadorBloqueioDebitoACobrarContratoParcelDebito``: the same
    #: for charges (débitos a cobrar).
    contract_blocks_charges: bool = False
    #: ODB-04 ``indicadorBloqueioGuiasOuAcresContratoParcelDebito``: the same
    #: for payment slips (guias).
    contract_blocks_slips: bool = False

    @property
    def contract_blocked(self) -> frozenset[DebtKind]:
        """ODB-04: the kinds of open item a contract of parcelamento hides."""
        flags = (
            (self.contract_blocks_bills, DebtKind.BILL),
            (self.contract_blocks_charges, DebtKind.CHARGE),
            (self.contract_blocks_slips, DebtKind.PAYMENT_SLIP),
        )
        return frozenset(kind for on, kind in flags if on)


@attrs.frozen(kw_only=True)
class CertificateParameters:
    """Certidão Negativa de Débitos (profile section ``cnd``)."""

    #: ``parm_icgeracndcomefeiposit``: ``True`` always issues, listing the debts
    #: ("com efeito positivo", CND-05); ``False`` refuses (CND-04).
    efeito_positivo: bool = False
    #: ``parm_icdebacobvalidocertidao``: open charges also block (CND-04).
    debito_a_cobrar_bloqueia: bool = False
    #: ``parm_nndiasvenctodebgercnd``: debts count only when due at least this
    #: many days ago (CND-03, CNC-06).
    dias_carencia: int = attrs.field(default=0, validator=_within(0))
    #: CS ``parm_qtddiasvalidcertidaonegat``: days of validity of a persisted
    #: certificate with an authentication code (CND-11).
    validade_dias: int = attrs.field(default=60, validator=_within(1))
    #: CS: contas written off to dívida ativa do not count (CND-03).
    exclui_divida_ativa: bool = False
    #: CND-05 (CS): with efeito positivo, open charges still refuse when they
    #: block; P never refuses with efeito positivo.
    efeito_positivo_respeita_debito_a_cobrar: bool = False
    #: CND-12: ``"gsan"`` titles the certificate as GSAN does (CND-06);
    #: ``"caema"`` as CAEMA's layout does (positive with negative effect when a
    #: parcelamento is being paid or a listed bill is under review, positive
    #: when a listed bill is past due, else negative).
    layout: str = attrs.field(
        default="gsan", validator=attrs.validators.in_(("gsan", "caema"))
    )
    #: CND-10: the printed validity sentence (COMPESA "Validade de 5 dias",
    #: CAEMA "Validade de 60 dias"; empty: none).
    texto_validade: str = ""


@attrs.frozen(kw_only=True)
class StatementParameters:
    """Extrato de Débitos (profile section ``extrato``)."""

    #: ``parm_nndiasvalidadeextrato`` (EXT-17).
    validade_dias: int = attrs.field(default=5, validator=_within(0))
    #: ``numeroDiasValidadeExtratoPermissaoEspecial`` for permission 71.
    validade_dias_permissao: int = attrs.field(default=30, validator=_within(0))
    #: ``parm_iccobrartaxaextrato`` (EXT-12): a fee is added for users holding
    #: permission 44.
    cobrar_taxa: bool = False
    #: The fee's value (``parm_vlsegundavia`` of indicator 3, EXT-12).
    valor_taxa: Decimal = attrs.field(default=Decimal(0), validator=_within(0))
    #: ``parm_vlextratofichacomp`` (EXT-18): a statement of at least this value
    #: needs a bank slip (0: never). The library emits the utility barcode and
    #: records the threshold on the document.
    valor_minimo_ficha_compensacao: Decimal = attrs.field(
        default=Decimal(0), validator=_within(0)
    )
    #: FEBRABAN company code (4 digits) of the utility, positions 16–19.
    codigo_empresa_febraban: int = attrs.field(default=0, validator=_within(0, 9999))
    #: EXT-13, SVS-05: collection situations of the property whose special
    #: situation type has ``cbsp_icemitedoccobranca = 2`` (no document is issued).
    situacoes_sem_documento: frozenset[int] = attrs.field(
        factory=frozenset, converter=frozenset
    )
    #: EXT-15 ``SistemaParametro.resolucaoDiretoria`` is set: the statement
    #: offers the cash-payment discount of the parcelamento profile.
    resolucao_diretoria: bool = False
    #: FEBRABAN segment (position 2): 2 = saneamento.
    segmento: int = attrs.field(default=2, validator=_within(1, 9))


@attrs.frozen(kw_only=True)
class SecondCopyParameters:
    """Segunda via de conta (profile section ``segunda_via``, UC0482)."""

    #: SVS-02: GSAN's default controller charges 10 % of the minimum tariff
    #: (``"pct_tarifa_minima"``); CAER, CAEMA, CAERN the parameter value
    #: ``parm_vlsegundavia`` (``"parametro"``).
    fee_rule: SecondCopyFeeRule = "pct_tarifa_minima"
    #: ``parm_vlsegundavia``.
    valor: Decimal = attrs.field(default=Decimal(0), validator=_within(0))
    #: The minimum tariff value of consumo tarifa NORMAL / SOCIAL (the tariff
    #: engine is billing's: the integrator gives the current values).
    tarifa_minima: Decimal = attrs.field(default=Decimal(0), validator=_within(0))
    tarifa_minima_social: Decimal = attrs.field(
        default=Decimal(0), validator=_within(0)
    )
    #: SVS-01: property profiles with ``iper_icgerardeb2aviaconta = 2`` (no fee).
    perfis_sem_taxa: frozenset[int] = attrs.field(
        factory=frozenset, converter=frozenset
    )
    #: SVS-06 ``parm_icdocumentovalido``: a customer of the property must have a
    #: CPF/CNPJ (unless the user holds permission 73).
    exige_documento: bool = False
    #: SVS-07 ``indicadorBloqueioContasContratoParcelManterConta``: a copy of a
    #: set of bills ("manter conjunto de contas") leaves out the bills tied to
    #: an active contract of parcelamento.
    bloqueia_contrato_conjunto: bool = False


@attrs.frozen(kw_only=True)
class UtilityProfile:
    """The data that differ between utilities. Frozen and serialisable."""

    name: str
    description: str = ""
    #: IANA time zone of the utility; local dates are taken in this zone.
    timezone: str = "America/Sao_Paulo"
    #: Brazilian state (UF) whose holidays the business calendar adds.
    state: str = "SP"
    #: The language violations are shown in (``"pt"`` or ``"en"``).
    language: Language = "pt"
    features: frozenset[str] = attrs.field(factory=frozenset, converter=_names)
    roles: Mapping[str, frozenset[int]] = attrs.field(
        factory=dict, converter=_frozen_ids
    )
    transitions: Mapping[str, frozenset[int]] = attrs.field(
        factory=dict, converter=_frozen_ids
    )
    system: SystemParameters = attrs.field(factory=SystemParameters)
    service_orders: ServiceOrderParameters = attrs.field(factory=ServiceOrderParameters)
    connections: ConnectionParameters = attrs.field(factory=ConnectionParameters)
    hydrometers: HydrometerParameters = attrs.field(factory=HydrometerParameters)
    service_requests: ServiceRequestParameters = attrs.field(
        factory=ServiceRequestParameters
    )
    collection: CollectionParameters = attrs.field(factory=CollectionParameters)
    surcharge: SurchargeParameters = attrs.field(factory=SurchargeParameters)
    cnd: CertificateParameters = attrs.field(factory=CertificateParameters)
    extrato: StatementParameters = attrs.field(factory=StatementParameters)
    segunda_via: SecondCopyParameters = attrs.field(factory=SecondCopyParameters)
    field_work: FieldWorkParameters = attrs.field(factory=FieldWorkParameters)
    #: The longest text each field name takes, over the library's own columns
    #: (:data:`gsan_core.model.limits.TEXT_LENGTHS`): a utility whose database
    #: has narrower ones (a GSAN line: ``hidr_nnhidrometro`` is ``char(10)``)
    #: narrows them here, and input is refused where it enters.
    text_lengths: Mapping[str, int] = attrs.field(
        factory=dict, converter=_lengths, validator=_positive_lengths
    )

    def text_length(self, name: str) -> int | None:
        """The longest text the field ``name`` takes (``None``: no limit)."""
        found = self.text_lengths.get(name)
        return found if found is not None else TEXT_LENGTHS.get(name)

    def ids(self, role: str) -> frozenset[int]:
        """The ids that play ``role`` (empty when the utility does not use it)."""
        return self.roles.get(role, frozenset())

    def id(self, role: str) -> int | None:
        """The single id of ``role``; ``None`` when unused.

        Raises ``ValueError`` when the role maps to several ids: use :meth:`ids`.
        """
        ids = self.ids(role)
        if not ids:
            return None
        if len(ids) > 1:
            msg = f"role {role!r} maps to several ids {sorted(ids)}; use ids()"
            raise ValueError(msg)
        return next(iter(ids))

    def plays(self, role: str, id_: int | None) -> bool:
        """Whether ``id_`` plays ``role`` in this utility."""
        return id_ is not None and id_ in self.ids(role)

    def allowed(self, operation: str) -> frozenset[int]:
        """The source situations from which ``operation`` may run."""
        return self.transitions.get(operation, frozenset())

    def enabled(self, feature: str) -> bool:
        """Whether the utility's menu has ``feature``."""
        return feature in self.features


def _sections() -> dict[type, str]:
    """The profile section of each parameter class (the field a range error
    names: ``service_orders.max_sanction_months``)."""
    found: dict[type, str] = {
        NewOrderRestriction: "service_orders.new_order_restrictions"
    }
    for field in attrs.fields(UtilityProfile):
        factory = getattr(field.default, "factory", None)
        if isinstance(factory, type) and attrs.has(factory):
            found[factory] = field.name
    return found


_SECTIONS: Mapping[type, str] = _sections()
