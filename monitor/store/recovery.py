"""What a crash can leave half done, found again at start: mentions stored but not
judged, complaints judged but not opened, complaints opened but not paged."""

from __future__ import annotations

from collections.abc import Collection

from monitor.store.complaints import Complaint, ComplaintsMixin


class RecoveryMixin(ComplaintsMixin):
    def unclassified_mention_ids(self, limit: int = 1000) -> list[int]:
        """Mentions stored but never classified (a crash between the two steps),
        oldest first: every one, from the ``unjudged`` table (``monitor.store.unjudged``)."""
        return [
            row[0]
            for row in self._db.execute(
                "select mention_id from unjudged order by mention_id limit ?", [limit]
            ).fetchall()
        ]

    def unopened_complaint_mention_ids(self) -> list[int]:
        """Mentions last judged a complaint that have no complaint (a crash between
        classifying and opening), oldest first: every one, from the ``unopened`` table
        (``monitor.store.unopened``)."""
        rows = self._db.execute("select mention_id from unopened order by mention_id")
        return [row[0] for row in rows.fetchall()]

    def complaints_left_new(self, held: Collection[str]) -> list[Complaint]:
        """Complaints still ``new`` with none of the ``held`` events (those paging logs
        when it holds a complaint back on purpose): a crash between opening and paging."""
        held = list(held)
        marks = ",".join("?" * len(held)) or "null"
        return self._complaints(
            "where c.status = 'new' and not exists (select 1 from events e"
            f" where e.complaint_id = c.id and e.event in ({marks})) order by c.id",
            held,
        )
