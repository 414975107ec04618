"""Everything the inbox's routes share: the running config, connections, keys, clock."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from monitor.config import Config
from monitor.config.schema import WebSettings
from monitor.page.links import LinkSigner
from monitor.web.auth import Keys, LoginLimiter
from monitor.web.stores import StorePool

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Site:
    config: Callable[[], Config]  # the daemon's current config: a reload swaps it
    stores: StorePool
    secret: bytes
    clock: Clock = utcnow
    limiter: LoginLimiter = field(default_factory=LoginLimiter)

    def __post_init__(self) -> None:
        self.keys = Keys(self.secret)
        self.links = LinkSigner(self.secret)

    @property
    def web(self) -> WebSettings:
        return self.config().web

    @property
    def root(self) -> str:
        """The path the inbox lives under at its public address ("" for the host's root)."""
        return urlsplit(self.web.base_url).path.rstrip("/")

    @property
    def origin(self) -> str:
        parts = urlsplit(self.web.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    def url(self, path: str) -> str:
        """An absolute address at the public URL: redirects never echo the Host header."""
        return self.web.base_url.rstrip("/") + path

    def recipients(self) -> list[str]:
        """Who a page's link may be for: every responder, and the admin contacts."""
        return [r.name for r in self.config().responders] + ["admin"]

    def trusts(self, address: str | None) -> bool:
        """Whether ``address`` is one of the configured reverse proxies."""
        if not address:
            return False
        try:
            peer = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(
            peer in ipaddress.ip_network(entry, strict=False) for entry in self.web.trusted_proxies
        )
