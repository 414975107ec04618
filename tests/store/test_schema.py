"""The migrations' names a read-only open checks against, and what that spares it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from monitor.store import Store
from monitor.store.migrations import MIGRATIONS, SOURCE_MIGRATIONS
from monitor.store.schema import KNOWN


def test_every_registered_migration_is_listed_in_order():
    assert {
        MIGRATIONS.name: tuple(m.name for m in MIGRATIONS._migrations),
        SOURCE_MIGRATIONS.name: tuple(m.name for m in SOURCE_MIGRATIONS._migrations),
    } == KNOWN


def test_a_read_only_search_never_imports_sqlite_utils(tmp_path: Path):
    """Importing sqlite-utils is a fifth of a CLI call: the lookups must not pay it."""
    path = tmp_path / "amends.db"
    Store.open(path).close()
    script = (
        "import sys\n"
        "from monitor.store import Store\n"
        "from monitor.store.search import MentionFilter, MentionQuery\n"
        f"store = Store.open({str(path)!r}, readonly=True, create=False, upgrade=False)\n"
        "query = MentionQuery(text='refund', filters=MentionFilter(complaints_only=True))\n"
        "store.search(query)\n"
        "store.all_source_health()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlite_utils', 'numpy')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
