"""What the inspection commands take and give back."""

from __future__ import annotations

from datetime import date

import attrs

from gsan_core.model.billing import Charge
from gsan_core.model.inspections import (
    InfractionNotice,
    InspectionFinding,
)
from gsan_core.model.service_orders import (
    ServiceOrder,
)
from gsan_core.model.service_requests import ServiceRequest


@attrs.frozen(kw_only=True)
class NoticeInput:
    """The infraction notice part of a return (FIS-11)."""

    employee_id: int | None
    issued_on: date | None
    appeal_from: date | None = None
    appeal_until: date | None = None
    debit_type_id: int | None = None
    installments: int = 1
    observation: str | None = None


@attrs.frozen(kw_only=True)
class InspectionReturn:
    """What informing a return did."""

    order: ServiceOrder
    findings: tuple[InspectionFinding, ...]
    charges: tuple[Charge, ...] = ()
    notice: InfractionNotice | None = None
    #: The connection operation the return ran, if any.
    operation: str | None = None
    #: The requests (RA) the return opened (a matrix row's specification).
    requests: tuple[ServiceRequest, ...] = ()
