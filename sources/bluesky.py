"""Bluesky post search (``app.bsky.feed.searchPosts``, sorted latest) through atproto.

One search per brand term. Bluesky's own AppView refuses anonymous post search
(403 since January 2025), so with ``identifier`` and ``app_password`` set the
source logs in first: ``login`` answers with the account's PDS and atproto moves
the client there (the PDS proxies app.bsky calls to the AppView). Without them it
searches ``base_url`` anonymously, for a service that allows it.

``since`` is inclusive, so the cursor is a ``sources.window.Window``: the newest
post's sort time and the URIs read at it. Followers are the reach, looked up once
per author with ``getProfiles`` (at most 25 actors a request) and cached.

The module also declares what the rest of amends knows about Bluesky (``BLUESKY``)
and its settings table. atproto is imported when a ``BlueskySource`` is built.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator, model_validator

from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch, Mention
from monitor.core.platform import Platform
from monitor.core.settings import BrandSettings, Secret, SourceSettings, reveal, secret_ref
from sources.collect import Collected, cursor_key, fingerprint, search_terms
from sources.matching import BrandMatcher
from sources.window import Bound, Window, advance

if TYPE_CHECKING:
    from atproto import Client, models

logger = logging.getLogger(__name__)

PROFILES_PER_REQUEST = 25  # app.bsky.actor.getProfiles takes at most 25 actors
FOLLOWER_CACHE_SIZE = 20_000
DEFAULT_RETRY_AFTER = timedelta(minutes=5)


class BlueskySettings(SourceSettings):
    identifier: str | None = None  # the account's handle or email; with app_password, log in
    app_password: Secret | None = None  # Settings -> Privacy and security -> App passwords
    base_url: str = "https://bsky.social"  # where to log in (or search, without an account)
    page_size: int = Field(100, ge=1, le=100)
    max_pages_per_poll: int = Field(5, ge=1, le=50)  # per term; the older rest comes next poll
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)
    timeout_seconds: float = Field(15.0, gt=0)
    fetch_author_followers: bool = True  # one getProfiles per 25 new authors (cached)

    _sec = field_validator("app_password", mode="before")(secret_ref)

    @model_validator(mode="after")
    def _both_or_neither(self) -> BlueskySettings:
        if (self.identifier is None) != (self.app_password is None):
            raise ValueError("identifier and app_password go together: set both or neither")
        return self


def _build(settings: BlueskySettings, brands: Sequence[BrandSettings]) -> BlueskySource:
    return BlueskySource(settings, brands)


BLUESKY = Platform(
    name="bluesky",
    display="Bluesky",
    hosts=frozenset({"bsky.app"}),
    handle_prefix="@",
    reach_word="followers",
    reply_limit=300,  # graphemes; a code point count is close enough for drafts
    private_channel="a Bluesky DM or email",
    templates="x",  # short public replies that move to DMs, as on X
    settings=BlueskySettings,
    secret_keys=(),  # app_password is optional: checked when the source logs in
    build=_build,
)


def post_url(handle: str, uri: str) -> str:
    """The bsky.app page of ``uri`` (at://did/app.bsky.feed.post/rkey)."""
    did, rkey = uri.removeprefix("at://").split("/")[0], uri.rsplit("/", 1)[-1]
    who = handle if handle and handle != "handle.invalid" else did
    return f"https://bsky.app/profile/{who}/post/{rkey}"


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def sort_time(post: models.AppBskyFeedDefs.PostView) -> float:
    """The AppView's sort time (the earlier of created and indexed), which ``since`` uses."""
    indexed = _time(post.indexed_at)
    created = _created(post) or indexed
    return min(created, indexed).timestamp()


def _created(post: models.AppBskyFeedDefs.PostView) -> datetime | None:
    try:
        return _time(str(getattr(post.record, "created_at", "")))
    except ValueError:
        return None


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


class BlueskySource:
    name = BLUESKY.name

    def __init__(self, settings: BlueskySettings, brands: Sequence[BrandSettings]) -> None:
        from atproto import Client
        from atproto_client.request import Request

        self.settings = settings
        self._client: Client = Client(
            base_url=settings.base_url, request=Request(timeout=settings.timeout_seconds)
        )
        self._logged_in = False
        self._matcher = BrandMatcher(brands)
        self._terms = list(dict.fromkeys(t for b in brands for t in search_terms(b)))
        self._followers: dict[str, int] = {}

    @property
    def config_fingerprint(self) -> str:
        password = self.settings.app_password
        parts = [self.settings.base_url, self.settings.identifier or "", *self._terms]
        parts.append(password.get_secret_value() if password else "")  # the ${...} reference
        return fingerprint(parts)

    def describe_queries(self) -> list[str]:
        how = f"as {self.settings.identifier}" if self.settings.identifier else "anonymously"
        return [
            f"searchPosts q={term} sort=latest at {self.settings.base_url} ({how})"
            for term in self._terms
        ]

    def close(self) -> None:
        self._client.request.close()

    # --- polling ---------------------------------------------------------------------------

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        from atproto.exceptions import AtProtocolError

        run = Collected(self.name)
        start = (now - timedelta(minutes=self.settings.first_poll_lookback_minutes)).timestamp()
        try:
            self._log_in()
        except AtProtocolError as exc:
            raise _translate(exc, now, run.batch(), login=True) from None
        for term in self._terms:
            key = cursor_key(term)
            window = Window.load(cursors.get(key))
            try:
                posts = advance(
                    window,
                    partial(self._pages, term),
                    sort_time,
                    _uri,
                    start=start,
                    max_pages=self.settings.max_pages_per_poll,
                )
                self._keep(posts, run)
            except (AtProtocolError, ValueError, AttributeError, TypeError) as exc:
                if _unauthorised(exc):
                    self._logged_in = False  # an expired session: log in afresh next poll
                raise _translate(exc, now, run.batch(), login=False) from None
            run.cursors[key] = window.dump()
        return run.batch()

    def _log_in(self) -> None:
        if self._logged_in or self.settings.identifier is None:
            return
        try:
            password = reveal(self.settings.app_password)
        except ValueError as exc:
            raise SourcePaused(f"sources.bluesky.app_password: {exc}") from None
        # fetch_bsky_profile=False: the login's own profile lookup is a request we never use.
        self._client.login(self.settings.identifier, password, fetch_bsky_profile=False)
        self._logged_in = True

    def _pages(
        self, term: str, low: Bound | None, high: Bound | None
    ) -> Iterator[list[models.AppBskyFeedDefs.PostView]]:
        params: dict[str, Any] = {"q": term, "sort": "latest", "limit": self.settings.page_size}
        if low is not None:
            params["since"] = _iso(low.key)  # inclusive: the window skips what it read
        if high is not None:
            params["until"] = _iso(high.key + 0.001)  # exclusive; the window filters the rest
        while True:
            answer = self._client.app.bsky.feed.search_posts(params=params)
            yield answer.posts
            if not answer.cursor or not answer.posts:
                return
            params["cursor"] = answer.cursor

    def _keep(self, posts: list[models.AppBskyFeedDefs.PostView], run: Collected) -> None:
        matched = []
        for post in posts:
            text = str(getattr(post.record, "text", "") or "")
            brand = self._matcher.match(text)
            if brand is not None and post.uri not in run.mentions:
                matched.append((post, text, brand))
        self._look_up_followers({post.author.did for post, _, _ in matched})
        for post, text, brand in matched:
            run.add(post_to_mention(post, text, brand, self._followers.get(post.author.did, 0)))

    def _look_up_followers(self, dids: set[str]) -> None:
        """Followers of authors not seen before, 25 a request; a failed lookup is reach 0."""
        from atproto.exceptions import AtProtocolError

        missing = sorted(d for d in dids if d not in self._followers)
        if not self.settings.fetch_author_followers or not missing:
            return
        if len(self._followers) + len(missing) > FOLLOWER_CACHE_SIZE:
            self._followers.clear()
        for at in range(0, len(missing), PROFILES_PER_REQUEST):
            chunk = missing[at : at + PROFILES_PER_REQUEST]
            try:
                answer = self._client.app.bsky.actor.get_profiles(params={"actors": chunk})
            except AtProtocolError as exc:
                if _rate_limited(exc):
                    raise  # the poll waits, as for the search itself
                logger.info("Bluesky: follower lookup failed (%s); reach 0 for now", exc)
                return
            for profile in answer.profiles:
                self._followers[profile.did] = int(profile.followers_count or 0)
            for did in chunk:
                self._followers.setdefault(did, 0)  # deleted or suspended: no profile


def _uri(post: models.AppBskyFeedDefs.PostView) -> str:
    return str(post.uri)


def post_to_mention(
    post: models.AppBskyFeedDefs.PostView, text: str, brand: str, followers: int
) -> Mention:
    created = _created(post) or _time(post.indexed_at)
    langs = getattr(post.record, "langs", None) or []
    reply = getattr(post.record, "reply", None)
    root = getattr(getattr(reply, "root", None), "uri", None)
    counts = (post.like_count, post.repost_count, post.reply_count, post.quote_count)
    return Mention(
        platform=BLUESKY.name,
        platform_id=str(post.uri),
        author=post.author.handle,
        text=text,
        url=post_url(post.author.handle, post.uri),
        created_at=created,
        reach=followers,
        engagement=sum(int(c or 0) for c in counts),
        author_id=post.author.did,
        lang=str(langs[0]) if langs else None,
        thread_id=str(root or post.uri),
        brand=brand,
        raw={"uri": post.uri, "cid": post.cid, "indexed_at": post.indexed_at},
    )


# --- errors --------------------------------------------------------------------------------


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _rate_limited(exc: BaseException) -> bool:
    from atproto.exceptions import RateLimitExceededError

    return isinstance(exc, RateLimitExceededError)


def _unauthorised(exc: BaseException) -> bool:
    from atproto.exceptions import UnauthorizedError

    return isinstance(exc, UnauthorizedError) and _status(exc) == 401


def _translate(exc: Exception, now: datetime, done: Batch, *, login: bool) -> SourceError:
    """One clear sentence for ``exc``, carrying what the poll read before it (``done``)."""
    from atproto.exceptions import (
        BadRequestError,
        InvokeTimeoutError,
        NetworkError,
        RateLimitExceededError,
        UnauthorizedError,
    )

    def error(kind: type[SourceError], message: str) -> SourceError:
        return kind(message, partial=done, reads=done.reads)

    if isinstance(exc, RateLimitExceededError):
        wait = exc.reset_at or (
            now + timedelta(seconds=exc.retry_after) if exc.retry_after else None
        )
        retry_at = max(wait, now + timedelta(seconds=1)) if wait else now + DEFAULT_RETRY_AFTER
        return RateLimited("Bluesky rate limit (429)", retry_at, partial=done, reads=done.reads)
    if login and isinstance(exc, UnauthorizedError | BadRequestError):
        return error(
            SourcePaused,
            f"Bluesky refused the login ({exc}): set sources.bluesky.identifier to the "
            "account's handle and app_password to an app password (Settings, Privacy and "
            "security, App passwords), then restart amends",
        )
    if isinstance(exc, UnauthorizedError):
        if _status(exc) == 401:
            return error(SourceError, f"Bluesky session expired ({exc}); logging in again")
        return error(
            SourcePaused,
            f"Bluesky refused the search ({exc}): the service requires an account; set "
            "sources.bluesky.identifier and app_password, then restart amends",
        )
    if isinstance(exc, BadRequestError):
        return error(SourcePaused, f"Bluesky rejected a search ({exc}); check the brand terms")
    if isinstance(exc, InvokeTimeoutError):
        return error(SourceError, "Bluesky did not answer in time; retrying with backoff")
    if isinstance(exc, NetworkError):
        if exc.response is not None:
            return error(SourceError, f"Bluesky answered {exc}; retrying with backoff")
        from sources.http import network_reason

        return error(SourceError, f"cannot reach Bluesky: {network_reason(exc)}")
    status = _status(exc)
    if status is not None and status >= 500:
        return error(SourceError, f"Bluesky server error {status}; retrying with backoff")
    if status is not None:
        return error(SourceError, f"Bluesky answered {exc}")
    return error(SourceError, f"Bluesky sent a malformed answer: {type(exc).__name__}: {exc}")
