"""Statement budgets of the service requests and their configuration (issue 20).

Every public write command of ``service_requests`` and of its configuration
(``service_requests.configuration``) that ``test_statement_budgets.py`` does
not hold yet is measured here on SQLite and PostgreSQL
(:func:`budgets.measure`: a warm run, then the counted one on fresh rows) and
held to ``BUDGETS`` (``POSTGRES`` where PostgreSQL sends fewer). The commands
that take several items are measured at two sizes and must send the same
number of statements (set-based: one multi-row read, one multi-row write).
The system builders and size helpers are ``test_statement_budgets_orders.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import attrs

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.service_requests import (
    OpenRequest,
    OperationalOccurrence,
    PropertySituationProfile,
    RegulatorRecord,
    Requester,
    RequestLocation,
    RequestSpecification,
    SimplifiedKind,
    SituationCriterion,
)
from gsan_core.services.service_requests import ForwardResult, OpeningResult
from gsan_core.testing.request_utility import (
    CHANNEL_PHONE,
    RequestUtility,
    build_request_utility,
)
from tests.integration import budgets
from tests.integration.budgets import Counter, budget_system, measure
from tests.integration.test_statement_budgets_orders import (
    SIZES,
    at_sizes,
    budget_utility,
    flat,
)

#: Statements (BEGIN and COMMIT included) each command may send.
BUDGETS: dict[str, int] = {
    # the opening's command object: as opening (test_statement_budgets.py)
    "submit an RA": 9,
    # BEGIN, lock the request, its orders (GEN-05), its property, order, its
    # unit history, outbox counter, outbox, COMMIT (10 before: the request
    # locked twice)
    "generate an RA's order": 9,
    # BEGIN, what reactivating reads, read ahead ("reactivate_request": on
    # PostgreSQL the closed request's lock, then its property's, each its own
    # statement; then one joined read of the request, its successors (REA),
    # the property with its customers and requests), request, step, order,
    # its unit history, outbox counter, outbox, COMMIT (11 before: the
    # request and its successors read apart from the property; PostgreSQL:
    # the writes deferred, one statement, 7 before)
    "reactivate an RA": 9,
    "change an RA's place": 9,
    "update an RA": 6,
    "issue an RA closing command": 7,
    # "validate for display": BEGIN, what opening reads (the property with
    # its customers and requests, one joined read, not locked), its writes
    # (4; PostgreSQL: deferred, never sent), ROLLBACK, with the id blocks'
    # upserts (4) of the transaction it rolls back when no committed
    # transaction left spare blocks (13 before: three reads, not joined)
    "check an RA's opening": 11,
    # BEGIN, the unit's blocks, the counter of numbers, the block, outbox
    # counter, outbox, COMMIT, whatever the quantity
    "generate manual RA numbers": 7,
    # UC0503, a batch: BEGIN, lock the requests, their orders, steps and
    # localities' units (one statement for all of them: round 8, 11 before,
    # one statement each), one multi-row write each of the steps, requests
    # and orders, outbox counter, outbox, COMMIT (8 statements a request
    # before: 21 for 2, 53 for 6)
    "forward RAs together": 9,
    "register an occurrence": 7,
    "update an occurrence": 8,
    "conclude an occurrence": 6,
    "remove an occurrence": 8,
    "open a simplified RA": 7,
    "record a regulator complaint": 7,
    "record a regulator return": 7,
    "answer a satisfaction survey": 7,
    # the configuration (CFG-01..08): BEGIN, every specification (CFG-02's
    # siblings), the situation profiles (CFG-08), one multi-row INSERT, outbox
    # counter, outbox, COMMIT; the catalog rows they name read at once
    # (``_lookup``: one statement, none from the reference cache)
    "add a specification": 7,
    "add specifications": 7,
    # the specification changed read with its siblings (8 before: read alone
    # first, then with them)
    "update a specification": 7,
    # BEGIN, INSERT, outbox counter, outbox, COMMIT (the statuses cached)
    "add a situation profile": 5,
    "update a situation profile": 6,
    # a grid replaced (CFG-05): BEGIN, its rows, the locality, its
    # specifications (one read; the groups' grid: its groups not cached, one
    # read), one DELETE ... IN of the former rows, one multi-row INSERT,
    # outbox counter, outbox, COMMIT (the units cached). Before: one DELETE a
    # former row, and one read a group not cached (9 and 12 statements at 2
    # and 6 rows)
    "set a locality's specification units": 9,
    "set a locality's group units": 9,
    # CFG-06: BEGIN, the stored rows, their specifications (one read), one
    # multi-row INSERT, outbox counter, outbox, COMMIT (the collection
    # situations read at once, none when cached)
    "add collection situation units": 7,
    "remove a collection situation unit": 6,
}

#: Where PostgreSQL sends fewer, its own lower budget: one statement less
#: for every command (each records an event: the outbox's counter and rows
#: are one statement there, ``outbox.write_outbox``), and fewer where the
#: command defers its writes (``pipeline.py``) or takes its id blocks in fewer
#: statements.
POSTGRES: dict[str, int] = {name: budget - 1 for name, budget in BUDGETS.items()} | {
    # as opening (test_statement_budgets.py): the property's lock, the joined
    # read, every write one statement
    "submit an RA": 5,
    # the writes deferred: the order, its unit history and the outbox one
    # statement (8 before)
    "generate an RA's order": 6,
    "reactivate an RA": 6,
    # BEGIN, the joined read, ROLLBACK: no lock, the writes deferred and
    # dropped, no id block upserts (PostgreSQL's blocks are taken in
    # transactions of their own and kept); 9 before
    "check an RA's opening": 3,
    # BEGIN, lock the requests, their orders, steps and localities' units in
    # one statement, the writes and the outbox deferred as one statement,
    # COMMIT (round 8: 7 measured before, the three reads one statement
    # each; the budget was 10)
    "forward RAs together": 5,
    # BEGIN, the request's and its property's lock (one statement), the
    # request, its orders, the property and its requests in one joined read
    # (read_ahead_update.py), the deferred request and outbox one statement,
    # COMMIT (issue 20, eleventh round: 7 before, the four reads one
    # statement each; 8 before the tenth)
    "update an RA": 5,
}

#: ``"service.method"`` -> its budget key (a sub-service's methods are named
#: ``service.attribute.method``).
COMMANDS: dict[str, str] = {
    "service_requests.submit": "submit an RA",
    "service_requests.check_open": "check an RA's opening",
    "service_requests.generate_order": "generate an RA's order",
    "service_requests.reactivate": "reactivate an RA",
    "service_requests.update_location": "change an RA's place",
    # update is execute_change with its fields: the same command
    "service_requests.update": "update an RA",
    "service_requests.execute_change": "update an RA",
    "service_requests.issue_closing_command": "issue an RA closing command",
    "service_requests.generate_manual_numbers": "generate manual RA numbers",
    "service_requests.forward_many": "forward RAs together",
    "service_requests.register_occurrence": "register an occurrence",
    "service_requests.update_occurrence": "update an occurrence",
    "service_requests.conclude_occurrence": "conclude an occurrence",
    "service_requests.remove_occurrence": "remove an occurrence",
    "service_requests.open_simplified": "open a simplified RA",
    "service_requests.record_regulator_complaint": "record a regulator complaint",
    "service_requests.record_regulator_return": "record a regulator return",
    "service_requests.answer_survey": "answer a satisfaction survey",
    "service_requests.configuration.add_specification": "add a specification",
    "service_requests.configuration.add_specifications": "add specifications",
    "service_requests.configuration.update_specification": "update a specification",
    "service_requests.configuration.add_situation_profile": "add a situation profile",
    "service_requests.configuration.update_situation_profile": (
        "update a situation profile"
    ),
    "service_requests.configuration.set_locality_specification_units": (
        "set a locality's specification units"
    ),
    "service_requests.configuration.set_locality_group_units": (
        "set a locality's group units"
    ),
    "service_requests.configuration.add_collection_situation_units": (
        "add collection situation units"
    ),
    "service_requests.configuration.remove_collection_situation_unit": (
        "remove a collection situation unit"
    ),
}

#: The methods of these services that only read: no write, no event
#: (``suggest_destination`` reads in a writing unit of work and writes nothing:
#: checked below).
QUERIES: frozenset[str] = frozenset(
    f"{service}.{method}"
    for service, methods in {
        "service_requests": "closing_command details find_by get has_open_request"
        " history open_occurrences overdue pending_of_unit regulator_records"
        " suggest_destination",
        "service_requests.configuration": "collection_situation_units"
        " locality_group_units locality_specification_units situation_profiles"
        " specification specifications",
    }.items()
    for method in methods.split()
)

WRITES = ("INSERT", "UPDATE", "DELETE")
SPECIFICATION = 679  # VAZAMENTO NO RAMAL: urgent, automatic OS
ANA = (Requester(name="ANA", address="RUA 1"),)
SURVEYED = (
    Requester(name="ANA", address="RUA 1", email="ana@example.com", survey_opt_in=True),
)


def assert_within(found: dict[str, int], dialect: str) -> None:
    budgets.assert_within(found, dialect, BUDGETS, POSTGRES)


# ------------------------------------------------------------------ service requests
def _opener(
    system: gsan_core.System, utility: RequestUtility
) -> Callable[..., OpeningResult]:
    """Open a request of the specification at the ``index``-th property of
    the town (its automatic order with it, for 679)."""
    homes = [p.id for p in utility.town.properties]

    def open_(
        index: int,
        specification_id: int = SPECIFICATION,
        requesters: tuple[Requester, ...] = ANA,
    ) -> OpeningResult:
        return system.service_requests.open(
            specification_id=specification_id,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=utility.attendant,
            location=RequestLocation(property_id=homes[index]),
            requesters=requesters,
        )

    return open_


def test_request_commands_hold_their_budgets(sql_backend: SqlBackend) -> None:
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    requests = system.service_requests
    attendant = utility.attendant
    open_ = _opener(system, utility)
    homes = [p.id for p in utility.town.properties]
    found: dict[str, int] = {
        "submit an RA": measure(
            counter,
            lambda n: requests.submit(
                OpenRequest(
                    specification_id=SPECIFICATION,
                    unit_id=utility.call_centre,
                    channel_id=CHANNEL_PHONE,
                    location=RequestLocation(property_id=homes[n]),
                    requesters=ANA,
                ),
                actor=attendant,
            ),
        )
    }
    optional = [open_(2 + n, 232).request.id for n in range(2)]
    closed = [open_(4 + n).request.id for n in range(2)]
    moved = [open_(6 + n, 3).request.id for n in range(2)]
    system.clock.advance(timedelta(minutes=5))
    for request_id in closed:
        requests.close(request_id=request_id, reason_id=4, actor=attendant)
    found["generate an RA's order"] = measure(
        counter,
        lambda n: requests.generate_order(
            request_id=optional[n], service_type_id=350, actor=attendant
        ),
    )
    found["reactivate an RA"] = measure(
        counter,
        lambda n: requests.reactivate(
            request_id=closed[n],
            reason_id=1,
            unit_id=utility.call_centre,
            channel_id=CHANNEL_PHONE,
            actor=attendant,
        ),
    )
    found["change an RA's place"] = measure(
        counter,
        lambda n: requests.update_location(
            request_id=moved[n],
            location=RequestLocation(property_id=homes[8 + n]),
            actor=attendant,
        ),
    )
    found["update an RA"] = measure(
        counter,
        lambda n: requests.update(
            request_id=optional[n], observation=f"OBSERVACAO {n}", actor=attendant
        ),
    )
    found["issue an RA closing command"] = measure(
        counter,
        lambda n: requests.issue_closing_command(
            period_start=system.clock.today() - timedelta(days=n),
            period_end=system.clock.today(),
            reason_id=32,
            responsible_id=attendant,
            actor=attendant,
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


def test_request_opening_and_numbering_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    requests = system.service_requests
    attendant = utility.attendant
    homes = [p.id for p in utility.town.properties]
    found: dict[str, int] = {}
    # GSAN's "validate for display": the opening's reads and writes, rolled
    # back (the id blocks it takes stay taken)
    found["check an RA's opening"] = measure(
        counter,
        lambda n: requests.check_open(
            OpenRequest(
                specification_id=SPECIFICATION,
                unit_id=utility.call_centre,
                channel_id=CHANNEL_PHONE,
                location=RequestLocation(property_id=homes[10 + n]),
                requesters=ANA,
            ),
            actor=attendant,
        ),
    )
    # after an opening committed, its spare id blocks (SQLite) serve the
    # check, which gives back what is left of them at its rollback: no id
    # block upsert, at the first check or the next
    _opener(system, utility)(0)
    for n in range(2):
        with counter.counting():
            requests.check_open(
                OpenRequest(
                    specification_id=SPECIFICATION,
                    unit_id=utility.call_centre,
                    channel_id=CHANNEL_PHONE,
                    location=RequestLocation(property_id=homes[1 + n]),
                    requesters=ANA,
                ),
                actor=attendant,
            )
        assert not [s for s in counter.statements if "id_block" in s], n
    with counter.counting():
        requests.suggest_destination(
            specification_id=SPECIFICATION,
            location=RequestLocation(property_id=homes[10]),
        )
    assert not [s for s in counter.statements if s.startswith(WRITES)]
    flat(
        found,
        "generate manual RA numbers",
        at_sizes(
            counter,
            lambda r, s: requests.generate_manual_numbers(
                unit_id=utility.call_centre, quantity=s, actor=utility.admin
            ),
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


def test_forwarding_requests_together_sends_the_same_statements_for_more(
    sql_backend: SqlBackend,
) -> None:
    """UC0503: the joint forwarding of 2 and of 6 requests (each with its
    automatic order)."""
    system = budget_system(sql_backend)
    utility = build_request_utility(system, properties=40, actor=0)
    counter = Counter(sql_backend.engine)
    open_ = _opener(system, utility)
    opened = [open_(n).request.id for n in range(1 + sum(SIZES))]
    system.clock.advance(timedelta(minutes=5))
    before = {r: system.service_requests.get(r).current_unit_id for r in opened}
    assert utility.office_2 not in before.values()
    taken = iter(opened)
    moved: list[ForwardResult] = []
    found: dict[str, int] = {}
    flat(
        found,
        "forward RAs together",
        at_sizes(
            counter,
            lambda r, s: moved.extend(
                system.service_requests.forward_many(
                    request_ids=[next(taken) for _ in range(s)],
                    destination_unit_id=utility.office_2,
                    actor=utility.admin,
                )
            ),
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)
    # each request moved with its order, one routing step each
    assert [r.request.id for r in moved] == opened
    for request_id in opened:
        request = system.service_requests.get(request_id)
        assert request.current_unit_id == utility.office_2
        (order,) = system.service_orders.find_by(request_id=request_id)
        assert order.current_unit_id == utility.office_2
        last = system.service_requests.history(request_id)[-1]
        assert (last.from_unit_id, last.to_unit_id) == (
            before[request_id],
            utility.office_2,
        )
    assert all(r.orders_moved == 1 for r in moved)


def test_occurrence_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    requests = system.service_requests
    attendant = utility.attendant
    outage = OperationalOccurrence(
        id=0,
        type_id=1,
        reason_id=2,
        municipality_id=101,
        locality_id=1,
        description="ROMPIMENTO",
        occurred_at=system.clock.now(),
    )
    occurrences: list[OperationalOccurrence] = []
    found: dict[str, int] = {
        "register an occurrence": measure(
            counter,
            lambda n: occurrences.append(
                requests.register_occurrence(
                    attrs.evolve(outage, neighbourhood_id=n, description=f"R {n}"),
                    actor=attendant,
                )
            ),
        )
    }
    extra = [
        requests.register_occurrence(
            attrs.evolve(outage, neighbourhood_id=10 + n, description=f"V {n}"),
            actor=attendant,
        )
        for n in range(4)
    ]
    found["update an occurrence"] = measure(
        counter,
        lambda n: requests.update_occurrence(
            attrs.evolve(occurrences[n], description=f"ADUTORA {n}"), actor=attendant
        ),
    )
    found["conclude an occurrence"] = measure(
        counter,
        lambda n: requests.conclude_occurrence(
            occurrence_id=extra[n].id, actor=attendant
        ),
    )
    found["remove an occurrence"] = measure(
        counter,
        lambda n: requests.remove_occurrence(
            occurrence_id=extra[2 + n].id, actor=attendant
        ),
    )
    found["open a simplified RA"] = measure(
        counter,
        lambda n: requests.open_simplified(
            kind=SimplifiedKind.OPERATIONAL,
            name=f"JOSE {n}",
            occurrence_id=occurrences[n].id,
            actor=attendant,
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


def test_regulator_and_survey_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    requests = system.service_requests
    attendant = utility.attendant
    open_ = _opener(system, utility)
    found: dict[str, int] = {}
    complained = [open_(n, 3).request.id for n in range(2)]
    records: list[RegulatorRecord] = []
    found["record a regulator complaint"] = measure(
        counter,
        lambda n: records.append(
            requests.record_regulator_complaint(
                request_id=complained[n],
                protocol_number=f"ARSEP-{n}",
                complaint_reason_id=1,
                current_forecast=date(2025, 1, 20),
                actor=attendant,
            )
        ),
    )
    found["record a regulator return"] = measure(
        counter,
        lambda n: requests.record_regulator_return(
            record_id=records[n].id, return_reason_id=1, actor=attendant
        ),
    )
    surveyed = []
    for n in range(2):
        opened = open_(4 + n, 684, requesters=SURVEYED)
        assert opened.order is not None
        surveyed.append((opened.request.id, opened.order.id))
    system.clock.advance(timedelta(minutes=5))
    for _, order_id in surveyed:
        system.service_orders.close_executed(
            order_id=order_id,
            reason_id=2,
            closed_on=system.clock.today(),
            actor=attendant,
            activities_given=True,
        )
    found["answer a satisfaction survey"] = measure(
        counter,
        lambda n: requests.answer_survey(
            request_id=surveyed[n][0],
            well_served=True,
            resolved=True,
            field_team_contact=False,
            grade=9,
            actor=0,
        ),
    )
    assert_within(found, sql_backend.engine.dialect.name)


# ------------------------------------------------------------------ the tables
def test_the_budget_tables_name_the_commands() -> None:
    assert set(COMMANDS.values()) == set(BUDGETS)
    assert set(POSTGRES) <= set(BUDGETS)
    assert all(POSTGRES[k] <= BUDGETS[k] for k in POSTGRES)
    assert all(n > 0 for n in BUDGETS.values())


# ------------------------------------------------------------------ configuration
def _spec(ident: int) -> RequestSpecification:
    return RequestSpecification(
        id=ident,
        request_type_id=1,
        description=f"ESPECIFICACAO {ident}",
        deadline_days=1,
    )


def test_configuration_commands_hold_their_budgets(sql_backend: SqlBackend) -> None:
    """CFG-01..CFG-08: the specifications and the property-situation profiles,
    one and several."""
    system, _ = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    configuration = system.service_requests.configuration
    found: dict[str, int] = {
        "add a specification": measure(
            counter,
            lambda n: configuration.add_specification(_spec(7_000 + n), actor=0),
        ),
        "update a specification": measure(
            counter,
            lambda n: configuration.update_specification(
                attrs.evolve(_spec(7_000 + n), deadline_days=3), actor=0
            ),
        ),
    }
    flat(
        found,
        "add specifications",
        at_sizes(
            counter,
            lambda r, s: configuration.add_specifications(
                [_spec(7_100 + 10 * r + i) for i in range(s)], actor=0
            ),
        ),
    )
    profiles: list[PropertySituationProfile] = []
    found["add a situation profile"] = measure(
        counter,
        lambda n: profiles.append(
            configuration.add_situation_profile(
                PropertySituationProfile(
                    id=10 + n,
                    description=f"CORTADOS {n}",
                    criteria=[SituationCriterion(water_status_id=5)],
                ),
                actor=0,
            )
        ),
    )
    found["update a situation profile"] = measure(
        counter,
        lambda n: configuration.update_situation_profile(
            attrs.evolve(profiles[n], description=f"SUPRIMIDOS {n}"), actor=0
        ),
    )
    assert [
        s.deadline_days for s in map(configuration.specification, (7_000, 7_001))
    ] == [3, 3]
    assert [p.version for p in configuration.situation_profiles()] == [2, 2]
    assert_within(found, sql_backend.engine.dialect.name)


def test_routing_association_commands_hold_their_budgets(
    sql_backend: SqlBackend,
) -> None:
    """CFG-05, CFG-06 and the locality x group grid: each grid saved with 2
    and 6 rows (its former rows replaced), the same statements."""
    system, utility = budget_utility(sql_backend)
    counter = Counter(sql_backend.engine)
    configuration = system.service_requests.configuration
    pool = [
        s.id
        for s in configuration.add_specifications(
            [_spec(8_000 + i) for i in range(1 + sum(SIZES))], actor=0
        )
    ]
    groups = [900 + i for i in range(max(SIZES))]
    for group in groups:
        system.catalog.add(
            "request_type_group", id=group, description=f"G{group}", actor=0
        )
    units = [utility.office, utility.office_2, utility.commercial]
    found: dict[str, int] = {}
    flat(
        found,
        "set a locality's specification units",
        at_sizes(
            counter,
            lambda r, s: configuration.set_locality_specification_units(
                locality_id=1,
                rows=[(pool[i], units[(r + i) % 3]) for i in range(s)],
                actor=0,
            ),
        ),
    )
    flat(
        found,
        "set a locality's group units",
        at_sizes(
            counter,
            lambda r, s: configuration.set_locality_group_units(
                locality_id=1,
                rows=[(groups[i], units[(r + i) % 3]) for i in range(s)],
                actor=0,
            ),
        ),
    )
    # specifications not read yet, so that each run reads its own (one
    # multi-row read, whatever their number)
    taken = iter(
        s.id
        for s in configuration.add_specifications(
            [_spec(8_100 + i) for i in range(1 + sum(SIZES))], actor=0
        )
    )
    flat(
        found,
        "add collection situation units",
        at_sizes(
            counter,
            lambda r, s: configuration.add_collection_situation_units(
                [(next(taken), 1, utility.judicial) for _ in range(s)], actor=0
            ),
        ),
    )
    rows = [r.id for r in configuration.collection_situation_units()]
    found["remove a collection situation unit"] = measure(
        counter,
        lambda n: configuration.remove_collection_situation_unit(rows[n], actor=0),
    )
    assert len(configuration.locality_specification_units(locality_id=1)) == 6
    assert len(configuration.locality_group_units(locality_id=1)) == 6
    assert len(configuration.collection_situation_units()) == len(rows) - 2
    assert_within(found, sql_backend.engine.dialect.name)
