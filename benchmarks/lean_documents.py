"""A property's counter documents beside their lean SQL (issue 20, ninth round).

:func:`lean_bill_copy` issues a property's second copy of its bills (Segunda
Via da Conta, UC0482, SVS-01..SVS-08, every open bill) the way a database
engineer would write it by hand (:mod:`benchmarks.lean_sql`): ``BEGIN``; one
joined read of the property (locked), its locality, its relations and each
relation's customer; one read of its bills; one write statement of the fee
charges (``with_fee``) and the outbox row (data-modifying CTEs, the outbox
counter among them); ``COMMIT``.

:func:`lean_certificate` issues a property's certificate (Certidão Negativa
de Débitos, CND-01..CND-11): ``BEGIN``; the same joined read, each
customer's sphere of power joined (CND-02 asks the responsible's); the
property's debt rows ``UNION ALL`` its charges; one write of the certificate
and its outbox row; ``COMMIT``.

The rules are the library's pure ones (UC0067's ``select_debts``, UC0216's
``assess``, ``second_copy``, ``documents.property_certificate``); the reads
and the pricing are :mod:`benchmarks.lean_accounts`' (the index table and
the business days kept, as the library caches them): the lean versions save
the library's persistence, not its rules. PostgreSQL only (the benchmark's
database).

:func:`measure_bill_copy` and :func:`measure_certificate` time them beside
the library (``python -m benchmarks.commands --only
bill_copy,property_certificate``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_accounts, lean_sql, scale
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.accounts import (
    AccountDebts,
    BillCopy,
    BillCopyIssued,
    CertificateIssued,
    NoDebtCertificate,
    RelationType,
)
from gsan_core.model.billing import Charge
from gsan_core.model.profile import UtilityProfile
from gsan_core.rules.accounts import documents as rules
from gsan_core.rules.accounts import second_copy as copy_rules
from gsan_core.rules.accounts.customers import current_customer
from gsan_core.rules.accounts.debts import DebtQuery, select_debts
from gsan_core.services.accounts.documents import new_code

__all__ = [
    "COMMANDS",
    "lean_bill_copy",
    "lean_certificate",
    "measure_bill_copy",
    "measure_certificate",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = ("bill_copy", "property_certificate")
#: UC0482's read of the debts: the bills only (SVS-04).
COPY_QUERY = DebtQuery(charges=False, credits=False, payment_slips=False)


def _read(sql: SqlBackend) -> sa.Select[Any]:
    """:func:`benchmarks.lean_accounts`' property read (locked, a row per
    relation), each relation's customer's sphere of power joined: its
    ``property_certificate_allowed`` as ``s_allowed``."""
    t = sql.tables
    cust, kind, sphere = t["customer"], t["customer_type"], t["power_sphere"]
    return (
        lean_accounts._property_read(sql)
        .outerjoin(kind, kind.c.id == cust.c.customer_type_id)
        .outerjoin(sphere, sphere.c.id == kind.c.power_sphere_id)
        .add_columns(sphere.c.property_certificate_allowed.label("s_allowed"))
    )


def _bills_read(sql: SqlBackend) -> sa.Select[Any]:
    """The property's debt rows (a copy lists bills: no charges)."""
    debt = sql.tables["open_debt"]
    return sa.select(*debt.c, sa.literal(0)).where(
        debt.c.property_id == sa.bindparam("k_property", type_=sa.BigInteger)
    )


def _fees_write(sql: SqlBackend) -> Any:
    """The fee charges (their ids ``:f_ids`` and references ``:f_refs``
    unnested, the other columns bound ``f_*``: alike for every bill) and the
    outbox row, one statement built once."""
    table = sql.tables["charge"]
    given = (
        sa.func.unnest(
            sa.bindparam("f_ids", type_=postgresql.ARRAY(sa.BigInteger)),
            sa.bindparam("f_refs", type_=postgresql.ARRAY(sa.Integer)),
        )
        .table_valued("id", "reference")
        .render_derived(name="f")
    )
    names = [c.key for c in table.c]
    shared = lean_sql.bound(table, "f_", *(n for n in names if n not in _PER_FEE))
    columns = [given.c[n] if n in _PER_FEE else shared[n].label(n) for n in names]
    insert = sa.insert(table).from_select(names, sa.select(*columns))
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


#: The columns of a fee charge that differ from bill to bill.
_PER_FEE = ("id", "reference")


def _outbox_write(sql: SqlBackend) -> Any:
    """The outbox row alone (a copy without fees)."""
    first, *rest = lean_sql.outbox_rows(sql, 1)
    return lean_sql.one_statement([first, *rest])


def _certificate_write(sql: SqlBackend) -> Any:
    """The certificate (bound ``c_*``) and its outbox row."""
    table = sql.tables["certificate"]
    insert = sa.insert(table).values(lean_sql.bound(table, "c_"))
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def _debts(
    profile: UtilityProfile,
    keep: lean_accounts.Kept,
    home: Any,
    items: Sequence[Any],
    *,
    query: DebtQuery,
    today: date,
) -> AccountDebts:
    """UC0067 of ``query`` for one property, priced by UC0216 when the query
    asks surcharges (the library's DebtReader)."""
    prop, relations = home.prop, home.relations
    exempt = lean_accounts.exemption(profile, home)
    price = lean_accounts._pricer(
        profile, keep, today=today, municipality=home.municipality, exempt=exempt
    )
    return select_debts(
        items,
        property_ids=[prop.id],
        query=query,
        current_user={prop.id: current_customer(relations, RelationType.USER)},
        split_previous_occupants=profile.surcharge.split_previous_occupants,
        price=price if query.surcharges else None,
        contract_blocked=profile.surcharge.contract_blocked,
    )


def _event(event: Any, now: datetime, actor: int) -> dict[str, Any]:
    """The parameters of the outbox row of ``event``."""
    (payload,) = serialization.to_dicts([event])
    return lean_sql.event(0, event.tag, now, actor, payload)


def lean_bill_copy(
    sql: SqlBackend,
    property_id: int,
    *,
    profile: UtilityProfile,
    keep: lean_accounts.Kept,
    with_fee: bool,
    first_id: int,
    now: datetime,
    today: date,
    actor: int,
) -> BillCopy:
    """UC0482 of every open bill, lean: ``BEGIN``, the property with its
    relations and customers (locked), its bills, one write of the fee
    charges (``with_fee``, ids from ``first_id``) and the outbox row,
    ``COMMIT``. SVS-06's document check is off in the profile (asserted):
    the lean version asks no permission."""
    params = profile.segunda_via
    assert not params.exige_documento
    read = lean_sql.built(sql, "documents read", lambda: _read(sql))
    bills = lean_sql.built(sql, "documents bills", lambda: _bills_read(sql))
    with sql.engine.begin() as connection:
        key = {"k_property": property_id}
        rows = connection.execute(read, key).mappings().all()
        home = lean_accounts._homes(sql, rows)[property_id]
        items = lean_accounts._items(sql, connection.execute(bills, key))
        debts = _debts(
            profile,
            keep,
            home,
            items.get(property_id, ()),
            query=COPY_QUERY,
            today=today,
        )
        prop = home.prop
        chosen = copy_rules.chosen_bills(
            debts,
            property_id=property_id,
            bill_ids=None,
            needs_document=False,
            has_document=False,
            special_situation_blocks=lean_accounts._blocked(profile, prop),
        )
        fees: list[Charge] = []
        if copy_rules.fee_wanted(
            with_fee=with_fee, property_profile_id=prop.profile_id, params=params
        ):
            value = copy_rules.fee_value(
                social_tariff=profile.plays(
                    "property_profile.social_tariff", prop.profile_id
                ),
                params=params,
            )
            fees = copy_rules.fee_charges(
                chosen,
                property_id=property_id,
                value=value,
                ids=range(first_id, first_id + len(chosen)),
                at=now,
                actor=actor,
            )
        result = BillCopy(
            property_id=property_id, issued_at=now, bills=chosen, fees=fees
        )
        event = BillCopyIssued(
            occurred_at=now,
            actor=actor,
            property_id=property_id,
            bill_ids=[x.debt.id for x in chosen],
            fee=result.fee,
        )
        values = _event(event, now, actor)
        if fees:
            row = sql.mappers.charge.to_row(fees[0])
            shared = {k: v for k, v in row.items() if k not in _PER_FEE}
            values |= lean_sql.params("f_", shared)
            values |= {
                "f_ids": [f.id for f in fees],
                "f_refs": [f.reference for f in fees],
            }
            write = lean_sql.built(sql, "copy fees", lambda: _fees_write(sql))
        else:
            write = lean_sql.built(sql, "copy outbox", lambda: _outbox_write(sql))
        connection.execute(write, values)
    return result


def lean_certificate(
    sql: SqlBackend,
    property_id: int,
    *,
    profile: UtilityProfile,
    keep: lean_accounts.Kept,
    certificate_id: int,
    code: str,
    now: datetime,
    today: date,
    actor: int,
) -> NoDebtCertificate:
    """CND-01..CND-11, lean: ``BEGIN``, the property with its locality, its
    relations, their customers and spheres (locked), its debts and charges,
    one write of the certificate and its outbox row, ``COMMIT``."""
    read = lean_sql.built(sql, "documents read", lambda: _read(sql))
    debts_read = lean_sql.built(
        sql, "statement debts", lambda: lean_accounts._debts_read(sql)
    )
    with sql.engine.begin() as connection:
        values = {"k_property": property_id}
        rows = connection.execute(read, values).mappings().all()
        home = lean_accounts._homes(sql, rows)[property_id]
        items = lean_accounts._items(sql, connection.execute(debts_read, values))
        responsible = current_customer(home.relations, RelationType.RESPONSIBLE)
        allows = next((r["s_allowed"] for r in rows if r["c_id"] == responsible), None)
        debts = _debts(
            profile,
            keep,
            home,
            items.get(property_id, ()),
            query=rules.certificate_query(profile.cnd, today),
            today=today,
        )
        result = rules.property_certificate(
            debts,
            property_id=property_id,
            certificate_id=certificate_id,
            code=code,
            params=profile.cnd,
            at=now,
            today=today,
            actor=actor,
            responsible_sphere_allows=allows is not False,  # CND-02
            header=lean_accounts._header(sql, home),
        )
        cert = result.certificate
        event = CertificateIssued(
            occurred_at=now,
            actor=actor,
            certificate_id=cert.id,
            subject=cert.subject,
            authentication_code=cert.authentication_code,
            property_id=cert.property_id,
            customer_id=cert.customer_id,
        )
        values = _event(event, now, actor)
        values |= lean_sql.params("c_", sql.mappers.certificate.to_row(cert))
        write = lean_sql.built(sql, "certificate", lambda: _certificate_write(sql))
        connection.execute(write, values)
    return result


# ---------------------------------------------------------------- measure
def measure_bill_copy(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` bill copies with their fees issued by each side on
    properties with open debts (after those the statements take), each the
    user's of a customer (:func:`benchmarks.lean_accounts.owners`)."""
    homes = lean_accounts.indebted(sql, 2 * count, skip=40_000 + skip)
    assert len(homes) == 2 * count, len(homes)
    lean_accounts.owners(gsan, sql, homes)
    keep = lean_accounts.kept(gsan, scale.ADMIN)
    ids = id_ranges.take("bill_copy")
    return lean_accounts.interleave_issues(
        sql,
        size,
        "issue a bill copy with its fees (lean SQL)",
        targets=homes,
        library=lambda home: gsan.accounts.issue_bill_copy(
            actor=scale.ADMIN, property_id=home, with_fee=True
        ),
        lean=lean_bill_copy,
        fresh=lambda: {"first_id": ids.block(100)},
        profile=gsan.profile,
        keep=keep,
        with_fee=True,
    )


def measure_certificate(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` properties' certificates issued by each side on properties
    without debts (after those the customers' certificates take), each the
    user's of a customer (:func:`benchmarks.lean_accounts.owners`)."""
    homes = lean_accounts.clean(sql, 2 * count, skip=10_000 + skip)
    assert len(homes) == 2 * count, len(homes)
    lean_accounts.owners(gsan, sql, homes)
    keep = lean_accounts.kept(gsan, scale.ADMIN)
    ids = id_ranges.take("property_certificate")
    return lean_accounts.interleave_issues(
        sql,
        size,
        "issue a property's certificate (lean SQL)",
        targets=homes,
        library=lambda home: gsan.accounts.issue_certificate(
            actor=scale.ADMIN, property_id=home
        ),
        lean=lean_certificate,
        fresh=lambda: {"certificate_id": next(ids), "code": new_code(scale.TODAY)},
        profile=gsan.profile,
        keep=keep,
    )
