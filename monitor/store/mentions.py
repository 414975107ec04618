"""Mentions and the cursors stored with them: saved once and read back (searching
them is ``search.py``)."""

from __future__ import annotations

import json
import zlib
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
    complaint_id: int | None = None  # the complaint opened for it, if any
    status: str | None = None  # that complaint's status, priority and category
    priority: str | None = None
    category: str | None = None
    relevance: float | None = None  # bm25 (higher is better) when sorted by relevance


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
        mention_id = self._insert(
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
            },
        )
        if mention.raw:
            self._db.execute(
                "insert into mention_payloads (mention_id, raw) values (?, ?)",
                [mention_id, pack_payload(mention.raw)],
            )
        return mention_id

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
        rows = self._rows(
            "select m.*, p.raw as payload from mentions m"
            f" left join mention_payloads p on p.mention_id = m.id where m.id in ({marks})",
            ids,
        )
        by_id = {row["id"]: StoredMention(row["id"], mention_from_row(row)) for row in rows}
        return [by_id[i] for i in ids if i in by_id]


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
        raw=unpack_payload(row.get("payload")) or json.loads(row.get("raw") or "{}"),
    )


def pack_payload(raw: dict[str, Any]) -> bytes:
    """A raw platform payload as stored in ``mention_payloads``: compressed JSON (a
    third of its size; see monitor/store/views.py for why it is kept apart)."""
    return zlib.compress(json.dumps(raw, ensure_ascii=False, default=str).encode(), 6)


def unpack_payload(packed: bytes | None) -> dict[str, Any]:
    return json.loads(zlib.decompress(packed)) if packed else {}
