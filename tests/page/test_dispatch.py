"""Routing and paging through the real pipeline, real SQLite, real apprise transports
(aiosmtpd and an HTTP receiver on 127.0.0.1) and an injectable clock."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from monitor.config import parse_config
from monitor.core.models import Batch, Classification, Mention
from monitor.daemon.pipeline import Pipeline, process_batch
from monitor.page.escalation import escalate_due, remind_overdue, send_digests
from monitor.page.sender import Deliverer
from monitor.respond.analysis import category_set
from monitor.respond.drafting import load_templates
from monitor.store import Store
from notifiers import notifier_for

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # London is on UTC in November
MONDAY_23 = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)

CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[general]
[[general.admin_contacts]]
url = "json://{http}/admin"
tags = ["email"]

[[responders]]
name = "Dana Kim"
supervisor = "Sam Lee"
timezone = "Europe/London"
working_hours = "09:00-17:00"
[[responders.contacts]]
url = "json://{push}/dana"
tags = ["push"]
[[responders.contacts]]
url = "{smtp}"
tags = ["email"]
[[responders.contacts]]
url = "json://{http}/dana-chat"
tags = ["chat"]

[[responders]]
name = "Lee Park"
supervisor = "Sam Lee"
timezone = "America/New_York"
working_hours = "09:00-17:00"
[[responders.contacts]]
url = "json://{http}/lee"
tags = ["push", "email"]

[[responders]]
name = "Sam Lee"
timezone = "Europe/London"
working_hours = "00:00-24:00"
working_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
[[responders.contacts]]
url = "json://{http}/sam"
tags = ["push", "email"]

[[rotations]]
name = "social"
members = ["Dana Kim", "Lee Park"]
handoff = "09:00"
timezone = "Europe/London"
shift_days = 7
start = "2026-11-23"

[routing]
default = "social"

[paging]
max_attempts = 2
spike_count = 4
"""


class ScriptedClassifier:
    """A stand-in for the model (loading it is the classifier tests' job): the complaint
    score of each text is given by the test."""

    name = "scripted"
    version = "test"

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def classify(self, texts: Sequence[str], brands=None) -> list[Classification]:
        out = []
        for text in texts:
            score = self.scores.get(text, 0.05)
            out.append(
                Classification(
                    complaint=score >= 0.5,
                    complaint_score=score,
                    sentiment="negative" if score >= 0.5 else "neutral",
                    sentiment_scores={"negative": score, "neutral": 1 - score, "positive": 0.0},
                    model=self.name,
                    model_version=self.version,
                )
            )
        return out

    def embed(self, texts):  # pragma: no cover - categories are built without embeddings here
        raise AssertionError("not used")


class World:
    def __init__(self, tmp_path, smtp, http, push, **overrides) -> None:
        text = CONFIG.format(smtp=smtp.url(), http=http.address, push=push.address)
        for key, value in overrides.items():
            text = text.replace(key, value)
        self.config = parse_config(text)
        self.path = tmp_path / "amends.db"
        self.store = Store.open(self.path)
        self.classifier = ScriptedClassifier({})
        self.pipeline = Pipeline(
            config=self.config,
            store=self.store,
            classifier=self.classifier,
            categories=category_set(self.config.drafting, None),
            templates=load_templates(self.config.drafting),
        )
        self.deliverer = Deliverer(self.store, self.config, notifier_for)
        self.smtp, self.http, self.push = smtp, http, push
        self._next_id = 1

    def post(
        self,
        text: str,
        *,
        score: float = 0.8,
        author: str = "maya",
        reach: int = 300,
        at: datetime = MONDAY_10,
        engagement: int = 0,
        thread: str | None = None,
    ) -> Mention:
        self.classifier.scores[text] = score
        pid = str(self._next_id)
        self._next_id += 1
        return Mention(
            platform="x",
            platform_id=pid,
            author=author,
            text=text,
            url=f"https://x.com/{author}/status/{pid}",
            created_at=at - timedelta(minutes=3),
            reach=reach,
            engagement=engagement,
            thread_id=thread or pid,
            brand="Acme",
        )

    def ingest(self, *mentions: Mention, now: datetime = MONDAY_10):
        return process_batch(self.pipeline, Batch(source="x", mentions=list(mentions)), now=now)

    def deliveries(self, **where) -> list[dict]:
        sql = "select * from deliveries"
        if where:
            sql += " where " + " and ".join(f"{k} = ?" for k in where)
        return self.query(sql + " order by id", [*where.values()])

    def query(self, sql: str, params: Sequence = ()) -> list[dict]:
        """Rows read the way any SQLite tool would: on a connection of its own."""
        db = sqlite_utils.Database(self.path)
        try:
            return list(db.query(sql, params))
        finally:
            db.close()

    def paths(self) -> list[str]:
        return [r.path for r in self.http.requests]


@pytest.fixture
def world(tmp_path, smtp_server, http_receiver):
    from fakes.receivers import HttpReceiver

    push = HttpReceiver()
    try:
        yield World(tmp_path, smtp_server, http_receiver, push)
    finally:
        push.down()


def test_a_complaint_pages_its_owner_once_with_everything_needed(world):
    mention = world.post("@acme my order 4471 never arrived and nobody answers")
    report = world.ingest(mention)
    assert len(report.complaints) == 1
    sent = world.deliverer.run_due(MONDAY_10)
    assert sent.sent == 2 and sent.failed == 0
    [push] = world.push.requests
    assert push.path == "/dana"
    body = push.json["message"]
    assert "never arrived" in body and "amends ack 1" in body
    row = world.store.complaint(1)
    assert row.public_draft and row.public_draft.split()[0] in body
    assert len(world.smtp.messages) == 1
    assert "P2" in world.smtp.messages[0]["Subject"]
    # The same post fetched again: no second complaint, no second page.
    again = world.ingest(mention)
    assert again.complaints == [] and again.repeats == 1
    assert world.deliverer.run_due(MONDAY_10 + timedelta(minutes=1)).sent == 0
    assert len(world.push.requests) == 1 and len(world.smtp.messages) == 1


def test_p1_pages_the_phone_and_tells_the_supervisor(world):
    world.ingest(world.post("@acme your charger caught fire in my kitchen, this is dangerous"))
    row = world.store.complaint(1)
    assert row.priority.level == "P1"
    assert any("safety" in reason for reason in row.priority.reasons)
    world.deliverer.run_due(MONDAY_10)
    assert sorted(world.paths()) == ["/sam"]
    assert [r.path for r in world.push.requests] == ["/dana"]
    assert "[P1]" in world.push.requests[0].json["title"]


def test_outside_working_hours_only_p1_reaches_a_phone(world):
    world.ingest(world.post("@acme still waiting on my refund", at=MONDAY_23), now=MONDAY_23)
    world.deliverer.run_due(MONDAY_23)
    owner = world.store.complaint(1).assignee
    assert owner == "Dana Kim"  # her week on call, even at night
    assert world.push.requests == []  # P2 at 23:00 London: no push
    assert len(world.smtp.messages) == 1


def test_failing_contact_retries_then_falls_back_and_alerts_the_admin(world):
    world.push.status = 500
    world.ingest(world.post("@acme wrong item delivered again"))
    first = world.deliverer.run_due(MONDAY_10)
    assert first.retrying == 1 and first.sent == 1  # push failed, email went out
    [push_row] = world.deliveries(contact=world.deliveries()[0]["contact"])
    assert push_row["status"] == "pending" and push_row["next_attempt_at"] > "2026-11-23T10:00"
    assert world.deliverer.run_due(MONDAY_10 + timedelta(seconds=5)).sent == 0  # not due yet
    later = world.deliverer.run_due(MONDAY_10 + timedelta(hours=2))
    assert len(world.push.requests) == 2  # two attempts, then given up
    # The fallback contact and the admin alert go out in the same run, not a tick later.
    assert (later.failed, later.sent) == (1, 2)
    assert sorted(world.paths()) == ["/admin", "/dana-chat"]
    assert world.deliverer.run_due(MONDAY_10 + timedelta(hours=2, seconds=1)).sent == 0
    failed = world.deliveries(status="failed")[0]
    import json

    attempts = json.loads(failed["results"])
    assert len(attempts) == 2 and not attempts[0]["ok"] and attempts[0]["detail"]


def test_crash_between_send_and_record_repeats_a_page_at_most_once(world):
    world.ingest(world.post("@acme charged twice for order 88"))

    class CrashAfterSending:
        """Delivers for real, then the process dies before the ledger is written."""

        def send(self, message):
            notifier_for(message.url).send(message)
            raise KeyboardInterrupt

    world.deliverer.notifier_for = lambda url: CrashAfterSending()
    with pytest.raises(KeyboardInterrupt):
        world.deliverer.run_due(MONDAY_10)
    # One send at a time: the page under way was delivered, the other contact's waits.
    assert sorted(r["status"] for r in world.deliveries()) == ["pending", "sending"]
    assert len(world.push.requests) + len(world.smtp.messages) == 1

    restarted = Deliverer(world.store, world.config, notifier_for)
    assert restarted.recover(MONDAY_10) == 1
    assert restarted.run_due(MONDAY_10).sent == 2
    # Both contacts paged; the one whose send the crash cut short got it twice.
    assert sorted((len(world.push.requests), len(world.smtp.messages))) == [1, 2]
    restarted.recover(MONDAY_10)
    assert restarted.run_due(MONDAY_10 + timedelta(minutes=5)).sent == 0  # and no more


def test_a_crash_repeats_only_the_sends_under_way(world):
    """Rows are claimed as workers free up: a crash leaves at most ``max_workers`` rows
    'sending' (each re-sent once), and the rest still pending, never sent twice."""
    for n, author in enumerate(("maya", "omar", "lin", "ana")):
        world.ingest(world.post(f"@acme order {n} never arrived", author=author))
    queued = len(world.deliveries())
    assert queued >= 6

    class CrashOnSecondSend:
        def __init__(self) -> None:
            self.calls = 0

        def send(self, message):
            self.calls += 1
            if self.calls == 2:
                raise KeyboardInterrupt
            return notifier_for(message.url).send(message)

    crashing = CrashOnSecondSend()
    narrow = Deliverer(world.store, world.config, lambda url: crashing, max_workers=2)
    with pytest.raises(KeyboardInterrupt):
        narrow.run_due(MONDAY_10)
    statuses = [r["status"] for r in world.deliveries()]
    assert statuses.count("sending") <= 2
    assert statuses.count("pending") >= queued - 3

    restarted = Deliverer(world.store, world.config, notifier_for)
    restarted.recover(MONDAY_10)
    restarted.run_due(MONDAY_10)
    assert {r["status"] for r in world.deliveries()} == {"sent"}
    # Every queued page arrived: Dana's by push and mail, and the incident page that the
    # fourth complaint opens at Sam's HTTP hook. The send that crashed never left, so only
    # the other one under way can arrive twice.
    received = len(world.push.requests) + len(world.smtp.messages) + len(world.http.requests)
    assert queued <= received <= queued + 1


def test_by_default_a_crash_repeats_at_most_one_page(world):
    """``[paging] parallel_sends = 1``: one send under way, so a crash leaves one row
    'sending' and the restart repeats that one page, no more."""
    for n, author in enumerate(("maya", "omar", "lin")):
        world.ingest(world.post(f"@acme order {n} never arrived", author=author))
    queued = len(world.deliveries())
    assert world.config.paging.parallel_sends == 1 and queued >= 4

    class CrashOnThirdSend:
        calls = 0

        def send(self, message):
            self.calls += 1
            if self.calls == 3:
                raise KeyboardInterrupt  # the process dies with this page under way
            return notifier_for(message.url).send(message)

    crashing = CrashOnThirdSend()
    with pytest.raises(KeyboardInterrupt):
        Deliverer(world.store, world.config, lambda url: crashing).run_due(MONDAY_10)
    statuses = Counter(r["status"] for r in world.deliveries())
    assert statuses["sending"] == 1 and statuses["sent"] == 2

    restarted = Deliverer(world.store, world.config, notifier_for)
    restarted.recover(MONDAY_10)
    restarted.run_due(MONDAY_10)
    received = len(world.push.requests) + len(world.smtp.messages)
    assert received == queued  # the interrupted page never arrived, so no duplicate at all


def test_unacknowledged_page_escalates_to_backup_then_supervisor(world):
    noon_ny = MONDAY_10 + timedelta(hours=5)  # 10:00 in New York: the backup is at work
    world.ingest(world.post("@acme the app logs me out every five minutes"), now=noon_ny)
    world.deliverer.run_due(noon_ny)
    assert escalate_due(world.store, world.config, now=noon_ny + timedelta(minutes=59)) == 0
    assert escalate_due(world.store, world.config, now=noon_ny + timedelta(minutes=61)) == 1
    assert escalate_due(world.store, world.config, now=noon_ny + timedelta(minutes=122)) == 1
    assert escalate_due(world.store, world.config, now=noon_ny + timedelta(minutes=300)) == 0
    rows = world.deliveries(kind="escalation")
    assert [(r["level"], r["responder"]) for r in rows] == [(1, "Lee Park"), (2, "Sam Lee")]
    events = [e.event for e in world.store.events(1)]
    assert events.count("escalated") == 2 and "escalation exhausted" in events


def test_escalation_passes_over_a_backup_in_quiet_hours(world):
    world.ingest(world.post("@acme the app logs me out every five minutes"))
    assert escalate_due(world.store, world.config, now=MONDAY_10 + timedelta(minutes=61)) == 1
    [row] = world.deliveries(kind="escalation")
    assert (row["level"], row["responder"]) == (2, "Sam Lee")  # 05:00 in New York: Lee sleeps


def test_acknowledging_stops_escalation(world):
    world.ingest(world.post("@acme the app logs me out every five minutes"))
    world.store.set_status(1, "acknowledged", by="dana", now=MONDAY_10 + timedelta(minutes=5))
    assert escalate_due(world.store, world.config, now=MONDAY_10 + timedelta(hours=5)) == 0
    assert world.deliveries(kind="escalation") == []


def test_overdue_follow_up_reminds_owner_then_supervisor(world):
    world.ingest(world.post("@acme my parcel is a week late"))
    world.store.set_status(1, "acknowledged", by="dana", now=MONDAY_10)
    due = world.store.complaint(1).due_at
    assert remind_overdue(world.store, world.config, now=due - timedelta(minutes=1)) == 0
    assert remind_overdue(world.store, world.config, now=due + timedelta(minutes=1)) == 1
    assert remind_overdue(world.store, world.config, now=due + timedelta(minutes=2)) == 0
    assert remind_overdue(world.store, world.config, now=due + timedelta(hours=2)) == 1
    reminded = [r["responder"] for r in world.deliveries(kind="reminder")]
    assert list(dict.fromkeys(reminded)) == ["Dana Kim", "Sam Lee"]


def test_several_complaints_from_one_author_make_one_page(world):
    first = world.post("@acme my order 12 is late", author="tom")
    second = world.post("@acme and now you charged me twice for it", author="tom")
    world.ingest(first, second)
    pages = world.deliveries(kind="page")
    assert {r["complaint_id"] for r in pages} == {1}
    push_body = next(r for r in pages if r["body_format"] == "markdown")["body"]
    assert "charged me twice" in push_body
    assert world.store.complaint(2).grouped_into == 1
    # Another one from tom ten minutes later joins the same page instead of a new one.
    world.ingest(world.post("@acme hello??", author="tom"), now=MONDAY_10 + timedelta(minutes=10))
    assert {r["complaint_id"] for r in world.deliveries(kind="page")} == {1}


def test_a_spike_becomes_one_incident_page_and_p2_pages_are_held(world):
    posts = [
        world.post(f"@acme the app is down, error 503 again ({n})", author=f"user{n}")
        for n in range(5)
    ]
    for post in posts:
        world.classifier.scores[post.text] = 0.8
    world.ingest(*posts[:3])
    assert len({r["complaint_id"] for r in world.deliveries(kind="page")}) <= 3
    before = len(world.deliveries(kind="page"))
    world.ingest(*posts[3:], now=MONDAY_10 + timedelta(minutes=2))
    incident = world.deliveries(kind="incident")
    assert len(incident) == 1 and incident[0]["responder"] == "Sam Lee"
    assert "complaints about" in incident[0]["title"] or "complaints about" in incident[0]["body"]
    new_pages = [r for r in world.deliveries(kind="page")[before:] if r["complaint_id"] > 3]
    assert all(world.store.complaint(r["complaint_id"]).priority.level == "P1" for r in new_pages)


def test_silence_holds_pages_but_keeps_the_complaint(world):
    world.store.add_silence(
        brand="Acme", topic=None, until=MONDAY_10 + timedelta(hours=2), by="sam", reason=""
    )
    world.ingest(world.post("@acme my parcel is late"))
    assert world.store.counts()["complaints"] == 1
    assert world.deliveries() == []
    assert "silenced" in [e.event for e in world.store.events(1)]


def test_low_priority_waits_for_the_digest(world):
    world.ingest(world.post("@acme the lid is a bit loose", score=0.55))
    assert world.store.complaint(1).priority.level == "P3"
    assert world.deliveries() == []
    assert send_digests(world.store, world.config, now=MONDAY_10) == 1
    [digest] = world.deliveries()
    assert digest["kind"] == "digest:Dana Kim" and "lid is a bit loose" in digest["body"]
    assert send_digests(world.store, world.config, now=MONDAY_10 + timedelta(hours=1)) == 0


def test_hostile_post_cannot_inject_mail_headers_or_links(world):
    hostile = (
        "@acme refund now\r\nBcc: victim@example.com\r\nSubject: fake "
        "[click here](javascript:alert(1)) <script>x()</script> \u202egnp.exe"
    )
    world.ingest(world.post(hostile, author="evil\r\nX-Injected: 1"))
    world.deliverer.run_due(MONDAY_10)
    [mail] = world.smtp.messages
    assert mail["Bcc"] is None and mail["X-Injected"] is None
    assert "\n" not in mail["Subject"]
    parts = {
        p.get_content_type(): p.get_content()
        for p in mail.walk()
        if p.get_content_type().startswith("text/")
    }
    html = parts.get("text/html", "")
    assert 'href="javascript' not in html and "<script" not in html
    assert "(javascript[:]alert(1))" in html  # the post's own text is defanged
    assert all("\u202e" not in part for part in parts.values())
    assert any("refund now" in part for part in parts.values())  # still there to read


def test_a_crash_after_storing_loses_nothing(world):
    from monitor.daemon.pipeline import recover

    world.store.save_batch(
        Batch(source="x", mentions=[world.post("@acme parcel late")]), now=MONDAY_10
    )  # the process died here, before classifying
    report = recover(world.pipeline, now=MONDAY_10)
    assert report.complaints == [1]
    assert world.deliveries(kind="page")
    assert recover(world.pipeline, now=MONDAY_10).complaints == []  # nothing twice


def test_a_crash_after_classifying_opens_the_complaint_without_judging_again(world):
    from monitor.daemon.pipeline import classify, recover

    saved = world.store.save_batch(
        Batch(source="x", mentions=[world.post("@acme charged twice")]), now=MONDAY_10
    )
    classify(world.pipeline, world.store.mentions(saved.new_ids), now=MONDAY_10)
    assert recover(world.pipeline, now=MONDAY_10).complaints == [1]
    assert world.query("select count(*) as n from classifications") == [{"n": 1}]


def test_every_page_names_the_category_as_the_draft_does(world):
    from monitor.respond.analysis import analyse

    post = world.post("@acme my parcel is a week late and nobody answers")
    analysis = analyse(post, embedder=world.classifier, categories=world.pipeline.categories)
    # The label is not the key with its underscores spaced: what pages used to show.
    assert analysis.category_label != analysis.category.replace("_", " ")
    world.ingest(post)
    world.deliverer.run_due(MONDAY_10)
    [page] = world.push.requests
    assert analysis.category_label in page.json["title"]
    assert world.store.complaint(1).category_label == analysis.category_label
    # Escalations re-read the stored complaint: they name it alike.
    escalate_due(world.store, world.config, now=MONDAY_10 + timedelta(minutes=61))
    [escalation] = world.deliveries(kind="escalation")
    assert analysis.category_label in escalation["title"]


def test_a_database_from_before_category_labels_opens_and_pages_as_before(tmp_path):
    from monitor.store.migrations import MIGRATIONS

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    MIGRATIONS.apply(old, stop_before="m004_category_label")
    old["mentions"].insert(
        {
            "platform": "x",
            "platform_id": "7",
            "url": "https://x.com/maya/status/7",
            "author": "maya",
            "text": "@acme billed twice",
            "created_at": MONDAY_10.isoformat(),
            "raw": "{}",
        }
    )
    old["complaints"].insert(
        {"mention_id": 1, "status": "paged", "priority": "P2", "category": "wrong_charge"}
    )
    old.close()
    with Store.open(path) as store:
        assert store.complaint(1).category_label == "wrong charge"


DANA_MAIL_AS_PUSH = {  # Dana's mail contact tagged push: at 23:00 a P2 reaches none of hers
    'tags = ["email"]\n[[responders.contacts]]\nurl = "json://': (
        'tags = ["push"]\n[[responders.contacts]]\nurl = "json://'
    )
}


@pytest.fixture
def push_receiver():
    from fakes.receivers import HttpReceiver

    push = HttpReceiver()
    yield push
    push.down()


def test_an_owner_who_cannot_be_reached_is_passed_over_to_the_backup(
    tmp_path, smtp_server, http_receiver, push_receiver
):
    world = World(tmp_path, smtp_server, http_receiver, push_receiver, **DANA_MAIL_AS_PUSH)
    world.ingest(world.post("@acme still waiting on my refund", at=MONDAY_23), now=MONDAY_23)
    complaint = world.store.complaint(1)
    assert complaint.assignee == "Dana Kim" and complaint.status == "paged"
    [page] = world.deliveries(kind="page")
    # Lee's one contact is push as well (18:00 in New York); Sam works around the clock.
    assert page["responder"] == "Sam Lee"
    assert complaint.escalation_level == 2  # escalation carries on after Sam: nobody left
    [missed] = [e for e in world.store.events(1) if e.event == "unreachable"]
    assert missed.detail == {
        "owner": "Dana Kim",
        "passed_over": ["Dana Kim", "Lee Park"],
        "paged": "Sam Lee",
    }
    assert world.store.counts()["unreachable"] == 1
    assert escalate_due(world.store, world.config, now=MONDAY_23 + timedelta(minutes=61)) == 0
    assert world.deliveries(kind="escalation") == []
    assert "escalation exhausted" in [e.event for e in world.store.events(1)]


def test_nobody_in_the_chain_reachable_pages_the_admin_and_else_waits_visibly(
    tmp_path, smtp_server, http_receiver, push_receiver
):
    secret = tmp_path / "admin-topic"
    secret.write_text("admin")
    nobody = {
        **DANA_MAIL_AS_PUSH,
        f'url = "json://{http_receiver.address}/lee"\ntags = ["push", "email"]': (
            f'url = "json://{http_receiver.address}/lee"\ntags = ["push"]'
        ),
        f'url = "json://{http_receiver.address}/sam"\ntags = ["push", "email"]': (
            f'url = "json://{http_receiver.address}/sam"\ntags = ["phone"]'
        ),
        "/admin": "/${file:" + str(secret) + "}",  # resolves now; later the file is gone
    }
    world = World(tmp_path, smtp_server, http_receiver, push_receiver, **nobody)
    # A P2 at 23:00: Dana and Lee only have push, Sam only a phone: no one in the chain.
    world.ingest(world.post("@acme still waiting on my refund", at=MONDAY_23), now=MONDAY_23)
    assert world.store.complaint(1).status == "paged"
    [page] = world.deliveries(kind="page")
    assert page["responder"] == "admin"
    assert world.deliverer.run_due(MONDAY_23).sent == 1
    assert world.paths() == ["/admin"]
    [missed] = [e for e in world.store.events(1) if e.event == "unreachable"]
    assert missed.detail["passed_over"] == ["Dana Kim", "Lee Park", "Sam Lee"]
    assert missed.detail["paged"] == "admin"

    # The admin's contact stops resolving too: the complaint is not marked paged with
    # nothing queued; it waits, unpaged and counted, and is paged once someone can be.
    secret.unlink()
    world.ingest(
        world.post("@acme refund still missing", author="ola", at=MONDAY_23), now=MONDAY_23
    )
    assert world.store.complaint(2).status == "new"
    assert world.deliveries(complaint_id=2) == []
    [missed] = [e for e in world.store.events(2) if e.event == "unreachable"]
    assert missed.detail["paged"] is None
    counts = world.store.counts()
    assert (counts["unreachable"], counts["unpaged"]) == (2, 1)
    escalate_due(world.store, world.config, now=MONDAY_23 + timedelta(minutes=5))
    assert world.store.complaint(2).status == "new"  # still nobody, and no second event
    assert [e.event for e in world.store.events(2)].count("unreachable") == 1
    secret.write_text("admin")
    escalate_due(world.store, world.config, now=MONDAY_23 + timedelta(minutes=10))
    assert world.store.complaint(2).status == "paged"
    assert [r["responder"] for r in world.deliveries(complaint_id=2)] == ["admin"]
    assert world.store.counts()["unpaged"] == 0


def test_p1_owner_unreachable_pages_the_backup_and_tells_the_supervisor_once(
    tmp_path, smtp_server, http_receiver, push_receiver
):
    gone = tmp_path / "gone"  # Dana's contacts name a secret file that no longer exists
    overrides = {
        f'json://{push_receiver.address}/dana"': (
            f'json://{push_receiver.address}/${{file:{gone}}}"'
        ),
        smtp_server.url(): smtp_server.url() + "&pass=${file:" + str(gone) + "}",
        "/dana-chat": "/${file:" + str(gone) + "}",
    }
    gone.write_text("x")
    world = World(tmp_path, smtp_server, http_receiver, push_receiver, **overrides)
    gone.unlink()
    world.ingest(world.post("@acme your charger caught fire in my kitchen, this is dangerous"))
    complaint = world.store.complaint(1)
    assert complaint.priority.level == "P1" and complaint.status == "paged"
    pages = world.deliveries(kind="page")
    assert sorted({r["responder"] for r in pages}) == ["Lee Park", "Sam Lee"]
    assert len([r for r in pages if r["responder"] == "Sam Lee"]) == 1
