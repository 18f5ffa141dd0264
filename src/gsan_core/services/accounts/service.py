"""``gsan.accounts``: customers, open debts with surcharges, statements and
no-debt certificates."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

import attrs

from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    AccountDebts,
    BillCopy,
    CertificateVerification,
    CollectionDocument,
    Customer,
    CustomerLink,
    CustomerProperty,
    CustomerStatement,
    CustomerType,
    DebtOwner,
    DebtStatement,
    NoDebtCertificate,
    PersonKind,
    PowerSphere,
    PropertyView,
    RefundGuideSubject,
    RefundResult,
    RelationType,
    RequestPayment,
    ServiceContract,
    SurchargeIndex,
    SurchargeIndexChanged,
    SurchargeMemo,
    SurchargeOption,
)
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.service_requests import ServiceRequest
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts import documents as document_rules
from gsan_core.rules.accounts import messages as m
from gsan_core.rules.accounts import refunds as refund_rules
from gsan_core.rules.accounts.debts import DebtQuery
from gsan_core.rules.accounts.surcharges import (
    IndexTable,
    ensure_index,
    factor_from_rate,
)
from gsan_core.services.accounts import customers as flows
from gsan_core.services.accounts import documents as docs
from gsan_core.services.accounts import refunds as refund_flows
from gsan_core.services.accounts import simulation
from gsan_core.services.accounts.debts import DebtReader
from gsan_core.services.batches import BatchSummary, ChunkOutcome, Progress, run_batch
from gsan_core.services.context import Service, ServiceContext

__all__ = ["AccountService"]


class AccountService(Service):
    """``gsan.accounts``: the counter's account services."""

    def __init__(self, context: ServiceContext) -> None:
        super().__init__(context)
        #: Business days already asked, shared by the use cases (ACR-05).
        self._business_days: dict[tuple[date, int | None], bool] = {}

    def _reader(self, uow: UnitOfWork, today: date) -> DebtReader:
        cache = self._business_days
        if len(cache) > 100_000:  # a long-lived service: keep it bounded
            cache.clear()
        return DebtReader(
            uow,
            profile=self.profile,
            calendar=self._ctx.calendar,
            today=today,
            business_days=cache,
        )

    @contextmanager
    def _issuing(self, actor: int, *, defer: bool = True) -> Iterator[docs.Issuing]:
        """A committed unit of work for a counter document (D3): what each
        issuing command is run with, the unit of work committed once the
        document is made (``defer``: its writes sent with the outbox, one
        statement on PostgreSQL)."""
        at = self._now()
        with self._work(defer=defer) as uow:
            yield self._issuing_in(uow, at=at, actor=actor)
            uow.commit()

    def _issuing_in(self, uow: UnitOfWork, *, at: datetime, actor: int) -> docs.Issuing:
        today = self._today(at)
        return docs.Issuing(
            uow=uow,
            reader=self._reader(uow, today),
            profile=self.profile,
            at=at,
            today=today,
            actor=actor,
        )

    # ------------------------------------------------------------ customers
    def load_reference(
        self,
        *,
        power_spheres: Iterable[PowerSphere] = (),
        customer_types: Iterable[CustomerType] = (),
    ) -> None:
        """Load spheres of power and customer types (reference data)."""
        with self._work(defer=True) as uow:
            flows.load_reference(
                uow, power_spheres=power_spheres, customer_types=customer_types
            )
            uow.commit()

    def register_customer(
        self,
        *,
        actor: int,
        name: str,
        customer_type_id: int,
        document: str | None = None,
        responsible_customer_id: int | None = None,
        charges_surcharges: bool = True,
        email: str | None = None,
    ) -> Customer:
        """Register a customer; its CPF/CNPJ (punctuation allowed) is checked
        with ``validate-docbr`` against the type's person kind."""
        at = self._now()
        with self._work(defer=True) as uow:
            added = flows.register(
                uow,
                name=name,
                customer_type_id=customer_type_id,
                document=document,
                responsible_customer_id=responsible_customer_id,
                charges_surcharges=charges_surcharges,
                email=email,
                at=at,
                actor=actor,
            )
            uow.commit()
        return added

    def update_customer(self, customer: Customer, *, actor: int) -> Customer:
        """Store a changed customer (compare-and-set on its version)."""
        at = self._now()
        with self._work(defer=True) as uow:
            changed = flows.check_and_update_customer(uow, customer, at=at, actor=actor)
            uow.commit()
        return changed

    def customer(self, customer_id: int) -> Customer:
        """A customer (``RuleViolation`` when it does not exist)."""
        with self._read() as uow:
            found = uow.customers.find(customer_id)
        if found is None:
            raise RuleViolation([m.CUSTOMER_NOT_FOUND(customer_id=customer_id)])
        return found

    def relate(
        self,
        *,
        actor: int,
        customer_id: int,
        property_id: int,
        relation: RelationType,
        start: date,
        end: date | None = None,
        name_on_bill: bool = False,
    ) -> CustomerProperty:
        """Relate a customer to a property over ``[start, end)``."""
        at = self._now()
        with self._work(defer=True) as uow:
            row = flows.relate(
                uow,
                customer_id=customer_id,
                property_id=property_id,
                relation=relation,
                start=start,
                end=end,
                name_on_bill=name_on_bill,
                at=at,
                actor=actor,
            )
            uow.commit()
        return row

    def end_relation(
        self, *, actor: int, relation_id: int, end: date
    ) -> CustomerProperty:
        """End a relation on ``end`` (the first day it no longer holds)."""
        at = self._now()
        with self._work(defer=True) as uow:
            row = flows.end_relation(
                uow, relation_id=relation_id, end=end, at=at, actor=actor
            )
            uow.commit()
        return row

    def relations(
        self, *, property_id: int | None = None, customer_id: int | None = None
    ) -> list[CustomerProperty]:
        """The relations of a property or of a customer, by start."""
        criteria: dict[str, object] = {}
        if property_id is not None:
            criteria["property_id"] = property_id
        if customer_id is not None:
            criteria["customer_id"] = customer_id
        with self._read() as uow:
            rows = uow.customer_properties.find_by(**criteria)
        return sorted(rows, key=lambda r: (r.start, r.id))

    def hierarchy(self, customer_id: int) -> list[int]:
        """The customer and every customer under it (CNC-05), breadth-first."""
        with self._read() as uow:
            return flows.hierarchy(uow, customer_id)

    # ------------------------------------------------------------ indices
    def inform_index(
        self,
        *,
        actor: int,
        month: int,
        fine_rate: Decimal,
        interest_rate: Decimal,
        fine_monthly: bool = True,
        interest_monthly: bool = True,
        fine_limit: Decimal | None = None,
        interest_limit: Decimal | None = None,
        correction_factor: Decimal | None = None,
        correction_rate: Decimal | None = None,
    ) -> SurchargeIndex:
        """Informar Índices (IDX-01..IDX-06): insert or update one month. The
        factor is given, or computed from the month's correction rate (IDX-04)."""
        at = self._now()
        with self._work(defer=True) as uow:
            uow.lock_key("accounts.surcharge_index")
            existing = list(uow.surcharge_indices.find_by())
            if correction_factor is None and correction_rate is not None:
                previous = IndexTable(existing).latest_before(month)
                correction_factor = factor_from_rate(correction_rate, previous=previous)
            row = SurchargeIndex(
                id=month,
                fine_rate=fine_rate,
                fine_monthly=fine_monthly,
                fine_limit=fine_limit,
                interest_rate=interest_rate,
                interest_monthly=interest_monthly,
                interest_limit=interest_limit,
                correction_factor=correction_factor or Decimal(0),
            )
            ensure_index(row, existing=existing)
            # the month among the table read under the key's lock (no read of
            # its own)
            stored = next((r for r in existing if r.id == month), None)
            if stored is None:
                uow.surcharge_indices.add(row)
            else:  # IDX-05: an existing month is updated in place
                row = attrs.evolve(row, version=stored.version + 1)
                uow.surcharge_indices.update(row)
            uow.record(
                SurchargeIndexChanged(
                    occurred_at=at, actor=actor, month=month, inserted=stored is None
                )
            )
            uow.commit()
        return row

    def index(self, month: int) -> SurchargeIndex:
        """The index of a month (``RuleViolation`` when the month is missing)."""
        with self._read() as uow:
            found = uow.surcharge_indices.find(month)
        if found is None:
            raise RuleViolation([m.INDEX_MONTH_MISSING(month=month)])
        return found

    def indices(self) -> list[SurchargeIndex]:
        """The index table by month."""
        with self._read() as uow:
            return list(IndexTable(uow.surcharge_indices.find_by()).rows)

    # ------------------------------------------------------------ debts
    def open_debts(
        self,
        *,
        property_id: int | None = None,
        customer_id: int | None = None,
        owner: DebtOwner | None = None,
        query: DebtQuery | None = None,
    ) -> AccountDebts:
        """UC0067: the open debts of a property or a customer, with surcharges."""
        today = self._today()
        query = query or DebtQuery()
        with self._read() as uow:
            reader = self._reader(uow, today)
            if customer_id is None:
                if property_id is None:
                    raise RuleViolation([m.PROPERTY_NOT_FOUND(property_id=None)])
                return reader.debts([property_id], query=query)
            if uow.customers.find(customer_id) is None:
                raise RuleViolation([m.CUSTOMER_NOT_FOUND(customer_id=customer_id)])
            relations = uow.customer_properties.find_by(customer_id=customer_id)
            return docs.customer_debts(
                reader,
                relations,
                customer_id=customer_id,
                owner=owner or DebtOwner.CURRENT_PROPERTIES,
                query=query,
            )

    def property_view(self, property_id: int) -> PropertyView:
        """ "Consultar Imóvel": registration, customers, connections and their
        history, meters and their history, requests and orders, debts with
        surcharges, read in a bounded number of statements (one per table,
        whatever the property holds)."""
        today = self._today()
        with self._read() as uow:
            reader = self._reader(uow, today)
            prop = reader.properties([property_id])[property_id]
            relations = reader.relations([property_id])
            customers = uow.customers.get_many({r.customer_id for r in relations})
            debts = reader.debts(
                [property_id],
                query=DebtQuery(),
                properties={property_id: prop},
                relations=relations,
            )
            return PropertyView(
                registration=prop,
                locality=uow.localities.find(prop.locality_id),
                customers=[
                    CustomerLink(relation=r, customer=customers[r.customer_id])
                    for r in sorted(relations, key=lambda r: (r.start, r.id))
                    if r.customer_id in customers
                ],
                water_connection=uow.water_connections.find(property_id),
                sewer_connection=uow.sewer_connections.find(property_id),
                situation_history=uow.situation_history.of_property(property_id),
                meter_history=sorted(
                    uow.hydrometer_installations.find_by(property_id=property_id),
                    key=lambda i: (i.installed_on, i.id),
                ),
                requests=sorted(
                    uow.service_requests.find_by(property_id=property_id),
                    key=lambda r: (r.attended_at, r.id),
                    reverse=True,
                ),
                orders=sorted(
                    uow.service_orders.find_by(property_id=property_id),
                    key=lambda o: (o.generated_at, o.id),
                    reverse=True,
                ),
                debts=debts,
            )

    def surcharges(self, property_id: int) -> list[SurchargeMemo]:
        """ "Memória de Cálculo dos Acréscimos por Impontualidade": one memo per
        open bill of the property."""
        debts = self.open_debts(property_id=property_id)
        return [x.surcharge for x in debts.bills + debts.previous_bills if x.surcharge]

    # ------------------------------------------------------------ documents
    def issue_statement(
        self,
        *,
        actor: int,
        property_id: int,
        selected: Collection[int] | None = None,
        surcharges: SurchargeOption = SurchargeOption.INCLUDE,
        plan_ids: Collection[int] = (),
        anticipate: Mapping[int, int] | None = None,
        cash_payment: bool = False,
    ) -> DebtStatement:
        """Extrato de Débitos (EXT-01..EXT-19): the ticked items (all offered
        when ``selected`` is None), persisted as a collection document.

        ``plan_ids`` ticks whole parcelamentos (their remaining charges less
        their credits); ``anticipate`` pays ahead installments of a plan's
        charge or credit (item id → count, EXT-04). ``cash_payment`` applies
        the parcelamento profile's cash-payment discount to the bills'
        surcharges (EXT-15; the profile's ``extrato.resolucao_diretoria``)."""
        with self._issuing(actor) as run:
            return docs.issue_statement(
                run,
                property_id=property_id,
                selected=selected,
                option=surcharges,
                plan_ids=plan_ids,
                anticipate=anticipate,
                cash_payment=cash_payment,
            )

    def issue_customer_statement(
        self,
        *,
        actor: int,
        customer_id: int,
        relation: RelationType | None = None,
    ) -> CustomerStatement:
        """Extrato de Débitos por Cliente (EXT-20): the statement of every
        current property of the customer and of the customers under it (of
        ``relation`` only, when given), one collection document per property,
        everything offered ticked, acréscimos included, no fee. Properties with
        nothing to list are skipped; none at all is refused."""
        with self._issuing(actor) as run:
            return docs.issue_customer_statement(
                run, customer_id=customer_id, relation=relation
            )

    def issue_bill_copy(
        self,
        *,
        actor: int,
        property_id: int,
        bill_ids: Collection[int] | None = None,
        with_fee: bool = False,
        bill_set: bool = False,
    ) -> BillCopy:
        """Emitir Segunda Via da Conta (UC0482). By default "sem taxa" (the
        menu entry, and after a retification, a parcelamento or a refund);
        ``with_fee=True`` charges the fee of SVS-01/SVS-02 per bill.
        ``bill_set=True`` is the "manter conjunto de contas" mode: with the
        profile's ``segunda_via.bloqueia_contrato_conjunto``, bills tied to an
        active contract of parcelamento are left out (SVS-07)."""
        # its fees are the billing port's own insert: nothing to defer
        with self._issuing(actor, defer=False) as run:
            return docs.issue_bill_copy(
                run,
                property_id=property_id,
                bill_ids=bill_ids,
                with_fee=with_fee,
                bill_set=bill_set,
            )

    def service_contract(
        self, *, property_id: int, customer_id: int, legal: bool = False
    ) -> ServiceContract:
        """Emitir Contrato de Prestação de Serviço (CTR-01..CTR-03): the
        contracting customer must be one of the property's customers; the
        "Jurídico" variant (``legal``) needs a company. Nothing is stored."""
        today = self._today()
        with self._read() as uow:
            prop = uow.properties.find(property_id)
            if prop is None:
                raise RuleViolation(
                    [m.CONTRACT_PROPERTY_NOT_FOUND(property_id=property_id)]
                )
            customer = uow.customers.find(customer_id)
            related = {
                r.customer_id
                for r in uow.customer_properties.find_by(property_id=property_id)
            }
        if customer is None or customer_id not in related:
            raise RuleViolation(
                [
                    m.CONTRACT_CUSTOMER_NOT_OF_PROPERTY(
                        customer_id=customer_id, property_id=property_id
                    )
                ]
            )
        if legal and customer.person_kind is not PersonKind.COMPANY:
            raise RuleViolation([m.CONTRACT_NOT_A_COMPANY(customer_id=customer_id)])
        return ServiceContract(
            property_id=property_id,
            customer_id=customer_id,
            customer_name=customer.name,
            customer_document=customer.document,
            legal=legal,
            locality_id=prop.locality_id,
            sector_id=prop.sector_id,
            block_id=prop.block_id,
            categories=[
                (c.category_id, c.subcategory_id, c.count) for c in prop.categories
            ],
            water_status_id=prop.water_status_id,
            sewer_status_id=prop.sewer_status_id,
            issued_on=today,
        )

    # ------------------------------------------------------------ refunds
    def link_duplicate_payments(
        self, *, actor: int, request_id: int, payment_ids: Collection[int]
    ) -> list[RequestPayment]:
        """Link the property's duplicated payments to a refund RA (§6.1)."""
        at = self._now()
        with self._work(defer=True) as uow:
            rows = refund_flows.link_payments(
                uow,
                request_id=request_id,
                payment_ids=list(payment_ids),
                at=at,
                actor=actor,
            )
            uow.commit()
        return rows

    def refund_requests(
        self,
        *,
        request_id: int | None = None,
        property_id: int | None = None,
        profile_ids: Collection[int] = (),
        attended_from: date | None = None,
        attended_to: date | None = None,
    ) -> list[ServiceRequest]:
        """Filtrar RA Devolução de Valores / de Pagamento em Duplicidade
        (UC1130, DEV-01..DEV-05), by attendance time."""
        with self._read() as uow:
            return refund_flows.find_refund_requests(
                uow,
                request_id=request_id,
                property_id=property_id,
                profile_ids=set(profile_ids),
                attended_from=attended_from,
                attended_to=attended_to,
                local_date=self._local_date,
            )

    def refund(
        self,
        *,
        actor: int,
        request_id: int,
        payment_ids: Sequence[int],
        bill_ids: Sequence[int] = (),
        close: bool = True,
    ) -> RefundResult:
        """Efetuar Devolução (UC1131, DEV-06..DEV-15), in one unit of work:
        credit the ticked payments to the ticked bills, the rest as credits to
        grant, mark the payments refunded and close the RA (``close``)."""
        at = self._now()
        today = self._today(at)
        with self._work(defer=True) as uow:
            result = refund_flows.refund(
                uow,
                self._ctx,
                request_id=request_id,
                payment_ids=payment_ids,
                bill_ids=bill_ids,
                close=close,
                actor=actor,
                at=at,
                today=today,
            )
            uow.commit()
        return result

    def refund_guide_subject(
        self, *, request_id: int | None = None, order_id: int | None = None
    ) -> RefundGuideSubject:
        """DEV-16: check that a Guia de Devolução may be issued from an RA (or
        from a service order's RA) and say for which property or customer.
        The specifications that generate credit (``step_icgeracaocredito``)
        are the profile's role ``specification.generates_credit``. Nothing is
        written: Arrecadação issues the guide."""
        if request_id is None and order_id is None:
            raise RuleViolation([m.GUIDE_SUBJECT_REQUIRED()])
        with self._read() as uow:
            order_request: int | None = None
            if order_id is not None:
                order = uow.service_orders.find(order_id)
                if order is None:
                    raise RuleViolation([m.GUIDE_ORDER_NOT_FOUND(order_id=order_id)])
                order_request = order.request_id
                request_id = order_request if order_request is not None else request_id
            request = (
                None if request_id is None else uow.service_requests.find(request_id)
            )
        generates = request is not None and self.profile.plays(
            refund_rules.CREDIT_SPECIFICATION_ROLE, request.specification_id
        )
        return refund_rules.refund_guide_subject(
            request,
            request_id=request_id,
            order_id=order_id,
            order_request_id=order_request,
            generates_credit=generates,
        )

    def issue_statements(
        self,
        *,
        actor: int,
        property_ids: Sequence[int],
        chunk_size: int = 1_000,
        progress: Progress | None = None,
        key: str = "mailing",
    ) -> BatchSummary:
        """The statements of many properties (a mass mailing), chunked: each
        chunk reads every table once and commits on its own; memory is bounded
        by the chunk. Resumable: a property with a statement issued today is
        skipped. Holds the job ``("statements", key)`` while it runs."""
        ordered = sorted(set(property_ids))
        units = [
            tuple(ordered[i : i + chunk_size])
            for i in range(0, len(ordered), chunk_size)
        ]
        with self._exclusive("statements", key):
            at = self._now()

            def chunk(uow: UnitOfWork, unit: tuple[int, ...]) -> ChunkOutcome:
                return docs.statements_chunk(
                    self._issuing_in(uow, at=at, actor=actor),
                    property_ids=unit,
                    local_date=self._local_date,
                )

            return run_batch(
                job="statements",
                units=units,
                chunk=chunk,
                work=functools.partial(self._work, defer=True),
                progress=progress,
            )

    def collection_documents(self, property_id: int) -> Sequence[CollectionDocument]:
        """The collection documents issued for a property."""
        with self._read() as uow:
            return uow.collection_documents.find_by(property_id=property_id)

    def issue_certificate(self, *, actor: int, property_id: int) -> NoDebtCertificate:
        """Certidão Negativa de Débitos of a property (CND-01..CND-11)."""
        with self._issuing(actor) as run:
            return docs.issue_property_certificate(run, property_id=property_id)

    def issue_customer_certificate(
        self,
        *,
        actor: int,
        customer_id: int,
        scope: DebtOwner = DebtOwner.BILLED_CUSTOMER,
    ) -> NoDebtCertificate:
        """Certidão Negativa por Cliente (CNC-01..CNC-07); ``scope`` is the
        "Responsável" option (CNC-04)."""
        with self._issuing(actor) as run:
            return docs.issue_customer_certificate(
                run, customer_id=customer_id, owner=scope
            )

    # ------------------------------------------------------------ simulation
    def simulate_service_charge(
        self,
        *,
        property_id: int,
        service_type_id: int,
        measurement: MeasurementPoint = MeasurementPoint.WATER_CONNECTION,
    ) -> Decimal:
        """ "Simular Cobrança de Serviços" (SIM-01): the value the service would
        be charged at today for the property, by the service orders' price
        lookup (``measurement``: GSAN's tipo de medição, the water connection's
        meter or the well's). Nothing is written."""
        today = self._today()
        with self._read() as uow:
            return simulation.simulate_charge(
                uow,
                property_id=property_id,
                service_type_id=service_type_id,
                measurement=measurement,
                on=today,
            )

    def service_table(self) -> list[ServiceType]:
        """ "Tabela de Valores de Serviços Comerciais" (SIM-02): the active
        service types with a base value above zero, by description."""
        with self._read() as uow:
            return simulation.service_table(uow)

    def verify_certificate(
        self, *, property_id: int | None, authentication_code: str
    ) -> CertificateVerification:
        """CND-11: check a printed authentication code (``RuleViolation`` when it
        does not verify)."""
        today = self._today()
        wanted = authentication_code.strip().upper()
        with self._read() as uow:
            found = (
                uow.certificates.find_by(
                    property_id=property_id, authentication_code=wanted
                )
                if property_id is not None and wanted
                else []
            )
        return document_rules.verify_certificate(
            found[0] if found else None,
            property_id=property_id,
            code=wanted,
            today=today,
        )
