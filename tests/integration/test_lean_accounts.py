"""The lean debt statement (``benchmarks.lean_accounts``) leaves the rows the
library leaves: the benchmark compares like with like (issue 20).

The library issues the statement of one property and the lean version that of
a twin (the same location, customers, bills and charge, other ids); the
collection documents and their outbox rows are compared without the keys that
name the target (ids, the property, the barcode that encodes both, the items'
debt ids).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import lean_accounts, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.accounts import (
    CustomerType,
    DebtOwner,
    PersonKind,
    PowerSphere,
    RelationType,
)
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.properties import Economies
from gsan_core.testing.contracts import location, sample_property
from tests.integration import lean_rows

pytestmark = pytest.mark.postgres

#: The keys that name the target, not what was done to it.
KEYS = frozenset(
    {"id", "property_id", "document_id", "barcode", "debt_id"}
    | {"customer_id", "certificate_id", "authentication_code"}
)


def _twins(gsan: gsan_core.System) -> tuple[int, int]:
    """Two properties alike (:func:`_homes`)."""
    user, payer = _reference(gsan)
    first, second = _homes(gsan, user, payer, (501, 502))
    return first, second


def _reference(gsan: gsan_core.System) -> tuple[int, int]:
    """The location, the index table of the bills' months, a user and a
    responsible customer."""
    loc, sector, block, route = location()
    gsan.properties.load_locations(
        actor=1, localities=[loc], sectors=[sector], blocks=[block], routes=[route]
    )
    gsan.accounts.load_reference(
        power_spheres=[PowerSphere(id=1, description="PARTICULAR")],
        customer_types=[
            CustomerType(
                id=1,
                description="PESSOA FISICA",
                person_kind=PersonKind.INDIVIDUAL,
                power_sphere_id=1,
            )
        ],
    )
    for month in (*range(202401, 202413), 202501):
        gsan.accounts.inform_index(
            actor=1,
            month=month,
            fine_rate=Decimal("2"),
            interest_rate=Decimal("1"),
            correction_factor=Decimal("1") + Decimal(month % 100) / 1000,
        )
    user = gsan.accounts.register_customer(actor=1, name="ANA", customer_type_id=1)
    payer = gsan.accounts.register_customer(actor=1, name="BIA", customer_type_id=1)
    return user.id, payer.id


def _homes(
    gsan: gsan_core.System,
    user: int,
    payer: int,
    homes: tuple[int, ...],
    *,
    bills: int = 3,
) -> tuple[int, ...]:
    """Properties alike: ``user`` and ``payer`` (responsible) related to
    each, ``bills`` overdue bills each."""
    for home in homes:
        gsan.properties.register(
            attrs.evolve(
                sample_property(home),
                categories=(Economies(category_id=1, subcategory_id=10, count=1),),
            ),
            actor=1,
        )
        for customer, relation in (
            (user, RelationType.USER),
            (payer, RelationType.RESPONSIBLE),
        ):
            gsan.accounts.relate(
                actor=1,
                customer_id=customer,
                property_id=home,
                relation=relation,
                start=date(2024, 1, 1),
            )
        gsan.billing.record_debts(
            [
                OpenDebt(
                    id=100 * home + n,
                    property_id=home,
                    kind=DebtKind.BILL,
                    amount=Decimal("85.40") + n,
                    due_date=date(2024, 3 + 2 * n, 10),
                    reference=202402 + 2 * n,
                )
                for n in range(bills)
            ]
        )
    return homes


def _without(value: Any) -> Any:
    """``value`` without the keys :data:`KEYS`, however nested."""
    if isinstance(value, dict):
        return {k: _without(v) for k, v in value.items() if k not in KEYS}
    if isinstance(value, list):
        return [_without(v) for v in value]
    return value


def test_a_lean_debt_statement_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """EXT-01..EXT-19: the same document (value, surcharges, validity,
    items) and one ``accounts.collection_document_issued``, from either."""
    library_home, lean_home = _twins(gsan)
    issued = gsan.accounts.issue_statement(actor=1, property_id=library_home)
    lean = lean_accounts.lean_statement(
        sql,
        lean_home,
        profile=gsan.profile,
        keep=lean_accounts.kept(gsan, 1),
        document_id=10**9,
        now=scale.NOW,
        today=scale.TODAY,
        actor=1,
    )
    assert lean.value == issued.value
    assert issued.value > Decimal("85.40") * 3  # surcharges priced
    documents = sql.tables["collection_document"]
    with sql.engine.connect() as connection:
        ids = list(
            connection.execute(
                sa.select(documents.c.id)
                .where(documents.c.property_id.in_([library_home, lean_home]))
                .order_by(documents.c.property_id)
            ).scalars()
        )
    assert ids[1] == 10**9
    written = lean_rows.rows(sql, "collection_document", "id", ids, without=KEYS)
    assert _without(written[0]) == _without(written[1])
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["tag"] == "accounts.collection_document_issued"


def test_a_lean_customer_statement_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """EXT-20: a document per property of the customer's, alike, and one
    ``accounts.collection_document_issued`` each, from either."""
    _reference(gsan)
    owners = [
        gsan.accounts.register_customer(actor=1, name=name, customer_type_id=1).id
        for name in ("CAIO", "DORA")
    ]
    library_homes = _homes(gsan, owners[0], owners[0], (601, 602))
    lean_homes = _homes(gsan, owners[1], owners[1], (603, 604))
    issued = gsan.accounts.issue_customer_statement(actor=1, customer_id=owners[0])
    lean = lean_accounts.lean_customer_statement(
        sql,
        owners[1],
        profile=gsan.profile,
        keep=lean_accounts.kept(gsan, 1),
        first_id=10**9,
        now=scale.NOW,
        today=scale.TODAY,
        actor=1,
    )
    assert [s.value for s in lean] == [s.value for s in issued.statements]
    assert len(lean) == 2
    written = [
        lean_rows.rows(
            sql,
            "collection_document",
            "property_id",
            list(homes),
            without=KEYS,
        )
        for homes in (library_homes, lean_homes)
    ]
    assert _without(written[0]) == _without(written[1])
    events = lean_rows.outbox(sql, 4, without=KEYS)
    assert events[:2] == events[2:]
    assert {e["tag"] for e in events} == {"accounts.collection_document_issued"}


def test_a_lean_customer_certificate_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """CNC-01..CNC-07: the same certificate of a customer without debts (its
    properties, their headers) and one ``accounts.certificate_issued``, from
    either."""
    _reference(gsan)
    owners = []
    for name, homes in (("CAIO", (701, 702)), ("DORA", (703, 704))):
        owner = gsan.accounts.register_customer(
            actor=1, name=name, customer_type_id=1
        ).id
        _homes(gsan, owner, owner, homes, bills=0)
        owners.append(owner)
    issued = gsan.accounts.issue_customer_certificate(
        actor=1, customer_id=owners[0], scope=DebtOwner.CURRENT_PROPERTIES
    )
    lean = lean_accounts.lean_customer_certificate(
        sql,
        owners[1],
        profile=gsan.profile,
        certificate_id=10**9,
        code="AB12",
        now=scale.NOW,
        today=scale.TODAY,
        actor=1,
    )
    assert issued.property_ids == (701, 702)
    assert lean.property_ids == (703, 704)
    # the headers alike but their users (the owners)
    assert [h.user_name for h in lean.headers] == ["DORA", "DORA"]
    assert [h.user_name for h in issued.headers] == ["CAIO", "CAIO"]
    assert [
        _without(attrs.asdict(attrs.evolve(h, user_id=0, user_name="")))
        for h in lean.headers
    ] == [
        _without(attrs.asdict(attrs.evolve(h, user_id=0, user_name="")))
        for h in issued.headers
    ]
    assert lean.text == issued.text
    written = lean_rows.rows(sql, "certificate", "customer_id", owners, without=KEYS)
    assert written[0] == written[1]
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["tag"] == "accounts.certificate_issued"
