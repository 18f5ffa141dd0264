"""Behaviour follows the utility profile, on every backend."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import gsan_core
from gsan_core.errors import NotFound, RuleViolation
from gsan_core.model.units import OrganizationalUnit

REGIONAL = OrganizationalUnit(
    id=1, name="GERENCIA REGIONAL", unit_type_id=10
)  # level 1
#: A locality unit (level 3) right below the regional management (level 1).
LOCALITY = OrganizationalUnit(id=2, name="ESCRITORIO", unit_type_id=12, superior_id=1)


def test_uni_4_same_registration_accepted_by_default_refused_by_cagepa(
    make_system: Callable[..., gsan_core.System],
) -> None:
    default = make_system("gsan_default")
    assert default.profile.service_requests.vary_unit_hierarchy is True
    default.units.register_many([REGIONAL, LOCALITY], actor=1)
    assert default.units.get(2) == LOCALITY

    cagepa = make_system("cagepa")
    assert cagepa.profile.service_requests.vary_unit_hierarchy is False
    with pytest.raises(RuleViolation) as caught:
        cagepa.units.register_many([REGIONAL, LOCALITY], actor=1)
    violation = caught.value.violations[0]
    assert (violation.code, violation.rule) == ("unit.hierarchy_level", "UNI-4")
    assert violation.params["expected"] == "exactly one below"
    assert cagepa.units.tree() == {}


def test_allowed_cut_situations_differ(
    make_system: Callable[..., gsan_core.System],
) -> None:
    default = make_system("gsan_default")
    cagepa = make_system("cagepa")
    assert default.profile.allowed("water.cut") == frozenset({3, 4})
    assert cagepa.profile.allowed("water.cut") == frozenset({3})
    assert cagepa.profile.allowed("water.reconnect") == frozenset({5, 10})


def test_each_profile_seeds_its_own_rows(
    make_system: Callable[..., gsan_core.System],
) -> None:
    # One system at a time: on PostgreSQL, make_system reuses the session schema.
    default = make_system("gsan_default")
    with pytest.raises(NotFound):
        default.catalog.get("water_status", 10)
    assert default.profile.ids("water_status.cut_on_request") == frozenset()
    cagepa = make_system("cagepa")
    assert cagepa.catalog.get("water_status", 10).description == "CORTADO A PEDIDO"
    assert cagepa.profile.ids("water_status.cut_on_request") == frozenset({10})
    assert (default.profile.state, cagepa.profile.state) == ("PA", "PB")
