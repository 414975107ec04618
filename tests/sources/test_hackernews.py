"""HackerNewsSource against the local Algolia search server, through requests."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fakes.hackernews import HackerNewsServer
from fakes.platforms import NOW
from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.settings import BrandSettings
from monitor.page.render import clean_text
from sources.hackernews import HackerNewsSettings, HackerNewsSource

ACME = BrandSettings(name="Acme", keywords=["acme"], exclude=["acme anvil"])
SEARCH = "/api/v1/search_by_date"


def make(server: HackerNewsServer, brands: list[BrandSettings] | None = None, **kw: object):
    options: dict[str, object] = {"base_url": server.url + "/api/v1", "timeout_seconds": 2.0, **kw}
    return HackerNewsSource(HackerNewsSettings(enabled=True, **options), brands or [ACME])


def poll_ids(source: HackerNewsSource, cursors: dict[str, str], now=NOW) -> list[str]:
    batch = source.poll(cursors, now=now)
    cursors.update(batch.cursors)
    return sorted(m.platform_id for m in batch.mentions)


def test_first_poll_maps_stories_and_comments(hn_server: HackerNewsServer) -> None:
    story = hn_server.story("Acme outage again", points=250, author="alice")
    comment = hn_server.comment("<p>acme lost my data</p>", story=story, author="bob")
    hn_server.story("My acme anvil is great")  # excluded phrase
    hn_server.story("acme from yesterday", minutes_ago=600)  # before the lookback

    batch = make(hn_server).poll({}, now=NOW)

    by_id = {m.platform_id: m for m in batch.mentions}
    assert sorted(by_id) == sorted([story, comment])
    first = by_id[story]
    assert (first.platform, first.author, first.brand) == ("hackernews", "alice", "Acme")
    assert first.url == f"https://news.ycombinator.com/item?id={story}"
    assert first.reach == 250 and first.engagement == 3
    assert first.created_at == NOW - timedelta(minutes=1)
    assert by_id[comment].reach == 0  # points: null on comments
    assert by_id[comment].thread_id == story
    assert by_id[comment].text == "acme lost my data"
    (call,) = hn_server.calls(SEARCH)
    assert call.params["tags"] == "(story,comment)"
    start = int((NOW - timedelta(minutes=60)).timestamp())
    assert call.params["numericFilters"] == f"created_at_i>={start}"
    assert batch.reads == 0  # free: nothing billed


def test_incremental_poll_uses_inclusive_seconds_and_reads_nothing_twice(
    hn_server: HackerNewsServer,
) -> None:
    source, cursors = make(hn_server), {}
    first = hn_server.story("acme one", minutes_ago=2)
    assert poll_ids(source, cursors) == [first]
    # Same second as the last one read: a strict > would lose it.
    same_second = hn_server.story("acme two", minutes_ago=2)
    later = hn_server.story("acme three", minutes_ago=0.5)
    assert poll_ids(source, cursors) == sorted([same_second, later])
    second_poll = hn_server.calls(SEARCH)[-1].params["numericFilters"]
    assert second_poll == f"created_at_i>={int((NOW - timedelta(minutes=2)).timestamp())}"
    assert poll_ids(source, cursors) == []


def test_pages_are_followed_and_a_capped_poll_continues_next_time(
    hn_server: HackerNewsServer,
) -> None:
    ids = [hn_server.story(f"acme {i}", minutes_ago=5 + i / 10) for i in range(45)]
    source, cursors = make(hn_server, hits_per_page=10, max_pages_per_poll=2), {}
    polls = [poll_ids(source, cursors)]
    assert len(polls[0]) == 20 and "gap_high" in next(iter(cursors.values()))
    newer = hn_server.story("acme arrives meanwhile", minutes_ago=0)
    for minute in (1, 2, 3, 4):
        polls.append(poll_ids(source, cursors, NOW + timedelta(minutes=minute)))
    got = [i for poll in polls for i in poll]
    assert sorted(got) == sorted([*ids, newer])  # nothing skipped, nothing twice
    # The gap re-reads its upper bound (inclusive, skipped by id): 19 new on that page.
    assert [len(p) for p in polls] == [20, 19, 7, 0, 0]


def test_empty_result_keeps_the_lookback_floor(hn_server: HackerNewsServer) -> None:
    batch = make(hn_server).poll({}, now=NOW)
    assert batch.mentions == []
    (cursor,) = batch.cursors.values()
    assert json.loads(cursor)["floor"]["key"] == int((NOW - timedelta(minutes=60)).timestamp())


def test_a_story_found_by_two_terms_is_one_mention(hn_server: HackerNewsServer) -> None:
    story = hn_server.story("Acme and AcmeCloud both down")
    brand = BrandSettings(name="Acme", keywords=["acme", "acmecloud"])
    batch = make(hn_server, [brand]).poll({}, now=NOW)
    assert [m.platform_id for m in batch.mentions] == [story]
    assert len(hn_server.calls(SEARCH)) == 2


def test_rate_limit_waits_for_retry_after(hn_server: HackerNewsServer) -> None:
    hn_server.fail(SEARCH, 429, {"message": "Too many requests"}, headers={"Retry-After": "90"})
    with pytest.raises(RateLimited) as caught:
        make(hn_server).poll({}, now=NOW)
    assert caught.value.retry_at == NOW + timedelta(seconds=90)


def test_server_error_is_retried_with_backoff(hn_server: HackerNewsServer) -> None:
    hn_server.fail(SEARCH, 502, {"message": "Bad gateway"})
    with pytest.raises(SourceError, match="server error 502") as caught:
        make(hn_server).poll({}, now=NOW)
    assert not isinstance(caught.value, SourcePaused)


def test_a_refused_query_pauses(hn_server: HackerNewsServer) -> None:
    hn_server.fail(SEARCH, 400, {"message": "invalid numericFilters"})
    with pytest.raises(SourcePaused, match="refused 'acme'"):
        make(hn_server).poll({}, now=NOW)


def test_timeout(hn_server: HackerNewsServer) -> None:
    hn_server.fail(SEARCH, 200, {"hits": []}, delay=1.0)
    with pytest.raises(SourceError, match="did not answer in time"):
        make(hn_server, timeout_seconds=0.2).poll({}, now=NOW)


@pytest.mark.parametrize(
    "body", [b"<html>maintenance</html>", b'{"hits": [{"title": "no id"}]}', b'{"nbHits": 0}']
)
def test_malformed_answer_keeps_what_earlier_terms_read(
    hn_server: HackerNewsServer, body: bytes
) -> None:
    story = hn_server.story("acme broke, and so did acmecloud")
    brand = BrandSettings(name="Acme", keywords=["acme", "acmecloud"])
    hn_server.fail(SEARCH, 200, {"hits": hn_server.hits, "nbPages": 1})  # the first term
    hn_server.fail(SEARCH, 200, body)  # the second
    with pytest.raises(SourceError, match="malformed") as caught:
        make(hn_server, [brand]).poll({}, now=NOW)
    partial = caught.value.partial
    assert partial is not None and [m.platform_id for m in partial.mentions] == [story]
    assert len(partial.cursors) == 1  # the broken term keeps its old cursor


def test_html_script_and_bidi_in_a_comment(hn_server: HackerNewsServer) -> None:
    hn_server.comment(
        "<p>acme <i>charged</i> me twice&#x2F;<script>alert(1)</script></p>"
        "<p>refund \u202eplease</p>"
    )
    (mention,) = make(hn_server).poll({}, now=NOW).mentions
    assert mention.text == "acme charged me twice/\n\nrefund \u202eplease"
    assert "\u202e" not in clean_text(mention.text, 500)  # pages and the CLI clean it


def test_describe_queries(hn_server: HackerNewsServer) -> None:
    (line,) = make(hn_server).describe_queries()
    url = f"{hn_server.url}/api/v1/search_by_date"
    assert line == f"GET {url}?query=acme tags=(story,comment) (newest first)"
