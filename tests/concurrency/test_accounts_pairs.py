"""The accounts area under concurrent writers (``docs/concurrency.md``)."""

from __future__ import annotations

from datetime import date

import gsan_core
from gsan_core.model.accounts import RelationType
from tests.concurrency.conftest import Database
from tests.concurrency.support import Attempt, attempt, race
from tests.concurrency.test_pairs import attempts, losers_got_library_errors
from tests.services.test_accounts_customers import setup_counter


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
