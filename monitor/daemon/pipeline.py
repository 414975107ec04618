"""The pipeline as small stages: store → classify → complaint → page.

``amends run``, ``amends poll`` and ``amends demo`` all call ``process_batch``.
Each stage commits its own work, and ``recover`` redoes whatever a crash cut
short (mentions stored but not classified, complaints classified but not
opened), so a crash loses nothing and repeats nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.classify.classifier import Classifier
from monitor.config import Config
from monitor.core.models import Analysis, Batch, Classification, Draft, Priority
from monitor.page.dispatch import page_new
from monitor.page.routing import Assignment, RoutingFacts, assign
from monitor.respond.analysis import CategorySet, analyse, category_set
from monitor.respond.drafting import Templates, draft_for, load_templates
from monitor.respond.priority import prioritise
from monitor.store import Store, StoredMention, iso

logger = logging.getLogger(__name__)


@dataclass
class Pipeline:
    """The stages' shared dependencies, built once per process."""

    config: Config
    store: Store
    classifier: Classifier
    categories: CategorySet
    templates: Templates

    @classmethod
    def build(cls, config: Config, store: Store, classifier: Classifier) -> Pipeline:
        return cls(
            config=config,
            store=store,
            classifier=classifier,
            categories=category_set(config.drafting, classifier),
            templates=load_templates(config.drafting),
        )


@dataclass
class BatchReport:
    source: str
    fetched: int = 0
    new: int = 0
    repeats: int = 0
    complaints: list[int] = field(default_factory=list)  # complaint ids opened


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenedComplaint:
    id: int
    stored: StoredMention
    analysis: Analysis
    priority: Priority
    assignment: Assignment
    draft: Draft


def process_batch(pipeline: Pipeline, batch: Batch, *, now: datetime) -> BatchReport:
    saved = pipeline.store.save_batch(batch, now=now)
    report = BatchReport(
        source=batch.source,
        fetched=len(batch.mentions),
        new=len(saved.new_ids),
        repeats=saved.updated,
    )
    stored = pipeline.store.mentions(saved.new_ids)
    judged = classify(pipeline, stored, now=now)
    opened = [
        open_complaint(pipeline, item, result, now=now)
        for item, result in judged
        if result.complaint
    ]
    report.complaints = [c.id for c in opened]
    if opened:
        page_new(pipeline, opened, now=now)
    return report


def classify(
    pipeline: Pipeline, stored: Sequence[StoredMention], *, now: datetime
) -> list[tuple[StoredMention, Classification]]:
    if not stored:
        return []
    results = pipeline.classifier.classify(
        [s.mention.text for s in stored], [s.mention.brand for s in stored]
    )
    pairs = list(zip(stored, results, strict=True))
    pipeline.store.save_classifications(((s.id, c) for s, c in pairs), now=now)
    return pairs


def open_complaint(
    pipeline: Pipeline, stored: StoredMention, classification: Classification, *, now: datetime
) -> OpenedComplaint:
    config, mention = pipeline.config, stored.mention
    analysis = analyse(mention, embedder=pipeline.classifier, categories=pipeline.categories)
    priority = prioritise(mention, classification, analysis, config.priority, now=now)
    facts = RoutingFacts(
        brand=mention.brand,
        platform=mention.platform,
        category=analysis.category,
        language=mention.lang,
        priority=priority.level,
    )
    assignment = assign(config, facts, now=now, open_counts=open_counts(pipeline.store))
    person = config.responder(assignment.responder)
    brand = next((b for b in config.brands if b.name == mention.brand), None)
    draft = draft_for(
        mention,
        analysis,
        priority,
        signature=person.sign_as if person else assignment.responder,
        support_link=(brand.support_link if brand else None) or config.drafting.support_link,
        deadlines=config.deadlines,
        templates=pipeline.templates,
        now=now,
    )
    row = {
        "mention_id": stored.id,
        "priority": priority.level,
        "priority_reasons": json.dumps(list(priority.reasons)),
        "category": analysis.category,
        "severity_cues": json.dumps(list(analysis.severity_cues)),
        "specifics": json.dumps(analysis.specifics),
        "assignee": assignment.responder,
        "status": "new",
        # draft_for already keeps the due time within 24 h of the post.
        "due_at": iso(now + timedelta(minutes=draft.due_minutes)),
        "public_draft": draft.public_reply,
        "draft_checks": json.dumps([{"code": f.code, "message": f.message} for f in draft.checks]),
        "followup": json.dumps(draft.followup),
        "created_at": iso(now),
        "escalation_level": 0,
        "reminders_sent": 0,
        "group_key": f"{mention.platform}:{mention.author.lower()}",
    }
    with pipeline.store.transaction():
        table = pipeline.store.db["complaints"]
        table.insert(row)
        complaint_id = int(table.last_pk)
        pipeline.store.log_event(
            complaint_id,
            "opened",
            by="amends",
            now=now,
            detail={
                "priority": priority.describe(),
                "assigned": assignment.why,
                "chain": list(assignment.chain),
            },
        )
    logger.info(
        "complaint %d opened: %s, %s, owner %s",
        complaint_id,
        priority.describe(),
        analysis.category,
        assignment.responder,
    )
    return OpenedComplaint(
        id=complaint_id,
        stored=stored,
        analysis=analysis,
        priority=priority,
        assignment=assignment,
        draft=draft,
    )


def open_counts(store: Store) -> dict[str, int]:
    rows = store.db.execute(
        "select assignee, count(*) from complaints where status != 'resolved' group by assignee"
    ).fetchall()
    return dict(rows)


def recover(pipeline: Pipeline, *, now: datetime) -> BatchReport:
    """Finish what a crash interrupted: classify stored-but-unjudged mentions and open
    complaints for judged-but-unopened ones."""
    report = BatchReport(source="recovery")
    stored = pipeline.store.mentions(pipeline.store.unclassified_mention_ids())
    judged = classify(pipeline, stored, now=now)
    orphan_ids = [
        row[0]
        for row in pipeline.store.db.execute(
            "select c.mention_id from classifications c where c.complaint = 1 and c.id = "
            "(select max(id) from classifications where mention_id = c.mention_id) and "
            "c.mention_id not in (select mention_id from complaints)"
        ).fetchall()
    ]
    judged_ids = {s.id for s, _ in judged}
    orphans = [
        (s, pipeline.store.latest_classification(s.id))
        for s in pipeline.store.mentions(orphan_ids)
        if s.id not in judged_ids
    ]
    opened = [
        open_complaint(pipeline, s, c, now=now) for s, c in [*judged, *orphans] if c.complaint
    ]
    report.complaints = [c.id for c in opened]
    if opened:
        page_new(pipeline, opened, now=now)
    if report.complaints or stored:
        logger.warning(
            "recovered after a crash: %d mention(s) classified, %d complaint(s) opened",
            len(stored),
            len(report.complaints),
        )
    return report
