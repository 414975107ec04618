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
