"""Pages are safe to read however hostile the post: e-mail (via the same
Markdown-to-HTML conversion apprise applies) and SMS."""

from __future__ import annotations

import re
import time
import unicodedata
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from apprise.conversion.format import markdown_to_html

from monitor.core.models import Draft, Finding, Priority
from monitor.page.render import (
    PageContent,
    RelatedItem,
    clean_text,
    platform_link,
    render_email,
    render_sms,
)

POST_URL = "https://x.com/dana/status/1790000000000000000"
EVIL = re.compile(r"evil\.example|javascript:|vbscript:|data:text", re.IGNORECASE)
LINKABLE = re.compile(r"\b[a-z][a-z0-9+.-]*://|\bwww\.|\b[\w-]+\.(?:example|com|net|org)\b", re.I)
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad\U000e0000-\U000e007f]")

HOSTILE = {
    "script": "<script>alert(document.cookie)</script> my order never came",
    "img-onerror": '<img src=x onerror="alert(1)"> where is my parcel',
    "md-link": "[click here to claim a refund](http://evil.example/login)",
    "md-image": "![pixel](https://evil.example/track.png)",
    "js-link": "[Acknowledge](javascript:alert(1)) or javascript:alert(1) or JaVaScRiPt :x",
    "html-link": "<a href='https://evil.example/ack'>Acknowledge</a>",
    "autolink": "<https://evil.example> and https://evil.example/a and www.evil.example",
    "ref-link": "see [this][1]\n\n[1]: http://evil.example/x",
    "hidden": "<span style='display:none'>secret</span><!-- comment --> visible",
    "crlf-header": "hi\r\nSubject: you won\r\nBcc: all@evil.example\r\n\r\nbody",
    "headings": "# URGENT\nsetext\n===\n---\n> quoted\n1. list\n- item\n    code",
    "bidi": "invoice \u202egnp.exe\u202c and \u2066isolate\u2069 done",
    "zero-width": "ev\u200bil\u200d.\ufeffexample and tag\U000e0041chars",
    "entities": "&#106;avascript:alert(1) &lt;b&gt; &amp;",
    "fullwidth": "ｊａｖａｓｃｒｉｐｔ:alert(1) ｅｖｉｌ．ｅｘａｍｐｌｅ",
    "table": "| a | b |\n|---|---|\n| <b>x</b> | y |",
    "zalgo": "z\u0301\u0302\u0303\u0304\u0305\u0306a\u0307\u0308\u0309\u030a\u030blgo",
    "controls": "bell\x07 esc\x1b[31mred\x1b[0m nul\x00 del\x7f",
}


class Html(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.tags.append(("!--", {}))


def content(text: str, **changes: object) -> PageContent:
    values: dict[str, object] = dict(
        complaint_id=42,
        kind="page",
        priority=Priority(level="P1", reasons=("safety cue", "48k followers")),
        platform="x",
        author="dana",
        category_label="delivery",
        text=text,
        url=POST_URL,
        reach=48_210,
        draft=Draft(
            category="delivery",
            public_reply="Sorry Dana, that's not the service we promise. We're on it now.",
            followup=["Find order 1234 and its courier", "Offer a refund"],
            due_minutes=30,
        ),
        due_at=datetime(2026, 11, 23, 14, 30, tzinfo=UTC),
        assignee="Dana Lee",
    )
    values.update(changes)
    return PageContent(**values)  # type: ignore[arg-type]


def assert_safe_html(body: str, allowed_links: set[str]) -> Html:
    page = Html(markdown_to_html(body))
    allowed = {"p", "blockquote", "strong", "em", "code", "ol", "ul", "li", "br", "a"}
    for tag, attrs in page.tags:
        assert tag in allowed, f"unexpected <{tag}> in page"
        if tag == "a":
            assert set(attrs) == {"href"} and attrs["href"] in allowed_links
        else:
            assert attrs == {}, f"<{tag}> has attributes {attrs}"
    text = "".join(page.text)
    assert not EVIL.search(text), text
    assert not INVISIBLE.search(text)
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in text)
    return page


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_post_is_inert_in_email(name: str) -> None:
    rendered = render_email(content(HOSTILE[name]))
    page = assert_safe_html(rendered.body, {POST_URL})
    assert [a for t, a in page.tags if t == "a"] == [{"href": POST_URL}]
    # No heading and no list came from the post: the only list is the follow-up.
    assert sum(1 for t, _ in page.tags if t == "li") == 2
    assert "\n" not in rendered.title and "\r" not in rendered.title


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_post_is_inert_in_sms(name: str) -> None:
    body = render_sms(content(HOSTILE[name]), 300).body
    assert len(body) <= 300
    assert body.count(POST_URL) == 1
    assert not LINKABLE.search(body.replace(POST_URL, "")), body  # the post link only
    assert not EVIL.search(body)
    assert not INVISIBLE.search(body)
    assert "\r" not in body
    assert not any(unicodedata.category(c) == "Cc" and c != "\n" for c in body)


def test_post_words_are_still_readable() -> None:
    body = render_email(content(HOSTILE["script"])).body
    text = "".join(Html(markdown_to_html(body)).text)
    # Anything that looks like a domain is defanged, even "document.cookie".
    assert "<script>alert(document[.]cookie)</script> my order never came" in text
    entities = "".join(Html(markdown_to_html(render_email(content("&#106; &amp;")).body)).text)
    assert "&#106; &amp;" in entities
    sms = render_sms(content("my order never came, third time this month"), 300).body
    assert '"my order never came, third time this month"' in sms


def test_crlf_in_author_and_category_cannot_make_header_lines() -> None:
    page = content(
        "x", author="dana\r\nBcc: all@evil.example", category_label="billing\nX-Spam: no"
    )
    title = render_email(page).title
    assert "\n" not in title and "\r" not in title
    assert title.startswith("[P1] X @dana")
    assert not EVIL.search(title)


def test_header_injection_does_not_reach_smtp(smtp_server) -> None:  # type: ignore[no-untyped-def]
    from notifiers import AppriseNotifier, OutgoingMessage

    page = content(HOSTILE["crlf-header"], author="dana\r\nBcc: all@evil.example")
    rendered = render_email(page)
    message = OutgoingMessage(url=smtp_server.url(), title=rendered.title, body=rendered.body)
    assert AppriseNotifier(timeout=10).send(message).ok
    [mail] = smtp_server.messages
    assert mail["Bcc"] is None and mail["X-Spam"] is None
    assert smtp_server.envelopes[0][1] == ["dana@example.com"]
    assert mail["Subject"] == rendered.title


def test_huge_post_is_cut_and_says_so() -> None:
    text = ("where is my order " * 6000)[:100_000]
    started = time.monotonic()
    email = render_email(content(text))
    sms = render_sms(content(text), 160)
    assert time.monotonic() - started < 1.0
    quote = "\n".join(line for line in email.body.splitlines() if line.startswith(">"))
    assert len(quote) < 1_200
    assert "cut: 100,000 characters in all" in email.body
    assert len(sms.body) <= 160 and "…" in sms.body


def test_huge_invisible_padding_still_says_cut() -> None:
    text = "\u200b" * 100_000 + "hidden tail"
    cleaned = clean_text(text, 1000)
    assert "cut" in cleaned and "hidden tail" not in cleaned


@pytest.mark.parametrize("limit", [1, 5, 20, 60, 61, 200, 1000])
def test_clean_text_respects_its_limit(limit: int) -> None:
    for text in ("a" * 5000, "word " * 1000, "évil.example " * 300, "\u202e" * 10 + "x" * 999):
        assert len(clean_text(text, limit)) <= limit
    assert clean_text("short and sweet", limit) == "short and sweet"[:limit] or limit < 15


def test_clean_text_leaves_ordinary_text_alone() -> None:
    assert clean_text("Order 1234 is late. Again!", 100) == "Order 1234 is late. Again!"
    assert clean_text("café ☕ 👍", 100) == "café ☕ 👍"
    assert clean_text("line one\r\nline two", 100) == "line one\nline two"


@pytest.mark.parametrize("max_chars", [60, 80, 100, 160, 300, 1000])
def test_sms_cap_holds_for_every_part(max_chars: int) -> None:
    long_url = "https://www.reddit.com/r/acme/comments/1abcde/" + "a_very_long_title_" * 8
    pages = [
        content("x" * 5000),
        content("x", author="a" * 300, category_label="c" * 300),
        content("y", platform="reddit", url=long_url),
        content(HOSTILE["zalgo"] * 50, kind="escalation"),
        content("z", kind="incident", headline="h" * 500),
    ]
    for page in pages:
        body = render_sms(page, max_chars).body
        assert 0 < len(body) <= max_chars
        assert render_sms(page, max_chars).title == ""


def test_sms_keeps_link_and_ack_when_there_is_room() -> None:
    body = render_sms(content("my order never came"), 300).body
    assert body.splitlines()[0] == "[P1] X @dana - delivery"
    assert POST_URL in body and "amends ack 42" in body and "Due 14:30 UTC" in body


def test_findings_are_shown_never_silently_dropped() -> None:
    draft = Draft(
        category="delivery",
        public_reply="We apologise if you feel let down.",
        followup=["Refund"],
        due_minutes=30,
        checks=[
            Finding(code="fauxpology", message="apologises for feelings, not the problem"),
            Finding(code="no-name", message="doesn't use the customer's name"),
        ],
    )
    email = render_email(content("late", draft=draft)).body
    assert "⚠ **check before posting:**" in email
    assert "apologises for feelings, not the problem" in email
    assert "doesn't use the customer's name" in email
    assert "CHECK DRAFT" in render_sms(content("late", draft=draft), 160).body
    clean = render_email(content("late")).body
    assert "⚠" not in clean and "CHECK DRAFT" not in render_sms(content("late"), 160).body


def test_reply_keeps_its_support_link_but_followup_is_defanged() -> None:
    draft = Draft(
        category="billing",
        public_reply="Sorry! Details at https://acme.com/help [here](javascript:alert(1))",
        followup=["# step <b>one</b>", "Known so far: [x](http://evil.example) javascript:x()"],
        due_minutes=30,
    )
    body = render_email(content("x", draft=draft)).body
    page = assert_safe_html(body, {POST_URL})
    text = "".join(page.text)
    assert "Details at https://acme.com/help [here](javascript[:]alert(1))" in text
    assert "# step <b>one</b>" in text
    assert "Known so far: [x](http[:]//evil[.]example) javascript[:]x()" in text


def test_page_shows_why_due_assignee_and_ack() -> None:
    email = render_email(content("late", timezone="Europe/London")).body
    assert "**Why flagged:** safety cue, 48k followers" in email
    assert "14:30 GMT" in email and "Dana Lee" in email
    assert "`amends ack 42`" in email
    assert render_email(content("late")).title == "[P1] X @dana · delivery"


def test_escalation_and_reminder_titles() -> None:
    assert render_email(content("x", kind="escalation")).title.startswith("[P1] Escalated: ")
    assert render_email(content("x", kind="reminder")).title.startswith("[P1] Reminder: ")
    reddit = content("x", platform="reddit", author="u/sam", url="https://www.reddit.com/r/a/")
    assert render_email(reddit).title == "[P1] Reddit u/sam · delivery"


def test_related_items_are_escaped_and_only_platform_links_kept() -> None:
    related = [
        RelatedItem(complaint_id=7, author="lee", text=HOSTILE["md-link"], url=POST_URL + "1"),
        RelatedItem(complaint_id=8, author="kim", text="<b>bold</b>", url="https://evil.example/"),
        RelatedItem(complaint_id=-1, author="sam", text="no ack for me", url=""),
    ]
    page = content("first", kind="incident", related=related, headline="3 complaints in 10 min")
    email = render_email(page)
    html = assert_safe_html(email.body, {POST_URL, POST_URL + "1"})
    assert email.title == "[P1] Incident: 3 complaints in 10 min"
    assert "`amends ack 7`" in email.body and "`amends ack 8`" in email.body
    assert "amends ack -1" not in email.body
    assert "<b>bold</b>" in "".join(html.text)


def test_digest_lists_items_without_single_ack() -> None:
    related = [RelatedItem(complaint_id=i, author=f"u{i}", text=f"t{i}") for i in range(1, 30)]
    page = content("", kind="digest", complaint_id=0, related=related, headline="29 complaints")
    email = render_email(page)
    assert email.title == "Digest: 29 complaints"
    assert "and 9 more" in email.body
    assert "Acknowledge with" not in email.body


def test_test_page() -> None:
    page = content("", kind="test", complaint_id=None, draft=None)
    assert render_email(page).title == "[test] amends test page"
    assert "Test page from amends" in render_email(page).body
    assert len(render_sms(page, 60).body) <= 60


@pytest.mark.parametrize(
    ("url", "platform", "ok"),
    [
        (POST_URL, "x", True),
        ("https://twitter.com/dana/status/1", "x", True),
        ("https://www.reddit.com/r/acme/comments/1abc/late/", "reddit", True),
        (POST_URL, "reddit", False),
        ("http://x.com/dana/status/1", "x", False),
        ("https://x.com.evil.example/dana", "x", False),
        ("https://x.com@evil.example/dana", "x", False),
        ("https://x.com:8443/dana", "x", False),
        ("javascript:alert(1)//x.com", "x", False),
        ("https://x.com/a)(b", "x", False),
        ("https://x.com/a b", "x", False),
        ("https://x.com/a\nb", "x", False),
        (POST_URL, "", True),
        (POST_URL, "mastodon", False),
    ],
)
def test_platform_link_validation(url: str, platform: str, ok: bool) -> None:
    assert (platform_link(url, platform) == url) is ok


def test_unverified_post_url_is_not_linked() -> None:
    email = render_email(content("x", url="https://evil.example/x"))
    assert_safe_html(email.body, set())
    assert "link is not shown" in email.body
    assert "evil" not in render_sms(content("x", url="https://evil.example/x"), 300).body


@pytest.mark.parametrize(
    ("platform", "display", "who", "reach"),
    [
        ("x", "X", "@dana", "(48,210 followers)"),
        ("reddit", "Reddit", "u/dana", "(48,210 karma)"),
        ("demo", "demo", "@dana", "(48,210 reach)"),
    ],
)
def test_handle_and_reach_are_written_the_platforms_way(
    platform: str, display: str, who: str, reach: str
):
    author = who.replace("@", "")  # "u/dana" on Reddit: a typed prefix is not doubled
    lead = render_email(content("late", platform=platform, author=author)).body.split("\n")[0]
    assert f"on {display} by {who} {reach}" in lead
