"""Crash safety, proven: a real `amends run` against the local X and Reddit servers
and a webhook receiver, SIGKILLed again and again while posts keep arriving, then
checked on what it left behind.

Each life is killed one of three ways, in turn: right after it logs "complaint N
opened", right after the receiver gets a page, or at a random moment (imports,
model load, recovery, a poll, a send). Between lives the test moves each source's
next poll time to now, as the passing of its interval would (the interval's floor
is 10 s; no setting is lowered for the test). The last life runs until everything
is delivered and stops on SIGTERM. Then: every served post is stored once; every
complaint has one owner and was paged or held back on purpose (digest, silence,
incident, another's page); a kill repeats only the sends under way, each once;
no delivery is left pending; ``PRAGMA integrity_check`` says ok.

Figures print on the terminal; `python -m pytest tests/daemon/test_crash.py -s`.
"""

from __future__ import annotations

import json
import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from fakes.platforms import NOW, REDDIT_ID, REDDIT_SECRET, X_TOKEN, RedditServer, XServer
from fakes.receivers import HttpReceiver
from monitor.daemon.pipeline import HELD_EVENTS
from monitor.store import Store

KILLS = 12
MODES = ("opened", "sent", "random")
SOURCES = ("x", "reddit")

CONFIG = """\
[general]
database = "{db}"
cache_dir = "{cache}"

[[brands]]
name = "Acme"
keywords = ["acme"]

[sources.x]
enabled = true
interval_seconds = 10
bearer_token = "${{AMENDS_CRASH_X_TOKEN}}"
base_url = "{x}"

[sources.reddit]
enabled = true
interval_seconds = 10
client_id = "${{AMENDS_CRASH_REDDIT_ID}}"
client_secret = "${{AMENDS_CRASH_REDDIT_SECRET}}"
oauth_url = "{reddit}"
reddit_url = "{reddit}"
subreddits = ["gadgets"]
search_sitewide = false
fetch_author_karma = false

[[responders]]
name = "Dana Kim"
timezone = "UTC"
working_hours = "00:00-24:00"
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
[[responders.contacts]]
url = "json://{http}/dana-push"
tags = ["push"]
[[responders.contacts]]
url = "json://{http}/dana-mail"
tags = ["email"]

[routing]
default = "Dana Kim"

[paging]
spike_count = 10000
"""

COMPLAINTS = [
    "@acme order {n} never arrived, three weeks of waiting and nobody answers my emails",
    "@acme you charged my card twice for order {n} and still no refund, unacceptable",
    "@acme the kettle from order {n} leaks water all over the counter, this is ridiculous",
    "@acme your app crashes every time I pay for order {n}, fix it, worst service ever",
]
OTHERS = [
    "Thank you @acme, order {n} arrived early and the team was brilliant",
    "Does anyone know if @acme ships order {n}-style bundles to Canada?",
]


@dataclass
class Feed:
    """Posts served on the two platforms, added on the wall clock while the test runs."""

    x: XServer
    reddit: RedditServer
    served: set[tuple[str, str]] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)
    rng: random.Random = field(default_factory=lambda: random.Random(13))

    def add(self, n: int) -> None:
        pool = COMPLAINTS if self.rng.random() < 0.6 else OTHERS
        text = self.rng.choice(pool).format(n=4000 + n)
        author = f"user{n % 40 if n % 7 == 0 else n}"  # now and then someone posts again
        if n % 2:
            self.served.add(("x", self.x.post(text, user=author, now=datetime.now(UTC))))
        else:
            ago = (NOW - datetime.now(UTC)).total_seconds() / 60  # "now" on the wall clock
            name = self.reddit.submission("gadgets", text, author=author, minutes_ago=ago)
            self.served.add(("reddit", name))

    def run(self) -> None:
        n = 0
        while not self.stop.wait(0.25):
            n += 1
            self.add(n)


@dataclass
class Life:
    mode: str
    trigger: str = ""  # what the kill followed


ENV = dict(
    os.environ,
    AMENDS_CRASH_X_TOKEN=X_TOKEN,
    AMENDS_CRASH_REDDIT_ID=REDDIT_ID,
    AMENDS_CRASH_REDDIT_SECRET=REDDIT_SECRET,
)
AMENDS = [sys.executable, "-c", "from monitor.cli import main; main()"]


def start(config: Path, log: Path) -> tuple[subprocess.Popen, queue.Queue[str], threading.Thread]:
    """`amends -v run`; its stderr goes to ``log`` and, line by line, to the queue."""
    daemon = subprocess.Popen(
        [*AMENDS, "-v", "--config", str(config), "run"],
        env=ENV,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert daemon.stderr is not None
        with daemon.stderr, log.open("a") as out:
            for line in daemon.stderr:
                out.write(line)
                lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return daemon, lines, reader


def poll_now(db: Path) -> None:
    """What the passing of each source's interval does: it is due again."""
    if not db.exists():
        return
    store = Store.open(db)
    try:
        for name in SOURCES:
            store.save_source_health(replace(store.source_health(name), next_poll_at=None))
    finally:
        store.close()


def wait_and_kill(
    daemon: subprocess.Popen,
    lines: queue.Queue[str],
    receiver: HttpReceiver,
    life: Life,
    rng: random.Random,
) -> None:
    deadline = time.monotonic() + (rng.uniform(0.5, 8.0) if life.mode == "random" else 40.0)
    pages = len(receiver.requests)
    while time.monotonic() < deadline and daemon.poll() is None:
        try:
            line = lines.get(timeout=0.002)
        except queue.Empty:
            line = ""
        if life.mode == "opened" and re.search(r"complaint \d+ opened", line):
            life.trigger = "opened"
            break
        if life.mode == "sent" and len(receiver.requests) > pages:
            life.trigger = "sent"
            break
    assert daemon.poll() is None, f"amends run exited by itself ({daemon.returncode})"
    daemon.send_signal(signal.SIGKILL)
    daemon.wait(timeout=30)
    life.trigger = life.trigger or ("random" if life.mode == "random" else "timeout")


def drained(db: Path, served: int) -> bool:
    store = Store.open(db, readonly=True)
    try:
        counts = store.counts()
        left = _rows(db, "select count(*) from deliveries where status not in ('sent', 'failed')")
        # Stored is not done: each mention must also be judged, opened if a complaint,
        # and paged, or a page can still be queued after this returns.
        unfinished = (
            store.unclassified_mention_ids(limit=1) or store.unopened_complaint_mention_ids()
        )
        unpaged = store.complaints_left_new(HELD_EVENTS)
        return counts["mentions"] >= served and left[0][0] == 0 and not unfinished and not unpaged
    finally:
        store.close()


def _page(body: bytes) -> dict | None:
    """A page as received; None for a request a kill cut off before its body arrived."""
    try:
        return json.loads(body)
    except ValueError:
        return None


def _rows(db: Path, sql: str) -> list[tuple]:
    # Test-side SQL on purpose: read the file the way any SQLite tool would.
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        return conn.execute(sql).fetchall()


def test_sigkill_at_random_moments_loses_nothing_and_pages_at_most_once_more_per_kill(
    tmp_path, model_cache, x_server, reddit_server, http_receiver, capsys
):
    began = time.monotonic()
    db, log = tmp_path / "amends.db", tmp_path / "amends.log"
    config = tmp_path / "amends.toml"
    config.write_text(
        CONFIG.format(
            db=db,
            cache=model_cache,
            x=x_server.url,
            reddit=reddit_server.url,
            http=http_receiver.address,
        )
    )
    # As the unit's ExecStartPre= does: the lives below start in about a second each.
    build = subprocess.run(
        [*AMENDS, "--config", str(config), "build-model"], capture_output=True, text=True, env=ENV
    )
    assert build.returncode == 0, build.stderr

    feed = Feed(x_server, reddit_server)
    for n in range(-20, 0):
        feed.add(n)  # something to find on the first poll
    feeder = threading.Thread(target=feed.run, daemon=True)
    feeder.start()
    lives = [Life(MODES[i % len(MODES)]) for i in range(KILLS)]
    rng = random.Random(7)
    try:
        for life in lives:
            poll_now(db)
            daemon, lines, reader = start(config, log)
            wait_and_kill(daemon, lines, http_receiver, life, rng)
            reader.join(timeout=30)
    finally:
        feed.stop.set()
        feeder.join()

    poll_now(db)
    daemon, _, reader = start(config, log)
    try:
        deadline = time.monotonic() + 120
        while not (db.exists() and drained(db, len(feed.served))):
            assert time.monotonic() < deadline, "the last life did not catch up; see " + str(log)
            assert daemon.poll() is None, f"amends run exited ({daemon.returncode}); see {log}"
            time.sleep(0.5)
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0
        reader.join(timeout=30)

    stored = _rows(db, "select platform, platform_id from mentions")
    assert len(stored) == len(set(stored)) and set(stored) == feed.served

    store = Store.open(db, readonly=True)
    complaints = store.list_complaints(limit=None)
    held: Counter[str] = Counter()
    for complaint in complaints:
        events = [e.event for e in store.events(complaint.id)]
        assert events.count("opened") == 1 and complaint.assignee == "Dana Kim"
        if complaint.status == "new":
            reason = next((e for e in events if e in HELD_EVENTS), None)
            assert reason is not None, f"complaint {complaint.id} left unpaged: {events}"
            held[reason] += 1
        else:
            held[complaint.status] += 1
    store.close()
    per_complaint = _rows(
        db, "select count(*) from complaints group by mention_id having count(*) > 1"
    )
    assert per_complaint == []

    rows = _rows(db, "select contact, title, status from deliveries")
    assert {status for _, _, status in rows} <= {"sent"}, Counter(s for _, _, s in rows)
    pages = [page for r in http_receiver.requests if (page := _page(r.body)) is not None]
    received = Counter(page["title"] for page in pages)
    expected = Counter(title for _, title, _ in rows)
    assert not expected - received, f"queued but never received: {expected - received}"
    duplicates = sum((received - expected).values())
    integrity = _rows(db, "pragma integrity_check")
    with capsys.disabled():  # the figures, before the last two checks can fail
        triggers = Counter(life.trigger for life in lives)
        print(
            f"\ncrash test: {KILLS} kills ({dict(triggers)}), {len(feed.served)} posts served"
            f" and stored once, {len(complaints)} complaints ({dict(held)}), "
            f"{len(rows)} pages queued, {len(pages)} received "
            f"(and {len(http_receiver.requests) - len(pages)} cut off by a kill mid-request), "
            f"{duplicates} duplicate(s), integrity {integrity[0][0]}, "
            f"{time.monotonic() - began:.0f} s"
        )
    assert integrity == [("ok",)]
    # The sender's guarantee with the default one send at a time: a kill repeats at most
    # the one page under way.
    assert duplicates <= KILLS, f"{duplicates} duplicates from {KILLS} kills"
