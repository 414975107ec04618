"""The private follow-up task: a checklist pre-filled with what we know.

Its shape is the guidance's (REPLY-GUIDANCE.md 3, 7, 8, 9): get the details,
paraphrase, tell the supervisor when it matters, then "here's what happened,
here's why, here's what's next", check each step, close the loop. What to ask
for, which causes to check and which options to offer depend on the kind of
problem: a lost bag gets the bag checklist, never the parcel one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.core.models import Analysis, Mention, Priority
from monitor.respond.categories import BASIS
from sources import platform as platform_of


@dataclass(frozen=True, slots=True)
class Playbook:
    asks: str  # what to ask for in private
    causes: str  # candidates to check when the cause is not known
    options: str  # what to offer


_P = Playbook
PLAYBOOKS: dict[str, Playbook] = {
    "delivery": _P(
        "the order number, the delivery address, what the tracking shows",
        "a stock or dispatch delay, a hand-over problem after dispatch, a wrong address on "
        "file, a tracking update that never posted",
        "resend by express, a refund, or a new date that suits them",
    ),
    "delay": _P(
        "the flight, train or service and its date, where they are now, what they were told "
        "and what the delay has cost them (a connection, a booking, a night)",
        "crew or vehicle availability, an earlier knock-on delay, a fault, weather or air "
        "traffic control (outside our control: say so, and still own looking after them)",
        "rebooking, meals or a hotel if they are stuck, delay compensation where the rules "
        "give it, a clear timeline of what happens next",
    ),
    "disruption": _P(
        "the booking or ticket, the cancelled or changed service, where they are now, "
        "whether they have a way to continue",
        "a cancellation on our side, a timetable or system change, an overbooking, an outside "
        "cause (say which, and own getting them moving)",
        "rebooking on the next service, a refund, a hotel or transport if they are stranded",
    ),
    "luggage": _P(
        "the bag tag number, the flight or service, a description of the bag, what is "
        "missing or damaged",
        "a bag left behind at a transfer, a tag misread, damage in handling, interference "
        "with the contents",
        "tracing and delivery to their address, interim expenses, repair or replacement, a "
        "claim for missing contents",
    ),
    "billing": _P(
        "the amounts and dates of the charges, the last 4 digits of the card (never the full "
        "number), the account email",
        "a payment taken twice, a cancellation that was not processed, a price or plan change, "
        "a refund stuck in processing",
        "refund of the wrong charge, account credit, a corrected invoice",
    ),
    "defect": _P(
        "the product and model, when they bought it, what it does wrong, photos or a video",
        "a faulty batch, damage in transit, a design weakness, a software update, "
        "unclear care instructions",
        "repair, replacement or refund, and what the warranty covers",
    ),
    "quality": _P(
        "what they received, photos, the order or receipt, what they expected",
        "a preparation or packing mistake, a poor batch, a listing or picture that "
        "promised more than the product",
        "a replacement done right, a refund, a goodwill gesture",
    ),
    "staff": _P(
        "where and when it happened, what was said, names if they know them",
        "a training gap, a short-handed shift, a rule applied too rigidly, a misunderstanding",
        "an apology from the manager, a goodwill gesture, what will change",
    ),
    "contact": _P(
        "what they contacted us about, when and how (phone, email, chat, messages), any case "
        "number they were given",
        "a queue that is too long, a message that went unread, a hand-over between teams "
        "that dropped it, a promised call back never booked",
        "solving the original problem now, by the person who has it, and a direct way to "
        "reach that person",
    ),
    "outage": _P(
        "what they were trying to do, device and app version, the error shown, when it started",
        "a recent release, an infrastructure incident, a login or payment dependency, a "
        "device-specific bug",
        "doing the task for them by hand, waiving fees for anything they missed, a message "
        "when it is fixed",
    ),
    "account": _P(
        "the account email or username (never the password), what they see when they try",
        "a verification email or SMS not delivered, a lockout rule, a security hold, an "
        "account merge mistake",
        "guided recovery now, a security check, restoring anything lost",
    ),
    "safety": _P(
        "whether anyone is hurt, the product and batch, photos, where it happened",
        "a product fault, a labelling error, a hazard in a store; treat it as our fault until "
        "shown otherwise",
        "refund and collection of the product, covering their costs, a named contact on the "
        "safety side",
    ),
    "conditions": _P(
        "where and when (store, station, train, room), photos if they have them",
        "a missed cleaning round, broken equipment not reported, too few staff on shift, "
        "a queue nobody managed",
        "getting it fixed on site today, telling them when it is done, a goodwill gesture",
    ),
    "stock": _P(
        "which item, size or variant, and where they looked (store, site, app)",
        "a supply shortage, a listing not yet live, a store not stocking it, a product withdrawn",
        "where and when they can get it, a reservation or notification, an alternative",
    ),
}
GENERIC = _P(
    "what happened, when, and what would make it right for them",
    "a recent change on our side, a gap between what we promised and what happened",
    "what we can change, or an honest explanation of why not",
)
_SERIOUS = {"legal", "safety", "welfare", "theft", "churn"}
_CUE_NOTES = {
    "safety": "Safety: ask whether anyone is hurt, ask them to stop using or keep clear of "
    "what put them at risk, and report it to the product or safety owner today.",
    "welfare": "Someone may be at risk (a child, medication, a disability, stranded): ask "
    "first whether they are safe and what they need right now, and solve that before "
    "anything else.",
    "theft": "Theft or fraud: take it seriously in private, tell them how to report it, "
    "and bring in whoever handles security or fraud today.",
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
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_QUOTE_MAX = 200
# Specifics that have steps of their own, or are not facts for the responder.
_OWN_STEP = ("problem", "question", "thread", "channel", "private", BASIS)
_PRIVATE_STEPS = {
    "sent": "They say they already sent us a private message: find it and answer there "
    "before asking for anything again.",
    "blocked": "They say a private message to us won't go through: check that our DMs are "
    "open to them, or reach them another way, before asking again.",
}


def followup(
    mention: Mention,
    analysis: Analysis,
    priority: Priority,
    support_link: str | None,
    *,
    handle: str,
    needs_edit: bool = False,
) -> list[str]:
    """The checklist for the private conversation, pre-filled with what we know."""
    spec = analysis.specifics
    # On a close call between categories the encoder is as often wrong as right: a
    # checklist for the wrong kind of problem misleads more than a general one.
    close = spec.get(BASIS) == "close"
    play = GENERIC if close else PLAYBOOKS.get(analysis.category, GENERIC)
    cues = set(analysis.severity_cues)
    # Post text is hostile: one line, no bidi or zero-width tricks; renderers still escape it.
    quote = " ".join(_INVISIBLE.sub("", mention.text).split())
    quote = quote if len(quote) <= _QUOTE_MAX else quote[: _QUOTE_MAX - 1] + "…"
    known = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in spec.items() if k not in _OWN_STEP)
    private = platform_of(mention.platform).private_channel
    if support_link:
        private += f", or send them {support_link}"
    what = spec.get("problem") or analysis.category_label
    steps = []
    if spec.get("thread"):
        steps.append(
            f"Read the thread first: this is a reply inside a conversation "
            f"({mention.url or 'no link'}); answer in that context and don't ask for what "
            "they already told us."
        )
    steps.append(
        f"{'Edit, then post' if needs_edit else 'Post'} the public reply to {handle} on "
        f"{spec.get('channel', mention.platform)} (reach {mention.reach:,}; "
        f"{analysis.category_label}): {mention.url or 'no link'}"
    )
    if needs_edit:
        steps.append(
            "Edit before posting: the kind of problem is uncertain, so the draft is generic; "
            "make it name what they told us."
        )
    if note := _PRIVATE_STEPS.get(spec.get("private", "")):
        steps.append(note)
    steps += [
        f"Reach out privately ({private}) and get the details before promising anything: "
        # A quote that ends its own sentence ("…court.") takes no second full stop.
        f"{play.asks}. They wrote: “{quote}”{'' if quote[-1:] in '.!?…' else '.'} Known so far: "
        f"{known or 'nothing beyond the post'}.",
        f"Paraphrase their problem ({what}) back in your own words and acknowledge how it "
        "felt; check you have understood it before moving on.",
    ]
    if asked := spec.get("question"):
        steps.append(f"Answer their question: “{asked}”")
    if priority.level == "P1" or cues & _SERIOUS:
        steps.append(
            f"Tell your supervisor now ({priority.describe()}) and agree the answer "
            "together before committing to anything."
        )
    steps += [note for cue, note in _CUE_NOTES.items() if cue in cues]
    steps += [
        f"Here's what happened: echo the problem ({what}) as they lived it, plainly.",
        "Here's why: give the root cause. If it is not known yet, say so and name the "
        f"candidates you are checking (e.g. {play.causes}). If the cause is outside our "
        "control, say so plainly and still own what we do next.",
        f"Here's what's next: offer options ({play.options}) and the actions on both sides: "
        "what we will do and by when, what we need from them.",
        "Check that each step is acceptable to them before you act on it; stay in the private "
        "channel until they confirm it is fixed.",
        "After the fix: record cause, fix and lesson (amends resolve ID --cause … --fix … "
        "--lesson …) and ask if they have a suggestion that would prevent a repeat.",
    ]
    return steps
