"""Configuration rules of the service requests (``domain/service-requests.md`` §3.11).

* CFG-01: request types (catalog kind ``request_type``: unique description, the
  outage / social-tariff / system-use flags) — enforced by the catalog rules;
* CFG-02..CFG-04, CFG-08: :func:`check_specification`;
* CFG-05: :func:`check_locality_specification_units`;
* CFG-06: :func:`check_collection_situation_units`;
* CFG-07: :func:`check_situation_profile`;
* the locality x group and sewer-division associations:
  :func:`check_locality_group_units`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from gsan_core.errors import Message, Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.service_orders import ServiceType
from gsan_core.model.service_requests import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    PropertySituationProfile,
    RequestSpecification,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules.validation import normalized

__all__ = [
    "check_collection_situation_units",
    "check_locality_group_units",
    "check_locality_specification_units",
    "check_situation_profile",
    "check_specification",
]

#: ``(kind, id) -> row``: how the rules look catalog rows up.
Lookup = Callable[[str, int], CatalogItem | None]


def _m(code: str, en: str, pt: str, rule: str, key: str | None = None) -> Message:
    return Message(code, en=en, pt=pt, gsan_key=key, rule=rule)


SPEC_FIELD_REQUIRED = _m(
    "service_request.config.specification_required",
    "{field} of the specification is required.",
    "{campo} da especificação é obrigatório(a).",
    "CFG-02",
    "atencao.required",
)
SPEC_TOO_LONG = _m(
    "service_request.config.specification_too_long",
    "The description has {length} characters; at most 50 are allowed.",
    "A descrição tem {length} caracteres; o máximo é 50.",
    "CFG-02",
    "atencao.execedeu_limit_observacao",
)
SPEC_DUPLICATE = _m(
    "service_request.config.specification_duplicate",
    "Request type {request_type_id} already has an active specification {description!r} (id {other_id}).",
    "Tipo de Especificação com esta descrição já existe.",
    "CFG-02",
    "atencao.tipo.especificacao.ja.existe",
)
SPEC_REFERENCE_MISSING = _m(
    "service_request.config.reference_missing",
    "{field} {value} does not exist or is inactive.",
    "{campo} {value} inexistente.",
    "CFG-02",
    "atencao.pesquisa_inexistente",
)
AUTOMATIC_TYPE_NEEDS_REFERENCE = _m(
    "service_request.config.automatic_type_needs_reference",
    "Service type {service_type_id} requires a reference order: it cannot be generated automatically.",
    "Tipo de serviço {service_type_id} exige OS de referência e não pode ser de geração automática.",
    "CFG-03",
    "atencao.tipo.servico.nao.geracao.automatica",
)
EXECUTION_ORDER_REPEATED = _m(
    "service_request.config.execution_order_repeated",
    "Execution order {order} appears more than once.",
    "Valor da ordem de execução {order} já existe.",
    "CFG-04",
    "atencao.valor.ordem.execucao.ja.existe",
)
EXECUTION_ORDER_GAP = _m(
    "service_request.config.execution_order_gap",
    "Execution orders must be contiguous from the lowest: {orders}.",
    "Valor da ordem de execução fora de sequência: {orders}.",
    "CFG-04",
    "atencao.valor.ordem.execucao.fora.sequencia",
)
DOCUMENT_NEEDS_CUSTOMER = _m(
    "service_request.config.document_needs_customer",
    "Specification {description!r}: the document rule needs the customer to be required.",
    "A(s) especificações {description}, estão com indicador de obrigatoriedade de cliente como Não.",
    "CFG-08",
    "atencao.especificacao.obrigatoriedade.cliente",
)
RESPONSIBLE_NEEDS_DOCUMENT = _m(
    "service_request.config.responsible_needs_document",
    "Validating the responsible customer's document needs the document rule.",
    "Só é possível validar documento obrigatório de cliente responsável do imóvel se existir a obrigatoriedade do documento do cliente solicitante.",
    "CFG-08",
    "atencao.especificacao.obrigatoriedade.cliente_imovel",
)
RESPONSIBLE_NEEDS_PROPERTY = _m(
    "service_request.config.responsible_needs_property",
    "Specification {description!r}: validating the responsible customer needs the property to be required.",
    "A(s) especificações {description}, estão com indicador de obrigatoriedade de imóvel como Não.",
    "CFG-08",
    "atencao.especificacao.obrigatoriedade.imovel",
)
ASSOCIATION_FIELD_MISSING = _m(
    "service_request.config.association_reference_missing",
    "{field} {value} does not exist or is inactive.",
    "{campo} {value} inexistente.",
    "CFG-05",
    "atencao.pesquisa_inexistente",
)
LOCALITY_SPECIFICATION_REPEATED = _m(
    "service_request.config.locality_specification_repeated",
    "Locality {locality_id} and specification {specification_id} are already associated (unit {unit_id}).",
    "Associação já existente: Loc.- {locality_id}; Esp.- {specification_id}; Unid.- {unit_id}.",
    "CFG-05",
    "atencao.localidade_especificacao_unidade_ja_informado",
)
LOCALITY_SPECIFICATION_EMPTY = _m(
    "service_request.config.locality_specification_empty",
    "Give at least one specification and unit for locality {locality_id}.",
    "Informe a Especificação e Unidade.",
    "CFG-05",
    "atencao.especificacao_unidade_nao_informada",
)
COLLECTION_REFERENCE_MISSING = _m(
    "service_request.config.collection_reference_missing",
    "{field} {value} does not exist or is inactive.",
    "{campo} {value} inexistente.",
    "CFG-06",
    "atencao.pesquisa_inexistente",
)
COLLECTION_REPEATED = _m(
    "service_request.config.collection_repeated",
    "Specification {specification_id} already routes collection situation {situation_id}.",
    "Associação da situação de cobrança já existente.",
    "CFG-06",
    "atencao.associacao.cobranca_situacao.ja_existente",
)
PROFILE_FIELD_REQUIRED = _m(
    "service_request.config.situation_profile_required",
    "{field} of the property-situation profile is required.",
    "{campo} da especificação da situação do imóvel é obrigatório(a).",
    "CFG-07",
    "atencao.required",
)
PROFILE_CRITERION_REPEATED = _m(
    "service_request.config.situation_criterion_repeated",
    "Criterion {index} repeats an earlier one.",
    "Este critério da especificação da situação já foi informado.",
    "CFG-07",
    "atencao.inserir_especificacao_situacao_imovel_criterio_ja_informado",
)
PROFILE_UNKNOWN_STATUS = _m(
    "service_request.config.situation_unknown_status",
    "{field} {value} of criterion {index} does not exist.",
    "{campo} {value} inexistente.",
    "CFG-07",
    "atencao.inserir_especificacao_situacao_imovel_invalida",
)
PROFILE_METER_WITHOUT_WATER = _m(
    "service_request.config.situation_meter_without_water",
    "Criterion {index}: a water meter needs a water situation with a connection.",
    "Indicador de existência do hidrômetro na ligação da água incompatível com a situação de ligação da água.",
    "CFG-07",
    "atencao.inserir_especificacao_situacao_imovel_ligacao_agua",
)
PROFILE_WELL_WITHOUT_SEWER = _m(
    "service_request.config.situation_well_without_sewer",
    "Criterion {index}: a well meter needs a sewer situation with a connection.",
    "Indicador de existência do hidrômetro no poço incompatível com a situação de ligação do esgoto.",
    "CFG-07",
    "atencao.inserir_especificacao_situacao_imovel_ligacao_esgoto",
)
GROUP_REFERENCE_MISSING = _m(
    "service_request.config.group_reference_missing",
    "{field} {value} does not exist or is inactive.",
    "{campo} {value} inexistente.",
    "CFG-05",
    "atencao.pesquisa_inexistente",
)
GROUP_REPEATED = _m(
    "service_request.config.group_repeated",
    "Locality {locality_id} already routes group {group_id} (unit {unit_id}).",
    "Localidade {locality_id} já associada ao grupo {group_id}.",
    "CFG-05",
    "atencao.localidade_especificacao_unidade.existente",
)


def _active(item: CatalogItem | None) -> bool:
    return item is not None and item.active


def _unit_ok(unit: OrganizationalUnit | None) -> bool:
    return unit is not None and unit.active


def check_specification(
    spec: RequestSpecification,
    *,
    lookup: Lookup,
    siblings: Iterable[RequestSpecification],
    units: Mapping[int, OrganizationalUnit],
    service_types: Mapping[int, ServiceType],
    specification_ids: Iterable[int],
    situation_profile_ids: Iterable[int],
) -> tuple[Violation, ...]:
    """CFG-02, CFG-03, CFG-04 and CFG-08 for a specification being saved."""
    found: list[Violation] = []
    description = spec.description.strip()
    if not description:
        found.append(SPEC_FIELD_REQUIRED(field="Description", campo="Descrição"))
    elif len(spec.description) > 50:
        found.append(SPEC_TOO_LONG(length=len(spec.description)))
    if spec.deadline_days is None:
        found.append(SPEC_FIELD_REQUIRED(field="Deadline (days)", campo="Prazo (dias)"))
    if spec.active and description:
        for other in siblings:
            if (
                other.id != spec.id
                and other.active
                and other.request_type_id == spec.request_type_id
                and normalized(other.description) == normalized(spec.description)
            ):
                found.append(
                    SPEC_DUPLICATE(
                        request_type_id=spec.request_type_id,
                        description=spec.description,
                        other_id=other.id,
                    )
                )
                break
    found += _spec_references(
        spec,
        lookup=lookup,
        units=units,
        service_types=service_types,
        specification_ids=set(specification_ids) | {spec.id},
        situation_profile_ids=set(situation_profile_ids),
    )
    found += _execution_orders(spec)
    if spec.document_required and not spec.requires_customer:
        found.append(DOCUMENT_NEEDS_CUSTOMER(description=spec.description))
    if spec.validate_responsible_document and not spec.document_required:
        found.append(RESPONSIBLE_NEEDS_DOCUMENT())
    if spec.validate_responsible_document and not spec.requires_property:
        found.append(RESPONSIBLE_NEEDS_PROPERTY(description=spec.description))
    return tuple(found)


def _spec_references(
    spec: RequestSpecification,
    *,
    lookup: Lookup,
    units: Mapping[int, OrganizationalUnit],
    service_types: Mapping[int, ServiceType],
    specification_ids: set[int],
    situation_profile_ids: set[int],
) -> list[Violation]:
    found: list[Violation] = []

    def missing(field: str, campo: str, value: object) -> None:
        found.append(SPEC_REFERENCE_MISSING(field=field, campo=campo, value=value))

    if not _active(lookup("request_type", spec.request_type_id)):
        missing("Request type", "Tipo de Solicitação", spec.request_type_id)
    if spec.unit_id is not None and not _unit_ok(units.get(spec.unit_id)):
        missing("Initial routing unit", "Unidade Inicial de Tramitação", spec.unit_id)
    if spec.debit_type_id is not None and not _active(
        lookup("debit_type", spec.debit_type_id)
    ):
        missing("Debit type", "Tipo de Débito", spec.debit_type_id)
    if spec.message_id is not None and not _active(
        lookup("request_message", spec.message_id)
    ):
        missing("Automatic message", "Mensagem Automática", spec.message_id)
    for channel in sorted(spec.document_channel_ids):
        if not _active(lookup("request_channel", channel)):
            missing("Request channel", "Meio de Solicitação", channel)
    if (
        spec.property_situation_id is not None
        and spec.property_situation_id not in situation_profile_ids
    ):
        missing(
            "Property-situation profile",
            "Especificação da Situação do Imóvel",
            spec.property_situation_id,
        )
    if (
        spec.new_request_specification_id is not None
        and spec.new_request_specification_id not in specification_ids
    ):
        missing(
            "New-request specification",
            "Especificação do Novo RA",
            spec.new_request_specification_id,
        )
    if spec.service_type_id is not None:
        automatic = service_types.get(spec.service_type_id)
        if automatic is None or not automatic.active:
            missing("Automatic service type", "Tipo de Serviço", spec.service_type_id)
        elif automatic.reference_id is not None:
            reference = lookup("service_type_reference", automatic.reference_id)
            if reference is not None and reference.flag("requires_reference_order"):
                found.append(
                    AUTOMATIC_TYPE_NEEDS_REFERENCE(service_type_id=automatic.id)
                )
    for entry in spec.service_types:
        listed = service_types.get(entry.service_type_id)
        if listed is None or not listed.active:
            missing("Service type", "Tipo de Serviço", entry.service_type_id)
    return found


def _execution_orders(spec: RequestSpecification) -> list[Violation]:
    orders = [entry.execution_order for entry in spec.service_types]
    if not orders:
        return []
    seen: set[int] = set()
    for order in orders:
        if order in seen:
            return [EXECUTION_ORDER_REPEATED(order=order)]
        seen.add(order)
    low = min(orders)
    if sorted(orders) != list(range(low, low + len(orders))):
        return [EXECUTION_ORDER_GAP(orders=", ".join(str(o) for o in sorted(orders)))]
    return []


def check_situation_profile(
    profile: PropertySituationProfile, *, lookup: Lookup
) -> tuple[Violation, ...]:
    """CFG-07: a description, at least one criterion, no repeated criterion, known
    situations, and meters only where the situation has a connection."""
    found: list[Violation] = []
    if not profile.description.strip():
        found.append(PROFILE_FIELD_REQUIRED(field="Description", campo="Descrição"))
    if not profile.criteria:
        found.append(PROFILE_FIELD_REQUIRED(field="Criterion", campo="Critério"))
    seen: set[object] = set()
    for index, criterion in enumerate(profile.criteria, start=1):
        key = (
            criterion.water_status_id,
            criterion.sewer_status_id,
            criterion.water_meter,
            criterion.well_meter,
        )
        if key in seen:
            found.append(PROFILE_CRITERION_REPEATED(index=index))
        seen.add(key)
        water = (
            None
            if criterion.water_status_id is None
            else lookup("water_status", criterion.water_status_id)
        )
        sewer = (
            None
            if criterion.sewer_status_id is None
            else lookup("sewer_status", criterion.sewer_status_id)
        )
        if criterion.water_status_id is not None and water is None:
            found.append(
                PROFILE_UNKNOWN_STATUS(
                    field="Water situation",
                    campo="Situação da Ligação de Água",
                    value=criterion.water_status_id,
                    index=index,
                )
            )
        if criterion.sewer_status_id is not None and sewer is None:
            found.append(
                PROFILE_UNKNOWN_STATUS(
                    field="Sewer situation",
                    campo="Situação da Ligação de Esgoto",
                    value=criterion.sewer_status_id,
                    index=index,
                )
            )
        if (
            criterion.water_meter
            and water is not None
            and not water.flag("connection_exists")
        ):
            found.append(PROFILE_METER_WITHOUT_WATER(index=index))
        if (
            criterion.well_meter
            and sewer is not None
            and not sewer.flag("connection_exists")
        ):
            found.append(PROFILE_WELL_WITHOUT_SEWER(index=index))
    return tuple(found)


def check_locality_specification_units(
    locality_id: int,
    rows: Sequence[LocalitySpecificationUnit],
    *,
    locality_exists: bool,
    specification_ids: Iterable[int],
    units: Mapping[int, OrganizationalUnit],
) -> tuple[Violation, ...]:
    """CFG-05: the grid of one locality (saving replaces all its rows): not
    empty, one unit per (locality, specification), everything existing."""
    found: list[Violation] = []
    if not locality_exists:
        found.append(
            ASSOCIATION_FIELD_MISSING(
                field="Locality", campo="Localidade", value=locality_id
            )
        )
    if not rows:
        found.append(LOCALITY_SPECIFICATION_EMPTY(locality_id=locality_id))
    known = set(specification_ids)
    seen: dict[int, int] = {}
    for row in rows:
        if row.locality_id != locality_id:
            found.append(
                ASSOCIATION_FIELD_MISSING(
                    field="Locality", campo="Localidade", value=row.locality_id
                )
            )
        if row.specification_id not in known:
            found.append(
                ASSOCIATION_FIELD_MISSING(
                    field="Specification",
                    campo="Especificação",
                    value=row.specification_id,
                )
            )
        if not _unit_ok(units.get(row.unit_id)):
            found.append(
                ASSOCIATION_FIELD_MISSING(
                    field="Unit", campo="Unidade", value=row.unit_id
                )
            )
        if row.specification_id in seen:
            found.append(
                LOCALITY_SPECIFICATION_REPEATED(
                    locality_id=locality_id,
                    specification_id=row.specification_id,
                    unit_id=seen[row.specification_id],
                )
            )
        else:
            seen[row.specification_id] = row.unit_id
    return tuple(found)


def check_collection_situation_units(
    rows: Sequence[CollectionSituationUnit],
    *,
    existing: Iterable[CollectionSituationUnit],
    lookup: Lookup,
    specification_ids: Iterable[int],
    units: Mapping[int, OrganizationalUnit],
) -> tuple[Violation, ...]:
    """CFG-06: situation, specification and unit exist; one row per
    (specification, collection situation), in the grid and in storage."""
    found: list[Violation] = []
    known = set(specification_ids)
    taken = {(r.specification_id, r.collection_situation_id): r.id for r in existing}
    for row in rows:
        if not _active(lookup("collection_situation", row.collection_situation_id)):
            found.append(
                COLLECTION_REFERENCE_MISSING(
                    field="Collection situation",
                    campo="Situação de Cobrança",
                    value=row.collection_situation_id,
                )
            )
        if row.specification_id not in known:
            found.append(
                COLLECTION_REFERENCE_MISSING(
                    field="Specification",
                    campo="Especificação",
                    value=row.specification_id,
                )
            )
        if not _unit_ok(units.get(row.unit_id)):
            found.append(
                COLLECTION_REFERENCE_MISSING(
                    field="Unit", campo="Unidade", value=row.unit_id
                )
            )
        key = (row.specification_id, row.collection_situation_id)
        if key in taken and taken[key] != row.id:
            found.append(
                COLLECTION_REPEATED(
                    specification_id=row.specification_id,
                    situation_id=row.collection_situation_id,
                )
            )
        taken[key] = row.id
    return tuple(found)


def check_locality_group_units(
    rows: Sequence[LocalityGroupUnit],
    *,
    existing: Iterable[LocalityGroupUnit],
    lookup: Lookup,
    locality_ids: Iterable[int],
    units: Mapping[int, OrganizationalUnit],
) -> tuple[Violation, ...]:
    """Locality x request-type group: everything exists; one unit per
    (locality, group)."""
    found: list[Violation] = []
    localities = set(locality_ids)
    taken = {(r.locality_id, r.group_id): (r.id, r.unit_id) for r in existing}
    for row in rows:
        if row.locality_id not in localities:
            found.append(
                GROUP_REFERENCE_MISSING(
                    field="Locality", campo="Localidade", value=row.locality_id
                )
            )
        if not _active(lookup("request_type_group", row.group_id)):
            found.append(
                GROUP_REFERENCE_MISSING(
                    field="Request type group",
                    campo="Grupo do Tipo de Solicitação",
                    value=row.group_id,
                )
            )
        if not _unit_ok(units.get(row.unit_id)):
            found.append(
                GROUP_REFERENCE_MISSING(
                    field="Unit", campo="Unidade", value=row.unit_id
                )
            )
        key = (row.locality_id, row.group_id)
        if key in taken and taken[key][0] != row.id:
            found.append(
                GROUP_REPEATED(
                    locality_id=row.locality_id,
                    group_id=row.group_id,
                    unit_id=taken[key][1],
                )
            )
        taken[key] = (row.id, row.unit_id)
    return tuple(found)
