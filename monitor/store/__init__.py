"""Store: the one SQLite file, and every SQL statement amends runs on it.

Everything outside this package asks ``Store`` typed questions; none of it runs SQL.
"""

from monitor.store.columns import MAX_TEXT_CHARS, clean_for_storage, iso, parse_iso
from monitor.store.complaints import (
    COMPLAINT_STATUSES,
    Complaint,
    Event,
    NewComplaint,
    Resolution,
)
from monitor.store.database import Store
from monitor.store.ledger import Delivery, NewDelivery
from monitor.store.mentions import MentionHit, SaveResult, StoredMention
from monitor.store.noise import Silence

__all__ = [
    "COMPLAINT_STATUSES",
    "MAX_TEXT_CHARS",
    "Complaint",
    "Delivery",
    "Event",
    "MentionHit",
    "NewComplaint",
    "NewDelivery",
    "Resolution",
    "SaveResult",
    "Silence",
    "Store",
    "StoredMention",
    "clean_for_storage",
    "iso",
    "parse_iso",
]
