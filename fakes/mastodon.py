"""A Mastodon instance's REST API on 127.0.0.1, in its documented JSON.

``/api/v2/instance`` (with ``configuration.timelines_access``, which Mastodon.py
reads before a hashtag timeline), ``/api/v1/timelines/tag/:hashtag`` (``min_id``
answers the page just after it, ``since_id`` the newest page above it, both newest
first), ``/api/v2/search`` (statuses only for a token, newest first, ``min_id`` and
``max_id`` turned into times as Mastodon does, ``offset`` paging) and the rate
limit headers. Status ids are Mastodon's: milliseconds << 16, plus a sequence.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.platforms import NOW, LocalServer, Seen

TOKEN = "test-mastodon-token"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _moment(status_id: str) -> float:
    return (int(status_id) >> 16) / 1000


class MastodonServer(LocalServer):
    def __init__(self, domain: str = "mastodon.example") -> None:
        super().__init__()
        self.domain = domain
        self.statuses: list[dict[str, Any]] = []
        self.hashtag_access = "public"  # or "authenticated" / "disabled"
        self._seq = 0

    def status(
        self,
        html: str,
        *,
        tags: tuple[str, ...] = (),
        acct: str = "bob@other.example",
        followers: int = 120,
        minutes_ago: float = 1.0,
        spoiler: str = "",
        now: datetime = NOW,
        uri: str | None = None,
    ) -> str:
        created = now - timedelta(minutes=minutes_ago)
        self._seq += 1
        status_id = str((int(created.timestamp() * 1000) << 16) + self._seq)
        user, _, host = acct.partition("@")
        origin = host or self.domain
        self.statuses.append(
            {
                "id": status_id,
                "uri": uri or f"https://{origin}/users/{user}/statuses/{status_id}",
                "url": f"https://{origin}/@{user}/{status_id}",
                "created_at": _iso(created),
                "account": {
                    "id": str(1000 + len(self.statuses)),
                    "username": user,
                    "acct": acct,
                    "display_name": user.title(),
                    "url": f"https://{origin}/@{user}",
                    "followers_count": followers,
                    "following_count": 3,
                    "statuses_count": 40,
                    "note": "",
                    "locked": False,
                    "bot": False,
                    "created_at": "2023-01-01T00:00:00.000Z",
                    "avatar": f"https://{origin}/avatar.png",
                    "emojis": [],
                    "fields": [],
                },
                "content": html,
                "spoiler_text": spoiler,
                "visibility": "public",
                "sensitive": bool(spoiler),
                "language": "en",
                "in_reply_to_id": None,
                "in_reply_to_account_id": None,
                "reblog": None,
                "replies_count": 1,
                "reblogs_count": 2,
                "favourites_count": 3,
                "media_attachments": [],
                "mentions": [],
                "tags": [{"name": t, "url": f"https://{self.domain}/tags/{t}"} for t in tags],
                "emojis": [],
            }
        )
        return status_id

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        headers = {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": "299",
            "X-RateLimit-Reset": _iso(datetime.now(UTC) + timedelta(minutes=5)),
        }
        token = seen.headers.get("authorization")
        if token is not None and token != f"Bearer {TOKEN}":
            return 401, {"error": "The access token is invalid"}, headers
        path = seen.path.rstrip("/")
        if path == "/api/v2/instance":
            return 200, self._instance(), headers
        tag = re.fullmatch(r"/api/v1/timelines/tag/([^/]+)", path)
        if tag:
            if self.hashtag_access != "public" and token is None:
                return 401, {"error": "This method requires an authenticated user"}, headers
            return 200, self._timeline(tag.group(1).lower(), seen.params), headers
        if path == "/api/v2/search":
            return 200, self._search(seen.params, token is not None), headers
        return 404, {"error": "Record not found"}, headers

    def _instance(self) -> dict[str, Any]:
        access = {"local": self.hashtag_access, "remote": self.hashtag_access}
        return {
            "domain": self.domain,
            "title": "Example",
            "version": "4.4.0",
            "source_url": "https://github.com/mastodon/mastodon",
            "description": "",
            "usage": {"users": {"active_month": 10}},
            "thumbnail": {"url": f"https://{self.domain}/thumb.png"},
            "languages": ["en"],
            "configuration": {
                "urls": {"streaming": f"wss://{self.domain}"},
                "timelines_access": {
                    "live_feeds": {"local": "public", "remote": "public"},
                    "hashtag_feeds": access,
                    "trending_link_feeds": {"local": "public", "remote": "public"},
                },
            },
            "registrations": {"enabled": False, "approval_required": False, "message": None},
            "contact": {"email": "admin@example.org", "account": None},
            "rules": [],
        }

    def _timeline(self, tag: str, params: dict[str, str]) -> list[dict[str, Any]]:
        tagged = [s for s in self.statuses if tag in {t["name"].lower() for t in s["tags"]}]
        tagged.sort(key=lambda s: int(s["id"]))  # oldest first
        limit = min(int(params.get("limit", 20)), 40)
        if "max_id" in params:
            tagged = [s for s in tagged if int(s["id"]) < int(params["max_id"])]
        if "min_id" in params:  # the page right after min_id
            page = [s for s in tagged if int(s["id"]) > int(params["min_id"])][:limit]
        else:  # the newest page (above since_id, if given)
            since = int(params.get("since_id", 0))
            page = [s for s in tagged if int(s["id"]) > since][-limit:]
        return list(reversed(page))  # always newest first

    def _search(self, params: dict[str, str], authenticated: bool) -> dict[str, Any]:
        found: list[dict[str, Any]] = []
        if authenticated and params.get("type") in (None, "statuses"):
            words = params.get("q", "").strip('"').lower()
            found = [s for s in self.statuses if words in s["content"].lower()]
            if "min_id" in params:  # Mastodon searches after: the id's time
                after = _moment(params["min_id"])
                found = [s for s in found if _moment(s["id"]) >= after]
            if "max_id" in params:
                before = _moment(params["max_id"])
                found = [s for s in found if _moment(s["id"]) < before]
            found.sort(key=lambda s: int(s["id"]), reverse=True)
            offset = int(params.get("offset", 0))
            found = found[offset : offset + min(int(params.get("limit", 20)), 40)]
        return {"accounts": [], "statuses": found, "hashtags": []}
