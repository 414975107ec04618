"""What a page shows, and its two texts.

The first page of a complaint is built from the ``OpenedComplaint`` in memory;
escalations, reminders, digests and incident samples re-read the stored
complaint, which keeps the same category label, so every page names it alike.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from monitor.config import Config
from monitor.core.errors import ConfigError
from monitor.core.models import Draft, Mention, Priority
from monitor.page.links import LinkSigner, PageLinks, load_secret, page_links
from monitor.page.opened import OpenedComplaint
from monitor.page.outbox import PageTexts
from monitor.page.render import PageContent, PageKind, RelatedItem, render_email, render_sms
from monitor.store import Complaint

logger = logging.getLogger(__name__)


def texts_for(content: PageContent, config: Config) -> PageTexts:
    """The page's texts; with the inbox set up, rendered again for each recipient with
    Acknowledge and Open links made for them (``PageTexts.per_recipient``)."""
    texts = _texts(content, config)
    links = _links_for(content, config)
    if links is None:
        return texts

    def for_recipient(name: str) -> PageTexts:
        return _texts(replace(content, links=links(name)), config)

    return replace(texts, per_recipient=for_recipient)


def _texts(content: PageContent, config: Config) -> PageTexts:
    return PageTexts(
        email=render_email(content), sms=render_sms(content, config.paging.sms_max_chars)
    )


def _links_for(content: PageContent, config: Config) -> Callable[[str], PageLinks] | None:
    """Who-specific links for a page about one complaint, when the inbox is served
    (or has a public address) and has its key; digests, tests and incidents have none."""
    complaint_id = content.complaint_id
    if content.kind in ("digest", "test", "incident") or not isinstance(complaint_id, int):
        return None
    if complaint_id <= 0 or not (config.web.enabled or config.web.public_url):
        return None
    try:
        secret = load_secret()
    except ConfigError as exc:  # checked at start; a page still goes out, without links
        logger.warning("pages carry no links: %s", exc.problems[0] if exc.problems else exc)
        return None
    if secret is None:
        return None
    signer, now = LinkSigner(secret), datetime.now(UTC)
    valid_for = timedelta(hours=config.web.link_hours)

    def links(name: str) -> PageLinks:
        return page_links(
            signer, config.web.base_url, complaint_id, name, now=now, valid_for=valid_for
        )

    return links


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
