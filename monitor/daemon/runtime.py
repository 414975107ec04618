"""Building the long-lived parts once: store, classifier, pipeline, deliverer."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from monitor.classify.classifier import Scored
from monitor.config import Config
from monitor.daemon.pipeline import Pipeline
from monitor.page.outbox import PageTexts, enqueue
from monitor.page.render import Rendered
from monitor.page.sender import Deliverer
from monitor.store import Store
from notifiers import notifier_for

logger = logging.getLogger(__name__)


@dataclass
class Runtime:
    config: Config
    store: Store
    pipeline: Pipeline
    deliverer: Deliverer

    def apply(self, config: Config) -> None:
        """Switch to a reloaded config (see ``monitor.daemon.reload``): a new pipeline on
        the same store and model. Runs on the database thread, between jobs; everything
        is built before anything is swapped, so a failure leaves the old config running."""
        classifier = self.pipeline.classifier
        pipeline = Pipeline.build(config, self.store, classifier)
        if isinstance(classifier, Scored):
            classifier.set_thresholds(
                config.classifier.complaint_threshold, config.classifier.brand_thresholds
            )
        self.pipeline = pipeline
        self.deliverer.config = config
        self.config = config

    def close(self) -> None:
        self.store.close()


def build_runtime(
    config: Config, db_path: Path, cache_dir: Path, *, create: bool = True
) -> Runtime:
    """``create``: a missing database becomes a new one and an older one is upgraded
    (``run``, ``demo``); else either is refused with what to run (``poll``)."""
    from monitor.classify.classifier import load_classifier

    store = Store.open(db_path, create=create, upgrade=create)
    classifier = load_classifier(config.classifier, cache_dir)
    pipeline = Pipeline.build(config, store, classifier)
    deliverer = Deliverer(store, config, notifier_for)
    return Runtime(config=config, store=store, pipeline=pipeline, deliverer=deliverer)


def admin_alert(runtime: Runtime, subject: str, body: str, *, key: int, now: datetime) -> None:
    """Queue a message to the admin contacts through the same ledger as pages.

    ``key`` makes the alert idempotent (same key → sent once)."""
    logger.warning("admin alert: %s: %s", subject, body)
    if not runtime.config.general.admin_contacts:
        return
    text = Rendered(title=f"amends: {subject}", body=body)
    with runtime.store.transaction():
        enqueue(
            runtime.store,
            complaint_id=0,
            kind="admin",
            level=key,
            responder="admin",
            contacts=list(runtime.config.general.admin_contacts),
            texts=PageTexts(email=text, sms=text),
            now=now,
        )
