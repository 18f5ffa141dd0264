"""Account benchmarks: the library against hand-written SQLAlchemy Core.

**Surcharges and the statement of one property with 120 open bills** (SQLite
file and PostgreSQL): ``gsan.accounts.issue_statement(...)`` — UC0067 over the
billing port, UC0216 for every bill with the index table, the barcode, the
collection document written — against one hand-written transaction that reads
the same rows (the property, its locality, its relations, its open items, the
index table), prices every bill with the same formulas (the P line's defaults:
index of the due month − 1, fine, monthly interest, correction) and inserts the
same document. Target: ≤ 2x the baseline's time.

**Mass mailing** (PostgreSQL; 100,000 properties with three open bills each, 5,000
with ``--quick``): ``gsan.accounts.issue_statements(...)`` in chunks of 1,000
against a hand-written set-based run per chunk (one read of the properties, the
relations and the open items, the index table once, the same pricing, one bulk
insert of the documents). The figure is statements per second; target ≥ 0.5x the
baseline's rate.

``python -m benchmarks.accounts [--quick]``
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
import sqlalchemy as sa

import gsan_core
from benchmarks.harness import render
from benchmarks.requests import database
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.properties import Economies
from gsan_core.rules.accounts.barcode import arrecadacao, collection_document_field
from gsan_core.testing import FixedClock
from gsan_core.testing.contracts import location, sample_property

AREA = "accounts"
TODAY = date(2025, 1, 6)
BILLS = 120
_SEVEN = Decimal("0.0000001")
_CENT = Decimal("0.01")


def _setup(sql: SqlBackend) -> gsan_core.System:
    gsan = gsan_core.System(
        uow_factory=sql.uow_factory, clock=FixedClock(), keep_events=False
    )
    gsan.seed()
    loc, sector, block, route = location()
    gsan.properties.load_locations(
        actor=1, localities=[loc], sectors=[sector], blocks=[block], routes=[route]
    )
    gsan.properties.register(
        attrs.evolve(
            sample_property(1),
            categories=(Economies(category_id=1, subcategory_id=10, count=1),),
        ),
        actor=1,
    )
    month = 201501
    for n in range(121):
        gsan.accounts.inform_index(
            actor=1,
            month=month,
            fine_rate=Decimal("2"),
            interest_rate=Decimal("1"),
            correction_factor=Decimal("1") + Decimal(n) / 1000,
        )
        month = month + 1 if month % 100 < 12 else month + 89
    bills = []
    for n in range(BILLS):
        due = TODAY - timedelta(days=30 * (n + 1))
        bills.append(
            OpenDebt(
                id=10_000 + n,
                property_id=1,
                kind=DebtKind.BILL,
                amount=Decimal("85.40"),
                due_date=due,
                reference=due.year * 100 + due.month,
            )
        )
    gsan.billing.record_debts(bills)
    return gsan


def _div7(a: Decimal, b: Decimal) -> Decimal:
    return (a / b).quantize(_SEVEN, rounding=ROUND_HALF_UP)


def _baseline(sql: SqlBackend, document_id: int) -> Decimal:
    """One hand-written transaction: the same reads, the same pricing, the
    same insert."""
    t = sql.tables
    with sql.engine.begin() as conn:
        prop = conn.execute(
            sa.select(t["property"]).where(t["property"].c.id == 1)
        ).one()
        conn.execute(
            sa.select(t["locality"]).where(t["locality"].c.id == prop.locality_id)
        ).one()
        conn.execute(
            sa.select(t["customer_property"]).where(
                t["customer_property"].c.property_id == 1
            )
        ).all()
        debts = conn.execute(
            sa.select(t["open_debt"]).where(t["open_debt"].c.property_id == 1)
        ).all()
        indices = {r.id: r for r in conn.execute(sa.select(t["surcharge_index"])).all()}
        today_month = TODAY.year * 100 + TODAY.month
        total = Decimal(0)
        for d in debts:
            value = Decimal(d.amount)
            due = d.due_date
            month = due.year * 100 + due.month
            first = month - 1 if month % 100 > 1 else month - 89
            index = indices[first]
            months = (TODAY.year * 12 + TODAY.month) - (due.year * 12 + due.month)
            fine = value * _div7(Decimal(index.fine_rate), Decimal(100))
            interest = (
                value * months * _div7(Decimal(index.interest_rate), Decimal(100))
            )
            ratio = _div7(
                Decimal(indices[today_month].correction_factor),
                Decimal(index.correction_factor),
            )
            correction = value * ratio - value
            total += value + sum(
                x.quantize(_CENT, rounding=ROUND_HALF_UP)
                for x in (fine, interest, correction)
            )
        code = arrecadacao(
            value=total,
            company=0,
            free_field=collection_document_field(
                locality_id=prop.locality_id,
                property_id=1,
                document_id=document_id,
                document_type_id=14,
            ),
        )
        items = [
            {"debt_id": d.id, "kind": "bill", "value": str(d.amount)} for d in debts
        ]
        conn.execute(
            sa.insert(t["collection_document"]),
            {
                "id": document_id,
                "property_id": 1,
                "document_type_id": 14,
                "issued_at": datetime(2025, 1, 6, 12, tzinfo=UTC),
                "valid_until": TODAY + timedelta(days=5),
                "value": total,
                "surcharges": Decimal(0),
                "discount": Decimal(0),
                "fee": Decimal(0),
                "debt_situation": 1,
                "barcode": code.digits,
                "items": json.loads(json.dumps(items)),
                "actor": 1,
                "version": 1,
            },
        )
    return total


def statement(backend: str, repeats: int) -> dict[str, Any] | None:
    with database(backend) as sql:
        if sql is None:
            return None
        gsan = _setup(sql)
        library: list[float] = []
        baseline: list[float] = []
        value = Decimal(0)
        for n in range(repeats):
            began = time.perf_counter()
            result = gsan.accounts.issue_statement(actor=1, property_id=1)
            library.append(time.perf_counter() - began)
            began = time.perf_counter()
            value = _baseline(sql, 9_000_000 + n)
            baseline.append(time.perf_counter() - began)
        assert result.value == value, (result.value, value)
        lib, base = statistics.median(library), statistics.median(baseline)
        return {
            "area": AREA,
            "name": f"statement with surcharges ({BILLS} bills)",
            "backend": backend,
            "size": BILLS,
            "library_s": round(lib, 4),
            "baseline_s": round(base, 4),
            "ratio": round(lib / base, 3),
            "rate": round(BILLS / lib, 1),
        }


def _town(gsan: gsan_core.System, count: int) -> None:
    """``count`` properties with three open bills each."""
    base = sample_property(1)
    gsan.properties.load(
        (
            attrs.evolve(
                base,
                id=pid,
                categories=(Economies(category_id=1, subcategory_id=10, count=1),),
            )
            for pid in range(2, count + 2)
        ),
        actor=1,
        atomic=False,
    )
    for start in range(2, count + 2, 10_000):
        gsan.billing.record_debts(
            OpenDebt(
                id=1_000_000 + pid * 3 + n,
                property_id=pid,
                kind=DebtKind.BILL,
                amount=Decimal("85.40"),
                due_date=TODAY - timedelta(days=30 * (n + 1)),
                reference=(TODAY - timedelta(days=30 * (n + 1))).year * 100
                + (TODAY - timedelta(days=30 * (n + 1))).month,
            )
            for pid in range(start, min(start + 10_000, count + 2))
            for n in range(3)
        )


def _baseline_chunk(sql: SqlBackend, ids: list[int], first_id: int) -> int:
    t = sql.tables
    rows = []
    with sql.engine.begin() as conn:
        props = conn.execute(
            sa.select(t["property"].c.id, t["property"].c.locality_id)
            .where(t["property"].c.id.in_(ids))
            .with_for_update()
        ).all()
        conn.execute(
            sa.select(t["customer_property"]).where(
                t["customer_property"].c.property_id.in_(ids)
            )
        ).all()
        debts: dict[int, list[Any]] = {}
        for d in conn.execute(
            sa.select(t["open_debt"]).where(t["open_debt"].c.property_id.in_(ids))
        ):
            debts.setdefault(d.property_id, []).append(d)
        indices = {r.id: r for r in conn.execute(sa.select(t["surcharge_index"])).all()}
        today_month = TODAY.year * 100 + TODAY.month
        for n, (pid, locality) in enumerate(props):
            total = Decimal(0)
            for d in debts.get(pid, ()):
                value = Decimal(d.amount)
                month = d.due_date.year * 100 + d.due_date.month
                index = indices[month - 1 if month % 100 > 1 else month - 89]
                months = (TODAY.year * 12 + TODAY.month) - (
                    d.due_date.year * 12 + d.due_date.month
                )
                ratio = _div7(
                    Decimal(indices[today_month].correction_factor),
                    Decimal(index.correction_factor),
                )
                parts = (
                    value * _div7(Decimal(index.fine_rate), Decimal(100)),
                    value * months * _div7(Decimal(index.interest_rate), Decimal(100)),
                    value * ratio - value,
                )
                total += value + sum(
                    x.quantize(_CENT, rounding=ROUND_HALF_UP) for x in parts
                )
            code = arrecadacao(
                value=total,
                company=0,
                free_field=collection_document_field(
                    locality_id=locality,
                    property_id=pid,
                    document_id=first_id + n,
                    document_type_id=14,
                ),
            )
            rows.append(
                {
                    "id": first_id + n,
                    "property_id": pid,
                    "document_type_id": 14,
                    "issued_at": datetime(2025, 1, 6, 12, tzinfo=UTC),
                    "valid_until": TODAY + timedelta(days=5),
                    "value": total,
                    "surcharges": Decimal(0),
                    "discount": Decimal(0),
                    "fee": Decimal(0),
                    "debt_situation": 1,
                    "barcode": code.digits,
                    "items": [
                        {"debt_id": d.id, "kind": "bill", "value": str(d.amount)}
                        for d in debts.get(pid, ())
                    ],
                    "actor": 1,
                    "version": 1,
                }
            )
        conn.execute(sa.insert(t["collection_document"]), rows)
    return len(rows)


def mailing(count: int) -> dict[str, Any] | None:
    with database("postgresql") as sql:
        if sql is None:
            return None
        gsan = _setup(sql)
        _town(gsan, count)
        ids = list(range(2, count + 2))
        began = time.perf_counter()
        summary = gsan.accounts.issue_statements(actor=1, property_ids=ids)
        library = time.perf_counter() - began
        assert summary.changed == count, summary
        began = time.perf_counter()
        made = sum(
            _baseline_chunk(sql, ids[i : i + 1_000], 50_000_000 + i)
            for i in range(0, count, 1_000)
        )
        baseline = time.perf_counter() - began
        assert made == count
        return {
            "area": AREA,
            "name": "statements mass mailing (3 bills each)",
            "backend": "postgresql",
            "size": count,
            "library_s": round(library, 4),
            "baseline_s": round(baseline, 4),
            "ratio": round(library / baseline, 3),
            "rate": round(count / library, 1),
            "baseline_rate": round(count / baseline, 1),
        }


def run(quick: bool) -> list[dict[str, Any]]:
    """Every figure of the area (``quick``: fewer repeats, a smaller town)."""
    repeats = 3 if quick else 20
    found = [
        statement("sqlite", repeats),
        statement("postgresql", repeats),
        mailing(5_000 if quick else 100_000),
    ]
    return [f for f in found if f is not None]


def main(argv: list[str]) -> int:
    """``python -m benchmarks.accounts [--quick]``."""
    print(render(run(quick="--quick" in argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
