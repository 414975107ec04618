"""BlueskySource against the local XRPC server, through the real atproto client."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pydantic import SecretStr

from fakes.bluesky import APP_PASSWORD, IDENTIFIER, BlueskyServer
from fakes.platforms import NOW
from monitor.core.errors import RateLimited, SourceError, SourcePaused
from monitor.core.settings import BrandSettings
from monitor.page.render import clean_text
from sources.bluesky import BlueskySettings, BlueskySource, post_url

ACME = BrandSettings(name="Acme", keywords=["acme"], exclude=["acme anvil"])
SEARCH = "/xrpc/app.bsky.feed.searchPosts"
PROFILES = "/xrpc/app.bsky.actor.getProfiles"
LOGIN = "/xrpc/com.atproto.server.createSession"


@pytest.fixture(autouse=True)
def app_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("T_BSKY_PASSWORD", APP_PASSWORD)


def make(
    server: BlueskyServer,
    brands: list[BrandSettings] | None = None,
    *,
    login: bool = True,
    **kw: object,
) -> BlueskySource:
    options: dict[str, object] = {"base_url": server.url, "timeout_seconds": 2.0, **kw}
    if login:
        options.setdefault("identifier", IDENTIFIER)
        options.setdefault("app_password", "${T_BSKY_PASSWORD}")
    return BlueskySource(BlueskySettings(enabled=True, **options), brands or [ACME])


def poll_ids(source: BlueskySource, cursors: dict[str, str], now=NOW) -> list[str]:
    batch = source.poll(cursors, now=now)
    cursors.update(batch.cursors)
    return sorted(m.platform_id for m in batch.mentions)


def test_first_poll_logs_in_searches_latest_and_maps_posts(bluesky_server: BlueskyServer) -> None:
    bluesky_server.require_auth = True  # as Bluesky's AppView does since 2025
    bluesky_server.author("bigcust.bsky.social", followers=48_000)
    uri = bluesky_server.post("acme lost my bags", handle="bigcust.bsky.social", likes=5)
    bluesky_server.post("my acme anvil is great")  # excluded phrase
    bluesky_server.post("acme last week", minutes_ago=600)  # before the lookback

    batch = make(bluesky_server).poll({}, now=NOW)

    (mention,) = batch.mentions
    assert mention.platform_id == uri and mention.platform == "bluesky"
    assert (mention.author, mention.reach, mention.brand) == ("bigcust.bsky.social", 48_000, "Acme")
    assert mention.url == f"https://bsky.app/profile/bigcust.bsky.social/post/{uri.rsplit('/')[-1]}"
    assert mention.created_at == NOW - timedelta(minutes=1)
    assert mention.engagement == 5 + 2 + 1 and mention.lang == "en"
    (login,) = bluesky_server.calls(LOGIN)
    assert json.loads(login.body) == {"identifier": IDENTIFIER, "password": APP_PASSWORD}
    (search,) = bluesky_server.calls(SEARCH)
    assert (search.params["q"], search.params["sort"]) == ("acme", "latest")
    assert search.params["since"] == "2026-11-23T11:00:00.000Z"
    assert search.headers["authorization"] == f"Bearer {bluesky_server.access}"
    assert len(bluesky_server.calls("/xrpc/app.bsky.actor.getProfile?")) == 0  # no login profile


def test_login_moves_the_client_to_the_accounts_pds(bluesky_server: BlueskyServer) -> None:
    pds = BlueskyServer()
    try:
        pds.access = bluesky_server.access
        pds.post("acme on my pds")
        bluesky_server.pds_url = pds.url
        batch = make(bluesky_server).poll({}, now=NOW)
        assert len(batch.mentions) == 1
        assert bluesky_server.calls(SEARCH) == [] and len(pds.calls(SEARCH)) == 1
    finally:
        pds.close()


def test_incremental_poll_skips_the_inclusive_since_post(bluesky_server: BlueskyServer) -> None:
    source, cursors = make(bluesky_server), {}
    first = bluesky_server.post("acme one", minutes_ago=2)
    assert poll_ids(source, cursors) == [first]
    second = bluesky_server.post("acme two", minutes_ago=1)
    assert poll_ids(source, cursors) == [second]
    assert poll_ids(source, cursors) == []  # since returns the last post again: deduplicated
    since = bluesky_server.calls(SEARCH)[-1].params["since"]
    assert since == "2026-11-23T11:59:00.000Z"
    assert len(bluesky_server.calls(LOGIN)) == 1  # one login for the source's life


def test_pages_and_a_capped_poll_leave_nothing_behind(bluesky_server: BlueskyServer) -> None:
    ids = [bluesky_server.post(f"acme {i}", minutes_ago=5 + i / 10) for i in range(25)]
    source, cursors = make(bluesky_server, page_size=10, max_pages_per_poll=2), {}
    got = poll_ids(source, cursors)
    assert len(got) == 20 and len(bluesky_server.calls(SEARCH)) == 2
    assert bluesky_server.calls(SEARCH)[1].params["cursor"] == "10"
    newer = bluesky_server.post("acme meanwhile", minutes_ago=0)
    for minute in (1, 2, 3):
        got += poll_ids(source, cursors, NOW + timedelta(minutes=minute))
    assert sorted(got) == sorted([*ids, newer])  # nothing skipped, nothing twice


def test_empty_result(bluesky_server: BlueskyServer) -> None:
    batch = make(bluesky_server).poll({}, now=NOW)
    assert batch.mentions == [] and len(batch.cursors) == 1


def test_a_post_found_by_two_terms_is_one_mention(bluesky_server: BlueskyServer) -> None:
    uri = bluesky_server.post("acme and #acmefail at once")
    brand = BrandSettings(name="Acme", keywords=["acme"], hashtags=["#acmefail"])
    batch = make(bluesky_server, [brand]).poll({}, now=NOW)
    assert [m.platform_id for m in batch.mentions] == [uri]
    assert [c.params["q"] for c in bluesky_server.calls(SEARCH)] == ["acme", "#acmefail"]


def test_followers_are_looked_up_once_and_25_at_a_time(bluesky_server: BlueskyServer) -> None:
    for i in range(30):
        bluesky_server.post(f"acme issue {i}", handle=f"user{i}.bsky.social")
    source = make(bluesky_server)
    source.poll({}, now=NOW)
    calls = bluesky_server.calls(PROFILES)
    assert [len(c.multi["actors"]) for c in calls] == [25, 5]
    bluesky_server.post("acme again", handle="user3.bsky.social", minutes_ago=0.5)
    source.poll({}, now=NOW + timedelta(minutes=1))
    assert len(bluesky_server.calls(PROFILES)) == 2  # cached


def test_anonymous_search_refused_pauses_with_the_fix(bluesky_server: BlueskyServer) -> None:
    bluesky_server.require_auth = True
    with pytest.raises(SourcePaused, match="identifier and app_password"):
        make(bluesky_server, login=False).poll({}, now=NOW)


def test_anonymous_search_where_the_service_allows_it(bluesky_server: BlueskyServer) -> None:
    bluesky_server.post("acme is down")
    batch = make(bluesky_server, login=False).poll({}, now=NOW)
    assert len(batch.mentions) == 1 and bluesky_server.calls(LOGIN) == []
    assert "authorization" not in bluesky_server.calls(SEARCH)[0].headers


def test_wrong_app_password_pauses(bluesky_server: BlueskyServer, monkeypatch) -> None:
    monkeypatch.setenv("T_BSKY_PASSWORD", "wrong-pass-word-1234")
    with pytest.raises(SourcePaused, match="refused the login"):
        make(bluesky_server).poll({}, now=NOW)


def test_unset_app_password_pauses_naming_the_variable(bluesky_server, monkeypatch) -> None:
    monkeypatch.delenv("T_BSKY_PASSWORD")
    with pytest.raises(SourcePaused, match="T_BSKY_PASSWORD is not set"):
        make(bluesky_server).poll({}, now=NOW)


def test_rate_limit_uses_the_reset_header(bluesky_server: BlueskyServer) -> None:
    reset = int((NOW + timedelta(seconds=300)).timestamp())
    bluesky_server.fail(
        SEARCH,
        429,
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        headers={"ratelimit-reset": str(reset), "ratelimit-remaining": "0"},
    )
    with pytest.raises(RateLimited) as caught:
        make(bluesky_server).poll({}, now=NOW)
    assert caught.value.retry_at == NOW + timedelta(seconds=300)


def test_server_error(bluesky_server: BlueskyServer) -> None:
    bluesky_server.fail(SEARCH, 500, {"error": "InternalServerError", "message": "oops"})
    with pytest.raises(SourceError, match="server error 500") as caught:
        make(bluesky_server).poll({}, now=NOW)
    assert not isinstance(caught.value, SourcePaused)


def test_timeout(bluesky_server: BlueskyServer) -> None:
    bluesky_server.fail(SEARCH, 200, {"posts": []}, delay=1.0)
    with pytest.raises(SourceError, match="did not answer in time"):
        make(bluesky_server, timeout_seconds=0.2).poll({}, now=NOW)


def test_unreachable(bluesky_server: BlueskyServer) -> None:
    url = bluesky_server.url
    bluesky_server.close()
    settings = BlueskySettings(enabled=True, base_url=url, timeout_seconds=1.0)
    with pytest.raises(SourceError, match="cannot reach Bluesky: connection refused"):
        BlueskySource(settings, [ACME]).poll({}, now=NOW)


@pytest.mark.parametrize(
    "body", [b"<html>gateway</html>", b'{"posts": [{"uri": "at://x"}]}', b'{"cursor": "1"}']
)
def test_malformed_answer_keeps_earlier_terms(bluesky_server: BlueskyServer, body: bytes) -> None:
    uri = bluesky_server.post("acme and acmecloud down")
    brand = BrandSettings(name="Acme", keywords=["acme", "acmecloud"])
    source = make(bluesky_server, [brand])
    source.poll({}, now=NOW - timedelta(minutes=5))  # logged in; nothing new back then
    first_only = {"posts": bluesky_server.posts}
    bluesky_server.fail(SEARCH, 200, first_only)
    bluesky_server.fail(SEARCH, 200, body)
    with pytest.raises(SourceError, match="malformed") as caught:
        source.poll({}, now=NOW)
    partial = caught.value.partial
    assert partial is not None and [m.platform_id for m in partial.mentions] == [uri]
    assert len(partial.cursors) == 1


def test_html_like_text_and_bidi_are_kept_as_written(bluesky_server: BlueskyServer) -> None:
    # Bluesky text is plain: "<script>" is what the person typed, and stays text.
    bluesky_server.post("acme <script>alert(1)</script> refund \u202eplease")
    (mention,) = make(bluesky_server).poll({}, now=NOW).mentions
    assert mention.text == "acme <script>alert(1)</script> refund \u202eplease"
    assert "\u202e" not in clean_text(mention.text, 500)


def test_post_url_falls_back_to_the_did() -> None:
    uri = "at://did:plc:abc/app.bsky.feed.post/3kxyz"
    assert post_url("handle.invalid", uri) == "https://bsky.app/profile/did:plc:abc/post/3kxyz"


def test_settings_want_identifier_and_password_together() -> None:
    with pytest.raises(ValueError, match="go together"):
        BlueskySettings(identifier="a.bsky.social")
    with pytest.raises(ValueError, match="go together"):
        BlueskySettings(app_password=SecretStr("${X}"))


def test_describe_queries(bluesky_server: BlueskyServer) -> None:
    (line,) = make(bluesky_server).describe_queries()
    assert line == f"searchPosts q=acme sort=latest at {bluesky_server.url} (as {IDENTIFIER})"
