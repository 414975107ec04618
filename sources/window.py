"""The cursor of a newest-first search whose lower bound is inclusive.

Bluesky's ``since``, Hacker News' ``created_at_i>=`` and Mastodon's search
``min_id`` (turned into a time by the server) all answer newest first from a lower
bound that returns the last item seen again. So a cursor here is a *time* and the
ids already read at exactly that time (``Bound``), never an id alone; and a poll
that stops at its page cap leaves a gap (the unread middle, between the oldest item
it read and the previous floor) that the next poll reads first, so nothing is
skipped and nothing is read twice.

Each source supplies ``pages(low, high)``: a lazy iterator of pages, newest first,
covering ``[low.key, high.key]`` (either end open when None); the scan filters the
bounds exactly, so a server may answer a little more than asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(slots=True)
class Bound:
    key: float  # a sort time, seconds since the epoch
    ids: list[str] = field(default_factory=list)  # items at exactly ``key`` already read

    def holds(self, key: float, ident: str) -> bool:
        return key == self.key and ident in self.ids


@dataclass(slots=True)
class Window:
    floor: Bound | None = None  # everything at or before it is read
    gap_high: Bound | None = None  # a capped poll's oldest item: (gap_low, gap_high) is unread
    gap_low: Bound | None = None

    @classmethod
    def load(cls, cursor: str | None) -> Window:
        def bound(value: object) -> Bound | None:
            if not isinstance(value, dict) or not isinstance(value.get("key"), int | float):
                return None
            return Bound(float(value["key"]), [str(i) for i in value.get("ids", [])])

        try:
            data = json.loads(cursor) if cursor else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(
            bound(data.get("floor")), bound(data.get("gap_high")), bound(data.get("gap_low"))
        )

    def dump(self) -> str:
        data = {
            name: {"key": b.key, "ids": b.ids}
            for name, b in (("floor", self.floor), ("gap_high", self.gap_high))
            if b is not None
        }
        if self.gap_high is not None and self.gap_low is not None:
            data["gap_low"] = {"key": self.gap_low.key, "ids": self.gap_low.ids}
        return json.dumps(data, sort_keys=True)


@dataclass(slots=True)
class Scan(Generic[T]):
    items: list[T] = field(default_factory=list)
    newest: Bound | None = None
    oldest: Bound | None = None
    complete: bool = False  # reached the lower bound or the end of the results


Pages = Callable[[Bound | None, Bound | None], Iterable[Sequence[T]]]


def scan(
    pages: Iterable[Sequence[T]],
    key: Callable[[T], float],
    ident: Callable[[T], str],
    low: Bound | None,
    high: Bound | None,
    max_pages: int,
) -> Scan[T]:
    """Read newest first, keeping items in ``[low, high]`` not read before, for at
    most ``max_pages`` pages; stop at the first item older than ``low``."""
    result: Scan[T] = Scan()
    used = 0
    for page in pages:
        used += 1
        for item in page:
            k, i = key(item), ident(item)
            if low is not None and k < low.key:
                result.complete = True
                return result
            if (low is not None and low.holds(k, i)) or (
                high is not None and (k > high.key or high.holds(k, i))
            ):
                continue
            result.items.append(item)
            result.newest = _extend(result.newest, k, i, newer=True)
            result.oldest = _extend(result.oldest, k, i, newer=False)
        if used >= max_pages:
            return result
    result.complete = True
    return result


def _extend(bound: Bound | None, key: float, ident: str, *, newer: bool) -> Bound:
    if bound is None or (key > bound.key if newer else key < bound.key):
        return Bound(key, [ident])
    if key == bound.key:
        bound.ids.append(ident)
    return bound


def advance(
    window: Window,
    pages: Pages[T],
    key: Callable[[T], float],
    ident: Callable[[T], str],
    *,
    start: float,
    max_pages: int,
) -> list[T]:
    """New items since ``window`` (from ``start`` for a new one), updating it in place:
    an open gap is read first; a scan cut by the cap leaves one."""
    if window.floor is None:
        window.floor = Bound(start)
    read: list[T] = []
    if window.gap_high is not None:
        low, high = window.gap_low, window.gap_high
        gap = scan(pages(low, high), key, ident, low, high, max_pages)
        read += gap.items
        if not gap.complete and gap.oldest is not None:
            window.gap_high = _merged(gap.oldest, window.gap_high)
            return read
        window.gap_high = window.gap_low = None
    fresh = scan(pages(window.floor, None), key, ident, window.floor, None, max_pages)
    read += fresh.items
    if not fresh.complete and fresh.oldest is not None:
        window.gap_high, window.gap_low = fresh.oldest, window.floor
    if fresh.newest is not None:
        window.floor = _merged(fresh.newest, window.floor)
    return read


def _merged(new: Bound, old: Bound) -> Bound:
    """``new``, with ``old``'s ids too when both are the same time."""
    if new.key == old.key:
        return Bound(new.key, list(dict.fromkeys([*old.ids, *new.ids])))
    return new
