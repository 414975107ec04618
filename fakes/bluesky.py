"""A Bluesky service (entryway, PDS and AppView in one) on 127.0.0.1, in XRPC JSON.

``com.atproto.server.createSession`` answers with JWT-shaped tokens and a DID
document whose PDS endpoint is ``pds_url`` (this server unless a test names
another, to check the client moves there); ``app.bsky.feed.searchPosts`` sorts
latest first, ``since`` inclusive and ``until`` exclusive on the post's sort time,
pages by an opaque cursor; ``app.bsky.actor.getProfiles`` takes at most 25 actors.
With ``require_auth`` (Bluesky's AppView since 2025) anonymous search is a 403.
"""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.platforms import NOW, LocalServer, Seen

IDENTIFIER = "monitor.example.test"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def jwt(subject: str, scope: str, lifetime: int) -> str:
    """An unsigned token in JWT shape: atproto reads ``exp`` to know when to refresh."""
    issued = int(time.time())
    claims = {"scope": scope, "sub": subject, "iat": issued, "exp": issued + lifetime}
    return f"{_b64({'typ': 'at+jwt', 'alg': 'ES256K'})}.{_b64(claims)}.c2lnbmF0dXJl"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _error(status: int, name: str, message: str) -> tuple[int, Any, dict[str, str]]:
    return status, {"error": name, "message": message}, {}


class BlueskyServer(LocalServer):
    def __init__(self) -> None:
        super().__init__()
        self.posts: list[dict[str, Any]] = []
        self.followers: dict[str, int] = {}  # did -> followers
        self.handles: dict[str, str] = {}  # did -> handle
        self.require_auth = False
        self.pds_url = self.url
        self.did = "did:plc:monitor0000000000000000"
        self.access = jwt(self.did, "com.atproto.appPass", 7200)
        self.refresh = jwt(self.did, "com.atproto.refresh", 86400)
        self.logins = 0

    def author(self, handle: str, followers: int = 10) -> str:
        did = f"did:plc:{len(self.handles):024d}"
        self.handles[did] = handle
        self.followers[did] = followers
        return did

    def post(
        self,
        text: str,
        *,
        handle: str = "alice.bsky.social",
        minutes_ago: float = 1.0,
        likes: int = 0,
        now: datetime = NOW,
    ) -> str:
        did = next((d for d, h in self.handles.items() if h == handle), None) or self.author(handle)
        created = now - timedelta(minutes=minutes_ago)
        rkey = f"3l{len(self.posts):011d}"
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        self.posts.append(
            {
                "uri": uri,
                "cid": f"bafyreib{len(self.posts):052d}",
                "author": {
                    "did": did,
                    "handle": handle,
                    "displayName": handle.split(".")[0].title(),
                    "labels": [],
                    "createdAt": "2024-01-01T00:00:00.000Z",
                },
                "record": {
                    "$type": "app.bsky.feed.post",
                    "text": text,
                    "createdAt": _iso(created),
                    "langs": ["en"],
                },
                "replyCount": 1,
                "repostCount": 2,
                "likeCount": likes,
                "quoteCount": 0,
                "indexedAt": _iso(created + timedelta(milliseconds=500)),
                "labels": [],
            }
        )
        return uri

    # --- XRPC ----------------------------------------------------------------------------

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        method = seen.path.removeprefix("/xrpc/")
        if method == "com.atproto.server.createSession":
            return self._create_session(seen)
        authorised = seen.headers.get("authorization") == f"Bearer {self.access}"
        if "authorization" in seen.headers and not authorised:
            return _error(401, "ExpiredToken", "Token has expired")
        if method == "app.bsky.feed.searchPosts":
            if self.require_auth and not authorised:
                return _error(403, "Forbidden", "Request forbidden by administrative rules")
            return self._search(seen.params)
        if method == "app.bsky.actor.getProfiles":
            return self._profiles(seen.multi.get("actors", []))
        return _error(501, "MethodNotImplemented", f"{method} is not implemented")

    def _create_session(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        login = json.loads(seen.body or b"{}")
        if login.get("identifier") != IDENTIFIER or login.get("password") != APP_PASSWORD:
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        self.logins += 1
        did_doc = {
            "@context": ["https://www.w3.org/ns/did/v1"],
            "id": self.did,
            "alsoKnownAs": [f"at://{IDENTIFIER}"],
            "service": [
                {
                    "id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer",
                    "serviceEndpoint": self.pds_url,
                }
            ],
        }
        session = {
            "accessJwt": self.access,
            "refreshJwt": self.refresh,
            "handle": IDENTIFIER,
            "did": self.did,
            "didDoc": did_doc,
            "active": True,
        }
        return 200, session, {}

    def _search(self, params: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if not params.get("q"):
            return _error(400, "InvalidRequest", 'Error: Params must have the property "q"')
        words = params["q"].strip('"').lower()
        since, until = params.get("since"), params.get("until")
        found = [
            p
            for p in self.posts
            if words in p["record"]["text"].lower()
            and (since is None or _sort_at(p) >= since)
            and (until is None or _sort_at(p) < until)
        ]
        found.sort(key=lambda p: (_sort_at(p), p["uri"]), reverse=True)
        start = int(params.get("cursor") or 0)
        size = int(params.get("limit") or 25)
        body: dict[str, Any] = {"posts": found[start : start + size], "hitsTotal": len(found)}
        if start + size < len(found):
            body["cursor"] = str(start + size)
        return 200, body, {"ratelimit-limit": "3000", "ratelimit-remaining": "2999"}

    def _profiles(self, actors: list[str]) -> tuple[int, Any, dict[str, str]]:
        if len(actors) > 25:
            return _error(400, "InvalidRequest", "actors must not have more than 25 elements")
        profiles = [
            {
                "did": did,
                "handle": self.handles[did],
                "followersCount": self.followers[did],
                "followsCount": 1,
                "postsCount": 5,
            }
            for did in actors
            if did in self.handles
        ]
        return 200, {"profiles": profiles}, {}


def _sort_at(post: dict[str, Any]) -> str:
    # ISO strings of one format order like their times.
    return str(min(post["record"]["createdAt"], post["indexedAt"]))
