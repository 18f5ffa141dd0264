"""The RA lifecycle as data (:data:`TRANSITIONS`), the text limits, and the
small helpers every check uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Final

from gsan_core.errors import Message, Violation
from gsan_core.model.service_requests import RequestAction, RequestSituation

P, C, B = RequestSituation.PENDING, RequestSituation.CLOSED, RequestSituation.BLOCKED

#: ``(situation before, action) -> situation after``; ``None`` before = a new RA.
#: A closed request never changes: reactivating it opens a new one.
TRANSITIONS: Mapping[
    tuple[RequestSituation | None, RequestAction], RequestSituation
] = {
    (None, RequestAction.OPEN): P,
    (None, RequestAction.OPEN_WITHOUT_ADDRESS): B,
    (P, RequestAction.FORWARD): P,
    (P, RequestAction.REITERATE): P,
    (P, RequestAction.INFORM_ADDRESS): P,
    (B, RequestAction.INFORM_ADDRESS): P,
    (P, RequestAction.REMOVE_ADDRESS): B,
    (B, RequestAction.REMOVE_ADDRESS): B,
    (P, RequestAction.CLOSE): C,
    (B, RequestAction.CLOSE): C,
    (C, RequestAction.REACTIVATE): C,
}

OBSERVATION_MAX: Final = 400
CLOSING_REMARK_MAX: Final = 400
ROUTING_REMARK_MAX: Final = 400
REACTIVATION_TEXT_MAX: Final = 200
#: ``parecer`` of the opening step when the user typed none (§2.4).
DEFAULT_OPENING_REMARK: Final = (
    "TRAMITE GERADO PELO SISTEMA NA ABERTURA DO REGISTRO DE ATENDIMENTO"
)


def transition(
    situation: RequestSituation | None, action: RequestAction
) -> RequestSituation | None:
    """The situation after ``action``, or ``None`` when not allowed."""
    return TRANSITIONS.get((situation, action))


# ================================================================= helpers
def _text(
    value: str | None, *, field: str, campo: str, max_length: int, message: Message
) -> list[Violation]:
    if value is not None and len(value) > max_length:
        return [
            message(field=field, campo=campo, length=len(value), max_length=max_length)
        ]
    return []


def _local(at: datetime, zone: tzinfo) -> datetime:
    return at.astimezone(zone)
