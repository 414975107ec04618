"""`amends migrate`, and what other commands do with a missing or older database."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
import sqlite_utils

from monitor.store.migrations import MIGRATIONS

LATEST = MIGRATIONS._migrations[-1].name


def amends(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def _older_file(path) -> None:
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m003_grouping_and_incidents")
    old["mentions"].insert(
        {
            "platform": "x",
            "platform_id": "9",
            "text": "kept",
            "created_at": datetime(2026, 11, 22, tzinfo=UTC).isoformat(),
        }
    )
    old.close()


@pytest.mark.parametrize(
    "command", [["ack", "1"], ["label", "1", "not"], ["silence", "--brand", "Acme", "--for", "1h"]]
)
def test_a_write_command_on_a_mistyped_db_creates_nothing(tmp_path, command):
    typo = tmp_path / "var" / "lib" / "amnds" / "amends.db"
    result = amends("--db", str(typo), *command)
    assert result.returncode == 2, result.stderr
    assert f"{typo}: no such database; check --db" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no folders, no empty database


def test_a_write_command_refuses_an_older_file_and_migrate_upgrades_it(tmp_path):
    path = tmp_path / "amends.db"
    _older_file(path)
    refused = amends("--db", str(path), "ack", "1")
    assert refused.returncode == 2
    assert "written by an older amends" in refused.stderr
    assert "run 'amends migrate'" in refused.stderr
    assert [m.name for m in MIGRATIONS.applied(sqlite_utils.Database(path))][-1] == (
        "m002_paging_and_feedback"
    )  # untouched

    done = amends("--db", str(path), "migrate")
    assert done.returncode == 0, done.stderr
    backups = list(tmp_path.glob("amends.db.bak-m002-*"))
    assert len(backups) == 1
    said = done.stdout.strip()
    assert said.startswith(
        f"{path}: upgraded from m002_paging_and_feedback to {LATEST} "
        "(m003_grouping_and_incidents, m004_category_label"
    )
    assert said.endswith(f"); the file as it was is {backups[0]}")
    kept = sqlite_utils.Database(backups[0])
    assert [r["text"] for r in kept["mentions"].rows] == ["kept"]

    again = amends("--db", str(path), "migrate")
    assert again.stdout.strip() == f"{path}: already up to date (schema {LATEST})"
    listed = amends("--db", str(path), "mentions")
    assert listed.returncode == 0, listed.stderr


def test_migrate_creates_a_new_database(tmp_path):
    path = tmp_path / "new" / "amends.db"
    result = amends("--db", str(path), "migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{path}: created (schema {LATEST})"
    assert MIGRATIONS.pending(sqlite_utils.Database(path)) == []
