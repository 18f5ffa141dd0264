"""GSAN's system parameters (``cadastro.sistema_parametros``) in the utility
profile.

GSAN keeps some of what the library's :class:`~gsan_core.model.profile.UtilityProfile`
configures in its one-row parameter table, edited on GSAN's "Manter Sistema
Parâmetros" screen. :func:`with_gsan_parameters` puts the value of each
:data:`SYSTEM_PARAMETERS` column in the profile where the column exists on this
database and holds a value; otherwise the profile's own value stands (GSAN's
screen leaves a column NULL when the field is left blank, and older forks may
lack a column). Two queries, once, when the services are wired. A value the
profile's validators refuse (``parm_nnmaximomesessancoes = 0``) raises the
:class:`~gsan_core.errors.ConfigurationError` a profile file with it raises
(``configuration.profile``, naming the profile field and GSAN's column).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
import sqlalchemy as sa

from gsan_core.errors import ConfigurationError
from gsan_core.model.profile import UtilityProfile

__all__ = ["PARAMETERS_TABLE", "SYSTEM_PARAMETERS", "with_gsan_parameters"]

PARAMETERS_TABLE = "cadastro.sistema_parametros"
#: (profile section, field) -> GSAN's column (an integer).
SYSTEM_PARAMETERS: Mapping[tuple[str, str], str] = {
    # ``numeroMaximoMesesSancoes``: the cap of an inspection debt's months
    # factor (FIS-13, calculation 5)
    ("service_orders", "max_sanction_months"): "parm_nnmaximomesessancoes",
}


def _present(connection: sa.Connection) -> list[str]:
    schema, name = PARAMETERS_TABLE.split(".")
    found = connection.execute(
        sa.text(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = :s AND table_name = :t AND column_name = ANY(:c)"
        ),
        {"s": schema, "t": name, "c": sorted(SYSTEM_PARAMETERS.values())},
    ).scalars()
    return sorted(found)


def with_gsan_parameters(
    connection: sa.Connection, profile: UtilityProfile
) -> UtilityProfile:
    """``profile`` with GSAN's parameters where its columns exist and hold a
    value (the first row of ``sistema_parametros``; GSAN keeps one)."""
    columns = _present(connection)
    if not columns:
        return profile
    row = (
        connection.execute(
            sa.text(
                f"SELECT {', '.join(columns)} FROM {PARAMETERS_TABLE}"
                " ORDER BY parm_id LIMIT 1"
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return profile
    changed = profile
    for (section, field), column in SYSTEM_PARAMETERS.items():
        value = row.get(column)
        if value is None:
            continue
        try:
            changed = attrs.evolve(
                changed,
                **{
                    section: attrs.evolve(
                        getattr(changed, section), **{field: int(value)}
                    )
                },
            )
        except ConfigurationError as exc:
            raise ConfigurationError(
                f"{exc.problem} (GSAN's {PARAMETERS_TABLE}.{column})",
                field=exc.field,
                kind="profile",
            ) from exc
    return changed
