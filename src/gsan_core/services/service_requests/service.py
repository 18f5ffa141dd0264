"""The service-request façade (``gsan.service_requests``): one unit of work per
call over the flows of this package."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from gsan_core.errors import RuleViolation, Violation
from gsan_core.model.service_orders import ServiceOrder
from gsan_core.model.service_requests import (
    ClosingCommand,
    ClosingCommandExecuted,
    ManualNumberBlock,
    OpenRequest,
    OperationalOccurrence,
    RegulatorRecord,
    RegulatorSituation,
    RequestChange,
    Requester,
    RequestLocation,
    RequestSituation,
    RoutingStep,
    SatisfactionSurvey,
    ServiceRequest,
    SimplifiedKind,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import request_routing as routing
from gsan_core.rules import service_requests as rules
from gsan_core.rules.service_orders import ChargeRequest
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import (
    LOCALITIES_PER_CHUNK,
    BatchSummary,
    ChunkOutcome,
    Progress,
    run_batch,
    taken,
)
from gsan_core.services.context import Service, ServiceContext
from gsan_core.services.service_requests import batches, registry
from gsan_core.services.service_requests.configuration import (
    RequestConfigurationService,
)
from gsan_core.services.service_requests.forwarding import (
    JointMove,
    forward_in,
    read_for_forwarding,
)
from gsan_core.services.service_requests.lifecycle import (
    close_request_in,
    open_in,
    reactivate_in,
)
from gsan_core.services.service_requests.maintenance import update_request_in
from gsan_core.services.service_requests.opening import generate_order_in
from gsan_core.services.service_requests.place import suggest_in
from gsan_core.services.service_requests.registry import SimplifiedResult
from gsan_core.services.service_requests.results import (
    ForwardResult,
    OpeningResult,
    RequestClosingResult,
    RequestDetails,
)
from gsan_core.services.service_requests.updates import reiterate_in, update_location_in


class ServiceRequestService(Service):
    """``gsan.service_requests``: the RA lifecycle, its queries and its batches."""

    def __init__(self, context: ServiceContext) -> None:
        super().__init__(context)
        #: Specifications, situation profiles and routing associations.
        self.configuration = RequestConfigurationService(context)

    # ------------------------------------------------------------ opening
    def open(
        self,
        *,
        specification_id: int,
        unit_id: int,
        channel_id: int,
        actor: int,
        attended_at: datetime | None = None,
        location: RequestLocation | None = None,
        requesters: Iterable[Requester] = (),
        observation: str | None = None,
        destination_unit_id: int | None = None,
        remark: str | None = None,
        manual_number: str | None = None,
        wait_started_at: datetime | None = None,
        wait_ended_at: datetime | None = None,
        protocol: str | None = None,
        submission_key: str | None = None,
        duplicate_payment_ids: Iterable[int] = (),
        last_due_date_change_on: date | None = None,
        responsible: Requester | None = None,
    ) -> OpeningResult:
        """Inserir Registro de Atendimento (UC0366, INS-01..INS-25).

        Returns the request, its opening step, the routing reason, the OS generated
        automatically, the soft warnings and, for an automatically closed
        specification, the closing. Raises ``RuleViolation`` with every problem
        (nothing written).
        """
        return self.submit(
            OpenRequest(
                specification_id=specification_id,
                unit_id=unit_id,
                channel_id=channel_id,
                attended_at=attended_at,
                location=location if location is not None else RequestLocation(),
                requesters=requesters,
                observation=observation,
                destination_unit_id=destination_unit_id,
                remark=remark,
                manual_number=manual_number,
                wait_started_at=wait_started_at,
                wait_ended_at=wait_ended_at,
                protocol=protocol,
                submission_key=submission_key,
                duplicate_payment_ids=duplicate_payment_ids,
                last_due_date_change_on=last_due_date_change_on,
                responsible=responsible,
            ),
            actor=actor,
        )

    def submit(self, command: OpenRequest, *, actor: int) -> OpeningResult:
        """Open a request from its serialisable command."""
        at = self._now()
        with self._work(defer=True) as uow:
            if command.location.property_id is not None:
                uow.read_ahead("open_request", command.location.property_id)
            result = open_in(uow, self._ctx, command, actor=actor, at=at)
            uow.commit()
        return result

    def check_open(
        self, command: OpenRequest, *, actor: int
    ) -> tuple[tuple[Violation, ...], tuple[Violation, ...]]:
        """GSAN's "validate for display": ``(violations, warnings)`` of opening,
        with nothing written."""
        at = self._now()
        # the opening's joined read, not locked (nothing is written: the
        # writes, deferred, are dropped at the rollback)
        with self._work(defer=True) as uow:
            if command.location.property_id is not None:
                uow.read_ahead("check_open_request", command.location.property_id)
            try:
                result = open_in(uow, self._ctx, command, actor=actor, at=at)
            except RuleViolation as refused:
                return refused.violations, ()
            return (), result.warnings

    def suggest_destination(
        self, *, specification_id: int, location: RequestLocation
    ) -> routing.Destination:
        """The destination a new request would get (§2.2), and why."""
        with self._work() as uow:
            return suggest_in(
                uow,
                self._ctx,
                specification_id=specification_id,
                location=location,
            )

    def generate_order(
        self,
        *,
        request_id: int,
        service_type_id: int,
        actor: int,
        observation: str | None = None,
        reference_order_id: int | None = None,
        reference_service_type_id: int | None = None,
        priority_id: int | None = None,
    ) -> ServiceOrder:
        """Gerar Ordem de Serviço for a request (the optional OS of INS-20).

        A diagnosis or inspection OS names the OS it refers to
        (``reference_order_id``: GEN-06 requires it for those types, GEN-07 of the
        same RA; GEN-09 puts the referred OS on hold until it is released);
        ``reference_service_type_id`` is the type an approved return generates
        (REF-07).
        """
        # its reads come first: the order, its unit history and the outbox
        # go together at the commit (PostgreSQL)
        with self._work(defer=True) as uow:
            order = generate_order_in(
                uow,
                self._ctx,
                request_id=request_id,
                service_type_id=service_type_id,
                actor=actor,
                at=self._now(),
                observation=observation,
                reference_order_id=reference_order_id,
                reference_service_type_id=reference_service_type_id,
                priority_id=priority_id,
            )
            uow.commit()
        return order

    # ------------------------------------------------------------ forwarding
    def forward(
        self,
        *,
        request_id: int,
        destination_unit_id: int,
        actor: int,
        at: datetime | None = None,
        responsible_id: int | None = None,
        remark: str | None = None,
        expected_version: int | None = None,
    ) -> ForwardResult:
        """Tramitar RA (UC0427, TRM-01..TRM-15): the request and all its orders move
        to the destination unit."""
        now = self._now()
        with self._work(defer=True) as uow:
            uow.read_ahead("forward_request", request_id)
            result = forward_in(
                uow,
                self._ctx,
                request_id=request_id,
                destination_unit_id=destination_unit_id,
                actor=actor,
                now=now,
                at=at,
                responsible_id=responsible_id,
                remark=remark,
                expected_version=expected_version,
            )
            uow.commit()
        return result

    def forward_many(
        self,
        *,
        request_ids: Sequence[int],
        destination_unit_id: int,
        actor: int,
        at: datetime | None = None,
        responsible_id: int | None = None,
        remark: str | None = None,
    ) -> list[ForwardResult]:
        """Tramitação em conjunto (UC0503): all requests or none; a refusal lists
        the first failure of every request that cannot go."""
        now = self._now()
        ids = list(request_ids)
        # a request named twice moves twice, one after the other: read and
        # written request by request (otherwise set-based: issue 20)
        together = len(set(ids)) == len(ids)
        with self._work(defer=True) as uow:
            # locked in id order, so that two joint forwardings cannot deadlock
            if together:
                known = read_for_forwarding(uow, ids)
                batch: JointMove | None = JointMove()
            else:
                uow.service_requests.lock_many(ids)
                known, batch = None, None
            results: list[ForwardResult] = []
            refused: list[Violation] = []
            for request_id in ids:
                try:
                    results.append(
                        forward_in(
                            uow,
                            self._ctx,
                            request_id=request_id,
                            destination_unit_id=destination_unit_id,
                            actor=actor,
                            now=now,
                            at=at,
                            responsible_id=responsible_id,
                            remark=remark,
                            joint=True,
                            known=known,
                            batch=batch,
                        )
                    )
                except RuleViolation as error:
                    refused += error.violations
            ensure(refused)
            if batch is not None:
                batch.write(uow)
            uow.commit()
        return results

    # ------------------------------------------------------------ closing
    def close(
        self,
        *,
        request_id: int,
        reason_id: int | None,
        actor: int,
        closed_at: datetime | None = None,
        remark: str | None = None,
        duplicate_of_id: int | None = None,
        charge: ChargeRequest | None = None,
        charge_value: Decimal | None = None,
        expected_version: int | None = None,
        open_new_request: bool = False,
    ) -> RequestClosingResult:
        """Encerrar RA (UC0435, ENC-01..ENC-15). A reason "not executed" closes
        every open order of the request too; ``open_new_request`` accepts the
        specification's offer of a new request (ENC-15)."""
        now = self._now()
        with self._work(defer=True) as uow:
            uow.read_ahead("close_request", request_id)
            result = close_request_in(
                uow,
                self._ctx,
                request_id=request_id,
                reason_id=reason_id,
                actor=actor,
                now=now,
                closed_at=closed_at,
                remark=remark,
                duplicate_of_id=duplicate_of_id,
                charge=charge,
                charge_value=charge_value,
                expected_version=expected_version,
                open_new_request=open_new_request,
            )
            uow.commit()
        return result

    def reactivate(
        self,
        *,
        request_id: int,
        reason_id: int | None,
        unit_id: int,
        channel_id: int,
        actor: int,
        attended_at: datetime | None = None,
        destination_unit_id: int | None = None,
        remark: str | None = None,
        observation: str | None = None,
    ) -> OpeningResult:
        """Reativar RA (UC0426, REA-01..REA-06): a new pending request linked to the
        closed one."""
        now = self._now()
        with self._work(defer=True) as uow:
            result = reactivate_in(
                uow,
                self._ctx,
                request_id=request_id,
                reason_id=reason_id,
                unit_id=unit_id,
                channel_id=channel_id,
                actor=actor,
                now=now,
                attended_at=attended_at,
                destination_unit_id=destination_unit_id,
                remark=remark,
                observation=observation,
            )
            uow.commit()
        return result

    def reiterate(
        self,
        *,
        request_id: int,
        actor: int,
        requester_name: str | None = None,
        phone: str | None = None,
        remark: str | None = None,
        expected_version: int | None = None,
    ) -> ServiceRequest:
        """Reiterar RA (UC0425, REI-01..REI-04)."""
        now = self._now()
        with self._work(defer=True) as uow:
            request, _ = reiterate_in(
                uow,
                self._ctx,
                request_id=request_id,
                actor=actor,
                now=now,
                requester_name=requester_name,
                phone=phone,
                remark=remark,
                expected_version=expected_version,
            )
            uow.commit()
        return request

    def update_location(
        self,
        *,
        request_id: int,
        location: RequestLocation,
        actor: int,
        expected_version: int | None = None,
    ) -> ServiceRequest:
        """Change the place of the occurrence (UPD-01..UPD-08): a structured address
        unblocks a blocked request."""
        now = self._now()
        with self._work() as uow:
            request = update_location_in(
                uow,
                self._ctx,
                request_id=request_id,
                location=location,
                actor=actor,
                now=now,
                expected_version=expected_version,
            )
            uow.commit()
        return request

    def update(
        self,
        *,
        request_id: int,
        actor: int,
        specification_id: int | None = None,
        unit_id: int | None = None,
        requesters: Iterable[Requester] | None = None,
        location: RequestLocation | None = None,
        observation: str | None = None,
        due_date: date | None = None,
        expected_version: int | None = None,
    ) -> ServiceRequest:
        """Manter Registro de Atendimento (UC0408, UPD-01..UPD-09): change the
        specification, the attendance unit, the requesters, the place, the
        observation or the deadline of an open request. ``None`` leaves a field
        as it is. A closed request is refused (UPD-03,
        ``atencao.registro_atendimento_situacao``); nothing is written on any
        violation."""
        return self.execute_change(
            request_id=request_id,
            change=RequestChange(
                specification_id=specification_id,
                unit_id=unit_id,
                requesters=None if requesters is None else tuple(requesters),
                location=location,
                observation=observation,
                due_date=due_date,
            ),
            actor=actor,
            expected_version=expected_version,
        )

    def execute_change(
        self,
        *,
        request_id: int,
        change: RequestChange,
        actor: int,
        expected_version: int | None = None,
    ) -> ServiceRequest:
        """:meth:`update` from its serialisable command (its writes and the
        outbox's one statement on PostgreSQL)."""
        now = self._now()
        with self._work(defer=True) as uow:
            if change.location is None:  # (a new place locks another property)
                uow.read_ahead("update_request", request_id)
            request = update_request_in(
                uow,
                self._ctx,
                request_id=request_id,
                change=change,
                actor=actor,
                now=now,
                expected_version=expected_version,
            )
            uow.commit()
        return request

    # ------------------------------------------------------------ queries
    def get(self, id: int) -> ServiceRequest:
        """One request; ``NotFound`` if absent."""
        with self._read() as uow:
            return uow.service_requests.get(id)

    def find_by(self, **criteria: object) -> Sequence[ServiceRequest]:
        """Requests whose fields equal the criteria (a collection means "in")."""
        with self._read() as uow:
            return uow.service_requests.find_by(**criteria)

    def history(self, request_id: int) -> tuple[RoutingStep, ...]:
        """The routing steps of a request, oldest first."""
        with self._read() as uow:
            steps = uow.routing_steps.find_by(request_id=request_id)
        return tuple(sorted(steps, key=lambda s: (s.at, s.id)))

    def details(self, request_id: int) -> RequestDetails:
        """A request with its routing history, orders and reiterations."""
        with self._read() as uow:
            request = uow.service_requests.get(request_id)
            steps = uow.routing_steps.find_by(request_id=request_id)
            orders = uow.service_orders.find_by(request_id=request_id)
            reiterations = uow.reiterations.find_by(request_id=request_id)
            successors = uow.service_requests.find_by(reactivation_of_id=request_id)
        return RequestDetails(
            request=request,
            steps=tuple(sorted(steps, key=lambda s: (s.at, s.id))),
            orders=tuple(orders),
            reiterations=tuple(reiterations),
            previous_id=request.reactivation_of_id,
            successor_id=successors[0].id if successors else None,
        )

    def pending_of_unit(self, unit_id: int) -> Sequence[ServiceRequest]:
        """The open (pending and blocked) requests now in a unit."""
        with self._read() as uow:
            return uow.service_requests.find_by(
                current_unit_id=unit_id,
                situation=[RequestSituation.PENDING, RequestSituation.BLOCKED],
            )

    def overdue(
        self, *, unit_id: int | None = None, today: date | None = None
    ) -> Sequence[ServiceRequest]:
        """Open requests whose current deadline is before ``today`` (the utility's
        today by default), earliest first."""
        day = today if today is not None else self._today()
        with self._read() as uow:
            return uow.service_requests.overdue(today=day, unit_id=unit_id)

    def has_open_request(self, *, property_id: int, validation_code: str) -> bool:
        """EspecificacaoTipoValidacao (§1.7): whether the property has an open
        request whose specification allows ``validation_code`` ("I" cadastral
        update, "C" bill change, "V" due date, "T" debt transfer)."""
        with self._read() as uow:
            open_requests = uow.service_requests.find_by(
                property_id=property_id,
                situation=[RequestSituation.PENDING, RequestSituation.BLOCKED],
            )
            specs = uow.request_specifications.get_many(
                {r.specification_id for r in open_requests}
            )
        return any(validation_code in spec.validation_codes for spec in specs.values())

    # ------------------------------------------------------------ numbering
    def generate_manual_numbers(
        self, *, unit_id: int, quantity: int, actor: int
    ) -> tuple[ManualNumberBlock, tuple[str, ...]]:
        """Gerar Numeração de RA Manual (UC0494, NUM-01..NUM-03)."""
        with self._work() as uow:
            result = registry.generate_manual_numbers_in(
                uow,
                self._ctx,
                unit_id=unit_id,
                quantity=quantity,
                actor=actor,
                at=self._now(),
            )
            uow.commit()
        return result

    # ------------------------------------------------------------ occurrences
    def register_occurrence(
        self, occurrence: OperationalOccurrence, *, actor: int
    ) -> OperationalOccurrence:
        """Inserir Ocorrência Operacional (a registered outage)."""
        with self._work() as uow:
            new = registry.register_occurrence_in(
                uow, occurrence, actor=actor, at=self._now()
            )
            uow.commit()
        return new

    def conclude_occurrence(
        self,
        *,
        occurrence_id: int,
        actor: int,
        concluded_at: datetime | None = None,
        observation: str | None = None,
    ) -> OperationalOccurrence:
        """The outage ended."""
        now = self._now()
        with self._work() as uow:
            changed = registry.conclude_occurrence_in(
                uow,
                occurrence_id=occurrence_id,
                concluded_at=concluded_at if concluded_at is not None else now,
                actor=actor,
                at=now,
                observation=observation,
            )
            uow.commit()
        return changed

    def update_occurrence(
        self,
        occurrence: OperationalOccurrence,
        *,
        actor: int,
        expected_version: int | None = None,
    ) -> OperationalOccurrence:
        """Manter Ocorrência Operacional: store a changed occurrence (an
        ``attrs.evolve`` of one read): its description, areas, forecast, place,
        type or reason; a concluded one does not change."""
        with self._work() as uow:
            changed = registry.update_occurrence_in(
                uow,
                occurrence,
                actor=actor,
                at=self._now(),
                expected_version=expected_version,
            )
            uow.commit()
        return changed

    def remove_occurrence(
        self, *, occurrence_id: int, actor: int, expected_version: int | None = None
    ) -> OperationalOccurrence:
        """Remove an occurrence no request refers to; returns it as it was."""
        with self._work() as uow:
            removed = registry.remove_occurrence_in(
                uow,
                occurrence_id=occurrence_id,
                actor=actor,
                at=self._now(),
                expected_version=expected_version,
            )
            uow.commit()
        return removed

    def open_occurrences(self) -> Sequence[OperationalOccurrence]:
        """The outages not concluded yet."""
        with self._read() as uow:
            return uow.occurrences.find_by(concluded_at=None)

    def open_simplified(
        self,
        *,
        kind: SimplifiedKind,
        name: str | None,
        actor: int,
        cpf: str | None = None,
        identity: tuple[str | None, str | None, str | None] = (None, None, None),
        phone: str | None = None,
        occurrence_id: int | None = None,
        reference: str | None = None,
        observation: str | None = None,
        text: str | None = None,
        protocol: str | None = None,
    ) -> SimplifiedResult:
        """Inserir RA Simplificado (UC1530, SIMP-01..SIMP-07)."""
        with self._work() as uow:
            result = registry.open_simplified_in(
                uow,
                self._ctx,
                kind=kind,
                name=name,
                actor=actor,
                now=self._now(),
                cpf=cpf,
                identity=identity,
                phone=phone,
                occurrence_id=occurrence_id,
                reference=reference,
                observation=observation,
                text=text,
                protocol=protocol,
            )
            uow.commit()
        return result

    # ------------------------------------------------------------ survey
    def answer_survey(
        self,
        *,
        request_id: int,
        well_served: bool | None,
        resolved: bool | None,
        field_team_contact: bool | None,
        grade: int | None,
        actor: int,
        well_served_comment: str | None = None,
        resolved_comment: str | None = None,
        field_team_comment: str | None = None,
        comment: str | None = None,
    ) -> SatisfactionSurvey:
        """Registrar Pesquisa de Satisfação (UC1181, SAT-03, SAT-04)."""
        with self._work() as uow:
            survey = registry.answer_survey_in(
                uow,
                request_id=request_id,
                well_served=well_served,
                resolved=resolved,
                field_team_contact=field_team_contact,
                grade=grade,
                actor=actor,
                at=self._now(),
                well_served_comment=well_served_comment,
                resolved_comment=resolved_comment,
                field_team_comment=field_team_comment,
                comment=comment,
            )
            uow.commit()
        return survey

    # ------------------------------------------------------------ regulator
    def record_regulator_complaint(
        self,
        *,
        request_id: int,
        protocol_number: str | None,
        complaint_reason_id: int | None,
        current_forecast: date | None,
        actor: int,
        complaint: str | None = None,
        contact_name: str | None = None,
        contact_email: str | None = None,
        contact_phone: str | None = None,
    ) -> RegulatorRecord:
        """Informar Dados da Agência Reguladora (ARG-01..ARG-05)."""
        with self._work() as uow:
            record = registry.record_regulator_complaint_in(
                uow,
                self._ctx,
                request_id=request_id,
                protocol_number=protocol_number,
                complaint_reason_id=complaint_reason_id,
                current_forecast=current_forecast,
                actor=actor,
                at=self._now(),
                complaint=complaint,
                contact_name=contact_name,
                contact_email=contact_email,
                contact_phone=contact_phone,
            )
            uow.commit()
        return record

    def record_regulator_return(
        self,
        *,
        record_id: int,
        return_reason_id: int | None,
        actor: int,
        return_text: str | None = None,
    ) -> RegulatorRecord:
        """Informar Retorno para Agência Reguladora (ARG-07)."""
        with self._work() as uow:
            record = registry.record_regulator_return_in(
                uow,
                record_id=record_id,
                return_reason_id=return_reason_id,
                actor=actor,
                at=self._now(),
                return_text=return_text,
            )
            uow.commit()
        return record

    def regulator_records(
        self,
        *,
        request_id: int | None = None,
        complaint_reason_id: int | None = None,
        closing_reason_id: int | None = None,
        situation: RegulatorSituation | None = None,
        request_situation: RequestSituation | None = None,
        return_reason_id: int | None = None,
        complained_from: datetime | None = None,
        complained_until: datetime | None = None,
        returned_from: datetime | None = None,
        returned_until: datetime | None = None,
    ) -> list[RegulatorRecord]:
        """Consultar RA Dados Agência Reguladora (ARG-06): at least one filter."""
        criteria = {
            key: value
            for key, value in (
                ("request_id", request_id),
                ("complaint_reason_id", complaint_reason_id),
                ("closing_reason_id", closing_reason_id),
                ("situation", situation),
                ("request_situation", request_situation),
                ("return_reason_id", return_reason_id),
            )
            if value is not None
        }
        periods = (complained_from, complained_until, returned_from, returned_until)
        if not criteria and all(p is None for p in periods):
            ensure([rules.REGULATOR_NO_FILTER()])
        with self._read() as uow:
            records = uow.regulator_records.find_by(**criteria)
        return registry.filter_regulator_records(
            records,
            complained_from=complained_from,
            complained_until=complained_until,
            returned_from=returned_from,
            returned_until=returned_until,
        )

    # ------------------------------------------------------------ batch closing
    def issue_closing_command(
        self,
        *,
        period_start: date,
        period_end: date,
        reason_id: int,
        responsible_id: int,
        actor: int,
        attendance_unit_id: int | None = None,
        current_unit_id: int | None = None,
        superior_unit_id: int | None = None,
        specification_ids: Iterable[int] = (),
    ) -> ClosingCommand:
        """Comandar Encerramento de RA (UC0735, CMD-01..CMD-05)."""
        with self._work() as uow:
            command = batches.issue_command_in(
                uow,
                self._ctx,
                period_start=period_start,
                period_end=period_end,
                reason_id=reason_id,
                responsible_id=responsible_id,
                actor=actor,
                at=self._now(),
                attendance_unit_id=attendance_unit_id,
                current_unit_id=current_unit_id,
                superior_unit_id=superior_unit_id,
                specification_ids=specification_ids,
            )
            uow.commit()
        return command

    def closing_command(self, id: int) -> ClosingCommand:
        """One batch closing command with its counters."""
        with self._read() as uow:
            return uow.closing_commands.get(id)

    def execute_closing_command(
        self,
        *,
        command_id: int,
        actor: int,
        progress: Progress | None = None,
        localities_per_chunk: int = LOCALITIES_PER_CHUNK,
    ) -> BatchSummary:
        """Execute a command (UC0736, CMD-06, CMD-07), one unit of work per
        ``localities_per_chunk`` localities (1 is GSAN's split; each locality
        is closed as on its own). Run it again after an interruption: it
        resumes where it stopped and never closes a request twice."""
        with self._exclusive("request closing command", f"command {command_id}"):
            now = self._now()
            with self._work() as uow:
                command = uow.closing_commands.get(command_id)
                scope = batches.closing_scope(uow, self._ctx, command)
                localities = (
                    []
                    if command.executed
                    else list(
                        uow.service_requests.closing_localities(
                            since=scope.since, until=scope.until
                        )
                    )
                )
                if command.started_at is None:
                    uow.closing_commands.update(batches.started(command, now))
                    uow.commit()

            def chunk(
                chunk_uow: UnitOfWork, locality_ids: tuple[int | None, ...]
            ) -> ChunkOutcome:
                # several localities per unit of work (issue 20): closed
                # together (one statement where the store writes set-based),
                # the chunk commits once
                outcome = batches.close_chunk_in(
                    chunk_uow,
                    self._ctx,
                    command_id=command_id,
                    locality_ids=locality_ids,
                    scope=scope,
                    actor=actor,
                    now=now,
                    commit=False,
                )
                if outcome.changed:
                    chunk_uow.commit()
                return outcome

            summary = run_batch(
                job=f"request_closing_command:{command_id}",
                units=taken(localities, localities_per_chunk),
                chunk=chunk,
                work=self._work,
                progress=progress,
            )
            with self._work() as uow:
                command = uow.closing_commands.get(command_id)
                if not command.executed:
                    finished = batches.finished(command, self._now())
                    uow.closing_commands.update(finished)
                    uow.record(
                        ClosingCommandExecuted(
                            occurred_at=finished.finished_at or now,
                            actor=actor,
                            command_id=command_id,
                            closed_requests=finished.closed_requests,
                            closed_orders=finished.closed_orders,
                        )
                    )
                    uow.commit()
            return summary
