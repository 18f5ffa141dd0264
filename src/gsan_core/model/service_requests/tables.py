"""The area's reference tables (catalog kinds)."""

from __future__ import annotations

from gsan_core.model.catalog import AttributeSpec, CatalogKind, Reference

# ---------------------------------------------------------------- reference tables
_REQUEST = "service_request"

REQUEST_TYPE_GROUP = CatalogKind(
    name="request_type_group",
    title="Request type group",
    title_pt="Grupo do Tipo de Solicitação",
    gsan_table="atendimentopublico.solicitacao_tipo_grupo",
    attributes=(
        AttributeSpec(
            name="sewer",
            type="bool",
            required=True,
            default=False,
            doc="sotg_icesgoto: the group's types refer to the sewer area",
        ),
    ),
    referenced_by=(Reference("locality_group_unit", "group_id"),),
)
REQUEST_TYPE = CatalogKind(
    name="request_type",
    title="Request type",
    title_pt="Tipo de Solicitação",
    gsan_table="atendimentopublico.solicitacao_tipo",
    duplicate_gsan_key="atencao.tipo.solicitacao.ja.existe",
    attributes=(
        AttributeSpec(
            name="group_id",
            type="ref",
            ref="request_type_group",
            required=True,
            doc="sotg_id",
        ),
        AttributeSpec(
            name="outage",
            type="bool",
            required=True,
            default=False,
            doc="sotp_icfaltaagua: a water-outage type",
        ),
        AttributeSpec(
            name="social_tariff",
            type="bool",
            required=True,
            default=False,
            doc="sotp_ictarifasocial: a social-tariff type (TRM-04, TRM-07)",
        ),
        AttributeSpec(
            name="system_use",
            type="bool",
            required=True,
            default=False,
            doc="sotp_icusosistema: reserved for the system, not offered to users",
        ),
    ),
    referenced_by=(Reference("request_specification", "request_type_id"),),
)
REQUEST_CHANNEL = CatalogKind(
    name="request_channel",
    title="Request channel",
    title_pt="Meio de Solicitação",
    gsan_table="atendimentopublico.meio_solicitacao",
    referenced_by=(Reference(_REQUEST, "channel_id"),),
)
REACTIVATION_REASON = CatalogKind(
    name="reactivation_reason",
    title="Reactivation reason",
    title_pt="Motivo de Reativação",
    gsan_table="atendimentopublico.ra_motivo_reativacao",
    referenced_by=(Reference(_REQUEST, "reactivation_reason_id"),),
)
REQUEST_MESSAGE = CatalogKind(
    name="request_message",
    title="Automatic message of a specification",
    title_pt="Mensagem Tipo Solicitação Especificação",
    gsan_table="atendimentopublico.solicitacao_tipo_espec_msg",
    description_max_length=120,
    description_unique=False,
    referenced_by=(Reference("request_specification", "message_id"),),
)
SEWER_DIVISION = CatalogKind(
    name="sewer_division",
    title="Sewer division",
    title_pt="Divisão de Esgoto",
    gsan_table="operacional.divisao_esgoto",
    attributes=(
        AttributeSpec(
            name="unit_id",
            type="int",
            required=True,
            min_value=1,
            doc="unid_id: the unit that serves the division",
        ),
    ),
    referenced_by=(
        Reference("block", "sewer_division_id"),
        Reference(_REQUEST, "sewer_division_id"),
    ),
)
STREET_PAVEMENT = CatalogKind(
    name="street_pavement",
    title="Street pavement",
    title_pt="Pavimento de Rua",
    gsan_table="cadastro.pavimento_rua",
)
SIDEWALK_PAVEMENT = CatalogKind(
    name="sidewalk_pavement",
    title="Sidewalk pavement",
    title_pt="Pavimento de Calçada",
    gsan_table="cadastro.pavimento_calcada",
)
OCCURRENCE_TYPE = CatalogKind(
    name="occurrence_type",
    title="Operational occurrence type",
    title_pt="Tipo de Ocorrência Operacional",
    gsan_table="atendimentopublico.ocorrencia_operacional_tipo",
    referenced_by=(Reference("operational_occurrence", "type_id"),),
)
OCCURRENCE_REASON = CatalogKind(
    name="occurrence_reason",
    title="Operational occurrence reason",
    title_pt="Motivo da Ocorrência Operacional",
    gsan_table="atendimentopublico.ocorrencia_operacional_motivo",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="type_id",
            type="ref",
            ref="occurrence_type",
            required=True,
            doc="the occurrence type the reason belongs to",
        ),
    ),
    referenced_by=(Reference("operational_occurrence", "reason_id"),),
)
REGULATOR_COMPLAINT_REASON = CatalogKind(
    name="regulator_complaint_reason",
    title="Regulator complaint reason",
    title_pt="Motivo da Reclamação da Agência Reguladora",
    gsan_table="atendimentopublico.agencia_reguladora_mot_reclamacao",
    referenced_by=(Reference("regulator_record", "complaint_reason_id"),),
)
REGULATOR_RETURN_REASON = CatalogKind(
    name="regulator_return_reason",
    title="Regulator return reason",
    title_pt="Motivo do Retorno à Agência Reguladora",
    gsan_table="atendimentopublico.agencia_reguladora_mot_retorno",
    referenced_by=(Reference("regulator_record", "return_reason_id"),),
)

SERVICE_REQUEST_KINDS: tuple[CatalogKind, ...] = (
    REQUEST_TYPE_GROUP,
    REQUEST_TYPE,
    REQUEST_CHANNEL,
    REACTIVATION_REASON,
    REQUEST_MESSAGE,
    SEWER_DIVISION,
    STREET_PAVEMENT,
    SIDEWALK_PAVEMENT,
    OCCURRENCE_TYPE,
    OCCURRENCE_REASON,
    REGULATOR_COMPLAINT_REASON,
    REGULATOR_RETURN_REASON,
)
