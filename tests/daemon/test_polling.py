"""poll_source: cursors from the real store, health, backoff, pauses, budget, alerts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fakes.platforms import NOW, X_TOKEN, XServer, problem
from monitor.core.errors import SourceError
from monitor.core.models import Batch, Mention
from monitor.core.settings import BrandSettings, SourceSettings
from monitor.daemon.polling import backoff, poll_source, status_rows
from monitor.store import Store
from sources.base import Source
from sources.x import XSettings, XSource

ACME = BrandSettings(name="Acme", keywords=["acme"])
SEARCH = "/2/tweets/search/recent"


@dataclass
class Alerts:
    sent: list[tuple[str, str]] = field(default_factory=list)

    def __call__(self, subject: str, body: str) -> None:
        self.sent.append((subject, body))

    @property
    def subjects(self) -> list[str]:
        return [s for s, _ in self.sent]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "amends.db")
    yield opened
    opened.close()


def x_source(server: XServer, token: str = X_TOKEN, **kw: object) -> XSource:
    settings = XSettings(enabled=True, base_url=server.url, timeout_seconds=2.0, **kw)  # type: ignore[arg-type]
    return XSource(settings, [ACME], token=token)


def poll_and_save(source: Source, store: Store, now: datetime, alerts: Alerts) -> Batch | None:
    batch = poll_source(source, store, now=now, alert=alerts)
    if batch is not None:
        store.save_batch(batch, now=now)
    return batch


def test_restart_resumes_from_the_stored_cursor(x_server: XServer, tmp_path: Path) -> None:
    alerts = Alerts()
    first = x_server.post("acme is down")
    store = Store.open(tmp_path / "a.db")
    batch = poll_and_save(x_source(x_server), store, NOW, alerts)
    assert batch is not None and [m.platform_id for m in batch.mentions] == [first]
    store.close()

    second = x_server.post("acme still down")
    store = Store.open(tmp_path / "a.db")  # a new process: new store, new source
    batch = poll_and_save(x_source(x_server), store, NOW + timedelta(minutes=3), alerts)
    store.close()

    assert batch is not None and [m.platform_id for m in batch.mentions] == [second]
    assert x_server.calls(SEARCH)[-1].params["since_id"] == first
    assert alerts.sent == []


def test_next_poll_time_is_respected_unless_forced(x_server: XServer, store: Store) -> None:
    source, alerts = x_source(x_server), Alerts()
    assert poll_and_save(source, store, NOW, alerts) is not None
    assert poll_and_save(source, store, NOW + timedelta(seconds=30), alerts) is None
    assert len(x_server.calls(SEARCH)) == 1
    assert poll_source(source, store, now=NOW + timedelta(seconds=30), force=True) is not None
    assert poll_and_save(source, store, NOW + timedelta(seconds=149), alerts) is None
    assert poll_and_save(source, store, NOW + timedelta(seconds=150), alerts) is not None
    health = store.source_health("x")
    assert health.next_poll_at == NOW + timedelta(seconds=270)


def test_401_pauses_until_the_config_changes(x_server: XServer, store: Store) -> None:
    alerts = Alerts()
    wrong = x_source(x_server, token="wrong")
    partial = poll_and_save(wrong, store, NOW, alerts)
    assert partial is not None and partial.mentions == []
    assert alerts.subjects == ["x is paused"]
    assert "bearer_token" in alerts.sent[0][1]

    later = NOW + timedelta(hours=3)
    assert poll_source(x_source(x_server, token="wrong"), store, now=later, force=True) is None
    assert len(x_server.calls(SEARCH)) == 1  # paused: no request, no repeated alert
    assert len(alerts.sent) == 1

    x_server.post("acme broke", minutes_ago=-179)  # a minute before `later`
    batch = poll_and_save(x_source(x_server), store, later, alerts)  # token fixed
    assert batch is not None and len(batch.mentions) == 1
    assert alerts.subjects[-1] == "x is working again"


def test_usage_cap_stops_x_until_next_month_and_alerts(x_server: XServer, store: Store) -> None:
    alerts = Alerts()
    body = problem(
        "UsageCapExceeded",
        "Usage cap exceeded: Monthly product cap",
        "https://api.twitter.com/2/problems/usage-capped",
        429,
    )
    x_server.fail(SEARCH, 429, body)
    source = x_source(x_server)
    poll_and_save(source, store, NOW, alerts)
    assert alerts.subjects == ["x stopped until 2026-12-01 00:00 UTC"]
    assert poll_and_save(source, store, NOW + timedelta(days=3), alerts) is None
    assert len(x_server.calls(SEARCH)) == 1
    assert poll_and_save(source, store, datetime(2026, 12, 1, 0, 1, tzinfo=UTC), alerts)
    assert len(x_server.calls(SEARCH)) == 2


def test_read_budget_warns_at_80_percent_and_stops_at_the_budget(
    x_server: XServer, store: Store
) -> None:
    alerts = Alerts()
    source = x_source(x_server, monthly_read_budget=60, max_results=10)
    start = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # near a month's end
    before = (NOW - start) / timedelta(minutes=1)  # minutes_ago for posts at `start`
    for i in range(50):
        x_server.post(f"acme complaint {i}", minutes_ago=before + 1)
    batch = poll_and_save(source, store, start, alerts)
    assert batch is not None and batch.reads == 50
    assert alerts.subjects == ["x has used 83 % of its monthly read budget"]

    for i in range(15):
        x_server.post(f"acme more {i}", minutes_ago=before - 4)
    batch = poll_and_save(source, store, start + timedelta(minutes=5), alerts)
    assert batch is not None and batch.reads == 10  # the allowance, not the 15 available
    assert alerts.subjects[-1] == "x stopped: monthly read budget spent"
    calls = len(x_server.calls(SEARCH))
    assert poll_and_save(source, store, start + timedelta(minutes=10), alerts) is None
    assert len(x_server.calls(SEARCH)) == calls
    assert len(alerts.sent) == 2

    batch = poll_and_save(source, store, datetime(2026, 12, 1, 0, 5, tzinfo=UTC), alerts)
    assert batch is not None and batch.reads == 5  # the rest of the gap, nothing skipped
    rows = status_rows(store)["spend"]
    assert [(r["month"], r["reads"], r["stopped"]) for r in rows] == [
        ("2026-12", 5, False),
        ("2026-11", 60, True),
    ]


def test_allowance_limits_the_pages_of_one_poll(x_server: XServer, store: Store) -> None:
    source = x_source(x_server, monthly_read_budget=25, max_results=10)
    for i in range(40):
        x_server.post(f"acme complaint {i}")
    batch = poll_and_save(source, store, NOW, Alerts())
    # 5 reads left is less than X's smallest page: stop at 20, never read all 40.
    assert batch is not None and batch.reads == 20
    assert [c.params["max_results"] for c in x_server.calls(SEARCH)] == ["10", "10"]


# --- health, with a scripted source ----------------------------------------------------------


@dataclass
class ScriptedSource:
    """Answers each poll with the next scripted batch size or exception."""

    script: list[int | Exception]
    name: str = "demo"
    settings: SourceSettings = field(default_factory=SourceSettings)
    config_fingerprint: str = "scripted"

    def poll(self, cursors: Mapping[str, str], *, now: datetime) -> Batch:
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        mentions = [
            Mention(
                platform="demo",
                platform_id=f"{now.timestamp()}-{i}",
                author="a",
                text="acme",
                url="https://example",
                created_at=now,
            )
            for i in range(step)
        ]
        return Batch(source=self.name, mentions=mentions, cursors={"all": now.isoformat()})

    def describe_queries(self) -> list[str]:
        return ["scripted"]

    def close(self) -> None:
        pass


def test_failures_back_off_exponentially_with_jitter_and_alert_after_an_hour(
    store: Store,
) -> None:
    alerts = Alerts()
    source = ScriptedSource([SourceError("X server error 503")] * 8 + [1])
    now = NOW
    waits = []
    for _ in range(8):
        poll_source(source, store, now=now, alert=alerts, rng=lambda: 1.0)
        health = store.source_health("demo")
        assert health.next_poll_at is not None
        waits.append((health.next_poll_at - now).total_seconds())
        now = health.next_poll_at
    assert waits == [120, 240, 480, 960, 1920, 3600, 3600, 3600]
    assert alerts.subjects == ["demo has been failing for an hour"]
    assert "503" in alerts.sent[0][1]
    poll_source(source, store, now=now, alert=alerts)
    assert alerts.subjects[-1] == "demo is working again"
    health = store.source_health("demo")
    assert (health.failures, health.failing_since, health.last_error) == (
        0,
        None,
        "X server error 503",
    )


def test_a_failed_poll_returns_what_it_read_and_counts_its_reads(store: Store) -> None:
    read = ScriptedSource([2]).poll({}, now=NOW)
    partial = Batch(source="demo", mentions=read.mentions, cursors={"all": "half"}, reads=7)
    source = ScriptedSource([SourceError("page 3 failed", partial=partial, reads=7)])
    assert poll_source(source, store, now=NOW) is partial
    assert store.source_health("demo").last_error == "page 3 failed"
    assert [(s.source, s.reads) for s in store.all_source_spend()] == [("demo", 7)]


def test_backoff_jitter_stays_within_the_upper_half() -> None:
    interval = timedelta(seconds=120)
    assert backoff(1, interval, lambda: 0.0) == timedelta(seconds=60)
    assert backoff(3, interval, lambda: 0.5) == timedelta(seconds=360)
    assert backoff(30, interval, lambda: 1.0) == timedelta(hours=1)


def test_a_source_silent_far_longer_than_usual_alerts_once(store: Store) -> None:
    alerts = Alerts()
    source = ScriptedSource([2, 1, 3, 2] + [0] * 40)
    now = NOW
    for _ in range(4):  # a mention every 10 minutes
        poll_source(source, store, now=now, alert=alerts)
        now += timedelta(minutes=10)
    now += timedelta(hours=5)
    poll_source(source, store, now=now, alert=alerts)
    assert alerts.sent == []  # 5 h quiet: under the 6 h floor
    now += timedelta(hours=2)
    poll_source(source, store, now=now, alert=alerts)
    assert alerts.subjects == ["demo has been silent for 7.2 h"]
    poll_source(source, store, now=now + timedelta(minutes=10), alert=alerts)
    assert len(alerts.sent) == 1
    health = store.source_health("demo")
    assert health.mentions_fetched == 8


def test_status_rows_show_health(store: Store) -> None:
    poll_source(ScriptedSource([3]), store, now=NOW)
    poll_source(ScriptedSource([SourceError("boom")], name="other"), store, now=NOW)
    rows = {r["source"]: r for r in status_rows(store, now=NOW)["health"]}
    assert rows["demo"]["state"] == "ok" and rows["demo"]["mentions_fetched"] == 3
    assert rows["demo"]["last_success"] == "2026-11-23 12:00:00"
    assert rows["other"]["state"] == "failing (1)" and rows["other"]["last_error"] == "boom"
