"""`amends user` and `amends serve` as a person runs them: real processes, a real
database, a real HTTP request, and SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from fakes.receivers import free_port
from monitor.store import Store
from monitor.web.auth import password_matches

AMENDS = [sys.executable, "-c", "from monitor.cli import main; main()"]


def amends(db, *args, stdin="", env=None):
    return subprocess.run(
        [*AMENDS, "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_user_add_passwd_list_remove(tmp_path):
    db = tmp_path / "amends.db"
    Store.open(db).close()
    added = amends(db, "user", "add", "Dana Kim", "--password-stdin", stdin="first password\n")
    assert added.returncode == 0, added.stderr
    short = amends(db, "user", "add", "Lee Park", "--password-stdin", stdin="short\n")
    assert short.returncode != 0 and "at least 10" in short.stderr
    again = amends(db, "user", "add", "dana kim", "--password-stdin", stdin="another one!\n")
    assert again.returncode != 0 and "already" in again.stderr
    changed = amends(
        db, "user", "passwd", "Dana Kim", "--password-stdin", stdin="second password\n"
    )
    assert changed.returncode == 0, changed.stderr
    with Store.open(db, create=False, upgrade=False) as store:
        stored = store.account("Dana Kim").password_hash
    assert stored.startswith("$argon2") and "second password" not in stored
    assert password_matches(stored, "second password")
    assert not password_matches(stored, "first password")
    assert amends(db, "user", "list").stdout.splitlines() == ["Dana Kim"]
    assert amends(db, "user", "remove", "Dana Kim").returncode == 0
    assert amends(db, "user", "list").stdout == ""


def test_serve_answers_and_stops_cleanly_on_sigterm(tmp_path):
    db = tmp_path / "amends-demo.db"
    Store.open(db).close()
    port = free_port()
    env = {**os.environ, "AMENDS_WEB_SECRET": "s" * 40}
    with subprocess.Popen(
        [*AMENDS, "--db", str(db), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as server:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as answer:
                    assert answer.status == 200
                    assert answer.headers["Content-Security-Policy"]
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert time.monotonic() - started < 10
    assert f"inbox at http://127.0.0.1:{port}" in out
    assert "no logins yet" in out
    assert "demo's configuration" in err  # no --config: the demo's responders


def test_serve_refuses_a_missing_database(tmp_path):
    missing = amends(tmp_path / "nope.db", "serve", env={"AMENDS_WEB_SECRET": "s" * 40})
    assert missing.returncode != 0 and "no such database" in missing.stderr
