"""`mentions`, `stats`, `export`, `report` and `prune` as people run them: a real
database, a fresh process, stdout a pipe or a pseudo-terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.core.models import Batch, Mention
from monitor.store import Store
from tests.cli.terminal import run_in_terminal
from tests.cli.test_app import LOADED_WHEN_USED, loaded_by
from tests.store.conftest import fill


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("query") / "amends.db"
    with Store.open(path) as store:
        fill(store)
        formula = Mention(
            platform="x",
            platform_id="formula",
            author="=cmd",
            text='=HYPERLINK("http://evil.example") refund \x1b[2J now',
            url="https://example.test/f",
            created_at=datetime.now(UTC) - timedelta(days=1000),
        )
        store.save_batch(Batch(source="x", mentions=[formula]), now=datetime.now(UTC))
    return path


def amends(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def ids(result: subprocess.CompletedProcess[str]) -> list[int]:
    assert result.returncode == 0, result.stderr
    return [int(line.split("\t")[0]) for line in result.stdout.splitlines()[1:]]


def test_search_takes_fts5_syntax(db):
    assert ids(amends(db, "mentions", "--search", '"lid of my kettle"')) == [4]
    assert ids(amends(db, "mentions", "-s", "kett* NOT broke")) == [8, 5]
    assert ids(amends(db, "mentions", "-s", "refund OR grinder", "--platform", "reddit")) == [3]


def test_a_bad_query_says_so_and_searches_the_words(db):
    result = amends(db, "mentions", "--search", "order 1234 (")
    assert ids(result) == [2]
    assert "not full-text query syntax" in result.stderr and "Traceback" not in result.stderr


def test_filters_and_relevance(db):
    assert ids(amends(db, "mentions", "--status", "new")) == [2]
    assert ids(amends(db, "mentions", "--priority", "p1")) == [2]
    assert ids(amends(db, "mentions", "--category", "refund", "--complaints")) == [2, 1]
    assert ids(amends(db, "mentions", "--author", "SAM")) == [2]
    assert ids(amends(db, "mentions", "--min-reach", "1000")) == [3]
    # The fixture's posts are hours to 400 days before 2026-11-22 12:00; "formula" is
    # 1,000 days old.
    assert ids(amends(db, "mentions", "--since", "500d", "--until", "2026-11-22")) == [
        8, 7, 6, 5, 4
    ]  # fmt: skip
    best = ids(amends(db, "mentions", "-s", "kettle*", "--sort", "relevance"))
    assert best[0] == 8


@pytest.mark.parametrize(
    "args",
    [
        ["mentions", "--status", "lost"],
        ["mentions", "--since", "yesterday"],
        ["mentions", "--format", "xml"],
        ["stats", "--by", "month"],
    ],
)
def test_bad_options_are_one_line_not_a_traceback(db, args):
    result = amends(db, *args)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_json_and_csv_formats(db):
    rows = [
        json.loads(line)
        for line in amends(db, "mentions", "--format", "json").stdout.split("\n")
        if line
    ]
    assert rows[0]["id"] == 9 and {"status", "priority", "category"} <= set(rows[0])
    assert [r["id"] for r in rows] == [
        r["id"] for r in map(json.loads, amends(db, "mentions", "--json").stdout.splitlines())
    ]
    table = list(csv.reader(io.StringIO(amends(db, "mentions", "--format", "csv").stdout)))
    assert table[0][:4] == ["id", "platform", "author", "created_at"] and len(table) == 10


def test_export_defuses_formulas_and_writes_jsonl(db, tmp_path):
    out = tmp_path / "all.csv"
    result = amends(db, "export", "--output", str(out))
    assert result.returncode == 0 and "9 mention(s) exported" in result.stderr
    with out.open(encoding="utf-8") as written:
        rows = list(csv.DictReader(written))
    formula = next(r for r in rows if r["url"].endswith("/f"))
    assert formula["author"] == "'=cmd" and formula["text"].startswith("'=HYPERLINK")
    lines = amends(db, "export", "--format", "jsonl", "--complaints").stdout.splitlines()
    assert [json.loads(line)["id"] for line in lines] == [5, 4, 2, 1]
    assert not any("\x1b" in line for line in lines)  # control characters escaped


def test_export_to_a_terminal_is_refused(db):
    shown = run_in_terminal("--db", str(db), "export", columns=100)
    assert shown.returncode != 0 and "--output" in shown.stderr


def test_stats_prints_numbers_and_a_chart(db):
    shown = run_in_terminal("--db", str(db), "stats", "--since", "3000d", columns=100)
    assert shown.returncode == 0, shown.stderr
    text = "\n".join(shown.lines)
    assert "complaints                     4" in text
    assert "median time to acknowledge     20 min" in text
    assert "█" in text and "Courier lost it" in text
    data = json.loads(amends(db, "stats", "--since", "3000d", "--format", "json").stdout)
    assert data["complaints"] == 4 and data["by_platform"] == {"x": 3, "reddit": 1}


def test_report_writes_a_self_contained_file(db, tmp_path):
    page = tmp_path / "week.html"
    result = amends(db, "report", "--html", str(page), "--since", "3000d")
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "<svg" in html and "default-src 'none'" in html


def test_prune_dry_run_then_for_real(tmp_path):
    path = tmp_path / "amends.db"
    with Store.open(path) as store:
        fill(store)
    said = amends(path, "prune", "--older-than", "1d", "--dry-run")
    assert said.returncode == 0 and said.stdout.startswith("would remove 4 mention(s)")
    assert amends(path, "prune", "--older-than", "1d").stdout.startswith("removed 4 mention(s)")
    assert ids(amends(path, "mentions")) == [5, 4, 2, 1]


def test_a_search_loads_the_store_and_nothing_it_does_not_use(db):
    loaded = loaded_by(
        "from monitor.cli import main; main()", "--db", str(db), "mentions", "-s", "refund"
    )
    assert "monitor.store" in loaded  # the probe sees the search ran
    # A read-only open needs no sqlite-utils, and typer before 0.28 parses options
    # without pydantic; the platform registry, the config, models and the other
    # stages stay unloaded too (the page stage cleans the posts' text for the screen).
    unused = set(LOADED_WHEN_USED) - {"monitor.store", "monitor.page"}
    assert loaded.isdisjoint(unused), sorted(loaded & unused)
