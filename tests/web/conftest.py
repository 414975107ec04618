"""The inbox against a real SQLite file, through Starlette's test client (HTTP-level)
or a real uvicorn on 127.0.0.1 (the browser tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from monitor.config import Config, parse_config
from monitor.core.models import Batch, Draft, Finding, Mention, Priority
from monitor.store import NewComplaint, Store
from monitor.web.app import create_app
from monitor.web.auth import hash_password
from monitor.web.site import Site
from monitor.web.stores import StorePool

SECRET = b"test-secret-0123456789abcdef0123456789"
PASSWORDS = {"Dana Kim": "correct horse battery", "Lee Park": "staple tiger lamp"}
CONFIG = """\
[[brands]]
name = "Acme"
keywords = ["acme"]

[[responders]]
name = "Dana Kim"
supervisor = "Lee Park"
[[responders.contacts]]
url = "terminal://"

[[responders]]
name = "Lee Park"
[[responders.contacts]]
url = "terminal://"

[web]
public_url = "{public_url}"
"""


def web_config(public_url: str = "http://testserver", extra: str = "") -> Config:
    return parse_config(CONFIG.format(public_url=public_url) + extra)


def open_complaint(
    store: Store,
    pid: str,
    *,
    text: str = "@acme my parcel never came and nobody answers",
    author: str = "maya",
    level: str = "P2",
    assignee: str = "Dana Kim",
    due_in: timedelta = timedelta(hours=4),
    now: datetime | None = None,
    url: str | None = None,
    platform: str = "x",
) -> int:
    now = now or datetime.now(UTC)
    saved = store.save_batch(
        Batch(
            source=platform,
            mentions=[
                Mention(
                    platform=platform,
                    platform_id=pid,
                    author=author,
                    text=text,
                    url=url if url is not None else f"https://x.com/{author}/status/{pid}",
                    created_at=now - timedelta(minutes=5),
                    brand="Acme",
                    reach=1200,
                )
            ],
        ),
        now=now,
    )
    return store.insert_complaint(
        NewComplaint(
            mention_id=saved.new_ids[0],
            priority=Priority(level=level, reasons=("1.2k followers", "score 0.91")),  # type: ignore[arg-type]
            category="delivery",
            category_label="late delivery",
            severity_cues=(),
            specifics={},
            assignee=assignee,
            assigned_why="default",
            chain=(assignee,),
            due_at=now + due_in,
            draft=Draft(
                category="delivery",
                public_reply="We're sorry your parcel hasn't arrived. Please DM us your order.",
                followup=["Find the order", "Call the courier", "Tell the customer"],
                due_minutes=240,
                checks=[Finding(code="no-name", message="sign the reply")],
            ),
            group_key=f"{platform}:{author}",
        ),
        now=now,
    )


@dataclass
class Inbox:
    client: TestClient
    site: Site
    path: Path

    def store(self) -> Store:
        return Store.open(self.path, create=False, upgrade=False)

    def login(self, name: str = "Dana Kim", client: TestClient | None = None) -> str:
        """Sign ``name`` in; returns the form token of their session."""
        client = client or self.client
        form = client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)
        done = client.post(
            "/login",
            data={"name": name, "password": PASSWORDS[name], "login_token": token, "next": "/"},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        return form_token(client.get("/").text)

    def another_client(self) -> TestClient:
        return TestClient(self.client.app, base_url="http://testserver")


def form_token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def make_site(path: Path, config: Config, **kwargs) -> Site:
    return Site(config=lambda: config, stores=StorePool(path), secret=SECRET, **kwargs)


@pytest.fixture(scope="session")
def password_hashes() -> dict[str, str]:
    """argon2 takes most of a second a hash here: hashed once for the whole session."""
    return {name: hash_password(password) for name, password in PASSWORDS.items()}


def add_accounts(path: Path, hashes: dict[str, str]) -> None:
    with Store.open(path) as store:
        for name, hashed in hashes.items():
            store.add_account(name, hashed, now=datetime.now(UTC))


@pytest.fixture
def inbox(tmp_path: Path, password_hashes: dict[str, str]) -> Iterator[Inbox]:
    path = tmp_path / "amends.db"
    add_accounts(path, password_hashes)
    site = make_site(path, web_config())
    with TestClient(create_app(site), base_url="http://testserver") as client:
        yield Inbox(client=client, site=site, path=path)
    site.stores.close()
