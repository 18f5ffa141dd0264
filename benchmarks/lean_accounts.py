"""The debt statement beside its lean SQL (issue 20, seventh round).

:func:`lean_statement` issues a property's debt statement (Extrato de
Débitos, EXT-01..EXT-19, every offered item ticked, acréscimos included) the
way a database engineer would write it by hand (:mod:`benchmarks.lean_sql`):
``BEGIN``; one joined read of the property (locked), its locality's
municipality and its relations with each relation's customer's surcharge flag;
one read of its debt rows ``UNION ALL`` its charges; one write statement of
the document and its outbox row (data-modifying CTEs, the outbox counter among
them); ``COMMIT``. The index table, the actor's special permissions and the
business days are read once and kept, as the library keeps them (its
reference cache, ACR-05's cache). The pricing and the document are the
library's pure rules (UC0067's ``select_debts``, UC0216's ``assess``,
``documents.statement``): the lean version saves the library's persistence,
not its rules. PostgreSQL only (the benchmark's database).

:func:`measure_statement` times it beside ``gsan.accounts.issue_statement``
(``python -m benchmarks.commands --only debt_statement``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks import lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.ports import CHARGE_COLUMNS, charge_debt
from gsan_core.model.accounts import (
    CollectionDocumentIssued,
    CustomerProperty,
    DebtStatement,
    RelationType,
    SurchargeMemo,
    SurchargeOption,
    ZeroReason,
)
from gsan_core.model.billing import OpenDebt
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.ports.calendar import BusinessCalendar
from gsan_core.rules.accounts import documents as rules
from gsan_core.rules.accounts.customers import current_customer
from gsan_core.rules.accounts.debts import select_debts
from gsan_core.rules.accounts.surcharges import IndexTable, assess

__all__ = ["Kept", "kept", "lean_statement", "measure_statement"]


@attrs.define(kw_only=True)
class Kept:
    """What the lean version reads once and keeps, as the library caches it:
    the index table, the actor's special permissions (the statement's fee,
    the special validity) and the business days asked."""

    indices: IndexTable
    fee: Decimal
    special_validity: bool
    calendar: BusinessCalendar
    business: dict[tuple[date, int | None], bool] = attrs.field(factory=dict)


def kept(gsan: gsan_core.System, actor: int) -> Kept:
    """:class:`Kept` of ``gsan``'s database for ``actor``."""
    profile = gsan.profile
    params = profile.extrato

    def holds(role: str) -> bool:
        wanted = profile.ids(f"permission.{role}")
        with gsan.uow_factory() as uow:
            return any(uow.permissions.has(actor, pid) for pid in wanted)

    fee = (
        params.valor_taxa
        if params.cobrar_taxa and holds("statement_fee")
        else Decimal(0)
    )
    return Kept(
        indices=IndexTable(gsan.accounts.indices()),
        fee=fee,
        special_validity=holds("statement_special_validity"),
        calendar=gsan.calendar,
    )


def _labelled(table: sa.Table, prefix: str) -> list[Any]:
    return [c.label(f"{prefix}{c.key}") for c in table.c]


def _property_read(sql: SqlBackend) -> sa.Select[Any]:
    """The property (locked), its locality's municipality, its relations and
    each relation's customer's surcharge flag: a row per relation."""
    t = sql.tables
    p, loc, rel, cust = (
        t["property"],
        t["locality"],
        t["customer_property"],
        t["customer"],
    )
    return (
        sa.select(
            p,
            loc.c.municipality_id.label("l_municipality_id"),
            loc.c.id.label("l_id"),
            *_labelled(rel, "r_"),
            cust.c.charges_surcharges.label("c_charges_surcharges"),
        )
        .select_from(
            p.outerjoin(loc, loc.c.id == p.c.locality_id)
            .outerjoin(rel, rel.c.property_id == p.c.id)
            .outerjoin(cust, cust.c.id == rel.c.customer_id)
        )
        .where(p.c.id == sa.bindparam("k_property"))
        .order_by(rel.c.id)
        .with_for_update(of=p)
    )


def _debts_read(sql: SqlBackend) -> Any:
    """The property's debt rows ``UNION ALL`` its charges (the other side's
    columns null; the last column 0 for a debt row, 1 for a charge)."""
    debt, charge = sql.tables["open_debt"], sql.tables["charge"]
    charges = [charge.c[n] for n in CHARGE_COLUMNS]

    def nulls(columns: list[Any]) -> list[Any]:
        return [sa.type_coerce(sa.null(), c.type).label(None) for c in columns]

    mine: sa.BindParameter[int] = sa.bindparam("k_property")
    return sa.union_all(
        sa.select(*debt.c, *nulls(charges), sa.literal(0)).where(
            debt.c.property_id == mine
        ),
        sa.select(*nulls(list(debt.c)), *charges, sa.literal(1)).where(
            charge.c.property_id == mine
        ),
    )


def _write(sql: SqlBackend) -> Any:
    """The document and its outbox row (the counter's upsert a CTE)."""
    table = sql.tables["collection_document"]
    insert = sa.insert(table).values(lean_sql.bound(table, "d_"))
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def _pricer(
    profile: UtilityProfile,
    keep: Kept,
    *,
    today: date,
    municipality: int | None,
    exempt: ZeroReason | None,
) -> Callable[[OpenDebt], SurchargeMemo]:
    """UC0216 for the items of one property (DebtReader's pricer, one
    property)."""
    params = profile.surcharge
    assert not params.tariff_update  # ACR-12's reads: not in this profile

    def business_day(day: date) -> bool:
        key = (day, municipality)
        known = keep.business.get(key)
        if known is None:
            known = keep.business[key] = keep.calendar.is_business_day(
                day, scope=params.holiday_scope, municipality_id=municipality
            )
        return known

    def price(debt: OpenDebt) -> SurchargeMemo:
        return assess(
            debt,
            today=today,
            indices=keep.indices,
            params=params,
            is_business_day=business_day,
            has_municipality=municipality is not None,
            exempt=exempt,
            overdue_after_days=profile.collection.overdue_after_days,
        )

    return price


def _statement(
    sql: SqlBackend,
    connection: sa.Connection,
    property_id: int,
    *,
    profile: UtilityProfile,
    keep: Kept,
    document_id: int,
    now: datetime,
    today: date,
    actor: int,
) -> DebtStatement:
    """The reads and the rules: the statement to write."""
    read = lean_sql.built(sql, "statement read", lambda: _property_read(sql))
    debts_read = lean_sql.built(sql, "statement debts", lambda: _debts_read(sql))
    params = {"k_property": property_id}
    rows = connection.execute(read, params).mappings().all()
    mappers = sql.mappers
    prop: Property = mappers.property.from_row(rows[0])
    relations: list[CustomerProperty] = []
    surcharges: dict[int, bool] = {}
    prefixed = [c.key for c in sql.tables["customer_property"].c]
    for row in rows:
        if row["r_id"] is not None:
            relation = mappers.customer_property.from_row(
                {k: row[f"r_{k}"] for k in prefixed}
            )
            relations.append(relation)
            surcharges[relation.customer_id] = bool(row["c_charges_surcharges"])
    width = len(sql.tables["open_debt"].c)
    names = [c.key for c in sql.tables["open_debt"].c]
    items: list[OpenDebt] = [
        mappers.open_debt.from_row(dict(zip(names, r[:width], strict=True)))
        if r[-1] == 0
        else charge_debt(r[width:-1])
        for r in connection.execute(debts_read, params)
    ]
    items.sort(key=lambda d: (d.kind, d.id))
    main = prop.main_category
    responsible = current_customer(relations, RelationType.RESPONSIBLE)
    exempt = (
        ZeroReason.EXEMPT_CATEGORY
        if main is not None
        and main.category_id in profile.surcharge.exempt_category_ids
        else ZeroReason.EXEMPT_CUSTOMER
        if responsible is not None and not surcharges.get(responsible, True)
        else None
    )
    debts = select_debts(
        items,
        property_ids=[property_id],
        query=rules.statement_query(),
        current_user={property_id: current_customer(relations, RelationType.USER)},
        split_previous_occupants=profile.surcharge.split_previous_occupants,
        price=_pricer(
            profile,
            keep,
            today=today,
            municipality=rows[0]["l_municipality_id"],
            exempt=exempt,
        ),
        contract_blocked=profile.surcharge.contract_blocked,
    )
    assert not any(
        x.debt.installment_plan_id is not None for x in debts.charges + debts.credits
    )
    return rules.statement(
        debts,
        property_id=property_id,
        locality_id=prop.locality_id,
        document_id=document_id,
        selected=None,
        option=SurchargeOption.INCLUDE,
        fee=keep.fee,
        params=profile.extrato,
        at=now,
        today=today,
        actor=actor,
        special_validity=keep.special_validity,
        special_situation_blocks=bool(
            prop.collection_situation_ids & profile.extrato.situacoes_sem_documento
        ),
        agreements=rules.Agreements(
            cash_offered=profile.extrato.resolucao_diretoria,
            rounding=profile.surcharge.rounding,
        ),
    )


def lean_statement(
    sql: SqlBackend,
    property_id: int,
    *,
    profile: UtilityProfile,
    keep: Kept,
    document_id: int,
    now: datetime,
    today: date,
    actor: int,
) -> DebtStatement:
    """A property's debt statement, lean: ``BEGIN``, the property with its
    relations (locked), its debts and charges, one write of the document and
    its outbox row, ``COMMIT``."""
    write = lean_sql.built(sql, "statement write", lambda: _write(sql))
    with sql.engine.begin() as connection:
        result = _statement(
            sql,
            connection,
            property_id,
            profile=profile,
            keep=keep,
            document_id=document_id,
            now=now,
            today=today,
            actor=actor,
        )
        event = CollectionDocumentIssued(
            occurred_at=now,
            actor=actor,
            document_id=document_id,
            property_id=property_id,
            value=result.value,
        )
        (payload,) = serialization.to_dicts([event])
        values = lean_sql.params(
            "d_", sql.mappers.collection_document.to_row(result.document)
        )
        values |= lean_sql.event(0, event.tag, now, actor, payload)
        connection.execute(write, values)
    return result


# ---------------------------------------------------------------- measure
def indebted(sql: SqlBackend, limit: int, *, skip: int = 0) -> list[int]:
    """``limit`` properties with open debts, from the ``skip``-th."""
    debt = sql.tables["open_debt"]
    with sql.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(debt.c.property_id)
                .distinct()
                .order_by(debt.c.property_id)
                .offset(skip)
                .limit(limit)
            ).scalars()
        )


def measure_statement(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` debt statements issued by each side on properties with open
    debts (a statement may be issued again: each side takes its own)."""
    homes = indebted(sql, 2 * count, skip=skip)
    assert len(homes) == 2 * count, len(homes)
    keep = kept(gsan, scale.ADMIN)
    ids = itertools.count(scale.BASELINE_IDS + 7_000_000)
    today = scale.NOW.date()

    def library(n: int) -> None:
        gsan.accounts.issue_statement(actor=scale.ADMIN, property_id=homes[2 * n])

    def baseline(n: int) -> None:
        lean_statement(
            sql,
            homes[2 * n + 1],
            profile=gsan.profile,
            keep=keep,
            document_id=next(ids),
            now=scale.NOW,
            today=today,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "issue a debt statement (lean SQL)", size, library_s, baseline_s
    )
