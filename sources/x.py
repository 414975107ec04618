"""X (Twitter) recent search through tweepy's v2 ``Client``.

One query per brand (split when longer than X's 512 characters), each with its
own cursor. A cursor is JSON: ``since_id`` (everything up to it is stored), and
while a poll hit its page cap, ``until_id``/``newest_id`` for the gap still to
fetch, so a capped poll never skips posts and never reads one twice. A query
that X rate-limits waits in its cursor (``wait_until``) while the others run.

The module also declares what the rest of amends knows about X (``X``: hosts,
handles, the weighted 280-character count, DM wording) and its settings table.
tweepy is imported when an ``XSource`` is built, never by the registry.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch, Mention
from monitor.core.platform import Platform
from monitor.core.settings import BrandSettings, Secret, SourceSettings, reveal, secret_ref
from sources.collect import cursor_key, fingerprint
from sources.matching import BrandMatcher

if TYPE_CHECKING:  # imported when an XSource is built, not with the registry
    import tweepy

logger = logging.getLogger(__name__)
# tweepy logs every request's headers at DEBUG, bearer token included; `amends -vv`
# must never print a token.
logging.getLogger("tweepy.client").setLevel(logging.INFO)

MAX_QUERY_CHARS = 512
TWEEPY_HOST = "https://api.twitter.com"  # hard-coded in tweepy.Client.request
TWEET_FIELDS = ["created_at", "author_id", "public_metrics", "conversation_id", "lang"]
USER_FIELDS = ["public_metrics", "username", "verified"]
DEFAULT_RATE_WAIT = timedelta(minutes=15)  # X's window, when a 429 has no reset header
RECENT_WINDOW = timedelta(days=7) - timedelta(minutes=10)  # recent search reaches back 7 days
_SNOWFLAKE_EPOCH_MS = 1288834974657


class XSettings(SourceSettings):
    bearer_token: Secret | None = None
    base_url: str = "https://api.x.com"
    exclude_retweets: bool = True
    languages: list[str] = Field(default_factory=list)  # lang: operators; empty = all
    max_pages_per_poll: int = Field(5, ge=1, le=100)
    monthly_read_budget: int | None = Field(None, ge=1)  # posts read per calendar month
    timeout_seconds: float = Field(15.0, gt=0)
    max_results: int = Field(100, ge=10, le=100)  # posts per page (X allows 10-100)
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)  # a new query starts here
    usage_cap_reset_day: int = Field(1, ge=1, le=28)  # day of month the plan's cap resets

    _sec = field_validator("bearer_token", mode="before")(secret_ref)


# X counts code points 0-4351, 8192-8205, 8208-8223 and 8242-8247 as 1, everything else
# (CJK, emoji) as 2 (twitter-text v3). One class of the heavy ones: a loop over the
# characters took half a second on a 100 KB reply.
_X_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_URL = re.compile(r"https?://\S+", re.I)


def x_length(text: str) -> int:
    """The length X counts: every URL is 23, light code points 1, others 2."""
    total = 0
    for piece in _URL.split(text):
        total += len(piece) + len(_X_HEAVY.findall(piece))
    return total + 23 * len(_URL.findall(text))


def _build(settings: XSettings, brands: Sequence[BrandSettings]) -> XSource:
    return XSource(settings, brands)


X = Platform(
    name="x",
    display="X",
    hosts=frozenset(
        {
            "x.com",
            "www.x.com",
            "mobile.x.com",
            "twitter.com",
            "www.twitter.com",
            "mobile.twitter.com",
        }
    ),
    handle_prefix="@",
    reach_word="followers",
    reply_limit=280,
    reply_length=x_length,
    too_long="{size} characters as X counts them; the limit is {limit} (a link counts 23)",
    one_paragraph=False,  # the weighted 280 is the only squeeze on X
    private_channel="a DM on X",
    templates="x",
    settings=XSettings,
    secret_keys=("bearer_token",),
    build=_build,
)


def make_client(settings: XSettings, token: str) -> tweepy.Client:
    import tweepy

    from sources.http import HostRewriteAdapter

    client = tweepy.Client(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
    adapter = HostRewriteAdapter(TWEEPY_HOST, settings.base_url, settings.timeout_seconds)
    client.session.mount(TWEEPY_HOST, adapter)
    return client


# --- queries -------------------------------------------------------------------------------


def _term(value: str) -> str:
    value = value.strip()
    return f'"{value}"' if any(not (c.isalnum() or c == "_") for c in value) else value


def brand_terms(brand: BrandSettings) -> list[str]:
    terms = [_term(k) for k in brand.keywords]
    terms += ["@" + h.strip().lstrip("@") for h in brand.handles]
    terms += ["#" + t.strip().lstrip("#") for t in brand.hashtags]
    return list(dict.fromkeys(terms))


def build_queries(brand: BrandSettings, settings: XSettings) -> list[str]:
    """The brand's search queries, each at most 512 characters; terms are packed
    greedily and the exclusions and operators repeat in every part."""
    suffix = [f"-{_term(e)}" for e in brand.exclude]
    if settings.exclude_retweets:
        suffix.append("-is:retweet")
    if settings.languages:
        langs = [f"lang:{code}" for code in settings.languages]
        suffix.append(langs[0] if len(langs) == 1 else "(" + " OR ".join(langs) + ")")
    tail = (" " + " ".join(suffix)) if suffix else ""
    room = MAX_QUERY_CHARS - len(tail) - 2  # the parentheses
    queries: list[str] = []
    group: list[str] = []
    for term in brand_terms(brand):
        if group and len(" OR ".join([*group, term])) > room:
            queries.append(_wrap(group) + tail)
            group = []
        group.append(term)
    if group:
        queries.append(_wrap(group) + tail)
    return queries


def _wrap(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def query_key(query: str) -> str:
    # Derived from the text: a changed query starts a fresh cursor instead of
    # resuming with a since_id that belongs to another search.
    return cursor_key(query)


# --- cursors -------------------------------------------------------------------------------


@dataclass(slots=True)
class QueryState:
    since_id: str | None = None
    until_id: str | None = None  # a capped poll's gap: fetch (since_id, until_id) next
    newest_id: str | None = None  # becomes since_id once the gap is fetched
    start_time: str | None = None  # a first poll's lower bound, kept while its gap is open
    wait_until: datetime | None = None

    @classmethod
    def load(cls, cursor: str | None) -> QueryState:
        if not cursor:
            return cls()
        try:
            data = json.loads(cursor)
        except ValueError:
            data = {"since_id": cursor}  # a bare id from an older version
        wait = data.get("wait_until")
        return cls(
            since_id=data.get("since_id"),
            until_id=data.get("until_id"),
            newest_id=data.get("newest_id"),
            start_time=data.get("start_time"),
            wait_until=datetime.fromisoformat(wait) if wait else None,
        )

    def dump(self) -> str:
        data: dict[str, str] = {}
        for key in ("since_id", "until_id", "newest_id", "start_time"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.wait_until:
            data["wait_until"] = self.wait_until.isoformat(timespec="seconds")
        return json.dumps(data, sort_keys=True)


def snowflake_time(post_id: str) -> datetime:
    return datetime.fromtimestamp(((int(post_id) >> 22) + _SNOWFLAKE_EPOCH_MS) / 1000, UTC)


# --- the source ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    """What one poll has gathered so far, kept when a later query fails."""

    mentions: dict[str, Mention] = field(default_factory=dict)
    cursors: dict[str, str] = field(default_factory=dict)
    reads: int = 0


class XSource:
    name = X.name

    def __init__(
        self, settings: XSettings, brands: Sequence[BrandSettings], *, token: str | None = None
    ) -> None:
        self.settings = settings
        self._token = token if token is not None else reveal(settings.bearer_token)
        self._client = make_client(settings, self._token)
        self._matcher = BrandMatcher(brands)
        self._queries = [(b.name, q) for b in brands for q in build_queries(b, settings)]
        self._allowance: int | None = None
        self.monthly_read_budget = settings.monthly_read_budget
        self.min_reads_per_request = 10  # X's smallest max_results

    @property
    def config_fingerprint(self) -> str:
        """Changes when anything a pause could depend on changes (token, URL, queries)."""
        parts = [self._token, self.settings.base_url, *(q for _, q in self._queries)]
        return fingerprint(parts)

    def set_read_allowance(self, reads: int | None) -> None:
        """Posts the next poll may read before the monthly budget runs out."""
        self._allowance = reads

    def describe_queries(self) -> list[str]:
        return [f"[{brand}] {query}" for brand, query in self._queries]

    def close(self) -> None:
        self._client.session.close()

    # --- polling ---------------------------------------------------------------------------

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        import requests
        import tweepy

        run = _Run()
        limited: list[datetime] = []
        polled = 0
        for _, query in self._queries:
            key = query_key(query)
            state = QueryState.load(cursors.get(key))
            if state.wait_until and state.wait_until > now:
                limited.append(state.wait_until)
                continue
            state.wait_until = None
            try:
                self._poll_query(query, state, run, now)
                polled += 1
            except tweepy.TooManyRequests as exc:
                if _usage_capped(exc):
                    run.cursors[key] = state.dump()
                    raise _usage_cap_error(exc, now, self.settings, self._batch(run)) from None
                state.wait_until = _reset_time(exc, now)
                limited.append(state.wait_until)
                logger.warning("X rate-limited query %s until %s", key, state.wait_until)
            except (tweepy.TweepyException, requests.RequestException, ValueError) as exc:
                run.cursors[key] = state.dump()  # keep the pages already read
                raise _translate(exc, query, self._batch(run)) from None
            run.cursors[key] = state.dump()
        if limited and not polled:
            done = self._batch(run)
            message = f"X rate limit on all {len(limited)} queries"
            raise RateLimited(message, min(limited), partial=done, reads=done.reads)
        return self._batch(run)

    def _batch(self, run: _Run) -> Batch:
        return Batch(
            source=self.name,
            mentions=list(run.mentions.values()),
            cursors=dict(run.cursors),
            reads=run.reads,
        )

    def _poll_query(self, query: str, state: QueryState, run: _Run, now: datetime) -> None:
        pages = self.settings.max_pages_per_poll
        if state.until_id:  # finish the gap a capped poll left before reading newer posts
            pages -= self._window(query, state, run, now, pages)
        if pages > 0 and not state.until_id:
            self._window(query, state, run, now, pages)

    def _window(self, query: str, state: QueryState, run: _Run, now: datetime, pages: int) -> int:
        """Read newest-first from (since_id, until_id) for up to ``pages`` pages; on
        the way, keep ``state`` such that stopping at any page loses nothing."""
        params: dict[str, Any] = {
            "max_results": self.settings.max_results,
            "tweet_fields": TWEET_FIELDS,
            "expansions": ["author_id"],
            "user_fields": USER_FIELDS,
        }
        since = state.since_id
        if since and snowflake_time(since) < now - RECENT_WINDOW:
            since = None  # X refuses a since_id older than its 7-day window
        if since:
            params["since_id"] = since
        else:
            lookback = timedelta(minutes=self.settings.first_poll_lookback_minutes)
            start = max(now - lookback, now - RECENT_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ")
            params["start_time"] = state.start_time or start
        resuming = state.until_id is not None
        if resuming:
            params["until_id"] = state.until_id
        used = 0
        token: str | None = None
        while used < pages:
            size = self._page_size(run)
            if size is None:
                return used
            params["max_results"] = size
            response = self._client.search_recent_tweets(query, next_token=token, **params)
            used += 1
            data, meta = _check_shape(response)
            run.reads += len(data)
            self._collect(data, response.get("includes", {}), run)
            if used == 1 and not resuming and meta.get("newest_id"):
                # newest_id comes from the first page only; later pages are older.
                state.newest_id = meta["newest_id"]
            token = meta.get("next_token")
            if not token:
                if state.newest_id:
                    state.since_id = state.newest_id
                state.until_id = state.newest_id = state.start_time = None
                return used
            if meta.get("oldest_id"):
                state.until_id = meta["oldest_id"]  # what remains is older than this
                state.start_time = params.get("start_time")  # ... and newer than this
        return used

    def _page_size(self, run: _Run) -> int | None:
        if self._allowance is None:
            return self.settings.max_results
        left = self._allowance - run.reads
        if left < 10:  # X's smallest page
            logger.info("X read budget allowance reached; stopping this poll")
            return None
        return min(self.settings.max_results, left)

    def _collect(self, data: list[dict[str, Any]], includes: dict[str, Any], run: _Run) -> None:
        users = {u.get("id"): u for u in includes.get("users", []) if isinstance(u, dict)}
        for post in data:
            post_id = str(post.get("id", ""))
            if not post_id or post_id in run.mentions:
                continue  # the same post found by two queries is one mention
            brand = self._matcher.match(post.get("text", ""))
            if brand is None:
                logger.debug("X post %s matched the search but no brand term", post_id)
                continue
            run.mentions[post_id] = to_mention(post, users.get(post.get("author_id")), brand)


def to_mention(post: dict[str, Any], user: dict[str, Any] | None, brand: str) -> Mention:
    user = user or {}
    metrics = post.get("public_metrics") or {}
    handle = user.get("username") or ""
    post_id = str(post["id"])
    created = datetime.fromisoformat(post["created_at"].replace("Z", "+00:00")).astimezone(UTC)
    return Mention(
        platform=X.name,
        platform_id=post_id,
        author=handle,
        text=post.get("text", ""),
        url=f"https://x.com/{handle or 'i/web'}/status/{post_id}",
        created_at=created,
        reach=int((user.get("public_metrics") or {}).get("followers_count", 0)),
        engagement=sum(
            int(metrics.get(k, 0))
            for k in ("like_count", "retweet_count", "reply_count", "quote_count")
        ),
        author_id=str(post.get("author_id", "")),
        lang=post.get("lang"),
        thread_id=post.get("conversation_id"),
        brand=brand,
        raw={"post": post, "user": user},
    )


# --- errors --------------------------------------------------------------------------------


def _check_shape(response: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    if not isinstance(response, dict):
        raise ValueError("X sent a response that is not a JSON object")
    data = response.get("data", [])
    meta = response.get("meta", {})
    if not isinstance(data, list) or not isinstance(meta, dict):
        raise ValueError("X sent a search response without a 'data' list or 'meta' object")
    if any(not isinstance(p, dict) or "id" not in p or "created_at" not in p for p in data):
        raise ValueError("X sent posts without 'id' or 'created_at'")
    return data, meta


def _problem(exc: tweepy.HTTPException) -> dict[str, Any]:
    try:
        body = exc.response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _usage_capped(exc: tweepy.TooManyRequests) -> bool:
    body = _problem(exc)
    return "usage-capped" in str(body.get("type", "")) or body.get("title") == "UsageCapExceeded"


def _reset_time(exc: tweepy.TooManyRequests, now: datetime) -> datetime:
    reset = exc.response.headers.get("x-rate-limit-reset")
    try:
        return max(datetime.fromtimestamp(int(reset), UTC), now + timedelta(seconds=1))
    except (TypeError, ValueError):
        return now + DEFAULT_RATE_WAIT


def next_cap_period(now: datetime, reset_day: int) -> datetime:
    start = now.astimezone(UTC).replace(day=reset_day, hour=0, minute=0, second=0, microsecond=0)
    if start > now:
        return start
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month)


def _usage_cap_error(
    exc: tweepy.TooManyRequests, now: datetime, s: XSettings, done: Batch
) -> RateLimited:
    until = next_cap_period(now, s.usage_cap_reset_day)
    detail = _problem(exc).get("detail") or "usage cap exceeded"
    return RateLimited(
        f"X usage cap reached ({detail}); X polling stops until {until:%Y-%m-%d} "
        "(raise the plan's cap in the X developer portal to resume sooner)",
        until,
        partial=done,
        reads=done.reads,
    )


def _translate(exc: Exception, query: str, done: Batch) -> SourceError:
    """One clear sentence for ``exc``, carrying what the poll read before it (``done``)."""
    import requests
    import tweepy

    def error(kind: type[SourceError], message: str) -> SourceError:
        return kind(message, partial=done, reads=done.reads)

    if isinstance(exc, tweepy.Unauthorized):
        return error(
            SourcePaused,
            "X rejected the bearer token (401 Unauthorized): set sources.x.bearer_token to "
            "the app's Bearer Token from the X developer portal, then restart amends",
        )
    if isinstance(exc, tweepy.Forbidden):
        detail = _problem(exc).get("detail", "")
        return error(
            SourcePaused,
            f"X refused recent search (403 Forbidden{': ' + detail if detail else ''}): the "
            "app must belong to a Project on a plan that includes search; fix it in the X "
            "developer portal, then restart amends",
        )
    if isinstance(exc, tweepy.BadRequest):
        detail = _problem(exc).get("detail") or str(exc)
        return error(
            SourcePaused, f"X rejected the query {query!r} (400: {detail}); fix the brand terms"
        )
    if isinstance(exc, tweepy.TwitterServerError):
        return error(
            SourceError, f"X server error {exc.response.status_code}; retrying with backoff"
        )
    if isinstance(exc, ValueError):  # requests' JSONDecodeError is also a RequestException
        return error(SourceError, f"X sent a malformed response: {exc}")
    if isinstance(exc, requests.Timeout):
        return error(SourceError, "X did not answer in time; retrying with backoff")
    if isinstance(exc, requests.RequestException):
        from sources.http import network_reason

        return error(SourceError, f"cannot reach X: {network_reason(exc)}; retrying with backoff")
    if isinstance(exc, tweepy.HTTPException):
        return error(SourceError, f"X answered {exc.response.status_code}: {exc}")
    return error(SourceError, f"X sent a malformed response: {exc}")
