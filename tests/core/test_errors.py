"""The error tree: what a failed poll carries back to the caller."""

from __future__ import annotations

from datetime import UTC, datetime

from monitor.core.errors import AmendsError, RateLimited, SourceError, SourcePaused
from monitor.core.models import Batch

DONE = Batch(source="x", mentions=[], cursors={"q-1": "{}"}, reads=10)


def test_source_errors_carry_what_was_read_before_them() -> None:
    later = datetime(2026, 12, 1, tzinfo=UTC)
    for error in (
        SourceError("X server error 503", partial=DONE, reads=10),
        SourcePaused("X rejected the bearer token", partial=DONE, reads=10),
        RateLimited("X rate limit", later, partial=DONE, reads=10),
    ):
        assert isinstance(error, AmendsError)
        assert (error.partial, error.reads) == (DONE, 10)
    assert RateLimited("X rate limit", later).retry_at == later


def test_a_source_error_without_a_partial_read_says_so() -> None:
    error = SourceError("cannot reach X")
    assert (str(error), error.partial, error.reads) == ("cannot reach X", None, 0)
