"""A small database of known mentions, judgements and complaints, for the query tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.core.models import Batch, Classification, Draft, Mention, Priority
from monitor.store import NewComplaint, Resolution, Store

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Post:
    text: str
    platform: str = "x"
    brand: str = "Acme"
    author: str = "dana"
    hours_ago: float = 1
    reach: int = 10
    score: float | None = 0.1  # the model's complaint score; None: never judged
    complaint: str | None = None  # "new" | "paged" | "acknowledged" | "resolved"
    priority: str = "P2"
    category: str = "delivery"


POSTS = (
    Post("my refund is late again", complaint="paged", score=0.9, category="refund"),
    Post("where is my refund, order 1234", author="Sam", complaint="new", score=0.8,
         category="refund", priority="P1", hours_ago=3),
    Post("love the new grinder", platform="reddit", brand="Globex", hours_ago=5, reach=5000),
    Post("the lid of my kettle broke", complaint="resolved", score=0.95, hours_ago=30,
         category="product_defect"),
    Post("kettle arrived broken, box soaked", platform="reddit", complaint="acknowledged",
         score=0.85, hours_ago=50),
    Post("refunding is easy, thanks", score=0.45, hours_ago=70),  # a near miss
    Post("late delivery but friendly courier", score=0.3, hours_ago=200, brand="Globex"),
    Post("old news about kettles", score=None, hours_ago=24 * 400),
)  # fmt: skip


def fill(store: Store, posts: tuple[Post, ...] = POSTS) -> list[int]:
    """Store ``posts`` (ids 1.. in order), judge and open complaints as they say."""
    ids = []
    for n, post in enumerate(posts, 1):
        mention = Mention(
            platform=post.platform,
            platform_id=str(n),
            author=post.author,
            text=post.text,
            url=f"https://example.test/{n}",
            created_at=NOW - timedelta(hours=post.hours_ago),
            reach=post.reach,
            brand=post.brand,
            raw={"id": n},
        )
        [mention_id] = store.save_batch(Batch(source="t", mentions=[mention]), now=NOW).new_ids
        ids.append(mention_id)
        if post.score is not None:
            judged = Classification(
                complaint=post.complaint is not None,
                complaint_score=post.score,
                sentiment="negative",
                sentiment_scores={"negative": 0.7, "neutral": 0.2, "positive": 0.1},
                model="t",
                model_version="1",
            )
            store.save_classifications([(mention_id, judged)], now=NOW)
        if post.complaint is not None:
            _open(store, mention_id, post, opened=mention.created_at + timedelta(minutes=2))
    return ids


def _open(store: Store, mention_id: int, post: Post, *, opened: datetime) -> int:
    complaint_id = store.insert_complaint(
        NewComplaint(
            mention_id=mention_id,
            priority=Priority(level=post.priority, reasons=("test",)),  # type: ignore[arg-type]
            category=post.category,
            category_label=post.category.replace("_", " "),
            severity_cues=(),
            specifics={},
            assignee="Dana",
            assigned_why="test",
            chain=("Dana",),
            due_at=opened + timedelta(hours=1),
            draft=Draft(category=post.category, public_reply="Sorry", followup=[], due_minutes=60),
            group_key="k",
        ),
        now=opened,
    )
    steps = ("new", "paged", "acknowledged", "resolved")
    for step in steps[1 : steps.index(post.complaint or "new") + 1]:
        at = opened + timedelta(minutes={"paged": 1, "acknowledged": 20, "resolved": 200}[step])
        if step == "paged":
            store.mark_paged(complaint_id, now=at, next_escalation_at=None)
            continue
        resolution = Resolution(cause="Courier lost it", lesson="track parcels")
        store.set_status(
            complaint_id,
            step,
            by="Dana",
            now=at,
            resolution=resolution if step == "resolved" else None,
        )
    return complaint_id


def rerun_migration(
    store: Store, schema: Sequence[str], table: str, migration: Callable[[Any], None]
) -> None:
    """Undo a migration that made ``table`` and its triggers, then run it again on what
    ``store`` holds: how it fills the table for a database that already had rows."""
    with store.transaction():
        for statement in schema:
            if statement.startswith("create trigger"):
                store._db.execute(f"drop trigger {statement.split()[2]}")
        store._db.execute(f"drop table {table}")
        migration(store._db)


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "amends.db")
    fill(store)
    yield store
    store.close()
