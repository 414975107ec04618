"""The hand-off from the pipeline to paging: a complaint just opened, in memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.core.models import Analysis, Draft, Priority
from monitor.page.routing import Assignment
from monitor.store import StoredMention


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenedComplaint:
    id: int
    stored: StoredMention
    analysis: Analysis
    priority: Priority
    assignment: Assignment
    draft: Draft
    due_at: datetime  # when the follow-up is due, as stored
