"""Threaded local servers that speak X's and Reddit's documented JSON on 127.0.0.1.

``LocalServer`` is the base of the other platforms' servers too (fakes/bluesky.py,
fakes/mastodon.py, fakes/hackernews.py, fakes/feeds.py).

tweepy reaches the X server through the transport adapter on its session
(``base_url``); praw reaches the Reddit server through ``oauth_url``/``reddit_url``.
A test shapes the next answers with ``server.fail(...)`` and reads
``server.requests`` to see what the client really sent.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

X_TOKEN = "test-bearer-token"
REDDIT_ID = "test-client-id"
REDDIT_SECRET = "test-client-secret"
REDDIT_TOKEN = "test-access-token"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@dataclass
class Forced:
    path: str  # prefix of the request path it answers
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Seen:
    method: str
    path: str
    params: dict[str, str]  # the last value of each parameter
    headers: dict[str, str]
    body: bytes = b""
    multi: dict[str, list[str]] = field(default_factory=dict)  # every value of each parameter


class LocalServer:
    """A threaded HTTP server; subclasses answer in ``route``."""

    def __init__(self) -> None:
        self.requests: list[Seen] = []
        self._forced: list[Forced] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner._handle(self, "GET")

            def do_POST(self) -> None:
                owner._handle(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def fail(
        self,
        path: str,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        times: int = 1,
    ) -> None:
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        for _ in range(times):
            self._forced.append(Forced(path, status, raw, headers or {}, delay))

    def calls(self, prefix: str) -> list[Seen]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urlparse(handler.path)
        multi = parse_qs(url.query)
        params = {k: v[-1] for k, v in multi.items()}
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if body and not body.lstrip().startswith(b"{"):  # a form, not a JSON body
            params.update({k: v[-1] for k, v in parse_qs(body.decode()).items()})
        headers = {k.lower(): v for k, v in handler.headers.items()}
        seen = Seen(method, url.path, params, headers, body, multi)
        with self._lock:
            self.requests.append(seen)
            forced = next((f for f in self._forced if url.path.startswith(f.path)), None)
            if forced:
                self._forced.remove(forced)
        if forced:
            time.sleep(forced.delay)
            status, body, headers = forced.status, forced.body, forced.headers
        else:
            status, payload, headers = self.route(seen)
            # bytes go out as they are (a feed's XML, a 304's empty body); the rest is JSON.
            body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = dict(headers)
        content_type = headers.pop("Content-Type", "application/json")
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        raise NotImplementedError


# --- X -------------------------------------------------------------------------------------


def problem(title: str, detail: str, kind: str, status: int) -> dict[str, Any]:
    return {"title": title, "detail": detail, "type": kind, "status": status}


class XServer(LocalServer):
    """``GET /2/tweets/search/recent`` over an in-memory list of posts.

    Matching is X-like and loose: any OR'ed term as a case-insensitive substring,
    ``-term`` excludes; ``since_id``, ``until_id``, ``start_time``,
    ``max_results`` and ``next_token`` behave as documented (newest first).
    """

    def __init__(self) -> None:
        super().__init__()
        self.posts: dict[str, dict[str, Any]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self._seq = 0

    def add_user(self, username: str, followers: int = 10) -> str:
        user_id = str(1000 + len(self.users))
        self.users[user_id] = {
            "id": user_id,
            "name": username.title(),
            "username": username,
            "verified": False,
            "public_metrics": {
                "followers_count": followers,
                "following_count": 1,
                "tweet_count": 5,
                "listed_count": 0,
            },
        }
        return user_id

    def post(
        self,
        text: str,
        *,
        user: str = "",
        minutes_ago: float = 1.0,
        likes: int = 0,
        now: datetime = NOW,
    ) -> str:
        """A post ``minutes_ago`` before ``now`` (the fixed test clock unless a test runs
        on the wall clock)."""
        user_id = next((u for u, v in self.users.items() if v["username"] == user), None)
        user_id = user_id or self.add_user(user or f"user{len(self.users)}")
        created = now - timedelta(minutes=minutes_ago)
        # Snowflake ids: the time in the high bits, so ids order like creation times.
        self._seq += 1
        millis = int(created.timestamp() * 1000) - 1288834974657
        post_id = str((millis << 22) + self._seq)
        self.posts[post_id] = {
            "id": post_id,
            "text": text,
            "author_id": user_id,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conversation_id": post_id,
            "lang": "en",
            "edit_history_tweet_ids": [post_id],
            "public_metrics": {
                "retweet_count": 1,
                "reply_count": 2,
                "like_count": likes,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 100,
            },
        }
        return post_id

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        if seen.headers.get("authorization") != f"Bearer {X_TOKEN}":
            return 401, problem("Unauthorized", "Unauthorized", "about:blank", 401), {}
        if seen.path != "/2/tweets/search/recent":
            return 404, problem("Not Found Error", "no such route", "about:blank", 404), {}
        matched = [p for p in self.posts.values() if self._matches(seen.params, p)]
        matched.sort(key=lambda p: int(p["id"]), reverse=True)
        size = int(seen.params.get("max_results", 10))
        start = int(seen.params.get("next_token", "0") or 0)
        page = matched[start : start + size]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = page[0]["id"], page[-1]["id"]
        if start + size < len(matched):
            meta["next_token"] = str(start + size)
        body: dict[str, Any] = {"meta": meta}
        if page:
            body["data"] = page
            authors = dict.fromkeys(p["author_id"] for p in page)
            body["includes"] = {"users": [self.users[a] for a in authors]}
        headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449"}
        return 200, body, headers

    @staticmethod
    def _matches(params: dict[str, str], post: dict[str, Any]) -> bool:
        if "since_id" in params and int(post["id"]) <= int(params["since_id"]):
            return False
        if "until_id" in params and int(post["id"]) >= int(params["until_id"]):
            return False
        if "start_time" in params and post["created_at"][:19] < params["start_time"][:19]:
            return False
        positive, negative = _terms(params["query"])
        text = post["text"].lower()
        if any(n in text for n in negative):
            return False
        return any(p in text for p in positive)


@functools.lru_cache(maxsize=64)
def _terms(query: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(OR'ed terms, excluded terms) of an X query, lower-cased, operators dropped."""
    negative = [t.strip('"').lower() for t in re.findall(r'-("[^"]+"|[^\s()]+)', query)]
    query = re.sub(r'-("[^"]+"|[^\s()]+)|lang:\w+', " ", query)
    positive = [t.strip('"').lower() for t in re.findall(r'"[^"]+"|[^\s()]+', query)]
    return (
        tuple(t for t in positive if t != "or"),
        tuple(n for n in negative if ":" not in n),
    )


# --- Reddit --------------------------------------------------------------------------------


class RedditServer(LocalServer):
    """``/api/v1/access_token`` (client credentials) and Listing endpoints:
    ``/r/{sub}/new``, ``/r/{sub}/comments``, ``/search`` and ``/user/{name}/about``."""

    def __init__(self) -> None:
        super().__init__()
        self.things: list[dict[str, Any]] = []  # {"kind": "t3"|"t1", "data": {...}}
        self.karma: dict[str, int] = {}
        self._next = 1000

    def _fullname(self, kind: str) -> tuple[str, str]:
        self._next += 1
        base36 = ""
        n = self._next
        while n:
            n, r = divmod(n, 36)
            base36 = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + base36
        return base36, f"{kind}_{base36}"

    def submission(
        self,
        sub: str,
        title: str,
        *,
        body: str = "",
        author: str = "someone",
        minutes_ago: float = 1.0,
        score: int = 3,
    ) -> str:
        ident, name = self._fullname("t3")
        self.karma.setdefault(author, 500)
        self.things.append(
            {
                "kind": "t3",
                "data": {
                    "id": ident,
                    "name": name,
                    "title": title,
                    "selftext": body,
                    "author": author,
                    "author_fullname": f"t2_{author}",
                    "subreddit": sub,
                    "subreddit_name_prefixed": f"r/{sub}",
                    "score": score,
                    "num_comments": 4,
                    "created_utc": (NOW - timedelta(minutes=minutes_ago)).timestamp(),
                    "permalink": f"/r/{sub}/comments/{ident}/slug/",
                    "url": f"https://example/{ident}",
                    "is_self": True,
                    "over_18": False,
                },
            }
        )
        return name

    def comment(
        self,
        sub: str,
        body: str,
        *,
        link: str = "t3_zzz",
        author: str = "someone",
        minutes_ago: float = 1.0,
        score: int = 2,
    ) -> str:
        ident, name = self._fullname("t1")
        self.karma.setdefault(author, 500)
        self.things.append(
            {
                "kind": "t1",
                "data": {
                    "id": ident,
                    "name": name,
                    "body": body,
                    "author": author,
                    "author_fullname": f"t2_{author}",
                    "subreddit": sub,
                    "link_id": link,
                    "parent_id": link,
                    "score": score,
                    "created_utc": (NOW - timedelta(minutes=minutes_ago)).timestamp(),
                    "permalink": f"/r/{sub}/comments/{link[3:]}/slug/{ident}/",
                },
            }
        )
        return name

    def delete(self, fullname: str) -> None:
        self.things = [t for t in self.things if t["data"]["name"] != fullname]

    def route(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        if seen.path == "/api/v1/access_token":
            expected = base64.b64encode(f"{REDDIT_ID}:{REDDIT_SECRET}".encode()).decode()
            if seen.headers.get("authorization") != f"Basic {expected}":
                return 401, {"message": "Unauthorized", "error": 401}, {}
            token = {
                "access_token": REDDIT_TOKEN,
                "token_type": "bearer",
                "expires_in": 86400,
                "scope": "*",
            }
            return 200, token, {}
        if seen.headers.get("authorization") != f"bearer {REDDIT_TOKEN}":
            return 401, {"message": "Unauthorized", "error": 401}, {}
        headers = {
            "x-ratelimit-remaining": "99",
            "x-ratelimit-used": "1",
            "x-ratelimit-reset": "60",
        }
        user = re.fullmatch(r"/user/([^/]+)/about/?", seen.path)
        if user:
            name = user.group(1)
            if name not in self.karma:
                return 404, {"message": "Not Found", "error": 404}, headers
            data = {"name": name, "id": name, "link_karma": self.karma[name], "comment_karma": 7}
            return 200, {"kind": "t2", "data": data}, headers
        listing = re.fullmatch(r"/r/([^/]+)/(new|comments)/?", seen.path)
        if listing:
            sub, what = listing.groups()
            kind = "t3" if what == "new" else "t1"
            items = [t for t in self.things if t["kind"] == kind and t["data"]["subreddit"] == sub]
        elif seen.path.rstrip("/") == "/search":
            q = seen.params.get("q", "").lower()
            terms = [t.strip('"') for t in q.split(" or ")]
            items = [
                t
                for t in self.things
                if t["kind"] == "t3"
                and any(
                    term in (t["data"]["title"] + " " + t["data"]["selftext"]).lower()
                    for term in terms
                )
            ]
        else:
            return 404, {"message": "Not Found", "error": 404}, headers
        return 200, self._listing(items, seen.params), headers

    @staticmethod
    def _listing(items: list[dict[str, Any]], params: dict[str, str]) -> dict[str, Any]:
        items = sorted(
            items, key=lambda t: (t["data"]["created_utc"], t["data"]["name"]), reverse=True
        )
        limit = min(int(params.get("limit", 25)), 100)
        start = 0
        if params.get("after"):
            names = [t["data"]["name"] for t in items]
            start = names.index(params["after"]) + 1 if params["after"] in names else len(items)
        page = items[start : start + limit]
        after = page[-1]["data"]["name"] if start + limit < len(items) and page else None
        return {
            "kind": "Listing",
            "data": {"after": after, "before": None, "dist": len(page), "children": page},
        }
