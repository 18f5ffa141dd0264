"""The lean bill copy and property certificate (``benchmarks.lean_documents``)
leave the rows the library leaves: the benchmark compares like with like
(issue 20, ninth round).

The library issues the document of one property and the lean version that
of a twin (the same location, customers and bills, other ids: those of
:mod:`tests.integration.test_lean_accounts`); the fee charges, certificates
and outbox rows are compared without the keys that name the target.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
import sqlalchemy as sa
from benchmarks import lean_accounts, lean_documents, scale

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.profile import SecondCopyParameters
from gsan_core.profiles import LoadedProfile
from gsan_core.testing import FixedClock
from gsan_core.testing.request_utility import request_profile
from tests.integration import lean_rows
from tests.integration.test_lean_accounts import KEYS, _homes, _reference

pytestmark = pytest.mark.postgres

#: The keys of a copy's event that name its bills.
COPY_KEYS = KEYS | {"bill_ids"}


@pytest.fixture
def gsan(sql: SqlBackend) -> gsan_core.System:
    """:func:`benchmarks.scale._system`'s, a second copy's fee the
    parameter's 3.50 (SVS-02), so that the fee rows say something."""
    system = gsan_core.System(
        uow_factory=sql.uow_factory,
        backend=sql,
        profile=_with_fee(request_profile(large_consumer_unit_id=None)),
        clock=FixedClock(scale.NOW),
        keep_events=False,
    )
    system.seed()
    return system


def _with_fee(loaded: LoadedProfile) -> LoadedProfile:
    fee = SecondCopyParameters(fee_rule="parametro", valor=Decimal("3.50"))
    return attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, segunda_via=fee))


def _charges(sql: SqlBackend, home: int) -> list[dict[str, object]]:
    charge = sql.tables["charge"]
    with sql.engine.connect() as connection:
        return [
            {k: v for k, v in r.items() if k not in KEYS}
            for r in connection.execute(
                sa.select(charge)
                .where(charge.c.property_id == home)
                .order_by(charge.c.reference)
            ).mappings()
        ]


def test_a_lean_bill_copy_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """UC0482 with its fees: the same bills (values with surcharges), a fee
    charge per bill alike and one ``accounts.bill_copy_issued``, from
    either."""
    user, payer = _reference(gsan)
    library_home, lean_home = _homes(gsan, user, payer, (801, 802))
    issued = gsan.accounts.issue_bill_copy(
        actor=1, property_id=library_home, with_fee=True
    )
    lean = lean_documents.lean_bill_copy(
        sql,
        lean_home,
        profile=gsan.profile,
        keep=lean_accounts.kept(gsan, 1),
        with_fee=True,
        first_id=10**9,
        now=scale.NOW,
        today=scale.TODAY,
        actor=1,
    )
    # the printed values: the bills' with their surcharges (UC0216)
    printed = [x.updated_value for x in issued.bills]
    assert [x.updated_value for x in lean.bills] == printed
    assert sum(printed) > Decimal("85.40") * 3  # surcharges priced
    assert lean.fee == issued.fee == Decimal("10.50")
    written = _charges(sql, library_home)
    assert len(written) == 3
    assert _charges(sql, lean_home) == written
    first, second = lean_rows.outbox(sql, 2, without=COPY_KEYS)
    assert first == second
    assert first["tag"] == "accounts.bill_copy_issued"


def test_a_lean_property_certificate_writes_the_library_s_rows(
    sql: SqlBackend, gsan: gsan_core.System
) -> None:
    """CND-01..CND-11: the same certificate of a property without debts (its
    header naming its user, its responsible's sphere asked) and one
    ``accounts.certificate_issued``, from either."""
    user, payer = _reference(gsan)
    library_home, lean_home = _homes(gsan, user, payer, (811, 812), bills=0)
    issued = gsan.accounts.issue_certificate(actor=1, property_id=library_home)
    lean = lean_documents.lean_certificate(
        sql,
        lean_home,
        profile=gsan.profile,
        keep=lean_accounts.kept(gsan, 1),
        certificate_id=10**9,
        code="AB12",
        now=scale.NOW,
        today=scale.TODAY,
        actor=1,
    )
    assert [h.user_name for h in lean.headers] == ["ANA"]
    assert lean.text == issued.text
    written = lean_rows.rows(
        sql, "certificate", "property_id", [library_home, lean_home], without=KEYS
    )
    assert written[0] == written[1]
    first, second = lean_rows.outbox(sql, 2, without=KEYS)
    assert first == second
    assert first["tag"] == "accounts.certificate_issued"
