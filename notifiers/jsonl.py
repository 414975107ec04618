"""Append each page as one JSON object per line to a local file.

For ``amends demo`` and for scripts (``tail -f pages.jsonl | jq``): no
account, nothing leaves the machine. URL: ``file:///var/lib/amends/pages.jsonl``.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from notifiers.base import OutgoingMessage, SendResult

# One lock per file so pages sent from several outbox threads never interleave
# inside a line; O_APPEND alone is only atomic up to the pipe buffer size.
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def path_of(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or not parts.path:
        raise ValueError(f"not a local file URL: {url!r} (use file:///path/pages.jsonl)")
    return Path(unquote(parts.path))


class JsonlNotifier:
    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            path = path_of(message.url)
        except ValueError as exc:
            return SendResult(ok=False, service="jsonl", detail=str(exc), retryable=False)
        record = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "title": message.title,
            "body": message.body,
            "format": message.body_format,
        }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with _locks_guard:
            lock = _locks.setdefault(path, threading.Lock())
        try:
            with lock, path.open("a", encoding="utf-8") as out:
                out.write(line)
                out.flush()
                os.fsync(out.fileno())  # a page counts as delivered only once it is on disk
        except OSError as exc:
            # A missing directory or a full disk may be fixed by a person; retry.
            detail = f"cannot append to {path}: {exc.strerror or exc}"
            return SendResult(ok=False, service="jsonl", detail=detail, retryable=True)
        return SendResult(ok=True, service="jsonl")
