"""Migration m007: the table of unjudged mentions starts with those a database held."""

from __future__ import annotations

from monitor.store.migrations import m007_unjudged_mentions
from monitor.store.unjudged import UNJUDGED_SCHEMA


def test_the_migration_lists_mentions_a_database_already_held_unjudged(filled):
    with filled.transaction():
        for statement in UNJUDGED_SCHEMA:
            if statement.startswith("create trigger"):
                filled._db.execute(f"drop trigger {statement.split()[2]}")
        filled._db.execute("drop table unjudged")
        m007_unjudged_mentions(filled._db)
    assert filled.unclassified_mention_ids() == [8]
