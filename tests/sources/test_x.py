"""XSource against the local X server, through the real tweepy client."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fakes.platforms import NOW, X_TOKEN, Seen, XServer, problem
from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.settings import BrandSettings
from sources.x import XSettings, XSource, build_queries, next_cap_period, query_key

ACME = BrandSettings(
    name="Acme",
    keywords=["acme", "acme support"],
    handles=["@acmehelp"],
    hashtags=["#acmefail"],
    exclude=["acme anvil"],
)
GLOBEX = BrandSettings(name="Globex", keywords=["globex"])
SEARCH = "/2/tweets/search/recent"


def make(server: XServer, brands: list[BrandSettings] | None = None, **kw: object) -> XSource:
    options: dict[str, object] = {"base_url": server.url, "timeout_seconds": 2.0, **kw}
    return XSource(XSettings(enabled=True, **options), brands or [ACME], token=X_TOKEN)


def poll_all(source: XSource, cursors: dict[str, str], now: datetime = NOW) -> list[str]:
    batch = source.poll(cursors, now=now)
    cursors.update(batch.cursors)
    return [m.platform_id for m in batch.mentions]


def test_first_poll_maps_posts_and_sends_the_documented_fields(x_server: XServer) -> None:
    x_server.add_user("bigcust", followers=48_000)
    wanted = x_server.post("@acmehelp my order never came", user="bigcust", likes=5)
    x_server.post("love my new acme anvil")  # excluded phrase
    x_server.post("nothing to see here")
    old = x_server.post("acme is down", minutes_ago=600)  # before the first-poll lookback

    batch = make(x_server).poll({}, now=NOW)

    assert [m.platform_id for m in batch.mentions] == [wanted]
    assert old not in [m.platform_id for m in batch.mentions]
    mention = batch.mentions[0]
    assert mention.platform == "x"
    assert mention.author == "bigcust"
    assert mention.reach == 48_000
    assert mention.engagement == 5 + 1 + 2
    assert mention.url == f"https://x.com/bigcust/status/{wanted}"
    assert mention.created_at == NOW - timedelta(minutes=1)
    assert mention.created_at.tzinfo is not None
    assert (mention.brand, mention.lang, mention.thread_id) == ("Acme", "en", wanted)
    assert batch.reads == 1

    (call,) = x_server.calls(SEARCH)
    assert call.headers["authorization"] == f"Bearer {X_TOKEN}"
    assert call.params["tweet.fields"] == "created_at,author_id,public_metrics,conversation_id,lang"
    assert call.params["expansions"] == "author_id"
    assert call.params["user.fields"] == "public_metrics,username,verified"
    assert call.params["start_time"] == "2026-11-23T11:00:00Z"
    assert "since_id" not in call.params
    assert "-is:retweet" in call.params["query"] and '-"acme anvil"' in call.params["query"]
    assert json.loads(batch.cursors[query_key(call.params["query"])]) == {"since_id": wanted}


def test_incremental_poll_sends_since_id_and_reads_only_new_posts(x_server: XServer) -> None:
    source, cursors = make(x_server), {}
    first = x_server.post("acme broke")
    assert poll_all(source, cursors) == [first]
    second = x_server.post("acme broke again")

    assert poll_all(source, cursors) == [second]
    assert x_server.calls(SEARCH)[-1].params["since_id"] == first
    assert poll_all(source, cursors) == []  # nothing new: nothing read twice


def test_pages_are_followed_and_newest_id_comes_from_the_first_page(x_server: XServer) -> None:
    ids = [x_server.post(f"acme complaint {i}") for i in range(25)]
    source, cursors = make(x_server, max_results=10), {}

    got = poll_all(source, cursors)

    assert sorted(got) == sorted(ids)
    calls = x_server.calls(SEARCH)
    assert len(calls) == 3
    assert [c.params.get("next_token") for c in calls] == [None, "10", "20"]
    assert json.loads(next(iter(cursors.values()))) == {"since_id": max(ids, key=int)}


def test_page_cap_leaves_a_gap_that_the_next_poll_fills(x_server: XServer) -> None:
    old = [x_server.post(f"acme complaint {i}") for i in range(25)]
    source, cursors = make(x_server, max_results=10, max_pages_per_poll=2), {}

    first = poll_all(source, cursors)
    assert len(first) == 20
    newer = x_server.post("acme new complaint while we were capped")
    second = poll_all(source, cursors)
    third = poll_all(source, cursors)

    assert sorted(first + second) == sorted([*old, newer])  # nothing skipped ...
    assert len(set(first + second)) == len(first + second)  # ... nothing twice
    assert third == []
    gap_call = x_server.calls(SEARCH)[2]
    assert gap_call.params["until_id"] == min(first, key=int)


def test_a_post_deleted_between_polls_breaks_nothing(x_server: XServer) -> None:
    ids = [x_server.post(f"acme complaint {i}") for i in range(15)]
    source, cursors = make(x_server, max_results=10, max_pages_per_poll=1), {}
    first = poll_all(source, cursors)
    del x_server.posts[ids[0]]  # in the unread gap
    del x_server.posts[max(first, key=int)]  # the newest one, soon our since_id

    second = poll_all(source, cursors)
    later = x_server.post("acme still broken")
    third = poll_all(source, cursors)

    assert sorted(first + second) == sorted(ids[1:])
    assert third == [later]


def test_empty_results_keep_no_cursor_and_read_nothing(x_server: XServer) -> None:
    batch = make(x_server).poll({}, now=NOW)
    assert batch.mentions == [] and batch.reads == 0
    assert list(batch.cursors.values()) == ["{}"]


def test_a_post_found_by_two_queries_is_one_mention(x_server: XServer) -> None:
    both = x_server.post("acme and globex both lost my parcel")
    batch = make(x_server, [ACME, GLOBEX]).poll({}, now=NOW)
    assert [(m.platform_id, m.brand) for m in batch.mentions] == [(both, "Acme")]
    assert len(batch.cursors) == 2 and batch.reads == 2


def test_long_brands_are_split_into_queries_with_their_own_cursors(x_server: XServer) -> None:
    words = [f"acmeproduct{i:03d}" for i in range(80)]
    big = BrandSettings(name="Acme", keywords=words, exclude=["acme anvil"])
    settings = XSettings(languages=["en", "de"])
    queries = build_queries(big, settings)
    assert len(queries) > 1
    assert all(len(q) <= 512 for q in queries)
    assert all(q.endswith('-"acme anvil" -is:retweet (lang:en OR lang:de)') for q in queries)
    assert sorted(w for q in queries for w in words if f"{w} " in q or f"{w})" in q) == words

    hit = x_server.post("acmeproduct079 is broken")
    batch = make(x_server, [big], languages=["en", "de"]).poll({}, now=NOW)
    assert [m.platform_id for m in batch.mentions] == [hit]
    assert set(batch.cursors) == {query_key(q) for q in queries}


def test_rate_limited_query_waits_until_reset_while_others_run(x_server: XServer) -> None:
    source, cursors = make(x_server, [ACME, GLOBEX]), {}
    x_server.post("acme down")
    globex = x_server.post("globex down")
    reset = int((NOW + timedelta(minutes=5)).timestamp())
    x_server.fail(
        SEARCH,
        429,
        problem("Too Many Requests", "Too Many Requests", "about:blank", 429),
        headers={"x-rate-limit-reset": str(reset)},
    )

    assert poll_all(source, cursors) == [globex]
    acme_key = query_key(build_queries(ACME, source.settings)[0])
    assert json.loads(cursors[acme_key])["wait_until"] == "2026-11-23T12:05:00+00:00"

    before = len(x_server.calls(SEARCH))
    poll_all(source, cursors, NOW + timedelta(minutes=2))  # Acme still waits
    assert len(x_server.calls(SEARCH)) == before + 1
    got = poll_all(source, cursors, NOW + timedelta(minutes=6))
    assert len(got) == 1  # Acme's post, read once the window reset


def test_rate_limit_without_reset_header_waits_the_default_window(x_server: XServer) -> None:
    x_server.fail(SEARCH, 429, problem("Too Many Requests", "", "about:blank", 429))
    with pytest.raises(RateLimited) as caught:
        make(x_server).poll({}, now=NOW)
    assert caught.value.retry_at == NOW + timedelta(minutes=15)


def test_usage_cap_stops_x_until_the_next_period(x_server: XServer) -> None:
    body = problem(
        "UsageCapExceeded",
        "Usage cap exceeded: Monthly product cap",
        "https://api.twitter.com/2/problems/usage-capped",
        429,
    )
    x_server.fail(SEARCH, 429, {**body, "period": "Monthly", "scope": "Product"})
    with pytest.raises(RateLimited, match="usage cap") as caught:
        make(x_server).poll({}, now=NOW)
    assert caught.value.retry_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert next_cap_period(NOW, 23) == datetime(2026, 12, 23, tzinfo=UTC)
    assert next_cap_period(NOW, 24) == datetime(2026, 11, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "fix"),
    [(401, "sources.x.bearer_token"), (403, "Project")],
)
def test_auth_errors_pause_with_one_sentence_naming_the_fix(
    x_server: XServer, status: int, fix: str
) -> None:
    x_server.fail(
        SEARCH, status, problem("Forbidden", "client-not-enrolled", "about:blank", status)
    )
    with pytest.raises(SourcePaused, match=fix):
        make(x_server).poll({}, now=NOW)


def test_wrong_token_is_a_401_from_the_server(x_server: XServer) -> None:
    source = XSource(XSettings(base_url=x_server.url), [ACME], token="wrong")
    with pytest.raises(SourcePaused, match="401"):
        source.poll({}, now=NOW)


def test_server_error_keeps_the_pages_already_read(x_server: XServer) -> None:
    ids = [x_server.post(f"acme complaint {i}") for i in range(15)]
    source, cursors = make(x_server, max_results=10), {}
    original = x_server.route

    def second_page_fails(seen: Seen) -> tuple[int, Any, dict[str, str]]:
        if seen.params.get("next_token"):
            return 503, problem("Service Unavailable", "", "about:blank", 503), {}
        return original(seen)

    x_server.route = second_page_fails  # type: ignore[method-assign]
    with pytest.raises(SourceError, match="server error 503") as caught:
        source.poll(cursors, now=NOW)
    partial = caught.value.partial
    assert partial is not None and len(partial.mentions) == 10 and partial.reads == 10
    assert caught.value.reads == 10  # billed, though the poll failed
    cursors.update(partial.cursors)

    x_server.route = original  # type: ignore[method-assign]
    rest = poll_all(source, cursors)
    assert sorted([m.platform_id for m in partial.mentions] + rest) == sorted(ids)


def test_timeout_is_enforced_by_the_adapter(x_server: XServer) -> None:
    x_server.fail(SEARCH, 200, {"meta": {"result_count": 0}}, delay=1.5)
    start = datetime.now(UTC)
    with pytest.raises(SourceError, match="in time"):
        make(x_server, timeout_seconds=0.3).poll({}, now=NOW)
    assert datetime.now(UTC) - start < timedelta(seconds=1.4)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"data": "oops", "meta": {}}', b'{"data": [{"text": "acme"}], "meta": {}}'],
)
def test_malformed_responses_are_source_errors(x_server: XServer, body: bytes) -> None:
    x_server.fail(SEARCH, 200, body)
    with pytest.raises(SourceError, match=r"malformed|not JSON|without"):
        make(x_server).poll({}, now=NOW)


def test_describe_queries_names_brand_and_query(x_server: XServer) -> None:
    (line,) = make(x_server).describe_queries()
    assert line == (
        '[Acme] (acme OR "acme support" OR @acmehelp OR #acmefail) -"acme anvil" -is:retweet'
    )


def test_a_capped_first_poll_keeps_its_start_time_for_the_gap(x_server: XServer) -> None:
    ids = [x_server.post(f"acme complaint {i}", minutes_ago=50 + i / 10) for i in range(15)]
    source, cursors = make(x_server, max_results=10, max_pages_per_poll=1), {}
    first = poll_all(source, cursors)
    # 20 minutes later a fresh lookback would start after the oldest posts.
    second = poll_all(source, cursors, NOW + timedelta(minutes=20))
    assert sorted(first + second) == sorted(ids)
    assert x_server.calls(SEARCH)[1].params["start_time"] == "2026-11-23T11:00:00Z"
    assert "start_time" not in json.loads(next(iter(cursors.values())))


def test_debug_logging_never_shows_the_token(
    x_server: XServer, caplog: pytest.LogCaptureFixture
) -> None:
    x_server.post("acme down")
    with caplog.at_level(logging.DEBUG):
        make(x_server).poll({}, now=NOW)
    assert caplog.records  # debug logging was on
    assert X_TOKEN not in caplog.text
