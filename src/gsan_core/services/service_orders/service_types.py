"""Checking a service type before it is stored (CFG-05)."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from gsan_core.errors import Message, Violation
from gsan_core.model.service_orders import ServiceType
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_configuration as config
from gsan_core.rules.validation import normalized, required_text
from gsan_core.services.service_setup import exists_in

DUPLICATE_TYPE_DESCRIPTION = Message(
    "service_type.duplicate_description",
    en="An active service type with description {description!r} exists (id {other_id}).",
    pt="Tipo de Serviço com esta descrição já existe (id {other_id}).",
    gsan_key="atencao.servico_tipo.descricao_ja_existente",
    rule="CFG-05",
)
DUPLICATE_TYPE_ABBREVIATION = Message(
    "service_type.duplicate_abbreviation",
    en="An active service type with abbreviation {abbreviation!r} exists (id {other_id}).",
    pt="Tipo de Serviço com esta descrição abreviada já existe (id {other_id}).",
    gsan_key="atencao.servico_tipo.descricao_abreviada_ja_existente",
    rule="CFG-05",
)
TYPE_REFERENCE_MISSING = Message(
    "service_type.reference_missing",
    en="{field} {value} does not exist or is inactive.",
    pt="{campo} {value} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="CFG-05",
)
INFRACTION_WITH_REFERENCE = Message(
    "service_type.infraction_with_reference",
    en="An infraction-inspection service type cannot have a reference service type.",
    pt="Tipo de serviço de fiscalização de infração não pode ter tipo de serviço de referência.",
    gsan_key="atencao.infracao.servico.tipo",
    rule="CFG-05",
)
UNKNOWN_OPERATION = Message(
    "service_type.unknown_operation",
    en="No commercial operation {operation!r} is registered (known: {known}).",
    pt="Nenhuma operação comercial {operation!r} registrada (conhecidas: {conhecidas}).",
    rule="CFG-05",
)


# ---------------------------------------------------------------- service types
def _check_service_type(
    uow: UnitOfWork,
    service_type: ServiceType,
    *,
    operations: Collection[str],
    active: Iterable[ServiceType] | None = None,
) -> list[Violation]:
    """The violations of storing ``service_type`` (CFG-05): texts, duplicates,
    references, activities, materials, closing reasons and its operation.

    ``active`` is the active types to compare it with, when the caller read
    them once for several types (otherwise they are read here)."""
    found: list[Violation] = []
    found += required_text(
        service_type.description,
        field="Service type description",
        campo="Descrição do tipo de serviço",
        max_length=50,
    )
    found += required_text(
        service_type.abbreviation,
        field="Service type abbreviation",
        campo="Descrição abreviada",
        max_length=20,
    )
    if service_type.active:
        found += _duplicates(uow, service_type, active)
    found += _missing_references(uow, service_type)
    found += (
        config.check_activity_order(
            [(a, n) for n, a in enumerate(service_type.activity_ids, start=1)]
        )
        if service_type.activity_ids
        else ()
    )
    found += config.check_type_materials(service_type.materials, exists=exists_in(uow))
    for activity in service_type.activity_ids:
        item = uow.catalog.find("activity", activity)
        if item is None or not item.active:
            found.append(
                TYPE_REFERENCE_MISSING(
                    field="Activity", campo="Atividade", value=activity
                )
            )
    for reason in service_type.closing_reason_ids:
        if uow.catalog.find("closing_reason", reason) is None:
            found.append(
                TYPE_REFERENCE_MISSING(
                    field="Closing reason",
                    campo="Motivo de Encerramento",
                    value=reason,
                )
            )
    if service_type.infraction_inspection and service_type.reference_id is not None:
        found.append(INFRACTION_WITH_REFERENCE())
    if service_type.operation is not None and service_type.operation not in operations:
        found.append(
            UNKNOWN_OPERATION(
                operation=service_type.operation,
                known=", ".join(sorted(operations)) or "none",
                conhecidas=", ".join(sorted(operations)) or "nenhuma",
            )
        )
    return found


def _duplicates(
    uow: UnitOfWork,
    service_type: ServiceType,
    active: Iterable[ServiceType] | None,
) -> list[Violation]:
    """An active type's description and abbreviation are its own among the
    active types (read here unless the caller read them)."""
    found: list[Violation] = []
    if active is None:
        active = uow.service_types.find_by(active=True)
    for other in active:
        if other.id == service_type.id:
            continue
        if normalized(other.description) == normalized(service_type.description):
            found.append(
                DUPLICATE_TYPE_DESCRIPTION(
                    description=service_type.description, other_id=other.id
                )
            )
        if normalized(other.abbreviation) == normalized(service_type.abbreviation):
            found.append(
                DUPLICATE_TYPE_ABBREVIATION(
                    abbreviation=service_type.abbreviation, other_id=other.id
                )
            )
    return found


def _missing_references(uow: UnitOfWork, service_type: ServiceType) -> list[Violation]:
    """The debit type, profile, priority and reference type named exist and
    are active."""
    found: list[Violation] = []
    for kind, value, field, campo in (
        ("debit_type", service_type.debit_type_id, "Debit type", "Tipo de Débito"),
        (
            "service_profile",
            service_type.profile_id,
            "Service profile",
            "Perfil do Serviço",
        ),
        ("service_priority", service_type.priority_id, "Priority", "Prioridade"),
        (
            "service_type_reference",
            service_type.reference_id,
            "Reference service type",
            "Tipo de Serviço de Referência",
        ),
    ):
        if value is not None:
            item = uow.catalog.find(kind, value)
            if item is None or not item.active:
                found.append(
                    TYPE_REFERENCE_MISSING(field=field, campo=campo, value=value)
                )
    return found
