"""Helpers of the legacy-adapter tests: load GSAN's DDL, seed rows FK-first."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile, check_schema
from gsan_core.errors import ConfigurationError
from gsan_core.model.catalog import CatalogItem

#: Where GSAN's DDL subset is (``.ci/run`` sets the variable).
LEGACY_DDL = Path(os.environ.get("GSAN_CORE_LEGACY_DDL", "/work/shared/legacy-ddl"))


def ddl_files(folder: Path = LEGACY_DDL) -> list[Path]:
    """The DDL files in load order (``00-`` ... ``50-``)."""
    return sorted(p for p in folder.glob("[0-9]*.sql"))


def load_ddl(engine: sa.Engine, folder: Path = LEGACY_DDL) -> None:
    """Run every DDL file, in order, in one transaction."""
    with engine.begin() as connection:
        # the driver's own connection: no parameters, so no '%' placeholders
        raw: Any = connection.connection.driver_connection
        for path in ddl_files(folder):
            raw.execute(path.read_text(encoding="utf-8"))


_NOT_NULL = sa.text(
    "SELECT column_name, data_type, column_default FROM information_schema.columns"
    " WHERE table_schema = :s AND table_name = :t"
    " AND (is_nullable = 'NO' OR column_default IS NOT NULL)"
)
_FOREIGN = sa.text(
    "SELECT a.attname, c.confrelid::regclass::text, af.attname"
    " FROM pg_constraint c"
    " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
    " JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]"
    " WHERE c.contype = 'f' AND c.conrelid = CAST(:t AS regclass)"
    " AND array_length(c.conkey, 1) = 1"
)


def _filler(data_type: str) -> Any:
    if data_type in {"integer", "smallint", "bigint", "numeric"}:
        return 1
    if data_type == "date":
        return date(2020, 1, 1)
    if data_type.startswith("timestamp"):
        return datetime(2020, 1, 1)  # noqa: DTZ001 - GSAN's stamps are naive
    if data_type == "boolean":
        return True
    return "x"


def ensure_row(
    connection: sa.Connection,
    table: str,
    values: dict[str, Any],
    _seen: set[tuple[str, Any]] | None = None,
) -> None:
    """Insert a row of ``table`` with ``values`` (unless its key exists), first
    inserting the rows its foreign keys point to; NOT NULL columns without a
    value get a filler (1, 'x', a date), GSAN's 1/2 flags included."""
    seen = _seen if _seen is not None else set()
    mark = (table, tuple(sorted(values.items())))
    if mark in seen:
        return
    seen.add(mark)
    schema, name = table.split(".")
    row = dict(values)
    for column, data_type, default in connection.execute(
        _NOT_NULL, {"s": schema, "t": name}
    ):
        if default is None:
            row.setdefault(column, _filler(data_type))
        elif default.isdigit():  # a defaulted key (icte_id DEFAULT 2) needs its row
            row.setdefault(column, int(default))
    for column, parent, parent_column in connection.execute(_FOREIGN, {"t": table}):
        if row.get(column) is not None and parent != table:
            ensure_row(connection, parent, {parent_column: row[column]}, seen)
    names = ", ".join(row)
    params = ", ".join(f":{k}" for k in row)
    connection.execute(
        sa.text(
            f"INSERT INTO {table} ({names}) VALUES ({params}) ON CONFLICT DO NOTHING"
        ),
        row,
    )


def seed_property(
    connection: sa.Connection, property_id: int, *, water: int = 3, sewer: int = 1
) -> None:
    """A GSAN property with one residential economy and its situations."""
    ensure_row(
        connection,
        "cadastro.imovel",
        {
            "imov_id": property_id,
            "loca_id": 1,
            "stcm_id": 1,
            "qdra_id": 1,
            "last_id": water,
            "lest_id": sewer,
            "iper_id": 1,
            "imov_icexclusao": 2,
        },
    )
    ensure_row(connection, "cadastro.categoria", {"catg_id": 1})
    ensure_row(connection, "cadastro.subcategoria", {"scat_id": 10, "catg_id": 1})
    ensure_row(
        connection,
        "cadastro.imovel_subcategoria",
        {"imov_id": property_id, "scat_id": 10, "imsb_qteconomia": 2},
    )


def seed_reference(connection: sa.Connection) -> None:
    """The catalogue rows the tests' connections and meters point to."""
    for table, key, ids in (
        ("atendimentopublico.ligacao_agua_situacao", "last_id", range(1, 10)),
        ("atendimentopublico.ligacao_esgoto_situacao", "lest_id", range(1, 10)),
        ("atendimentopublico.ligacao_agua_diametro", "lagd_id", (1, 2)),
        ("atendimentopublico.ligacao_agua_material", "lagm_id", (1, 2)),
        ("atendimentopublico.ligacao_agua_perfil", "lapf_id", (1, 2)),
        ("atendimentopublico.ligacao_esgoto_diametro", "legd_id", (1, 2)),
        ("atendimentopublico.ligacao_esgoto_material", "legm_id", (1, 2)),
        ("atendimentopublico.ligacao_esgoto_perfil", "lepf_id", (1, 2)),
        ("atendimentopublico.corte_tipo", "cotp_id", (1, 2)),
        ("atendimentopublico.motivo_corte", "mtco_id", (1, 2)),
        ("micromedicao.hidrometro_situacao", "hist_id", (1, 2, 3, 4)),
        ("micromedicao.hidrometro_marca", "himc_id", (1, 10)),
        ("micromedicao.hidrometro_capacidade", "hicp_id", (1, 5)),
        ("micromedicao.hidrometro_diametro", "hidm_id", (1, 13)),
        ("micromedicao.hidrometro_tipo", "hitp_id", (1,)),
        ("micromedicao.hidrometro_classe_metrlg", "hicm_id", (1, 2)),
        ("micromedicao.hidrometro_local_armaz", "hila_id", (1, 2, 3)),
        # the meter history: points, places, protections, reasons, users
        ("micromedicao.medicao_tipo", "medt_id", (1, 2)),
        ("micromedicao.hidrometro_local_inst", "hili_id", (1, 2)),
        ("micromedicao.hidrometro_protecao", "hipr_id", (1, 6)),
        ("micromedicao.hidrometro_motivo_movim", "himm_id", (1, 2)),
    ):
        for ident in ids:
            ensure_row(connection, table, {key: ident})
    for ident in range(1, 6):  # users: the login is unique
        ensure_row(
            connection,
            "seguranca.usuario",
            {"usur_id": ident, "usur_nmlogin": f"user{ident}"},
        )


def seed_water_connection(connection: sa.Connection, property_id: int) -> None:
    """GSAN's water connection row of a seeded property (a meter installed on
    the connection names it: ``hidrometro_inst_hist.lagu_id``)."""
    ensure_row(connection, "atendimentopublico.ligacao_agua", {"lagu_id": property_id})


def ensure_default_parents(connection: sa.Connection, table: str) -> None:
    """The rows the defaulted foreign keys of ``table`` point to (``imovel``'s
    ``icte_id DEFAULT 2``, ``siac_id DEFAULT 0``): what a row written without
    those columns needs."""
    schema, name = table.split(".")
    defaults = {
        column: int(default)
        for column, _, default in connection.execute(
            _NOT_NULL, {"s": schema, "t": name}
        )
        if default is not None and default.isdigit()
    }
    for column, parent, parent_column in connection.execute(_FOREIGN, {"t": table}):
        if column in defaults and parent != table:
            ensure_row(connection, parent, {parent_column: defaults[column]})


def schema_error(
    engine: sa.Engine, *statements: str, profile: LegacyProfile | None = None
) -> ConfigurationError:
    """Change GSAN's schema with ``statements``, then run the start-up check:
    the error it raises."""
    with engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    with engine.connect() as connection, pytest.raises(ConfigurationError) as caught:
        check_schema(connection, profile or LegacyProfile())
    return caught.value


def add_catalog(backend: LegacyBackend, *items: CatalogItem) -> None:
    """Add catalogue rows in one committed unit of work."""
    with backend.uow_factory() as uow:
        uow.catalog.add_many(items)
        uow.commit()
