"""The mention store: one SQLite file through sqlite-utils.

WAL mode so the CLI and any SQLite tool can read while the daemon writes.
Every write goes through ``db.atomic()``; ``with db.conn:`` would not roll back
sqlite-utils writes. The schema is built by migrations, so an older file is
upgraded in place and a file from a newer amends is refused.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from monitor.core.errors import StoreError
from monitor.core.models import Batch, Classification, Mention
from monitor.store.migrations import MIGRATIONS

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 40_000  # Reddit's own post limit; anything longer is cut and flagged
COMPLAINT_STATUSES = ("new", "paged", "acknowledged", "resolved")
# A mention can be judged again (a new model) and labelled again (a changed mind):
# the newest row of each counts. SQL subqueries; the first needs mentions aliased as m.
LATEST_CLASSIFICATION = "select max(id) from classifications where mention_id = m.id"
LATEST_FEEDBACK = "select max(id) from feedback group by mention_id"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def clean_for_storage(text: str) -> str:
    """Text SQLite can hold: lone surrogates (undecodable bytes) replaced, NULs dropped,
    length capped."""
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS] + " […cut by amends]"
    return text


@dataclass(frozen=True, slots=True)
class StoredMention:
    id: int
    mention: Mention


@dataclass(frozen=True, slots=True)
class SaveResult:
    new_ids: list[int]  # mentions never seen before, in batch order
    updated: int  # mentions seen before: reach counters refreshed, nothing else


class Store:
    def __init__(self, db: sqlite_utils.Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    # --- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False, timeout: float = 10.0) -> Store:
        path = Path(path)
        if readonly and not path.exists():
            raise StoreError(f"{path}: no such database (run 'amends demo' or 'amends run' first)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
            db = sqlite_utils.Database(conn)
            store = cls(db, path)
            store._prepare(readonly, timeout)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain_sqlite(path, exc)) from None
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the database: {exc.strerror}") from None
        return store

    @classmethod
    def memory(cls) -> Store:
        store = cls(sqlite_utils.Database(memory=True), None)
        store._prepare(False)
        return store

    def _prepare(self, readonly: bool, timeout: float = 10.0) -> None:
        self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("select count(*) from sqlite_master").fetchone()  # detects non-SQLite
        known = {m.name for m in MIGRATIONS._migrations}
        unknown = [m.name for m in MIGRATIONS.applied(self.db) if m.name not in known]
        if unknown:
            raise StoreError(
                f"{self.path}: this database was written by a newer amends "
                f"(migrations {', '.join(unknown)}); upgrade amends or use another file"
            )
        if readonly:
            if MIGRATIONS.pending(self.db):
                raise StoreError(f"{self.path}: database needs an upgrade; run 'amends migrate'")
            return
        if self.path is not None:
            self.db.enable_wal()
        MIGRATIONS.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def transaction(self):
        return self.db.atomic()

    # --- mentions ----------------------------------------------------------------------

    def save_batch(self, batch: Batch, *, now: datetime) -> SaveResult:
        """Store new mentions once, refresh counters on known ones, and persist the
        batch's cursors, all in one transaction."""
        new_ids: list[int] = []
        updated = 0
        stamp = iso(now)
        with self.db.atomic():
            for mention in batch.mentions:
                row = self.db.execute(
                    "select id from mentions where platform = ? and platform_id = ?",
                    [mention.platform, mention.platform_id],
                ).fetchone()
                if row:
                    self.db["mentions"].update(
                        row[0],
                        {
                            "reach": mention.reach,
                            "engagement": mention.engagement,
                            "updated_at": stamp,
                        },
                    )
                    updated += 1
                    continue
                new_ids.append(self._insert_mention(mention, stamp))
            for query_key, cursor in batch.cursors.items():
                self.db["cursors"].upsert(
                    {
                        "source": batch.source,
                        "query_key": query_key,
                        "cursor": cursor,
                        "updated_at": stamp,
                    },
                    pk=("source", "query_key"),
                )
        return SaveResult(new_ids=new_ids, updated=updated)

    def _insert_mention(self, mention: Mention, stamp: str) -> int:
        table = self.db["mentions"]
        table.insert(
            {
                "platform": mention.platform,
                "platform_id": mention.platform_id,
                "url": mention.url,
                "author": clean_for_storage(mention.author)[:200],
                "author_id": mention.author_id,
                "reach": mention.reach,
                "engagement": mention.engagement,
                "text": clean_for_storage(mention.text),
                "lang": mention.lang,
                "thread_id": mention.thread_id,
                "brand": mention.brand,
                "created_at": iso(mention.created_at),
                "fetched_at": stamp,
                "updated_at": stamp,
                "raw": json.dumps(mention.raw, ensure_ascii=False, default=str),
            }
        )
        return int(table.last_pk)

    def cursors(self, source: str) -> dict[str, str]:
        rows = self.db.execute(
            "select query_key, cursor from cursors where source = ?", [source]
        ).fetchall()
        return {key: cursor for key, cursor in rows}

    def mentions(self, ids: Iterable[int]) -> list[StoredMention]:
        ids = list(ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self.db.query(f"select * from mentions where id in ({marks})", ids)
        by_id = {row["id"]: StoredMention(row["id"], _mention_from_row(row)) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def search_mentions(
        self,
        *,
        search: str | None = None,
        platform: str | None = None,
        brand: str | None = None,
        complaints_only: bool = False,
        near_misses: bool = False,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Newest first; ``near_misses``: judged not a complaint, highest score first."""
        where, params = [], []
        sql = (
            "select m.id, m.platform, m.author, m.created_at, m.reach, m.brand, m.text, m.url, "
            "c.complaint, c.complaint_score, c.sentiment from mentions m "
            f"left join classifications c on c.id = ({LATEST_CLASSIFICATION})"
        )
        if search:
            sql += " join mentions_fts f on f.rowid = m.id"
            where.append("mentions_fts match ?")
            params.append(_fts_query(search))
        if platform:
            where.append("m.platform = ?")
            params.append(platform)
        if brand:
            where.append("m.brand = ?")
            params.append(brand)
        if complaints_only:
            where.append("c.complaint = 1")
        if near_misses:
            where.append("c.complaint = 0")
        if where:
            sql += " where " + " and ".join(where)
        order = "c.complaint_score desc, m.id" if near_misses else "m.created_at desc"
        sql += f" order by {order} limit ?"
        params.append(limit)
        return list(self.db.query(sql, params))

    # --- classifications -----------------------------------------------------------------

    def save_classifications(
        self, pairs: Iterable[tuple[int, Classification]], *, now: datetime
    ) -> None:
        rows = [
            {
                "mention_id": mention_id,
                "model": c.model,
                "model_version": c.model_version,
                "complaint": int(c.complaint),
                "complaint_score": round(c.complaint_score, 6),
                "sentiment": c.sentiment,
                "negative": round(c.sentiment_scores.get("negative", 0.0), 6),
                "neutral": round(c.sentiment_scores.get("neutral", 0.0), 6),
                "positive": round(c.sentiment_scores.get("positive", 0.0), 6),
                "classified_at": iso(now),
            }
            for mention_id, c in pairs
        ]
        with self.db.atomic():
            self.db["classifications"].insert_all(rows)

    def latest_classification(self, mention_id: int) -> Classification:
        row = next(
            self.db.query(
                "select * from classifications where mention_id = ? order by id desc limit 1",
                [mention_id],
            )
        )
        return Classification(
            complaint=bool(row["complaint"]),
            complaint_score=row["complaint_score"],
            sentiment=row["sentiment"],
            sentiment_scores={k: row[k] for k in ("negative", "neutral", "positive")},
            model=row["model"],
            model_version=row["model_version"],
        )

    def unclassified_mention_ids(self, limit: int = 1000) -> list[int]:
        """Mentions stored but never classified: a crash between the two steps."""
        return [
            row[0]
            for row in self.db.execute(
                "select id from mentions where id not in (select mention_id from classifications)"
                " order by id limit ?",
                [limit],
            ).fetchall()
        ]

    # --- feedback ------------------------------------------------------------------------

    def add_feedback(
        self, mention_id: int, is_complaint: bool, by: str, *, now: datetime | None = None
    ) -> None:
        if not self.db.execute("select 1 from mentions where id = ?", [mention_id]).fetchone():
            raise StoreError(f"no mention with id {mention_id}")
        with self.db.atomic():
            self.db["feedback"].insert(
                {
                    "mention_id": mention_id,
                    "is_complaint": int(is_complaint),
                    "labelled_by": by,
                    "labelled_at": iso(now or datetime.now(UTC)),
                }
            )

    def feedback_scores(self, brand: str | None = None) -> list[tuple[float, bool]]:
        """(latest complaint score, latest label) per labelled mention, optionally one brand."""
        sql = (
            "select c.complaint_score, f.is_complaint from feedback f"
            " join mentions m on m.id = f.mention_id"
            f" join classifications c on c.id = ({LATEST_CLASSIFICATION})"
            f" where f.id in ({LATEST_FEEDBACK})"
        )
        params: list[Any] = []
        if brand is not None:
            sql += " and m.brand = ?"
            params.append(brand)
        return [(score, bool(label)) for score, label in self.db.execute(sql, params)]

    def feedback_examples(self) -> list[tuple[str, bool]]:
        """The latest label per mention, with its text, for retraining."""
        rows = self.db.execute(
            "select m.text, f.is_complaint from feedback f join mentions m on m.id = f.mention_id"
            f" where f.id in ({LATEST_FEEDBACK}) order by f.id"
        ).fetchall()
        return [(text, bool(label)) for text, label in rows]

    # --- complaints ----------------------------------------------------------------------

    def complaint(self, complaint_id: int) -> dict[str, Any]:
        rows = list(
            self.db.query(
                "select c.*, m.platform, m.author, m.text, m.url, m.reach, m.brand, m.thread_id,"
                " m.platform_id, m.created_at as mention_created_at from complaints c"
                " join mentions m on m.id = c.mention_id where c.id = ?",
                [complaint_id],
            )
        )
        if not rows:
            raise StoreError(f"no complaint with id {complaint_id}")
        return rows[0]

    def complaint_ids_for(self, mention_ids: Iterable[int]) -> dict[int, int]:
        ids = list(mention_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"select mention_id, id from complaints where mention_id in ({marks})", ids
        ).fetchall()
        return dict(rows)

    def list_complaints(
        self, *, status: str | None = None, assignee: str | None = None, limit: int = 50
    ) -> list[dict[str, Any]]:
        where, params = [], []
        if status:
            where.append("c.status = ?")
            params.append(status)
        if assignee:
            where.append("c.assignee = ?")
            params.append(assignee)
        sql = (
            "select c.id, c.priority, c.status, c.assignee, c.category, c.due_at, c.created_at,"
            " m.platform, m.author, m.text, m.url from complaints c"
            " join mentions m on m.id = c.mention_id"
        )
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by c.priority, c.created_at desc limit ?"
        params.append(limit)
        return list(self.db.query(sql, params))

    def set_status(
        self, complaint_id: int, status: str, *, by: str, now: datetime, **fields: Any
    ) -> dict[str, Any]:
        """Move a complaint along new → paged → acknowledged → resolved, recorded."""
        if status not in COMPLAINT_STATUSES:
            raise StoreError(f"unknown status {status!r}")
        current = self.complaint(complaint_id)
        order = COMPLAINT_STATUSES.index
        if order(status) < order(current["status"]):
            raise StoreError(
                f"complaint {complaint_id} is already {current['status']}; cannot go back to "
                f"{status}"
            )
        stamp = iso(now)
        update: dict[str, Any] = {"status": status, **fields}
        if status == "acknowledged":
            update.update(acked_at=stamp, acked_by=by, next_escalation_at=None)
        if status == "resolved":
            update.update(resolved_at=stamp, resolved_by=by, next_escalation_at=None)
            if current["acked_at"] is None:
                update.update(acked_at=stamp, acked_by=by)
        with self.db.atomic():
            self.db["complaints"].update(complaint_id, update)
            self.log_event(complaint_id, status, by=by, now=now, detail=fields or None)
        return self.complaint(complaint_id)

    def reassign(self, complaint_id: int, to: str, *, by: str, now: datetime) -> None:
        current = self.complaint(complaint_id)
        with self.db.atomic():
            # A person chose the owner: the automatic escalation chain no longer applies.
            self.db["complaints"].update(complaint_id, {"assignee": to, "next_escalation_at": None})
            self.log_event(
                complaint_id,
                "assigned",
                by=by,
                now=now,
                detail={"from": current["assignee"], "to": to},
            )

    def log_event(
        self, complaint_id: int, event: str, *, by: str, now: datetime, detail: Any = None
    ) -> None:
        self.db["events"].insert(
            {
                "complaint_id": complaint_id,
                "event": event,
                "by": by,
                "at": iso(now),
                "detail": json.dumps(detail, default=str) if detail is not None else None,
            }
        )

    def events(self, complaint_id: int) -> list[dict[str, Any]]:
        return list(
            self.db.query("select * from events where complaint_id = ? order by id", [complaint_id])
        )

    def counts(self) -> dict[str, int]:
        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        return {
            "mentions": one("select count(*) from mentions"),
            "complaints": one("select count(*) from complaints"),
            "open": one("select count(*) from complaints where status != 'resolved'"),
            "deliveries_sent": one("select count(*) from deliveries where status = 'sent'"),
            "deliveries_failed": one("select count(*) from deliveries where status = 'failed'"),
        }

    def rows(self, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        return self.db.query(sql, list(params))


def _mention_from_row(row: dict[str, Any]) -> Mention:
    return Mention(
        platform=row["platform"],
        platform_id=row["platform_id"],
        author=row["author"],
        text=row["text"],
        url=row["url"],
        created_at=parse_iso(row["created_at"]),
        reach=row["reach"] or 0,
        engagement=row["engagement"] or 0,
        author_id=row["author_id"] or "",
        lang=row["lang"],
        thread_id=row["thread_id"],
        brand=row["brand"],
        raw=json.loads(row["raw"] or "{}"),
    )


def _fts_query(search: str) -> str:
    # Quote each word so user input is never FTS5 syntax ("refund OR" would be an error).
    words = [w.replace('"', '""') for w in search.split()]
    return " ".join(f'"{w}"' for w in words) or '""'


def _explain_sqlite(path: Path, exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return (
            f"{path}: not a usable SQLite database ({text}); "
            "restore it from a backup or move it away"
        )
    if "locked" in text:
        return f"{path}: database is locked by another process (is 'amends run' already running?)"
    return f"{path}: database error: {text}"
