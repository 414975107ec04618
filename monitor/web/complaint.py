"""A complaint's page and everything a responder does from it.

Each action calls the same ``monitor.act`` function as the command line, with
the signed-in responder as ``by``, inside one transaction that takes the write
lock first: of two people acting at once, one wins and the other is shown why
theirs did not happen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from monitor import act
from monitor.act import AlreadyDone
from monitor.core.errors import AmendsError, StoreError
from monitor.store import Resolution, Store
from monitor.web.auth import Visitor
from monitor.web.login import Form, redirect, site_of
from monitor.web.pages import html
from monitor.web.views import page

SILENCE_HOURS = (1, 2, 4, 8, 24, 72)
# What a finished action says on the page it returns to: fixed sentences, so nothing
# from the address is ever shown.
DONE = {
    "acknowledged": "You own this complaint now; its escalation has stopped.",
    "assigned": "Reassigned.",
    "resolved": "Resolved. Cause, fix and lesson are recorded.",
    "not-a-complaint": "Closed as not a complaint; the classifier will learn from it.",
    "silenced": "Silenced: no pages for this brand and topic until it ends.",
    "draft": "Draft saved; the checker ran on it.",
    "step": "Follow-up updated.",
}

Action = Callable[[Store], object]


def _id(request: Request) -> int:
    return int(request.path_params["complaint_id"])


def show(request: Request, who: Visitor, form: Form) -> Response:
    said = DONE.get(request.query_params.get("done", ""))
    return _page(request, who, said=said, error=None)


def _page(
    request: Request, who: Visitor, *, said: str | None, error: str | None, status: int = 200
) -> Response:
    site = site_of(request)
    complaint_id = _id(request)
    with site.stores.borrow() as store:
        try:
            complaint = store.complaint(complaint_id)
        except StoreError:
            return html(
                request,
                "message.html",
                {"title": "Not found", "said": f"There is no complaint {complaint_id}."},
                visitor=who,
                status=404,
            )
        shown = page(
            complaint,
            store.followup_ticks(complaint_id),
            store.deliveries(complaint_id),
            store.events(complaint_id),
            site.clock(),
        )
    return html(
        request,
        "complaint.html",
        {
            "c": shown,
            "said": said,
            "error": error,
            "responders": [r.name for r in site.config().responders],
            "silence_hours": SILENCE_HOURS,
        },
        visitor=who,
        status=status,
    )


def _act(request: Request, who: Visitor, done: str, action: Action) -> Response:
    site = site_of(request)
    with site.stores.borrow() as store:
        try:
            with store.transaction():
                action(store)
        except AlreadyDone as exc:  # the fact, without the CLI's --force hint
            return _page(request, who, said=None, error=exc.fact, status=409)
        except AmendsError as exc:
            return _page(request, who, said=None, error=str(exc), status=400)
    return redirect(request, f"/c/{_id(request)}?done={done}")


def acknowledge(request: Request, who: Visitor, form: Form) -> Response:
    now, force = site_of(request).clock(), form.get("force") == "1"
    return _act(
        request,
        who,
        "acknowledged",
        lambda store: act.acknowledge(store, _id(request), by=who.name, now=now, force=force),
    )


def assign(request: Request, who: Visitor, form: Form) -> Response:
    site = site_of(request)
    to, config, now = form.get("to", ""), site.config(), site.clock()
    return _act(
        request,
        who,
        "assigned",
        lambda store: act.reassign(store, config, _id(request), to, by=who.name, now=now),
    )


def resolve(request: Request, who: Visitor, form: Form) -> Response:
    now, force = site_of(request).clock(), form.get("force") == "1"
    resolution = Resolution(
        **{
            key: (form.get(key, "").strip()[:2000] or None)
            for key in ("note", "cause", "fix", "lesson")
        }
    )
    return _act(
        request,
        who,
        "resolved",
        lambda store: act.resolve(
            store, _id(request), resolution, by=who.name, now=now, force=force
        ),
    )


def not_a_complaint(request: Request, who: Visitor, form: Form) -> Response:
    now, force = site_of(request).clock(), form.get("force") == "1"
    note = form.get("note", "").strip()[:2000] or None
    return _act(
        request,
        who,
        "not-a-complaint",
        lambda store: act.mark_not_a_complaint(
            store, _id(request), Resolution(note=note), by=who.name, now=now, force=force
        ),
    )


def silence(request: Request, who: Visitor, form: Form) -> Response:
    now = site_of(request).clock()
    hours = int(form.get("hours", "0")) if form.get("hours", "").isdigit() else 0
    scope = form.get("scope", "both")
    if hours not in SILENCE_HOURS or scope not in ("brand", "topic", "both"):
        return _page(
            request, who, said=None, error="choose how long and what to silence", status=400
        )

    def silence_it(store: Store) -> None:
        complaint = store.complaint(_id(request))
        act.silence(
            store,
            brand=complaint.mention.brand if scope in ("brand", "both") else None,
            topic=complaint.category if scope in ("topic", "both") else None,
            duration=timedelta(hours=hours),
            reason=form.get("reason", "").strip()[:300] or f"from complaint {complaint.id}",
            by=who.name,
            now=now,
        )

    return _act(request, who, "silenced", silence_it)


def edit_draft(request: Request, who: Visitor, form: Form) -> Response:
    now, text = site_of(request).clock(), form.get("draft", "")
    return _act(
        request,
        who,
        "draft",
        lambda store: act.edit_draft(store, _id(request), text, by=who.name, now=now),
    )


def check_draft(request: Request, who: Visitor, form: Form) -> Response:
    """What the checker says about the words in the edit box, as the responder types."""
    with site_of(request).stores.borrow() as store:
        try:
            found = act.check_draft(store, _id(request), form.get("draft", ""))
        except AmendsError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
    return JSONResponse({"findings": [{"code": f.code, "message": f.message} for f in found]})


def tick(request: Request, who: Visitor, form: Form) -> Response:
    now, done = site_of(request).clock(), form.get("done") == "1"
    step = int(request.path_params["step"])
    if request.headers.get("accept", "").startswith("application/json"):
        with site_of(request).stores.borrow() as store:
            try:
                act.tick_followup(store, _id(request), step, done=done, by=who.name, now=now)
            except AmendsError as exc:
                return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse({"step": step, "done": done, "by": who.name})
    return _act(
        request,
        who,
        "step",
        lambda store: act.tick_followup(store, _id(request), step, done=done, by=who.name, now=now),
    )
