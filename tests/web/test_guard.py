"""Headers every response carries, cross-site POSTs refused, forwarded headers only
from the configured proxies."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from monitor.web.app import create_app
from tests.web.conftest import make_site, open_complaint, web_config


def test_every_response_forbids_framing_inline_script_and_referrers(inbox):
    for path in ("/login", "/a/" + "A" * 32, "/static/app.css"):
        headers = inbox.client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
    assert inbox.client.get("/login").headers["cache-control"] == "no-store"


def test_no_inline_script_or_style_in_any_page(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    inbox.login()
    for path in ("/", f"/c/{cid}", "/login"):
        page = inbox.client.get(path).text
        assert "<script>" not in page and " style=" not in page and "<style" not in page
        assert not re.search(r"\son[a-z]+=", page)  # no inline event handlers either


def test_a_post_from_another_site_is_refused(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = inbox.login()
    for headers in ({"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}):
        answer = inbox.client.post(f"/c/{cid}/ack", data={"form_token": token}, headers=headers)
        assert answer.status_code == 403
    same = inbox.client.post(
        f"/c/{cid}/ack",
        data={"form_token": token},
        headers={"origin": "http://testserver"},
        follow_redirects=False,
    )
    assert same.status_code == 303


def test_forwarded_proto_counts_only_from_a_trusted_proxy(tmp_path):
    from monitor.store import Store

    Store.open(tmp_path / "a.db").close()
    site = make_site(tmp_path / "a.db", web_config(extra='trusted_proxies = ["10.0.0.1"]\n'))
    app = create_app(site)
    forwarded = {"x-forwarded-proto": "https"}
    with TestClient(app, client=("10.0.0.1", 1)) as proxy:
        assert "secure" in proxy.get("/login", headers=forwarded).headers["set-cookie"].lower()
    with TestClient(app, client=("192.0.2.7", 1)) as stranger:
        assert (
            "secure" not in stranger.get("/login", headers=forwarded).headers["set-cookie"].lower()
        )
