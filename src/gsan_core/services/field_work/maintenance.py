"""Field-device files generated from a location filter (TXT-01) and deleted
(TXT-10), for ``gsan.field_work``.

The filter is validated against the location register (TXT-01) and the
eligible orders are read in one statement (``FieldFileQueries.eligible_orders``,
reading one more than the profile's cap, so an oversized file is refused
without holding every id). Deleting files takes only available ones (never
released), all or none, in one unit of work: the items go in one statement
per file, the files after them, and the orders stay pending.
"""

from __future__ import annotations

from collections.abc import Sequence

from gsan_core.errors import NotFound
from gsan_core.model.field_files import FieldFileFilter, FieldFilesDeleted
from gsan_core.model.profile import FieldWorkParameters
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import field_file_filters as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["FieldFileMaintenance", "filtered_orders"]


def filtered_orders(
    uow: UnitOfWork, where: FieldFileFilter, params: FieldWorkParameters
) -> list[int]:
    """TXT-01/TXT-02: the filter checked, then its eligible orders in place
    order (at most one more than the profile's cap: TXT-04 refuses it)."""
    locality = (
        None if where.locality_id is None else uow.localities.find(where.locality_id)
    )
    codes: dict[int, int] = {}
    numbers: dict[int, frozenset[int]] = {}
    if locality is not None:
        sectors = uow.sectors.find_by(locality_id=locality.id)
        codes = {s.code: s.id for s in sectors}
        wanted_codes = {
            c for c in (where.sector_first, where.sector_last) if c is not None
        }
        for code in wanted_codes & codes.keys():
            blocks = uow.blocks.find_by(sector_id=codes[code])
            numbers[code] = frozenset(b.number for b in blocks)
    ensure(
        rules.check_filter(
            where,
            locality_exists=locality is not None,
            sector_codes=frozenset(codes),
            block_numbers=numbers,
        )
    )
    cap = params.max_orders_per_file
    return list(
        uow.field_file_queries.eligible_orders(
            where,
            skip_open_files=params.one_open_file_per_order,
            limit=None if cap is None else cap + 1,
        )
    )


class FieldFileMaintenance(Service):
    """Deleting field-device files (``gsan.field_work``)."""

    def delete_field_files(self, *, file_ids: Sequence[int], actor: int) -> int:
        """TXT-10 (UC1498 "excluir"): delete the chosen files, which must all
        be available (never released to an agent), with their items; their
        orders stay pending and may go to another file. All or nothing.
        Returns how many orders the files carried."""
        ids = sorted(set(file_ids))
        with self._work() as uow:
            locked = uow.field_files.lock_many(ids)  # in id order
            missing = [i for i in ids if i not in locked]
            if missing:
                raise NotFound("field_file", missing[0])
            files = [locked[i] for i in ids]
            ensure(rules.check_delete(files))
            count = uow.field_file_queries.delete_files(files)
            uow.record(
                FieldFilesDeleted(
                    occurred_at=self._now(),
                    actor=actor,
                    file_ids=ids,
                    order_count=count,
                )
            )
            uow.commit()
        return count
