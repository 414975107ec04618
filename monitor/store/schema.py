"""Which migrations a file has had, read with plain SQL.

A read-only open (every CLI lookup) checks the file's schema against the migrations
this amends knows, by name. Importing sqlite-utils' migration support for that cost a
tenth of a second, a fifth of a whole ``amends mentions`` call, so the names are
listed here; ``tests/store/test_schema.py`` checks them against the registered
migrations, so a new migration cannot be forgotten here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# sqlite-utils records applied migrations in this table, one row per set and name.
MIGRATIONS_TABLE = "_sqlite_migrations"
KNOWN: dict[str, tuple[str, ...]] = {
    "amends": (
        "m001_initial",
        "m002_paging_and_feedback",
        "m003_grouping_and_incidents",
        "m004_category_label",
        "m005_web_inbox",
        "m006_query_views",
        "m007_unjudged_mentions",
        "m008_complaints_fts",
        "m009_unopened_complaints",
    ),
    "amends-sources": ("s001_initial",),
}


@dataclass(frozen=True, slots=True)
class SchemaState:
    unknown: tuple[str, ...]  # applied by a newer amends
    pending: tuple[str, ...]  # known here, not applied yet


def schema_state(conn: sqlite3.Connection) -> SchemaState:
    exists = conn.execute(
        "select 1 from sqlite_master where type = 'table' and name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    applied: dict[str, set[str]] = {name: set() for name in KNOWN}
    if exists:
        rows = conn.execute(f"select migration_set, name from [{MIGRATIONS_TABLE}]")
        for migration_set, name in rows:
            if migration_set in applied:
                applied[migration_set].add(name)
    # Only amends' own sets: a team may keep migrations of its own in the file.
    unknown = tuple(sorted(name for s in KNOWN for name in applied[s] - set(KNOWN[s])))
    pending = tuple(name for s, names in KNOWN.items() for name in names if name not in applied[s])
    return SchemaState(unknown=unknown, pending=pending)
