"""The store's face for what it remembers about each source (``source_state``):
health between polls and reads billed per month."""

from __future__ import annotations

import monitor.store.source_state as source_state
from monitor.store.connection import Connection
from monitor.store.source_state import Health, Spend


class SourceHealthMixin(Connection):
    def source_health(self, source: str) -> Health:
        return source_state.health(self._db, source)

    def all_source_health(self) -> list[Health]:
        return source_state.all_health(self._db)

    def save_source_health(self, health: Health) -> None:
        source_state.save_health(self._db, health)

    def source_spend(self, source: str, month: str) -> Spend:
        return source_state.spend(self._db, source, month)

    def all_source_spend(self) -> list[Spend]:
        return source_state.all_spend(self._db)

    def add_source_reads(self, source: str, month: str, reads: int) -> Spend:
        return source_state.add_reads(self._db, source, month, reads)

    def mark_source_spend(self, source: str, month: str, *, warned: bool, stopped: bool) -> None:
        source_state.mark_spend(self._db, source, month, warned=warned, stopped=stopped)
