"""One small exception tree; library errors are translated into it at the edges.

The CLI turns an ``AmendsError`` into one clear line and a non-zero exit code.
Anything else is a bug: it crashes loudly and systemd restarts the daemon.
"""

from __future__ import annotations

from datetime import datetime

from monitor.core.models import Batch


class AmendsError(Exception):
    """Base of every error amends expects and explains to the user."""


class ConfigError(AmendsError):
    """The configuration cannot be used; fatal at start."""

    def __init__(self, problems: list[str], path: str | None = None) -> None:
        self.problems = problems
        self.path = path
        head = f"{path}: " if path else ""
        super().__init__(head + f"{len(problems)} problem(s) in the configuration")

    def __str__(self) -> str:
        return "\n  ".join([super().__str__(), *self.problems])


class StoreError(AmendsError):
    """The database file is unusable (corrupt, locked, newer than this version)."""


class SourceError(AmendsError):
    """A poll failed; the source is retried on its next tick.

    ``partial`` is what the poll read before it failed (mentions and the cursors
    that cover them), which the caller stores as if the poll had succeeded, so
    pages read before a failure are neither lost nor read again; ``reads`` is what
    the platform billed for them.
    """

    def __init__(self, message: str, *, partial: Batch | None = None, reads: int = 0) -> None:
        super().__init__(message)
        self.partial = partial
        self.reads = reads


class RateLimited(SourceError):
    """The platform asked us to wait; poll again at ``retry_at`` (aware UTC)."""

    def __init__(
        self,
        message: str,
        retry_at: datetime,
        *,
        partial: Batch | None = None,
        reads: int = 0,
    ) -> None:
        super().__init__(message, partial=partial, reads=reads)
        self.retry_at = retry_at


class SourcePaused(SourceError):
    """The source cannot work until a person acts (bad token, plan, budget)."""
