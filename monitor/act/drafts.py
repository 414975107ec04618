"""A person rewording the public reply draft: checked as every draft is."""

from __future__ import annotations

from datetime import datetime

from monitor.core.errors import AmendsError
from monitor.core.models import Finding
from monitor.respond.checker import check_reply
from monitor.store import Store

MAX_REPLY_CHARS = 5_000  # far above any platform's limit: the checker says "too long"


def check_draft(store: Store, complaint_id: int, text: str) -> list[Finding]:
    """What ``amends check-reply`` says about ``text`` as a reply to this complaint."""
    platform = store.complaint(complaint_id).mention.platform
    return check_reply(_bounded(text), platform=platform)


def edit_draft(
    store: Store, complaint_id: int, text: str, *, by: str, now: datetime
) -> list[Finding]:
    """Replace the draft with ``text``; its findings are stored with it, as a generated
    draft's are, and the earlier wording stays in the history."""
    text = _bounded(text).strip()
    if not text:
        raise AmendsError("the reply is empty; write the reply or keep the draft")
    findings = check_draft(store, complaint_id, text)
    store.set_public_draft(complaint_id, text, findings, by=by, now=now)
    return findings


def _bounded(text: str) -> str:
    if len(text) > MAX_REPLY_CHARS:
        raise AmendsError(f"a reply of {len(text):,} characters is too long to keep")
    return text.replace("\r\n", "\n")
