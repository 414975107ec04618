"""Public reply drafts and private follow-up tasks (REPLY-GUIDANCE.md).

Replies come from Jinja2 templates, one file per platform and category with
several variants separated by a line ``{# --- #}``; the variant is chosen from
a hash of the mention so a re-run gives the same draft. Templates see only
short, sanitised values (see ``_context``), never the raw mention text, and run
in a sandbox, so ``{{ }}`` or HTML in a post is inert.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from monitor.config import Config, DeadlineSettings, DraftingSettings, Problem
from monitor.core.errors import ConfigError
from monitor.core.models import Analysis, Draft, Mention, Priority
from monitor.respond.analysis import BUILTIN, OTHER
from monitor.respond.checker import check_reply
from sources import platform as platform_of

_SEPARATOR = re.compile(r"^\{#\s*---\s*#\}[ \t]*$", re.M)
_MAX_HOURS = 24
Key = tuple[str, str]  # (platform, category)


@dataclass(frozen=True, slots=True)
class Templates:
    variants: dict[Key, tuple[Template, ...]]

    def pick(self, platform: str, category: str) -> tuple[Template, ...]:
        # A platform without templates of its own uses the set its descriptor names.
        for plat in dict.fromkeys((platform, platform_of(platform).templates)):
            for cat in (category, "other"):
                if found := self.variants.get((plat, cat)):
                    return found
        raise LookupError(f"no template for {platform}/{category} and no 'other' fallback")


def _env() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    # Like "capitalize" but leaves "BA283" alone: for a reference that opens a sentence.
    env.filters["sentence"] = lambda s: str(s)[:1].upper() + str(s)[1:]
    return env


def split_variants(source: str) -> list[str]:
    return [part.strip() for part in _SEPARATOR.split(source) if part.strip()]


def _bundled() -> dict[Key, list[str]]:
    found: dict[Key, list[str]] = {}
    root = files("monitor.respond") / "templates"
    for plat in root.iterdir():
        if plat.is_dir():
            for item in plat.iterdir():
                if item.name.endswith(".j2"):
                    found[(plat.name, item.name[:-3])] = split_variants(item.read_text("utf-8"))
    return found


def team_sources(settings: DraftingSettings) -> dict[str, list[str]]:
    """Team templates by "platform.category": the directory's files, then inline ones."""
    found: dict[str, list[str]] = {}
    if settings.templates_dir is not None:
        root = Path(settings.templates_dir).expanduser()
        for path in sorted(root.glob("*/*.j2")):
            found[f"{path.parent.name}.{path.stem}"] = split_variants(path.read_text("utf-8"))
    found.update({key: list(variants) for key, variants in settings.templates.items()})
    return found


def load_templates(settings: DraftingSettings) -> Templates:
    """Bundled templates with the team's overrides; raises ConfigError if one won't compile."""
    env = _env()
    sources: dict[Key, list[str]] = _bundled()
    for name, variants in team_sources(settings).items():
        platform, _, category = name.partition(".")
        sources[(platform, category)] = variants
    compiled: dict[Key, tuple[Template, ...]] = {}
    problems = []
    for key, variants in sources.items():
        try:
            compiled[key] = tuple(env.from_string(v) for v in variants)
        except TemplateError as exc:
            problems.append(f"drafting template {key[0]}.{key[1]}: {exc}")
    if problems:
        raise ConfigError(problems)
    return Templates(compiled)


# --- the public reply ------------------------------------------------------------------

_REFERENCES = ("order", "booking", "ticket", "flight", "train", "reference")
_BUILTIN_KEYS = frozenset(c.key for c in (*BUILTIN, OTHER))


# What a draft keeps of an author's name: anything else is dropped, so a name with
# other characters would be addressed as somebody else.
_NAME_CHARS = r"[^\w-]"
_NAME_LIMIT = 40


def _handle(platform: str, author: str) -> str:
    return platform_of(platform).handle(re.sub(_NAME_CHARS, "", author)[:_NAME_LIMIT])


def author_name(platform: str, typed: str) -> str:
    """The name in a handle a person typed, with or without the platform's prefix;
    ValueError when a draft could not address it as typed (markup, spaces, newlines,
    too long, empty)."""
    name = platform_of(platform).bare(typed.strip())
    if not name or re.search(_NAME_CHARS, name) or len(name) > _NAME_LIMIT:
        raise ValueError(
            f"{typed!r} is not a handle: up to {_NAME_LIMIT} letters, digits, '_' or '-', "
            "the name alone"
        )
    return name


def _waited(wait: str) -> str:
    if not wait:
        return ""
    wait = re.sub(
        r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
        r"february|march|april|june|july|august|september|october|november|"
        r"december)\b",
        lambda m: m.group(0).capitalize(),
        wait,
    )
    return f" {wait}" if wait.startswith("since") else f" for {wait}"


def _context(
    mention: Mention, analysis: Analysis, signature: str, support_link: str | None
) -> dict[str, Any]:
    spec = analysis.specifics
    ref = next((f"{name} {spec[name]}" for name in _REFERENCES if spec.get(name)), "")
    product = spec.get("product", "")
    thing = ref or (f"your {product}" if product else "")
    return {
        "handle": _handle(mention.platform, mention.author),
        "author": re.sub(_NAME_CHARS, "", mention.author)[:_NAME_LIMIT],
        "platform": mention.platform,
        "category": analysis.category,
        "label": analysis.category_label,
        "thing": thing,
        # What the general templates name: a team category's own label says more than a number.
        "topic": thing or analysis.category_label
        if analysis.category in _BUILTIN_KEYS
        else analysis.category_label + (f" ({thing})" if thing else ""),
        "product": product,
        "wait": spec.get("wait", ""),
        "waited": _waited(spec.get("wait", "")),
        "journey": bool(spec.get("flight") or spec.get("train"))
        or analysis.category_label == "delayed journey",
        "cues": list(analysis.severity_cues),
        "signature": signature,
        "support_link": support_link or "",
        **{name: spec.get(name, "") for name in _REFERENCES},
    }


def variant_order(mention: Mention, count: int) -> list[int]:
    """Variant indices, starting from one fixed by the mention, so re-runs agree."""
    digest = hashlib.sha256(f"{mention.platform}:{mention.platform_id}".encode()).hexdigest()
    start = int(digest, 16) % count
    return [(start + i) % count for i in range(count)]


def render_reply(
    mention: Mention, analysis: Analysis, ctx: dict[str, Any], templates: Templates
) -> str:
    variants = templates.pick(mention.platform, analysis.category)
    order = variant_order(mention, len(variants))
    where = platform_of(mention.platform)
    first = ""
    # Long product names or references can push a reply past the platform's limit (X's
    # 280): try other variants, then the same ones with less detail, before handing
    # over a long draft.
    for trimmed in (
        ctx,
        {
            **ctx,
            "product": "",
            "thing": ctx["thing"] if len(ctx["thing"]) < 25 else "",
            "waited": "",
        },
    ):
        for index in order:
            text = " ".join(variants[index].render(**trimmed).split())
            first = first or text
            if where.reply_length(text) <= where.reply_limit:
                return text
    return first


def draft_for(
    mention: Mention,
    analysis: Analysis,
    priority: Priority,
    *,
    signature: str,
    support_link: str | None,
    deadlines: DeadlineSettings,
    templates: Templates,
    now: datetime | None = None,
) -> Draft:
    ctx = _context(mention, analysis, signature, support_link)
    reply = render_reply(mention, analysis, ctx, templates)
    return Draft(
        category=analysis.category,
        public_reply=reply,
        followup=followup(mention, analysis, priority, support_link),
        due_minutes=due_minutes(priority, deadlines, mention.created_at, now),
        checks=check_reply(reply, platform=mention.platform, analysis=analysis),
    )


def due_minutes(
    priority: Priority,
    deadlines: DeadlineSettings,
    created_at: datetime,
    now: datetime | None = None,
) -> int:
    """Minutes from now until the answer is due: the priority's deadline, but never
    later than 24 hours after the mention was posted (at least 1: due now)."""
    minutes = {"P1": deadlines.p1_minutes, "P2": deadlines.p2_minutes}.get(
        priority.level, deadlines.p3_minutes
    )
    age = ((now or datetime.now(UTC)) - created_at).total_seconds() / 60
    return max(1, min(minutes, int(_MAX_HOURS * 60 - age)))


# --- the private follow-up -------------------------------------------------------------

# What to ask for, likely causes to check, and options to offer, per category.
_PLAYBOOK: dict[str, tuple[str, str, str]] = {
    "delivery": (
        "the order or booking number, the address, what tracking or the departure board showed",
        "a stock or dispatch delay, a hand-over problem after dispatch, "
        "a wrong address on file, a tracking update that never posted",
        "resend by express, a refund, or a new date that suits them",
    ),
    "billing": (
        "the amounts and dates of the charges, the last 4 digits of the card (never the "
        "full number), the account email",
        "a payment taken twice, a cancellation that "
        "was not processed, a price or plan change, a refund stuck in processing",
        "refund of the wrong charge, account credit, a corrected invoice",
    ),
    "defect": (
        "the order number, product and model, photos of the fault, when it started",
        "a faulty batch, damage in transit, a design weakness, unclear care instructions",
        "repair, replacement or refund",
    ),
    "staff": (
        "where and when it happened, what was said, names if they know them",
        "a training gap, a short-handed shift, a rule applied too rigidly, a misunderstanding",
        "an apology from the manager, a goodwill gesture, what will change",
    ),
    "outage": (
        "what they were trying to do, device and app version, the error shown, when it started",
        "a recent release, an infrastructure incident, a login or payment "
        "dependency, a device-specific bug",
        "doing the task for them by hand, waiving "
        "fees for anything they missed, a message when it is fixed",
    ),
    "account": (
        "the account email or username (never the password), what they see when they try to log in",
        "a verification email or SMS not delivered, a lockout rule, a "
        "security hold, an account merge mistake",
        "guided recovery now, a security check, restoring anything lost",
    ),
    "safety": (
        "whether anyone is hurt, the product and batch, photos, where it happened",
        "a product fault, a labelling error, a hazard in a store; treat it as our fault "
        "until shown otherwise",
        "refund and collection of the product, covering their "
        "costs, a named contact on the safety side",
    ),
}
_GENERIC = (
    "what happened, when, and what would make it right for them",
    "a recent change on our side, a gap between what we promised and what happened",
    "what we can change, or an honest explanation of why not",
)
_SERIOUS = {"legal", "safety"}
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def followup(
    mention: Mention, analysis: Analysis, priority: Priority, support_link: str | None
) -> list[str]:
    """The checklist for the private conversation, pre-filled with what we know."""
    asks, causes, options = _PLAYBOOK.get(analysis.category, _GENERIC)
    handle = _handle(mention.platform, mention.author)
    cues = set(analysis.severity_cues)
    # Post text is hostile: one line, no bidi or zero-width tricks; renderers still escape it.
    quote = " ".join(_INVISIBLE.sub("", mention.text).split())
    quote = quote if len(quote) <= 200 else quote[:199] + "…"
    known = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in analysis.specifics.items())
    private = platform_of(mention.platform).private_channel
    if support_link:
        private += f", or send them {support_link}"
    where = analysis.specifics.get("channel", mention.platform)
    steps = [
        f"Post the public reply to {handle} on {where} (reach {mention.reach:,}; "
        f"{analysis.category_label}): {mention.url or 'no link'}",
        f"Reach out privately ({private}) and get the details before promising anything: "
        f"{asks}. They wrote: “{quote}”. Known so far: {known or 'nothing beyond the post'}.",
        "Paraphrase their problem back in your own words and acknowledge how it felt; "
        "check you have understood it before moving on.",
    ]
    if priority.level == "P1" or cues & _SERIOUS:
        steps.append(
            f"Tell your supervisor now ({priority.describe()}) and agree the answer "
            "together before committing to anything."
        )
    steps += _cue_steps(cues)
    steps += [
        f"Here's what happened: echo the problem ({analysis.category_label}) as they lived "
        "it, plainly.",
        "Here's why: give the root cause. If it is not known yet, say so and name the "
        f"candidates you are checking (e.g. {causes}).",
        f"Here's what's next: offer options ({options}) and the actions on both sides: "
        "what we will do and by when, what we need from them.",
        "Check that each step is acceptable to them before you act on it; stay in the private "
        "channel until they confirm it is fixed.",
        "After the fix: record cause, fix and lesson (amends resolve ID --cause … --fix … "
        "--lesson …) and ask if they have a suggestion that would prevent a repeat.",
    ]
    return steps


def _cue_steps(cues: set[str]) -> list[str]:
    notes = {
        "safety": "Safety: ask whether anyone is hurt, ask them to stop using the product, and "
        "report it to the product or safety owner today.",
        "legal": "Legal threat: stick to facts, make no statement about liability, and bring "
        "in whoever handles legal matters.",
        "repeat": "They have contacted us before: find the earlier contacts first so they do "
        "not have to repeat themselves.",
        "refund": "They ask for their money back: check eligibility now and tell them clearly "
        "whether and when it will arrive.",
        "churn": "They talk about leaving: fix the problem first; any offer comes after, never "
        "instead.",
        "callout": "They called us out in public: once it is fixed, ask whether they are happy "
        "for you to post a short update in the thread.",
        "outage": "Outage: check the status page and incident channel; link their report to "
        "the incident.",
    }
    return [text for cue, text in notes.items() if cue in cues]


# --- checking team templates at config load ---------------------------------------------


def check_templates(config: Config) -> list[Problem]:
    """``check_team_templates`` as a config check: the CLI passes it to ``load_config``
    so a bad template is reported with the config's file and line."""
    return [(("drafting", "templates"), p) for p in check_team_templates(config.drafting)]


def check_team_templates(settings: DraftingSettings) -> list[str]:
    """Problems with the team's templates: syntax, unknown names, checker findings."""
    try:
        sources = team_sources(settings)
    except (OSError, UnicodeDecodeError) as exc:
        return [f"templates_dir: cannot read templates: {exc}"]
    labels = {c.key: c.label for c in (*BUILTIN, OTHER)} | {
        c.key: c.label for c in settings.categories
    }
    env = _env()
    problems: list[str] = []
    for key, variants in sources.items():
        platform, _, category = key.partition(".")
        if category not in labels:
            problems.append(
                f"templates '{key}': no category '{category}' (known: {', '.join(sorted(labels))})"
            )
            continue
        for i, source in enumerate(variants, 1):
            where = f"templates '{key}' variant {i}"
            problems += [
                f"{where}: {p}"
                for p in _check_variant(env, source, platform, category, labels[category])
            ]
    return problems


def _check_variant(
    env: SandboxedEnvironment, source: str, platform: str, category: str, label: str
) -> list[str]:
    try:
        template = env.from_string(source)
    except TemplateError as exc:
        return [f"does not compile: {exc}"]
    known = {"order": "AB-1234567", "product": "Model 9000 Pro blender", "wait": "three weeks"}
    bare = Analysis(category=category, category_label=label)
    full = Analysis(category=category, category_label=label, specifics=known)
    sample = Mention(
        platform=platform,
        platform_id="sample",
        author="sample_user_15ch",
        text="",
        url="",
        created_at=datetime.now(UTC),
    )
    found: dict[str, str] = {}
    for analysis in (bare, full):  # specific even when nothing is known; short when much is
        ctx = _context(sample, analysis, "Alexandra", "https://example.com/support")
        try:
            text = " ".join(template.render(**ctx).split())
        except TemplateError as exc:
            return [f"does not render: {exc}"]
        for finding in check_reply(text, platform=platform, analysis=analysis):
            found.setdefault(finding.code, finding.message)
    return [f"{code}: {message}" for code, message in found.items()]
