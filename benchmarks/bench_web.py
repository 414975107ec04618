"""Server-side time to render the inbox and a complaint page with 100,000 complaints.

Fills a database through the store's own APIs (mentions in batches with
``save_batch``, complaints with ``insert_complaint`` in one transaction a batch),
every complaint left open: the inbox's worst case, where its index of open rows
holds all 100,000 (resolving through ``set_status`` would double the ~10 minutes
the fill takes on two cores). Then it asks the real app for pages through
Starlette's in-process client, signed in: no network, the whole request (session
check, queries, template) timed. Prints median and p99 per page, and the inbox's
weight with its stylesheet and script.

    python benchmarks/bench_web.py [--complaints 100000] [--requests 300] [--db PATH]

With --db an existing file is reused (filled on the first run).
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from starlette.testclient import TestClient

from monitor.config import parse_config
from monitor.core.models import Batch, Draft, Finding, Mention, Priority
from monitor.store import NewComplaint, Store
from monitor.web.app import create_app
from monitor.web.auth import hash_password
from monitor.web.site import Site
from monitor.web.stores import StorePool

CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]
[[brands]]
name = "Globex"
keywords = ["globex"]
{people}
[web]
public_url = "http://testserver"
"""
PEOPLE = ["Dana Kim", "Lee Park", "Sam Lee", "Ana Ruiz", "Tom Berg", "Ivy Chen"]
PROBLEMS = [
    "my order {n} never arrived and nobody answers",
    "you charged me twice for order {n}, I want a refund",
    "the app crashes on login, ticket {n}, third time this week",
    "the lid of my kettle broke after two days, order {n}",
    "your agent hung up on me, case {n}, really rude",
]
BATCH = 2000


def fill(path: Path, count: int) -> None:
    rng = random.Random(7)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with Store.open(path) as store:
        for first in range(0, count, BATCH):
            numbers = range(first, min(first + BATCH, count))
            mentions = [_mention(n, now, rng) for n in numbers]
            saved = store.save_batch(Batch(source="x", mentions=mentions), now=now)
            with store.transaction():
                for n, mention_id in zip(numbers, saved.new_ids, strict=True):
                    store.insert_complaint(
                        _complaint(n, mention_id, now, rng), now=now - timedelta(minutes=n % 5000)
                    )
            print(f"\r{min(first + BATCH, count):,} complaints", end="", file=sys.stderr)
        store.add_account("Dana Kim", hash_password("bench password"), now=now)
    print(
        f"\rfilled {count:,} complaints in {time.perf_counter() - started:.0f} s", file=sys.stderr
    )


def _mention(n: int, now: datetime, rng: random.Random) -> Mention:
    brand = "Acme" if n % 3 else "Globex"
    return Mention(
        platform="x" if n % 4 else "reddit",
        platform_id=str(n),
        author=f"user{n % 20000}",
        text=f"@{brand.lower()} " + PROBLEMS[n % len(PROBLEMS)].format(n=n),
        url=f"https://x.com/user{n}/status/{n}",
        created_at=now - timedelta(minutes=n % 50000),
        reach=rng.randint(0, 50000),
        brand=brand,
    )


def _complaint(n: int, mention_id: int, now: datetime, rng: random.Random) -> NewComplaint:
    owner = PEOPLE[n % len(PEOPLE)]
    return NewComplaint(
        mention_id=mention_id,
        priority=Priority(level=rng.choice(["P1", "P2", "P2", "P3"]), reasons=("score 0.8",)),
        category="delivery",
        category_label="late delivery",
        severity_cues=(),
        specifics={},
        assignee=owner,
        assigned_why="default",
        chain=(owner,),
        due_at=now + timedelta(minutes=rng.randint(-600, 1440)),
        draft=Draft(
            category="delivery",
            public_reply="We're sorry your order hasn't arrived. Please DM us the order number.",
            followup=["Find the order", "Call the courier", "Tell the customer"],
            due_minutes=240,
            checks=[Finding(code="no-name", message="sign the reply")],
        ),
        group_key=f"x:user{n}",
    )


class Timed:
    """The app, timed from the request's arrival to its last byte: server-side only."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.took: list[float] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        await self.app(scope, receive, send)
        self.took.append((time.perf_counter() - start) * 1000)


def timed(client: TestClient, paths: list[str]) -> list[float]:
    app: Timed = client.app  # type: ignore[assignment]
    app.took.clear()
    for path in paths:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    return list(app.took)


def report(name: str, took: list[float]) -> None:
    ordered = sorted(took)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{name:<34} median {statistics.median(ordered):6.1f} ms   p99 {p99:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        if not path.exists():
            fill(path, args.complaints)
        people = "".join(
            f'[[responders]]\nname = "{p}"\n[[responders.contacts]]\nurl = "terminal://"\n'
            for p in PEOPLE
        )
        config = parse_config(CONFIG.format(people=people))
        site = Site(config=lambda: config, stores=StorePool(path), secret=b"b" * 40)
        with TestClient(Timed(create_app(site)), base_url="http://testserver") as client:
            form = client.get("/login").text
            token = re.search(r'name="login_token" value="([^"]+)"', form).group(1)
            client.post(
                "/login",
                data={"name": "Dana Kim", "password": "bench password", "login_token": token},
            )
            with Store.open(path, create=False, upgrade=False) as store:
                total = store.counts()["complaints"]
                open_ids = [c.id for c in store.list_complaints(status="new", limit=2000)]
            print(f"{total:,} complaints, all open; {args.requests} requests each")
            rng = random.Random(1)
            n = args.requests
            timed(client, ["/", f"/c/{open_ids[0]}"] * 5)  # warm the connection pool
            report("inbox (open, first page)", timed(client, ["/"] * n))
            report("inbox, owner=mine", timed(client, ["/?owner=mine"] * n))
            report(
                "inbox, P1, brand, platform",
                timed(client, ["/?priority=P1&brand=Acme&platform=x"] * n),
            )
            report("inbox, search 'refund'", timed(client, ["/?q=refund"] * n))
            report("inbox, status=all, page 20", timed(client, ["/?status=all&page=20"] * n))
            report(
                "complaint page (random)",
                timed(client, [f"/c/{rng.choice(open_ids)}" for _ in range(n)]),
            )
            inbox = client.get("/")
            css = client.get(re.search(r'href="(/static/app\.css[^"]+)"', inbox.text).group(1))
            js = client.get(re.search(r'src="(/static/app\.js[^"]+)"', inbox.text).group(1))
            sizes = [len(inbox.content), len(css.content), len(js.content)]
            zipped = [len(gzip.compress(b)) for b in (inbox.content, css.content, js.content)]
            print(
                f"inbox page weight: HTML {sizes[0]:,} B + CSS {sizes[1]:,} B + JS {sizes[2]:,} B "
                f"= {sum(sizes):,} B ({sum(zipped):,} B gzipped)"
            )
        site.stores.close()


if __name__ == "__main__":
    main()
