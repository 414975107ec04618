"""``amends serve`` (the responder inbox alone) and ``amends user`` (its logins)."""

from __future__ import annotations

import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.common import err_console, out_console, state
from monitor.core.errors import AmendsError

if TYPE_CHECKING:
    from monitor.config import Config

MIN_PASSWORD_CHARS = 10

users = typer.Typer(help="Logins for the responder inbox.", no_args_is_help=True)
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(users, name="user")


def serve(
    ctx: typer.Context,
    listen: Annotated[
        str | None, typer.Option(help="Address to listen on (default: [web] listen).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: [web] port).")] = None,
) -> None:
    """Serve the responder inbox alone, without polling or paging (a second unit, or to
    try it on the demo: `amends --db amends-demo.db serve`). Stops on Ctrl-C or SIGTERM.

    The key that signs sessions and page links comes from AMENDS_WEB_SECRET or the
    systemd credential web-secret; without one a random key serves this run only.
    """
    from monitor.page.links import load_secret
    from monitor.web.server import WebServer
    from monitor.web.site import Site
    from monitor.web.stores import StorePool

    config = _config(ctx)
    if listen or port:
        web = config.web.model_copy(
            update={k: v for k, v in (("listen", listen), ("port", port)) if v}
        )
        config = config.model_copy(update={"web": web})
    secret = load_secret()
    if secret is None:
        import secrets

        secret = secrets.token_hex(32).encode()
        err_console.print(
            "amends: no AMENDS_WEB_SECRET: using a random key for this run (sessions end "
            "when it stops, and links in pages made with another key do not work)",
            highlight=False,
        )
    stores = StorePool(state(ctx).database(config))
    with stores.borrow() as store:  # a missing or older database fails here, with what to run
        accounts = store.accounts()
    server = WebServer(Site(config=lambda: config, stores=stores, secret=secret))
    server.start()
    host, bound = server.address
    out_console.print(
        f"inbox at {config.web.base_url} (listening on {host}:{bound}; Ctrl-C stops it)",
        highlight=False,
    )
    if not accounts:
        out_console.print(
            "no logins yet: add one with `amends user add NAME` (the responder's name)",
            highlight=False,
        )
    _wait_for_stop()
    server.stop()


def _config(ctx: typer.Context) -> Config:
    """--config, else the demo's own configuration (its responders and brand)."""
    cli = state(ctx)
    if cli.config_path is not None:
        return cli.config()
    from monitor.daemon.demo import demo_config

    err_console.print("amends: no --config: serving with the demo's configuration")
    return demo_config(Path("amends-demo-pages.jsonl"))


def _wait_for_stop() -> None:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(1.0):
        pass


@users.command("add")
def user_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The responder's name, as in the config.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a login for NAME (asks for the password twice)."""
    from monitor.web.auth import hash_password

    cli = state(ctx)
    if cli.config_path is not None:
        config = cli.config()
        if config.responder(name) is None:
            known = ", ".join(r.name for r in config.responders)
            err_console.print(
                f"amends: note: {name!r} is not a responder in the config ({known}); "
                "they can sign in, but pages and owners name responders",
                highlight=False,
            )
    password = _password(password_stdin)
    with cli.open_store() as store:
        store.add_account(name, hash_password(password), now=datetime.now(UTC))
    out_console.print(f"login added for {name}", highlight=False)


@users.command("passwd")
def user_passwd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Whose password.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password for NAME; their sessions end."""
    from monitor.web.auth import hash_password

    password = _password(password_stdin)
    with state(ctx).open_store() as store:
        store.set_password_hash(name, hash_password(password), now=datetime.now(UTC))
    out_console.print(f"password changed for {name}; their sessions have ended", highlight=False)


@users.command("list")
def user_list(ctx: typer.Context) -> None:
    """The logins, one a line."""
    with state(ctx).open_store(readonly=True) as store:
        for account in store.accounts():
            out_console.print(account.name, markup=False, highlight=False)


@users.command("remove")
def user_remove(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="Whose login.")]
) -> None:
    """Remove NAME's login; their sessions end (what they did stays in the history)."""
    with state(ctx).open_store() as store:
        store.remove_account(name)
    out_console.print(f"login removed for {name}", highlight=False)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_CHARS:
        raise AmendsError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    return password
