"""Outbound text messages through ``gsan.service_desk`` (and ENC-13 of the
service requests), on memory, SQLite and PostgreSQL: composed from the outbox,
sent once per event, the history and its query."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import gsan_core
from gsan_core.adapters.messages import InMemoryGateway, LoggingGateway
from gsan_core.errors import RuleViolation
from gsan_core.model.service_desk import MessageStatus
from gsan_core.model.service_requests import Requester
from gsan_core.services.service_desk import messages as flows
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import (
    RequestUtility,
    build_request_utility,
    request_profile,
)

from .test_service_requests import open_, prop_id, tick

CELULAR = 11


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    return make_system(request_profile())


@pytest.fixture
def utility(gsan: gsan_core.System) -> RequestUtility:
    return build_request_utility(gsan)


def closed_request(
    gsan: gsan_core.System,
    utility: RequestUtility,
    clock: FixedClock,
    *,
    phone: str,
    index: int = 0,
    channel_id: int = CELULAR,
) -> int:
    opened = open_(
        gsan,
        utility,
        311,
        channel_id=channel_id,
        requesters=(Requester(name="ANA", address="RUA 1", phone=phone),),
        location=gsan_core.model.service_requests.RequestLocation(
            property_id=prop_id(utility, index)
        ),
    )
    tick(clock)
    gsan.service_requests.close(
        request_id=opened.request.id, reason_id=4, actor=utility.attendant
    )
    return opened.request.id


def test_enc_13_a_request_closed_by_sms_channel_texts_its_requester_once(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-13: closing a request that came by the SMS channel ("CELULAR") sends
    the requester a text; composing and dispatching again sends nothing more
    (one message per event); another channel sends nothing."""
    request_id = closed_request(gsan, utility, clock, phone="(91) 98888-7777")
    closed_request(gsan, utility, clock, phone="91977776666", index=1, channel_id=6)
    gateway = InMemoryGateway()
    run = gsan.service_desk.dispatch(gateway=gateway)
    assert (run.sent, run.failed, len(run.composed)) == (1, 0, 1)
    protocol = gsan.service_requests.get(request_id).protocol
    assert [(t.phone, t.text) for t in gateway.sent] == [
        (
            "91988887777",
            f"Sua solicitacao {protocol} (RA {request_id}) foi encerrada. Obrigado.",
        )
    ]
    again = gsan.service_desk.dispatch(gateway=gateway)
    assert (again.sent, again.composed) == (0, ())
    assert gsan.service_desk.compose_messages() == (0, ())
    history = gsan.service_desk.messages(request_id=request_id)
    assert [(m.status, m.attempts, m.reason) for m in history] == [
        (MessageStatus.SENT, 1, "request_closed")
    ]
    assert history[0].sent_at is not None


def test_enc_13_two_requesters_of_one_phone_get_one_message(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """ENC-13: the composer writes one message per closing and phone: two
    requesters giving the same phone (written two ways) get one message, and
    composing again writes none (the cursor, not a read of the messages)."""
    opened = open_(
        gsan,
        utility,
        311,
        channel_id=CELULAR,
        requesters=(
            Requester(name="ANA", address="RUA 1", phone="(91) 98888-7777"),
            Requester(name="JOSE", address="RUA 1", phone="91988887777"),
        ),
        location=gsan_core.model.service_requests.RequestLocation(
            property_id=prop_id(utility, 0)
        ),
    )
    tick(clock)
    gsan.service_requests.close(
        request_id=opened.request.id, reason_id=4, actor=utility.attendant
    )
    _, written = gsan.service_desk.compose_messages()
    assert [m.phone for m in written] == ["91988887777"]
    assert gsan.service_desk.compose_messages()[1] == ()
    history = gsan.service_desk.messages(request_id=opened.request.id)
    assert [m.phone for m in history] == ["91988887777"]


def test_sms_01_a_malformed_phone_is_refused_or_recorded_invalid(
    gsan: gsan_core.System, utility: RequestUtility, clock: FixedClock
) -> None:
    """SMS-01: a message typed to a malformed phone is a ``RuleViolation`` with
    nothing written; a requester's malformed phone gives an ``INVALID``
    message that is never sent."""
    with pytest.raises(RuleViolation) as refused:
        gsan.service_desk.send_message(phone="12345", text="OI", actor=1)
    assert refused.value.code == "service_desk.message.invalid_phone"
    assert refused.value.violations[0].rule == "SMS-01"
    with pytest.raises(RuleViolation) as empty:
        gsan.service_desk.send_message(phone="91988887777", text="  ", actor=1)
    assert empty.value.code == "service_desk.message.text_required"
    assert gsan.service_desk.messages() == []
    closed_request(gsan, utility, clock, phone="0000")
    gateway = InMemoryGateway()
    run = gsan.service_desk.dispatch(gateway=gateway)
    assert (run.sent, gateway.sent) == (0, [])
    assert [m.status for m in gsan.service_desk.messages()] == [MessageStatus.INVALID]


def test_sms_01_refused_sends_are_retried_up_to_the_profile_limit(
    gsan: gsan_core.System,
) -> None:
    """SMS-01: a refused or raising send is ``FAILED`` and retried by later
    dispatches until ``sms_max_attempts`` (3)."""
    refused = gsan.service_desk.send_message(
        phone="+55 91 98888-0000", text="CORTE PROGRAMADO", actor=1
    )
    down = gsan.service_desk.send_message(phone="91 3222-1111", text="AVISO", actor=1)
    gateway = InMemoryGateway(
        refuse=frozenset({refused.phone}), fail=frozenset({down.phone})
    )
    for _ in range(4):
        gsan.service_desk.dispatch(gateway=gateway, compose=False)
    stored = {m.id: m for m in gsan.service_desk.messages()}
    assert (stored[refused.id].status, stored[refused.id].attempts) == (
        MessageStatus.FAILED,
        3,
    )
    assert stored[refused.id].gateway_reply == "REFUSED"
    assert stored[down.id].gateway_reply is not None
    assert stored[down.id].gateway_reply.startswith("ConnectionError")
    assert gateway.sent == []


def test_a_dispatcher_that_died_never_sends_its_messages_again(
    gsan: gsan_core.System,
) -> None:
    """No message twice: a message claimed by a dispatcher that died before
    recording the gateway's answer stays ``UNCONFIRMED`` and is not sent by
    the next dispatch."""
    message = gsan.service_desk.send_message(phone="91988887777", text="OI", actor=1)
    with gsan.uow_factory() as uow:
        flows.claim_due_in(uow, limit=10, max_attempts=3)
        uow.commit()
    gateway = InMemoryGateway()
    gsan.service_desk.dispatch(gateway=gateway)
    assert gateway.sent == []
    (stored,) = gsan.service_desk.messages()
    assert (stored.id, stored.status) == (message.id, MessageStatus.UNCONFIRMED)


def test_sms_02_the_history_pages_newest_first_by_phone_and_status(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """SMS-02: the sent-message query filters by phone (normalised like the
    messages), status and period, newest first, a page at a time."""
    for number in range(5):
        tick(clock)
        gsan.service_desk.send_message(
            phone=f"9198888000{number}", text=f"AVISO {number}", actor=1
        )
    gsan.service_desk.dispatch(gateway=LoggingGateway(), compose=False)
    first = gsan.service_desk.messages(limit=2)
    second = gsan.service_desk.messages(limit=2, offset=2)
    assert [m.text for m in first + list(second)] == [
        "AVISO 4",
        "AVISO 3",
        "AVISO 2",
        "AVISO 1",
    ]
    one = gsan.service_desk.messages(phone="(91) 98888-0003")
    assert [m.text for m in one] == ["AVISO 3"]
    sent = gsan.service_desk.messages(status=[MessageStatus.SENT], limit=10)
    assert len(sent) == 5
    with pytest.raises(RuleViolation):
        gsan.service_desk.messages(phone="abc")
