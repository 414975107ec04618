"""What responders do to complaints, one function per action.

The CLI (and the web inbox after it) only parse and print: every action runs
here, takes the store, who acts (``by``) and when (``now``), and is recorded
with both.
"""

from monitor.act.complaints import (
    Acknowledged,
    AlreadyDone,
    Reassigned,
    acknowledge,
    mark_not_a_complaint,
    reassign,
    resolve,
)
from monitor.act.drafts import check_draft, edit_draft
from monitor.act.followup import tick_followup
from monitor.act.labels import Label, label, label_complaint
from monitor.act.silences import silence

__all__ = [
    "Acknowledged",
    "AlreadyDone",
    "Label",
    "Reassigned",
    "acknowledge",
    "check_draft",
    "edit_draft",
    "label",
    "label_complaint",
    "mark_not_a_complaint",
    "reassign",
    "resolve",
    "silence",
    "tick_followup",
]
