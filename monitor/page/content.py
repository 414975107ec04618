"""What a page shows, and its two texts.

The first page of a complaint is built from the ``OpenedComplaint`` in memory;
escalations, reminders, digests and incident samples re-read the stored
complaint, which keeps the same category label, so every page names it alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from monitor.config import Config
from monitor.core.models import Draft, Mention, Priority
from monitor.page.opened import OpenedComplaint
from monitor.page.outbox import PageTexts
from monitor.page.render import PageContent, PageKind, RelatedItem, render_email, render_sms
from monitor.store import Complaint


def texts_for(content: PageContent, config: Config) -> PageTexts:
    return PageTexts(
        email=render_email(content), sms=render_sms(content, config.paging.sms_max_chars)
    )


def opened_content(
    opened: OpenedComplaint,
    *,
    kind: PageKind = "page",
    related: Sequence[RelatedItem] = (),
    headline: str | None = None,
) -> PageContent:
    return _content(
        opened.id,
        opened.stored.mention,
        kind=kind,
        priority=opened.priority,
        category_label=opened.analysis.category_label,
        draft=opened.draft,
        due_at=opened.due_at,
        assignee=opened.assignment.responder,
        related=related,
        headline=headline,
    )


def stored_content(
    complaint: Complaint,
    *,
    kind: PageKind,
    related: Sequence[RelatedItem] = (),
    headline: str | None = None,
) -> PageContent:
    return _content(
        complaint.id,
        complaint.mention,
        kind=kind,
        priority=complaint.priority,
        category_label=complaint.category_label,
        draft=complaint.draft(),
        due_at=complaint.due_at,
        assignee=complaint.assignee,
        related=related,
        headline=headline,
    )


def _content(
    complaint_id: int,
    mention: Mention,
    *,
    kind: PageKind,
    priority: Priority,
    category_label: str,
    draft: Draft,
    due_at: datetime | None,
    assignee: str,
    related: Sequence[RelatedItem],
    headline: str | None,
) -> PageContent:
    return PageContent(
        complaint_id=complaint_id,
        kind=kind,
        priority=priority,
        platform=mention.platform,
        author=mention.author,
        category_label=category_label,
        text=mention.text,
        url=mention.url,
        reach=mention.reach,
        draft=draft,
        due_at=due_at,
        assignee=assignee,
        related=list(related),
        headline=headline,
    )


def related_item(complaint_id: int, mention: Mention) -> RelatedItem:
    """A complaint listed in a group, incident or digest page."""
    return RelatedItem(
        complaint_id=complaint_id, author=mention.author, text=mention.text, url=mention.url
    )
