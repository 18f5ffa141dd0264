"""Statements per public command of the service desk, held to a budget (issue 20).

Each command is counted with :mod:`tests.integration.budgets` on SQLite and on
PostgreSQL: run once to warm what is cached, counted the second time on a
fresh target. A command that takes several items (windows, closings,
messages) is also
counted at two sizes, and must send the same number of statements at both:
never a statement per item.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, time, timedelta

import attrs

import gsan_core
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    ScheduleKind,
    SupplySchedule,
)
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
)
from gsan_core.services.service_desk import ServiceDeskService
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import build_request_utility, request_profile
from tests.integration import budgets
from tests.integration.budgets import counter_of, measure, sizes, yields

SUPPLY = ScheduleKind.SUPPLY
CELULAR = 11  # the SMS channel

#: Statements (BEGIN and COMMIT included) each command may send, as measured
#: on SQLite: the outbox's counter and rows are two statements there.
BUDGETS: dict[str, int] = {
    # BEGIN, lock the place's month, its windows (PAM-03), the write, outbox
    # counter, outbox, COMMIT
    "add a schedule window": 7,
    # the stored window among its place's list, read under the place's lock
    # (8 before: read again)
    "update a schedule window": 7,
    "remove a schedule window": 7,
    "queue a text message": 5,
    "attach a procedure": 5,
    "update a procedure": 6,
    "inform a place's month": 7,
    "copy a month's supply": 8,
    # one batch of the composer: BEGIN, the cursor read under its row lock
    # (the composer's key locked before it only while there is no cursor row
    # yet: 11 before), the outbox after it, the closed requests, the messages,
    # the cursor, outbox counter, outbox, COMMIT (10 before: the messages
    # already written were read; the cursor's lock keeps them out)
    "compose the messages": 9,
    # the dispatch's lease (BEGIN, its holder, take it, COMMIT), a batch
    # claimed by one UPDATE … RETURNING (BEGIN, claim, COMMIT; 4 before: read,
    # then marked), the replies recorded (BEGIN, update, outbox counter,
    # outbox, COMMIT), the lease released (3); a batch shorter than the
    # batch size is the last one (19 before: an empty claim ended it)
    "dispatch the messages": 15,
}

#: Where PostgreSQL sends fewer, its own lower budget: the outbox's counter
#: and rows go as one statement.
POSTGRES: dict[str, int] = {
    "add a schedule window": 6,
    "update a schedule window": 6,
    "remove a schedule window": 6,
    "queue a text message": 4,
    "attach a procedure": 4,
    "update a procedure": 5,
    "inform a place's month": 6,
    "copy a month's supply": 7,
    # the messages, the cursor and the outbox as one statement (deferred
    # writes; 9 before; 7 before the messages already written went unread)
    "compose the messages": 6,
    "dispatch the messages": 10,
}

#: Every public command of the service and its budget's key.
COMMANDS: dict[str, str] = {
    "service_desk.schedule": "add a schedule window",
    "service_desk.update_schedule": "update a schedule window",
    "service_desk.remove_schedule": "remove a schedule window",
    "service_desk.send_message": "queue a text message",
    "service_desk.attach_procedure": "attach a procedure",
    "service_desk.update_procedure": "update a procedure",
    "service_desk.inform": "inform a place's month",
    "service_desk.copy_supply": "copy a month's supply",
    "service_desk.compose_messages": "compose the messages",
    "service_desk.dispatch": "dispatch the messages",
}

#: The public methods of the service that only read: no write, no event.
QUERIES: frozenset[str] = frozenset(
    f"service_desk.{method}"
    for method in [
        "interruptions",
        "messages",
        "procedures",
        "property_interruptions",
        "schedules",
    ]
)

SQL = budgets.SQL
assert_within = budgets.Table(BUDGETS, POSTGRES).within
assert_flat = budgets.Table(BUDGETS, POSTGRES).flat


# ================================================================ service desk
def _window(
    gsan: gsan_core.System, area: int, day: int = 6, kind: ScheduleKind = SUPPLY
) -> SupplySchedule:
    extra: dict[str, object] = {}
    if kind is ScheduleKind.MAINTENANCE:
        extra = {"description": "TROCA", "situation": MaintenanceSituation.OPEN}
    return gsan.service_desk.schedule(
        kind=kind,
        municipality_id=101,
        area_id=area,
        starts_on=date(2025, 1, day),
        ends_on=date(2025, 1, day),
        start_time=time(6),
        end_time=time(18),
        actor=1,
        **extra,  # type: ignore[arg-type]
    )


@SQL
def test_the_service_desk_commands_hold_their_budgets(
    make_system: Callable[..., gsan_core.System],
) -> None:
    gsan = make_system(request_profile())
    counter = counter_of(gsan)
    desk = gsan.service_desk
    stored = [_window(gsan, 900 + n) for n in range(2)]
    removed = [_window(gsan, 910 + n) for n in range(2)]
    procedures = [
        desk.attach_procedure(
            title=f"POP {n}", document="x.pdf", specification_id=679, actor=1
        )
        for n in range(2)
    ]
    found = {
        "add a schedule window": measure(counter, lambda n: _window(gsan, 920 + n)),
        "update a schedule window": measure(
            counter,
            lambda n: desk.update_schedule(
                attrs.evolve(stored[n], end_time=time(20)), actor=1
            ),
        ),
        "remove a schedule window": measure(
            counter,
            lambda n: desk.remove_schedule(schedule_id=removed[n].id, actor=1),
        ),
        "queue a text message": measure(
            counter,
            lambda n: desk.send_message(phone=f"9198888000{n}", text="AVISO", actor=1),
        ),
        "attach a procedure": measure(
            counter,
            lambda n: desk.attach_procedure(
                title=f"POP N{n}", document="x.pdf", specification_id=679, actor=1
            ),
        ),
        "update a procedure": measure(
            counter,
            lambda n: desk.update_procedure(
                attrs.evolve(procedures[n], summary="NOVO"), actor=1
            ),
        ),
    }
    assert_within(found, gsan)


@SQL
def test_the_service_desk_s_many_item_commands_do_not_grow(
    make_system: Callable[..., gsan_core.System], clock: FixedClock
) -> None:
    """PAM-01 "Informar" and PAM-04 "Copiar" of 2 and 6 windows, composing the
    messages of 2 and 6 closings (ENC-13) and dispatching 2 and 6 messages
    send as many statements."""
    gsan = make_system(request_profile())
    utility = build_request_utility(gsan)
    counter = counter_of(gsan)
    desk = gsan.service_desk
    areas = iter(range(1000, 2000))
    homes = iter(utility.town.properties)

    def inform(size: int) -> Callable[[], object]:
        place = _window(gsan, next(areas), 1)
        windows = [place] + [
            attrs.evolve(
                place,
                id=0,
                starts_on=date(2025, 1, 2 + k),
                ends_on=date(2025, 1, 2 + k),
            )
            for k in range(size - 1)
        ]
        return functools.partial(desk.inform, place=place, windows=windows, actor=1)

    def copy(size: int) -> Callable[[], object]:
        area = next(areas)
        source, *_ = [_window(gsan, area, 1 + k) for k in range(size)]
        target = attrs.evolve(source, reference=202502, area_id=next(areas))
        return functools.partial(
            desk.copy_supply, source=source, target=target, actor=1
        )

    def compose(size: int) -> Callable[[], object]:
        desk.compose_messages()
        for _ in range(size):
            opened = gsan.service_requests.open(
                specification_id=311,
                unit_id=utility.call_centre,
                channel_id=CELULAR,
                actor=utility.attendant,
                location=RequestLocation(property_id=next(homes).id),
                requesters=[
                    Requester(name="ANA", address="RUA 1", phone="91988887777")
                ],
            )
            clock.advance(timedelta(minutes=5))
            gsan.service_requests.close(
                request_id=opened.request.id, reason_id=4, actor=utility.attendant
            )
        return yields(size, lambda done: len(done[1]), desk.compose_messages)

    def dispatch(size: int) -> Callable[[], object]:
        desk.dispatch()
        for k in range(size):
            desk.send_message(phone=f"919888870{k:02d}", text="AVISO", actor=1)
        return yields(
            size, lambda run: run.sent, functools.partial(desk.dispatch, compose=False)
        )

    grown = {
        "inform a place's month": sizes(counter, inform),
        "copy a month's supply": sizes(counter, copy),
        "compose the messages": sizes(counter, compose),
        "dispatch the messages": sizes(counter, dispatch),
    }
    assert_flat(grown, gsan)


def test_every_public_method_is_a_budgeted_command_or_a_query() -> None:
    budgets.assert_tables(
        "service_desk", ServiceDeskService, (COMMANDS, QUERIES), BUDGETS, POSTGRES
    )
