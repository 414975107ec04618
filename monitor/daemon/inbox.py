"""The responder inbox inside ``amends run``: its own thread, its own connections.

Built from the running config on start; the web app reads the config through
the runtime on every request, so a reload (SIGHUP) reaches it, except for
``listen`` and ``port``, which need a restart like the database path.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from monitor.core.errors import ConfigError
from monitor.daemon.runtime import Runtime
from monitor.page.links import SECRET_CREDENTIAL, SECRET_ENV, load_secret

if TYPE_CHECKING:
    from monitor.web.server import WebServer

logger = logging.getLogger(__name__)


def secret_or_refuse() -> bytes:
    """The web secret, which an enabled inbox cannot run without."""
    secret = load_secret()
    if secret is None:
        raise ConfigError(
            [
                f"web.enabled: the inbox needs a secret: set {SECRET_ENV} (e.g. in "
                f"/etc/amends/amends.env) or the systemd credential {SECRET_CREDENTIAL} "
                "(LoadCredential=), at least 32 characters"
            ]
        )
    return secret


def start_inbox(runtime: Runtime) -> WebServer | None:
    """Serve the inbox when ``[web] enabled``; None when it is not."""
    if not runtime.config.web.enabled:
        return None
    if runtime.store.path is None:
        raise ConfigError(["web.enabled: the inbox needs a database file, not one in memory"])
    # Imported here: uvicorn, Starlette, jinja2 and argon2 load only when the inbox is
    # served, never for ``amends poll`` or a daemon without it.
    from monitor.web.server import WebServer
    from monitor.web.site import Site
    from monitor.web.stores import StorePool

    site = Site(
        config=lambda: runtime.config,
        stores=StorePool(runtime.store.path),
        secret=secret_or_refuse(),
    )
    server = WebServer(site)
    server.start()
    return server
