"""RSS 2.0 and Atom feeds on 127.0.0.1, with ETag and Last-Modified.

``/rss/<name>`` and ``/atom/<name>`` serve the entries added with ``entry``; the
ETag is a weak, quoted validator (``W/"..."``) that changes with the entries, and
a request whose ``If-None-Match`` is exactly it, or whose ``If-Modified-Since`` is
exactly the Last-Modified sent, gets a 304 with no body.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

from fakes.platforms import NOW, LocalServer, Seen


@dataclass
class Entry:
    guid: str
    title: str
    link: str
    html: str
    published: datetime
    author: str = ""


@dataclass
class Feed:
    entries: list[Entry] = field(default_factory=list)
    modified: datetime = NOW


class FeedServer(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, Feed] = {}

    def entry(
        self,
        feed: str,
        title: str,
        html: str = "",
        *,
        guid: str | None = None,
        link: str | None = None,
        minutes_ago: float = 1.0,
        author: str = "",
        now: datetime = NOW,
    ) -> str:
        entries = self.feeds.setdefault(feed, Feed()).entries
        number = sum(len(f.entries) for f in self.feeds.values())
        guid = guid or f"tag:reviews.example,2026:{feed}-{number}"
        published = now - timedelta(minutes=minutes_ago)
        entries.insert(
            0,
            Entry(
                guid,
                title,
                link or f"https://reviews.example/{feed}/{number}",
                html,
                published,
                author,
            ),
        )
        self.feeds[feed].modified = max(self.feeds[feed].modified, published)
        return guid

    def etag(self, name: str) -> str:
        digest = hashlib.sha256("|".join(e.guid for e in self.feeds[name].entries).encode())
        return f'W/"{digest.hexdigest()[:16]}"'

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        kind, _, name = seen.path.strip("/").partition("/")
        if kind not in ("rss", "atom") or name not in self.feeds:
            return 404, b"<html><body>Not Found</body></html>", {"Content-Type": "text/html"}
        modified = format_datetime(self.feeds[name].modified, usegmt=True)
        headers = {"ETag": self.etag(name), "Last-Modified": modified}
        if seen.headers.get("if-none-match") == headers["ETag"] or (
            "if-none-match" not in seen.headers
            and seen.headers.get("if-modified-since") == modified
        ):
            return 304, b"", headers
        if kind == "rss":
            headers["Content-Type"] = "application/rss+xml; charset=utf-8"
            return 200, self._rss(name).encode(), headers
        headers["Content-Type"] = "application/atom+xml; charset=utf-8"
        return 200, self._atom(name).encode(), headers

    def _rss(self, name: str) -> str:
        items = "".join(
            f"<item><title>{escape(e.title)}</title><link>{escape(e.link)}</link>"
            f'<guid isPermaLink="false">{escape(e.guid)}</guid>'
            f"<description>{escape(e.html)}</description>"
            + (f"<author>{escape(e.author)}</author>" if e.author else "")
            + f"<pubDate>{format_datetime(e.published, usegmt=True)}</pubDate></item>"
            for e in self.feeds[name].entries
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{escape(name)}</title><link>https://reviews.example/{escape(name)}</link>"
            f"<description>Reviews</description>{items}</channel></rss>"
        )

    def _atom(self, name: str) -> str:
        entries = "".join(
            f"<entry><id>{escape(e.guid)}</id><title type='html'>{escape(e.title)}</title>"
            f"<link href='{escape(e.link)}'/><updated>{e.published.isoformat()}</updated>"
            f"<published>{e.published.isoformat()}</published>"
            f"<author><name>{escape(e.author or 'Google Alerts')}</name></author>"
            f"<content type='html'>{escape(e.html)}</content></entry>"
            for e in self.feeds[name].entries
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>tag:alerts.example,2026:{escape(name)}</id><title>{escape(name)}</title>"
            f"<updated>{self.feeds[name].modified.isoformat()}</updated>{entries}</feed>"
        )
