"""What a crash can leave half done, found again at start: mentions stored but not
judged, complaints judged but not opened, complaints opened but not paged."""

from __future__ import annotations

from collections.abc import Collection

from monitor.store.complaints import Complaint, ComplaintsMixin

# How far back, in mentions stored, recovery looks for complaints judged but never
# opened. A crash interrupts one batch (a poll's worth, at most a few hundred
# mentions) and the next start finishes it, so the newest 20,000 hold anything left
# undone by far. Looking at every judgement took 0.5 s at a million; this ~8 ms.
RECOVERY_WINDOW = 20_000


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
        """Mentions last judged a complaint that have no complaint: a crash between
        classifying and opening."""
        return [
            row[0]
            for row in self._db.execute(
                # Through the mention_id index: the window is a range of it. SQLite
                # would otherwise read all 100,000 "complaint = 1" rows of another.
                "select c.mention_id from classifications c"
                " indexed by idx_classifications_mention_id where c.mention_id > ?"
                " and c.complaint = 1 and c.id ="
                " (select max(id) from classifications where mention_id = c.mention_id)"
                " and not exists (select 1 from complaints k where k.mention_id = c.mention_id)",
                [self._recovery_floor()],
            ).fetchall()
        ]

    def _recovery_floor(self) -> int:
        """Mention ids above this are in the recovery window."""
        newest = self._one("select max(id) from mentions") or 0
        return max(int(newest) - RECOVERY_WINDOW, 0)

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
