"""A complaint's page and its actions over HTTP: each recorded like the CLI's, two
people at once, and hostile posts shown as inert text."""

from __future__ import annotations

import re
import threading

from tests.web.conftest import Inbox, open_complaint

HOSTILE_TEXT = (
    '<script>alert("x")</script><img src=x onerror=alert(1)> '
    "[Acknowledge](https://evil.example/a/steal) "
    '<form action="https://evil.example"><button>Acknowledge</button></form> '
    "\u202eevil.exe\u202c zero\u200bwidth " + "A" * 100_000
)
HOSTILE_AUTHOR = '"><script>alert(2)</script>\u202e'


def act(inbox: Inbox, path: str, token: str, **fields):
    return inbox.client.post(path, data={"form_token": token, **fields}, follow_redirects=False)


def test_the_page_shows_post_draft_followup_ledger_and_history(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    inbox.login()
    page = inbox.client.get(f"/c/{cid}").text
    for shown in (
        "The post",
        "Why flagged",
        "1.2k followers",
        "Public reply",
        "Please DM us",
        "Call the courier",
        "Pages sent",
        "History",
        "opened",
        "no-name",
    ):
        assert shown in page, shown
    assert 'href="https://x.com/maya/status/1"' in page


def test_actions_are_recorded_with_who_and_when(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = inbox.login()
    assert act(inbox, f"/c/{cid}/ack", token).status_code == 303
    assert act(inbox, f"/c/{cid}/assign", token, to="Lee Park").status_code == 303
    assert act(inbox, f"/c/{cid}/steps/1", token, done="1").status_code == 303
    assert act(inbox, f"/c/{cid}/draft", token, draft="Maya, we lost it. DM us.").status_code == 303
    silenced = act(inbox, f"/c/{cid}/silence", token, hours="2", scope="both")
    assert silenced.status_code == 303
    done = act(
        inbox,
        f"/c/{cid}/resolve",
        token,
        note="refunded",
        cause="label",
        fix="reship",
        lesson="check labels",
    )
    assert done.headers["location"] == f"http://testserver/c/{cid}?done=resolved"
    with inbox.store() as store:
        complaint = store.complaint(cid)
        assert (complaint.status, complaint.assignee, complaint.resolved_by) == (
            "resolved",
            "Lee Park",
            "Dana Kim",
        )
        assert (complaint.cause, complaint.fix, complaint.lesson) == (
            "label",
            "reship",
            "check labels",
        )
        assert complaint.public_draft == "Maya, we lost it. DM us."
        assert store.followup_ticks(cid)[1].done
        events = [(e.event, e.by) for e in store.events(cid)]
        silence = store.active_silences(complaint.created_at)[0]
    assert events[1:] == [
        ("acknowledged", "Dana Kim"),
        ("assigned", "Dana Kim"),
        ("follow-up done", "Dana Kim"),
        ("draft edited", "Dana Kim"),
        ("resolved", "Dana Kim"),
    ]
    assert (silence.brand, silence.topic, silence.created_by) == ("Acme", "delivery", "Dana Kim")


def test_not_a_complaint_labels_the_post(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = inbox.login()
    assert act(inbox, f"/c/{cid}/not-a-complaint", token).status_code == 303
    with inbox.store() as store:
        complaint = store.complaint(cid)
        assert complaint.status == "resolved"
        assert store.latest_label(complaint.mention_id) is False


def test_the_checker_answers_as_the_draft_is_edited(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = inbox.login()
    bad = act(
        inbox, f"/c/{cid}/check", token, draft="Sorry for any inconvenience due to the courier"
    )
    codes = {f["code"] for f in bad.json()["findings"]}
    assert {"fauxpology", "excuse", "blame"} <= codes
    good = act(
        inbox,
        f"/c/{cid}/check",
        token,
        draft="Maya, we're sorry we lost your parcel: that's on us. DM us your order.",
    )
    assert "fauxpology" not in {f["code"] for f in good.json()["findings"]}
    with inbox.store() as store:  # checking saves nothing
        assert "Please DM us your order" in store.complaint(cid).public_draft


def test_ticks_persist_and_a_wrong_step_is_refused(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    token = inbox.login()
    json = {"accept": "application/json"}
    ok = inbox.client.post(
        f"/c/{cid}/steps/0", data={"form_token": token, "done": "1"}, headers=json
    )
    assert ok.json() == {"step": 0, "done": True, "by": "Dana Kim"}
    bad = inbox.client.post(
        f"/c/{cid}/steps/9", data={"form_token": token, "done": "1"}, headers=json
    )
    assert bad.status_code == 400
    page = inbox.client.get(f"/c/{cid}").text
    assert re.search(r'id="step-0" checked', page) and "done by Dana Kim" in page


def test_two_responders_at_once_one_owner_wins_and_the_other_sees_it(inbox):
    with inbox.store() as store:
        cid = open_complaint(store, "1")
    dana, lee = inbox.client, inbox.another_client()
    tokens = {"Dana Kim": inbox.login(), "Lee Park": inbox.login("Lee Park", client=lee)}
    clients = {"Dana Kim": dana, "Lee Park": lee}
    answers: dict[str, int] = {}
    start = threading.Barrier(2)

    def ack(name: str) -> None:
        start.wait()
        answers[name] = (
            clients[name]
            .post(f"/c/{cid}/ack", data={"form_token": tokens[name]}, follow_redirects=False)
            .status_code
        )

    threads = [threading.Thread(target=ack, args=(n,)) for n in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers.values()) == [303, 409]
    loser = next(n for n, code in answers.items() if code == 409)
    winner = next(n for n in clients if n != loser)
    with inbox.store() as store:
        assert store.complaint(cid).acked_by == winner
        assert [e.event for e in store.events(cid)].count("acknowledged") == 1
    shown = clients[loser].get(f"/c/{cid}").text
    assert f"Take over from {winner}" in shown
    again = clients[loser].post(
        f"/c/{cid}/ack", data={"form_token": tokens[loser]}, follow_redirects=False
    )
    assert again.status_code == 409 and f"acknowledged by {winner}" in again.text
    assert "--force" not in again.text  # the page offers "Take over" instead


def test_a_hostile_post_and_author_render_as_inert_text(inbox):
    with inbox.store() as store:
        cid = open_complaint(
            store, "1", text=HOSTILE_TEXT, author=HOSTILE_AUTHOR, url="https://evil.example/x"
        )
    inbox.login()
    for page in (inbox.client.get(f"/c/{cid}").text, inbox.client.get("/").text):
        assert "<script>alert" not in page and "<img" not in page
        assert "evil.example" not in page  # defanged, and the link is not on the platform
        assert 'action="https://evil' not in page and "\u202e" not in page
        assert "\u200b" not in page
        assert "&lt;script&gt;" in page
        assert len(page) < 60_000  # 100 KB of text is cut, and says so
    page = inbox.client.get(f"/c/{cid}").text
    assert "[cut:" in page
    assert "No link: the post's address is not on X's own site." in page
    # Only our own forms post anywhere, and only to the inbox.
    assert set(re.findall(r'<form[^>]*action="([^"]+)"', page)) <= {
        f"/c/{cid}/{a}"
        for a in (
            "ack",
            "assign",
            "resolve",
            "not-a-complaint",
            "silence",
            "draft",
            "steps/0",
            "steps/1",
            "steps/2",
        )
    } | {"/logout"}


def test_a_missing_complaint_is_404(inbox):
    inbox.login()
    assert inbox.client.get("/c/999").status_code == 404
