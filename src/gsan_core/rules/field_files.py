"""Pure rules of the field-device files and their returns (TXT, RET).

* the file's life cycle (TXT-07..TXT-09): release to an agent who holds no
  other open file, download once, finish; a transmitted or finished file does
  not move any more;
* the layouts: :func:`record` formats one outbound record (``|``-separated,
  each field followed by ``|``: GSAN's layout, UC1484), never writing the text
  ``null`` nor a separator or a line break inside a value;
* the return parser (:func:`parse_return_line`, UC1487's layout): one line in,
  one :class:`ParsedLine` or one :class:`~gsan_core.model.field_files.LineError`
  out. Unlike GSAN, trailing empty fields may be left out (an empty last field
  does not fail the upload, field-work §14) and positions never shift.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal

import attrs

from gsan_core.errors import Message, Violation
from gsan_core.model.accounts.customers import PersonKind
from gsan_core.model.field_files import FieldFile, FileSituation, LineError
from gsan_core.rules.accounts.customers import check_document, clean_document

__all__ = [
    "AGENT_BUSY",
    "ALREADY_DOWNLOADED",
    "BAD_PERIOD",
    "DELIVERED_DOCUMENTS",
    "FILE_FINISHED",
    "IN_OPEN_FILE",
    "NO_AGENT",
    "NO_ORDERS",
    "OVER_LIMIT",
    "PHOTO_TYPES",
    "RETURN_RECORDS",
    "ParsedLine",
    "brazilian_money",
    "check_download",
    "check_finish",
    "check_release",
    "clean",
    "debt_fields",
    "parse_return_line",
    "record",
]

NO_ORDERS = Message(
    "field_work.file.no_orders",
    en="No pending order is eligible for the file.",
    pt="Nenhuma ordem de serviço selecionada.",
    gsan_key="atencao.nenhuma_os_selecionada",
    rule="TXT-03",
)
OVER_LIMIT = Message(
    "field_work.file.over_limit",
    en="{count} orders are more than the {limit} a file may carry.",
    pt="A quantidade de ordens ({count}) é superior ao limite de {limit} por arquivo.",
    gsan_key="atencao.quantidade_os_superior_limite",
    rule="TXT-04",
)
IN_OPEN_FILE = Message(
    "field_work.file.order_in_open_file",
    en="Orders {order_ids} are already in a file not yet finished.",
    pt="As ordens {order_ids} já estão em um arquivo não finalizado.",
    rule="TXT-06",
)
NO_AGENT = Message(
    "field_work.file.no_agent",
    en="Inform the agent before releasing file {file_id}.",
    pt="Informe o agente comercial do arquivo {file_id}.",
    gsan_key="atencao.agente_comercial_informado_txt",
    rule="TXT-07",
)
AGENT_BUSY = Message(
    "field_work.file.agent_busy",
    en="Agent {agent_id} already holds file {other_id}, not yet finished.",
    pt="O agente {agent_id} já possui o arquivo {other_id} não finalizado.",
    gsan_key="atencao.arquivo_txt_leiturista_nao_liberado",
    rule="TXT-07",
)
NOT_AVAILABLE = Message(
    "field_work.file.already_released",
    en="File {file_id} is already released.",
    pt="O arquivo {file_id} já está liberado.",
    gsan_key="atencao.arquivo_txt_liberado",
    rule="TXT-07",
)
NOT_RELEASED = Message(
    "field_work.file.not_released",
    en="File {file_id} is available, not released: release it first.",
    pt="O arquivo {file_id} está disponível: libere-o antes.",
    gsan_key="atencao.arquivo_txt_sit_disponivel_campo",
    rule="TXT-07",
)
ALREADY_DOWNLOADED = Message(
    "field_work.file.already_downloaded",
    en="File {file_id} was already downloaded.",
    pt="O arquivo {file_id} já foi baixado.",
    gsan_key="atencao.arquivo_ja_baixado",
    rule="TXT-09",
)
FILE_FINISHED = Message(
    "field_work.file.finished",
    en="File {file_id} is transmitted or finished: it cannot change.",
    pt="O arquivo {file_id} já foi transmitido ou finalizado.",
    gsan_key="atencao.arquivo_txt_finalizado",
    rule="TXT-07",
)
BAD_PERIOD = Message(
    "field_work.report.bad_period",
    en="The period ends ({last}) before it starts ({first}).",
    pt="Período inválido: o fim ({last}) é anterior ao início ({first}).",
    gsan_key="atencao.periodoinvalido",
)
FINISH_AVAILABLE = Message(
    "field_work.file.finish_available",
    en="File {file_id} never went to the field: it cannot be finished.",
    pt="O arquivo {file_id} está disponível e não pode ser finalizado.",
    gsan_key="atencao.arquivo_txt_sit_disponivel_finalizado",
    rule="TXT-07",
)


def check_release(
    file: FieldFile, *, agent_id: int | None, other_open: int | None
) -> list[Violation]:
    """TXT-07: only an available file is released, to an agent who holds no
    other file not yet finished (``other_open``: such a file's id)."""
    found: list[Violation] = []
    if file.situation.finished:
        return [FILE_FINISHED(file_id=file.id)]
    if file.situation is not FileSituation.AVAILABLE:
        found.append(NOT_AVAILABLE(file_id=file.id))
    if agent_id is None:
        found.append(NO_AGENT(file_id=file.id))
    elif other_open is not None:
        found.append(AGENT_BUSY(agent_id=agent_id, other_id=other_open))
    return found


def check_download(file: FieldFile) -> list[Violation]:
    """TXT-08/TXT-09: a released file is downloaded once (then it is in the field)."""
    if file.situation.finished:
        return [FILE_FINISHED(file_id=file.id)]
    if file.situation is FileSituation.AVAILABLE:
        return [NOT_RELEASED(file_id=file.id)]
    if file.situation is not FileSituation.RELEASED:
        return [ALREADY_DOWNLOADED(file_id=file.id)]
    return []


def check_finish(file: FieldFile) -> list[Violation]:
    """TXT-07: a file that went to the field may be finished by the user; a
    finished one not again."""
    if file.situation.finished:
        return [FILE_FINISHED(file_id=file.id)]
    if file.situation is FileSituation.AVAILABLE:
        return [FINISH_AVAILABLE(file_id=file.id)]
    return []


# ------------------------------------------------------------------ layouts
_UNSAFE = str.maketrans({"|": " ", ";": " ", "\r": " ", "\n": " "})


def _text(value: object) -> str:
    if value is None:
        return ""  # GSAN writes the text "null" for some fields: never here
    if type(value) is int:  # the common case first (a bool is not an int here)
        return str(value)
    if isinstance(value, bool):
        return "1" if value else "2"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    return str(value).translate(_UNSAFE).strip()


def clean(value: object) -> str:
    """A value as a field: no separator or line break inside, ``""`` for none."""
    return _text(value)


def record(kind: str, fields: Iterable[object], *, separator: str = "|") -> str:
    """One record of a layout: the record type then each field, every one
    followed by the separator (a value never carries a separator or a line
    break: they become spaces), ending with a line feed."""
    parts = [kind, *map(_text, fields)] if kind else list(map(_text, fields))
    return separator.join(parts) + separator + "\n"


#: Record ``06`` of UC1484: the fixed "documento entregue" codes an
#: inspection's return (record 5) answers with (``ConstantesSistema``).
DELIVERED_DOCUMENTS: tuple[tuple[int, str], ...] = (
    (1, "SOL. COMPARECIMENTO"),
    (2, "AUTO DE INFRACAO"),
    (3, "INFRACAO DE ESGOTO"),
    (4, "NENHUM"),
)
#: Record ``15`` of UC1484: the fixed photo types (``FotoSituacaoOrdemServico``).
PHOTO_TYPES: tuple[tuple[int, str], ...] = (
    (11, "ANTES DA EXECUCAO"),
    (12, "DURANTE A EXECUCAO"),
    (13, "APOS A EXECUCAO"),
    (14, "FACHADA DO IMOVEL"),
)
_CENT = Decimal("0.01")


def brazilian_money(value: Decimal) -> str:
    """GSAN's ``Util.formatarMoedaReal``: ``1.234,56`` (dot for thousands,
    comma for the cents, rounded half up)."""
    amount = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    return f"{amount:,.2f}".translate(str.maketrans(",.", ".,"))


def debt_fields(
    order_id: int,
    reference: int | None,
    due_date: date | None,
    situation: str,
    value: Decimal,
) -> str:
    """Record ``17`` of UC1484 (``gerarArquivoTextoExecucaoOSDebitos``): the
    order, the bill's reference ``MM/AAAA``, its due date ``dd/MM/yyyy``, its
    situation text and its value ``1.234,56``. As GSAN writes it, the value
    is the last field, with no separator after it."""
    month = "" if reference is None else f"{reference % 100:02d}/{reference // 100}"
    due = "" if due_date is None else due_date.strftime("%d/%m/%Y")
    return f"17|{order_id}|{month}|{due}|{_text(situation)}|{brazilian_money(value)}\n"


# --------------------------------------------------------------- the return
#: Field kinds: ``i`` integer, ``i?`` optional integer, ``d`` date-time
#: ``dd/MM/yyyy HH:mm:ss``, ``t`` text (may be empty).
RETURN_RECORDS: dict[int, tuple[str, ...]] = {
    0: ("i", "i"),
    1: ("i", "i", "i", "d", "t", "i"),
    2: ("i", "t", "t", "t", "t", "i?", "i?", "t", "t", "t"),
    3: ("i", "i", "i", "i?", "i?"),
    4: ("i", "i", "i", "i?", "i?", "i?"),
    5: ("i", "i"),
    6: ("i", "i"),
    7: ("i", "i?", "i", "i", "i", "i?", "i?", "i?"),
    8: ("i", "i", "i", "i"),
    9: ("i", "i", "i", "i", "i"),
}


@attrs.frozen(kw_only=True)
class ParsedLine:
    """A good line of a return."""

    line: int
    record: int
    fields: tuple[str, ...]
    digest: str

    @property
    def order_id(self) -> int:
        """The order the line is about (0 for the header)."""
        return 0 if self.record == 0 else int(self.fields[0])


def _error(line: int, code: str, reason: str) -> LineError:
    return LineError(line=line, code=f"return.{code}", reason=reason)


def _datetime(value: str) -> datetime:
    """``dd/MM/yyyy HH:mm:ss`` (naive: the caller gives the zone); a wrong
    shape or an impossible date is ``ValueError``."""
    if (
        len(value) != 19
        or value[2] != "/"
        or value[5] != "/"
        or value[10] != " "
        or value[13] != ":"
        or value[16] != ":"
    ):
        raise ValueError(value)
    parts = (
        value[6:10],
        value[3:5],
        value[0:2],
        value[11:13],
        value[14:16],
        value[17:19],
    )
    if not all(p.isdigit() for p in parts):
        raise ValueError(value)
    year, month, day, hour, minute, second = (int(p) for p in parts)
    return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001


def _check_field(kind: str, value: str, position: int, line: int) -> LineError | None:
    if kind == "t" or (kind.endswith("?") and value.strip() == ""):
        return None
    if kind.startswith("i"):
        text = value.strip()
        if not (text.isdigit() and len(text) <= 18):
            return _error(
                line, "number", f"field {position} is not a number: {value!r}"
            )
        return None
    try:
        _datetime(value.strip())
    except ValueError:
        return _error(
            line,
            "date",
            f"field {position} is not a date dd/MM/yyyy HH:mm:ss: {value!r}",
        )
    return None


#: Record 2's text fields and the most characters the register keeps: name,
#: identity card, area code, phone, extension.
_CLIENT_LENGTHS = ((2, 100), (5, 20), (8, 4), (9, 20), (10, 6))


def _client_documents(fields: Sequence[str], line: int) -> LineError | None:
    """Record 2's CPF (field 3) and CNPJ (field 4), when sent, have valid
    check digits and its texts fit the customer register (RET-06 writes them
    there)."""
    for position, most in _CLIENT_LENGTHS:
        if len(fields[position - 1].strip()) > most:
            return _error(
                line, "too_long", f"field {position} is longer than {most} characters"
            )
    for position, kind in ((3, PersonKind.INDIVIDUAL), (4, PersonKind.COMPANY)):
        digits = clean_document(fields[position - 1])
        if digits is not None and check_document(digits, kind):
            name = "CPF" if kind is PersonKind.INDIVIDUAL else "CNPJ"
            return _error(
                line, "document", f"field {position} is not a valid {name}: {digits!r}"
            )
    return None


#: The fields (1-based, after the type) that take one of a closed set of
#: values: record 5's delivered document (the ``06`` codes), record 7's
#: meter type (1 water, 2 well) and stand flag, record 9's two change flags.
_CLOSED_SETS: dict[int, tuple[tuple[int, frozenset[int]], ...]] = {
    5: ((2, frozenset(code for code, _ in DELIVERED_DOCUMENTS)),),
    7: ((5, frozenset({1, 2})), (7, frozenset({1, 2}))),
    9: ((4, frozenset({1, 2})), (5, frozenset({1, 2}))),
}


def _closed_sets(kind: int, fields: Sequence[str], line: int) -> LineError | None:
    for position, allowed in _CLOSED_SETS.get(kind, ()):
        value = fields[position - 1].strip()
        if value and int(value) not in allowed:
            return _error(
                line,
                "code",
                f"field {position} of record {kind} is {value}, "
                f"not one of {sorted(allowed)}",
            )
    return None


def parse_return_line(text: str, line: int) -> ParsedLine | LineError:
    """One line of a return (without its line break)."""
    parts = text.split("|")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # the terminator after the last field
    head = parts[0].strip()
    if not head.isdigit() or int(head) not in RETURN_RECORDS:
        return _error(line, "record_type", f"unknown record type {head!r}")
    kind = int(head)
    fields = parts[1:]
    spec = RETURN_RECORDS[kind]
    required = len(spec) - sum(1 for k in reversed(spec) if k.endswith("?") or k == "t")
    if not required <= len(fields) <= len(spec):
        return _error(
            line,
            "field_count",
            f"record {kind} has {len(fields)} fields; {required} to {len(spec)} expected",
        )
    fields = fields + [""] * (len(spec) - len(fields))
    for position, (k, value) in enumerate(zip(spec, fields, strict=True), start=1):
        problem = _check_field(k, value, position, line)
        if problem is not None:
            return problem
    problem = _client_documents(fields, line) if kind == 2 else None
    problem = problem or _closed_sets(kind, fields, line)
    if problem is not None:
        return problem
    clean = tuple(f.strip() for f in fields)
    digest = hashlib.sha256("|".join((str(kind), *clean)).encode()).hexdigest()
    return ParsedLine(line=line, record=kind, fields=clean, digest=digest)


def executed_at(fields: Sequence[str], zone: tzinfo) -> datetime:
    """Record 1's execution date-time, in the utility's zone."""
    return _datetime(fields[3]).replace(tzinfo=zone)
