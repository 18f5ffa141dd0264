"""The service desk's queries read in a bounded number of statements, however
much data there is (SMS-02, POP-02, PAM-06, the movement query), and the
message composer gives one message per event when two run at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest

import gsan_core
from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.service_requests import Requester, RequestLocation
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import build_request_utility, request_profile

from .test_service_desk_schedules import statements

CELULAR = 11


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    return make_system(request_profile())


def selects(seen: list[str]) -> int:
    return sum(1 for s in seen if s.lstrip().upper().startswith("SELECT"))


def test_sms_02_pop_02_pam_06_queries_read_a_fixed_number_of_statements(
    gsan: gsan_core.System,
) -> None:
    """SMS-02, POP-02, PAM-06: the history, the procedure lookup and the
    interruption query read as many statements with 3 rows as with 30."""
    utility = build_request_utility(gsan)
    home = utility.town.properties[0].id

    def run() -> int:
        with statements(gsan) as seen:
            gsan.service_desk.messages(limit=50)
            gsan.service_desk.procedures(request_type_id=603)
            gsan.service_desk.property_interruptions(property_id=home)
            gsan.hydrometers.movements(number_from="A", number_to="Z")
        return selects(seen)

    for number in range(3):
        gsan.service_desk.send_message(
            phone=f"9198888000{number}", text="AVISO", actor=1
        )
        gsan.service_desk.attach_procedure(
            title=f"POP {number}", document="x.pdf", specification_id=679, actor=1
        )
    few = run()
    for number in range(27):
        gsan.service_desk.send_message(
            phone=f"919888801{number:02d}", text="AVISO", actor=1
        )
        gsan.service_desk.attach_procedure(
            title=f"POP B{number}", document="x.pdf", specification_id=613, actor=1
        )
    assert run() == few
    assert few <= 8


def test_enc_13_two_composers_at_once_write_each_message_once(
    gsan: gsan_core.System, clock: FixedClock
) -> None:
    """ENC-13: two composers running together read disjoint outbox entries
    (the cursor's lock): each closing gives one message."""
    utility = build_request_utility(gsan)
    for index in range(4):
        opened = gsan.service_requests.open(
            specification_id=311,
            unit_id=utility.call_centre,
            channel_id=CELULAR,
            actor=utility.attendant,
            location=RequestLocation(property_id=utility.town.properties[index].id),
            requesters=[Requester(name="ANA", address="RUA 1", phone="91988887777")],
        )
        clock.advance(timedelta(minutes=5))
        gsan.service_requests.close(
            request_id=opened.request.id, reason_id=4, actor=utility.attendant
        )
    errors: list[BaseException] = []

    def compose() -> None:
        try:
            gsan.service_desk.compose_messages(batch_size=3)
        except ConcurrencyConflict as error:  # a backend's lock timeout
            errors.append(error)

    threads = [threading.Thread(target=compose) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    gsan.service_desk.compose_messages()
    history = gsan.service_desk.messages(limit=100)
    assert len(history) == 4
    assert len({m.request_id for m in history}) == 4
