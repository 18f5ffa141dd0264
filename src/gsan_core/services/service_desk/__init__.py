"""The service desk: the supply and maintenance schedule (PAM), the outbound
text messages (SMS, ENC-13) and the standard operating procedures (POP).

``service`` is the façade (``gsan.service_desk``); ``schedules``, ``messages``
and ``procedures`` are the flows inside a caller's unit of work."""

from __future__ import annotations

from gsan_core.services.service_desk.service import DispatchRun, ServiceDeskService

__all__ = ["DispatchRun", "ServiceDeskService"]
