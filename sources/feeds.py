"""RSS and Atom feeds (Google Alerts, review sites, status pages) through feedparser.

Each feed is fetched with requests and parsed with feedparser. feedparser's own
fetching (urllib) has no timeout and never raises on an HTTP error; requests gives
the timeout, the status code and the conditional GET: the ETag and Last-Modified
of the last answer go back exactly as received (quotes included), so an unchanged
feed costs one 304. A 200 repeats old entries, so each feed's cursor keeps the ids
it has seen. A feed can be marked as always about one brand (``brand``): its
entries skip brand matching (a status page names no brand).

One feed failing does not stop the others: what they read is kept, a rate-limited
feed waits in its cursor, and the poll then reports the failure (a dead feed, 404
or 410, pauses the source until its url is fixed).

The module also declares what the rest of amends knows about feeds (``FEEDS``) and
its settings table. feedparser is imported when a ``FeedsSource`` is built.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import Field

from monitor.core.errors import ConfigError, RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch, Mention
from monitor.core.platform import Platform
from monitor.core.settings import BrandSettings, SourceSettings, Strict
from sources.collect import Collected, cursor_key, fingerprint
from sources.html_text import html_to_text
from sources.matching import BrandMatcher

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

SEEN_KEPT = 1000  # entry ids remembered per feed: more than any feed holds at once
DEFAULT_RETRY_AFTER = timedelta(minutes=30)


class FeedSettings(Strict):
    url: str = Field(min_length=1)
    name: str = ""  # how errors and pages name it; the host when empty
    brand: str | None = None  # always about this brand: entries skip brand matching


class FeedsSettings(SourceSettings):
    interval_seconds: int = Field(900, ge=60)  # feeds change slowly; be polite
    feeds: list[FeedSettings] = Field(default_factory=list)
    timeout_seconds: float = Field(15.0, gt=0)
    first_poll_lookback_minutes: int = Field(1440, ge=1, le=100_000)  # older entries are old news
    max_entries_per_feed: int = Field(200, ge=1, le=5000)
    user_agent: str = "amends/0.1 (brand monitor; feed reader)"


def _build(settings: FeedsSettings, brands: Sequence[BrandSettings]) -> FeedsSource:
    return FeedsSource(settings, brands)


FEEDS = Platform(
    name="feeds",
    display="a feed",
    # An entry links wherever its feed points; pages link only Google Alerts' own.
    hosts=frozenset({"www.google.com"}),
    handle_prefix="@",
    reach_word="reach",
    reply_limit=700,
    private_channel="email, or the review site's own reply",
    templates="reddit",  # longer public replies, no 280-character squeeze
    settings=FeedsSettings,
    secret_keys=(),
    build=_build,
)


@dataclass(slots=True)
class FeedState:
    etag: str | None = None
    modified: str | None = None
    seen: list[str] = field(default_factory=list)
    wait_until: str | None = None  # a 429's retry time, ISO
    started: bool = False  # read once: from now on every unseen entry is new

    @classmethod
    def load(cls, cursor: str | None) -> FeedState:
        try:
            data = json.loads(cursor) if cursor else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            return cls()
        return cls(
            data.get("etag"),
            data.get("modified"),
            [str(s) for s in data.get("seen", [])],
            data.get("wait_until"),
            bool(data.get("started")),
        )

    def dump(self) -> str:
        return json.dumps(
            {
                "etag": self.etag,
                "modified": self.modified,
                "seen": self.seen[-SEEN_KEPT:],
                "wait_until": self.wait_until,
                "started": self.started,
            },
            sort_keys=True,
        )


class FeedsSource:
    name = FEEDS.name

    def __init__(self, settings: FeedsSettings, brands: Sequence[BrandSettings]) -> None:
        from sources.http import throttled_session

        names = {b.name for b in brands}
        unknown = [
            f"sources.feeds.feeds[{i}].brand: no brand named {f.brand!r}"
            for i, f in enumerate(settings.feeds)
            if f.brand is not None and f.brand not in names
        ]
        if unknown:
            raise ConfigError(unknown)
        self.settings = settings
        self._session = throttled_session(60, settings.timeout_seconds, name=FEEDS.display)
        self._session.headers["User-Agent"] = settings.user_agent
        self._matcher = BrandMatcher(brands)

    @property
    def config_fingerprint(self) -> str:
        parts = [f"{f.url}\t{f.brand or ''}" for f in self.settings.feeds]
        return fingerprint(parts)

    def describe_queries(self) -> list[str]:
        return [
            f"GET {f.url} (conditional)" + (f" - always about {f.brand}" if f.brand else "")
            for f in self.settings.feeds
        ]

    def close(self) -> None:
        self._session.close()

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        run = Collected(self.name)
        problems: list[SourceError] = []
        waits: list[datetime] = []
        for feed in self.settings.feeds:
            key = cursor_key("feed", feed.url)
            state = FeedState.load(cursors.get(key))
            if state.wait_until and datetime.fromisoformat(state.wait_until) > now:
                waits.append(datetime.fromisoformat(state.wait_until))
                continue
            state.wait_until = None
            try:
                self._read(feed, state, run, now)
            except FeedFailed as failed:
                if failed.retry_at is not None:
                    state.wait_until = failed.retry_at.isoformat()
                    waits.append(failed.retry_at)
                else:
                    problems.append(failed.error)
            run.cursors[key] = state.dump()
        done = run.batch()
        if problems:
            worst = next((p for p in problems if isinstance(p, SourcePaused)), problems[0])
            message = "; ".join(str(p) for p in problems)
            raise type(worst)(message, partial=done, reads=done.reads)
        if waits and len(waits) == len(self.settings.feeds):
            raise RateLimited("every feed is rate-limited", min(waits), partial=done)
        return done

    def _read(self, feed: FeedSettings, state: FeedState, run: Collected, now: datetime) -> None:
        import requests

        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag  # exactly as received, quotes included
        if state.modified:
            headers["If-Modified-Since"] = state.modified
        try:
            response = self._session.get(feed.url, headers=headers)
        except requests.RequestException as exc:
            raise FeedFailed(_unreachable(feed, exc)) from None
        if response.status_code == 304:
            return
        if response.status_code != 200:
            raise FeedFailed.from_status(feed, response, now)
        entries = _parse(feed, response)
        state.etag = response.headers.get("ETag") or state.etag
        state.modified = response.headers.get("Last-Modified") or state.modified
        floor = now - timedelta(minutes=self.settings.first_poll_lookback_minutes)
        seen = set(state.seen)
        for entry in entries[: self.settings.max_entries_per_feed]:
            ident = entry_id(feed, entry)
            if ident in seen:
                continue
            seen.add(ident)
            state.seen.append(ident)
            if not state.started and (_published(entry) or now) < floor:
                continue  # the first read of a feed takes only recent entries
            self._keep(feed, entry, ident, run, now)
        state.started = True

    def _keep(
        self, feed: FeedSettings, entry: Any, ident: str, run: Collected, now: datetime
    ) -> None:
        text = entry_text(entry)
        brand = feed.brand or self._matcher.match(text)
        if brand is None:
            return
        run.add(entry_to_mention(feed, entry, ident, text, brand, now))


class FeedFailed(Exception):
    """One feed's failure, kept until the other feeds are read."""

    def __init__(self, error: SourceError, retry_at: datetime | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_at = retry_at

    @classmethod
    def from_status(
        cls, feed: FeedSettings, response: requests.Response, now: datetime
    ) -> FeedFailed:
        from sources.http import retry_time

        code, where = response.status_code, feed_name(feed)
        if code == 429 or (code == 503 and response.headers.get("Retry-After")):
            wait = retry_time(response.headers.get("Retry-After"), now, DEFAULT_RETRY_AFTER)
            logger.warning("feed %s asks to wait until %s", where, wait)
            return cls(SourceError(f"feed {where} is rate-limited"), retry_at=wait)
        if code in (404, 410):
            return cls(
                SourcePaused(
                    f"feed {where} is gone ({code}): fix or remove its url in sources.feeds.feeds"
                )
            )
        if code in (401, 403):
            return cls(SourcePaused(f"feed {where} refused access ({code}): check its url"))
        if code >= 500:
            return cls(SourceError(f"feed {where}: server error {code}; retrying with backoff"))
        return cls(SourceError(f"feed {where} answered {code}"))


def feed_name(feed: FeedSettings) -> str:
    return feed.name or urlsplit(feed.url).netloc or feed.url


def _unreachable(feed: FeedSettings, exc: Exception) -> SourceError:
    import requests

    from sources.http import network_reason

    if isinstance(exc, requests.Timeout):
        return SourceError(f"feed {feed_name(feed)} did not answer in time; retrying with backoff")
    return SourceError(f"cannot reach feed {feed_name(feed)}: {network_reason(exc)}")


def _parse(feed: FeedSettings, response: requests.Response) -> list[Any]:
    import feedparser

    # A stream, never a string: feedparser would fetch a string that looks like a URL.
    parsed = feedparser.parse(
        io.BytesIO(response.content),
        response_headers={
            "content-type": response.headers.get("Content-Type", "application/xml"),
            "content-location": feed.url,
        },
    )
    if parsed.get("bozo") and not parsed.get("version"):
        reason = type(parsed.get("bozo_exception")).__name__
        raise FeedFailed(SourceError(f"feed {feed_name(feed)} is not RSS or Atom ({reason})"))
    return list(parsed.get("entries", []))


def entry_id(feed: FeedSettings, entry: Any) -> str:
    """The entry's id (a URI or tag: by the specs), else its link; a bare id or a
    hash of the entry is made unique with the feed's url."""
    ident = str(entry.get("id") or entry.get("link") or "")
    if ":" in ident:
        return ident
    if not ident:
        ident = hashlib.sha256(
            (str(entry.get("title", "")) + str(entry.get("summary", ""))).encode()
        ).hexdigest()[:16]
    return f"{feed.url}#{ident}"


def entry_text(entry: Any) -> str:
    """Title and summary (feedparser's sanitised HTML) as plain text."""
    title = html_to_text(str(entry.get("title") or ""))
    contents = entry.get("content") or []
    body = str(entry.get("summary") or (contents[0].get("value") if contents else "") or "")
    body = html_to_text(body)
    return f"{title}\n\n{body}" if body and body != title else title


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC)  # feedparser gives UTC


def entry_to_mention(
    feed: FeedSettings, entry: Any, ident: str, text: str, brand: str, now: datetime
) -> Mention:
    author = str(entry.get("author") or feed_name(feed))
    return Mention(
        platform=FEEDS.name,
        platform_id=ident,
        author=author,
        text=text,
        url=str(entry.get("link") or ""),
        created_at=_published(entry) or now,
        brand=brand,
        thread_id=ident,
        raw={"feed": feed.url, "id": ident, "link": entry.get("link")},
    )
