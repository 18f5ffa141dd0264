"""The statement and certificate use cases' steps inside a unit of work."""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import attrs

from gsan_core.errors import NotFound, RuleViolation, Violation
from gsan_core.model.accounts import (
    AccountDebts,
    BillCopy,
    BillCopyIssued,
    CertificateIssued,
    CollectionDocumentIssued,
    Customer,
    CustomerProperty,
    CustomerStatement,
    DebtOwner,
    DebtStatement,
    NoDebtCertificate,
    RelationType,
    SurchargeOption,
)
from gsan_core.model.billing import Charge
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts import documents as rules
from gsan_core.rules.accounts import messages as m
from gsan_core.rules.accounts import second_copy as copy_rules
from gsan_core.rules.accounts.customers import current_customer
from gsan_core.rules.accounts.debts import DebtQuery
from gsan_core.services.accounts.customers import hierarchy
from gsan_core.services.accounts.debts import DebtReader
from gsan_core.services.batches import ChunkOutcome
from gsan_core.services.context import holds_permission

__all__ = [
    "PERMISSION_CERTIFICATE_SUPERIOR_CUSTOMER",
    "PERMISSION_COPY_WITHOUT_DOCUMENT",
    "PERMISSION_STATEMENT_DISCOUNT",
    "PERMISSION_STATEMENT_FEE",
    "PERMISSION_STATEMENT_VALIDITY",
    "Issuing",
    "customer_debts",
    "issue_bill_copy",
    "issue_customer_certificate",
    "issue_customer_statement",
    "issue_property_certificate",
    "issue_statement",
    "new_code",
    "statements_chunk",
]

#: The profile roles (``permission.<role>``) of the special permissions
#: (``PermissaoEspecial``) the documents read; GSAN's ids are 43, 44, 71, 75
#: and 73 (the profiles map them).
PERMISSION_STATEMENT_DISCOUNT = "statement_discount"
PERMISSION_STATEMENT_FEE = "statement_fee"
PERMISSION_STATEMENT_VALIDITY = "statement_special_validity"
PERMISSION_CERTIFICATE_SUPERIOR_CUSTOMER = "certificate_superior_customer"


def new_code(issued_on: date) -> str:
    """A fresh CND-11 authentication code."""
    letters = "".join(secrets.choice(string.ascii_uppercase) for _ in range(2))
    digits = "".join(secrets.choice(string.digits) for _ in range(2))
    return rules.authentication_code(letters, digits, issued_on)


@attrs.frozen(kw_only=True)
class Issuing:
    """What every counter document is issued with (the statements, the
    certificates, the bill copy): the unit of work and its debt reader, the
    profile, the instant and local day of issue, and the actor."""

    uow: UnitOfWork
    reader: DebtReader
    profile: UtilityProfile
    at: datetime
    today: date
    actor: int


def _locked_property(uow: UnitOfWork, property_id: int) -> Property:
    """The property, read under its lock (one statement); a violation when it
    does not exist."""
    try:
        return uow.properties.lock(property_id)
    except NotFound:
        raise RuleViolation([m.PROPERTY_NOT_FOUND(property_id=property_id)]) from None


def issue_statement(
    run: Issuing,
    *,
    property_id: int,
    selected: Collection[int] | None,
    option: SurchargeOption,
    plan_ids: Collection[int] = (),
    anticipate: Mapping[int, int] | None = None,
    cash_payment: bool = False,
) -> DebtStatement:
    """UC0630/UC0444: the statement of the ticked items, persisted. The
    property is read once, under its lock; the discount permission is asked
    only when a discount is; the plans only when an item names one (EXT-04),
    the cash-payment terms only when asked (EXT-15)."""
    uow, reader, profile = run.uow, run.reader, run.profile
    at, today, actor = run.at, run.today, run.actor
    prop = _locked_property(uow, property_id)
    debts = reader.debts(
        [property_id], query=rules.statement_query(), properties={property_id: prop}
    )
    params = profile.extrato
    fee = (
        params.valor_taxa
        if params.cobrar_taxa
        and holds_permission(profile, uow, actor, PERMISSION_STATEMENT_FEE)
        else Decimal(0)
    )
    named_plans = any(
        x.debt.installment_plan_id is not None for x in debts.charges + debts.credits
    )
    plans = (
        uow.billing.installment_plans_of([property_id]).get(property_id, ())
        if named_plans
        else ()
    )
    cash_offered = params.resolucao_diretoria
    agreements = rules.Agreements(
        plans=plans,
        plan_ids=frozenset(plan_ids),
        anticipations=dict(anticipate or {}),
        cash_payment=cash_payment,
        cash_offered=cash_offered,
        cash_terms=uow.billing.cash_payment_terms(prop, on=today)
        if cash_payment and cash_offered
        else None,
        rounding=profile.surcharge.rounding,
    )
    document_id = uow.next_id("collection_document")
    result = rules.statement(
        debts,
        property_id=property_id,
        locality_id=prop.locality_id,
        document_id=document_id,
        selected=selected,
        option=option,
        fee=fee,
        params=params,
        at=at,
        today=today,
        actor=actor,
        special_validity=holds_permission(
            profile, uow, actor, PERMISSION_STATEMENT_VALIDITY
        ),
        may_discount=option is SurchargeOption.INCLUDE_WITH_DISCOUNT
        and holds_permission(profile, uow, actor, PERMISSION_STATEMENT_DISCOUNT),
        special_situation_blocks=_special_situation(profile, prop),
        agreements=agreements,
    )
    uow.collection_documents.add(result.document)
    uow.record(
        CollectionDocumentIssued(
            occurred_at=at,
            actor=actor,
            document_id=document_id,
            property_id=property_id,
            value=result.value,
        )
    )
    return result


def statements_chunk(
    run: Issuing,
    *,
    property_ids: Sequence[int],
    local_date: Callable[[datetime], date],
) -> ChunkOutcome:
    """One unit of the mass mailing: every statement of ``property_ids`` in one
    unit of work, reading each table once; properties with nothing to list, a
    refusal, or a statement already issued today are skipped (so a re-run
    resumes without issuing twice)."""
    uow, today = run.uow, run.today
    props = uow.properties.lock_many(property_ids)
    issued_today = {
        d.property_id
        for d in uow.collection_documents.find_by(property_id=list(props))
        if local_date(d.issued_at) == today
    }
    wanted = {pid: p for pid, p in props.items() if pid not in issued_today}
    skipped: dict[str, int] = {}
    if len(props) < len(property_ids):
        skipped["property not found"] = len(property_ids) - len(props)
    if issued_today:
        skipped["already issued today"] = len(issued_today)
    made, refused = _statements_of(run, wanted)
    for violation in refused.values():
        skipped[violation.code] = skipped.get(violation.code, 0) + 1
    _persist(run, made)
    uow.commit()
    return ChunkOutcome(processed=len(property_ids), changed=len(made), skipped=skipped)


def _statements_of(
    run: Issuing, props: Mapping[int, Property]
) -> tuple[list[DebtStatement], dict[int, Violation]]:
    """The statement of everything offered of each property (no fee, acréscimos
    included), reading each table once for the whole set; the refused
    properties map to their refusal."""
    uow, reader, profile = run.uow, run.reader, run.profile
    at, today, actor = run.at, run.today, run.actor
    by_property = reader.debts_by_property(props, query=rules.statement_query())
    ids = iter(uow.next_ids("collection_document", len(props)) if props else [])
    made: list[DebtStatement] = []
    refused: dict[int, Violation] = {}
    for pid in sorted(by_property):
        prop = props[pid]
        document_id = next(ids)
        try:
            made.append(
                rules.statement(
                    by_property[pid],
                    property_id=pid,
                    locality_id=prop.locality_id,
                    document_id=document_id,
                    selected=None,
                    option=SurchargeOption.INCLUDE,
                    fee=Decimal(0),
                    params=profile.extrato,
                    at=at,
                    today=today,
                    actor=actor,
                    special_situation_blocks=_special_situation(profile, prop),
                )
            )
        except RuleViolation as refusal:
            refused[pid] = refusal.violations[0]
    return made, refused


def _persist(run: Issuing, made: Sequence[DebtStatement]) -> None:
    """The collection documents of ``made`` and their events, in one write."""
    uow, at, actor = run.uow, run.at, run.actor
    uow.collection_documents.add_many(s.document for s in made)
    uow.record(
        *(
            CollectionDocumentIssued(
                occurred_at=at,
                actor=actor,
                document_id=s.document.id,
                property_id=s.document.property_id,
                value=s.value,
            )
            for s in made
        )
    )


def issue_customer_statement(
    run: Issuing,
    *,
    customer_id: int,
    relation: RelationType | None,
) -> CustomerStatement:
    """EXT-20, the Extrato de Débitos por Cliente: the customer and those under
    it (walked as CNC-05), the properties of their current relations (of
    ``relation`` only, when given), one statement per property, persisted.
    The hierarchy is read at once (however deep); the relations, the properties
    (locked) and each debt table once for all of them."""
    uow = run.uow
    if uow.customers.find(customer_id) is None:
        raise RuleViolation([m.CUSTOMER_NOT_FOUND(customer_id=customer_id)])
    uow.lock_key("customer.hierarchy")
    customer_ids = hierarchy(uow, customer_id)
    property_ids = sorted(
        {
            r.property_id
            for r in uow.customer_properties.find_by(customer_id=customer_ids)
            if r.is_open and (relation is None or r.relation is relation)
        }
    )
    props = uow.properties.lock_many(property_ids) if property_ids else {}
    if not props:
        raise RuleViolation([m.CUSTOMER_WITHOUT_PROPERTIES(customer_id=customer_id)])
    made, refused = _statements_of(run, props)
    if not made:  # nothing to issue for any property: each one's refusal
        raise RuleViolation([refused[pid] for pid in sorted(refused)])
    _persist(run, made)
    return CustomerStatement(
        customer_id=customer_id,
        customer_ids=tuple(customer_ids),
        statements=tuple(made),
        skipped={pid: v.code for pid, v in refused.items()},
    )


def _special_situation(profile: UtilityProfile, prop: Property) -> bool:
    """EXT-13, SVS-05: the property is in a situation that issues no document."""
    return bool(prop.collection_situation_ids & profile.extrato.situacoes_sem_documento)


def _sphere_allows(
    uow: UnitOfWork,
    customer_id: int | None,
    *,
    for_property: bool,
    customer: Customer | None = None,
) -> bool:
    """Whether the customer's sphere of power allows the certificate
    (``customer``: the customer, when the caller read it already)."""
    if customer_id is None:
        return True
    if customer is None or customer.id != customer_id:
        customer = uow.customers.find(customer_id)
    kind = (
        None if customer is None else uow.customer_types.find(customer.customer_type_id)
    )
    sphere = None if kind is None else uow.power_spheres.find(kind.power_sphere_id)
    if sphere is None:
        return True
    if for_property:
        return sphere.property_certificate_allowed
    return sphere.customer_certificate_allowed


def issue_property_certificate(run: Issuing, *, property_id: int) -> NoDebtCertificate:
    """UC0738: refuse, or issue and persist the certificate of a property."""
    uow, reader, profile = run.uow, run.reader, run.profile
    at, today, actor = run.at, run.today, run.actor
    prop = _locked_property(uow, property_id)
    relations = reader.relations([property_id])
    responsible = current_customer(relations, RelationType.RESPONSIBLE)
    user = current_customer(relations, RelationType.USER)
    # the responsible (CND-02) and the header's user (CND-09) in one read,
    # kept by the reader for the pricing and the header (issue 20, ninth
    # round: a read each before)
    known = reader.customers({c for c in (responsible, user) if c is not None})
    allows = _sphere_allows(
        uow,
        responsible,
        for_property=True,
        customer=None if responsible is None else known.get(responsible),
    )  # CND-02
    reader.with_users = True  # the header names the user (CND-09)
    debts = reader.debts(
        [property_id],
        query=rules.certificate_query(profile.cnd, today),
        properties={property_id: prop},
        relations=relations,
    )
    result = rules.property_certificate(
        debts,
        property_id=property_id,
        certificate_id=uow.next_id("certificate"),
        code=new_code(today),
        params=profile.cnd,
        at=at,
        today=today,
        actor=actor,
        responsible_sphere_allows=allows,
        header=reader.headers({property_id: prop}, relations)[0],
    )
    _store(run, result)
    return result


def _store(run: Issuing, result: NoDebtCertificate) -> None:
    uow, at, actor = run.uow, run.at, run.actor
    cert = result.certificate
    uow.certificates.add(cert)
    uow.record(
        CertificateIssued(
            occurred_at=at,
            actor=actor,
            certificate_id=cert.id,
            subject=cert.subject,
            authentication_code=cert.authentication_code,
            property_id=cert.property_id,
            customer_id=cert.customer_id,
        )
    )


def customer_debts(
    reader: DebtReader,
    relations: Sequence[CustomerProperty],
    *,
    customer_id: int,
    owner: DebtOwner,
    query: DebtQuery,
) -> AccountDebts:
    """UC0067 by customer (modes 2, 3, 4) over the customer's relations."""
    mine = [r for r in relations if r.customer_id == customer_id]
    current = sorted({r.property_id for r in mine if r.is_open})
    ever = sorted({r.property_id for r in mine})
    if owner is DebtOwner.CURRENT_PROPERTIES:
        return reader.debts(current, query=query)
    if owner is DebtOwner.CURRENT_AND_FORMER:
        return reader.debts(current, query=query, charge_property_ids=ever)
    debts = reader.debts(ever, query=query, charge_property_ids=ever)
    named = [
        x
        for x in debts.bills + debts.previous_bills
        if x.debt.billed_customer_id == customer_id
    ]
    return AccountDebts(
        property_ids=debts.property_ids,
        bills=named,
        payment_slips=debts.payment_slips,
        charges=debts.charges,
        credits=debts.credits,
    )


def issue_customer_certificate(
    run: Issuing, *, customer_id: int, owner: DebtOwner
) -> NoDebtCertificate:
    """The by-customer certificate (CNC-01..CNC-07), persisted."""
    uow, reader, profile = run.uow, run.reader, run.profile
    at, today, actor = run.at, run.today, run.actor
    customer = uow.customers.find(customer_id)
    if customer is None:
        raise RuleViolation([m.CUSTOMER_NOT_FOUND(customer_id=customer_id)])  # CNC-01
    if not _sphere_allows(uow, customer_id, for_property=False, customer=customer):
        raise RuleViolation(
            [m.CUSTOMER_SPHERE_REFUSES(customer_id=customer_id)]
        )  # CNC-02
    superior = customer.responsible_customer_id
    if (
        superior is not None
        and superior != customer_id
        and not holds_permission(
            profile, uow, actor, PERMISSION_CERTIFICATE_SUPERIOR_CUSTOMER
        )
    ):
        raise RuleViolation(
            [m.SUPERIOR_CUSTOMER(customer_id=customer_id, responsible_id=superior)]
        )  # CNC-03
    uow.lock_key("customer.hierarchy")
    checked = hierarchy(uow, customer_id)  # CNC-05
    relations = uow.customer_properties.find_by(customer_id=checked)
    reader.preload({r.property_id for r in relations})  # one read for all
    query = rules.customer_certificate_query(profile.cnd, today)
    per_customer = [
        (
            cid,
            customer_debts(
                reader, relations, customer_id=cid, owner=owner, query=query
            ),
        )
        for cid in checked
    ]
    props, rels = reader.preloaded()
    result = rules.customer_certificate(
        per_customer,
        headers=reader.headers(props, rels),
        customer_id=customer_id,
        certificate_id=uow.next_id("certificate"),
        code=new_code(today),
        params=profile.cnd,
        at=at,
        today=today,
        actor=actor,
    )
    _store(run, result)
    return result


#: ``EMITIR_2_VIA_SEM_DOCUMENTO_VALIDO``.
PERMISSION_COPY_WITHOUT_DOCUMENT = "bill_copy_without_document"


def issue_bill_copy(
    run: Issuing,
    *,
    property_id: int,
    bill_ids: Collection[int] | None,
    with_fee: bool,
    bill_set: bool = False,
) -> BillCopy:
    """UC0482: the copy of the chosen bills; with a fee, one charge of debit type
    101 per bill (SVS-01, SVS-02)."""
    uow, reader, profile = run.uow, run.reader, run.profile
    at, actor = run.at, run.actor
    prop = _locked_property(uow, property_id)
    relations = reader.relations([property_id])
    params = profile.segunda_via
    needs_document = params.exige_documento and not holds_permission(
        profile, uow, actor, PERMISSION_COPY_WITHOUT_DOCUMENT
    )
    has_document = False
    if needs_document:
        open_ids = {r.customer_id for r in relations if r.is_open}
        found = uow.customers.get_many(open_ids) if open_ids else {}
        has_document = any(c.document for c in found.values())
    debts = reader.debts(
        [property_id],
        query=DebtQuery(charges=False, credits=False, payment_slips=False),
        properties={property_id: prop},
        relations=relations,
    )
    chosen = copy_rules.chosen_bills(
        debts,
        property_id=property_id,
        bill_ids=bill_ids,
        needs_document=needs_document,
        has_document=has_document,
        special_situation_blocks=_special_situation(profile, prop),
        drop_contract_bills=bill_set and params.bloqueia_contrato_conjunto,
    )
    fees: list[Charge] = []
    if copy_rules.fee_wanted(
        with_fee=with_fee, property_profile_id=prop.profile_id, params=params
    ):
        value = copy_rules.fee_value(
            social_tariff=profile.plays(
                "property_profile.social_tariff", prop.profile_id
            ),
            params=params,
        )
        fees = copy_rules.fee_charges(
            chosen,
            property_id=property_id,
            value=value,
            ids=uow.next_ids("charge", len(chosen)),
            at=at,
            actor=actor,
        )
        # one insert of every fee, whatever the bills (issue 20, ninth
        # round: an insert a bill before)
        uow.billing.add_charges(fees)
    result = BillCopy(property_id=property_id, issued_at=at, bills=chosen, fees=fees)
    uow.record(
        BillCopyIssued(
            occurred_at=at,
            actor=actor,
            property_id=property_id,
            bill_ids=[x.debt.id for x in chosen],
            fee=result.fee,
        )
    )
    return result
