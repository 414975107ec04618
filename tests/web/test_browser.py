"""The inbox in a real headless Chromium at phone size, on the demo's data: a page's
Acknowledge link, signing in, the live reply checker, follow-up ticks, resolving,
and not one console error."""

from __future__ import annotations

import pytest

from tests.web.browser import chromium, console_errors, demo_inbox, have_chromium, sign_in

pytestmark = pytest.mark.skipif(
    not have_chromium(),
    reason="needs Debian's chromium and chromium-driver (/usr/bin/chromium, "
    "/usr/bin/chromedriver); .ci/run installs them",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_inbox(tmp_path_factory.mktemp("browser")) as inbox:
        yield inbox


@pytest.fixture(scope="module")
def phone():
    with chromium() as driver:
        yield driver


def wait(driver, test, timeout=20):
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    # A page being replaced mid-check (the old <h1> gone stale, the new one not there yet)
    # is "not yet", not a failure.
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(driver, timeout, ignored_exceptions=ignored).until(lambda d: test(d))


def test_a_pages_acknowledge_link_on_a_phone(demo, phone):
    from selenium.webdriver.common.by import By

    from monitor.page.links import LinkSigner
    from tests.web.browser import SECRET

    link = demo.ack_links()[0]
    claim = LinkSigner(SECRET.encode()).verify(
        link.rsplit("/", 1)[1],
        "ack",
        recipients=[r.name for r in demo.config.responders],
        now=__import__("datetime").datetime.now(__import__("datetime").UTC),
    )
    phone.get(link)
    assert phone.execute_script("return window.innerWidth") == 390
    confirm = phone.find_element(By.ID, "confirm")
    assert confirm.text == f"Acknowledge as {claim.recipient}"
    with demo.store() as store:
        assert store.complaint(claim.complaint_id).status == "paged"  # opening did nothing
    confirm.click()
    wait(phone, lambda d: "is yours" in d.find_element(By.TAG_NAME, "h1").text)
    # Nothing is wider than the phone.
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 390
    with demo.store() as store:
        assert store.complaint(claim.complaint_id).acked_by == claim.recipient
    phone.find_element(By.LINK_TEXT, f"Open complaint {claim.complaint_id}").click()
    assert "/login?next=" in phone.current_url  # the complaint itself needs a login
    sign_in(phone, demo.url, claim.recipient)
    wait(
        phone, lambda d: f"Complaint {claim.complaint_id}" in d.find_element(By.TAG_NAME, "h1").text
    )
    assert f"acknowledged by {claim.recipient}" in phone.find_element(By.CLASS_NAME, "summary").text
    assert console_errors(phone) == []


def test_edit_a_draft_tick_steps_and_resolve(demo, phone):
    from selenium.webdriver.common.by import By

    with demo.store() as store:
        complaint = next(c for c in store.list_complaints(limit=None) if c.status == "paged")
    name = complaint.assignee
    phone.delete_all_cookies()
    sign_in(phone, demo.url, name)
    wait(phone, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Inbox")
    phone.find_element(By.CSS_SELECTOR, f'a[href="/c/{complaint.id}"]').click()
    wait(phone, lambda d: d.find_elements(By.ID, "draft"))

    box = phone.find_element(By.ID, "draft")
    box.clear()
    box.send_keys("Sorry for any inconvenience, it was due to the courier.")
    wait(phone, lambda d: "fauxpology" in d.find_element(By.ID, "findings-list").text)
    assert "excuse" in phone.find_element(By.ID, "findings-list").text
    box.clear()
    box.send_keys("We're sorry, that's on us. DM us your order number and we'll fix it today.")
    wait(phone, lambda d: "fauxpology" not in d.find_element(By.ID, "findings-list").text)
    phone.find_element(By.ID, "save").click()
    wait(phone, lambda d: "Draft saved" in d.find_element(By.CLASS_NAME, "said").text)

    phone.find_element(By.ID, "step-0").click()
    wait(
        phone, lambda d: f"done by {name}" in d.find_element(By.CSS_SELECTOR, "form.step .by").text
    )
    phone.refresh()
    assert phone.find_element(By.ID, "step-0").is_selected()

    phone.find_element(By.CSS_SELECTOR, "#resolve-box summary").click()
    for field, text in (
        ("note", "refunded"),
        ("cause", "label printer"),
        ("fix", "reshipped"),
        ("lesson", "check labels"),
    ):
        phone.find_element(By.ID, field).send_keys(text)
    phone.find_element(By.ID, "resolve").click()
    wait(phone, lambda d: "Resolved." in d.find_element(By.CLASS_NAME, "said").text)
    with demo.store() as store:
        done = store.complaint(complaint.id)
        assert (done.status, done.resolved_by, done.cause) == ("resolved", name, "label printer")
        assert done.public_draft.startswith("We're sorry, that's on us.")
        assert store.followup_ticks(complaint.id)[0].done
    assert console_errors(phone) == []


def test_the_keyboard_reaches_the_content_first(demo, phone):
    """Tab from the top: the skip link first, and it moves focus past the header to the
    inbox's search field; every control shows where focus is."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with demo.store() as store:
        name = store.list_complaints(limit=1)[0].assignee
    phone.delete_all_cookies()
    sign_in(phone, demo.url, name)
    wait(phone, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Inbox")
    body = phone.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = phone.switch_to.active_element
    assert focused.get_attribute("class") == "skip" and focused.is_displayed()
    focused.send_keys(Keys.ENTER)
    phone.switch_to.active_element.send_keys(Keys.TAB)
    assert phone.switch_to.active_element.get_attribute("id") == "q"
    outline = phone.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
