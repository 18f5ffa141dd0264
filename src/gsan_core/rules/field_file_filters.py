"""Pure rules of generating a field-device file from a location filter
(TXT-01) and of deleting files (TXT-10).

* TXT-01: the locality, when informed, exists; a sector range needs the
  locality and each bound is a sector (by code) of it; a block range needs a
  sector range and each bound is a block (by number) of its own bound's sector.
  GSAN looks the final block up in the *initial* sector (field-work §14 #2);
  the library looks each bound up in its own sector, so a range spanning two
  sectors is accepted when both bounds exist.
* TXT-10: only files still available (never released to an agent) are
  deleted, all of the chosen ones or none; their orders are left pending, free
  for another file (GSAN ``excluirArquivoTextoOrdensServicoCobranca``).
"""

from __future__ import annotations

from collections.abc import Sequence

from gsan_core.errors import Message, Violation
from gsan_core.model.field_files import FieldFile, FieldFileFilter, FileSituation

__all__ = [
    "BLOCK_UNKNOWN",
    "LOCALITY_MISSING",
    "LOCALITY_UNKNOWN",
    "NOT_DELETABLE",
    "SECTOR_MISSING",
    "SECTOR_UNKNOWN",
    "check_delete",
    "check_filter",
]

LOCALITY_UNKNOWN = Message(
    "field_work.file.locality_unknown",
    en="Locality {locality_id} does not exist.",
    pt="Localidade {locality_id} inexistente.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="TXT-01",
)
LOCALITY_MISSING = Message(
    "field_work.file.locality_missing",
    en="Inform the locality of the sector range.",
    pt="Informe a localidade.",
    gsan_key="atencao.localidade_nao_informada",
    rule="TXT-01",
)
SECTOR_MISSING = Message(
    "field_work.file.sector_missing",
    en="Inform the sector range of the block range.",
    pt="Informe o setor comercial da faixa de quadras.",
    gsan_key="atencao.campo_texto.obrigatorio",
    rule="TXT-01",
)
#: A range bound in the Portuguese text.
_PT = {"initial": "inicial", "final": "final"}

SECTOR_UNKNOWN = Message(
    "field_work.file.sector_unknown",
    en="Sector {code} does not exist in locality {locality_id} ({bound}).",
    pt="Setor Comercial {bound_pt} {code} inexistente na localidade {locality_id}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="TXT-01",
)
BLOCK_UNKNOWN = Message(
    "field_work.file.block_unknown",
    en="Block {number} does not exist in sector {code} ({bound}).",
    pt="Quadra {bound_pt} {number} inexistente no setor {code}.",
    gsan_key="atencao.pesquisa_inexistente",
    rule="TXT-01",
)
NOT_DELETABLE = Message(
    "field_work.file.not_deletable",
    en="Files {file_ids} are not available (they went to an agent) and cannot be deleted.",
    pt="Nem todos os arquivos estão com situação disponível: {file_ids}.",
    gsan_key="atencao.nem_todas_os_com_situacao_disponível",
    rule="TXT-10",
)


def check_filter(
    wanted: FieldFileFilter,
    *,
    locality_exists: bool,
    sector_codes: frozenset[int],
    block_numbers: dict[int, frozenset[int]],
) -> list[Violation]:
    """TXT-01: every problem of the filter. ``sector_codes`` are the codes of
    the locality's sectors; ``block_numbers`` the block numbers of each of
    those sectors, by sector code."""
    found: list[Violation] = []
    f = wanted
    if f.locality_id is not None and not locality_exists:
        found.append(LOCALITY_UNKNOWN(locality_id=f.locality_id))
    sectors = [("initial", f.sector_first), ("final", f.sector_last)]
    if any(code is not None for _, code in sectors) and f.locality_id is None:
        found.append(LOCALITY_MISSING())
    elif locality_exists:
        for bound, code in sectors:
            if code is not None and code not in sector_codes:
                found.append(
                    SECTOR_UNKNOWN(
                        code=code,
                        locality_id=f.locality_id,
                        bound=bound,
                        bound_pt=_PT[bound],
                    )
                )
    blocks = [
        ("initial", f.block_first, f.sector_first),
        (
            "final",
            f.block_last,
            f.sector_last if f.sector_last is not None else f.sector_first,
        ),
    ]
    for bound, number, code in blocks:
        if number is None:
            continue
        if code is None:
            found.append(SECTOR_MISSING())
            break
        if code in sector_codes and number not in block_numbers.get(code, ()):
            found.append(
                BLOCK_UNKNOWN(
                    number=number, code=code, bound=bound, bound_pt=_PT[bound]
                )
            )
    return found


def check_delete(files: Sequence[FieldFile]) -> list[Violation]:
    """TXT-10: every chosen file is still available."""
    busy = sorted(f.id for f in files if f.situation is not FileSituation.AVAILABLE)
    return [NOT_DELETABLE(file_ids=busy)] if busy else []
