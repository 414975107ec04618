"""The follow-up checklist: the right playbook, their question, the thread, the supervisor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from monitor.core.models import Analysis, Mention, Priority
from monitor.respond.categories import BASIS
from monitor.respond.followup import followup

P2 = Priority(level="P2", reasons=("score 0.75",))


def steps(
    text: str,
    category: str,
    *,
    specifics: dict[str, str] | None = None,
    cues: tuple[str, ...] = (),
    needs_edit: bool = False,
) -> str:
    mention = Mention(
        platform="x",
        platform_id="41",
        author="kim",
        text=text,
        url="https://example.com/41",
        created_at=datetime(2026, 11, 23, tzinfo=UTC),
    )
    analysis = Analysis(
        category=category,
        category_label=category,
        specifics={"channel": "X", **(specifics or {})},
        severity_cues=cues,
    )
    return "\n".join(followup(mention, analysis, P2, None, handle="@kim", needs_edit=needs_edit))


def test_a_lost_bag_gets_the_bag_checklist_not_the_parcel_one() -> None:
    found = steps("@skyways lost my bag", "luggage", specifics={"problem": "your bag"})
    assert "bag tag" in found and "your bag" in found
    assert "dispatch" not in found and "resend by express" not in found


def test_a_close_call_gets_the_general_checklist_not_a_guessed_one() -> None:
    named = steps("@skyways lost my bag", "luggage", specifics={BASIS: "named"})
    close = steps("@skyways lost my bag", "luggage", specifics={BASIS: "close"})
    assert "bag tag" in named and "bag tag" not in close
    assert "close" not in close.split("Known so far:")[1].split("\n")[0]  # not a fact of theirs


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("I have sent you a DM", "sent"),
        ("unable to DM you", "blocked"),
    ],
)
def test_what_they_said_about_messaging_us_is_a_step(text: str, said: str) -> None:
    found = steps(text, "contact", specifics={"private": said})
    assert ("already sent us a private message" in found) is (said == "sent")
    assert ("won't go through" in found) is (said == "blocked")
    assert "private: " not in found


def test_a_late_train_gets_the_journey_checklist() -> None:
    found = steps("the 7:10 is late again", "delay")
    assert "rebooking" in found and "dispatch" not in found


def test_their_question_becomes_a_step() -> None:
    found = steps("why is the train so slow?", "delay", specifics={"question": "why is it slow?"})
    assert "Answer their question: “why is it slow?”" in found


def test_a_thread_reply_is_read_in_its_thread_first() -> None:
    first = steps("I have not.", "other", specifics={"thread": "reply"}).split("\n")[0]
    assert first.startswith("Read the thread first") and "https://example.com/41" in first


@pytest.mark.parametrize("cue", ["churn", "welfare", "theft"])
def test_churn_welfare_and_theft_go_to_the_supervisor(cue: str) -> None:
    found = steps("never again", "other", cues=(cue,))
    assert "Tell your supervisor now" in found


def test_an_ordinary_complaint_stays_with_its_owner() -> None:
    assert "supervisor" not in steps("the queue was long", "conditions")


def test_an_uncertain_draft_says_edit_first() -> None:
    found = steps("hmm, not great", "other", needs_edit=True)
    assert found.startswith("Edit, then post") and "Edit before posting" in found


def test_the_quote_is_one_clean_line() -> None:
    found = steps("line one\nline\u202etwo", "other")
    assert "“line one linetwo”" in found


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("no refund after six weeks.", "“no refund after six weeks.” Known"),
        ("where is my refund?", "“where is my refund?” Known"),
        ("no refund after six weeks", "“no refund after six weeks”. Known"),
    ],
)
def test_the_quote_ends_its_sentence_once(text: str, quoted: str) -> None:
    assert quoted in steps(text, "billing")
