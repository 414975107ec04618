"""The web inbox's own SQLite connections, apart from the daemon's.

Requests run on a pool of threads; each borrows a connection, uses it and gives
it back, so there are never more connections than requests under way. The
daemon's database thread keeps its own connection: WAL lets readers here go on
while it writes, and the few writes here (an acknowledgement, a tick) wait their
turn for the write lock instead of holding up its jobs.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.store import Store


class StorePool:
    def __init__(self, path: Path, *, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._idle: queue.SimpleQueue[Store] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        try:
            store = self._idle.get_nowait()
        except queue.Empty:
            # Never creates or upgrades: `amends run` and `amends migrate` do that.
            store = Store.open(self.path, create=False, upgrade=False, timeout=self.timeout)
        try:
            yield store
        finally:
            with self._lock:
                if self._closed:
                    store.close()
                else:
                    self._idle.put(store)

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
