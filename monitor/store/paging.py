"""The questions paging asks about complaints, and the marks it leaves on them:
paged, grouped under another's page, escalated, reminded, put in a digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from monitor.core.models import PriorityLevel
from monitor.store.columns import iso, iso_or_none, parse_or_none
from monitor.store.complaints import Complaint, ComplaintsMixin


@dataclass(frozen=True, slots=True)
class ReminderDue:
    """An overdue complaint as far as deciding on its reminder needs. The daemon asks
    every tick; building each one in full (mention, draft, checks) took 11 ms for 207
    at 1M mentions against 2 ms for the query, and most are waiting out their grace,
    so the complaint is read whole (``Store.complaint``) only for a reminder sent."""

    complaint_id: int
    priority: PriorityLevel
    due_at: datetime | None
    reminders_sent: int


class PagingMixin(ComplaintsMixin):
    def open_counts(self) -> dict[str, int]:
        """Complaints not yet resolved, by assignee: routing balances the load with it."""
        rows = self._db.execute(
            # "in" and not "!= 'resolved'": only an equality or "in" reads complaints_owner
            # (status, assignee), the open rows alone and not the 100,000 resolved ones.
            "select assignee, count(*) from complaints"
            " where status in ('new', 'paged', 'acknowledged') group by assignee"
        ).fetchall()
        return dict(rows)

    def mark_paged(
        self,
        complaint_id: int,
        *,
        now: datetime,
        next_escalation_at: datetime | None,
        escalation_level: int = 0,
    ) -> None:
        """``escalation_level``: where in its chain the first page went (0, the owner,
        unless they could not be reached), so escalation carries on from there."""
        self._table("complaints").update(
            complaint_id,
            {
                "status": "paged",
                "paged_at": iso(now),
                "next_escalation_at": iso_or_none(next_escalation_at),
                "escalation_level": escalation_level,
            },
        )

    def recent_page_for(
        self,
        *,
        platform: str,
        author: str,
        thread_id: str | None,
        since: datetime,
        other_than: int,
    ) -> int | None:
        """An open complaint from the same author or thread, paged since ``since`` and
        not itself listed in another's page."""
        # From the open, paged, ungrouped complaints (complaints_recent_pages) to their
        # mentions: CROSS JOIN keeps that order. Starting from the platform's mentions
        # read every one of them (0.6 s a page at a million mentions).
        found = self._one(
            "select c.id from complaints c indexed by complaints_recent_pages"
            " cross join mentions m on m.id = c.mention_id "
            "where c.status in ('paged', 'acknowledged') and c.grouped_into is null "
            "and c.paged_at >= ? and c.id != ? and m.platform = ? "
            "and (lower(m.author) = ? or (m.thread_id is not null and m.thread_id = ?)) "
            "order by c.id limit 1",
            [iso(since), other_than, platform, author.lower(), thread_id],
        )
        return None if found is None else int(found)

    def group_into(self, complaint_id: int, lead_id: int, *, now: datetime) -> None:
        """List a complaint in ``lead_id``'s page: same owner, counted as paged."""
        lead = self.complaint(lead_id)
        with self._db.atomic():
            self._table("complaints").update(
                complaint_id,
                {
                    "grouped_into": lead_id,
                    "assignee": lead.assignee,
                    "status": "paged",
                    "paged_at": iso(now),
                },
            )
            self.log_event(complaint_id, "grouped", by="amends", now=now, detail={"into": lead_id})

    def grouped_into_waiting(self, lead_id: int) -> list[int]:
        """Complaints listed in ``lead_id``'s page and not yet acknowledged."""
        return [
            row[0]
            for row in self._db.execute(
                "select id from complaints where grouped_into = ? and status = 'paged' order by id",
                [lead_id],
            ).fetchall()
        ]

    # --- escalation ------------------------------------------------------------------

    def opened_detail(self, complaint_id: int) -> dict[str, Any]:
        """What was recorded when the complaint was opened (priority, why this owner,
        the escalation chain); {} if nothing was."""
        opened = next((e for e in self.events(complaint_id) if e.event == "opened"), None)
        return opened.detail if opened is not None and opened.detail else {}

    def recorded_chain(self, complaint_id: int) -> tuple[str, ...]:
        """The escalation chain recorded when the complaint was opened; () if none."""
        return tuple(self.opened_detail(complaint_id).get("chain", []))

    def due_for_escalation(self, now: datetime) -> list[Complaint]:
        """Paged and not acknowledged within the window (listed ones follow their lead)."""
        return self._complaints(
            "where c.status = 'paged' and c.grouped_into is null "
            "and c.next_escalation_at is not null and c.next_escalation_at <= ? order by c.id",
            [iso(now)],
        )

    def mark_escalated(
        self, complaint_id: int, *, level: int, next_escalation_at: datetime | None
    ) -> None:
        self._table("complaints").update(
            complaint_id,
            {"escalation_level": level, "next_escalation_at": iso_or_none(next_escalation_at)},
        )

    def stop_escalation(self, complaint_id: int) -> None:
        self._table("complaints").update(complaint_id, {"next_escalation_at": None})

    def unreachable_unpaged(self) -> list[Complaint]:
        """Complaints whose first page reached nobody and that nobody has paged since."""
        return self._complaints(
            "where c.status = 'new' and c.grouped_into is null and c.id in "
            "(select complaint_id from events where event = 'unreachable') order by c.id"
        )

    # --- reminders and digests ---------------------------------------------------------

    def due_for_reminder(self, now: datetime) -> list[ReminderDue]:
        """Open, owned by someone, follow-up overdue, fewer than two reminders sent."""
        rows = self._db.execute(
            "select c.id, c.priority, c.due_at, c.reminders_sent from complaints c"
            " indexed by complaints_recent_pages"  # exactly the open, paged, ungrouped ones
            " where c.status in ('paged', 'acknowledged') and c.grouped_into is null"
            " and c.due_at <= ? and c.reminders_sent < 2 order by c.id",
            [iso(now)],
        )
        return [
            ReminderDue(
                complaint_id=complaint_id,
                priority=cast(PriorityLevel, priority),
                due_at=parse_or_none(due_at),
                reminders_sent=sent or 0,
            )
            for complaint_id, priority, due_at, sent in rows
        ]

    def set_reminders_sent(self, complaint_id: int, count: int) -> None:
        self._table("complaints").update(complaint_id, {"reminders_sent": count})

    def awaiting_digest(self) -> list[Complaint]:
        """P3 complaints never paged and not yet listed in a digest, oldest first."""
        return self._complaints(
            "where c.priority = 'P3' and c.status = 'new' and not exists (select 1 from events e "
            "where e.event = 'digested' and e.complaint_id = c.id) order by c.id"
        )
