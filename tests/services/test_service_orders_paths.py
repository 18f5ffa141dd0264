"""Less travelled paths of the service-order use cases, on memory, SQLite and
PostgreSQL: orders of a service request (the RA area's ``generate_in``), the
"in field" lock (ENC-17), closing hooks, operations with input, the menu path's
"update" variant, reference behaviours without a hold, type configuration
errors, and the repositories' set-based statements at their edges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    NotFound,
    RuleViolation,
)
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceChargeValue,
    ServiceOrder,
    ServiceType,
)
from gsan_core.rules.service_orders import RequestFacts
from gsan_core.services.operations import OperationCall
from gsan_core.services.service_orders import generate_in
from gsan_core.services.service_orders.common import _Permissions
from gsan_core.system import System, default_operations
from gsan_core.testing.machines_orders import CountingOperation
from tests.services.orders_support import (
    ACTOR,
    COMMERCIAL,
    EXECUTED,
    GAVE_UP,
    OVERDUE,
    PLAIN,
    Harness,
    harness,
    orders_profile,
)

__all__ = ["harness"]

D = Decimal


def ctx(h: Harness) -> Any:
    return h.gsan.service_orders._ctx


def request_facts(h: Harness, **changes: Any) -> RequestFacts:
    values: dict[str, Any] = {
        "id": 555,
        "allows_orders": True,
        "pending": True,
        "user_authorised": True,
        "current_unit_id": 202,
        "property_id": h.prop(1),
    }
    values.update(changes)
    return RequestFacts(**values)


def in_request(
    h: Harness, service_type_id: int = PLAIN, **options: Any
) -> ServiceOrder:
    with h.gsan.uow_factory() as uow:
        order = generate_in(
            uow,
            ctx(h),
            service_type_id=service_type_id,
            actor=ACTOR,
            at=h.clock.now(),
            origin=OrderOrigin.REQUEST,
            request=options.pop("request", None) or request_facts(h),
            **options,
        )
        uow.commit()
    return order


# ---------------------------------------------------------------- orders of an RA
def test_orders_of_a_request_take_its_unit_and_property(harness: Harness) -> None:
    order = in_request(harness)
    assert (order.request_id, order.current_unit_id) == (555, 202)
    assert order.property_id == harness.prop(1)
    with pytest.raises(RuleViolation) as error:
        in_request(harness)
    assert error.value.code == "service_order.generate.open_order_of_same_type"
    with pytest.raises(RuleViolation) as error:
        in_request(harness, COMMERCIAL, request=request_facts(harness, pending=False))
    assert error.value.violations[0].rule == "GEN-02"
    changed = harness.gsan.service_orders.update(
        order_id=order.id, expected_version=order.version, actor=ACTOR, observation="ok"
    )
    assert changed.observation == "ok"
    closed = harness.gsan.service_orders.close_not_executed(
        order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )
    assert closed.order.request_id == 555
    again = in_request(harness)
    assert again.id != order.id


def test_a_diagnosis_within_a_request_and_a_service_change(harness: Harness) -> None:
    target = in_request(harness)
    diagnosis_type = ServiceType(
        id=975, description="DIAGNOSTICO DO RA", abbreviation="DIAG RA", reference_id=1
    )
    harness.gsan.service_orders.add_type(diagnosis_type, actor=0)
    diagnosis = in_request(harness, 975, reference_order_id=target.id)
    in_request(harness, COMMERCIAL)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_executed(
            order_id=diagnosis.id,
            reason_id=EXECUTED,
            closed_on=harness.today,
            actor=ACTOR,
            remark="trocar",
            return_type_id=3,
            new_service_type_id=COMMERCIAL,
        )
    assert error.value.code == "service_order.reference.new_type_open"


# ---------------------------------------------------------------- ENC-17, ENC-10
def test_enc_17_a_property_in_field_blocks_types_that_forbid_it(
    harness: Harness,
) -> None:
    guarded = ServiceType(
        id=976,
        description="SUBSTITUICAO PROTEGIDA",
        abbreviation="SUBST P",
        allows_property_in_field=False,
    )
    harness.gsan.service_orders.add_type(guarded, actor=0)
    printing = next(r for r in harness.town.routes if r.simultaneous_printing)
    prop = next(p for p in harness.town.properties if p.route_id == printing.id)
    order = harness.generate(976, property_id=prop.id)
    harness.gsan.properties.lock_route_in_field(printing.id, reference=202501)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_not_executed(
            order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
        )
    found = error.value.violations[0]
    assert (found.rule, found.gsan_key) == ("ENC-17", "atencao.imovel_em_campo")
    harness.gsan.properties.unlock_route(printing.id)
    harness.gsan.service_orders.close_not_executed(
        order_id=order.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )


def test_enc_10_permission_57_is_asked_only_when_needed(harness: Harness) -> None:
    order = harness.generate(PLAIN, days_ago=20)
    early = harness.today - timedelta(days=15)
    with pytest.raises(RuleViolation) as error:
        harness.gsan.service_orders.close_not_executed(
            order_id=order.id, reason_id=GAVE_UP, closed_on=early, actor=ACTOR
        )
    assert error.value.violations[0].rule == "ENC-10"
    harness.gsan.units.grant(user_id=ACTOR, permission_id=57, actor=0)
    result = harness.gsan.service_orders.close_not_executed(
        order_id=order.id, reason_id=GAVE_UP, closed_on=early, actor=ACTOR
    )
    assert result.order.closed_at is not None
    with harness.gsan.uow_factory() as uow:
        permissions = _Permissions(
            ctx(harness), uow, ACTOR, ("close_order_before_today",)
        )
        assert (list(permissions), len(permissions)) == (
            ["close_order_before_today"],
            1,
        )
        assert permissions["close_order_before_today"]
        assert permissions.get("unknown_role") is None


# ---------------------------------------------------------------- hooks and operations
def test_order_closed_hooks_report_their_effects(harness: Harness) -> None:
    seen: list[tuple[int, bool]] = []

    def hook(
        uow: Any, *, order: ServiceOrder, executed: bool, **_: Any
    ) -> object | None:
        seen.append((order.id, executed))
        return f"ra of {order.id}" if order.request_id else None

    hooked = System(
        uow_factory=harness.gsan.uow_factory,
        profile=orders_profile(),
        clock=harness.clock,
        operations=[
            *default_operations(),
            harness.counting,
            harness.grace,
            harness.failing,
        ],
        order_closed_hooks=[hook],
    )
    plain = harness.generate(PLAIN)
    of_request = in_request(harness)
    first = hooked.service_orders.close_not_executed(
        order_id=plain.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )
    second = hooked.service_orders.close_executed(
        order_id=of_request.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
    )
    assert (first.effects, second.effects) == ((), (f"ra of {of_request.id}",))
    assert seen == [(plain.id, False), (of_request.id, True)]


@attrs.frozen
class Reading:
    """The input of the reading operation."""

    value: int


@attrs.define
class ReadingOperation(CountingOperation):
    """An operation that needs input, does not charge, and corrects data from the
    menu ("update" variant)."""

    readings: list[int] = attrs.field(factory=list)

    def run(self, call: OperationCall) -> None:
        super().run(call)
        assert isinstance(call.data, Reading)
        self.readings.append(call.data.value)


def test_operations_with_input_without_charge_and_the_update_variant(
    harness: Harness,
) -> None:
    reading = ReadingOperation(key="test.reading", charges=False, input_type=Reading)
    correcting = ReadingOperation(
        key="test.correct", menu_variant="update", input_type=Reading
    )
    system = System(
        uow_factory=harness.gsan.uow_factory,
        profile=orders_profile(),
        clock=harness.clock,
        operations=[*default_operations(), reading, correcting],
    )
    system.service_orders.add_type(
        ServiceType(
            id=977,
            description="LEITURA NA ABERTURA",
            abbreviation="LEITURA",
            updates_commercial=True,
            operation="test.reading",
            debit_type_id=7,
            value=D("10.00"),
        ),
        actor=0,
    )
    order = harness.generate(977)
    with pytest.raises(RuleViolation) as error:
        system.service_orders.close_executed(
            order_id=order.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
        )
    assert error.value.code == "service_order.commercial.data_required"
    result = system.service_orders.close_executed(
        order_id=order.id,
        reason_id=EXECUTED,
        closed_on=harness.today,
        actor=ACTOR,
        commercial=Reading(123),
    )
    assert (result.commercial_applied, result.charge, reading.readings) == (
        True,
        None,
        [123],
    )
    roles = {k: set(v) for k, v in orders_profile().profile.roles.items()}
    roles["service_type.test.correct"] = {977}
    loaded = orders_profile()
    fixing = System(
        uow_factory=harness.gsan.uow_factory,
        profile=attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles)),
        clock=harness.clock,
        operations=[*default_operations(), reading, correcting],
    )
    fixed = fixing.service_orders.apply_operation(
        operation="test.correct", order_id=order.id, actor=ACTOR, data=Reading(124)
    )
    assert fixed == fixing.service_orders.get(order.id)
    assert correcting.readings == [124]
    assert harness.gsan.billing.charges(harness.prop()) == []


def test_an_unregistered_operation_at_closing_is_a_wiring_error(
    harness: Harness,
) -> None:
    bare = harness.with_profile(orders_profile())
    bare_system = System(
        uow_factory=bare.uow_factory, profile=orders_profile(), clock=harness.clock
    )
    order = harness.generate(COMMERCIAL)
    with pytest.raises(ConfigurationError, match="does not register"):
        bare_system.service_orders.close_executed(
            order_id=order.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
        )


# ---------------------------------------------------------------- references
def _reference(h: Harness, **attributes: Any) -> int:
    row = h.gsan.catalog.add(
        "service_type_reference",
        description=f"REFERENCIA {len(attributes)} {sorted(attributes)}"[:50],
        abbreviation=f"R{len(h.gsan.catalog.list('service_type_reference')) + 1}",
        attributes=attributes,
        actor=0,
    )
    return row.id


def test_a_reference_to_a_closed_order_leaves_it_closed(harness: Harness) -> None:
    ref = _reference(
        harness, requires_reference_order=True, situation_before=2, situation_after=2
    )
    harness.gsan.service_orders.add_type(
        ServiceType(
            id=978,
            description="FISCALIZA ENCERRADA",
            abbreviation="FISC ENC",
            reference_id=ref,
        ),
        actor=0,
    )
    done = harness.generate(PLAIN)
    closed = harness.gsan.service_orders.close_executed(
        order_id=done.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
    ).order
    checking = harness.generate(978, reference_order_id=done.id)
    assert harness.gsan.service_orders.get(done.id) == closed
    result = harness.gsan.service_orders.close_executed(
        order_id=checking.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
    )
    assert result.referenced == closed
    assert harness.gsan.service_orders.get(done.id) == closed


def test_a_diagnosis_that_holds_nothing(harness: Harness) -> None:
    ref = _reference(harness, requires_reference_order=False, diagnosis=True)
    plain_ref = _reference(harness, requires_reference_order=False)
    harness.gsan.service_orders.add_types(
        [
            ServiceType(
                id=979,
                description="DIAGNOSTICO LIVRE",
                abbreviation="DIAG LIV",
                reference_id=ref,
            ),
            ServiceType(
                id=980,
                description="REFERENCIA SIMPLES",
                abbreviation="REF SIMP",
                reference_id=plain_ref,
            ),
        ],
        actor=0,
    )
    kept = harness.generate(PLAIN)
    free = harness.generate(979, reference_order_id=kept.id)
    assert harness.gsan.service_orders.get(kept.id).situation is OrderSituation.PENDING
    approved = harness.gsan.service_orders.close_executed(
        order_id=free.id,
        reason_id=EXECUTED,
        closed_on=harness.today,
        actor=ACTOR,
        remark="ok",
        return_type_id=1,
    )
    assert approved.referenced is not None
    assert approved.referenced.situation is OrderSituation.PENDING
    assert approved.referenced.diagnosed
    other = harness.generate(PLAIN)
    rejected = harness.generate(979, reference_order_id=other.id)
    closing = harness.gsan.service_orders.close_executed(
        order_id=rejected.id,
        reason_id=EXECUTED,
        closed_on=harness.today,
        actor=ACTOR,
        remark="nao",
        return_type_id=2,
    )
    assert closing.referenced is not None
    assert closing.referenced.situation is OrderSituation.CLOSED
    third = harness.generate(PLAIN)
    simple = harness.generate(980, reference_order_id=third.id)
    result = harness.gsan.service_orders.close_executed(
        order_id=simple.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
    )
    assert result.referenced == harness.gsan.service_orders.get(third.id)


# ---------------------------------------------------------------- type configuration
def test_type_configuration_errors(harness: Harness) -> None:
    services = harness.gsan.service_orders
    bad = ServiceType(
        id=981,
        description="servico simples",
        abbreviation="simples",
        debit_type_id=99,
        profile_id=99,
        priority_id=99,
        reference_id=99,
        activity_ids=(99,),
        closing_reason_ids={99},
        infraction_inspection=True,
    )
    with pytest.raises(RuleViolation) as error:
        services.add_type(bad, actor=0)
    assert error.value.codes.count("service_type.reference_missing") == 6
    assert {
        "service_type.duplicate_description",
        "service_type.duplicate_abbreviation",
        "service_type.infraction_with_reference",
    } <= set(error.value.codes)
    stored = services.get_type(PLAIN)
    with pytest.raises(ConcurrencyConflict):
        services.update_type(attrs.evolve(stored, version=9), actor=0)
    restricted = services.update_type(
        attrs.evolve(stored, closing_reason_ids={GAVE_UP}), actor=0
    )
    assert [r.id for r in services.closing_reasons(PLAIN)] == [GAVE_UP]
    assert restricted.version == stored.version + 1
    assert len(services.types(active_only=True)) == len(services.types())
    with pytest.raises(NotFound):
        services.generate(service_type_id=PLAIN, property_id=424242, actor=ACTOR)


def test_the_overdue_reason_must_be_configured(harness: Harness) -> None:
    loaded = orders_profile()
    roles = {k: set(v) for k, v in loaded.profile.roles.items()}
    roles["closing_reason.overdue"] = set()
    broken = harness.with_profile(
        attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))
    )
    harness.generate(OVERDUE, days_ago=200)
    with pytest.raises(ConfigurationError, match=r"closing_reason\.overdue"):
        broken.service_orders.close_overdue(
            service_type_id=OVERDUE, days=1, actor=ACTOR
        )


def test_overdue_orders_appearing_during_the_batch(harness: Harness) -> None:
    for _ in range(3):
        harness.generate(OVERDUE, days_ago=200)

    def more(progress: Any) -> None:
        if progress.units_done == 1:
            harness.generate(OVERDUE, days_ago=200)
            harness.generate(OVERDUE, days_ago=200)

    summary = harness.gsan.service_orders.close_overdue(
        service_type_id=OVERDUE, days=1, actor=ACTOR, chunk_size=2, progress=more
    )
    assert summary.changed == 4
    pending = harness.gsan.service_orders.find_by(situation=OrderSituation.PENDING)
    assert len(pending) == 1
    trail = [
        r
        for o in harness.orders()
        for r in harness.gsan.service_orders.unit_history(o)
        if r.relation is OrderUnitRelation.CLOSED
    ]
    assert len({r.id for r in trail}) == 4

    def cancel_rest(progress: Any) -> None:
        for order in harness.gsan.service_orders.find_by(
            situation=OrderSituation.PENDING
        ):
            harness.gsan.service_orders.close_not_executed(
                order_id=order.id,
                reason_id=GAVE_UP,
                closed_on=harness.today,
                actor=ACTOR,
            )

    for _ in range(2):
        harness.generate(OVERDUE, days_ago=200)
    last = harness.gsan.service_orders.close_overdue(
        service_type_id=OVERDUE, days=1, actor=ACTOR, chunk_size=1, progress=cancel_rest
    )
    assert (last.processed, last.changed) == (1, 1)


# ---------------------------------------------------------------- repositories
def test_repository_edges(harness: Harness) -> None:
    order = harness.generate(PLAIN)
    at = datetime(2025, 1, 6, 12, tzinfo=UTC)
    with harness.gsan.uow_factory() as uow:
        assert uow.service_orders.close_pending([], reason_id=32, closed_at=at) == []
        closed = uow.service_orders.close_pending(
            [order.id], reason_id=32, closed_at=at
        )
        assert list(closed) == [order.id]
        assert (
            uow.service_orders.close_pending(
                [order.id, 999], reason_id=32, closed_at=at
            )
            == []
        )
        silent = ServiceOrder(
            id=9_999,
            service_type_id=PLAIN,
            generated_at=at,
            situation=OrderSituation.CLOSED,
            closed_at=at,
            closing_reason_id=GAVE_UP,
        )
        uow.service_orders.add(silent)
        pairs = uow.service_orders.closed_between(
            start=at - timedelta(days=1), end=at + timedelta(days=1)
        )
        assert [(o.id, r) for o, r in pairs] == [(order.id, None), (silent.id, None)]
        assert (
            uow.service_orders.closed_between(
                start=at - timedelta(days=1), end=at + timedelta(days=1), unit_id=102
            )
            == []
        )
        uow.order_units.add(
            OrderUnitRecord(
                id=77_777,
                order_id=silent.id,
                unit_id=102,
                user_id=ACTOR,
                relation=OrderUnitRelation.CLOSED,
                at=at,
            )
        )
        pairs = uow.service_orders.closed_between(
            start=at - timedelta(days=1), end=at + timedelta(days=1), unit_id=102
        )
        assert [o.id for o, _ in pairs] == [silent.id]
        row = ServiceChargeValue(
            id=5,
            service_type_id=PLAIN,
            value=D("1.00"),
            metered=False,
            valid_from=at.date(),
            valid_until=at.date(),
        )
        uow.service_prices.add(row)
        with pytest.raises(ConcurrencyConflict):
            uow.service_prices.remove(attrs.evolve(row, version=2))
        uow.service_prices.remove(row)
        with pytest.raises(NotFound):
            uow.service_prices.remove(row)
