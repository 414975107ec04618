"""MastodonSource against a local Mastodon instance, through the real Mastodon.py."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from fakes.mastodon import TOKEN, MastodonServer
from fakes.platforms import NOW
from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.settings import BrandSettings
from monitor.page.render import clean_text
from sources.mastodon import MastodonSettings, MastodonSource, snowflake

ACME = BrandSettings(name="Acme", keywords=["acme"], hashtags=["#acmefail"], exclude=["acme anvil"])
TAG = "/api/v1/timelines/tag/acmefail"
SEARCH = "/api/v2/search"


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("T_MASTODON_TOKEN", TOKEN)


def make(
    *servers: MastodonServer,
    brands: list[BrandSettings] | None = None,
    token: bool = True,
    **kw: object,
) -> MastodonSource:
    instances = [
        {"url": s.url, **({"token": "${T_MASTODON_TOKEN}"} if token else {})} for s in servers
    ]
    options: dict[str, object] = {"instances": instances, "timeout_seconds": 2.0, **kw}
    return MastodonSource(
        MastodonSettings.model_validate({"enabled": True, **options}), brands or [ACME]
    )


def poll_ids(source: MastodonSource, cursors: dict[str, str], now=NOW) -> list[str]:
    batch = source.poll(cursors, now=now)
    cursors.update(batch.cursors)
    return sorted(m.raw["id"] for m in batch.mentions)


def test_first_poll_reads_the_tag_and_the_search(mastodon_server: MastodonServer) -> None:
    tagged = mastodon_server.status(
        "<p>My <a href='https://x'>#<span>acmefail</span></a> story: bags lost</p>",
        tags=("acmefail",),
        followers=4_200,
    )
    searched = mastodon_server.status("<p>acme support never answers</p>", acct="kim")
    mastodon_server.status("<p>my acme anvil</p>")  # excluded phrase
    mastodon_server.status("<p>acme last week</p>", minutes_ago=600)  # before the lookback

    batch = make(mastodon_server).poll({}, now=NOW)

    by_id = {m.raw["id"]: m for m in batch.mentions}
    assert sorted(by_id) == sorted([tagged, searched])
    first = by_id[tagged]
    assert (first.platform, first.author, first.reach) == ("mastodon", "bob@other.example", 4_200)
    assert first.text == "My #acmefail story: bags lost"
    assert first.platform_id == f"https://other.example/users/bob/statuses/{tagged}"
    assert first.url == f"{mastodon_server.url}/@bob@other.example/{tagged}"
    assert first.created_at == NOW - timedelta(minutes=1) and first.engagement == 6
    (timeline,) = mastodon_server.calls(TAG)
    assert timeline.params["min_id"] == snowflake((NOW - timedelta(minutes=60)).timestamp())
    assert "since_id" not in timeline.params
    (search,) = mastodon_server.calls(SEARCH)
    assert (search.params["q"], search.params["type"]) == ("acme", "statuses")
    assert "resolve" not in search.params  # resolve=False: no WebFinger lookup
    assert search.headers["authorization"] == f"Bearer {TOKEN}"
    assert [c.path for c in mastodon_server.requests].count("/api/v2/instance/") == 1
    assert not mastodon_server.calls("/api/v1/instance")  # no version lookup


def test_incremental_poll_walks_forward_from_min_id(mastodon_server: MastodonServer) -> None:
    source, cursors = make(mastodon_server, token=False), {}
    first = mastodon_server.status("<p>#acmefail one</p>", tags=("acmefail",), minutes_ago=3)
    assert poll_ids(source, cursors) == [first]
    second = mastodon_server.status("<p>#acmefail two</p>", tags=("acmefail",), minutes_ago=1)
    assert poll_ids(source, cursors) == [second]
    assert mastodon_server.calls(TAG)[-1].params["min_id"] == first
    assert poll_ids(source, cursors) == []


def test_a_burst_is_read_forward_with_no_gap(mastodon_server: MastodonServer) -> None:
    source, cursors = make(mastodon_server, token=False, page_size=10, max_pages_per_poll=2), {}
    assert poll_ids(source, cursors) == []
    burst = [
        mastodon_server.status(f"<p>#acmefail {i}</p>", tags=("acmefail",), minutes_ago=5 - i / 10)
        for i in range(35)
    ]
    got = poll_ids(source, cursors)
    assert got == sorted(burst[:20])  # the oldest 20: the newest page alone would skip these
    got += poll_ids(source, cursors)
    assert sorted(got) == sorted(burst)
    assert json.loads(next(iter(cursors.values())))["min_id"] == burst[-1]


def test_search_pages_with_offset_and_a_capped_poll_finishes_later(
    mastodon_server: MastodonServer,
) -> None:
    brand = BrandSettings(name="Acme", keywords=["acme"])
    ids = [mastodon_server.status(f"<p>acme {i}</p>", minutes_ago=5 + i / 10) for i in range(25)]
    source = make(mastodon_server, brands=[brand], page_size=10, max_pages_per_poll=2)
    cursors: dict[str, str] = {}
    got = poll_ids(source, cursors)
    assert len(got) == 20
    assert [c.params.get("offset") for c in mastodon_server.calls(SEARCH)] == [None, "10"]
    for minute in (1, 2):
        got += poll_ids(source, cursors, NOW + timedelta(minutes=minute))
    assert sorted(got) == sorted(ids)


def test_without_a_token_only_hashtags_are_read(mastodon_server: MastodonServer) -> None:
    source = make(mastodon_server, token=False)
    assert source.poll({}, now=NOW).mentions == []
    assert mastodon_server.calls(SEARCH) == []
    assert all("authorization" not in c.headers for c in mastodon_server.requests)


def test_the_same_status_by_tag_search_and_two_instances_is_one_mention(
    mastodon_server: MastodonServer,
) -> None:
    other = MastodonServer(domain="other.example")
    try:
        uri = "https://origin.example/users/bob/statuses/1"
        for server in (mastodon_server, other):
            server.status("<p>acme #acmefail</p>", tags=("acmefail",), uri=uri)
        batch = make(mastodon_server, other).poll({}, now=NOW)
        assert [m.platform_id for m in batch.mentions] == [uri]
        assert len(batch.cursors) == 6  # two tags (#acmefail, #acme) and a search on each
    finally:
        other.close()


def test_hashtags_are_sent_without_the_hash(mastodon_server: MastodonServer) -> None:
    brand = BrandSettings(name="Acme", hashtags=["#AcmeFail"])
    make(mastodon_server, brands=[brand], token=False).poll({}, now=NOW)
    assert [c.path for c in mastodon_server.calls("/api/v1/timelines/tag/")] == [TAG]


def test_a_tag_listed_twice_is_read_once(mastodon_server: MastodonServer) -> None:
    # The brand's "#AcmeFail" and the instance's own "#acmefail" are one timeline.
    brand = BrandSettings(name="Acme", hashtags=["#AcmeFail"])
    instance = {"url": mastodon_server.url, "hashtags": ["#acmefail", " AcmeFail "]}
    settings = MastodonSettings.model_validate({"enabled": True, "instances": [instance]})
    MastodonSource(settings, [brand]).poll({}, now=NOW)
    assert [c.path for c in mastodon_server.calls("/api/v1/timelines/tag/")] == [TAG]


def test_an_instance_that_wants_a_login_for_tags_pauses(mastodon_server: MastodonServer) -> None:
    mastodon_server.hashtag_access = "authenticated"
    with pytest.raises(SourcePaused, match="logged-in accounts"):
        make(mastodon_server, token=False).poll({}, now=NOW)
    assert mastodon_server.calls(TAG) == []  # asked first, so Mastodon.py never warns


def test_rate_limit_throws_instead_of_sleeping(mastodon_server: MastodonServer) -> None:
    mastodon_server.status("<p>#acmefail</p>", tags=("acmefail",))
    make(mastodon_server).poll({}, now=NOW)  # a first request sets Mastodon.py's clock
    from datetime import UTC, datetime

    reset = (datetime.now(UTC) + timedelta(seconds=120)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    mastodon_server.fail(
        TAG, 429, {"error": "Too many requests"}, headers={"X-RateLimit-Reset": reset}
    )
    with pytest.raises(RateLimited) as caught:
        make(mastodon_server).poll({}, now=NOW)
    wait = caught.value.retry_at - NOW
    assert timedelta(seconds=100) < wait <= timedelta(seconds=121)


def test_bad_token_pauses(mastodon_server: MastodonServer, monkeypatch) -> None:
    monkeypatch.setenv("T_MASTODON_TOKEN", "wrong")
    with pytest.raises(SourcePaused, match="rejected the token"):
        make(mastodon_server).poll({}, now=NOW)


def test_server_error(mastodon_server: MastodonServer) -> None:
    mastodon_server.fail(TAG, 503, {"error": "Unavailable"})
    with pytest.raises(SourceError, match="server error") as caught:
        make(mastodon_server).poll({}, now=NOW)
    assert not isinstance(caught.value, SourcePaused)


def test_timeout(mastodon_server: MastodonServer) -> None:
    mastodon_server.fail(TAG, 200, [], delay=1.0)
    with pytest.raises(SourceError, match="timed out"):
        make(mastodon_server, timeout_seconds=0.2).poll({}, now=NOW)


@pytest.mark.parametrize("body", [b"<html>maintenance</html>", b'[{"content": "no id"}]'])
def test_malformed_answer_keeps_what_came_before(
    mastodon_server: MastodonServer, body: bytes
) -> None:
    tagged = mastodon_server.status("<p>#acmefail</p>", tags=("acmefail",))
    mastodon_server.fail(SEARCH, 200, body)
    with pytest.raises(SourceError, match="malformed") as caught:
        make(mastodon_server).poll({}, now=NOW)
    partial = caught.value.partial
    assert partial is not None and [m.raw["id"] for m in partial.mentions] == [tagged]
    assert len(partial.cursors) == 2  # both tags; the search keeps its old cursor


def test_html_script_bidi_and_content_warning(mastodon_server: MastodonServer) -> None:
    mastodon_server.status(
        "<p>acme<br>lost <script>alert(1)</script>my bag &amp; <b>coat</b></p>"
        '<p><img src=x onerror="alert(2)">refund \u202eplease</p>',
        spoiler="travel rant",
    )
    (mention,) = make(mastodon_server).poll({}, now=NOW).mentions
    assert mention.text == "travel rant\n\nacme\nlost my bag & coat\n\nrefund \u202eplease"
    assert "\u202e" not in clean_text(mention.text, 500)


def test_unset_token_pauses_naming_the_variable(mastodon_server, monkeypatch) -> None:
    monkeypatch.delenv("T_MASTODON_TOKEN")
    with pytest.raises(SourcePaused, match="T_MASTODON_TOKEN is not set"):
        make(mastodon_server).poll({}, now=NOW)


def test_describe_queries(mastodon_server: MastodonServer) -> None:
    assert make(mastodon_server).describe_queries() == [
        f"GET {mastodon_server.url}/api/v1/timelines/tag/acmefail (forward from min_id)",
        f"GET {mastodon_server.url}/api/v1/timelines/tag/acme (forward from min_id)",
        f"GET {mastodon_server.url}/api/v2/search?q=acme&type=statuses",
    ]
