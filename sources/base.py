"""The one interface every platform module implements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol, runtime_checkable

from monitor.core.models import Batch
from monitor.core.settings import SourceSettings


class Source(Protocol):
    name: str  # the config key: "x", "reddit", "demo"

    @property
    def settings(self) -> SourceSettings:
        """Its ``[sources.<name>]`` table; polling reads ``interval_seconds``."""
        ...

    @property
    def config_fingerprint(self) -> str:
        """Changes when anything a pause could depend on changes (credentials, URL,
        queries), so fixing the config lifts a pause without a manual reset."""
        ...

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        """Fetch what is new since ``cursors`` (query key -> cursor).

        Returns the mentions and the cursors to persist with them. Raises
        ``SourceError`` (retry next tick), ``RateLimited`` (retry at a time) or
        ``SourcePaused`` (a person must act); the error carries what was read
        before it (``partial``, ``reads``). Never returns platform objects.
        """
        ...

    def describe_queries(self) -> list[str]:
        """The queries a poll would send, for ``amends poll --dry-run``."""
        ...

    def close(self) -> None:
        """Release the HTTP session."""
        ...


@runtime_checkable
class Metered(Protocol):
    """A source that bills per item read (X): polling keeps it inside its budget."""

    monthly_read_budget: int | None
    min_reads_per_request: int  # a smaller remainder of the budget cannot be used

    def set_read_allowance(self, reads: int | None) -> None: ...
