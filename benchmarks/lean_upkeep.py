"""Maintenance commands beside their lean SQL (issue 20, tenth round).

Six everyday maintenance commands of the accounts, catalog, units and
repaving services, in the pattern of :mod:`benchmarks.lean_more`
(PostgreSQL's, each statement built once with bound parameters, their checks
asserts, the rules the library's pure ones):

* :func:`lean_update_customer`: a customer's change ("Manter Cliente"):
  ``BEGIN``, the customer's row locked with the hierarchy's key and its
  document's (the library's named keys, their ``counter`` rows) and its
  type's person kind read, in one statement; when it has a document or a
  responsible, one read after the locks of the customers with the same
  document and of the responsible's chain (a read in the locks' statement
  would miss a customer committed while it waited); then the
  compare-and-set update and ``accounts.customer_changed`` in one
  statement, ``COMMIT``; :func:`lean_register_customer` the same for a new
  customer (its document's key only, an insert);
* :func:`lean_update_catalog`: a reference row's change ("Manter X",
  CAT-1..CAT-4): ``BEGIN``, the kind's key locked, the kind's rows read
  (the changed one among them, its version checked), then the
  compare-and-set update and ``catalog.item_changed`` in one statement,
  ``COMMIT``. The key and the read stay two statements for the same reason;
* :func:`lean_update_unit`: a unit's change (UNI-1..UNI-7): ``BEGIN``, the
  tree and what the rules need in one read, the update and its event in
  one statement, ``COMMIT``;
* :func:`lean_grant`: a special permission granted (USR-2): ``BEGIN``, the
  user locked, the grant, its audit row and its event in one statement,
  ``COMMIT``;
* :func:`lean_inform_repaving_return`: a repaving work's return (PAV-01,
  PAV-02): ``BEGIN``, the work locked with the user's unit and permission,
  the update and its event in one statement, ``COMMIT``.

The ``measure_*`` functions time them beside the library (``python -m
benchmarks.commands --only NAME,...``, the names of :data:`COMMANDS`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import gsan_core
from benchmarks import (
    id_ranges,
    lean_field_batches,
    lean_more,
    lean_sql,
    scale,
    scale_commands,
)
from gsan_core import serialization
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.mappers import decode_attributes as decode
from gsan_core.adapters.sqlalchemy.mappers import encode_attributes
from gsan_core.model.accounts import (
    Customer,
    CustomerChanged,
    CustomerRegistered,
    PersonKind,
)
from gsan_core.model.catalog import CatalogItem, CatalogItemChanged, CatalogKind
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.repaving import RepavingReturned, RepavingWork
from gsan_core.model.units import (
    OrganizationalUnit,
    PermissionChange,
    PermissionGranted,
    UnitChanged,
    User,
)
from gsan_core.rules import catalog as catalog_rules
from gsan_core.rules import repaving as repaving_rules
from gsan_core.rules import units as units_rules
from gsan_core.rules.accounts import customers as accounts_rules

__all__ = [
    "CATALOG_KIND",
    "COMMANDS",
    "cpf",
    "lean_grant",
    "lean_inform_repaving_return",
    "lean_register_customer",
    "lean_update_catalog",
    "lean_update_customer",
    "lean_update_unit",
    "measure_grant",
    "measure_inform_repaving_return",
    "measure_register_customer",
    "measure_update_catalog",
    "measure_update_customer",
    "measure_update_unit",
    "sent_works",
]

#: The commands of this module, as ``benchmarks.commands`` names them.
COMMANDS = (
    "update_customer",
    "update_catalog",
    "update_unit",
    "inform_repaving_return",
    "register_customer",
    "grant",
)
#: The reference table whose rows the benchmark changes (the default
#: profile's "Órgão Expedidor do RG": four rows, no attributes, no checks of
#: its own, no rule reading it).
CATALOG_KIND = "identity_issuer"
#: The rows of :data:`CATALOG_KIND` each side changes in turn.
CATALOG_ROWS = 10


def _event(event: Any, now: datetime, actor: int) -> dict[str, Any]:
    """The parameters of the outbox row of ``event``."""
    (payload,) = serialization.to_dicts([event])
    return lean_sql.event(0, event.tag, now, actor, payload)


def _row_write(
    row: dict[str, Any], version: int, event: Any, *, now: datetime, actor: int
) -> dict[str, Any]:
    """The parameters of a compare-and-set update of every column of ``row``
    (``u_``-prefixed) whose id is ``row``'s and version ``version``, and of
    ``event``'s outbox row."""
    values = lean_sql.params("u_", {k: v for k, v in row.items() if k != "id"})
    values |= {"k_id": row["id"], "k_version": version}
    return values | _event(event, now, actor)


def _keys(sql: SqlBackend) -> Any:
    """The named keys ``:k_keys`` locked (the library's ``lock_key``: their
    ``counter`` rows, made at 0 on first use, not moved), as a CTE."""
    counter = sql.tables["counter"]
    names = sa.func.unnest(sa.bindparam("k_keys", type_=postgresql.ARRAY(sa.Text)))
    return (
        postgresql.insert(counter)
        .from_select(["name", "value"], sa.select(names.label("name"), sa.literal(0)))
        .on_conflict_do_update(
            index_elements=[counter.c.name], set_={"value": counter.c.value}
        )
        .returning(counter.c.name)
        .cte("lean_keys")
    )


def _by_id_write(sql: SqlBackend, table: str) -> Any:
    """The compare-and-set update of ``table``'s row ``:k_id`` (every other
    column, ``u_*``, at ``:k_version``) and its event's outbox row, one
    statement (its parameters :func:`_row_write`'s)."""
    t = sql.tables[table]
    update = _compare_and_set(t, {"id": sa.bindparam("k_id", type_=t.c.id.type)})
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


def _compare_and_set(table: sa.Table, where: Mapping[str, Any]) -> Any:
    """The compare-and-set update of ``table``'s other columns (``u_*``) of
    the row ``where`` (column to bound parameter) at ``:k_version``."""
    names = [c.name for c in table.c if c.name not in where]
    return (
        sa.update(table)
        .where(
            *(table.c[name] == param for name, param in where.items()),
            table.c.version == sa.bindparam("k_version", type_=table.c.version.type),
        )
        .values(lean_sql.bound(table, "u_", *names))
        .returning(table.c.version)
    )


# ---------------------------------------------------------------- customer
def _customer_lock(sql: SqlBackend) -> Any:
    """The customer ``:k_id`` locked (its version), the keys ``:k_keys``
    locked, and the person kind of the customer type ``:k_type`` (null when
    there is none)."""
    t = sql.tables
    customer, kinds = t["customer"], t["customer_type"]
    keys = _keys(sql)
    return (
        sa.select(
            customer.c.version,
            kinds.c.id.label("type_id"),
            kinds.c.person_kind,
            sa.select(sa.func.count())
            .select_from(keys)
            .scalar_subquery()
            .label("keys"),
        )
        .select_from(
            customer.outerjoin(
                kinds, kinds.c.id == sa.bindparam("k_type", type_=kinds.c.id.type)
            )
        )
        .where(customer.c.id == sa.bindparam("k_id", type_=customer.c.id.type))
        .with_for_update(of=customer)
    )


def _customer_read(sql: SqlBackend) -> Any:
    """After the locks: the customers with the document ``:k_document``
    (``tag`` ``document``) and the responsible chain from ``:k_responsible``
    up (``chain``: each customer's responsible), rows ``(tag, id, other)``."""
    customer = sql.tables["customer"]
    up = customer.alias("up")
    chain = (
        sa.select(customer.c.id, customer.c.responsible_customer_id)
        .where(customer.c.id == sa.bindparam("k_responsible", type_=customer.c.id.type))
        .cte("lean_chain", recursive=True)
    )
    chain = chain.union(
        sa.select(up.c.id, up.c.responsible_customer_id).join(
            chain, up.c.id == chain.c.responsible_customer_id
        )
    )
    return sa.union_all(
        sa.select(
            sa.literal("document").label("tag"),
            customer.c.id,
            sa.null().cast(sa.BigInteger).label("other"),
        ).where(
            customer.c.document
            == sa.bindparam("k_document", type_=customer.c.document.type)
        ),
        sa.select(sa.literal("chain"), chain.c.id, chain.c.responsible_customer_id),
    )


def _customer_checked(customer: Customer, locked: Any, rows: Sequence[Any]) -> Customer:
    """The customer with its type's person kind, the library's pure rules
    asserted on what the two reads found."""
    if locked.type_id is not None:
        customer = attrs.evolve(customer, person_kind=PersonKind(locked.person_kind))
    chain = {r.id: r.other for r in rows if r.tag == "chain"}
    responsible = customer.responsible_customer_id
    found = accounts_rules.check_customer(
        customer,
        type_exists=locked.type_id is not None,
        same_document_ids=[r.id for r in rows if r.tag == "document"],
        responsible_exists=responsible is None or responsible in chain,
        loops=responsible is not None
        and accounts_rules.hierarchy_loops(customer.id, responsible, chain),
    )
    assert not found, found
    return customer


def lean_update_customer(
    sql: SqlBackend, customer: Customer, *, now: datetime, actor: int
) -> Customer:
    """Store a customer read at ``customer.version``, lean: ``BEGIN``, the
    row and its keys locked with its type read, the same document's
    customers and the responsible's chain read (when it has either), the
    rules checked, the compare-and-set update and its event in one
    statement, ``COMMIT``: 4 statements, 5 with a document or a
    responsible."""
    lock = lean_sql.built(sql, "customer change lock", lambda: _customer_lock(sql))
    read = lean_sql.built(sql, "customer change read", lambda: _customer_read(sql))
    write = lean_sql.built(
        sql, "customer change", lambda: _by_id_write(sql, "customer")
    )
    keys = ["customer.hierarchy"]
    if customer.document:
        keys.append(f"customer.document.{customer.document}")
    with sql.engine.begin() as connection:
        locked = connection.execute(
            lock,
            {"k_id": customer.id, "k_type": customer.customer_type_id, "k_keys": keys},
        ).one()
        assert locked.version == customer.version  # the version read
        rows: Sequence[Any] = []
        if customer.document or customer.responsible_customer_id is not None:
            rows = connection.execute(
                read,
                {
                    "k_document": customer.document,
                    "k_responsible": customer.responsible_customer_id,
                },
            ).all()
        checked = _customer_checked(customer, locked, rows)
        changed = attrs.evolve(checked, version=customer.version + 1)
        event = CustomerChanged(occurred_at=now, actor=actor, customer_id=customer.id)
        row = sql.mappers.customer.to_row(changed)
        values = _row_write(row, customer.version, event, now=now, actor=actor)
        assert len(connection.execute(write, values).all()) == 1
    return changed


def _register_lock(sql: SqlBackend) -> Any:
    """The keys ``:k_keys`` locked, and the person kind of the customer type
    ``:k_type`` (a row of nulls when there is none)."""
    kinds = sql.tables["customer_type"]
    keys = _keys(sql)
    one = sa.select(sa.literal(1).label("one")).subquery("one")
    return sa.select(
        kinds.c.id.label("type_id"),
        kinds.c.person_kind,
        sa.select(sa.func.count()).select_from(keys).scalar_subquery().label("keys"),
    ).select_from(
        one.outerjoin(
            kinds, kinds.c.id == sa.bindparam("k_type", type_=kinds.c.id.type)
        )
    )


def _register_write(sql: SqlBackend) -> Any:
    t = sql.tables["customer"]
    insert = sa.insert(t).values(lean_sql.bound(t, "u_")).returning(t.c.id)
    return lean_sql.one_statement([insert, *lean_sql.outbox_rows(sql, 1)])


def lean_register_customer(
    sql: SqlBackend,
    customer: Customer,
    *,
    now: datetime,
    actor: int,
) -> Customer:
    """Register ``customer`` (its id given, its document digits only), lean:
    ``BEGIN``, its document's key locked with its type read, the same
    document's customers and the responsible's chain read (when it has
    either), the rules checked, the insert and
    ``accounts.customer_registered`` in one statement, ``COMMIT``: 4
    statements (the type read on its own), 5 with a document or a
    responsible."""
    lock = lean_sql.built(sql, "customer add lock", lambda: _register_lock(sql))
    read = lean_sql.built(sql, "customer change read", lambda: _customer_read(sql))
    write = lean_sql.built(sql, "customer add", lambda: _register_write(sql))
    keys = [f"customer.document.{customer.document}"] if customer.document else []
    with sql.engine.begin() as connection:
        locked = None
        if keys:
            asked = {"k_type": customer.customer_type_id, "k_keys": keys}
            locked = connection.execute(lock, asked).one()
        rows: Sequence[Any] = []
        if customer.document or customer.responsible_customer_id is not None:
            asked = {
                "k_document": customer.document,
                "k_responsible": customer.responsible_customer_id,
            }
            rows = connection.execute(read, asked).all()
        if locked is None:
            locked = connection.execute(
                lock, {"k_type": customer.customer_type_id, "k_keys": []}
            ).one()
        checked = _customer_checked(customer, locked, rows)
        added = attrs.evolve(checked, version=1)
        event = CustomerRegistered(occurred_at=now, actor=actor, customer_id=added.id)
        values = lean_sql.params("u_", sql.mappers.customer.to_row(added))
        values |= _event(event, now, actor)
        assert len(connection.execute(write, values).all()) == 1
    return added


# ---------------------------------------------------------------- catalogue
def _catalog_lock(sql: SqlBackend) -> Any:
    """The keys ``:k_keys`` locked (how many)."""
    keys = _keys(sql)
    return sa.select(sa.func.count()).select_from(keys)


def _catalog_read(sql: SqlBackend) -> Any:
    """The rows of the kind ``:k_kind``, by id."""
    t = sql.tables["catalog_item"]
    return (
        sa.select(t)
        .where(t.c.kind == sa.bindparam("k_kind", type_=t.c.kind.type))
        .order_by(t.c.id)
    )


def _catalog_write(sql: SqlBackend) -> Any:
    t = sql.tables["catalog_item"]
    update = _compare_and_set(
        t,
        {
            "kind": sa.bindparam("k_kind", type_=t.c.kind.type),
            "id": sa.bindparam("k_id", type_=t.c.id.type),
        },
    )
    return lean_sql.one_statement([update, *lean_sql.outbox_rows(sql, 1)])


def _item(row: Mapping[Any, Any]) -> CatalogItem:
    return CatalogItem(
        kind=row["kind"],
        id=row["id"],
        description=row["description"],
        abbreviation=row["abbreviation"],
        active=row["active"],
        attributes=decode(row["attributes"]),
        version=row["version"],
    )


def lean_update_catalog(
    sql: SqlBackend,
    spec: CatalogKind,
    item_id: int,
    *,
    expected_version: int,
    description: str,
    now: datetime,
    actor: int,
) -> CatalogItem:
    """A reference row of a kind without ``ref`` attributes given a new
    description, lean: ``BEGIN``, the kind's key locked, its rows read,
    CAT-1..CAT-4 checked (the library's pure ``check_item``), the
    compare-and-set update and its event in one statement, ``COMMIT``: 5."""
    assert not any(a.type == "ref" for a in spec.attributes)
    lock = lean_sql.built(sql, "catalog change lock", lambda: _catalog_lock(sql))
    read = lean_sql.built(sql, "catalog change read", lambda: _catalog_read(sql))
    write = lean_sql.built(sql, "catalog change", lambda: _catalog_write(sql))
    with sql.engine.begin() as connection:
        connection.execute(lock, {"k_keys": [f"catalog.{spec.name}"]})
        siblings = [
            _item(r) for r in connection.execute(read, {"k_kind": spec.name}).mappings()
        ]
        (current,) = [s for s in siblings if s.id == item_id]
        assert current.version == expected_version
        changed = attrs.evolve(
            current, description=description, version=current.version + 1
        )
        found = catalog_rules.check_item(
            changed, kind=spec, siblings=siblings, lookup=_no_lookup
        )
        assert not found, found
        if spec.attributes or changed.attributes:
            typed, wrong = catalog_rules.coerce_attributes(spec, changed.attributes)
            assert not wrong, wrong
            changed = attrs.evolve(changed, attributes=typed)
        values = catalog_write_values(changed, expected_version, now=now, actor=actor)
        assert len(connection.execute(write, values).all()) == 1
    return changed


def catalog_write_values(
    changed: CatalogItem, expected_version: int, *, now: datetime, actor: int
) -> dict[str, Any]:
    """The parameters of :func:`_catalog_write` for ``changed`` (its
    compare-and-set on ``expected_version``) and its ``CatalogItemChanged``
    event; a lean change of any catalog kind's row sends these."""
    event = CatalogItemChanged(
        occurred_at=now,
        actor=actor,
        kind=changed.kind,
        item_id=changed.id,
        version=changed.version,
        active=changed.active,
    )
    values = lean_sql.params(
        "u_",
        {
            "description": changed.description,
            "abbreviation": changed.abbreviation,
            "active": changed.active,
            "attributes": encode_attributes(changed.attributes),
            "version": changed.version,
        },
    )
    values |= {"k_kind": changed.kind, "k_id": changed.id}
    values |= {"k_version": expected_version}
    return values | _event(event, now, actor)


def _no_lookup(kind: str, ident: int) -> CatalogItem | None:
    """No row of another kind is looked up (a kind without ``ref``
    attributes)."""
    raise AssertionError(f"{kind} {ident}: a ref attribute")


# ---------------------------------------------------------------- unit
def _json_rows(*columns: Any) -> Any:
    """The rows of ``columns`` as one JSON array (null when none)."""
    return sa.func.json_agg(sa.func.json_build_array(*columns))


def _unit_read(sql: SqlBackend) -> Any:
    """What a unit's change reads, as one statement: every unit (the tree,
    the changed one ``:k_id`` among them), each row carrying (computed once:
    uncorrelated) the active unit types' ``[id, attributes]``, the ids of the
    request specifications whose first unit is ``:k_id`` and the sewer
    divisions' ``[description, attributes]`` (UNI-7)."""
    t = sql.tables
    unit, catalog = t["unit"], t["catalog_item"]
    spec = t["request_specification"]
    types = (
        sa.select(_json_rows(catalog.c.id, catalog.c.attributes))
        .where(catalog.c.kind == "unit_type", catalog.c.active.is_(True))
        .scalar_subquery()
    )
    served = (
        sa.select(sa.func.json_agg(spec.c.id))
        .where(spec.c.unit_id == sa.bindparam("k_id", type_=spec.c.unit_id.type))
        .scalar_subquery()
    )
    divisions = (
        sa.select(_json_rows(catalog.c.description, catalog.c.attributes))
        .where(catalog.c.kind == "sewer_division")
        .scalar_subquery()
    )
    return sa.select(
        *unit.c,
        types.label("x_types"),
        served.label("x_served"),
        divisions.label("x_divisions"),
    )


def _unit_checks(
    unit: OrganizationalUnit,
    tree: Mapping[int, OrganizationalUnit],
    first: Any,
    profile: UtilityProfile,
) -> tuple[Any, ...]:
    """UNI-1..UNI-7 of ``unit`` (the library's pure rules) on what
    :func:`_unit_read` found (``first``: a row of it)."""
    types = [
        CatalogItem(kind="unit_type", id=i, description="", attributes=decode(a))
        for i, a in first.x_types or []
    ]
    found = units_rules.check_unit(
        unit,
        units=tree,
        type_levels={t.id: t.integer("level") for t in types},
        vary_hierarchy=profile.service_requests.vary_unit_hierarchy,
        contractor_types={
            t.id for t in types if t.text("code") == units_rules.CONTRACTOR_TYPE_CODE
        },
        main_company_id=profile.system.main_company_id,
    )
    divisions = [
        CatalogItem(kind="sewer_division", id=0, description=d, attributes=decode(a))
        for d, a in first.x_divisions or []
    ]
    return found + units_rules.check_unit_in_use(
        unit,
        specification_ids=() if unit.accepts_routing else first.x_served or [],
        sewer_divisions=()
        if unit.sewer
        else [d.description for d in divisions if d.integer("unit_id") == unit.id],
    )


def lean_update_unit(
    sql: SqlBackend,
    unit: OrganizationalUnit,
    *,
    profile: UtilityProfile,
    now: datetime,
    actor: int,
) -> OrganizationalUnit:
    """Store a change of a unit read at ``unit.version``, lean: ``BEGIN``,
    one read of the tree with the unit types, the specifications and the
    sewer divisions the unit serves, UNI-1..UNI-7 checked, the
    compare-and-set update and ``unit.changed`` in one statement, ``COMMIT``:
    4 statements."""
    read = lean_sql.built(sql, "unit change read", lambda: _unit_read(sql))
    write = lean_sql.built(sql, "unit change", lambda: _by_id_write(sql, "unit"))
    names = [c.key for c in sql.tables["unit"].c]
    with sql.engine.begin() as connection:
        rows = connection.execute(read, {"k_id": unit.id}).mappings().all()
        tree = {
            r["id"]: sql.mappers.unit.from_row({n: r[n] for n in names}) for r in rows
        }
        assert tree[unit.id].version == unit.version  # the version read
        changed = attrs.evolve(unit, version=unit.version + 1)
        found = _unit_checks(changed, tree, rows[0], profile)
        assert not found, found
        event = UnitChanged(
            occurred_at=now, actor=actor, unit_id=unit.id, version=changed.version
        )
        row = sql.mappers.unit.to_row(changed)
        values = _row_write(row, unit.version, event, now=now, actor=actor)
        assert len(connection.execute(write, values).all()) == 1
    return changed


# ---------------------------------------------------------------- repaving
def _return_read(sql: SqlBackend) -> Any:
    """The work ``:k_id`` locked (``FOR UPDATE OF``), with the unit of the
    user ``:k_actor`` and whether the user holds one of the permissions
    ``:k_permissions`` (PAV-01)."""
    t = sql.tables
    work, user, grant = t["repaving_work"], t["user"], t["user_permission"]
    actor = sa.bindparam("k_actor", type_=user.c.id.type)
    unit = sa.select(user.c.unit_id).where(user.c.id == actor).scalar_subquery()
    holds = sa.exists().where(
        grant.c.user_id == actor,
        grant.c.permission_id.in_(sa.bindparam("k_permissions", expanding=True)),
    )
    return (
        sa.select(*work.c, unit.label("x_unit"), holds.label("x_holds"))
        .where(work.c.id == sa.bindparam("k_id", type_=work.c.id.type))
        .with_for_update(of=work)
    )


def lean_inform_repaving_return(
    sql: SqlBackend,
    work_id: int,
    *,
    returned_on: date,
    street_pavement_id: int | None,
    street_area: Decimal | None,
    profile: UtilityProfile,
    today: date,
    now: datetime,
    actor: int,
) -> RepavingWork:
    """The repaving unit's return of a work (PAV-01, PAV-02), lean:
    ``BEGIN``, the work locked with the user's unit and permission in one
    read, the library's pure ``check_return``, the compare-and-set update
    and ``repaving.returned`` in one statement, ``COMMIT``: 4 statements."""
    read = lean_sql.built(sql, "repaving return read", lambda: _return_read(sql))
    write = lean_sql.built(
        sql, "repaving return", lambda: _by_id_write(sql, "repaving_work")
    )
    names = [c.key for c in sql.tables["repaving_work"].c]
    permissions = sorted(profile.ids("permission.update_repaving"))
    with sql.engine.begin() as connection:
        row = (
            connection.execute(
                read, {"k_id": work_id, "k_actor": actor, "k_permissions": permissions}
            )
            .mappings()
            .one()
        )
        work = sql.mappers.repaving_work.from_row({n: row[n] for n in names})
        found = repaving_rules.check_return(
            work,
            user_unit_id=row["x_unit"],
            authorised=bool(row["x_holds"]),
            returned_on=returned_on,
            street_area=street_area,
            sidewalk_area=None,
            percentage=profile.service_orders.repaving_convergence_percentage,
            today=today,
        )
        assert not found, found
        changed = attrs.evolve(
            work,
            returned_street_pavement_id=street_pavement_id,
            returned_street_area=street_area,
            returned_sidewalk_pavement_id=None,
            returned_sidewalk_area=None,
            returned_on=returned_on,
            acceptance=None,
            accepted_on=None,
            accepted_by=None,
            version=work.version + 1,
        )
        event = RepavingReturned(occurred_at=now, actor=actor, work_id=work_id)
        values = sql.mappers.repaving_work.to_row(changed)
        params = _row_write(values, work.version, event, now=now, actor=actor)
        assert len(connection.execute(write, params).all()) == 1
    return changed


# ---------------------------------------------------------------- permission
def _grant_read(sql: SqlBackend) -> Any:
    """The user ``:k_user`` locked (its id; no row when there is none)."""
    user = sql.tables["user"]
    return (
        sa.select(user.c.id)
        .where(user.c.id == sa.bindparam("k_user", type_=user.c.id.type))
        .with_for_update()
    )


def _grant_write(sql: SqlBackend) -> Any:
    """The grant (nothing when the user holds it already), the audit row
    (``c_*``) and the event, one statement."""
    t = sql.tables
    grant, audit = t["user_permission"], t["permission_change"]
    insert = (
        postgresql.insert(grant)
        .values(lean_sql.bound(grant, "c_"))
        .on_conflict_do_nothing()
    )
    trail = sa.insert(audit).values(lean_sql.bound(audit, "c_")).returning(audit.c.id)
    return lean_sql.one_statement([trail, insert, *lean_sql.outbox_rows(sql, 1)])


def lean_grant(
    sql: SqlBackend,
    *,
    user_id: int,
    permission_id: int,
    change_id: int,
    profile: UtilityProfile,
    now: datetime,
    actor: int,
) -> PermissionChange:
    """Grant a special permission (USR-2), lean: ``BEGIN``, the user locked,
    the grant (``ON CONFLICT DO NOTHING``: a permission held already is not
    granted twice), the audit row and ``user.permission_granted`` in one
    statement, ``COMMIT``: 4 statements. The library's cache of
    ``permissions.has`` does not see it (a write outside the library)."""
    read = lean_sql.built(sql, "grant read", lambda: _grant_read(sql))
    write = lean_sql.built(sql, "grant", lambda: _grant_write(sql))
    known = {
        pid
        for role, ids in profile.roles.items()
        if role.startswith("permission.")
        for pid in ids
    }
    with sql.engine.begin() as connection:
        locked = connection.execute(read, {"k_user": user_id}).all()
        found = units_rules.check_permission_change(
            user_id=user_id,
            user=None if not locked else User(id=user_id, name="", unit_id=0),
            permission_id=permission_id,
            known=known,
        )
        assert not found, found
        change = PermissionChange(
            id=change_id,
            user_id=user_id,
            permission_id=permission_id,
            granted=True,
            actor=actor,
            at=now,
        )
        event = PermissionGranted(
            occurred_at=now, actor=actor, user_id=user_id, permission_id=permission_id
        )
        values = lean_sql.params("c_", sql.mappers.permission_change.to_row(change))
        values |= _event(event, now, actor)
        assert len(connection.execute(write, values).all()) == 1
    return change


# ---------------------------------------------------------------- measures
def cpf(number: int) -> str:
    """A valid CPF whose first nine digits are ``number`` (mod 10^9) moved
    by 123,456,789 (no CPF of nine equal digits)."""
    digits = [int(d) for d in f"{(number + 123_456_789) % 10**9:09d}"]
    for size in (9, 10):
        total = sum(d * (size + 1 - i) for i, d in enumerate(digits[:size]))
        digits.append(0 if total % 11 < 2 else 11 - total % 11)
    return "".join(map(str, digits))


def customers(
    gsan: gsan_core.System, sql: SqlBackend, count: int, *, name: str
) -> list[Customer]:
    """``count`` new customers registered through the library, each with a
    CPF no earlier call gave (from a range of :mod:`benchmarks.id_ranges`)."""
    kind = gsan.accounts.customer(lean_more.customer(gsan, sql, name)).customer_type_id
    first = id_ranges.take(f"{name} documents").start
    return [
        gsan.accounts.register_customer(
            actor=scale.ADMIN,
            name=f"{name} {n}",
            customer_type_id=kind,
            document=cpf(first + n),
        )
        for n in range(count)
    ]


def measure_update_customer(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` customers with a CPF (registered through the library before
    the timing) renamed by each side."""
    made = customers(gsan, sql, 2 * count, name=f"LEAN UPKEEP {skip}")
    scale.analyze(sql)

    def library(n: int) -> None:
        renamed = attrs.evolve(made[2 * n], name=f"RENAMED {2 * n}")
        gsan.accounts.update_customer(renamed, actor=scale.ADMIN)

    def baseline(n: int) -> None:
        renamed = attrs.evolve(made[2 * n + 1], name=f"RENAMED {2 * n + 1}")
        lean_update_customer(sql, renamed, now=scale.NOW, actor=scale.ADMIN)

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a customer with a CPF (lean SQL)", size, library_s, baseline_s
    )


def catalog_rows(gsan: gsan_core.System, count: int, *, name: str) -> list[int]:
    """``count`` new rows of :data:`CATALOG_KIND` added through the library."""
    return [
        gsan.catalog.add(CATALOG_KIND, description=f"{name} {n}", actor=scale.ADMIN).id
        for n in range(count)
    ]


def measure_update_catalog(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` descriptions changed by each side, on :data:`CATALOG_ROWS`
    rows of :data:`CATALOG_KIND` of each side's, added for the repeat (each
    call the next row, its version followed)."""
    rows = catalog_rows(gsan, 2 * CATALOG_ROWS, name=f"LEAN UPKEEP {skip}")
    versions = dict.fromkeys(rows, 1)
    spec = gsan.catalog.kind(CATALOG_KIND)

    def row(n: int, side: int) -> int:
        return rows[side * CATALOG_ROWS + n % CATALOG_ROWS]

    def library(n: int) -> None:
        ident = row(n, 0)
        versions[ident] = gsan.catalog.update(
            CATALOG_KIND,
            ident,
            expected_version=versions[ident],
            actor=scale.ADMIN,
            description=f"LIBRARY {skip} {n}",
        ).version

    def baseline(n: int) -> None:
        ident = row(n, 1)
        versions[ident] = lean_update_catalog(
            sql,
            spec,
            ident,
            expected_version=versions[ident],
            description=f"LEAN {skip} {n}",
            now=scale.NOW,
            actor=scale.ADMIN,
        ).version

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a reference row (lean SQL)", size, library_s, baseline_s
    )


#: The role of the permission the benchmark grants (one that no rule the
#: benchmarks run reads: "Informar Motivo de Não Cobrança").
GRANTED = "permission.inform_non_charge_reason"
#: The units each side changes in turn.
UNITS = 5


def measure_update_unit(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` units renamed by each side, on :data:`UNITS` units of the
    synthetic utility's tree each (each call the next one, its version
    followed)."""
    tree = sorted(gsan.units.tree().values(), key=lambda u: u.id)
    assert len(tree) >= 2 * UNITS, len(tree)
    units = {u.id: u for u in tree[: 2 * UNITS]}
    order = list(units)

    def changed(n: int, side: int) -> OrganizationalUnit:
        unit = units[order[side * UNITS + n % UNITS]]
        return attrs.evolve(unit, name=f"UNIT {skip} {side} {n}")

    def library(n: int) -> None:
        stored = gsan.units.update(changed(n, 0), actor=scale.ADMIN)
        units[stored.id] = stored

    def baseline(n: int) -> None:
        stored = lean_update_unit(
            sql, changed(n, 1), profile=gsan.profile, now=scale.NOW, actor=scale.ADMIN
        )
        units[stored.id] = stored

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "update a unit (lean SQL)", size, library_s, baseline_s
    )


#: Ids of the works :func:`sent_works` adds.
_WORK_IDS = id_ranges.stream("inform_repaving_return: works")


def sent_works(gsan: gsan_core.System, count: int, *, unit_id: int) -> list[int]:
    """``count`` works sent to the repaving unit ``unit_id`` three days ago
    (10 m2 of street pavement 1), not returned yet, added as
    :func:`benchmarks.lean_field_batches.returned_works` adds its own."""
    ids = [next(_WORK_IDS) for _ in range(count)]
    lean_field_batches.add_works(gsan, ids, unit_id=unit_id)
    return ids


def measure_inform_repaving_return(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` works' returns informed by each side (the administrator, a
    user of the works' unit), on works added for the repeat."""
    del skip
    works = sent_works(gsan, 2 * count, unit_id=gsan.units.user(scale.ADMIN).unit_id)
    scale.analyze(sql)
    on = gsan.clock.now().date()
    area = Decimal("9.80")

    def library(n: int) -> None:
        gsan.repaving.inform_return(
            work_id=works[2 * n],
            returned_on=on,
            actor=scale.ADMIN,
            street_pavement_id=1,
            street_area=area,
        )

    def baseline(n: int) -> None:
        lean_inform_repaving_return(
            sql,
            works[2 * n + 1],
            returned_on=on,
            street_pavement_id=1,
            street_area=area,
            profile=gsan.profile,
            today=on,
            now=gsan.clock.now(),
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "inform a repaving work's return (lean SQL)", size, library_s, baseline_s
    )


def measure_register_customer(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` customers with a CPF registered by each side (the lean
    rows' ids from a range of :mod:`benchmarks.id_ranges`)."""
    name = f"LEAN REGISTER {skip}"
    kind = gsan.accounts.customer(lean_more.customer(gsan, sql, name)).customer_type_id
    first = id_ranges.take(f"{name} documents").start
    ids = id_ranges.take("register_customer")

    def library(n: int) -> None:
        gsan.accounts.register_customer(
            actor=scale.ADMIN,
            name=f"{name} {2 * n}",
            customer_type_id=kind,
            document=cpf(first + 2 * n),
        )

    def baseline(n: int) -> None:
        customer = Customer(
            id=next(ids),
            name=f"{name} {2 * n + 1}",
            customer_type_id=kind,
            person_kind=PersonKind.INDIVIDUAL,
            document=cpf(first + 2 * n + 1),
        )
        lean_register_customer(sql, customer, now=scale.NOW, actor=scale.ADMIN)

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "register a customer with a CPF (lean SQL)", size, library_s, baseline_s
    )


def measure_grant(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    """``count`` users (registered through the library before the timing, in
    the administrator's unit) each granted the permission of
    :data:`GRANTED` by each side."""
    unit = gsan.units.user(scale.ADMIN).unit_id
    ids = id_ranges.take("grant")
    users = [
        u.id
        for u in gsan.units.register_users(
            [
                User(id=ids.block(1), name=f"LEAN GRANT {skip} {n}", unit_id=unit)
                for n in range(2 * count)
            ],
            actor=scale.ADMIN,
        )
    ]
    (permission,) = sorted(gsan.profile.ids(GRANTED))[:1]

    def library(n: int) -> None:
        gsan.units.grant(
            user_id=users[2 * n], permission_id=permission, actor=scale.ADMIN
        )

    def baseline(n: int) -> None:
        lean_grant(
            sql,
            user_id=users[2 * n + 1],
            permission_id=permission,
            change_id=next(ids),
            profile=gsan.profile,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = scale_commands.interleaved(library, baseline, count)
    return scale_commands.command_figure(
        "grant a special permission (lean SQL)", size, library_s, baseline_s
    )
