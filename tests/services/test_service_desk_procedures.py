"""Standard operating procedures (POP) through ``gsan.service_desk``, on
memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest

import gsan_core
from gsan_core.errors import RuleViolation
from gsan_core.model.service_desk import OperatingProcedureChanged, ProcedureScope
from gsan_core.testing.request_utility import build_request_utility, request_profile


@pytest.fixture
def gsan(make_system: Callable[..., gsan_core.System]) -> gsan_core.System:
    system = make_system(request_profile())
    build_request_utility(system)
    return system


def test_pop_01_a_procedure_is_attached_to_a_specification_or_a_service_type(
    gsan: gsan_core.System,
) -> None:
    """POP-01: a title, a document and an existing specification or service
    type; withdrawn by ``active=False``."""
    leak = gsan.service_desk.attach_procedure(
        title="VAZAMENTO NO RAMAL",
        document="https://example.org/pop/vazamento.pdf",
        specification_id=679,
        actor=1,
    )
    assert (leak.id > 0, leak.version) == (True, 1)
    with pytest.raises(RuleViolation) as refused:
        gsan.service_desk.attach_procedure(title=" ", document="", actor=1)
    assert sorted(v.code for v in refused.value.violations) == [
        "service_desk.procedure.required",
        "service_desk.procedure.required",
        "service_desk.procedure.target_required",
    ]
    with pytest.raises(RuleViolation) as unknown:
        gsan.service_desk.attach_procedure(
            title="X", document="x.pdf", specification_id=99999, actor=1
        )
    assert unknown.value.violations[0].gsan_key == "atencao.label_inexistente"
    withdrawn = gsan.service_desk.update_procedure(
        attrs.evolve(leak, active=False), actor=1
    )
    assert withdrawn.version == 2
    changes = [e for e in gsan.events if isinstance(e, OperatingProcedureChanged)]
    assert [(e.procedure_id, e.active, e.actor) for e in changes] == [
        (leak.id, True, 1),
        (leak.id, False, 1),
    ]
    with pytest.raises(RuleViolation) as stale:
        gsan.service_desk.update_procedure(leak, actor=1)
    assert stale.value.violations[0].gsan_key == "atencao.atualizacao.timestamp"
    assert gsan.service_desk.procedures(specification_id=679) == []
    assert gsan.service_desk.procedures(specification_id=679, active_only=False) == [
        withdrawn
    ]


def test_pop_02_lookup_by_request_type_specification_and_scope(
    gsan: gsan_core.System,
) -> None:
    """POP-02: the lookup by request type (its specifications), specification,
    service type and scope, compared with the service type's code ("O"/"C"),
    not its id as GSAN does; paged by title."""
    with gsan.uow_factory() as uow:
        types = [t for t in uow.service_types.find_by() if t.code in ("O", "C")]
    operational = next(t for t in types if t.code == "O")
    commercial = next(t for t in types if t.code == "C")
    a = gsan.service_desk.attach_procedure(
        title="B OPERACIONAL", document="b.pdf", service_type_id=operational.id, actor=1
    )
    b = gsan.service_desk.attach_procedure(
        title="A COMERCIAL", document="a.pdf", service_type_id=commercial.id, actor=1
    )
    c = gsan.service_desk.attach_procedure(
        title="C ESPECIFICACAO", document="c.pdf", specification_id=679, actor=1
    )
    assert gsan.service_desk.procedures() == [b, a, c]
    assert gsan.service_desk.procedures(limit=1, offset=1) == [a]
    assert gsan.service_desk.procedures(scope=ProcedureScope.OPERATIONAL) == [a]
    assert gsan.service_desk.procedures(scope=ProcedureScope.COMMERCIAL) == [b]
    assert gsan.service_desk.procedures(request_type_id=603) == [c]
    assert gsan.service_desk.procedures(service_type_id=commercial.id) == [b]
