"""RedditSource against the local Reddit server, through the real praw and prawcore."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from fakes.platforms import NOW, REDDIT_ID, REDDIT_SECRET, RedditServer
from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.settings import BrandSettings
from sources.reddit import RedditSettings, RedditSource

ACME = BrandSettings(name="Acme", keywords=["acme"], handles=["@acmehelp"], exclude=["acme anvil"])


def make(server: RedditServer, **kw: object) -> RedditSource:
    options: dict[str, object] = {
        "oauth_url": server.url,
        "reddit_url": server.url,
        "subreddits": ["gadgets"],
        "timeout_seconds": 2.0,
        "user_agent": "test:amends:0.1 (by u/amends-tests)",
        **kw,
    }
    settings = RedditSettings(enabled=True, **options)
    return RedditSource(settings, [ACME], client_id=REDDIT_ID, client_secret=REDDIT_SECRET)


def poll_all(source: RedditSource, cursors: dict[str, str], now: datetime = NOW) -> list[str]:
    batch = source.poll(cursors, now=now)
    cursors.update(batch.cursors)
    return sorted(m.platform_id for m in batch.mentions)


def test_first_poll_reads_posts_comments_and_search_with_app_only_auth(
    reddit_server: RedditServer,
) -> None:
    post = reddit_server.submission("gadgets", "Acme blender exploded", author="angry", score=40)
    comment = reddit_server.comment("gadgets", "same with my acme toaster", link=post)
    reddit_server.submission("gadgets", "My acme anvil is great")  # excluded phrase
    reddit_server.comment("gadgets", "unrelated chatter")
    elsewhere = reddit_server.submission("cooking", "acme pans peel", author="chef")
    reddit_server.submission("gadgets", "acme from last week", minutes_ago=600)

    batch = make(reddit_server).poll({}, now=NOW)

    assert sorted(m.platform_id for m in batch.mentions) == sorted([post, comment, elsewhere])
    by_id = {m.platform_id: m for m in batch.mentions}
    first = by_id[post]
    assert (first.platform, first.author, first.brand) == ("reddit", "angry", "Acme")
    assert first.url.startswith("https://www.reddit.com/r/gadgets/comments/")
    assert first.reach == 507 and first.engagement == 44
    assert first.created_at == NOW - timedelta(minutes=1)
    assert first.thread_id == post and by_id[comment].thread_id == post
    assert by_id[comment].text == "same with my acme toaster"

    (token,) = reddit_server.calls("/api/v1/access_token")
    assert token.params["grant_type"] == "client_credentials"
    search = reddit_server.calls("/search")[0]
    assert (search.params["sort"], search.params["q"]) == ("new", "acme OR acmehelp")
    assert search.headers["user-agent"].startswith("test:amends:0.1 (by u/amends-tests)")
    assert set(batch.cursors) == {"r/gadgets/new", "r/gadgets/comments", batch_search_key(batch)}
    newest = json.loads(batch.cursors["r/gadgets/new"])
    assert newest["time"] == (NOW - timedelta(minutes=1)).timestamp()


def batch_search_key(batch: object) -> str:
    return next(k for k in batch.cursors if k.startswith("search-"))  # type: ignore[attr-defined]


def test_incremental_poll_reads_only_newer_items(reddit_server: RedditServer) -> None:
    source, cursors = make(reddit_server, search_sitewide=False), {}
    first = reddit_server.submission("gadgets", "acme one", minutes_ago=3)
    assert poll_all(source, cursors) == [first]
    assert json.loads(cursors["r/gadgets/new"])["newest"] == first

    second = reddit_server.submission("gadgets", "acme two", minutes_ago=0.5)
    assert poll_all(source, cursors, NOW + timedelta(minutes=2)) == [second]
    assert poll_all(source, cursors, NOW + timedelta(minutes=4)) == []


def test_items_in_the_same_second_are_neither_lost_nor_repeated(
    reddit_server: RedditServer,
) -> None:
    source, cursors = make(reddit_server, search_sitewide=False), {}
    a = reddit_server.submission("gadgets", "acme a", minutes_ago=1)
    assert poll_all(source, cursors) == [a]
    b = reddit_server.submission("gadgets", "acme b", minutes_ago=1)  # same created_utc
    assert poll_all(source, cursors) == [b]
    assert poll_all(source, cursors) == []


def test_many_pages_are_followed(reddit_server: RedditServer) -> None:
    ids = [reddit_server.submission("gadgets", f"acme {i}", minutes_ago=i / 10) for i in range(230)]
    source = make(reddit_server, search_sitewide=False, fetch_author_karma=False)
    got = poll_all(source, {})
    assert got == sorted(ids)
    assert len(reddit_server.calls("/r/gadgets/new")) == 3


def test_deleted_cursor_item_does_not_stop_the_listing(reddit_server: RedditServer) -> None:
    source, cursors = make(reddit_server, search_sitewide=False), {}
    first = reddit_server.submission("gadgets", "acme one", minutes_ago=3)
    assert poll_all(source, cursors) == [first]
    reddit_server.delete(first)  # Reddit would now answer before=<first> with nothing
    second = reddit_server.submission("gadgets", "acme two", minutes_ago=1)
    assert poll_all(source, cursors) == [second]


def test_restart_resumes_from_persisted_cursors(reddit_server: RedditServer) -> None:
    cursors: dict[str, str] = {}
    first = reddit_server.submission("gadgets", "acme one", minutes_ago=3)
    assert poll_all(make(reddit_server), cursors) == [first]
    second = reddit_server.submission("gadgets", "acme two", minutes_ago=1)
    assert poll_all(make(reddit_server), dict(cursors)) == [second]


def test_a_post_in_a_subreddit_and_the_search_is_one_mention(reddit_server: RedditServer) -> None:
    post = reddit_server.submission("gadgets", "acme broke")
    batch = make(reddit_server).poll({}, now=NOW)
    assert [m.platform_id for m in batch.mentions] == [post]


def test_karma_is_fetched_once_per_author(reddit_server: RedditServer) -> None:
    for i in range(3):
        reddit_server.comment("gadgets", f"acme issue {i}", author="repeat")
    make(reddit_server, search_sitewide=False).poll({}, now=NOW)
    assert len(reddit_server.calls("/user/repeat/about")) == 1


def test_429_honours_retry_after(reddit_server: RedditServer) -> None:
    reddit_server.fail(
        "/r/gadgets/new",
        429,
        {"message": "Too Many Requests", "error": 429},
        headers={"Retry-After": "42"},
    )
    with pytest.raises(RateLimited) as caught:
        make(reddit_server).poll({}, now=NOW)
    assert caught.value.retry_at == NOW + timedelta(seconds=42)


def test_bad_credentials_pause_with_the_fix(reddit_server: RedditServer) -> None:
    settings = RedditSettings(
        oauth_url=reddit_server.url, reddit_url=reddit_server.url, subreddits=["gadgets"]
    )
    source = RedditSource(settings, [ACME], client_id=REDDIT_ID, client_secret="wrong")
    with pytest.raises(SourcePaused, match="client_id and client_secret"):
        source.poll({}, now=NOW)


def test_private_subreddit_pauses_naming_it(reddit_server: RedditServer) -> None:
    reddit_server.fail("/r/gadgets/new", 403, {"reason": "private", "message": "Forbidden"})
    with pytest.raises(SourcePaused, match="r/gadgets"):
        make(reddit_server).poll({}, now=NOW)


def test_server_errors_after_prawcore_retries_are_source_errors(
    reddit_server: RedditServer,
) -> None:
    reddit_server.fail("/r/gadgets/new", 500, {"message": "Internal"}, times=3)
    with pytest.raises(SourceError, match="server error 500"):
        make(reddit_server).poll({}, now=NOW)


def test_malformed_listing_is_a_source_error_and_keeps_earlier_listings(
    reddit_server: RedditServer,
) -> None:
    post = reddit_server.submission("gadgets", "acme broke")
    reddit_server.fail("/r/gadgets/comments", 200, b"<html>maintenance</html>")
    with pytest.raises(SourceError, match="malformed") as caught:
        make(reddit_server).poll({}, now=NOW)
    partial = caught.value.partial
    assert partial is not None and caught.value.reads == 0  # Reddit's free API bills nothing
    assert [m.platform_id for m in partial.mentions] == [post]
    assert set(partial.cursors) == {"r/gadgets/new"}


def test_describe_queries(reddit_server: RedditServer) -> None:
    lines = make(reddit_server).describe_queries()
    assert lines[0] == f"GET {reddit_server.url}/r/gadgets/new - matching brand terms"
    assert lines[-1].endswith("search 'acme OR acmehelp' (sort new)")


def test_created_times_are_utc(reddit_server: RedditServer) -> None:
    reddit_server.submission("gadgets", "acme", minutes_ago=2)
    (m,) = make(reddit_server, search_sitewide=False).poll({}, now=NOW).mentions
    assert m.created_at.tzinfo == UTC


def test_timeout_is_set_on_every_request(reddit_server: RedditServer) -> None:
    # prawcore retries a read timeout twice; each try must give up after timeout_seconds.
    reddit_server.fail("/r/gadgets/new", 200, {"kind": "Listing"}, delay=1.5, times=3)
    with pytest.raises(SourceError, match="cannot reach Reddit"):
        make(reddit_server, timeout_seconds=0.3).poll({}, now=NOW)


def test_429_without_retry_after_waits_a_minute(reddit_server: RedditServer) -> None:
    reddit_server.fail("/r/gadgets/new", 429, {"message": "Too Many Requests", "error": 429})
    with pytest.raises(RateLimited) as caught:
        make(reddit_server).poll({}, now=NOW)
    assert caught.value.retry_at == NOW + timedelta(seconds=60)


def test_empty_listings_keep_the_lookback_floor(reddit_server: RedditServer) -> None:
    batch = make(reddit_server, search_sitewide=False).poll({}, now=NOW)
    assert batch.mentions == [] and batch.reads == 0
    floor = (NOW - timedelta(minutes=60)).timestamp()
    assert {json.loads(c)["time"] for c in batch.cursors.values()} == {floor}
    late = reddit_server.submission("gadgets", "acme arrived late", minutes_ago=30)
    later = make(reddit_server, search_sitewide=False).poll(batch.cursors, now=NOW)
    assert [m.platform_id for m in later.mentions] == [late]


def test_a_capped_listing_reads_the_rest_next_poll(reddit_server: RedditServer) -> None:
    old = [
        reddit_server.submission("gadgets", f"acme {i}", minutes_ago=5 + i / 10) for i in range(60)
    ]
    source = make(reddit_server, search_sitewide=False, max_items_per_listing=25)
    cursors: dict[str, str] = {}
    polls = [poll_all(source, cursors)]
    assert len(polls[0]) == 25
    assert json.loads(cursors["r/gadgets/new"])["gap_after"] == max(polls[0], key=old.index)
    new = reddit_server.submission("gadgets", "acme arrives meanwhile", minutes_ago=0)
    for minute in (2, 4, 6):
        polls.append(poll_all(source, cursors, NOW + timedelta(minutes=minute)))
    got = [name for poll in polls for name in poll]
    assert sorted(got) == sorted([*old, new])  # nothing skipped, nothing twice
    assert [len(p) for p in polls] == [25, 25, 11, 0]
    assert "gap_after" not in json.loads(cursors["r/gadgets/new"])
