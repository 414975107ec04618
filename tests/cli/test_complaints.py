"""What `mentions`, `complaints`, `show`, `status` and `silence` print, on a real
terminal (a pseudo-terminal of a set width) and through a pipe, from a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.core.models import Batch, Draft, Mention, Priority
from monitor.store import NewComplaint, NewDelivery, Store
from tests.cli.terminal import run_in_terminal

NOW = datetime.now(UTC).replace(microsecond=0)
# What a hostile author can put in a post: a terminal escape that clears the screen
# and retitles the window, a bidi override that shows "exe.txt" as "txt.exe", an
# OSC 8 hyperlink, rich markup that would become one, and a bell.
HOSTILE = (
    "refund now \x1b[2J\x1b]0;pwned\x07 file \u202etxt.exe "
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ "
    "[link=https://evil.example]here[/link] \x9b31m end"
)
RAW = ("\x1b[2J", "\x1b]0;", "\x07", "\u202e", "\x1b]8;", "\x9b")


def _mention(pid: str, *, author: str, text: str, platform: str = "x") -> Mention:
    return Mention(
        platform=platform,
        platform_id=pid,
        author=author,
        text=text,
        url=f"https://x.com/{author}/status/{pid}",
        created_at=NOW - timedelta(minutes=3),
        brand="Acme",
        reach=1200,
    )


def _open(store: Store, mention: Mention, *, assignee: str = "Dana Kim") -> int:
    saved = store.save_batch(Batch(source=mention.platform, mentions=[mention]), now=NOW)
    return store.insert_complaint(
        NewComplaint(
            mention_id=saved.new_ids[0],
            priority=Priority(level="P1", reasons=("legal threat", "1.2k followers")),
            category="billing",
            category_label="billing problem",
            severity_cues=(),
            specifics={},
            assignee=assignee,
            assigned_why="default",
            chain=(assignee,),
            due_at=NOW + timedelta(hours=4),
            draft=Draft(
                category="billing",
                public_reply="Sorry about the charge. Please DM us.",
                followup=["Check the charge"],
                due_minutes=240,
            ),
            group_key=f"{mention.platform}:{mention.author}",
        ),
        now=NOW,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Twelve complaints, the first from a hostile author, one page sent by e-mail."""
    path = tmp_path / "amends.db"
    with Store.open(path) as store:
        first = _open(store, _mention("1", author="evil\x1b[31m\u202eguy", text=HOSTILE))
        for n in range(2, 13):
            text = f"@acme my order {n} was charged twice and nobody answers the phone at all"
            _open(store, _mention(str(n), author=f"customer_{n}", text=text))
        store.queue_delivery(
            NewDelivery(
                complaint_id=first,
                kind="page",
                level=0,
                contact="Dana Kim:0123456789abcdef",
                responder="Dana Kim",
                tags=["email"],
                title="P1 complaint",
                body="...",
                body_format="markdown",
            ),
            now=NOW,
        )
        (claimed,) = store.claim_due_deliveries(NOW, limit=10)
        store.record_delivery(
            claimed,
            status="sent",
            attempt={"at": NOW.isoformat(), "ok": True, "service": "Email", "detail": "sent"},
            service="Email",
            last_error=None,
            sent_at=NOW,
        )
    return path


def piped(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.run(
        [sys.executable, "-c", "from monitor.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.mark.parametrize("command", ["mentions", "complaints", "show 1"])
def test_post_text_reaches_a_terminal_cleaned(db: Path, command: str) -> None:
    shown = run_in_terminal("--db", str(db), *command.split(), columns=200)
    assert shown.returncode == 0, shown.stderr
    for raw in RAW:
        assert raw not in shown.raw, f"{command} printed {raw!r}"
    # Markup in a post is shown as the text it is, not turned into a link.
    if command == "show 1":
        assert "[link=https://evil.example]here[/link]" in shown.raw


@pytest.mark.parametrize("command", ["mentions", "complaints", "show 1"])
def test_post_text_in_a_pipe_is_cleaned(db: Path, command: str) -> None:
    result = piped("--db", str(db), *command.split())
    assert result.returncode == 0, result.stderr
    for raw in RAW:
        assert raw not in result.stdout, f"{command} printed {raw!r}"


@pytest.mark.parametrize("command", ["mentions", "complaints", "show"])
def test_json_output_keeps_the_text_but_escapes_what_a_terminal_acts_on(
    db: Path, command: str
) -> None:
    args = [command, "1"] if command == "show" else [command]
    result = piped("--db", str(db), *args, "--json")
    assert result.returncode == 0, result.stderr
    for raw in RAW:
        assert raw not in result.stdout
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert HOSTILE in [row["text"] for row in rows]  # nothing lost: escapes decode back


def test_complaints_at_80_columns_keep_one_line_per_complaint(db: Path) -> None:
    shown = run_in_terminal("--db", str(db), "complaints", columns=80)
    assert shown.returncode == 0, shown.stderr
    lines = shown.lines
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[0].split() == ["id", "pri", "status", "owner", "due", "(UTC)", "text"]
    rows = lines[1:-1]
    assert len(rows) == 12 and lines[-1] == "12 complaint(s)"
    due = f"{NOW + timedelta(hours=4):%m-%d %H:%M}"
    for row in rows:
        assert row.split()[1:6] == ["P1", "new", "Dana", "Kim", *due.split()[:1]], row
        assert due in row


def test_complaints_on_a_wide_terminal_show_every_column(db: Path) -> None:
    shown = run_in_terminal("--db", str(db), "complaints", columns=160)
    header, *rows = shown.lines[:-1]
    assert header.split()[4:9] == ["due", "(UTC)", "platform", "author", "category"]
    row = next(r for r in rows if "customer_2" in r)
    assert f"{NOW + timedelta(hours=4):%Y-%m-%d %H:%M}" in row
    assert "billing" in row and "charged twice" in row
    assert all(len(line) <= 160 for line in shown.lines)


def test_piped_tables_are_tab_separated_and_whole(db: Path) -> None:
    result = piped("--db", str(db), "complaints", "--limit", "3")
    header, *rows = result.stdout.splitlines()
    assert header.split("\t") == [
        "id",
        "pri",
        "status",
        "owner",
        "due (UTC)",
        "platform",
        "author",
        "category",
        "text",
    ]
    assert len(rows) == 3
    cells = rows[-1].split("\t")
    assert len(cells) == 9 and cells[2] == "new" and cells[3] == "Dana Kim"
    assert cells[8].endswith("nobody answers the phone at all")  # not cut
    mentions = piped("--db", str(db), "mentions", "--search", "order 7")
    assert mentions.stdout.splitlines()[1].split("\t")[3] == "customer_7"


def test_show_on_a_terminal_is_a_readable_report(db: Path) -> None:
    shown = run_in_terminal("--db", str(db), "show", "1", columns=80)
    assert shown.returncode == 0, shown.stderr
    text = "\n".join(shown.lines)
    assert shown.lines[0].startswith("complaint 1 · P1 · new · owner Dana Kim · due ")
    assert "\nPost\n  refund now" in text
    assert "\nPublic draft\n  Sorry about the charge. Please DM us." in text
    assert "  - Check the charge" in text
    # Which contact (responder and tags) and through which service.
    assert "#1 page level 0 → Dana Kim (email) via Email: sent " in text
    assert all(len(line) <= 80 for line in shown.lines)
    assert not text.lstrip().startswith("{")


def test_show_json_names_each_deliverys_contact_and_service(db: Path) -> None:
    result = piped("--db", str(db), "show", "1", "--json")
    (delivery,) = json.loads(result.stdout)["deliveries"]
    assert delivery["responder"] == "Dana Kim" and delivery["tags"] == ["email"]
    assert delivery["service"] == "Email" and delivery["status"] == "sent"


def test_status_at_80_columns_keeps_each_time_on_one_line(db: Path) -> None:
    with Store.open(db) as store:
        health = replace(
            store.source_health("x"),
            last_success_at=NOW - timedelta(minutes=5),
            next_poll_at=NOW + timedelta(minutes=1),
            last_error_at=NOW - timedelta(minutes=9),
            last_error="cannot reach X: connection refused; retrying with backoff",
            mentions_fetched=12,
        )
        store.save_source_health(health)
    shown = run_in_terminal("--db", str(db), "status", columns=80)
    assert shown.returncode == 0, shown.stderr
    assert all(len(line) <= 80 for line in shown.lines), shown.lines
    row = next(line for line in shown.lines if line.startswith("x "))
    assert f"{NOW - timedelta(minutes=5):%m-%d %H:%M}" in row
    assert f"{NOW + timedelta(minutes=1):%m-%d %H:%M}" in row
    assert "cannot reach X" in row


@pytest.mark.parametrize(
    "args",
    [
        ["complaints", "--status", "bogus"],
        ["mentions", "--limit", "-5"],
        ["complaints", "--limit", "0"],
    ],
)
def test_bad_listing_options_are_refused(db: Path, args: list[str]) -> None:
    result = piped("--db", str(db), *args)
    assert result.returncode == 2
    assert "Invalid value" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("duration", "said"),
    [
        ("31d", "at most 30d"),
        ("9999999999d", "use a length such as 24h"),
        ("0m", "at least a minute"),
    ],
)
def test_silence_for_is_capped(db: Path, duration: str, said: str) -> None:
    result = piped("--db", str(db), "silence", "--brand", "Acme", "--for", duration)
    assert result.returncode != 0 and said in result.stderr
    assert "Traceback" not in result.stderr
    with Store.open(db, readonly=True) as store:
        assert store.active_silences(NOW) == []


def test_silence_for_thirty_days_is_accepted(db: Path) -> None:
    result = piped("--db", str(db), "silence", "--brand", "Acme", "--for", "30d")
    assert result.returncode == 0, result.stderr
    with Store.open(db, readonly=True) as store:
        (silence,) = store.active_silences(datetime.now(UTC))
    assert silence.until - datetime.now(UTC) > timedelta(days=29, hours=23)


# Every contact names a secret file: Dana's and Sam's are deleted once the config is
# loaded, the admin's later, so the first complaint falls to the admin and the second
# reaches nobody.
UNREACHABLE_CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[general]
[[general.admin_contacts]]
url = "json://127.0.0.1:9/${{file:{admin}}}"
tags = ["email"]

[[responders]]
name = "Dana Kim"
supervisor = "Sam Lee"
[[responders.contacts]]
url = "json://127.0.0.1:9/${{file:{team}}}"
tags = ["push", "email"]

[[responders]]
name = "Sam Lee"
[[responders.contacts]]
url = "json://127.0.0.1:9/${{file:{team}}}"
tags = ["push", "email"]

[routing]
default = "Dana Kim"
"""


def test_status_shows_complaints_whose_page_reached_nobody(tmp_path: Path) -> None:
    from monitor.config import parse_config
    from monitor.daemon.pipeline import Pipeline, process_batch
    from monitor.respond.analysis import category_set
    from monitor.respond.drafting import load_templates
    from tests.page.test_dispatch import ScriptedClassifier

    admin, team = tmp_path / "admin-topic", tmp_path / "team-topic"
    admin.write_text("admin")
    team.write_text("team")
    config = parse_config(UNREACHABLE_CONFIG.format(admin=admin, team=team))
    team.unlink()
    db = tmp_path / "amends.db"
    texts = ["@acme still waiting on my refund", "@acme my refund is still missing"]
    classifier = ScriptedClassifier(dict.fromkeys(texts, 0.8))
    with Store.open(db) as store:
        pipeline = Pipeline(
            config=config,
            store=store,
            classifier=classifier,
            categories=category_set(config.drafting, None),
            templates=load_templates(config.drafting),
        )
        for n, (text, author) in enumerate(zip(texts, ["maya", "ola"], strict=True), 1):
            batch = Batch(source="x", mentions=[_mention(str(n), author=author, text=text)])
            process_batch(pipeline, batch, now=NOW)
            admin.unlink(missing_ok=True)  # after the first page: now nobody at all
        assert [store.complaint(n).status for n in (1, 2)] == ["paged", "new"]
        missed = [e.detail for n in (1, 2) for e in store.events(n) if e.event == "unreachable"]
    assert [d["paged"] for d in missed] == ["admin", None]
    assert all(d["passed_over"] == ["Dana Kim", "Sam Lee"] for d in missed)

    shown = run_in_terminal("--db", str(db), "status", columns=120)
    assert shown.returncode == 0, shown.stderr
    first = shown.lines[0]
    assert first.endswith("· unreachable: 2 (1 reached nobody, unpaged)"), shown.lines
    assert "complaints 2 (open 2)" in first


def _events(db: Path, complaint_id: int, kind: str) -> list[dict]:
    shown = piped("--db", str(db), "show", str(complaint_id), "--json")
    assert shown.returncode == 0, shown.stderr
    return [e for e in json.loads(shown.stdout)["events"] if e["event"] == kind]


def _refused(result: subprocess.CompletedProcess[str], done: str, event: dict) -> str:
    """The one line a refused repeat prints: who did it first, when, and --force."""
    assert result.returncode != 0 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    at = datetime.fromisoformat(event["at"]).astimezone(UTC)
    assert f"complaint 2 was already {done} by {event['by']} at {at:%Y-%m-%d %H:%M} UTC" in line
    assert "--force" in line and "Traceback" not in line
    return line


def test_ack_and_resolve_twice_are_refused_with_a_clear_line_unless_forced(db: Path) -> None:
    first = piped("--db", str(db), "ack", "2", "--by", "Dana Kim")
    assert first.stdout.strip() == "complaint 2 acknowledged by Dana Kim", first.stderr
    again = piped("--db", str(db), "ack", "2", "--by", "Lee Park")
    _refused(again, "acknowledged", _events(db, 2, "acknowledged")[0])
    assert len(_events(db, 2, "acknowledged")) == 1  # the refusal changed nothing
    forced = piped("--db", str(db), "ack", "2", "--by", "Lee Park", "--force")
    assert forced.stdout.strip() == "complaint 2 acknowledged by Lee Park", forced.stderr
    acks = _events(db, 2, "acknowledged")
    assert [e["by"] for e in acks] == ["Dana Kim", "Lee Park"]
    assert json.loads(acks[1]["detail"])["previous"]["by"] == "Dana Kim"

    resolved = piped("--db", str(db), "resolve", "2", "--note", "refunded", "--by", "Lee Park")
    assert resolved.returncode == 0, resolved.stderr
    again = piped("--db", str(db), "resolve", "2", "--note", "refunded twice", "--by", "Dana Kim")
    line = _refused(again, "resolved", _events(db, 2, "resolved")[0])
    assert "(refunded)" in line
    assert len(_events(db, 2, "resolved")) == 1
    forced = piped(
        "--db", str(db), "resolve", "2", "--note", "refunded twice", "--by", "Dana Kim", "--force"
    )
    assert forced.stdout.strip() == "complaint 2 resolved", forced.stderr
    fixes = _events(db, 2, "resolved")
    assert [e["by"] for e in fixes] == ["Lee Park", "Dana Kim"]
    detail = json.loads(fixes[1]["detail"])
    assert detail["previous"]["note"] == "refunded"
    assert detail["resolution_note"] == "refunded twice"
    with Store.open(db, readonly=True) as store:
        assert store.complaint(2).resolution_note == "refunded twice"
