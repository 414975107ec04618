"""`amends classify` on hostile input: bad bytes, bad JSON lines, missing files."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.classify.heads import PACKAGED, load_artifact
from monitor.cli.inputs import BadLine, Item, parse_lines

COMPLAINT = "@acme you charged my card twice and still no refund, worst service ever"
HAPPY = "Thank you @acme, the team sorted it in minutes, absolutely brilliant service!"


def classify(cache: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    command = ["--cache-dir", str(cache), "classify", *args]
    proc = subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", *command],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=300,
        check=False,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode()
    )


def results(proc: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_a_missing_file_or_a_folder_is_one_line_before_the_model_loads(tmp_path, what):
    cache = tmp_path / "cache"
    source = tmp_path / "nope.txt" if what == "missing" else tmp_path
    proc = classify(cache, str(source))
    assert proc.returncode == 2
    said = "no such file" if what == "missing" else "is a folder"
    assert proc.stderr.strip() == f"amends: error: {source}: {said}" + (
        "; give a file with one mention per line" if what == "folder" else ""
    )
    assert not cache.exists()  # it stopped before loading (or building) the model


def test_a_bad_jsonl_line_stops_after_writing_every_good_line_before_it(tmp_path, model_cache):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"text": COMPLAINT}), json.dumps({"text": HAPPY}), "{'text': 1}"]
    path.write_text("\n".join([*lines, json.dumps({"text": COMPLAINT})]) + "\n", "utf-8")
    proc = classify(model_cache, str(path), "--format", "jsonl")
    assert proc.returncode == 2
    assert [r["complaint"] for r in results(proc)] == [True, False]
    assert f"{path} line 3: not JSON (" in proc.stderr
    assert "the 2 line(s) before it were classified and written" in proc.stderr
    assert "Traceback" not in proc.stderr

    skipped = classify(model_cache, str(path), "--format", "jsonl", "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr
    assert [r["complaint"] for r in results(skipped)] == [True, False, True]
    assert f"{path} line 3: skipped, not JSON" in skipped.stderr
    assert "3 line(s) classified, 1 skipped" in skipped.stderr


def test_bytes_on_stdin_and_a_latin1_file(tmp_path, model_cache):
    data = f"{COMPLAINT}\n".encode() + b"caf\xe9 \xff late\n" + f"{HAPPY}\n".encode()
    proc = classify(model_cache, "-", stdin=data)
    assert proc.returncode == 2
    assert len(results(proc)) == 1
    assert "stdin line 2: not UTF-8 (byte 0xe9 at column 4)" in proc.stderr

    skipped = classify(model_cache, "-", "--skip-bad", stdin=data)
    assert skipped.returncode == 0
    assert [r["complaint"] for r in results(skipped)] == [True, False]

    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Très déçu, colis jamais arrivé\n".encode("latin-1"))
    proc = classify(model_cache, str(latin1))
    assert proc.returncode == 2 and proc.stdout == ""
    assert f"{latin1} line 1: not UTF-8" in proc.stderr and "iconv" in proc.stderr


def test_each_line_is_checked_alone() -> None:
    raw = b"\n".join(
        [
            b'{"text": "late", "brand": "acme"}',
            b"",
            b"[1, 2]",
            b'{"text": 5}',
            b'{"text": "x", "brand": ["acme"]}',
            b'{"id": 7}',
            b'{"text": "crlf"}\r',
            b"\xc3",  # a character cut in half
        ]
    )
    got = list(parse_lines(io.BytesIO(raw), jsonl=True))
    assert got == [
        Item(1, "late", "acme"),
        Item(2, "", None),
        BadLine(3, "not a JSON object with a 'text' field"),
        BadLine(4, "'text' is a int, not a string"),
        BadLine(5, "'brand' is a list, not a string"),
        Item(6, "", None),
        Item(7, "crlf", None),
        BadLine(8, got[7].reason),
    ]
    assert got[7].reason.startswith("not UTF-8 (byte 0xc3 at column 1)")
    assert list(parse_lines(io.BytesIO(b"{not json}\n"), jsonl=False)) == [
        Item(1, "{not json}", None)
    ]


def test_model_runs_the_fast_student_for_one_call(model_cache):
    proc = classify(
        model_cache, "-", "--model", "builtin-fast", stdin=f"{COMPLAINT}\n{HAPPY}\n".encode()
    )
    assert proc.returncode == 0, proc.stderr
    assert [r["complaint"] for r in results(proc)] == [True, False]
    fast = load_artifact(PACKAGED["builtin-fast"], weights=False).version
    assert list(model_cache.glob(f"minilm-{fast}-int8-*.onnx"))  # its own encoder


def _train(*args: str) -> subprocess.CompletedProcess:
    """`amends train ARGS...` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", "train", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("student", ["0,2,x", "0,7", "1,1"])
def test_train_names_a_bad_student_before_training(tmp_path, student):
    proc = _train("--student", student)
    assert proc.returncode == 2, proc.stderr
    assert "--student takes" in proc.stderr and repr(student) in proc.stderr


def test_train_takes_the_number_of_sentiment_rows(tmp_path):
    """--sentiment-rows reaches the recipe: on a data folder of 1,200 TweetEval rows,
    2,000 is refused with the folder named before any training starts."""
    tweeteval = tmp_path / "tweeteval-sentiment"
    tweeteval.mkdir()
    (tweeteval / "train_text.txt").write_text("a post\n" * 1200)
    (tweeteval / "train_labels.txt").write_text("1\n" * 1200)
    proc = _train("--data", str(tmp_path), "--sentiment-rows", "2000")
    assert proc.returncode == 2, proc.stderr
    assert f"amends: error: {tweeteval}: 1200 training rows, too few for 2000" in proc.stderr
    proc = _train("--data", str(tmp_path), "--sentiment-rows", "10")  # refused by the option
    assert proc.returncode == 2 and "--sentiment-rows" in proc.stderr, proc.stderr


def test_train_teacher_needs_a_student_and_takes_the_model_as_trained(tmp_path):
    proc = _train("--teacher", "builtin")
    assert proc.returncode == 2 and "name the layers to keep with --student" in proc.stderr
    proc = _train("--teacher", "builtin", "--student", "0,5", "--sentiment-rows", "2000")
    assert proc.returncode == 2 and "not with --feedback or --sentiment-rows" in proc.stderr
    missing = tmp_path / "nothing.npz"
    proc = _train("--teacher", str(missing), "--student", "0,5")
    assert proc.returncode == 2, proc.stderr
    assert f"--teacher {missing}: no such artifact file" in proc.stderr


def test_train_names_a_device_it_cannot_use(tmp_path):
    import torch

    def train(device: str) -> subprocess.CompletedProcess:
        return _train("--data", str(tmp_path), "--device", device)

    proc = train("gpu")
    assert proc.returncode == 2 and "--device 'gpu': not a device torch knows" in proc.stderr
    proc = train("meta")
    assert proc.returncode == 2 and "amends trains on cpu or cuda" in proc.stderr
    if not torch.cuda.is_available():
        proc = train("cuda")
        assert proc.returncode == 2 and "torch sees no CUDA GPU" in proc.stderr, proc.stderr
