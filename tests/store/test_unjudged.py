"""Migration m007: the table of unjudged mentions starts with those a database held."""

from __future__ import annotations

from monitor.store.migrations import m007_unjudged_mentions
from monitor.store.unjudged import UNJUDGED_SCHEMA
from tests.store.conftest import rerun_migration


def test_the_migration_lists_mentions_a_database_already_held_unjudged(filled):
    rerun_migration(filled, UNJUDGED_SCHEMA, "unjudged", m007_unjudged_mentions)
    assert filled.unclassified_mention_ids() == [8]
