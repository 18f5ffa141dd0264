"""``gsan.accounts.property_view``: "Consultar Imóvel" in a bounded number of
statements, with an HTML representation (every backend)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import RelationType
from gsan_core.testing import Scenario
from tests.services.test_accounts_customers import setup_counter
from tests.services.test_accounts_debts import item, load_indices

D = Decimal


@contextmanager
def statements(system: gsan_core.System) -> Iterator[list[str]]:
    """The SQL statements the block runs (none recorded in memory)."""
    seen: list[str] = []
    engine = getattr(system.backend, "engine", None)
    if engine is None:
        yield seen
        return

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def _customers(system: gsan_core.System, first: int, count: int) -> None:
    for n in range(first, first + count):
        customer = system.accounts.register_customer(
            actor=1, name=f"CLIENTE {n}", customer_type_id=1
        )
        system.accounts.relate(
            actor=1,
            customer_id=customer.id,
            property_id=1,
            relation=RelationType.OWNER,
            start=date(2000 + n, 1, 1),
            end=date(2001 + n, 1, 1),
        )


def test_the_view_reads_a_bounded_number_of_statements(
    system: gsan_core.System,
) -> None:
    setup_counter(system)
    load_indices(system)
    _customers(system, 0, 1)
    system.billing.record_debts([item(1)])
    # warm: the locality and the index table are cached reference rows
    system.accounts.property_view(1)
    with statements(system) as small:
        view = system.accounts.property_view(1)
    assert view.registration.id == 1
    assert len(view.customers) == 1
    assert len(view.debts.bills) == 1
    _customers(system, 1, 8)
    system.billing.record_debts(
        [item(100 + n, reference=202301 + n % 12, amount=D(10 + n)) for n in range(40)]
    )
    with statements(system) as large:
        bigger = system.accounts.property_view(1)
    assert len(bigger.customers) == 9
    assert len(bigger.debts.bills) == 41
    assert all(x.surcharge is not None for x in bigger.debts.bills)
    assert len(large) == len(small)  # no N+1
    assert len(large) <= 25 or system.backend is None


def test_the_view_has_every_tab_and_html(system: gsan_core.System) -> None:
    setup_counter(system)
    load_indices(system)
    _customers(system, 0, 2)
    system.billing.record_debts([item(1)])
    view = system.accounts.property_view(1)
    assert view.locality is not None
    assert view.water_connection is None
    assert view.meter_history == ()
    assert view.current_meters == ()
    assert view.open_requests == ()
    assert view.open_orders == ()
    html = view._repr_html_()
    for heading in ("Imóvel 1", "Clientes", "Débitos", "Memória de cálculo"):
        assert heading in html
    assert "CLIENTE 1" in html
    assert repr(view).startswith("<Property 1")
    with pytest.raises(RuleViolation) as exc:
        system.accounts.property_view(404)
    assert exc.value.violations[0].code == "accounts.property.not_found"


def test_the_view_of_a_lived_in_property(system: gsan_core.System) -> None:
    """A cut property with a meter, overdue bills, an RA and an OS."""
    given = Scenario(system)
    home = given.property(water="CORTADO", meter=True, overdue_bills=3)
    given.order("service_type.cut_order", property=home)
    given.request("VAZAMENTO NO RAMAL", property=home)
    # warm: the locality and the index table are cached reference rows
    system.accounts.property_view(home.id)
    with statements(system) as seen:
        view = system.accounts.property_view(home.id)
    assert view.water_connection is not None
    assert view.water_connection.cut_on is not None
    assert len(view.current_meters) == 1
    assert len(view.meter_history) == 1
    assert len(view.open_requests) == 1
    assert len(view.open_orders) >= 1
    assert len(view.debts.bills) == 3
    html = view._repr_html_()
    for heading in ("Ligação de água", "Hidrômetros", "Registros de atendimento"):
        assert heading in html
    more = given.property(water="CORTADO", meter=True, overdue_bills=12)
    given.request("VAZAMENTO NO RAMAL", property=more)
    given.order("service_type.cut_order", property=more)
    with statements(system) as again:
        system.accounts.property_view(more.id)
    assert len(again) == len(seen)
