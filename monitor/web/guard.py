"""What every response carries and every request is checked for, before any route.

Forwarded headers count only from the configured proxies. Every response forbids
framing, inline script and referrers (tokens travel in URLs); a POST whose
browser says it comes from another site is refused before a route sees it.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.web.site import Site

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


class Guard:
    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        client = scope.get("client")
        peer = client[0] if client else None
        trusted = self.site.trusts(peer)
        scope.setdefault("state", {})["from_proxy"] = trusted
        if trusted:
            _forwarded(scope, headers)
        if scope["method"] not in ("GET", "HEAD") and not self._same_site(headers):
            response = PlainTextResponse("cross-site request refused", status_code=403)
            await response(scope, receive, self._secured(send, scope))
            return
        await self.app(scope, receive, self._secured(send, scope))

    def _same_site(self, headers: Headers) -> bool:
        fetch_site = headers.get("sec-fetch-site")
        if fetch_site is not None:  # browsers that say where a request comes from
            return fetch_site in ("same-origin", "none")
        # Others send Origin; "null" is what no-referrer pages send for their own forms.
        origin = headers.get("origin")
        return origin in (None, "null") or origin == self.site.origin

    def _secured(self, send: Send, scope: Scope) -> Send:
        https = scope.get("scheme") == "https"

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    out.setdefault(name, value)
                # Pages hold customers' posts and one-tap tokens: no cache keeps them.
                if not scope["path"].startswith("/static/"):
                    out.setdefault("cache-control", "no-store")
                if https:
                    out.setdefault("strict-transport-security", "max-age=31536000")
            await send(message)

        return secured


def _forwarded(scope: Scope, headers: Headers) -> None:
    """The scheme and client the trusted proxy saw (the last address it appended)."""
    proto = headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    if proto in ("http", "https"):
        scope["scheme"] = proto
    forwarded_for = headers.get("x-forwarded-for", "").split(",")[-1].strip()
    if forwarded_for:
        scope["client"] = (forwarded_for, 0)
