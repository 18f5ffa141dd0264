"""Pure rules of the anomaly-inspection and field-visit files (INSP) and of the
measurement visits (VIS).

* prodiga's anomaly-inspection file of a command (INSP-01): refused for a
  closed command or one with orders no longer pending; its name;
* caema's field-visit file (INSP-04..INSP-07): at most 200 orders, and the
  return parser :func:`parse_visit_line` (``NN|field|field|...``; a field of a
  single space, as the devices send for "empty", is empty; positions never
  shift, unlike GSAN's ``StringTokenizer`` that skips empty fields);
* processing a visit's return (INSP-08): only the actions proposed in the
  field can be ticked;
* closing a measurement visit (VIS-02): a return reason of the catalogue in
  use, and a penalised visit needs the reading and the anomaly found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime

from gsan_core.errors import Message, Violation
from gsan_core.model.field_files import LineError
from gsan_core.model.field_work import CommandSituation, SelectiveCommand
from gsan_core.rules.field_files import ParsedLine

__all__ = [
    "ACTION_NOT_PROPOSED",
    "COMMAND_CLOSED",
    "COMMAND_NOT_PENDING",
    "NOTHING_SELECTED",
    "NOT_MEASUREMENT",
    "NOT_RETURNED",
    "NO_AGENT_METERS",
    "PENALTY_NEEDS_READING",
    "RETURN_REASON_UNKNOWN",
    "TOO_MANY_METERS",
    "VISIT_FILE_MAX",
    "VISIT_RECORDS",
    "WRONG_KIND",
    "check_agent_meters",
    "check_inspection_command",
    "check_measurement_visit",
    "check_visit_actions",
    "inspection_file_name",
    "months_before",
    "parse_visit_line",
]

#: INSP-04: the orders a field-visit file carries at most.
VISIT_FILE_MAX = 200

COMMAND_CLOSED = Message(
    "field_work.inspection.command_closed",
    en="Command {command_id} is closed: no file is generated from it.",
    pt="O comando {command_id} já foi encerrado.",
    gsan_key="atencao.comando.ja_encerrado",
    rule="INSP-01",
)
COMMAND_NOT_PENDING = Message(
    "field_work.inspection.orders_not_pending",
    en="Command {command_id} has {count} orders no longer pending: its file "
    "cannot be generated.",
    pt="Não é possível gerar o TXT: o comando {command_id} possui {count} "
    "ordens de serviço não pendentes.",
    gsan_key="atencao.nao_e_possivel_gerar_txt_comando",
    rule="INSP-01",
)
NOTHING_SELECTED = Message(
    "field_work.visit.nothing_selected",
    en="No pending order was found for the file.",
    pt="Nenhum registro encontrado.",
    gsan_key="atencao.pesquisa.nenhumresultado",
    rule="INSP-05",
)
WRONG_KIND = Message(
    "field_work.visit.wrong_kind",
    en="File {file_id} is not a {kind} file.",
    pt="O arquivo {file_id} não é um arquivo de {kind_pt}.",
    rule="INSP-08",
)
NOT_RETURNED = Message(
    "field_work.visit.not_returned",
    en="Order {order_id} has no return waiting in file {file_id}.",
    pt="A ordem de serviço {order_id} não possui retorno pendente no arquivo {file_id}.",
    rule="INSP-08",
)
ACTION_NOT_PROPOSED = Message(
    "field_work.visit.action_not_proposed",
    en="Service types {service_type_ids} were not proposed in the field for "
    "order {order_id}.",
    pt="Os tipos de serviço {service_type_ids} não foram propostos em campo "
    "para a ordem {order_id}.",
    rule="INSP-08",
)
RETURN_REASON_UNKNOWN = Message(
    "field_work.measurement.return_reason_unknown",
    en="Visit return reason {reason_id} does not exist or is not in use.",
    pt="Motivo de retorno da visita {reason_id} inexistente ou inativo.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="VIS-02",
)
PENALTY_NEEDS_READING = Message(
    "field_work.measurement.penalty_needs_reading",
    en="A penalised visit needs the reading and the anomaly found.",
    pt="Informe a leitura e a anormalidade encontrada para penalizar.",
    gsan_key="atencao.campo_texto.obrigatorio",
    rule="VIS-02",
)
NO_AGENT_METERS = Message(
    "field_work.micrometering.no_meters",
    en="Agent {agent_id} has no available meter in his stock locations.",
    pt="Não existem hidrômetros disponíveis no local de armazenagem do agente {agent_id}.",
    gsan_key="atencao.arquivo_txt_nao_ex_hidrometros_agente",
    rule="VIS-01",
)
TOO_MANY_METERS = Message(
    "field_work.micrometering.too_many_meters",
    en="Agent {agent_id} holds {count} available meters, more than the {limit} "
    "a file may carry.",
    pt="O agente {agent_id} possui {count} hidrômetros, mais que o limite de {limit}.",
    gsan_key="atencao.arquivo_txt_existem_mais_hidr_limite",
    rule="VIS-01",
)
NOT_MEASUREMENT = Message(
    "field_work.measurement.not_a_visit",
    en="Order {order_id} is not a measurement visit (type {service_type_id}).",
    pt="A ordem {order_id} não é uma visita de medição (tipo {service_type_id}).",
    rule="VIS-02",
)


def check_inspection_command(
    command: SelectiveCommand, *, not_pending: int
) -> list[Violation]:
    """INSP-01: prodiga generates a command's inspection file only while the
    command is open and every one of its orders is still pending."""
    if command.situation is CommandSituation.CLOSED:
        return [COMMAND_CLOSED(command_id=command.id)]
    if not_pending:
        return [COMMAND_NOT_PENDING(command_id=command.id, count=not_pending)]
    return []


def inspection_file_name(command_id: int, at: datetime) -> str:
    """INSP-01: ``OS_INSPECAO_ANORMALIDADE<command><dd/MM/yyyy><HHmmss>`` with
    every ``/`` replaced by ``_`` (the name of the ``.txt`` inside the zip and,
    with ``.zip``, of the archive)."""
    stamp = at.strftime("%d/%m/%Y") + at.strftime("%H%M%S")
    return f"OS_INSPECAO_ANORMALIDADE{command_id}{stamp}".replace("/", "_")


def check_agent_meters(
    agent_id: int | None, *, count: int, limit: int | None
) -> list[Violation]:
    """VIS-01 (TXT-09's micrometering checks): a micrometering file goes to
    the field only when its agent has available meters in his stock
    locations, and not more than the per-file cap."""
    if count == 0:
        return [NO_AGENT_METERS(agent_id=agent_id)]
    if limit is not None and count > limit:
        return [TOO_MANY_METERS(agent_id=agent_id, count=count, limit=limit)]
    return []


def months_before(month: int, count: int) -> tuple[int, ...]:
    """INSP-02: the ``count`` billing months (``yyyymm``) before ``month``,
    newest first (``month`` itself, not billed yet, is not one of them)."""
    year, number = divmod(month, 100)
    found: list[int] = []
    for _ in range(max(count, 1)):
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
        found.append(year * 100 + number)
    return tuple(found)


def check_visit_actions(
    order_id: int, *, ticked: Collection[int], proposed: Collection[int]
) -> list[Violation]:
    """INSP-08: the user ticks among the actions proposed in the field."""
    extra = sorted(set(ticked) - set(proposed))
    if extra:
        return [ACTION_NOT_PROPOSED(order_id=order_id, service_type_ids=extra)]
    return []


def check_measurement_visit(
    *,
    order_id: int,
    service_type_id: int,
    visit_type_ids: Collection[int],
    reason_in_use: bool,
    reason_id: int,
    penalise: bool,
    reading: int | None,
    anomaly_id: int | None,
) -> list[Violation]:
    """VIS-02: a measurement visit (a type of the profile's role
    ``service_type.measurement_visit``) closes with a return reason in use; a
    penalised one carries the reading and the anomaly found."""
    found: list[Violation] = []
    if visit_type_ids and service_type_id not in visit_type_ids:
        found.append(
            NOT_MEASUREMENT(order_id=order_id, service_type_id=service_type_id)
        )
    if not reason_in_use:
        found.append(RETURN_REASON_UNKNOWN(reason_id=reason_id))
    if penalise and (reading is None or anomaly_id is None):
        found.append(PENALTY_NEEDS_READING())
    return found


# --------------------------------------------------------------- the return
#: INSP-07's records as the device sends them: field kinds (``i`` integer,
#: ``i?`` optional integer, ``t`` text) and the position of the order id.
VISIT_RECORDS: dict[int, tuple[tuple[str, ...], int]] = {
    0: (("i", "i?"), -1),
    1: (("i", "i?", "i?", "i?", "t", "i?"), 0),
    2: (("t", "t", "t", "t", "i?", "i?", "t", "t", "t", "i"), 9),
    3: (("i", "i"), 1),
}


def _error(line: int, code: str, reason: str) -> LineError:
    return LineError(line=line, code=f"return.{code}", reason=reason)


def _field_error(kind: str, value: str, position: int, line: int) -> LineError | None:
    if kind == "t" or (kind == "i?" and value == ""):
        return None
    if value.isdigit() and len(value) <= 18:
        return None
    return _error(line, "number", f"field {position} is not a number: {value!r}")


def parse_visit_line(text: str, line: int) -> ParsedLine | LineError:
    """One line of a field-visit return (INSP-07), without its line break.

    The fields are staged with the order id first (record 2 and 3 send it
    last): ``1`` (order, street pavement, sidewalk pavement, anomaly, anomaly
    text, user), ``2`` (order, name, CPF, CNPJ, RG, RG issuer, UF, DDD, phone,
    extension), ``3`` (order, service type); the header ``0`` is (file id,
    finalisation flag, 4 when left out)."""
    parts = text.split("|")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # the terminator after the last field
    head = parts[0].strip()
    if not (head.isdigit() and len(head) <= 2) or int(head) not in VISIT_RECORDS:
        return _error(line, "record_type", f"unknown record type {head!r}")
    kind = int(head)
    spec, order_at = VISIT_RECORDS[kind]
    fields = [f.strip() for f in parts[1:]]  # " " is the devices' empty field
    required = len(spec) - (1 if kind == 0 else 0)
    if not required <= len(fields) <= len(spec):
        return _error(
            line,
            "field_count",
            f"record {kind:02d} has {len(fields)} fields; {len(spec)} expected",
        )
    fields += [""] * (len(spec) - len(fields))
    for position, (k, value) in enumerate(zip(spec, fields, strict=True), start=1):
        problem = _field_error(k, value, position, line)
        if problem is not None:
            return problem
    if kind == 0:
        fields[1] = fields[1] or "4"
    elif order_at:
        fields.insert(0, fields.pop(order_at))
    staged = tuple(fields)
    digest = hashlib.sha256("|".join(("V", str(kind), *staged)).encode()).hexdigest()
    return ParsedLine(line=line, record=kind, fields=staged, digest=digest)
