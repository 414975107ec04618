"""Reddit through praw: app-only, read-only OAuth.

Per configured subreddit, new posts and new comments are read and kept when a
brand's terms match; a site-wide search (sort new) per brand finds posts
elsewhere. Each listing has its own cursor: the newest item's fullname and time,
plus the fullnames seen at that second. Reading stops at the cursor's *time*,
never at its fullname, because Reddit answers ``before=<deleted item>`` with an
empty page and a deleted post would silently stop the listing for good.

The module also declares what the rest of amends knows about Reddit (``REDDIT``:
hosts, u/ handles, karma, PM wording) and its settings table. praw is imported
when a ``RedditSource`` is built, never by the registry.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch, Mention
from monitor.core.platform import Platform
from monitor.core.settings import BrandSettings, Secret, SourceSettings, reveal, secret_ref
from sources.collect import fingerprint
from sources.matching import BrandMatcher

if TYPE_CHECKING:  # imported when a RedditSource is built, not with the registry
    import praw
    import requests

logger = logging.getLogger(__name__)

PUBLIC_URL = "https://www.reddit.com"  # permalinks point at the public site
DEFAULT_RETRY_AFTER = timedelta(seconds=60)
KARMA_CACHE_SIZE = 5000


class RedditSettings(SourceSettings):
    client_id: Secret | None = None
    client_secret: Secret | None = None
    user_agent: str = "linux:amends:0.1 (brand monitor)"
    subreddits: list[str] = Field(default_factory=list)
    search_sitewide: bool = True
    oauth_url: str = "https://oauth.reddit.com"
    reddit_url: str = "https://www.reddit.com"
    timeout_seconds: float = Field(15.0, gt=0)
    requests_per_minute: int = Field(100, ge=1, le=100)  # Reddit's free OAuth limit is 100
    max_items_per_listing: int = Field(300, ge=25, le=1000)  # per poll, per listing
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)  # a new cursor starts here
    fetch_author_karma: bool = True  # one extra request per new matching author (cached)

    _sec = field_validator("client_id", "client_secret", mode="before")(secret_ref)


def _build(settings: RedditSettings, brands: Sequence[BrandSettings]) -> RedditSource:
    return RedditSource(settings, brands)


REDDIT = Platform(
    name="reddit",
    display="Reddit",
    hosts=frozenset(
        {
            "reddit.com",
            "www.reddit.com",
            "old.reddit.com",
            "new.reddit.com",
            "np.reddit.com",
            "redd.it",
        }
    ),
    handle_prefix="u/",
    reach_word="karma",
    reply_limit=700,  # a comment has room, but a public reply stays one short paragraph
    private_channel="a Reddit PM or email",
    templates="reddit",
    settings=RedditSettings,
    secret_keys=("client_id", "client_secret"),
    build=_build,
)


def make_reddit(
    settings: RedditSettings, client_id: str, client_secret: str, session: requests.Session
) -> praw.Reddit:
    import praw

    reddit = praw.Reddit(
        client_id=client_id,
        client_secret=client_secret,
        user_agent=settings.user_agent,
        check_for_updates=False,
        oauth_url=settings.oauth_url.rstrip("/"),
        reddit_url=settings.reddit_url.rstrip("/"),
        requestor_kwargs={"session": session},
    )
    reddit.read_only = True
    return reddit


def _session(settings: RedditSettings) -> requests.Session:
    from sources.http import throttled_session

    return throttled_session(
        settings.requests_per_minute, settings.timeout_seconds, name=REDDIT.display
    )


# --- listings and cursors ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Listing:
    key: str  # the cursor key
    path: str  # API path, relative to oauth_url
    params: dict[str, str]
    comments: bool = False


def search_query(brand: BrandSettings) -> str:
    # Reddit search has no @ or # semantics: handles and tags are searched as words.
    words = [*brand.keywords, *(h.lstrip("@") for h in brand.handles)]
    words += [t.lstrip("#") for t in brand.hashtags]
    terms = [f'"{w}"' if " " in w.strip() else w.strip() for w in dict.fromkeys(words)]
    return " OR ".join(terms)


def listings(settings: RedditSettings, brands: Sequence[BrandSettings]) -> list[Listing]:
    result = []
    for sub in settings.subreddits:
        name = sub.strip().removeprefix("/").removeprefix("r/")
        result.append(Listing(f"r/{name}/new", f"r/{name}/new", {}))
        result.append(Listing(f"r/{name}/comments", f"r/{name}/comments", {}, comments=True))
    if settings.search_sitewide:
        for brand in brands:
            query = search_query(brand)
            digest = hashlib.sha256(query.encode()).hexdigest()[:12]
            params = {"q": query, "sort": "new", "type": "link", "t": "week"}
            result.append(Listing(f"search-{digest}", "search", params))
    return result


@dataclass(slots=True)
class ListingCursor:
    newest: str | None = None  # fullname of the newest item read
    time: float | None = None  # its created_utc
    seen: list[str] = field(default_factory=list)  # fullnames read at exactly that second
    # A poll that hit max_items_per_listing leaves a gap: continue after ``gap_after``
    # down to ``gap_floor`` (the previous cursor's time) on the next poll.
    gap_after: str | None = None
    gap_floor: float | None = None
    gap_seen: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, cursor: str | None) -> ListingCursor:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
            return cls(
                data.get("newest"),
                data.get("time"),
                list(data.get("seen", [])),
                data.get("gap_after"),
                data.get("gap_floor"),
                list(data.get("gap_seen", [])),
            )
        except (ValueError, AttributeError, TypeError):
            return cls()

    def dump(self) -> str:
        data: dict[str, Any] = {"newest": self.newest, "time": self.time, "seen": self.seen}
        if self.gap_after:
            data.update(gap_after=self.gap_after, gap_floor=self.gap_floor, gap_seen=self.gap_seen)
        return json.dumps(data)


@dataclass(slots=True)
class _Scan:
    newest: ListingCursor | None = None  # the newest item read, for the next cursor
    last: str | None = None  # the oldest item read, where a gap continues
    complete: bool = False  # reached the floor (or the listing's end)
    count: int = 0


# --- the source ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    mentions: dict[str, Mention] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)


class RedditSource:
    name = REDDIT.name

    def __init__(
        self,
        settings: RedditSettings,
        brands: Sequence[BrandSettings],
        *,
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        self.settings = settings
        self._client_id = client_id if client_id is not None else reveal(settings.client_id)
        secret = client_secret if client_secret is not None else reveal(settings.client_secret)
        self._secret_digest = hashlib.sha256(secret.encode()).hexdigest()[:16]
        self._session = _session(settings)
        self._reddit = make_reddit(settings, self._client_id, secret, self._session)
        self._matcher = BrandMatcher(brands)
        self._listings = listings(settings, brands)
        self._karma: dict[str, int] = {}

    @property
    def config_fingerprint(self) -> str:
        parts = [self._client_id, self._secret_digest, self.settings.oauth_url]
        parts += [f"{item.path}?{item.params}" for item in self._listings]
        return fingerprint(parts)

    def describe_queries(self) -> list[str]:
        out = []
        for item in self._listings:
            what = (
                f"search {item.params['q']!r} (sort new)" if item.params else "matching brand terms"
            )
            out.append(f"GET {self.settings.oauth_url.rstrip('/')}/{item.path} - {what}")
        return out

    def close(self) -> None:
        self._session.close()

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        run = _Run()
        reads = 0
        for item in self._listings:
            cursor = ListingCursor.load(cursors.get(item.key))
            try:
                reads += self._read(item, cursor, run, now)
            except Exception as exc:  # translated below; anything unknown re-raises
                error = _translate(exc, item, now, self._batch(run, reads))
                if error is None:
                    raise
                raise error from None
            run.cursors[item.key] = cursor.dump()
        return self._batch(run, reads)

    def _batch(self, run: _Run, reads: int) -> Batch:
        logger.debug("Reddit: %d items read, %d mentions", reads, len(run.mentions))
        # Batch.reads counts billed items; Reddit's free API bills none.
        return Batch(
            source=self.name, mentions=list(run.mentions.values()), cursors=dict(run.cursors)
        )

    def _read(self, item: Listing, cursor: ListingCursor, run: _Run, now: datetime) -> int:
        """Read ``item`` newest-first down to the cursor; advance ``cursor`` in place."""
        count = 0
        if cursor.gap_after:  # finish what a capped poll left before reading newer items
            gap = self._scan(item, run, cursor.gap_after, cursor.gap_floor or 0, cursor.gap_seen)
            count += gap.count
            if not gap.complete:
                cursor.gap_after = gap.last
                return count
            cursor.gap_after, cursor.gap_floor, cursor.gap_seen = None, None, []
        if cursor.time is None:
            lookback = timedelta(minutes=self.settings.first_poll_lookback_minutes)
            floor, seen = (now - lookback).timestamp(), []
        else:
            floor, seen = cursor.time, cursor.seen
        scan = self._scan(item, run, None, floor, seen)
        count += scan.count
        if not scan.complete and scan.last:
            cursor.gap_after, cursor.gap_floor, cursor.gap_seen = scan.last, floor, list(seen)
        newest = scan.newest
        if newest is not None:
            if newest.time == cursor.time:  # still the same second: remember both sets
                newest.seen = [*cursor.seen, *newest.seen]
            cursor.newest, cursor.time, cursor.seen = newest.newest, newest.time, newest.seen
        elif cursor.time is None:
            cursor.time = floor  # nothing yet: start from the lookback next time too
        return count

    def _scan(
        self, item: Listing, run: _Run, after: str | None, floor: float, seen: list[str]
    ) -> _Scan:
        """Read newest-first (after ``after``) until an item older than ``floor``, at
        most max_items_per_listing items; items at ``floor`` in ``seen`` are not new."""
        from praw.models import ListingGenerator

        cap = self.settings.max_items_per_listing
        params: dict[str, str | int] = dict(item.params)
        if after:
            params["after"] = after
        generator = ListingGenerator(
            self._reddit, item.path, limit=cap, params=params, request_limit=100
        )
        scan = _Scan()
        for thing in generator:
            scan.count += 1
            data = vars(thing)
            created = float(data["created_utc"])
            fullname = str(data["name"])
            if created < floor:
                scan.complete = True
                break
            scan.last = fullname
            if created == floor and fullname in seen:
                continue
            if scan.newest is None:
                scan.newest = ListingCursor(fullname, created, [])
            if created == scan.newest.time:
                scan.newest.seen.append(fullname)
            self._keep(data, item, run)
        else:
            scan.complete = scan.count < cap  # the listing ended before the cap
        if not scan.complete:
            logger.info(
                "Reddit %s: read the cap of %d items; the older rest is read next poll",
                item.key,
                cap,
            )
        return scan

    def _keep(self, data: dict[str, Any], item: Listing, run: _Run) -> None:
        fullname = str(data["name"])
        if fullname in run.mentions:
            return  # found by two listings (a subreddit and the search)
        text = thing_text(data, item.comments)
        brand = self._matcher.match(text)
        if brand is None:
            return
        author = data.get("author")
        handle = getattr(author, "name", None) or "[deleted]"
        run.mentions[fullname] = thing_to_mention(data, text, handle, brand, self._reach(handle))

    def _reach(self, handle: str) -> int:
        """Author karma, fetched once per author and cached (one extra request)."""
        import praw
        import prawcore

        if not self.settings.fetch_author_karma or handle == "[deleted]":
            return 0
        if handle not in self._karma:
            if len(self._karma) >= KARMA_CACHE_SIZE:
                self._karma.clear()
            try:
                about = self._reddit.get(f"user/{handle}/about")
                stats = vars(about)
                karma = int(stats.get("link_karma", 0)) + int(stats.get("comment_karma", 0))
            except (
                prawcore.PrawcoreException,
                praw.exceptions.PRAWException,
                TypeError,
                ValueError,
                AttributeError,
            ):
                karma = 0  # suspended or shadow-banned authors have no public profile
            self._karma[handle] = karma
        return self._karma[handle]


def thing_text(data: dict[str, Any], comment: bool) -> str:
    if comment:
        return str(data.get("body") or "")
    title, body = str(data.get("title") or ""), str(data.get("selftext") or "")
    return f"{title}\n\n{body}" if body else title


def thing_to_mention(
    data: dict[str, Any], text: str, handle: str, brand: str, karma: int
) -> Mention:
    comment = str(data["name"]).startswith("t1_")
    score = int(data.get("score") or 0)
    raw = {k: v for k, v in data.items() if isinstance(v, str | int | float | bool | type(None))}
    return Mention(
        platform=REDDIT.name,
        platform_id=str(data["name"]),
        author=handle,
        text=text,
        url=PUBLIC_URL + str(data.get("permalink") or ""),
        created_at=datetime.fromtimestamp(float(data["created_utc"]), UTC),
        reach=karma,
        engagement=score + (0 if comment else int(data.get("num_comments") or 0)),
        author_id=str(data.get("author_fullname") or ""),
        lang=None,
        thread_id=str(data.get("link_id") if comment else data["name"]),
        brand=brand,
        raw=raw,
    )


# --- errors --------------------------------------------------------------------------------


def _translate(exc: Exception, item: Listing, now: datetime, done: Batch) -> SourceError | None:
    """One clear sentence for ``exc``, carrying what the poll read before it (``done``);
    None for an exception that is not the platform's (a bug: it propagates)."""
    import praw
    import prawcore

    def error(kind: type[SourceError], message: str) -> SourceError:
        return kind(message, partial=done, reads=done.reads)

    where = f"r/{item.path.split('/')[1]}" if item.path.startswith("r/") else "site-wide search"
    if isinstance(exc, prawcore.TooManyRequests):
        seconds = _seconds(exc.retry_after)
        retry_at = now + (timedelta(seconds=seconds) if seconds else DEFAULT_RETRY_AFTER)
        return RateLimited("Reddit rate limit (429)", retry_at, partial=done, reads=done.reads)
    if isinstance(exc, prawcore.OAuthException | prawcore.InvalidToken) or (
        isinstance(exc, prawcore.ResponseException) and exc.response.status_code == 401
    ):
        return error(
            SourcePaused,
            "Reddit rejected the app credentials (401): set sources.reddit.client_id and "
            "client_secret to a 'script' or 'web' app's id and secret from "
            "https://www.reddit.com/prefs/apps, then restart amends",
        )
    if isinstance(exc, prawcore.Forbidden):
        return error(
            SourcePaused,
            f"Reddit refused {where} (403): the subreddit is private, banned or quarantined, "
            "or the app is blocked; remove it from sources.reddit.subreddits",
        )
    if isinstance(exc, prawcore.NotFound | prawcore.Redirect):
        return error(SourcePaused, f"Reddit has no {where}: fix sources.reddit.subreddits")
    if isinstance(exc, prawcore.ServerError):
        return error(
            SourceError, f"Reddit server error {exc.response.status_code}; retrying with backoff"
        )
    if isinstance(exc, prawcore.RequestException):
        from sources.http import network_reason

        return error(SourceError, f"cannot reach Reddit: {network_reason(exc.original_exception)}")
    if isinstance(exc, prawcore.BadJSON | ValueError | KeyError | TypeError | AttributeError):
        return error(SourceError, f"Reddit sent a malformed {where} listing: {type(exc).__name__}")
    if isinstance(exc, prawcore.PrawcoreException | praw.exceptions.PRAWException):
        return error(SourceError, f"Reddit error on {where}: {exc}")
    return None


def _seconds(value: str | None) -> float | None:
    try:
        return max(float(value), 1.0) if value else None
    except ValueError:
        return None
