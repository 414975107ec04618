"""The reply checker: catches what REPLY-GUIDANCE.md forbids, passes good replies."""

from __future__ import annotations

import pytest

from monitor.core.models import Analysis
from monitor.respond.checker import check_reply
from sources.x import x_length

GOOD_X = [
    "@mara_k Order HL-88213 is three weeks late and you've been left without a sofa. That's "
    "our failure and I'm sorry. Please DM us and I'll find out where it is today. – Sam",
    "@dbl_charged Taking £11.99 twice is our mistake, not yours. I apologise. Could you send us "
    "a DM? I'll get the extra charge refunded myself. – Priya",
    "@rentday The app failing on rent day is stressful and it's on us to fix. I'm sorry. DM us "
    "if you need the payment made another way and I'll help. – Jo",
]
GOOD_REDDIT = [
    "Hi u/porchpirated, a parcel marked delivered that never reached you is maddening, and "
    "it's ours to sort out. I'm sorry. Could you send me a PM with order 559-2231-88? I'll "
    "trace it and come back to you with options today. – Sam",
    "Hi u/allergymum, a nut-free label that was wrong put your son at risk, and that is "
    "serious. I apologise. Please email us at care@example.com so I can help straight away. "
    "– Alex",
]


@pytest.mark.parametrize("text", GOOD_X)
def test_good_x_replies_pass(text: str) -> None:
    assert check_reply(text, platform="x") == []


@pytest.mark.parametrize("text", GOOD_REDDIT)
def test_good_reddit_replies_pass(text: str) -> None:
    assert check_reply(text, platform="reddit") == []


# Each starts from a good reply and adds exactly one kind of mistake.
BASE = "@bob Your order 1234 is late. {} DM us and I'll sort it. – Sam"
BAD = [
    ("I'm sorry if you were upset.", "fauxpology"),
    ("I'm sorry you feel that way.", "fauxpology"),
    ("I'm sorry you're disappointed.", "fauxpology"),
    ("Mistakes were made, and I'm sorry.", "fauxpology"),
    ("We're sorry for any inconvenience.", "fauxpology"),
    ("I apologise for the inconvenience caused.", "fauxpology"),
    ("I apologise if anyone was offended.", "fauxpology"),
    ("We regret that you were unhappy.", "fauxpology"),
    ("I'm sorry you had that experience.", "fauxpology"),
    ("I'm sorry, it's due to high demand.", "excuse"),
    ("I'm sorry; it was beyond our control.", "excuse"),
    ("I'm sorry, it's out of our hands.", "excuse"),
    ("I'm sorry, unforeseen circumstances hit us.", "excuse"),
    ("I'm sorry, but it's not our fault.", "excuse"),
    ("I'm sorry, we're short-staffed.", "excuse"),
    ("I'm sorry, but as per our policy it takes 10 days.", "excuse"),
    ("I'm sorry, the courier lost it.", "blame"),
    ("I'm sorry, our delivery partner was slow.", "blame"),
    ("I'm sorry, a third-party vendor failed us.", "blame"),
    ("I'm sorry, the system made an error.", "blame"),
    ("I'm sorry, that's another department.", "blame"),
    ("I'm sorry, but you should have checked the address.", "blame"),
    ("I'm sorry, but you didn't read the terms.", "blame"),
    ("I'm sorry, it looks like user error.", "blame"),
    ("It happens.", "no-apology"),
    ("I'm sorry. We apologise.", "extra-apology"),
    ("I'm so so sorry.", "over-apologizing"),
    ("We can't apologise enough.", "over-apologizing"),
    ("I'm sorry. WE WILL FIX THIS.", "shouting"),
    ("I'm sorry!!!", "shouting"),
]


@pytest.mark.parametrize(("middle", "code"), BAD)
def test_catches_each_pattern(middle: str, code: str) -> None:
    findings = check_reply(BASE.format(middle), platform="x")
    assert code in {f.code for f in findings}
    assert all(f.message for f in findings)


def test_base_reply_itself_is_clean() -> None:
    # Guards the parametrised test: the findings must come from the inserted words.
    assert check_reply(BASE.format("I'm sorry."), platform="x") == []


def test_no_private_channel() -> None:
    codes = {
        f.code for f in check_reply("@bob Order 1234 is late and I'm sorry. – Sam", platform="x")
    }
    assert codes == {"no-private-channel"}


@pytest.mark.parametrize(
    "text",
    [
        "@bob I'm sorry your phone broke. We'll fix it. – Sam",  # "phone" is not "by phone"
        "@bob I'm sorry the 3 pm delivery was late. We'll fix it. – Sam",  # "pm" is not "PM"
        "@bob I'm sorry your email address vanished. We'll fix it. – Sam",
    ],
)
def test_words_that_only_look_like_an_invitation(text: str) -> None:
    assert "no-private-channel" in {f.code for f in check_reply(text, platform="x")}


@pytest.mark.parametrize(
    "text",
    [
        "@bob I'm sorry order 1234 is late. Email us at help@example.com. – Sam",
        "@bob I'm sorry order 1234 is late. Details: https://example.com/help – Sam",
        "@bob I'm sorry order 1234 is late. Could you send us a direct message? – Sam",
    ],
)
def test_other_private_channels_count(text: str) -> None:
    assert check_reply(text, platform="x") == []


@pytest.mark.parametrize(
    ("address", "counts"),
    [
        ("help@example.com", True),
        ("first.last+care@mail.example.co.uk", True),
        ("a@b.c", True),
        ("x" * 5000 + "@example.com", True),  # a long local part, found at its end
        ("help@localhost", False),  # no dot: not an address people can write to
        ("@example.com", False),  # a handle, not an address
        ("help@", False),
        ("a" * 5000, False),
        ("a." * 2500 + "@", False),
    ],
)
def test_an_email_address_counts_as_a_private_channel(address: str, counts: bool) -> None:
    """What the linear address pattern finds (bench_checker.py measures its speed)."""
    text = f"@bob I'm sorry order 1234 is late. Write to {address} – Sam"
    assert ("no-private-channel" not in {f.code for f in check_reply(text, platform="reddit")}) is (
        counts
    )


@pytest.mark.parametrize(
    ("text", "grovels"),
    [
        ("I'm so so sorry your order 1234 is late. DM us.", True),
        ("I'm so so so so sorry your order 1234 is late. DM us.", True),
        ("I'm so sorry your order 1234 is late. DM us.", False),
        ("Sorry your order 1234 is late, so so late. DM us.", False),
        ("Sorry your order is late. " + "so " * 3000 + "DM us.", False),
    ],
)
def test_repeated_so_before_sorry_is_over_apologizing(text: str, grovels: bool) -> None:
    codes = {f.code for f in check_reply(text, platform="reddit")}
    assert ("over-apologizing" in codes) is grovels


def test_too_long_for_x_counts_like_x() -> None:
    text = "@bob I'm sorry order 1234 is late. DM us. " + "x" * 240
    assert "too-long" in {f.code for f in check_reply(text, platform="x")}
    assert check_reply(text, platform="reddit") == []


def test_reddit_wants_one_short_paragraph() -> None:
    long = "Hi u/bob, I'm sorry order 1234 is late. PM me. " + "More detail here. " * 40
    assert "too-long" in {f.code for f in check_reply(long, platform="reddit")}
    two = "Hi u/bob, I'm sorry order 1234 is late.\n\nPM me and I'll fix it."
    assert "too-long" in {f.code for f in check_reply(two, platform="reddit")}


def test_x_length_rules() -> None:
    assert x_length("abc") == 3
    assert x_length("see https://example.com/a/very/long/path/indeed?x=1") == 4 + 23
    assert x_length("日本") == 4  # CJK counts double
    assert x_length("é–") == 2
    # The edges of each light range (twitter-text v3): the last light point, the next.
    for light, heavy in ((4351, 4352), (8205, 8206), (8223, 8224), (8247, 8248)):
        assert (x_length(chr(light)), x_length(chr(heavy))) == (1, 2)
    assert x_length("😡") == 2


def test_not_specific_needs_the_analysis() -> None:
    analysis = Analysis(
        category="billing", category_label="billing problem", specifics={"order": "A-99812"}
    )
    vague = "@bob We got this wrong and I'm sorry. DM us and I'll put it right. – Sam"
    assert "not-specific" in {f.code for f in check_reply(vague, platform="x", analysis=analysis)}
    assert check_reply(vague, platform="x") == []  # without an analysis, nothing to compare
    named = "@bob Order A-99812 was mishandled and I'm sorry. DM us and I'll fix it. – Sam"
    assert check_reply(named, platform="x", analysis=analysis) == []


def test_category_words_match_at_word_starts() -> None:
    outage = Analysis(category="outage", category_label="app or website problem")
    text = "@bob I'm sorry this happened. DM us and I'll sort it. – Sam"  # "happened" ≠ "app"
    assert "not-specific" in {f.code for f in check_reply(text, platform="x", analysis=outage)}


def test_sorry_about_that_is_vague() -> None:
    findings = check_reply("@bob Sorry about that. DM us. – Sam", platform="x")
    assert "not-specific" in {f.code for f in findings}


def test_handles_and_order_codes_are_not_shouting() -> None:
    text = "@ACME_UK_HELP I'm sorry order ABCD-1234 and BCDE-9 are late. DM us. – Sam"
    assert check_reply(text, platform="x") == []


# The bad replies a first try on real complaints let through: each is flagged.
MISSED_BEFORE = [
    ("We apologize for any frustration this may have caused.", "fauxpology"),
    ("We're sorry to hear about your experience.", "fauxpology"),
    (
        "We take customer service very seriously and regret that your expectations weren't met.",
        "fauxpology",
    ),
    ("I'm sorry; high call volumes this week mean longer hold times.", "excuse"),
    ("I'm sorry. Unfortunately this is our policy and we're unable to make exceptions.", "excuse"),
    ("I'm sorry, UPS has been losing parcels.", "blame"),
    ("I'm sorry, please make sure you are using the correct password.", "blame"),
    ("I'm sorry. Have you tried restarting it?", "blame"),
]


@pytest.mark.parametrize(("middle", "code"), MISSED_BEFORE)
def test_catches_the_replies_it_used_to_miss(middle: str, code: str) -> None:
    assert code in {f.code for f in check_reply(BASE.format(middle), platform="x")}


@pytest.mark.parametrize(
    "middle",
    [
        "I'm sorry, it was late because of a crew-scheduling mistake we made.",
        "It's late due to a packing error on our part, and I'm sorry.",
        "That's on us: due to a mistake in our own system it never left. I'm sorry.",
        "I'm sorry; we got this wrong, due to our process.",
    ],
)
def test_an_owned_cause_is_not_an_excuse(middle: str) -> None:
    assert check_reply(BASE.format(middle), platform="x") == []


def test_an_excuse_elsewhere_is_not_excused_by_owning_something_else() -> None:
    text = BASE.format("That's on us. I'm sorry, it was due to the weather.")
    assert "excuse" in {f.code for f in check_reply(text, platform="x")}


def test_with_the_complaint_a_claim_from_nowhere_is_ungrounded() -> None:
    lost_bag = "@skyways lost my bag and nobody answers the phone"
    wrong = "@kim Your order still hasn't reached you. I'm sorry. DM us and I'll chase it. – Sam"
    found = check_reply(wrong, platform="x", complaint=lost_bag)
    assert "ungrounded" in {f.code for f in found}
    right = "@kim I'm sorry about your bag. DM us your bag tag and I'll follow it up. – Sam"
    assert check_reply(right, platform="x", complaint=lost_bag) == []


def test_with_the_complaint_specific_means_using_their_words() -> None:
    complaint = "the charger sockets on the 7:10 don't work again"
    generic = "@kim Thanks for telling us. I'm sorry. DM us and I'll look into it. – Sam"
    assert "not-specific" in {
        f.code for f in check_reply(generic, platform="x", complaint=complaint)
    }
    echoed = "@kim Thanks for telling us about the charger sockets. I'm sorry. DM us. – Sam"
    assert check_reply(echoed, platform="x", complaint=complaint) == []


def test_the_handle_and_signature_make_no_claims() -> None:
    complaint = "the queue at the till took forty minutes"
    reply = "@order_lost I'm sorry about the queue. DM us. – Delivery Dan"
    assert check_reply(reply, platform="x", complaint=complaint) == []


def test_a_quoted_word_of_theirs_counts_as_an_echo() -> None:
    complaint = "the online store has been returning 'maintenance' since lunchtime"
    reply = "@kim Thanks for telling us about the maintenance. I'm sorry. Could you DM us? – Sam"
    codes = {f.code for f in check_reply(reply, platform="x", complaint=complaint)}
    assert "not-specific" not in codes
