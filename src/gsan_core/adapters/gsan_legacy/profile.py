"""The legacy profile: what differs between GSAN databases the adapter runs on.

A :class:`LegacyProfile` names the GSAN *line* (the fork the utility runs:
COSANPA's ``prodigasistemas/gsan``, CAEMA, CAGEPA, Consenso), the time zone of
GSAN's naive local timestamps, the 1/2 flag convention, defaults for GSAN's
NOT NULL columns the library has no value for, the sequence of each id kind,
the GSAN table of each catalogue kind, and per-line column overrides.

The entity maps (:data:`ENTITY_MAPS`) say which GSAN table and columns hold each
field of an aggregate; a field with no GSAN column lives in the companion schema
(:data:`COMPANION_FIELDS`) unless the line's override maps it to a column the
fork added (CAEMA keeps a sewer connection's service request in
``ligacao_esgoto.rgat_id``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs

from gsan_core.errors import ConfigurationError
from gsan_core.model.kinds import kinds_by_name
from gsan_core.model.profile import UtilityProfile

__all__ = [
    "COMPANION_FIELDS",
    "ENTITY_MAPS",
    "LINES",
    "READ_ONLY_CATALOG_TABLES",
    "EntityMap",
    "LegacyProfile",
    "Line",
    "catalog_attribute_problems",
    "catalog_sequence",
]

Line = Literal["cosanpa", "caema", "cagepa", "consenso"]
#: The GSAN lines and the repository each one's mappings come from.
LINES: Mapping[str, str] = MappingProxyType(
    {
        "cosanpa": "prodigasistemas/gsan",
        "caema": "prodigasistemas/gsan-caema",
        "cagepa": "Procenge/GSAN-CAGEPA",
        "consenso": "consensotec/gsan",
    }
)


@attrs.frozen(kw_only=True)
class EntityMap:
    """Where one aggregate lives in GSAN: table, key, last-change stamp, fields."""

    table: str
    key: str
    #: ``*_tmultimaalteracao``: bumped by every library write.
    stamp: str
    #: field -> column (every field the GSAN table holds; ``version`` excluded).
    columns: Mapping[str, str]
    #: Fields kept as GSAN 1/2 flags (1 = yes, 2 = no).
    flags: frozenset[str] = frozenset()
    #: Fields stored in ``char(n)`` columns (padding stripped on read).
    padded: frozenset[str] = frozenset()

    @property
    def schema(self) -> str:
        return self.table.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.table.split(".", 1)[1]


_WATER = EntityMap(
    table="atendimentopublico.ligacao_agua",
    key="lagu_id",
    stamp="lagu_tmultimaalteracao",
    columns={
        "id": "lagu_id",
        "connected_on": "lagu_dtligacaoagua",
        "implanted_on": "lagu_dtimplantacao",
        "diameter_id": "lagd_id",
        "material_id": "lagm_id",
        "profile_id": "lapf_id",
        "branch_location_id": "rlin_id",
        "origin_id": "lgor_id",
        "seal_number": "lagu_nnlacre",
        "street_pavement_id": "prua_id",
        "sidewalk_pavement_id": "pcal_id",
        "branch_depth": "lagu_profundidade_ramal",
        "branch_distance": "lagu_dist_inst_ramal",
        "minimum_consumption": "lagu_nnconsumominimoagua",
        "cut_on": "lagu_dtcorte",
        "cut_seal": "lagu_nnselocorte",
        "cut_type_id": "cotp_id",
        "cut_reason_id": "mtco_id",
        "administrative_cut_on": "lagu_dtcorteadministrativo",
        "reconnected_on": "lagu_dtreligacaoagua",
        "suppressed_on": "lagu_dtsupressaoagua",
        "suppression_seal": "lagu_nnselosupressao",
        "suppression_type_id": "stip_id",
        "suppression_reason_id": "spmt_id",
        "restored_on": "lagu_dtrestabelecimentoagua",
    },
)
_SEWER = EntityMap(
    table="atendimentopublico.ligacao_esgoto",
    key="lesg_id",
    stamp="lesg_tmultimaalteracao",
    columns={
        "id": "lesg_id",
        "connected_on": "lesg_dtligacao",
        "diameter_id": "legd_id",
        "material_id": "legm_id",
        "profile_id": "lepf_id",
        "collection_percentage": "lesg_pccoleta",
        "sewer_percentage": "lesg_pcesgoto",
        "grease_trap": "lesg_iccaixagordura",
        "connection_indicator": "lesg_icligacaoesgoto",
        "minimum_volume": "lesg_nnconsumominimoesgoto",
        "drainage_id": "lees_id",
        "waste_destination_id": "ledd_id",
        "inspection_box_id": "leci_id",
        "rainwater_destination_id": "leda_id",
        "origin_id": "lgor_id",
    },
    flags=frozenset({"grease_trap", "connection_indicator"}),
)
_METER = EntityMap(
    table="micromedicao.hidrometro",
    key="hidr_id",
    stamp="hidr_tmultimaalteracao",
    columns={
        "id": "hidr_id",
        "number": "hidr_nnhidrometro",
        "acquired_on": "hidr_dtaquisicao",
        "manufacture_year": "hidr_nnanofabricacao",
        "purpose": "hidr_icmacro",
        "reading_digits": "hidr_nndigitosleitura",
        "type_id": "hitp_id",
        "situation_id": "hist_id",
        "brand_id": "himc_id",
        "capacity_id": "hicp_id",
        "diameter_id": "hidm_id",
        "metrological_class_id": "hicm_id",
        "register_id": "hire_id",
        "location_id": "hila_id",
        "last_revision_on": "hidr_dtultimarevisao",
        "written_off_on": "hidr_dtbaixa",
        "write_off_reason_id": "himb_id",
        "accumulated_reading": "hidr_nnleituraacumulada",
        "transition_flow": "hidr_vztransicao",
        "nominal_flow": "hidr_vznominal",
        "minimum_flow": "hidr_vzminima",
        "invoice_number": "hidr_nnnotafiscal",
        "warranty_years": "hidr_nntempogarantia",
    },
)
#: The property columns the library reads and the two situations it writes.
_PROPERTY = EntityMap(
    table="cadastro.imovel",
    key="imov_id",
    stamp="imov_tmultimaalteracao",
    columns={
        "id": "imov_id",
        "locality_id": "loca_id",
        "sector_id": "stcm_id",
        "block_id": "qdra_id",
        "block_face": "qdfa_id",
        "profile_id": "iper_id",
        "water_status_id": "last_id",
        "sewer_status_id": "lest_id",
        "consumption_tariff_id": "cstf_id",
        "well_type_id": "poco_id",
        "active": "imov_icexclusao",
    },
)

#: entity -> its GSAN table and columns on the COSANPA line.
ENTITY_MAPS: Mapping[str, EntityMap] = MappingProxyType(
    {
        "water_connection": _WATER,
        "sewer_connection": _SEWER,
        "hydrometer": _METER,
        "property": _PROPERTY,
    }
)
#: entity -> fields GSAN does not store (kept in the companion schema).
COMPANION_FIELDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "sewer_connection": ("previous_status_id", "request_id"),
        "hydrometer": ("turbine_type_id",),
    }
)

#: Per line: entity -> field -> the fork's own column (from the lines' mappings,
#: ``fork-column-drift.csv``): the field leaves the companion schema for it.
_LINE_COLUMNS: Mapping[str, Mapping[str, Mapping[str, str]]] = {
    "cosanpa": {},
    "caema": {"sewer_connection": {"request_id": "rgat_id"}},
    "cagepa": {},
    "consenso": {},
}
#: Per line: columns the fork's own screens need on the tables the adapter
#: writes (checked at start-up, never written by the library).
_LINE_REQUIRED: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "cosanpa": {},
    "caema": {
        "atendimentopublico.ligacao_agua": ("lagu_icpermanenciahidrometro",),
        "atendimentopublico.ligacao_esgoto": ("rgat_id",),
    },
    "cagepa": {
        "atendimentopublico.ligacao_agua": (
            "lagu_idfunccorte",
            "lagu_idfuncligacaoagua",
        ),
    },
    "consenso": {
        "atendimentopublico.ligacao_esgoto": (
            "lesg_dtcorte",
            "lesg_dtreligacaoesgoto",
            "lesg_dtrestabelecimento",
            "lesg_dtsupressaoesgoto",
            "mtco_id",
            "spmt_id",
        ),
    },
}


def catalog_sequence(table: str) -> str:
    """GSAN's sequence of a reference table (``schema.seq_<table>``)."""
    schema, name = table.split(".", 1)
    return f"{schema}.seq_{name}"


_CATALOG_TABLES: Mapping[str, str] = {
    "water_status": "atendimentopublico.ligacao_agua_situacao",
    "sewer_status": "atendimentopublico.ligacao_esgoto_situacao",
    "water_diameter": "atendimentopublico.ligacao_agua_diametro",
    "water_material": "atendimentopublico.ligacao_agua_material",
    "water_profile": "atendimentopublico.ligacao_agua_perfil",
    "sewer_diameter": "atendimentopublico.ligacao_esgoto_diametro",
    "sewer_material": "atendimentopublico.ligacao_esgoto_material",
    "sewer_profile": "atendimentopublico.ligacao_esgoto_perfil",
    "cut_type": "atendimentopublico.corte_tipo",
    "cut_reason": "atendimentopublico.motivo_corte",
    "suppression_type": "atendimentopublico.supressao_tipo",
    "suppression_reason": "atendimentopublico.supressao_motivo",
    "hydrometer_situation": "micromedicao.hidrometro_situacao",
    "hydrometer_brand": "micromedicao.hidrometro_marca",
    "hydrometer_capacity": "micromedicao.hidrometro_capacidade",
    "hydrometer_diameter": "micromedicao.hidrometro_diametro",
    "hydrometer_type": "micromedicao.hidrometro_tipo",
    "stock_location": "micromedicao.hidrometro_local_armaz",
    # the kinds the meter services read (stock entry, movement, installation)
    "hydrometer_stock_location": "micromedicao.hidrometro_local_armaz",
    "hydrometer_metrological_class": "micromedicao.hidrometro_classe_metrlg",
    "hydrometer_register": "micromedicao.hidrometro_relojoaria",
    "hydrometer_movement_reason": "micromedicao.hidrometro_motivo_movim",
    "hydrometer_write_off_reason": "micromedicao.hidrometro_motivo_baixa",
    "hydrometer_installation_place": "micromedicao.hidrometro_local_inst",
    "hydrometer_protection": "micromedicao.hidrometro_protecao",
    "service_type": "atendimentopublico.servico_tipo",
    "property_profile": "cadastro.imovel_perfil",
}
#: Catalogue kinds the services read and the adapter never writes (so they
#: need no sequence): the consumption tariffs are billing's.
READ_ONLY_CATALOG_TABLES: Mapping[str, str] = MappingProxyType(
    {"consumption_tariff": "faturamento.consumo_tarifa"}
)
#: catalogue kind -> attribute -> column of its GSAN table (the typed columns a
#: reference table adds to id, description, abbreviation and ``*_icuso``): the
#: one mapping the catalogue's reads (the rules' attributes) and writes use. A
#: ``bool`` attribute of the kind is a GSAN 1/2 flag.
_CATALOG_ATTRIBUTES: Mapping[str, Mapping[str, str]] = {
    "sewer_profile": {
        "sewer_percentage": "lepf_pcesgoto",
        "main": "lepf_icprincipal",
    },
    # what the meter and connection rules read: a brand's and a capacity's
    # letter, a capacity's reading digits, a workshop stock location, a lost
    # meter's situation, a situation with a connection
    "hydrometer_brand": {"code": "himc_cdhidrometromarca"},
    "hydrometer_capacity": {
        "code": "hicp_cdhidrometrocapacidade",
        "min_digits": "hicp_nndigitosleituraminimo",
        "max_digits": "hicp_nndigitosleituramaximo",
    },
    "hydrometer_stock_location": {"workshop": "hila_icoficina"},
    "hydrometer_situation": {"lost": "hist_ichidrometroextraviado"},
    "water_status": {"connection_exists": "last_icexistencialigacao"},
    "sewer_status": {"connection_exists": "lest_icexistencialigacao"},
}
_SEQUENCES: Mapping[str, str] = {
    # the catalogue's ids: ``catalog.<kind>`` from the table's own sequence
    **{
        f"catalog.{kind}": catalog_sequence(table)
        for kind, table in _CATALOG_TABLES.items()
    },
    "property": "cadastro.seq_imovel",
    "hydrometer": "micromedicao.seq_hidrometro",
    "hydrometer_installation": "micromedicao.seq_hidrometro_inst_hist",
    "hydrometer_movement": "micromedicao.seq_hidrometro_movimentacao",
    "service_order": "atendimentopublico.seq_ordem_servico",
    "order_unit": "atendimentopublico.seq_ordem_servico_unidade",
    "service_request": "atendimentopublico.seq_registro_atendimento",
    "routing_step": "atendimentopublico.seq_tramite",
    "user": "seguranca.seq_usuario",
    "unit": "cadastro.seq_unidade_organizacional",
    "locality": "cadastro.seq_localidade",
    "sector": "cadastro.seq_setor_comercial",
    "block": "cadastro.seq_quadra",
    "route": "micromedicao.seq_rota",
}
#: Per line: the longest text of the fields the adapter writes, where GSAN's
#: column is narrower than the library's own (``hidr_nnhidrometro`` is
#: ``varchar(11)``, the library's meter number 12).
_COSANPA_LENGTHS: Mapping[str, int] = {"number": 11, "seal_number": 10}
_LINE_LENGTHS: Mapping[str, Mapping[str, int]] = {
    "cosanpa": _COSANPA_LENGTHS,
    "caema": _COSANPA_LENGTHS,
    "cagepa": _COSANPA_LENGTHS,
    "consenso": _COSANPA_LENGTHS,
}
_NOT_NULL_DEFAULTS: Mapping[str, Mapping[str, Any]] = {
    # GSAN's screens show a meter as "not operational" unless told otherwise.
    "micromedicao.hidrometro": {"hidr_icoperacional": 2},
    "atendimentopublico.ligacao_esgoto": {"lesg_icligacaoesgoto": 2},
    # an order whose type has no priority (GSAN's priority ids: the utility's)
    "atendimentopublico.ordem_servico": {"stpr_idoriginal": 1, "stpr_idatual": 1},
    # a property the library registers: no lot, sub-lot nor house number, not
    # a condominium, no automatic debit, the first tariff (GSAN's screen asks)
    "cadastro.imovel": {
        "imov_nnlote": 0,
        "imov_nnsublote": 0,
        "imov_nnimovel": "0",
        "imov_icimovelcondominio": 2,
        "imov_icdebitoconta": 2,
        "cstf_id": 1,
    },
    # a unit or user the library registers: the first company; a user's
    # type, scope and default report, without GSAN's welcome message
    "cadastro.unidade_organizacional": {"empr_id": 1},
    "seguranca.usuario": {
        "utip_id": 1,
        "usab_id": 1,
        "empr_id": 1,
        "usur_ictiporelatoriopadrao": 1,
        "usur_icexibemensagem": 2,
    },
    # a location the library registers: the first regional management and
    # business unit; a route's first reading type and company
    "cadastro.localidade": {"greg_id": 1, "uneg_id": 1},
    "cadastro.setor_comercial": {"muni_id": 1},
    "micromedicao.rota": {"lttp_id": 1, "empr_id": 1},
    # the seeding port's bills and slips: no check digit, no sewer share, the
    # first tariff, financing type and accounting item (a property without a
    # tariff takes ``cstf_id``; a slip without a debit type ``dbtp_id``)
    "faturamento.conta": {
        "cnta_dgverificadorconta": 0,
        "cnta_pcesgoto": 0,
        "cstf_id": 1,
    },
    "faturamento.guia_pagamento": {"fntp_id": 1, "lict_id": 1, "dbtp_id": 1},
    # charges and credits: the first financing type, accounting item,
    # collection form, debit type, credit type and credit origin
    "faturamento.debito_a_cobrar": {
        "fntp_id": 1,
        "lict_id": 1,
        "cbfm_id": 1,
        "dbtp_id": 1,
    },
    "faturamento.credito_a_realizar": {"lict_id": 1, "crti_id": 1, "crog_id": 1},
}


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def _frozen_nested(
    mapping: Mapping[str, Mapping[str, str]],
) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({k: _frozen(v) for k, v in mapping.items()})


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_KINDS = kinds_by_name()


def catalog_attribute_problems(
    attributes: Mapping[str, Mapping[str, str]],
) -> list[str]:
    """What is wrong with a catalogue-attribute mapping, one line a problem:
    a kind the library does not know, an attribute the kind does not
    declare, a column that is not a plain SQL name, a column mapped twice in
    one kind. (A kind the profile has no table for is not read: its
    attributes are unused, and the start-up check asks nothing of them.)"""
    problems: list[str] = []
    for kind, columns in attributes.items():
        spec = _KINDS.get(kind)
        if spec is None:
            problems.append(f"unknown catalogue kind {kind!r}")
            continue
        for name, column in columns.items():
            if spec.attribute(name) is None:
                problems.append(f"{kind!r} has no attribute {name!r}")
            if not _IDENTIFIER.fullmatch(column):
                problems.append(f"{kind}.{name}: {column!r} is not a column name")
        twice = Counter(columns.values())
        problems += [
            f"{kind}: column {c!r} is mapped twice"
            for c, n in sorted(twice.items())
            if n > 1
        ]
    return problems


@attrs.frozen(kw_only=True)
class LegacyProfile:
    """How the adapter reads one utility's GSAN database.

    Build one with :meth:`for_line`; every mapping can be replaced with
    ``attrs.evolve`` (a utility that renamed a sequence, a time zone).
    """

    line: str = attrs.field(default="cosanpa")
    #: GSAN stores naive local timestamps; this is their zone.
    time_zone: str = "America/Belem"
    #: GSAN's flag convention: 1 = yes, 2 = no.
    flag_true: int = 1
    flag_false: int = 2
    #: table -> column -> value for NOT NULL columns the library has no value for.
    not_null_defaults: Mapping[str, Mapping[str, Any]] = attrs.field(
        factory=lambda: _frozen(_NOT_NULL_DEFAULTS), converter=_frozen
    )
    #: id kind -> ``schema.sequence``.
    sequences: Mapping[str, str] = attrs.field(
        factory=lambda: _frozen(_SEQUENCES), converter=_frozen
    )
    #: catalogue kind -> ``schema.table``.
    catalog_tables: Mapping[str, str] = attrs.field(
        factory=lambda: _frozen(_CATALOG_TABLES), converter=_frozen
    )
    #: catalogue kind -> attribute -> column: the one mapping of the typed
    #: columns of GSAN's reference tables, which the catalogue reads (the
    #: rules' attributes: a brand's letter, a workshop location) and writes
    #: (an attribute without a column is refused on write). Checked when the
    #: profile is built (``configuration.profile``); the start-up check lists
    #: a mapped column the database lacks.
    catalog_attributes: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=lambda: _frozen_nested(_CATALOG_ATTRIBUTES), converter=_frozen_nested
    )
    #: entity -> field -> column of this line (on top of :data:`ENTITY_MAPS`).
    column_overrides: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=_frozen
    )
    #: table -> columns this line's own screens need (checked, never written).
    required_columns: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=_frozen
    )
    #: The situation a stock movement GSAN wrote is read with (GSAN does not
    #: store it; the library's own movements keep theirs): DISPONIVEL.
    movement_situation_id: int = 3
    #: The situations (``dcst_idatual``) of an open item in GSAN's billing
    #: tables (ODB-01): NORMAL, RETIFICADA, INCLUIDA, PARCELADA.
    open_bill_situations: tuple[int, ...] = (0, 1, 2, 5)
    #: The situation the seeding port's ``settle`` puts items in: GSAN's
    #: ``DebitoCreditoSituacao.PAGA`` (13 on COSANPA's line; 8 on older
    #: forks, where 8 is also DEBITO_PRESCRITO).
    settled_situation: int = 13
    #: field -> the longest text GSAN's column takes, where it is narrower
    #: than the library's (:meth:`narrow` puts them in a utility profile).
    text_lengths: Mapping[str, int] = attrs.field(
        factory=lambda: _frozen(_COSANPA_LENGTHS), converter=_frozen
    )
    #: The companion schema (outbox, history, extra fields, its version table).
    companion_schema: str = "gsan_core"
    #: The optimistic-locking column the opt-in migration adds to written tables.
    version_column: str = "gsan_core_version"

    @line.validator
    def _known_line(self, _: object, value: str) -> None:
        if value not in LINES:
            msg = f"unknown GSAN line {value!r}; one of {', '.join(LINES)}"
            raise ConfigurationError(msg, field="line", kind="profile")

    @catalog_attributes.validator
    def _known_attributes(
        self, _: object, value: Mapping[str, Mapping[str, str]]
    ) -> None:
        problems = catalog_attribute_problems(value)
        if problems:
            msg = "invalid catalogue attributes: " + "; ".join(problems)
            raise ConfigurationError(msg, field="catalog_attributes", kind="profile")

    def catalog_table(self, kind: str) -> str | None:
        """The GSAN table of a catalogue kind (written or read-only)."""
        return self.catalog_tables.get(kind) or READ_ONLY_CATALOG_TABLES.get(kind)

    def catalog_columns(self) -> Mapping[str, frozenset[str]]:
        """GSAN table -> the attribute columns mapped on it (for the
        start-up check)."""
        found: dict[str, set[str]] = {}
        for kind, columns in self.catalog_attributes.items():
            table = self.catalog_table(kind)
            if table is not None:
                found.setdefault(table, set()).update(columns.values())
        return {table: frozenset(columns) for table, columns in found.items()}

    @classmethod
    def for_line(cls, line: str = "cosanpa", **changes: Any) -> LegacyProfile:
        """The profile of a GSAN line, with that line's column overrides."""
        if line not in LINES:
            msg = f"unknown GSAN line {line!r}; one of {', '.join(LINES)}"
            raise ConfigurationError(msg, field="line", kind="profile")
        changes.setdefault("column_overrides", _LINE_COLUMNS[line])
        changes.setdefault("required_columns", _LINE_REQUIRED[line])
        changes.setdefault("text_lengths", _LINE_LENGTHS[line])
        return cls(line=line, **changes)

    def narrow(self, profile: UtilityProfile) -> UtilityProfile:
        """``profile`` with this line's text lengths where they are narrower,
        so the services refuse, where input enters, text GSAN's columns
        would not take (the narrowest of both wins)."""
        lengths = dict(profile.text_lengths)
        for name, length in self.text_lengths.items():
            current = profile.text_length(name)
            if current is None or length < current:
                lengths[name] = length
        return attrs.evolve(profile, text_lengths=lengths)

    def entity(self, name: str) -> EntityMap:
        """The entity's map on this line (overrides applied)."""
        base = ENTITY_MAPS[name]
        extra = self.column_overrides.get(name)
        if not extra:
            return base
        return attrs.evolve(base, columns={**base.columns, **extra})

    def companion_fields(self, name: str) -> tuple[str, ...]:
        """The entity's fields kept in the companion schema on this line."""
        mapped = self.entity(name).columns
        return tuple(f for f in COMPANION_FIELDS.get(name, ()) if f not in mapped)

    def has_sequence(self, kind: str) -> bool:
        """Whether ids of ``kind`` come from a GSAN sequence."""
        return kind in self.sequences or (
            kind.startswith("catalog.")
            and kind.removeprefix("catalog.") in self.catalog_tables
        )

    def sequence(self, kind: str) -> str:
        """The GSAN sequence ids of ``kind`` come from (a catalogue kind,
        ``catalog.<kind>``, not in :attr:`sequences`: its table's own)."""
        try:
            return self.sequences[kind]
        except KeyError:
            table = self.catalog_tables.get(kind.removeprefix("catalog."))
            if kind.startswith("catalog.") and table is not None:
                return catalog_sequence(table)
            msg = f"no GSAN sequence for id kind {kind!r} in the legacy profile"
            raise ConfigurationError(msg, field="sequences", kind="profile") from None
