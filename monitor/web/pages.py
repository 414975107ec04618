"""Server-rendered HTML: Jinja2 with autoescape on, templates and assets in the package."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from monitor.web.auth import Visitor

STATIC = resources.files("monitor.web").joinpath("static")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("monitor.web", "templates"),
        autoescape=True,  # every value, whatever the template's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["asset"] = asset_version()
    return env


@cache
def asset_version() -> str:
    """Changes with the assets' contents, so browsers may cache them for good."""
    digest = hashlib.sha256()
    for name in ("app.css", "app.js"):
        digest.update(STATIC.joinpath(name).read_bytes())
    return digest.hexdigest()[:10]


def html(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    visitor: Visitor | None = None,
    status: int = 200,
) -> HTMLResponse:
    site = request.app.state.site
    body = (
        environment()
        .get_template(template)
        .render(
            root=site.root,
            visitor=visitor,
            form_token=visitor.form_token if visitor else "",
            **context,
        )
    )
    return HTMLResponse(body, status_code=status)
