"""The daemon's threads: one for the database, one per source.

APScheduler is the clock (``monitor.daemon.scheduler``); its jobs only hand work
to these threads and return, so a slow job never makes it skip a tick. SQLite
is used from one thread only, ``DbThread``: housekeeping, digests and every
read or write a source needs run there, one at a time, on the store's single
connection. A ``SourceWorker`` does its network round trip
on a thread of its own and hands the result to the database thread, so a
source that hangs holds up nothing but itself. Threads that never touch the
database need no connection of their own, and amends never races itself for
SQLite's write lock.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import TypeVar

from sources.base import Source

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Stopped(Exception):
    """The database thread is stopping or stopped: the call did not run."""


_Call = tuple[Callable[[], object], Future[object]]


class DbThread:
    """Runs other threads' calls one at a time, on one thread.

    ``stop`` lets the job in progress finish (its transaction commits or rolls
    back whole) and drops every call still queued: a poll whose write had not
    started is not written, so its cursor stays where it was.
    """

    def __init__(self, name: str = "amends-db") -> None:
        self._queued: set[str] = set()  # names of submitted jobs not yet run
        self._calls: queue.SimpleQueue[_Call | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name=name)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stopping

    def call(self, job: Callable[[], T]) -> T:
        """Run ``job`` on the database thread and return its result (or raise its error);
        ``Stopped`` if the thread stops first."""
        future: Future[object] = Future()
        with self._lock:
            if self._stopping:
                raise Stopped
            self._calls.put((job, future))
        try:
            return future.result()  # type: ignore[return-value]
        except CancelledError:
            raise Stopped from None

    def submit(self, name: str, job: Callable[[], object]) -> None:
        """Queue ``job`` without waiting for it; while a job of this name is still queued,
        a new one is dropped (a tick that comes round again finds the work waiting)."""
        with self._lock:
            if self._stopping or name in self._queued:
                return
            self._queued.add(name)

        def run() -> None:
            with self._lock:
                self._queued.discard(name)
            job()

        future: Future[object] = Future()
        future.add_done_callback(_log_failure)
        self._calls.put((run, future))

    def stop(self, timeout: float | None = None) -> bool:
        """Finish the job in progress, drop the queue; True once the thread has ended."""
        with self._lock:
            self._stopping = True
            self._calls.put(None)  # wakes the loop
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stopping:
            call = self._calls.get()
            if call is None or self._stopping:
                break
            job, future = call
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:  # handed to the caller, who decides
                    future.set_exception(exc)
        self._drop_queued()

    def _drop_queued(self) -> None:
        while True:
            try:
                call = self._calls.get_nowait()
            except queue.Empty:
                return
            if call is not None:
                call[1].cancel()


def _log_failure(future: Future[object]) -> None:
    # A submitted job has no caller waiting: its error would vanish. Jobs are wrapped
    # by the daemon, which counts failures; this is the last resort.
    if not future.cancelled() and future.exception() is not None:
        logger.error("database job failed", exc_info=future.exception())


class SourceWorker:
    """Polls one source on a thread of its own, once per ``kick``.

    The thread is a daemon: on stop, or when a reload replaces the source, a
    request in flight is abandoned rather than waited for. Its results would be
    written on the database thread, which checks ``retired`` first, so nothing of
    an abandoned poll is stored and the next poll re-reads from the old cursor.
    """

    def __init__(self, source: Source, poll: Callable[[SourceWorker], None]) -> None:
        self.source = source
        self.retired = threading.Event()
        self._poll = poll
        self._kicked = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"amends-poll-{source.name}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def kick(self) -> None:
        """Poll when the thread is next free; kicks while a poll runs fold into one."""
        self._kicked.set()

    def retire(self) -> None:
        self.retired.set()
        self._kicked.set()  # wakes the thread to end

    def join(self, timeout: float) -> bool:
        """True once the thread has ended (no request of its source in flight)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while True:
            self._kicked.wait()
            self._kicked.clear()
            if self.retired.is_set():
                break
            try:
                self._poll(self)
            except Stopped:
                break
        # Nothing else uses the source once its own thread is done with it.
        self.source.close()
