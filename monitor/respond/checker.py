"""The reply checker: does a public reply follow REPLY-GUIDANCE.md?

Runs on every generated draft (findings travel in ``Draft.checks``; a failing
draft is still delivered, marked) and on every team template at config load.
Each finding says in one short sentence what is wrong and why it matters, so
a responder can fix the wording without reading the guidance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from monitor.core.models import Analysis, Finding
from monitor.core.patterns import compile_fast
from monitor.respond.categories import BASIS
from monitor.respond.grounding import unsupported
from sources import handle_prefixes
from sources import platform as platform_of

# Phrases that sound like an apology but push the problem back on the customer.
_FAUXPOLOGIES: tuple[tuple[str, str], ...] = (
    (r"\b(sorry|apologi[sz]e)\s+if\b", "'sorry if …' doubts that anything went wrong"),
    (
        r"\bsorry\s+(that\s+)?you\s+(feel|felt|think|thought|see\s+it|were\s+(offended|upset))",
        "'sorry you feel …' apologises for their feelings, not for our mistake",
    ),
    (
        r"\bsorry\s+(that\s+)?you('re|\s+are)\s+(offended|upset|unhappy|disappointed|frustrated)",
        "'sorry you're upset' apologises for their feelings, not for our mistake",
    ),
    (
        r"\bmistakes\s+were\s+made\b",
        "'mistakes were made' hides who made them; say 'we got this wrong'",
    ),
    (
        r"\b(any|the|this|all\s+the)\s+inconvenience",
        "'inconvenience' shrinks the problem; name what it cost them",
    ),
    (
        r"\bif\s+(anyone|you)\s+(was|were|felt)\s+(offended|upset|hurt)",
        "'if anyone was offended' doubts that anything went wrong",
    ),
    (r"\bwe\s+regret\s+that\s+you\b", "'we regret that you …' puts the problem on them"),
    (
        r"\bsorry\s+you\s+had\s+(that|this|a\s+bad)\s+experience",
        "'sorry you had that experience' owns nothing",
    ),
    (r"\bsorry\s+for\s+any\b", "'sorry for any …' doubts that anything went wrong"),
    (
        r"\b(apologi[sz]e|apologies|sorry)\s+for\s+(any|all\s+the)\b",
        "'apologise for any …' doubts that anything went wrong; name what happened",
    ),
    (
        r"\b(may|might|could)\s+have\s+caused\b",
        "'may have caused' doubts that anything went wrong",
    ),
    (
        r"\bsorry\s+to\s+hear\s+(about\s+)?(that|this|your\s+experience|of\s+your)",
        "'sorry to hear that' owns nothing; say what went wrong and that it is ours",
    ),
    (
        r"\b(we|i)\s+take\s+(customer\s+service|this|these\s+matters|complaints|your\s+"
        r"feedback)\s+(very\s+)?seriously\b",
        "'we take … seriously' is about us, not them; show it with the fix",
    ),
    (
        r"\bregret\s+that\s+(your|you)\b|\bexpectations\s+(were\s+not|weren'?t)\s+met\b",
        "'your expectations weren't met' puts the gap on them; say what we got wrong",
    ),
    (
        r"\b(your\s+(call|business|feedback)\s+is\s+(important|valuable)|"
        r"we\s+value\s+your\s+(feedback|business|custom))",
        "a stock phrase; it reads as automated",
    ),
)

_EXCUSES: tuple[tuple[str, str], ...] = (
    (r"\bdue\s+to\b", "'due to …' reads as an excuse; own the problem, explain causes privately"),
    (
        r"\bbecause\s+of\s+(high|heavy|unusual|unprecedented|increased)\b",
        "blaming demand reads as an excuse; own the problem",
    ),
    (r"\b(beyond|outside)\s+(of\s+)?our\s+control\b", "'beyond our control' is an excuse"),
    (r"\bout\s+of\s+our\s+hands\b", "'out of our hands' is an excuse"),
    (r"\bunforeseen\s+circumstances\b", "'unforeseen circumstances' is an excuse"),
    (r"\bnot\s+our\s+fault\b", "'not our fault' argues instead of fixing"),
    (
        r"\b(short[- ]?staffed|understaffed|very\s+busy|extremely\s+busy)\b",
        "being busy is our problem, not theirs; leave it out",
    ),
    (
        r"\b(as\s+per|according\s+to)\s+(our\s+)?(policy|terms)\b",
        "quoting policy at them is defensive",
    ),
    (r"\bto\s+be\s+fair\b|\bin\s+our\s+defen[cs]e\b", "defending ourselves is an excuse"),
    (
        r"\b(high|heavy|unusual|unprecedented|increased)\s+(call|contact|order|passenger)?\s*"
        r"(volumes?|demand|traffic)\b",
        "blaming demand reads as an excuse; own the problem",
    ),
    (
        r"\blonger\s+(than\s+usual\s+)?(hold|wait(ing)?|response)\s+times?\b",
        "warning of long waits excuses them; answer this person now",
    ),
    (
        r"\b(this|that|it)\s+is\s+(our|company|the)\s+policy\b|\bour\s+policy\s+(is|says|states)\b|"
        r"\bunable\s+to\s+make\s+(an\s+)?exceptions?\b|\bcan(not|'t)\s+make\s+(an\s+)?"
        r"exceptions?\b",
        "hiding behind policy is defensive; say what you can do",
    ),
    (
        r"\b(weather|air\s+traffic\s+control|strike|the\s+airport)\s+(caused|is\s+to\s+blame|"
        r"was\s+responsible)\b",
        "blaming circumstances is an excuse; say what we will do about it",
    ),
)

# Naming another party: the courier, a partner.
_ELSEWHERE: tuple[tuple[str, str], ...] = (
    (
        r"\b(the|our|your)\s+(courier|carrier|delivery\s+(partner|company|driver)|shipping\s+"
        r"(partner|company)|postal\s+service|post\s+office)\b",
        "points at the courier; they bought from us, so we own the delivery",
    ),
    (
        r"\b(third[- ]party|vendor|supplier|manufacturer|contractor)\b",
        "points at a partner; take ownership in public, chase them privately",
    ),
)
# Pointing at someone else, including the customer: we own it in public.
_BLAME: tuple[tuple[str, str], ...] = (
    *_ELSEWHERE,
    (
        r"\b(the|our)\s+(system|software|computer|algorithm)\b",
        "blames 'the system'; people choose and run our systems, so own it",
    ),
    (
        r"\b(another|other|a\s+different|the\s+\w+)\s+(department|team)('s)?\s+(fault|error|mistake|"
        r"handles?|is\s+responsible)\b|\banother\s+department\b",
        "hands it to another department; you own the answer",
    ),
    (
        r"\byou\s+(should\s+have|should've|didn't|did\s+not|failed\s+to|forgot\s+to|must\s+have)\b",
        "blames the customer; find out privately what happened instead",
    ),
    (
        r"\b(your\s+fault|user\s+error|on\s+your\s+(end|side)|as\s+you\s+were\s+told)\b",
        "blames the customer; find out privately what happened instead",
    ),
    (
        r"\b(make\s+sure|ensure|check\s+that|double[- ]check)\s+(that\s+)?you('re|\s+are|"
        r"\s+have|'ve)?\s*(using|entered|typed|typing|selected|following|logged|signed|updated|"
        r"installed|restarted|cleared|enabled|connected|use|enter|type)\b|\b(the\s+)?correct\s+"
        r"(password|details|address|email|card)\b|\bhave\s+you\s+tried\b|\bdid\s+you\s+"
        r"(try|check)\b",
        "implies the customer got it wrong; find out privately what happened instead",
    ),
    (
        r"\b(ups|fedex|dhl|usps|royal\s+mail|hermes|evri|dpd|yodel|parcelforce|"
        r"the\s+post\s+office|paypal|stripe|visa|mastercard|the\s+bank|the\s+airport|"
        r"the\s+manufacturer|the\s+supplier)\s+(has|have|is|are|was|were|had|lost|damaged|"
        r"delayed|failed|caused|didn'?t|did\s+not)\b",
        "names a third party as the cause; take ownership in public, chase them privately",
    ),
)

# An owned cause is not an excuse: "because of a scheduling mistake we made".
_OWNED = compile_fast(
    r"\b(we|i)\s+made\b|(?<!not\s)\b(our|my)\s+(own\s+)?(mistake|error|fault|doing)\b|"
    r"\bon\s+us\b|\bon\s+our\s+(part|side|end)\b|"
    r"\bwe\s+got\s+(it|this|that)\s+wrong\b|\bwe\s+caused\b|\bwe\s+(messed|slipped)\s+up\b|"
    r"\bours\s+to\s+(fix|own)\b|\bour\s+(own\s+)?(system|software|process)\b",
    re.I,
)

# "so so sorry" is the pair rule below: "(so\s+){2,}sorry" rescanned every "so" of a long
# run of them (quadratic: 80 s on 100 KB) and found nothing more.
_GROVEL = (
    r"\bdeeply,?\s+deeply\b|\b(terribly|truly|really|so)\s+(terribly|truly|"
    r"really|so)\s+sorry\b|\bmillion\s+apologies\b|\bwe\s+feel\s+(terrible|awful)\b|"
    r"\bcan'?t\s+apologi[sz]e\s+enough\b|\bbeg\s+(your\s+)?forgiveness\b"
)
_APOLOGY = compile_fast(r"\b(sorry|apologi[sz]e[sd]?|apologies|apology|regret)\b", re.I)
_VAGUE = compile_fast(
    r"\bsorry\s+(about|for)\s+(that|this|the\s+trouble|the\s+issue)\s*(?=[.!,;]|$)", re.I
)
# Case-sensitive DM/PM: "3 pm" is not an invitation. An address is found by one
# character either side of its "@" ("x@host.tld"): a "+" before the "@" made every
# start in a long run of letters rescan the run (quadratic, a minute on 100 KB). The
# character before it is a lookbehind, so a match starts at the "@" and the search
# only stops at an "@" or at the first letter of one of the phrases.
_PRIVATE = (
    compile_fast(r"\b(DMs?|PMs?)\b"),
    compile_fast(
        r"\b(direct|private)\s+message|\bprivately\b|\bmessage\s+(us|me)\b|"
        r"\be-?mail\s+(us|me|our|the)\b|\b(by|via)\s+e-?mail\b|(?<=[\w.+-])@[\w-]+\.\w|"
        r"\b(by|over\s+the)\s+phone\b|\bcall\s+(us|me)\b|\bchat\s+with\b|https?://|"
        r"\bmodmail\b|\bsend\s+(us|me)\s+(a|an|your)\b",
        re.I,
    ),
)

# Words that are part of any category's problem, for "is it specific?".
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "delivery": (
        "deliver",
        "arriv",
        "order",
        "parcel",
        "package",
        "shipping",
        "flight",
        "delay",
        "late",
        "wait",
    ),
    "billing": ("charge", "bill", "refund", "payment", "paid", "invoice", "money", "price"),
    "defect": (
        "broke",
        "fault",
        "defect",
        "stopped working",
        "damage",
        "quality",
        "crack",
        "doesn't work",
        "isn't working",
    ),
    "staff": ("staff", "treated", "rude", "team member", "colleague", "served", "agent"),
    "outage": ("app", "site", "website", "outage", "down", "crash", "error", "loading", "checkout"),
    "account": ("account", "log in", "login", "sign in", "password", "locked", "access"),
    "safety": ("safety", "safe", "hurt", "injur", "fire", "burn", "risk", "hazard"),
}
_STOP = frozenset(
    (
        "with",
        "your",
        "that",
        "this",
        "from",
        "about",
        "have",
        "into",
        "their",
        "there",
        "what",
        "when",
        "which",
    )
)


def check_reply(
    text: str, *, platform: str, analysis: Analysis | None = None, complaint: str | None = None
) -> list[Finding]:
    """Every problem with ``text`` as a public reply on ``platform``; with the
    ``complaint`` it answers, also whatever it claims that the complaint does not say."""
    findings: list[Finding] = []
    findings += _matches(text, _FAUXPOLOGIES, "fauxpology")
    findings += _matches(text, _EXCUSES, "excuse", owned_ok=True)
    findings += _matches(text, _BLAME, "blame", owned_ok=True)
    findings += _apologies(text)
    if complaint is not None:
        findings += _grounded(text, complaint)
        findings += _echoes(text, complaint)
    else:
        findings += _specific(text, analysis)
    if not any(pattern.search(text) for pattern in _PRIVATE):
        findings.append(
            Finding(
                code="no-private-channel",
                message=(
                    "invites no private channel; ask them to DM/PM/email so details stay private"
                ),
            )
        )
    findings += _length(text, platform)
    findings += _shouting(text)
    return findings


def points_elsewhere(text: str) -> bool:
    """``text`` names another party, a courier or a partner: a phrase that would make a
    draft point at them when said back ("I'm sorry about the delivery driver")."""
    return any(_rule(pattern).search(text) for pattern, _ in _ELSEWHERE)


@cache
def _rule(pattern: str) -> re.Pattern[str]:
    """A rule's pattern, compiled once (case-insensitive, led by its first characters)."""
    return compile_fast(pattern, re.I)


def _matches(
    text: str, rules: Iterable[tuple[str, str]], code: str, *, owned_ok: bool = False
) -> list[Finding]:
    found = []
    for pattern, reason in rules:
        match = _rule(pattern).search(text)
        if match and not (owned_ok and _OWNED.search(_sentence(text, match.start()))):
            found.append(Finding(code=code, message=f"“{match.group(0)}”: {reason}"))
    return found


def _sentence(text: str, at: int) -> str:
    """The sentence around position ``at``."""
    start = max(text.rfind(mark, 0, at) for mark in ".!?;") + 1
    ends = [i for i in (text.find(mark, at) for mark in ".!?;") if i >= 0]
    return text[start : min(ends, default=len(text))]


def _apologies(text: str) -> list[Finding]:
    count = len(_APOLOGY.findall(text))
    if count == 0:
        return [
            Finding(
                code="no-apology",
                message=("no apology; say sorry once, plainly, for the specific problem"),
            )
        ]
    found = []
    if count > 1:
        found.append(
            Finding(
                code="extra-apology",
                message=(
                    f"{count} apologies; one sincere apology reads truer, then move to the fix"
                ),
            )
        )
    if _rule(_GROVEL).search(text):
        found.append(
            Finding(
                code="over-apologizing",
                message=("over-apologizing; the fix matters more than how bad we feel"),
            )
        )
    return found


def _specific(text: str, analysis: Analysis | None) -> list[Finding]:
    vague = _VAGUE.search(text)
    if vague:
        return [
            Finding(
                code="not-specific",
                message=(
                    f"“{vague.group(0)}” says nothing; name what went wrong and what it cost them"
                ),
            )
        ]
    lower = text.lower()
    # Word starts, so "app" is not found in "happy".
    if analysis is None or any(
        re.search(r"\b" + re.escape(t), lower) for t in specific_terms(analysis)
    ):
        return []
    return [
        Finding(
            code="not-specific",
            message=(
                f"names nothing of their complaint ({analysis.category_label}); "
                "mention the problem, order or product"
            ),
        )
    ]


def _body(reply: str) -> str:
    """The reply without handles, links and the signature: only its own words make claims."""
    prefixes = handle_prefixes()
    words = [w for w in reply.split() if not w.startswith(prefixes) and "://" not in w]
    body = " ".join(words)
    return body.rsplit(" – ", 1)[0] if " – " in body else body


def _grounded(reply: str, complaint: str) -> list[Finding]:
    return [
        Finding(
            code="ungrounded",
            message=f"“{words}” claims {claim}, which the complaint does not mention; "
            "say only what they told us",
        )
        for claim, words in unsupported(_body(reply), complaint)
    ]


# Words too common to show that a reply echoes the complaint.
_COMMON = """
    that this with your have from about what when which there their they them then than
    just really very still been were will would could should sorry please thanks thank
    help know want need here only into over also some more like even much make made
    the and you for not but are was has had can get got our out all any one now why how
    who its his her she him too off yet may way day lol omg wtf plz pls see let did own new
    yes its i'm i've don't can't won't
"""
_ECHO_STOP = frozenset(_COMMON.split())


def _echoes(reply: str, complaint: str) -> list[Finding]:
    """Specific means it shares something with the complaint: a word or a number."""
    # Quotes around a word are not part of it: "returning 'maintenance'".
    said = {
        w.lower().strip("'-") for w in re.findall(r"[A-Za-z][A-Za-z'-]{2,}|\d[\w.-]*", complaint)
    }
    said -= _ECHO_STOP
    lower = _body(reply).lower()
    if vague := _VAGUE.search(reply):
        return [
            Finding(
                code="not-specific",
                message=f"“{vague.group(0)}” says nothing; name what went wrong and what it cost",
            )
        ]
    if any(re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", lower) for w in said):
        return []
    return [
        Finding(
            code="not-specific",
            message="uses none of their words; echo what they told us (the thing, the wait)",
        )
    ]


_NOT_TERMS = frozenset(("channel", BASIS))  # facts about the post, not words from it


def specific_terms(analysis: Analysis) -> set[str]:
    """Lower-case words whose presence shows the reply is about this complaint."""
    terms = {v.lower() for k, v in analysis.specifics.items() if k not in _NOT_TERMS and v}
    label = analysis.category_label.lower()
    terms |= {w for w in re.findall(r"[a-z']{4,}", label) if w not in _STOP}
    terms |= set(CATEGORY_WORDS.get(analysis.category, ()))
    return terms


def _length(text: str, platform: str) -> list[Finding]:
    # The platform says how it counts (X weighs URLs and wide characters) and how much fits.
    where = platform_of(platform)
    size = where.reply_length(text)
    if size > where.reply_limit:
        message = where.too_long.format(size=size, limit=where.reply_limit)
        return [Finding(code="too-long", message=message)]
    if where.one_paragraph and "\n\n" in text.strip():
        return [
            Finding(
                code="too-long",
                message=(
                    "more than one paragraph; keep the public reply short, details go private"
                ),
            )
        ]
    return []


def _shouting(text: str) -> list[Finding]:
    found = []
    # Whole tokens, so handles (@ACME_UK) and codes (ABCD-1234) are not counted as words.
    handles = handle_prefixes()
    tokens = [t.strip(".,;:!?\"'()") for t in text.split() if not t.startswith(handles)]
    caps = [t for t in tokens if len(t) >= 4 and t.isalpha() and t.isupper()]
    if len(caps) >= 2:
        found.append(
            Finding(
                code="shouting",
                message=(
                    f"capitals ({', '.join(caps[:3])}) read as shouting; write in sentence case"
                ),
            )
        )
    if re.search(r"!{2,}", text) or text.count("!") > 2:
        found.append(
            Finding(
                code="shouting",
                message=("too many exclamation marks; calm and plain reads as sincere"),
            )
        )
    return found
