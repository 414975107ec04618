"""The inbox as one ASGI application: routes, assets, and the guard around them."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from monitor.web import complaint, inbox, onetap
from monitor.web.guard import Guard
from monitor.web.login import anyone, login, login_form, logout, signed_in
from monitor.web.pages import STATIC
from monitor.web.site import Site


def create_app(site: Site) -> Starlette:
    c = "/c/{complaint_id:int}"
    routes = [
        Route("/", signed_in(inbox.inbox)),
        Route("/inbox/mark", signed_in(inbox.mark)),
        Route(c, signed_in(complaint.show)),
        Route(f"{c}/ack", signed_in(complaint.acknowledge), methods=["POST"]),
        Route(f"{c}/assign", signed_in(complaint.assign), methods=["POST"]),
        Route(f"{c}/resolve", signed_in(complaint.resolve), methods=["POST"]),
        Route(f"{c}/not-a-complaint", signed_in(complaint.not_a_complaint), methods=["POST"]),
        Route(f"{c}/silence", signed_in(complaint.silence), methods=["POST"]),
        Route(f"{c}/draft", signed_in(complaint.edit_draft), methods=["POST"]),
        Route(f"{c}/check", signed_in(complaint.check_draft), methods=["POST"]),
        Route(c + "/steps/{step:int}", signed_in(complaint.tick), methods=["POST"]),
        Route("/a/{token}", anyone(onetap.acknowledge_form), methods=["GET"]),
        Route("/a/{token}", anyone(onetap.acknowledge), methods=["POST"]),
        Route("/o/{token}", anyone(onetap.open_link)),
        Route("/login", anyone(login_form), methods=["GET"]),
        Route("/login", anyone(login), methods=["POST"]),
        Route("/logout", signed_in(logout), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, site=site)])
    app.state.site = site
    return app
