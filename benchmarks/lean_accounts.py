"""The account documents beside their lean SQL (issue 20, seventh round).

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

:func:`lean_customer_statement` (EXT-20) does the same for every current
property of a customer's hierarchy: ``BEGIN``, one recursive read of the
hierarchy's properties (locked) with their relations, their debts and
charges, one write of the documents and their outbox rows, ``COMMIT``.
:func:`lean_customer_certificate` (CNC-01..CNC-07, the current properties):
``BEGIN``, the hierarchy with its relations and spheres, the properties with
their localities and customers (the headers), their debts, one write of the
certificate and its outbox row, ``COMMIT``. Neither takes the
``customer.hierarchy`` key the library takes (one statement less).

:func:`measure_statement`, :func:`measure_customer_statement` and
:func:`measure_customer_certificate` time them beside the library
(``python -m benchmarks.commands --only
debt_statement,customer_statement,customer_certificate``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import id_ranges, lean_sql, scale, scale_commands
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.ports import CHARGE_COLUMNS, charge_debt
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    AccountDebts,
    CertificateHeader,
    CertificateIssued,
    CollectionDocumentIssued,
    CustomerProperty,
    CustomerType,
    DebtOwner,
    DebtStatement,
    NoDebtCertificate,
    PersonKind,
    PowerSphere,
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
from gsan_core.rules.accounts.customers import current_customer, customers_under
from gsan_core.rules.accounts.debts import select_debts
from gsan_core.rules.accounts.documents import certificate_header
from gsan_core.rules.accounts.surcharges import IndexTable, assess
from gsan_core.services.accounts.documents import new_code

__all__ = [
    "Kept",
    "kept",
    "lean_customer_certificate",
    "lean_customer_statement",
    "lean_statement",
    "measure_customer_certificate",
    "measure_customer_statement",
    "measure_statement",
]


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


def _property_read(
    sql: SqlBackend,
    which: Callable[[sa.Column[Any]], Any] | None = None,
    *,
    lock: bool = True,
) -> sa.Select[Any]:
    """The properties ``which`` selects of their ids (by default
    ``:k_property``), locked (``lock``), their locality (``l_*``), their
    relations (``r_*``) and each relation's customer (``c_*``): a row per
    relation."""
    t = sql.tables
    p, loc, rel, cust = (
        t["property"],
        t["locality"],
        t["customer_property"],
        t["customer"],
    )
    where = p.c.id == sa.bindparam("k_property") if which is None else which(p.c.id)
    read = (
        sa.select(
            p, *_labelled(loc, "l_"), *_labelled(rel, "r_"), *_labelled(cust, "c_")
        )
        .select_from(
            p.outerjoin(loc, loc.c.id == p.c.locality_id)
            .outerjoin(rel, rel.c.property_id == p.c.id)
            .outerjoin(cust, cust.c.id == rel.c.customer_id)
        )
        .where(where)
        .order_by(p.c.id, rel.c.id)
    )
    return read.with_for_update(of=p) if lock else read


def _customer_read(sql: SqlBackend) -> sa.Select[Any]:
    """EXT-20's properties: those of the current relations of customer
    ``:k_customer`` and of every customer under it (one recursive read,
    however deep), as :func:`_property_read` reads them."""
    cust, rel = sql.tables["customer"], sql.tables["customer_property"]
    tree = (
        sa.select(cust.c.id)
        .where(cust.c.id == sa.bindparam("k_customer"))
        .cte("tree", recursive=True)
    )
    tree = tree.union(
        sa.select(cust.c.id).join(tree, cust.c.responsible_customer_id == tree.c.id)
    )
    mine = sa.select(rel.c.property_id).where(
        rel.c.customer_id.in_(sa.select(tree.c.id)), rel.c.end.is_(None)
    )
    return _property_read(sql, lambda ident: ident.in_(mine))


def _debts_read(sql: SqlBackend, *, many: bool = False) -> Any:
    """The properties' debt rows ``UNION ALL`` their charges (the other
    side's columns null; the last column 0 for a debt row, 1 for a charge):
    of ``:k_property``, or (``many``) of the ids ``:k_ids``."""
    debt, charge = sql.tables["open_debt"], sql.tables["charge"]
    charges = [charge.c[n] for n in CHARGE_COLUMNS]

    def nulls(columns: list[Any]) -> list[Any]:
        return [sa.type_coerce(sa.null(), c.type).label(None) for c in columns]

    def mine(column: sa.Column[Any]) -> Any:
        if many:
            ids = sa.bindparam("k_ids", type_=postgresql.ARRAY(sa.BigInteger))
            return column == sa.func.any(ids)
        return column == sa.bindparam("k_property", type_=sa.BigInteger)

    return sa.union_all(
        sa.select(*debt.c, *nulls(charges), sa.literal(0)).where(
            mine(debt.c.property_id)
        ),
        sa.select(*nulls(list(debt.c)), *charges, sa.literal(1)).where(
            mine(charge.c.property_id)
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


@attrs.frozen(kw_only=True)
class _Home:
    """What the joined read gave of one property: the property, its
    relations, its customers' surcharge flags, its locality's municipality;
    its locality and its customers (``rows``: its joined rows)."""

    prop: Property
    relations: tuple[CustomerProperty, ...]
    surcharges: Mapping[int, bool]
    municipality: int | None
    rows: tuple[Any, ...] = ()


def _homes(sql: SqlBackend, rows: Sequence[Any]) -> dict[int, _Home]:
    """The properties of the joined rows (:func:`_property_read`'s columns:
    the property's, ``l_municipality_id``, ``r_*``, ``c_charges_surcharges``)."""
    mappers = sql.mappers
    names = [c.key for c in sql.tables["customer_property"].c]
    found: dict[int, tuple[Property, list[CustomerProperty], dict[int, bool], Any]]
    found = {}
    by_property: dict[int, list[Any]] = {}
    for row in rows:
        pid = row["id"]
        by_property.setdefault(pid, []).append(row)
        if pid not in found:
            prop: Property = mappers.property.from_row(row)
            found[pid] = (prop, [], {}, row["l_municipality_id"])
        if row["r_id"] is not None:
            relation = mappers.customer_property.from_row(
                {k: row[f"r_{k}"] for k in names}
            )
            found[pid][1].append(relation)
            found[pid][2][relation.customer_id] = bool(row["c_charges_surcharges"])
    return {
        pid: _Home(
            prop=prop,
            relations=tuple(sorted(rels, key=lambda r: r.id)),
            surcharges=flags,
            municipality=municipality,
            rows=tuple(by_property[pid]),
        )
        for pid, (prop, rels, flags, municipality) in found.items()
    }


def _items(sql: SqlBackend, rows: Any) -> dict[int, list[OpenDebt]]:
    """The open items of :func:`_debts_read`'s rows, by property."""
    debt = sql.tables["open_debt"]
    width, names = len(debt.c), [c.key for c in debt.c]
    found: dict[int, list[OpenDebt]] = {}
    for r in rows:
        item = (
            sql.mappers.open_debt.from_row(dict(zip(names, r[:width], strict=True)))
            if r[-1] == 0
            else charge_debt(r[width:-1])
        )
        found.setdefault(item.property_id, []).append(item)
    return {k: sorted(v, key=lambda d: (d.kind, d.id)) for k, v in found.items()}


def exemption(profile: UtilityProfile, home: _Home) -> ZeroReason | None:
    """Why ``home``'s surcharges are zero, if they are: its main category
    exempt, else its responsible customer's (the library's DebtReader)."""
    main = home.prop.main_category
    responsible = current_customer(home.relations, RelationType.RESPONSIBLE)
    return (
        ZeroReason.EXEMPT_CATEGORY
        if main is not None
        and main.category_id in profile.surcharge.exempt_category_ids
        else ZeroReason.EXEMPT_CUSTOMER
        if responsible is not None and not home.surcharges.get(responsible, True)
        else None
    )


def _debts_of(
    profile: UtilityProfile,
    keep: Kept,
    home: _Home,
    items: Sequence[OpenDebt],
    *,
    today: date,
) -> AccountDebts:
    """UC0067 with UC0216's surcharges for one property."""
    prop, relations = home.prop, home.relations
    exempt = exemption(profile, home)
    return select_debts(
        items,
        property_ids=[prop.id],
        query=rules.statement_query(),
        current_user={prop.id: current_customer(relations, RelationType.USER)},
        split_previous_occupants=profile.surcharge.split_previous_occupants,
        price=_pricer(
            profile, keep, today=today, municipality=home.municipality, exempt=exempt
        ),
        contract_blocked=profile.surcharge.contract_blocked,
    )


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
    home = _homes(sql, connection.execute(read, params).mappings().all())[property_id]
    items = _items(sql, connection.execute(debts_read, params))
    debts = _debts_of(profile, keep, home, items.get(property_id, ()), today=today)
    assert not any(
        x.debt.installment_plan_id is not None for x in debts.charges + debts.credits
    )
    return rules.statement(
        debts,
        property_id=property_id,
        locality_id=home.prop.locality_id,
        document_id=document_id,
        selected=None,
        option=SurchargeOption.INCLUDE,
        fee=keep.fee,
        params=profile.extrato,
        at=now,
        today=today,
        actor=actor,
        special_validity=keep.special_validity,
        special_situation_blocks=_blocked(profile, home.prop),
        agreements=rules.Agreements(
            cash_offered=profile.extrato.resolucao_diretoria,
            rounding=profile.surcharge.rounding,
        ),
    )


def _blocked(profile: UtilityProfile, prop: Property) -> bool:
    """EXT-13: a situation that issues no document."""
    return bool(prop.collection_situation_ids & profile.extrato.situacoes_sem_documento)


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


def lean_customer_statement(
    sql: SqlBackend,
    customer_id: int,
    *,
    profile: UtilityProfile,
    keep: Kept,
    first_id: int,
    now: datetime,
    today: date,
    actor: int,
) -> list[DebtStatement]:
    """EXT-20, lean: ``BEGIN``, the properties of the customer's hierarchy
    (one recursive read, locked, with their relations), their debts and
    charges, one write of the documents and their outbox rows, ``COMMIT``.
    Everything offered, no fee; a property with nothing to list skipped."""
    read = lean_sql.built(sql, "customer statement", lambda: _customer_read(sql))
    debts_read = lean_sql.built(
        sql, "customer statement debts", lambda: _debts_read(sql, many=True)
    )
    made: list[DebtStatement] = []
    with sql.engine.begin() as connection:
        rows = connection.execute(read, {"k_customer": customer_id}).mappings().all()
        homes = _homes(sql, rows)
        assert homes  # CUSTOMER_WITHOUT_PROPERTIES
        items = _items(sql, connection.execute(debts_read, {"k_ids": sorted(homes)}))
        for n, pid in enumerate(sorted(homes)):
            home = homes[pid]
            debts = _debts_of(profile, keep, home, items.get(pid, ()), today=today)
            try:
                made.append(
                    rules.statement(
                        debts,
                        property_id=pid,
                        locality_id=home.prop.locality_id,
                        document_id=first_id + n,
                        selected=None,
                        option=SurchargeOption.INCLUDE,
                        fee=Decimal(0),
                        params=profile.extrato,
                        at=now,
                        today=today,
                        actor=actor,
                        special_situation_blocks=_blocked(profile, home.prop),
                    )
                )
            except RuleViolation:
                continue
        assert made
        _write_documents(sql, connection, made, now=now, actor=actor)
    return made


def _write_documents(
    sql: SqlBackend,
    connection: sa.Connection,
    made: Sequence[DebtStatement],
    *,
    now: datetime,
    actor: int,
) -> None:
    """The documents of ``made`` and their outbox rows in one statement."""
    events = [
        CollectionDocumentIssued(
            occurred_at=now,
            actor=actor,
            document_id=s.document.id,
            property_id=s.document.property_id,
            value=s.value,
        )
        for s in made
    ]
    table = sql.tables["collection_document"]
    documents = sql.mappers.collection_document.to_rows(s.document for s in made)
    outbox = [
        {
            "tag": e.tag,
            "occurred_at": now,
            "actor": actor,
            "payload": payload,
            "published_at": None,
        }
        for e, payload in zip(events, serialization.to_dicts(events), strict=True)
    ]
    connection.execute(
        lean_sql.one_statement(
            [sa.insert(table).values(documents), *lean_sql.outbox_rows(sql, outbox)]
        )
    )


def _tree_read(sql: SqlBackend) -> sa.Select[Any]:
    """CNC-05: customer ``:k_customer`` and every customer under it (one
    recursive read, however deep), each with its sphere's
    ``customer_certificate_allowed`` (``allowed``) and its relations
    (``r_*``): a row per relation."""
    t = sql.tables
    cust, kind, sphere, rel = (
        t["customer"],
        t["customer_type"],
        t["power_sphere"],
        t["customer_property"],
    )
    tree = (
        sa.select(cust.c.id)
        .where(cust.c.id == sa.bindparam("k_customer"))
        .cte("tree", recursive=True)
    )
    tree = tree.union(
        sa.select(cust.c.id).join(tree, cust.c.responsible_customer_id == tree.c.id)
    )
    return (
        sa.select(
            cust.c.id,
            cust.c.responsible_customer_id,
            sphere.c.customer_certificate_allowed.label("allowed"),
            *_labelled(rel, "r_"),
        )
        .select_from(
            cust.join(tree, tree.c.id == cust.c.id)
            .outerjoin(kind, kind.c.id == cust.c.customer_type_id)
            .outerjoin(sphere, sphere.c.id == kind.c.power_sphere_id)
            .outerjoin(rel, rel.c.customer_id == cust.c.id)
        )
        .order_by(cust.c.id, rel.c.id)
    )


def _header(sql: SqlBackend, home: _Home) -> CertificateHeader:
    """CND-09 / CNC-07: the property's header from its joined rows."""
    mappers = sql.mappers
    row = home.rows[0]
    locality = (
        None
        if row["l_id"] is None
        else mappers.locality.from_row(
            {c.key: row[f"l_{c.key}"] for c in sql.tables["locality"].c}
        )
    )
    user_id = current_customer(home.relations, RelationType.USER)
    user = next(
        (
            mappers.customer.from_row(
                {c.key: r[f"c_{c.key}"] for c in sql.tables["customer"].c}
            )
            for r in home.rows
            if user_id is not None and r["c_id"] == user_id
        ),
        None,
    )
    return certificate_header(home.prop, locality=locality, user=user)


def lean_customer_certificate(
    sql: SqlBackend,
    customer_id: int,
    *,
    profile: UtilityProfile,
    certificate_id: int,
    code: str,
    now: datetime,
    today: date,
    actor: int,
) -> NoDebtCertificate:
    """CNC-01..CNC-07 of the customer's current properties, lean:
    ``BEGIN``, the hierarchy with its relations and the root's sphere, the
    current properties with their localities and customers, their debts,
    one write of the certificate and its outbox row, ``COMMIT``. The root
    answers to no one (CNC-03's permission not asked)."""
    tree = lean_sql.built(sql, "certificate tree", lambda: _tree_read(sql))
    props = lean_sql.built(
        sql,
        "certificate properties",
        lambda: _property_read(
            sql,
            lambda ident: (
                ident
                == sa.func.any(
                    sa.bindparam("k_ids", type_=postgresql.ARRAY(sa.BigInteger))
                )
            ),
            lock=False,
        ),
    )
    debts_read = lean_sql.built(
        sql, "customer statement debts", lambda: _debts_read(sql, many=True)
    )
    query = rules.customer_certificate_query(profile.cnd, today)
    with sql.engine.begin() as connection:
        rows = connection.execute(tree, {"k_customer": customer_id}).mappings().all()
        root = next(r for r in rows if r["id"] == customer_id)  # CNC-01
        assert root["allowed"] is not False  # CNC-02
        assert root["responsible_customer_id"] in (None, customer_id)  # CNC-03
        children: dict[int, list[int]] = {}
        for r in {(r["responsible_customer_id"], r["id"]) for r in rows}:
            if r[0] is not None and r[1] != customer_id:
                children.setdefault(r[0], []).append(r[1])
        checked = customers_under(
            customer_id, lambda _level: {k: sorted(v) for k, v in children.items()}
        )
        current = {
            cid: sorted(
                {
                    r["r_property_id"]
                    for r in rows
                    if r["id"] == cid and r["r_id"] is not None and r["r_end"] is None
                }
            )
            for cid in checked
        }
        ids = sorted({pid for pids in current.values() for pid in pids})
        homes = _homes(sql, connection.execute(props, {"k_ids": ids}).mappings().all())
        items = _items(sql, connection.execute(debts_read, {"k_ids": ids}))
        per_customer = [
            (
                cid,
                select_debts(
                    [d for pid in current[cid] for d in items.get(pid, ())],
                    property_ids=current[cid],
                    query=query,
                    current_user={
                        pid: current_customer(homes[pid].relations, RelationType.USER)
                        for pid in current[cid]
                    },
                    split_previous_occupants=profile.surcharge.split_previous_occupants,
                    contract_blocked=profile.surcharge.contract_blocked,
                ),
            )
            for cid in checked
        ]
        result = rules.customer_certificate(
            per_customer,
            headers=[_header(sql, homes[pid]) for pid in sorted(homes)],
            customer_id=customer_id,
            certificate_id=certificate_id,
            code=code,
            params=profile.cnd,
            at=now,
            today=today,
            actor=actor,
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
        (payload,) = serialization.to_dicts([event])
        outbox = {
            "tag": event.tag,
            "occurred_at": now,
            "actor": actor,
            "payload": payload,
            "published_at": None,
        }
        insert = sa.insert(sql.tables["certificate"]).values(
            sql.mappers.certificate.to_row(cert)
        )
        connection.execute(
            lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, [outbox])])
        )
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


def interleave_issues(
    sql: SqlBackend,
    size: int,
    label: str,
    *,
    targets: Sequence[int],
    library: Callable[[int], object],
    lean: Callable[..., object],
    fresh: Callable[[], dict[str, Any]],
    **fixed: Any,
) -> dict[str, Any]:
    """A document measure's timing: ``library`` (given a target) on the even
    ``targets``, ``lean`` (``sql``, a target, the ``fixed`` options, the
    ``fresh()`` ones, such as new ids, and the clock and actor) on the odd
    ones, in alternating rounds; the figure under ``label``."""

    def on_library(n: int) -> None:
        library(targets[2 * n])

    def baseline(n: int) -> None:
        lean(
            sql,
            targets[2 * n + 1],
            **fixed,
            **fresh(),
            now=scale.NOW,
            today=scale.TODAY,
            actor=scale.ADMIN,
        )

    count = len(targets) // 2
    library_s, baseline_s = scale_commands.interleaved(on_library, baseline, count)
    return scale_commands.command_figure(label, size, library_s, baseline_s)


def measure_statement(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` debt statements issued by each side on properties with open
    debts (a statement may be issued again: each side takes its own)."""
    homes = indebted(sql, 2 * count, skip=skip)
    assert len(homes) == 2 * count, len(homes)
    ids = id_ranges.take("debt_statement")
    return interleave_issues(
        sql,
        size,
        "issue a debt statement (lean SQL)",
        targets=homes,
        library=lambda home: gsan.accounts.issue_statement(
            actor=scale.ADMIN, property_id=home
        ),
        lean=lean_statement,
        fresh=lambda: {"document_id": next(ids)},
        profile=gsan.profile,
        keep=kept(gsan, scale.ADMIN),
    )


#: Properties of each customer :func:`owners` registers.
OWNED = 2


def owners(gsan: gsan_core.System, sql: SqlBackend, homes: Sequence[int]) -> list[int]:
    """A new customer for each :data:`OWNED` of ``homes`` (their user since
    2024), registered through the library (the synthetic utility has none)."""
    kinds = sql.tables["customer_type"]
    with sql.engine.connect() as connection:
        kind = connection.execute(sa.select(sa.func.min(kinds.c.id))).scalar()
    if kind is None:
        kind = 1
        gsan.accounts.load_reference(
            power_spheres=[PowerSphere(id=1, description="PARTICULAR")],
            customer_types=[
                CustomerType(
                    id=kind,
                    description="PESSOA FISICA",
                    person_kind=PersonKind.INDIVIDUAL,
                    power_sphere_id=1,
                )
            ],
        )
    made = []
    for at in range(0, len(homes), OWNED):
        customer = gsan.accounts.register_customer(
            actor=scale.ADMIN, name=f"LEAN {homes[at]}", customer_type_id=kind
        ).id
        for home in homes[at : at + OWNED]:
            gsan.accounts.relate(
                actor=scale.ADMIN,
                customer_id=customer,
                property_id=home,
                relation=RelationType.USER,
                start=date(2024, 1, 1),
            )
        made.append(customer)
    return made


def measure_customer_statement(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` customers' statements (EXT-20) issued by each side, each
    customer the user of :data:`OWNED` properties with open debts."""
    homes = indebted(sql, 2 * count * OWNED, skip=20_000 + skip * OWNED)
    assert len(homes) == 2 * count * OWNED, len(homes)
    customers = owners(gsan, sql, homes)
    keep = kept(gsan, scale.ADMIN)
    ids = id_ranges.take("customer_statement")
    return interleave_issues(
        sql,
        size,
        "issue a customer's statement (lean SQL)",
        targets=customers,
        library=lambda customer: gsan.accounts.issue_customer_statement(
            actor=scale.ADMIN, customer_id=customer
        ),
        lean=lean_customer_statement,
        fresh=lambda: {"first_id": ids.block(100)},
        profile=gsan.profile,
        keep=keep,
    )


def clean(sql: SqlBackend, limit: int, *, skip: int = 0) -> list[int]:
    """``limit`` properties without open debts nor charges, from the
    ``skip``-th."""
    prop, debt, charge = (sql.tables[n] for n in ("property", "open_debt", "charge"))
    with sql.engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(prop.c.id)
                .where(
                    prop.c.id.not_in(sa.select(debt.c.property_id)),
                    prop.c.id.not_in(sa.select(charge.c.property_id)),
                )
                .order_by(prop.c.id)
                .offset(skip)
                .limit(limit)
            ).scalars()
        )


def measure_customer_certificate(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` customers' certificates (CNC-01..CNC-07, their current
    properties) issued by each side, each customer the user of
    :data:`OWNED` properties without debts."""
    homes = clean(sql, 2 * count * OWNED, skip=skip * OWNED)
    assert len(homes) == 2 * count * OWNED, len(homes)
    customers = owners(gsan, sql, homes)
    ids = id_ranges.take("customer_certificate")
    return interleave_issues(
        sql,
        size,
        "issue a customer's certificate (lean SQL)",
        targets=customers,
        library=lambda customer: gsan.accounts.issue_customer_certificate(
            actor=scale.ADMIN,
            customer_id=customer,
            scope=DebtOwner.CURRENT_PROPERTIES,
        ),
        lean=lean_customer_certificate,
        fresh=lambda: {"certificate_id": next(ids), "code": new_code(scale.TODAY)},
        profile=gsan.profile,
    )
