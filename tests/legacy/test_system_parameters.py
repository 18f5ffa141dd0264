"""GSAN's ``cadastro.sistema_parametros`` in the utility profile the services
run with (``LegacyBackend.utility_profile``): ``parm_nnmaximomesessancoes``
(``numeroMaximoMesesSancoes``, the FIS-13 cap of an inspection debt's months
factor) where the column exists and holds a value, the profile's otherwise."""

from __future__ import annotations

import attrs
import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile
from gsan_core.profiles import load
from tests.legacy.support import ensure_row

pytestmark = pytest.mark.postgres


def _base(cap: int | None) -> UtilityProfile:
    profile = load("gsan_default").profile
    return attrs.evolve(
        profile,
        service_orders=attrs.evolve(profile.service_orders, max_sanction_months=cap),
    )


def _parameters(engine: sa.Engine, months: int | None) -> None:
    with engine.begin() as connection:
        ensure_row(
            connection,
            "cadastro.sistema_parametros",
            {"parm_id": 1, "parm_nnmaximomesessancoes": months},
        )


def _cap(backend: LegacyBackend, base: UtilityProfile) -> int | None:
    return backend.utility_profile(base).service_orders.max_sanction_months


def test_fis_13_the_sanction_cap_is_gsans_parameter(
    legacy_engine: sa.Engine,
) -> None:
    _parameters(legacy_engine, 6)
    backend = LegacyBackend(legacy_engine)
    assert _cap(backend, _base(None)) == 6
    assert _cap(backend, _base(12)) == 6
    # the rest of the profile is the base's, narrowed to GSAN's widths
    profile = backend.utility_profile(_base(None))
    assert profile.name == "gsan_default"
    assert profile.text_length("number") == 11


def test_fis_13_a_blank_parameter_keeps_the_profiles_cap(
    legacy_engine: sa.Engine,
) -> None:
    _parameters(legacy_engine, None)
    backend = LegacyBackend(legacy_engine)
    assert _cap(backend, _base(12)) == 12
    assert _cap(backend, _base(None)) is None


def test_fis_13_without_the_row_or_the_column_the_profiles_cap_stands(
    legacy_engine: sa.Engine,
) -> None:
    backend = LegacyBackend(legacy_engine)
    assert _cap(backend, _base(12)) == 12  # no parameter row
    _parameters(legacy_engine, 6)
    with legacy_engine.begin() as connection:
        connection.exec_driver_sql(
            "ALTER TABLE cadastro.sistema_parametros"
            " DROP COLUMN parm_nnmaximomesessancoes"
        )
    assert _cap(backend, _base(12)) == 12


@pytest.mark.parametrize("months", [0, -2])
def test_fis_13_max_sanction_months_must_be_positive(
    legacy_engine: sa.Engine, months: int
) -> None:
    """A cap GSAN's table holds but no rule can use (0 would make every
    calculation-5 debt worth nothing) is refused like in a profile file: a
    ``ConfigurationError`` naming the profile field and GSAN's column."""
    _parameters(legacy_engine, months)
    backend = LegacyBackend(legacy_engine)
    with pytest.raises(ConfigurationError) as caught:
        backend.utility_profile(_base(12))
    assert caught.value.code == "configuration.profile"
    assert caught.value.field == "service_orders.max_sanction_months"
    assert "parm_nnmaximomesessancoes" in caught.value.problem
    assert "at least 1" in caught.value.problem
    with legacy_engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE cadastro.sistema_parametros SET parm_nnmaximomesessancoes = 1"
        )
    assert _cap(backend, _base(12)) == 1
