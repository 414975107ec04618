"""Time from a complaint being stored to its page being accepted by a local receiver.

Runs the real pipeline (store, analysis, priority, routing, drafting, paging, the
delivery ledger and apprise) for N complaints against aiosmtpd (mailto://) and an
HTTP receiver (json://) on 127.0.0.1, and prints the median and p99 latency per
transport. The model is replaced by fixed scores so the figure is paging's own.

    python benchmarks/bench_paging.py [--complaints 1000] [--batch 10]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller

from fakes.receivers import HttpReceiver, SmtpServer, free_port
from monitor.config import parse_config
from monitor.core.models import Batch, Classification, Mention
from monitor.daemon.pipeline import Pipeline, process_batch
from monitor.page.sender import Deliverer
from monitor.respond.analysis import category_set
from monitor.respond.drafting import load_templates
from monitor.store import Store
from notifiers import notifier_for

CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana"
working_hours = "00:00-24:00"
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
[[responders.contacts]]
url = "json://{http}/dana"
tags = ["push"]
[[responders.contacts]]
url = "{smtp}"
tags = ["email"]

[paging]
spike_count = 100000
"""

PROBLEMS = [
    "my order {n} never arrived",
    "you charged me twice for order {n}",
    "the app crashes on login, ticket {n}",
    "the lid of my kettle broke, order {n}",
    "your agent hung up on me, case {n}",
]


class FixedScores:
    name, version = "fixed", "bench"

    def classify(self, texts, brands=None):
        return [
            Classification(
                complaint=True,
                complaint_score=0.8,
                sentiment="negative",
                sentiment_scores={"negative": 0.8, "neutral": 0.2, "positive": 0.0},
                model=self.name,
                model_version=self.version,
            )
            for _ in texts
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args()

    http = HttpReceiver()
    arrivals: dict[str, dict[int, float]] = {"http": {}, "smtp": {}}
    ack = re.compile(r"amends ack (\d+)")

    class TimedSmtp(SmtpServer):
        async def handle_DATA(self, server, session, envelope):
            found = ack.search(envelope.original_content.decode("utf-8", "replace"))
            if found:
                arrivals["smtp"][int(found.group(1))] = time.perf_counter()
            return "250 OK"

    smtp = TimedSmtp(host="127.0.0.1", port=free_port())
    controller = Controller(smtp, hostname="127.0.0.1", port=smtp.port)
    controller.start()
    original = http._server.RequestHandlerClass.do_POST

    lock = threading.Lock()
    scanned = [0]

    def timed_post(handler):
        original(handler)
        accepted = time.perf_counter()
        with lock:  # requests arrive on several threads: time every one not yet seen
            fresh = http.requests[scanned[0] :]
            scanned[0] += len(fresh)
            for request in fresh:
                found = ack.search(request.body.decode("utf-8", "replace"))
                if found:
                    arrivals["http"].setdefault(int(found.group(1)), accepted)

    http._server.RequestHandlerClass.do_POST = timed_post
    config = parse_config(CONFIG.format(http=http.address, smtp=smtp.url()))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        pipeline = Pipeline(
            config=config,
            store=store,
            classifier=FixedScores(),
            categories=category_set(config.drafting, None),
            templates=load_templates(config.drafting),
        )
        deliverer = Deliverer(store, config, notifier_for)
        stored_at: dict[int, float] = {}
        now = datetime.now(UTC)
        started = time.perf_counter()
        for first in range(0, args.complaints, args.batch):
            mentions = [
                Mention(
                    platform="x",
                    platform_id=str(n),
                    author=f"user{n}",
                    text="@acme " + PROBLEMS[n % len(PROBLEMS)].format(n=n),
                    url=f"https://x.com/user{n}/status/{n}",
                    created_at=now - timedelta(minutes=1),
                    reach=100,
                    brand="Acme",
                )
                for n in range(first, min(first + args.batch, args.complaints))
            ]
            t0 = time.perf_counter()
            report = process_batch(pipeline, Batch(source="x", mentions=mentions), now=now)
            for complaint_id in report.complaints:
                stored_at[complaint_id] = t0
            deliverer.run_due(now)
        elapsed = time.perf_counter() - started
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and min(len(a) for a in arrivals.values()) < len(
            stored_at
        ):
            time.sleep(0.05)
    controller.stop()
    http.down()
    print(
        f"{len(stored_at)} complaints paged in {elapsed:.1f} s "
        f"({len(stored_at) / elapsed:.0f} complaints/s, batches of {args.batch})"
    )
    for transport, seen in arrivals.items():
        waits = sorted((seen[i] - stored_at[i]) * 1000 for i in seen if i in stored_at)
        if not waits:
            print(f"{transport}: nothing received")
            continue
        p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
        print(
            f"{transport:>4}: {len(waits)} pages accepted; stored -> accepted "
            f"median {statistics.median(waits):.1f} ms, p99 {p99:.1f} ms"
        )


if __name__ == "__main__":
    main()
