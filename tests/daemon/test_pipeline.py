"""Recovery after a crash, on a real SQLite file and a real HTTP receiver: the stages
are run by hand up to the point a crash cut them off, the store is closed, and a
fresh process's ``recover`` finishes the job."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config import Config, parse_config
from monitor.core.models import Batch, Classification, Mention
from monitor.daemon.pipeline import (
    Pipeline,
    classify,
    known_problem,
    open_complaint,
    process_batch,
    recover,
)
from monitor.page.sender import Deliverer
from monitor.respond.analysis import category_set
from monitor.respond.drafting import load_templates
from monitor.store import Store
from notifiers import notifier_for

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday, in Dana's working hours

CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[brands]]
name = "Bolt"
keywords = ["bolt"]

[[responders]]
name = "Dana Kim"
timezone = "Europe/London"
working_hours = "09:00-17:00"
[[responders.contacts]]
url = "json://{http}/dana"
tags = ["push", "email"]

[routing]
default = "Dana Kim"
"""


class ScriptedClassifier:
    """The model's seam, scored by the test (loading the model is the classify tests' job)."""

    name = "scripted"
    version = "test"

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def classify(self, texts: Sequence[str], brands=None) -> list[Classification]:
        return [self._one(self.scores.get(text, 0.05)) for text in texts]

    def _one(self, score: float) -> Classification:
        return Classification(
            complaint=score >= 0.5,
            complaint_score=score,
            sentiment="negative" if score >= 0.5 else "neutral",
            sentiment_scores={"negative": score, "neutral": 1 - score, "positive": 0.0},
            model=self.name,
            model_version=self.version,
        )

    def embed(self, texts):  # pragma: no cover - categories are built without embeddings
        raise AssertionError("not used")


SCORES = {
    "@acme my order 4471 never arrived and nobody answers": 0.8,
    "@acme the lid is a bit loose": 0.55,  # P3: waits for the digest
    "@bolt my order 4471 never arrived and nobody answers": 0.8,
}


def process(path: Path, config: Config) -> Pipeline:
    """What one run of amends builds: its own connection to the file."""
    return Pipeline(
        config=config,
        store=Store.open(path),
        classifier=ScriptedClassifier(SCORES),
        categories=category_set(config.drafting, None),
        templates=load_templates(config.drafting),
    )


def post(text: str, number: int, author: str = "maya", brand: str = "Acme") -> Mention:
    return Mention(
        platform="x",
        platform_id=str(number),
        author=author,
        text=text,
        url=f"https://x.com/{author}/status/{number}",
        created_at=NOW - timedelta(minutes=3),
        reach=300,
        thread_id=str(number),
        brand=brand,
    )


def open_then_crash(pipeline: Pipeline, mention: Mention) -> int:
    """process_batch's stages up to and including open_complaint; the crash comes before
    page_new, and the process's connection goes with it."""
    saved = pipeline.store.save_batch(Batch(source="x", mentions=[mention]), now=NOW)
    [(stored, result)] = classify(pipeline, pipeline.store.mentions(saved.new_ids), now=NOW)
    opened = open_complaint(pipeline, stored, result, now=NOW)
    pipeline.store.close()
    return opened.id


@pytest.fixture
def config(http_receiver) -> Config:
    return parse_config(CONFIG.format(http=http_receiver.address))


def test_a_complaint_opened_but_not_paged_is_paged_once_after_a_restart(
    tmp_path, config, http_receiver
):
    path = tmp_path / "amends.db"
    complaint_id = open_then_crash(
        process(path, config), post("@acme my order 4471 never arrived and nobody answers", 1)
    )

    restarted = process(path, config)
    assert restarted.store.complaint(complaint_id).status == "new"
    recover(restarted, now=NOW + timedelta(seconds=30))
    Deliverer(restarted.store, config, notifier_for).run_due(NOW + timedelta(seconds=30))
    assert restarted.store.complaint(complaint_id).status == "paged"
    assert restarted.store.complaint(complaint_id).priority.level == "P2"
    restarted.store.close()

    # Another crash and restart: nothing left to recover, nothing paged twice.
    again = process(path, config)
    recover(again, now=NOW + timedelta(minutes=1))
    Deliverer(again.store, config, notifier_for).run_due(NOW + timedelta(minutes=1))
    assert [r.path for r in http_receiver.requests] == ["/dana"]
    page = http_receiver.requests[0].json
    assert f"amends ack {complaint_id}" in page["message"]
    assert [e.event for e in again.store.events(complaint_id)].count("paged") == 1
    again.store.close()


def test_recovery_leaves_complaints_held_on_purpose_alone(tmp_path, config, http_receiver):
    path = tmp_path / "amends.db"
    first = process(path, config)
    first.store.add_silence(
        brand="Bolt", topic=None, until=NOW + timedelta(hours=2), by="sam", reason=""
    )
    report = process_batch(
        first,
        Batch(
            source="x",
            mentions=[
                post("@bolt my order 4471 never arrived and nobody answers", 1, brand="Bolt"),
                post("@acme the lid is a bit loose", 2, author="lee"),
            ],
        ),
        now=NOW,
    )
    silenced, digest = report.complaints
    first.store.close()

    restarted = process(path, config)
    recover(restarted, now=NOW + timedelta(seconds=30))
    Deliverer(restarted.store, config, notifier_for).run_due(NOW + timedelta(seconds=30))
    assert http_receiver.requests == []
    for complaint_id, held in ((silenced, "silenced"), (digest, "awaiting digest")):
        assert restarted.store.complaint(complaint_id).status == "new"
        assert [e.event for e in restarted.store.events(complaint_id)] == ["opened", held]
    restarted.store.close()


@pytest.mark.parametrize("number", [1, 2, 4])  # 201, 202, 204: each outage variant
def test_the_draft_says_we_are_on_it_only_while_the_team_knows(tmp_path, config, number):
    pipeline = process(tmp_path / "amends.db", config)

    def drafted(n: int) -> str:
        # A new post each time (a repeated text is stored once).
        text = f"@acme the app is down and won't load, try {n}"
        pipeline.classifier = ScriptedClassifier({text: 0.8})
        saved = pipeline.store.save_batch(Batch(source="x", mentions=[post(text, n)]), now=NOW)
        [(stored, result)] = classify(pipeline, pipeline.store.mentions(saved.new_ids), now=NOW)
        opened = open_complaint(pipeline, stored, result, now=NOW)
        assert opened.analysis.category == "outage"
        return pipeline.store.complaint(opened.id).public_draft

    def on_it(reply: str) -> bool:
        return "on it" in reply or "working on it" in reply

    assert not on_it(drafted(number))
    # A silence on another brand says nothing about this one.
    pipeline.store.add_silence(
        brand="Bolt", topic="outage", until=NOW + timedelta(hours=1), by="sam", reason=""
    )
    assert not on_it(drafted(number + 100))
    pipeline.store.add_silence(
        brand="Acme", topic="outage", until=NOW + timedelta(hours=1), by="sam", reason=""
    )
    assert on_it(drafted(number + 200))
    pipeline.store.close()


def test_an_open_incident_counts_as_known(tmp_path, config):
    text = "@acme the app is down and won't load"
    pipeline = process(tmp_path / "amends.db", config)
    pipeline.classifier = ScriptedClassifier({text: 0.8})
    saved = pipeline.store.save_batch(Batch(source="x", mentions=[post(text, 1)]), now=NOW)
    [(stored, result)] = classify(pipeline, pipeline.store.mentions(saved.new_ids), now=NOW)
    first = open_complaint(pipeline, stored, result, now=NOW)
    assert not known_problem(pipeline, "Acme", "outage", NOW)
    pipeline.store.open_incident(brand="Acme", category="outage", complaint_ids=[first.id], now=NOW)
    assert known_problem(pipeline, "Acme", "outage", NOW + timedelta(minutes=1))
    assert not known_problem(pipeline, "Acme", "billing", NOW + timedelta(minutes=1))
    assert not known_problem(pipeline, "Bolt", "outage", NOW + timedelta(minutes=1))
    pipeline.store.close()
