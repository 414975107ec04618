"""Grounding: what a reply claims must be in the complaint."""

from __future__ import annotations

import pytest

from monitor.respond.grounding import unsupported

LOST_BAG = "@skyways lost my bag and nobody answers the phone"
FILTHY = "The cabin on my flight home was filthy, crumbs and sticky tables everywhere"
UPDATE = "@phoneco please release a software update for the screen dimming on the K9"
THEFT = "Someone went through my suitcase on the flight to Lisbon, my camera was taken"


@pytest.mark.parametrize(
    ("complaint", "reply", "claim"),
    [
        (LOST_BAG, "Your order still hasn't reached you.", "an order"),
        ("3 days now waiting for my bag", "You paid for your order and are waiting.", "an order"),
        (THEFT, "No clear answer on your delivery is frustrating.", "a delivery"),
        (FILTHY, "A delay like that on your journey costs you.", "a delay"),
        (UPDATE, "Our app failing you is on us.", "the app"),
        ("the charger sockets on the train don't work", "That charge isn't right.", "a charge"),
        ("the queue at the till was 40 minutes", "Your bag going missing is stressful.", "luggage"),
        # It came: twice, or late, but it came.
        (
            "my book finally came in but you sent me 2 copies",
            "Your book should have reached you by now.",
            "something not arrived",
        ),
        (
            "your online delivery services are subpar",
            "Our online delivery services should have reached you by now.",
            "something not arrived",
        ),
        (
            "my order arrived 3 days late and squashed",
            "Your order should have reached you by now.",
            "something not arrived",
        ),
        # They were told: a text gave the new time.
        (
            "got a text saying my flight is delayed till 2am",
            "Waiting with no clear word on your flight is maddening.",
            "being left without word",
        ),
        (
            "paid for 2 day shipping and it says it won't be here till Tuesday",
            "Waiting with no clear answer on your delivery isn't good enough.",
            "being left without word",
        ),
        # A handle names the brand, not what they said: "@ParcelPigeon" is no parcel.
        (
            "@ParcelPigeon that's the exact same copy-paste reply you sent me yesterday",
            "I'm sorry about your order.",
            "an order",
        ),
    ],
)
def test_claims_from_nowhere_are_found(complaint: str, reply: str, claim: str) -> None:
    assert claim in [name for name, _ in unsupported(reply, complaint)]


@pytest.mark.parametrize(
    ("complaint", "reply"),
    [
        (LOST_BAG, "I'm sorry about your bag. DM us your bag tag."),
        (FILTHY, "What you found with the cabin on your flight isn't our standard."),
        (UPDATE, "A problem with the screen dimming should just work."),
        (THEFT, "Anything taken from your suitcase is serious."),
        ("my order 913181 is 2.5 hours late", "Your order (913181) should have reached you."),
        ("where is my parcel? tracking says nothing", "Your parcel should have reached you."),
        ("flight delayed 3 hours, nobody tells us anything", "No clear word on your flight."),
        ("waited a week, any update on my refund", "Waiting with no clear answer on your refund."),
        ("2 day shipping and it's still not here", "I'm sorry about your order."),
    ],
)
def test_claims_the_complaint_supports_pass(complaint: str, reply: str) -> None:
    assert unsupported(reply, complaint) == []
