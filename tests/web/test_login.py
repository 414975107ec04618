"""Signing in and out over HTTP: cookies, form tokens, the rate limit, ?next=, the
proxy's header, and every route closed to strangers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from monitor.store import Store
from monitor.web.app import create_app
from monitor.web.login import local_path
from tests.web.conftest import PASSWORDS, form_token, make_site, open_complaint, web_config

ROUTES = [
    ("GET", "/"),
    ("GET", "/inbox/mark"),
    ("GET", "/c/1"),
    ("POST", "/c/1/ack"),
    ("POST", "/c/1/assign"),
    ("POST", "/c/1/resolve"),
    ("POST", "/c/1/not-a-complaint"),
    ("POST", "/c/1/silence"),
    ("POST", "/c/1/draft"),
    ("POST", "/c/1/check"),
    ("POST", "/c/1/steps/0"),
    ("POST", "/logout"),
]


def login_token(client) -> str:
    return re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)


def test_every_route_but_the_links_needs_a_login(inbox):
    with inbox.store() as store:
        open_complaint(store, "1")
    for method, path in ROUTES:
        answer = inbox.client.request(method, path, follow_redirects=False)
        if method == "GET":
            assert answer.status_code == 303, path
            assert answer.headers["location"].startswith("http://testserver/login?next=")
        else:
            assert answer.status_code == 401, path
    with inbox.store() as store:
        assert store.complaint(1).status == "new"


def test_signing_in_sets_a_hardened_cookie_and_logout_ends_the_session(inbox):
    token = inbox.login()
    cookie = next(c for c in inbox.client.cookies.jar if c.name == "amends_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    header = [h for h in inbox.client.get("/login").headers.get_list("set-cookie")]
    assert all("samesite=lax" in h.lower() and "httponly" in h.lower() for h in header)
    stolen = cookie.value
    assert (
        inbox.client.post("/logout", data={"form_token": token}, follow_redirects=False).status_code
        == 303
    )
    # The old cookie is dead on the server too, not just forgotten by this browser.
    other = inbox.another_client()
    other.cookies.set("amends_session", stolen)
    assert other.get("/", follow_redirects=False).status_code == 303


def test_cookies_are_secure_behind_https(tmp_path, password_hashes):
    from tests.web.conftest import add_accounts

    add_accounts(tmp_path / "a.db", password_hashes)
    site = make_site(tmp_path / "a.db", web_config("https://amends.example.com"))
    with TestClient(create_app(site), base_url="https://amends.example.com") as client:
        answer = client.get("/login")
        assert "secure" in answer.headers["set-cookie"].lower()
        assert answer.headers["strict-transport-security"]


def test_a_wrong_password_or_name_is_refused_alike(inbox):
    for name, password in (("Dana Kim", "wrong password"), ("Nobody", "correct horse battery")):
        answer = inbox.client.post(
            "/login",
            data={"name": name, "password": password, "login_token": login_token(inbox.client)},
        )
        assert answer.status_code == 401 and "do not match" in answer.text
    assert inbox.client.get("/", follow_redirects=False).status_code == 303


def test_login_needs_its_form_token(inbox):
    answer = inbox.client.post(
        "/login", data={"name": "Dana Kim", "password": PASSWORDS["Dana Kim"]}
    )
    assert answer.status_code == 403
    login_token(inbox.client)  # the form's nonce cookie is set; the token sent is not its own
    answer = inbox.client.post(
        "/login",
        data={"name": "Dana Kim", "password": PASSWORDS["Dana Kim"], "login_token": "jeton-é"},
    )
    assert answer.status_code == 403  # text outside ASCII is refused, not a server error


def test_logins_are_rate_limited_per_account(inbox):
    for _ in range(5):
        inbox.client.post(
            "/login",
            data={"name": "dana kim", "password": "nope", "login_token": login_token(inbox.client)},
        )
    answer = inbox.client.post(
        "/login",
        data={
            "name": "Dana Kim",
            "password": PASSWORDS["Dana Kim"],
            "login_token": login_token(inbox.client),
        },
    )
    assert answer.status_code == 429 and "Too many" in answer.text
    # Another account from another address is not held up.
    inbox.login("Lee Park", client=inbox.another_client())


def test_sessions_expire(inbox):
    inbox.login()
    later = datetime.now(UTC) + timedelta(hours=13)
    inbox.site.clock = lambda: later
    assert inbox.client.get("/", follow_redirects=False).status_code == 303


def test_a_form_token_is_needed_and_must_be_ones_own(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    inbox.login()
    lee = inbox.another_client()
    lee_token = inbox.login("Lee Park", client=lee)
    for data in ({}, {"form_token": "x" * 40}, {"form_token": lee_token}):
        answer = inbox.client.post(f"/c/{cid}/ack", data=data, follow_redirects=False)
        assert answer.status_code == 403
    with inbox.store() as store:
        assert store.complaint(cid).status == "new"


@pytest.mark.parametrize(
    "target, kept",
    [
        ("/c/1", "/c/1"),
        ("/?status=all", "/?status=all"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_next_leads_only_to_local_paths(target, kept):
    assert local_path(target) == kept


def test_after_login_the_redirect_stays_on_the_public_address(inbox):
    answer = inbox.client.post(
        "/login",
        data={
            "name": "Dana Kim",
            "password": PASSWORDS["Dana Kim"],
            "login_token": login_token(inbox.client),
            "next": "//evil.example/x",
        },
        headers={"host": "evil.example"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "http://testserver/"


def test_a_proxys_user_header_counts_only_from_the_proxy(tmp_path, password_hashes):
    from tests.web.conftest import add_accounts

    add_accounts(tmp_path / "a.db", password_hashes)
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1")
    extra = 'trusted_user_header = "X-Remote-User"\ntrusted_proxies = ["10.0.0.0/8"]\n'
    site = make_site(tmp_path / "a.db", web_config(extra=extra))
    app = create_app(site)
    header = {"X-Remote-User": "Lee Park"}
    with TestClient(app, base_url="http://testserver", client=("10.1.2.3", 5000)) as proxied:
        page = proxied.get(f"/c/{cid}", headers=header)
        assert page.status_code == 200 and "Lee Park" in page.text
        token = form_token(page.text)
        proxied.post(f"/c/{cid}/ack", data={"form_token": token}, headers=header)
    with Store.open(tmp_path / "a.db") as store:
        assert store.complaint(cid).acked_by == "Lee Park"
    with TestClient(app, base_url="http://testserver", client=("192.0.2.9", 5000)) as direct:
        assert direct.get("/", headers=header, follow_redirects=False).status_code == 303
