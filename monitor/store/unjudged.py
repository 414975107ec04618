"""Schema of migration m007: the mentions not yet judged, kept by the database itself.

A trigger adds each new mention, another removes it once a classification is
written, a third when the mention is pruned. Start-up recovery
(``unclassified_mention_ids``) reads this small table, so it finds every unjudged
mention, however old, in well under a millisecond at a million.

Tried before: NOT EXISTS over every mention (0.5 s at a million), then over the
newest 20,000 only (16 ms, but an older unjudged mention was never judged).
Triggers rather than code in ``save_batch`` and ``save_classifications``: every
writer (the bench's bulk loader, a person with sqlite3) keeps the table true.
These statements are what m007 ran: never edit them, add a migration instead.
"""

UNJUDGED_SCHEMA = (
    "create table unjudged (mention_id integer primary key)",
    "insert into unjudged (mention_id) select m.id from mentions m"
    " where not exists (select 1 from classifications c where c.mention_id = m.id)",
    "create trigger mentions_unjudged after insert on mentions"
    " begin insert into unjudged (mention_id) values (new.id); end",
    "create trigger mentions_judged after insert on classifications"
    " begin delete from unjudged where mention_id = new.mention_id; end",
    "create trigger mentions_unjudged_pruned after delete on mentions"
    " begin delete from unjudged where mention_id = old.id; end",
)
