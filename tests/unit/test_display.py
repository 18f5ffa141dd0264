"""What a notebook shows: short reprs, HTML with names next to ids, money with
two decimals, violations without a traceback."""

from __future__ import annotations

import pickle
from decimal import Decimal

import attrs
import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.display import Named, NamedCounts, html_of, money, named, short_repr
from gsan_core.testing.town import load_town, small_town


@pytest.fixture(scope="module")
def town_system() -> tuple[gsan_core.System, int]:
    gsan = gsan_core.in_memory()
    town = small_town(properties=40)
    load_town(gsan, town)
    return gsan, town.properties[0].id


def test_names_next_to_ids_and_money_with_two_decimals() -> None:
    assert named("LIGADO", 3) == "LIGADO (3)"
    assert named(None, 3) == "3"
    assert money(Decimal(80)) == "80.00"
    assert money(Decimal("1234.5")) == "1,234.50"
    assert money(Decimal("0.125")) == "0.13"
    assert money(None) == "-"


def test_a_named_id_is_the_plain_id() -> None:
    ligado = Named(3, "LIGADO")
    assert ligado == 3
    assert hash(ligado) == hash(3)
    assert {ligado: 1} == {3: 1}
    assert repr(ligado) == str(ligado) == "LIGADO (3)"
    assert pickle.loads(pickle.dumps(ligado)).name == "LIGADO"


def test_counts_are_read_by_id_or_by_name() -> None:
    counts = NamedCounts(
        {Named(3, "LIGADO"): 5, Named(5, "CORTADO"): 2},
        title="Properties by water situation",
    )
    assert counts[3] == counts["LIGADO"] == 5
    assert counts == {3: 5, 5: 2}
    assert counts.by_name() == {"LIGADO (3)": 5, "CORTADO (5)": 2}
    assert repr(counts) == "{LIGADO (3): 5, CORTADO (5): 2}"
    with pytest.raises(KeyError):
        counts["SUPRIMIDO"]
    page = counts._repr_html_()
    assert "<td>LIGADO (3)</td><td>5</td>" in page
    assert "<td>total</td><td>7</td>" in page
    pairs = NamedCounts({(None, Named(4, "INSTALADO")): 1}, headers=("a", "b", "n"))
    assert pairs[(None, "INSTALADO")] == 1
    assert "<td>-</td><td>INSTALADO (4)</td><td>1</td>" in pairs._repr_html_()


def test_counts_by_water_situation_carry_the_names(
    town_system: tuple[gsan_core.System, int],
) -> None:
    gsan, _ = town_system
    counts = gsan.properties.count_by_water_status()
    assert counts["LIGADO"] == counts[3] > 0
    assert "LIGADO (3)" in counts._repr_html_()
    assert sum(counts.values()) == 40


def test_stock_counts_carry_the_names() -> None:
    from gsan_core.testing.hydrometers import METER  # noqa: PLC0415

    gsan = gsan_core.in_memory()
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=3, attributes=METER, location_id=1, actor=1
    )
    stock = gsan.hydrometers.stock()
    assert stock == {(1, 3): 3}
    ((location, situation),) = stock
    assert str(location) == "ALMOXARIFADO CENTRAL (1)"
    assert situation.name == "DISPONÍVEL"
    assert stock[("ALMOXARIFADO CENTRAL", "DISPONÍVEL")] == 3


def test_short_reprs_and_html_of_an_order(
    town_system: tuple[gsan_core.System, int],
) -> None:
    gsan, prop = town_system
    order = gsan.service_orders.generate(
        service_type_id=621, property_id=prop, actor=102
    )
    text = repr(order)
    assert text.startswith(f"<ServiceOrder {order.id} PENDING service_type_id=621")
    assert len(text) < 120
    page = order._repr_html_()
    assert "<td>PENDING (1)</td>" in page
    assert "<td>80.00</td>" in page  # the type's value, two decimals
    shown = gsan.show(order)._repr_html_()
    assert "CONSERTO DE VAZAMENTO NO RAMAL (621)" in shown
    assert "ESCRITORIO LOCALIDADE 01 (102)" in shown
    assert "service_type_id: CONSERTO DE VAZAMENTO NO RAMAL (621)" in str(
        gsan.show(order)
    )
    prop_page = gsan.show(gsan.properties.get(prop))._repr_html_()
    assert "<td>water_status_id</td><td>LIGADO (3)</td>" in prop_page


def test_a_history_shows_as_one_table_with_names(
    town_system: tuple[gsan_core.System, int],
) -> None:
    gsan, prop = town_system
    order = gsan.service_orders.generate(
        service_type_id=621, property_id=prop, actor=102
    )
    gsan.service_orders.close_not_executed(
        order_id=order.id, reason_id=4, closed_on=gsan.today(), actor=102
    )
    steps = gsan.service_orders.unit_history(order.id)
    assert len(steps) == 2
    page = gsan.show(steps)._repr_html_()
    assert page.count("<tr>") == len(steps) + 1
    assert "ESCRITORIO LOCALIDADE 01 (102)" in page
    assert html_of([]) == "<pre>[]</pre>"


def test_results_have_short_reprs() -> None:
    @attrs.frozen
    class Thing:
        id: int
        total: Decimal
        note: str | None = None

    assert short_repr(Thing(7, Decimal(3)), "total", "note") == "<Thing 7 total=3.00>"


def test_a_violation_in_a_notebook_shows_its_rules_in_the_profile_language(
    town_system: tuple[gsan_core.System, int],
) -> None:
    gsan, _ = town_system
    with pytest.raises(gsan_core.RuleViolation) as refused:
        gsan.catalog.remove("water_status", 3, expected_version=1, actor=1)
    assert refused.value.language == "pt"
    lines = refused.value._render_traceback_()
    assert lines[0] == "RuleViolation: 1 violation(s)"
    violation = refused.value.violations[0]
    assert violation.code in lines[1]
    assert lines[2].strip() == violation.message("pt")
    english = profiles.default()
    english = attrs.evolve(
        english, profile=attrs.evolve(english.profile, language="en")
    )
    other = gsan_core.in_memory(english)
    load_town(other, small_town(properties=5))
    with pytest.raises(gsan_core.RuleViolation) as refused:
        other.catalog.remove("water_status", 3, expected_version=1, actor=1)
    assert refused.value.language == "en"
    shown = refused.value._render_traceback_()[2].strip()
    assert shown == refused.value.violations[0].message("en")
    assert shown.startswith("Water connection situation 3 is in use")


def test_every_main_result_has_a_short_repr_and_a_table() -> None:
    """Property, connections, situation change, meter, installation, charge,
    order, RA, routing step and the service results."""
    from gsan_core.model.connections import CutInput  # noqa: PLC0415
    from gsan_core.testing import Scenario  # noqa: PLC0415

    gsan = gsan_core.in_memory()
    given = Scenario(gsan)
    home = given.property(water="LIGADO", sewer="LIGADO", meter=True)
    order = given.order("service_type.cut_order", property=home)
    closed = gsan.service_orders.close_executed(
        order_id=order.id,
        reason_id=2,
        closed_on=gsan.today(),
        actor=given.place.technician,
        commercial=CutInput(cut_type_id=1, cut_reason_id=1),
    )
    opened = given.request("VAZAMENTO NO RAMAL", property=home)
    gsan.clock.advance(minutes=5)
    forwarded = gsan.service_requests.forward(
        request_id=opened.request.id,
        destination_unit_id=given.place.contractor,
        actor=given.place.attendant,
    )
    run = gsan.collection.generate_cut_orders(group_id=1, actor=1)
    installed = gsan.hydrometers.history(property_id=home.id)[0]
    assert closed.charge is not None
    shown = [
        home,
        gsan.connections.water_connection(home.id),
        gsan.connections.sewer_connection(home.id),
        gsan.connections.history(home.id)[0],
        gsan.hydrometers.get(installed.hydrometer_id),
        installed,
        closed.charge,
        closed.order,
        closed,
        opened,
        opened.request,
        opened.step,
        forwarded,
        gsan.service_requests.close(
            request_id=opened.request.id, reason_id=4, actor=given.place.attendant
        ),
        gsan.service_requests.details(opened.request.id),
        run,
        run.summary,
    ]
    for result in shown:
        text = repr(result)
        assert text.startswith(f"<{type(result).__name__}"), text
        assert len(text) < 200, text
        page = result._repr_html_()  # type: ignore[union-attr]
        assert page.startswith('<table class="gsan-core"><caption>'), page
        assert "\n" not in text
    assert "CORTADO (5)" in gsan.show(shown[3])._repr_html_()
