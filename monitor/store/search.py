"""Finding mentions: FTS5 queries with filters, newest first or by relevance, fast at
a million mentions.

The query is FTS5's own syntax (words, "phrases", OR, NOT, prefix*, parentheses,
NEAR); one SQLite rejects is searched again as plain words and the result says so.

Newest first means the order amends stored them (``id``), which is the order they
were posted except for a source catching up on a backlog: the full-text index is
kept in that order, so the newest 20 of 900,000 matches are the first 20 it reads.
Sorting the matches by ``created_at`` instead reads and sorts all 900,000 (4.7 s).

Two plans, because neither is fast for every query (times at 1M mentions, see
benchmarks/bench_query.py):

- the index drives: walk the matches newest first, check the filters on each, stop
  at the limit. Fast when matches are few or the filters pass often; slow for a
  common word with a filter few mentions pass (``--author``, ``--since 1h``,
  ``--min-reach``: hundreds of thousands of matches checked).
- the filters drive: walk the ids of the mentions the filters keep, newest first (by
  their index), in windows that double, and check each window against the full-text
  index: by asking about each id (0.085 ms a question) when the window is sparse,
  or by reading the matches between its oldest and newest id (0.65 us a match) when
  that costs less, estimated from how many mentions match. It stops at the limit.

The first runs under a time budget (``INDEX_FIRST_BUDGET``); past it, SQLite is
interrupted and the second runs. Both return the same rows in the same order.
Filters that keep only complaints search the complaints' own full-text index
(``monitor.store.complaint_text``), a tenth the size of every mention's.

What was tried, at 1M mentions, 63 queries (bench_query.py, 2 shared cores):
index-driven only: p99 1.5 s, worst 10.4 s ("love" --complaints: 130,000 matches,
none a complaint). Falling back to per-mention questions: worst 10 s (one question
for each of 100,000 complaints). Reading the matches into a set whenever they are
fewer than 200,000: worst 0.4 s ("order" --author: 150,000 matches read for 23
mentions). Choosing between the set and the questions by two counts: p99 95 ms at
--limit 20 and 128 ms at --limit 100; the slowest were a common word with a filter
that keeps few or none of its matches ("love" --complaints, "kettle" --priority P1:
the whole set read, 110-140 ms). The complaints' own index and the windows: see the
figures in the README.

Near misses with words have plans of their own (``_near_miss_listing``).

Relevance (bm25) ranks the newest ``RELEVANCE_WINDOW`` matches: ranking every
match of a common word computes bm25 for each of them (seconds at 1M), and what
people search for is what is being said now.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from monitor.store.columns import iso, parse_iso
from monitor.store.connection import Connection
from monitor.store.mentions import LATEST_CLASSIFICATION, MentionHit

SearchOrder = Literal["time", "relevance"]

INDEX_FIRST_BUDGET = 0.02  # seconds the index-driven plan gets before the other runs
# Asking the full-text index whether one mention matches costs as much as reading this
# many of a word's matches in a range of ids (0.085 ms against 0.65 us at 1M).
MATCHES_PER_QUESTION = 130
FIRST_WINDOW = 256  # kept mentions checked at once by the filters-driven plan; doubles
COUNT_MATCHES_UP_TO = 200_000
# Near misses with words: up to this many matches, walk them all (5 us each); else
# walk the near misses by score for up to this long first.
NEAR_MISS_MATCHES_FIRST = 30_000
NEAR_MISS_BUDGET = 0.1
RELEVANCE_WINDOW = 5000  # newest matches ranked by relevance
_CHECK_EVERY = 2000  # SQLite VM steps between looks at the clock


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionFilter:
    """Which mentions a listing, a search or an export keeps. Every field narrows."""

    since: datetime | None = None  # posted at or after
    until: datetime | None = None  # posted before
    platform: str | None = None
    brand: str | None = None
    author: str | None = None  # the handle, any case
    min_reach: int | None = None
    complaints_only: bool = False  # only mentions a complaint was opened for
    status: str | None = None  # that complaint's status (implies complaints_only)
    priority: str | None = None  # "P1".."P3" (implies complaints_only)
    category: str | None = None  # (implies complaints_only)
    near_misses: bool = False  # last judged not a complaint; highest score first

    @property
    def on_complaints(self) -> bool:
        return bool(self.complaints_only or self.status or self.priority or self.category)

    @property
    def narrows(self) -> bool:
        return self != MentionFilter()


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionQuery:
    text: str | None = None  # FTS5 syntax; None or blank: every mention
    filters: MentionFilter = field(default_factory=MentionFilter)
    order: SearchOrder = "time"
    limit: int | None = 50  # None: all of them (exports)


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    hits: list[MentionHit]
    # Set when the query was not valid FTS5: SQLite's reason. The words were then
    # searched as plain words (each one quoted), which is what ``hits`` holds.
    literal_because: str | None = None


class SearchError(ValueError):
    """A query that is neither valid FTS5 nor has a word to search for."""


ROW_FIELDS = (
    "id", "platform", "author", "created_at", "reach", "brand", "text", "url", "complaint",
    "complaint_score", "sentiment", "complaint_id", "status", "priority", "category",
    "relevance",
)  # fmt: skip
_NUMBERS = frozenset(("id", "reach", "complaint", "complaint_score", "complaint_id"))
# A cell a spreadsheet would run as a formula starts with one of these; exports put a
# "'" before such a cell in the fields a post's writer controls.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WRITER_FIELDS = ("author", "text")
_SELECT = (
    "select m.id, m.platform, m.author, m.created_at, m.reach, m.brand, m.text, m.url,"
    " c.complaint, c.complaint_score, c.sentiment, k.id as complaint_id, k.status,"
    " k.priority, k.category"
)
# Looked up per mention kept, each by an index: its complaint and its latest judgement.
_COMPLAINT = " left join complaints k on k.mention_id = m.id"
_JUDGEMENT = f" left join classifications c on c.id = ({LATEST_CLASSIFICATION})"


class SearchMixin(Connection):
    def search(self, query: MentionQuery) -> SearchResult:
        """Mentions matching ``query``, at most ``query.limit``."""
        text = (query.text or "").strip()
        if not text:
            return SearchResult(hits=self._listing(query, None))
        try:
            return SearchResult(hits=self._listing(query, text))
        except sqlite3.OperationalError as exc:
            if not _is_syntax_error(exc):
                raise
            literal = literal_query(text)
            return SearchResult(hits=self._listing(query, literal), literal_because=str(exc))

    def iter_mentions(self, query: MentionQuery) -> Iterator[MentionHit]:
        """Every mention ``query`` keeps, newest first, read as they are used; a query
        that is not valid FTS5 is searched as plain words."""
        return map(_hit, self.mention_rows(query))

    def mention_rows(self, query: MentionQuery) -> Iterator[tuple[Any, ...]]:
        """``iter_mentions`` as plain rows, ``ROW_FIELDS`` in order, times as stored
        (ISO 8601 UTC text): exports write a million of them, and building a typed
        hit and parsing its time back took most of their time."""
        sql, params = _plan(query, self._searchable(query.text), filters_first=False)
        return iter(self._db.execute(sql, params))

    def mention_json_lines(self, query: MentionQuery) -> Iterator[str]:
        """``mention_rows`` as JSON objects (``ROW_FIELDS`` but relevance), written by
        SQLite's JSON functions: faster than Python's encoder by far, per row."""
        pairs = ", ".join(f"'{name}', {name}" for name in ROW_FIELDS[:-1])
        sql, params = _plan(query, self._searchable(query.text), filters_first=False)
        for (line,) in self._db.execute(f"select json_object({pairs}) from ({sql})", params):
            yield line

    def mention_csv_lines(self, query: MentionQuery) -> Iterator[str]:
        """``mention_rows`` as CSV lines (``ROW_FIELDS`` but relevance), written by
        SQLite as ``mention_json_lines`` are: Python's ``csv`` module fed row by row
        managed 24,000-48,000 rows/s at 1M mentions, this 67,000. Every text cell is
        quoted: valid CSV whatever it holds, and cheaper in SQL than deciding which
        cells need it (a GLOB per cell: 55,000); an empty cell is a null. Numbers are
        SQLite's text for them, as in the JSON lines. Cells a post's writer controls
        that start like a formula get a "'" first (``FORMULA_STARTS``)."""
        line = " || ',' || ".join(_csv_cell(name) for name in ROW_FIELDS[:-1])
        sql, params = _plan(query, self._searchable(query.text), filters_first=False)
        for (text,) in self._db.execute(f"select {line} from ({sql})", params):
            yield text

    def _searchable(self, text: str | None) -> str | None:
        """``text`` as FTS5 reads it, or as plain words where FTS5 cannot."""
        text = (text or "").strip() or None
        if text is None:
            return None
        try:
            self._db.execute(
                "select rowid from mentions_fts where mentions_fts match ? limit 1", [text]
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if not _is_syntax_error(exc):
                raise
            return literal_query(text)
        return text

    def search_mentions(
        self,
        *,
        search: str | None = None,
        platform: str | None = None,
        brand: str | None = None,
        complaints_only: bool = False,
        near_misses: bool = False,
        limit: int = 50,
    ) -> list[MentionHit]:
        """The short form for callers with a few words and filters: newest first;
        ``near_misses``: judged not a complaint, highest score first."""
        filters = MentionFilter(
            platform=platform,
            brand=brand,
            complaints_only=complaints_only,
            near_misses=near_misses,
        )
        return self.search(MentionQuery(text=search, filters=filters, limit=limit)).hits

    def _listing(self, query: MentionQuery, text: str | None) -> list[MentionHit]:
        if query.filters.near_misses:
            return [_hit(row) for row in self._near_miss_listing(query, text)]
        if text is not None and query.filters.narrows:
            index_first = _plan(query, text, filters_first=False)
            rows = self._within(INDEX_FIRST_BUDGET, *index_first)
            if rows is not None:
                return [_hit(row) for row in rows]
            if query.order == "time":
                return self._filters_then_words(query, text)
        # No words: the filters' own indexes. Words and no filters: the full-text index.
        # Both, by relevance, where the index-driven plan ran out of time: the filters
        # first (ranking needs the full-text index row by row).
        sql, params = _plan(query, text, filters_first=text is not None and query.filters.narrows)
        return [_hit(row) for row in self._db.execute(sql, params)]

    def _near_miss_listing(self, query: MentionQuery, text: str | None) -> list[Any]:
        """Near misses with words: walking the near misses by score and checking each
        against the words stops early when the words are common among them, and never
        ends when they are rare (a word only complaints use: every near miss checked,
        4.5 minutes at 1M). Walking the matches instead costs 5 us each, whatever the
        words. So: few matches, walk them; else walk by score, asking or checking a
        set (by an estimate of the cost), under a time budget, then walk the matches."""
        if text is None:
            return self._db.execute(*_near_misses(query, None, "scores")).fetchall()
        matches, density = self._density(text, "mentions_fts")
        if matches > NEAR_MISS_MATCHES_FIRST and query.limit is not None:
            asks = query.limit / density  # near misses checked to find ``limit`` matches
            plan: NearMissPlan = "ask" if asks * MATCHES_PER_QUESTION < matches else "set"
            rows = self._within(NEAR_MISS_BUDGET, *_near_misses(query, text, plan))
            if rows is not None:
                return rows
        return self._db.execute(*_near_misses(query, text, "matches")).fetchall()

    def _filters_then_words(self, query: MentionQuery, text: str) -> list[MentionHit]:
        """The filters-driven plan, newest first: the ids of the mentions the filters
        keep, newest first, in windows that double, each window checked against the
        full-text index whichever way costs less, until ``limit`` of them match."""
        fts = _fts(query.filters)
        _matches, density = self._density(text, fts)
        where, params = _filters(query.filters)
        kept = self._db.execute(
            "select m.id"
            + _source(query.filters, None, filters_first=True)
            + (" where " + " and ".join(where) if where else "")
            + " order by m.id desc",
            params,
        )
        found: list[int] = []
        size = FIRST_WINDOW
        while query.limit is None or len(found) < query.limit:
            window = [mention_id for (mention_id,) in kept.fetchmany(size)]
            if not window:
                break
            found += self._matching(window, text, fts, density)
            size *= 2
        kept.close()
        found = found[: query.limit]
        if not found:
            return []
        marks = ",".join("?" * len(found))
        sql = f"{_SELECT}, null from mentions m{_COMPLAINT}{_JUDGEMENT} where m.id in ({marks})"
        return [_hit(row) for row in self._db.execute(sql + " order by m.id desc", found)]

    def _matching(self, window: list[int], text: str, fts: str, density: float) -> list[int]:
        """The ids in ``window`` (newest first) that match: either ask the index about
        each (0.085 ms a question at 1M) or read every match between the window's
        oldest and newest id (0.65 us a match), by an estimate of how many that is."""
        newest, oldest = window[0], window[-1]
        if density * (newest - oldest + 1) < len(window) * MATCHES_PER_QUESTION:
            rows = self._db.execute(
                f"select rowid from {fts} where {fts} match ? and rowid between ? and ?",
                [text, oldest, newest],
            )
        else:
            marks = ",".join("?" * len(window))
            rows = self._db.execute(
                f"select rowid from {fts} where {fts} match ? and rowid in ({marks})",
                [text, *window],
            )
        matched = {rowid for (rowid,) in rows}
        return [mention_id for mention_id in window if mention_id in matched]

    def _density(self, text: str, fts: str) -> tuple[int, float]:
        """How many mentions match, counted up to ``COUNT_MATCHES_UP_TO`` (enough for an
        estimate, where counting a word in 900,000 of a million took 35 ms), and that
        count as a share of the ids stored, for estimating how many a range holds."""
        matches = int(
            self._one(
                f"select count(*) from (select 1 from {fts} where {fts} match ? limit ?)",
                [text, COUNT_MATCHES_UP_TO],
            )
        )
        return matches, max(1, matches) / max(1, self._one("select max(id) from mentions") or 0)

    def _within(self, seconds: float, sql: str, params: list[Any]) -> list[Any] | None:
        """The rows, or None if SQLite took longer than ``seconds`` (interrupted)."""
        deadline = time.perf_counter() + seconds
        conn = self._db.conn
        conn.set_progress_handler(lambda: time.perf_counter() > deadline, _CHECK_EVERY)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                return None
            raise
        finally:
            conn.set_progress_handler(None, 0)


def literal_query(text: str) -> str:
    """``text`` as plain words: each one quoted, so nothing in it is FTS5 syntax."""
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        raise SearchError("nothing to search for")
    return " ".join(f'"{w}"' for w in words)


def _is_syntax_error(exc: sqlite3.OperationalError) -> bool:
    # "fts5: syntax error near ...", "unknown special query", "no such column: x" for
    # "x:word" (a column filter), "unterminated string".
    return bool(re.search(r"fts5|special query|no such column|unterminated", str(exc)))


def _filters(filters: MentionFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []

    def add(clause: str, value: Any) -> None:
        where.append(clause)
        params.append(value)

    if filters.since is not None:
        add("m.created_at >= ?", iso(filters.since))
    if filters.until is not None:
        add("m.created_at < ?", iso(filters.until))
    if filters.platform:
        add("m.platform = ?", filters.platform)
    if filters.brand:
        add("m.brand = ?", filters.brand)
    if filters.author:
        add("m.author = ? collate nocase", filters.author.removeprefix("@"))
    if filters.min_reach is not None:
        add("m.reach >= ?", filters.min_reach)
    if filters.on_complaints:
        where.append("k.id is not null")
    if filters.status:
        add("k.status = ?", filters.status)
    if filters.priority:
        add("k.priority = ?", filters.priority)
    if filters.category:
        add("k.category = ?", filters.category)
    return where, params


def _fts(filters: MentionFilter) -> str:
    """The full-text index to search: the complaints' own when only complaints can be
    kept (monitor/store/complaint_text.py), a tenth the size of every mention's."""
    return "complaints_fts" if filters.on_complaints else "mentions_fts"


def _plan(query: MentionQuery, text: str | None, *, filters_first: bool) -> tuple[str, list[Any]]:
    """The SQL for one of the two plans (see the module's note). CROSS JOIN fixes the
    order SQLite walks the tables in, whatever its statistics say."""
    where, params = _filters(query.filters)
    if text is not None:
        fts = _fts(query.filters)
        where.insert(0, f"{fts} match ?")
        params.insert(0, text)
    relevance = text is not None and query.order == "relevance"
    sql = (
        _SELECT
        + (", -f.rank as relevance" if relevance else ", null")
        + _source(query.filters, text, filters_first=filters_first)
        + (" where " + " and ".join(where) if where else "")
    )
    order_key = "f.rowid" if text is not None and not filters_first else "m.id"
    if relevance:
        sql += f" order by {order_key} desc limit {RELEVANCE_WINDOW}"
        sql = f"select * from ({sql}) order by relevance desc, id desc"
    else:
        sql += f" order by {order_key} desc"
    if query.limit is not None:
        sql += " limit ?"
        params.append(query.limit)
    return sql, params


def _source(filters: MentionFilter, text: str | None, *, filters_first: bool) -> str:
    fts = _fts(filters)
    if text is not None and not filters_first:
        return f" from {fts} f cross join mentions m on m.id = f.rowid" + _COMPLAINT + _JUDGEMENT
    matched = f" cross join {fts} f on f.rowid = m.id" if text is not None else ""
    if filters.on_complaints:
        # A tenth of mentions or fewer: start from the complaints the filters select.
        return (
            " from complaints k cross join mentions m on m.id = k.mention_id" + matched + _JUDGEMENT
        )
    # The index for the filter that can keep few mentions; sorting what it keeps costs
    # less than reading the whole table newest first.
    index = ""
    if filters_first:  # words, and the index-driven plan gave up
        if filters.author:
            index = " indexed by mentions_author"
        elif filters.since:
            index = " indexed by idx_mentions_created_at"
        elif filters.min_reach is not None:
            index = " indexed by mentions_reach"
    return " from mentions m" + index + matched + _COMPLAINT + _JUDGEMENT


NearMissPlan = Literal["scores", "ask", "set", "matches"]


def _near_misses(
    query: MentionQuery, text: str | None, plan: NearMissPlan
) -> tuple[str, list[Any]]:
    """Judged not a complaint by their latest judgement, highest score first. "scores"
    (no words) walks ``classifications_misses`` from the top and stops at the limit;
    with words, "ask" does the same asking the full-text index about each, "set"
    checks each against the matches read into a set once, and "matches" walks the
    matches and sorts those that are near misses (see ``_near_miss_listing``)."""
    where, params = _filters(query.filters)
    if plan == "matches":
        source = (
            " from mentions_fts f cross join classifications c on c.id ="
            " (select max(id) from classifications where mention_id = f.rowid)"
            " cross join mentions m on m.id = f.rowid" + _COMPLAINT
        )
        where = ["mentions_fts match ?", "c.complaint = 0", *where]
        params.insert(0, text)
    else:
        source = " from classifications c cross join mentions m on m.id = c.mention_id" + _COMPLAINT
        where = ["c.complaint = 0", f"c.id = ({LATEST_CLASSIFICATION})", *where]
        if plan == "ask":
            source += " cross join mentions_fts f on f.rowid = m.id"
            where.append("mentions_fts match ?")
            params.append(text)
        elif plan == "set":  # "+": check each against the set, never walk the set
            where.append("+m.id in (select rowid from mentions_fts where mentions_fts match ?)")
            params.append(text)
    sql = _SELECT + ", null" + source + " where " + " and ".join(where)
    sql += " order by c.complaint_score desc, c.id"
    if query.limit is not None:
        sql += " limit ?"
        params.append(query.limit)
    return sql, params


def _csv_cell(name: str) -> str:
    """SQL for the CSV cell of column ``name``: a text quoted, its quotes doubled."""
    if name in _NUMBERS:
        return f"ifnull({name}, '')"
    value = f"replace({name}, '\"', '\"\"')"
    if name in WRITER_FIELDS:
        starts = ", ".join(f"char({ord(c)})" for c in FORMULA_STARTS)
        value = f"(case when substr({name}, 1, 1) in ({starts}) then '''' else '' end) || {value}"
    return f"ifnull('\"' || {value} || '\"', '')"


def _hit(row: tuple[Any, ...]) -> MentionHit:
    (mid, platform, author, created, reach, brand, text, url) = row[:8]
    (complaint, score, sentiment, complaint_id, status, priority, category, rank) = row[8:16]
    return MentionHit(
        id=mid,
        platform=platform,
        author=author,
        created_at=parse_iso(created),
        reach=reach or 0,
        brand=brand,
        text=text,
        url=url,
        complaint=None if complaint is None else bool(complaint),
        complaint_score=score,
        sentiment=sentiment,
        complaint_id=complaint_id,
        status=status,
        priority=priority,
        category=category,
        relevance=rank,
    )
