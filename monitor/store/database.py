"""``Store``: the one SQLite file, with a method for every question amends asks it.

Each concern lives in its own module (mentions, classifications, complaints,
paging, recovery, noise, ledger, source health) as a mixin over ``Connection``; ``Store``
puts them together so callers keep writing ``store.x(...)``.
"""

from __future__ import annotations

from monitor.store.accounts import AccountsMixin
from monitor.store.classifications import ClassificationsMixin
from monitor.store.inbox import InboxMixin
from monitor.store.ledger import LedgerMixin
from monitor.store.mentions import MentionsMixin
from monitor.store.noise import NoiseMixin
from monitor.store.paging import PagingMixin
from monitor.store.prune import PruneMixin
from monitor.store.recovery import RecoveryMixin
from monitor.store.search import SearchMixin
from monitor.store.source_health import SourceHealthMixin
from monitor.store.stats import StatsMixin


class Store(
    MentionsMixin,
    ClassificationsMixin,
    PagingMixin,
    RecoveryMixin,
    NoiseMixin,
    LedgerMixin,
    SourceHealthMixin,
    InboxMixin,
    AccountsMixin,
    SearchMixin,
    StatsMixin,
    PruneMixin,
):
    def counts(self) -> dict[str, int]:
        """Totals for ``amends status`` and the demo: mentions, complaints, open ones,
        pages sent and failed, complaints whose owner could not be reached."""

        def one(sql: str) -> int:
            return int(self._one(sql))

        return {
            "mentions": one("select count(*) from mentions"),
            "complaints": one("select count(*) from complaints"),
            "open": one("select count(*) from complaints where status != 'resolved'"),
            "deliveries_sent": one("select count(*) from deliveries where status = 'sent'"),
            "deliveries_failed": one("select count(*) from deliveries where status = 'failed'"),
            # First pages that could not reach their owner (another or the admin got them)
            # and, of those, the ones that reached nobody at all and wait unpaged.
            "unreachable": one(
                "select count(distinct complaint_id) from events where event = 'unreachable'"
            ),
            "unpaged": one(
                "select count(*) from complaints where status = 'new' and id in "
                "(select complaint_id from events where event = 'unreachable')"
            ),
        }
