"""The reference tables of the foundation: connections, properties and units.

Each constant is a :class:`~gsan_core.model.catalog.CatalogKind`. Later areas
(service orders, hydrometers, service requests) declare theirs in their own model
modules; :data:`gsan_core.model.kinds.ALL_KINDS` gathers them.
"""

from __future__ import annotations

from gsan_core.model.catalog import AttributeSpec, CatalogKind, Reference

__all__ = ["FOUNDATION_KINDS"]

_PROPERTY_WATER = Reference("property", "water_status_id")
_PROPERTY_SEWER = Reference("property", "sewer_status_id")

WATER_STATUS = CatalogKind(
    name="water_status",
    title="Water connection situation",
    title_pt="Situação de Ligação de Água",
    gsan_table="atendimentopublico.ligacao_agua_situacao",
    description_max_length=20,
    abbreviation_max_length=6,
    attributes=(
        AttributeSpec(
            name="billing",
            type="bool",
            default=False,
            doc="last_icfaturamento: the situation is billed",
        ),
        AttributeSpec(
            name="network_exists",
            type="bool",
            default=False,
            doc="last_icexistenciarede: a water network exists",
        ),
        AttributeSpec(
            name="connection_exists",
            type="bool",
            default=False,
            doc="last_icexistencialigacao: a connection exists",
        ),
        AttributeSpec(
            name="minimum_consumption",
            type="int",
            min_value=0,
            doc="last_nnconsumominimo: minimum billed consumption (m³)",
        ),
    ),
    referenced_by=(_PROPERTY_WATER,),
)

SEWER_STATUS = CatalogKind(
    name="sewer_status",
    title="Sewer connection situation",
    title_pt="Situação de Ligação de Esgoto",
    gsan_table="atendimentopublico.ligacao_esgoto_situacao",
    description_max_length=20,
    abbreviation_max_length=6,
    attributes=(
        AttributeSpec(name="billing", type="bool", default=False),
        AttributeSpec(name="network_exists", type="bool", default=False),
        AttributeSpec(name="connection_exists", type="bool", default=False),
        AttributeSpec(
            name="minimum_volume",
            type="int",
            min_value=0,
            doc="lest_nnvolumeminimo: minimum billed volume (m³)",
        ),
    ),
    referenced_by=(_PROPERTY_SEWER,),
)

CUT_REASON = CatalogKind(
    name="cut_reason",
    title="Cut reason",
    title_pt="Motivo de Corte",
    gsan_table="atendimentopublico.motivo_corte",
    description_max_length=25,
    duplicate_gsan_key="atencao.motivo_corte_ja_cadastrado",
)

CUT_TYPE = CatalogKind(
    name="cut_type",
    title="Cut type",
    title_pt="Tipo de Corte",
    gsan_table="atendimentopublico.corte_tipo",
    description_max_length=30,
    attributes=(
        AttributeSpec(
            name="administrative",
            type="bool",
            required=True,
            default=False,
            doc="cotp_iccorteadministrativo: an administrative (paper) cut",
        ),
    ),
    duplicate_gsan_key="atencao.descricao_ja_existente_tipo_corte",
)

SUPPRESSION_TYPE = CatalogKind(
    name="suppression_type",
    title="Suppression type",
    title_pt="Tipo de Supressão",
    gsan_table="atendimentopublico.supressao_tipo",
    attributes=(
        AttributeSpec(name="total", type="bool", default=False, doc="stip_ictotal"),
        AttributeSpec(name="partial", type="bool", default=False, doc="stip_icparcial"),
    ),
)

SUPPRESSION_REASON = CatalogKind(
    name="suppression_reason",
    title="Suppression reason",
    title_pt="Motivo de Supressão",
    gsan_table="atendimentopublico.supressao_motivo",
)

WATER_DIAMETER = CatalogKind(
    name="water_diameter",
    title="Water connection diameter",
    title_pt="Diâmetro da Ligação de Água",
    gsan_table="atendimentopublico.ligacao_agua_diametro",
)
WATER_MATERIAL = CatalogKind(
    name="water_material",
    title="Water connection material",
    title_pt="Material da Ligação de Água",
    gsan_table="atendimentopublico.ligacao_agua_material",
)
WATER_PROFILE = CatalogKind(
    name="water_profile",
    title="Water connection profile",
    title_pt="Perfil da Ligação de Água",
    gsan_table="atendimentopublico.ligacao_agua_perfil",
)
CONNECTION_ORIGIN = CatalogKind(
    name="connection_origin",
    title="Connection origin",
    title_pt="Ligação de Origem",
    gsan_table="atendimentopublico.ligacao_origem",
    abbreviation_required=True,
)
SEWER_PROFILE = CatalogKind(
    name="sewer_profile",
    title="Sewer connection profile",
    title_pt="Perfil da Ligação de Esgoto",
    gsan_table="atendimentopublico.ligacao_esgoto_perfil",
    attributes=(
        AttributeSpec(
            name="sewer_percentage",
            type="decimal",
            required=True,
            default=None,
            min_value=0,
            max_value=100,
            doc="lepf_pcesgoto: default sewer percentage of consumed water",
        ),
        AttributeSpec(name="main", type="bool", default=False, doc="lepf_icprincipal"),
    ),
    duplicate_gsan_key="atencao.ligacao_esgoto_perfil_ja_cadastrada",
)
SEWER_DIAMETER = CatalogKind(
    name="sewer_diameter",
    title="Sewer connection diameter",
    title_pt="Diâmetro da Ligação de Esgoto",
    gsan_table="atendimentopublico.ligacao_esgoto_diametro",
)
SEWER_MATERIAL = CatalogKind(
    name="sewer_material",
    title="Sewer connection material",
    title_pt="Material da Ligação de Esgoto",
    gsan_table="atendimentopublico.ligacao_esgoto_material",
)
SEWER_INSPECTION_BOX = CatalogKind(
    name="sewer_inspection_box",
    title="Sewer inspection box",
    title_pt="Caixa de Inspeção",
    gsan_table="atendimentopublico.lig_esgoto_caixa_inspec",
)
RAINWATER_DESTINATION = CatalogKind(
    name="rainwater_destination",
    title="Rainwater destination",
    title_pt="Destino de Águas Pluviais",
    gsan_table="atendimentopublico.lig_esgoto_dest_agplv",
)
WASTE_DESTINATION = CatalogKind(
    name="waste_destination",
    title="Waste destination",
    title_pt="Destino de Dejetos",
    gsan_table="atendimentopublico.lig_esgoto_dest_dejetos",
)
SEWER_DRAINAGE = CatalogKind(
    name="sewer_drainage",
    title="Sewer drainage",
    title_pt="Esgotamento",
    gsan_table="atendimentopublico.lig_esgoto_esgotamento",
)
ROOF_TYPE = CatalogKind(
    name="roof_type",
    title="Roof type",
    title_pt="Tipo de Cobertura",
    gsan_table="cadastro.imovel_tipo_cobertura",
)
CONSTRUCTION_TYPE = CatalogKind(
    name="construction_type",
    title="Construction type",
    title_pt="Tipo de Construção",
    gsan_table="cadastro.imovel_tipo_construcao",
)
DWELLING_TYPE = CatalogKind(
    name="dwelling_type",
    title="Dwelling type",
    title_pt="Tipo de Habitação",
    gsan_table="cadastro.imovel_tipo_habitacao",
)
OWNERSHIP_TYPE = CatalogKind(
    name="ownership_type",
    title="Ownership type",
    title_pt="Tipo de Propriedade",
    gsan_table="cadastro.imovel_tipo_propriedade",
)
ACTIVITY = CatalogKind(
    name="activity",
    title="Activity",
    title_pt="Atividade",
    gsan_table="atendimentopublico.atividade",
    abbreviation_required=True,
    attributes=(
        AttributeSpec(
            name="single_activity",
            type="bool",
            required=True,
            default=False,
            doc="ativ_icatividadeunica: the default single activity",
        ),
    ),
    duplicate_gsan_key="atencao.atividade_ja_cadastrada",
    referenced_by=(Reference("service_type", "activity_ids"),),
)
SPECIAL_EQUIPMENT = CatalogKind(
    name="special_equipment",
    title="Special equipment",
    title_pt="Equipamento Especial",
    gsan_table="atendimentopublico.equipamentos_especiais",
    abbreviation_required=True,
    duplicate_gsan_key="atencao.descricao_tabela_auxiliar_ja_existente",
    referenced_by=(Reference("team", "equipment_ids"),),
)
PROPERTY_PROFILE = CatalogKind(
    name="property_profile",
    title="Property profile",
    title_pt="Perfil do Imóvel",
    gsan_table="cadastro.imovel_perfil",
    attributes=(
        AttributeSpec(
            name="large_consumer",
            type="bool",
            default=False,
            doc="iper_icgrandeconsumidor",
        ),
        AttributeSpec(
            name="social_tariff",
            type="bool",
            default=False,
            doc="tarifa social (GSAN ImovelPerfil.TARIFA_SOCIAL = 4)",
        ),
    ),
    referenced_by=(Reference("property", "profile_id"),),
)
CONSUMPTION_TARIFF = CatalogKind(
    name="consumption_tariff",
    title="Consumption tariff",
    title_pt="Tarifa de Consumo",
    gsan_table="faturamento.consumo_tarifa",
    attributes=(
        AttributeSpec(
            name="water_profile_id",
            type="ref",
            ref="water_profile",
            doc="lapf_id: the water connection profile the tariff is bound to; a "
            "connection with a profile some tariff is bound to needs one of them "
            "(V-LA7)",
        ),
    ),
    referenced_by=(Reference("property", "consumption_tariff_id"),),
)
CATEGORY = CatalogKind(
    name="category",
    title="Category",
    title_pt="Categoria",
    gsan_table="cadastro.categoria",
    referenced_by=(Reference("property", "categories", key="category_id"),),
)
SUBCATEGORY = CatalogKind(
    name="subcategory",
    title="Subcategory",
    title_pt="Subcategoria",
    gsan_table="cadastro.subcategoria",
    attributes=(
        AttributeSpec(name="category_id", type="ref", ref="category", required=True),
    ),
    referenced_by=(Reference("property", "categories", key="subcategory_id"),),
)
COLLECTION_SITUATION = CatalogKind(
    name="collection_situation",
    title="Collection situation",
    title_pt="Situação de Cobrança",
    gsan_table="cobranca.cobranca_situacao",
    referenced_by=(Reference("property", "collection_situation_ids"),),
)
UNIT_TYPE = CatalogKind(
    name="unit_type",
    title="Organisational unit type",
    title_pt="Tipo de Unidade",
    gsan_table="cadastro.unidade_tipo",
    attributes=(
        AttributeSpec(
            name="code",
            type="str",
            required=True,
            max_length=1,
            doc="untp_cdtipo: C dispatch centre, L locality, G regional management, "
            "T contractor, R repaving, U business unit",
        ),
        AttributeSpec(name="level", type="int", min_value=0, doc="untp_nnnivel"),
    ),
    referenced_by=(Reference("unit", "unit_type_id"),),
)

IDENTITY_ISSUER = CatalogKind(
    name="identity_issuer",
    title="Identity card issuer",
    title_pt="Órgão Expedidor do RG",
    gsan_table="cadastro.orgao_expedidor_rg",
    description_max_length=30,
    abbreviation_max_length=6,
)
FEDERAL_UNIT = CatalogKind(
    name="federal_unit",
    title="Federal unit (state)",
    title_pt="Unidade Federação",
    gsan_table="cadastro.unidade_federacao",
    description_max_length=30,
    abbreviation_max_length=2,
    abbreviation_required=True,
)

FOUNDATION_KINDS: tuple[CatalogKind, ...] = (
    WATER_STATUS,
    SEWER_STATUS,
    CUT_REASON,
    CUT_TYPE,
    SUPPRESSION_TYPE,
    SUPPRESSION_REASON,
    WATER_DIAMETER,
    WATER_MATERIAL,
    WATER_PROFILE,
    CONNECTION_ORIGIN,
    SEWER_PROFILE,
    SEWER_DIAMETER,
    SEWER_MATERIAL,
    SEWER_INSPECTION_BOX,
    RAINWATER_DESTINATION,
    WASTE_DESTINATION,
    SEWER_DRAINAGE,
    ROOF_TYPE,
    CONSTRUCTION_TYPE,
    DWELLING_TYPE,
    OWNERSHIP_TYPE,
    ACTIVITY,
    SPECIAL_EQUIPMENT,
    PROPERTY_PROFILE,
    CONSUMPTION_TARIFF,
    CATEGORY,
    SUBCATEGORY,
    COLLECTION_SITUATION,
    UNIT_TYPE,
    IDENTITY_ISSUER,
    FEDERAL_UNIT,
)
