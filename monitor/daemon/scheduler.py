"""The daemon loop: APScheduler jobs for polling, delivery, escalation and digests.

Jobs run one at a time on a single worker thread, so the one SQLite connection
is never used by two threads at once; sends inside delivery fan out to their
own threads without touching the database. systemd hears READY=1 once the
model is loaded, WATCHDOG=1 while jobs keep completing and none keeps failing
(see ``Daemon.healthy``), and STOPPING=1 on SIGTERM, after which the running job
finishes and nothing is cut mid-write.
"""

from __future__ import annotations

import functools
import logging
import signal
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from monitor.daemon.pipeline import BatchReport, process_batch, recover
from monitor.daemon.polling import poll_source
from monitor.daemon.runtime import Runtime, admin_alert
from monitor.daemon.systemd import Notifier as SystemdNotifier
from monitor.page.escalation import escalate_due, remind_overdue, send_digests
from sources import build_sources
from sources.base import Source

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# A job that raises this many times in a row is broken, not unlucky: one bad tick
# (a locked file, a transient error) passes, a bug that fails every tick does not.
FAILURES_BEFORE_UNHEALTHY = 3


def utcnow() -> datetime:
    return datetime.now(UTC)


def poll_and_process(
    runtime: Runtime, source: Source, *, now: datetime, force: bool = False
) -> BatchReport | None:
    """One pass of one source through the whole pipeline; None when it was not due."""

    def alert(subject: str, body: str) -> None:
        key = zlib.crc32(f"{source.name}:{subject}:{now:%Y%m%d%H}".encode())
        admin_alert(runtime, subject, body, key=key, now=now)

    batch = poll_source(source, runtime.store, now=now, alert=alert, force=force)
    if batch is None:
        return None
    report = process_batch(runtime.pipeline, batch, now=now)
    if report.complaints:
        # Page now rather than on the next housekeeping tick: speed is the response.
        runtime.deliverer.run_due(now)
    return report


def housekeeping(runtime: Runtime, *, now: datetime) -> None:
    escalate_due(runtime.store, runtime.config, now=now)
    remind_overdue(runtime.store, runtime.config, now=now)
    runtime.deliverer.run_due(now)


class Daemon:
    def __init__(self, runtime: Runtime, *, clock: Clock = utcnow, tick_seconds: float = 5.0):
        self.runtime = runtime
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.sources = build_sources(runtime.config)
        self.systemd = SystemdNotifier()
        self.stopped = threading.Event()
        self.last_progress = time.monotonic()
        # Consecutive failures per job name; written by the worker, read by the watchdog loop.
        self.failures: dict[str, int] = {}
        self._failures_lock = threading.Lock()
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 60},
            timezone=UTC,
        )

    def _guarded(self, name: str, job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except Exception:  # one failing job must not stop the others...
                with self._failures_lock:
                    failures = self.failures[name] = self.failures.get(name, 0) + 1
                logger.exception("job %s failed (%d in a row)", name, failures)
                if failures == FAILURES_BEFORE_UNHEALTHY:
                    # ...but a failure is not progress: see healthy().
                    logger.error(
                        "job %s keeps failing: watchdog pings stop so systemd restarts amends",
                        name,
                    )
                return
            with self._failures_lock:
                self.failures.pop(name, None)
            self.last_progress = time.monotonic()

        return run

    def _poll(self, source: Source) -> None:
        poll_and_process(self.runtime, source, now=self.clock())

    def start(self) -> None:
        now = self.clock()
        self.runtime.deliverer.recover(now)
        recover(self.runtime.pipeline, now=now)
        for source in self.sources:
            # Sources poll on a short tick; poll_source itself decides whether each is due
            # (interval, backoff, rate-limit reset), so one source's wait never blocks another.
            self.scheduler.add_job(
                self._guarded(f"poll {source.name}", functools.partial(self._poll, source)),
                "interval",
                seconds=self.tick_seconds,
                id=f"poll:{source.name}",
                next_run_time=now,
            )
        self.scheduler.add_job(
            self._guarded("housekeeping", lambda: housekeeping(self.runtime, now=self.clock())),
            "interval",
            seconds=self.tick_seconds,
            id="housekeeping",
            next_run_time=now,
        )
        digest_hours = 1 if self.runtime.config.paging.digest == "hourly" else 24
        self.scheduler.add_job(
            self._guarded(
                "digest",
                lambda: send_digests(self.runtime.store, self.runtime.config, now=self.clock()),
            ),
            "interval",
            hours=digest_hours,
            id="digest",
            next_run_time=now + timedelta(hours=digest_hours),
        )
        self.scheduler.start()
        self.systemd.ready(f"watching {len(self.sources)} source(s)")
        logger.info("amends running: %s", ", ".join(s.name for s in self.sources) or "no sources")

    def stop(self) -> None:
        self.systemd.stopping()
        # wait=True lets the job in progress finish its transaction.
        self.scheduler.shutdown(wait=True)
        for source in self.sources:
            source.close()  # the platform clients' HTTP sessions
        self.runtime.close()
        self.stopped.set()

    def run_forever(self) -> None:
        stop_requested = threading.Event()

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            logger.info("signal %s: stopping", signal.Signals(signum).name)
            stop_requested.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        self.start()
        while not stop_requested.wait(timeout=self.systemd.watchdog_interval()):
            # Only a loop that keeps finishing jobs is alive: a hung or broken job stops
            # the pings and systemd restarts the service.
            if self.healthy():
                self.systemd.watchdog()
        self.stop()

    def healthy(self) -> bool:
        """Whether to ping the watchdog.

        Healthy means the scheduler runs, some job succeeded within the stall limit
        (a hung job holds the one worker, so nothing else runs), and no job has failed
        ``FAILURES_BEFORE_UNHEALTHY`` times in a row. A job that raises is a bug, not a
        platform hiccup (sources turn those into SourceError and back off themselves),
        so one that keeps failing ends the pings: systemd restarts amends after
        ``WatchdogSec``. Should the job succeed again before then, pings resume.
        """
        stall_limit = max(120.0, 10 * self.tick_seconds)
        with self._failures_lock:
            failing = any(n >= FAILURES_BEFORE_UNHEALTHY for n in self.failures.values())
        return (
            self.scheduler.running
            and not failing
            and time.monotonic() - self.last_progress < stall_limit
        )
