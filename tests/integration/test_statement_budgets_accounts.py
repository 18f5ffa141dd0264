"""Statements per public command of the account services, held to a budget (issue 20).

Each command is counted with :mod:`tests.integration.budgets` on SQLite and on
PostgreSQL: run once to warm what is cached, counted the second time on a
fresh target. A command that takes several items (properties, payments, debts) is also
counted at two sizes, and must send the same number of statements at both:
never a statement per item.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal

import attrs

import gsan_core
from gsan_core.model.accounts import (
    CustomerType,
    DebtOwner,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.model.service_requests import (
    RequestSpecification,
)
from gsan_core.services.accounts import AccountService
from gsan_core.testing.scenarios import Scenario
from tests.integration import budgets
from tests.integration.budgets import counter_of, measure, sizes, yields
from tests.services.conftest import valid_property
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices
from tests.services.test_accounts_refunds import payment

D = Decimal

#: Statements (BEGIN and COMMIT included) each command may send, as measured
#: on SQLite: the outbox's counter and rows are two statements there.
BUDGETS: dict[str, int] = {
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
    # BEGIN, the property, its customers, its open debts and charges (one
    # UNION ALL read, whatever the debts: 11 before, a read each), the
    # document, outbox counter, outbox, COMMIT; the locality and the index
    # table from the reference cache (a read each before)
    "issue a debt statement": 8,
    "issue a customer's statement": 12,
    # the property read under its lock, as the statement's (11, 13 before:
    # read, then locked; 10 before the cached locality and index table and
    # the one read of debts and charges)
    "issue a bill copy": 7,
    "issue a property's certificate": 9,
    # the customer read once for CNC-01 and CNC-02, its type and sphere from
    # the reference cache (19 before); the hierarchy in one recursive read,
    # however deep (16 before: a read per level); 15 before the cached
    # locality and the one read of debts and charges
    "issue a customer's certificate": 13,
    # the whole mailing of one chunk: the job's lease, then the chunk's
    # reads one per table (debts and charges one read, the locality and
    # index table cached: 19 before), its documents, outbox, COMMIT
    "issue the statements of many properties": 16,
    # the request read under its lock (9 and 19 before: read, then locked)
    "link duplicate payments to a refund RA": 8,
    # BEGIN, the request, its orders and its payment links, its property,
    # the property's bills, charges and payments (read ahead in one
    # statement: 18 before, the closing locked and read the request again
    # and read its orders; round 8: 14 before, the links a read of their
    # own; round 9: 13 before, the property, its bills and charges, its
    # payments a read each), the bills, the credit, the payments, the links,
    # the request, outbox counter, outbox, COMMIT
    "refund duplicate payments": 10,
}

#: Where PostgreSQL sends fewer, its own lower budget: the outbox's counter
#: and rows go as one statement. The account commands defer their writes
#: (``UnitOfWork.defer_writes``): their inserts and compare-and-set updates
#: go with the outbox as that one statement (one less each; the refund's
#: billing writes, credited bills and granted credit, wait with them too).
POSTGRES: dict[str, int] = {
    "load reference data": 3,
    "register a customer": 3,
    "update a customer": 5,
    "relate a customer to a property": 6,
    "end a relation": 6,
    "inform an index": 5,
    "issue a debt statement": 6,
    "issue a customer's statement": 10,
    "issue a bill copy": 6,
    "issue a property's certificate": 7,
    "issue a customer's certificate": 11,
    # the job's lease is one statement (an advisory lock)
    "issue the statements of many properties": 10,
    "link duplicate payments to a refund RA": 6,
    # BEGIN, the request's lock and then its property's (one statement of
    # their own, not on SQLite), the request with its orders and links, the
    # property, its bills, charges and payments (one statement), then the
    # bills, the credit, the payments, the links, the request and the
    # outbox as one statement, COMMIT (13 before, 11 measured: the bills and
    # the credit were sent at once; round 8: 9 before, the links a read of
    # their own; round 9: 8 before, the property's lock, its bills and its
    # payments a statement each): the lean version's 5
    "refund duplicate payments": 5,
}

#: Every public command of the service and its budget's key.
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
}

#: The public methods of the service that only read: no write, no event.
QUERIES: frozenset[str] = frozenset(
    f"accounts.{method}"
    for method in [
        "collection_documents",
        "customer",
        "hierarchy",
        "index",
        "indices",
        "open_debts",
        "property_view",
        "refund_guide_subject",
        "refund_requests",
        "relations",
        "service_contract",
        "service_table",
        "simulate_service_charge",
        "surcharges",
        "verify_certificate",
    ]
)

SQL = budgets.SQL
assert_within = budgets.Table(BUDGETS, POSTGRES).within
assert_flat = budgets.Table(BUDGETS, POSTGRES).flat


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
    counter = counter_of(gsan)
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

    two, six = sizes(counter, load)
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
    counter = counter_of(gsan)
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
        return yields(bills, lambda done: len(done.bills), copy)

    def fee_copy(bills: int) -> Callable[[], object]:
        copy = functools.partial(
            gsan.accounts.issue_bill_copy,
            actor=1,
            property_id=indebted(bills),
            with_fee=True,
        )
        return yields(bills, lambda done: len(done.fees), copy)

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
        return yields(
            size,
            lambda summary: summary.changed,
            functools.partial(
                gsan.accounts.issue_statements,
                actor=1,
                property_ids=homes,
                key=f"mailing {homes[0]}",
            ),
        )

    certificate = sizes(
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
        "issue a debt statement": sizes(
            counter, lambda size: statement(size if size == 1 else 2 * size - 2)
        ),
        "issue a customer's statement": sizes(
            counter,
            lambda size: functools.partial(
                gsan.accounts.issue_customer_statement, actor=1, customer_id=owned(size)
            ),
        ),
        "issue the statements of many properties": sizes(counter, mailing),
        "issue a bill copy": sizes(counter, bill_copy),
    }
    assert_flat(grown, gsan)
    # SVS-01: the fees of a copy are one insert, whatever the bills (issue
    # 20, ninth round: an insert a bill before, 8 and 12 statements here on
    # PostgreSQL, 9 and 13 on SQLite)
    fees = sizes(counter, fee_copy)
    assert fees == (grown["issue a bill copy"][0] + 1,) * 2, fees
    clean = [next(first) for _ in range(2)]
    for home in clean:
        _owner_of(gsan, home, 1, 0)
    certificate = measure(
        counter,
        lambda n: gsan.accounts.issue_certificate(actor=1, property_id=clean[n]),
    )
    assert_within({"issue a property's certificate": certificate}, gsan)
    # CND-02 and CND-09: a responsible customer's sphere and the header's
    # user come from one read of both (issue 20, ninth round: a read each
    # before, one statement more than without a responsible)
    payer = gsan.accounts.register_customer(
        actor=1, name="PAGADOR", customer_type_id=2
    ).id
    answering = [next(first) for _ in range(2)]
    for home in answering:
        _owner_of(gsan, home, 1, 0)
        _relate(gsan, payer, home, RelationType.RESPONSIBLE)
    with_payer = measure(
        counter,
        lambda n: gsan.accounts.issue_certificate(actor=1, property_id=answering[n]),
    )
    assert with_payer == certificate, (with_payer, certificate)


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
    counter = counter_of(system)
    ids = iter(range(7000, 100_000))
    actor = given.place.attendant

    def link(size: int) -> Callable[[], object]:
        request, paid, _ = _refund_request(given, ids, size)
        return yields(
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
        "link duplicate payments to a refund RA": sizes(counter, link),
        "refund duplicate payments": sizes(counter, refund),
    }
    assert_flat(grown, system)


def test_every_public_method_is_a_budgeted_command_or_a_query() -> None:
    budgets.assert_tables(
        "accounts", AccountService, (COMMANDS, QUERIES), BUDGETS, POSTGRES
    )
