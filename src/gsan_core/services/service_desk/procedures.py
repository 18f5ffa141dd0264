"""Procedimento Operacional Padrão (POP) inside a caller's unit of work:
attaching a procedure to a specification or a service type (POP-01) and the
lookup (POP-02)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from gsan_core.errors import Violation
from gsan_core.model.service_desk import (
    OperatingProcedure,
    OperatingProcedureChanged,
    ProcedureScope,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_desk as rules
from gsan_core.rules.validation import ensure

__all__ = ["find_procedures_in", "save_procedure_in"]


def save_procedure_in(
    uow: UnitOfWork,
    procedure: OperatingProcedure,
    *,
    actor: int,
    at: datetime,
    expected_version: int | None = None,
) -> OperatingProcedure:
    """Attach a new procedure (``id`` 0) or store a changed one: a title, a
    document and an existing specification or service type (POP-01)."""
    found: list[Violation] = list(rules.check_procedure(procedure))
    if (
        procedure.specification_id is not None
        and uow.request_specifications.find(procedure.specification_id) is None
    ):
        found.append(
            rules.PROCEDURE_UNKNOWN_TARGET(
                field="Specification",
                campo="Especificação",
                record_id=procedure.specification_id,
            )
        )
    if (
        procedure.service_type_id is not None
        and uow.service_types.find(procedure.service_type_id) is None
    ):
        found.append(
            rules.PROCEDURE_UNKNOWN_TARGET(
                field="Service type",
                campo="Tipo de Serviço",
                record_id=procedure.service_type_id,
            )
        )
    if procedure.id == 0:
        ensure(found)
        new = attrs.evolve(
            procedure, id=uow.next_id("operating_procedure"), changed_at=at, version=1
        )
        uow.procedures.add(new)
        _record(uow, new, actor=actor, at=at)
        return new
    current = uow.procedures.get(procedure.id)
    wanted = expected_version if expected_version is not None else procedure.version
    if wanted != current.version:
        found.append(
            rules.PROCEDURE_CONCURRENT(record_id=procedure.id, expected=wanted)
        )
    ensure(found)
    changed = attrs.evolve(procedure, changed_at=at, version=current.version + 1)
    uow.procedures.update(changed)
    _record(uow, changed, actor=actor, at=at)
    return changed


def _record(
    uow: UnitOfWork, procedure: OperatingProcedure, *, actor: int, at: datetime
) -> None:
    uow.record(
        OperatingProcedureChanged(
            occurred_at=at,
            actor=actor,
            procedure_id=procedure.id,
            active=procedure.active,
        )
    )


def find_procedures_in(
    uow: UnitOfWork,
    *,
    request_type_id: int | None = None,
    specification_id: int | None = None,
    service_type_id: int | None = None,
    scope: ProcedureScope | None = None,
    active_only: bool = True,
) -> Sequence[OperatingProcedure]:
    """POP-02: the procedures of a request type's specifications, of a
    specification, of a service type, of a scope ("O" operational / "C"
    commercial, compared with the service type's code); by title and id. At
    most three reads."""
    criteria: dict[str, object] = {}
    if active_only:
        criteria["active"] = True
    if specification_id is not None:
        criteria["specification_id"] = specification_id
    elif request_type_id is not None:
        specs = uow.request_specifications.find_by(request_type_id=request_type_id)
        criteria["specification_id"] = [s.id for s in specs]
    if service_type_id is not None:
        criteria["service_type_id"] = service_type_id
    rows = list(uow.procedures.find_by(**criteria))
    if scope is not None:
        types = uow.service_types.get_many(
            {r.service_type_id for r in rows if r.service_type_id is not None}
        )
        rows = [
            r
            for r in rows
            if r.service_type_id is not None
            and r.service_type_id in types
            and rules.procedure_scope_matches(types[r.service_type_id].code, scope)
        ]
    rows.sort(key=lambda r: (r.title, r.id))
    return rows
