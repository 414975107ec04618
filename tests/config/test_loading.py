"""Config loading: every problem at once, with file, line and key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.config import load_config, masked, parse_config, reveal
from monitor.core.errors import ConfigError

GOOD = """\
[[brands]]
name = "Acme"
keywords = ["acme"]
handles = ["@acme"]

[sources.x]
enabled = true
bearer_token = "${TEST_X_TOKEN}"

[[responders]]
name = "Dana Kim"
supervisor = "Sam Lee"
timezone = "Europe/London"

[[responders.contacts]]
url = "mailtos://dana:${TEST_SMTP_PASSWORD}@mail.example.com?to=dana@example.com"
tags = ["email"]

[[responders]]
name = "Sam Lee"

[[responders.contacts]]
url = "terminal://"
"""


@pytest.fixture
def secrets(monkeypatch):
    monkeypatch.setenv("TEST_X_TOKEN", "x-secret-token")
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "hunter2")


def problems_of(text: str, **kwargs) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "amends.toml", **kwargs)
    return caught.value.problems


def test_a_good_config_loads_and_reveals_secrets_from_the_environment(secrets):
    config = parse_config(GOOD)
    assert reveal(config.sources.x.bearer_token) == "x-secret-token"
    assert config.responder("Dana Kim").sign_as == "Dana"


def test_unknown_key_names_file_line_and_a_suggestion(secrets):
    text = GOOD.replace("enabled = true", "enabled = true\nintervall = 60")
    [problem] = problems_of(text)
    assert problem == (
        "amends.toml:8: sources.x.intervall: unknown key 'intervall'. "
        "Did you mean 'interval_seconds'?"
    )


def test_wrong_type_names_the_line_and_the_value(secrets):
    text = GOOD.replace(
        'timezone = "Europe/London"', 'timezone = "Europe/London"\nworking_days = "weekdays"'
    )
    [problem] = problems_of(text)
    assert problem.startswith("amends.toml:14: responders[0].working_days:")
    assert "'weekdays'" in problem


def test_every_problem_is_reported_at_once(secrets):
    text = (
        GOOD.replace('name = "Acme"', 'name = "Acme"\ncolour = "red"')
        .replace('timezone = "Europe/London"', 'timezone = "Mars/Olympus"')
        .replace('tags = ["email"]', 'tags = ["email"]\nprio = 1')
    )
    found = problems_of(text)
    assert len(found) == 3
    assert any("brands[0].colour" in p for p in found)
    assert any("unknown time zone 'Mars/Olympus'" in p for p in found)
    assert any("responders[0].contacts[0].prio" in p for p in found)


def test_missing_environment_variable(monkeypatch):
    monkeypatch.delenv("TEST_X_TOKEN", raising=False)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "x")
    [problem] = problems_of(GOOD)
    assert problem == (
        "amends.toml:8: sources.x.bearer_token: environment variable TEST_X_TOKEN is not set"
    )


def test_secret_from_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "x")
    token = tmp_path / "x-token"
    token.write_text("from-a-file\n")
    config = parse_config(GOOD.replace("${TEST_X_TOKEN}", "${file:" + str(token) + "}"))
    assert reveal(config.sources.x.bearer_token) == "from-a-file"


def test_secrets_written_in_the_file_are_refused(secrets):
    text = GOOD.replace('"${TEST_X_TOKEN}"', '"AAAAAAAArealtoken"').replace(
        "${TEST_SMTP_PASSWORD}", "hunter2"
    )
    found = problems_of(text)
    assert any("bearer_token" in p and "must not be written in the file" in p for p in found)
    assert any("contacts[0].url" in p and "password in this URL" in p for p in found)


def test_malformed_apprise_url(secrets):
    text = GOOD.replace(
        "mailtos://dana:${TEST_SMTP_PASSWORD}@mail.example.com?to=dana@example.com",
        "nosuchservice://whatever",
    )
    [problem] = problems_of(text)
    assert problem.startswith("amends.toml:16: responders[0].contacts[0].url:")
    assert "apprise cannot use this URL" in problem


def test_names_must_exist(secrets):
    text = GOOD.replace('supervisor = "Sam Lee"', 'supervisor = "Sam Le"') + (
        '\n[routing]\ndefault = "nobody"\n'
    )
    found = problems_of(text)
    assert any("supervisor" in p and "Did you mean 'Sam Lee'" in p for p in found)
    assert any("routing.default" in p for p in found)


def test_invalid_toml_and_missing_file(tmp_path):
    [problem] = problems_of("[[brands]\nname = ")
    assert problem.startswith("not valid TOML")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.toml")
    assert caught.value.problems == ["file not found"]


def test_disabled_source_needs_no_token(monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "x")
    monkeypatch.delenv("TEST_X_TOKEN", raising=False)
    parse_config(GOOD.replace("enabled = true", "enabled = false"))


def test_masked_config_never_shows_a_secret(secrets):
    shown = json.dumps(masked(parse_config(GOOD)))
    assert "hunter2" not in shown and "x-secret-token" not in shown
    assert "${TEST_X_TOKEN}" in shown  # the reference itself tells the operator where it comes from


def test_the_documented_example_config_is_valid(monkeypatch):
    example = Path(__file__).parents[2] / "config.toml"
    for name in (
        "AMENDS_X_BEARER_TOKEN",
        "AMENDS_REDDIT_CLIENT_ID",
        "AMENDS_REDDIT_CLIENT_SECRET",
        "AMENDS_SMTP_PASSWORD",
        "AMENDS_NTFY_TOKEN",
        "AMENDS_BLUESKY_APP_PASSWORD",
        "AMENDS_MASTODON_TOKEN",
    ):
        monkeypatch.setenv(name, "set-for-test")
    load_config(example)


def _keys(model, prefix=""):
    from pydantic import BaseModel

    for name, field in model.model_fields.items():
        yield name
        args = getattr(field.annotation, "__args__", None) or (field.annotation,)
        for arg in args:
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                yield from _keys(arg)


def test_every_config_key_is_documented_in_the_example():
    from monitor.config import Config

    example = (Path(__file__).parents[2] / "config.toml").read_text()
    missing = sorted(
        {
            key
            for key in _keys(Config)
            if f"\n{key} =" not in example
            and f"# {key} =" not in example
            and f"[{key}]" not in example
            and f"[[{key}]]" not in example
            and f".{key}]" not in example
            and f"[{key}." not in example
        }
    )
    assert missing == []


def test_the_sources_table_has_one_section_per_registered_platform(secrets):
    from monitor.config import SourceSettings
    from sources import PLATFORMS

    config = parse_config(GOOD)
    assert list(type(config.sources).model_fields) == list(PLATFORMS)
    for name, described in PLATFORMS.items():
        assert isinstance(config.sources.of(name), described.settings)
    assert config.sources.enabled() == ["x"]
    assert isinstance(config.sources.of("x"), SourceSettings)


def test_callers_add_their_own_checks_with_file_and_line(secrets):
    def no_acme(config):
        return [(("brands", i, "name"), "pick another name") for i, b in enumerate(config.brands)]

    [problem] = problems_of(GOOD, checks=(no_acme,))
    assert problem == "amends.toml:2: brands[0].name: pick another name"
    assert parse_config(GOOD).brands[0].name == "Acme"  # no checks passed: none run


def test_a_responder_without_contacts_is_a_config_error(secrets):
    text = GOOD.replace('[[responders.contacts]]\nurl = "terminal://"\n', "")
    [problem] = problems_of(text)
    assert problem == "amends.toml:19: responders[1].contacts: Sam Lee has no contact to page"
    [problem] = problems_of(text.replace('name = "Sam Lee"', 'name = "Sam Lee"\ncontacts = []'))
    assert problem.startswith("amends.toml:21: responders[1].contacts:")


@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_environment_variable_is_not_a_secret(monkeypatch, empty):
    monkeypatch.setenv("TEST_X_TOKEN", empty)  # `AMENDS_X_BEARER_TOKEN=` in an EnvironmentFile
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "x")
    [problem] = problems_of(GOOD)
    assert problem == (
        "amends.toml:8: sources.x.bearer_token: environment variable TEST_X_TOKEN is set but empty"
    )


def test_an_empty_secret_file_is_not_a_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_X_TOKEN", "x")
    password = tmp_path / "smtp-password"
    password.write_text("\n")
    text = GOOD.replace("${TEST_SMTP_PASSWORD}", "${file:" + str(password) + "}")
    [problem] = problems_of(text)
    assert problem == (
        f"amends.toml:16: responders[0].contacts[0].url: secret file {password} is empty"
    )


@pytest.mark.parametrize(
    ("url", "part"),
    [
        ("ntfys://tk_AbC123xyz@ntfy.example.com/acme-dana", "token"),  # ntfy's token form
        ("ntfys://ntfy.example.com/acme-dana?token=tk_AbC123xyz", "?token="),
        ("json://hooks.example.com/page?apikey=abc123", "?apikey="),
        ("json://hooks.example.com/page?pass=abc123", "?pass="),
        ("tgram://123456789:ABCdefGhIJKlmnOPqrsTUVwxyz/12345", "bot_token"),
        ("gotify://push.example.com/AbCdEfGhIjKlMnO", "token"),
    ],
)
def test_secrets_written_inline_in_a_url_are_refused(secrets, url, part):
    text = GOOD.replace(
        "mailtos://dana:${TEST_SMTP_PASSWORD}@mail.example.com?to=dana@example.com", url
    )
    [problem] = problems_of(text)
    assert problem.startswith("amends.toml:16: responders[0].contacts[0].url: a secret is written")
    assert part in problem
    assert "AbC123" not in problem and "abc123" not in problem  # never echoed back


@pytest.mark.parametrize(
    "url",
    [
        "ntfys://${TEST_X_TOKEN}@ntfy.example.com/acme-dana",
        "ntfys://ntfy.example.com/acme-dana?token=${TEST_X_TOKEN}",
        "json://hooks.example.com/page?apikey=${file:/run/credentials/amends.service/hook}",
        "tgram://${TEST_TG_TOKEN}/12345",
        "mailto://dana@example.com",  # a user at a mail host is an address, not a secret
        "ntfys://dana@ntfy.example.com/acme-dana",  # a user name without a password
        "mailto://127.0.0.1:2525?to=dana@example.com&from=amends@example.com&mode=insecure",
    ],
)
def test_references_and_urls_without_secrets_are_accepted(secrets, monkeypatch, tmp_path, url):
    monkeypatch.setenv("TEST_TG_TOKEN", "123456789:ABCdefGhIJKlmnOPqrsTUVwxyz")
    (tmp_path / "hook").write_text("k")
    url = url.replace("/run/credentials/amends.service", str(tmp_path))
    text = GOOD.replace(
        "mailtos://dana:${TEST_SMTP_PASSWORD}@mail.example.com?to=dana@example.com", url
    )
    assert parse_config(text).responder("Dana Kim") is not None


def test_the_example_environment_file_is_a_template_that_fails_the_check(monkeypatch):
    """Following the README (install the example, check before editing it) must not give
    a green check: the example sets nothing, so every secret the config names is unset."""
    root = Path(__file__).parents[2]
    names = ("AMENDS_X_BEARER_TOKEN", "AMENDS_REDDIT_CLIENT_ID", "AMENDS_SMTP_PASSWORD")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    assigned = {}
    for line in (root / "deploy" / "amends.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith(("#", ";")):  # as systemd reads it
            key, _, value = line.partition("=")
            assigned[key.strip()] = value.strip()
            monkeypatch.setenv(key.strip(), value.strip())
    assert assigned == {}  # placeholders only, each commented out
    with pytest.raises(ConfigError) as caught:
        load_config(root / "config.toml")
    shown = "\n".join(caught.value.problems)
    for name in names:
        assert name in shown


def test_problems_are_listed_in_file_order_and_say_the_value_once():
    text = (
        '[[brands]]\nname = "Acme"\nkeywords = ["acme"]\ncolour = 1\n\n'  # line 4
        '[[responders]]\nname = "Dana"\ntimezone = "Europe/Londn"\n\n'  # line 8
        "[sources.x]\nintervall = 3\n\n"  # line 11
        "[paging]\nsms_max_chars = -1\n"  # line 14
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "c.toml")
    problems = caught.value.problems
    lines = [int(p.split(":")[1]) for p in problems]
    assert lines == sorted(lines) and lines[:3] == [4, 8, 11], problems
    (timezone,) = [p for p in problems if "time zone" in p]
    assert timezone == (
        "c.toml:8: responders[0].timezone: unknown time zone 'Europe/Londn' "
        "(use e.g. 'Europe/London')"
    )
    assert timezone.count("Europe/Londn") == 1


def test_the_drafting_model_key_must_resolve_like_every_secret(secrets, monkeypatch):
    text = GOOD + (
        '\n[drafting]\nllm_url = "http://127.0.0.1:11434/v1"\nllm_model = "m"\n'
        'llm_api_key = "${TEST_LLM_KEY}"\n'
    )
    [problem] = problems_of(text)
    assert "drafting.llm_api_key" in problem and "TEST_LLM_KEY" in problem
    monkeypatch.setenv("TEST_LLM_KEY", "sk-local")
    assert reveal(parse_config(text).drafting.llm_api_key) == "sk-local"
    assert parse_config(text.replace("TEST_LLM_KEY", "UNSET_KEY"), check_env=False)
