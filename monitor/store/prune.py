"""Retention: old mentions removed, the full-text index kept in step, space reclaimed.

Mentions go in chunks, a transaction each, so the daemon's writes wait for one
chunk at most and never for the whole prune. The full-text index follows through
the triggers on ``mentions``; every row that points at a removed mention or
complaint goes with it (judgements, labels, payloads, history, deliveries, and any
other table with a ``complaint_id``). Reclaiming the space is a ``VACUUM``: it
rewrites the file and holds the write lock while it does (seconds per hundred
thousand mentions), so ``prune`` runs it only when asked to reclaim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from monitor.store.columns import iso
from monitor.store.connection import Connection

CHUNK = 2000  # mentions removed per transaction

_BY_MENTION = ("classifications", "feedback", "mention_payloads")


@dataclass(frozen=True, slots=True, kw_only=True)
class PruneReport:
    mentions: int  # removed (or that would be, on a dry run)
    complaints: int
    bytes_before: int
    bytes_after: int  # the same as before unless space was reclaimed


class PruneMixin(Connection):
    def prune(
        self,
        *,
        older_than: datetime,
        include_complaints: bool = False,
        dry_run: bool = False,
        reclaim: bool = True,
    ) -> PruneReport:
        """Remove mentions posted before ``older_than``: those with no complaint, and
        with ``include_complaints`` the complaints and their mentions too."""
        before = self._file_bytes()
        ids = self._prunable(iso(older_than), include_complaints=include_complaints)
        if dry_run:
            return PruneReport(
                mentions=len(ids),
                complaints=self._complaint_count(ids) if include_complaints else 0,
                bytes_before=before,
                bytes_after=before,
            )
        by_complaint = self._tables_with("complaint_id")
        complaints = sum(
            self._remove(ids[start : start + CHUNK], by_complaint)
            for start in range(0, len(ids), CHUNK)
        )
        if reclaim and ids:
            for fts in ("mentions_fts", "complaints_fts"):
                self._db.execute(f"insert into {fts} ({fts}) values ('optimize')")
            self._db.execute("VACUUM")
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.analyze()
        return PruneReport(
            mentions=len(ids),
            complaints=complaints,
            bytes_before=before,
            bytes_after=self._file_bytes(),
        )

    def _prunable(self, cutoff: str, *, include_complaints: bool) -> list[int]:
        keep = (
            ""
            if include_complaints
            else (" and not exists (select 1 from complaints k where k.mention_id = m.id)")
        )
        return [
            row[0]
            for row in self._db.execute(
                f"select m.id from mentions m where m.created_at < ?{keep} order by m.id", [cutoff]
            )
        ]

    def _complaint_count(self, mention_ids: Sequence[int]) -> int:
        """How many complaints ``mention_ids`` have (what a dry run would remove)."""
        return sum(
            int(
                self._one(
                    f"select count(*) from complaints where mention_id in ({_marks(chunk)})",
                    chunk,
                )
            )
            for chunk in (
                mention_ids[start : start + CHUNK] for start in range(0, len(mention_ids), CHUNK)
            )
        )

    def _remove(self, mention_ids: Sequence[int], by_complaint: Sequence[str]) -> int:
        """Delete ``mention_ids`` with their complaints and every row about either, in
        one transaction; returns how many complaints went."""
        marks = _marks(mention_ids)
        with self._db.atomic():
            complaint_ids = [
                row[0]
                for row in self._db.execute(
                    f"select id from complaints where mention_id in ({marks})", mention_ids
                )
            ]
            if complaint_ids:
                cmarks = _marks(complaint_ids)
                for table in by_complaint:
                    self._db.execute(
                        f"delete from [{table}] where complaint_id in ({cmarks})", complaint_ids
                    )
                self._db.execute(f"delete from complaints where id in ({cmarks})", complaint_ids)
            for table in _BY_MENTION:
                self._db.execute(
                    f"delete from [{table}] where mention_id in ({marks})", mention_ids
                )
            self._db.execute(f"delete from mentions where id in ({marks})", mention_ids)
        return len(complaint_ids)

    def _tables_with(self, column: str) -> list[str]:
        """Tables other than ``complaints`` with a column named ``column``."""
        names = [
            row[0]
            for row in self._db.execute(
                "select name from sqlite_master where type = 'table' and name != 'complaints'"
            )
        ]
        return [
            name
            for name in names
            if any(row[1] == column for row in self._db.execute(f"PRAGMA table_info([{name}])"))
        ]

    def _file_bytes(self) -> int:
        pages = self._one("PRAGMA page_count") or 0
        size = self._one("PRAGMA page_size") or 0
        return int(pages) * int(size)


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))
