"""Benchmark: mentions per second one poll ingests end to end (fetch + store).

    python benchmarks/bench_ingest.py [-n 5000] [--repeat 3]

Runs the real XSource (tweepy), RedditSource (praw), BlueskySource (atproto),
MastodonSource (Mastodon.py), HackerNewsSource (requests) and FeedsSource
(requests + feedparser) against the threaded local servers of fakes/ on 127.0.0.1,
through poll_source (cursors, health, read accounting) and Store.save_batch into a
fresh SQLite file (WAL, FTS5 triggers). Classification is excluded. The figure is bounded by the
local servers too (they are Python and share the 2 cores), so it is a floor for
the client side, not a platform throughput: real X answers 100 posts a request
and allows 450 requests per 15 minutes (app auth), Reddit 100 requests a minute,
Bluesky 100 posts a request, Mastodon 40 (300 requests per 5 minutes), Hacker News'
Algolia up to 1000 hits a request (10,000 requests an hour).
Not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fakes.bluesky import APP_PASSWORD, IDENTIFIER, BlueskyServer  # noqa: E402
from fakes.feeds import FeedServer  # noqa: E402
from fakes.hackernews import HackerNewsServer  # noqa: E402
from fakes.mastodon import MastodonServer  # noqa: E402
from fakes.platforms import (  # noqa: E402
    NOW,
    REDDIT_ID,
    REDDIT_SECRET,
    X_TOKEN,
    RedditServer,
    XServer,
)
from monitor.config import BrandSettings, RedditSettings, XSettings  # noqa: E402
from monitor.daemon.polling import poll_source  # noqa: E402
from monitor.store import Store  # noqa: E402
from sources.base import Source  # noqa: E402
from sources.bluesky import BlueskySettings, BlueskySource  # noqa: E402
from sources.feeds import FeedsSettings, FeedsSource  # noqa: E402
from sources.hackernews import HackerNewsSettings, HackerNewsSource  # noqa: E402
from sources.mastodon import MastodonSettings, MastodonSource  # noqa: E402
from sources.reddit import RedditSource  # noqa: E402
from sources.x import XSource  # noqa: E402

BRAND = BrandSettings(name="Acme", keywords=["acme"], handles=["@acmehelp"])
TEXTS = [
    "@acmehelp my order {i} never arrived and nobody answers",
    "acme charged me twice for order {i}, this is the third time",
    "Is acme down? App crashes on login since update {i}",
]


def one_run(make: Callable[[], Source], n: int) -> tuple[float, float, int]:
    """(fetch seconds, store seconds, mentions stored) for one poll into a new file."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        source = make()
        start = time.perf_counter()
        batch = poll_source(source, store, now=NOW + timedelta(seconds=1), force=True)
        fetched = time.perf_counter()
        assert batch is not None, "poll failed"
        result = store.save_batch(batch, now=NOW)
        stored = time.perf_counter()
        store.close()
    if len(result.new_ids) != n:
        raise SystemExit(f"expected {n} new mentions, stored {len(result.new_ids)}")
    return fetched - start, stored - fetched, len(result.new_ids)


def x_case(n: int) -> tuple[XServer, Callable[[], Source]]:
    server = XServer()
    for i in range(n):
        server.post(TEXTS[i % 3].format(i=i), minutes_ago=30 * (n - i) / n)
    settings = XSettings(
        enabled=True,
        base_url=server.url,
        max_results=100,
        max_pages_per_poll=100,
        first_poll_lookback_minutes=60,
    )
    return server, lambda: XSource(settings, [BRAND], token=X_TOKEN)


def reddit_case(n: int) -> tuple[RedditServer, Callable[[], Source]]:
    server = RedditServer()
    for i in range(n // 2):
        age = 30 * (n - i) / n
        server.submission("support", TEXTS[i % 3].format(i=i), author=f"u{i % 50}", minutes_ago=age)
        server.comment(
            "support", TEXTS[(i + 1) % 3].format(i=i), author=f"u{i % 50}", minutes_ago=age
        )
    settings = RedditSettings(
        enabled=True,
        oauth_url=server.url,
        reddit_url=server.url,
        subreddits=["support"],
        search_sitewide=False,  # the subreddit listings already hold every item
        max_items_per_listing=1000,
        user_agent="bench:amends:0.1 (by u/amends)",
    )
    return server, lambda: RedditSource(
        settings, [BRAND], client_id=REDDIT_ID, client_secret=REDDIT_SECRET
    )


def bluesky_case(n: int) -> tuple[BlueskyServer, Callable[[], Source]]:
    server = BlueskyServer()
    for i in range(n):
        age = 30 * (n - i) / n
        server.post(TEXTS[i % 3].format(i=i), handle=f"u{i % 50}.bsky.social", minutes_ago=age)
    os.environ["BENCH_BSKY_PASSWORD"] = APP_PASSWORD
    settings = BlueskySettings.model_validate(
        {
            "enabled": True,
            "base_url": server.url,
            "identifier": IDENTIFIER,
            "app_password": "${BENCH_BSKY_PASSWORD}",
            "max_pages_per_poll": 50,
        }
    )
    return server, lambda: BlueskySource(settings, [BRAND])


def mastodon_case(n: int) -> tuple[MastodonServer, Callable[[], Source]]:
    server = MastodonServer()
    for i in range(n):
        age = 30 * (n - i) / n
        server.status(f"<p>{TEXTS[i % 3].format(i=i)}</p>", tags=("acme",), minutes_ago=age)
    settings = MastodonSettings.model_validate(
        {
            "enabled": True,
            "instances": [{"url": server.url}],  # no token: the #acme timeline only
            "max_pages_per_poll": 50,
            "requests_per_minute": 300,
        }
    )
    return server, lambda: MastodonSource(settings, [BRAND])


def hackernews_case(n: int) -> tuple[HackerNewsServer, Callable[[], Source]]:
    server = HackerNewsServer()
    for i in range(n):
        server.comment(f"<p>{TEXTS[i % 3].format(i=i)}</p>", minutes_ago=30 * (n - i) / n)
    settings = HackerNewsSettings(
        enabled=True,
        base_url=server.url + "/api/v1",
        hits_per_page=1000,
        max_pages_per_poll=50,
        requests_per_minute=160,
    )
    return server, lambda: HackerNewsSource(settings, [BRAND])


def feeds_case(n: int) -> tuple[FeedServer, Callable[[], Source]]:
    server = FeedServer()
    for i in range(n):
        text = TEXTS[i % 3].format(i=i)
        server.entry("reviews", text, f"<p>{text}</p>", minutes_ago=30 * (n - i) / n)
    settings = FeedsSettings.model_validate(
        {
            "enabled": True,
            "feeds": [{"url": server.url + "/rss/reviews"}],
            "max_entries_per_feed": 5000,
        }
    )
    return server, lambda: FeedsSource(settings, [BRAND])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "-n",
        type=int,
        default=5000,
        help="posts per X run (Reddit: up to 1800, under its 1000-item listing cap)",
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cases = [
        ("x", x_case, args.n),
        ("reddit", reddit_case, min(args.n, 1800)),
        ("bluesky", bluesky_case, min(args.n, 5000)),
        ("mastodon", mastodon_case, min(args.n, 2000)),  # 50 pages of 40
        ("hackernews", hackernews_case, args.n),
        ("feeds", feeds_case, min(args.n, 5000)),
    ]
    print(f"ingest benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, best of {args.repeat}")
    for name, build, n in cases:
        server, make = build(n)
        try:
            runs = [one_run(make, n) for _ in range(args.repeat)]
        finally:
            server.close()
        best = min(runs, key=lambda r: r[0] + r[1])
        rates = [r[2] / (r[0] + r[1]) for r in runs]
        print(
            f"{name:10s} {n:5d} mentions: fetch {best[0]:.2f} s + store {best[1]:.2f} s"
            f" -> {best[2] / (best[0] + best[1]):,.0f} mentions/s"
            f" (median {statistics.median(rates):,.0f},"
            f" {len(server.requests) // args.repeat} requests a poll)"
        )


if __name__ == "__main__":
    main()
