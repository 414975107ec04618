"""FeedsSource against local RSS and Atom feeds, through requests and the real feedparser."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fakes.feeds import Feed, FeedServer
from fakes.platforms import NOW
from monitor.core.errors import ConfigError, RateLimited, SourceError, SourcePaused
from monitor.core.settings import BrandSettings
from monitor.page.render import clean_text
from sources.feeds import FeedsSettings, FeedsSource

ACME = BrandSettings(name="Acme", keywords=["acme"], exclude=["acme anvil"])


def make(server: FeedServer, *feeds: dict[str, object], **kw: object) -> FeedsSource:
    listed = [{**f, "url": server.url + str(f["url"])} for f in feeds]
    options: dict[str, object] = {"feeds": listed, "timeout_seconds": 2.0, **kw}
    return FeedsSource(FeedsSettings.model_validate({"enabled": True, **options}), [ACME])


def poll_ids(source: FeedsSource, cursors: dict[str, str], now=NOW) -> list[str]:
    batch = source.poll(cursors, now=now)
    cursors.update(batch.cursors)
    return sorted(m.platform_id for m in batch.mentions)


def test_first_poll_reads_recent_matching_entries(feed_server: FeedServer) -> None:
    wanted = feed_server.entry("alerts", "Acme <b>outage</b> reported", "<p>Acme is down</p>")
    feed_server.entry("alerts", "Nothing about us", "<p>weather</p>")
    feed_server.entry("alerts", "acme anvil review", "<p>great anvil</p>")  # excluded
    feed_server.entry("alerts", "acme last month", minutes_ago=60 * 24 * 30)  # old news

    batch = make(feed_server, {"url": "/atom/alerts"}).poll({}, now=NOW)

    (mention,) = batch.mentions
    assert (mention.platform, mention.platform_id, mention.brand) == ("feeds", wanted, "Acme")
    assert mention.text == "Acme outage reported\n\nAcme is down"
    assert mention.url.startswith("https://reviews.example/alerts/")
    assert mention.created_at == NOW - timedelta(minutes=1)
    assert mention.author == "Google Alerts"


def test_an_unchanged_feed_costs_one_304(feed_server: FeedServer) -> None:
    feed_server.entry("reviews", "acme lost my order", "<p>two weeks</p>")
    source, cursors = make(feed_server, {"url": "/rss/reviews"}), {}
    assert len(poll_ids(source, cursors)) == 1
    assert poll_ids(source, cursors) == []
    second = feed_server.calls("/rss/reviews")[-1]
    assert second.headers["if-none-match"] == feed_server.etag("reviews")  # quotes and W/ kept
    assert "if-modified-since" in second.headers
    assert len(feed_server.calls("/rss/reviews")) == 2


def test_a_changed_feed_repeats_old_entries_which_are_not_new(feed_server: FeedServer) -> None:
    first = feed_server.entry("reviews", "acme one", minutes_ago=5)
    source, cursors = make(feed_server, {"url": "/rss/reviews"}), {}
    assert poll_ids(source, cursors) == [first]
    second = feed_server.entry("reviews", "acme two", minutes_ago=1)
    assert poll_ids(source, cursors) == [second]


def test_a_feed_always_about_a_brand_skips_matching(feed_server: FeedServer) -> None:
    incident = feed_server.entry("status", "Elevated error rates", "<p>Logins fail</p>")
    source = make(feed_server, {"url": "/atom/status", "brand": "Acme", "name": "Status"})
    (mention,) = source.poll({}, now=NOW).mentions
    assert (mention.platform_id, mention.brand) == (incident, "Acme")


def test_an_unknown_brand_is_a_config_error(feed_server: FeedServer) -> None:
    with pytest.raises(ConfigError) as caught:
        make(feed_server, {"url": "/atom/status", "brand": "Acne"})
    assert caught.value.problems == ["sources.feeds.feeds[0].brand: no brand named 'Acne'"]


def test_an_entry_in_two_feeds_is_one_mention(feed_server: FeedServer) -> None:
    guid = "https://reviews.example/item/1"
    feed_server.entry("a", "acme broke", guid=guid)
    feed_server.entry("b", "acme broke", guid=guid)
    batch = make(feed_server, {"url": "/rss/a"}, {"url": "/atom/b"}).poll({}, now=NOW)
    assert [m.platform_id for m in batch.mentions] == [guid]


def test_empty_feed(feed_server: FeedServer) -> None:
    feed_server.feeds["quiet"] = Feed()
    batch = make(feed_server, {"url": "/rss/quiet"}, {"url": "/atom/quiet"}).poll({}, now=NOW)
    assert batch.mentions == [] and len(batch.cursors) == 2


def test_a_dead_feed_pauses_but_the_others_are_kept(feed_server: FeedServer) -> None:
    kept = feed_server.entry("alive", "acme broke")
    source = make(feed_server, {"url": "/rss/gone", "name": "Old reviews"}, {"url": "/rss/alive"})
    with pytest.raises(SourcePaused, match="feed Old reviews is gone \\(404\\)") as caught:
        source.poll({}, now=NOW)
    partial = caught.value.partial
    assert partial is not None and [m.platform_id for m in partial.mentions] == [kept]


def test_a_server_error_is_retried(feed_server: FeedServer) -> None:
    feed_server.entry("reviews", "acme")
    feed_server.fail("/rss/reviews", 500, b"oops")
    with pytest.raises(SourceError, match="server error 500") as caught:
        make(feed_server, {"url": "/rss/reviews"}).poll({}, now=NOW)
    assert not isinstance(caught.value, SourcePaused)


def test_a_rate_limited_feed_waits_in_its_cursor(feed_server: FeedServer) -> None:
    feed_server.entry("reviews", "acme one")
    feed_server.entry("other", "acme two")
    feed_server.fail("/rss/reviews", 429, b"slow down", headers={"Retry-After": "600"})
    source, cursors = make(feed_server, {"url": "/rss/reviews"}, {"url": "/rss/other"}), {}
    assert len(poll_ids(source, cursors)) == 1  # the other feed is read
    assert len(poll_ids(source, cursors, NOW + timedelta(minutes=5))) == 0
    assert len(feed_server.calls("/rss/reviews")) == 1  # still waiting
    assert len(poll_ids(source, cursors, NOW + timedelta(minutes=11))) == 1


def test_only_rate_limited_feeds_raise_rate_limited(feed_server: FeedServer) -> None:
    feed_server.entry("reviews", "acme")
    feed_server.fail("/rss/reviews", 429, b"", headers={"Retry-After": "60"})
    with pytest.raises(RateLimited) as caught:
        make(feed_server, {"url": "/rss/reviews"}).poll({}, now=NOW)
    assert caught.value.retry_at == NOW + timedelta(seconds=60)


def test_timeout(feed_server: FeedServer) -> None:
    feed_server.entry("reviews", "acme")
    feed_server.fail("/rss/reviews", 200, b"<rss/>", delay=1.0)
    with pytest.raises(SourceError, match="did not answer in time"):
        make(feed_server, {"url": "/rss/reviews"}, timeout_seconds=0.2).poll({}, now=NOW)


def test_a_page_that_is_not_a_feed(feed_server: FeedServer) -> None:
    feed_server.entry("reviews", "acme")
    feed_server.fail(
        "/rss/reviews", 200, b"{not xml at all", headers={"Content-Type": "text/plain"}
    )
    with pytest.raises(SourceError, match="not RSS or Atom"):
        make(feed_server, {"url": "/rss/reviews"}).poll({}, now=NOW)


def test_html_script_and_bidi_in_a_summary(feed_server: FeedServer) -> None:
    feed_server.entry(
        "reviews",
        "Acme &amp; me",
        "<p>acme <script>alert(1)</script>charged <b>twice</b></p><p>refund \u202eplease</p>",
    )
    (mention,) = make(feed_server, {"url": "/rss/reviews"}).poll({}, now=NOW).mentions
    assert mention.text == "Acme & me\n\nacme charged twice\n\nrefund \u202eplease"
    assert "\u202e" not in clean_text(mention.text, 500)


def test_describe_queries(feed_server: FeedServer) -> None:
    source = make(feed_server, {"url": "/rss/a"}, {"url": "/atom/s", "brand": "Acme"})
    assert source.describe_queries() == [
        f"GET {feed_server.url}/rss/a (conditional)",
        f"GET {feed_server.url}/atom/s (conditional) - always about Acme",
    ]
