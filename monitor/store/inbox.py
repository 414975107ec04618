"""What the web inbox asks of complaints: a filtered, searched list most urgent first,
follow-up steps ticked off, and reply drafts edited by a person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.core.models import Finding
from monitor.store.columns import iso, parse_iso
from monitor.store.complaints import COMPLAINT_SELECT, Complaint, ComplaintsMixin, _complaint
from monitor.store.search import literal_query

OPEN = "open"  # every status but resolved: the inbox's default
ALL = "all"


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxQuery:
    status: str = OPEN  # "open", "all" or one of COMPLAINT_STATUSES
    owner: str | None = None
    brand: str | None = None
    platform: str | None = None
    priority: str | None = None
    search: str | None = None  # full-text, over the mention's words and author
    limit: int = 50
    offset: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxPage:
    complaints: list[Complaint]
    more: bool  # another page follows


@dataclass(frozen=True, slots=True, kw_only=True)
class Tick:
    step: int  # the follow-up step's index, from 0
    done: bool
    by: str
    at: datetime


class InboxMixin(ComplaintsMixin):
    def inbox(self, query: InboxQuery) -> InboxPage:
        """Complaints matching ``query``: priority first, then the earliest due."""
        where, params = _inbox_where(query)
        sql = COMPLAINT_SELECT
        if query.search:
            sql += " join mentions_fts f on f.rowid = m.id"
        sql += f" where {' and '.join(where)}" if where else ""
        # Open rows are read through their own partial index (m005), whose WHERE this
        # query's "status != 'resolved'" matches word for word.
        sql += " order by c.priority, c.due_at, c.id limit ? offset ?"
        params += [query.limit + 1, query.offset]
        found = [_complaint(row) for row in self._rows(sql, params)]
        return InboxPage(complaints=found[: query.limit], more=len(found) > query.limit)

    def history_mark(self) -> int:
        """The newest history line's id: it changes whenever any complaint does, so the
        inbox can tell cheaply whether to refresh."""
        return int(self._one("select coalesce(max(id), 0) from events"))

    # --- follow-up ticks -----------------------------------------------------------------

    def followup_ticks(self, complaint_id: int) -> dict[int, Tick]:
        return {
            row["step"]: Tick(
                step=row["step"], done=bool(row["done"]), by=row["by"], at=parse_iso(row["at"])
            )
            for row in self._rows(
                "select * from followup_ticks where complaint_id = ?", [complaint_id]
            )
        }

    def set_followup_tick(
        self, complaint_id: int, step: int, *, done: bool, text: str, by: str, now: datetime
    ) -> None:
        """Tick (or untick) one step, recorded in the complaint's history."""
        with self._db.atomic():
            self._table("followup_ticks").upsert(
                {
                    "complaint_id": complaint_id,
                    "step": step,
                    "done": int(done),
                    "by": by,
                    "at": iso(now),
                },
                pk=("complaint_id", "step"),
            )
            self.log_event(
                complaint_id,
                "follow-up done" if done else "follow-up reopened",
                by=by,
                now=now,
                detail={"step": step + 1, "text": text},
            )

    # --- drafts ------------------------------------------------------------------------

    def set_public_draft(
        self, complaint_id: int, text: str, checks: list[Finding], *, by: str, now: datetime
    ) -> str:
        """Replace the reply draft and its checker findings; returns the draft before.
        The history keeps the earlier wording."""
        previous = self.complaint(complaint_id).public_draft
        with self._db.atomic():
            self._table("complaints").update(
                complaint_id,
                {
                    "public_draft": text,
                    "draft_checks": _findings_json(checks),
                },
            )
            self.log_event(
                complaint_id,
                "draft edited",
                by=by,
                now=now,
                detail={"previous": previous, "findings": [f.code for f in checks]},
            )
        return previous


def _findings_json(checks: list[Finding]) -> str:
    return json.dumps([{"code": f.code, "message": f.message} for f in checks])


def _inbox_where(query: InboxQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if query.status == OPEN:
        where.append("c.status != 'resolved'")
    elif query.status != ALL:
        if query.status != "resolved":
            where.append("c.status != 'resolved'")  # lets the open rows' index serve it
        where.append("c.status = ?")
        params.append(query.status)
    for column, value in (
        ("c.assignee", query.owner),
        ("m.brand", query.brand),
        ("m.platform", query.platform),
        ("c.priority", query.priority),
    ):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if query.search:
        where.append("mentions_fts match ?")
        params.append(literal_query(query.search))
    return where, params
