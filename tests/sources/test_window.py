"""The newest-first window cursor: inclusive lower bounds, same-time ids, capped gaps."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sources.window import Bound, Window, advance, scan

Item = tuple[float, str]  # (time, id)


def pages_of(items: list[Item], size: int):
    """A server: newest first, the bounds inclusive, ``size`` a page."""

    def pages(low: Bound | None, high: Bound | None) -> Iterator[Sequence[Item]]:
        chosen = sorted(
            (
                i
                for i in items
                if (low is None or i[0] >= low.key) and (high is None or i[0] <= high.key)
            ),
            reverse=True,
        )
        for at in range(0, len(chosen), size):
            yield chosen[at : at + size]

    return pages


def read(window: Window, items: list[Item], size: int = 3, max_pages: int = 2) -> list[str]:
    got = advance(
        window, pages_of(items, size), lambda i: i[0], lambda i: i[1], start=0, max_pages=max_pages
    )
    return [i[1] for i in got]


def test_same_time_items_are_neither_lost_nor_repeated() -> None:
    items: list[Item] = [(10, "a")]
    window = Window()
    assert read(window, items) == ["a"]
    items.append((10, "b"))  # same second as the floor
    assert read(window, items) == ["b"]
    assert read(window, items) == []
    assert window.floor == Bound(10, ["a", "b"])


def test_a_capped_scan_leaves_a_gap_read_first_next_time() -> None:
    items: list[Item] = [(float(t), f"i{t}") for t in range(1, 11)]
    window = Window()
    first = read(window, items)
    assert first == ["i10", "i9", "i8", "i7", "i6", "i5"] and window.gap_high == Bound(5, ["i5"])
    items.append((11.0, "new"))
    second = read(window, items)
    assert second == ["i4", "i3", "i2", "i1"]  # the gap; newer items wait for the next poll
    assert read(window, items) == ["new"]
    assert read(window, items) == []


def test_the_cursor_survives_a_round_trip_and_garbage_starts_fresh() -> None:
    window = Window(Bound(5, ["x"]), Bound(3, ["y"]), Bound(1, []))
    assert Window.load(window.dump()) == window
    assert Window.load("not json") == Window() == Window.load('["a list"]')


def test_scan_stops_at_the_first_item_older_than_the_floor() -> None:
    fetched: list[int] = []

    def pages() -> Iterator[Sequence[Item]]:
        for n, page in enumerate([[(9, "a"), (8, "b")], [(4, "c")], [(3, "d")]]):
            fetched.append(n)
            yield page

    found = scan(pages(), lambda i: i[0], lambda i: i[1], Bound(5), None, max_pages=10)
    assert [i[1] for i in found.items] == ["a", "b"] and found.complete
    assert fetched == [0, 1]  # the third page is never fetched
