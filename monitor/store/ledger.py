"""The delivery ledger (the ``deliveries`` table): one row per page × contact.

A row is keyed by (complaint, kind, level, contact): queueing the same page
again is a no-op. A row goes pending → sending → sent | failed; ``sending`` is
committed before the send, so a crash leaves it there to be sent again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from monitor.store.columns import from_json, iso, iso_or_none, parse_or_none
from monitor.store.connection import Connection

BodyFormat = Literal["markdown", "text"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NewDelivery:
    complaint_id: int  # 0: a digest; negative: an incident (-incident id)
    kind: str  # page | escalation | reminder | incident | digest:NAME | admin
    level: int  # escalation level, reminder step, digest period...
    contact: str  # a key naming the contact without its secret
    responder: str
    tags: list[str]
    title: str
    body: str
    body_format: BodyFormat


@dataclass(frozen=True, slots=True, kw_only=True)
class Delivery:
    id: int
    complaint_id: int
    kind: str
    level: int
    contact: str
    responder: str
    tags: list[str]  # the contact's tags when queued: which of the responder's contacts
    title: str
    body: str
    body_format: BodyFormat
    status: str  # pending | sending | sent | failed
    service: str | None  # the notifier's name for the service of the last attempt
    attempts: int  # including one in progress
    results: list[dict[str, Any]]  # one entry per attempt with the notifier's result
    last_error: str | None
    sent_at: datetime | None


class LedgerMixin(Connection):
    def queue_delivery(self, new: NewDelivery, *, now: datetime) -> bool:
        """Queue one message; False when the ledger already holds it."""
        row = {
            "complaint_id": new.complaint_id,
            "kind": new.kind,
            "level": new.level,
            "contact": new.contact,
            "responder": new.responder,
            "tags": json.dumps(new.tags),
            "title": new.title,
            "body": new.body,
            "body_format": new.body_format,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": iso(now),
            "results": "[]",
            "created_at": iso(now),
        }
        cursor = self._db.execute(
            "insert or ignore into deliveries ({}) values ({})".format(
                ", ".join(row), ", ".join("?" * len(row))
            ),
            list(row.values()),
        )
        return cursor.rowcount > 0

    def claim_due_deliveries(self, now: datetime, *, limit: int) -> list[Delivery]:
        """Pending rows due by ``now``, marked ``sending`` with one more attempt, committed
        before anything is sent."""
        with self._db.atomic():
            rows = list(
                self._rows(
                    "select * from deliveries where status = 'pending' and next_attempt_at <= ? "
                    "order by id limit ?",
                    [iso(now), limit],
                )
            )
            for row in rows:
                row.update(status="sending", attempts=row["attempts"] + 1)
                self._table("deliveries").update(
                    row["id"], {"status": row["status"], "attempts": row["attempts"]}
                )
        return [_delivery(row) for row in rows]

    def record_delivery(
        self,
        delivery: Delivery,
        *,
        status: str,
        attempt: dict[str, Any],
        service: str,
        last_error: str | None,
        sent_at: datetime | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """The outcome of the attempt in progress, added to the row's history."""
        update: dict[str, Any] = {
            "status": status,
            "results": json.dumps([*delivery.results, attempt]),
            "service": service,
            "last_error": last_error,
        }
        if sent_at is not None:
            update["sent_at"] = iso(sent_at)
        if next_attempt_at is not None:
            update["next_attempt_at"] = iso_or_none(next_attempt_at)
        self._table("deliveries").update(delivery.id, update)

    def requeue_interrupted(self, now: datetime) -> int:
        """Rows left ``sending`` by a crash become due again; returns how many."""
        with self._db.atomic():
            cursor = self._db.execute(
                "update deliveries set status = 'pending', next_attempt_at = ? "
                "where status = 'sending'",
                [iso(now)],
            )
        return cursor.rowcount

    def contacts_tried(self, complaint_id: int, kind: str, level: int) -> set[str]:
        """The contact keys a page already went (or is going) to."""
        return {
            row[0]
            for row in self._db.execute(
                "select contact from deliveries where complaint_id = ? and kind = ? and level = ?",
                [complaint_id, kind, level],
            ).fetchall()
        }

    def deliveries(self, complaint_id: int) -> list[Delivery]:
        """Every message queued for a complaint, oldest first."""
        return [
            _delivery(row)
            for row in self._rows(
                "select * from deliveries where complaint_id = ? order by id", [complaint_id]
            )
        ]


def _delivery(row: dict[str, Any]) -> Delivery:
    return Delivery(
        id=row["id"],
        complaint_id=row["complaint_id"],
        kind=row["kind"],
        level=row["level"],
        contact=row["contact"],
        responder=row["responder"],
        tags=from_json(row["tags"], []),
        title=row["title"],
        body=row["body"],
        body_format=cast(BodyFormat, row["body_format"]),
        status=row["status"],
        service=row["service"],
        attempts=row["attempts"],
        results=from_json(row["results"], []),
        last_error=row["last_error"],
        sent_at=parse_or_none(row["sent_at"]),
    )
