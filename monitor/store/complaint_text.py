"""Schema of migration m008: a full-text index of the complaints' posts only.

A search limited to complaints (``--complaints``, ``--status``, ``--priority``,
``--category``) used the index of every mention, and a word common in praise but
rare in complaints was the slowest search there is: "love" matches 130,000 of a
million mentions and almost no complaint, so either every match was checked against
the filters or all of them were read into a set (110-140 ms, the search p99). This
index holds the tenth of mentions that are complaints, so those searches walk only
complaints' matches: the same query takes under 10 ms.

It is an external-content FTS5 table over ``mentions`` (the text is not stored twice)
with the same columns and tokeniser as ``mentions_fts``, kept by triggers on
``complaints``: a row when a complaint is opened, removed when a complaint is deleted
(``prune --include-complaints`` deletes complaints before their mentions, so the text
the removal needs is still there), and rewritten when a complaint's post is edited.
Triggers rather than code in the store: every writer keeps the index true. These
statements are what m008 ran: never edit them, add a migration instead (and a
``transform()`` of ``complaints`` or ``mentions`` drops the triggers: recreate them).
"""

COMPLAINT_TEXT_SCHEMA = (
    "create virtual table complaints_fts using fts5"
    " (text, author, tokenize='porter', content='mentions', content_rowid='id')",
    "insert into complaints_fts (rowid, text, author)"
    " select m.id, m.text, m.author from complaints k join mentions m on m.id = k.mention_id",
    "create trigger complaints_fts_opened after insert on complaints begin"
    " insert into complaints_fts (rowid, text, author)"
    " select id, text, author from mentions where id = new.mention_id; end",
    "create trigger complaints_fts_deleted after delete on complaints begin"
    " insert into complaints_fts (complaints_fts, rowid, text, author)"
    " select 'delete', id, text, author from mentions where id = old.mention_id; end",
    "create trigger complaints_fts_edited after update of text, author on mentions"
    " when exists (select 1 from complaints where mention_id = old.id) begin"
    " insert into complaints_fts (complaints_fts, rowid, text, author)"
    " values ('delete', old.id, old.text, old.author);"
    " insert into complaints_fts (rowid, text, author) values (new.id, new.text, new.author);"
    " end",
)
