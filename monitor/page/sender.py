"""The delivery ledger's send side: claim due rows, send in parallel, record each attempt.

Guarantee: a row is marked ``sending`` (and committed) before the send and
``sent`` right after. A crash between the two leaves it ``sending``; on restart
``recover()`` sends it again. So a contact gets a page at least once and, per
crash, at most one duplicate. Sends run in worker threads so one slow or
throttled service does not hold up the others; only this thread writes to
the database.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.config import Config, resolve_refs
from monitor.page.outbox import (
    PageTexts,
    Rendered,
    contact_key,
    enqueue,
    is_phone,
    resolve_contact,
)
from monitor.store import Store, iso
from notifiers.base import Notifier, OutgoingMessage, SendResult

logger = logging.getLogger(__name__)

NotifierFactory = Callable[[str], Notifier]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def backoff(attempt: int, rng: random.Random, *, base: float = 30.0, cap: float = 3600.0) -> float:
    """Seconds before attempt ``attempt + 1``: exponential with full jitter."""
    return rng.uniform(base / 2, min(cap, base * 2 ** (attempt - 1)))


class Deliverer:
    def __init__(
        self,
        store: Store,
        config: Config,
        notifier_for: NotifierFactory,
        *,
        max_workers: int = 8,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.notifier_for = notifier_for
        self.max_workers = max_workers
        self.rng = rng or random.Random()

    def recover(self, now: datetime) -> int:
        """Rows left ``sending`` by a crash go out again (the documented duplicate)."""
        with self.store.transaction():
            cursor = self.store.db.execute(
                "update deliveries set status = 'pending', next_attempt_at = ? "
                "where status = 'sending'",
                [iso(now)],
            )
        if cursor.rowcount:
            logger.warning("re-sending %d page(s) interrupted by a crash", cursor.rowcount)
        return cursor.rowcount

    def run_due(self, now: datetime, *, limit: int = 200) -> DeliveryReport:
        rows = list(
            self.store.rows(
                "select * from deliveries where status = 'pending' and next_attempt_at <= ? "
                "order by id limit ?",
                [iso(now), limit],
            )
        )
        if not rows:
            return DeliveryReport()
        jobs: list[tuple[dict[str, Any], OutgoingMessage | None, str]] = []
        with self.store.transaction():
            for row in rows:
                self.store.db["deliveries"].update(
                    row["id"], {"status": "sending", "attempts": row["attempts"] + 1}
                )
                message, problem = self._message(row)
                jobs.append((row, message, problem))
        with ThreadPoolExecutor(max_workers=min(self.max_workers, len(jobs))) as pool:
            results = list(pool.map(self._send, jobs))
        report = DeliveryReport()
        for (row, _, _), result in zip(jobs, results, strict=True):
            report = self._record(row, result, now, report)
        return report

    def _message(self, row: dict[str, Any]) -> tuple[OutgoingMessage | None, str]:
        found = resolve_contact(self.config, row["contact"])
        if found is None:
            return None, "contact no longer in the configuration"
        try:
            url = resolve_refs(found[1].url.get_secret_value())
        except ValueError as exc:
            return None, str(exc)
        return (
            OutgoingMessage(
                url=url, title=row["title"], body=row["body"], body_format=row["body_format"]
            ),
            "",
        )

    def _send(self, job: tuple[dict[str, Any], OutgoingMessage | None, str]) -> SendResult:
        _, message, problem = job
        if message is None:
            return SendResult(ok=False, service="-", detail=problem, retryable=False)
        try:
            return self.notifier_for(message.url).send(message)
        except Exception as exc:  # a notifier bug must not lose the ledger entry
            logger.exception("notifier crashed")
            return SendResult(
                ok=False, service="-", detail=f"notifier error: {exc}", retryable=True
            )

    def _record(
        self, row: dict[str, Any], result: SendResult, now: datetime, report: DeliveryReport
    ) -> DeliveryReport:
        attempts = row["attempts"] + 1
        history = json.loads(row["results"] or "[]")
        history.append(
            {"at": iso(now), "ok": result.ok, "service": result.service, "detail": result.detail}
        )
        update: dict[str, Any] = {"results": json.dumps(history), "service": result.service}
        if result.ok:
            update.update(status="sent", sent_at=iso(now), last_error=None)
            outcome = DeliveryReport(report.sent + 1, report.retrying, report.failed)
        elif result.retryable and attempts < self.config.paging.max_attempts:
            wait = backoff(attempts, self.rng)
            update.update(
                status="pending",
                last_error=result.detail,
                next_attempt_at=iso(now + timedelta(seconds=wait)),
            )
            outcome = DeliveryReport(report.sent, report.retrying + 1, report.failed)
        else:
            update.update(status="failed", last_error=result.detail)
            outcome = DeliveryReport(report.sent, report.retrying, report.failed + 1)
        with self.store.transaction():
            self.store.db["deliveries"].update(row["id"], update)
            if update["status"] == "failed":
                self._fall_back(row, result, now)
        if update["status"] == "failed":
            logger.error(
                "delivery %s to %s failed for good: %s", row["id"], row["responder"], result.detail
            )
        return outcome

    def _fall_back(self, row: dict[str, Any], result: SendResult, now: datetime) -> None:
        """A contact that keeps failing: the same page to the responder's next contact
        of any kind, and a word to the admin."""
        person = self.config.responder(row["responder"])
        texts = PageTexts(
            email=Rendered(title=row["title"], body=row["body"]),
            sms=Rendered(title=row["title"], body=row["body"][: self.config.paging.sms_max_chars]),
        )
        if person is not None and row["kind"] != "admin":
            tried = {
                r["contact"]
                for r in self.store.rows(
                    "select contact from deliveries where complaint_id = ? and kind = ? "
                    "and level = ?",
                    [row["complaint_id"], row["kind"], row["level"]],
                )
            }
            spare = [c for c in person.contacts if contact_key(person.name, c) not in tried]
            if spare:
                spare.sort(key=is_phone)  # email before waking a phone that was not asked for
                enqueue(
                    self.store,
                    complaint_id=row["complaint_id"],
                    kind=row["kind"],
                    level=row["level"],
                    responder=person.name,
                    contacts=spare[:1],
                    texts=texts,
                    now=now,
                )
        if row["kind"] != "admin" and self.config.general.admin_contacts:
            alert = Rendered(
                title=f"amends: a contact of {row['responder']} keeps failing",
                body=(
                    f"Delivery {row['id']} ({row['kind']} for complaint {row['complaint_id']}) "
                    f"failed after {row['attempts'] + 1} attempts: {result.detail}. "
                    "Check the contact's URL with `amends notify-test "
                    f'"{row["responder"]}"`.'
                ),
            )
            enqueue(
                self.store,
                complaint_id=row["complaint_id"],
                kind="admin",
                level=int(row["id"]),
                responder="admin",
                contacts=list(self.config.general.admin_contacts),
                texts=PageTexts(email=alert, sms=alert),
                now=now,
            )
