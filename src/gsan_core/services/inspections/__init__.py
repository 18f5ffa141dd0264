"""The inspection façade (``gsan.inspections``): informing the return of an
infraction-inspection order (UC0488) with its effects on the connections and
the debts in one unit of work, the inspection orders of closed orders
(UC1176), contractor acceptance, and the infraction notices a return issues
(AUT)."""

from gsan_core.services.inspections.results import InspectionReturn, NoticeInput
from gsan_core.services.inspections.service import InspectionService

__all__ = ["InspectionReturn", "InspectionService", "NoticeInput"]
