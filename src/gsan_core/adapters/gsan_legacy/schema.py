"""The start-up check: reflect the live GSAN schema and fail fast, precisely.

:func:`inspect_schema` reads ``information_schema`` once (three queries) and
compares it with what the profile maps: every table and column of the entity
maps (the line's overrides included), the columns the line's screens need, the
catalogue's reference tables and the attribute columns mapped on them
(``LegacyProfile.catalog_attributes``), the sequences ids come from, the
companion schema's revision and, per written table, the optimistic-locking
column. :func:`check_schema` raises
:class:`~gsan_core.errors.ConfigurationError` (code ``configuration.schema``)
listing every missing table, column and sequence, sorted, so a DBA fixes the
database in one go rather than one error at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.meters_history import HISTORY_COLUMNS
from gsan_core.adapters.gsan_legacy.optional import OPTIONAL_FEATURES
from gsan_core.adapters.gsan_legacy.profile import ENTITY_MAPS, LegacyProfile
from gsan_core.errors import ConfigurationError

__all__ = ["WRITTEN_TABLES", "SchemaReport", "check_schema", "inspect_schema"]

#: The GSAN tables phase 1 writes (each needs the opt-in locking column).
WRITTEN_TABLES = (
    "atendimentopublico.ligacao_agua",
    "atendimentopublico.ligacao_esgoto",
    "cadastro.imovel",
    "micromedicao.hidrometro",
    "micromedicao.hidrometro_inst_hist",
    "micromedicao.hidrometro_movimentacao",
)


@attrs.frozen(kw_only=True)
class SchemaReport:
    """What the start-up check found."""

    line: str
    missing_tables: tuple[str, ...] = ()
    #: ``schema.table.column``.
    missing_columns: tuple[str, ...] = ()
    missing_sequences: tuple[str, ...] = ()
    #: Written tables without the optimistic-locking column (read-only if any).
    unlocked_tables: tuple[str, ...] = ()
    #: The companion schema is not migrated (no outbox, history, extra fields).
    companion_missing: bool = False
    #: Optional features (``field_lock``, ``payments``) whose GSAN tables or
    #: columns are missing, with what is missing: their ports raise
    #: ``configuration.feature_unavailable``, the rest works.
    unavailable: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        """The profile's map resolves on this database (reads work)."""
        return not (
            self.missing_tables or self.missing_columns or self.missing_sequences
        )

    @property
    def writable(self) -> bool:
        """Writes are allowed: the map resolves, locking and companion are in."""
        return self.ok and not self.unlocked_tables and not self.companion_missing

    def problems(self) -> list[str]:
        """One line per problem, for the error message and the CLI."""
        lines = [f"missing table {t}" for t in self.missing_tables]
        lines += [f"missing column {c}" for c in self.missing_columns]
        lines += [f"missing sequence {s}" for s in self.missing_sequences]
        return lines


def _required(profile: LegacyProfile) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {}
    for name in ENTITY_MAPS:
        entity = profile.entity(name)
        columns = wanted.setdefault(entity.table, set())
        columns.update(entity.columns.values())
        columns.update((entity.key, entity.stamp))
    for table, read in HISTORY_COLUMNS.items():
        wanted.setdefault(table, set()).update(read)
    for table, needed in profile.required_columns.items():
        wanted.setdefault(table, set()).update(needed)
    for table in profile.catalog_tables.values():
        wanted.setdefault(table, set())
    for table, attributes in profile.catalog_columns().items():
        wanted.setdefault(table, set()).update(attributes)
    return wanted


def _split(names: Iterable[str]) -> list[str]:
    return sorted({n.split(".", 1)[0] for n in names})


def inspect_schema(connection: sa.Connection, profile: LegacyProfile) -> SchemaReport:
    """Compare the live schema with ``profile`` (three catalogue queries)."""
    wanted = _required(profile)
    optional = [t for tables in OPTIONAL_FEATURES.values() for t in tables]
    schemas = _split([*wanted, *optional, *profile.sequences.values()])
    rows = connection.execute(
        sa.text(
            "SELECT table_schema || '.' || table_name, column_name"
            " FROM information_schema.columns WHERE table_schema = ANY(:schemas)"
        ),
        {"schemas": schemas},
    ).all()
    present: dict[str, set[str]] = {}
    for table, column in rows:
        present.setdefault(table, set()).add(column)
    sequences = set(
        connection.execute(
            sa.text(
                "SELECT sequence_schema || '.' || sequence_name"
                " FROM information_schema.sequences"
                " WHERE sequence_schema = ANY(:schemas)"
            ),
            {"schemas": schemas},
        ).scalars()
    )
    companion = connection.execute(
        sa.text("SELECT to_regclass(:t) IS NOT NULL"),
        {"t": f"{profile.companion_schema}.alembic_version"},
    ).scalar_one()
    missing_tables = sorted(t for t in wanted if t not in present)
    missing_columns = sorted(
        f"{table}.{column}"
        for table, columns in wanted.items()
        if table in present
        for column in columns - present[table]
    )
    return SchemaReport(
        line=profile.line,
        missing_tables=tuple(missing_tables),
        missing_columns=tuple(missing_columns),
        missing_sequences=tuple(
            sorted(s for s in set(profile.sequences.values()) if s not in sequences)
        ),
        unlocked_tables=tuple(
            t
            for t in WRITTEN_TABLES
            if profile.version_column not in present.get(t, set())
        ),
        companion_missing=not companion,
        unavailable=_unavailable(present),
    )


def _unavailable(present: Mapping[str, set[str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for feature, tables in OPTIONAL_FEATURES.items():
        missing = sorted(
            problem
            for table, columns in tables.items()
            for problem in (
                [f"table {table}"]
                if table not in present
                else [f"column {table}.{c}" for c in columns - present[table]]
            )
        )
        if missing:
            found[feature] = tuple(missing)
    return found


def check_schema(connection: sa.Connection, profile: LegacyProfile) -> SchemaReport:
    """:func:`inspect_schema`, raising when the profile's map does not resolve."""
    report = inspect_schema(connection, profile)
    if not report.ok:
        problems = report.problems()
        msg = (
            f"the database does not match the GSAN {profile.line} line profile "
            f"({len(problems)} problem{'' if len(problems) == 1 else 's'}): "
            + "; ".join(problems)
        )
        raise ConfigurationError(msg, kind="schema")
    return report
