"""What a page says: one e-mail/push text in Markdown and one short SMS text.

Everything a post's author wrote is hostile input here. A responder must be able
to trust what a page shows: a post cannot add links, images, headings, fake
"Acknowledge" buttons, hidden or reordered text, or extra mail headers. So
every untrusted string goes through ``clean_text`` (control, zero-width and
bidi characters removed, web addresses defanged so no mail client links them,
length capped with a visible note) and then through Markdown escaping. The
only links a page carries are the mention's own post URL, only when it is an
https URL on that platform's host, and amends' own signed Acknowledge and Open
links for the page's recipient (``monitor.page.links``). Plain functions instead of a template
engine: each field's escaping is explicit and reviewable at its use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from monitor.core.models import Draft, Priority
from monitor.page.links import PageLinks

if TYPE_CHECKING:
    from monitor.core.platform import Platform


def platform_of(name: str) -> Platform:
    """``sources.platform``, imported on first use: the registry loads every source's
    settings (pydantic), which ``clean_text``'s users (the CLI's tables) do not need."""
    from sources import platform

    return platform(name)


PageKind = Literal["page", "escalation", "reminder", "incident", "digest", "test"]

EMAIL_TEXT_MAX = 1000  # characters of a post shown in an e-mail/push page
RELATED_TEXT_MAX = 160  # per post in a list of related complaints
RELATED_MAX = 20  # related complaints listed in one page; the rest are counted


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedItem:
    """Another complaint listed in a group, incident or digest page."""

    complaint_id: int | str
    author: str
    text: str
    url: str = ""
    platform: str = ""  # "" = take the platform from the URL's host
    priority: str = ""  # "P1".. or ""
    category_label: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PageContent:
    complaint_id: int | str | None
    kind: PageKind = "page"
    priority: Priority
    platform: str = ""
    author: str = ""
    category_label: str = ""
    text: str = ""  # the mention text: untrusted
    url: str = ""  # the mention's post URL: linked only if it is on the platform's host
    reach: int = 0
    draft: Draft | None = None
    due_at: datetime | None = None  # aware
    assignee: str | None = None
    related: Sequence[RelatedItem] = ()
    headline: str | None = None  # the pipeline's one-line summary for incident/digest/group
    timezone: str = "UTC"  # the recipient's, for the due time
    links: PageLinks | None = None  # one-tap links made for this page's recipient


@dataclass(frozen=True, slots=True)
class Rendered:
    title: str
    body: str


# --- cleaning untrusted text -----------------------------------------------------------

_NEWLINES = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # blank "letters"
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Schemes that make a link: web-like ones before "//", script ones even with
# spaces before the colon (some parsers forgive them), the rest when glued on.
_SCHEMES = (
    (re.compile(r"\b(https?|ftps?|wss?|file|intent|blob|about)\s*:\s*//", re.I), r"\1[:]//"),
    (re.compile(r"\b(javascript|vbscript|livescript)\s*:", re.I), r"\1[:]"),
    (re.compile(r"\b(data|mailto|tel|sms|callto|skype)\s*:(?=\S)", re.I), r"\1[:]"),
)
_DOMAIN = re.compile(r"\b((?:[^\W_][\w-]{0,62}[.\u3002]){1,8})([^\W\d_]{2,24})\b")
_WWW = re.compile(r"\bwww[.\u3002]", re.IGNORECASE)


def clean_text(text: str, limit: int, *, defang: bool = True) -> str:
    """``text`` made safe to show: at most ``limit`` characters, said so when cut.

    Removes control and format characters (zero-width, bidi overrides and
    isolates, tag characters), blank-looking letters and piles of combining
    marks; folds look-alike compatibility forms (full-width ``ｊａｖａｓｃｒｉｐｔ``);
    normalises line breaks to ``\\n``. With ``defang`` every web address and
    URL scheme is written so that no client turns it into a link
    (``evil[.]example``, ``javascript[:]``). The result is plain text: escape
    it for the format it goes into.
    """
    # Bound the work on a huge post first; what is cut is announced below.
    cut = len(text) > limit * 2 + 256
    work = text[: limit * 2 + 256] if cut else text
    work = unicodedata.normalize("NFKC", work)
    work = _NEWLINES.sub("\n", work)
    work = _drop_invisible(work)
    work = _SPACES.sub(" ", work)
    work = "\n".join(line.strip() for line in work.split("\n"))
    work = _BLANK_LINES.sub("\n\n", work).strip()
    if defang:
        work = defang_links(work)
    if not cut and len(work) <= limit:
        return work
    marker = f" … [cut: {len(text):,} characters in all]"
    if len(marker) * 2 > limit:
        marker = "…"
    room = max(limit - len(marker), 0)
    head = work[:room]
    space = head.rfind(" ", room - 20) if room > 40 else -1
    return (head[:space] if space > 0 else head).rstrip() + marker


def _drop_invisible(text: str) -> str:
    out: list[str] = []
    marks = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if ch == "\n":
            marks = 0
        elif ch == "\t":
            ch = " "
        elif cat in ("Cc", "Cf", "Cs", "Co", "Cn") or ch in _INVISIBLE_LETTERS:
            continue
        elif cat in ("Mn", "Me"):
            # Stacked combining marks ("zalgo") can paint over neighbouring lines.
            marks += 1
            if marks > 2:
                continue
        else:
            marks = 0
        out.append(ch)
    return "".join(out)


def defang_links(text: str, *, web: bool = True) -> str:
    """Write URLs and domain names so that no mail client or SMS app links them.

    With ``web=False`` only script and other non-web schemes (``javascript:``,
    ``data:``...) are defanged, for our own text that may carry a real link.
    """
    for pattern, replacement in _SCHEMES[0 if web else 1 :]:
        text = pattern.sub(replacement, text)
    if not web:
        return text
    text = _WWW.sub("www[.]", text)
    return _DOMAIN.sub(lambda m: re.sub(r"[.\u3002]", "[.]", m.group(1)) + m.group(2), text)


_MD_ANYWHERE = re.compile(r"([\\`*_{}\[\]()#<>|~!])")
_MD_LINE_START = re.compile(r"^([+\-=])|^(\d+)([.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Escape cleaned text so Markdown (and the HTML made from it) shows it literally."""
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    # "&" as an entity, not "\&": Python-Markdown turns "\&#106;" back into a
    # live character reference ("j"), which would let "&#106;avascript:" through.
    text = text.replace("&", "&amp;")
    return _MD_LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text
    )


def platform_link(url: str, platform: str = "") -> str | None:
    """``url`` if it is a plain https URL on ``platform``'s host (any known
    platform when ``platform`` is ""), else None."""
    if not url or len(url) > 500 or not re.fullmatch(r"[A-Za-z0-9\-._~/%?=&+:@,;!]+", url):
        return None
    parts = urlsplit(url)
    from sources import all_hosts

    hosts = platform_of(platform).hosts if platform else all_hosts()
    if parts.scheme != "https" or parts.username or parts.password or parts.port:
        return None
    return url if (parts.hostname or "") in hosts else None


# --- pieces shared by both formats -----------------------------------------------------


def author_handle(platform: str, author: str) -> str:
    """An author's name, cleaned, as their platform writes a handle ("@name")."""
    where = platform_of(platform)
    name = where.bare(re.sub(r"\s+", "", clean_text(author, 40, defang=False)))
    name = defang_links(name)[:40] or "unknown"
    return where.handle(name)


def _word(text: str, limit: int) -> str:
    return clean_text(text, limit).replace("\n", " ")


def _ack_id(complaint_id: int | str | None) -> str | None:
    text = str(complaint_id) if complaint_id is not None else ""
    # Ids in an `amends ack` command: digest (0) and incident (negative) rows have none.
    return text if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}", text) and text != "0" else None


def _due(content: PageContent, *, short: bool) -> str | None:
    if content.due_at is None:
        return None
    try:
        local = content.due_at.astimezone(ZoneInfo(content.timezone))
    except (ValueError, KeyError):
        local = content.due_at
    return local.strftime("%H:%M %Z" if short else "%H:%M %Z, %a %d %b")


def _display(platform: str) -> str:
    """The platform as people write it, from its descriptor; empty for none."""
    return platform_of(platform).display if platform else ""


def _subject(content: PageContent) -> str:
    platform = _word(_display(content.platform), 20) or "post"
    who = f"{platform} {author_handle(content.platform, content.author)}"
    category = _word(content.category_label, 40) or "complaint"
    level = content.priority.level
    headline = _word(content.headline or "", 100)
    if content.kind == "test":
        return "[test] amends test page"
    if content.kind == "digest":
        return f"Digest: {headline or f'{len(content.related)} open complaint(s)'}"
    if content.kind == "incident":
        return f"[{level}] Incident: {headline or category}"
    lead = {"escalation": "Escalated: ", "reminder": "Reminder: "}.get(content.kind, "")
    more = f" +{len(content.related)} more" if content.related else ""
    return f"[{level}] {lead}{who}{more} · {category}"


def _title(content: PageContent) -> str:
    # A title becomes an e-mail Subject: one line, nothing that could end it.
    return re.sub(r"\s+", " ", _subject(content)).strip()[:160]


# --- e-mail / push (Markdown) ----------------------------------------------------------


def render_email(content: PageContent) -> Rendered:
    blocks = [_email_lead(content)]
    if content.kind != "test" and (content.text or content.url):
        blocks += _email_mention(content)
    if content.priority.reasons and content.kind not in ("digest", "test"):
        reasons = ", ".join(md_escape(_word(r, 80)) for r in content.priority.reasons[:10])
        blocks.append(f"**Why flagged:** {reasons}")
    if content.draft is not None and content.kind not in ("digest", "test"):
        blocks += _email_draft(content.draft)
    if content.related:
        blocks += _email_related(content)
    blocks += _email_footer(content)
    return Rendered(title=_title(content), body="\n\n".join(b for b in blocks if b) + "\n")


def _email_lead(content: PageContent) -> str:
    level = content.priority.level
    category = md_escape(_word(content.category_label, 40) or "complaint")
    platform = md_escape(_word(_display(content.platform), 20) or "a platform")
    who = md_escape(author_handle(content.platform, content.author))
    reach_word = platform_of(content.platform).reach_word
    reach = f" ({content.reach:,} {reach_word})" if content.reach else ""
    headline = md_escape(_word(content.headline or "", 200))
    if content.kind == "test":
        return (
            "**Test page from amends.** If you can read this, this contact works. "
            "Nothing needs doing."
        )
    if content.kind == "digest":
        return f"**Digest:** {headline or 'open complaints waiting for an answer'}"
    if content.kind == "incident":
        return f"**Incident ({level} · {category}):** {headline or 'a spike of complaints'}"
    lead = {
        "escalation": "**Escalated: nobody has acknowledged this yet.** ",
        "reminder": "**Reminder: the follow-up is due.** ",
    }.get(content.kind, "")
    line = f"{lead}**{level} · {category}** on {platform} by {who}{reach}"
    return line + (f"\n\n{headline}" if headline else "")


def _email_mention(content: PageContent) -> list[str]:
    text = md_escape(clean_text(content.text, EMAIL_TEXT_MAX))
    quote = "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
    link = platform_link(content.url, content.platform)
    if link:
        where = md_escape(_word(_display(content.platform), 20))
        return [quote, f"[Open the post on {where}](<{link}>)"]
    if content.url:
        return [quote, "_The post's link is not shown: it does not point to the platform._"]
    return [quote]


def _email_draft(draft: Draft) -> list[str]:
    blocks = ["**Draft reply**"]
    if draft.checks:
        found = "; ".join(md_escape(_word(f.message, 200)) for f in draft.checks[:10])
        # A generic draft (uncertain category) says so first: it needs words, not a check.
        mark = "edit" if any(f.code == "edit-before-posting" for f in draft.checks) else "check"
        blocks.append(f"⚠ **{mark} before posting:** {found}")
    # The reply is meant to be posted as it stands, so a support link in it
    # must survive: only script schemes are defanged. It is still escaped, so
    # nothing in it renders as a link. Follow-up steps may quote the post
    # ("Known so far: ..."), so they are defanged like the post itself.
    reply = md_escape(defang_links(clean_text(draft.public_reply, 2000, defang=False), web=False))
    if reply:
        blocks.append("\n".join(f"> {line}" if line else ">" for line in reply.split("\n")))
    steps = [md_escape(_word(step, 300)) for step in draft.followup[:15]]
    if steps:
        blocks.append("**Follow-up**\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
    return blocks


def _email_related(content: PageContent) -> list[str]:
    lines = []
    for item in content.related[:RELATED_MAX]:
        who = md_escape(author_handle(item.platform or _platform_of(item.url), item.author))
        text = md_escape(_word(item.text, RELATED_TEXT_MAX))
        label = " · ".join(
            md_escape(_word(p, 40)) for p in (item.priority, item.category_label) if p
        )
        link = platform_link(item.url, item.platform)
        line = f"- {who}{f' ({label})' if label else ''}: “{text}”"
        line += f" [post](<{link}>)" if link else ""
        ack = _ack_id(item.complaint_id)
        lines.append(line + (f" · `amends ack {ack}`" if ack else ""))
    extra = len(content.related) - RELATED_MAX
    if extra > 0:
        lines.append(f"- … and {extra} more")
    title = (
        "**Complaints in this digest**" if content.kind == "digest" else "**Related complaints**"
    )
    return [title, "\n".join(lines)]


def _platform_of(url: str) -> str:
    from sources import PLATFORMS

    host = (urlsplit(url).hostname or "") if url else ""
    return next((name for name, p in PLATFORMS.items() if host in p.hosts), "")


def _email_footer(content: PageContent) -> list[str]:
    facts = []
    due = _due(content, short=False)
    if due and content.kind not in ("digest", "test"):
        facts.append(f"**Due:** {md_escape(due)}")
    if content.assignee and content.kind != "test":
        facts.append(f"**Assigned to:** {md_escape(_word(content.assignee, 60))}")
    blocks = [" · ".join(facts)] if facts else []
    ack = _ack_id(content.complaint_id)
    if ack and content.kind not in ("digest", "test"):
        if content.links is not None:
            # Our own links, never the post's: the post's text is escaped above.
            blocks.append(
                f"**[Acknowledge]({_md_link(content.links.acknowledge)})** · "
                f"[Open in the inbox]({_md_link(content.links.open)})"
            )
        blocks.append(
            f"Acknowledge with `amends ack {ack}` · not a complaint? "
            f"`amends resolve {ack} --not-a-complaint` (the classifier learns from it)"
        )
    return blocks


def _md_link(url: str) -> str:
    return f"<{url}>"


# --- SMS (plain text) ------------------------------------------------------------------


def render_sms(content: PageContent, max_chars: int) -> Rendered:
    """A short plain-text page whose body is at most ``max_chars`` characters.

    The title is empty on purpose: SMS gateways prepend a title to the body,
    which would break the cap. Fixed parts are ASCII so the text doesn't force
    a UCS-2 (70-character) SMS encoding; only the post's own words may.
    """
    head = _title(content).replace(" · ", " - ")
    quiet = content.kind in ("digest", "test")
    ack = _ack_id(content.complaint_id)
    due = _due(content, short=True)
    parts = {
        "link": platform_link(content.url, content.platform) or "",
        "due": f"Due {due}" if due and not quiet else "",
        "flag": _sms_flag(content.draft),
        "ack": f"Ack: amends ack {ack}" if ack and not quiet else "",
        "tap": "",
        "open": "",
    }
    if content.links is not None and parts["ack"]:
        # One link a line, so that phones make each a tap target.
        parts.update(
            ack="", tap=f"Ack: {content.links.acknowledge}", open=f"Open: {content.links.open}"
        )
    # Give up the least useful parts first until the fixed parts fit.
    for name in ("due", "flag", "open", "ack", "link", "tap"):
        if len(_sms(head, "", parts)) <= max_chars:
            break
        parts[name] = ""
    fixed = _sms(head, "", parts)
    room = max_chars - len(fixed) - 3  # a newline and two quotes
    words = ""
    if content.text and content.kind != "test" and room >= 16:
        words = '"' + clean_text(content.text, room).replace("\n", " ") + '"'
    # The last cut only bites when the title alone is longer than the cap.
    return Rendered(title="", body=_sms(head, words, parts)[:max_chars])


def _sms_flag(draft: Draft | None) -> str:
    if draft is None or not draft.checks:
        return ""
    generic = any(f.code == "edit-before-posting" for f in draft.checks)
    return f"{'EDIT' if generic else 'CHECK'} DRAFT before posting"


def _sms(head: str, words: str, parts: dict[str, str]) -> str:
    tail = "; ".join(p for p in (parts["due"], parts["ack"], parts["flag"]) if p)
    return _join([head, words, parts["link"], tail, parts["tap"], parts["open"]])


def _join(parts: Sequence[str]) -> str:
    return "\n".join(p for p in parts if p)
