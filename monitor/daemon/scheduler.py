"""The daemon: APScheduler as the clock, a database thread, a thread per source, signals.

APScheduler fires the ticks (housekeeping, digests, each source's poll) and its
jobs only hand the work over and return, so its own thread is never held up.
SQLite is used by one thread (``DbThread``): housekeeping, digests and each
source's reads and writes run there in turn on the store's one connection.
Each source polls on a thread of its own (``SourceWorker``), so a request that
hangs holds up that source only; pages, escalations and the other sources go
on. systemd hears READY=1 once the model is loaded, WATCHDOG=1 while jobs keep
completing and none keeps failing (see ``Daemon.healthy``), RELOADING=1 and
READY=1 around a reload (SIGHUP), and STOPPING=1 on SIGTERM: the database job
in progress finishes, queued writes are dropped and a request in flight is
abandoned, so amends exits within seconds and nothing is cut mid-write.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor.config import Config
from monitor.core.errors import ConfigError
from monitor.daemon.inbox import start_inbox
from monitor.daemon.pipeline import BatchReport, process_batch, recover
from monitor.daemon.polling import Alert, Fetched, Plan, fetch, plan_poll, record_poll
from monitor.daemon.reload import reloadable
from monitor.daemon.runtime import Runtime, admin_alert
from monitor.daemon.systemd import Notifier as SystemdNotifier
from monitor.daemon.workers import DbThread, SourceWorker, Stopped
from monitor.page.escalation import escalate_due, remind_overdue, send_digests
from sources import build_sources
from sources.base import Source

if TYPE_CHECKING:
    from monitor.web.server import WebServer

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# A job that raises this many times in a row is broken, not unlucky: one bad tick
# (a locked file, a transient error) passes, a bug that fails every tick does not.
FAILURES_BEFORE_UNHEALTHY = 3
# The database's upkeep (Store.maintain): a WAL checkpoint that waits for no reader and
# fresh planner statistics. SQLite checkpoints by itself every 1,000 pages written;
# this one also catches up after a reader held an old snapshot, and ANALYZE's
# statistics keep the search plans right as the tables grow.
MAINTENANCE_SECONDS = 3600
# On SIGTERM, how long the sources' threads get to finish before a request in flight
# is abandoned. With the database job's own few seconds this stays well inside the
# unit's TimeoutStopSec=15.
ABANDON_AFTER = 2.0


def utcnow() -> datetime:
    return datetime.now(UTC)


def source_alert(runtime: Runtime, source: Source, now: datetime) -> Alert:
    """Admin alerts about ``source``, each sent once an hour at most."""

    def alert(subject: str, body: str) -> None:
        key = zlib.crc32(f"{source.name}:{subject}:{now:%Y%m%d%H}".encode())
        admin_alert(runtime, subject, body, key=key, now=now)

    return alert


def poll_and_process(
    runtime: Runtime, source: Source, *, now: datetime, force: bool = False
) -> BatchReport | None:
    """One pass of one source through the whole pipeline; None when it was not due."""
    alert = source_alert(runtime, source, now)
    plan = plan_poll(source, runtime.store, now=now, alert=alert, force=force)
    if plan is None:
        return None
    return record_and_process(runtime, source, plan, fetch(source, plan, now=now), now=now)


def record_and_process(
    runtime: Runtime, source: Source, plan: Plan, fetched: Fetched, *, now: datetime
) -> BatchReport | None:
    """A fetched poll's bookkeeping, then its mentions through the pipeline."""
    alert = source_alert(runtime, source, now)
    batch = record_poll(source, runtime.store, plan, fetched, now=now, alert=alert)
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


def digest_hours(config: Config) -> int:
    return 1 if config.paging.digest == "hourly" else 24


class Daemon:
    def __init__(
        self,
        runtime: Runtime,
        *,
        load_config: Callable[[], Config] | None = None,
        clock: Clock = utcnow,
        tick_seconds: float = 5.0,
    ) -> None:
        self.runtime = runtime
        self.load_config = load_config  # re-reads and checks the file on SIGHUP
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.systemd = SystemdNotifier()
        self.db = DbThread()
        # One thread is plenty: every job only queues work on another thread and returns.
        self.clockwork = BackgroundScheduler(
            timezone=UTC,
            executors={"default": ThreadPoolExecutor(max_workers=1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.workers: dict[str, SourceWorker] = {}
        self.last_progress = time.monotonic()
        # Consecutive failures per job name; written by the jobs, read by the watchdog loop.
        self.failures: dict[str, int] = {}
        self._failures_lock = threading.Lock()
        self.web: WebServer | None = None  # the responder inbox, when [web] enabled

    # --- jobs --------------------------------------------------------------------------

    def _guarded(self, name: str, job: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except Stopped:
                raise  # shutting down: not a failure
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

    def _poll(self, worker: SourceWorker) -> None:
        """One poll on the source's own thread: plan and record on the database thread,
        the request in between on this one."""
        source, now = worker.source, self.clock()
        store = self.runtime.store

        def plan() -> Plan | None:
            if worker.retired.is_set():
                return None
            alert = source_alert(self.runtime, source, now)
            return plan_poll(source, store, now=now, alert=alert)

        planned = self.db.call(plan)
        if planned is None:
            return
        fetched = fetch(source, planned, now=now)

        def record() -> None:
            # Checked here, on the database thread, where a reload retires workers:
            # a poll that outlived its source is dropped whole, cursor and all.
            if worker.retired.is_set():
                logger.info(
                    "%s: dropped a poll that finished after its source was replaced", source.name
                )
                return
            record_and_process(self.runtime, source, planned, fetched, now=now)

        self.db.call(record)

    def _guarded_poll(self, worker: SourceWorker) -> None:
        self._guarded(f"poll {worker.source.name}", lambda: self._poll(worker))()

    def _start_worker(self, source: Source) -> None:
        worker = SourceWorker(source, self._guarded_poll)
        self.workers[source.name] = worker
        worker.start()
        # Each source is kicked on a short tick; plan_poll decides whether it is due
        # (interval, backoff, rate-limit reset). The first kick is now.
        self.clockwork.add_job(
            worker.kick,
            IntervalTrigger(seconds=self.tick_seconds, timezone=UTC),
            id=f"poll {source.name}",
            replace_existing=True,
            next_run_time=datetime.now(UTC),
        )

    def _retire_worker(self, name: str) -> None:
        self.workers.pop(name).retire()
        if self.clockwork.get_job(f"poll {name}") is not None:
            self.clockwork.remove_job(f"poll {name}")

    def _every(self, name: str, seconds: float, job: Callable[[], object], *, now: bool) -> None:
        """Queue ``job`` on the database thread every ``seconds``; the first time at once
        when ``now``, else after one interval. A name given again replaces its timer."""
        guarded = self._guarded(name, job)
        self.clockwork.add_job(
            self.db.submit,
            IntervalTrigger(seconds=seconds, timezone=UTC),
            args=(name, guarded),
            id=name,
            replace_existing=True,
            **({"next_run_time": datetime.now(UTC)} if now else {}),
        )

    def _schedule(self, config: Config) -> None:
        seconds = digest_hours(config) * 3600
        job = self.clockwork.get_job("digest")
        if job is None or job.trigger.interval.total_seconds() != seconds:
            self._every(
                "digest",
                seconds,
                lambda: send_digests(self.runtime.store, self.runtime.config, now=self.clock()),
                now=False,
            )

    # --- life cycle --------------------------------------------------------------------

    def start(self) -> None:
        # First: a missing web secret or a port in use stops the start before any thread.
        self.web = start_inbox(self.runtime)
        now = self.clock()
        self.runtime.deliverer.recover(now)
        recover(self.runtime.pipeline, now=now)
        self._every(
            "housekeeping",
            self.tick_seconds,
            lambda: housekeeping(self.runtime, now=self.clock()),
            now=True,
        )
        self._every(
            "maintenance", MAINTENANCE_SECONDS, lambda: self.runtime.store.maintain(), now=False
        )
        self._schedule(self.runtime.config)
        self.db.start()
        for source in build_sources(self.runtime.config):
            self._start_worker(source)
        self.clockwork.start()
        self.systemd.ready(f"watching {len(self.workers)} source(s)")
        classifier = self.runtime.pipeline.classifier
        logger.info(
            "amends ready: sources %s; model %s %s; database %s%s",
            ", ".join(self.workers) or "none enabled",
            classifier.name,
            classifier.version,
            self.runtime.store.path,
            f"; inbox at {self.runtime.config.web.base_url}" if self.web else "",
        )

    def reload(self) -> None:
        """Re-read the config file; a config with problems leaves the running one as is."""
        if self.load_config is None:
            logger.warning("SIGHUP: no config file to reload")
            return
        self.systemd.reloading()
        try:
            loaded = self.load_config()
            sources = build_sources(loaded)
        except ConfigError as exc:
            logger.error("reload refused, the running configuration stays: %s", exc.args[0])
            for problem in exc.problems:
                logger.error("reload: %s", problem)
            self.systemd.ready("reload refused: configuration errors (see the log)")
            return
        try:
            self.db.call(lambda: self._apply(loaded, sources))
        except Stopped:
            return
        self.systemd.ready(f"reloaded; watching {len(self.workers)} source(s)")

    def _apply(self, loaded: Config, sources: list[Source]) -> None:
        """On the database thread, between jobs: swap the config, restart changed sources."""
        running = self.runtime.config
        config = reloadable(running, loaded)
        self.runtime.apply(config)
        self._schedule(config)
        same_brands = running.brands == config.brands
        for source in sources:
            old = self.workers.get(source.name)
            if (
                old is not None
                and same_brands
                and old.source.settings == source.settings
                and old.source.config_fingerprint == source.config_fingerprint
            ):
                source.close()  # unchanged: the running worker and its client stay
                continue
            if old is not None:
                self._retire_worker(source.name)
            self._start_worker(source)
        for name in set(self.workers) - {s.name for s in sources}:
            self._retire_worker(name)
        logger.warning("configuration reloaded: sources %s", ", ".join(self.workers) or "none")

    def stop(self) -> None:
        self.systemd.stopping()
        self.clockwork.shutdown(wait=False)  # no new ticks; its jobs never block
        if self.web is not None:
            self.web.stop()  # requests under way finish (a second or two), then it closes
        for worker in self.workers.values():
            worker.retire()
        # The database job in progress finishes its transaction; queued ones are dropped.
        self.db.stop()
        deadline = time.monotonic() + ABANDON_AFTER
        for name, worker in self.workers.items():
            if not worker.join(max(deadline - time.monotonic(), 0.0)):
                logger.warning("%s: abandoning a request in flight; nothing of it was stored", name)
        self.runtime.close()

    def run_forever(self) -> None:
        wake = threading.Event()
        requests: list[str] = []  # "reload" or "stop"; the handler only notes them

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            requests.append("reload" if signum == signal.SIGHUP else "stop")
            wake.set()

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, on_signal)
        self.start()
        while "stop" not in requests:
            wake.wait(timeout=self.systemd.watchdog_interval())
            wake.clear()
            if "reload" in requests and "stop" not in requests:
                requests.remove("reload")
                logger.info("SIGHUP: reloading the configuration")
                self.reload()
            # Only a loop that keeps finishing jobs is alive: a hung or broken job stops
            # the pings and systemd restarts the service.
            if self.healthy():
                self.systemd.watchdog()
        logger.info("stopping")
        self.stop()

    def healthy(self) -> bool:
        """Whether to ping the watchdog.

        Healthy means the database thread runs, some job succeeded within the stall limit
        (a hung database job holds the one thread, so nothing else is written), and no job
        has failed ``FAILURES_BEFORE_UNHEALTHY`` times in a row. A job that raises is a bug,
        not a platform hiccup (sources turn those into SourceError and back off themselves),
        so one that keeps failing ends the pings: systemd restarts amends after
        ``WatchdogSec``. Should the job succeed again before then, pings resume. A source
        whose request hangs holds only its own thread and leaves the database thread free.
        """
        stall_limit = max(120.0, 10 * self.tick_seconds)
        with self._failures_lock:
            failing = any(n >= FAILURES_BEFORE_UNHEALTHY for n in self.failures.values())
        return (
            self.db.running and not failing and time.monotonic() - self.last_progress < stall_limit
        )
