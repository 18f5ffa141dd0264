"""The ranges of the profile's numeric parameters: a value outside its range
means nothing to the rule that reads it, so the profile refuses it with a
``ConfigurationError`` (``configuration.profile``) naming the field, whether
the value comes from Python, a profile file or GSAN's parameter table
(``tests/legacy/test_system_parameters.py``)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from gsan_core import profiles
from gsan_core.errors import ConfigurationError
from gsan_core.model import profile as profile_model
from gsan_core.model.profile import NewOrderRestriction, UtilityProfile

#: (rule, section, field, a refused value, the nearest accepted value).
RANGES: list[tuple[str, str, str, Any, Any]] = [
    ("CHG-2", "system", "financing_interest_rate", Decimal("-0.01"), Decimal(0)),
    ("COM-08", "system", "max_installments", 0, 1),
    ("COM-06", "system", "charge_percentages", (100, 0), (100, 1)),
    ("COM-06", "system", "charge_percentages", (101,), (100,)),
    ("COM-06", "system", "charge_percentages", (), (100,)),
    ("ENC-09", "service_orders", "closing_days_back", -1, 0),
    ("ENC-10", "service_orders", "selective_closing_days_back", -1, 0),
    ("VEN-02", "service_orders", "overdue_extra_days", -1, 0),
    ("V-UP1", "service_orders", "max_days_to_update_closed_order", -1, 0),
    ("FIS-13", "service_orders", "max_sanction_months", 0, 1),
    ("FIS-13", "service_orders", "max_sanction_months", -3, None),
    ("AUT-05", "service_orders", "notice_appeal_grace_days", -1, 0),
    ("PAV-03", "service_orders", "repaving_convergence_percentage", -1, 0),
    (
        "PAV-03",
        "service_orders",
        "repaving_convergence_percentage",
        Decimal("100.01"),
        Decimal(100),
    ),
    ("UC1073", "connections", "reconnection_cut_age_days", -1, 0),
    ("H-5", "hydrometers", "earliest_year", 0, 1),
    ("V-6", "hydrometers", "movement_max_days_back", -1, 0),
    ("INS-09b", "service_requests", "reactivation_warning_days", -1, 0),
    ("NUM-01", "service_requests", "manual_numbers_limit", 0, 1),
    ("INS-13", "service_requests", "due_date_change_min_months", -1, 0),
    ("SMS-01", "service_requests", "sms_max_length", 0, 1),
    ("SMS-01", "service_requests", "sms_max_attempts", 0, 1),
    ("CUT-3", "collection", "min_overdue_bills", -1, 0),
    ("CUT-3", "collection", "min_overdue_amount", Decimal("-0.01"), Decimal(0)),
    ("CUT-3", "collection", "overdue_after_days", -1, 0),
    ("ACR-06", "surcharge", "index_month_offset", 1, 0),
    ("ACR-12", "surcharge", "tariff_update_before", 202413, 202412),
    ("ACR-12", "surcharge", "tariff_update_before", 202400, 202401),
    ("ACR-05", "surcharge", "grace_business_days", -1, 0),
    ("ACR-10", "surcharge", "correction_min_months", -1, 0),
    ("CND-03", "cnd", "dias_carencia", -1, 0),
    ("CND-11", "cnd", "validade_dias", 0, 1),
    ("EXT-17", "extrato", "validade_dias", -1, 0),
    ("EXT-17", "extrato", "validade_dias_permissao", -1, 0),
    ("EXT-12", "extrato", "valor_taxa", Decimal("-0.01"), Decimal(0)),
    ("EXT-18", "extrato", "valor_minimo_ficha_compensacao", Decimal(-1), Decimal(0)),
    ("EXT-18", "extrato", "codigo_empresa_febraban", 10000, 9999),
    ("EXT-18", "extrato", "segmento", 0, 1),
    ("EXT-18", "extrato", "segmento", 10, 9),
    ("SVS-02", "segunda_via", "valor", Decimal("-0.01"), Decimal(0)),
    ("SVS-02", "segunda_via", "tarifa_minima", Decimal("-0.01"), Decimal(0)),
    ("SVS-02", "segunda_via", "tarifa_minima_social", Decimal(-1), Decimal(0)),
    ("TXT-04", "field_work", "max_orders_per_file", 0, 1),
    ("ESG-02", "field_work", "sewer_close_after_days", -1, 0),
]

#: Numeric fields that are ids (no range but "an existing row").
IDS = frozenset(
    {
        "main_company_id",
        "large_consumer_unit_id",
        "presidency_unit_id",
        "visit_closing_reason_id",
        "sewer_close_reason_id",
    }
)


def _with(section: str, field: str, value: Any) -> UtilityProfile:
    base = profiles.default().profile
    return attrs.evolve(
        base, **{section: attrs.evolve(getattr(base, section), **{field: value})}
    )


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    return list(value) if isinstance(value, tuple) else value


def _cases() -> list[Any]:
    return [
        pytest.param(*case, id=f"{case[0]}-{case[1]}.{case[2]}={case[3]}")
        for case in RANGES
    ]


@pytest.mark.parametrize(("rule", "section", "field", "bad", "good"), _cases())
def test_a_profile_refuses_a_value_outside_the_rules_range(
    rule: str, section: str, field: str, bad: Any, good: Any, tmp_path: Path
) -> None:
    assert rule  # the rule that reads the field (the case's id)
    with pytest.raises(ConfigurationError) as caught:
        _with(section, field, bad)
    assert caught.value.code == "configuration.profile"
    assert caught.value.field == f"{section}.{field}"
    # the nearest value inside the range is taken
    assert getattr(getattr(_with(section, field, good), section), field) == good
    # a profile file with the value names the file and the same field
    path = tmp_path / "bad.json"
    document = {"extends": "gsan_default", "name": "bad", section: {field: _json(bad)}}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ConfigurationError) as loaded:
        profiles.load(path)
    assert loaded.value.code == "configuration.profile"
    assert (loaded.value.file, loaded.value.field) == (str(path), f"{section}.{field}")
    assert loaded.value.problem == caught.value.problem


def test_fis_13_max_sanction_months_must_be_positive(tmp_path: Path) -> None:
    """FIS-13: a cap of 0 would make every calculation-5 debt worth nothing;
    GSAN's blank parameter (``None``) is "no cap"."""
    for months in (0, -1):
        with pytest.raises(ConfigurationError) as caught:
            _with("service_orders", "max_sanction_months", months)
        assert caught.value.field == "service_orders.max_sanction_months"
        assert "at least 1" in caught.value.problem
    path = tmp_path / "p.toml"
    path.write_text(
        'extends = "gsan_default"\nname = "p"\n[service_orders]\nmax_sanction_months = 0\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as loaded:
        profiles.load(path)
    assert loaded.value.field == "service_orders.max_sanction_months"
    assert _with("service_orders", "max_sanction_months", None).service_orders
    assert _with("service_orders", "max_sanction_months", 1).service_orders


def test_gen_18_a_restriction_window_is_not_negative(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        NewOrderRestriction(service_type_id=242, days=-1)
    assert caught.value.field == "service_orders.new_order_restrictions.days"
    assert NewOrderRestriction(service_type_id=242, days=0).days == 0
    path = tmp_path / "p.toml"
    path.write_text(
        'extends = "gsan_default"\nname = "p"\n'
        "[[service_orders.new_order_restrictions]]\nservice_type_id = 242\ndays = -1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as loaded:
        profiles.load(path)
    assert loaded.value.field == "service_orders.new_order_restrictions[0].days"


def test_every_numeric_profile_field_has_a_range() -> None:
    """The audit: every number of every section (ids apart) has a validator."""
    numeric = ("int", "Decimal", "int | None", "tuple[int, ...]")
    sections = [
        getattr(profile_model, name)
        for name in profile_model.__all__
        if name.endswith("Parameters") or name == "NewOrderRestriction"
    ]
    missing = [
        f"{cls.__name__}.{field.name}"
        for cls in sections
        for field in attrs.fields(cls)
        if field.type in numeric
        and field.name not in IDS
        and field.name != "service_type_id"
        and field.validator is None
    ]
    assert missing == []
    checked = {(section, field) for _, section, field, _, _ in RANGES}
    assert ("service_orders", "max_sanction_months") in checked


@pytest.mark.parametrize("name", profiles.BUNDLED)
def test_the_bundled_profiles_are_within_the_ranges(name: str) -> None:
    assert profiles.load(name).profile.name == name


@pytest.mark.parametrize("length", [0, -1])
def test_a_text_length_is_positive(length: int, tmp_path: Path) -> None:
    """``text_lengths``: a column narrower than one character means nothing."""
    base = profiles.default().profile
    with pytest.raises(ConfigurationError) as caught:
        attrs.evolve(base, text_lengths={"number": length})
    assert (caught.value.code, caught.value.field) == (
        "configuration.profile",
        "text_lengths.number",
    )
    path = tmp_path / "p.toml"
    path.write_text(
        f'extends = "gsan_default"\nname = "p"\n[text_lengths]\nnumber = {length}\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigurationError) as loaded:
        profiles.load(path)
    assert loaded.value.field == "text_lengths.number"
    assert attrs.evolve(base, text_lengths={"number": 1}).text_length("number") == 1
