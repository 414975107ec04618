"""The pipeline as small stages: store → classify → complaint → page.

``amends run``, ``amends poll`` and ``amends demo`` all call ``process_batch``.
Each stage commits its own work, and ``recover`` redoes whatever a crash cut
short (mentions stored but not classified, complaints classified but not
opened, complaints opened but not paged), so a crash loses nothing and repeats
nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from monitor.classify.classifier import Classifier
from monitor.config import Config
from monitor.core.models import Analysis, Batch, Classification
from monitor.page.dispatch import group_key, page_new
from monitor.page.opened import OpenedComplaint
from monitor.page.routing import Assignment, RoutingFacts, assign
from monitor.respond.analysis import CategorySet, analyse, category_set
from monitor.respond.drafting import Templates, draft_for, load_templates
from monitor.respond.priority import prioritise
from monitor.store import Complaint, NewComplaint, Store, StoredMention

logger = logging.getLogger(__name__)

# The events page_new logs when a new complaint's page is held back on purpose (the P3
# digest, a silence, an incident's one page, another complaint's page) or could reach
# nobody (escalation's tick retries those). A complaint still ``new`` with none of them
# was cut off between opening and paging.
HELD_EVENTS = ("awaiting digest", "silenced", "suppressed", "grouped", "unreachable")


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
        page_new(pipeline.store, pipeline.config, opened, now=now)
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


def known_problem(pipeline: Pipeline, brand: str | None, category: str, now: datetime) -> bool:
    """An incident or a silence is active for this brand and category: the team already
    knows, so the draft may say "we're on it" (never otherwise)."""
    store = pipeline.store
    if store.active_silence(brand, category, now) is not None:
        return True
    window = timedelta(minutes=pipeline.config.paging.spike_window_minutes)
    seen = store.open_incident_for(brand=brand or "", category=category, seen_since=now - window)
    return seen is not None


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
    assignment = assign(config, facts, now=now, open_counts=pipeline.store.open_counts())
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
        incident=known_problem(pipeline, mention.brand, analysis.category, now),
    )
    # draft_for already keeps the due time within 24 h of the post.
    due_at = now + timedelta(minutes=draft.due_minutes)
    complaint_id = pipeline.store.insert_complaint(
        NewComplaint(
            mention_id=stored.id,
            priority=priority,
            category=analysis.category,
            category_label=analysis.category_label,
            severity_cues=analysis.severity_cues,
            specifics=analysis.specifics,
            assignee=assignment.responder,
            assigned_why=assignment.why,
            chain=assignment.chain,
            due_at=due_at,
            draft=draft,
            group_key=group_key(mention),
        ),
        now=now,
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
        due_at=due_at,
    )


def recover(pipeline: Pipeline, *, now: datetime) -> BatchReport:
    """Finish what a crash interrupted: classify stored-but-unjudged mentions, open
    complaints for judged-but-unopened ones, and page those opened but never paged."""
    report = BatchReport(source="recovery")
    store = pipeline.store
    unpaged = [reopened(store, c) for c in store.complaints_left_new(HELD_EVENTS)]
    stored = store.mentions(store.unclassified_mention_ids())
    judged = classify(pipeline, stored, now=now)
    orphan_ids = store.unopened_complaint_mention_ids()
    judged_ids = {s.id for s, _ in judged}
    orphans = [
        (s, store.latest_classification(s.id))
        for s in store.mentions(orphan_ids)
        if s.id not in judged_ids
    ]
    opened = [
        open_complaint(pipeline, s, c, now=now) for s, c in [*judged, *orphans] if c.complaint
    ]
    report.complaints = [c.id for c in opened]
    if unpaged or opened:
        page_new(store, pipeline.config, [*unpaged, *opened], now=now)
    if report.complaints or stored or unpaged:
        logger.warning(
            "recovered after a crash: %d mention(s) classified, %d complaint(s) opened, "
            "%d left unpaged now paged",
            len(stored),
            len(report.complaints),
            len(unpaged),
        )
    return report


def reopened(store: Store, complaint: Complaint) -> OpenedComplaint:
    """A complaint opened before a crash, read back in the shape paging takes.

    Paging reads the analysis only for its category and label, so the stored ones
    stand in for it; owner, chain and draft are as they were opened."""
    detail = store.opened_detail(complaint.id)
    return OpenedComplaint(
        id=complaint.id,
        stored=StoredMention(complaint.mention_id, complaint.mention),
        analysis=Analysis(category=complaint.category, category_label=complaint.category_label),
        priority=complaint.priority,
        assignment=Assignment(
            responder=complaint.assignee,
            why=detail.get("assigned", ""),
            chain=tuple(detail.get("chain", ())),
        ),
        draft=complaint.draft(),
        due_at=complaint.due_at or complaint.created_at or complaint.mention.created_at,
    )
