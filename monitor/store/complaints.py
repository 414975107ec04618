"""Complaints: opened once per mention, read back whole, moved along their statuses,
and the history of who did what to each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from monitor.core.errors import StoreError
from monitor.core.models import Draft, Finding, Mention, Priority, PriorityLevel
from monitor.store.columns import from_json, iso, parse_iso, parse_or_none, to_json
from monitor.store.connection import Connection
from monitor.store.mentions import mention_from_row

COMPLAINT_STATUSES = ("new", "paged", "acknowledged", "resolved")

# A complaint row joined with its mention (all but the raw payload), as _complaint reads it.
COMPLAINT_SELECT = (
    "select c.*, m.platform, m.platform_id, m.author, m.author_id, m.text, m.url, m.reach,"
    " m.engagement, m.lang, m.thread_id, m.brand, m.created_at as mention_created_at"
    " from complaints c join mentions m on m.id = c.mention_id"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewComplaint:
    """What the pipeline decided about a mention it judged a complaint."""

    mention_id: int
    priority: Priority
    category: str
    category_label: str  # in the draft's words; pages and reminders show the same
    severity_cues: tuple[str, ...]
    specifics: dict[str, str]
    assignee: str
    assigned_why: str
    chain: tuple[str, ...]  # who escalation goes to, owner first
    due_at: datetime
    draft: Draft
    group_key: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Complaint:
    """A stored complaint with its mention."""

    id: int
    mention_id: int
    mention: Mention
    status: str
    priority: Priority
    category: str
    category_label: str
    assignee: str
    due_at: datetime | None
    public_draft: str
    followup: list[str]
    draft_checks: list[Finding]
    created_at: datetime | None
    paged_at: datetime | None
    acked_at: datetime | None
    acked_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution_note: str | None
    cause: str | None
    fix: str | None
    lesson: str | None
    escalation_level: int
    next_escalation_at: datetime | None
    reminders_sent: int
    grouped_into: int | None  # the complaint whose page listed this one
    incident_id: int | None

    def draft(self) -> Draft:
        """The reply draft and follow-up as they were stored (pages show ``due_at``,
        so the minutes are not kept)."""
        return Draft(
            category=self.category,
            public_reply=self.public_draft,
            followup=self.followup,
            due_minutes=0,
            checks=self.draft_checks,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    """What a responder records when closing a complaint (it feeds reports)."""

    note: str | None = None
    cause: str | None = None
    fix: str | None = None
    lesson: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """One line of a complaint's history."""

    id: int
    complaint_id: int
    event: str  # "opened", "paged", "acknowledged", "assigned", "escalated", ...
    by: str
    at: datetime
    detail: Any  # decoded JSON; None when there is none


class ComplaintsMixin(Connection):
    def insert_complaint(self, new: NewComplaint, *, now: datetime) -> int:
        """Store a complaint and its "opened" event together; returns its id."""
        row = {
            "mention_id": new.mention_id,
            "priority": new.priority.level,
            "priority_reasons": json.dumps(list(new.priority.reasons)),
            "category": new.category,
            "category_label": new.category_label,
            "severity_cues": json.dumps(list(new.severity_cues)),
            "specifics": json.dumps(new.specifics),
            "assignee": new.assignee,
            "status": "new",
            "due_at": iso(new.due_at),
            "public_draft": new.draft.public_reply,
            "draft_checks": json.dumps(
                [{"code": f.code, "message": f.message} for f in new.draft.checks]
            ),
            "followup": json.dumps(new.draft.followup),
            "created_at": iso(now),
            "escalation_level": 0,
            "reminders_sent": 0,
            "group_key": new.group_key,
        }
        with self._db.atomic():
            complaint_id = self._insert("complaints", row)
            self.log_event(
                complaint_id,
                "opened",
                by="amends",
                now=now,
                detail={
                    "priority": new.priority.describe(),
                    "assigned": new.assigned_why,
                    "chain": list(new.chain),
                },
            )
        return complaint_id

    def complaint(self, complaint_id: int) -> Complaint:
        found = self._complaints("where c.id = ?", [complaint_id])
        if not found:
            raise StoreError(f"no complaint with id {complaint_id}")
        return found[0]

    def _complaints(
        self, clause: str, params: Iterable[Any] = (), *, index: str | None = None
    ) -> list[Complaint]:
        """Complaints matching a SQL clause on ``c`` (complaints) and ``m`` (mentions);
        ``index``: the index SQLite must read ``c`` through (see views.py), where stale
        statistics could make it read every complaint instead."""
        select = COMPLAINT_SELECT
        if index is not None:
            select = select.replace(
                " from complaints c ", f" from complaints c indexed by {index} "
            )
        return [_complaint(row) for row in self._rows(f"{select} {clause}", params)]

    def list_complaints(
        self, *, status: str | None = None, assignee: str | None = None, limit: int | None = 50
    ) -> list[Complaint]:
        """Most urgent first, newest first within a priority."""
        where: list[str] = []
        params: list[Any] = []
        if status:
            where.append("c.status = ?")
            params.append(status)
        if assignee:
            where.append("c.assignee = ?")
            params.append(assignee)
        clause = f"where {' and '.join(where)} " if where else ""
        clause += "order by c.priority, c.created_at desc limit ?"
        params.append(-1 if limit is None else limit)
        return self._complaints(clause, params)

    def set_status(
        self,
        complaint_id: int,
        status: str,
        *,
        by: str,
        now: datetime,
        resolution: Resolution | None = None,
        previous: dict[str, Any] | None = None,
    ) -> Complaint:
        """Move a complaint along new → paged → acknowledged → resolved, recorded.
        ``previous``: what a forced repeat replaces, kept in the event."""
        if status not in COMPLAINT_STATUSES:
            raise StoreError(f"unknown status {status!r}")
        current = self.complaint(complaint_id)
        order = COMPLAINT_STATUSES.index
        if order(status) < order(current.status):
            raise StoreError(
                f"complaint {complaint_id} is already {current.status}; cannot go back to {status}"
            )
        stamp = iso(now)
        fields = _resolution_fields(resolution) if resolution is not None else {}
        update: dict[str, Any] = {"status": status, **fields}
        if status == "acknowledged":
            update.update(acked_at=stamp, acked_by=by, next_escalation_at=None)
        if status == "resolved":
            update.update(resolved_at=stamp, resolved_by=by, next_escalation_at=None)
            if current.acked_at is None:
                update.update(acked_at=stamp, acked_by=by)
        with self._db.atomic():
            self._table("complaints").update(complaint_id, update)
            detail = {**fields, "previous": previous} if previous else fields
            self.log_event(complaint_id, status, by=by, now=now, detail=detail or None)
        return self.complaint(complaint_id)

    def latest_label(self, mention_id: int) -> bool | None:
        """The newest person's verdict on a mention (True: a complaint); None if none."""
        found = self._one(
            "select is_complaint from feedback where mention_id = ? order by id desc limit 1",
            [mention_id],
        )
        return None if found is None else bool(found)

    def reassign(self, complaint_id: int, to: str, *, by: str, now: datetime) -> str:
        """Give a complaint to ``to``; returns who had it."""
        current = self.complaint(complaint_id)
        with self._db.atomic():
            # A person chose the owner: the automatic escalation chain no longer applies.
            self._table("complaints").update(
                complaint_id, {"assignee": to, "next_escalation_at": None}
            )
            self.log_event(
                complaint_id,
                "assigned",
                by=by,
                now=now,
                detail={"from": current.assignee, "to": to},
            )
        return current.assignee

    # --- history ---------------------------------------------------------------------

    def log_event(
        self, complaint_id: int, event: str, *, by: str, now: datetime, detail: Any = None
    ) -> None:
        self._table("events").insert(
            {
                "complaint_id": complaint_id,
                "event": event,
                "by": by,
                "at": iso(now),
                "detail": to_json(detail) if detail is not None else None,
            }
        )

    def events(self, complaint_id: int) -> list[Event]:
        return [
            Event(
                id=row["id"],
                complaint_id=row["complaint_id"],
                event=row["event"],
                by=row["by"],
                at=parse_iso(row["at"]),
                detail=from_json(row["detail"], None),
            )
            for row in self._rows(
                "select * from events where complaint_id = ? order by id", [complaint_id]
            )
        ]


def _resolution_fields(resolution: Resolution) -> dict[str, Any]:
    return {
        "resolution_note": resolution.note,
        "cause": resolution.cause,
        "fix": resolution.fix,
        "lesson": resolution.lesson,
    }


def _complaint(row: dict[str, Any]) -> Complaint:
    category = row["category"] or "other"
    return Complaint(
        id=row["id"],
        mention_id=row["mention_id"],
        mention=mention_from_row(row, created_at="mention_created_at"),
        status=row["status"],
        priority=Priority(
            level=cast(PriorityLevel, row["priority"]),
            reasons=tuple(from_json(row["priority_reasons"], [])),
        ),
        category=category,
        # Rows written before labels were stored (m004 fills them) or by hand.
        category_label=row["category_label"] or category.replace("_", " "),
        assignee=row["assignee"],
        due_at=parse_or_none(row["due_at"]),
        public_draft=row["public_draft"] or "",
        followup=from_json(row["followup"], []),
        draft_checks=[Finding(**f) for f in from_json(row["draft_checks"], [])],
        created_at=parse_or_none(row["created_at"]),
        paged_at=parse_or_none(row["paged_at"]),
        acked_at=parse_or_none(row["acked_at"]),
        acked_by=row["acked_by"],
        resolved_at=parse_or_none(row["resolved_at"]),
        resolved_by=row["resolved_by"],
        resolution_note=row["resolution_note"],
        cause=row["cause"],
        fix=row["fix"],
        lesson=row["lesson"],
        escalation_level=row["escalation_level"] or 0,
        next_escalation_at=parse_or_none(row["next_escalation_at"]),
        reminders_sent=row["reminders_sent"] or 0,
        grouped_into=row["grouped_into"],
        incident_id=row["incident_id"],
    )
