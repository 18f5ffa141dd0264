"""The accounts area under concurrent writers (``docs/concurrency.md``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import gsan_core
from gsan_core.model.accounts import RelationType
from gsan_core.model.billing import DebtKind, PaymentSituation
from gsan_core.model.service_requests import RequestSpecification
from gsan_core.testing import Scenario
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, attempt, race
from tests.concurrency.test_pairs import attempts, losers_got_library_errors
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item
from tests.services.test_accounts_refunds import ATTENDANT, SPEC, payment

D = Decimal


def _relate(system: gsan_core.System, customer_id: int) -> Attempt:
    return attempt(
        lambda: (
            system.accounts.relate(
                actor=1,
                customer_id=customer_id,
                property_id=1,
                relation=RelationType.USER,
                start=date(2024, 1, customer_id),
            ).id
        )
    )


def test_four_users_related_to_one_property_at_once(database: Database) -> None:
    """A property has one USER at a time (overlapping periods are refused):
    four processes relating a user at once leave exactly one."""
    system, shared = database.make()
    setup_counter(system)
    ids = [
        system.accounts.register_customer(
            actor=1, name=f"CLIENTE {n}", customer_type_id=1
        ).id
        for n in range(4)
    ]
    tried = attempts(race(_relate, [(shared, i) for i in ids]))
    losers_got_library_errors(tried)
    assert sum(a.ok for a in tried) == 1, tried
    users = [
        r
        for r in system.accounts.relations(property_id=1)
        if r.relation is RelationType.USER
    ]
    assert len(users) == 1


def _refund_ras(system: gsan_core.System) -> tuple[list[int], int]:
    """Two refund RAs (of two refund specifications) on one property, each
    with a duplicated payment of 60.00 linked; the property's one bill of
    50.00 (801): the RAs and the property."""
    given = Scenario(system)
    given.ready()
    for ident in (950, 951):
        system.service_requests.configuration.add_specification(
            RequestSpecification(
                id=ident,
                request_type_id=101,
                description=f"{SPEC} {ident}",
                deadline_days=5,
                requires_property=True,
                duplicate_payment=True,
            ),
            actor=given.actor,
        )
    home = given.property()
    system.billing.record_payments(
        [payment(7001, property_id=home.id), payment(7002, property_id=home.id)]
    )
    system.billing.record_debts(
        [item(801, property_id=home.id, amount=D("50.00"), reference=202411)]
    )
    ras = []
    for spec, paid in ((950, 7001), (951, 7002)):
        opened = given.request(spec, property=home, duplicate_payment_ids=[paid])
        system.accounts.link_duplicate_payments(
            actor=given.actor, request_id=opened.request.id, payment_ids=[paid]
        )
        ras.append(opened.request.id)
    return ras, home.id


def _refund(system: gsan_core.System, request_id: int, payment_id: int) -> Attempt:
    return attempt(
        lambda: (
            system.accounts.refund(
                actor=ATTENDANT,
                request_id=request_id,
                payment_ids=[payment_id],
                bill_ids=[801],
            ).credited_on_bills
        )
    )


def test_two_refunds_on_one_property_credit_its_bill_once(
    database: Database,
) -> None:
    """UC1131 (DEV-06, DEV-10): two RAs of one property refund at once onto
    its one bill. Each locks its RA, then the property, and reads the bills
    after both locks: the second reads the bill the first credited (nothing
    left to credit: ``BILL_NOT_OFFERED``), never a stale one (which its
    compare-and-set would refuse as a ``ConcurrencyConflict``)."""
    system, shared = database.make()
    ras, home = _refund_ras(system)
    tried = attempts(race(_refund, [(shared, ras[0], 7001), (shared, ras[1], 7002)]))
    losers_got_library_errors(tried)
    assert sorted(a.error or "ok" for a in tried) == ["RuleViolation", "ok"], tried
    assert [a.value for a in tried if a.ok] == [D("50.00")]
    (bill,) = [d for d in system.billing.open_debts(home) if d.id == 801]
    assert bill.amount == D("0.00")
    situations = sorted(p.situation.value for p in system.billing.payments(home))
    assert situations == sorted(
        [PaymentSituation.REFUNDED.value, PaymentSituation.DUPLICATE.value]
    )


def test_one_refund_ra_refunded_twice_at_once_is_refunded_once(
    database: Database,
) -> None:
    """UC1131: the same RA refunded by two processes: the second waits for the
    RA's lock and finds it closed (``REQUEST_NOT_PENDING``)."""
    system, shared = database.make()
    ras, home = _refund_ras(system)
    tried = attempts(race(_refund, [(shared, ras[0], 7001), (shared, ras[0], 7001)]))
    losers_got_library_errors(tried)
    assert sorted(a.error or "ok" for a in tried) == ["RuleViolation", "ok"], tried
    granted = [d for d in system.billing.open_debts(home) if d.kind is DebtKind.CREDIT]
    assert [c.amount for c in granted] == [D("10.00")]
