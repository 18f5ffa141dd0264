"""The debt statement (EXT-) and the no-debt certificates (CND-, CNC-)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

import attrs

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.accounts import (
    AccountDebts,
    Anticipation,
    Barcode,
    Certificate,
    CertificateHeader,
    CertificateSubject,
    CertificateVerification,
    CollectionDocument,
    Customer,
    DebtLine,
    DebtStatement,
    DocumentItem,
    NoDebtCertificate,
    PlanLines,
    SurchargeOption,
    WrittenOffFilter,
)
from gsan_core.model.accounts.documents import STATEMENT_DOCUMENT_TYPE
from gsan_core.model.billing import (
    BillStatus,
    CashPaymentTerms,
    DebtKind,
    InstallmentPlan,
)
from gsan_core.model.profile import (
    CertificateParameters,
    StatementParameters,
    SurchargeRounding,
)
from gsan_core.model.properties import Locality, Property
from gsan_core.rules.accounts import agreements as ag
from gsan_core.rules.accounts import barcode as bc
from gsan_core.rules.accounts import messages as m
from gsan_core.rules.accounts.agreements import PLAN_FINANCING_TYPES
from gsan_core.rules.accounts.debts import ENTRY_SLIP_DOCUMENT_TYPE, DebtQuery

__all__ = [
    "NEGATIVE_TITLE",
    "PLAN_FINANCING_TYPES",
    "POSITIVE_TITLE",
    "Agreements",
    "authentication_code",
    "certificate_header",
    "certificate_query",
    "customer_certificate",
    "customer_certificate_query",
    "offered_lines",
    "property_certificate",
    "statement",
    "statement_query",
    "verify_certificate",
]

ZERO = Decimal(0)
NEGATIVE_TITLE = "Certidão Negativa de Débito"
POSITIVE_TITLE = "Certidão Negativa de Débito – Com Efeito Positivo"
CUSTOMER_TITLE = "CERTIDÃO NEGATIVA DE DÉBITOS POR CLIENTE"
NEGATIVE_TEXT = (
    "O imóvel se encontra em situação regular, sem débitos, acordos ou serviços a "
    "faturar, nesta data."
)
POSITIVE_TEXT = "O imóvel se encontra na seguinte situação:"
#: CND-12, CAEMA's layout.
CAEMA_POSITIVE_NEGATIVE_EFFECT = "CERTIDÃO POSITIVA COM EFEITO DE NEGATIVA"
CAEMA_POSITIVE = "CERTIDÃO POSITIVA DE DÉBITOS"
CAEMA_NEGATIVE = "CERTIDÃO NEGATIVA DE DÉBITOS"
CAEMA_NEGATIVE_TEXT = (
    "Certificamos que, para o imóvel acima, não encontramos débitos até a "
    "presente data."
)


# ================================================================ statement
def statement_query() -> DebtQuery:
    """EXT-01: every reference and due date, contas em revisão included,
    charges, credits and slips, surcharges computed."""
    return DebtQuery()


def offered_lines(debts: AccountDebts) -> tuple[DebtLine, ...]:
    """EXT-02, EXT-03, EXT-05, EXT-06: what the attendant may tick."""
    lines: list[DebtLine] = []
    lines += [x for x in debts.bills if x.debt.status is not BillStatus.PARCELLED]
    lines += list(debts.previous_bills)
    lines += [
        x
        for x in debts.payment_slips
        if x.debt.document_type_id != ENTRY_SLIP_DOCUMENT_TYPE
    ]
    lines += [
        x
        for x in debts.charges
        if x.debt.financing_type_id not in PLAN_FINANCING_TYPES
        or (x.debt.financing_type_id == 2 and x.debt.installment_plan_id is None)
    ]
    lines += [x for x in debts.credits if not ag.in_plan(x.debt)]  # EXT-04
    return tuple(lines)


def _validity(
    today: date,
    ticked_bills: Sequence[DebtLine],
    params: StatementParameters,
    *,
    special: bool,
) -> date:
    """EXT-17: today + the statement days (permission 71: the special days),
    extended to the latest due date of the ticked bills."""
    days = params.validade_dias_permissao if special else params.validade_dias
    until = today + timedelta(days=days)
    dues = [x.debt.due_date for x in ticked_bills if x.debt.due_date is not None]
    return max([until, *dues])


@attrs.frozen(kw_only=True)
class Agreements:
    """What the statement reads of the parcelamentos (EXT-04, EXT-15): the
    property's plans, those ticked whole, the installments to anticipate
    (item id → count), and the cash-payment terms when asked."""

    plans: Sequence[InstallmentPlan] = ()
    plan_ids: Collection[int] = ()
    anticipations: Mapping[int, int] = attrs.field(factory=dict)
    #: EXT-15 asked ("calcular desconto").
    cash_payment: bool = False
    #: ``SistemaParametro.resolucaoDiretoria`` is set (the button is offered).
    cash_offered: bool = False
    cash_terms: CashPaymentTerms | None = None
    rounding: SurchargeRounding = "half_up"


def _agreement_checks(
    agreements: Agreements,
    plans: Sequence[PlanLines],
    *,
    property_id: int,
    option: SurchargeOption,
    today: date,
) -> tuple[tuple[Anticipation, ...], list[Violation]]:
    found = [
        m.PLAN_NOT_OPEN(number=i, property_id=property_id)
        for i in sorted(set(agreements.plan_ids) - {g.plan.id for g in plans})
    ]
    ahead, refused = ag.anticipate(
        plans, ticked_plans=agreements.plan_ids, wanted=agreements.anticipations
    )
    found += refused
    if agreements.cash_payment:
        if not agreements.cash_offered or option is not SurchargeOption.INCLUDE:
            found.append(m.CASH_DISCOUNT_NOT_OFFERED())
        elif agreements.cash_terms is None:
            found.append(m.NO_CASH_TERMS(property_id=property_id, on=today))
    return ahead, found


def statement(
    debts: AccountDebts,
    *,
    property_id: int,
    locality_id: int,
    document_id: int,
    selected: Collection[int] | None,
    option: SurchargeOption,
    fee: Decimal,
    params: StatementParameters,
    at: datetime,
    today: date,
    actor: int,
    special_validity: bool = False,
    may_discount: bool = False,
    special_situation_blocks: bool = False,
    agreements: Agreements | None = None,
) -> DebtStatement:
    """EXT-04, EXT-07..EXT-19: the statement of the ticked items (every offered
    item when ``selected`` is None), the ticked parcelamentos and the
    anticipated installments, with its value, validity and barcode."""
    agreements = agreements or Agreements()
    found: list[Violation] = []
    if debts.empty:
        raise RuleViolation([m.NO_DEBT_NOR_CREDIT(property_id=property_id)])
    if special_situation_blocks:
        found.append(m.SPECIAL_SITUATION(property_id=property_id))
    if option is SurchargeOption.INCLUDE_WITH_DISCOUNT and not may_discount:
        found.append(m.DISCOUNT_NEEDS_PERMISSION())
    offered = offered_lines(debts)
    by_id = {x.debt.id: x for x in offered}
    if selected is not None:
        found += [
            m.ITEM_NOT_OPEN(debt_id=i, property_id=property_id)
            for i in sorted(set(selected) - set(by_id))
        ]
    plans = ag.plan_lines(debts, agreements.plans)
    ahead, refused = _agreement_checks(
        agreements, plans, property_id=property_id, option=option, today=today
    )
    found += refused
    if found:
        raise RuleViolation(found)
    ticked = (
        offered
        if selected is None
        else tuple(x for x in offered if x.debt.id in selected)
    )
    ticked_plans = [g for g in plans if g.plan.id in agreements.plan_ids]
    return _priced_statement(
        debts,
        ticked=ticked,
        ticked_plans=ticked_plans,
        ahead=ahead,
        plans=plans,
        agreements=agreements,
        property_id=property_id,
        locality_id=locality_id,
        document_id=document_id,
        option=option,
        fee=fee,
        params=params,
        at=at,
        today=today,
        actor=actor,
        special_validity=special_validity,
    )


def _item(line: DebtLine, value: Decimal | None = None) -> DocumentItem:
    return DocumentItem(
        debt_id=line.debt.id,
        kind=line.debt.kind,
        value=line.value if value is None else value,
        surcharges=line.surcharges,
        reference=line.debt.reference,
        due_date=line.debt.due_date,
    )


def _priced_statement(
    debts: AccountDebts,
    *,
    ticked: Sequence[DebtLine],
    ticked_plans: Sequence[PlanLines],
    ahead: Sequence[Anticipation],
    plans: Sequence[PlanLines],
    agreements: Agreements,
    property_id: int,
    locality_id: int,
    document_id: int,
    option: SurchargeOption,
    fee: Decimal,
    params: StatementParameters,
    at: datetime,
    today: date,
    actor: int,
    special_validity: bool,
) -> DebtStatement:
    ticked_ids = {x.debt.id for x in ticked}

    def pick(lines: Sequence[DebtLine]) -> tuple[DebtLine, ...]:
        return tuple(x for x in lines if x.debt.id in ticked_ids)

    bills = pick(debts.bills) + pick(debts.previous_bills)
    slips, charges = pick(debts.payment_slips), pick(debts.charges)
    credit_lines = pick(debts.credits)
    bills_total = sum((x.value for x in bills), ZERO)  # EXT-08
    surcharges = sum((x.surcharges for x in bills), ZERO)  # EXT-09
    counted = ZERO if option is SurchargeOption.EXCLUDE else surcharges  # EXT-10
    discount = surcharges if option is SurchargeOption.INCLUDE_WITH_DISCOUNT else ZERO
    cash = ZERO
    if agreements.cash_payment and agreements.cash_terms is not None:  # EXT-15
        cash = ag.cash_discount(
            bills, agreements.cash_terms, rounding=agreements.rounding
        )
    debits, credit_total = _debits_and_credits(
        slips + charges, credit_lines, ticked_plans, ahead
    )
    discount += cash
    value = bills_total + debits - credit_total + counted - discount + fee  # EXT-11
    if value < 0:
        raise RuleViolation([m.NEGATIVE_RESULT(value=value)])  # EXT-14
    code = _statement_barcode(
        value, params, locality_id, property_id=property_id, document_id=document_id
    )  # EXT-18
    items = _statement_items(ticked, ticked_plans, plans, ahead)
    document = CollectionDocument(
        id=document_id,
        property_id=property_id,
        issued_at=at,
        valid_until=_validity(today, bills, params, special=special_validity),
        value=value,
        surcharges=counted
        if option is not SurchargeOption.INCLUDE_WITH_DISCOUNT
        else surcharges,
        discount=discount,
        fee=fee,
        debt_situation=1 if items else 5,
        barcode=code.digits,
        items=items,
        actor=actor,
    )  # EXT-16
    return DebtStatement(
        document=document,
        bills=pick(debts.bills),
        previous_bills=pick(debts.previous_bills),
        payment_slips=slips,
        charges=charges,
        credits=credit_lines,
        barcode=code,
        bills_total=bills_total,
        services_total=counted + debits + fee,
        credits_total=credit_total + discount,
        plans=plans,
        plan_ids=[g.plan.id for g in ticked_plans],
        anticipations=ahead,
        cash_discount=cash,
    )  # EXT-19


def _debits_and_credits(
    lines: Sequence[DebtLine],
    credit_lines: Sequence[DebtLine],
    ticked_plans: Sequence[PlanLines],
    ahead: Sequence[Anticipation],
) -> tuple[Decimal, Decimal]:
    """EXT-11's debits (the ticked slips and charges, the ticked plans'
    charges, the anticipated charges) and credits (the ticked credits, the
    ticked plans' credits, the anticipated credits)."""
    plan_debits = sum((x.value for g in ticked_plans for x in g.charges), ZERO)
    plan_credits = sum((x.value for g in ticked_plans for x in g.credits), ZERO)
    ahead_debits = sum((a.value for a in ahead if a.kind is DebtKind.CHARGE), ZERO)
    ahead_credits = sum((a.value for a in ahead if a.kind is DebtKind.CREDIT), ZERO)
    debits = sum((x.value for x in lines), ZERO) + plan_debits + ahead_debits
    credit_total = sum((x.value for x in credit_lines), ZERO)
    credit_total += plan_credits + ahead_credits
    return debits, credit_total


def _statement_barcode(
    value: Decimal,
    params: StatementParameters,
    locality_id: int,
    *,
    property_id: int,
    document_id: int,
) -> Barcode:
    """EXT-18: the statement's collection barcode."""
    return bc.arrecadacao(
        value=value,
        company=params.codigo_empresa_febraban,
        segment=params.segmento,
        free_field=bc.collection_document_field(
            locality_id=locality_id,
            property_id=property_id,
            document_id=document_id,
            document_type_id=STATEMENT_DOCUMENT_TYPE,
        ),
    )


def _statement_items(
    ticked: Sequence[DebtLine],
    ticked_plans: Sequence[PlanLines],
    plans: Sequence[PlanLines],
    ahead: Sequence[Anticipation],
) -> list[DocumentItem]:
    """The document's items: the ticked lines, the ticked plans' lines, then
    the anticipated installments at their anticipated value."""
    plan_lines = [x for g in ticked_plans for x in g.lines]
    by_id = {x.debt.id: x for g in plans for x in g.lines}
    items = [_item(x) for x in ticked] + [_item(x) for x in plan_lines]
    items += [_item(by_id[a.debt_id], a.value) for a in ahead]
    return items


# ================================================================ certificates
def certificate_header(
    prop: Property, *, locality: Locality | None, user: Customer | None
) -> CertificateHeader:
    """CND-09: the header of a property, from what the certificate already
    read (the property, its locality, its current user)."""
    main = prop.main_category
    return CertificateHeader(
        property_id=prop.id,
        inscription=f"{prop.locality_id}.{prop.sector_id}.{prop.block_id}",
        locality_id=prop.locality_id,
        locality_name=None if locality is None else locality.name,
        municipality_id=None if locality is None else locality.municipality_id,
        user_id=None if user is None else user.id,
        user_name=None if user is None else user.name,
        user_document=None if user is None else user.document,
        user_person_kind=None if user is None else user.person_kind,
        categories=[
            (c.category_id, c.subcategory_id, c.count) for c in prop.categories
        ],
        main_category_id=None if main is None else main.category_id,
        main_subcategory_id=None if main is None else main.subcategory_id,
        economies=sum(c.count for c in prop.categories),
        profile_id=prop.profile_id,
        water_status_id=prop.water_status_id,
        sewer_status_id=prop.sewer_status_id,
        well_type_id=prop.well_type_id,
    )


def authentication_code(letters: str, digits: str, issued_on: date) -> str:
    """CND-11: letter, digit, letter, digit, then ``yyyyMMdd`` of issue, upper case."""
    return (
        f"{letters[0]}{digits[0]}{letters[1]}{digits[1]}".upper()
        + issued_on.strftime("%Y%m%d")
    )


def certificate_query(params: CertificateParameters, today: date) -> DebtQuery:
    """CND-03: due up to today − N days, contas em revisão included, charges,
    credits and slips, surcharges, dívida ativa by profile."""
    return DebtQuery(
        reference_from=190001,
        reference_to=299901,
        due_from=date(1900, 1, 1),
        due_to=today - timedelta(days=params.dias_carencia),
        include_in_review=True,
        written_off=WrittenOffFilter.EXCLUDE
        if params.exclui_divida_ativa
        else WrittenOffFilter.BOTH,
    )


def customer_certificate_query(params: CertificateParameters, today: date) -> DebtQuery:
    """CNC-06: bills (review excluded) and slips, no charges, credits or surcharges."""
    return DebtQuery(
        due_to=today - timedelta(days=params.dias_carencia),
        include_in_review=False,
        charges=False,
        credits=False,
        surcharges=False,
    )


def property_certificate(
    debts: AccountDebts,
    *,
    property_id: int,
    certificate_id: int,
    code: str,
    params: CertificateParameters,
    at: datetime,
    today: date,
    actor: int,
    responsible_sphere_allows: bool = True,
    header: CertificateHeader | None = None,
) -> NoDebtCertificate:
    """CND-02, CND-04..CND-07, CND-11: refuse, or the certificate and its text."""
    if not responsible_sphere_allows:
        raise RuleViolation([m.RESPONSIBLE_SPHERE_REFUSES(property_id=property_id)])
    blocking_debts = bool(debts.bills or debts.payment_slips)
    blocking_charges = params.debito_a_cobrar_bloqueia and bool(debts.charges)
    if not params.efeito_positivo:
        if blocking_debts or blocking_charges:
            raise RuleViolation(
                [m.PROPERTY_HAS_DEBTS(property_id=property_id)]
            )  # CND-04
    elif blocking_charges and params.efeito_positivo_respeita_debito_a_cobrar:
        raise RuleViolation([m.PROPERTY_HAS_DEBTS(property_id=property_id)])  # CND-05
    lines = debts.bills + debts.payment_slips + debts.charges + debts.credits  # CND-07
    positive = bool(lines)  # CND-06
    plan = paying_installment_plan(debts.charges)  # CND-08
    title, text = (
        (POSITIVE_TITLE, POSITIVE_TEXT)
        if positive
        else (
            NEGATIVE_TITLE,
            NEGATIVE_TEXT,
        )
    )
    if params.layout == "caema":
        title, text = caema_title(lines, installment_plan=plan, today=today)
    certificate = Certificate(
        id=certificate_id,
        subject=CertificateSubject.PROPERTY,
        property_id=property_id,
        issued_at=at,
        issued_on=today,
        valid_until=today + timedelta(days=params.validade_dias),
        authentication_code=code,
        positive_effect=positive,
        title=title,
        actor=actor,
    )
    return NoDebtCertificate(
        certificate=certificate,
        title=title,
        text=text,
        lines=lines,
        property_ids=(property_id,),
        installment_plan=plan,
        validity_text=params.texto_validade,
        headers=() if header is None else (header,),
    )


def paying_installment_plan(charges: Sequence[DebtLine]) -> bool:
    """CND-08: a normal charge of a parcelamento with installments still to
    bill (billed < installments − bonus)."""
    return any(
        x.debt.installment_plan_id is not None
        and x.debt.status is BillStatus.NORMAL
        and x.debt.installments_billed < x.debt.installments - x.debt.bonus_installments
        for x in charges
    )


def caema_title(
    lines: Sequence[DebtLine], *, installment_plan: bool, today: date
) -> tuple[str, str]:
    """CND-12, CAEMA's title and text: positive with negative effect when a
    parcelamento is being paid or a listed bill is under review; positive when a
    listed bill is past due; else negative."""
    bills = [x for x in lines if x.debt.kind is DebtKind.BILL]
    if installment_plan or any(x.debt.in_review for x in bills):
        return CAEMA_POSITIVE_NEGATIVE_EFFECT, POSITIVE_TEXT
    if any(x.debt.due_date is not None and x.debt.due_date < today for x in bills):
        return CAEMA_POSITIVE, POSITIVE_TEXT
    return CAEMA_NEGATIVE, CAEMA_NEGATIVE_TEXT


def customer_certificate(
    debts_by_customer: Sequence[tuple[int, AccountDebts]],
    *,
    customer_id: int,
    certificate_id: int,
    code: str,
    params: CertificateParameters,
    at: datetime,
    today: date,
    actor: int,
    headers: Sequence[CertificateHeader] = (),
) -> NoDebtCertificate:
    """CNC-06, CNC-07: refuse when any checked customer has a bill or slip; else
    the certificate listing every checked customer and its properties (with
    their ``headers``: matrícula, water situation, user)."""
    for checked_id, debts in debts_by_customer:
        if debts.bills or debts.previous_bills or debts.payment_slips or debts.charges:
            raise RuleViolation([m.CUSTOMER_HAS_DEBTS(customer_id=checked_id)])
    properties = sorted({p for _, d in debts_by_customer for p in d.property_ids})
    certificate = Certificate(
        id=certificate_id,
        subject=CertificateSubject.CUSTOMER,
        customer_id=customer_id,
        issued_at=at,
        issued_on=today,
        valid_until=today + timedelta(days=params.validade_dias),
        authentication_code=code,
        title=CUSTOMER_TITLE,
        actor=actor,
    )
    text = (
        "Não encontramos débitos referente(s) ao(s) imóvel(eis) do(s) cliente(s) "
        f"até a presente data: {today:%d/%m/%Y}."
    )
    return NoDebtCertificate(
        certificate=certificate,
        title=CUSTOMER_TITLE,
        text=text,
        customer_ids=tuple(c for c, _ in debts_by_customer),
        property_ids=tuple(properties),
        headers=[h for h in headers if h.property_id in set(properties)],
    )


def verify_certificate(
    found: Certificate | None, *, property_id: int | None, code: str, today: date
) -> CertificateVerification:
    """CND-11: the code must name a certificate of the property, still valid."""
    if property_id is None or not code.strip():
        raise RuleViolation([m.CODE_REQUIRED()])
    if found is None:
        raise RuleViolation([m.CODE_INVALID(property_id=property_id, code=code)])
    if found.valid_until < today:
        raise RuleViolation([m.CODE_EXPIRED(code=code, valid_until=found.valid_until)])
    return CertificateVerification(valid=True, certificate=found)
