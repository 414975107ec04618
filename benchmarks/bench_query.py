"""The mention database at scale: size, ingest, search, the paging path, stats, export, prune.

    python benchmarks/bench_query.py [--db /tmp/amends-1m.db] [--mentions 1000000]

Writes the database once (skipped when ``--db`` already holds one; generate under
``nice``): ``--mentions`` realistic mentions over a year through ``Store.save_batch``
(with platform-shaped raw payloads), each judged, a tenth of them complaints opened
with their history, deliveries, acknowledgements and resolutions, then ``ANALYZE``.
Then it reports, in-process unless said otherwise:

- the file's size per mention and the ingest rate;
- ``mentions --search``: p50/p99 over 60+ queries (common and rare words, phrases,
  prefixes, OR/NOT, filters, relevance), limit 20 and 100;
- the whole CLI call (``amends mentions --search ...`` in a fresh process);
- every query on the paging and pipeline path, and start-up recovery;
- ``stats --since 30d``, export throughput, ``prune`` (on a copy).

Not a test: the targets are in the issue (search p99 <= 100 ms, CLI <= 0.5 s, paging
path <= 5 ms each, recovery <= 100 ms, stats <= 1 s, export >= 50,000 rows/s,
<= 1.5 KB per mention).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.core.models import Batch, Classification, Draft, Mention, Priority  # noqa: E402
from monitor.store import NewComplaint, NewDelivery, Resolution, Store, iso  # noqa: E402
from monitor.store.mentions import pack_payload  # noqa: E402
from monitor.store.search import MentionFilter, MentionQuery  # noqa: E402

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
DAYS = 365
BRANDS = ("Acme", "Globex", "Initech")
PLATFORMS = ("x", "reddit")
CATEGORIES = ("delivery", "billing", "outage", "product_defect", "support", "refund", "other")
PRODUCTS = ("kettle", "grinder", "carafe", "toaster", "blender", "app", "website", "card")
PROBLEMS = (
    "my order {n} never arrived and nobody answers",
    "you charged me twice for order {n}, I want a refund",
    "the app crashes on login since the update, ticket {n}",
    "the lid of my {p} broke after a week, order {n}",
    "your agent hung up on me, case {n}, still waiting",
    "refund for order {n} is late again, three weeks now",
    "is {b} down? the website will not load for me",
    "my {p} arrived broken and the box was soaked, order {n}",
)
PRAISE = (
    "love my new {p} from {b}, best purchase this year",
    "thanks {b} for the quick delivery of my {p}",
    "just tried the {b} {p}, works fine so far",
    "anyone else using the {b} {p}? thinking of buying one",
    "{b} support sorted my order {n} in ten minutes, impressed",
    "the new {p} colour from {b} looks great",
    "comparing {b} and the others for a {p}, any advice",
)
FILLER = (
    "honestly",
    "today",
    "again",
    "seriously",
    "please",
    "help",
    "update",
    "weekend",
    "morning",
    "finally",
)
CAUSES = ("courier missed the slot", "payment retry bug", "bad batch of lids", "login outage")
LESSONS = ("track courier SLAs daily", "alert on double charges", "inspect lids at intake")


def _text(rng: random.Random, n: int, complaint: bool) -> str:
    template = rng.choice(PROBLEMS if complaint else PRAISE)
    text = template.format(n=n, p=rng.choice(PRODUCTS), b=rng.choice(BRANDS).lower())
    extra = " ".join(rng.sample(FILLER, rng.randint(0, 3)))
    return f"@{rng.choice(BRANDS).lower()} {text} {extra}".strip()


def _raw(rng: random.Random, platform: str, n: int, text: str, author: str) -> dict:
    """A payload the size and shape the sources store: X's post and user objects, or
    every scalar field of a Reddit comment."""
    if platform == "x":
        return {
            "post": {
                "id": str(10**18 + n),
                "text": text,
                "author_id": str(10**9 + n % 50_000),
                "conversation_id": str(10**18 + n - n % 7),
                "created_at": "2026-01-01T00:00:00.000Z",
                "lang": "en",
                "possibly_sensitive": False,
                "reply_settings": "everyone",
                "edit_history_tweet_ids": [str(10**18 + n)],
                "public_metrics": {
                    "retweet_count": rng.randint(0, 50),
                    "reply_count": rng.randint(0, 20),
                    "like_count": rng.randint(0, 500),
                    "quote_count": rng.randint(0, 5),
                    "bookmark_count": rng.randint(0, 5),
                    "impression_count": rng.randint(0, 50_000),
                },
                "entities": {"mentions": [{"start": 0, "end": 5, "username": "acme"}]},
            },
            "user": {
                "id": str(10**9 + n % 50_000),
                "username": author,
                "name": author.title(),
                "verified": False,
                "protected": False,
                "created_at": "2015-06-01T00:00:00.000Z",
                "description": "coffee, cycling, and too many opinions",
                "public_metrics": {
                    "followers_count": rng.randint(0, 20_000),
                    "following_count": rng.randint(0, 2000),
                    "tweet_count": rng.randint(0, 40_000),
                    "listed_count": rng.randint(0, 50),
                },
            },
        }
    fields: dict[str, object] = {
        "id": f"k{n:x}",
        "name": f"t1_k{n:x}",
        "body": text,
        "author": author,
        "author_fullname": f"t2_{n % 50_000:x}",
        "link_id": f"t3_{n // 40:x}",
        "parent_id": f"t3_{n // 40:x}",
        "subreddit": "BuyItForLife",
        "subreddit_id": "t5_2ss1q",
        "subreddit_name_prefixed": "r/BuyItForLife",
        "permalink": f"/r/BuyItForLife/comments/{n // 40:x}/thread/k{n:x}/",
        "created_utc": 1_760_000_000 + n,
        "score": rng.randint(-5, 300),
        "ups": rng.randint(0, 300),
        "downs": 0,
        "controversiality": 0,
        "depth": rng.randint(0, 4),
        "gilded": 0,
        "total_awards_received": 0,
        "is_submitter": False,
        "stickied": False,
        "locked": False,
        "archived": False,
        "edited": False,
        "distinguished": None,
        "author_flair_text": None,
        "author_premium": False,
        "no_follow": True,
        "send_replies": True,
        "score_hidden": False,
        "collapsed": False,
        "collapsed_reason": None,
        "subreddit_type": "public",
        "link_title": "Which kettle lasts?",
        "link_author": "someone_else",
        "num_comments": rng.randint(0, 400),
        "over_18": False,
        "body_html": f'&lt;div class="md"&gt;&lt;p&gt;{text}&lt;/p&gt;&lt;/div&gt;',
    }
    return fields


SAMPLE = 20_000  # mentions written through Store.save_batch, timed: the ingest rate
COMPLAINT_EVERY = 10


def _mention(rng: random.Random, n: int, count: int) -> Mention:
    platform = PLATFORMS[n % 3 == 0]
    # Posted in id order over the year, a few percent caught up late.
    age = DAYS * (1 - n / count)
    if rng.random() < 0.02:
        age += rng.uniform(0, 3)
    author = f"user{rng.randint(0, 50_000)}"
    text = _text(rng, n, n % COMPLAINT_EVERY == 0)
    return Mention(
        platform=platform,
        platform_id=str(n),
        author=author,
        text=text,
        url=f"https://example.test/{platform}/{n}",
        created_at=NOW - timedelta(days=age),
        reach=int(rng.paretovariate(1.2) * 50),
        engagement=rng.randint(0, 100),
        lang="en",
        thread_id=str(n // 40),
        brand=rng.choice(BRANDS),
        raw=_raw(rng, platform, n, text, author),
    )


def generate(path: Path, count: int) -> float:
    """Writes the database; returns mentions per second through ``save_batch``.

    The first ``SAMPLE`` mentions go through the store as the daemon writes them
    (save_batch, save_classifications, insert_complaint, statuses); the rest are
    written in bulk, row for row as the store writes them, which takes minutes
    instead of the hours the store's one-row-at-a-time path takes on 2 busy cores."""
    rng = random.Random(16)
    store = Store.open(path)
    ingest_seconds = 0.0
    opened: list[tuple[int, datetime]] = []
    for first in range(0, min(SAMPLE, count), 500):
        mentions = [_mention(rng, n, count) for n in range(first, min(first + 500, SAMPLE, count))]
        fetched = mentions[-1].created_at + timedelta(minutes=1)
        t0 = time.perf_counter()
        saved = store.save_batch(Batch(source="bench", mentions=mentions), now=fetched)
        ingest_seconds += time.perf_counter() - t0
        pairs = list(zip(saved.new_ids, mentions, strict=True))
        with store.transaction():
            store.save_classifications(
                [(i, _judgement(rng, int(m.platform_id))) for i, m in pairs], now=fetched
            )
            for mention_id, mention in pairs:
                if int(mention.platform_id) % COMPLAINT_EVERY == 0:
                    at = mention.created_at + timedelta(minutes=rng.uniform(0.5, 3))
                    opened.append((_open(store, rng, mention_id, at), at))
    _history(store, rng, opened)
    store.close()
    rate = min(SAMPLE, count) / ingest_seconds
    if count > SAMPLE:
        _bulk(path, rng, count)
    with Store.open(path) as store:
        store.analyze()
    return rate


def _bulk(path: Path, rng: random.Random, count: int) -> None:
    """Mentions ``SAMPLE``.. written as the store writes them, 10,000 per transaction."""
    db = sqlite3.connect(path)
    for first in range(SAMPLE, count, 10_000):
        mentions, payloads, judged, complaints = [], [], [], []
        for n in range(first, min(first + 10_000, count)):
            m = _mention(rng, n, count)
            mention_id = n + 1
            stamp = iso(m.created_at + timedelta(minutes=1))
            mentions.append(
                (mention_id, m.platform, m.platform_id, m.url, m.author, "", m.reach,
                 m.engagement, m.text, m.lang, m.thread_id, m.brand, iso(m.created_at),
                 stamp, stamp)
            )  # fmt: skip
            payloads.append((mention_id, pack_payload(m.raw)))
            c = _judgement(rng, n)
            judged.append(
                (mention_id, c.model, c.model_version, int(c.complaint), c.complaint_score,
                 c.sentiment, c.sentiment_scores["negative"], 0.1,
                 c.sentiment_scores["positive"], stamp)
            )  # fmt: skip
            if c.complaint:
                complaints.append((mention_id, m.created_at))
        with db:
            db.executemany(
                "insert into mentions (id, platform, platform_id, url, author, author_id,"
                " reach, engagement, text, lang, thread_id, brand, created_at, fetched_at,"
                " updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                mentions,
            )
            db.executemany("insert into mention_payloads values (?, ?)", payloads)
            db.executemany(
                "insert into classifications (mention_id, model, model_version, complaint,"
                " complaint_score, sentiment, negative, neutral, positive, classified_at)"
                " values (?,?,?,?,?,?,?,?,?,?)",
                judged,
            )
            for mention_id, posted in complaints:
                _bulk_complaint(db, rng, mention_id, posted)
        if first % 100_000 == 0:
            print(f"  {first:,} mentions written", file=sys.stderr)
    db.close()


def _bulk_complaint(db: sqlite3.Connection, rng: random.Random, mention_id: int, posted: datetime):
    """One complaint with the life ``_history`` gives one through the store."""
    level = rng.choices(("P1", "P2", "P3"), weights=(1, 3, 6))[0]
    category = rng.choice(CATEGORIES)
    opened = posted + timedelta(minutes=rng.uniform(0.5, 3))
    due = opened + timedelta(hours={"P1": 1, "P2": 4, "P3": 24}[level])
    paged = opened + timedelta(seconds=rng.uniform(2, 20))
    acked = resolved = None
    if not (NOW - opened < timedelta(hours=6) and rng.random() < 0.5):
        acked = min(paged + timedelta(minutes=rng.lognormvariate(3, 1)), NOW)
        if not (NOW - opened < timedelta(days=2) and rng.random() < 0.5):
            resolved = min(acked + timedelta(hours=rng.lognormvariate(1.5, 1)), NOW)
    status = "resolved" if resolved else "acknowledged" if acked else "paged"
    cause = rng.choice(CAUSES) if resolved and rng.random() < 0.3 else None
    lesson = rng.choice(LESSONS) if resolved and rng.random() < 0.2 else None
    cursor = db.execute(
        "insert into complaints (mention_id, priority, assignee, status, due_at, public_draft,"
        " followup, created_at, acked_at, acked_by, resolved_at, resolution_note,"
        " priority_reasons, category, category_label, severity_cues, specifics,"
        " draft_checks, paged_at, escalation_level, reminders_sent, group_key, resolved_by,"
        " cause, lesson) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (mention_id, level, rng.choice(("Dana", "Sam", "Lee", "Ari")), status, iso(due),
         "Sorry, DM us.", '["Check"]', iso(opened), acked and iso(acked), acked and "Dana",
         resolved and iso(resolved), resolved and "sorted", '["bench"]', category,
         category.replace("_", " "), "[]", "{}", "[]", iso(paged), 0, 0,
         f"bench:{category}", resolved and "Dana", cause, lesson),
    )  # fmt: skip
    complaint_id = cursor.lastrowid
    events = [("opened", opened, '{"chain": ["Dana"]}'), ("paged", paged, None)]
    if acked:
        events.append(("acknowledged", acked, None))
    if resolved:
        events.append(("resolved", resolved, '{"resolution_note": "sorted"}'))
    db.executemany(
        "insert into events (complaint_id, event, by, at, detail) values (?,?,?,?,?)",
        [(complaint_id, e, "amends", iso(at), d) for e, at, d in events],
    )
    db.execute(
        "insert into deliveries (complaint_id, contact, status, attempts, next_attempt_at,"
        " sent_at, kind, level, responder, tags, title, body, body_format, service, results,"
        " created_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (complaint_id, "Dana:email", "sent", 1, iso(paged), iso(paged), "page", 0, "Dana",
         '["email"]', "complaint", "a page", "text", "Email", "[]", iso(opened)),
    )  # fmt: skip


def _judgement(rng: random.Random, n: int) -> Classification:
    is_complaint = n % COMPLAINT_EVERY == 0
    score = rng.uniform(0.6, 0.99) if is_complaint else rng.uniform(0.0, 0.55)
    return Classification(
        complaint=is_complaint,
        complaint_score=round(score, 4),
        sentiment="negative" if is_complaint else "positive",
        sentiment_scores={"negative": score, "neutral": 0.1, "positive": 1 - score},
        model="bench",
        model_version="1",
    )


def _open(store: Store, rng: random.Random, mention_id: int, opened: datetime) -> int:
    level = rng.choices(("P1", "P2", "P3"), weights=(1, 3, 6))[0]
    category = rng.choice(CATEGORIES)
    complaint_id = store.insert_complaint(
        NewComplaint(
            mention_id=mention_id,
            priority=Priority(level=level, reasons=("bench",)),
            category=category,
            category_label=category.replace("_", " "),
            severity_cues=(),
            specifics={},
            assignee=rng.choice(("Dana", "Sam", "Lee", "Ari")),
            assigned_why="bench",
            chain=("Dana",),
            due_at=opened + timedelta(hours={"P1": 1, "P2": 4, "P3": 24}[level]),
            draft=Draft(
                category=category, public_reply="Sorry, DM us.", followup=["Check"], due_minutes=60
            ),
            group_key=f"bench:{category}",
        ),
        now=opened,
    )
    store.queue_delivery(
        NewDelivery(
            complaint_id=complaint_id,
            kind="page",
            level=0,
            contact="Dana:email",
            responder="Dana",
            tags=["email"],
            title="complaint",
            body="a page",
            body_format="text",
        ),
        now=opened,
    )
    return complaint_id


def _history(store: Store, rng: random.Random, complaints: list[tuple[int, datetime]]) -> None:
    """Paged, acknowledged and resolved as a team would: nearly all older ones closed."""
    for start in range(0, len(complaints), 1000):
        with store.transaction():
            for complaint_id, opened in complaints[start : start + 1000]:
                age = NOW - opened
                paged = opened + timedelta(seconds=rng.uniform(2, 20))
                store.mark_paged(complaint_id, now=paged, next_escalation_at=None)
                if age < timedelta(hours=6) and rng.random() < 0.5:
                    continue
                acked = paged + timedelta(minutes=rng.lognormvariate(3, 1))
                store.set_status(complaint_id, "acknowledged", by="Dana", now=min(acked, NOW))
                if age < timedelta(days=2) and rng.random() < 0.5:
                    continue
                resolved = acked + timedelta(hours=rng.lognormvariate(1.5, 1))
                note = Resolution(
                    note="sorted",
                    cause=rng.choice(CAUSES) if rng.random() < 0.3 else None,
                    lesson=rng.choice(LESSONS) if rng.random() < 0.2 else None,
                )
                store.set_status(
                    complaint_id, "resolved", by="Dana", now=min(resolved, NOW), resolution=note
                )
        if start % 20_000 == 0:
            print(f"  {start:,} complaints given a history", file=sys.stderr)


# --- measuring --------------------------------------------------------------------------

WEEK_AGO = NOW - timedelta(days=7)
SEARCHES: list[tuple[str | None, MentionFilter, str]] = [
    *[(word, MentionFilter(), "time") for word in ("acme", "order", "refund", "kettle", "app")],
    *[(word, MentionFilter(), "time") for word in ("user123", "12345", "zzzz", "soaked")],
    *[(f'"{p}"', MentionFilter(), "time") for p in ("never arrived", "charged me twice")],
    *[(f'"{p}"', MentionFilter(), "time") for p in ("the box was soaked", "hung up on me")],
    *[(p, MentionFilter(), "time") for p in ("refu*", "kett*", "grind*", "ord*", "bl*")],
    *[(q, MentionFilter(), "time") for q in ("refund OR late", "kettle NOT broke")],
    *[(q, MentionFilter(), "time") for q in ("(refund OR charged) AND order", "NEAR(lid broke)")],
    *[(q, MentionFilter(), "time") for q in ("refund: now", "@acme", "order 7 -late", '"')],
    *[(w, MentionFilter(), "relevance") for w in ("acme", "refund", "kettle lid", "soaked")],
    *[(w, MentionFilter(platform="reddit"), "time") for w in ("acme", "refund", "kettle")],
    *[(w, MentionFilter(brand="Globex"), "time") for w in ("order", "app", "website")],
    *[(w, MentionFilter(author="user77"), "time") for w in ("acme", "order", "kettle")],
    *[(w, MentionFilter(since=NOW - timedelta(hours=1)), "time") for w in ("acme", "order")],
    *[(w, MentionFilter(since=WEEK_AGO), "time") for w in ("refund", "app", "the")],
    *[(w, MentionFilter(complaints_only=True), "time") for w in ("acme", "refund", "love")],
    *[(w, MentionFilter(status="new"), "time") for w in ("acme", "order")],
    *[(w, MentionFilter(priority="P1"), "time") for w in ("acme", "kettle")],
    *[(w, MentionFilter(category="billing"), "time") for w in ("acme", "refund", "love")],
    *[(w, MentionFilter(min_reach=5000), "time") for w in ("acme", "order")],
    *[(w, MentionFilter(min_reach=10**9), "time") for w in ("acme",)],
    *[(None, f, "time") for f in (MentionFilter(), MentionFilter(author="user77"))],
    *[(None, f, "time") for f in (MentionFilter(status="new"), MentionFilter(near_misses=True))],
    *[(w, MentionFilter(near_misses=True), "time") for w in ("acme", "kettle")],
]


def timed(call: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat``, in milliseconds (the machine is shared)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def bench_search(store: Store) -> None:
    for limit in (20, 100):
        times = []
        for text, filters, order in SEARCHES:
            query = MentionQuery(text=text, filters=filters, order=order, limit=limit)  # type: ignore[arg-type]
            ms = timed(lambda q=query: store.search(q))
            times.append((ms, text, filters, order))
        values = sorted(t[0] for t in times)
        p99 = values[min(len(values) - 1, round(0.99 * len(values)) - 1)]
        print(
            f"search --limit {limit}: {len(values)} queries,"
            f" p50 {statistics.median(values):.1f} ms,"
            f" p99 {p99:.1f} ms, max {values[-1]:.1f} ms"
        )
        for ms, text, filters, order in sorted(times, key=lambda t: t[0], reverse=True)[:5]:
            print(f"    {ms:7.1f} ms  {text!r} {order} {_shown(filters)}")


def _shown(filters: MentionFilter) -> str:
    return ", ".join(
        f"{name}={getattr(filters, name)}"
        for name in filters.__slots__  # type: ignore[attr-defined]
        if getattr(filters, name) not in (None, False)
    )


def bench_cli(db: Path) -> None:
    amends = [sys.executable, "-c", "from monitor.cli import main; main()"]
    for args in (["mentions", "--search", "refund", "--limit", "20"], ["--help"]):
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([*amends, "--db", str(db), *args], capture_output=True, check=True)
            best = min(best, time.perf_counter() - t0)
        print(f"CLI amends {' '.join(args)} (piped): best of 5 {best * 1000:.0f} ms")


def bench_paging_path(store: Store) -> None:
    since = NOW - timedelta(hours=1)
    calls: dict[str, Callable[[], object]] = {
        "mentions (read back for the pipeline)": lambda: store.mentions([5, 500_000]),
        "recent_page_for": lambda: store.recent_page_for(
            platform="x", author="user77", thread_id="123", since=since, other_than=0
        ),
        "open_counts": store.open_counts,
        "due_for_escalation": lambda: store.due_for_escalation(NOW),
        "due_for_reminder": lambda: store.due_for_reminder(NOW),
        "awaiting_digest": store.awaiting_digest,
        "unreachable_unpaged": store.unreachable_unpaged,
        "claim_due_deliveries (read)": lambda: store.contacts_tried(1, "page", 0),
        "spike_complaint_ids": lambda: store.spike_complaint_ids(
            brand="Acme", category="billing", posted_from=since, posted_to=NOW
        ),
        "open_incident_for": lambda: store.open_incident_for(
            brand="Acme", category="billing", seen_since=since
        ),
        "active_silence": lambda: store.active_silence("Acme", "billing", NOW),
        "latest_label": lambda: store.latest_label(5),
        "opened_detail": lambda: store.opened_detail(5),
        "complaint": lambda: store.complaint(5),
        "list_complaints --status acknowledged": lambda: store.list_complaints(
            status="acknowledged"
        ),
        "list_complaints": lambda: store.list_complaints(),
    }
    recovery: dict[str, Callable[[], object]] = {
        "unclassified_mention_ids": store.unclassified_mention_ids,
        "unopened_complaint_mention_ids": store.unopened_complaint_mention_ids,
        "complaints_left_new": lambda: store.complaints_left_new(("silenced", "unreachable")),
    }
    for name, call in calls.items():
        print(f"paging path {name}: {timed(call):.2f} ms")
    total = sum(timed(call) for call in recovery.values())
    for name, call in recovery.items():
        print(f"recovery {name}: {timed(call):.2f} ms")
    print(f"start-up recovery queries together: {total:.1f} ms")


def bench_stats(store: Store) -> None:
    for days, by in ((30, "day"), (90, "week"), (365, "week")):
        ms = timed(lambda d=days, b=by: store.stats(since=NOW - timedelta(days=d), until=NOW, by=b))
        print(f"stats --since {days}d --by {by}: {ms:.0f} ms")


def bench_export(store: Store) -> None:
    from monitor.cli.query import write_lines

    every = MentionQuery(limit=None)  # what ``amends export`` writes, less the header
    for name, write in (
        ("csv", lambda out: write_lines(out, store.mention_csv_lines(every))),
        ("jsonl", lambda out: write_lines(out, store.mention_json_lines(every))),
    ):
        out = io.StringIO()
        t0 = time.perf_counter()
        rows = write(out)
        seconds = time.perf_counter() - t0
        print(
            f"export --format {name}: {rows:,} rows in {seconds:.1f} s,"
            f" {rows / seconds:,.0f} rows/s"
        )


def bench_prune(db: Path) -> None:
    copy = db.with_name(db.name + ".prune-copy")
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    try:
        store = Store.open(copy)
        for days, complaints in ((330, False), (330, True)):
            t0 = time.perf_counter()
            done = store.prune(older_than=NOW - timedelta(days=days), include_complaints=complaints)
            seconds = time.perf_counter() - t0
            print(
                f"prune --older-than {days}d{' --include-complaints' if complaints else ''}: "
                f"{done.mentions:,} mentions, {done.complaints:,} complaints in {seconds:.1f} s "
                f"(file {done.bytes_before / 1e6:.0f} MB -> {done.bytes_after / 1e6:.0f} MB)"
            )
        store.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/amends-1m.db"))
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument(
        "--only", choices=("size", "search", "cli", "paging", "stats", "export", "prune")
    )
    args = parser.parse_args()
    if not args.db.exists():
        print(f"writing {args.mentions:,} mentions to {args.db}", file=sys.stderr)
        rate = generate(args.db, args.mentions)
        print(f"ingest through Store.save_batch: {rate:,.0f} mentions/s")
    with Store.open(args.db) as upgraded:  # a file from an older amends: migrated once
        if upgraded.upgraded and upgraded.upgraded.backup:
            print(f"migrated; the file as it was is {upgraded.upgraded.backup}", file=sys.stderr)
    store = Store.open(args.db, readonly=True)
    count = store.counts()["mentions"]
    if args.only in (None, "size"):
        size = sum(os.path.getsize(p) for p in (args.db,) if p.exists())
        print(
            f"database: {count:,} mentions, {size / 1e6:.0f} MB,"
            f" {size / count:.0f} bytes per mention"
        )
    steps = {
        "search": lambda: bench_search(store),
        "cli": lambda: bench_cli(args.db),
        "paging": lambda: bench_paging_path(store),
        "stats": lambda: bench_stats(store),
        "export": lambda: bench_export(store),
        "prune": lambda: bench_prune(args.db),
    }
    for name, step in steps.items():
        if args.only in (None, name):
            step()
    store.close()
    shutil.rmtree(args.db.with_name(args.db.name + ".prune-copy"), ignore_errors=True)


if __name__ == "__main__":
    main()
