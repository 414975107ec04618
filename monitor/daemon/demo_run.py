"""The ``amends demo`` run: the bundled sample through the real pipeline, in chunks so
a progress bar can follow, then the digest and the deliveries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from monitor.core.models import Batch
from monitor.daemon.demo import DemoSource
from monitor.daemon.pipeline import BatchReport, process_batch
from monitor.daemon.runtime import Runtime
from monitor.page.escalation import send_digests
from monitor.page.sender import DeliveryReport
from notifiers import notifier_for
from notifiers.base import Notifier, OutgoingMessage, SendResult

CHUNK = 8  # mentions per process_batch call: small enough for a lively progress bar


class Progress(Protocol):
    def stage(self, description: str, total: int | None = None) -> None: ...
    def advance(self, count: int) -> None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoReport:
    batches: list[BatchReport]
    delivery: DeliveryReport

    @property
    def fetched(self) -> int:
        return sum(r.fetched for r in self.batches)

    @property
    def new(self) -> int:
        return sum(r.new for r in self.batches)


def run_demo(
    runtime: Runtime, sources: Sequence[DemoSource], *, now: datetime, progress: Progress
) -> DemoReport:
    batches = [s.poll(runtime.store.cursors(s.name), now=now) for s in sources]
    progress.stage("judging mentions", total=sum(len(b.mentions) for b in batches))
    reports = []
    for batch in batches:
        for start in range(0, max(len(batch.mentions), 1), CHUNK):
            part = batch.mentions[start : start + CHUNK]
            # The cursors go with the last chunk: a crash before it replays the sample.
            last = start + CHUNK >= len(batch.mentions)
            chunk = Batch(source=batch.source, mentions=part, cursors=batch.cursors if last else {})
            reports.append(process_batch(runtime.pipeline, chunk, now=now))
            progress.advance(len(part))
    progress.stage("delivering pages")
    send_digests(runtime.store, runtime.config, now=now)
    return DemoReport(batches=reports, delivery=runtime.deliverer.run_due(now))


def quiet_notifiers() -> Callable[[str], Notifier]:
    """Pages to the terminal count as sent without being printed; the rest go out."""

    class Silent:
        def send(self, message: OutgoingMessage) -> SendResult:
            return SendResult(ok=True, service="terminal (quiet)")

    def pick(url: str) -> Notifier:
        return Silent() if url.startswith("terminal://") else notifier_for(url)

    return pick
