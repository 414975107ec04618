"""Mentions and the cursors stored with them: saved once, searched, read back."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.core.models import Batch, Mention
from monitor.store.columns import clean_for_storage, iso, parse_iso
from monitor.store.connection import Connection

# A mention can be judged again (a new model): the newest judgement counts.
# A SQL subquery; it needs mentions aliased as m.
LATEST_CLASSIFICATION = "select max(id) from classifications where mention_id = m.id"


@dataclass(frozen=True, slots=True)
class StoredMention:
    id: int
    mention: Mention


@dataclass(frozen=True, slots=True)
class SaveResult:
    new_ids: list[int]  # mentions never seen before, in batch order
    updated: int  # mentions seen before: reach counters refreshed, nothing else


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionHit:
    """A mention as listed by a search, with its latest judgement (None: not judged)."""

    id: int
    platform: str
    author: str
    created_at: datetime
    reach: int
    brand: str | None
    text: str
    url: str
    complaint: bool | None
    complaint_score: float | None
    sentiment: str | None


class MentionsMixin(Connection):
    def save_batch(self, batch: Batch, *, now: datetime) -> SaveResult:
        """Store new mentions once, refresh counters on known ones, and persist the
        batch's cursors, all in one transaction."""
        new_ids: list[int] = []
        updated = 0
        stamp = iso(now)
        with self._db.atomic():
            for mention in batch.mentions:
                known = self._one(
                    "select id from mentions where platform = ? and platform_id = ?",
                    [mention.platform, mention.platform_id],
                )
                if known is not None:
                    self._table("mentions").update(
                        known,
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
                self._table("cursors").upsert(
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
        return self._insert(
            "mentions",
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
            },
        )

    def cursors(self, source: str) -> dict[str, str]:
        """The cursors persisted for ``source``, by query key."""
        rows = self._db.execute(
            "select query_key, cursor from cursors where source = ?", [source]
        ).fetchall()
        return {key: cursor for key, cursor in rows}

    def mentions(self, ids: Iterable[int]) -> list[StoredMention]:
        ids = list(ids)
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = self._rows(f"select * from mentions where id in ({marks})", ids)
        by_id = {row["id"]: StoredMention(row["id"], mention_from_row(row)) for row in rows}
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
    ) -> list[MentionHit]:
        """Newest first; ``near_misses``: judged not a complaint, highest score first."""
        where: list[str] = []
        params: list[Any] = []
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
        return [_hit(row) for row in self._rows(sql, params)]


def mention_from_row(row: dict[str, Any], *, created_at: str = "created_at") -> Mention:
    """A ``Mention`` from a row of ``mentions`` columns; ``created_at`` names the post
    time's column where a join renamed it."""
    return Mention(
        platform=row["platform"],
        platform_id=row["platform_id"],
        author=row["author"],
        text=row["text"],
        url=row["url"],
        created_at=parse_iso(row[created_at]),
        reach=row["reach"] or 0,
        engagement=row["engagement"] or 0,
        author_id=row["author_id"] or "",
        lang=row["lang"],
        thread_id=row["thread_id"],
        brand=row["brand"],
        raw=json.loads(row.get("raw") or "{}"),
    )


def _hit(row: dict[str, Any]) -> MentionHit:
    judged = row["complaint"] is not None
    return MentionHit(
        id=row["id"],
        platform=row["platform"],
        author=row["author"],
        created_at=parse_iso(row["created_at"]),
        reach=row["reach"],
        brand=row["brand"],
        text=row["text"],
        url=row["url"],
        complaint=bool(row["complaint"]) if judged else None,
        complaint_score=row["complaint_score"],
        sentiment=row["sentiment"],
    )


def _fts_query(search: str) -> str:
    # Quote each word so user input is never FTS5 syntax ("refund OR" would be an error).
    words = [w.replace('"', '""') for w in search.split()]
    return " ".join(f'"{w}"' for w in words) or '""'
