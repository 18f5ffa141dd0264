"""Statement budgets of the orders and foundation services (issue 20).

Every public write command of ``service_orders``, ``catalog``, ``properties``,
``units``, ``billing``, ``collection`` and ``outbox`` that
``test_statement_budgets.py`` does not hold yet is measured
here on SQLite and PostgreSQL (:func:`budgets.measure`: a warm run, then the
counted one on fresh rows) and held to ``BUDGETS`` (``POSTGRES`` where
PostgreSQL sends fewer). The commands that take several items are measured at
two sizes and must send the same number of statements (set-based: one
multi-row read, one multi-row write), or a bounded number more per chunk.
The service requests' budgets are in ``test_statement_budgets_requests.py``,
which uses this module's system builders and size helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import attrs

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.billing import (
    BilledConsumption,
    CashPaymentTerms,
    CategoryTariff,
    DebtKind,
    InstallmentPlan,
    OpenDebt,
    Payment,
    Tariff,
)
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    Property,
    Route,
)
from gsan_core.model.service_orders import (
    KitLine,
    MaterialKit,
    ServiceChargeValue,
    ServiceType,
    Team,
    TeamComponent,
    TypeMaterial,
)
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.system import default_operations
from gsan_core.testing import FixedClock
from gsan_core.testing.machines_orders import CountingOperation
from gsan_core.testing.request_utility import (
    RequestUtility,
    build_request_utility,
)
from gsan_core.testing.town import load_town, small_town
from tests.integration import budgets
from tests.integration.budgets import Counter, budget_system, measure
from tests.services.orders_support import (
    ACTOR,
    DEBT_PAID,
    EDITABLE,
    PLAIN,
    TEST_TYPES,
    FailingOperation,
    Harness,
    orders_profile,
)

#: The commands that record no event: no outbox, the same on PostgreSQL.
NO_EVENT = frozenset(
    {
        "record debts",
        "settle debts",
        "record payments",
        "record installment plans",
        "record cash payment terms",
        "record tariffs",
        "record billed consumption",
        "record consumption",
        "lock a route in the field",
        "unlock a route",
        "load locations",
        "acknowledge outbox entries",
    }
)

#: Statements (BEGIN and COMMIT included) each command may send.
BUDGETS: dict[str, int] = {
    # the billing loaders: BEGIN, one multi-row INSERT (settling: one
    # DELETE ... IN), COMMIT; no event, so no outbox
    "record debts": 3,
    "settle debts": 3,
    "record payments": 3,
    "record installment plans": 3,
    "record cash payment terms": 3,
    "record tariffs": 3,
    "record billed consumption": 3,
    "record consumption": 3,
    # BEGIN, the unit tree, one multi-row INSERT, outbox counter, outbox,
    # COMMIT (the unit types from the reference cache)
    "register a unit": 6,
    "register a user": 6,
    "register units": 6,
    "register users": 6,
    # BEGIN, the unit tree (the unit in it), the sewer divisions (UNI-7; the
    # unit types from the reference cache), UPDATE, outbox counter, outbox,
    # COMMIT (8 before: the unit read, then the tree)
    "update a unit": 7,
    # BEGIN, lock the user, the grant (INSERT ... ON CONFLICT DO NOTHING:
    # no read of whether the user holds it; 8 before), the audit row, outbox
    # counter, outbox, COMMIT
    "grant a permission": 7,
    "revoke a permission": 7,
    "deactivate a user": 6,
    # BEGIN, the kind's key (CAT-4: a counter upsert), its rows, INSERT,
    # outbox counter, outbox, COMMIT
    "add a reference row": 7,
    # BEGIN, the kind's key, its rows (the row in them), UPDATE, outbox
    # counter, outbox, COMMIT (8 before: the row read, then its siblings)
    "update a reference row": 7,
    "deactivate a reference row": 7,
    "activate a reference row": 7,
    "remove a reference row": 6,
    "seed reference rows": 6,
    # BEGIN, the catalog rows it names (by id), its location links (one
    # statement), INSERT, outbox counter, outbox, COMMIT
    "register a property": 7,
    "update a property": 8,
    # BEGIN, the route, its lock (SELECT ... FOR UPDATE on PostgreSQL),
    # DELETE + INSERT of the field lock, COMMIT: no event
    "lock a route in the field": 6,
    "unlock a route": 4,
    # one chunk, atomic: what registering one sends, for the whole chunk;
    # atomic=False: one more statement a chunk (the ids already stored)
    "load properties": 7,
    # BEGIN, the localities, the sectors, four multi-row INSERTs, COMMIT
    "load locations": 8,
    "acknowledge outbox entries": 3,
    # the relay's lease (BEGIN, read, take, COMMIT), the batch (BEGIN,
    # read, ROLLBACK), its acknowledgement (BEGIN, UPDATE ... IN, COMMIT),
    # the lease's release (BEGIN, DELETE, COMMIT); a batch: 6, whatever its
    # size (PostgreSQL: one transaction a batch, below)
    "relay a batch of the outbox": 13,
    # BEGIN, the active types (CFG-05's duplicates), INSERT, outbox counter,
    # outbox, COMMIT; several: the active types read once, one multi-row
    # INSERT (2 statements a type before: 16 for 6 types)
    "add a service type": 6,
    "add service types": 6,
    "update a service type": 7,
    "set a type's activities": 6,
    "set a type's materials": 6,
    "add a price": 7,
    "update a price": 7,
    "remove a price": 6,
    "add a team": 6,
    "update a team": 7,
    "add a material kit": 6,
    "update a material kit": 7,
    "put an order back to pending": 6,
    # BEGIN, the order, its property, the property's orders, the order's
    # UPDATE, DEB-02's payment slips, the charge, outbox counter, outbox, COMMIT
    "apply an order's operation": 10,
    # BEGIN, the property, the locality's units, the property's orders
    # (GEN uniqueness), order, its unit history, outbox counter, outbox,
    # COMMIT (9 before: the property was read twice)
    "generate an order from collection": 8,
    # BEGIN, lock the property, its open cut orders (GEN-13), its bills
    # (GEN-14), its charges, the locality's units, order, its unit history,
    # outbox counter, outbox, COMMIT (12 before: the property it locked was
    # read again)
    "generate a cut order": 11,
}

#: Where PostgreSQL sends fewer, its own lower budget: one statement less
#: for every command that records an event (the outbox's counter and rows
#: are one statement there: ``outbox.write_outbox``), and fewer where the
#: command defers its writes (``pipeline.py``: its writes and the outbox's one
#: statement) or its id blocks are taken in fewer statements.
POSTGRES: dict[str, int] = {
    name: budget - 1 for name, budget in BUDGETS.items() if name not in NO_EVENT
} | {
    # one transaction a batch: BEGIN, the relay's advisory lock and the batch
    # claimed (locked and marked published) in one statement, COMMIT
    # (round 8: 9 before, the lock's transaction, the read's and the ack's)
    "relay a batch of the outbox": 3,
    # deferred writes: the order, the outbox counter and rows one statement
    "put an order back to pending": 4,
    # deferred writes: the order's UPDATE, the charge, the outbox one
    # statement (9 before)
    "apply an order's operation": 7,
    # deferred writes: the order, its unit history, the outbox one statement
    # (10 before)
    "generate a cut order": 8,
    # deferred writes: BEGIN, the property, its catalogue rows, its location
    # links, the compare-and-set update + outbox counter + outbox, COMMIT
    # (issue 20, ninth round: 7 before)
    "update a property": 5,
    # deferred writes: BEGIN, lock the user, the grant (ON CONFLICT DO
    # NOTHING, no has-read) or the revocation, the audit row + outbox
    # counter + outbox, COMMIT (issue 20, tenth round: 7 and 6 before; the
    # grant 6 until its has-read went, lean7)
    "grant a permission": 5,
    "revoke a permission": 5,
}

#: ``"service.method"`` -> its budget key.
COMMANDS: dict[str, str] = {
    "billing.record_debts": "record debts",
    "billing.settle": "settle debts",
    "billing.record_payments": "record payments",
    "billing.record_installment_plans": "record installment plans",
    "billing.record_cash_payment_terms": "record cash payment terms",
    "billing.record_tariffs": "record tariffs",
    "billing.record_billed_consumption": "record billed consumption",
    "billing.record_consumption": "record consumption",
    "units.register": "register a unit",
    "units.register_user": "register a user",
    "units.register_many": "register units",
    "units.register_users": "register users",
    "units.update": "update a unit",
    "units.grant": "grant a permission",
    "units.revoke": "revoke a permission",
    "units.set_user_active": "deactivate a user",
    "catalog.add": "add a reference row",
    "catalog.update": "update a reference row",
    "catalog.deactivate": "deactivate a reference row",
    "catalog.activate": "activate a reference row",
    "catalog.remove": "remove a reference row",
    "catalog.seed": "seed reference rows",
    "properties.register": "register a property",
    "properties.update": "update a property",
    "properties.lock_route_in_field": "lock a route in the field",
    "properties.unlock_route": "unlock a route",
    "properties.load": "load properties",
    "properties.load_locations": "load locations",
    "outbox.ack": "acknowledge outbox entries",
    "outbox.relay": "relay a batch of the outbox",
    "service_orders.add_type": "add a service type",
    "service_orders.add_types": "add service types",
    "service_orders.update_type": "update a service type",
    "service_orders.set_type_activities": "set a type's activities",
    "service_orders.set_type_materials": "set a type's materials",
    "service_orders.add_price": "add a price",
    "service_orders.update_price": "update a price",
    "service_orders.remove_price": "remove a price",
    "service_orders.add_team": "add a team",
    "service_orders.update_team": "update a team",
    "service_orders.add_kit": "add a material kit",
    "service_orders.update_kit": "update a material kit",
    "service_orders.back_to_pending": "put an order back to pending",
    "service_orders.apply_operation": "apply an order's operation",
    "service_orders.generate_from_collection": "generate an order from collection",
    "service_orders.generate_cut_order": "generate a cut order",
}

#: The methods of these services that only read: no write, no event.
QUERIES: frozenset[str] = frozenset(
    f"{service}.{method}"
    for service, methods in {
        "billing": "charges installment_plans open_debts payments",
        "catalog": "check get kind kinds list references",
        "outbox": "after pending",
        "properties": "block check count_by_water_status find_by get locality"
        " locked_reference route",
        "service_orders": "closing_reasons commercial_price_table"
        " completed_orders_bulletin execution find_by get get_kit get_team"
        " get_type kits prices simulate_charge teams types unit_history",
        "units": "ancestors get has_permission permission_changes tree user",
    }.items()
    for method in methods.split()
)

#: The two sizes a many-item command is measured at.
SIZES = (2, 6)


def budget_utility(sql: SqlBackend) -> tuple[gsan_core.System, RequestUtility]:
    """:func:`budget_system` with the request utility's units, town and routing."""
    system = budget_system(sql)
    return system, build_request_utility(system, properties=12, actor=0)


def at_sizes(counter: Counter, action: Callable[[int, int], object]) -> list[int]:
    """The statements of ``action(run, size)`` at each of :data:`SIZES`, after
    a warm run of one item: ``run`` numbers the runs (0 warm) so each run
    takes fresh rows."""
    action(0, 1)
    found: list[int] = []
    for run, size in enumerate(SIZES, start=1):
        with counter.counting():
            action(run, size)
        found.append(counter.count)
    return found


def flat(
    found: dict[str, int], name: str, counts: list[int], *, extra: int = 0
) -> None:
    """Record the count of a many-item command whose statements must not grow
    with its items (``extra``: what the larger size may add, a chunk's)."""
    assert counts[-1] <= counts[0] + extra, (name, counts)
    found[name] = max(counts)


def assert_within(found: dict[str, int], dialect: str) -> None:
    budgets.assert_within(found, dialect, BUDGETS, POSTGRES)


# ------------------------------------------------------------------ billing
def _debt(ident: int, prop: int) -> OpenDebt:
    return OpenDebt(
        id=ident,
        property_id=prop,
        kind=DebtKind.BILL,
        amount=Decimal("45.50"),
        due_date=date(2024, 12, 10),
        reference=202411,
    )


#: Each loader's rows: ``(id, property, run)`` -> a row.
BILLING_ROWS: dict[str, tuple[str, Callable[[int, int, int], object]]] = {
    "record debts": ("record_debts", lambda i, home, _: _debt(i, home)),
    "settle debts": ("settle", lambda i, _, __: i),
    "record payments": (
        "record_payments",
        lambda i, home, _: Payment(
            id=i, property_id=home, value=Decimal(10), paid_on=date(2025, 1, 2)
        ),
    ),
    "record installment plans": (
        "record_installment_plans",
        lambda i, home, _: InstallmentPlan(
            id=i, property_id=home, made_on=date(2024, 5, 1)
        ),
    ),
    "record cash payment terms": (
        "record_cash_payment_terms",
        lambda i, _, __: CashPaymentTerms(id=i, property_profile_id=1),
    ),
    "record tariffs": (
        "record_tariffs",
        lambda i, _, __: Tariff(
            id=i,
            tariff_id=i,
            valid_from=date(2024, 1, 1),
            categories=(CategoryTariff(category_id=1, minimum_volume=10),),
        ),
    ),
    "record billed consumption": (
        "record_billed_consumption",
        lambda i, _, __: BilledConsumption(
            id=i,
            tariff_id=1,
            water_volume=10,
            economies=((1, 1),),
            water_value=Decimal(20),
        ),
    ),
    "record consumption": (
        "record_consumption",
        lambda i, home, run: ConsumptionRecord(
            property_id=home,
            reference=(2000 + run) * 100 + i % 12 + 1,
            consumption_type_id=1,
            billed_volume=9,
        ),
    ),
}


def test_billing_loaders_send_the_same_statements_whatever_their_size(
    sql_backend: SqlBackend,
) -> None:
    """Each loader of ``BILLING_ROWS`` (the debts it recorded settled after
    them) with 2 and with 6 rows."""
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    homes = [p.id for p in utility.town.properties]
    found: dict[str, int] = {}
    for name, (method, row) in BILLING_ROWS.items():
        load = getattr(system.billing, method)

        def rows(run: int, size: int) -> list[object]:
            first = 1_000 * (run + 1)
            ids = range(first, first + size)
            return [row(i, homes[i % len(homes)], run) for i in ids]  # noqa: B023

        flat(found, name, at_sizes(counter, lambda r, s: load(rows(r, s))))  # noqa: B023
    # every debt recorded settled; the 1 + 2 + 6 payments recorded
    assert not [d for h in homes for d in system.billing.open_debts(h)]
    assert sum(len(system.billing.payments(h)) for h in homes) == 1 + sum(SIZES)
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ units
def test_unit_and_user_commands_hold_their_budgets(sql_backend: SqlBackend) -> None:
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    units = system.units

    def unit(ident: int) -> OrganizationalUnit:
        return OrganizationalUnit(
            id=ident, name=f"UNIDADE {ident}", unit_type_id=11, superior_id=1
        )

    def user(ident: int) -> User:
        return User(id=ident, name=f"USUARIO {ident}", unit_id=utility.office)

    found: dict[str, int] = {
        "register a unit": measure(
            counter, lambda n: units.register(unit(500 + n), actor=1)
        ),
        "register a user": measure(
            counter, lambda n: units.register_user(user(500 + n), actor=1)
        ),
    }
    flat(
        found,
        "register units",
        at_sizes(
            counter,
            lambda r, s: units.register_many(
                [unit(600 + 10 * r + i) for i in range(s)], actor=1
            ),
        ),
    )
    flat(
        found,
        "register users",
        at_sizes(
            counter,
            lambda r, s: units.register_users(
                [user(600 + 10 * r + i) for i in range(s)], actor=1
            ),
        ),
    )
    found["update a unit"] = measure(
        counter,
        lambda n: units.update(
            attrs.evolve(unit(610 + n), name=f"NOVO {n}"),
            actor=1,
        ),
    )
    permission = min(
        pid
        for role, ids in system.profile.roles.items()
        if role.startswith("permission.")
        for pid in ids
    )
    found["grant a permission"] = measure(
        counter,
        lambda n: units.grant(user_id=610 + n, permission_id=permission, actor=1),
    )
    found["revoke a permission"] = measure(
        counter,
        lambda n: units.revoke(user_id=610 + n, permission_id=permission, actor=1),
    )
    found["deactivate a user"] = measure(
        counter,
        lambda n: units.set_user_active(user_id=620 + n, active=False, actor=1),
    )
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ catalog
def test_catalog_commands_hold_their_budgets(sql_backend: SqlBackend) -> None:
    system = budget_system(sql_backend)
    counter = Counter(sql_backend.engine)
    catalog = system.catalog
    added = [
        catalog.add("cut_reason", id=900 + n, description=f"MOTIVO {n}", actor=1)
        for n in range(2)
    ]
    found: dict[str, int] = {
        "add a reference row": measure(
            counter,
            lambda n: catalog.add(
                "cut_reason", id=910 + n, description=f"NOVO {n}", actor=1
            ),
        ),
        "update a reference row": measure(
            counter,
            lambda n: catalog.update(
                "cut_reason", 900 + n, expected_version=1, actor=1, description=f"X{n}"
            ),
        ),
        "deactivate a reference row": measure(
            counter,
            lambda n: catalog.deactivate(
                "cut_reason", 900 + n, expected_version=2, actor=1
            ),
        ),
        "activate a reference row": measure(
            counter,
            lambda n: catalog.activate(
                "cut_reason", 900 + n, expected_version=3, actor=1
            ),
        ),
        "remove a reference row": measure(
            counter,
            lambda n: catalog.remove(
                "cut_reason", 910 + n, expected_version=1, actor=1
            ),
        ),
    }
    assert len(added) == 2
    flat(
        found,
        "seed reference rows",
        at_sizes(
            counter,
            lambda r, s: catalog.seed(
                [
                    CatalogItem(
                        kind="cut_reason", id=1_000 + 10 * r + i, description=f"S{r}{i}"
                    )
                    for i in range(s)
                ],
                actor=1,
            ),
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ properties
def _load_locations(system: gsan_core.System, first: int, size: int) -> None:
    """Load ``size`` new localities, each with a sector, a block and a route."""
    ids = range(first, first + size)
    system.properties.load_locations(
        actor=1,
        localities=[Locality(id=i, name=f"LOCALIDADE {i}") for i in ids],
        sectors=[CommercialSector(id=i, locality_id=i, code=1) for i in ids],
        blocks=[Block(id=i, locality_id=i, sector_id=i, number=1) for i in ids],
        routes=[
            Route(id=i, locality_id=i, sector_id=i, code=1, group_id=1) for i in ids
        ],
    )


def test_property_commands_hold_their_budgets(sql_backend: SqlBackend) -> None:
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    properties = system.properties
    model = utility.town.properties[0]

    def new(ident: int) -> Property:
        return attrs.evolve(model, id=ident)

    routes = [r.id for r in utility.town.routes]
    found: dict[str, int] = {
        "register a property": measure(
            counter, lambda n: properties.register(new(70_000 + n), actor=1)
        ),
        "update a property": measure(
            counter,
            lambda n: properties.update(
                attrs.evolve(new(70_000 + n), block_face=3), actor=1
            ),
        ),
        "lock a route in the field": measure(
            counter,
            lambda n: properties.lock_route_in_field(
                routes[n % len(routes)], reference=202501
            ),
        ),
        "unlock a route": measure(
            counter, lambda n: properties.unlock_route(routes[n % len(routes)])
        ),
    }

    def load(r: int, s: int, *, atomic: bool = True) -> None:
        first = 80_000 + 1_000 * r + (0 if atomic else 500)
        batch = [new(first + i) for i in range(s)]
        properties.load(
            batch, actor=1, atomic=atomic, chunk_size=5_000 if atomic else 2
        )

    flat(found, "load properties", at_sizes(counter, load))
    # two properties a chunk, each chunk its own transaction (the ids already
    # stored read first): the 2 and the 6 properties in 1 and 3 chunks
    chunked = at_sizes(counter, lambda r, s: load(r, s, atomic=False))
    assert chunked == [chunked[0], 3 * chunked[0]], chunked
    assert chunked[0] == found["load properties"] + 1
    flat(
        found,
        "load locations",
        at_sizes(counter, lambda r, s: _load_locations(system, 90_000 + 100 * r, s)),
    )
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ outbox
def test_outbox_commands_hold_their_budgets(sql_backend: SqlBackend) -> None:
    system, _ = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    outbox = system.outbox
    entries = [e.id for e in outbox.pending(limit=100)]
    assert len(entries) >= 20
    taken = iter(entries)
    found: dict[str, int] = {}
    flat(
        found,
        "acknowledge outbox entries",
        at_sizes(counter, lambda r, s: outbox.ack([next(taken) for _ in range(s)])),
    )
    relayed: list[int] = []
    flat(
        found,
        "relay a batch of the outbox",
        at_sizes(
            counter,
            lambda r, s: relayed.append(
                outbox.relay(lambda batch: None, batch_size=s, max_batches=1).entries
            ),
        ),
    )
    assert relayed == [1, *SIZES]
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ service orders
def _orders(sql: SqlBackend) -> Harness:
    """The service-order tests' harness (``tests/services/orders_support.py``)
    over ``sql``: the test types, two counting operations and a small town."""
    counting = CountingOperation()
    grace = CountingOperation(key="test.grace", menu_variant="grace")
    failing = FailingOperation(key="test.failing")
    clock = FixedClock()
    gsan = gsan_core.System(
        uow_factory=sql.uow_factory,
        backend=sql,
        profile=orders_profile(),
        clock=clock,
        operations=[*default_operations(), counting, grace, failing],
        keep_events=False,
    )
    gsan.seed()
    gsan.service_orders.add_types(TEST_TYPES, actor=0)
    town = small_town(properties=6)
    load_town(gsan, town)
    return Harness(gsan, town, clock, counting, grace, failing)


def _type(ident: int) -> ServiceType:
    return ServiceType(id=ident, description=f"TIPO {ident}", abbreviation=f"T{ident}")


def test_service_type_and_table_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    h = _orders(sql_backend)
    counter = Counter(sql_backend.engine)
    orders = h.gsan.service_orders
    found: dict[str, int] = {
        "add a service type": measure(
            counter, lambda n: orders.add_type(_type(980 + n), actor=0)
        )
    }
    flat(
        found,
        "add service types",
        at_sizes(
            counter,
            lambda r, s: orders.add_types(
                [_type(1_000 + 10 * r + i) for i in range(s)], actor=0
            ),
        ),
    )
    found["update a service type"] = measure(
        counter,
        lambda n: orders.update_type(
            attrs.evolve(_type(1_020 + n), description=f"OUTRO {n}"), actor=0
        ),
    )
    found["set a type's activities"] = measure(
        counter,
        lambda n: orders.set_type_activities(
            service_type_id=1_022 + n,
            activities=[(2, 1), (3, 2)],
            expected_version=1,
            actor=0,
        ),
    )
    found["set a type's materials"] = measure(
        counter,
        lambda n: orders.set_type_materials(
            service_type_id=1_024 + n,
            materials=[TypeMaterial(material_id=4, quantity=Decimal("2.5"))],
            expected_version=1,
            actor=0,
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


def test_price_team_and_kit_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    h = _orders(sql_backend)
    counter = Counter(sql_backend.engine)
    orders = h.gsan.service_orders
    today = h.today
    orders.add_types([_type(1_000 + 10 * n) for n in range(2)], actor=0)
    prices: list[ServiceChargeValue] = []
    found: dict[str, int] = {}
    found["add a price"] = measure(
        counter,
        lambda n: prices.append(
            orders.add_price(
                service_type_id=1_000 + 10 * n,
                value=Decimal("12.00"),
                metered=False,
                valid_from=today,
                valid_until=today + timedelta(days=30),
                actor=0,
            )
        ),
    )
    found["update a price"] = measure(
        counter,
        lambda n: orders.update_price(
            attrs.evolve(prices[n], valid_until=today + timedelta(days=90)), actor=0
        ),
    )
    found["remove a price"] = measure(
        counter,
        lambda n: orders.remove_price(
            price_id=prices[n].id, expected_version=2, actor=0
        ),
    )
    teams: list[Team] = []
    found["add a team"] = measure(
        counter,
        lambda n: teams.append(
            orders.add_team(
                name=f"EQUIPE {n}",
                unit_id=102,
                work_minutes=480,
                components=[TeamComponent(name="AJUDANTE", responsible=True)],
                actor=0,
            )
        ),
    )
    found["update a team"] = measure(
        counter,
        lambda n: orders.update_team(attrs.evolve(teams[n], work_minutes=360), actor=0),
    )
    kits: list[MaterialKit] = []
    found["add a material kit"] = measure(
        counter,
        lambda n: kits.append(
            orders.add_kit(
                description=f"KIT {n}",
                lines=[KitLine(material_id=1, quantity=Decimal("0.5"))],
                actor=0,
            )
        ),
    )
    found["update a material kit"] = measure(
        counter,
        lambda n: orders.update_kit(
            attrs.evolve(kits[n], description=f"KIT NOVO {n}"), actor=0
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


def test_other_service_order_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    h = _orders(sql_backend)
    counter = Counter(sql_backend.engine)
    orders = h.gsan.service_orders
    started = [h.generate(PLAIN) for _ in range(2)]
    for order in started:
        orders.start_execution(order_id=order.id, actor=ACTOR)
    graced = [h.generate(EDITABLE) for _ in range(2)]
    for order in graced:
        orders.close_not_executed(
            order_id=order.id, reason_id=DEBT_PAID, closed_on=h.today, actor=ACTOR
        )
    homes = [h.prop(0, water_status_id=3) for _ in range(2)]
    h.gsan.billing.record_debts(_debt(70 + n, home) for n, home in enumerate(homes))
    found = {
        "put an order back to pending": measure(
            counter,
            lambda n: orders.back_to_pending(order_id=started[n].id, actor=ACTOR),
        ),
        "apply an order's operation": measure(
            counter,
            lambda n: orders.apply_operation(
                operation="test.grace", order_id=graced[n].id, actor=ACTOR
            ),
        ),
        "generate an order from collection": measure(
            counter,
            lambda n: orders.generate_from_collection(
                service_type_id=PLAIN,
                property_id=h.prop(n),
                collection_document_id=5_001 + n,
                actor=ACTOR,
            ),
        ),
        "generate a cut order": measure(
            counter,
            lambda n: orders.generate_cut_order(property_id=homes[n], actor=ACTOR),
        ),
    }
    assert h.grace.calls == {o.id: 1 for o in graced}
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ the tables
def test_the_budget_tables_name_the_commands() -> None:
    assert set(COMMANDS.values()) == set(BUDGETS)
    assert set(POSTGRES) <= set(BUDGETS)
    assert all(POSTGRES[k] <= BUDGETS[k] for k in POSTGRES)
    assert all(n > 0 for n in BUDGETS.values())
