"""The inbox: open complaints, most urgent first, filtered and searched, kept fresh."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from monitor.store import COMPLAINT_STATUSES
from monitor.store.inbox import ALL, OPEN, InboxQuery
from monitor.web.auth import Visitor
from monitor.web.login import Form, site_of
from monitor.web.pages import html
from monitor.web.views import row
from sources import PLATFORMS

PAGE_SIZE = 50
STATUSES = (OPEN, *COMPLAINT_STATUSES, ALL)
PRIORITIES = ("P1", "P2", "P3")
MINE = "mine"


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """The inbox's filters as the address holds them; unknown values are dropped."""

    status: str = OPEN
    owner: str = ""
    brand: str = ""
    platform: str = ""
    priority: str = ""
    q: str = ""
    page: int = 0

    def query(self, who: Visitor) -> InboxQuery:
        return InboxQuery(
            status=self.status,
            owner=who.name if self.owner == MINE else (self.owner or None),
            brand=self.brand or None,
            platform=self.platform or None,
            priority=self.priority or None,
            search=self.q or None,
            limit=PAGE_SIZE,
            offset=self.page * PAGE_SIZE,
        )

    def address(self, **change: object) -> str:
        """The inbox's address with these filters, changed as asked."""
        values = {**asdict(self), **change}
        kept = {k: v for k, v in values.items() if v and (k, v) != ("status", OPEN)}
        return "/" + (f"?{urlencode(kept)}" if kept else "")


def filters(request: Request) -> Filters:
    asked = request.query_params
    status = asked.get("status", OPEN)
    page = asked.get("page", "0")
    return Filters(
        status=status if status in STATUSES else OPEN,
        owner=asked.get("owner", "")[:100],
        brand=asked.get("brand", "")[:100],
        platform=asked.get("platform", "")[:40],
        priority=asked.get("priority", "") if asked.get("priority") in PRIORITIES else "",
        q=asked.get("q", "").strip()[:200],
        page=min(int(page), 10_000) if page.isdigit() else 0,
    )


def inbox(request: Request, who: Visitor, form: Form) -> Response:
    site = site_of(request)
    chosen = filters(request)
    with site.stores.borrow() as store:
        found = store.inbox(chosen.query(who))
        mark = store.history_mark()
    now = site.clock()
    context: dict[str, Any] = {
        "rows": [row(c, now) for c in found.complaints],
        "more": chosen.address(page=chosen.page + 1) if found.more else None,
        "earlier": chosen.address(page=chosen.page - 1) if chosen.page else None,
        "f": chosen,
        "mark": mark,
    }
    if "fragment" in request.query_params:  # the list alone, for the page's own refresh
        return html(request, "inbox_rows.html", context, visitor=who)
    # The filters offer what the config names: no scan of the database for them.
    config = site.config()
    context.update(
        statuses=STATUSES,
        priorities=PRIORITIES,
        brands=[b.name for b in config.brands],
        platforms=[(key, p.display) for key, p in PLATFORMS.items()],
        owners=[r.name for r in config.responders],
    )
    return html(request, "inbox.html", context, visitor=who)


def mark(request: Request, who: Visitor, form: Form) -> Response:
    """A number that changes whenever any complaint does: the page refreshes its list
    only then."""
    with site_of(request).stores.borrow() as store:
        return JSONResponse({"mark": store.history_mark()})
