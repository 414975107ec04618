"""The one interface every platform module implements."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from monitor.core.models import Batch


class Source(Protocol):
    name: str  # the config key: "x", "reddit", "demo"

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        """Fetch what is new since ``cursors`` (query key -> cursor).

        Returns the mentions and the cursors to persist with them. Raises
        ``SourceError`` (retry next tick), ``RateLimited`` (retry at a time) or
        ``SourcePaused`` (a person must act). Never returns platform objects.
        """
        ...

    def describe_queries(self) -> list[str]:
        """The queries a poll would send, for ``amends poll --dry-run``."""
        ...
