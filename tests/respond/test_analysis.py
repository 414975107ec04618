"""Category, specifics and severity cues, on the labelled complaints and by hand."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from monitor.classify.embedding import MiniLMEmbedder
from monitor.config import CategorySettings, DraftingSettings
from monitor.core.models import Analysis, Mention
from monitor.respond.analysis import (
    BASIS,
    SEVERITY,
    CategorySet,
    analyse,
    basis,
    category_set,
    cue_hits,
    decide,
    severity_cues,
    specifics,
)
from monitor.respond.category_model import CategoryModel

FIXTURE = Path(__file__).parents[1] / "fixtures" / "complaints_labelled.jsonl"
CATEGORIES = {
    "delivery",
    "delay",
    "disruption",
    "luggage",
    "billing",
    "defect",
    "quality",
    "staff",
    "contact",
    "outage",
    "account",
    "safety",
    "conditions",
    "stock",
    "other",
}
# The labelled fixture predates the finer categories: each new one refines old labels
# (a lost bag was "delivery", a queue "other"), and counts as right for those.
REFINES = {
    "delay": {"delivery"},
    "disruption": {"delivery"},
    "luggage": {"delivery"},
    "quality": {"defect", "other"},
    "contact": {"staff"},
    "conditions": {"other"},
    "stock": {"other"},
}
CUES = {"legal", "safety", "churn", "refund", "repeat", "callout", "outage"}


def agrees(got: str, labelled: str) -> bool:
    return got == labelled or labelled in REFINES.get(got, set())


@functools.cache
def load_embedder() -> MiniLMEmbedder:
    """One encoder per test process, shared with test_drafting."""
    return MiniLMEmbedder()


def labelled() -> list[dict[str, str]]:
    return [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines() if line]


class BatchedEmbedder:
    """The real encoder, fed all texts in one batch up front (analyse() asks one at a time,
    which on a busy 2-core box is several times slower)."""

    def __init__(self, inner: MiniLMEmbedder, texts: list[str]) -> None:
        self._inner = inner
        self._rows = dict(zip(texts, inner.embed(texts), strict=True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._rows]
        if missing:
            self._rows.update(zip(missing, self._inner.embed(missing), strict=True))
        return np.stack([self._rows[t] for t in texts])


@functools.cache
def analysed_rows() -> tuple[tuple[dict[str, str], Mention, Analysis], ...]:
    """Every labelled complaint analysed once with the model (the slow part, shared)."""
    embedder = BatchedEmbedder(load_embedder(), [r["text"] for r in labelled()])
    cats = category_set(DraftingSettings(), embedder)
    out = []
    for i, row in enumerate(labelled()):
        m = mention(row["text"], row["platform"], row["author"], pid=str(i))
        out.append((row, m, analyse(m, embedder=embedder, categories=cats)))
    return tuple(out)


def mention(text: str, platform: str = "x", author: str = "someone", pid: str = "1") -> Mention:
    return Mention(
        platform=platform,
        platform_id=pid,
        author=author,
        text=text,
        url="https://example.com/p/1",
        created_at=datetime.now(UTC),
    )


def analysed_text(
    text: str, categories: CategorySet, embedder: MiniLMEmbedder | None = None
) -> Analysis:
    """The analysis of one post, with the encoder or (without it) the rules alone."""
    return analyse(mention(text), embedder=embedder, categories=categories)


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    return load_embedder()


@pytest.fixture(scope="session")
def builtin(embedder: MiniLMEmbedder) -> CategorySet:
    return category_set(DraftingSettings(), embedder)


def test_labelled_set_is_big_and_varied() -> None:
    rows = labelled()
    assert len(rows) >= 60
    counts = Counter(r["category"] for r in rows)
    assert set(counts) <= CATEGORIES and min(counts.values()) >= 8
    assert {r["platform"] for r in rows} == {"x", "reddit"}
    assert len({r["text"] for r in rows}) == len(rows)


def accuracy(split: str, embedder: object) -> float:
    if embedder is None:
        cats = category_set(DraftingSettings(), None)
        got = [(r, analyse(m, embedder=None, categories=cats)) for r, m, _ in analysed_rows()]
    else:
        got = [(r, a) for r, _, a in analysed_rows()]
    mine = [(r, a) for r, a in got if r.get("split", "dev") == split]
    return sum(agrees(a.category, r["category"]) for r, a in mine) / len(mine)


def test_category_accuracy_does_not_regress(embedder: MiniLMEmbedder) -> None:
    # Measured with the finer categories and "other" for close calls: dev 89%, holdout 75%,
    # holdout2 71% (before them: 95%, 88%, 79%, with coarser labels and no "uncertain").
    # With the learned choice fitted on all 600 (now 998) annotated real complaints: dev
    # 92%, holdout 67% (16/24), holdout2 79% (19/24); fitted on 360 it was 90%, 75%, 75%. The
    # 24-row hand-written holdouts move by a row or two either way, so they are also held
    # together (35/48 against 36/48); the real complaints' ten-fold figure is
    # benchmarks/fit_categories.py's. Falling below the floors means a change made
    # categorisation worse.
    assert accuracy("dev", embedder) >= 0.85
    assert accuracy("holdout", embedder) >= 0.65
    assert accuracy("holdout2", embedder) >= 0.65
    assert (accuracy("holdout", embedder) + accuracy("holdout2", embedder)) / 2 >= 0.70


def test_the_model_beats_cue_words_alone(embedder: MiniLMEmbedder) -> None:
    assert accuracy("holdout2", embedder) > accuracy("holdout2", None) + 0.15


def test_without_a_model_cue_words_still_categorise() -> None:
    cats = category_set(DraftingSettings(), None)
    assert (
        analyse(mention("I was charged twice"), embedder=None, categories=cats).category
        == "billing"
    )
    assert analyse(mention("meh"), embedder=None, categories=cats).category == "other"


# A team's own category, as a config file would declare it.
BAGGAGE = CategorySettings(
    key="baggage",
    label="your baggage",
    description="Checked luggage lost, delayed or damaged on a flight.",
    examples=["my suitcase never arrived", "bag came back broken", "lost luggage"],
    cues=["suitcase", "baggage carousel"],
)


def test_team_category_from_config(embedder: MiniLMEmbedder) -> None:
    cats = category_set(DraftingSettings(categories=[BAGGAGE]), embedder)
    got = analyse(
        mention("Waited at the baggage carousel for an hour, my suitcase never showed up"),
        embedder=embedder,
        categories=cats,
    )
    assert (got.category, got.category_label) == ("baggage", "your baggage")
    # The built-in ones are still there.
    billing = analyse(
        mention("You charged my card twice for one ticket"), embedder=embedder, categories=cats
    )
    assert billing.category == "billing"


def test_team_category_can_replace_a_builtin_label(embedder: MiniLMEmbedder) -> None:
    settings = DraftingSettings(
        categories=[
            CategorySettings(
                key="delivery", label="late shipment", description="A shipment is late or missing."
            )
        ]
    )
    got = analyse(
        mention("my parcel is two weeks late"),
        embedder=embedder,
        categories=category_set(settings, embedder),
    )
    assert (got.category, got.category_label) == ("delivery", "late shipment")


def always(answer: str, cats: CategorySet, floor: float = 0.5) -> CategoryModel:
    """A learned choice that answers ``answer`` whatever the post (its bias alone), having
    seen every category but safety often enough to judge it."""
    keys = tuple(c.key for c in cats.categories)
    bias = np.array([8.0 if k == answer else 0.0 for k in keys], dtype=np.float32)
    weights = np.zeros((len(keys), 384 + 2 * len(keys)), dtype=np.float32)
    support = tuple(3 if k == "safety" else 50 for k in keys)
    return CategoryModel(keys, keys, weights, bias, floor, support)


def test_the_learned_choice_decides_among_the_built_ins(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    post = mention("my parcel never arrived")
    assert analyse(post, embedder=embedder, categories=builtin).category == "delivery"
    billing = dataclasses.replace(builtin, model=always("billing", builtin))
    assert analyse(post, embedder=embedder, categories=billing).category == "billing"
    # Not sure enough: the generic draft.
    unsure = dataclasses.replace(builtin, model=always("billing", builtin, floor=0.9999))
    assert analyse(post, embedder=embedder, categories=unsure).category == "other"
    # No learned choice at all: the rules alone.
    rules = dataclasses.replace(builtin, model=None)
    assert analyse(post, embedder=embedder, categories=rules).category == "delivery"


def test_a_safety_pick_and_the_team_s_own_category_stand(embedder: MiniLMEmbedder) -> None:
    cats = category_set(DraftingSettings(categories=[BAGGAGE]), embedder)
    cats = dataclasses.replace(cats, model=always("billing", cats))
    fire = mention("My charger caught fire on the desk last night, it could have burned the house")
    assert analyse(fire, embedder=embedder, categories=cats).category == "safety"
    bag = mention("Waited an hour at the carousel, my suitcase never showed up")
    assert analyse(bag, embedder=embedder, categories=cats).category == "baggage"


def test_a_parcel_that_came_spoilt_is_what_they_received_not_a_late_delivery(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    # Whatever the learned choice says, a delivery that happened is not "late": the
    # delivery template would promise to find out where the parcel stands.
    cats = dataclasses.replace(builtin, model=always("delivery", builtin))
    soaked = mention("driver left my parcel in the rain outside and it's soaked through")
    assert analyse(soaked, embedder=embedder, categories=cats).category == "quality"
    smashed = mention("the order arrived today with the lamp smashed")
    assert analyse(smashed, embedder=embedder, categories=cats).category == "quality"
    missing = mention("tracking says delivered but nothing here, where is my parcel")
    assert analyse(missing, embedder=embedder, categories=cats).category == "delivery"


def test_a_flight_delay_is_a_journey_not_a_delivery(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    got = analyse(
        mention("Flight BA283 delayed 6 hours at the gate, nobody tells us anything"),
        embedder=embedder,
        categories=builtin,
    )
    assert got.category == "delay" and got.category_label == "delayed journey"
    assert got.specifics["flight"] == "BA283" and got.specifics["wait"] == "6 hours"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("why did you all get rid of the crispy taco", "stock"),
        ("please take the wrap off the menu never", "stock"),
        ("when will these tartan trousers be in the UK", "stock"),
        ("internet has been out for hours", "outage"),
        ("no power in our street since noon", "outage"),
        ("the console is not connecting online at all", "outage"),
        ("updated but still getting time outs", "outage"),
        ("checked online and we won't get power back till the 11th", "outage"),
        ("the whole estate lost power again last night", "outage"),
        ("my printer won't print since Monday", "defect"),
        ("the laptop doesn't turn on any more", "defect"),
        ("the box came crushed and the lamp inside is damaged", "defect"),
        ("left my parcel out in the rain, it's soaked through", "defect"),
        ("still charging me after I cancelled in March", "billing"),
        ("the conductor shouted at my mum in front of everyone", "staff"),
        ("totally humiliating treatment at the desk", "staff"),
        ("every time I call I'm told someone will ring me back", "contact"),
        ("they said they'd sort it. Nobody ever does", "contact"),
        ("my bag never made it off flight 2231", "luggage"),
        ("jeans ripped at the seam on the second wear", "quality"),
        ("power's been off on Mill Lane for 11 hours", "outage"),
        ("21:30 sailing cancelled with 10 mins notice", "disruption"),
        ("the 07:42 to Harbourside cancelled again", "disruption"),
        ("no water in our street since 5am", "outage"),
        ("the whole village has been without water since Tuesday", "outage"),
        ("driver ended the trip halfway and left me there", "staff"),
        ("cancelled the 21:30 sailing from Holyhead with an hour's notice", "disruption"),
        ("the barista rolled his eyes at me", "staff"),
        ("the driver made her get out half a mile from home", "staff"),
        ("a teacher told my son he was too slow for the class", "staff"),
        ("2 hrs sat outside the station with the loos locked", "delay"),
        ("the 7:10 number 42 hasn't turned up 3 mornings running", "disruption"),
        ("my bag came off the carousel with the handle ripped off", "luggage"),
        ("the gearbox has gone after 5 weeks", "defect"),
        ("someone got into my account overnight and moved £640", "account"),
        ("the pothole outside the school, my neighbour came off his bike", "safety"),
        ("a smashed jar in aisle 6, a toddler nearly walked through it", "safety"),
        ("treadmills with out of order signs for a month, showers are stone cold", "conditions"),
        ("the app still says 'rider nearby' after 2 hours", "delivery"),
        ("the 8:04 is sat outside Dunford again", "delay"),
        ("the toaster died after 9 days", "defect"),
        ("engine light came on the drive home", "defect"),
        ("the driver drove straight past me at the stop", "staff"),
        ("someone did a SIM swap on my number last night", "account"),
        ("the whole hallway smells of gas", "safety"),
        ("my renewal quote went from £412 to £688", "billing"),
        ("your chatbot keeps asking if i want to check my balance", "contact"),
        ("oat milk at the Kingsway store. never any", "stock"),
        ("5 hrs in departures with zero updates", "delay"),
        ("charging £65 for a 'missed appointment' is a joke", "billing"),
        ("you've taken £34.99 three more times since", "billing"),
        ("number 31 in the queue. got through at 9:12", "contact"),
        ("the left ear's already dead", "defect"),
        ("someone got mugged under it last week", "safety"),
        ("the dog food bag was crawling with little moths", "quality"),
        ("the receptionist actually laughed when i said my dog was ill", "staff"),
        ("my driver ran 2 red lights and was texting the whole way", "safety"),
        ("bag came back on the carousel with the lock cut off", "luggage"),
        ("your security guard followed me round the whole shop", "staff"),
        ("'you are caller number 34'. 70 mins in the phone queue", "contact"),
        ("cancelling the 06:15 sailing by TEXT at 05:40", "disruption"),
        ("the manager was so rude to my mum", "staff"),
        ("sped up on its own and threw me off. grazed knees", "safety"),
        ("asked him to put it down and he laughed. genuinely felt unsafe", "safety"),
        ("landed at 11pm and my bag is apparently still in Manchester", "luggage"),
        ("5 hrs now. still no water in Ashby Close, ETA??", "outage"),
        ("the pad thai came stone cold and half of it had leaked into the bag", "quality"),
        ("the steak though? grey, chewy and lukewarm", "quality"),
        ("ONE rail replacement bus for a whole train at Yeovil", "disruption"),
        ("red line replaced by shuttle buses again with zero notice", "disruption"),
        ("the charging case has stopped charging after 5 weeks", "defect"),
        ("the thermostat is STILL beeping every 30 seconds", "defect"),
        ("room 314 has black mould round the shower and the carpet is damp", "conditions"),
        ("third time for my dad's heart tablets and they're 'still on order'", "stock"),
        ("claim submitted 11 weeks ago. 9 emails, 0 replies", "contact"),
        ("why did i find out the Year 8 trip was cancelled from whatsapp", "disruption"),
        ("instructor cancelled my lesson 20 mins before", "disruption"),
        ("@ferryco cancel the 14:30 sailing from Oban with 20 mins notice", "disruption"),
        ("is sync broken for everyone or just me? lists differ since 9am", "outage"),
        ("the pharmacist read out what my prescription was for, LOUDLY", "staff"),
        ("order 559-2210 was meant to come tuesday. its saturday", "delivery"),
        ("3 hrs 20 mins wait at the walk-in clinic with a 2yo", "delay"),
        ("done that twice already. the reset email never comes", "account"),
        ("the engine management light's been on since day 2", "defect"),
        ("the screen started flickering on day 4, now half of it is green lines", "defect"),
        ("3rd branch today and NOBODY has my son's salbutamol inhaler", "stock"),
        ("asked for oat milk, got dairy. im lactose intolerant", "quality"),
        ("no water at all on Fenwick Street since 6am", "outage"),
        ("no water in the whole of Kingsford since last night", "outage"),
        ("the water's been off on Fenwick Road since 6am and not even a text", "outage"),
        ("reported the damp and black mould in my daughter's bedroom in JANUARY", "conditions"),
        ("the strawberries furry with mould, oat milk subbed for dog food", "quality"),
        ("3rd time this month the 38 has driven straight past me at the stop", "staff"),
        ("@airco cancelled AV2291 to Lisbon AT THE GATE at 11pm", "disruption"),
    ],
)
def test_cue_words_name_common_phrasings(builtin: CategorySet, text: str, category: str) -> None:
    assert cue_hits(text, builtin)[category] > 0


def test_a_cause_they_excuse_names_no_category(builtin: CategorySet) -> None:
    text = (
        "flight got cancelled (not on you) so we checked in at 2am and the night manager "
        "said there was no record of us and shut the hatch"
    )
    assert cue_hits(text, builtin)["disruption"] == 0


def test_a_claim_number_is_a_reference() -> None:
    assert specifics(mention("claim CLM-3398210 submitted 6 weeks ago"))["claim"] == "CLM-3398210"
    assert "claim" not in specifics(mention("i want to claim for my car"))


def test_an_engineer_who_did_not_come_is_the_thing(builtin: CategorySet) -> None:
    text = "@fibreco day 5. still down. and the engineer didnt turn up for the 8-12 slot either"
    found = analysed_text(text, builtin)
    assert found.specifics.get("problem") == "the engineer", found.specifics


def test_money_wanted_back_is_billing_not_the_account_it_sits_in(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    text = "@gasco no. i dont want a credit on my account, i want the £112 back in my bank"
    found = analysed_text(text, builtin, embedder)
    assert found.category != "account", found
    locked = "@bankco locked out of my account, i want my £5 fee back"
    assert analyse(mention(locked), embedder=embedder, categories=builtin).category == "account"


def test_a_break_in_is_no_account_problem(builtin: CategorySet) -> None:
    assert cue_hits("someone got into our room and my watch is gone", builtin)["account"] == 0
    assert cue_hits("someone got into my account and changed the email", builtin)["account"]


@pytest.mark.parametrize(
    "text",
    [
        "reported the gas smell in the kitchen on monday. no engineer. there's a newborn here",
        "found a chunk of hard blue plastic in my son's chicken nuggets. he nearly swallowed it",
        # a CO alarm sounding is the danger, not a fault in the alarm
        "the CO alarm in flat 3 has gone off twice this week and your engineer cant come",
        # someone fell, said as "went down"
        "a massive puddle by the freezers, no sign, and an old man went down in front of me",
        "the chiller is leaking all over the floor. watched an old man slip on it",
        "broken glass all over the playground for 2 weeks. my 4yo cut her hand on it today",
    ],
)
def test_a_danger_gets_the_safety_reply(builtin: CategorySet, text: str) -> None:
    found = analysed_text(text, builtin)
    assert found.category == "safety", found


def test_someone_hurt_gets_the_safety_reply(builtin: CategorySet) -> None:
    text = (
        "the floor by the freezers has been wet for DAYS. my nan slipped on it this morning "
        "and split her hand open. staff put a cone down AFTER"
    )
    found = analysed_text(text, builtin)
    assert found.category == "safety" and found.specifics[BASIS] == "named"


def test_a_manager_asked_for_names_no_staff_complaint(builtin: CategorySet) -> None:
    assert cue_hits("ask to speak to a manager and the call just drops", builtin)["staff"] == 0


def test_praise_a_post_opens_with_names_no_category(builtin: CategorySet) -> None:
    text = "Love the staff, lovely lot. the toaster tho died after 9 days, then a pop and smoke"
    assert cue_hits(text, builtin)["staff"] == 0 and cue_hits(text, builtin)["defect"] > 0


def test_paying_a_bill_is_a_task_not_a_billing_problem(builtin: CategorySet) -> None:
    logged_out = "your app logs me out every time I try to pay a bill"
    assert cue_hits(logged_out, builtin)["billing"] == 0
    assert cue_hits(logged_out, builtin)["account"] > 0
    assert cue_hits("my bill doubled this month", builtin)["billing"] > 0


def test_how_far_the_category_is_trusted(builtin: CategorySet, embedder: MiniLMEmbedder) -> None:
    named = analyse(mention("my parcel never arrived"), embedder=embedder, categories=builtin)
    assert named.category == "delivery" and named.specifics[BASIS] == "named"
    # No cue word of the category: the encoder's call, with a clear lead or a narrow one.
    scores = {"delivery": 0.50, "billing": 0.40, "other": 0.0}
    assert basis("delivery", scores, {"delivery": 0, "billing": 0}) == "inferred"
    close = {"delivery": 0.50, "billing": 0.47, "other": 0.0}
    assert basis("delivery", close, {"delivery": 0, "billing": 0}) == "close"
    assert basis("delivery", close, {"delivery": 1, "billing": 0}) == "named"
    # Wanting their money back names billing in their own words.
    assert basis("billing", {"billing": 0.4, "other": 0.39}, {}, ("refund",)) == "named"


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("Order #HL-88213 never came", "order", "HL-88213"),
        ("order number: 559-2231-88 says delivered", "order", "559-2231-88"),
        ("flight FN 102 lost my bag", "flight", "FN 102"),
        ("support ticket 77812 open for days", "ticket", "77812"),
        ("booking ref QX7H2P charged a fee", "booking", "QX7H2P"),
        ("my new Blendmax 900 blender died", "product", "Blendmax 900 blender"),
        ("the handle on my kettle cracked", "product", "kettle"),
        ("still waiting after 3 weeks", "wait", "3 weeks"),
        ("tracking stuck since Monday", "wait", "since monday"),
        ("two hours late again", "wait", "two hours"),
        ("I called and was on hold forever", "contacted_via", "phone"),
        # Said back as a reply would say it: plural, units spelt out.
        ("put on a 48 minute hold", "wait", "48 minutes"),
        # a board's words are no wait of theirs
        ("the 07:12 has said 'delayed 5 mins' for 40 mins now", "wait", "40 minutes"),
        # what a sum bought is no wait
        ("£890 for a week at the park and caravan 27 is filthy", "wait", None),
        # an age is no wait
        ("2 hrs 15 mins on hold. claim CLM-77 is 5 weeks old", "wait", "2 hours 15 minutes"),
        ("can't stream for 2+ hrs now", "wait", "2+ hours"),
        ("2 hrs 15 mins sat outside the station", "wait", "2 hours 15 minutes"),
        ("3 hrs later still on the phone with you", "wait", "3 hours"),
        ("£890 for a week and a 'sea view' of the car park", "amount", "£890"),
        ("quoted £450 for the dental, the bill came to £780", "amount", "£780"),
        # All of a wait given in two units.
        ("been on hold for 2 hours 40 minutes", "wait", "2 hours 40 minutes"),
        ("waited 1 hr and 20 mins for a reply", "wait", "1 hour 20 minutes"),
        ("2 hours 14 mins on hold today about my claim", "wait", "2 hours 14 minutes"),
        ("stuck for 2 hours 3 times this week", "wait", "2 hours"),
        ("4 hours on the tarmac with no water", "wait", "4 hours"),
        ("45 minutes to check in, one person on reception", "wait", "45 minutes"),
        ("charged me $1,200 per person to change", "amount", "$1,200"),
        ("scammed out of £40 on the store card", "amount", "£40"),
        # The sum, not the comma or full stop after it.
        ("paid £1,250, then they cancelled", "amount", "£1,250"),
        ("charged €9.5 twice. again", "amount", "€9.5"),
        ("£40. that's what it cost", "amount", "£40"),
        # A sum that changed: the new one is at issue.
        ("my bill jumped from £95 to £310 this month", "amount", "£310"),
        ("went up from $40 -> $65 overnight", "amount", "$65"),
        # What others pay is not theirs.
        ("bill up 14% while new customers get the same plan for £18", "amount", None),
        ("new customers pay £18 and I pay £31", "amount", "£31"),
    ],
)
def test_specifics(text: str, key: str, value: str | None) -> None:
    assert specifics(mention(text)).get(key) == value


def test_the_phrase_never_points_at_the_courier(builtin: CategorySet) -> None:
    # Said back, "the delivery driver" would blame the courier for a delivery we own.
    text = "the delivery driver left the box in the rain"
    found = analysed_text(text, builtin).specifics
    assert found.get("problem") == "the box"


def test_naming_no_thing_what_they_cannot_do_is_kept(builtin: CategorySet) -> None:
    found = analyse(mention("I can't check out at all"), embedder=None, categories=builtin)
    assert "problem" not in found.specifics
    assert found.specifics["said"] == "you can't check out"


def test_specifics_skip_lookalikes() -> None:
    found = specifics(
        mention(
            "My order arrived and the QuickBank app says error. Nobody "
            "answers the phone. My 2 year old loves it"
        )
    )
    assert "order" not in found and "product" not in found and "wait" not in found
    assert found["channel"] == "X"


def test_specifics_from_hostile_text_are_tame() -> None:
    text = "order #A1{{7*7}}<script> my new {{config}} Evil<b>9</b> blender, 3 weeks"
    for value in specifics(mention(text)).values():
        assert not set(value) & set("{}<>%'\"`$\\")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("My lawyer will be in touch", "legal"),
        ("I'm taking you to small claims court", "legal"),
        ("the charger caught fire", "safety"),
        ("my son had an allergic reaction", "safety"),
        ("the battery exploded on my desk", "safety"),
        ("I'm cancelling my subscription", "churn"),
        ("never ordering from you again", "churn"),
        ("I will never purchase a Kestrel kettle again", "churn"),
        ("you just lost my business", "churn"),
        ("asked for the form for the 4th times without response", "repeat"),
        ("I've called twice and got cut off", "repeat"),
        ("sent 3 emails, you never replied", "repeat"),
        ("been ignored ever since I messaged", "repeat"),
        ("I have been ignored for a week now", "repeat"),
        ("loyal for ten years, not loyal anymore", "churn"),
        ("bad signal again, I want to port out", "churn"),
        ("I'll read a different paper from now", "churn"),
        ("my car cut out on the motorway and I nearly got hit by a lorry", "safety"),
        ("soggy again, think I'll just stop eating there", "churn"),
        ("feel very unvalued... shopping around, any suggestions?", "churn"),
        ("up 57% without telling me. Consider the policy cancelled", "churn"),
        ("two weeks for an engineer, I am looking for another provider", "churn"),
        ("a 90% price rise, will not be renewing at that price", "churn"),
        ("charged twice again. Please cancel everything!", "churn"),
        ("rude staff, makes me not want to shop here again", "churn"),
        ("never called back. About to not spend a penny with you", "churn"),
        ("I cancelled with them, they wouldn't post until the 29th", "churn"),
        ("gave up waiting and went with Page Depot instead", "churn"),
        ("we're homeless until you connect the power", "welfare"),
        ("I want a full refund", "refund"),
        ("give me my money back", "refund"),
        ("still you are not returning my money", "refund"),
        ("this is the third time I've asked", "repeat"),
        ("I've emailed you 4 times", "repeat"),
        ("still no reply from anyone", "repeat"),
        ("a week on and my line still hasn't been fixed", "repeat"),
        ("the fault is still not resolved", "repeat"),
        ("sent an email about it and I haven't had a reply", "repeat"),
        ("I've visited your service centre more than 5 times", "repeat"),
        ("4 times going back to that store and still wrong", "repeat"),
        ("one last time: where is my refund?", "repeat"),
        ("third attempt to log in this week", "repeat"),
        ("2 hours in and on my 5th agent", "repeat"),
        ("the 4th rep just hung up on me", "repeat"),
        ("not the first time the app has lost my login", "repeat"),
        ("still waiting for someone to call me about the refund", "repeat"),
        ("any answer on my tweet from Monday?", "repeat"),
        ("months of letters and phone calls and you denied the claim", "repeat"),
        ("you are about to lose my business over this", "churn"),
        ("three outages this month, I may be switching over to Telly", "churn"),
        ("paying this much I may as well get a rival box", "churn"),
        ("rude again, I'm going across the street from now on", "churn"),
        ("you refuse to seat people with disabilities", "welfare"),
        ("no trains and I have an operation in the morning", "welfare"),
        ("missed the connection, stuck in Frankfurt overnight", "welfare"),
        ("flight cancelled and no hotel offered", "welfare"),
        ("day two stuck in the Lisbon airport", "welfare"),
        ("six hours on the tarmac for nothing", "welfare"),
        ("everyone avoid this company", "callout"),
        ("PSA: don't buy from them", "callout"),
        ("the site is down", "outage"),
        ("error 503 on every page", "outage"),
        ("the ring cam shows someone walking off with it", "theft"),
        ("someone drained £640 from my current account overnight", "theft"),
        ("someone took £1,450 out of my account last night", "theft"),
        ("nothing here. Either someone's nicked it or your driver lied", "theft"),
        ("stuck on the platform with my 2 kids in the rain", "welfare"),
        ("the ceiling is hanging down in my mum's kitchen. She's 82", "welfare"),
        ("I need it to get my daughter to her hospital appts", "welfare"),
        ("charged a late fee though I paid early. Please reverse it", "refund"),
        ("taken £12.99 every month since I cancelled. I want it all back", "refund"),
        ("@parcelco still nothing.", "repeat"),
        ("it's been 48hrs since you said someone would call", "repeat"),
        ("now it's May. Third date you've given me", "repeat"),
        ("my account got hacked and my gems are gone", "theft"),
        ("me and my 8yo are stuck at the station at 11pm", "welfare"),
        ("my dad is on a home oxygen machine", "welfare"),
        ("two kids asleep in the car and no room", "welfare"),
        ("premium up 38% at renewal, getting quotes elsewhere", "churn"),
        ("any restock date or should I just buy it elsewhere?", "churn"),
        ("every time I call I'm told someone will ring back", "repeat"),
        ("engineer visit booked twice, nobody came", "repeat"),
        ("reported it 3 days ago and still nothing", "repeat"),
        ("Using another courier from now on", "churn"),
        ("Complained about this last week too", "repeat"),
        ("4 emails, 2 calls, zero updates", "repeat"),
        ("your new face serum gave me a rash and swollen eyes", "safety"),
        ("no aircon, people were literally fainting", "safety"),
        ("left me at the roadside at 1am, on my own, phone on 8%", "welfare"),
        ("my suitcase came back slashed open", "theft"),
        ("my laptop is gone from my case", "theft"),
        ("she's out of her heart tablets", "welfare"),
        ("Can't ring my mum's care home to check on her", "welfare"),
        ("the doorbell cam shows some guy picking it up off my step", "theft"),
        ("still no money back. Third call today", "repeat"),
        ("2nd email this week", "repeat"),
        ("you said someone would call back within 48 hours", "repeat"),
        ("my driver was texting with both hands at 70mph on the M6", "safety"),
        ("I was alone in the back at 1am and genuinely scared", "welfare"),
        ("I'm 78 and on a pension, I cannot pay that", "welfare"),
        ("someone ported my number to a new SIM last night", "theft"),
        ("came out with the zip cut open", "theft"),
        ("9 years a subscriber, cancelling tonight", "churn"),
        ("I won't be coming back", "churn"),
        ("third engineer visit for the same washing machine", "repeat"),
        ("rung 3 times about moving my landline", "repeat"),
        ("Who's paying the €140 we've lost?", "refund"),
        ("sort it by tmrw or i'm off to literally anyone else", "churn"),
        ("it's a chargeback and i'm never coming back", "churn"),
        ("now stuck in Oban with 2 kids and the dog", "welfare"),
        ("he's 12. he came home in tears", "welfare"),
        ("took my mum out for her 80th", "welfare"),
        ("your driver is taking the parcel back off my step", "theft"),
        ("someone's clearly been through it, my headphones are gone", "theft"),
        ("reported it in MARCH and nobody came", "repeat"),
        ("hasn't turned up 3 mornings running", "repeat"),
        ("that's not what your colleague said yesterday", "repeat"),
        ("screenshot attached AGAIN", "repeat"),
        ("my suitcase was taken out of the hold at the Birmingham stop", "theft"),
        ("parcel gone, obviously", "theft"),
        ("one more day and im off to Coppervale", "churn"),
        ("all i want is a PAC code so i can LEAVE", "churn"),
        ("6 days since you promised me a call back", "repeat"),
        ("never any. every. single. week.", "repeat"),
        ("the whole hallway smells of gas", "safety"),
        ("smell of burning plastic, a pop, then nothing", "safety"),
        ("the lock's been snapped off. my sister's watch and €200 cash GONE", "theft"),
        ("left on the doorstep and it got nicked", "theft"),
        ("she's 6 with a nut allergy", "welfare"),
        ("my nan's 86 and lives with us", "welfare"),
        ("my dad's had chest pains all week", "welfare"),
        ("someone got mugged under it", "safety"),
        ("but i want my £23.60 back", "refund"),
        ("your guy on the phone said 24hrs", "repeat"),
        ("the THIRD delivery slot you've missed", "repeat"),
        ("4th week running the store's got empty shelves", "repeat"),
        ("done that 6 times this month. the internet's down AGAIN", "repeat"),
        ("the internet's down again. cancelling.", "churn"),
        ("genuinely done with you lot", "churn"),
        ("contract's up in june and i am GONE", "churn"),
        ("sort it out or I'm switching, simple as", "churn"),
        ("4 years of skins gone. uninstalling", "churn"),
        ("no calpol, 2 kids, no clothes", "welfare"),
        ("10pm, pouring rain, on my own", "welfare"),
        ("a bump on her forehead the size of an egg", "safety"),
        ("she nearly went over on the kerb last week", "safety"),
        ("someone got into my online banking and moved £640 out", "theft"),
        ("cancel it and give me my £1,149 back", "refund"),
        ("thats 5 months, £174.95 you owe me", "refund"),
        ("want it taken off my bill", "refund"),
        ("this is day 4 of 'someone will ring you'", "repeat"),
        ("2 delivery slots, nobody turned up either time", "repeat"),
        ("Third one this year. Same fault every time", "repeat"),
        ("I have been reporting the black mould since October", "repeat"),
        ("3 emails ignored", "repeat"),
        ("my driver ran 2 red lights. thought we were going to crash", "safety"),
        ("should i just port my number out tonight", "churn"),
        ("refund it or ill move to another network", "churn"),
        ("cancelling if its not fixed by next week", "churn"),
        ("my mom is on home oxygen and the backup tank is getting low", "welfare"),
        ("2 hungry kids and no dinner", "welfare"),
        ("the bullying my son's getting on the school bus", "welfare"),
        ("someone got into my Zentra account and moved £1,450 out", "theft"),
        ("2 days later it's listed on a local buy/sell page", "theft"),
        ("that's my rent money, i need it back before the 1st", "refund"),
        ("so who's paying for this", "refund"),
        ("rivet snapped and my dad went down onto the patio. 6 stitches", "safety"),
        ("the chicken sandwich was pink in the middle", "safety"),
        ("second X5 charger in 4 months that's MELTED", "repeat"),
        ("emailed @school 4 times about it", "repeat"),
        ("9 days now waiting on the call back", "repeat"),
        ("next stop is a complaint to the state insurance commissioner", "legal"),
        ("treadmill 7 sped up on its own and threw me off", "safety"),
        ("my nan slipped on it and split her hand open", "safety"),
        ("she fell and cut her arm open", "safety"),
        ("someone is going to lose an eye", "safety"),
        ("someone's going to break a hip", "safety"),
        ("found plastic in my burger, nearly cracked a tooth on it", "safety"),
        ("my mums repeat prescription for her heart tablets, she has 2 left", "welfare"),
        ("still sat in the waiting room with a 4 month old with a temperature", "welfare"),
        ("had my phone and wallet nicked out of a locker", "theft"),
        ("left my parcel 'in a safe place' aka ON TOP OF THE BIN. it's gone obviously", "theft"),
        ("reported the gas smell in the kitchen on monday", "safety"),
        ("fix it or I'm moving everything to a bank that works", "churn"),
        ("12 years i've banked with you, might be time to move", "churn"),
        ("honestly thinking of porting my number", "churn"),
        ("stuck on the hard shoulder with 2 little ones", "welfare"),
        ("2 kids and a dog in the car and nowhere to sleep", "welfare"),
        ("getting on with her stick", "welfare"),
        ("someone took my suitcase out of the hold", "theft"),
        ("someone got into our room while we were at dinner", "theft"),
        ("by the time i got home it was gone", "theft"),
        ("£69.98 back by friday or its trading standards", "refund"),
        ("we paid the £85 deposit. will we be getting it back", "refund"),
        ("as i said in my DM, the engineer was meant to come", "repeat"),
        ("water off since 7am and my dad's on home dialysis", "welfare"),
        ("stuck in Craignure with no way home and a dead phone", "welfare"),
        ("sailing cancelled at the port. 2 kids in the back, 4 hour wait", "welfare"),
        ("got my 89 yr old nan here who needs water to take her tablets", "welfare"),
        ("someone got into my account last night and ordered £220 of gift cards", "theft"),
        ("left my parcel ON THE WALL and surprise surprise it's gone", "theft"),
        ("my bag was taken off the luggage rack on the 18:05 while we sat there", "theft"),
        ("the cam shows your driver opening my parcel, pocketing what was inside", "theft"),
        ("driver marked it delivered then i watched him drive off with it", "theft"),
        ("if its not fixed by monday you can have ur router back", "churn"),
        ("14 years a customer, send me my PAC code", "churn"),
        ("3rd day late for work, might as well buy a car at this point", "churn"),
        ("im 71, banked with you since 1979. moving my pension elsewhere", "churn"),
        ("someone logged into my account from Lagos at 3am and changed the password", "theft"),
        ("left on the doorstep of a MAIN ROAD. shockingly it's gone", "theft"),
        ("app says delivered, £32.40 gone and my kids havent eaten since lunch", "welfare"),
        ("someone broke into locker 12 while i was in spin and took my car keys", "theft"),
        ("the cable snapped mid-rep and the bar missed my head by inches", "safety"),
        ("front brake did nothing, could've gone straight under a bus", "safety"),
        ("puddle by the squat rack for a week, someones gonna slip and crack their head", "safety"),
        ("50 mins outside Wakefield, missed my chemo appointment", "welfare"),
        ("limp mode on the M1, me on the hard shoulder with lorries flying past", "welfare"),
        ("stuck at the terminal with two kids under 5 and no bed for tonight", "welfare"),
        ("left on the doorstep, gone by the time i got home at 3", "theft"),
        ("someone got into my @Vortexplay account and spent my coins", "theft"),
        ("£39.99 every month since march. pay it back or it's small claims", "refund"),
        ("£1,240 gone from my @Bank account in 6 transactions to a crypto site", "theft"),
        ("2 hrs 15 in the waiting room with a feverish 4yo", "welfare"),
    ],
)
def test_severity_cues(text: str, cue: str) -> None:
    assert cue in severity_cues(text)


def test_a_drink_not_given_on_a_stuck_plane_is_no_outage(builtin: CategorySet) -> None:
    assert cue_hits("3 hours on the tarmac, no water, no food", builtin)["outage"] == 0
    assert cue_hits("3 hours on the tarmac at Gatwick, no water at all", builtin)["outage"] == 0


def test_a_phone_gone_to_repair_is_no_theft() -> None:
    assert "theft" not in severity_cues("my phone is gone to repair, 3 weeks now")
    assert "theft" in severity_cues("my phone is gone, someone had my bag")


def test_getting_into_their_own_account_is_no_theft() -> None:
    text = "app logged me out and wont let me back in. how do i get into my account?"
    assert "theft" not in severity_cues(text)
    assert "theft" not in severity_cues("i finally got into my account after 3 days")


def test_calm_complaint_has_no_cues() -> None:
    assert severity_cues("the lid on my mug is a bit loose, bought it on Monday") == ()


def test_someone_taking_an_order_is_no_theft() -> None:
    assert "theft" not in severity_cues("someone took my order wrong at the counter")
    assert "refund" not in severity_cues("can i delete the game and then get it back")
    assert "welfare" not in severity_cues("out since monday, trees down on Walker Rd")
    assert "theft" not in severity_cues("security shoved my son and called him a thief")
    assert "theft" not in severity_cues("£40 out of pocket for a taxi, not pocketed by anyone")
    # Still waiting at the end of a first post is no sign they asked before.
    assert "repeat" not in severity_cues("@shopco ordered 2 weeks ago and still waiting")


def test_a_birthday_outing_and_a_missed_school_play_are_no_welfare() -> None:
    assert "welfare" not in severity_cues("took my mum out for her 70th, the steak was grey")
    assert "welfare" not in severity_cues("55 mins late, missed my daughters school play")
    assert "welfare" in severity_cues("a burning smell in my son's room at 2am")
    assert "welfare" not in severity_cues("3 washes in it's bobbling like a 10 yr old jumper")
    # A person driven off with is no theft (she was half on the bus).
    assert "theft" not in severity_cues("shut the doors on my nan and drove off with her half on")
    # A taste likened to burning is no fire.
    assert "safety" not in severity_cues("my oat latte tastes like burnt dishwater")
    assert "safety" in severity_cues("the charger got so hot it burnt the carpet")
    assert "safety" not in severity_cues("the 42 missed my stop again, 3rd time")
    assert "welfare" not in severity_cues("your tv commercial with 2 kids fighting is so loud")


def test_a_thing_stolen_is_no_fault_of_the_thing(builtin: CategorySet) -> None:
    text = "someone broke into locker 12 at the gym and took my car keys. £400 for a new fob"
    assert analysed_text(text, builtin).category not in ("defect", "quality")


def test_bringing_it_back_to_the_store_is_a_return_not_stock(builtin: CategorySet) -> None:
    text = "the kettle switches itself off. do i bring it back to the store or post it"
    assert cue_hits(text, builtin)["stock"] == 0
    assert cue_hits("please bring back the old recipe", builtin)["stock"] > 0


def test_the_age_of_a_thing_and_a_hashtag_verdict_are_no_cues() -> None:
    assert "welfare" not in severity_cues("got BANNED on my 6 year old account")
    assert "welfare" in severity_cues("my 6 year old was sick on the train")
    assert "theft" not in severity_cues("sold out in 90 seconds, 200 on resale #scam")
    assert "theft" in severity_cues("I was scammed out of £40")


def test_a_disabled_setting_is_no_welfare_cue() -> None:
    assert "welfare" not in severity_cues("they have force disabled SLI on the game")
    assert "welfare" in severity_cues("no lift and my disabled son can't manage the stairs")
    assert "welfare" in severity_cues("I'm disabled and the ramp was locked")


def test_shock_horror_and_a_late_train_are_no_safety_or_welfare_cue() -> None:
    assert "safety" not in severity_cues("left it on the step and shock horror it went")
    assert "welfare" not in severity_cues("he's 2 hours late and she's 10 mins behind")


def test_someone_else_taking_money_is_no_billing_cue(builtin: CategorySet) -> None:
    assert cue_hits("someone took £1,450 out of my account last night", builtin)["billing"] == 0


def test_how_soon_a_thief_came_is_no_wait() -> None:
    assert "wait" not in specifics(mention("the cam shows a lad walking off with it 4 mins later"))


def test_a_car_park_is_no_product() -> None:
    assert "product" not in specifics(mention("a 'sea view' of the car park. want a refund"))


def test_day_one_and_the_last_time_i_checked_are_no_cues() -> None:
    assert "repeat" not in severity_cues("Day 1 of riding the new bus route, it's fine")
    assert "repeat" not in severity_cues("day 2 of cold showers")
    assert "churn" not in severity_cues("it's in england last time i checked")


def test_bullying_online_is_no_welfare_cue() -> None:
    assert "welfare" not in severity_cues("this account is cyber bullying me")


def test_off_to_work_is_no_churn() -> None:
    assert "churn" not in severity_cues("the train was late and I'm off to work now")


def test_an_advert_s_kids_and_a_product_never_coming_back_are_no_cues() -> None:
    assert "welfare" not in severity_cues("your tv ad with 2 kids and 2 monsters is so loud")
    assert "churn" not in severity_cues("they were never coming back in stock")


def test_a_teenager_is_no_welfare_cue() -> None:
    assert "welfare" not in severity_cues("booked for me and my 17 year old son")
    assert "welfare" in severity_cues("booked for me and my 7 year old son, now stranded")


@pytest.mark.parametrize("text", ["the charging port is loose", "my phone stopped charging"])
def test_a_phone_charging_is_no_billing_cue(builtin: CategorySet, text: str) -> None:
    assert cue_hits(text, builtin)["billing"] == 0


@pytest.mark.parametrize(
    "text",
    [
        "my flight was cancelled with no notice",  # theirs cancelled, not the customer
        "we went to the desk instead of queueing",
    ],
)
def test_a_cancellation_or_going_elsewhere_of_ours_is_no_threat_to_leave(text: str) -> None:
    assert "churn" not in severity_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "I've been charged for one item twice",  # a double charge, not a second contact
        "twice in a row my meal came without a fork",
        "the cashier ignored me and served the next person",  # in a shop, not our silence
        "for the 1st time my parcel came early, then the app crashed",  # a first is no repeat
    ],
)
def test_a_repeat_is_only_of_contacting_us(text: str) -> None:
    assert "repeat" not in severity_cues(text)


def test_a_fault_seen_several_times_is_not_repeated_contact() -> None:
    assert "repeat" not in severity_cues("I've had to glue the hinge back together 3 times")


def test_cue_names_are_the_ones_priority_knows() -> None:
    seen: set[str] = set()
    for _, _, got in analysed_rows():
        assert got.category in CATEGORIES and got.category_label
        seen |= set(got.severity_cues)
    assert CUES <= seen <= set(SEVERITY)  # every cue occurs in the set, no unknown name does


def test_below_the_floor_only_a_cue_word_of_the_best_alone_names_it() -> None:
    low = {"defect": 0.28, "quality": 0.23, "delivery": 0.22}
    assert decide(low, {"defect": 1, "quality": 0, "delivery": 0}) == "defect"
    # Two named: the best only with a clear lead over the other ("broken down").
    assert decide(low, {"defect": 1, "quality": 0, "delivery": 1}) == "defect"
    near = {**low, "quality": 0.26}
    assert decide(near, {"defect": 1, "quality": 1, "delivery": 0}) == "other"
    assert decide(low, {"defect": 0, "quality": 1, "delivery": 0}) == "other"  # not the best
    assert decide(low, {"defect": 0, "quality": 0, "delivery": 0}) == "other"
    assert decide(low) == "other"


def test_too_close_to_call_goes_to_the_one_the_post_names() -> None:
    close = {"defect": 0.367, "contact": 0.367, "outage": 0.366, "billing": 0.2}
    assert decide(close, {"outage": 1}) == "outage"
    assert decide(close, {"outage": 1, "contact": 1}) == "other"
    assert decide(close, {}) == "other"


def test_on_a_journey_the_water_they_went_without_is_not_the_problem(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    journey = analyse(
        mention("@airco delayed, 2 hours sat on the plane, the water is frozen"),
        embedder=embedder,
        categories=builtin,
    )
    assert journey.category == "delay" and "water" not in journey.specifics.get("problem", "")
    supply = analyse(
        mention("@waterco no water in our street since 5am, is it safe?"),
        embedder=embedder,
        categories=builtin,
    )
    assert supply.specifics.get("problem") == "the water"


def test_the_thing_not_the_person_who_carried_it(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    def read(text: str) -> Analysis:
        return analysed_text(text, builtin, embedder)

    # "I'm sorry about our driver" for a parcel he left out to be stolen.
    got = read("@dropco your driver left my parcel on the step and someone walked off with it")
    assert got.category == "delivery" and got.specifics["problem"] == "your parcel"
    # Where a driver is software, it is still the thing.
    got = read("@gpuco why won't the printer drivers install on my laptop?")
    assert "drivers" in got.specifics.get("problem", ""), got.specifics
    # A server goes down; it is no waiter.
    got = read("@cloudco the server is down again and nothing loads")
    assert "server" in got.specifics.get("problem", ""), got.specifics


def test_what_they_were_on_or_lacked_is_not_the_lost_bag_nor_the_late_trip(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    def read(text: str) -> Analysis:
        return analysed_text(text, builtin, embedder)

    # The bag was in our care, not the train it was taken from.
    got = read(
        "my bag got nicked off the luggage rack on the 18:05 to Glasgow and the guard shrugged"
    )
    assert got.category == "luggage" and got.specifics.get("problem") == "your bag", got
    # "no update from crew" is what they went without on the late flight.
    got = read("3 hrs sat on the tarmac, no update from crew. flight AX204 is a joke")
    assert "update" not in got.specifics.get("problem", ""), got.specifics


def test_their_account_is_what_someone_got_into(builtin: CategorySet) -> None:
    text = "someone got into my account last night and ordered £220 of gift cards. how??"
    got = analysed_text(text, builtin)
    assert got.category == "account" and got.specifics.get("problem") == "your account", got


@pytest.mark.parametrize(
    "text",
    [
        "the lady on the counter rolled her eyes and told me to 'just use the app'. i'm 78",
        "the driver on the 47 refused to put the ramp down for my mum's wheelchair",
        # Ending the call on them is what they did, whatever the call was about.
        "rang about my bill and your agent cut me off mid-call. rang back, hung up on again",
        "rang about my bill and the guy on the call hung up on me mid sentence",
    ],
)
def test_how_someone_of_ours_treated_them_is_a_staff_complaint(
    builtin: CategorySet, embedder: MiniLMEmbedder, text: str
) -> None:
    got = analysed_text(text, builtin, embedder)
    assert got.category == "staff" and got.specifics[BASIS] == "named", got


def test_a_supply_said_to_be_off_names_an_outage(builtin: CategorySet) -> None:
    assert cue_hits("our water supply has been off since 7am", builtin)["outage"] > 0


def test_burnt_coffee_is_no_danger(builtin: CategorySet) -> None:
    text = "burnt tasting AGAIN my flat white, 3rd time this week"
    assert "safety" not in severity_cues(text) and cue_hits(text, builtin)["safety"] == 0
    assert "safety" in severity_cues("the kettle lid flew open and I burnt my hand")


def test_a_luggage_complaint_is_about_the_bag_not_what_was_in_it(builtin: CategorySet) -> None:
    text = "your driver let someone walk off with my suitcase at Digbeth. my work laptop was in it"
    got = analysed_text(text, builtin)
    assert got.category == "luggage" and got.specifics.get("problem") == "your suitcase", got


def test_their_own_boss_and_a_cancelled_journey_are_no_cues(builtin: CategorySet) -> None:
    assert cue_hits("late AGAIN, my manager has stopped believing me", builtin)["staff"] == 0
    assert "churn" not in severity_cues("@ferryco cancel the 14:30 sailing, nowhere to stay")
    assert "churn" in severity_cues("i'm going to cancel my contract")


def test_someone_praised_is_no_staff_complaint(
    builtin: CategorySet, embedder: MiniLMEmbedder
) -> None:
    text = (
        "50 min wait for mains and the pasta was undercooked. our waiter Marco was honestly "
        "lovely and did his best, not his fault at all"
    )
    got = analysed_text(text, builtin, embedder)
    assert got.category != "staff", got


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("@airco bag came off the carousel with the lock cut and my camera gone", "your bag"),
        (
            "@appco locked me out of my account after the update, the 2FA code never arrives",
            "your account",
        ),
    ],
)
def test_the_thing_in_our_care_is_the_thing(
    builtin: CategorySet, embedder: MiniLMEmbedder, text: str, problem: str
) -> None:
    got = analysed_text(text, builtin, embedder)
    assert got.specifics.get("problem") == problem, got


def test_a_sign_that_flickers_is_no_faulty_product(builtin: CategorySet) -> None:
    text = "that big digital sign outside your store, flickering all night into my window"
    assert cue_hits(text, builtin)["defect"] == 0


def test_a_price_called_a_scam_is_no_theft(builtin: CategorySet) -> None:
    assert "theft" not in severity_cues("£12.75 'service fee' per ticket?? absolute scam")
    assert "theft" in severity_cues("got scammed out of £300 by someone pretending to be you")
    assert cue_hits("mould in my daughter's bedroom again", builtin)["quality"] == 0


@pytest.mark.parametrize(
    ("text", "excused"),
    [
        ("@airco i know its not your fault but the passport queue at Gatwick was 2 hrs", "all"),
        ("not your fault @stayco but the building work next door starts at 7am", "all"),
        (
            "the ATC strike isn't your fault but cancelling our flight and offering nothing is",
            "yes",
        ),
    ],
)
def test_an_excuse_that_opens_the_post_excuses_what_follows(
    builtin: CategorySet, text: str, excused: str
) -> None:
    got = analysed_text(text, builtin)
    assert got.specifics.get("excused") == excused, got


@pytest.mark.parametrize(
    ("text", "category", "unwanted"),
    [
        # where they see it or looked for it, not what is down or out of stock
        (
            "@taskco is sync down for everyone? laptop and phone showing different lists",
            "outage",
            "laptop",
        ),
        ("a power cut in Westbrook again, and your outage map says no issues", "outage", "map"),
        (
            "'In stock at your local store', the website said. Not in stock, the store said. "
            "40 min drive for the Aldwyn garden bench @homeco",
            "stock",
            "store",
        ),
        # what they ask for or went without, not what went wrong
        (
            "The engine management light came on day 9, you 'fixed' it, it came back on "
            "yesterday. I'm asking for a refund under the Consumer Rights Act",
            "",
            "refund",
        ),
        (
            "flight AZ761 cancelled. the rebooking is 4 DAYS later and no hotel offered. "
            "I have a 2 yr old. can you at least cover a hotel?",
            "",
            "hotel",
        ),
    ],
)
def test_what_surrounds_the_problem_is_not_the_problem(
    builtin: CategorySet, embedder: MiniLMEmbedder, text: str, category: str, unwanted: str
) -> None:
    got = analysed_text(text, builtin, embedder)
    if category in ("", got.category):
        assert unwanted not in got.specifics.get("problem", ""), got
