"""The Bluesky, Mastodon, Hacker News and feeds sections: every problem with file and line."""

from __future__ import annotations

import pytest

from monitor.config import parse_config
from monitor.core.errors import ConfigError

HEAD = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana"
[[responders.contacts]]
url = "terminal://"
"""


def problems(section: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(HEAD + section, "amends.toml", check_env=False)
    return caught.value.problems


def test_bluesky_unknown_key() -> None:
    (found,) = problems('\n[sources.bluesky]\nenabled = true\nidentifer = "acme.bsky.social"\n')
    assert found == (
        "amends.toml:12: sources.bluesky.identifer: unknown key 'identifer'. "
        "Did you mean 'identifier'?"
    )


def test_a_written_out_app_password_is_refused_and_never_echoed() -> None:
    (found,) = problems(
        '\n[sources.bluesky]\nidentifier = "acme.bsky.social"\napp_password = "abcd-efgh"\n'
    )
    assert found.startswith("amends.toml:12: sources.bluesky.app_password: ")
    assert "must not" in found and "abcd-efgh" not in found


def test_an_optional_secret_that_is_set_must_resolve(monkeypatch) -> None:
    """An app password or token is optional, but one that names an unset variable fails
    the check instead of pausing the source at its first poll."""
    monkeypatch.delenv("AMENDS_TEST_BSKY", raising=False)
    monkeypatch.setenv("AMENDS_TEST_MASTODON", "")
    section = """
[sources.bluesky]
enabled = true
identifier = "acme.bsky.social"
app_password = "${AMENDS_TEST_BSKY}"

[sources.mastodon]
enabled = true

[[sources.mastodon.instances]]
url = "https://mastodon.social"
token = "${AMENDS_TEST_MASTODON}"
"""
    with pytest.raises(ConfigError) as caught:
        parse_config(HEAD + section, "amends.toml")
    found = caught.value.problems
    assert [p.split(": ")[0:2] for p in found] == [
        ["amends.toml:13", "sources.bluesky.app_password"],
        ["amends.toml:20", "sources.mastodon.instances[0].token"],
    ]
    assert "AMENDS_TEST_BSKY" in found[0] and "AMENDS_TEST_MASTODON" in found[1]

    monkeypatch.setenv("AMENDS_TEST_BSKY", "abcd-efgh-ijkl-mnop")
    monkeypatch.setenv("AMENDS_TEST_MASTODON", "tok")
    parse_config(HEAD + section, "amends.toml")  # both resolve: no problem


def test_bluesky_identifier_without_password() -> None:
    (found,) = problems('\n[sources.bluesky]\nidentifier = "acme.bsky.social"\n')
    assert found == (
        "amends.toml:10: sources.bluesky: identifier and app_password go together: "
        "set both or neither"
    )


def test_mastodon_instance_problems_point_at_their_lines() -> None:
    found = problems(
        """
[sources.mastodon]
enabled = true
page_size = 80

[[sources.mastodon.instances]]
url = "https://mastodon.social"
token = "plain-token"

[[sources.mastodon.instances]]
hashtag = ["acme"]
"""
    )
    assert sorted(found) == [
        "amends.toml:12: sources.mastodon.page_size: Input should be less than or equal to 40 "
        "(got 80)",
        "amends.toml:16: sources.mastodon.instances[0].token: secrets must not be written in "
        "the file; use '${ENV_NAME}' or '${file:/path}'",
        "amends.toml:18: sources.mastodon.instances[1].url: required key is missing",
        "amends.toml:19: sources.mastodon.instances[1].hashtag: unknown key 'hashtag'. "
        "Did you mean 'hashtags'?",
    ]
    assert not any("plain-token" in problem for problem in found)


def test_hackernews_kinds_and_interval() -> None:
    found = problems(
        """
[sources.hackernews]
enabled = true
interval_seconds = 5
kinds = ["poll"]
"""
    )
    assert [f.split(": ")[0:2] for f in found] == [
        ["amends.toml:12", "sources.hackernews.interval_seconds"],
        ["amends.toml:13", "sources.hackernews.kinds[0]"],
    ]


def test_feeds_need_a_url_and_a_sane_interval() -> None:
    found = problems(
        """
[sources.feeds]
enabled = true
interval_seconds = 30

[[sources.feeds.feeds]]
name = "Status page"
brand = "Acme"
"""
    )
    assert found == [
        "amends.toml:12: sources.feeds.interval_seconds: Input should be greater than or equal "
        "to 60 (got 30)",
        "amends.toml:14: sources.feeds.feeds[0].url: required key is missing",
    ]


def test_the_new_sections_load_when_valid() -> None:
    config = parse_config(
        HEAD
        + """
[sources.bluesky]
enabled = true
identifier = "acme.bsky.social"
app_password = "${T_BSKY}"

[sources.mastodon]
enabled = true
[[sources.mastodon.instances]]
url = "https://mastodon.social"
token = "${T_MASTODON}"

[sources.hackernews]
enabled = true

[sources.feeds]
enabled = true
[[sources.feeds.feeds]]
url = "https://status.acme.example/history.atom"
brand = "Acme"
""",
        check_env=False,
    )
    assert config.sources.enabled() == ["bluesky", "mastodon", "hackernews", "feeds"]
