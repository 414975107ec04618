"""`amends draft` as people use it: the fast encoder, and input it must refuse."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakes.configs import MINIMAL_CONFIG
from fakes.llm import FakeLLM
from fakes.receivers import free_port
from monitor.cli import app

runner = CliRunner()
LATE = "My parcel is two weeks late and nobody answers my emails"


def draft(*args: str):
    return runner.invoke(app, ["draft", "--no-model", *args], env={})


def said(result) -> str:
    """The error as one line, out of the box typer draws around it."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_complaint_is_refused(text):
    result = draft("--text", text, "--author", "dana")
    assert result.exit_code == 2
    assert "--text" in said(result) and "is empty" in said(result)


@pytest.mark.parametrize(
    ("platform", "author"),
    [
        ("x", "dana\n@evil"),  # would have become "@danaevil"
        ("x", "<b>dana</b>"),  # "@bdanab"
        ("x", "dana kim"),
        ("x", "@"),
        ("x", "d" * 41),
        ("reddit", "u/"),
        ("reddit", "kim\r\nu/other"),
    ],
)
def test_an_author_that_would_become_another_handle_is_refused(platform, author):
    result = draft("--text", LATE, "--author", author, "--platform", platform)
    assert result.exit_code == 2, result.output
    assert "is not a handle" in said(result)


@pytest.mark.parametrize(
    ("platform", "author", "handle"),
    [("x", "dana_k", "@dana_k "), ("x", "@dana_k", "@dana_k "), ("reddit", "u/kim-1", "u/kim-1")],
)
def test_a_handle_typed_with_or_without_its_prefix_is_addressed_as_typed(platform, author, handle):
    result = draft("--text", LATE, "--author", author, "--platform", platform, "--json")
    assert result.exit_code == 0, result.output
    assert handle in json.loads(result.stdout)["public_reply"]


def test_draft_runs_on_the_onnx_encoder_without_torch(model_cache: Path):
    """The daemon's encoder, not transformers + torch (10-20 s and 530 MB before)."""
    code = (
        "import sys; from monitor.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\nelse:\n    code = 0\n"
        "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("AMENDS_CONFIG", None)
    args = ["--cache-dir", str(model_cache), "draft", "--text", LATE, "--author", "dana"]
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, *args, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert run.stderr.strip().endswith("NO-TORCH")
    first, second = (json.loads(run.stdout) for run in runs)
    assert first["category"] == "delivery" and first["public_reply"].startswith("@dana ")
    assert second == first  # the second run reads the categories' embeddings back
    assert len(list(model_cache.glob("embeddings-*.npy"))) == 1


LOST_BAG = "@skyways lost my bag and nobody answers the phone"


def test_check_reply_with_the_complaint_flags_a_claim_from_nowhere():
    wrong = "@kim Your order still hasn't reached you. I'm sorry. DM us and I'll chase it. – Sam"
    result = runner.invoke(app, ["check-reply", wrong, "--complaint", LOST_BAG])
    assert result.exit_code == 1 and "ungrounded" in result.stdout and "an order" in result.stdout
    right = "@kim I'm sorry about your bag. DM us your bag tag and I'll follow it up. – Sam"
    result = runner.invoke(app, ["check-reply", right, "--complaint", LOST_BAG])
    assert result.exit_code == 0, result.stdout
    # Without the complaint there is nothing to ground it in: the old checks only.
    assert runner.invoke(app, ["check-reply", wrong]).exit_code == 0


def test_draft_json_carries_their_words():
    result = draft("--text", LOST_BAG, "--author", "dana", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["specifics"]["problem"] == "your bag"
    assert "your bag" in data["public_reply"] and "order" not in data["public_reply"]
    assert not any(f["code"] == "ungrounded" for f in data["checks"])


def test_the_brand_the_post_matched_is_never_the_thing_echoed(tmp_path):
    config = tmp_path / "amends.toml"
    config.write_text(
        MINIMAL_CONFIG.format(db=tmp_path / "a.db", cache=tmp_path, pages=tmp_path / "pages")
    )
    text = "how is an Acme gonna close before 6 on a Thursday?"
    command = ["draft", "--no-model", "--text", text, "--author", "dana", "--json"]
    result = runner.invoke(app, ["--config", str(config), *command], env={})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "problem" not in data["specifics"], data["specifics"]
    assert "Acme" not in data["public_reply"], data["public_reply"]


# --- the team's model ([drafting] llm_url) -----------------------------------------------

REWORDED = (
    "@dana Losing your bag and then getting nobody on the phone is not okay; I'm sorry. "
    "Please DM us your bag tag and I'll follow it up myself. – Sam"
)


def with_model(tmp_path: Path, url: str, *args: str):
    config = tmp_path / "amends.toml"
    config.write_text(
        MINIMAL_CONFIG.format(db=tmp_path / "a.db", cache=tmp_path, pages=tmp_path / "pages")
        + f'\n[drafting]\nllm_url = "{url}"\nllm_model = "tiny-3b"\nllm_timeout_seconds = 2\n'
    )
    command = ["draft", "--no-model", "--text", LOST_BAG, "--author", "dana", "--sign-as", "Sam"]
    return runner.invoke(app, ["--config", str(config), *command, *args], env={})


def test_draft_asks_the_team_model_and_says_it_reworded_the_reply(tmp_path):
    with FakeLLM() as llm:
        llm.reply = REWORDED
        result = with_model(tmp_path, llm.url, "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["public_reply"] == REWORDED and data["reworded_by_model"] is True
        assert llm.requests[0].json["model"] == "tiny-3b"
        shown = with_model(tmp_path, llm.url)
        assert REWORDED in shown.stdout and "✓ passes the reply checker" in shown.stdout
        assert "✎ reworded by the team's model (tiny-3b)" in shown.stdout


def test_draft_keeps_the_grounded_reply_when_the_model_claims_an_order(tmp_path):
    with FakeLLM() as llm:
        llm.reply = REWORDED.replace("your bag tag", "your order number")
        result = with_model(tmp_path, llm.url)
        assert result.exit_code == 0, result.output
        assert "order" not in result.stdout.split("public reply", 1)[1].split("\n")[1]
        assert "its wording was not used" in result.stdout and "✎" not in result.stdout


def test_draft_without_the_model_when_asked_or_when_it_is_down(tmp_path):
    with FakeLLM() as llm:
        llm.reply = REWORDED
        result = with_model(tmp_path, llm.url, "--no-llm", "--json")
        assert json.loads(result.stdout)["reworded_by_model"] is False and llm.requests == []
        down = with_model(tmp_path, f"http://127.0.0.1:{free_port()}/v1", "--json")
        assert down.exit_code == 0, down.output
        assert json.loads(down.stdout)["public_reply"].startswith("@dana I'm sorry about your bag")
