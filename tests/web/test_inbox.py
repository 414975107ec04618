"""The inbox list over HTTP: most urgent first, filters, search, and its refresh."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from monitor import act
from tests.web.conftest import open_complaint


def ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/c/(\d+)">', page)]


def test_open_complaints_most_urgent_first_overdue_marked(inbox):
    with inbox.store() as store:
        p2_late = open_complaint(store, "1", level="P2", due_in=timedelta(minutes=-30))
        p1 = open_complaint(store, "2", level="P1", author="bob")
        p2 = open_complaint(store, "3", level="P2", author="cy", due_in=timedelta(hours=2))
        done = open_complaint(store, "4", level="P1", author="di")
        act.mark_not_a_complaint(store, done, by="Dana Kim", now=datetime.now(UTC))
    inbox.login()
    page = inbox.client.get("/").text
    assert ids(page) == [p1, p2_late, p2]
    assert re.search(r'class="overdue">⚠ due overdue 3\d min', page)
    assert ids(inbox.client.get("/?status=resolved").text) == [done]
    assert set(ids(inbox.client.get("/?status=all").text)) == {p1, p2, p2_late, done}


def test_filters_and_search(inbox):
    with inbox.store() as store:
        refund = open_complaint(store, "1", text="@acme I want a refund for the kettle")
        lee = open_complaint(store, "2", author="bob", assignee="Lee Park", level="P1")
        open_complaint(store, "3", author="cy", text="@acme the lid broke")
    inbox.login()
    assert ids(inbox.client.get("/?q=refund").text) == [refund]
    assert ids(inbox.client.get("/?q=refund OR").text) == []  # words, never FTS syntax
    assert ids(inbox.client.get("/?owner=Lee+Park").text) == [lee]
    assert lee not in ids(inbox.client.get("/?owner=mine").text)
    assert ids(inbox.client.get("/?priority=P1").text) == [lee]
    assert len(ids(inbox.client.get("/?platform=x&brand=Acme").text)) == 3
    assert ids(inbox.client.get("/?brand=Other").text) == []
    assert inbox.client.get("/?status=bogus&priority=P9&page=x").status_code == 200


def test_pages_of_fifty(inbox):
    with inbox.store() as store:
        for n in range(55):
            open_complaint(store, str(n), author=f"user{n}")
    inbox.login()
    first = inbox.client.get("/").text
    assert len(ids(first)) == 50 and 'href="/?page=1">Next' in first
    assert len(ids(inbox.client.get("/?page=1").text)) == 5


def test_the_refresh_mark_changes_when_a_complaint_does(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    inbox.login()
    before = inbox.client.get("/inbox/mark").json()["mark"]
    with inbox.store() as store:
        act.acknowledge(store, cid, by="Lee Park", now=datetime.now(UTC))
    assert inbox.client.get("/inbox/mark").json()["mark"] > before
    fragment = inbox.client.get("/?fragment=1").text
    assert fragment.startswith('<ol class="rows"') and "acknowledged by Lee Park" in fragment
    assert "<html" not in fragment


def test_the_inbox_page_is_light(inbox):
    with inbox.store() as store:
        for n in range(50):
            open_complaint(store, str(n), author=f"user{n}", text="@acme " + "word " * 60)
    inbox.login()
    page = inbox.client.get("/")
    css = inbox.client.get(re.search(r'href="(/static/app\.css[^"]+)"', page.text).group(1))
    js = inbox.client.get(re.search(r'src="(/static/app\.js[^"]+)"', page.text).group(1))
    assert css.status_code == js.status_code == 200
    assert len(page.content) + len(css.content) + len(js.content) < 100_000


class _Controls(HTMLParser):
    """Form controls, the ids labels point at, images and the page's language."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.images: list[dict[str, str | None]] = []
        self.lang: str | None = None
        self.in_label = 0  # a control inside <label>…</label> is named by it

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        elif tag == "label":
            self.in_label += 1
            if found.get("for"):
                self.labelled.add(found["for"] or "")
        elif tag == "img":
            self.images.append(found)
        elif tag in ("input", "select", "textarea") and found.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append({**found, "wrapped": "yes" if self.in_label else None})


def test_every_control_has_a_label_and_the_pages_say_their_language(inbox):
    """What a screen reader needs: each field named by a <label for> or aria-label,
    images described, the language declared, and a skip link to the content."""
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    inbox.login()
    for path in ("/", f"/c/{cid}"):
        page = inbox.client.get(path).text
        seen = _Controls()
        seen.feed(page)
        assert seen.lang == "en", path
        assert seen.controls, path  # the parser sees the forms
        unnamed = [
            c
            for c in seen.controls
            if not (c.get("aria-label") or c.get("wrapped") or c.get("id") in seen.labelled)
        ]
        assert unnamed == [], (path, unnamed)
        assert all(img.get("alt") is not None for img in seen.images), path
        assert 'class="skip"' in page, path
