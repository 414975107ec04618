"""Hacker News' Algolia search API (``GET /api/v1/search_by_date``) on 127.0.0.1.

Hits follow the documented shape: stories carry ``title``, ``url``, ``points`` and
``num_comments``; comments carry ``comment_text`` (HTML), ``story_id`` and
``points: null``. ``numericFilters`` understands ``created_at_i`` with ``>``,
``>=``, ``<`` and ``<=`` (``>`` strict, as Algolia's is); pages count from 0.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from fakes.platforms import NOW, LocalServer, Seen

_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}


class HackerNewsServer(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.hits: list[dict[str, Any]] = []
        self._next = 40_000_000

    def _common(self, author: str, seconds_ago: float, now: datetime) -> dict[str, Any]:
        self._next += 1
        created = now - timedelta(seconds=seconds_ago)
        return {
            "objectID": str(self._next),
            "author": author,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "created_at_i": int(created.timestamp()),
            "updated_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "_highlightResult": {},
        }

    def story(
        self,
        title: str,
        *,
        text: str | None = None,
        author: str = "pg",
        minutes_ago: float = 1.0,
        points: int = 10,
        now: datetime = NOW,
    ) -> str:
        hit = self._common(author, minutes_ago * 60, now)
        hit.update(
            title=title,
            url=None if text else "https://example.org/post",
            story_text=text,
            points=points,
            num_comments=3,
            story_id=int(hit["objectID"]),
            _tags=["story", f"author_{author}", f"story_{hit['objectID']}"],
        )
        self.hits.append(hit)
        return str(hit["objectID"])

    def comment(
        self,
        html: str,
        *,
        story: str = "39999999",
        author: str = "dang",
        minutes_ago: float = 1.0,
        now: datetime = NOW,
    ) -> str:
        hit = self._common(author, minutes_ago * 60, now)
        hit.update(
            comment_text=html,
            points=None,  # comments have no public score
            num_comments=None,
            story_id=int(story),
            parent_id=int(story),
            story_title="Some story",
            story_url="https://example.org/story",
            _tags=["comment", f"author_{author}", f"story_{story}"],
        )
        self.hits.append(hit)
        return str(hit["objectID"])

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        if seen.path != "/api/v1/search_by_date":
            return 404, {"message": "Not Found", "status": 404}, {}
        params = seen.params
        matched = [h for h in self.hits if self._matches(h, params)]
        matched.sort(key=lambda h: (h["created_at_i"], int(h["objectID"])), reverse=True)
        size = int(params.get("hitsPerPage", 20))
        page = int(params.get("page", 0))
        pages = (len(matched) + size - 1) // size
        return (
            200,
            {
                "hits": matched[page * size : (page + 1) * size],
                "nbHits": len(matched),
                "page": page,
                "nbPages": pages,
                "hitsPerPage": size,
                "exhaustiveNbHits": True,
                "query": params.get("query", ""),
                "params": "",
                "processingTimeMS": 1,
            },
            {},
        )

    @staticmethod
    def _matches(hit: dict[str, Any], params: dict[str, str]) -> bool:
        kinds = params.get("tags", "(story,comment)").strip("()").split(",")
        if not any(kind in hit["_tags"] for kind in kinds):
            return False
        for condition in filter(None, params.get("numericFilters", "").split(",")):
            found = re.fullmatch(r"created_at_i(>=|<=|>|<)(\d+)", condition.strip())
            if found is None:
                continue
            if not _COMPARE[found.group(1)](hit["created_at_i"], int(found.group(2))):
                return False
        text = " ".join(
            str(hit.get(k) or "") for k in ("title", "story_text", "comment_text")
        ).lower()
        return params.get("query", "").strip('"').lower() in text
