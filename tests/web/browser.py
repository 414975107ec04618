"""A real inbox for a real browser: the demo's sample through the pipeline into a
database, served by uvicorn on 127.0.0.1, and Debian's Chromium driven by Selenium.

Used by the browser tests and by ``make screenshots`` (``python -m tests.web.screenshots``).
The model is replaced by fixed scores (praise is not a complaint, the rest is), so
the data is the demo's without loading the classifier.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from fakes.receivers import free_port
from monitor.config import Config
from monitor.core.models import Classification
from monitor.daemon.demo import demo_config, demo_sources
from monitor.daemon.demo_run import quiet_notifiers, run_demo
from monitor.daemon.pipeline import Pipeline
from monitor.daemon.runtime import Runtime, build_runtime
from monitor.page.sender import Deliverer, NotifierFactory
from monitor.respond.analysis import category_set
from monitor.respond.drafting import load_templates
from monitor.store import Store
from monitor.web.auth import hash_password
from monitor.web.server import WebServer
from monitor.web.site import Site
from monitor.web.stores import StorePool

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SECRET = "browser-test-secret-0123456789abcdef"
PASSWORD = "correct horse battery"
PHONE = (390, 844)
DESKTOP = (1280, 800)
_PRAISE = re.compile(r"\b(love|loving|thanks|thank you|great|brilliant|best|amazing)\b", re.I)


class SampleScores:
    """Stands in for the model: praise is not a complaint, anything else is."""

    name, version = "sample", "browser"

    def classify(self, texts: Sequence[str], brands: Sequence[str | None] | None = None):
        return [
            Classification(
                complaint=not _PRAISE.search(text),
                complaint_score=0.2 if _PRAISE.search(text) else 0.85,
                sentiment="positive" if _PRAISE.search(text) else "negative",
                sentiment_scores={"negative": 0.8, "neutral": 0.1, "positive": 0.1},
                model=self.name,
                model_version=self.version,
            )
            for text in texts
        ]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors from each text's hash: drafting may ask, and gets no meaning."""
        rows = (
            np.array(
                [np.frombuffer(hashlib.sha256(t.encode()).digest(), dtype=np.uint8) for t in texts],
                dtype=np.float32,
            )
            - 127.5
        )
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


class _Quiet:
    def stage(self, description: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


def sample_runtime(config: Config, store: Store, notifier_for: NotifierFactory) -> Runtime:
    """The daemon's long-lived parts with ``SampleScores`` for the model."""
    pipeline = Pipeline(
        config=config,
        store=store,
        classifier=SampleScores(),
        categories=category_set(config.drafting, None),
        templates=load_templates(config.drafting),
    )
    deliverer = Deliverer(store, config, notifier_for)
    return Runtime(config=config, store=store, pipeline=pipeline, deliverer=deliverer)


@dataclass
class DemoInbox:
    url: str
    db: Path
    pages: list[dict]  # what the demo's file notifier received, one page a line
    config: Config

    def store(self) -> Store:
        return Store.open(self.db, create=False, upgrade=False)

    def ack_links(self) -> list[str]:
        found = []
        for page in self.pages:
            found += re.findall(rf"{re.escape(self.url)}/a/[A-Za-z0-9_-]{{32}}", page["body"])
        return found


@contextmanager
def demo_inbox(where: Path, *, real_model: bool = False) -> Iterator[DemoInbox]:
    """The demo's pages and database, with the inbox serving them; logins for every
    responder (password ``PASSWORD``). ``real_model``: judged and drafted by the packaged
    model, as ``make demo`` does (the screenshots), instead of ``SampleScores``."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    before = os.environ.get("AMENDS_WEB_SECRET")
    os.environ["AMENDS_WEB_SECRET"] = SECRET  # pages are rendered with links in them
    try:
        with _served(where, port, url, real_model) as inbox:
            yield inbox
    finally:
        if before is None:
            os.environ.pop("AMENDS_WEB_SECRET", None)
        else:
            os.environ["AMENDS_WEB_SECRET"] = before


@contextmanager
def _served(where: Path, port: int, url: str, real_model: bool) -> Iterator[DemoInbox]:
    base = demo_config(where / "pages.jsonl")
    web = base.web.model_copy(update={"public_url": url, "port": port, "enabled": True})
    config = base.model_copy(update={"web": web})
    db = where / "amends-demo.db"
    if real_model:
        cache = Path(os.environ.get("AMENDS_CACHE_DIR", "~/.cache/amends")).expanduser()
        runtime = build_runtime(config, db, cache)
        runtime.deliverer.notifier_for = quiet_notifiers()
    else:
        runtime = sample_runtime(config, Store.open(db), quiet_notifiers())
    store = runtime.store
    run_demo(runtime, demo_sources(config), now=datetime.now(UTC), progress=_Quiet())
    hashed = hash_password(PASSWORD)
    for person in config.responders:
        store.add_account(person.name, hashed, now=datetime.now(UTC))
    store.close()
    pages = [json.loads(line) for line in (where / "pages.jsonl").read_text().splitlines()]
    server = WebServer(Site(config=lambda: config, stores=StorePool(db), secret=SECRET.encode()))
    server.start()
    assert server.wait_started(), "uvicorn did not start"
    try:
        yield DemoInbox(url=url, db=db, pages=pages, config=config)
    finally:
        server.stop()


def have_chromium() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@contextmanager
def chromium(size: tuple[int, int] = PHONE) -> Iterator:
    """Headless Chromium at ``size``, its console kept for the tests to read."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="amends-chromium-") as profile:
        for flag in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--window-size={size[0]},{size[1]}",
        ):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            # The viewport, not the window, is what the page lays out in.
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": size[0], "height": size[1], "deviceScaleFactor": 1, "mobile": False},
            )
            yield driver
        finally:
            driver.quit()


def sign_in(driver, url: str, name: str) -> None:
    """Fill the login form: the one on screen (it goes back where it was sent from), else
    a fresh one."""
    from selenium.webdriver.common.by import By

    if "/login" not in driver.current_url:
        driver.get(f"{url}/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button").click()


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
