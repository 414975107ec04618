"""`amends demo` end to end: the bundled sample through the real pipeline and model."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sqlite_utils

from monitor.store import Store

# (platform, author, words from the post): samples any support person calls a complaint.
CLEAR_COMPLAINTS = [
    ("x", "maya_bakes", "tracking hasn't moved"),
    ("x", "tomfromleeds", "charged my card twice"),
    ("x", "priya_codes", "app has been down"),
    ("x", "dadjokes_dan", "caught fire"),
    ("x", "nkechi_o", "third time"),
    ("x", "samir_k", "really rude"),
    ("x", "joanne_r", "Can't log into"),
    ("x", "lawyerly_liz", "small claims"),
    ("x", "hannah_w", "cracked carafe"),
    ("x", "oscar_t", "leaks water"),
    ("x", "ravi_s", "restocking fee"),
    ("x", "anna_b", "keeps crashing"),
    ("reddit", "u_coffeegeek", "grinding noise"),
    ("reddit", "homebrewhero", "melted"),
    ("reddit", "late_again", "still 'processing'"),
    ("reddit", "grumpy_gus", "lost my parcel"),
    ("reddit", "shopfloor_sue", "rolled his eyes"),
]
PRAISE = [("x", "lena_m"), ("x", "kestrel_fan_99"), ("reddit", "happycamper")]


def run_demo(tmp_path, model_cache) -> subprocess.CompletedProcess:
    env = dict(os.environ, AMENDS_CACHE_DIR=str(model_cache), COLUMNS="160")
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", "demo", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory, model_cache):
    where = tmp_path_factory.mktemp("demo")
    first = run_demo(where, model_cache)
    assert first.returncode == 0, first.stderr
    return where, first


def rows(where, sql: str, params: list | tuple = ()) -> list[dict]:
    """Rows from the demo database, read the way any SQLite tool would."""
    db = sqlite_utils.Database(where / "amends-demo.db")
    try:
        return list(db.query(sql, list(params)))
    finally:
        db.close()


def sample_ids() -> set[tuple[str, str]]:
    from importlib import resources

    data = resources.files("monitor.daemon").joinpath("data", "demo")
    x = json.loads(data.joinpath("x_recent_search.json").read_text())
    reddit = json.loads(data.joinpath("reddit_listing.json").read_text())
    ids = {("x", post["id"]) for post in x["data"]}
    ids |= {("reddit", child["data"]["name"]) for child in reddit["listing"]["data"]["children"]}
    return ids


def test_every_sample_mention_is_stored_exactly_once(demo_run):
    where, _ = demo_run
    stored = [
        (r["platform"], r["platform_id"])
        for r in rows(where, "select platform, platform_id from mentions")
    ]
    assert len(stored) == len(set(stored))
    assert set(stored) == sample_ids()


def _score(where, platform: str, author: str, words: str = "") -> float:
    found = rows(
        where,
        "select c.complaint_score from classifications c join mentions m "
        "on m.id = c.mention_id where m.platform = ? and m.author = ? and m.text like ?",
        [platform, author, f"%{words}%"],
    )
    assert found, f"{author} was not classified"
    return found[0]["complaint_score"]


# The model's held-out complaint recall is about 0.77 (README), so a sample of 17 clear
# complaints is held to a floor, not to perfection; the demo prints its closest misses.
MIN_CAUGHT = 15


def test_nearly_every_clear_complaint_is_caught_and_reaches_someone(demo_run):
    where, _ = demo_run
    caught = []
    for platform, author, words in CLEAR_COMPLAINTS:
        found = rows(
            where,
            "select c.* from complaints c join mentions m on m.id = c.mention_id "
            "where m.platform = ? and m.author = ? and m.text like ?",
            [platform, author, f"%{words}%"],
        )
        if not found:
            continue
        caught.append(author)
        row = found[0]
        assert row["public_draft"] and json.loads(row["followup"])
        lead = row["grouped_into"] or row["id"]
        [(delivered,)] = [
            tuple(r.values())
            for r in rows(
                where,
                "select count(*) from deliveries where status = 'sent' and (complaint_id = ? "
                "or complaint_id = ? or (kind like 'digest:%' and ? in (select complaint_id from "
                "events where event = 'digested')))",
                [lead, -(row["incident_id"] or 0), row["id"]],
            )
        ]
        assert delivered, f"complaint {row['id']} ({author}) reached nobody"
    missed = {a for _, a, _ in CLEAR_COMPLAINTS} - set(caught)
    assert len(caught) >= MIN_CAUGHT, f"missed {sorted(missed)}"


def test_praise_scores_below_the_clear_complaints(demo_run):
    where, _ = demo_run
    complaint_scores = sorted(_score(where, *case) for case in CLEAR_COMPLAINTS)
    median = complaint_scores[len(complaint_scores) // 2]
    for platform, author in PRAISE:
        assert _score(where, platform, author) < median, author
    # Plain praise with nothing gone wrong in it is never paged.
    assert _score(where, "x", "lena_m") < 0.5


def test_pages_went_to_the_local_file_and_the_summary_was_printed(demo_run):
    where, first = demo_run
    pages = [
        json.loads(line) for line in (where / "amends-demo-pages.jsonl").read_text().splitlines()
    ]
    assert pages and all(p.get("title") for p in pages)
    assert "complaints opened" in first.stdout


def test_a_second_run_adds_nothing_and_pages_nobody_again(demo_run, model_cache):
    where, _ = demo_run
    store = Store.open(where / "amends-demo.db")
    before = store.counts()
    again = run_demo(where, model_cache)
    assert again.returncode == 0, again.stderr
    after = Store.open(where / "amends-demo.db").counts()
    assert after["mentions"] == before["mentions"]
    assert after["complaints"] == before["complaints"]
    assert after["deliveries_sent"] == before["deliveries_sent"]


def test_cli_queries_work_on_the_demo_database(demo_run):
    where, _ = demo_run
    base = [
        sys.executable,
        "-c",
        "from monitor.cli import main; main()",
        "--db",
        str(where / "amends-demo.db"),
    ]
    listed = subprocess.run(
        [*base, "complaints", "--json"], capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0 and json.loads(listed.stdout.splitlines()[0])["priority"]
    found = subprocess.run(
        [*base, "mentions", "--search", "refund", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert found.returncode == 0
    texts = [json.loads(line)["text"].lower() for line in found.stdout.splitlines()]
    assert texts and all("refund" in t for t in texts)
