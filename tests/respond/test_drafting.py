"""Reply drafts, follow-up tasks, templates (bundled and team) and the draft commands."""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app
from monitor.cli.common import CliState
from monitor.config import DeadlineSettings, DraftingSettings, parse_config
from monitor.core.errors import ConfigError
from monitor.core.models import Analysis, Draft, Mention, Priority
from monitor.respond.analysis import BASIS, analyse, category_set
from monitor.respond.drafting import (
    Templates,
    _context,
    check_team_templates,
    check_templates,
    draft_for,
    less_detail,
    load_templates,
    split_variants,
    with_care,
    with_sum,
)
from sources.x import x_length
from tests.respond.test_analysis import CATEGORIES, analysed_rows

P2 = Priority(level="P2", reasons=("score 0.80",))
P1 = Priority(level="P1", reasons=("safety cue",))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
APOLOGY = re.compile(r"\b(sorry|apologi[sz]e[sd]?|apologies|apology|regret)\b", re.I)
PRIVATE = re.compile(r"\b(DM|PM)\b|\bmessage\b|support")


def make(
    text: str,
    *,
    platform: str = "x",
    author: str = "kim_r",
    pid: str = "7",
    created: datetime = NOW,
    reach: int = 250,
) -> Mention:
    return Mention(
        platform=platform,
        platform_id=pid,
        author=author,
        text=text,
        url=f"https://example.com/{pid}",
        created_at=created,
        reach=reach,
    )


@functools.cache
def default_templates() -> Templates:
    return load_templates(DraftingSettings())


def draft(
    m: Mention,
    a: Analysis,
    priority: Priority = P2,
    *,
    link: str | None = None,
    settings: DraftingSettings | None = None,
    signature: str = "Sam",
) -> Draft:
    return draft_for(
        m,
        a,
        priority,
        signature=signature,
        support_link=link,
        deadlines=DeadlineSettings(),
        templates=load_templates(settings) if settings else default_templates(),
        now=NOW,
    )


def bundled() -> dict[str, list[str]]:
    out = {}
    for plat in (files("monitor.respond") / "templates").iterdir():
        for item in plat.iterdir():
            out[f"{plat.name}.{item.name[:-3]}"] = split_variants(item.read_text("utf-8"))
    return out


def test_every_category_has_several_variants_per_platform() -> None:
    found = bundled()
    for platform in ("x", "reddit"):
        for cat in (*CATEGORIES, "thread"):
            assert len(found[f"{platform}.{cat}"]) >= 3


def test_every_bundled_variant_passes_the_checker() -> None:
    # The same check a team's templates get at config load, with nothing and with much known.
    assert check_team_templates(DraftingSettings(templates=bundled())) == []


def test_bundled_x_variants_fit_with_the_longest_details() -> None:
    templates = load_templates(DraftingSettings())
    long = Analysis(
        category="",
        category_label="",
        specifics={
            "order": "ABCDEFGHIJ-1234567890",
            "product": "Ultra Deluxe Pro 9000 coffee machine",
            "wait": "since the 21st",
            "channel": "X",
            "problem": "the ultra deluxe pro coffee machine",
            "question": "why is it so slow?",
            "thread": "reply",
        },
        severity_cues=("refund", "outage"),
    )
    for key in templates.sources:
        if key[0] != "x":
            continue
        variants = templates.variants(key)
        analysis = Analysis(
            category=key[1],
            category_label="late delivery",
            specifics=long.specifics,
            severity_cues=long.severity_cues,
        )
        m = make("x", author="a_fifteen_chars")
        ctx = _context(m, analysis, "Alexandra-Jane", "https://example.com/help")
        for template in variants:
            # Drafting drops the long details when the full reply does not fit.
            full, short = (" ".join(template.render(**c).split()) for c in (ctx, less_detail(ctx)))
            assert min(x_length(full), x_length(short)) <= 280, (key, short)


def test_drafts_for_every_labelled_complaint() -> None:
    for row, m, analysis in analysed_rows():
        result = draft(m, analysis, link="https://help.example.com")
        reply = result.public_reply
        assert result.category == analysis.category
        codes = {f.code for f in result.checks}
        # Grounded and clean; a generic draft is marked, and only it may lack their words.
        assert codes <= {"edit-before-posting", "not-specific"}, (reply, result.checks)
        if "problem" in analysis.specifics:
            assert "not-specific" not in codes, reply
        prefix = "@" if m.platform == "x" else "Hi u/"
        assert reply.startswith(prefix + row["author"]) and reply.endswith("– Sam")
        assert len(APOLOGY.findall(reply)) == 1, reply
        assert PRIVATE.search(reply), reply
        if m.platform == "x":
            assert x_length(reply) <= 280 and "http" not in reply  # the link goes private


def test_same_mention_same_draft_and_variants_differ_across_mentions() -> None:
    a = Analysis(category="billing", category_label="billing problem")
    first = draft(make("charged twice", pid="100"), a).public_reply
    assert draft(make("charged twice", pid="100"), a).public_reply == first
    replies = {draft(make("charged twice", pid=str(i)), a).public_reply for i in range(30)}
    assert len(replies) >= 3


def test_details_reach_the_reply() -> None:
    a = Analysis(
        category="delivery",
        category_label="late delivery",
        specifics={"order": "HL-88213", "wait": "3 weeks", "channel": "X"},
    )
    replies = [draft(make("late", pid=str(i)), a).public_reply for i in range(12)]
    assert all("HL-88213" in r for r in replies)


@pytest.mark.parametrize("platform", ["x", "reddit"])
def test_the_general_reply_says_what_is_wrong_in_their_words(platform: str) -> None:
    a = Analysis(
        category="other",
        category_label="your experience",
        specifics={"problem": "your phone", "state": "won't charge"},
    )
    for i in range(12):
        d = draft(make("@acme my phone wont charge", platform=platform, pid=str(i)), a)
        assert "your phone won't charge" in d.public_reply
        assert len(APOLOGY.findall(d.public_reply)) == 1
        assert "ungrounded" not in {f.code for f in d.checks}


def test_a_plural_thing_gets_a_plural_verb() -> None:
    a = Analysis(
        category="defect", category_label="faulty product", specifics={"problem": "the headphones"}
    )
    for platform in ("x", "reddit"):
        replies = [
            draft(make("x", platform=platform, pid=str(i)), a).public_reply for i in range(12)
        ]
        assert not any("headphones has" in r.lower() for r in replies)
        assert any("headphones have let you down" in r.lower() for r in replies)


def test_reddit_may_carry_the_support_link() -> None:
    a = Analysis(category="account", category_label="account access")
    replies = {
        draft(
            make("locked out", platform="reddit", pid=str(i)), a, link="https://help.example.com"
        ).public_reply
        for i in range(12)
    }
    assert all("https://help.example.com" in r for r in replies)


@pytest.mark.parametrize(
    "hostile",
    [
        "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} order #A123{{7*7}}",
        "<script>alert(1)</script> my new <b>Evil</b> 9 blender {{ ''.__class__ }}",
        "{{ config }} {{ self }} {{ cycler.__init__.__globals__ }} ticket 12345",
    ],
)
def test_hostile_text_cannot_break_or_inject(hostile: str) -> None:
    cats = category_set(DraftingSettings(), None)
    m = make(hostile, author="evil{{7*7}}<i>", pid="9")
    analysis = analyse(m, embedder=None, categories=cats)
    for platform in ("x", "reddit"):
        result = draft(Mention(**{**_fields(m), "platform": platform}), analysis)
        assert not re.search(r"49|loop|[{}<>]|__|config", result.public_reply), result
    assert "@evil77" not in result.public_reply


def _fields(m: Mention) -> dict[str, object]:
    return {name: getattr(m, name) for name in Mention.__slots__}


def test_sandbox_stops_a_team_template_escape() -> None:
    evil = (
        "{{ handle }} sorry, DM us about your order. {{ ''.__class__.__mro__[1].__subclasses__() }}"
    )
    problems = check_team_templates(DraftingSettings(templates={"x.delivery": [evil]}))
    assert any("does not render" in p for p in problems)


@pytest.mark.parametrize(
    ("level", "age", "due"),
    [
        ("P1", timedelta(0), 30),
        ("P2", timedelta(0), 240),
        ("P3", timedelta(0), 1440),
        ("P3", timedelta(hours=20), 240),  # never later than 24 h after the mention
        ("P2", timedelta(hours=30), 1),  # already late: due now
    ],
)
def test_due_minutes(level: str, age: timedelta, due: int) -> None:
    a = Analysis(category="other", category_label="your experience with us")
    priority = Priority(level=level, reasons=())  # type: ignore[arg-type]
    assert draft(make("meh", created=NOW - age), a, priority).due_minutes == due


def test_followup_checklist_is_prefilled() -> None:
    text = "My PowerMax charger caught fire, order 55123. My lawyer will hear about this."
    a = Analysis(
        category="safety",
        category_label="safety issue",
        specifics={"order": "55123", "product": "PowerMax charger", "channel": "X"},
        severity_cues=("legal", "safety"),
    )
    steps = draft(
        make(text, author="burnt_ben", reach=48_000), a, P1, link="https://help.example.com"
    ).followup
    joined = "\n".join(steps)
    for needed in (
        "@burnt_ben",
        "48,000",
        "safety issue",
        "https://example.com/7",
        "https://help.example.com",
        "55123",
        "caught fire",
        "Paraphrase",
        "supervisor",
        "Here's what happened",
        "Here's why",
        "not known yet",
        "Here's what's next",
        "acceptable",
        "cause, fix and lesson",
        "Legal",
    ):
        assert needed in joined, needed
    assert steps[0].startswith("Post the public reply")


def test_no_supervisor_step_for_an_ordinary_complaint() -> None:
    a = Analysis(category="billing", category_label="billing problem")
    assert not any("supervisor" in s for s in draft(make("charged twice"), a).followup)


def test_team_templates_dir_and_inline_override(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "delivery.j2").write_text(
        "{{ handle }} Your parcel is late and that's on us. I'm sorry. DM us. – {{ signature }}"
        "\n{# --- #}\n"
        "{{ handle }} We let your parcel slip and I'm sorry. DM us today. – {{ signature }}\n"
    )
    inline = {
        "reddit.billing": [
            "Hi {{ handle }}, that charge is wrong and I'm sorry. "
            "PM me and I'll fix it. – {{ signature }}"
        ]
    }
    settings = DraftingSettings(templates_dir=tmp_path, templates=inline)
    assert check_team_templates(settings) == []
    late = Analysis(category="delivery", category_label="late delivery")
    replies = {
        draft(make("my parcel is late", pid=str(i)), late, settings=settings).public_reply
        for i in range(10)
    }
    assert {r.split(" ", 2)[1] for r in replies} == {"Your", "We"}
    bill = Analysis(category="billing", category_label="billing problem")
    reply = draft(make("charged twice", platform="reddit"), bill, settings=settings).public_reply
    assert reply == "Hi u/kim_r, that charge is wrong and I'm sorry. PM me and I'll fix it. – Sam"


def test_team_category_without_templates_uses_the_general_ones() -> None:
    said = Analysis(
        category="baggage", category_label="your baggage", specifics={"problem": "the suitcase"}
    )
    result = draft(make("suitcase gone"), said)
    assert "the suitcase" in result.public_reply
    assert [f.code for f in result.checks] == ["edit-before-posting"]  # generic: edit first
    # Nothing to echo: the team's own label, then the reference they gave.
    known = Analysis(
        category="baggage", category_label="your baggage", specifics={"flight": "KA 221"}
    )
    reply = draft(make("flight KA 221, suitcase gone"), known).public_reply
    assert "flight KA 221" in reply


CONFIG = """
[[brands]]
name = "Acme"
keywords = ["acme"]
[[responders]]
name = "Sam Lee"
[drafting]
templates = {{ "x.delivery" = [{template!r}] }}
[[responders.contacts]]
url = "terminal://"
"""


def test_config_load_rejects_a_template_that_fails_the_checker() -> None:
    bad = "{{ handle }} Sorry for any inconvenience, the courier was late. – {{ signature }}"
    with pytest.raises(ConfigError) as err:
        parse_config(CONFIG.format(template=bad), check_env=False, checks=(check_templates,))
    text = "\n".join(err.value.problems)
    assert "fauxpology" in text and "blame" in text and "no-private-channel" in text
    good = "{{ handle }} Your order is late and I'm sorry. DM us and I'll fix it. – {{ signature }}"
    assert parse_config(CONFIG.format(template=good), check_env=False, checks=(check_templates,))


def test_the_cli_checks_templates_with_file_and_line(tmp_path: Path) -> None:
    bad = "{{ handle }} Sorry for any inconvenience. – {{ signature }}"
    path = tmp_path / "amends.toml"
    path.write_text(CONFIG.format(template=bad))
    with pytest.raises(ConfigError) as err:
        CliState(config_path=path, db_path=None).config()
    assert err.value.problems[0].startswith(f"{path}:8: drafting.templates: templates 'x.delivery'")


runner = CliRunner()


def test_cli_draft_json_without_config() -> None:
    result = runner.invoke(
        app,
        [
            "draft",
            "--no-model",
            "--text",
            "@acme charged me twice for order 4471902, I want a refund",
            "--author",
            "dbl",
            "--platform",
            "x",
            "--json",
        ],
        env={},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["category"] == "billing" and data["public_reply"].startswith("@dbl ")
    assert isinstance(data["followup"], list) and data["checks"] == []
    assert data["due_minutes"] == 240 and "refund" in data["severity_cues"]


def test_cli_draft_text_output() -> None:
    result = runner.invoke(
        app,
        [
            "draft",
            "--no-model",
            "--text",
            "the app is down again",
            "--author",
            "kim",
            "--platform",
            "reddit",
            "--sign-as",
            "Priya",
        ],
        env={},
    )
    assert result.exit_code == 0, result.output
    assert "u/kim" in result.stdout and "Priya" in result.stdout
    assert "follow-up" in result.stdout and "passes the reply checker" in result.stdout


def test_cli_check_reply_exit_codes() -> None:
    bad = runner.invoke(app, ["check-reply", "Sorry if you feel that way"])
    assert bad.exit_code == 1 and "fauxpology" in bad.stdout
    good = runner.invoke(
        app,
        [
            "check-reply",
            "--platform",
            "reddit",
            "Hi u/kim, order 12 is late and I'm sorry. PM me. – Sam",
        ],
    )
    assert good.exit_code == 0, good.stdout


# --- the failure classes of the first try on real complaints (invented look-alikes) ------


@functools.cache
def model_categories():
    from tests.respond.test_analysis import load_embedder

    embedder = load_embedder()
    return embedder, category_set(DraftingSettings(), embedder)


def drafted(text: str, *, thread_id: str | None = None, pid: str = "7") -> tuple[Analysis, Draft]:
    embedder, cats = model_categories()
    m = Mention(**{**_fields(make(text, pid=pid)), "thread_id": thread_id})
    analysis = analyse(m, embedder=embedder, categories=cats)
    return analysis, draft(m, analysis)


@pytest.mark.parametrize(
    ("text", "echo", "never"),
    [
        ("@skyways lost my bag and nobody answers the phone", "your bag", ("order", "deliver")),
        ("3 days now waiting for my bag @skyways", "your bag", ("order", "paid")),
        (
            "The cabin on my flight home was filthy, crumbs on every seat @skyways",
            "cabin",
            ("delay", "late"),
        ),
        (
            "@phoneco please release a software update to fix the screen dimming on my K9",
            "screen",
            ("app", "on it"),
        ),
        ("@railco the charger sockets in coach C don't work", "charger sockets", ("charge ",)),
    ],
)
def test_the_draft_echoes_them_and_claims_nothing_else(
    text: str, echo: str, never: tuple[str, ...]
) -> None:
    _, result = drafted(text)
    reply = result.public_reply.lower()
    assert echo in reply, reply
    assert not any(word in reply for word in never), reply
    assert "ungrounded" not in {f.code for f in result.checks}


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("@shopco was put on a 48 minute hold just to get hung up on", "on hold for 48 minutes"),
        ("@shopco scammed out of $40 on the store card, billing told me too bad", "$40"),
        ("@shopco I have been waiting on a reply to my emails for 3 days", "3 days"),
        # The hold time is the silence itself, not what they wanted to talk about.
        ("@bankco the hold time on your helpline is 50 minutes, ridiculous", "on hold for 50"),
        # Someone answered, then passed them on: no "waiting for someone to pick up".
        ("@telco 3 hrs later still on the phone with you, on my 7th person now", "3 hours on the"),
        ("@telco spending the whole day on the phone with you again", "stuck on the phone"),
    ],
)
def test_waits_and_sums_are_said_back_in_their_words(text: str, said: str) -> None:
    _, result = drafted(text)
    assert said in result.public_reply, result.public_reply


def test_a_fault_said_of_it_is_said_back_once_apologised_for_once() -> None:
    _, result = drafted("@kettleco it won't turn on, help")
    assert "it won't turn on" in result.public_reply, result.public_reply
    assert "your product" not in result.public_reply.lower()
    assert not {f.code for f in result.checks} & {"extra-apology", "ungrounded"}


def test_a_parcel_that_came_is_not_said_to_be_missing() -> None:
    _, result = drafted("@bookco my book finally came in but you sent me 2 copies of it")
    reply = result.public_reply.lower()
    assert "reached you" not in reply and "where it is" not in reply, reply


def test_a_parcel_that_came_damaged_is_not_looked_for() -> None:
    _, result = drafted("@shipco This is how my parcel arrives? Box crushed flat")
    reply = result.public_reply.lower()
    assert "where it stands" not in reply and "track it down" not in reply, reply


def test_a_reply_mid_thread_gets_a_light_touch_and_a_read_the_thread_step() -> None:
    analysis, result = drafted("@skyways I have not.", thread_id="100", pid="101")
    assert analysis.specifics["thread"] == "reply"
    assert len(result.public_reply) < 200
    assert result.followup[0].startswith("Read the thread first")


def test_a_reply_mid_thread_still_puts_welfare_first() -> None:
    _, result = drafted(
        "@skyways still nothing? we're stranded at the gate with a 2 yr old",
        thread_id="100",
        pid="101",
    )
    assert "still" in result.public_reply and "looked after" in result.public_reply


@pytest.mark.parametrize(
    "text",
    [
        "@waterco no water in our street since 6am, my dad's 87 and does dialysis at home",
        "@letco the boiler's been broken 11 days, 2 kids and a baby in the flat",
        "@pharmaco my son's inhaler was meant to be ready friday, he's on his last one",
    ],
)
def test_someone_at_risk_is_put_first_in_any_category(text: str) -> None:
    analysis, result = drafted(text)
    reply = result.public_reply
    assert "welfare" in analysis.severity_cues
    assert reply.count("looked after") == 1, reply
    assert reply.index("looked after") < reply.index("DM"), reply


def test_the_care_sentence_goes_before_the_private_ask_once() -> None:
    text = "@x Trouble with the water. I apologise. Please DM us the details. – Sam"
    cared = with_care(text, {"cues": ["welfare"], "category": "outage"})
    assert cared == (
        "@x Trouble with the water. I apologise. Making sure you're looked after comes "
        "first. Please DM us the details. – Sam"
    )
    assert with_care(cared, {"cues": ["welfare"], "category": "outage"}) == cared
    assert with_care(text, {"cues": [], "category": "outage"}) == text
    assert with_care(text, {"cues": ["welfare"], "category": "staff"}) == text


@pytest.mark.parametrize("seed", ["1", "2", "3", "4", "5", "6"])
def test_every_luggage_draft_takes_a_theft_seriously(seed: str) -> None:
    _, result = drafted(
        "@airco my suitcase came off the carousel slashed open and my camera stolen", pid=seed
    )
    assert result.category == "luggage" and "taken from it is serious" in result.public_reply


@pytest.mark.parametrize("pid", ["101", "102", "103", "104", "105", "106"])
def test_a_reply_mid_thread_never_thanks_someone_leaving_for_staying(pid: str) -> None:
    # "Thanks for staying with us" reads as staying a customer, to someone cancelling;
    # "thanks for the update" answers "any update?" with sarcasm.
    _, result = drafted(
        "@fibreco and the engineer? 3rd missed appointment. cancelling my contract today",
        thread_id="100",
        pid=pid,
    )
    assert "staying" not in result.public_reply.lower(), result.public_reply
    _, result = drafted(
        "@fibreco any update? its 3 days since you said 48hrs for the engineer visit",
        thread_id="100",
        pid=pid,
    )
    assert "for the update" not in result.public_reply.lower(), result.public_reply


def test_a_new_incident_mid_thread_gets_the_category_s_care() -> None:
    analysis, result = drafted(
        "@bankco and the man on the phone just laughed at me", thread_id="100", pid="101"
    )
    assert analysis.category == "staff" and analysis.specifics["thread"] == "reply"
    reply = result.public_reply
    assert not any(t in reply for t in ("still isn't", "still not", "still waiting")), reply
    assert "respect" in reply or "treated" in reply, reply


def test_a_question_is_acknowledged_and_becomes_a_step() -> None:
    _, result = drafted("@railco why is the 8:15 to Leeds so slow every single day?")
    assert "question" in result.public_reply
    assert any(s.startswith("Answer their question: “why is the 8:15") for s in result.followup)


def test_numbers_and_references_reach_the_reply() -> None:
    _, result = drafted("@shopco my order is 913181 and I've been on hold for 2.5 hours")
    assert "913181" in result.public_reply or "2.5 hours" in result.public_reply
    assert "913181" in "\n".join(result.followup) and "2.5 hours" in "\n".join(result.followup)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("@skyways never flying with you again #neveragain, 9 hours at the gate", "churn"),
        ("@skyways stranded in Lisbon with my baby and her meds are in the lost bag", "welfare"),
        ("@skyways someone stole my camera from my checked suitcase", "theft"),
    ],
)
def test_churn_welfare_and_theft_reach_priority_and_the_supervisor(text: str, cue: str) -> None:
    from monitor.config import PrioritySettings
    from monitor.core.models import Classification
    from monitor.respond.priority import prioritise

    analysis, _ = drafted(text)
    assert cue in analysis.severity_cues
    neutral = Classification(
        complaint=True,
        complaint_score=0.5,  # mild: P3 without a cue
        sentiment="negative",
        sentiment_scores={"negative": 1.0, "neutral": 0.0, "positive": 0.0},
        model="t",
        model_version="t",
    )
    priority = prioritise(make(text), neutral, analysis, PrioritySettings(), now=NOW)
    assert priority.level == ("P1" if cue == "welfare" else "P2")
    steps = draft(make(text), analysis, priority).followup
    assert any(s.startswith("Tell your supervisor now") for s in steps)


def test_we_are_on_it_only_while_an_incident_is_open() -> None:
    a = Analysis(
        category="outage",
        category_label="service problem",
        specifics={"problem": "the app", "channel": "X"},
    )
    texts = {
        incident: {
            draft_for(
                make("the app is down again", pid=str(i)),
                a,
                P2,
                signature="Sam",
                support_link=None,
                deadlines=DeadlineSettings(),
                templates=default_templates(),
                now=NOW,
                incident=incident,
            ).public_reply
            for i in range(12)
        }
        for incident in (False, True)
    }
    assert not any("on it" in t or "working on it" in t for t in texts[False])
    assert any("on it" in t or "working on it" in t for t in texts[True])


# --- round three: claims only as far as the post backs them -----------------------------


@pytest.mark.parametrize("trust", ["inferred", "close"])
def test_a_category_no_word_names_gets_the_generic_structure(trust: str) -> None:
    # "Getting hold of us should be quick" would be a claim from nowhere when only the
    # encoder thought this was about reaching us.
    specifics = {"channel": "X", BASIS: trust}
    guessed = Analysis(category="contact", category_label="getting hold of us", specifics=specifics)
    result = draft(make("@shopco why you messing with me", pid="31"), guessed)
    assert "get hold of us" not in result.public_reply.lower()
    assert "getting hold of us" not in result.public_reply.lower()
    assert "edit-before-posting" in {f.code for f in result.checks}
    named = Analysis(
        category="contact",
        category_label="getting hold of us",
        specifics={"channel": "X", BASIS: "named", "wait": "2 hours"},
    )
    result = draft(make("@shopco on hold for 2 hours", pid="31"), named)
    assert "edit-before-posting" not in {f.code for f in result.checks}


@pytest.mark.parametrize("pid", ["41", "42", "43", "44"])
def test_a_dm_they_already_sent_is_looked_for_not_asked_for(pid: str) -> None:
    text = "@shopco I have sent you a DM about my order please look into this"
    embedder, cats = model_categories()
    m = make(text, pid=pid)
    result = draft(m, analyse(m, embedder=embedder, categories=cats))
    reply = result.public_reply
    assert "your DM" in reply and not re.search(r"\b(DM us|send us a DM)\b", reply, re.I), reply
    assert any("already sent us a private message" in s for s in result.followup)


@pytest.mark.parametrize("pid", ["45", "46", "47"])
def test_no_answer_to_their_dm_is_a_dm_sent_and_not_the_topic(pid: str) -> None:
    _, result = drafted("@shopco No response to my DM several hours later", pid=pid)
    reply = result.public_reply
    assert "your DM" in reply and not re.search(r"\b(DM us|send us a DM)\b", reply, re.I), reply
    assert "about the response" not in reply, reply


@pytest.mark.parametrize("pid", ["51", "52", "53", "54"])
def test_a_dm_that_will_not_go_through_is_not_asked_for_again(pid: str) -> None:
    embedder, cats = model_categories()
    m = make("@powerco Thanks but unable to DM you", pid=pid)
    result = draft(m, analyse(m, embedder=embedder, categories=cats))
    reply = result.public_reply
    assert not re.search(r"\b(DM us|send us a DM|could you DM)\b", reply, re.I), reply
    assert "reply here" in reply, reply
    assert any("won't go through" in s for s in result.followup)


def test_money_back_is_not_over_the_channel_they_used() -> None:
    # "your money back for the phone" would read as what they want it back for.
    _, result = drafted("@softco the help on the phone was useless. Give me my money back")
    reply = result.public_reply
    assert "the phone" not in reply and "your money back" in reply, reply


def test_money_back_is_for_the_thing_they_paid() -> None:
    _, result = drafted("@ticketco are you refunding the booking fees for the cancelled gig?")
    reply = result.public_reply
    assert "your money back for the booking fees" in reply, reply


def test_money_they_want_back_is_named_not_the_case_beside_it() -> None:
    analysis, result = drafted(
        "@hotelco with a criminal case, still you are not returning my money"
    )
    assert "refund" in analysis.severity_cues
    reply = result.public_reply
    assert "your money back" in reply and "criminal case" not in reply, reply
    assert "ungrounded" not in {f.code for f in result.checks}


@pytest.mark.parametrize(
    ("text", "problem", "owed", "never"),
    [
        # A person, or where the money sat, is nothing money is paid back for.
        (
            "a scammer took £1,250 out of my account, i want the money back",
            "the scammer",
            "your money back",
            "for the scammer",
        ),
        (
            "someone moved £640 out of my online banking. refund it",
            "your online banking",
            "your money back",
            "for your online banking",
        ),
        # Part of what they paid.
        (
            "£240 for an emergency consult?? I want the difference refunded",
            "",
            "the difference back",
            "your money back",
        ),
        # All of it back: not "for the rice" that was missing from the order.
        (
            "order #CH-771032: wrong curry, no rice. refund the lot pls",
            "the rice",
            "your money back for order CH-771032",
            "for the rice",
        ),
        # The sum they ask to have refunded.
        (
            "cancelled in MARCH and you've taken £34.99 again. refund the £104.97",
            "your membership",
            "your £104.97 back for your membership",
            "your money back",
        ),
        # The sum they name, for the order they name: not "for the chips" missing from it.
        (
            "order #55102-K cold and no chips. I want my £23.40 back not a £5 voucher",
            "the chips",
            "your £23.40 back for order 55102-K",
            "for the chips",
        ),
    ],
)
def test_what_they_are_owed_is_what_they_asked_back(
    text: str, problem: str, owed: str, never: str
) -> None:
    # The post's own facts (its sum, its order), with the phrase and category fixed.
    found = analyse(make(text), embedder=None, categories=category_set(DraftingSettings(), None))
    specifics = {**found.specifics, "problem": problem, BASIS: "named"}
    asked = Analysis(
        category="billing",
        category_label="billing",
        specifics=specifics,
        severity_cues=("refund",),
    )
    replies = _every_variant(text, asked)
    assert all(owed in r and never not in r for r in replies), replies
    # One pair of brackets for a reference and a sum, never two side by side.
    assert not any(") (" in r for r in replies), replies


def test_something_taken_is_said_to_be_serious_in_every_category() -> None:
    for category in ("delivery", "other", "account", "billing"):
        stolen = _every_variant(
            "@parcelco left my parcel on the step and someone took it",
            _named(category, "your parcel", "theft"),
        )
        # Serious once: a draft that already calls it serious gets no second sentence.
        assert all(r.count("serious") == 1 for r in stolen), stolen
        assert any("taken from you is serious" in r for r in stolen), stolen
    plain = _every_variant("@parcelco my parcel is late", _named("delivery", "your parcel"))
    assert not any("taken from you" in r for r in plain), plain


def test_someone_at_risk_is_not_told_it_is_a_letdown() -> None:
    at_risk = _every_variant(
        "@letco boiler broken 3 weeks, we have a 2 month old baby",
        _named("defect", "the boiler", "welfare"),
    )
    assert not any("letdown" in r or "getting things done" in r for r in at_risk), at_risk
    cut = _every_variant(
        "@powerco power cut since 4am, dad is on home oxygen",
        _named("outage", "the power cut", "welfare"),
    )
    assert not any("getting things done" in r for r in cut), cut


def test_a_supply_they_are_without_is_said_as_they_said_it() -> None:
    out = _every_variant(
        "@waterco no water in the whole street since 5am", _named("outage", "the water")
    )
    assert all("no water" in r and "Trouble with the water" not in r for r in out), out
    placed = _every_variant(
        "@waterco still no water on Beech Grove since 6am",
        _named("outage", "the water on Beech Grove"),
    )
    assert all("no water" in r for r in placed), placed
    # A supply that is there but wrong is no "no water".
    brown = _every_variant("@waterco the water is brown again", _named("outage", "the water"))
    assert not any("no water" in r for r in brown), brown


def test_which_refund_and_where_the_person_was_stay_in_their_words() -> None:
    refund = _every_variant(
        "@shopco the refund for order SZ-55012 still not here",
        _named("billing", "the refund for order SZ-55012", "refund"),
    )
    assert all("your refund for order SZ-55012" in r for r in refund), refund
    driver = Analysis(
        category="staff",
        category_label="staff",
        specifics={"problem": "the driver on the 42", "who": "our driver", BASIS: "named"},
        severity_cues=(),
    )
    replies = _every_variant("@busco driver on the 42 drove straight past me", driver)
    assert all("our driver on the 42" in r for r in replies), replies


def test_a_sum_shares_the_brackets_of_a_reference() -> None:
    assert with_sum("the season pass (ticket 77310)", "$19.99") == (
        "the season pass (ticket 77310, $19.99)"
    )
    assert with_sum("the late fee", "£25") == "the late fee (£25)"
    assert with_sum("your £23.40 back", "£23.40") == "your £23.40 back"
    assert with_sum("your bill", "") == "your bill"


def test_no_apology_for_our_failing_when_they_say_it_was_not_ours() -> None:
    excused = Analysis(
        category="other",
        category_label="other",
        specifics={"problem": "the weather", "excused": "yes"},
        severity_cues=(),
    )
    post = "@holidayco i know it's not your fault but the weather was grim all week"
    replies = _every_variant(post, excused)
    assert not any(w in r for r in replies for w in ("let you down", "fell short")), replies
    owned = _every_variant("@holidayco the room was grim all week", _named("other", "the room"))
    assert any("let you down" in r or "fell short" in r for r in owned), owned


def _every_variant(text: str, analysis: Analysis) -> set[str]:
    return {draft(make(text, pid=str(i)), analysis).public_reply for i in range(12)}


def _named(category: str, problem: str, *cues: str) -> Analysis:
    """An analysis whose category the post's own words name."""
    return _analysed(category, *cues, problem=problem, **{BASIS: "named"})


def _analysed(category: str, *cues: str, **specifics: str) -> Analysis:
    """An analysis with exactly these specifics (no phrase unless given)."""
    return Analysis(
        category=category, category_label=category, specifics=specifics, severity_cues=cues
    )


@pytest.mark.parametrize(
    ("post", "said", "never"),
    [
        # One charge of many is not what they want back; the total they give is.
        (
            "@gymco cancelled in MARCH. £29.99 every month since = £179.94. refund it",
            "£179.94",
            "£29.99",
        ),
        (
            "@gymco cancelled in jan, still taking £34.99 a month. want it back",
            "money back",
            "£34.99",
        ),
        ("@gymco still charged $49.99 for may, june AND july. refund all 3", "all of it", "$49.99"),
        (
            "@gymco taken £34.99 again, 3 months running. want every penny back",
            "all of it",
            "£34.99",
        ),
    ],
)
def test_money_back_for_a_recurring_charge_is_all_of_it(post: str, said: str, never: str) -> None:
    replies = _every_variant(
        post, _analysed("billing", "refund", problem="your membership", amount=never)
    )
    assert all(said in r and never not in r for r in replies), replies


def test_a_new_monthly_sum_they_do_not_want_back_is_still_said() -> None:
    post = "@energyco my direct debit went from £89 to £214 a month with no warning"
    analysis = _analysed("billing", problem="your direct debit", amount="£214")
    assert all("£214" in r for r in _every_variant(post, analysis))


def test_the_theft_is_owned_even_when_their_phrase_says_fraud() -> None:
    # "the fraud line" they could not reach says nothing of the £640 taken.
    post = "@bankco someone drained £640 out of my acc. cant get through on the fraud line"
    replies = _every_variant(post, _analysed("account", "theft", problem="the fraud line"))
    assert all("taken from you is serious" in r for r in replies), replies


def test_a_parcel_thrown_into_the_rain_is_not_chased_as_missing() -> None:
    _, result = drafted(
        "@parcelco your driver lobbed my parcel over the back gate in the pouring rain. "
        "there's a laptop in it. box is soaked through"
    )
    assert "where it stands" not in result.public_reply, result.public_reply


def test_the_wrong_thing_delivered_is_not_chased_as_missing() -> None:
    _, result = drafted("@homeco waited 8 weeks and they delivered the wrong sofa. MUSTARD")
    reply = result.public_reply.lower()
    assert "where it stands" not in reply and "track it down" not in reply, reply


def test_the_person_they_named_keeps_the_words_they_named_them_with() -> None:
    # "the driver on the 42" they named, not "our drivers" from their question
    post = "driver on the 42 shut the doors on my nan. what training do your drivers get?"
    analysis = _analysed(
        "staff", problem="the driver on the 42", who="the driver", **{BASIS: "close"}
    )
    assert all("the driver on the 42" in r for r in _every_variant(post, analysis))


@pytest.mark.parametrize("service", ["the 7.52 X9", "the 07:12 to Leeds", "the 16:30 sailing"])
def test_a_service_named_by_its_time_is_one_that_runs(service: str) -> None:
    # "the 7.52 X9" (a dot for the colon) runs to a timetable, as "the 07:12" does.
    post = f"{service} late AGAIN. 3rd day this week"
    replies = _every_variant(post, _named("delay", service, "repeat"))
    assert all(service in r for r in replies), replies


@pytest.mark.parametrize(
    "post",
    [
        "@airco flight was fine but the security queue at Gatwick took 2 hrs 15 mins",
        "@airco passport control at Stansted took 2 HOURS. sort it out",
    ],
)
def test_what_the_airport_or_the_border_runs_is_not_owned(post: str) -> None:
    analysis, result = drafted(post)
    assert analysis.specifics.get("excused") == "all", analysis.specifics
    reply = result.public_reply
    assert "standard you should get from us" not in reply and "our job" not in reply, reply


def test_money_back_is_never_for_where_they_saw_the_charge() -> None:
    post = "@flixco two charges of £10.99 and the billing page logs me out. want one refunded"
    analysis = _analysed("billing", "refund", problem="the billing page", **{BASIS: "named"})
    replies = _every_variant(post, analysis)
    assert not any("back for the billing page" in r for r in replies), replies


def test_money_back_for_a_booking_is_for_the_booking_not_the_app() -> None:
    post = "@railco your app sold me a £62 return for the strike day. booking WL99120"
    analysis = _analysed(
        "billing", "refund", problem="our app", booking="WL99120", **{BASIS: "named"}
    )
    replies = _every_variant(post, analysis)
    assert not any("back for our app" in r for r in replies), replies


def test_a_delivery_named_by_nothing_is_no_order() -> None:
    # With no phrase of theirs, "your order" would claim one; "your delivery" is true of
    # any parcel.
    post = "@parcelco your driver left my parcel on the wall and surprise surprise its gone"
    replies = _every_variant(post, _analysed("delivery", "theft", **{BASIS: "named"}))
    assert not any("your order" in r for r in replies), replies


def test_a_delay_s_reply_names_only_what_ran_late() -> None:
    # "no clear word on the sandwich" (what food cost at the gate) is no delay's subject.
    post = "@airco a £6 voucher for a 5 hr delay at Gatwick? a sandwich in here is £8.50"
    replies = _every_variant(post, _named("delay", "the sandwich"))
    assert not any("sandwich" in r for r in replies), replies
    replies = _every_variant("@railco the 07:12 is 40 mins late", _named("delay", "the 07:12"))
    assert all("the 07:12" in r for r in replies), replies


def test_a_journey_s_reply_names_no_thing_they_own() -> None:
    # "your car" (where they sat waiting at the port) is no part of a cancelled crossing.
    post = "@ferryco cancelled the 08:15 crossing. we're sat in the car at the port"
    replies = _every_variant(post, _analysed("disruption", product="car"))
    assert not any("your car" in r for r in replies), replies


def test_a_thing_on_our_premises_is_not_theirs() -> None:
    # The kettle in a hotel room is ours: "your kettle" would say they brought it.
    post = "@hotelco room 412: hair in the shower and the kettle had limescale in it"
    ours = _analysed("conditions", product="kettle", **{BASIS: "named"})
    replies = _every_variant(post, ours)
    assert all("the kettle" in r and "your kettle" not in r for r in replies), replies
    bought = _analysed("defect", product="kettle", **{BASIS: "named"})
    theirs = _every_variant("@shopco my kettle leaks", bought)
    assert all("your kettle" in r.lower() for r in theirs), theirs


def test_chasing_is_said_only_when_they_say_they_chased() -> None:
    # "Getting your refund shouldn't take chasing" to a first ask claims a history the
    # post never gave.
    first = _named("billing", "the refund", "refund")
    replies = _every_variant("@taxco can I put my refund towards next year?", first)
    assert not any(re.search(r"\bchas(e|ing)\b", r, re.I) for r in replies), replies
    again = _named("billing", "the refund", "refund", "repeat")
    replies = _every_variant("@taxco third time asking about my refund", again)
    assert any(re.search(r"\bchas(e|ing)\b", r, re.I) for r in replies), replies


@pytest.mark.parametrize(
    ("category", "post"),
    [
        ("delay", "@ferryco 21:30 sailing 3 hours late, my 80 yr old dad and his wheelchair"),
        ("disruption", "@ferryco 21:30 sailing cancelled, my 80 yr old dad and his wheelchair"),
        ("other", "@ferryco the 21:30 sailing: my 80 yr old dad and his wheelchair left behind"),
    ],
)
def test_someone_stranded_is_told_they_will_be_looked_after_in_every_variant(
    category: str, post: str
) -> None:
    stranded = _every_variant(post, _named(category, "the 21:30 sailing", "welfare"))
    assert all("looked after" in r for r in stranded), stranded
    calm = _every_variant(post, _named(category, "the 21:30 sailing"))
    assert not any("looked after" in r for r in calm), calm


@pytest.mark.parametrize(
    ("problem", "post", "told", "never"),
    [
        # A hazard that is no product is kept clear of, not stopped using.
        (
            "the trees",
            "@powerco dangerous: a tree hangs over the power line on our road",
            "stay clear of it",
            "stop using",
        ),
        # A danger that is past is not kept clear of.
        (
            "the trip",
            "@rideco your driver was on his phone doing 90 on the motorway, felt unsafe",
            "stay safe",
            "stay clear of it",
        ),
    ],
)
def test_what_a_safety_draft_tells_them_to_do(
    problem: str, post: str, told: str, never: str
) -> None:
    replies = _every_variant(post, _named("safety", problem, "safety"))
    assert not any(never in r for r in replies), replies
    assert any(told in r for r in replies), replies


def test_the_refund_they_are_owed_is_the_refund_not_the_process_around_it() -> None:
    asked = _named("billing", "our refund process", "refund")
    replies = _every_variant("@shopco your refund process is a maze, I want my refund", asked)
    assert all("your refund" in r and "Getting our refund process" not in r for r in replies), (
        replies
    )


def test_an_outage_they_say_persists_is_not_asked_when_it_started() -> None:
    post = "@netco a week on and the connection still hasn't been fixed"
    persisting = _every_variant(post, _named("outage", "the connection", "repeat"))
    assert not any("when it started" in r for r in persisting), persisting
    fresh = _every_variant(
        "@netco the connection keeps dropping", _named("outage", "the connection")
    )
    assert any("when it started" in r for r in fresh), fresh
    # Whatever is down, "what you're seeing" is theirs to tell: a power cut has no
    # "what you were trying to do".
    assert not any("trying to do" in r for r in persisting | fresh)


def test_a_complaint_about_someone_names_them_not_the_thing_beside_them() -> None:
    # "What you describe with the till" for a rude cashier names the wrong thing.
    treated = Analysis(
        category="staff",
        category_label="how you were treated",
        specifics={"problem": "the till", "who": "the lady", BASIS: "named"},
    )
    replies = _every_variant("@shopco the lady on the till was so rude to me", treated)
    assert all("the lady" in r and "the till" not in r for r in replies), replies


def test_only_what_is_ours_is_called_ours_to_fix() -> None:
    # "Problems with the smart TVs are ours to fix" owns another maker's device.
    theirs = _every_variant(
        "@streamco the app errors on both my smart TVs", _named("outage", "the smart TVs")
    )
    assert not any("ours to fix" in r for r in theirs), theirs
    ours = _every_variant("@streamco your app errors all day", _named("outage", "our app"))
    assert any("ours to fix" in r for r in ours), ours


def test_a_complaint_about_someone_inferred_names_them_in_the_generic_draft() -> None:
    # No word of theirs names the category, so the generic structure is used: it still
    # names the person, not "the train" they were on.
    inferred = Analysis(
        category="staff",
        category_label="how you were treated",
        specifics={"problem": "the train", "who": "the conductor", BASIS: "inferred"},
    )
    post = "@railco the conductor on the 18:15 made my mum stand when the train was rammed"
    replies = _every_variant(post, inferred)
    assert all("the conductor" in r and "the train" not in r for r in replies), replies


def test_a_stolen_parcel_is_not_called_a_wait() -> None:
    def analysed(*cues: str) -> Analysis:
        return Analysis(
            category="delivery",
            category_label="late delivery",
            specifics={"problem": "your package", "wait": "2 days", BASIS: "named"},
            severity_cues=cues,
        )

    post = "@dropco my package was taken from the step 2 days ago and I'm still waiting on you"
    stolen = _every_variant(post, analysed("theft"))
    # "Waiting with no clear answer on your package" makes a theft a slow delivery.
    assert not any("no clear answer" in r for r in stolen), stolen
    assert any("serious" in r for r in stolen), stolen
    # The same post, its theft unseen, gets that variant among the others.
    unseen = _every_variant(post, analysed())
    assert any("no clear answer" in r for r in unseen), unseen


def test_a_line_they_waited_on_with_a_reference_is_still_a_line() -> None:
    line = _analysed(
        "contact",
        problem="the claims line",
        claim="HX-20931",
        wait="2 hours 15 minutes",
        **{BASIS: "named"},
    )
    replies = _every_variant("@insco 2 hrs 15 mins on hold to the claims line, ref HX-20931", line)
    assert not any("about the claims line" in r for r in replies), replies


def test_a_line_they_waited_on_is_where_they_waited_not_what_about() -> None:
    line = _analysed(
        "contact", problem="our customer service line", wait="1 hour 12 minutes", **{BASIS: "named"}
    )
    replies = _every_variant("@telco rang your customer service line, 1 hr 12 mins on hold", line)
    assert not any("about our customer service line" in r for r in replies), replies
    assert any("1 hour 12 minutes on our customer service line" in r for r in replies), replies


def test_a_supply_said_to_be_off_is_said_as_none() -> None:
    post = "@waterco our water supply has been off since 7am, dad is on home dialysis"
    replies = _every_variant(post, _named("outage", "your water", "welfare"))
    assert all("no water" in r for r in replies), replies
    on = _every_variant("@waterco the water tastes of chlorine", _named("outage", "the water"))
    assert not any("no water" in r for r in on), on


@pytest.mark.parametrize(
    ("post", "again"),
    [
        ("@netco internet down AGAIN. 3rd time this month", True),
        ("@railco the 18:40 to Bristol is late again", True),
        ("@railco third week running the 07:12 is cancelled", True),
        ("@railco never coming back, the 07:12 NEVER runs", False),
        ("@railco 2nd time this week the 07:12 has been cancelled", True),
        ("@railco 40 mins outside Pellham, late for work again", True),
        # Chasing us again, or a threat, is no recurrence of the fault.
        ("@energyco sent my reading, screenshot attached AGAIN. why is my bill £412", False),
        ("@railco NEVER travelling with you AGAIN, the 07:12 was 40 mins late", False),
    ],
)
def test_it_happening_again_is_apologised_for_only_when_they_say_so(post: str, again: bool) -> None:
    replies = _every_variant(post, _named("outage", "the internet"))
    said = [r for r in replies if "again" in r]
    if again:
        assert said == list(replies) and all(r.count("again") == 1 for r in said), replies
    else:
        assert not said, replies


def test_the_total_they_want_back_is_the_sum_said() -> None:
    post = "@gymco still taking £34.99 every month. that's £104.97 i want back"
    replies = _every_variant(post, _named("billing", "your membership", "refund"))
    assert all("£104.97 back" in r and "£34.99" not in r for r in replies), replies
    shout = "@gymco you've taken £34.99 every month since. thats £139.96. i want ALL of it back"
    replies = _every_variant(shout, _named("billing", "your membership", "refund"))
    assert all("£139.96 back" in r for r in replies), replies


def test_a_sum_alone_is_what_a_billing_draft_names() -> None:
    post = "@bankco thats not what your colleague said. she said the £250 would be back in 3 days"
    told = _analysed("billing", "repeat", amount="£250", thread="reply", **{BASIS: "inferred"})
    replies = _every_variant(post, told)
    assert all("the £250" in r and "£250 and the £250" not in r for r in replies), replies


def test_part_of_what_they_paid_is_not_said_to_be_all_of_it() -> None:
    post = "£890 for a week at the park and the caravan was filthy. want a partial refund"
    part = _analysed("billing", "refund", amount="£890", **{BASIS: "named"})
    replies = _every_variant(post, part)
    assert all("part of your money back" in r and "£890" not in r for r in replies), replies


def test_money_back_is_never_for_their_proof() -> None:
    post = "@netco cancelled in MARCH, got the confirmation email. i want the £194.97 back"
    replies = _every_variant(post, _named("billing", "the confirmation", "refund"))
    assert all("£194.97 back" in r and "confirmation" not in r for r in replies), replies


def test_a_chatbot_loop_is_said_as_one() -> None:
    post = "@telco your chatbot has sent me back to 'main menu' 7 times now"
    replies = _every_variant(post, _named("contact", "our chatbot"))
    assert all("round in circles with our chatbot" in r for r in replies), replies


def test_what_they_excuse_is_not_apologised_for_as_happening_again() -> None:
    post = "not your fault @stayco but the building work next door starts at 7am every single day"
    excused = _analysed("other", problem="the building work", excused="yes", **{BASIS: "named"})
    assert not any("again" in r for r in _every_variant(post, excused))


def test_someone_at_risk_without_a_supply_is_told_it_is_serious() -> None:
    post = "@powerco the power's been off since 4am and my dad is on a home oxygen concentrator"
    replies = _every_variant(post, _named("outage", "the power", "welfare"))
    assert not any("work around" in r or "getting things done" in r for r in replies), replies


def test_every_charge_they_want_back_is_not_the_one_sum() -> None:
    post = "@gymco cancelled in MARCH. you took £34.99 in april AND may. I want both back"
    replies = _every_variant(post, _named("billing", "your membership", "refund"))
    assert all("both payments back" in r and "£34.99" not in r for r in replies), replies


def test_what_they_excuse_outright_is_not_owned_by_any_category() -> None:
    post = "@airco i know its not your fault but the passport queue at Gatwick was 2 hrs"
    excused = _analysed(
        "conditions", problem="the passport queue at Gatwick", excused="all", **{BASIS: "named"}
    )
    replies = _every_variant(post, excused)
    assert not any("standard" in r or "our job" in r or "fell short" in r for r in replies), replies


def test_every_charge_back_is_not_for_the_one_sum() -> None:
    post = "@gymco still took £34.99 in april AND may. want both payments refunded"
    replies = _every_variant(
        post, _analysed("billing", "refund", amount="£34.99", **{BASIS: "named"})
    )
    assert all("both payments back" in r and "£34.99" not in r for r in replies), replies
