"""The service request (RA) itself: its requesters, its location, and the
command that opens one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.service_requests.enums import RequestSituation, _aware


# ---------------------------------------------------------------- the request
@attrs.frozen(kw_only=True)
class Requester:
    """Who asked (``registro_atendimento_solicitante``): a customer, a unit with
    its employee, or a free name."""

    customer_id: int | None = None
    unit_id: int | None = None
    #: The employee (a user of ``unit_id``).
    employee_id: int | None = None
    name: str | None = None
    #: CPF or CNPJ digits of the customer (INS-19).
    document: str | None = None
    #: A non-customer's address, as typed.
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    #: ``indicadorEnvioEmailPesquisa``: wants the satisfaction survey (SAT-01).
    survey_opt_in: bool = False
    principal: bool = True


@attrs.frozen(kw_only=True)
class RequestLocation:
    """Where the occurrence is: structured data, or only a free-text description."""

    property_id: int | None = None
    locality_id: int | None = None
    sector_id: int | None = None
    block_id: int | None = None
    sewer_division_id: int | None = None
    municipality_id: int | None = None
    neighbourhood_id: int | None = None
    #: ``brar_id``: the neighbourhood area (outage requests).
    area_id: int | None = None
    #: ``lgbr_id``: the street (logradouro-bairro).
    street_id: int | None = None
    number: str | None = None
    complement: str | None = None
    reference_point: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    #: ``rgat_dslocalocorrencia``: free text; alone, it blocks the request (INS-15).
    description: str | None = None

    @property
    def structured(self) -> bool:
        """Any structured datum was given (INS-07)."""
        return any(
            value is not None
            for value in (
                self.property_id,
                self.locality_id,
                self.sector_id,
                self.block_id,
                self.sewer_division_id,
                self.municipality_id,
                self.neighbourhood_id,
                self.area_id,
                self.street_id,
                self.street_pavement_id,
                self.sidewalk_pavement_id,
            )
        )


def _requesters(value: Iterable[Requester]) -> tuple[Requester, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ServiceRequest:
    """A service request (``registro_atendimento``).

    The place of the occurrence is stored flat (so batches select by locality);
    :attr:`location` gives it back as a :class:`RequestLocation`. The units that
    opened and closed it (GSAN's ``ra_unidade`` rows of relation 1 and 3) are kept
    on the request itself.
    """

    id: int
    specification_id: int
    situation: RequestSituation = RequestSituation.PENDING
    #: ``rgat_tmregistroatendimento``: the attendance instant.
    attended_at: datetime = attrs.field(validator=_aware)
    #: ``rgat_icatendimentoonline``: on-line (now) or typed from a paper form.
    online: bool = True
    #: ``rgat_idmanual``: the manual number with its check digit (NUM rules).
    manual_number: int | None = None
    wait_started_at: datetime | None = attrs.field(default=None, validator=_aware)
    wait_ended_at: datetime | None = attrs.field(default=None, validator=_aware)
    original_due_date: date
    current_due_date: date
    channel_id: int
    #: The attendance protocol (year + origin + sequence); kept on reactivation.
    protocol: str
    property_id: int | None = None
    locality_id: int | None = None
    sector_id: int | None = None
    block_id: int | None = None
    sewer_division_id: int | None = None
    municipality_id: int | None = None
    neighbourhood_id: int | None = None
    area_id: int | None = None
    street_id: int | None = None
    address_number: str | None = None
    address_complement: str | None = None
    reference_point: str | None = None
    street_pavement_id: int | None = None
    sidewalk_pavement_id: int | None = None
    #: ``rgat_dslocalocorrencia``: the free-text place.
    location_description: str | None = None
    observation: str | None = None
    requesters: tuple[Requester, ...] = attrs.field(
        factory=tuple, converter=_requesters
    )
    #: The unit and user that opened it (``ra_unidade`` relation 1).
    opening_unit_id: int
    opened_by: int
    #: ``unid_idatual``: the destination of its last routing step.
    current_unit_id: int
    closed_at: datetime | None = attrs.field(default=None, validator=_aware)
    closing_reason_id: int | None = None
    closing_remark: str | None = None
    #: The unit and user that closed it (``ra_unidade`` relation 3).
    closing_unit_id: int | None = None
    closed_by: int | None = None
    #: ``rgat_idduplicidade``: the reference request of a duplicate.
    duplicate_of_id: int | None = None
    non_charge_reason_id: int | None = None
    #: ``rgat_idreativacao``: the closed request this one reactivates.
    reactivation_of_id: int | None = None
    reactivation_reason_id: int | None = None
    reiterations: int = 0
    last_reiterated_at: datetime | None = attrs.field(default=None, validator=_aware)
    #: The operational occurrence of a simplified request (SIMP-03).
    occurrence_id: int | None = None
    urgent: bool = False
    #: The caller's idempotency key: a second opening with it is refused (INS-21).
    submission_key: str | None = None
    version: int = 1

    @property
    def is_open(self) -> bool:
        """Not closed (pending or blocked)."""
        return self.situation is not RequestSituation.CLOSED

    @property
    def location(self) -> RequestLocation:
        """The place of the occurrence."""
        return RequestLocation(
            property_id=self.property_id,
            locality_id=self.locality_id,
            sector_id=self.sector_id,
            block_id=self.block_id,
            sewer_division_id=self.sewer_division_id,
            municipality_id=self.municipality_id,
            neighbourhood_id=self.neighbourhood_id,
            area_id=self.area_id,
            street_id=self.street_id,
            number=self.address_number,
            complement=self.address_complement,
            reference_point=self.reference_point,
            street_pavement_id=self.street_pavement_id,
            sidewalk_pavement_id=self.sidewalk_pavement_id,
            description=self.location_description,
        )

    def __repr__(self) -> str:
        return short_repr(
            self,
            "situation",
            "specification_id",
            "property_id",
            "current_unit_id",
            "current_due_date",
        )

    def _repr_html_(self) -> str:
        return html_of(self)


def _frozen_ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class OpenRequest:
    """The "Inserir RA" form (UC0366) as one serialisable command."""

    specification_id: int
    #: The attendance unit (``unidade de atendimento``).
    unit_id: int
    channel_id: int
    #: ``None``: an on-line attendance, now. A date and time typed from a paper
    #: form otherwise (may carry a manual number).
    attended_at: datetime | None = attrs.field(default=None, validator=_aware)
    location: RequestLocation = attrs.field(factory=RequestLocation)
    requesters: tuple[Requester, ...] = attrs.field(
        factory=tuple, converter=_requesters
    )
    observation: str | None = None
    #: The destination chosen by the user (overrides the suggestion, except a
    #: large consumer's unit).
    destination_unit_id: int | None = None
    #: The remark of the opening routing step.
    remark: str | None = None
    #: The manual number with its check digit, as typed (NUM-04..07).
    manual_number: str | None = None
    wait_started_at: datetime | None = attrs.field(default=None, validator=_aware)
    wait_ended_at: datetime | None = attrs.field(default=None, validator=_aware)
    #: Reuse an attendance protocol (a simplified request redirected here).
    protocol: str | None = None
    #: An idempotency key: opening twice with it is refused (INS-21).
    submission_key: str | None = None
    #: Duplicated payments linked to the request (INS-14).
    duplicate_payment_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_frozen_ids
    )
    #: When the property's due date last changed (INS-13).
    last_due_date_change_on: date | None = None
    #: The property's responsible customer, when the specification validates
    #: its document (INS-19); ``None``: the property has none.
    responsible: Requester | None = None


@attrs.frozen(kw_only=True)
class RequestChange:
    """The "Manter Registro de Atendimento" form (UC0408): what changes on an open
    request. ``None`` leaves a field as it is."""

    #: A new specification (the request type goes with it); the deadline is
    #: recomputed from the attendance date unless ``due_date`` is given.
    specification_id: int | None = None
    #: The attendance unit (``ra_unidade`` relation 1); the current unit stays.
    unit_id: int | None = None
    #: The requesters, replacing the ones recorded.
    requesters: tuple[Requester, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_requesters)
    )
    #: The place of the occurrence.
    location: RequestLocation | None = None
    observation: str | None = None
    #: The deadline typed on the form: overwrites the original and current ones.
    due_date: date | None = None


def location_fields(location: RequestLocation) -> dict[str, Any]:
    """The :class:`ServiceRequest` fields of a :class:`RequestLocation`."""
    return {
        "property_id": location.property_id,
        "locality_id": location.locality_id,
        "sector_id": location.sector_id,
        "block_id": location.block_id,
        "sewer_division_id": location.sewer_division_id,
        "municipality_id": location.municipality_id,
        "neighbourhood_id": location.neighbourhood_id,
        "area_id": location.area_id,
        "street_id": location.street_id,
        "address_number": location.number,
        "address_complement": location.complement,
        "reference_point": location.reference_point,
        "street_pavement_id": location.street_pavement_id,
        "sidewalk_pavement_id": location.sidewalk_pavement_id,
        "location_description": location.description,
    }


@attrs.frozen(kw_only=True)
class RequestRef:
    """What the batch closing reads of a request (a light row, not the aggregate)."""

    id: int
    version: int
    specification_id: int
    property_id: int | None
    attended_at: datetime
