"""The Acknowledge and Open links from pages, over HTTP: what a GET shows, what the
button does, and every way a link can be wrong."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from monitor.page.links import LinkSigner
from tests.web.conftest import SECRET, Inbox, open_complaint


def mint(purpose="ack", complaint_id=1, who="Dana Kim", hours=24, key=SECRET) -> str:
    expires = datetime.now(UTC) + timedelta(hours=hours)
    return LinkSigner(key).mint(purpose, complaint_id, who, expires_at=expires)


def tap_token(page: str) -> str:
    return re.search(r'name="tap_token" value="([^"]+)"', page).group(1)


def confirm(inbox: Inbox, token: str):
    shown = inbox.client.get(f"/a/{token}")
    assert shown.status_code == 200, shown.text
    return inbox.client.post(f"/a/{token}", data={"tap_token": tap_token(shown.text)})


def test_opening_an_acknowledge_link_changes_nothing_and_the_button_acknowledges(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = mint(complaint_id=cid)
    shown = inbox.client.get(f"/a/{token}")
    assert shown.status_code == 200 and "Acknowledge as Dana Kim" in shown.text
    assert shown.headers["referrer-policy"] == "no-referrer"
    with inbox.store() as store:
        assert store.complaint(cid).status == "new"  # a GET changes nothing
    done = inbox.client.post(f"/a/{token}", data={"tap_token": tap_token(shown.text)})
    assert done.status_code == 200 and "is yours" in done.text
    with inbox.store() as store:
        complaint = store.complaint(cid)
        assert (complaint.status, complaint.acked_by) == ("acknowledged", "Dana Kim")
        assert [e.event for e in store.events(cid)][-1] == "acknowledged"


def test_a_link_is_spent_once_used(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = mint(complaint_id=cid)
    page = inbox.client.get(f"/a/{token}").text
    assert inbox.client.post(f"/a/{token}", data={"tap_token": tap_token(page)}).status_code == 200
    again = inbox.client.post(f"/a/{token}", data={"tap_token": tap_token(page)})
    assert again.status_code == 410 and "used already" in again.text
    assert inbox.client.get(f"/a/{token}").status_code == 410


def test_forged_expired_and_wrong_purpose_links_do_nothing(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    bad = {
        "forged": (mint(complaint_id=cid, key=b"another-key-" * 4), 400),
        "expired": (mint(complaint_id=cid, hours=-1), 410),
        "wrong purpose": (mint("open", complaint_id=cid), 400),
        "not a token": ("A" * 31 + "%", 400),
        "someone else": (mint(complaint_id=cid, who="Mallory"), 400),
    }
    for _name, (token, status) in bad.items():
        assert inbox.client.get(f"/a/{token}").status_code == status
        # Even with a form token made for this very link, the POST does nothing.
        key = inbox.site.keys.form_token(f"link:{token}")
        assert inbox.client.post(f"/a/{token}", data={"tap_token": key}).status_code == status
    with inbox.store() as store:
        assert store.complaint(cid).status == "new"


def test_the_button_needs_the_pages_own_token(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = mint(complaint_id=cid)
    for sent in ({}, {"tap_token": "0" * 40}, {"tap_token": inbox.site.keys.form_token("x")}):
        assert inbox.client.post(f"/a/{token}", data=sent).status_code == 403
    with inbox.store() as store:
        assert store.complaint(cid).status == "new"


def test_a_link_for_a_complaint_someone_else_owns_says_who(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    lee, dana = mint(complaint_id=cid, who="Lee Park"), mint(complaint_id=cid)
    lee_page, dana_page = inbox.client.get(f"/a/{lee}").text, inbox.client.get(f"/a/{dana}").text
    assert (
        inbox.client.post(f"/a/{lee}", data={"tap_token": tap_token(lee_page)}).status_code == 200
    )
    late = inbox.client.post(f"/a/{dana}", data={"tap_token": tap_token(dana_page)})
    assert late.status_code == 409 and "Lee Park" in late.text
    assert "--force" not in late.text  # the CLI's way to take over means nothing here
    with inbox.store() as store:
        assert store.complaint(cid).acked_by == "Lee Park"
        # Dana's link was not spent: nothing happened with it.
        assert inbox.client.get(f"/a/{dana}").status_code == 200


def test_the_open_link_leads_to_the_complaint_behind_the_login(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = mint("open", complaint_id=cid)
    out = inbox.client.get(f"/o/{token}", follow_redirects=False)
    assert out.status_code == 303
    assert out.headers["location"] == f"http://testserver/login?next=/c/{cid}"
    inbox.login()
    signed = inbox.client.get(f"/o/{token}", follow_redirects=False)
    assert signed.headers["location"] == f"http://testserver/c/{cid}"
    assert inbox.client.get(f"/o/{mint('ack', complaint_id=cid)}").status_code == 400


def test_links_never_appear_in_the_access_log(inbox, caplog):
    import logging

    from monitor.web.server import RedactTokens

    token = mint()
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", f"/a/{token}?x=1", "1.1", 200),
        None,
    )
    RedactTokens().filter(record)
    assert token not in record.getMessage() and "/a/…" in record.getMessage()
