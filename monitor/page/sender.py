"""The delivery ledger's send side: claim due rows, send in parallel, record each attempt.

Guarantee: a row is marked ``sending`` (and committed) before its send and its
result is committed the moment the send returns. A crash between the two leaves
it ``sending``; on restart ``recover()`` sends it again. So a contact gets a page
at least once, and a crash repeats only the sends under way at that instant,
each once: rows are claimed only as a worker is free to send them, so at most
``max_workers`` are ever in flight. The default, ``[paging] parallel_sends = 1``,
makes that at most one repeated page per crash; a team that raises it lets one
slow or throttled service not hold up the others, and accepts up to that many
repeats. Sends run in worker threads; only this thread writes to the database.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.config import Config, resolve_refs
from monitor.page.outbox import PageTexts, contact_key, enqueue, is_phone, resolve_contact
from monitor.page.render import Rendered
from monitor.store import Delivery, Store, iso
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
        max_workers: int | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.notifier_for = notifier_for
        # Sends under way at once: a crash repeats at most this many, each once.
        self.max_workers = max_workers or config.paging.parallel_sends
        self.rng = rng or random.Random()

    def recover(self, now: datetime) -> int:
        """Rows left ``sending`` by a crash go out again (the documented duplicate)."""
        count = self.store.requeue_interrupted(now)
        if count:
            logger.warning("re-sending %d page(s) interrupted by a crash", count)
        return count

    def run_due(self, now: datetime, *, limit: int = 200) -> DeliveryReport:
        report = DeliveryReport()
        claimed = 0
        running: dict[Future[SendResult], Delivery] = {}
        with ThreadPoolExecutor(max_workers=self.max_workers) as pool:
            while True:
                # Claim only what a free worker sends now: a crash then repeats the sends
                # under way and nothing that was merely queued in memory.
                room = min(self.max_workers - len(running), limit - claimed)
                if room > 0:
                    for delivery in self.store.claim_due_deliveries(now, limit=room):
                        claimed += 1
                        job = (delivery, *self._message(delivery))
                        running[pool.submit(self._send, job)] = delivery
                if not running:
                    return report
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    report = self._record(running.pop(future), future.result(), now, report)

    def _message(self, delivery: Delivery) -> tuple[OutgoingMessage | None, str]:
        found = resolve_contact(self.config, delivery.contact)
        if found is None:
            return None, "contact no longer in the configuration"
        try:
            url = resolve_refs(found[1].url.get_secret_value())
        except ValueError as exc:
            return None, str(exc)
        return (
            OutgoingMessage(
                url=url,
                title=delivery.title,
                body=delivery.body,
                body_format=delivery.body_format,
            ),
            "",
        )

    def _send(self, job: tuple[Delivery, OutgoingMessage | None, str]) -> SendResult:
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
        self, delivery: Delivery, result: SendResult, now: datetime, report: DeliveryReport
    ) -> DeliveryReport:
        attempt = {
            "at": iso(now),
            "ok": result.ok,
            "service": result.service,
            "detail": result.detail,
        }
        if result.ok:
            status, outcome = (
                "sent",
                DeliveryReport(report.sent + 1, report.retrying, report.failed),
            )
        elif result.retryable and delivery.attempts < self.config.paging.max_attempts:
            status = "pending"
            outcome = DeliveryReport(report.sent, report.retrying + 1, report.failed)
        else:
            status = "failed"
            outcome = DeliveryReport(report.sent, report.retrying, report.failed + 1)
        with self.store.transaction():
            self.store.record_delivery(
                delivery,
                status=status,
                attempt=attempt,
                service=result.service,
                last_error=None if result.ok else result.detail,
                sent_at=now if result.ok else None,
                next_attempt_at=(
                    now + timedelta(seconds=backoff(delivery.attempts, self.rng))
                    if status == "pending"
                    else None
                ),
            )
            if status == "failed":
                self._fall_back(delivery, result, now)
        if status == "failed":
            logger.error(
                "delivery %s to %s failed for good: %s",
                delivery.id,
                delivery.responder,
                result.detail,
            )
        return outcome

    def _fall_back(self, delivery: Delivery, result: SendResult, now: datetime) -> None:
        """A contact that keeps failing: the same page to the responder's next contact
        of any kind, and a word to the admin."""
        person = self.config.responder(delivery.responder)
        texts = PageTexts(
            email=Rendered(title=delivery.title, body=delivery.body),
            sms=Rendered(
                title=delivery.title, body=delivery.body[: self.config.paging.sms_max_chars]
            ),
        )
        if person is not None and delivery.kind != "admin":
            tried = self.store.contacts_tried(delivery.complaint_id, delivery.kind, delivery.level)
            spare = [c for c in person.contacts if contact_key(person.name, c) not in tried]
            if spare:
                spare.sort(key=is_phone)  # email before waking a phone that was not asked for
                enqueue(
                    self.store,
                    complaint_id=delivery.complaint_id,
                    kind=delivery.kind,
                    level=delivery.level,
                    responder=person.name,
                    contacts=spare[:1],
                    texts=texts,
                    now=now,
                )
        if delivery.kind != "admin" and self.config.general.admin_contacts:
            alert = Rendered(
                title=f"amends: a contact of {delivery.responder} keeps failing",
                body=(
                    f"Delivery {delivery.id} ({delivery.kind} for complaint "
                    f"{delivery.complaint_id}) failed after {delivery.attempts} attempts: "
                    f"{result.detail}. Check the contact's URL with `amends notify-test "
                    f'"{delivery.responder}"`.'
                ),
            )
            enqueue(
                self.store,
                complaint_id=delivery.complaint_id,
                kind="admin",
                level=delivery.id,
                responder="admin",
                contacts=list(self.config.general.admin_contacts),
                texts=PageTexts(email=alert, sms=alert),
                now=now,
            )
