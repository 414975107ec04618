"""Schema of migration m009: the mentions judged a complaint and never opened.

A crash between judging a complaint and opening it leaves a mention whose latest
judgement says complaint and that has no complaint row; start-up recovery opens
those. Triggers keep the list: a judgement of complaint adds the mention unless a
complaint is already open for it, a later judgement of not a complaint takes it off,
as do opening its complaint and pruning it. Recovery reads this small table instead
of every judgement: exact, and well under a millisecond at a million mentions.

Tried before: every latest judgement checked (0.5 s at a million), then only the
newest 20,000 mentions' (8 ms, and a complaint judged in a batch larger than that,
or behind a backlog, was never opened). These statements are what m009 ran: never
edit them, add a migration instead.
"""

UNOPENED_SCHEMA = (
    "create table unopened (mention_id integer primary key)",
    "insert into unopened (mention_id) select c.mention_id from classifications c"
    " where c.complaint = 1"
    " and c.id = (select max(id) from classifications where mention_id = c.mention_id)"
    " and not exists (select 1 from complaints k where k.mention_id = c.mention_id)",
    "create trigger unopened_judged after insert on classifications when new.complaint = 1"
    " and not exists (select 1 from complaints where mention_id = new.mention_id)"
    " begin insert or ignore into unopened (mention_id) values (new.mention_id); end",
    "create trigger unopened_cleared after insert on classifications when new.complaint = 0"
    " begin delete from unopened where mention_id = new.mention_id; end",
    "create trigger unopened_opened after insert on complaints"
    " begin delete from unopened where mention_id = new.mention_id; end",
    "create trigger unopened_pruned after delete on mentions"
    " begin delete from unopened where mention_id = old.id; end",
)
