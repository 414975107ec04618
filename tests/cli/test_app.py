"""The command line as people and scripts use it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from monitor.cli import app


def _commands() -> dict:
    # typer bundles its own click, so duck-type rather than isinstance-check.
    return dict(get_command(app).commands)


def run_cli(*args: str, env: dict | None = None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=cwd,
    )


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_useful_help(name):
    command = _commands()[name]
    assert command.help and len(command.help.split()) >= 5, f"{name} needs a real description"
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert param.help, f"{name} --{param.name} has no help"
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_check_config_reports_every_problem_with_lines(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[brands]]\nname = "Acme"\nkeywords = ["acme"]\ncolour = 1\n\n'
        '[[responders]]\nname = "Dana"\ntimezone = "Nowhere/Land"\n'
    )
    result = run_cli("check-config", str(bad))
    assert result.returncode == 78  # EX_CONFIG
    assert f"{bad}:4: brands[0].colour: unknown key 'colour'" in result.stderr
    assert f"{bad}:8: responders[0].timezone: unknown time zone" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_accepts_the_example(tmp_path):
    import os
    from pathlib import Path

    env = dict(os.environ)
    for name in (
        "AMENDS_X_BEARER_TOKEN",
        "AMENDS_REDDIT_CLIENT_ID",
        "AMENDS_REDDIT_CLIENT_SECRET",
        "AMENDS_SMTP_PASSWORD",
        "AMENDS_NTFY_TOKEN",
        "AMENDS_BLUESKY_APP_PASSWORD",
        "AMENDS_MASTODON_TOKEN",
    ):
        env[name] = "set"
    example = Path(__file__).parents[2] / "config.toml"
    result = run_cli("check-config", str(example), env=env)
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_config_command_masks_secrets(tmp_path):
    import json
    import os
    from pathlib import Path

    env = dict(
        os.environ,
        AMENDS_X_BEARER_TOKEN="tok-123",
        AMENDS_REDDIT_CLIENT_ID="id-1",
        AMENDS_REDDIT_CLIENT_SECRET="sec-1",
        AMENDS_SMTP_PASSWORD="pw-1",
        AMENDS_NTFY_TOKEN="ntfy-1",
        AMENDS_BLUESKY_APP_PASSWORD="bsky-1",
        AMENDS_MASTODON_TOKEN="masto-1",
    )
    example = Path(__file__).parents[2] / "config.toml"
    result = run_cli("--config", str(example), "config", env=env)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["sources"]["x"]["bearer_token"] == "${AMENDS_X_BEARER_TOKEN}"
    for secret in ("tok-123", "sec-1", "pw-1", "ntfy-1", "bsky-1", "masto-1"):
        assert secret not in result.stdout


def test_missing_or_corrupt_database_is_one_clear_line(tmp_path):
    result = run_cli("--db", str(tmp_path / "none.db"), "complaints")
    assert result.returncode == 2 and "no such database" in result.stderr
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"\x00garbage" * 500)
    result = run_cli("--db", str(corrupt), "mentions")
    assert result.returncode == 2 and "not a usable SQLite database" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_without_config_says_what_to_do():
    result = run_cli("run", env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 78  # EX_CONFIG: systemd does not restart it
    assert "no configuration given" in result.stderr


def test_responder_commands_act_on_the_database_and_print(tmp_path):
    import json

    from monitor.store import Store
    from tests.act.test_complaints import open_complaint

    db = tmp_path / "amends.db"
    with Store.open(db) as store:
        lead, member = open_complaint(store, "1"), open_complaint(store, "2")
        store.group_into(member, lead, now=store.complaint(lead).created_at)

    def cli(*args: str) -> str:
        result = CliRunner().invoke(app, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "acknowledged by dana" in cli("ack", str(lead), "--by", "dana")
    assert "resolved" in cli("resolve", str(member), "--not-a-complaint", "--by", "sam")
    assert "silenced brand=Acme topic=*" in cli("silence", "--brand", "Acme", "--for", "2h")
    assert "brand=Acme" in cli("silence", "--list")
    shown = json.loads(cli("show", str(member), "--json"))
    assert [e["event"] for e in shown["events"]] == [
        "opened",
        "grouped",
        "acknowledged",
        "resolved",
    ]
    assert shown["category"] == "delivery" and shown["followup"] == []
    listed = [json.loads(line) for line in cli("complaints", "--json").splitlines()]
    assert [c["status"] for c in listed] == ["acknowledged", "resolved"]
    found = [json.loads(line) for line in cli("mentions", "--json").splitlines()]
    assert {m["text"] for m in found} == {"@acme parcel 1 never came", "@acme parcel 2 never came"}
    with Store.open(db, readonly=True) as store:
        assert store.feedback_examples() == [("@acme parcel 2 never came", False)]


def _make_plan(target: str, tmp_path) -> list[str]:
    from pathlib import Path

    root = Path(__file__).parents[2]
    plan = subprocess.run(
        ["make", "-n", "-C", str(root), f"VENV={tmp_path / 'venv'}", target],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in plan.stdout.splitlines() if "pip install" in line]


def test_make_install_is_a_plain_install_and_make_test_gets_the_test_tools(tmp_path):
    installs = _make_plan("install", tmp_path)
    assert installs[-1].endswith("pip install --quiet .")  # copied in, no test tools
    assert not any(" -e " in line or "[test]" in line for line in installs)
    assert _make_plan("test", tmp_path)[-1].endswith("pip install --quiet -e '.[test]'")


def test_the_license_is_an_spdx_expression_setuptools_accepts(tmp_path):
    """A TOML table is deprecated: setuptools warned three times per build."""
    from pathlib import Path

    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    dist = apply_configuration(Distribution(), pyproject)  # warnings are errors here
    assert dist.metadata.license_expression == "MIT"


def test_the_demo_writes_nothing_git_would_pick_up():
    from pathlib import Path

    root = Path(__file__).parents[2]
    for name in ("amends-demo.db", "amends-demo-pages.jsonl"):
        ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", name])
        assert ignored.returncode == 0, f"{name} is not in .gitignore"


# Modules a command loads only when it runs: the store (sqlite-utils), the platform
# registry (every source's pydantic settings), the page renderer, model runtimes.
# Loaded at start they would cost every call, `--help` included, half a second.
LOADED_WHEN_USED = (
    "pydantic",
    "sqlite_utils",
    "numpy",
    "torch",
    "onnxruntime",
    "jinja2",
    "sources",
    "monitor.store",
    "monitor.config",
    "monitor.classify",
    "monitor.page",
    "monitor.act",
    "monitor.daemon",
    "monitor.web",
    "monitor.report",
)


def loaded_by(code: str, *args: str) -> set[str]:
    """The packages (and monitor's stages) a fresh interpreter holds once ``code`` ran."""
    probe = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n" + code
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=120
    )
    names = json.loads(result.stderr.strip().splitlines()[-1])
    return {
        ".".join(name.split(".")[:2]) if name.startswith("monitor.") else name.split(".")[0]
        for name in names
    }


def test_importing_the_cli_loads_no_command_s_dependencies():
    loaded = loaded_by("import monitor.cli")
    assert "typer" in loaded  # the probe sees what was imported
    assert loaded.isdisjoint(LOADED_WHEN_USED), sorted(loaded & set(LOADED_WHEN_USED))


def test_help_loads_no_command_s_dependencies():
    loaded = loaded_by("from monitor.cli import main; main()", "--help")
    assert loaded.isdisjoint(LOADED_WHEN_USED), sorted(loaded & set(LOADED_WHEN_USED))
