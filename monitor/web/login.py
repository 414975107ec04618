"""Signing in and out, finding who a request comes from, and the route wrappers.

Routes are plain functions run on the server's thread pool (their SQLite work
never holds up the event loop); ``signed_in`` and ``anyone`` read the form,
check who is asking and the form's token, then call them.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from monitor.web.auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Visitor,
    password_matches,
    same_secret,
    session_hash,
)
from monitor.web.pages import html
from monitor.web.site import Site

logger = logging.getLogger(__name__)

Form = Mapping[str, str]
Endpoint = Callable[[Request], Awaitable[Response]]
_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,100}")


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def visitor(request: Request) -> Visitor | None:
    """The signed-in responder: the trusted proxy's header when configured, else a live
    session cookie; None for anyone else."""
    site = site_of(request)
    header = site.web.trusted_user_header
    if header and request.scope.get("state", {}).get("from_proxy"):
        name = request.headers.get(header, "").strip()
        if name and _NAME.fullmatch(name):
            token = site.keys.form_token(f"user:{name}")
            return Visitor(name=name, form_token=token, session_id=None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    session_id = site.keys.session_id(cookie, max_age=site.web.session_hours * 3600)
    if session_id is None:
        return None
    with site.stores.borrow() as store:
        owner = store.session_user(session_hash(session_id), now=site.clock())
    if owner is None:
        return None
    token = site.keys.form_token(f"session:{session_id}")
    return Visitor(name=owner, form_token=token, session_id=session_id)


async def read_form(request: Request) -> dict[str, str]:
    """A POST's fields as text (no uploads); {} for a GET."""
    if request.method != "POST":
        return {}
    async with request.form(max_files=0, max_fields=40) as form:
        return {k: v for k, v in form.items() if isinstance(v, str)}


def signed_in(handler: Callable[[Request, Visitor, Form], Response]) -> Endpoint:
    """A route for signed-in responders; others are sent to the login form and back.
    A POST must carry the form token of the visitor's own session."""

    def checked(request: Request, form: Form) -> Response:
        who = visitor(request)
        if who is None:
            if request.method != "GET":
                return PlainTextResponse("sign in first", status_code=401)
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return redirect(request, f"/login?next={quote(here, safe='')}")
        if request.method == "POST" and not same_secret(form.get("form_token"), who.form_token):
            return PlainTextResponse("this form has expired: reload the page", status_code=403)
        return handler(request, who, form)

    async def route(request: Request) -> Response:
        form = await read_form(request)
        return await run_in_threadpool(checked, request, form)

    return route


def anyone(handler: Callable[[Request, Form], Response]) -> Endpoint:
    """A route that needs no login (the one-tap links, the login form)."""

    async def route(request: Request) -> Response:
        form = await read_form(request)
        return await run_in_threadpool(handler, request, form)

    return route


def redirect(request: Request, path: str) -> RedirectResponse:
    """To a path of the inbox, at its public address (never the Host header's)."""
    return RedirectResponse(site_of(request).url(path), status_code=303)


def local_path(target: str | None) -> str:
    """``?next=`` only ever leads to a path of the inbox itself."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ch in target for ch in "\\\r\n\t") or re.match(r"/+[a-z][a-z0-9+.-]*:", target, re.I):
        return "/"
    return target


def login_form(request: Request, form: Form) -> Response:
    return _form(request, next_path=request.query_params.get("next"), error=None)


def _form(request: Request, *, next_path: str | None, error: str | None, status: int = 200):
    site = site_of(request)
    nonce = secrets.token_urlsafe(16)
    response = html(
        request,
        "login.html",
        {
            "next": local_path(next_path),
            "login_token": site.keys.form_token(f"login:{nonce}"),
            "error": error,
        },
        status=status,
    )
    set_cookie(request, response, LOGIN_COOKIE, nonce, max_age=3600)
    return response


def login(request: Request, form: Form) -> Response:
    site = site_of(request)
    name = form.get("name", "").strip()[:100]
    target = local_path(form.get("next"))
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    if not nonce or not site.keys.form_token_ok(f"login:{nonce}", form.get("login_token")):
        error = "The form had expired; please try again."
        return _form(request, next_path=target, error=error, status=403)
    address = request.client.host if request.client else "-"
    wait = site.limiter.wait_seconds(name, address)
    if wait:
        error = f"Too many failed attempts. Try again in {max(1, round(wait / 60))} min."
        return _form(request, next_path=target, error=error, status=429)
    with site.stores.borrow() as store:
        found = store.account(name) if name else None
    # Checked even without an account, so the time taken does not tell which names exist.
    if not password_matches(found.password_hash if found else None, form.get("password", "")):
        site.limiter.failed(name, address)
        logger.warning("failed login from %s", address)
        error = "That name and password do not match."
        return _form(request, next_path=target, error=error, status=401)
    assert found is not None
    site.limiter.succeeded(name)
    cookie, _, id_hash = site.keys.new_session()
    now, hours = site.clock(), site.web.session_hours
    with site.stores.borrow() as store:
        store.add_session(id_hash, found.name, now=now, expires_at=now + timedelta(hours=hours))
    logger.info("%s signed in from %s", found.name, address)
    response = redirect(request, target)
    set_cookie(request, response, SESSION_COOKIE, cookie, max_age=hours * 3600)
    response.delete_cookie(LOGIN_COOKIE, path=cookie_path(request))
    return response


def logout(request: Request, who: Visitor, form: Form) -> Response:
    if who.session_id is not None:
        with site_of(request).stores.borrow() as store:
            store.end_session(session_hash(who.session_id))
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE, path=cookie_path(request))
    return response


def set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int):
    site = site_of(request)
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=cookie_path(request),
        httponly=True,
        samesite="lax",
        # Behind https (the public address, or what the trusted proxy says) only.
        secure=site.web.base_url.startswith("https:") or request.url.scheme == "https",
    )


def cookie_path(request: Request) -> str:
    return site_of(request).root or "/"
