"""Store: the one SQLite file, and every SQL statement amends runs on it."""

from monitor.store.database import (
    MAX_TEXT_CHARS,
    SaveResult,
    Store,
    StoredMention,
    clean_for_storage,
    iso,
    parse_iso,
)

__all__ = [
    "MAX_TEXT_CHARS",
    "SaveResult",
    "Store",
    "StoredMention",
    "clean_for_storage",
    "iso",
    "parse_iso",
]
