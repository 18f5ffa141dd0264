"""Inspection (fiscalização) of infractions: the situations an inspector finds,
what each does to the connections and the debts, the findings recorded on an
inspection order (``ordem_servico_fisc_sit``) and the infraction notices
(``autos_infracao``) they issue.

The situations and their effect matrices are reference tables (catalog kinds);
the findings and the notices are entities with their own tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import IntEnum
from typing import Any, ClassVar

import attrs

from gsan_core.model.catalog import AttributeSpec, CatalogKind
from gsan_core.model.events import DomainEvent

__all__ = [
    "INSPECTION_CHARGE",
    "INSPECTION_KINDS",
    "INSPECTION_SEWER_EFFECT",
    "INSPECTION_SITUATION",
    "INSPECTION_WATER_EFFECT",
    "NON_ACCEPTANCE_REASON",
    "ClosedOrderFilter",
    "ClosedOrderRow",
    "ClosedOrderScope",
    "InfractionNotice",
    "InfractionNoticeIssued",
    "InfractionNoticesExpired",
    "InspectedChunk",
    "InspectionFinding",
    "InspectionOrdersGenerated",
    "InspectionReturnInformed",
    "NoticeSituation",
    "OrderAcceptance",
    "OrderAcceptanceRecorded",
    "SituationFound",
]


class NoticeSituation(IntEnum):
    """``auto_infracao_situacao``: where an infraction notice stands."""

    APPEAL_OPEN = 1
    """Em prazo de recurso."""
    APPEAL_EXPIRED = 2
    """Prazo de recurso vencido: the fines were charged."""
    UNDER_REVIEW = 3
    """Recurso em análise / julgamento."""
    UPHELD = 4
    """Julgado procedente."""
    DISMISSED = 5
    """Julgado improcedente."""
    CANCELLED = 6
    """Cancelado."""


@attrs.frozen(kw_only=True)
class SituationFound:
    """One situation the inspector found (an input of the return)."""

    situation_id: int
    found_on: date
    #: Charge the situation's debts (the screen's "gerar débito").
    charge: bool = False


@attrs.frozen(kw_only=True)
class InspectionFinding:
    """``ordem_servico_fisc_sit``: a situation found on an inspection order."""

    id: int
    order_id: int
    situation_id: int
    property_id: int | None
    found_on: date
    #: ``osfs_icdebito``: the situation's debts were charged (FIS-13).
    charged: bool = False
    #: The connection operation the situation ran (``water.cut``...), if any.
    operation: str | None = None
    #: UC0488's "documento entregue" (``indicadorDocumentoEntregue``): 1
    #: solicitação de comparecimento, 2 auto de infração, 3 infração de esgoto,
    #: 4 nenhum (a device's return, record 5); ``None`` when not informed.
    delivered_document: int | None = None
    actor: int
    recorded_at: datetime
    version: int = 1


@attrs.frozen(kw_only=True)
class InfractionNotice:
    """``autos_infracao``: an infraction notice issued from an inspection."""

    id: int
    property_id: int | None
    order_id: int | None
    #: ``fzst_id``: the inspection situation that issued it.
    situation_id: int
    situation: NoticeSituation = NoticeSituation.APPEAL_OPEN
    #: ``func_id``: the employee responsible.
    employee_id: int
    issued_on: date
    appeal_from: date | None = None
    appeal_until: date | None = None
    #: ``dbtp_id``: the fine's debit type.
    debit_type_id: int | None = None
    installments: int = 1
    observation: str | None = None
    #: The fine charged when the appeal expired (``autos_infr_deb_a_cobrar``).
    charge_id: int | None = None
    actor: int
    version: int = 1


@attrs.frozen(kw_only=True)
class ClosedOrderFilter:
    """UC1176's optional filters of the closed orders to inspect: their
    service types, a range of their properties' localities, the collection
    group of their properties' routes, and the gerência regional and unidade
    de negócio of their properties' localities."""

    service_type_ids: frozenset[int] | None = None
    locality_from: int | None = None
    locality_until: int | None = None
    #: ``cbgr_id`` of the property's route (``Route.group_id``).
    collection_group_id: int | None = None
    #: ``greg_id`` of the property's locality.
    regional_management_id: int | None = None
    #: ``uneg_id`` of the property's locality.
    business_unit_id: int | None = None

    @property
    def by_locality(self) -> bool:
        """Whether a locality bound is given."""
        return self.locality_from is not None or self.locality_until is not None

    @property
    def by_locality_row(self) -> bool:
        """Whether the locality's gerência or unidade de negócio is filtered."""
        return (
            self.regional_management_id is not None or self.business_unit_id is not None
        )

    @property
    def by_property(self) -> bool:
        """Whether any filter reads the order's property (or its rows)."""
        return (
            self.by_locality
            or self.by_locality_row
            or self.collection_group_id is not None
        )


def _ids(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{attribute.name} must be timezone-aware")


@attrs.frozen(kw_only=True)
class ClosedOrderScope:
    """The candidates of UC1176, which every query of the inspection batch
    starts from: closed orders with a property, closed since ``closed_since``
    by one of ``unit_ids``, with no open order of one of
    ``inspection_type_ids`` referring to them, kept by ``filters``.

    ``company_id``: the units are those of that contractor as well, found by
    the store's own query (issue 20, ninth round: UC1176's unit read folded
    into its sample's statement); ``unit_ids`` may then be empty."""

    unit_ids: frozenset[int] = attrs.field(converter=_ids)
    closed_since: datetime = attrs.field(validator=_aware)
    inspection_type_ids: frozenset[int] = attrs.field(converter=_ids)
    filters: ClosedOrderFilter | None = None
    company_id: int | None = None


@attrs.frozen(kw_only=True)
class ClosedOrderRow:
    """A closed order the inspection batch (UC1176) may inspect."""

    order_id: int
    property_id: int
    unit_id: int | None
    closing_reason_id: int | None


@attrs.frozen(kw_only=True)
class InspectedChunk:
    """What one chunk of the inspection batch (UC1176) did: how many
    candidates it scanned, the highest of their ids (the next chunk starts
    above it), the new inspection orders' ids (consecutive) and the orders
    they inspect, in the same order."""

    scanned: int
    last_id: int
    order_ids: tuple[int, ...] = ()
    referenced_ids: tuple[int, ...] = ()


@attrs.frozen(kw_only=True)
class OrderAcceptance:
    """The inspection of a contractor's executed order (FIS-14): accepted,
    accepted with a reservation (a non-acceptance reason and observation), or
    not accepted (the reason says why; the contractor's bulletin penalises it)."""

    id: int
    order_id: int
    accepted: bool
    #: ``osna_id``: the non-acceptance reason (a reservation or the refusal).
    reason_id: int | None = None
    observation: str | None = None
    actor: int
    at: datetime
    version: int = 1


# ---------------------------------------------------------------- events
@attrs.frozen(kw_only=True)
class OrderAcceptanceRecorded(DomainEvent):
    """A contractor's executed order was inspected (FIS-14)."""

    tag: ClassVar[str] = "inspection.order_acceptance"
    order_id: int
    accepted: bool
    reason_id: int | None = None


@attrs.frozen(kw_only=True)
class InspectionOrdersGenerated(DomainEvent):
    """One chunk of the inspection batch of closed orders (UC1176)."""

    tag: ClassVar[str] = "inspection.orders_generated"
    service_type_id: int
    order_ids: tuple[int, ...]
    referenced_ids: tuple[int, ...]


@attrs.frozen(kw_only=True)
class InspectionReturnInformed(DomainEvent):
    """The return of an inspection order was informed (UC0488)."""

    tag: ClassVar[str] = "inspection.return_informed"
    order_id: int
    situation_ids: tuple[int, ...]
    charge_ids: tuple[int, ...] = ()
    notice_id: int | None = None


@attrs.frozen(kw_only=True)
class InfractionNoticeIssued(DomainEvent):
    """An infraction notice was issued."""

    tag: ClassVar[str] = "inspection.notice_issued"
    notice_id: int
    property_id: int | None


@attrs.frozen(kw_only=True)
class InfractionNoticesExpired(DomainEvent):
    """The batch moved notices whose appeal expired and charged their fines."""

    tag: ClassVar[str] = "inspection.notices_expired"
    notice_ids: tuple[int, ...]
    charged: int


# ---------------------------------------------------------------- reference tables
_SITUATION = "inspection_situation"


def _flag(name: str, doc: str) -> AttributeSpec:
    return AttributeSpec(name=name, type="bool", default=False, doc=doc)


INSPECTION_SITUATION = CatalogKind(
    name=_SITUATION,
    title="Inspection situation",
    title_pt="Situação de Fiscalização",
    gsan_table="atendimentopublico.fiscalizacao_situacao",
    description_max_length=60,
    attributes=(
        _flag(
            "validates_water", "fzst_icvalidaagua: checks the water situation (FIS-05)"
        ),
        _flag(
            "validates_sewer",
            "fzst_icvalidaesgoto: checks the sewer situation (FIS-06)",
        ),
        _flag("changes_connection_date", "fzst_icalteradataligacao (FIS-07)"),
        _flag("validates_meter_capacity", "fzst_icvalidacapacidade (FIS-08)"),
        _flag("controls_notices", "fzst_iccontroleautoinfracao (FIS-09, AUT-01)"),
        _flag("checks_reincidence", "fzst_icverificareincidencia"),
        AttributeSpec(
            name="collection_situation_id",
            type="ref",
            ref="collection_situation",
            doc="cbst_id: the collection situation added to the property",
        ),
    ),
)
_EFFECT_ATTRIBUTES = (
    AttributeSpec(
        name="situation_id",
        type="int",
        required=True,
        min_value=1,
        doc="fzst_id: the inspection situation (an inspection_situation id)",
    ),
    AttributeSpec(
        name="status_id",
        type="int",
        required=True,
        doc="the connection's current situation the row accepts",
    ),
    AttributeSpec(
        name="operation",
        type="str",
        max_length=40,
        doc="the connection operation the finding runs (water.cut, ...)",
    ),
    AttributeSpec(
        name="specification_id",
        type="int",
        doc="solicitacao_tipo_especificacao: the RA the finding asks for",
    ),
    AttributeSpec(
        name="bill_months",
        type="int",
        min_value=0,
        doc="numeroMesesFatura: the months an inspection debt of calculation 5 "
        "(water) or 6 (sewer) is multiplied by (FIS-13)",
    ),
)
INSPECTION_WATER_EFFECT = CatalogKind(
    name="inspection_water_effect",
    title="Inspection situation x water situation",
    title_pt="Fiscalização Situação Água",
    gsan_table="atendimentopublico.fiscalizacao_situacao_agua",
    description_unique=False,
    attributes=_EFFECT_ATTRIBUTES,
)
INSPECTION_SEWER_EFFECT = CatalogKind(
    name="inspection_sewer_effect",
    title="Inspection situation x sewer situation",
    title_pt="Fiscalização Situação Esgoto",
    gsan_table="atendimentopublico.fiscalizacao_situacao_esgoto",
    description_unique=False,
    attributes=_EFFECT_ATTRIBUTES,
)
INSPECTION_CHARGE = CatalogKind(
    name="inspection_charge",
    title="Inspection situation charge",
    title_pt="Fiscalização Situação Serviço a Cobrar",
    gsan_table="atendimentopublico.fisc_sit_servico_a_cobrar",
    description_unique=False,
    attributes=(
        AttributeSpec(
            name="situation_id",
            type="int",
            required=True,
            min_value=1,
            doc="fzst_id: the inspection situation (an inspection_situation id)",
        ),
        AttributeSpec(
            name="debit_type_id", type="ref", ref="debit_type", required=True
        ),
        AttributeSpec(
            name="calculation",
            type="int",
            required=True,
            min_value=1,
            max_value=11,
            doc="fsac_cdconsumocalculo: 1-3 and 5-6 from billing's consumption "
            "history, 4 the order type's price, 10 the debit type's suggested "
            "value, 11 the minimum tariff; 7-9 charge nothing (FIS-13)",
        ),
        AttributeSpec(name="times", type="int", min_value=1, default=1),
        AttributeSpec(name="times_reincident", type="int", min_value=1),
        AttributeSpec(
            name="notice_fine",
            type="bool",
            default=False,
            doc="charged when the notice's appeal expires (AUT-05), not on the return",
        ),
    ),
)
NON_ACCEPTANCE_REASON = CatalogKind(
    name="non_acceptance_reason",
    title="Non-acceptance reason",
    title_pt="Motivo Não Aceite",
    gsan_table="atendimentopublico.os_acomp_mot_nao_aceite",
    attributes=(
        AttributeSpec(
            name="observation_required",
            type="bool",
            default=False,
            doc="osna_icobservacaoobrig: the observation is mandatory (FIS-15)",
        ),
        AttributeSpec(
            name="for_inspection",
            type="bool",
            default=False,
            doc="the reason a refused inspection records against the inspected "
            "order when its inspection order closes (service-orders §2.9.4)",
        ),
    ),
)
INSPECTION_KINDS: tuple[CatalogKind, ...] = (
    NON_ACCEPTANCE_REASON,
    INSPECTION_SITUATION,
    INSPECTION_WATER_EFFECT,
    INSPECTION_SEWER_EFFECT,
    INSPECTION_CHARGE,
)
