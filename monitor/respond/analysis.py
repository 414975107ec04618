"""What a complaint is about: category, specifics and severity cues.

The category combines two signals: the mention's embedding similarity to each
category's description and example phrases (the MiniLM encoder the classifier
already loads), and explicit cue words, which catch the obvious cases the
small encoder blurs ("charged twice" is billing even if it mentions an order).
Specifics are pulled out with narrow patterns so that only short, tame strings
(order numbers, a product name, how long they waited) ever reach a template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from monitor.classify.embedding import Embedder
from monitor.config import DraftingSettings
from monitor.core.models import Analysis, Mention
from sources import platform


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str  # the problem in plain words
    description: str
    examples: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()  # regex fragments, matched at a word start


_B = Category
BUILTIN: tuple[Category, ...] = (
    _B(
        "delivery",
        "late delivery",
        "An order, parcel, flight or train is late, delayed, lost or never arrived.",
        (
            "where is my parcel, it still hasn't arrived",
            "my order is two weeks late",
            "tracking hasn't updated in days",
            "the flight was delayed for hours",
            "the delivery never came",
            "my food arrived an hour late and cold",
        ),
        (
            r"deliver",
            r"arriv",
            r"parcel",
            r"package",
            r"tracking",
            r"shipped",
            r"shipping",
            r"dispatch",
            r"delay",
            r"late\b",
            r"never came",
            r"lost my (luggage|bag|parcel)",
            r"luggage",
            r"cancell?ed (flight|train)",
            r"(flight|train) .{0,20}cancell?ed",
            r"in the post",
            r"turned up",
            r"out for delivery",
        ),
    ),
    _B(
        "billing",
        "billing problem",
        "A wrong, double or unexpected charge, a refund that "
        "has not arrived, a price or subscription fee problem.",
        (
            "I was charged twice",
            "still waiting for my refund",
            "you overcharged me",
            "unexpected fee on my card",
            "the price went up without notice",
            "you keep taking money after I cancelled",
        ),
        (
            r"charge[ds]?\b",
            r"overcharg",
            r"refund",
            r"bill\b",
            r"billing",
            r"billed",
            r"invoic",
            r"fee\b",
            r"fees\b",
            r"direct debit",
            r"debited",
            r"subscription",
            r"price",
            r"money back",
            r"paid\b",
            r"taking £|taking \$",
            r"[£$€]\d",
        ),
    ),
    _B(
        "defect",
        "faulty product",
        "A product is broken, faulty, damaged, stopped working, or is of poor quality.",
        (
            "it stopped working after a week",
            "arrived broken",
            "the quality is terrible",
            "it cracked after normal use",
            "the item is defective",
            "it fell apart",
            "a part snapped off the first time I used it",
            "it wore out after a few weeks",
            "the food was stale or had gone off",
            "the clothes lost their shape in the wash",
            "it was damaged inside the box",
            "the product does not do what it should",
            "some of the buttons or keys don't respond",
            "the finish came off after one use",
            "the lid or seal doesn't close properly",
        ),
        (
            r"broke",
            r"faulty",
            r"fault\b",
            r"defect",
            r"stopped working",
            r"crack",
            r"damaged",
            r"smashed",
            r"quality",
            r"fell apart",
            r"leak",
            r"shrank",
            r"dead pixel",
            r"doesn'?t work",
            r"mou?ld",
            r"torn",
            r"crackl",
        ),
    ),
    _B(
        "staff",
        "how you were treated",
        "A member of staff, agent, driver or representative "
        "was rude, unhelpful, dismissive or behaved badly.",
        (
            "your staff member was rude to me",
            "the agent hung up on me",
            "the manager was condescending",
            "nobody would help me in store",
            "treated like a criminal by the employee",
            "the person serving me was dismissive",
            "I was watched and followed around the shop",
            "the employee lectured me",
        ),
        (
            r"rude",
            r"staff",
            r"cashier",
            r"employee",
            r"manager",
            r"agent",
            r"waiter",
            r"attendant",
            r"\brep\b",
            r"representative",
            r"hung up",
            r"attitude",
            r"condescending",
            r"unprofessional",
            r"swore",
            r"laughed at",
            r"treated",
            r"refused to (help|serve)",
            r"ignored what",
            r"promises? a callback",
        ),
    ),
    _B(
        "outage",
        "app or website problem",
        "The app, website, online service or checkout is "
        "down, crashing, showing errors or not loading.",
        (
            "the app is down",
            "your website keeps crashing",
            "error 500 at checkout",
            "the site won't load",
            "the app crashes since the update",
            "online banking is unavailable",
            "the page freezes when I click",
        ),
        (
            r"\bdown\b",
            r"outage",
            r"crash",
            r"error",
            r"won'?t load",
            r"not loading",
            r"blank (white )?page",
            r"server",
            r"\bapp\b",
            r"website",
            r"\bsite\b",
            r"check-?in .{0,20}broken",
            r"something went wrong",
            r"update",
            r"spins",
        ),
    ),
    _B(
        "account",
        "account access",
        "The customer cannot log in or access their account: "
        "password, verification code, locked, hacked or suspended account.",
        (
            "I can't log in to my account",
            "locked out after a password reset",
            "my verification code doesn't work",
            "my account was hacked",
            "my account was suspended",
        ),
        (
            r"log ?in",
            r"logs? me out",
            r"sign ?in",
            r"password",
            r"locked out",
            r"account",
            r"verification code",
            r"2fa",
            r"two-factor",
            r"hacked",
            r"suspended",
            r"user not found",
            r"reset",
        ),
    ),
    _B(
        "safety",
        "safety issue",
        "Someone was hurt or put at risk: fire, smoke, burns, "
        "electric shock, injury, allergic reaction, food poisoning, choking hazard.",
        (
            "it caught fire",
            "my child nearly choked",
            "I got an electric shock",
            "allergic reaction to food labelled safe",
            "I was injured in your store",
            "this product is dangerous",
            "it broke while in use and someone could have been hurt",
        ),
        (
            r"fire\b",
            r"caught fire",
            r"smok(e|ing)\b",
            r"burn",
            r"shock",
            r"injur",
            r"\bhurt",
            r"allerg",
            r"food poisoning",
            r"poison",
            r"chok",
            r"swallow",
            r"dangerous",
            r"hazard",
            r"unsafe",
            r"safety",
            r"glass in",
            r"piece of glass",
            r"a&e",
            r"hospital",
            r"slipped",
            r"extremely hot",
            r"overheat",
        ),
    ),
)
OTHER = Category(
    "other",
    "your experience with us",
    "A complaint about a choice we made: design, taste, "
    "range, opening hours, queues, advertising, marketing, packaging or a policy change.",
    (
        "I don't like the new design",
        "please bring back the one you discontinued",
        "your marketing is annoying",
        "the new rules are worse than the old ones",
        "the store is unpleasant to shop in",
    ),
)

# Below this cosine similarity, with no cue word, a complaint is "other".
_FLOOR = 0.30
_CUE_BONUS = 0.06  # per distinct cue hit, up to _MAX_CUES
_MAX_CUES = 3


@dataclass(frozen=True, slots=True)
class CategorySet:
    """The categories in use, with their prototype embeddings computed once."""

    categories: tuple[Category, ...]
    cue_patterns: tuple[re.Pattern[str] | None, ...]
    prototypes: np.ndarray | None  # (n_prototypes, dim) rows, or None without a model
    owners: np.ndarray  # category index of each prototype row

    def get(self, key: str) -> Category:
        return next((c for c in self.categories if c.key == key), OTHER)


def category_set(settings: DraftingSettings, embedder: Embedder | None) -> CategorySet:
    """Built-in categories plus the team's; a team category with a built-in key replaces it."""
    team = {
        c.key: Category(
            c.key,
            c.label,
            c.description,
            tuple(c.examples),
            tuple(r"\b" + re.escape(w) + r"\b" for w in c.cues),
        )
        for c in settings.categories
    }
    merged = [team.pop(c.key, c) for c in (*BUILTIN, OTHER)]
    other = next(c for c in merged if c.key == "other")
    # "other" goes last: it is also the answer when nothing scores above the floor.
    cats = (*(c for c in [*merged, *team.values()] if c.key != "other"), other)
    patterns = tuple(
        re.compile(
            "|".join(f"(?:{p})" if p.startswith(r"\b") else rf"\b(?:{p})" for p in c.cues), re.I
        )
        if c.cues
        else None
        for c in cats
    )
    texts, owners = [], []
    for i, cat in enumerate(cats):
        for text in (cat.description, *cat.examples):
            texts.append(text)
            owners.append(i)
    protos = embedder.embed(texts) if embedder is not None else None
    return CategorySet(cats, patterns, protos, np.array(owners))


def analyse(mention: Mention, *, embedder: Embedder | None, categories: CategorySet) -> Analysis:
    text = mention.text
    key = _categorise(text, embedder, categories)
    cat = categories.get(key)
    return Analysis(
        category=key,
        category_label=_label(cat, text),
        specifics=specifics(mention),
        severity_cues=severity_cues(text, key),
    )


def category_scores(text: str, embedder: Embedder | None, cs: CategorySet) -> dict[str, float]:
    """Similarity plus cue bonus for each category (for the benchmark too)."""
    n = len(cs.categories)
    sims = np.zeros(n, dtype=np.float32)
    if embedder is not None and cs.prototypes is not None:
        row = embedder.embed([text])[0] @ cs.prototypes.T
        for i in range(n):
            mine = np.sort(row[cs.owners == i])[::-1]
            sims[i] = float(mine[:2].mean())  # top two: one lucky example is not enough
    scores = {}
    for i, cat in enumerate(cs.categories):
        pattern = cs.cue_patterns[i]
        hits = len({m.group(0).lower() for m in pattern.finditer(text)}) if pattern else 0
        scores[cat.key] = (
            float(sims[i])
            + _CUE_BONUS * min(hits, _MAX_CUES)
            + (_NO_MODEL_FLOOR if hits and embedder is None else 0.0)
        )
    return scores


_NO_MODEL_FLOOR = _FLOOR  # without a model a cue alone must clear the floor


def _categorise(text: str, embedder: Embedder | None, cs: CategorySet) -> str:
    scores = category_scores(text, embedder, cs)
    if not scores:
        return "other"
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= _FLOOR else "other"


def _label(cat: Category, text: str) -> str:
    # A late flight or train is not a "delivery" in the customer's words.
    if cat.key == "delivery" and re.search(r"\b(flight|plane|train|bus)\b", text, re.I):
        return "delayed journey"
    return cat.label


# --- severity cues (names shared with monitor.respond.priority) ----------------------------------

_NUM = (
    r"(\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|countless|"
    r"numerous)"
)
SEVERITY: dict[str, str] = {
    "legal": r"\b(lawyer|attorney|solicitor|sue|suing|lawsuit|legal action|small claims|court\b|"
    r"trading standards|ombudsman|report(ing)? you to|ftc|bbb|cfpb)",
    "safety": r"\b(caught fire|on fire|fire\b|smok(e|ing)\b|burn(ed|t|s)?\b|electric shock|"
    r"shock\b|injur|\bhurt|allergic|anaphyla|food poisoning|poison|chok|swallow|"
    r"dangerous|hazard|unsafe|hospital|a&e|glass in|piece of glass|bleed|vomit|"
    r"spark(s|ed|ing)?\b|scorch|electrocut|could have (been )?(hurt|injured|killed|"
    r"fallen|died))",
    "churn": r"\b(cancel(l?ing)? (my|the|our)|i'?m cancel|closing my account|switching to|"
    r"never (again|ordering|buying|using|flying|shopping)|done with (you|this)|"
    r"i'?m done|taking my (business|money) elsewhere|last time i|unsubscrib|"
    r"leaving (you|for)|moving to)",
    "refund": r"\b(refund|money back|reimburs|chargeback|compensat|pay me back)",
    "repeat": r"\b((second|third|fourth|fifth|\d+(st|nd|rd|th)) time\b|yet again|again and again|"
    r"(ask|writ|call|chas|contact|email|messag|tweet|complain)(ing|ed|e)? "
    r"(you |about this )?again|"
    r"(called|emailed|messaged|contacted|tweeted|wrote|asked|phoned|rang|chased)"
    rf" (you |them |support )?{_NUM} times|{_NUM} times|"
    r"(keep|kept) (calling|emailing|asking|chasing)|no (reply|response|answer)|"
    r"nobody (answers|replies|got back)|never got back|still no (reply|response))",
    "callout": r"(\beveryone\b|\bdon'?t buy\b|\bdo not buy\b|\bavoid\b|\bstay away\b|\bbeware\b|"
    r"\bpsa\b|\bboycott\b|\bspread the word\b|\btell(ing)? (everyone|your friends)|"
    r"\banyone else\b|\bretweet\b|\bwarning to\b|\bfor anyone else\b)",
    "outage": r"\b((is|are|been|went|goes|site|app|servers?) down\b|down for anyone|outage|"
    r"won'?t load|not loading|crash(es|ing)? (at|on|every)|error (code )?5\d\d|"
    r"\b50[0-4]\b|can'?t (load|reach|access) the (app|site|website)|"
    r"blank (white )?page|been broken all)",
}
_SEVERITY = {name: re.compile(p, re.I) for name, p in SEVERITY.items()}


def severity_cues(text: str, category: str = "") -> tuple[str, ...]:
    found = [name for name, pattern in _SEVERITY.items() if pattern.search(text)]
    if category == "safety" and "safety" not in found:
        found.append("safety")  # the model saw a risk the words did not spell out
    return tuple(found)


# --- specifics -------------------------------------------------------------------------

_WORDNUM = r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|a few)"
_UNIT = r"(minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?)"
_REFS: tuple[tuple[str, str], ...] = (
    ("order", r"\border\s*(?:number|no\.?|num|#|id)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,19})"),
    ("flight", r"\bflight\s*(?:number|no\.?|#)?\s*([A-Z0-9]{2}\s?\d{1,4})\b"),
    ("train", r"\btrain\s*(?:number|no\.?|#)?\s*([A-Z0-9]{4,6})\b"),
    ("ticket", r"\b(?:ticket|case)\s*(?:number|no\.?|#|id)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,19})"),
    (
        "booking",
        r"\b(?:booking|reservation|confirmation)\s*(?:ref(?:erence)?|number|no\.?|#|id|"
        r"code)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{3,19})",
    ),
    ("model", r"\bmodel\s*(?:number|no\.?|#)?\s*[:#]?\s*([A-Z0-9][A-Z0-9-]{2,19})"),
)
_WAITS = (
    rf"\b(?:for|after|over|nearly|almost|about|than|waited|waiting|been|past)\s+"
    rf"({_WORDNUM}\s*{_UNIT})\b",
    rf"\b({_WORDNUM}\s*{_UNIT})\s+(?:late|delayed|ago|now|on hold|and still|later|of waiting)\b",
    r"\b(since\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
    r"last\s+\w+|this\s+morning|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|the\s+\d{1,2}(?:st|nd|rd|th)?))\b",
)
_PRODUCT_NOUNS = (
    "blender|kettle|headphones|earbuds|phone|laptop|tablet|charger|heater|fridge|freezer|"
    "washing machine|dishwasher|oven|microwave|sofa|mattress|backpack|jacket|shirt|shoes|"
    "boots|watch|camera|tv|television|router|speaker|console|controller|vacuum|fan|toaster|"
    "coffee machine|printer|bike|e-bike|battery|mug|toy|car|scooter|smoke alarm|drill"
)
_PRODUCT = re.compile(
    r"\b(?i:my|the|this|our)\s+(?:new\s+|brand\s+new\s+)?"
    r"((?:[A-Z][\w-]*|[\w-]*\d[\w-]*)(?:\s+(?:[A-Z][\w-]*|[\w-]*\d[\w-]*)){0,2}"
    rf"(?:\s+(?:{_PRODUCT_NOUNS}))?|(?:{_PRODUCT_NOUNS}))\b"
)
_NOUN = re.compile(rf"\b(?:{_PRODUCT_NOUNS})$")
_SERVICE = re.compile(r"\b(answers?|answered|on|over|by)\s*$", re.I)  # "answer the phone"
_NOT_PRODUCT = frozenset(
    ("I", "The", "My", "This", "App", "Site", "Website", "Order", "Flight", "Train")
)
_CONTACTED = (
    ("phone", r"\b(on hold|called|phoned|rang|hung up)\b"),
    ("email", r"\b(emailed|e-?mails?)\b"),
    ("chat", r"\b(live chat|chat rep|chatbot)\b"),
    ("in store", r"\b(in store|at the counter|at your .{0,20}(store|branch))\b"),
)


def specifics(mention: Mention) -> dict[str, str]:
    """Short facts from the complaint; every value is plain letters, digits and spaces."""
    text = mention.text
    found: dict[str, str] = {}
    for name, pattern in _REFS:
        match = re.search(pattern, text, re.I)
        if match and re.search(r"\d", match.group(1)):  # "order arrived" is not a number
            found[name] = _tame(match.group(1).upper())
    if product := _product(text):
        found["product"] = product
    for pattern in _WAITS:
        if match := re.search(pattern, text, re.I):
            found["wait"] = _tame(match.group(1).lower())
            break
    found["channel"] = platform(mention.platform).display
    used = [name for name, pattern in _CONTACTED if re.search(pattern, text, re.I)]
    if used:
        found["contacted_via"] = ", ".join(used)
    return found


def _product(text: str) -> str | None:
    for match in _PRODUCT.finditer(text):
        name, words = match.group(1), match.group(1).split()
        if not words or words[0] in _NOT_PRODUCT or len(name) > 40:
            continue
        if match.group(0)[:3].lower() == "the" and _SERVICE.search(text[: match.start()]):
            continue
        # A lone capitalised word is usually the brand or a place, not a product.
        if _NOUN.search(name) or (len(words) > 1 and any(re.search(r"\d", w) for w in words)):
            return _tame(name)
    return None


def _tame(value: str) -> str:
    # Only these characters reach a template, whatever the mention contained.
    return re.sub(r"[^\w .#/-]", "", value).strip()[:40]
