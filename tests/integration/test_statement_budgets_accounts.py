"""Statements per public command of the account services, the service desk
and scheduling, held to a budget (issue 20).

Each command is counted with :mod:`tests.integration.budgets` on SQLite and on
PostgreSQL: run once to warm what is cached, counted the second time on a
fresh target. A command that takes several items (properties, payments,
windows, orders, outbox entries) is also counted at two sizes, and must send
the same number of statements at both: never a statement per item.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

import gsan_core
from gsan_core.model.accounts import (
    CustomerType,
    DebtOwner,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.model.service_desk import (
    MaintenanceSituation,
    ScheduleKind,
    SupplySchedule,
)
from gsan_core.model.service_orders import OrderSituation, ServiceType
from gsan_core.model.service_requests import (
    Requester,
    RequestLocation,
    RequestSpecification,
)
from gsan_core.services.accounts import AccountService
from gsan_core.services.scheduling import SchedulingService
from gsan_core.services.service_desk import ServiceDeskService
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import build_request_utility, request_profile
from gsan_core.testing.scenarios import Scenario
from tests.integration import budgets
from tests.integration.budgets import Counter, measure
from tests.services.conftest import valid_property
from tests.services.scheduling_support import QUICK, Dispatch, dispatch
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices
from tests.services.test_accounts_refunds import payment

__all__ = ["dispatch"]

D = Decimal
SUPPLY = ScheduleKind.SUPPLY
CELULAR = 11  # the SMS channel

#: Statements (BEGIN and COMMIT included) each command may send, as measured
#: on SQLite: the outbox's counter and rows are two statements there.
BUDGETS: dict[str, int] = {
    # ------------------------------------------------------------ accounts
    # BEGIN, the spheres, the types (one multi-row insert each), COMMIT
    "load reference data": 4,
    # BEGIN, the customer, outbox counter, outbox, COMMIT; the type from the
    # reference cache (7 before: read twice)
    "register a customer": 5,
    # BEGIN, lock the customer, lock the hierarchy's key, the update, outbox
    # counter, outbox, COMMIT; the type from the reference cache (8 before)
    "update a customer": 7,
    # BEGIN, the property read under its lock (9 before: read, then locked),
    # its relations, the customer, the relation, outbox counter, outbox,
    # COMMIT
    "relate a customer to a property": 8,
    # BEGIN, the relation, lock its property, the property's relations (the
    # relation among them: 9 before, it was read again), the update, outbox
    # counter, outbox, COMMIT
    "end a relation": 8,
    # BEGIN, lock the index table's key, the table (the month among it: 8
    # before, the month was read again), the write, outbox counter, outbox,
    # COMMIT
    "inform an index": 7,
    # BEGIN, the property, its customers, open debts, charges, locality,
    # index table (one read each, whatever the debts), the document, outbox
    # counter, outbox, COMMIT
    "issue a debt statement": 11,
    "issue a customer's statement": 15,
    # the property read under its lock, as the statement's (11, 13 before:
    # read, then locked)
    "issue a bill copy": 10,
    "issue a property's certificate": 12,
    # the customer read once for CNC-01 and CNC-02, its type and sphere from
    # the reference cache (19 before); the hierarchy in one recursive read,
    # however deep (16 before: a read per level)
    "issue a customer's certificate": 15,
    # the whole mailing of one chunk: the job's lease, then the chunk's
    # reads one per table, its documents, outbox, COMMIT
    "issue the statements of many properties": 19,
    # the request read under its lock (9 and 19 before: read, then locked)
    "link duplicate payments to a refund RA": 8,
    # BEGIN, the request and its orders (read ahead for the RA's closing, in
    # one statement after the request's lock: 18 before, the closing locked
    # and read the request again and read its orders), its property, links,
    # bills, charges, payments, the bills, the credit, the payments, the
    # links, the request, outbox counter, outbox, COMMIT
    "refund duplicate payments": 15,
    # ------------------------------------------------------------ service desk
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
    # one batch of the composer: BEGIN, lock the composer's key, the cursor
    # read under its row lock (12 before: read, then locked), the outbox after
    # it, the closed requests, the messages already written, the messages, the
    # cursor, outbox counter, outbox, COMMIT
    "compose the messages": 11,
    # the dispatch's lease, a batch claimed (one transaction), the replies
    # recorded (another), the empty claim that ends it
    "dispatch the messages": 19,
    # ------------------------------------------------------------ scheduling
    # BEGIN, the order's rows of the day, lock the day, lock the order, its
    # active rows of every day (one read under the locks: 13 before, the
    # day's and every day's were two), end the rows, the team's day, its new
    # sequences, the order, outbox counter, outbox, COMMIT
    "inform an order's situation": 12,
    "remove an order from a day": 12,
    "move an order to another team": 14,
    "reorder an order in its team's day": 10,
    "add a special day": 8,
    "set the teams a user follows": 7,
    # BEGIN, lock the day, lock the orders, the day's roteiro, teams and
    # programmings, the roteiro, the programmings, the orders (one multi-row
    # write each), outbox counter, outbox, COMMIT
    "program orders": 13,
    "close a day": 12,
    # the run's lease, then BEGIN, lock the day, the teams, the day's and the
    # day before's programmings in one read (22 before: two), the candidates,
    # lock the placed orders, the roteiro, its writes, outbox, COMMIT
    "schedule automatically": 21,
    # BEGIN, lock the calibration's key, its rows, the changed rows (one
    # UPDATE sent with every row's parameters: 8 for 2 rows and 12 for 6
    # before, one UPDATE a row), outbox counter, outbox, COMMIT
    "inform the calibration": 7,
    # BEGIN, the types, the calibration rows, the types' update (one),
    # outbox counter, outbox, COMMIT
    "set the service types' importance": 6,
}

#: Where PostgreSQL sends fewer, its own lower budget: the outbox's counter
#: and rows go as one statement. The account commands defer their writes
#: (``UnitOfWork.defer_writes``): their inserts and compare-and-set updates
#: go with the outbox as that one statement (one less each; the refund's
#: billing writes and multi-row link update are sent at once).
POSTGRES: dict[str, int] = {
    "load reference data": 3,
    "register a customer": 3,
    "update a customer": 5,
    "relate a customer to a property": 6,
    "end a relation": 6,
    "inform an index": 5,
    "issue a debt statement": 9,
    "issue a customer's statement": 13,
    "issue a bill copy": 9,
    "issue a property's certificate": 10,
    "issue a customer's certificate": 13,
    # the job's lease is one statement (an advisory lock)
    "issue the statements of many properties": 13,
    "link duplicate payments to a refund RA": 6,
    # the request's lock is a statement of its own (not on SQLite)
    "refund duplicate payments": 14,
    "add a schedule window": 6,
    "update a schedule window": 6,
    "remove a schedule window": 6,
    "queue a text message": 4,
    "attach a procedure": 4,
    "update a procedure": 5,
    "inform a place's month": 6,
    "copy a month's supply": 7,
    "compose the messages": 10,
    "dispatch the messages": 14,
    "inform an order's situation": 11,
    "remove an order from a day": 11,
    "move an order to another team": 13,
    "reorder an order in its team's day": 9,
    "add a special day": 7,
    "set the teams a user follows": 6,
    "program orders": 12,
    "close a day": 11,
    "schedule automatically": 16,
    "inform the calibration": 6,
    "set the service types' importance": 5,
}

#: Every public command of the three services and its budget's key.
COMMANDS: dict[str, str] = {
    "accounts.load_reference": "load reference data",
    "accounts.register_customer": "register a customer",
    "accounts.update_customer": "update a customer",
    "accounts.relate": "relate a customer to a property",
    "accounts.end_relation": "end a relation",
    "accounts.inform_index": "inform an index",
    "accounts.issue_statement": "issue a debt statement",
    "accounts.issue_customer_statement": "issue a customer's statement",
    "accounts.issue_bill_copy": "issue a bill copy",
    "accounts.issue_certificate": "issue a property's certificate",
    "accounts.issue_customer_certificate": "issue a customer's certificate",
    "accounts.issue_statements": "issue the statements of many properties",
    "accounts.link_duplicate_payments": "link duplicate payments to a refund RA",
    "accounts.refund": "refund duplicate payments",
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
    "scheduling.inform_situation": "inform an order's situation",
    "scheduling.remove": "remove an order from a day",
    "scheduling.move": "move an order to another team",
    "scheduling.reorder": "reorder an order in its team's day",
    "scheduling.add_special_day": "add a special day",
    "scheduling.set_followed_teams": "set the teams a user follows",
    "scheduling.program": "program orders",
    "scheduling.close_day": "close a day",
    "scheduling.schedule_automatically": "schedule automatically",
    "scheduling.inform_calibration": "inform the calibration",
    "scheduling.set_service_type_importance": "set the service types' importance",
}

#: The public methods of the three services that only read: no write, no
#: event (the route file is the route sheet's rows, encoded).
QUERIES: frozenset[str] = frozenset(
    f"{service}.{method}"
    for service, methods in {
        "accounts": "collection_documents customer hierarchy index indices"
        " open_debts property_view refund_guide_subject refund_requests"
        " relations service_contract service_table simulate_service_charge"
        " surcharges verify_certificate",
        "service_desk": "interruptions messages procedures"
        " property_interruptions schedules",
        "scheduling": "calendar calibration day followed_teams programmings"
        " route route_file route_sheet special_days",
    }.items()
    for method in methods.split()
)

SQL = pytest.mark.parametrize(
    "backend_name",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)


def _counter(system: gsan_core.System) -> Counter:
    return Counter(system.backend.engine)  # type: ignore[attr-defined]


def _dialect(system: gsan_core.System) -> str:
    return str(system.backend.engine.dialect.name)  # type: ignore[attr-defined]


def assert_within(found: dict[str, int], system: gsan_core.System) -> None:
    budgets.assert_within(found, _dialect(system), BUDGETS, POSTGRES)


def assert_flat(grown: dict[str, tuple[int, int]], system: gsan_core.System) -> None:
    """Each command sent as many statements at both sizes; those with a
    budget (keyed by it) within it."""
    print(grown)
    assert all(two == six for two, six in grown.values()), grown
    assert_within({k: two for k, (two, _) in grown.items() if k in BUDGETS}, system)


def _yields(
    size: int, count: Callable[[Any], int], command: Callable[[], object]
) -> Callable[[], object]:
    """``command``, checked to have done its ``size`` items (``count`` of its
    result): a count of statements of a command that did nothing is no
    budget."""

    def run() -> object:
        result = command()
        assert count(result) == size, result
        return result

    return run


def _sizes(
    counter: Counter, prepare: Callable[[int], Callable[[], object]]
) -> tuple[int, int]:
    """The statements of the command ``prepare(2)`` and ``prepare(6)`` return
    (the size is the number of items; each prepared on fresh targets), after
    the command of ``prepare(1)`` warmed the caches."""
    prepare(1)()
    counts = []
    for size in (2, 6):
        command = prepare(size)
        with counter.counting():
            command()
        counts.append(counter.count)
    return counts[0], counts[1]


# ================================================================ accounts
def _relate(
    system: gsan_core.System, customer: int, pid: int, relation: RelationType
) -> int:
    return system.accounts.relate(
        actor=1,
        customer_id=customer,
        property_id=pid,
        relation=relation,
        start=date(2024, 1, 1),
    ).id


def _owner_of(system: gsan_core.System, first: int, count: int, bills: int) -> int:
    """A company owning ``count`` new properties from ``first``, each with
    ``bills`` open bills."""
    owner = system.accounts.register_customer(
        actor=1, name=f"DONO {first}", customer_type_id=2
    ).id
    for pid in range(first, first + count):
        system.properties.register(valid_property(pid), actor=1)
        _relate(system, owner, pid, RelationType.OWNER)
        _relate(system, owner, pid, RelationType.USER)
    system.billing.record_debts(
        [
            item(1000 * pid + n, property_id=pid)
            for pid in range(first, first + count)
            for n in range(bills)
        ]
    )
    return owner


def _accounts(system: gsan_core.System) -> gsan_core.System:
    setup_counter(system)
    load_indices(system)
    return system


@SQL
def test_the_customer_and_index_commands_hold_their_budgets(
    system: gsan_core.System,
) -> None:
    gsan = _accounts(system)
    counter = _counter(gsan)
    for pid in range(10, 14):
        gsan.properties.register(valid_property(pid), actor=1)
    made = [
        gsan.accounts.register_customer(actor=1, name=f"C{n}", customer_type_id=1)
        for n in range(2)
    ]
    relations: list[int] = []
    found = {
        "register a customer": measure(
            counter,
            lambda n: gsan.accounts.register_customer(
                actor=1, name=f"NOVO {n}", customer_type_id=1
            ),
        ),
        "update a customer": measure(
            counter,
            lambda n: gsan.accounts.update_customer(
                attrs.evolve(made[n], name=f"MUDADO {n}"), actor=1
            ),
        ),
        "relate a customer to a property": measure(
            counter,
            lambda n: relations.append(
                _relate(gsan, made[n].id, 10 + n, RelationType.USER)
            ),
        ),
        "end a relation": measure(
            counter,
            lambda n: gsan.accounts.end_relation(
                actor=1, relation_id=relations[n], end=date(2024, 6, 1)
            ),
        ),
        "inform an index": measure(
            counter,
            lambda n: gsan.accounts.inform_index(
                actor=1,
                month=202502 + n,
                fine_rate=D("2"),
                interest_rate=D("1"),
                correction_factor=D("1.01"),
            ),
        ),
    }

    def load(size: int) -> Callable[[], object]:
        first = 20 + 10 * size
        return functools.partial(
            gsan.accounts.load_reference,
            power_spheres=[
                PowerSphere(id=first + k, description=f"ESFERA {first + k}")
                for k in range(size)
            ],
            customer_types=[
                CustomerType(
                    id=first + k,
                    description=f"TIPO {first + k}",
                    person_kind=PersonKind.COMPANY,
                    power_sphere_id=1,
                )
                for k in range(size)
            ],
        )

    two, six = _sizes(counter, load)
    assert two == six, (two, six)
    assert_within({**found, "load reference data": two}, gsan)


@SQL
def test_the_documents_do_not_grow_with_the_debts_or_the_properties(
    system: gsan_core.System,
) -> None:
    """EXT-19, CNC-05, EXT-20, UC0482 and the mailing: a statement of a
    property with 2 and with 12 open debts, a customer's statement and
    certificate over 2 and 6 properties, a bill copy of 2 and 6 bills and the
    mailing of 2 and 6 properties send as many statements; a property's
    certificate is one command."""
    gsan = _accounts(system)
    counter = _counter(gsan)
    first = iter(range(1000, 100_000, 100))

    def indebted(debts: int) -> int:
        home = next(first)
        gsan.properties.register(valid_property(home), actor=1)
        gsan.billing.record_debts(
            [item(100 * home + n, property_id=home) for n in range(debts)]
        )
        return home

    def statement(debts: int) -> Callable[[], object]:
        home = indebted(debts)
        return lambda: gsan.accounts.issue_statement(actor=1, property_id=home)

    def bill_copy(bills: int) -> Callable[[], object]:
        copy = functools.partial(
            gsan.accounts.issue_bill_copy, actor=1, property_id=indebted(bills)
        )
        return _yields(bills, lambda done: len(done.bills), copy)

    def owned(size: int) -> int:
        return _owner_of(gsan, next(first), size, 1)

    def hierarchy(size: int) -> int:
        """A chain of ``size`` customers under a head office, each answering
        to the one before: as many levels as customers (CNC-05)."""
        boss = gsan.accounts.register_customer(
            actor=1, name="MATRIZ", customer_type_id=2
        )
        parent = boss.id
        for _ in range(size):
            branch = _owner_of(gsan, next(first), 1, 0)
            gsan.accounts.update_customer(
                attrs.evolve(
                    gsan.accounts.customer(branch), responsible_customer_id=parent
                ),
                actor=1,
            )
            parent = branch
        return boss.id

    def mailing(size: int) -> Callable[[], object]:
        homes = [next(first) for _ in range(size)]
        for home in homes:
            gsan.properties.register(valid_property(home), actor=1)
        gsan.billing.record_debts(
            [item(100 * home, property_id=home) for home in homes]
        )
        return _yields(
            size,
            lambda summary: summary.changed,
            functools.partial(
                gsan.accounts.issue_statements,
                actor=1,
                property_ids=homes,
                key=f"mailing {homes[0]}",
            ),
        )

    certificate = _sizes(
        counter,
        lambda size: functools.partial(
            gsan.accounts.issue_customer_certificate,
            actor=1,
            customer_id=hierarchy(size),
            scope=DebtOwner.CURRENT_PROPERTIES,
        ),
    )
    # CNC-05: the open debts of the hierarchy's properties in one read
    reads = [
        s
        for s in counter.statements
        if s.startswith("SELECT") and "gsan_open_debt.id" in s.split(",")[0]
    ]
    assert len(reads) == 1, counter.statements
    grown = {
        "issue a customer's certificate": certificate,
        "issue a debt statement": _sizes(
            counter, lambda size: statement(size if size == 1 else 2 * size - 2)
        ),
        "issue a customer's statement": _sizes(
            counter,
            lambda size: functools.partial(
                gsan.accounts.issue_customer_statement, actor=1, customer_id=owned(size)
            ),
        ),
        "issue the statements of many properties": _sizes(counter, mailing),
        "issue a bill copy": _sizes(counter, bill_copy),
    }
    assert_flat(grown, gsan)
    clean = [next(first) for _ in range(2)]
    for home in clean:
        _owner_of(gsan, home, 1, 0)
    certificate = measure(
        counter,
        lambda n: gsan.accounts.issue_certificate(actor=1, property_id=clean[n]),
    )
    assert_within({"issue a property's certificate": certificate}, gsan)


REFUND_SPEC = "DEVOLUCAO PAGAMENTO DUPLICIDADE"


def _refund_request(
    given: Scenario, ids: Iterator[int], payments: int
) -> tuple[int, list[int], list[int]]:
    """A refund RA of a new property with ``payments`` duplicated payments of
    60.00 and as many open bills of 50.00: the request, payments and bills."""
    system = given.system
    home = given.property()
    paid = [next(ids) for _ in range(payments)]
    bills = [next(ids) for _ in range(payments)]
    system.billing.record_payments([payment(i, property_id=home.id) for i in paid])
    system.billing.record_debts(
        [item(ident, property_id=home.id, amount=D("50.00")) for ident in bills]
    )
    opened = given.request(REFUND_SPEC, property=home, duplicate_payment_ids=paid)
    return opened.request.id, paid, bills


@SQL
def test_the_refund_commands_hold_their_budgets_whatever_the_payments(
    system: gsan_core.System,
) -> None:
    """§6.1 and UC1131: linking and refunding 2 or 6 payments send as many
    statements."""
    given = Scenario(system)
    given.ready()
    system.service_requests.configuration.add_specification(
        RequestSpecification(
            id=950,
            request_type_id=101,
            description=REFUND_SPEC,
            deadline_days=5,
            requires_property=True,
            duplicate_payment=True,
        ),
        actor=given.actor,
    )
    counter = _counter(system)
    ids = iter(range(7000, 100_000))
    actor = given.place.attendant

    def link(size: int) -> Callable[[], object]:
        request, paid, _ = _refund_request(given, ids, size)
        return _yields(
            size,
            len,
            functools.partial(
                system.accounts.link_duplicate_payments,
                actor=actor,
                request_id=request,
                payment_ids=paid,
            ),
        )

    def refund(size: int) -> Callable[[], object]:
        request, paid, bills = _refund_request(given, ids, size)
        system.accounts.link_duplicate_payments(
            actor=actor, request_id=request, payment_ids=paid
        )
        return functools.partial(
            system.accounts.refund,
            actor=actor,
            request_id=request,
            payment_ids=paid,
            bill_ids=bills,
        )

    grown = {
        "link duplicate payments to a refund RA": _sizes(counter, link),
        "refund duplicate payments": _sizes(counter, refund),
    }
    assert_flat(grown, system)


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
    counter = _counter(gsan)
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
    counter = _counter(gsan)
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
        return _yields(size, lambda done: len(done[1]), desk.compose_messages)

    def dispatch(size: int) -> Callable[[], object]:
        desk.dispatch()
        for k in range(size):
            desk.send_message(phone=f"919888870{k:02d}", text="AVISO", actor=1)
        return _yields(
            size, lambda run: run.sent, functools.partial(desk.dispatch, compose=False)
        )

    grown = {
        "inform a place's month": _sizes(counter, inform),
        "copy a month's supply": _sizes(counter, copy),
        "compose the messages": _sizes(counter, compose),
        "dispatch the messages": _sizes(counter, dispatch),
    }
    assert_flat(grown, gsan)


# ================================================================ scheduling
SATURDAY = date(2026, 12, 12)
#: Working days of the scenario's month, before and after its Monday.
DAYS = [
    date(2026, 12, d)
    for d in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23)
]
AUTOMATIC = 996  # 30 minutes, automatic


def _pending(dispatch: Dispatch, count: int, service_type_id: int = QUICK) -> list[int]:
    return [dispatch.order(service_type_id).id for _ in range(count)]


@SQL
def test_the_scheduling_commands_hold_their_budgets(dispatch: Dispatch) -> None:
    gsan, place = dispatch.gsan, dispatch.place
    counter = _counter(gsan)
    scheduling = gsan.scheduling
    tech = place.technician
    day = iter(DAYS)
    # a day of three orders per measured run: inform, remove, move, reorder
    days = []
    for _ in range(8):
        on, orders = next(day), _pending(dispatch, 3)
        scheduling.program(
            unit_id=place.office,
            on=on,
            team_ids=[dispatch.team.id],
            order_ids=orders,
            actor=tech,
        )
        days.append((on, orders))
    nature = gsan.catalog.add("team_nature", description="REDE", actor=1)
    found = {
        "inform an order's situation": measure(
            counter,
            lambda n: scheduling.inform_situation(
                order_id=days[n][1][0],
                on=days[n][0],
                situation=OrderSituation.IN_EXECUTION,
                actor=tech,
            ),
        ),
        "remove an order from a day": measure(
            counter,
            lambda n: scheduling.remove(
                order_id=days[2 + n][1][0], on=days[2 + n][0], actor=tech
            ),
        ),
        "move an order to another team": measure(
            counter,
            lambda n: scheduling.move(
                order_id=days[4 + n][1][0],
                on=days[4 + n][0],
                to_team_id=dispatch.other.id,
                actor=tech,
            ),
        ),
        "reorder an order in its team's day": measure(
            counter,
            lambda n: scheduling.reorder(
                order_id=days[6 + n][1][2], on=days[6 + n][0], sequence=1, actor=tech
            ),
        ),
        "add a special day": measure(
            counter,
            lambda n: scheduling.add_special_day(
                team_id=(dispatch.team, dispatch.other)[n].id, on=SATURDAY, actor=1
            ),
        ),
        "set the teams a user follows": measure(
            counter,
            lambda n: scheduling.set_followed_teams(
                user_id=(place.attendant, tech)[n],
                nature_ids=[nature.id],
                team_ids=[dispatch.team.id],
                actor=1,
            ),
        ),
    }
    assert_within(found, gsan)


@SQL
def test_the_scheduling_commands_do_not_grow_with_the_day_s_orders(
    dispatch: Dispatch,
) -> None:
    """Programming 2 and 6 orders, moving, reordering and informing in a day of
    2 and 6 orders, closing a day of 2 and 6 orders, and the route sheet and
    file of 2 and 6 stops send as many statements."""
    gsan, place = dispatch.gsan, dispatch.place
    counter = _counter(gsan)
    scheduling = gsan.scheduling
    tech = place.technician
    day = iter(DAYS)
    dispatch.team = gsan.service_orders.update_team(
        attrs.evolve(dispatch.team, imei="356938035643809"), actor=0
    )

    def program(size: int) -> Callable[[], object]:
        return _yields(
            size,
            len,
            functools.partial(
                scheduling.program,
                unit_id=place.office,
                on=next(day),
                team_ids=[dispatch.team.id],
                order_ids=_pending(dispatch, size),
                actor=tech,
            ),
        )

    def programmed(size: int) -> tuple[date, list[int]]:
        on, orders = next(day), _pending(dispatch, size)
        scheduling.program(
            unit_id=place.office,
            on=on,
            team_ids=[dispatch.team.id],
            order_ids=orders,
            actor=tech,
        )
        return on, orders

    def move(size: int) -> Callable[[], object]:
        on, orders = programmed(size)
        return functools.partial(
            scheduling.move,
            order_id=orders[0],
            on=on,
            to_team_id=dispatch.other.id,
            actor=tech,
        )

    def reorder(size: int) -> Callable[[], object]:
        on, orders = programmed(size)
        return functools.partial(
            scheduling.reorder, order_id=orders[-1], on=on, sequence=1, actor=tech
        )

    def close(size: int) -> Callable[[], object]:
        on, _ = programmed(size)
        dispatch.clock.set(datetime.combine(on, time(20), tzinfo=UTC))
        return _yields(
            size,
            lambda closing: len(closing.returned_order_ids),
            functools.partial(
                scheduling.close_day, unit_id=place.office, on=on, actor=tech
            ),
        )

    def sheet(size: int) -> Callable[[], object]:
        on, _ = programmed(size)
        lines = functools.partial(
            scheduling.route_file, team_id=dispatch.team.id, on=on
        )
        return _yields(size, lambda found: len(list(found)) - 2, lines)

    grown = {
        "program orders": _sizes(counter, program),
        "move in a day of 2 and 6 orders": _sizes(counter, move),
        "reorder a day of 2 and 6 orders": _sizes(counter, reorder),
        "the route file of 2 and 6 stops": _sizes(counter, sheet),
        "close a day": _sizes(counter, close),
    }
    assert_flat(grown, gsan)


@SQL
def test_the_automatic_scheduling_commands_do_not_grow(dispatch: Dispatch) -> None:
    """UC1190 over 2 and 6 pending orders, and the calibration (CAL-01) of 2
    and 6 rows send as many statements; the service types' importance is one
    command."""
    gsan, place = dispatch.gsan, dispatch.place
    counter = _counter(gsan)
    scheduling = gsan.scheduling
    gsan.service_orders.add_types(
        [
            ServiceType(
                id=AUTOMATIC + k,
                description=f"AFERICAO {k}",
                abbreviation=f"AFER {k}",
                average_execution_minutes=30,
                automatic_scheduling=True,
            )
            for k in range(2)
        ],
        actor=0,
    )
    for team in (dispatch.team, dispatch.other):
        gsan.service_orders.update_team(
            attrs.evolve(team, automatic_scheduling=True), actor=0
        )
    day = iter(DAYS)
    rows = [
        gsan.catalog.add(
            "calibration",
            description=f"FAIXA {k}",
            attributes={"kind": 5, "range_from": 100 * k, "range_to": 100 * k + 99},
            actor=1,
        ).id
        for k in range(9)
    ]
    weights = iter(range(1, 1000))

    def automatic(size: int) -> Callable[[], object]:
        _pending(dispatch, size, AUTOMATIC)
        return _yields(
            size,
            lambda result: len(result.placements),
            functools.partial(
                scheduling.schedule_automatically,
                unit_id=place.office,
                on=next(day),
                actor=place.technician,
            ),
        )

    def calibrate(size: int) -> Callable[[], object]:
        weight = next(weights)
        return functools.partial(
            scheduling.inform_calibration,
            changes=dict.fromkeys(rows[:size], (weight, 1)),
            actor=1,
        )

    grown = {
        "schedule automatically": _sizes(counter, automatic),
        "inform the calibration": _sizes(counter, calibrate),
    }
    assert_flat(grown, gsan)
    urgent = [
        gsan.catalog.add(
            "calibration",
            description=f"URGENTE {k}",
            attributes={"kind": 6, "importance": 1, "weight": 5, "factor": 2},
            actor=1,
        ).id
        for k in range(2)
    ]
    importance = measure(
        counter,
        lambda n: scheduling.set_service_type_importance(
            importances={AUTOMATIC: urgent[n], AUTOMATIC + 1: urgent[n]}, actor=1
        ),
    )
    assert_within({"set the service types' importance": importance}, gsan)


# ================================================================ the tables
SERVICES = {
    "accounts": AccountService,
    "service_desk": ServiceDeskService,
    "scheduling": SchedulingService,
}


def test_every_public_method_is_a_budgeted_command_or_a_query() -> None:
    public = {
        f"{name}.{method}"
        for name, service in SERVICES.items()
        for method, _ in inspect.getmembers(service, inspect.isfunction)
        if not method.startswith("_")
    }
    assert not set(COMMANDS) & QUERIES
    assert set(COMMANDS) | QUERIES == public
    assert set(COMMANDS.values()) == set(BUDGETS)
    assert set(POSTGRES) <= set(BUDGETS)
    assert all(POSTGRES[k] <= BUDGETS[k] for k in POSTGRES)
    assert all(n > 0 for n in BUDGETS.values())
