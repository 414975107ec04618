"""Mastodon through Mastodon.py: hashtag timelines and status search per instance.

For each configured instance (each with an optional token): the timeline of every
brand hashtag and one-word keyword, and a search for every brand term (``search_v2`` with
``resolve=False``; Mastodon searches statuses only for a logged-in account, so
only instances with a token search). A status is keyed by its ActivityPub ``uri``,
so the same post reached through two tags, a tag and a search, or two instances
is one mention; its link is built on the instance that found it.

Timelines are walked *forward* with ``min_id`` (the page just after the cursor,
then the next), never ``since_id``, which answers only the newest page and leaves
a gap after a burst. Search answers newest first with ``min_id`` turned into a
time by the server, so its cursor is a ``sources.window.Window``.

Mastodon.py's defaults would sleep through a 429 inside the poll (``"wait"``) and
fetch the server version; ``ratelimit_method="throw"`` and a declared version
stop both. The module also declares what the rest of amends knows about Mastodon
(``MASTODON``) and its settings table; Mastodon.py is imported when a
``MastodonSource`` is built.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch, Mention
from monitor.core.platform import Platform
from monitor.core.settings import (
    BrandSettings,
    Secret,
    SourceSettings,
    Strict,
    reveal,
    secret_ref,
)
from sources.collect import Collected, cursor_key, fingerprint, search_terms
from sources.html_text import html_to_text
from sources.matching import BrandMatcher
from sources.window import Bound, Window, advance

if TYPE_CHECKING:
    from mastodon import Mastodon

logger = logging.getLogger(__name__)

DEFAULT_RETRY_AFTER = timedelta(minutes=5)  # Mastodon's window, when a 429 has no reset
ASSUMED_VERSION = "4.2.0"  # search of opted-in public posts; saves a version request


class MastodonInstance(Strict):
    url: str = Field(min_length=1)  # https://mastodon.social
    token: Secret | None = None  # an access token with read:search; without it, no search
    hashtags: list[str] = Field(default_factory=list)  # more tags than the brands' own
    search: bool = True  # search the brand terms (needs the token)

    _sec = field_validator("token", mode="before")(secret_ref)


class MastodonSettings(SourceSettings):
    instances: list[MastodonInstance] = Field(default_factory=list)
    page_size: int = Field(40, ge=1, le=40)  # Mastodon's most per page
    max_pages_per_poll: int = Field(5, ge=1, le=50)  # per tag or term; the rest comes next poll
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)
    timeout_seconds: float = Field(15.0, gt=0)
    requests_per_minute: int = Field(60, ge=1, le=300)  # Mastodon allows 300 per 5 minutes
    user_agent: str = "amends (brand monitor)"


def _build(settings: MastodonSettings, brands: Sequence[BrandSettings]) -> MastodonSource:
    return MastodonSource(settings, brands)


MASTODON = Platform(
    name="mastodon",
    display="Mastodon",
    # Links are built on the instance that found the post; pages link only these
    # large instances (a link to any other host is left out of the page).
    hosts=frozenset(
        {
            "mastodon.social",
            "mastodon.online",
            "mstdn.social",
            "mas.to",
            "fosstodon.org",
            "hachyderm.io",
            "infosec.exchange",
            "mastodon.world",
            "techhub.social",
            "universeodon.com",
        }
    ),
    handle_prefix="@",
    reach_word="followers",
    reply_limit=500,
    private_channel="a private mention on Mastodon or email",
    templates="x",  # short public replies that move to a private channel
    settings=MastodonSettings,
    secret_keys=(),  # each instance's token is optional: checked when it is used
    build=_build,
)


def snowflake(moment: float) -> str:
    """The smallest Mastodon id at ``moment`` (seconds): ids are milliseconds << 16."""
    return str(int(moment * 1000) << 16)


@dataclass(frozen=True, slots=True)
class Feed:
    """One thing read on one instance: a hashtag timeline or a search."""

    instance: int  # index in settings.instances
    kind: str  # "tag" | "search"
    value: str  # the tag without "#", or the search term
    key: str


class MastodonSource:
    name = MASTODON.name

    def __init__(self, settings: MastodonSettings, brands: Sequence[BrandSettings]) -> None:
        from sources.http import throttled_session

        self.settings = settings
        self._session = throttled_session(
            settings.requests_per_minute, settings.timeout_seconds, name=MASTODON.display
        )
        self._clients: dict[int, Mastodon] = {}
        self._matcher = BrandMatcher(brands)
        # A one-word keyword is a likely tag too (#acme): without a token, tags are all
        # an instance shows.
        tags = [t.strip().lstrip("#") for b in brands for t in b.hashtags]
        tags += [k.strip() for b in brands for k in b.keywords if k.strip().isalnum()]
        terms = [t for b in brands for t in search_terms(b) if not t.startswith("#")]
        self._feeds: list[Feed] = []
        for index, instance in enumerate(settings.instances):
            base = instance.url.rstrip("/")
            # "#Acme" in an instance's list and a brand's "acme" are one tag, read once.
            listed = [*tags, *instance.hashtags]
            for tag in dict.fromkeys(t.strip().lstrip("#").lower() for t in listed):
                self._feeds.append(Feed(index, "tag", tag, cursor_key(base, "tag", tag)))
            if instance.search and instance.token is not None:
                for term in dict.fromkeys(terms):
                    self._feeds.append(
                        Feed(index, "search", term, cursor_key(base, "search", term))
                    )

    @property
    def config_fingerprint(self) -> str:
        parts = [f"{f.instance}:{f.kind}:{f.value}" for f in self._feeds]
        for instance in self.settings.instances:
            token = instance.token.get_secret_value() if instance.token else ""
            parts += [instance.url, token]  # the ${...} reference, not the token
        return fingerprint(parts)

    def describe_queries(self) -> list[str]:
        lines = []
        for feed in self._feeds:
            base = self.settings.instances[feed.instance].url.rstrip("/")
            if feed.kind == "tag":
                lines.append(f"GET {base}/api/v1/timelines/tag/{feed.value} (forward from min_id)")
            else:
                lines.append(f"GET {base}/api/v2/search?q={feed.value}&type=statuses")
        return lines

    def close(self) -> None:
        self._session.close()

    # --- polling ---------------------------------------------------------------------------

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        from mastodon import MastodonError

        run = Collected(self.name)
        for feed in self._feeds:
            try:
                client = self._client(feed.instance)
                if feed.kind == "tag":
                    cursor = self._walk_tag(client, feed, cursors.get(feed.key), run, now)
                else:
                    cursor = self._search(client, feed, cursors.get(feed.key), run, now)
            except (
                SourceError,
                MastodonError,
                ValueError,
                KeyError,
                TypeError,
                AttributeError,
            ) as exc:
                url = self.settings.instances[feed.instance].url
                used = self._clients.get(feed.instance)
                raise _translate(exc, url, used, now, run.batch()) from None
            run.cursors[feed.key] = cursor
        return run.batch()

    def _client(self, index: int) -> Mastodon:
        from mastodon import Mastodon

        if index not in self._clients:
            instance = self.settings.instances[index]
            try:
                token = reveal(instance.token) or None
            except ValueError as exc:
                raise SourcePaused(f"sources.mastodon.instances[{index}].token: {exc}") from None
            self._clients[index] = Mastodon(
                api_base_url=instance.url.rstrip("/"),
                access_token=token,
                ratelimit_method="throw",  # "wait" would sleep up to 5 minutes inside the poll
                request_timeout=self.settings.timeout_seconds,
                session=self._session,
                version_check_mode="created",
                mastodon_version=ASSUMED_VERSION,
                user_agent=self.settings.user_agent,
            )
        return self._clients[index]

    def _walk_tag(
        self, client: Mastodon, feed: Feed, cursor: str | None, run: Collected, now: datetime
    ) -> str:
        """Read the tag's timeline forward from the cursor, a page after another."""
        if not client.timeline_is_available("hashtag", with_auth=client.access_token is not None):
            # Checked here so Mastodon.py never warns: the instance wants a login.
            raise SourcePaused(
                f"{client.api_base_url} shows hashtag timelines only to logged-in accounts: "
                "set a token for it in sources.mastodon.instances"
            )
        state = _load(cursor)
        lookback = now - timedelta(minutes=self.settings.first_poll_lookback_minutes)
        min_id = state or snowflake(lookback.timestamp())
        for _ in range(self.settings.max_pages_per_poll):
            page = client.timeline_hashtag(feed.value, min_id=min_id, limit=self.settings.page_size)
            if not page:
                break
            for status in page:
                self._keep(status, client, run)
            min_id = max((str(s["id"]) for s in page), key=_id_order)
            if len(page) < self.settings.page_size:
                break
        return json.dumps({"min_id": min_id})

    def _search(
        self, client: Mastodon, feed: Feed, cursor: str | None, run: Collected, now: datetime
    ) -> str:
        window = Window.load(cursor)
        start = (now - timedelta(minutes=self.settings.first_poll_lookback_minutes)).timestamp()
        found = advance(
            window,
            partial(self._search_pages, client, feed.value),
            _created,
            _status_id,
            start=start,
            max_pages=self.settings.max_pages_per_poll,
        )
        for status in found:
            self._keep(status, client, run)
        return window.dump()

    def _search_pages(
        self, client: Mastodon, term: str, low: Bound | None, high: Bound | None
    ) -> Iterator[list[Any]]:
        size = self.settings.page_size
        offset = 0
        while True:
            answer = client.search_v2(
                term,
                resolve=False,  # a WebFinger lookup per search, and it needs a token anyway
                result_type="statuses",
                min_id=snowflake(low.key) if low else None,
                max_id=snowflake(high.key + 1) if high else None,
                offset=offset or None,
                limit=size,
                exclude_unreviewed=False,  # about hashtags only; True costs a version check
            )
            statuses = list(answer["statuses"])
            yield statuses
            if len(statuses) < size:
                return
            offset += size

    def _keep(self, status: Any, client: Mastodon, run: Collected) -> None:
        if status.get("reblog"):
            return  # a boost repeats a post the timeline or search also has
        text = status_text(status)
        brand = self._matcher.match(text)
        if brand is not None:
            run.add(status_to_mention(status, text, brand, str(client.api_base_url)))


def _load(cursor: str | None) -> str | None:
    try:
        data = json.loads(cursor) if cursor else {}
        value = data.get("min_id") if isinstance(data, dict) else None
    except ValueError:
        return None
    return str(value) if value else None


def _id_order(status_id: str) -> tuple[int, str]:
    # Mastodon ids are numbers in strings; compare them as numbers ("10" > "9").
    return (int(status_id), "") if status_id.isdigit() else (0, status_id)


def _created_at(status: Any) -> datetime:
    """Mastodon.py gives a datetime; a raw answer an ISO 8601 string."""
    created = status["created_at"]
    if isinstance(created, str):
        created = datetime.fromisoformat(created.replace("Z", "+00:00"))
    return created


def _created(status: Any) -> float:
    return float(_created_at(status).timestamp())


def _status_id(status: Any) -> str:
    return str(status["id"])


def status_text(status: Any) -> str:
    """The status' words: its content warning, then its HTML content as plain text."""
    text = html_to_text(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "").strip()
    return f"{warning}\n\n{text}" if warning else text


def status_to_mention(status: Any, text: str, brand: str, instance_url: str) -> Mention:
    account = status["account"]
    acct = str(account["acct"])
    counts = ("favourites_count", "reblogs_count", "replies_count")
    return Mention(
        platform=MASTODON.name,
        platform_id=str(status["uri"]),
        author=acct,
        text=text,
        url=f"{instance_url.rstrip('/')}/@{acct}/{status['id']}",
        created_at=_created_at(status).astimezone(UTC),
        reach=int(account.get("followers_count") or 0),
        engagement=sum(int(status.get(c) or 0) for c in counts),
        author_id=str(account.get("url") or acct),
        lang=status.get("language"),
        thread_id=str(status.get("in_reply_to_id") or status["id"]),
        brand=brand,
        raw={"id": str(status["id"]), "uri": str(status["uri"]), "url": status.get("url")},
    )


# --- errors --------------------------------------------------------------------------------


def _translate(
    exc: Exception, url: str, client: Mastodon | None, now: datetime, done: Batch
) -> SourceError:
    """One clear sentence for ``exc``, carrying what the poll read before it (``done``)."""
    from mastodon import (
        MastodonAPIError,
        MastodonNetworkError,
        MastodonNotFoundError,
        MastodonRatelimitError,
        MastodonServerError,
        MastodonUnauthorizedError,
    )

    def error(kind: type[SourceError], message: str) -> SourceError:
        return kind(message, partial=done, reads=done.reads)

    host = urlsplit(url).netloc or url
    if isinstance(exc, SourceError):  # raised by this module (a paused instance)
        return error(type(exc), str(exc))
    if isinstance(exc, MastodonRatelimitError):
        return RateLimited(
            f"Mastodon rate limit on {host} (429)",
            _reset(client, now),
            partial=done,
            reads=done.reads,
        )
    if isinstance(exc, MastodonUnauthorizedError):
        return error(
            SourcePaused,
            f"{host} rejected the token (401): set a valid access token (scope read:search) "
            "in sources.mastodon.instances, then restart amends",
        )
    if isinstance(exc, MastodonNotFoundError):
        return error(SourcePaused, f"{host} has no Mastodon API here (404): check the url")
    if isinstance(exc, MastodonServerError):
        return error(SourceError, f"{host} server error ({_code(exc)}); retrying with backoff")
    if isinstance(exc, MastodonNetworkError):
        from sources.http import network_reason

        # Mastodon.py raises it while handling the requests error, which stays the context.
        return error(SourceError, f"cannot reach {host}: {network_reason(exc)}; retrying")
    if isinstance(exc, MastodonAPIError) and isinstance(_code(exc), int):
        return error(SourcePaused, f"{host} refused the request ({_code(exc)}): {exc.args[-1]}")
    return error(SourceError, f"{host} sent a malformed answer: {type(exc).__name__}")


def _code(exc: BaseException) -> object:
    return exc.args[1] if len(exc.args) > 1 else None


def _reset(client: Mastodon | None, now: datetime) -> datetime:
    """Mastodon.py keeps the window's reset on the client, on the local clock."""
    reset = getattr(client, "ratelimit_reset", None)
    if isinstance(reset, int | float) and reset > time.time():
        return now + timedelta(seconds=max(reset - time.time(), 1.0))
    return now + DEFAULT_RETRY_AFTER
