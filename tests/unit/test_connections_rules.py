"""The connection rules, one test per numbered rule (``domain/connections.md`` §3).

Each test names its rule and asserts the violation's ``code``, ``rule`` and
``gsan_key``. The rules are pure: a property, its connections, a profile, a
catalog and a date are all they read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest

from gsan_core import profiles
from gsan_core.errors import ConfigurationError, RuleViolation, Violation
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.connections import (
    AdministrativeCutInput,
    ChangeCutTypeInput,
    ChangeSituationInput,
    ConnectionKind,
    ConnectionTarget,
    ConnectWithMeterInput,
    ConnectWithReplacementInput,
    CutInput,
    MeterInstallation,
    MeterReplacement,
    MinimumConsumptionInput,
    MinimumVolumeInput,
    ReconnectionInput,
    ReconnectWithMeterInput,
    ReconnectWithReplacementInput,
    RestorationInput,
    RestoreWithMeterInput,
    RestoreWithReplacementInput,
    SewerBillingInput,
    SewerConnection,
    SewerConnectionInput,
    SewerUpdateInput,
    SituationChange,
    SuppressionInput,
    WaterConnection,
    WaterConnectionInput,
    WaterUpdateInput,
)
from gsan_core.model.consumption import ConsumptionRecord
from gsan_core.model.properties import Economies, NetworkIndicator, Property
from gsan_core.model.service_orders import OrderSituation, ServiceOrder, ServiceType
from gsan_core.rules import connections as rules
from gsan_core.rules import hydrometers as hydrometer_rules
from gsan_core.rules.connections import (
    ConnectionContext,
    ConnectionDecision,
    ConnectionFacts,
    SewerBillingChange,
)

TODAY = date(2025, 1, 6)
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)
DEFAULT = profiles.load("gsan_default")
CAGEPA = profiles.load("cagepa")
CAEMA = profiles.load("caema")


class Catalog:
    """The reference rows of a profile, as the rules read them."""

    def __init__(self, items: Iterable[CatalogItem]) -> None:
        self.rows = {(item.kind, item.id): item for item in items}

    def find(self, kind: str, id: int) -> CatalogItem | None:
        return self.rows.get((kind, id))


def prop(water: int = 3, sewer: int = 1, **changes: Any) -> Property:
    base = Property(
        id=100,
        locality_id=1,
        sector_id=1,
        block_id=1,
        profile_id=1,
        categories=[Economies(category_id=1, count=1)],
        water_status_id=water,
        sewer_status_id=sewer,
    )
    return attrs.evolve(base, **changes)


def water_row(**changes: Any) -> WaterConnection:
    base = WaterConnection(
        id=100,
        connected_on=date(2024, 1, 10),
        implanted_on=date(2024, 1, 10),
        diameter_id=1,
        material_id=1,
        profile_id=1,
    )
    return attrs.evolve(base, **changes)


def sewer_row(**changes: Any) -> SewerConnection:
    base = SewerConnection(
        id=100,
        connected_on=date(2024, 1, 10),
        diameter_id=1,
        material_id=1,
        profile_id=1,
    )
    return attrs.evolve(base, **changes)


def facts(
    water: int = 3,
    sewer: int = 1,
    *,
    with_water: bool = True,
    with_sewer: bool = False,
    **changes: Any,
) -> ConnectionFacts:
    prop_changes = {
        k: changes.pop(k) for k in ("active", "consumption_tariff_id") if k in changes
    }
    return ConnectionFacts(
        property=prop(water, sewer, **prop_changes),
        water=water_row() if with_water else None,
        sewer=sewer_row() if with_sewer else None,
        **changes,
    )


def ctx(loaded: profiles.LoadedProfile = DEFAULT, **changes: Any) -> ConnectionContext:
    return ConnectionContext(
        profile=changes.pop("profile", loaded.profile),
        catalog=changes.pop("catalog", Catalog(loaded.seeds)),
        today=changes.pop("today", TODAY),
        effective_on=changes.pop("effective_on", TODAY),
        **changes,
    )


def violations(
    key: str,
    data: object | None,
    f: ConnectionFacts,
    c: ConnectionContext | None = None,
) -> tuple[Violation, ...]:
    return rules.check_operation(key, facts=f, context=c or ctx(), data=data)


def only(found: Sequence[Violation], code: str) -> Violation:
    matching = [v for v in found if v.code == code]
    assert len(matching) == 1, [v.code for v in found]
    return matching[0]


def assert_violation(
    found: Sequence[Violation], code: str, *, rule: str, gsan_key: str | None
) -> Violation:
    violation = only(found, code)
    assert violation.rule == rule
    assert violation.gsan_key == gsan_key
    return violation


def decide(
    key: str,
    data: object | None,
    f: ConnectionFacts,
    c: ConnectionContext | None = None,
) -> ConnectionDecision:
    return rules.decide_operation(key, facts=f, context=c or ctx(), data=data)


CONNECT = WaterConnectionInput(
    connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1
)
SEWER = SewerConnectionInput(
    connected_on=TODAY, diameter_id=1, material_id=1, profile_id=1, grease_trap=True
)
CUT = CutInput(cut_type_id=1, cut_reason_id=1)
SUPPRESS = SuppressionInput(suppression_type_id=1, suppression_reason_id=2)


# ---------------------------------------------------------------- shared checks
def test_c_atv_inactive_property_refused_with_gsan_key() -> None:
    found = violations("water.cut", CUT, facts(active=False))
    assert_violation(
        found,
        "connection.property_inactive",
        rule="C-ATV",
        gsan_key="atencao.atualizar_imovel_situacao_invalida",
    )


def test_c_la_cut_needs_a_water_connection_row() -> None:
    """V-CO6 (C-LA): a cut needs the property's water connection row."""
    found = violations("water.cut", CUT, facts(with_water=False))
    assert_violation(
        found, "connection.water.missing", rule="C-LA", gsan_key="atencao.naocadastrado"
    )


def test_v_su4_a_suppression_needs_an_active_property_with_a_connection() -> None:
    without_row = violations("water.suppress", SUPPRESS, facts(with_water=False))
    assert_violation(
        without_row,
        "connection.water.missing",
        rule="C-LA",
        gsan_key="atencao.naocadastrado",
    )
    inactive = violations("water.suppress", SUPPRESS, facts(active=False))
    assert_violation(
        inactive,
        "connection.property_inactive",
        rule="C-ATV",
        gsan_key="atencao.atualizar_imovel_situacao_invalida",
    )
    assert violations("water.suppress", SUPPRESS, facts()) == ()


def test_v_su6_the_suppression_date_defaults_to_the_closing_and_is_checked() -> None:
    """The date defaults to the order's closing date (the operation's effective
    date); a date after today, or before the connection, is refused (GSAN's
    message says "Data do Corte": the library names the suppression date)."""
    closing = ctx(effective_on=TODAY - timedelta(days=2))
    assert decide("water.suppress", SUPPRESS, facts(), closing).effective_on == (
        TODAY - timedelta(days=2)
    )
    future = attrs.evolve(SUPPRESS, suppressed_on=TODAY + timedelta(days=1))
    assert_violation(
        violations("water.suppress", future, facts()),
        "connection.date_in_future",
        rule="C-DATE",
        gsan_key="atencao.data.invalida",
    )
    early = attrs.evolve(SUPPRESS, suppressed_on=date(2024, 1, 9))
    refused = assert_violation(
        violations("water.suppress", early, facts()),
        "connection.date_too_early",
        rule="C-DATE",
        gsan_key="atencao.data.invalida",
    )
    assert "supress" in refused.message("pt").lower()


def test_c_la_minimum_volume_needs_a_sewer_connection_row() -> None:
    found = violations(
        "sewer.minimum_volume", MinimumVolumeInput(minimum_volume=5), facts(sewer=3)
    )
    assert_violation(
        found, "connection.sewer.missing", rule="C-LA", gsan_key="atencao.naocadastrado"
    )


def test_c_campo_reconnection_refused_while_property_in_field() -> None:
    found = violations(
        "water.reconnect", ReconnectionInput(), facts(5, locked_reference=202501)
    )
    violation = assert_violation(
        found,
        "connection.property_in_field",
        rule="C-CAMPO",
        gsan_key="atencao.imovel_em_campo",
    )
    assert violation.params["reference"] == "01/2025"


def test_q13_c_campo_is_not_applied_to_cuts() -> None:
    assert violations("water.cut", CUT, facts(locked_reference=202501)) == ()
    assert (
        violations(
            "water.administrative_cut",
            AdministrativeCutInput(cut_type_id=3),
            facts(locked_reference=202501),
        )
        == ()
    )


def test_c_ref_unknown_or_inactive_reason_refused() -> None:
    found = violations("water.cut", CutInput(cut_type_id=1, cut_reason_id=77), facts())
    assert_violation(
        found,
        "connection.unknown_reference",
        rule="C-REF",
        gsan_key="atencao.pesquisa_inexistente",
    )
    inactive = ctx(
        catalog=Catalog(
            attrs.evolve(i, active=False) if (i.kind, i.id) == ("cut_reason", 1) else i
            for i in DEFAULT.seeds
        )
    )
    assert only(
        violations("water.cut", CUT, facts(), inactive), "connection.unknown_reference"
    )


def test_c_req_required_and_negative_values() -> None:
    found = violations("water.cut", CutInput(), facts())
    required = [v for v in found if v.code == "connection.required"]
    assert {v.params["field"] for v in required} == {"Cut type", "Cut reason"}
    assert all(v.rule == "C-REQ" and v.gsan_key == "atencao.required" for v in required)
    negative = violations("water.cut", attrs.evolve(CUT, reading=-1), facts())
    assert_violation(
        negative,
        "connection.negative_value",
        rule="C-REQ",
        gsan_key="atencao.campo.invalido",
    )


def test_c_date_cut_date_in_the_future_refused() -> None:
    found = violations("water.cut", attrs.evolve(CUT, cut_on=date(2025, 1, 7)), facts())
    assert_violation(
        found,
        "connection.date_in_future",
        rule="C-DATE",
        gsan_key="atencao.data.invalida",
    )


def test_c_date_cut_date_before_the_connection_date_refused() -> None:
    found = violations("water.cut", attrs.evolve(CUT, cut_on=date(2024, 1, 9)), facts())
    violation = assert_violation(
        found,
        "connection.date_too_early",
        rule="C-DATE",
        gsan_key="atencao.data.invalida",
    )
    assert violation.params["after"] == date(2024, 1, 10)


def test_c_date_reconnection_not_before_the_cut() -> None:
    cut = facts(5)
    cut = attrs.evolve(cut, water=water_row(cut_on=date(2024, 12, 1)))
    found = violations(
        "water.reconnect", ReconnectionInput(reconnected_on=date(2024, 11, 30)), cut
    )
    assert only(found, "connection.date_too_early").params["after_field"] == "cut date"


def test_c_date_restoration_not_before_the_suppression() -> None:
    suppressed = attrs.evolve(
        facts(6), water=water_row(suppressed_on=date(2024, 12, 1))
    )
    found = violations(
        "water.restore", RestorationInput(restored_on=date(2024, 11, 1)), suppressed
    )
    assert only(found, "connection.date_too_early")


# ---------------------------------------------------------------- water: connect
def test_v_la4_water_situation_must_allow_connection() -> None:
    found = violations("water.connect", CONNECT, facts(5, with_water=False))
    violation = assert_violation(
        found,
        "connection.water.connect.water_status_not_allowed",
        rule="V-LA4",
        gsan_key="atencao.situacao_validar_ligacao_agua_invalida_exibir",
    )
    assert violation.params["status"] == "5 CORTADO"


def test_v_la4_order_path_accepts_connected_but_the_path_without_order_does_not() -> (
    None
):
    assert violations("water.connect", CONNECT, facts(3)) == ()
    found = violations(
        "water.connect_without_order",
        CONNECT,
        facts(3),
        ctx(permissions={"connect_water_without_request"}),
    )
    assert only(found, "connection.water.connect.water_status_not_allowed")


def test_v_la5_no_water_network_in_the_block() -> None:
    found = violations(
        "water.connect",
        CONNECT,
        facts(1, with_water=False, water_network=NetworkIndicator.NONE),
    )
    assert_violation(
        found,
        "connection.water.connect.no_network",
        rule="V-LA5",
        gsan_key="atencao.seituacao_rede_agua_quadra",
    )


def test_v_la6_inactive_property_cannot_be_connected() -> None:
    found = violations("water.connect", CONNECT, facts(1, active=False))
    assert_violation(
        found,
        "connection.water.connect.property_inactive",
        rule="V-LA6",
        gsan_key="atencao.situacao_imovel_indicador_exclusao",
    )


def test_v_la7_the_tariff_is_one_bound_to_the_connection_profile() -> None:
    """When tariffs are bound to the chosen profile, the property's tariff is one
    of them (GSAN ``atencao.tarifa_consumo_perfil_ligacao``); a profile with no
    tariff bound leaves any tariff, or none, alone."""
    bound = {3: frozenset({2, 4})}
    raw_water = attrs.evolve(CONNECT, profile_id=3)
    for key, extra in (
        ("water.connect", {}),
        (
            "water.connect_without_order",
            {"permissions": {"connect_water_without_request"}},
        ),
    ):
        refused = violations(
            key,
            raw_water,
            facts(1, consumption_tariff_id=1, profile_tariffs=bound),
            ctx(**extra),
        )
        violation = assert_violation(
            refused,
            "connection.water.connect.tariff_not_allowed",
            rule="V-LA7",
            gsan_key="atencao.tarifa_consumo_perfil_ligacao",
        )
        assert violation.params["allowed"] == "2, 4"
        assert violation.message("pt") == (
            "Tarifa de consumo do imóvel é diferente da tarifa permitida para o "
            "perfil selecionado."
        )
    without = violations("water.connect", raw_water, facts(1, profile_tariffs=bound))
    assert only(without, "connection.water.connect.tariff_not_allowed")
    allowed = facts(1, consumption_tariff_id=4, profile_tariffs=bound)
    assert violations("water.connect", raw_water, allowed) == ()
    # profile 1 has no tariff bound to it
    assert violations("water.connect", CONNECT, facts(1, profile_tariffs=bound)) == ()


def test_v_la8_required_fields_of_the_connection() -> None:
    found = violations(
        "water.connect", WaterConnectionInput(), facts(1, with_water=False)
    )
    fields = {v.params["field"] for v in found if v.code == "connection.required"}
    assert fields == {
        "Connection date",
        "Connection diameter",
        "Connection material",
        "Connection profile",
    }
    seal = violations(
        "water.connect",
        attrs.evolve(CONNECT, seal_number="X" * 11, origin_id=99),
        facts(1),
    )
    assert only(seal, "common.too_long")
    assert (
        only(seal, "connection.unknown_reference").params["field"]
        == "Connection origin"
    )
    negative = violations(
        "water.connect", attrs.evolve(CONNECT, minimum_consumption=-1), facts(1)
    )
    assert only(negative, "connection.negative_value")


def test_v_la9_connection_runs_the_in_field_lock() -> None:
    found = violations("water.connect", CONNECT, facts(1, locked_reference=202412))
    assert only(found, "connection.property_in_field").rule == "C-CAMPO"


def test_connect_creates_the_connection_and_couples_the_sewer() -> None:
    decision = decide("water.connect", CONNECT, facts(2, 5, with_water=False))
    assert decision.property.water_status_id == 3
    assert decision.property.sewer_status_id == 3
    assert decision.property.version == 2
    assert decision.water is not None
    assert decision.water.version == 1
    assert decision.water.implanted_on == TODAY
    assert [(s.kind, s.before, s.after) for s in decision.steps] == [
        (ConnectionKind.WATER, 2, 3),
        (ConnectionKind.SEWER, 5, 3),
    ]


def test_connect_over_an_existing_row_keeps_its_history() -> None:
    existing = attrs.evolve(facts(3), water=water_row(cut_on=date(2024, 5, 1)))
    decision = decide("water.connect", CONNECT, existing)
    assert decision.water is not None
    assert decision.water.version == 2
    assert decision.water.cut_on == date(2024, 5, 1)
    assert decision.steps == ()
    assert decision.property is existing.property


def test_v_no1_without_order_needs_the_special_permission() -> None:
    found = violations("water.connect_without_order", CONNECT, facts(1))
    violation = assert_violation(
        found,
        "connection.without_order.permission_required",
        rule="V-NO1",
        gsan_key="atencao.usuario.permissao_negada",
    )
    assert violation.params["permission_id"] == 65
    sewer = violations("sewer.connect_without_order", SEWER, facts(3, 1))
    assert (
        only(sewer, "connection.without_order.permission_required").params[
            "permission_id"
        ]
        == 67
    )
    allowed = ctx(permissions={"connect_water_without_request"})
    assert decide("water.connect_without_order", CONNECT, facts(1), allowed)


def test_sewer_connection_without_order_with_permission() -> None:
    allowed = ctx(permissions={"connect_sewer_without_request"})
    decision = decide(
        "sewer.connect_without_order",
        SEWER,
        facts(3, 1, sewer_network=NetworkIndicator.NETWORK),
        allowed,
    )
    assert decision.property.sewer_status_id == 3


# ---------------------------------------------------------------- water: cut
def test_v_co7_only_connected_or_under_analysis_can_be_cut() -> None:
    assert violations("water.cut", CUT, facts(4)) == ()
    found = violations("water.cut", CUT, facts(6))
    assert_violation(
        found,
        "connection.water.cut.water_status_not_allowed",
        rule="V-CO7",
        gsan_key="atencao.situacao_agua_imovel_invaliga",
    )


def test_v_co7_cagepa_profile_cuts_only_from_connected() -> None:
    found = violations("water.cut", CUT, facts(4), ctx(CAGEPA))
    assert only(found, "connection.water.cut.water_status_not_allowed")


def test_v_co8_cut_date_defaults_to_the_order_closing_date() -> None:
    decision = decide("water.cut", CUT, facts(), ctx(effective_on=date(2025, 1, 2)))
    assert decision.water is not None
    assert decision.water.cut_on == date(2025, 1, 2)
    assert decision.effective_on == date(2025, 1, 2)


def test_v_co9_a_cut_needs_a_non_administrative_type() -> None:
    found = violations("water.cut", attrs.evolve(CUT, cut_type_id=3), facts())
    assert_violation(
        found,
        "connection.water.cut.administrative_type",
        rule="V-CO9",
        gsan_key="atencao.pesquisa_inexistente",
    )


def test_cut_records_type_reason_seal_and_keeps_the_sewer() -> None:
    decision = decide(
        "water.cut", attrs.evolve(CUT, seal_number=55, reading=1234), facts(3, 5)
    )
    assert decision.property.water_status_id == 5
    assert decision.property.sewer_status_id == 5
    water = decision.water
    assert water is not None
    assert (water.cut_type_id, water.cut_reason_id, water.cut_seal) == (1, 1, 55)
    assert decision.reading == 1234


def test_v_cad1_administrative_cut_needs_a_connected_property() -> None:
    found = violations(
        "water.administrative_cut", AdministrativeCutInput(cut_type_id=3), facts(5)
    )
    assert_violation(
        found,
        "connection.water.administrative_cut.water_status_not_allowed",
        rule="V-CAD1",
        gsan_key="atencao.situacao_ligacao_agua_invalida",
    )


def test_v_cad2_administrative_cut_needs_an_administrative_type() -> None:
    found = violations(
        "water.administrative_cut", AdministrativeCutInput(cut_type_id=1), facts()
    )
    assert_violation(
        found,
        "connection.water.administrative_cut.type_not_administrative",
        rule="V-CAD2",
        gsan_key="atencao.pesquisa_inexistente",
    )


def test_administrative_cut_keeps_the_situation() -> None:
    decision = decide(
        "water.administrative_cut", AdministrativeCutInput(cut_type_id=3), facts()
    )
    assert decision.steps == ()
    assert decision.water is not None
    assert decision.water.administrative_cut_on == TODAY
    assert decision.water.cut_type_id == 3


def test_v_ct1_cut_type_changes_only_on_a_cut_connection() -> None:
    found = violations(
        "water.change_cut_type", ChangeCutTypeInput(cut_type_id=2), facts()
    )
    assert_violation(
        found,
        "connection.water.change_cut_type.water_status_not_allowed",
        rule="V-CT1",
        gsan_key="atencao.situacao_ligacao_agua_invalida",
    )
    admin = violations(
        "water.change_cut_type", ChangeCutTypeInput(cut_type_id=3), facts(5)
    )
    assert only(admin, "connection.water.cut.administrative_type")
    decision = decide(
        "water.change_cut_type", ChangeCutTypeInput(cut_type_id=4), facts(5)
    )
    assert decision.water is not None
    assert decision.water.cut_type_id == 4


# ---------------------------------------------------------------- water: suppression
def test_v_su5_suppression_sources() -> None:
    for status in (3, 4, 5, 8, 9):
        assert violations("water.suppress", SUPPRESS, facts(status)) == ()
    found = violations("water.suppress", SUPPRESS, facts(6))
    assert_violation(
        found,
        "connection.water.suppress.water_status_not_allowed",
        rule="V-SU5",
        gsan_key="atencao.situacao_ligacao_agua_supressao_invalida",
    )


def test_v_su7_the_type_must_match_total_or_partial() -> None:
    found = violations(
        "water.suppress", attrs.evolve(SUPPRESS, suppression_type_id=2), facts()
    )
    assert_violation(
        found,
        "connection.water.suppress.type_mismatch",
        rule="V-SU7",
        gsan_key="atencao.pesquisa_inexistente",
    )
    partial = attrs.evolve(SUPPRESS, suppression_type_id=1, total=False)
    assert only(
        violations("water.suppress", partial, facts()),
        "connection.water.suppress.type_mismatch",
    )


def test_q5_partial_suppression_produces_on_request_and_total_suppressed() -> None:
    total = decide("water.suppress", SUPPRESS, facts())
    assert total.property.water_status_id == 6
    partial = decide(
        "water.suppress",
        SuppressionInput(suppression_type_id=2, suppression_reason_id=2, total=False),
        facts(),
    )
    assert partial.property.water_status_id == 8
    assert 7 not in DEFAULT.profile.allowed("water.restore")


def test_v_su8_debts_block_a_customer_requested_suppression() -> None:
    debts = [
        OpenDebt(id=1, property_id=100, kind=DebtKind.BILL, amount=Decimal(10)),
        OpenDebt(id=2, property_id=100, kind=DebtKind.CREDIT, amount=Decimal(5)),
    ]
    request = attrs.evolve(SUPPRESS, suppression_reason_id=2)
    found = violations("water.suppress", request, facts(), ctx(debts=debts))
    violation = assert_violation(
        found,
        "connection.water.suppress.debts",
        rule="V-SU8",
        gsan_key="atencao.nao_e_possivel_efetuar_supressao",
    )
    assert violation.params["count"] == 1
    credit_only = ctx(debts=debts[1:])
    assert violations("water.suppress", request, facts(), credit_only) == ()


def test_v_su8_other_reasons_need_special_permission_79() -> None:
    other = attrs.evolve(SUPPRESS, suppression_reason_id=1)
    found = violations("water.suppress", other, facts(), ctx(permissions=()))
    violation = assert_violation(
        found,
        "connection.water.suppress.permission_required",
        rule="V-SU8",
        gsan_key="atencao.necessario_permissao_para_efetuar_supressao",
    )
    assert violation.params["permission_id"] == 79


def test_v_su8_gate_off_by_profile() -> None:
    relaxed = attrs.evolve(
        DEFAULT.profile,
        connections=attrs.evolve(
            DEFAULT.profile.connections, suppression_debt_gate=False
        ),
    )
    other = attrs.evolve(SUPPRESS, suppression_reason_id=1)
    assert violations("water.suppress", other, facts(), ctx(profile=relaxed)) == ()
    allowed = ctx(permissions={"suppress_water_connection"})
    assert violations("water.suppress", other, facts(), allowed) == ()


# ---------------------------------------------------------------- water: reconnect / restore
def test_v_rl1_only_a_cut_connection_is_reconnected() -> None:
    found = violations("water.reconnect", ReconnectionInput(), facts(3))
    assert_violation(
        found,
        "connection.water.reconnect.water_status_not_allowed",
        rule="V-RL1",
        gsan_key="atencao.situacao_ligacao_agua_invalida",
    )
    assert (
        violations("water.reconnect", ReconnectionInput(), facts(10), ctx(CAGEPA)) == ()
    )


def test_reconnection_couples_the_sewer_and_keeps_the_cut_data() -> None:
    cut = attrs.evolve(
        facts(5, 5), water=water_row(cut_on=date(2024, 6, 1), cut_type_id=1)
    )
    decision = decide("water.reconnect", ReconnectionInput(), cut)
    assert (decision.property.water_status_id, decision.property.sewer_status_id) == (
        3,
        3,
    )
    assert decision.water is not None
    assert decision.water.reconnected_on == TODAY
    assert decision.water.cut_type_id == 1


def test_v_rs1_only_a_suppressed_connection_is_restored() -> None:
    found = violations("water.restore", RestorationInput(), facts(5))
    assert_violation(
        found,
        "connection.water.restore.water_status_not_allowed",
        rule="V-RS1",
        gsan_key="atencao.situacao_ligacao_agua_invalida_restabelecimento",
    )
    for status in (6, 8):
        decision = decide("water.restore", RestorationInput(), facts(status, 5))
        assert decision.property.water_status_id == 3
        assert decision.property.sewer_status_id == 3
        assert decision.water is not None
        assert decision.water.restored_on == TODAY


def test_restoration_runs_the_in_field_lock() -> None:
    found = violations(
        "water.restore", RestorationInput(), facts(6, locked_reference=202501)
    )
    assert only(found, "connection.property_in_field")


# ---------------------------------------------------------------- water: with a meter
METER = MeterInstallation(hydrometer_id=1, place_id=1, protection_id=6)
REPLACEMENT = MeterReplacement(
    removal_reading=10,
    outgoing_situation_id=3,
    hydrometer_id=2,
    place_id=1,
    protection_id=6,
)


def test_v_lah3_connection_with_a_meter_sources_and_effects() -> None:
    """§3.3: water {1, 2, 3, 4} (V-LAH3); the connection's effects, the sewer
    coupling; the meter itself is the hydrometer area's (V-LAH1 = I-9,
    V-LAH2 = I-10 / I-12)."""
    data = ConnectWithMeterInput(connection=CONNECT, meter=METER)
    found = violations("water.connect_with_meter", data, facts(5))
    assert_violation(
        found,
        "connection.water.connect_with_meter.water_status_not_allowed",
        rule="V-LAH3",
        gsan_key="atencao.situacao_validar_ligacao_agua_invalida_exibir",
    )
    for status in (1, 2, 3, 4):
        decision = decide(
            "water.connect_with_meter", data, facts(status, 5, with_water=False)
        )
        assert (
            decision.property.water_status_id,
            decision.property.sewer_status_id,
        ) == (
            3,
            3,
        )
        assert decision.water is not None
        assert (decision.water.connected_on, decision.water.implanted_on) == (
            TODAY,
            TODAY,
        )
    inactive = violations("water.connect_with_meter", data, facts(2, active=False))
    assert_violation(
        inactive,
        "connection.water.connect.property_inactive",
        rule="V-LA6",
        gsan_key="atencao.situacao_imovel_indicador_exclusao",
    )
    bare = violations(
        "water.connect_with_meter", data, facts(2, water_network=NetworkIndicator.NONE)
    )
    assert only(bare, "connection.water.connect.no_network")
    locked = violations(
        "water.connect_with_meter", data, facts(2, locked_reference=202501)
    )
    assert only(locked, "connection.property_in_field")


def test_c_hid1_c_hid2_the_meter_data_are_required() -> None:
    for key, data, f in (
        (
            "water.connect_with_meter",
            ConnectWithMeterInput(connection=CONNECT),
            facts(2),
        ),
        ("water.reconnect_with_meter", ReconnectWithMeterInput(), facts(5)),
        ("water.restore_with_meter", RestoreWithMeterInput(), facts(6)),
    ):
        assert_violation(
            violations(key, data, f),
            "connection.water.meter_required",
            rule="C-HID1",
            gsan_key="atencao.required",
        )
    for key, data, f in (
        (
            "water.connect_with_replacement",
            ConnectWithReplacementInput(connection=CONNECT),
            facts(4),
        ),
        ("water.reconnect_with_replacement", ReconnectWithReplacementInput(), facts(5)),
        ("water.restore_with_replacement", RestoreWithReplacementInput(), facts(6)),
    ):
        assert_violation(
            violations(key, data, f),
            "connection.water.replacement_required",
            rule="C-HID2",
            gsan_key="atencao.required",
        )


def test_v_rlh1_v_rlh2_reconnection_with_a_meter() -> None:
    """§3.8: cut (V-RLH1), active (V-RLH2); no network check."""
    data = ReconnectWithMeterInput(meter=METER)
    assert_violation(
        violations("water.reconnect_with_meter", data, facts(3)),
        "connection.water.reconnect_with_meter.water_status_not_allowed",
        rule="V-RLH1",
        gsan_key="atencao.situacao_validar_religacao_agua_invalida_exibir",
    )
    assert_violation(
        violations("water.reconnect_with_meter", data, facts(5, active=False)),
        "connection.water.reconnect_with_meter.property_inactive",
        rule="V-RLH2",
        gsan_key="atencao.situacao_imovel_indicador_exclusao",
    )
    bare = facts(5, 5, water_network=NetworkIndicator.NONE)
    decision = decide("water.reconnect_with_meter", data, bare)
    assert (decision.property.water_status_id, decision.property.sewer_status_id) == (
        3,
        3,
    )
    assert decision.water is not None
    assert decision.water.reconnected_on == TODAY
    assert violations("water.reconnect_with_meter", data, facts(10), ctx(CAGEPA)) == ()


def test_v_rsh1_v_rsh2_v_rsh3_restoration_with_a_meter() -> None:
    """§3.10: suppressed (V-RSH1), active (V-RSH2), a network (V-RSH3)."""
    data = RestoreWithMeterInput(meter=METER)
    assert_violation(
        violations("water.restore_with_meter", data, facts(5)),
        "connection.water.restore_with_meter.water_status_not_allowed",
        rule="V-RSH1",
        gsan_key="atencao.situacao_ligacao_agua_invalida_restabelecimento",
    )
    assert_violation(
        violations("water.restore_with_meter", data, facts(6, active=False)),
        "connection.water.restore_with_meter.property_inactive",
        rule="V-RSH2",
        gsan_key="atencao.situacao_imovel_indicador_exclusao",
    )
    assert_violation(
        violations(
            "water.restore_with_meter",
            data,
            facts(6, water_network=NetworkIndicator.NONE),
        ),
        "connection.water.restore_with_meter.no_network",
        rule="V-RSH3",
        gsan_key="atencao.seituacao_rede_agua_quadra",
    )
    for status in (6, 8):
        decision = decide("water.restore_with_meter", data, facts(status, 5))
        assert decision.property.water_status_id == 3
        assert decision.water is not None
        assert decision.water.restored_on == TODAY


def test_the_replacement_variants_take_their_base_operation_rules() -> None:
    """§3.11: ligação / religação / restabelecimento first (their own rules and
    messages), then the meter substitution."""
    assert only(
        violations(
            "water.connect_with_replacement",
            ConnectWithReplacementInput(connection=CONNECT, replacement=REPLACEMENT),
            facts(5),
        ),
        "connection.water.connect.water_status_not_allowed",
    )
    assert only(
        violations(
            "water.reconnect_with_replacement",
            ReconnectWithReplacementInput(replacement=REPLACEMENT),
            facts(3),
        ),
        "connection.water.reconnect.water_status_not_allowed",
    )
    assert only(
        violations(
            "water.restore_with_replacement",
            RestoreWithReplacementInput(replacement=REPLACEMENT),
            facts(5),
        ),
        "connection.water.restore.water_status_not_allowed",
    )
    decision = decide(
        "water.restore_with_replacement",
        RestoreWithReplacementInput(replacement=REPLACEMENT),
        facts(8, 5, water_network=NetworkIndicator.NONE),
    )
    assert (decision.property.water_status_id, decision.property.sewer_status_id) == (
        3,
        3,
    )


def test_v_no1_uc0579_without_order_with_or_without_a_meter() -> None:
    granted = ctx(permissions={"connect_water_without_request"})
    for data in (CONNECT, ConnectWithMeterInput(connection=CONNECT, meter=METER)):
        decision = decide(
            "water.connect_without_order", data, facts(2, 5, with_water=False), granted
        )
        assert decision.property.sewer_status_id == 3
    found = violations(
        "water.connect_without_order",
        ConnectWithMeterInput(connection=CONNECT),
        facts(3, with_water=False),
    )
    assert {v.code for v in found} == {
        "connection.without_order.permission_required",
        "connection.water.connect.water_status_not_allowed",
    }


def test_meter_part_and_evaluate() -> None:
    assert rules.meter_part(ReconnectWithMeterInput(meter=METER)) is METER
    assert (
        rules.meter_part(RestoreWithReplacementInput(replacement=REPLACEMENT))
        is REPLACEMENT
    )
    assert rules.meter_part(CONNECT) is None
    assert rules.meter_part(None) is None
    found, decision = rules.evaluate_operation(
        "water.restore_with_meter",
        facts=facts(6),
        context=ctx(),
        data=RestoreWithMeterInput(meter=METER),
    )
    assert found == ()
    assert decision is not None
    found, decision = rules.evaluate_operation(
        "water.restore_with_meter",
        facts=facts(6),
        context=ctx(),
        data=RestoreWithMeterInput(),
    )
    assert [v.code for v in found] == ["connection.water.meter_required"]
    assert decision is None


def test_each_operation_names_its_meter_step() -> None:
    steps = {key: spec.meter for key, spec in rules.OPERATIONS.items()}
    assert steps["water.cut"] is rules.MeterStep.CUT_READING
    assert steps["water.suppress"] is rules.MeterStep.SUPPRESSION_REMOVAL
    assert steps["water.connect_without_order"] is rules.MeterStep.OPTIONAL_INSTALL
    assert steps["connection.change_situation"] is (
        rules.MeterStep.REFUSED_WHILE_INSTALLED
    )
    for key in (
        "water.connect_with_meter",
        "water.reconnect_with_meter",
        "water.restore_with_meter",
    ):
        assert steps[key] is rules.MeterStep.INSTALL
        assert rules.OPERATIONS[key].menu_variant == "strict"
        assert rules.OPERATIONS[key].field_lock
    assert {
        rules.OPERATIONS[k].gsan_operation
        for k, step in steps.items()
        if step is rules.MeterStep.REPLACE
    } == {16045, 16046, 16047}
    assert set(rules.METER_TEXT) == set(rules.MeterStep)
    rows = {r.key: r for r in rules.transition_rows(DEFAULT.profile, "water")}
    assert rows["water.cut"].meter == rules.METER_TEXT[rules.MeterStep.CUT_READING]
    assert rows["water.reconnect"].meter == "—"


# ---------------------------------------------------------------- water: data
def test_v_cm1_minimum_consumption_not_below_the_calculated() -> None:
    c = ctx(calculated_minimum=10)
    found = violations(
        "water.minimum_consumption",
        MinimumConsumptionInput(minimum_consumption=9),
        facts(),
        c,
    )
    assert_violation(
        found,
        "connection.water.minimum_below_calculated",
        rule="V-CM1",
        gsan_key="atencao.atualizar_situacao_consumo_minimo_fixado_menor_minimo",
    )
    decision = decide(
        "water.minimum_consumption",
        MinimumConsumptionInput(minimum_consumption=10),
        facts(),
        c,
    )
    assert decision.water is not None
    assert decision.water.minimum_consumption == 10
    cleared = decide("water.minimum_consumption", MinimumConsumptionInput(), facts(), c)
    assert cleared.water is not None
    assert cleared.water.minimum_consumption is None


def test_v_vm1_minimum_volume_not_below_the_calculated() -> None:
    c = ctx(calculated_minimum=10)
    f = facts(3, 3, with_sewer=True)
    found = violations(
        "sewer.minimum_volume", MinimumVolumeInput(minimum_volume=3), f, c
    )
    assert_violation(
        found,
        "connection.sewer.minimum_below_calculated",
        rule="V-VM1",
        gsan_key="atencao.situacao_volume_minimo_fixado_menor_consumo_calculado",
    )
    decision = decide(
        "sewer.minimum_volume", MinimumVolumeInput(minimum_volume=12), f, c
    )
    assert decision.sewer is not None
    assert decision.sewer.minimum_volume == 12


def order_of(
    type_id: int, *, closed: date | None = None
) -> tuple[ServiceOrder, ServiceType]:
    order = ServiceOrder(
        id=9,
        service_type_id=type_id,
        generated_at=AT,
        situation=OrderSituation.CLOSED if closed else OrderSituation.PENDING,
        closed_at=None
        if closed is None
        else datetime(closed.year, closed.month, closed.day, 15, tzinfo=UTC),
        request_id=77,
    )
    return order, ServiceType(id=type_id, description="X", abbreviation="X")


def test_v_up1_update_with_an_order_closed_too_long_ago() -> None:
    order, service_type = order_of(242, closed=date(2024, 11, 1))
    c = ctx(order=order, service_type=service_type, order_closed_on=date(2024, 11, 1))
    data = WaterUpdateInput.from_connection(water_row())
    found = violations("water.update", data, facts(), c)
    violation = assert_violation(
        found,
        "connection.update.order_too_old",
        rule="V-UP1",
        gsan_key="atencao.ligacao_agua_data_encerramento_os_invalida",
    )
    assert violation.params["days"] == 30
    other, other_type = order_of(255, closed=date(2024, 11, 1))
    assert (
        violations(
            "water.update",
            data,
            facts(),
            ctx(
                order=other, service_type=other_type, order_closed_on=date(2024, 11, 1)
            ),
        )
        == ()
    )


def test_v_up2_update_needs_a_connection_situation() -> None:
    found = violations(
        "water.update", WaterUpdateInput.from_connection(water_row()), facts(2)
    )
    assert_violation(
        found,
        "connection.water.update.water_status_not_allowed",
        rule="V-UP2",
        gsan_key="atencao.atualizar_ligacao_agua_situacao_invalida",
    )


def test_v_up3_a_cut_connection_needs_cut_type_reason_and_seal() -> None:
    found = violations(
        "water.update", WaterUpdateInput.from_connection(water_row()), facts(5)
    )
    codes = {v.code: v for v in found}
    for field, suffix in (
        ("type", "tipo_corte"),
        ("reason", "motivo_corte"),
        ("seal", "selo_corte"),
    ):
        violation = codes[f"connection.water.update.cut_{field}_required"]
        assert violation.rule == "V-UP3"
        assert violation.gsan_key == f"atencao.atualizar_ligacao_agua_situacao_{suffix}"


def test_v_up4_a_suppressed_connection_needs_suppression_data() -> None:
    found = violations(
        "water.update", WaterUpdateInput.from_connection(water_row()), facts(8)
    )
    rules_found = {v.code: v for v in found}
    for field, suffix in (
        ("type", "tipo_supressao"),
        ("reason", "motivo_supressao"),
        ("seal", "selo_supressao"),
    ):
        violation = rules_found[f"connection.water.update.suppression_{field}_required"]
        assert violation.rule == "V-UP4"
        assert violation.gsan_key == f"atencao.atualizar_ligacao_agua_situacao_{suffix}"


def test_water_update_replaces_the_data() -> None:
    data = attrs.evolve(
        WaterUpdateInput.from_connection(water_row()),
        diameter_id=2,
        cut_type_id=1,
        cut_reason_id=1,
        cut_seal=9,
    )
    decision = decide("water.update", data, facts(5))
    assert decision.water is not None
    assert (decision.water.diameter_id, decision.water.cut_seal) == (2, 9)
    bad = attrs.evolve(data, suppression_type_id=77)
    assert only(
        violations("water.update", bad, facts(5)), "connection.unknown_reference"
    )


# ---------------------------------------------------------------- sewer
def test_v_le4_sewer_situation_must_allow_connection_and_q12_shows_the_sewer() -> None:
    found = violations("sewer.connect", SEWER, facts(3, 6))
    violation = assert_violation(
        found,
        "connection.sewer.connect.sewer_status_not_allowed",
        rule="V-LE4",
        gsan_key="atencao.situacao_validar_ligacao_esgoto_invalida_exibir",
    )
    assert violation.params["status"] == "6 TAMPONADO"


def test_v_le5_no_sewer_network_in_the_block() -> None:
    found = violations("sewer.connect", SEWER, facts(3, 1))
    assert_violation(
        found,
        "connection.sewer.connect.no_network",
        rule="V-LE5",
        gsan_key="atencao.percentual_rede_esgoto_quadra",
    )


def test_v_le6_inactive_property_cannot_get_a_sewer_connection() -> None:
    found = violations(
        "sewer.connect",
        SEWER,
        facts(3, 1, active=False, sewer_network=NetworkIndicator.NETWORK),
    )
    assert_violation(
        found,
        "connection.sewer.connect.property_inactive",
        rule="V-LE6",
        gsan_key="situacao_imovel_indicador_exclusao_esgoto",
    )


def test_v_le7_required_sewer_fields() -> None:
    found = violations(
        "sewer.connect",
        SewerConnectionInput(drainage_id=99),
        facts(3, 1, sewer_network=NetworkIndicator.NETWORK),
    )
    fields = {v.params["field"] for v in found if v.code == "connection.required"}
    assert fields == {
        "Connection date",
        "Connection diameter",
        "Connection material",
        "Connection profile",
        "Grease trap",
    }
    assert only(found, "connection.unknown_reference").params["field"] == "Drainage"


def test_v_le8_collection_percentage_needs_permission_76() -> None:
    data = attrs.evolve(SEWER, collection_percentage=Decimal(80))
    f = facts(3, 1, sewer_network=NetworkIndicator.NETWORK)
    found = violations("sewer.connect", data, f)
    violation = assert_violation(
        found,
        "connection.sewer.collection_percentage_permission",
        rule="V-LE8",
        gsan_key="atencao.necessario_permissao_especial",
    )
    assert violation.params["permission_id"] == 76
    allowed = ctx(permissions={"change_sewer_collection_percentage"})
    decision = decide("sewer.connect", data, f, allowed)
    assert decision.sewer is not None
    assert decision.sewer.collection_percentage == Decimal(80)


def test_q11_collection_percentage_over_100_is_refused_on_create() -> None:
    data = attrs.evolve(SEWER, collection_percentage=Decimal(101))
    f = facts(3, 1, sewer_network=NetworkIndicator.NETWORK)
    allowed = ctx(permissions={"change_sewer_collection_percentage"})
    found = violations("sewer.connect", data, f, allowed)
    assert_violation(
        found,
        "connection.sewer.percentage_out_of_range",
        rule="V-LE8",
        gsan_key="atencao.percentual_coleta_invalido",
    )


def test_v_le9_sewer_percentage_defaults_to_the_profile() -> None:
    f = facts(3, 2, sewer_network=NetworkIndicator.NETWORK)
    decision = decide("sewer.connect", SEWER, f)
    assert decision.sewer is not None
    assert decision.sewer.sewer_percentage == Decimal("80.00")
    assert decision.sewer.collection_percentage == Decimal(100)
    assert decision.property.sewer_status_id == 3
    unknown_profile = attrs.evolve(SEWER, sewer_percentage=Decimal(50))
    assert decide("sewer.connect", unknown_profile, f).sewer.sewer_percentage == 50  # type: ignore[union-attr]
    no_attribute = ctx(
        catalog=Catalog(
            attrs.evolve(i, attributes={}) if i.kind == "sewer_profile" else i
            for i in DEFAULT.seeds
        )
    )
    assert decide("sewer.connect", SEWER, f, no_attribute).sewer.sewer_percentage == 100  # type: ignore[union-attr]


def test_v_le10_sewer_connection_runs_the_in_field_lock() -> None:
    f = facts(3, 1, sewer_network=NetworkIndicator.NETWORK, locked_reference=202501)
    assert only(violations("sewer.connect", SEWER, f), "connection.property_in_field")


def test_sewer_connection_over_an_existing_row() -> None:
    f = facts(3, 2, with_sewer=True, sewer_network=NetworkIndicator.NETWORK)
    decision = decide("sewer.connect", SEWER, f)
    assert decision.sewer is not None
    assert decision.sewer.version == 2


def billing(
    type_id: int, loaded: profiles.LoadedProfile = DEFAULT
) -> ConnectionContext:
    order, service_type = order_of(type_id, closed=TODAY)
    return ctx(loaded, order=order, service_type=service_type)


def test_v_mb1_a_billing_order_type_must_define_the_change() -> None:
    found = violations(
        "sewer.billing_situation", None, facts(1, 3, with_sewer=True), billing(999)
    )
    assert_violation(
        found,
        "connection.sewer.billing.no_transition",
        rule="V-MB1",
        gsan_key="atencao.servico_associado_atualizar_ligacao_esgoto_invalida",
    )
    assert only(
        violations("sewer.billing_situation", None, facts(1, 3)),
        "connection.sewer.billing.no_transition",
    )


def test_v_mb2_plugging_needs_the_water_not_connected_nor_cut() -> None:
    found = violations(
        "sewer.billing_situation", None, facts(3, 3, with_sewer=True), billing(743)
    )
    assert_violation(
        found,
        "connection.sewer.billing.plug.water_status_not_allowed",
        rule="V-MB2",
        gsan_key="atencao.situacao_tamponamento_ligacao_agua_imovel_invalida",
    )
    # each sewer operation names itself, in GSAN's words
    plug = only(found, "connection.sewer.billing.plug.water_status_not_allowed")
    assert "inválida para efetuar a tamponamento da ligação de esgoto" in (
        plug.message("pt")
    )
    assert "cannot be plugged" in plug.message("en")
    deactivate = only(
        violations(
            "sewer.billing_situation", None, facts(5, 3, with_sewer=True), billing(752)
        ),
        "connection.sewer.billing.deactivate.water_status_not_allowed",
    )
    assert deactivate.gsan_key == (
        "atencao.situacao_desativacao_ligacao_agua_imovel_invalida"
    )
    assert "efetuar a desativação da ligação de esgoto" in deactivate.message("pt")


def test_v_mb3_q2_sewer_preconditions_are_enforced() -> None:
    cases = {
        743: (
            "plug",
            6,
            "atencao.situacao_tamponamento_ligacao_esgoto_imovel_invalida",
            "tamponamento",
        ),
        752: (
            "deactivate",
            6,
            "atencao.situacao_desativacao_ligacao_esgoto_imovel_invalida",
            "desativação",
        ),
        753: (
            "restore",
            3,
            "atencao.situacao_restabelecimento_ligacao_esgoto_imovel_invalida",
            "restabelecimento",
        ),
        754: (
            "reactivate",
            3,
            "atencao.situacao_reativacaoo_ligacao_esgoto_imovel_invalida",
            "reativação",
        ),
    }
    for type_id, (change, sewer, key, name) in cases.items():
        found = violations(
            "sewer.billing_situation",
            None,
            facts(1, sewer, with_sewer=True),
            billing(type_id),
        )
        assert_violation(
            found,
            f"connection.sewer.billing.{change}.sewer_status_not_allowed",
            rule="V-MB3",
            gsan_key=key,
        )
        refusal = only(
            found, f"connection.sewer.billing.{change}.sewer_status_not_allowed"
        )
        assert f"inválida para {name} da ligação de esgoto" in refusal.message("pt")


def test_sewer_billing_targets() -> None:
    def after(type_id: int, sewer: int, **changes: Any) -> int:
        loaded = changes.pop("loaded", DEFAULT)
        data = changes.pop("data", SewerBillingInput())
        return decide(
            "sewer.billing_situation",
            data,
            facts(1, sewer, with_sewer=True, **changes),
            billing(type_id, loaded),
        ).property.sewer_status_id

    assert after(743, 3) == 6
    assert after(752, 3, sewer_network=NetworkIndicator.NETWORK) == 2
    assert after(752, 3, sewer_network=NetworkIndicator.PARTIAL) == 1
    assert after(752, 3, loaded=CAGEPA) == 5
    assert after(753, 6) == 3
    assert after(754, 5) == 3
    dated = decide(
        "sewer.billing_situation",
        SewerBillingInput(changed_on=date(2025, 1, 3)),
        facts(1, 3, with_sewer=True),
        billing(743),
    )
    assert dated.effective_on == date(2025, 1, 3)
    assert (
        rules.sewer_billing_change(DEFAULT.profile, 754)
        is SewerBillingChange.REACTIVATE
    )


def test_v_ue1_sewer_update_needs_a_connection_situation() -> None:
    data = SewerUpdateInput.from_connection(sewer_row())
    found = violations("sewer.update", data, facts(3, 1, with_sewer=True))
    assert_violation(
        found,
        "connection.sewer.update.sewer_status_not_allowed",
        rule="V-UE1",
        gsan_key="atencao.atualizar_situacao_ligacao_esgoto_invalida",
    )


def test_sewer_update_keeps_percentages_unless_given_and_checks_the_permission() -> (
    None
):
    f = facts(3, 3, with_sewer=True)
    data = attrs.evolve(
        SewerUpdateInput.from_connection(sewer_row()),
        collection_percentage=None,
        sewer_percentage=None,
        material_id=2,
    )
    decision = decide("sewer.update", data, f)
    assert decision.sewer is not None
    assert decision.sewer.material_id == 2
    assert decision.sewer.collection_percentage == 100
    changed = attrs.evolve(data, collection_percentage=Decimal(70))
    assert only(
        violations("sewer.update", changed, f),
        "connection.sewer.collection_percentage_permission",
    )
    over = attrs.evolve(data, sewer_percentage=Decimal(120))
    assert only(
        violations("sewer.update", over, f), "connection.sewer.percentage_out_of_range"
    )


# ---------------------------------------------------------------- alterar situação
def change_ctx(
    *, open_order: bool = True, type_id: int = 1004, **changes: Any
) -> ConnectionContext:
    order, service_type = order_of(type_id, closed=None if open_order else TODAY)
    return ctx(order=order, service_type=service_type, **changes)


WATER_BACK = ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=2)


def test_v_as1_only_the_change_situation_service_type() -> None:
    found = violations(
        "connection.change_situation", WATER_BACK, facts(), change_ctx(type_id=619)
    )
    assert_violation(
        found,
        "connection.change_situation.wrong_service_type",
        rule="V-AS1",
        gsan_key="atencao.servico_associado_alteracao_situacao_ligacao_invalida",
    )
    assert only(
        violations("connection.change_situation", WATER_BACK, facts()),
        "connection.change_situation.wrong_service_type",
    )


def test_v_as2_the_order_must_be_open() -> None:
    found = violations(
        "connection.change_situation", WATER_BACK, facts(), change_ctx(open_order=False)
    )
    assert_violation(
        found,
        "connection.change_situation.order_closed",
        rule="V-AS2",
        gsan_key="atencao.os.encerrada",
    )


def test_v_as3_connection_type_and_new_situations_required() -> None:
    found = violations(
        "connection.change_situation", ChangeSituationInput(), facts(), change_ctx()
    )
    assert_violation(
        found,
        "connection.change_situation.required",
        rule="V-AS3",
        gsan_key="atencao.required",
    )
    both = violations(
        "connection.change_situation",
        ChangeSituationInput(target=ConnectionTarget.BOTH),
        facts(),
        change_ctx(),
    )
    assert (
        len([v for v in both if v.code == "connection.change_situation.required"]) == 2
    )


def test_v_as4_offered_situations_follow_the_block_network() -> None:
    found = violations(
        "connection.change_situation",
        ChangeSituationInput(target=ConnectionTarget.WATER, water_status_id=1),
        facts(),
        change_ctx(),
    )
    violation = assert_violation(
        found,
        "connection.change_situation.situation_not_offered",
        rule="V-AS4",
        gsan_key="atencao.entidade_sem_dados_para_selecao",
    )
    assert violation.params["offered"] == "2"
    c = change_ctx()
    assert rules.offered_situations(c, ConnectionKind.WATER, NetworkIndicator.NONE) == (
        1,
    )
    assert rules.offered_situations(
        c, ConnectionKind.SEWER, NetworkIndicator.PARTIAL
    ) == (1, 2)
    billed = change_ctx(
        catalog=Catalog(
            attrs.evolve(i, attributes={**i.attributes, "billing": True})
            if i.kind == "water_status"
            else i
            for i in DEFAULT.seeds
        )
    )
    none = violations("connection.change_situation", WATER_BACK, facts(), billed)
    assert (
        only(none, "connection.change_situation.situation_not_offered").params[
            "offered"
        ]
        == "none"
    )


def test_v_as5_debts_need_special_permission_81() -> None:
    debts = [OpenDebt(id=1, property_id=100, kind=DebtKind.CREDIT, amount=Decimal(1))]
    found = violations(
        "connection.change_situation", WATER_BACK, facts(), change_ctx(debts=debts)
    )
    violation = assert_violation(
        found,
        "connection.change_situation.debts",
        rule="V-AS5",
        gsan_key="atencao.imovel_com_debito",
    )
    assert violation.params["permission_id"] == 81
    allowed = change_ctx(debts=debts, permissions={"change_situation_with_debts"})
    assert violations("connection.change_situation", WATER_BACK, facts(), allowed) == ()


def test_v_as6_water_meter_blocks_the_water_change() -> None:
    found = violations(
        "connection.change_situation", WATER_BACK, facts(water_meter=True), change_ctx()
    )
    assert_violation(
        found,
        "connection.change_situation.water_meter_installed",
        rule="V-AS6",
        gsan_key="atencao.hidrometro_ja_instalado_ligacao_agua",
    )


def test_v_as7_well_meter_blocks_the_sewer_change() -> None:
    data = ChangeSituationInput(target=ConnectionTarget.SEWER, sewer_status_id=1)
    found = violations(
        "connection.change_situation", data, facts(well_meter=True), change_ctx()
    )
    assert_violation(
        found,
        "connection.change_situation.well_meter_installed",
        rule="V-AS7",
        gsan_key="atencao.hidrometro_ja_instalado_ligacao_esgoto",
    )


def test_change_situation_removes_the_rows_and_moves_both() -> None:
    data = ChangeSituationInput(
        target=ConnectionTarget.BOTH, water_status_id=2, sewer_status_id=1
    )
    decision = decide(
        "connection.change_situation", data, facts(3, 3, with_sewer=True), change_ctx()
    )
    assert decision.removed == (ConnectionKind.WATER, ConnectionKind.SEWER)
    assert (decision.property.water_status_id, decision.property.sewer_status_id) == (
        2,
        1,
    )
    same = decide(
        "connection.change_situation",
        ChangeSituationInput(target=ConnectionTarget.SEWER, sewer_status_id=1),
        facts(3, 1),
        change_ctx(),
    )
    assert same.steps == ()
    assert same.removed == ()


# ---------------------------------------------------------------- CAEMA
def test_v_ff1_feasible_billable_is_a_profile_feature() -> None:
    for key, data in (
        ("sewer.feasible_billable.inform", SEWER),
        ("sewer.feasible_billable.withdraw", None),
    ):
        found = violations(key, data, facts(3, 1))
        assert_violation(
            found,
            "connection.feature_disabled",
            rule="V-FF1",
            gsan_key="atencao.usuario.permissao_negada",
        )


def test_v_ff2_only_ppp_localities() -> None:
    found = violations("sewer.feasible_billable.inform", SEWER, facts(3, 1), ctx(CAEMA))
    assert_violation(
        found,
        "connection.sewer.feasible_billable.not_ppp",
        rule="V-FF2",
        gsan_key="atencao.pesquisa.nenhumresultado",
    )


def test_v_ff3_sources_of_inform_and_withdraw() -> None:
    c = ctx(CAEMA)
    found = violations(
        "sewer.feasible_billable.inform", SEWER, facts(3, 3, ppp_contract=True), c
    )
    assert_violation(
        found,
        "connection.sewer.feasible_billable.sewer_status_not_allowed",
        rule="V-FF3",
        gsan_key="atencao.pesquisa.nenhumresultado",
    )
    out = violations("sewer.feasible_billable.withdraw", None, facts(3, 3), c)
    assert only(out, "connection.sewer.feasible_billable.sewer_status_not_allowed")


def test_feasible_billable_inform_then_withdraw_restores_the_previous() -> None:
    c = ctx(CAEMA, request_id=5)
    informed = decide(
        "sewer.feasible_billable.inform", SEWER, facts(3, 2, ppp_contract=True), c
    )
    assert informed.property.sewer_status_id == 8
    assert informed.sewer is not None
    assert (informed.sewer.previous_status_id, informed.sewer.request_id) == (2, 5)
    withdrawn = decide(
        "sewer.feasible_billable.withdraw",
        None,
        ConnectionFacts(property=informed.property, sewer=informed.sewer),
        c,
    )
    assert withdrawn.property.sewer_status_id == 2
    assert withdrawn.removed == (ConnectionKind.SEWER,)
    orphan = decide(
        "sewer.feasible_billable.withdraw",
        None,
        facts(3, 8, sewer_network=NetworkIndicator.NETWORK),
        c,
    )
    assert orphan.property.sewer_status_id == 2
    assert orphan.removed == ()
    no_network = decide("sewer.feasible_billable.withdraw", None, facts(3, 8), c)
    assert no_network.property.sewer_status_id == 1


# ---------------------------------------------------------------- shared pieces
def test_coupling_rule_only_moves_out_of_use() -> None:
    profile = DEFAULT.profile
    assert rules.coupled_sewer(profile, 5) == 3
    for status in (1, 2, 3, 4, 6):
        assert rules.coupled_sewer(profile, status) == status


def test_role_id_needs_exactly_one_id() -> None:
    assert rules.role_id(DEFAULT.profile, "water_status.cut") == 5
    with pytest.raises(ConfigurationError):
        rules.role_id(DEFAULT.profile, "service_type.water.update")
    with pytest.raises(ConfigurationError):
        rules.role_id(DEFAULT.profile, "water_status.unknown")


def test_unknown_operation_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError):
        rules.check_operation("water.teleport", facts=facts(), context=ctx(), data=None)


def test_decide_raises_every_violation_and_writes_nothing() -> None:
    with pytest.raises(RuleViolation) as raised:
        decide("water.cut", CutInput(cut_on=date(2030, 1, 1)), facts(6, active=False))
    assert {
        "connection.property_inactive",
        "connection.water.cut.water_status_not_allowed",
        "connection.date_in_future",
    } <= set(raised.value.codes)


def test_status_text_without_a_catalog_row() -> None:
    empty = ctx(catalog=Catalog(()))
    found = violations("water.cut", CUT, facts(6), empty)
    assert (
        only(found, "connection.water.cut.water_status_not_allowed").params["status"]
        == "6"
    )


def test_reconnection_cut_limit_is_end_of_month_minus_days() -> None:
    assert rules.reconnection_cut_limit(202502, 30) == date(2025, 1, 29)
    assert rules.reconnection_cut_limit(202412, 0) == date(2024, 12, 31)


def test_transition_rows_render_the_profile() -> None:
    water = {row.key: row for row in rules.transition_rows(DEFAULT.profile, "water")}
    assert water["water.cut"].sources == (3, 4)
    assert water["water.cut"].target == "cut (5)"
    assert water["water.reconnect"].sewer_effect == "out of use → connected"
    assert water["water.minimum_consumption"].sources is None
    assert water["water.suppress"].target.startswith("suppressed")
    cagepa = {row.key: row for row in rules.transition_rows(CAGEPA.profile, "water")}
    assert cagepa["water.cut"].sources == (3,)
    batch = rules.transition_rows(DEFAULT.profile, "batch")
    assert {row.menu_variant for row in batch} == {"no order"}


def test_every_operation_has_rules_an_input_and_a_docs_family() -> None:
    for key, spec in rules.OPERATIONS.items():
        assert spec.key == key
        if spec.family != "batch":
            assert key in rules.INPUTS
    assert set(rules.WRONG_SERVICE_TYPE) <= set(rules.OPERATIONS)


# ---------------------------------------------------------------- model
def test_model_types() -> None:
    assert ConnectionTarget.BOTH.kinds == (ConnectionKind.WATER, ConnectionKind.SEWER)
    assert ConnectionTarget.SEWER.kinds == (ConnectionKind.SEWER,)
    with pytest.raises(ValueError, match="timezone-aware"):
        SituationChange(
            id=1,
            property_id=1,
            kind=ConnectionKind.WATER,
            before_id=1,
            after_id=3,
            effective_on=TODAY,
            at=datetime(2025, 1, 6),  # noqa: DTZ001
            operation="water.connect",
            actor=1,
        )
    with pytest.raises(ValueError, match="must not be negative"):
        ConsumptionRecord(
            property_id=1, reference=202501, consumption_type_id=1, billed_volume=-1
        )
    row = water_row(cut_seal=3)
    assert WaterUpdateInput.from_connection(row).cut_seal == 3
    assert (
        SewerUpdateInput.from_connection(sewer_row(grease_trap=True)).grease_trap
        is True
    )


def test_unknown_types_are_reported_once() -> None:
    admin = violations(
        "water.administrative_cut", AdministrativeCutInput(cut_type_id=99), facts()
    )
    assert [v.code for v in admin] == ["connection.unknown_reference"]
    change = violations(
        "water.change_cut_type", ChangeCutTypeInput(cut_type_id=99), facts(5)
    )
    assert [v.code for v in change] == ["connection.unknown_reference"]
    suppress = violations(
        "water.suppress", attrs.evolve(SUPPRESS, suppression_type_id=99), facts()
    )
    assert [v.code for v in suppress] == ["connection.unknown_reference"]


def test_a_recent_order_may_update_and_suppression_data_complete() -> None:
    order, service_type = order_of(242, closed=date(2025, 1, 2))
    c = ctx(order=order, service_type=service_type, order_closed_on=date(2025, 1, 2))
    data = attrs.evolve(
        WaterUpdateInput.from_connection(water_row()),
        suppression_type_id=1,
        suppression_reason_id=2,
        suppression_seal=4,
    )
    decision = decide("water.update", data, facts(8), c)
    assert decision.water is not None
    assert decision.water.suppression_seal == 4


def test_sewer_update_with_the_same_percentages() -> None:
    data = SewerUpdateInput.from_connection(sewer_row(grease_trap=True))
    decision = decide("sewer.update", data, facts(3, 3, with_sewer=True))
    assert decision.sewer is not None
    assert decision.sewer.version == 2


def test_sewer_connect_from_connected_when_a_profile_allows_it() -> None:
    loose = attrs.evolve(
        DEFAULT.profile,
        transitions={**DEFAULT.profile.transitions, "sewer.connect": [1, 2, 3, 4]},
    )
    f = facts(3, 3, with_sewer=True, sewer_network=NetworkIndicator.NETWORK)
    decision = decide("sewer.connect", SEWER, f, ctx(profile=loose))
    assert decision.steps == ()
    assert decision.property is f.property


def test_valid_model_values() -> None:
    change = SituationChange(
        id=1,
        property_id=1,
        kind=ConnectionKind.WATER,
        before_id=1,
        after_id=3,
        effective_on=TODAY,
        at=AT,
        operation="water.connect",
        actor=1,
    )
    assert change.reading is None
    record = ConsumptionRecord(
        property_id=1, reference=202501, consumption_type_id=1, billed_volume=0
    )
    assert record.minimum is None
    from gsan_core.model.connections import ConnectionOperationApplied  # noqa: PLC0415

    event = ConnectionOperationApplied(
        occurred_at=AT,
        actor=1,
        property_id=1,
        operation="connection.change_situation",
        gsan_operation=857,
        order_id=None,
        effective_on=TODAY,
        water_before=3,
        water_after=2,
        sewer_before=1,
        sewer_after=1,
        removed=[ConnectionKind.WATER],
    )
    assert event.removed == (ConnectionKind.WATER,)


def test_missing_types_are_required() -> None:
    for key, data, f in (
        ("water.administrative_cut", AdministrativeCutInput(), facts()),
        ("water.change_cut_type", ChangeCutTypeInput(), facts(5)),
        ("water.suppress", attrs.evolve(SUPPRESS, suppression_type_id=None), facts()),
    ):
        assert [v.code for v in violations(key, data, f)] == ["connection.required"]


# ---------------------------------------------------------------- the rule catalogue
#: Every numbered rule of ``domain/connections.md``, the rule label its violation
#: carries, the message and GSAN's key. V-LA2 / V-CO3 / V-SU2 / V-LE2 (the order
#: checks, C-OS), V-LA3 / V-CO4 / V-SU3 / V-LE3 (the order's property, C-IM) and
#: V-CO1 (a cut needs its order) are the service orders' COM-01..05, tested in
#: ``tests/services/test_connections.py``.
CATALOGUE = [
    (
        "V-LA1",
        "V-LA1",
        rules.WRONG_SERVICE_TYPE["water.connect"],
        "atencao.servico_associado_ligacao_agua_invalida",
    ),
    (
        "V-LA4",
        "V-LA4",
        rules.CONNECT_WATER_STATUS,
        "atencao.situacao_validar_ligacao_agua_invalida_exibir",
    ),
    ("V-LA5", "V-LA5", rules.NO_WATER_NETWORK, "atencao.seituacao_rede_agua_quadra"),
    (
        "V-LA6",
        "V-LA6",
        rules.CONNECT_WATER_PROPERTY_INACTIVE,
        "atencao.situacao_imovel_indicador_exclusao",
    ),
    ("V-LA8", "C-REQ", rules.REQUIRED, "atencao.required"),
    ("V-LA9", "C-CAMPO", rules.PROPERTY_IN_FIELD, "atencao.imovel_em_campo"),
    (
        "V-CO2",
        "V-CO2",
        rules.WRONG_SERVICE_TYPE["water.cut"],
        "atencao.servico_associado_corte_ligacao_agua_invalida",
    ),
    (
        "V-CO5",
        "C-ATV",
        rules.PROPERTY_INACTIVE,
        "atencao.atualizar_imovel_situacao_invalida",
    ),
    ("V-CO6", "C-LA", rules.NO_WATER_CONNECTION, "atencao.naocadastrado"),
    ("V-CO7", "V-CO7", rules.CUT_STATUS, "atencao.situacao_agua_imovel_invaliga"),
    ("V-CO8", "C-DATE", rules.DATE_IN_FUTURE, "atencao.data.invalida"),
    ("V-CO9", "V-CO9", rules.CUT_TYPE_ADMINISTRATIVE, "atencao.pesquisa_inexistente"),
    (
        "V-SU1",
        "V-SU1",
        rules.WRONG_SERVICE_TYPE["water.suppress"],
        "atencao.servico_associado_supressa_ligacao_agua_invalida",
    ),
    ("V-SU4", "C-LA", rules.NO_WATER_CONNECTION, "atencao.naocadastrado"),
    (
        "V-SU5",
        "V-SU5",
        rules.SUPPRESS_STATUS,
        "atencao.situacao_ligacao_agua_supressao_invalida",
    ),
    ("V-SU6", "C-DATE", rules.DATE_TOO_EARLY, "atencao.data.invalida"),
    ("V-SU7", "V-SU7", rules.SUPPRESSION_TYPE_MISMATCH, "atencao.pesquisa_inexistente"),
    (
        "V-SU8",
        "V-SU8",
        rules.SUPPRESSION_DEBTS,
        "atencao.nao_e_possivel_efetuar_supressao",
    ),
    (
        "V-LE1",
        "V-LE1",
        rules.WRONG_SERVICE_TYPE["sewer.connect"],
        "atencao.servico_associado_ligacao_esgoto_invalida",
    ),
    (
        "V-LE4",
        "V-LE4",
        rules.CONNECT_SEWER_STATUS,
        "atencao.situacao_validar_ligacao_esgoto_invalida_exibir",
    ),
    ("V-LE5", "V-LE5", rules.NO_SEWER_NETWORK, "atencao.percentual_rede_esgoto_quadra"),
    (
        "V-LE6",
        "V-LE6",
        rules.CONNECT_SEWER_PROPERTY_INACTIVE,
        "situacao_imovel_indicador_exclusao_esgoto",
    ),
    ("V-LE7", "C-REQ", rules.REQUIRED, "atencao.required"),
    (
        "V-LE8",
        "V-LE8",
        rules.PERCENTAGE_OUT_OF_RANGE,
        "atencao.percentual_coleta_invalido",
    ),
    ("V-LE10", "C-CAMPO", rules.PROPERTY_IN_FIELD, "atencao.imovel_em_campo"),
    (
        "V-LAH3",
        "V-LAH3",
        rules.CONNECT_METER_STATUS,
        "atencao.situacao_validar_ligacao_agua_invalida_exibir",
    ),
    (
        "V-RLH1",
        "V-RLH1",
        rules.RECONNECT_METER_STATUS,
        "atencao.situacao_validar_religacao_agua_invalida_exibir",
    ),
    (
        "V-RLH2",
        "V-RLH2",
        rules.RECONNECT_METER_INACTIVE,
        "atencao.situacao_imovel_indicador_exclusao",
    ),
    (
        "V-RSH1",
        "V-RSH1",
        rules.RESTORE_METER_STATUS,
        "atencao.situacao_ligacao_agua_invalida_restabelecimento",
    ),
    (
        "V-RSH2",
        "V-RSH2",
        rules.RESTORE_METER_INACTIVE,
        "atencao.situacao_imovel_indicador_exclusao",
    ),
    (
        "V-RSH3",
        "V-RSH3",
        rules.RESTORE_METER_NO_NETWORK,
        "atencao.seituacao_rede_agua_quadra",
    ),
    (
        "V-AS1",
        "V-AS1",
        rules.CHANGE_WRONG_SERVICE_TYPE,
        "atencao.servico_associado_alteracao_situacao_ligacao_invalida",
    ),
    ("V-AS2", "V-AS2", rules.CHANGE_ORDER_CLOSED, "atencao.os.encerrada"),
    ("V-AS3", "V-AS3", rules.CHANGE_TARGET_REQUIRED, "atencao.required"),
    (
        "V-AS4",
        "V-AS4",
        rules.CHANGE_SITUATION_NOT_OFFERED,
        "atencao.entidade_sem_dados_para_selecao",
    ),
    ("V-AS5", "V-AS5", rules.CHANGE_DEBTS, "atencao.imovel_com_debito"),
    (
        "V-AS6",
        "V-AS6",
        rules.CHANGE_WATER_METER,
        "atencao.hidrometro_ja_instalado_ligacao_agua",
    ),
    (
        "V-AS7",
        "V-AS7",
        rules.CHANGE_WELL_METER,
        "atencao.hidrometro_ja_instalado_ligacao_esgoto",
    ),
]


#: The rules of the "com hidrômetro" operations that are the hydrometer area's
#: (``domain/connections.md`` §3.3, §3.10): the violation the meter step reports.
METER_CATALOGUE = [
    (
        "V-LAH1",
        "I-9",
        hydrometer_rules.POINT_HAS_METER,
        "atencao.hidrometro_instalado_ligacao_agua",
    ),
    (
        "V-LAH2",
        "I-10",
        hydrometer_rules.METER_UNKNOWN,
        "atencao.hidrometro_inexistente",
    ),
    (
        "V-LAH2",
        "I-12",
        hydrometer_rules.METER_NOT_AVAILABLE,
        "atencao.hidrometro_situacao_indisponivel",
    ),
    (
        "V-RSH4",
        "I-11",
        hydrometer_rules.LOCATION_INCOMPATIBLE,
        "atencao.hidrometro_local_armazenagem_imovel_diferente_hidrometro_local_armazenagem_hidrometro",
    ),
]


@pytest.mark.parametrize(
    ("rule", "reported_as", "message", "gsan_key"),
    METER_CATALOGUE,
    ids=[f"{c[0]}-{c[1]}" for c in METER_CATALOGUE],
)
def test_meter_rule_catalogue(
    rule: str, reported_as: str, message: Any, gsan_key: str
) -> None:
    """GSAN checks these on the connection screens; the library reports them
    from the meter step, with the hydrometer area's rule."""
    assert message.rule == reported_as
    assert message.gsan_key == gsan_key
    assert message.code.startswith("hydrometer.install.")
    assert rule.startswith("V-")


@pytest.mark.parametrize(
    ("rule", "reported_as", "message", "gsan_key"),
    CATALOGUE,
    ids=[c[0] for c in CATALOGUE],
)
def test_rule_catalogue(
    rule: str, reported_as: str, message: Any, gsan_key: str
) -> None:
    """Each numbered rule and the rule label its violation carries (a shared
    check reports the rules it stands for: V-CO5 is C-ATV)."""
    violation = message(property_id=1, status="1 X", field="f", campo="c")
    assert violation.code.startswith("connection.")
    assert violation.rule == reported_as
    assert violation.gsan_key == gsan_key
    assert rule.startswith("V-")
