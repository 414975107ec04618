"""Hacker News through its public Algolia search API (no account, no key).

One ``search_by_date`` per brand term, stories and comments, newest first. The
lower bound ``created_at_i>=`` is in whole seconds: ``>`` would be strict and lose
items posted in the same second as the last one read, so the cursor is a
``sources.window.Window`` (the time and the objectIDs read at it). Points are the
reach; a comment's ``points`` is null.

The module also declares what the rest of amends knows about Hacker News
(``HACKER_NEWS``) and its settings table. requests is imported when a
``HackerNewsSource`` is built.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch, Mention
from monitor.core.platform import Platform
from monitor.core.settings import BrandSettings, SourceSettings
from sources.collect import Collected, cursor_key, fingerprint, search_terms
from sources.html_text import html_to_text
from sources.matching import BrandMatcher
from sources.window import Bound, Window, advance

if TYPE_CHECKING:
    import requests

logger = logging.getLogger(__name__)

ITEM_URL = "https://news.ycombinator.com/item?id="
Kind = Literal["story", "comment"]
KINDS: tuple[Kind, ...] = ("story", "comment")
DEFAULT_RETRY_AFTER = timedelta(minutes=5)


class HackerNewsSettings(SourceSettings):
    base_url: str = "https://hn.algolia.com/api/v1"
    kinds: list[Kind] = Field(default_factory=lambda: list(KINDS), min_length=1)
    hits_per_page: int = Field(100, ge=10, le=1000)
    max_pages_per_poll: int = Field(5, ge=1, le=50)  # per term per poll; the rest comes next poll
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)
    timeout_seconds: float = Field(15.0, gt=0)
    requests_per_minute: int = Field(60, ge=1, le=160)  # Algolia allows 10,000 an hour


def _build(settings: HackerNewsSettings, brands: Sequence[BrandSettings]) -> HackerNewsSource:
    return HackerNewsSource(settings, brands)


HACKER_NEWS = Platform(
    name="hackernews",
    display="Hacker News",
    hosts=frozenset({"news.ycombinator.com"}),
    handle_prefix="@",  # HN has no handle sigil; "@name" is how replies address people
    reach_word="points",
    reply_limit=700,
    private_channel="an email (Hacker News has no private messages)",
    templates="reddit",  # a comment thread, like Reddit: no 280-character squeeze
    settings=HackerNewsSettings,
    secret_keys=(),
    build=_build,
)


class HackerNewsSource:
    name = HACKER_NEWS.name

    def __init__(self, settings: HackerNewsSettings, brands: Sequence[BrandSettings]) -> None:
        from sources.http import throttled_session

        self.settings = settings
        self._session = throttled_session(
            settings.requests_per_minute, settings.timeout_seconds, name=HACKER_NEWS.display
        )
        self._matcher = BrandMatcher(brands)
        self._terms = list(dict.fromkeys(t for b in brands for t in search_terms(b, hashtag="")))
        self._tags = "(" + ",".join(settings.kinds) + ")"

    @property
    def config_fingerprint(self) -> str:
        parts = [self.settings.base_url, self._tags, *self._terms]
        return fingerprint(parts)

    def describe_queries(self) -> list[str]:
        url = self.settings.base_url.rstrip("/")
        return [
            f"GET {url}/search_by_date?query={term} tags={self._tags} (newest first)"
            for term in self._terms
        ]

    def close(self) -> None:
        self._session.close()

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        import requests

        run = Collected(self.name)
        start = (now - timedelta(minutes=self.settings.first_poll_lookback_minutes)).timestamp()
        for term in self._terms:
            key = cursor_key(term, self._tags)
            window = Window.load(cursors.get(key))
            try:
                hits = advance(
                    window,
                    partial(self._pages, term),
                    _created,
                    _object_id,
                    start=int(start),
                    max_pages=self.settings.max_pages_per_poll,
                )
            except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
                raise _translate(exc, term, now, run.batch()) from None
            for hit in hits:
                self._keep(hit, run)
            run.cursors[key] = window.dump()
        return run.batch()

    def _pages(
        self, term: str, low: Bound | None, high: Bound | None
    ) -> Iterator[list[dict[str, Any]]]:
        filters = []
        if low is not None:
            filters.append(f"created_at_i>={int(low.key)}")  # the API's > is strict: >= and ids
        if high is not None:
            filters.append(f"created_at_i<={int(high.key)}")
        page = 0
        while True:
            params: dict[str, str | int] = {
                "query": term,
                "tags": self._tags,
                "numericFilters": ",".join(filters),
                "hitsPerPage": self.settings.hits_per_page,
                "page": page,
            }
            url = self.settings.base_url.rstrip("/") + "/search_by_date"
            response = self._session.get(url, params=params)
            response.raise_for_status()
            body = response.json()
            hits = _checked(body)
            yield hits
            page += 1
            if page >= int(body.get("nbPages", 0)):
                return

    def _keep(self, hit: dict[str, Any], run: Collected) -> None:
        text = hit_text(hit)
        brand = self._matcher.match(text)
        if brand is None:
            return
        run.add(hit_to_mention(hit, text, brand))


def _created(hit: dict[str, Any]) -> float:
    return float(hit["created_at_i"])


def _object_id(hit: dict[str, Any]) -> str:
    return str(hit["objectID"])


def _checked(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("hits"), list):
        raise ValueError("a search answer without a 'hits' list")
    hits = body["hits"]
    for hit in hits:
        if not isinstance(hit, dict) or "objectID" not in hit or "created_at_i" not in hit:
            raise ValueError("a hit without 'objectID' or 'created_at_i'")
        float(hit["created_at_i"])  # a number, or ValueError here rather than mid-scan
    return hits


def hit_text(hit: dict[str, Any]) -> str:
    """A story's title and text, or a comment's text, as plain text (HN sends HTML)."""
    if hit.get("comment_text"):
        return html_to_text(str(hit["comment_text"]))
    title = html_to_text(str(hit.get("title") or ""))
    body = html_to_text(str(hit.get("story_text") or ""))
    return f"{title}\n\n{body}" if body else title


def hit_to_mention(hit: dict[str, Any], text: str, brand: str) -> Mention:
    object_id = str(hit["objectID"])
    story = hit.get("story_id")
    return Mention(
        platform=HACKER_NEWS.name,
        platform_id=object_id,
        author=str(hit.get("author") or ""),
        text=text,
        url=ITEM_URL + object_id,
        created_at=datetime.fromtimestamp(float(hit["created_at_i"]), UTC),
        reach=int(hit.get("points") or 0),  # null on comments
        engagement=int(hit.get("num_comments") or 0),
        author_id=str(hit.get("author") or ""),
        thread_id=str(story) if story is not None else object_id,
        brand=brand,
        raw={k: v for k, v in hit.items() if isinstance(v, str | int | float | bool | None)},
    )


def _translate(exc: Exception, term: str, now: datetime, done: Batch) -> SourceError:
    import requests

    from sources.http import network_reason, retry_time

    def error(kind: type[SourceError], message: str) -> SourceError:
        return kind(message, partial=done, reads=done.reads)

    response: requests.Response | None = getattr(exc, "response", None)
    status = response.status_code if response is not None else None
    if status == 429 and response is not None:
        retry_at = retry_time(response.headers.get("Retry-After"), now, DEFAULT_RETRY_AFTER)
        return RateLimited(
            "Hacker News search rate limit (429)", retry_at, partial=done, reads=done.reads
        )
    if status is not None and status >= 500:
        return error(
            SourceError, f"Hacker News search server error {status}; retrying with backoff"
        )
    if status is not None:
        return error(
            SourcePaused,
            f"Hacker News search refused {term!r} ({status}): check sources.hackernews.base_url "
            "and the brand terms",
        )
    if isinstance(exc, requests.Timeout):
        return error(
            SourceError, "Hacker News search did not answer in time; retrying with backoff"
        )
    if isinstance(exc, requests.RequestException) and not isinstance(exc, ValueError):
        return error(SourceError, f"cannot reach Hacker News search: {network_reason(exc)}")
    return error(SourceError, f"Hacker News search sent a malformed answer: {exc}")
