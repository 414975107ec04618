"""Priority and ownership rules, on their own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.config import PrioritySettings, parse_config
from monitor.core.models import Analysis, Classification, Mention
from monitor.page.routing import RoutingFacts, assign
from monitor.respond.priority import prioritise

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def judged(score: float) -> Classification:
    return Classification(
        complaint=True,
        complaint_score=score,
        sentiment="negative",
        sentiment_scores={"negative": score, "neutral": 1 - score, "positive": 0.0},
        model="m",
        model_version="v",
    )


def post(reach: int = 100, engagement: int = 0, age_minutes: int = 30) -> Mention:
    return Mention(
        platform="x",
        platform_id="1",
        author="a",
        text="t",
        url="u",
        created_at=NOW - timedelta(minutes=age_minutes),
        reach=reach,
        engagement=engagement,
    )


def about(*cues: str) -> Analysis:
    return Analysis(category="delivery", category_label="your delivery", severity_cues=cues)


SETTINGS = PrioritySettings()


def test_safety_cue_alone_is_p1_and_says_so():
    p = prioritise(post(), judged(0.7), about("safety"), SETTINGS, now=NOW)
    assert p.level == "P1" and p.reasons[0] == "safety cue"
    assert p.describe().startswith("P1: safety cue")


def test_big_audience_with_a_sure_complaint_is_p1():
    p = prioritise(post(reach=48_000), judged(0.95), about(), SETTINGS, now=NOW)
    assert p.level == "P1" and "48k followers" in p.reasons


def test_big_audience_with_an_unsure_complaint_stays_p2():
    p = prioritise(post(reach=48_000), judged(0.7), about(), SETTINGS, now=NOW)
    assert p.level == "P2" and "48k followers" in p.reasons


def test_fast_spreading_post_is_p1():
    p = prioritise(post(engagement=300, age_minutes=30), judged(0.7), about(), SETTINGS, now=NOW)
    assert p.level == "P1" and p.reasons[0].startswith("spreading: 600 interactions/h")
    slow = prioritise(
        post(engagement=300, age_minutes=600), judged(0.7), about(), SETTINGS, now=NOW
    )
    assert slow.level == "P2"


def test_mild_complaint_without_cues_is_p3_but_a_refund_demand_is_not():
    assert prioritise(post(), judged(0.55), about(), SETTINGS, now=NOW).level == "P3"
    refund = prioritise(post(), judged(0.55), about("refund"), SETTINGS, now=NOW)
    assert refund.level == "P2" and "refund demand" in refund.reasons


ROUTING = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[brands]]
name = "Zeta"
keywords = ["zeta"]

[[responders]]
name = "Ana"
supervisor = "Boss"
timezone = "Europe/Berlin"
[[responders.contacts]]
url = "terminal://"
[[responders]]
name = "Ben"
supervisor = "Boss"
timezone = "Asia/Tokyo"
working_hours = "09:00-18:00"
[[responders.contacts]]
url = "terminal://"
[[responders]]
name = "Cy"
timezone = "America/Los_Angeles"
[[responders.contacts]]
url = "terminal://"
[[responders]]
name = "Boss"
[[responders.contacts]]
url = "terminal://"

[[rotations]]
name = "follow-the-sun"
members = ["Ana", "Ben", "Cy"]
handoff = "08:00"
timezone = "Europe/Berlin"
shift_days = 1
start = "2026-11-23"

[routing]
default = "follow-the-sun"

[[routing.rules]]
category = "safety"
assign = "Boss"

[[routing.rules]]
brand = "Zeta"
platform = "reddit"
assign = "Cy"
"""


def facts(**kw) -> RoutingFacts:
    base = dict(brand="Acme", platform="x", category="delivery", language="en", priority="P2")
    return RoutingFacts(**(base | kw))


def test_first_matching_rule_wins_and_is_recorded():
    config = parse_config(ROUTING)
    got = assign(config, facts(category="safety", brand="Zeta", platform="reddit"), now=NOW)
    assert got.responder == "Boss" and got.why == "rule 1"
    got = assign(config, facts(brand="zeta", platform="reddit"), now=NOW)  # case-insensitive
    assert got.responder == "Cy" and got.why == "rule 2"


def test_rotation_hands_off_at_local_time_in_its_own_zone():
    config = parse_config(ROUTING)
    # Berlin is UTC+1 in November: the 08:00 hand-off is 07:00 UTC.
    before = datetime(2026, 11, 24, 6, 59, tzinfo=UTC)
    after = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    assert assign(config, facts(), now=before).responder == "Ana"
    assert assign(config, facts(), now=after).responder == "Ben"
    got = assign(config, facts(), now=after)
    assert got.chain == ("Ben", "Cy", "Boss")  # backup is the next member, then the supervisor
    assert "rotation 'follow-the-sun' (on call)" in got.why


def test_load_balancing_picks_the_least_busy_member_at_work():
    config = parse_config(ROUTING.replace("default = ", "balance_load = true\ndefault = "))
    # 10:00 UTC: Ana (Berlin, 11:00) and Cy (LA, 02:00 - asleep); Ben in Tokyo 19:00 - gone.
    got = assign(config, facts(), now=NOW, open_counts={"Ana": 5, "Ben": 0, "Cy": 0})
    assert got.responder == "Ana"  # the only one at work, however busy
    noon_la = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # Cy 12:00, Ana 21:00, Ben 05:00
    got = assign(config, facts(), now=noon_la, open_counts={"Ana": 0, "Cy": 2})
    assert got.responder == "Cy" and "fewest open" in got.why


def test_no_rule_and_no_default_goes_to_the_first_responder():
    config = parse_config(ROUTING.replace('default = "follow-the-sun"\n', ""))
    assert assign(config, facts(), now=NOW).responder == "Ana"
