"""Logging as the command line sets it up: what a start, a build and an outage print."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from fakes.receivers import free_port

ROOT = Path(__file__).parents[2]
AMENDS = [sys.executable, "-c", "from monitor.cli import main; main()"]

CONFIG = """
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana"
contacts = [{{ url = "json://{pages}", tags = ["email"] }}]
{sources}
"""

REDDIT_DOWN = """
[sources.reddit]
enabled = true
client_id = "${{AMENDS_TEST_REDDIT_ID}}"
client_secret = "${{AMENDS_TEST_REDDIT_SECRET}}"
oauth_url = "http://127.0.0.1:{port}"
reddit_url = "http://127.0.0.1:{port}"
subreddits = ["gadgets"]
timeout_seconds = 1.0
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JOURNAL_STREAM", "NOTIFY_SOCKET")}
    return env | {"AMENDS_TEST_REDDIT_ID": "id", "AMENDS_TEST_REDDIT_SECRET": "secret"}


def _config(tmp_path: Path, sources: str = "") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG.format(pages=tmp_path / "pages.jsonl", sources=sources))
    return path


def _logged(line: str) -> str:
    """A log line without its timestamp: "INFO name: message"."""
    return line.split(" ", 2)[2] if line[:4].isdigit() else line


def test_a_start_without_verbose_says_ready_in_one_line(tmp_path: Path, model_cache: Path) -> None:
    db = tmp_path / "amends.db"
    args = ["--config", str(_config(tmp_path)), "--db", str(db), "--cache-dir", str(model_cache)]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as notify:
        notify.bind(str(tmp_path / "notify"))
        notify.settimeout(400)  # the first start may build the encoders
        env = _env() | {"NOTIFY_SOCKET": str(tmp_path / "notify")}
        with subprocess.Popen(
            [*AMENDS, *args, "run"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        ) as daemon:
            while b"READY=1" not in notify.recv(4096):
                pass
            daemon.send_signal(signal.SIGTERM)
            out, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, err
    said = [_logged(line) for line in err.splitlines() if line.strip()]
    assert said[0].startswith(
        "INFO monitor.daemon.scheduler: amends ready: sources none enabled; model builtin "
    ), said
    assert said[0].endswith(f"; database {db}")
    assert len(said) == 2 and "stopping" in said[1], said  # nothing else, and the stop
    assert out == ""


QUANTISE = """
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import quantize_dynamic

from monitor.cli import app

app(sys.argv[1:], standalone_mode=False)  # sets logging up as `amends` does
weight = numpy_helper.from_array(np.ones((4, 4), dtype=np.float32), "w")
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["y"])],
    "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
    [weight],
)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), "tiny.onnx")
quantize_dynamic("tiny.onnx", "tiny-int8.onnx")
"""


def test_verbose_leaves_out_the_quantisers_lines_until_very_verbose(tmp_path: Path) -> None:
    """onnxruntime's quantiser logs each tensor on the root logger (66 lines for MiniLM)."""
    config = _config(tmp_path)

    def quantised(verbosity: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", QUANTISE, verbosity, "check-config", str(config)],
            capture_output=True,
            text=True,
            cwd=tmp_path,  # where the tiny model is written
            env=_env() | {"PYTHONPATH": str(ROOT)},  # this checkout's amends, from there too
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert (tmp_path / "tiny-int8.onnx").exists()
        return done.stderr

    assert "Quantization parameters for tensor" not in quantised("-v")
    assert "Quantization parameters for tensor" in quantised("-vv")  # still there when asked


def test_a_reddit_outage_logs_one_line_per_failed_poll_with_the_reason(
    tmp_path: Path, model_cache: Path
) -> None:
    config = _config(tmp_path, REDDIT_DOWN.format(port=free_port()))  # nothing listens there
    args = [
        "--config",
        str(config),
        "--db",
        str(tmp_path / "a.db"),
        "--cache-dir",
        str(model_cache),
    ]
    created = subprocess.run([*AMENDS, *args, "migrate"], capture_output=True, env=_env())
    assert created.returncode == 0, created.stderr
    for attempt in (1, 2):  # every poll the same: no library's retry chatter on top
        done = subprocess.run(
            [*AMENDS, *args, "poll"], capture_output=True, text=True, env=_env(), timeout=400
        )
        said = [_logged(line) for line in done.stderr.splitlines() if line.strip()]
        assert said == [
            "WARNING monitor.daemon.polling: reddit poll failed "
            f"({attempt} in a row): cannot reach Reddit: connection refused"
        ], done.stderr


def test_an_error_message_is_printed_as_written(capsys) -> None:
    """A note or a path in an error is data: square brackets are not rich markup."""
    from monitor.cli.common import report_error
    from monitor.core.errors import AmendsError

    report_error(AmendsError("already resolved (fixed [red]the[/red] [x] thing)"))
    assert "(fixed [red]the[/red] [x] thing)" in capsys.readouterr().err
