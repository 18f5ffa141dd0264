"""Outbound text messages inside a caller's unit of work: composing the
messages the committed events call for (ENC-13) from the outbox, queueing a
message typed by hand, and the two steps of a dispatch (SMS-01, SMS-02).

No message is sent twice for one event: the composer reads the outbox after a
cursor it moves in the same transaction as the messages it writes, under the
cursor's lock, and a message is unique per (event, phone); the dispatcher marks
the messages it hands over *before* calling the gateway, so a dispatcher that
dies in between leaves them unconfirmed instead of sending them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from gsan_core.model.service_desk import (
    MessageCursor,
    MessageStatus,
    OutboundMessage,
    OutboundMessageChanged,
)
from gsan_core.model.service_requests import ServiceRequest, ServiceRequestClosed
from gsan_core.ports.messages import GatewayReply
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_desk as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import ServiceContext

__all__ = [
    "REQUEST_CLOSED",
    "claim_due_in",
    "compose_in",
    "queue_in",
    "record_replies_in",
]

#: The reason of the message ENC-13 sends.
REQUEST_CLOSED = "request_closed"
_CURSOR = 1


def _cursor(uow: UnitOfWork) -> MessageCursor:
    """The composer's cursor, read under its row lock in one statement; the
    first time (no row to lock yet) the composer's key is locked, the cursor
    read again (another composer may have made it meanwhile) and else made at
    position 0."""
    found = uow.message_cursors.lock_many([_CURSOR]).get(_CURSOR)
    if found is None:
        uow.lock_key("message composer")
        found = uow.message_cursors.lock_many([_CURSOR]).get(_CURSOR)
    if found is None:
        found = MessageCursor(id=_CURSOR, position=0, version=1)
        uow.message_cursors.add(found)
    return found


def _closing_message(
    ctx: ServiceContext,
    request: ServiceRequest,
    *,
    event_id: int,
    at: datetime,
    actor: int,
) -> list[tuple[str, OutboundMessage]]:
    """ENC-13: the requester of a request that came by the SMS channel is told
    it was closed; a phone that is not one gives an ``INVALID`` message."""
    params = ctx.profile.service_requests
    text = params.sms_request_closed_text.format(
        request_id=request.id, protocol=request.protocol
    )[: params.sms_max_length]
    found: list[tuple[str, OutboundMessage]] = []
    for requester in request.requesters:
        if not requester.phone:
            continue
        phone, invalid = rules.normalized_phone(requester.phone)
        message = OutboundMessage(
            id=0,
            phone=phone if phone is not None else requester.phone[:20],
            text=text,
            reason=REQUEST_CLOSED,
            event_id=event_id,
            request_id=request.id,
            property_id=request.property_id,
            customer_id=requester.customer_id,
            status=MessageStatus.INVALID if invalid else MessageStatus.PENDING,
            created_at=at,
            actor=actor,
        )
        found.append((message.phone, message))
    return found


def compose_in(
    uow: UnitOfWork, ctx: ServiceContext, *, actor: int, at: datetime, limit: int
) -> tuple[int, tuple[OutboundMessage, ...]]:
    """Read up to ``limit`` outbox entries after the cursor and write the
    messages they call for; ``(entries read, messages written)``. One read of
    the outbox and one of the requests (ENC-13: the cursor's lock, not a read
    of the messages, keeps a closing from being composed twice)."""
    cursor = _cursor(uow)
    entries = uow.outbox.after(cursor.position, limit)
    if not entries:
        return 0, ()
    closed = {
        e.id: e.event for e in entries if isinstance(e.event, ServiceRequestClosed)
    }
    channels = ctx.profile.ids("request_channel.sms")
    requests = uow.service_requests.get_many(
        {event.request_id for event in closed.values()}
    )
    candidates: list[tuple[str, OutboundMessage]] = []
    for event_id, event in closed.items():
        request = requests.get(event.request_id)
        if request is not None and request.channel_id in channels:
            candidates += _closing_message(
                ctx, request, event_id=event_id, at=at, actor=actor
            )
    written: tuple[OutboundMessage, ...] = ()
    if candidates:
        # no read of the messages already written: the entries after the
        # cursor, read under its lock, were never composed (the cursor moves
        # in the transaction that writes their messages); one per phone
        fresh = list({(m.event_id, phone): m for phone, m in candidates}.values())
        ids = uow.next_ids("outbound_message", len(fresh))
        written = tuple(attrs.evolve(m, id=i) for i, m in zip(ids, fresh, strict=True))
        uow.outbound_messages.add_many(written)
    uow.message_cursors.update(
        attrs.evolve(cursor, position=entries[-1].id, version=cursor.version + 1)
    )
    if written:
        uow.record(
            OutboundMessageChanged(
                occurred_at=at,
                actor=actor,
                message_ids=tuple(m.id for m in written),
                status=MessageStatus.PENDING,
            )
        )
    return len(entries), written


def queue_in(
    uow: UnitOfWork,
    *,
    phone: str,
    text: str,
    actor: int,
    at: datetime,
    max_length: int,
    reason: str = "manual",
    request_id: int | None = None,
    property_id: int | None = None,
    customer_id: int | None = None,
) -> OutboundMessage:
    """Queue a message typed by hand: a malformed phone or an empty text is a
    ``RuleViolation`` (SMS-01), nothing written; the text is cut to the
    profile's maximum length."""
    digits, found = rules.normalized_phone(phone)
    if not text.strip():
        found += (rules.TEXT_REQUIRED(),)
    ensure(found)
    assert digits is not None
    message = OutboundMessage(
        id=uow.next_id("outbound_message"),
        phone=digits,
        text=text.strip()[:max_length],
        reason=reason,
        request_id=request_id,
        property_id=property_id,
        customer_id=customer_id,
        created_at=at,
        actor=actor,
    )
    uow.outbound_messages.add(message)
    uow.record(
        OutboundMessageChanged(
            occurred_at=at,
            actor=actor,
            message_ids=(message.id,),
            status=MessageStatus.PENDING,
        )
    )
    return message


def claim_due_in(
    uow: UnitOfWork, *, limit: int, max_attempts: int
) -> tuple[OutboundMessage, ...]:
    """The next messages to hand over, marked ``UNCONFIRMED`` with one more
    attempt (one statement): committed before the gateway is called."""
    return tuple(
        uow.outbound_messages.claim_due(limit=limit, max_attempts=max_attempts)
    )


def record_replies_in(
    uow: UnitOfWork,
    replies: Iterable[tuple[OutboundMessage, GatewayReply]],
    *,
    actor: int,
    at: datetime,
) -> tuple[OutboundMessage, ...]:
    """Store what the gateway answered for each claimed message."""
    done: list[OutboundMessage] = []
    for message, reply in replies:
        done.append(
            attrs.evolve(
                message,
                status=MessageStatus.SENT if reply.accepted else MessageStatus.FAILED,
                sent_at=at if reply.accepted else None,
                gateway_reply=None if reply.detail is None else reply.detail[:200],
                version=message.version + 1,
            )
        )
    if done:
        uow.outbound_messages.update_many(done)
        for status in (MessageStatus.SENT, MessageStatus.FAILED):
            ids = tuple(m.id for m in done if m.status is status)
            if ids:
                uow.record(
                    OutboundMessageChanged(
                        occurred_at=at, actor=actor, message_ids=ids, status=status
                    )
                )
    return tuple(done)


def history_phone(phone: str | None) -> str | None:
    """The phone criterion of the history query, as stored (SMS-02)."""
    if phone is None:
        return None
    digits, found = rules.normalized_phone(phone)
    ensure(found)
    return digits
