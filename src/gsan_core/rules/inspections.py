"""Inspection (fiscalização) rules: the return of an inspection order
(FIS-01..FIS-13), the order that waits for it (ENC-04) and the infraction
notices (AUT-01..AUT-05). Pure functions over loaded state."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gsan_core.errors import Message, Violation
from gsan_core.model.billing import BilledConsumption, Tariff
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.inspections import (
    InfractionNotice,
    InspectionFinding,
    NoticeSituation,
    SituationFound,
)
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.rules.accounts.tariffs import reprice

__all__ = [
    "AVERAGE_MONTHS",
    "CONSUMPTION_CODES",
    "INDICATORS",
    "MINIMUM_TARIFF_ECONOMIES",
    "NO_METER",
    "RETURN_NOT_INFORMED",
    "SAMPLE_MIXER",
    "SAMPLE_MODULUS",
    "SAMPLE_MULTIPLIER",
    "average_value",
    "average_volume",
    "charge_times",
    "charge_value",
    "check_acceptance",
    "check_appeal",
    "check_batch",
    "check_close_inspection",
    "check_notice",
    "check_notice_change",
    "check_return",
    "consumption_value",
    "expired_notices",
    "greater_volume",
    "matching_effect",
    "minimum_volume",
    "months_factor",
    "sample_rank",
    "sample_size",
    "shortfall_months",
    "shortfall_value",
    "tariff_minimum",
]

#: FIS-13 code 11: the economies the minimum tariff is charged for, at most.
MINIMUM_TARIFF_ECONOMIES = 4
#: FIS-13 code 1: the months of history averaged when the row names none.
AVERAGE_MONTHS = 6
#: FIS-13: the calculation codes valued from the consumption history and the
#: non-measured average (GSAN's 7.1.2, 7.1.3, 7.1.5, 7.1.6).
CONSUMPTION_CODES = frozenset({2, 3, 5, 6})

NO_METER = Message(
    "inspection.no_meter",
    en="Property {property_id} has no meter on its water connection: the inspection debt (calculation 3) counts the months since its installation.",
    pt="Imóvel {property_id} com ligação de água sem hidrômetro.",
    gsan_key="atencao.imovel_ligacao_agua_sem_hidrometro",
    rule="FIS-13",
)
RETURN_NOT_INFORMED = Message(
    "inspection.return_not_informed",
    en="Service order {order_id} is an infraction inspection: inform its return before closing it.",
    pt="A ordem de serviço {order_id} é de fiscalização de infração: informe o retorno da fiscalização antes de encerrá-la.",
    gsan_key="atencao.ordem_servico_fiscalizacao_imovel",
    rule="ENC-04",
)
NOT_AN_INSPECTION = Message(
    "inspection.not_an_inspection",
    en="Service order {order_id} is not of an infraction-inspection service type.",
    pt="A ordem de serviço {order_id} não é de um tipo de serviço de fiscalização de infração.",
    gsan_key="atencao.os.servico_tipo_nao_fiscalizacao",
    rule="FIS-01",
)
ORDER_NOT_PENDING = Message(
    "inspection.order_not_pending",
    en="Service order {order_id} is not pending: its return cannot be informed.",
    pt="Esta Ordem de Serviço {order_id} está ENCERRADA.",
    gsan_key="atencao.os.encerrada",
    rule="FIS-02",
)
WATER_INCOMPATIBLE = Message(
    "inspection.water_incompatible",
    en="Situation {situation_id} is incompatible with the property's water situation {status_id}.",
    pt="Situação de fiscalização {situation_id} incompatível com a situação de água {status_id} do imóvel.",
    gsan_key="atencao.situacao.agua.incompativel",
    rule="FIS-03",
)
SEWER_INCOMPATIBLE = Message(
    "inspection.sewer_incompatible",
    en="Situation {situation_id} is incompatible with the property's sewer situation {status_id}.",
    pt="Situação de fiscalização {situation_id} incompatível com a situação de esgoto {status_id} do imóvel.",
    gsan_key="atencao.situacao.esgoto.incompativel",
    rule="FIS-04",
)
_ONE_OF = {
    "validates_water": ("FIS-05", "atencao.validar_situacao_ligacao_agua"),
    "validates_sewer": ("FIS-06", "atencao.validar_situacao_ligacao_esgoto"),
    "changes_connection_date": ("FIS-07", "atencao.alterar_ligacao_imovel"),
    "validates_meter_capacity": (
        "FIS-08",
        "atencao.validar_capacidade_hidrometro_imovel",
    ),
    "controls_notices": ("FIS-09", "atencao.controle_autos_infracao"),
}
#: The indicators only one selected situation may carry (FIS-05..FIS-09).
INDICATORS: Mapping[str, Message] = {
    name: Message(
        f"inspection.only_one.{name}",
        en=f"Only one selected situation may have the indicator {name}.",
        pt="Somente uma situação encontrada selecionada pode ter este indicador.",
        gsan_key=key,
        rule=rule,
    )
    for name, (rule, key) in _ONE_OF.items()
}
SITUATION_TWICE = Message(
    "inspection.situation_twice",
    en="Situation {situation_id} was selected twice.",
    pt="Situação de fiscalização {situation_id} já selecionada.",
    gsan_key="atencao.situacao.fiscalizacao.ja.selecionada",
    rule="FIS-10",
)
SITUATION_REQUIRED = Message(
    "inspection.situation_required",
    en="Inform at least one situation found (an active inspection situation).",
    pt="Informe a Situação Encontrada.",
    gsan_key="atencao.required",
    rule="FIS-10",
)
FINDING_LOCKED = Message(
    "inspection.finding_locked",
    en="Situation {situation_id} already changed the connection or was charged: it cannot be removed from the return.",
    pt="A situação {situation_id} já alterou a ligação ou gerou débito: não é possível desmarcá-la.",
    gsan_key="atencao.nao_e_possivel_desmarcar_debito_gerado",
    rule="FIS-12",
)
NOTICE_DATA_REQUIRED = Message(
    "inspection.notice_required",
    en="The infraction notice needs the {field}.",
    pt="Informe {campo} do auto de infração.",
    gsan_key="atencao.required",
    rule="FIS-11",
)
APPEAL_BEFORE_NOTICE = Message(
    "inspection.appeal_before_notice",
    en="The appeal period ({appeal_from} to {appeal_until}) must start on or after the notice ({issued_on}) and end on or after it starts.",
    pt="O prazo de recurso deve começar na data de emissão do auto ou depois, e terminar depois de começar.",
    gsan_key="atencao.data_final_menor_data_inicial",
    rule="AUT-02",
)
FOUND_IN_FUTURE = Message(
    "inspection.found_in_future",
    en="The date situation {situation_id} was found ({found_on}) is after today.",
    pt="A data da fiscalização da situação {situation_id} é posterior à data corrente.",
    gsan_key="atencao.data.maior.data.corrente",
    rule="FIS-10",
)
NOTICE_IN_FUTURE = Message(
    "inspection.notice_in_future",
    en="The notice's issue date {issued_on} is after today.",
    pt="A data de emissão do auto é posterior à data corrente.",
    gsan_key="atencao.data.maior.data.corrente",
    rule="AUT-02",
)
BATCH_INVALID = Message(
    "inspection.batch_invalid",
    en="The days ({days}) must be at least 1 and the sample percentage ({percentage}) from 0 to 100.",
    pt="Informe a quantidade de dias (a partir de 1) e o percentual da amostra (de 0 a 100).",
    gsan_key="atencao.campo.invalido",
)


BATCH_LOCALITY_RANGE = Message(
    "inspection.batch_locality_range",
    en="The final locality {until} is before the initial one {from_}.",
    pt="A localidade final {until} é menor que a inicial {from_}.",
)


def check_batch(
    *,
    days: int,
    percentage: int,
    locality_from: int | None = None,
    locality_until: int | None = None,
) -> list[Violation]:
    """UC1176's parameters: at least one day back; a percentage 0..100; a
    locality range not reversed."""
    found: list[Violation] = []
    if days < 1 or not 0 <= percentage <= 100:
        found.append(BATCH_INVALID(days=days, percentage=percentage))
    if (
        locality_from is not None
        and locality_until is not None
        and locality_until < locality_from
    ):
        found.append(BATCH_LOCALITY_RANGE(from_=locality_from, until=locality_until))
    return found


#: The seeded sample's rank (UC1176) is integer arithmetic modulo this prime
#: (2**31 - 1), so every product stays below 2**63 and Python, PostgreSQL and
#: SQLite compute the same value.
SAMPLE_MODULUS = 2_147_483_647
SAMPLE_MULTIPLIER = 1_500_450_271
SAMPLE_MIXER = 747_796_405


def sample_rank(seed: int, order_id: int) -> int:
    """UC1176's deterministic pseudo-random rank of a candidate order for a
    seed: the sample is the candidates of lowest ``(rank, order id)``. Only
    ``+``, ``*`` and ``%`` of non-negative integers below 2**63, so the SQL
    adapters compute it in the database (see :func:`sample_size`)."""
    x = (order_id % SAMPLE_MODULUS * SAMPLE_MULTIPLIER + seed % SAMPLE_MODULUS) % (
        SAMPLE_MODULUS
    )
    return (x * x % SAMPLE_MODULUS * SAMPLE_MIXER + x) % SAMPLE_MODULUS


def sample_size(count: int, percentage: int) -> int:
    """UC1176: ``percentage`` % of ``count`` candidates, rounded half down
    (50 % of 3 is 1)."""
    return (count * percentage + 49) // 100


ACCEPTANCE_ORDER_NOT_EXECUTED = Message(
    "inspection.acceptance_order_not_executed",
    en="Service order {order_id} was not closed with execution: there is nothing to inspect.",
    pt="A ordem de serviço {order_id} não foi encerrada com execução.",
    gsan_key="atencao.ordem_servico_nao_executada",
    rule="FIS-14",
)
ACCEPTANCE_TWICE = Message(
    "inspection.acceptance_twice",
    en="Service order {order_id} was already inspected.",
    pt="A ordem de serviço {order_id} já foi fiscalizada.",
    gsan_key="atencao.registro_atualizado_por_outro_usuario",
    rule="FIS-14",
)
ACCEPTANCE_REASON_REQUIRED = Message(
    "inspection.acceptance_reason_required",
    en="A refusal needs an active non-acceptance reason.",
    pt="Informe o Motivo Não Aceite.",
    gsan_key="atencao.required",
    rule="FIS-14",
)
ACCEPTANCE_OBSERVATION_REQUIRED = Message(
    "inspection.acceptance_observation_required",
    en="Non-acceptance reason {reason_id} requires an observation.",
    pt="O motivo não aceite {reason_id} exige a observação.",
    gsan_key="atencao.required",
    rule="FIS-15",
)


def check_acceptance(
    *,
    order_id: int,
    executed: bool,
    already: bool,
    accepted: bool,
    reason: CatalogItem | None,
    reason_id: int | None,
    observation: str | None,
) -> list[Violation]:
    """FIS-14: only an order closed with execution, inspected once; "concluir"
    accepts, "ressalva" accepts with an active reason, a refusal needs one;
    FIS-15: a reason flagged so needs the observation."""
    found: list[Violation] = []
    if not executed:
        found.append(ACCEPTANCE_ORDER_NOT_EXECUTED(order_id=order_id))
    if already:
        found.append(ACCEPTANCE_TWICE(order_id=order_id))
    usable = reason is not None and reason.active
    if (reason_id is not None or not accepted) and not usable:
        found.append(ACCEPTANCE_REASON_REQUIRED())
    if (
        usable
        and reason is not None
        and reason.flag("observation_required")
        and not (observation or "").strip()
    ):
        found.append(ACCEPTANCE_OBSERVATION_REQUIRED(reason_id=reason.id))
    return found


def check_close_inspection(
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    findings: Sequence[InspectionFinding],
) -> list[Violation]:
    """ENC-04: an infraction-inspection order closes (with execution) only
    after its return was informed."""
    if service_type.infraction_inspection and not findings:
        return [RETURN_NOT_INFORMED(order_id=order.id)]
    return []


def matching_effect(
    rows: Iterable[CatalogItem], *, situation_id: int, status_id: int
) -> CatalogItem | None:
    """The active row of an effect matrix for the situation and the
    connection's current situation (FIS-03/04), if any."""
    for row in rows:
        if (
            row.active
            and row.integer("situation_id") == situation_id
            and row.integer("status_id") == status_id
        ):
            return row
    return None


def check_return(
    order: ServiceOrder,
    *,
    service_type: ServiceType,
    found: Sequence[SituationFound],
    situations: Mapping[int, CatalogItem],
    water_rows: Sequence[CatalogItem],
    sewer_rows: Sequence[CatalogItem],
    water_status_id: int | None,
    sewer_status_id: int | None,
    previous: Sequence[InspectionFinding],
    today: date,
) -> list[Violation]:
    """Every violation of an inspection return (FIS-01..FIS-10, FIS-12)."""
    if not service_type.infraction_inspection:
        return [NOT_AN_INSPECTION(order_id=order.id)]
    if order.situation is not OrderSituation.PENDING:
        return [ORDER_NOT_PENDING(order_id=order.id)]
    found_ids = [f.situation_id for f in found]
    chosen = [situations[i] for i in dict.fromkeys(found_ids) if i in situations]
    violations: list[Violation] = []
    if not found or len(chosen) != len(set(found_ids)):
        violations.append(SITUATION_REQUIRED())
    violations.extend(
        SITUATION_TWICE(situation_id=situation_id)
        for situation_id in sorted({i for i in found_ids if found_ids.count(i) > 1})
    )
    for name, message in INDICATORS.items():
        if sum(1 for item in chosen if item.flag(name)) > 1:
            violations.append(message())
    for item in chosen:
        violations += _compatibility(
            item,
            water_rows=water_rows,
            sewer_rows=sewer_rows,
            water_status_id=water_status_id,
            sewer_status_id=sewer_status_id,
        )
    violations += [
        FOUND_IN_FUTURE(situation_id=f.situation_id, found_on=f.found_on)
        for f in found
        if f.found_on > today
    ]
    violations += [
        FINDING_LOCKED(situation_id=p.situation_id)
        for p in previous
        if (p.charged or p.operation is not None) and p.situation_id not in found_ids
    ]
    return violations


def _compatibility(
    item: CatalogItem,
    *,
    water_rows: Sequence[CatalogItem],
    sewer_rows: Sequence[CatalogItem],
    water_status_id: int | None,
    sewer_status_id: int | None,
) -> list[Violation]:
    found: list[Violation] = []
    checks = (
        ("validates_water", water_rows, water_status_id, WATER_INCOMPATIBLE),
        ("validates_sewer", sewer_rows, sewer_status_id, SEWER_INCOMPATIBLE),
    )
    for flag, rows, status_id, message in checks:
        if not item.flag(flag):
            continue
        if (
            status_id is None
            or matching_effect(rows, situation_id=item.id, status_id=status_id) is None
        ):
            found.append(message(situation_id=item.id, status_id=status_id))
    return found


def months_between(since: date, today: date) -> int:
    """Whole calendar months from ``since`` to ``today`` (0 within the same
    month), as FIS-13 counts the months since a cut or suppression."""
    return max(0, (today.year - since.year) * 12 + today.month - since.month)


def charge_times(
    row: CatalogItem, *, reincident: bool, months_since_cut: int | None
) -> int:
    """``calcularInserirValor``'s multiplier: the configured times (the
    reincidence times for a reincident property), capped by the months since
    the connection was cut or suppressed. GSAN does not multiply at all when
    those months equal the times; that quirk is not copied."""
    times = row.integer("times") or 1
    if reincident and row.integer("times_reincident") is not None:
        times = row.integer("times_reincident") or times
    if months_since_cut is not None:
        times = max(1, min(times, months_since_cut))
    return times


def charge_value(
    row: CatalogItem,
    *,
    order_price: Decimal | None,
    suggested: Decimal | None,
    minimum_tariff: Decimal | None = None,
    average: Decimal | None = None,
    consumption: Decimal | None = None,
) -> Decimal | None:
    """The unit value of a charge row by its calculation code: 4 the inspection
    order's service price, 10 the debit type's suggested value, 11 the minimum
    tariff of the property's main category (``tariff_minimum``), 1 the water
    and sewer of the average consumption (``average_value``), 2, 3, 5 and 6 the
    value the service computed from the consumption history (``consumption``:
    ``greater_volume``, ``shortfall_value``, ``months_factor``). GSAN's
    ``informarRetornoOSFiscalizacao`` has no branch for the codes 0 and 7-9:
    they charge nothing (``None``), as there."""
    code = row.integer("calculation")
    if code == 4:
        return order_price
    if code == 10:
        return suggested
    if code == 11:
        return minimum_tariff
    if code == 1:
        return average
    if code in CONSUMPTION_CODES:
        return consumption
    return None


def average_volume(volumes: Sequence[int]) -> int:
    """FIS-13: the average of the billed volumes, HALF_UP to whole m³ (0
    without history)."""
    if not volumes:
        return 0
    mean = Decimal(sum(volumes)) / len(volumes)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def consumption_value(
    volume: int,
    tariff: Tariff,
    *,
    economies: Iterable[tuple[int, int]],
    sewer_percent: Decimal | None,
) -> Decimal:
    """FIS-13 [SB0004] "Calcular Valor de Água e/ou Esgoto": the water and
    sewer of ``volume`` m³ at the tariff in force, re-priced as ACR-12
    re-prices a bill (``rules.accounts.tariffs.reprice``)."""
    water, sewer = reprice(
        BilledConsumption(
            id=0,
            tariff_id=tariff.tariff_id,
            water_volume=volume,
            economies=tuple(economies),
            water_value=Decimal(0),
            sewer_percent=sewer_percent,
        ),
        tariff,
    )
    return water + sewer


def average_value(
    volumes: Sequence[int],
    tariff: Tariff | None,
    *,
    economies: Iterable[tuple[int, int]],
    sewer_percent: Decimal | None,
) -> Decimal | None:
    """FIS-13 code 1: the water and sewer, at the tariff in force, of the
    average of the billed volumes (``average_volume``; no history: 0 m³, the
    minimum of each economy); ``None`` without a tariff."""
    if tariff is None:
        return None
    return consumption_value(
        average_volume(volumes),
        tariff,
        economies=economies,
        sewer_percent=sewer_percent,
    )


def minimum_volume(
    tariff: Tariff | None, *, economies: Iterable[tuple[int, int]]
) -> int:
    """The minimum consumption of the property in the tariff in force (each
    category's minimum volume times its economies, UC0105): the non-measured
    average of FIS-13 when billing has not recorded one."""
    if tariff is None:
        return 0
    parts = {c.category_id: c.minimum_volume for c in tariff.categories}
    return sum(parts.get(category, 0) * count for category, count in economies)


def greater_volume(*, measured: int, non_measured: int) -> int:
    """FIS-13 codes 2, 5 and 6 (``informarRetornoOSFiscalizacao`` 7.1.2,
    7.1.5, 7.1.6): the measured average when it is at least the non-measured
    average, else the non-measured average."""
    return measured if measured >= non_measured else non_measured


def shortfall_months(*, installed_on: date, today: date, limit: int) -> int:
    """FIS-13 code 3 (7.1.3.4): the months charged back, the whole months
    since the meter was installed, at most ``limit`` (``mesesMediaConsumo``)."""
    return min(months_between(installed_on, today), limit)


def shortfall_value(top: Decimal, billed: Sequence[Decimal]) -> Decimal:
    """FIS-13 code 3 (7.1.3.5): the sum over the months charged back of the
    value at the greater of the non-measured average and the highest measured
    consumption (``top``) less the value of what each month billed, both at
    the tariff in force."""
    return sum((top - value for value in billed), Decimal(0))


def months_factor(
    *, configured: int | None, months_since_cut: int | None, max_months: int | None
) -> int:
    """FIS-13 code 5 (``obterFatorMultiplicacaoParaFiscalizacaoAgua``): the
    months of the water matrix row (``numeroMesesFatura``), else the whole
    months since the cut or suppression; none or 0 gives 1, any other is capped
    by ``max_months`` (``numeroMaximoMesesSancoes``). Code 6 (the sewer's)
    passes no months since a cut and no cap: the sewer row's months, else 1."""
    factor = configured if configured is not None else months_since_cut
    if not factor:
        return 1
    if max_months is not None and factor > max_months:
        return max_months
    return factor


def tariff_minimum(
    tariff: Tariff | None, *, category_id: int, economies: int
) -> Decimal | None:
    """FIS-13 code 11: the minimum value per economy of ``category_id`` in the
    tariff in force, times the property's economies capped at
    ``MINIMUM_TARIFF_ECONOMIES``; ``None`` without a tariff or when the tariff
    has no part for the category."""
    if tariff is None:
        return None
    part = next((c for c in tariff.categories if c.category_id == category_id), None)
    if part is None:
        return None
    return part.minimum_value * max(min(economies, MINIMUM_TARIFF_ECONOMIES), 1)


def check_notice(
    *,
    employee_id: int | None,
    issued_on: date | None,
    appeal_from: date | None,
    appeal_until: date | None,
    today: date,
) -> list[Violation]:
    """FIS-11 / AUT-02: the responsible employee and the emission date are
    mandatory; the appeal period starts on or after the emission and ends on or
    after it starts; the emission is not in the future."""
    found: list[Violation] = []
    if employee_id is None:
        found.append(NOTICE_DATA_REQUIRED(field="employee", campo="o funcionário"))
    if issued_on is None:
        found.append(
            NOTICE_DATA_REQUIRED(field="issue date", campo="a data de emissão")
        )
        return found
    if issued_on > today:
        found.append(NOTICE_IN_FUTURE(issued_on=issued_on))
    found += check_appeal(
        issued_on=issued_on, appeal_from=appeal_from, appeal_until=appeal_until
    )
    return found


def check_appeal(
    *, issued_on: date, appeal_from: date | None, appeal_until: date | None
) -> list[Violation]:
    """AUT-02: the appeal period is not before the notice, nor reversed."""
    start = appeal_from or issued_on
    if start < issued_on or (appeal_until is not None and appeal_until < start):
        return [
            APPEAL_BEFORE_NOTICE(
                appeal_from=appeal_from, appeal_until=appeal_until, issued_on=issued_on
            )
        ]
    return []


NOTICE_CHARGED = Message(
    "inspection.notice_charged",
    en="Infraction notice {notice_id} has charged debts: it cannot be changed.",
    pt="O auto de infração possui débitos ativos: não é possível alterá-lo.",
    gsan_key="atencao.auto_possui_debitos_ativos",
    rule="AUT-03",
)


def check_notice_change(stored: InfractionNotice) -> list[Violation]:
    """AUT-03: a notice whose fine was charged cannot be changed."""
    if stored.charge_id is not None:
        return [NOTICE_CHARGED(notice_id=stored.id)]
    return []


def expired_notices(
    notices: Iterable[InfractionNotice], *, today: date, grace_days: int
) -> list[InfractionNotice]:
    """AUT-05: the notices still in their appeal period whose appeal ended more
    than ``grace_days`` days before ``today``."""
    return [
        n
        for n in notices
        if n.situation is NoticeSituation.APPEAL_OPEN
        and n.appeal_until is not None
        and (today - n.appeal_until).days > grace_days
    ]
