"""The links in pages: Acknowledge (no login) and Open.

An Acknowledge link does one thing: its recipient acknowledges its complaint.
Opening it only shows what it would do (mail scanners and link previews fetch
every URL, so a GET changes nothing); the page's button posts, and the link is
spent in the same transaction as the acknowledgement. An Open link leads to the
complaint's page, behind the login.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from monitor import act
from monitor.act import AlreadyDone
from monitor.core.errors import StoreError
from monitor.page.links import BadLink, LinkClaim, Purpose
from monitor.web.login import Form, redirect, site_of, visitor
from monitor.web.pages import html
from monitor.web.views import row, stamp

logger = logging.getLogger(__name__)


def _claim(request: Request, purpose: Purpose) -> LinkClaim:
    site = site_of(request)
    token = request.path_params["token"]
    return site.links.verify(token, purpose, recipients=site.recipients(), now=site.clock())


_SPENT = "this link has been used already"


def _refused(request: Request, reason: str, status: int = 400) -> Response:
    return html(
        request, "message.html", {"title": "This link does not work", "said": reason}, status=status
    )


def acknowledge_form(request: Request, form: Form) -> Response:
    try:
        claim = _claim(request, "ack")
    except BadLink as exc:
        return _refused(request, str(exc), status=_status(exc))
    site = site_of(request)
    with site.stores.borrow() as store:
        # Only the form asks beforehand: acknowledging spends the link in its own
        # transaction and is refused there if someone was first.
        if store.link_spent(claim.mac):
            return _refused(request, _SPENT, status=410)
        try:
            complaint = store.complaint(claim.complaint_id)
        except StoreError:
            return _refused(request, "this complaint is no longer in the database", 404)
    token = request.path_params["token"]
    return html(
        request,
        "acknowledge.html",
        {
            "row": row(complaint, site.clock()),
            "recipient": claim.recipient,
            "tap_token": site.keys.form_token(f"link:{token}"),
            "token": token,
            "owner": complaint.acked_by if complaint.status == "acknowledged" else None,
            "resolved": complaint.status == "resolved",
        },
    )


def acknowledge(request: Request, form: Form) -> Response:
    site = site_of(request)
    token = request.path_params["token"]
    if not site.keys.form_token_ok(f"link:{token}", form.get("tap_token")):
        return _refused(request, "this form has expired: open the link from the page again", 403)
    try:
        claim = _claim(request, "ack")
    except BadLink as exc:
        return _refused(request, str(exc), status=_status(exc))
    now = site.clock()
    with site.stores.borrow() as store:
        try:
            # One transaction takes the write lock first: of two people acting at once,
            # one acknowledges and the other is told who did.
            with store.transaction():
                if not store.spend_link(claim.mac, now=now, expires_at=claim.expires_at):
                    raise BadLink(_SPENT, gone=True)
                done = act.acknowledge(store, claim.complaint_id, by=claim.recipient, now=now)
        except BadLink as exc:
            return _refused(request, str(exc), status=_status(exc))
        except AlreadyDone as exc:  # the fact, without the CLI's --force hint
            return _refused(request, exc.fact, status=409)
        except StoreError as exc:
            return _refused(request, str(exc), status=409)
    logger.info(
        "complaint %d acknowledged by %s from a page link", claim.complaint_id, claim.recipient
    )
    return html(
        request,
        "message.html",
        {
            "title": f"Complaint {claim.complaint_id} is yours",
            "said": (
                f"Acknowledged by {claim.recipient} at {stamp(now)}: escalation has stopped"
                + (f", for {len(done.grouped)} more listed with it." if done.grouped else ".")
            ),
            "open_id": claim.complaint_id,
        },
    )


def open_link(request: Request, form: Form) -> Response:
    try:
        claim = _claim(request, "open")
    except BadLink as exc:
        return _refused(request, str(exc), status=_status(exc))
    target = f"/c/{claim.complaint_id}"
    if visitor(request) is None:
        return redirect(request, f"/login?next={target}")
    return redirect(request, target)


def _status(exc: BadLink) -> int:
    return 410 if exc.gone else 400
