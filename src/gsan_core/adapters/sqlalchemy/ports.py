"""SQL default adapters of the outside ports: billing, permissions, field lock.

They write in the unit of work's transaction, so a charge or a permission change
commits or rolls back with the rules' own writes.
"""

from __future__ import annotations

import enum
import functools
import typing
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gsan_core.adapters.billing_tables import AccountsTables
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.adapters.sqlalchemy.mappers import RowMapper
from gsan_core.adapters.sqlalchemy.pipeline import (
    MOST_ROWS,
    deferred_insert,
    reader,
    unnest_insert,
)
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.adapters.sqlalchemy.repositories import (
    SqlRepository,
    among,
    chunks,
    id_batches,
    prepared,
)
from gsan_core.adapters.sqlalchemy.types import Money
from gsan_core.errors import NotFound
from gsan_core.model.accounts import Customer, SurchargeIndex
from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    Charge,
    DebtKind,
    InstallmentPlan,
    OpenDebt,
    OverdueBills,
    Payment,
    Tariff,
)
from gsan_core.model.consumption import ConsumptionRecord, MeasurementKind

if TYPE_CHECKING:
    from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork

__all__ = [
    "CHARGE_COLUMNS",
    "SqlBilling",
    "SqlCustomers",
    "SqlFieldLock",
    "SqlPermissions",
    "SqlSurchargeIndices",
    "charge_debt",
]

T = TypeVar("T")


def _positional(
    mapper: RowMapper[T],
) -> tuple[list[sa.Column[Any]], Callable[[Sequence[Any]], T]]:
    """The columns of ``mapper``'s fields, in field order, and a builder of the
    entity from a plain row of them. The open items of a property are the hot
    read of every statement and certificate: positional rows with the names
    zipped in C cost a third of ``RowMapper.from_row``'s keyed lookups."""
    names = [name for name, _, _ in mapper.fields]
    columns = [mapper.table.c[name] for name in names]
    hints = typing.get_type_hints(mapper.cls)
    decoders: list[tuple[int, Callable[[Any], Any]]] = []
    for at, (name, _, decode) in enumerate(mapper.fields):
        kind = hints[name]
        if decode is None or isinstance(columns[at].type, Money):
            continue  # Money columns already return Decimal
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            members: dict[Any, Any] = {m.value: m for m in kind}
            members[None] = None
            decoders.append((at, members.__getitem__))
        else:
            decoders.append((at, decode))
    cls = mapper.cls

    def build(row: Sequence[Any]) -> T:
        values = list(row)
        for at, decode in decoders:
            values[at] = decode(values[at])
        return cls(**dict(zip(names, values, strict=True)))

    return columns, build


def _under(table: sa.Table) -> sa.Select[Any]:
    """Every customer under ``:root``, directly or not, with its responsible:
    one recursive read (``UNION`` drops a row met again, so a loop ends)."""
    c = table.c
    tree = (
        sa.select(c.id, c.responsible_customer_id)
        .where(c.responsible_customer_id == sa.bindparam("root"))
        .cte("customer_tree", recursive=True)
    )
    child = table.alias("child")
    tree = tree.union(
        sa.select(child.c.id, child.c.responsible_customer_id).join(
            tree, child.c.responsible_customer_id == tree.c.id
        )
    )
    return sa.select(tree.c.id, tree.c.responsible_customer_id).order_by(tree.c.id)


class SqlCustomers(SqlRepository[Customer]):
    """Customers; the hierarchy under one read in one statement (CNC-05)."""

    def under(self, customer_id: int) -> Mapping[int, Sequence[int]]:
        table = self._mapper.table
        statement = prepared(table, "under", lambda: _under(table))
        with translated("customer", customer_id):
            rows = self._read.execute(statement, {"root": customer_id}).all()
        found: dict[int, list[int]] = {}
        for ident, responsible in rows:
            found.setdefault(responsible, []).append(ident)
        return found


class SqlSurchargeIndices(SqlRepository[SurchargeIndex]):
    """The index table (UC0216): every statement and certificate reads it whole,
    so that read is one prepared statement of positional rows, kept in the
    backend's reference cache (``reference.py``) except under the table's
    key (Informar Índices reads it from the database)."""

    def find_by(self, **criteria: object) -> Sequence[SurchargeIndex]:
        if criteria:
            return super().find_by(**criteria)
        cache = self._uow.reference_cache("surcharge_index")
        if cache is None:
            return self._all()
        hit = cache.get("surcharge_index", "all")
        if hit is not MISSING:
            return list(cast("Sequence[SurchargeIndex]", hit))
        generation = cache.generation("surcharge_index")
        found = self._all()
        cache.put("surcharge_index", "all", tuple(found), generation)
        return found

    def _all(self) -> list[SurchargeIndex]:
        table = self._mapper.table
        columns, build = prepared(
            table, "positional", lambda: _positional(self._mapper)
        )
        statement = prepared(
            table,
            "all_by_id",
            lambda: sa.select(*columns).order_by(table.c.id),
        )
        with translated("surcharge_index"):
            rows = self._uow.connection.execute(statement).all()
        # The rows are read every time (inside the caller's transaction); only
        # the entities are reused when every row, its version included, equals
        # the last read's. Index rows are immutable values, so sharing them is
        # safe, and it saves building ~one object per month on every statement.
        last: list[Any] = prepared(table, "last_read", lambda: [([], [])])
        seen, built = last[0]
        if rows != seen:
            built = [build(row) for row in rows]
            last[0] = (rows, built)
        return list(built)


def charge_debt(row: Sequence[Any]) -> OpenDebt:
    """A charge still to be billed as one of its property's open debts, from
    the values of its columns :data:`CHARGE_COLUMNS` names, in their order."""
    ident, property_id, total, debit_type_id, reference, parts, billed = row
    return OpenDebt(
        id=ident,
        property_id=property_id,
        kind=DebtKind.CHARGE,
        amount=total,
        debit_type_id=debit_type_id,
        reference=reference,
        installments=parts,
        installments_billed=billed,
    )


#: The columns of a charge that :func:`charge_debt` reads, in its order.
CHARGE_COLUMNS = (
    "id",
    "property_id",
    "total",
    "debit_type_id",
    "reference",
    "installments",
    "installments_billed",
)


def _debt_missing(ident: int) -> None:
    """A deferred update of a debt row touched nothing: it is gone."""
    raise NotFound("open_debt", ident)


class SqlBilling(AccountsTables):
    """Open debts and charges in this library's own tables."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._debts: RowMapper[OpenDebt] = uow.mappers.open_debt
        self._charges: RowMapper[Charge] = uow.mappers.charge
        self._consumption: RowMapper[ConsumptionRecord] = uow.mappers.consumption
        self._payments: SqlRepository[Payment] = SqlRepository(
            uow, uow.mappers.payment, "payment"
        )
        self._plans: SqlRepository[InstallmentPlan] = SqlRepository(
            uow, uow.mappers.installment_plan, "installment_plan"
        )
        self._terms: SqlRepository[CashPaymentTerms] = SqlRepository(
            uow, uow.mappers.cash_payment_terms, "cash_payment_terms"
        )
        self._tariffs: SqlRepository[Tariff] = SqlRepository(
            uow, uow.mappers.tariff, "tariff"
        )
        self._billed: SqlRepository[BilledConsumption] = SqlRepository(
            uow, uow.mappers.billed_consumption, "billed_consumption"
        )

    def open_debts(self, property_id: int) -> Sequence[OpenDebt]:
        # read ahead (changing a connection's situation, read_ahead.py): the
        # property's debt rows and its charges, each kept apart so that a
        # write of either table forgets its own
        debts = self._uow.take_ahead("open_debt", ("of", property_id))
        charges = self._uow.take_ahead("charge", ("of", property_id))
        if debts is not MISSING and charges is not MISSING:
            found = [*debts, *charges]  # type: ignore[misc]
            return sorted(found, key=lambda d: (d.kind, d.id))
        return list(self.open_debts_of([property_id]).get(property_id, []))

    def open_debts_of(
        self,
        property_ids: Iterable[int],
        *,
        kinds: Collection[DebtKind] | None = None,
    ) -> Mapping[int, Sequence[OpenDebt]]:
        """The debt rows and the charges of the properties in one statement
        (``UNION ALL``, a row of its own each) per chunk of ids."""
        conn = self._uow.connection
        dialect = conn.dialect.name
        debt_t = self._debts.table
        found: dict[int, list[OpenDebt]] = {}
        stored_kinds = None if kinds is None else [k.value for k in kinds]
        with_charges = kinds is None or DebtKind.CHARGE in kinds
        columns, build = prepared(
            debt_t, "positional", lambda: _positional(self._debts)
        )
        width = len(columns)
        wanted = set(property_ids)
        for batch in chunks(wanted):
            params: dict[str, Any] = {}
            if len(wanted) == 1 and stored_kinds is None:  # the counter's hot path
                statement = prepared(
                    debt_t,
                    "open_of_one",
                    lambda: self._open_items(
                        lambda c: c == sa.bindparam("k_property"), charges=True
                    ),
                )
                params = {"k_property": batch[0]}
            else:
                statement = self._open_items(
                    lambda c: among(c, batch, dialect),  # noqa: B023
                    charges=with_charges,
                    kinds=stored_kinds,
                )
            with translated("open_debt"):
                for row in conn.execute(statement, params):
                    debt = (
                        build(row[:width])
                        if row[-1] == 0
                        else charge_debt(row[width:-1])
                    )
                    found.setdefault(debt.property_id, []).append(debt)
        return {k: sorted(v, key=lambda d: (d.kind, d.id)) for k, v in found.items()}

    def _open_items(
        self,
        of: Callable[[sa.ColumnElement[Any]], sa.ColumnElement[bool]],
        *,
        charges: bool,
        kinds: Sequence[str] | None = None,
    ) -> sa.Executable:
        """The debt rows (the debt's columns, nulls, 0) and, with ``charges``,
        ``UNION ALL`` the charges (nulls, the charge's :data:`CHARGE_COLUMNS`,
        1) of the properties ``of`` selects."""
        debt_t, charge_t = self._debts.table, self._charges.table
        columns, _ = prepared(debt_t, "positional", lambda: _positional(self._debts))
        charge_columns = [charge_t.c[name] for name in CHARGE_COLUMNS]

        def nulls(of: Sequence[sa.Column[Any]]) -> list[Any]:
            # cast, not only typed: without a branch of charges (``kinds``
            # without them) PostgreSQL would type a bare NULL as text
            return [sa.cast(sa.null(), c.type).label(None) for c in of]

        debts = sa.select(*columns, *nulls(charge_columns), sa.literal(0)).where(
            of(debt_t.c.property_id)
        )
        if kinds is not None:
            debts = debts.where(debt_t.c.kind.in_(kinds))
        if not charges:
            return debts
        return sa.union_all(
            debts,
            sa.select(*nulls(columns), *charge_columns, sa.literal(1)).where(
                of(charge_t.c.property_id)
            ),
        )

    def overdue_bills(
        self, property_ids: Iterable[int], *, due_before: date
    ) -> Mapping[int, OverdueBills]:
        conn = self._uow.connection
        dialect = conn.dialect.name
        t = self._debts.table
        overdue = (t.c.kind == DebtKind.BILL.value, t.c.due_date < due_before)
        found: dict[int, OverdueBills] = {}
        for batch in chunks(set(property_ids)):
            wanted = among(t.c.property_id, batch, dialect)
            with translated("open_debt"):
                if dialect == "sqlite":  # money is text there: add it up exactly here
                    rows = conn.execute(
                        sa.select(t.c.property_id, t.c.amount).where(wanted, *overdue)
                    )
                    amounts: dict[int, list[Decimal]] = {}
                    for pid, amount in rows:
                        amounts.setdefault(pid, []).append(amount)
                    found |= {
                        pid: OverdueBills(count=len(a), amount=sum(a, Decimal(0)))
                        for pid, a in amounts.items()
                    }
                    continue
                totals = conn.execute(
                    sa.select(t.c.property_id, sa.func.count(), sa.func.sum(t.c.amount))
                    .where(wanted, *overdue)
                    .group_by(t.c.property_id)
                )
                found |= {
                    pid: OverdueBills(count=count, amount=amount)
                    for pid, count, amount in totals
                }
        return found

    def has_payment_slip(
        self, *, property_id: int, debit_type_id: int, issued_on: date
    ) -> bool:
        slips = self._uow.take_ahead("open_debt", ("payment_slips", property_id))
        if slips is not MISSING:
            return (debit_type_id, issued_on) in slips  # type: ignore[operator]
        t = self._debts.table
        statement = prepared(
            t,
            "payment_slip",
            lambda: (
                sa.select(sa.literal(1))
                .where(
                    t.c.property_id == sa.bindparam("k_property"),
                    t.c.kind == DebtKind.PAYMENT_SLIP.value,
                    t.c.debit_type_id == sa.bindparam("k_debit_type"),
                    t.c.issued_on == sa.bindparam("k_issued_on"),
                )
                .limit(1)
            ),
        )
        params = {
            "k_property": property_id,
            "k_debit_type": debit_type_id,
            "k_issued_on": issued_on,
        }
        with translated("open_debt"):
            connection = reader(self._uow, t)
            return connection.execute(statement, params).first() is not None

    def payment_slips_issued(
        self, keys: Iterable[tuple[int, int, date]]
    ) -> set[tuple[int, int, date]]:
        t = self._debts.table
        wanted = set(keys)
        found: set[tuple[int, int, date]] = set()
        for batch in chunks(sorted(wanted)):
            connection = reader(self._uow, t)
            dialect = connection.dialect.name
            statement = sa.select(
                t.c.property_id, t.c.debit_type_id, t.c.issued_on
            ).where(
                among(t.c.property_id, {k[0] for k in batch}, dialect),
                t.c.kind == DebtKind.PAYMENT_SLIP.value,
                t.c.debit_type_id.in_(sorted({k[1] for k in batch})),
                t.c.issued_on.in_(sorted({k[2] for k in batch})),
            )
            with translated("open_debt"):
                found |= {
                    (int(p), int(d), i)
                    for p, d, i in connection.execute(statement)
                    if (p, d, i) in wanted
                }
        return found

    def add_charge(self, charge: Charge) -> None:
        self._uow.wrote("charge")  # the charges read ahead are forgotten
        row = self._charges.to_row(charge)
        if deferred_insert(self._uow, "charge", self._charges.table, [row]):
            return
        with translated("charge", charge.id):
            self._uow.connection.execute(
                sa.insert(self._charges.table), [self._charges.to_row(charge)]
            )

    def add_charges(self, charges: Iterable[Charge]) -> None:
        """The charges in one statement a batch of 5,000: on PostgreSQL an
        ``INSERT ... SELECT FROM unnest(...)`` of one array per column, built
        once (:func:`~gsan_core.adapters.sqlalchemy.pipeline.unnest_insert`),
        elsewhere an ``executemany``."""
        self._uow.wrote("charge")
        table = self._charges.table
        for batch in chunks(charges, 5_000):
            rows = self._charges.to_rows(batch)
            connection = self._uow.connection
            with translated("charge"):
                if connection.dialect.name == "postgresql" and len(rows) > 1:
                    connection.execute(*unnest_insert(table, rows))
                else:
                    connection.execute(sa.insert(table), rows)

    def charges_of(self, property_id: int) -> Sequence[Charge]:
        t = self._charges.table
        with translated("charge"):
            rows = self._uow.connection.execute(
                sa.select(t).where(t.c.property_id == property_id).order_by(t.c.id)
            ).mappings()
            return [self._charges.from_row(r) for r in rows]

    def add_credits(self, credits: Iterable[OpenDebt]) -> None:
        self.record_debts(credits)

    def record_debts(self, debts: Iterable[OpenDebt]) -> None:
        self._uow.wrote("open_debt")
        debts = list(debts)
        rows = self._debts.to_rows(debts) if len(debts) <= MOST_ROWS else []
        if deferred_insert(self._uow, "open_debt", self._debts.table, rows):
            return  # a few rows (a refund's credits): they wait with the others
        for batch in chunks(debts, 5_000):
            with translated("open_debt"):
                self._uow.connection.execute(
                    sa.insert(self._debts.table), self._debts.to_rows(batch)
                )

    def replace_debts(self, debts: Iterable[OpenDebt]) -> None:
        self._uow.wrote("open_debt")
        t = self._debts.table
        statement = (
            sa.update(t)
            .where(t.c.id == sa.bindparam("k_id"))
            .values({c.key: sa.bindparam(f"v_{c.key}") for c in t.c if c.key != "id"})
        )
        debts = list(debts)
        if self._replace_later(debts):
            return
        for batch in chunks(debts, 1_000):
            params = [
                {"k_id": row["id"]} | {f"v_{k}": v for k, v in row.items() if k != "id"}
                for row in self._debts.to_rows(batch)
            ]
            with translated("open_debt"):
                result = self._uow.connection.execute(statement, params)
            if result.rowcount != len(params):
                raise NotFound("open_debt", params[0]["k_id"])

    def _replace_later(self, debts: Sequence[OpenDebt]) -> bool:
        """Leave the updates of a few distinct ``debts`` (a refund's credited
        bills) in the unit of work's pending writes, when it defers them:
        whether it did. Each must still touch its row (``NotFound`` after the
        statement, as at once); the table has no version to compare."""
        ids = {d.id for d in debts}
        uow = self._uow
        if not debts or len(debts) > MOST_ROWS or len(ids) != len(debts):
            return False
        if not getattr(uow, "deferring", False):
            return False
        t = self._debts.table
        if uow.pending.touches(t):
            _ = uow.connection  # a waiting write of the table would not be seen
        for row in self._debts.to_rows(debts):
            ident = row["id"]
            uow.pending.update(
                entity="open_debt",
                table=t,
                values={k: v for k, v in row.items() if k != "id"},
                where=(ident, None),
                columns=("id", ""),
                on_short=functools.partial(_debt_missing, ident),
            )
        return True

    def payments_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[Payment]]:
        wanted = set(property_ids)
        if len(wanted) == 1:  # read ahead (a refund, read_ahead_requests.py)
            (one,) = wanted
            ahead = self._uow.take_ahead("payment", ("of", one))
            if ahead is not MISSING:
                return {one: list(ahead)} if ahead else {}  # type: ignore[call-overload]
        found: dict[int, list[Payment]] = {}
        for batch in chunks(wanted):
            for payment in self._payments.find_by(property_id=list(batch)):
                found.setdefault(payment.property_id, []).append(payment)
        return found

    def record_payments(self, payments: Iterable[Payment]) -> None:
        self._payments.add_many(payments)

    def installment_plans_of(
        self, property_ids: Iterable[int]
    ) -> Mapping[int, Sequence[InstallmentPlan]]:
        found: dict[int, list[InstallmentPlan]] = {}
        for batch in chunks(set(property_ids)):
            for plan in self._plans.find_by(property_id=list(batch)):
                found.setdefault(plan.property_id, []).append(plan)
        return {k: sorted(v, key=lambda p: p.id) for k, v in found.items()}

    def update_payments(self, payments: Iterable[Payment]) -> None:
        self._payments.update_many(payments)

    def settle(self, debt_ids: Iterable[int]) -> None:
        t = self._debts.table
        for batch in chunks(debt_ids):
            with translated("open_debt"):
                conn = self._uow.connection
                conn.execute(
                    sa.delete(t).where(among(t.c.id, batch, conn.dialect.name))
                )

    def real_consumption(
        self,
        property_ids: Iterable[int],
        *,
        reference: int,
        real_type_ids: Collection[int],
    ) -> set[int]:
        t = self._consumption.table
        types = list(real_type_ids)
        found: set[int] = set()
        connection = self._uow.connection
        for clause in id_batches(connection, t.c.property_id, property_ids):
            statement = sa.select(t.c.property_id).where(
                clause,
                t.c.reference == reference,
                t.c.kind == MeasurementKind.WATER.value,
                t.c.consumption_type_id.in_(types),
                t.c.billed_volume > 0,
            )
            with translated("consumption_history"):
                found.update(connection.execute(statement).scalars())
        return found

    def repeated_anomaly(
        self,
        property_ids: Iterable[int],
        *,
        anomaly_ids: Collection[int],
        references: Collection[int],
    ) -> set[int]:
        t = self._consumption.table
        months = sorted(set(references))
        anomalies = sorted(set(anomaly_ids))
        found: set[int] = set()
        if not months or not anomalies:
            return found
        connection = self._uow.connection
        for clause in id_batches(connection, t.c.property_id, property_ids):
            statement = (
                sa.select(t.c.property_id)
                .where(
                    clause,
                    t.c.reference.in_(months),
                    t.c.kind == MeasurementKind.WATER.value,
                    t.c.anomaly_id.in_(anomalies),
                )
                .group_by(t.c.property_id)
                .having(sa.func.count() == len(months))
            )
            with translated("consumption_history"):
                found.update(connection.execute(statement).scalars())
        return found

    def billed_volumes(
        self,
        property_id: int,
        *,
        last: int,
        kind: MeasurementKind = MeasurementKind.WATER,
    ) -> Sequence[int]:
        t = self._consumption.table
        statement = (
            sa.select(t.c.billed_volume)
            .where(t.c.property_id == property_id, t.c.kind == kind.value)
            .order_by(t.c.reference.desc())
            .limit(max(last, 0))
        )
        with translated("consumption_history"):
            return [int(v) for v in self._uow.connection.execute(statement).scalars()]

    def minimum_consumption(
        self, property_id: int, *, kind: MeasurementKind = MeasurementKind.WATER
    ) -> int | None:
        t = self._consumption.table
        statement = (
            sa.select(t.c.minimum)
            .where(t.c.property_id == property_id, t.c.kind == kind.value)
            .order_by(t.c.reference.desc())
            .limit(1)
        )
        with translated("consumption_history"):
            value = self._uow.connection.execute(statement).scalar()
        return None if value is None else int(value)

    def record_consumption(self, records: Iterable[ConsumptionRecord]) -> None:
        for batch in chunks(records, 5_000):
            with translated("consumption_history"):
                self._uow.connection.execute(
                    sa.insert(self._consumption.table),
                    self._consumption.to_rows(batch),
                )


class SqlPermissions:
    """Special permissions granted to users."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._t = uow.tables["user_permission"]

    def _key(self, user_id: int, permission_id: int) -> Any:
        return sa.and_(
            self._t.c.user_id == user_id, self._t.c.permission_id == permission_id
        )

    def has(self, user_id: int, permission_id: int) -> bool:
        """A deactivated user holds no permission (the grant stays stored).

        The answer is kept in the backend's reference cache (``reference.py``)
        by ``(user, permission)``: a grant, a revocation or a change of a user
        through the backend forgets every kept answer when its unit of work
        ends; another process's are seen after ``reference_ttl`` seconds, as a
        user's deactivation is (issue 20: one round trip less per command that
        checks a permission)."""
        key = (user_id, permission_id)
        cache = self._uow.reference_cache("user_permission")
        if cache is not None:
            hit = cache.get("user_permission", key)
            if hit is not MISSING:
                return bool(hit)
            generation = cache.generation("user_permission")
        found = self._has(user_id, permission_id)
        if cache is not None:
            cache.put("user_permission", key, found, generation)
        return found

    def _has(self, user_id: int, permission_id: int) -> bool:
        t = self._t
        users = self._uow.tables["user"]
        statement = prepared(
            t,
            "has",
            lambda: (
                sa.select(sa.literal(1))
                .select_from(t.outerjoin(users, users.c.id == t.c.user_id))
                .where(
                    t.c.user_id == sa.bindparam("k_user"),
                    t.c.permission_id == sa.bindparam("k_permission"),
                    sa.or_(users.c.id.is_(None), users.c.active.is_(True)),
                )
            ),
        )
        with translated("user_permission"):
            row = self._uow.connection.execute(
                statement, {"k_user": user_id, "k_permission": permission_id}
            ).first()
        return row is not None

    def grant(self, user_id: int, permission_id: int) -> None:
        """Idempotent, in one ``INSERT ... ON CONFLICT DO NOTHING``: a grant
        stored already is kept, whether or not its user is active (a read of
        :meth:`has` first missed a deactivated user's grant, and the insert
        then met it as a duplicate key)."""
        t = self._t
        connection = self._uow.connection
        dialect = connection.dialect.name
        insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = prepared(
            t,
            f"grant_{dialect}",
            lambda: (
                insert(t)
                .values(
                    user_id=sa.bindparam("k_user", type_=t.c.user_id.type),
                    permission_id=sa.bindparam(
                        "k_permission", type_=t.c.permission_id.type
                    ),
                )
                .on_conflict_do_nothing(index_elements=[t.c.user_id, t.c.permission_id])
            ),
        )
        self._uow.wrote("user_permission")
        with translated("user_permission", (user_id, permission_id)):
            connection.execute(
                statement, {"k_user": user_id, "k_permission": permission_id}
            )

    def revoke(self, user_id: int, permission_id: int) -> None:
        self._uow.wrote("user_permission")
        with translated("user_permission"):
            self._uow.connection.execute(
                sa.delete(self._t).where(self._key(user_id, permission_id))
            )


class SqlFieldLock:
    """Routes being billed in the field."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow
        self._t = uow.tables["field_lock"]

    def locked_reference(self, property_id: int) -> int | None:
        """The lock of the property's route. The route row is share-locked first
        (``FOR SHARE``, until the transaction ends), so billing cannot lock the
        route between this read and the commit; the lock is read after it
        (or both were, read ahead: ``read_ahead.read_connecting``)."""
        ahead = self._uow.take_ahead("field_lock", ("reference", property_id))
        if ahead is not MISSING:
            return cast("int | None", ahead)
        prop = self._uow.tables["property"]
        route = self._uow.tables["route"]
        statement = prepared(
            self._t,
            "route_of_property",
            lambda: (
                sa.select(route.c.id, route.c.simultaneous_printing)
                .select_from(prop.join(route, route.c.id == prop.c.route_id))
                .where(prop.c.id == sa.bindparam("k_id"))
                .with_for_update(read=True, of=route)
            ),
        )
        connection = self._uow.connection
        with translated("field_lock"):
            found = connection.execute(statement, {"k_id": property_id}).first()
            if found is None or not found.simultaneous_printing:
                return None
            value = connection.execute(
                sa.select(self._t.c.reference).where(self._t.c.route_id == found.id)
            ).scalar()
        return None if value is None else int(value)

    def _lock_route(self, route_id: int) -> None:
        route = self._uow.tables["route"]
        with translated("route", route_id):
            self._uow.connection.execute(
                sa.select(route.c.id).where(route.c.id == route_id).with_for_update()
            )

    def lock_route(self, route_id: int, reference: int) -> None:
        self.unlock_route(route_id)
        with translated("field_lock"):
            self._uow.connection.execute(
                sa.insert(self._t), [{"route_id": route_id, "reference": reference}]
            )

    def unlock_route(self, route_id: int) -> None:
        self._lock_route(route_id)
        with translated("field_lock"):
            self._uow.connection.execute(
                sa.delete(self._t).where(self._t.c.route_id == route_id)
            )
