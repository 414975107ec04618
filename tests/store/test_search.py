"""Searching mentions: FTS5 syntax, its literal fallback, every filter, both plans."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

import monitor.store.search as search
from monitor.store import Store
from monitor.store.search import MentionFilter, MentionQuery, SearchError, literal_query
from tests.store.conftest import NOW, Post, fill


def ids(store: Store, text: str | None = None, **filters) -> list[int]:
    order = filters.pop("order", "time")
    limit = filters.pop("limit", 50)
    query = MentionQuery(text=text, filters=MentionFilter(**filters), order=order, limit=limit)
    return [hit.id for hit in store.search(query).hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("refund", [6, 2, 1]),  # stemmed: "refunding" is found too
        ("refund OR kettle", [8, 6, 5, 4, 2, 1]),
        ("refund NOT late", [6, 2]),
        ('"lid of my kettle"', [4]),
        ('"kettle lid"', []),  # a phrase is the words in that order, not both anywhere
        ("kett*", [8, 5, 4]),
        ("refu*", [6, 2, 1]),
        ("(refund OR kettle) AND broke*", [5, 4]),
        ("NEAR(kettle broke, 2)", [4]),
    ],
)
def test_fts5_syntax_is_searched_as_written(filled: Store, text: str, expected: list[int]):
    found = filled.search(MentionQuery(text=text))
    assert found.literal_because is None
    assert [hit.id for hit in found.hits] == expected


@pytest.mark.parametrize("text", ['refund OR "', "order 1234 -late", "refund: late", "@acme("])
def test_a_query_that_is_not_fts5_is_searched_as_plain_words_and_says_so(filled, text):
    found = filled.search(MentionQuery(text=text))
    assert found.literal_because  # SQLite's reason, for the message
    expected = [h.id for h in filled.search(MentionQuery(text=literal_query(text))).hits]
    assert [hit.id for hit in found.hits] == expected


def test_the_literal_fallback_finds_what_the_words_say(filled):
    found = filled.search(MentionQuery(text="order 1234 -late"))
    assert found.literal_because and [h.id for h in found.hits] == []  # "-late" is a word here
    found = filled.search(MentionQuery(text="refund: order"))
    assert found.literal_because and [h.id for h in found.hits] == [2]


def test_nothing_to_search_for_is_refused():
    with pytest.raises(SearchError):
        literal_query("   ")


def test_blank_text_lists_every_mention_newest_stored_first(filled):
    assert ids(filled, "  ") == [8, 7, 6, 5, 4, 3, 2, 1]
    assert ids(filled, None, limit=3) == [8, 7, 6]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"platform": "reddit"}, [5, 3]),
        ({"brand": "Globex"}, [7, 3]),
        ({"author": "SAM"}, [2]),
        ({"author": "@sam"}, [2]),
        ({"min_reach": 1000}, [3]),
        ({"since": NOW - timedelta(hours=4)}, [2, 1]),
        ({"until": NOW - timedelta(hours=100)}, [8, 7]),
        ({"complaints_only": True}, [5, 4, 2, 1]),
        ({"status": "new"}, [2]),
        ({"status": "resolved"}, [4]),
        ({"priority": "P1"}, [2]),
        ({"category": "refund"}, [2, 1]),
        ({"category": "refund", "status": "paged"}, [1]),
    ],
)
def test_each_filter_narrows_a_listing_and_a_search(filled, filters, expected):
    assert ids(filled, None, **filters) == expected
    words = "refund OR kettle OR love OR late OR kettles"
    everything = set(ids(filled, words))
    assert ids(filled, words, **filters) == [i for i in expected if i in everything]


def test_both_plans_give_the_same_rows(filled, monkeypatch):
    """The index-driven plan out of time at once: the filters-driven one answers, in
    windows of one kept mention or more, each checked by reading the matches in its
    range or by asking about each mention."""
    cases = [
        ("refund OR kettle", {"complaints_only": True}),
        ("kett*", {"platform": "reddit"}),
        ("refund", {"author": "sam"}),
        ("late", {"since": NOW - timedelta(days=30)}),
        ("order OR kettle OR love", {"min_reach": 0}),
        ("refund OR kettle OR late", {"category": "refund"}),
    ]
    expected = [ids(filled, text, **filters) for text, filters in cases]
    limited = [ids(filled, text, limit=1, **filters) for text, filters in cases]
    monkeypatch.setattr(search, "INDEX_FIRST_BUDGET", 0.0)
    monkeypatch.setattr(search, "FIRST_WINDOW", 1)
    for per_question in (0, 10**9):  # always ask, always read the range
        monkeypatch.setattr(search, "MATCHES_PER_QUESTION", per_question)
        assert [ids(filled, text, **filters) for text, filters in cases] == expected
        assert [ids(filled, text, limit=1, **filters) for text, filters in cases] == limited
    assert all(expected[:4]) and all(len(rows) == 1 for rows in limited[:4])


def test_relevance_puts_the_best_match_first(filled):
    """bm25: the short post that is all about kettles beats the one that mentions one."""
    hits = filled.search(MentionQuery(text="kettle*", order="relevance")).hits
    assert hits[0].id == 8
    scores = [h.relevance for h in hits]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)


def test_near_misses_are_the_closest_calls_first(filled):
    hits = filled.search(MentionQuery(filters=MentionFilter(near_misses=True))).hits
    assert [h.id for h in hits] == [6, 7, 3]  # 0.45, 0.3, 0.1; unjudged ones not at all
    assert [h.id for h in filled.search_mentions(near_misses=True, limit=1)] == [6]
    assert ids(filled, "refu*", near_misses=True) == [6]


def test_every_near_miss_plan_gives_the_same_rows(filled, monkeypatch):
    """Walking the matches, or the near misses by score asking about each or checking
    a set of the matches, or running out of time and walking the matches after all."""
    cases = ["refu*", "late OR refunding OR love", "kettle*", "grinder"]
    expected = [ids(filled, text, near_misses=True) for text in cases]
    assert expected[:2] == [[6], [6, 7, 3]]
    monkeypatch.setattr(search, "NEAR_MISS_MATCHES_FIRST", 0)
    for per_question, budget in ((0, 10.0), (10**9, 10.0), (0, 0.0)):  # ask, set, out of time
        monkeypatch.setattr(search, "MATCHES_PER_QUESTION", per_question)
        monkeypatch.setattr(search, "NEAR_MISS_BUDGET", budget)
        assert [ids(filled, text, near_misses=True) for text in cases] == expected


def test_a_hit_carries_its_judgement_and_complaint(filled):
    [hit] = filled.search(MentionQuery(text="order", limit=1)).hits
    assert (hit.complaint, hit.complaint_score, hit.sentiment) == (True, 0.8, "negative")
    assert (hit.status, hit.priority, hit.category) == ("new", "P1", "refund")
    assert hit.complaint_id is not None
    [unjudged] = filled.search(MentionQuery(text="old")).hits
    assert unjudged.complaint is None and unjudged.complaint_id is None


def test_iter_mentions_streams_every_match_and_falls_back_too(filled):
    every = list(filled.iter_mentions(MentionQuery(limit=None)))
    assert [h.id for h in every] == [8, 7, 6, 5, 4, 3, 2, 1]
    bad = list(filled.iter_mentions(MentionQuery(text='refund OR "', limit=None)))
    assert bad == []  # the words "refund", "OR" and '"' are in no post together
    filtered = MentionQuery(text="kett*", filters=MentionFilter(platform="reddit"), limit=None)
    assert [h.id for h in filled.iter_mentions(filtered)] == [5]


HOSTILE = (
    Post('say "hi", then\nleave', author="-rm"),
    Post("=1+1\r\n@once", author="@sam, jr", score=None),
    Post('\tplain, "quoted"', author="+plus", complaint="paged", score=0.123456789),
    Post("safe words", author="dana"),
)


def test_csv_lines_read_back_as_the_rows_with_formulas_defused(tmp_path):
    store = Store.open(tmp_path / "amends.db")
    fill(store, HOSTILE)
    every = MentionQuery(limit=None)
    rows = list(store.mention_rows(every))
    lines = list(store.mention_csv_lines(every))
    read = list(csv.reader(io.StringIO("".join(line + "\n" for line in lines))))
    assert len(read) == len(rows) == 4
    author, text = search.ROW_FIELDS.index("author"), search.ROW_FIELDS.index("text")
    for row, cells in zip(rows, read, strict=True):
        expected = ["" if value is None else str(value) for value in row[:-1]]
        for i in (author, text):
            expected[i] = "'" + expected[i] if row[i][0] in "=+-@\t\r" else row[i]
        score = search.ROW_FIELDS.index("complaint_score")
        if row[score] is not None:  # SQLite's 15 digits, not Python's repr
            assert float(cells[score]) == pytest.approx(row[score])
            cells[score] = expected[score]
        assert cells == expected
    assert read[-1][author] == "'-rm" and read[-1][text] == 'say "hi", then\nleave'
    assert read[0][author] == "dana"
    store.close()
