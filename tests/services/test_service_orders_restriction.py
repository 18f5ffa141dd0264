"""GEN-18: CAGEPA's restriction window for a new order of the same type for the
same property (``ServicoTipo.prazoRestricaoNovaOrdemServico``), on every backend."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.model.profile import NewOrderRestriction
from gsan_core.synthetic import generate
from gsan_core.system import System
from tests.services.orders_support import (
    ACTOR,
    EXECUTED,
    GAVE_UP,
    PLAIN,
    Harness,
    harness,
    orders_profile,
)

__all__ = ["harness"]

WINDOW = 30


def restricted(harness: Harness, *, bypass_permission: int | None = None) -> System:
    """The harness's storage under a profile restricting PLAIN for 30 days."""
    loaded = orders_profile(
        new_order_restrictions=[NewOrderRestriction(service_type_id=PLAIN, days=WINDOW)]
    )
    if bypass_permission is not None:
        roles = dict(loaded.profile.roles)
        roles["permission.generate_order_within_restriction"] = frozenset(
            {bypass_permission}
        )
        loaded = attrs.evolve(loaded, profile=attrs.evolve(loaded.profile, roles=roles))
    return harness.with_profile(loaded)


def test_gen_18_a_new_order_waits_the_window_after_the_last_closing(
    harness: Harness,
) -> None:
    """Refused while the last order of the type closed less than 30 days ago,
    with GSAN-CAGEPA's key, nothing written; accepted from the 30th day."""
    gsan = restricted(harness)
    first = harness.generate(PLAIN)
    gsan.service_orders.close_executed(
        order_id=first.id, reason_id=EXECUTED, closed_on=harness.today, actor=ACTOR
    )
    before = harness.orders()
    with pytest.raises(gsan_core.RuleViolation) as refused:
        gsan.service_orders.generate(
            service_type_id=PLAIN, property_id=harness.prop(), actor=ACTOR
        )
    (violation,) = refused.value.violations
    assert violation.code == "service_order.generate.within_restriction_window"
    assert violation.rule == "GEN-18"
    assert violation.gsan_key == "atencao.servico_tipo.existe_os_restricao_dias"
    assert violation.params["last_order_id"] == first.id
    assert violation.params["restriction_days"] == WINDOW
    assert "30 dias" in violation.message("pt")
    assert harness.orders() == before
    # another property, and another type for the same property, are free
    gsan.service_orders.generate(
        service_type_id=PLAIN, property_id=harness.prop(1), actor=ACTOR
    )
    harness.clock.advance(timedelta(days=WINDOW - 1))
    with pytest.raises(gsan_core.RuleViolation):
        gsan.service_orders.generate(
            service_type_id=PLAIN, property_id=harness.prop(), actor=ACTOR
        )
    harness.clock.advance(timedelta(days=1))
    again = gsan.service_orders.generate(
        service_type_id=PLAIN, property_id=harness.prop(), actor=ACTOR
    )
    assert again.property_id == harness.prop()


def test_gen_18_any_closing_counts_and_the_permission_lifts_it(
    harness: Harness,
) -> None:
    """A closing without execution starts the window too; a user holding the
    profile's ``permission.generate_order_within_restriction`` is let through;
    without the profile option (GSAN's main line) nothing is restricted."""
    first = harness.generate(PLAIN)
    harness.gsan.service_orders.close_not_executed(
        order_id=first.id, reason_id=GAVE_UP, closed_on=harness.today, actor=ACTOR
    )
    with pytest.raises(gsan_core.RuleViolation):
        restricted(harness).service_orders.generate(
            service_type_id=PLAIN, property_id=harness.prop(), actor=ACTOR
        )
    bypassing = restricted(harness, bypass_permission=9001)
    bypassing.units.grant(user_id=ACTOR, permission_id=9001, actor=0)
    lifted = bypassing.service_orders.generate(
        service_type_id=PLAIN, property_id=harness.prop(), actor=ACTOR
    )
    assert lifted.service_type_id == PLAIN
    free = harness.gsan.service_orders.generate(
        service_type_id=PLAIN, property_id=harness.prop(2), actor=ACTOR
    )
    assert free.id != lifted.id


def test_gen_18_the_cagepa_profile_restricts_cut_and_connection_orders() -> None:
    restrictions = profiles.load("cagepa").profile.service_orders
    assert restrictions.restriction_days(242) == 30
    assert restrictions.restriction_days(619) == 90
    assert restrictions.restriction_days(243) == 0
    assert profiles.default().profile.service_orders.new_order_restrictions == ()


def test_gen_18_the_cut_order_batch_skips_a_property_in_its_window(
    system: gsan_core.System,
) -> None:
    """CUT-5: the batch skips the property (CAGEPA's batch flows do) instead of
    refusing the run."""
    generate(system, properties=300, seed=11)
    with system.uow_factory() as uow:
        group = min({r.group_id for r in uow.routes.find_by()})
    first = system.collection.generate_cut_orders(group_id=group, actor=1)
    assert first.generated > 0
    cancelled = system.service_orders.find_by(service_type_id=242)[0]
    today = system.clock.now().astimezone(ZoneInfo(system.profile.timezone)).date()
    system.service_orders.close_not_executed(
        order_id=cancelled.id, reason_id=GAVE_UP, closed_on=today, actor=1
    )
    loaded = profiles.default()
    windowed = System(
        uow_factory=system.uow_factory,
        profile=attrs.evolve(
            loaded,
            profile=attrs.evolve(
                loaded.profile,
                service_orders=attrs.evolve(
                    loaded.profile.service_orders,
                    new_order_restrictions=[
                        NewOrderRestriction(service_type_id=242, days=WINDOW)
                    ],
                ),
            ),
        ),
        clock=system.clock,
    )
    rerun = windowed.collection.generate_cut_orders(group_id=group, actor=1)
    assert rerun.generated == 0
    assert rerun.summary.skipped["within the new order restriction window"] == 1
    plain = system.collection.generate_cut_orders(group_id=group, actor=1)
    assert plain.generated == 1
    assert plain.summary.skipped.get("within the new order restriction window") is None
