"""What the model judged each mention, and what people labelled it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from monitor.core.errors import StoreError
from monitor.core.models import Classification
from monitor.store.columns import iso
from monitor.store.connection import Connection
from monitor.store.mentions import LATEST_CLASSIFICATION

# A mention can be labelled again (a changed mind): the newest label counts.
LATEST_FEEDBACK = "select max(id) from feedback group by mention_id"


class ClassificationsMixin(Connection):
    def save_classifications(
        self, pairs: Iterable[tuple[int, Classification]], *, now: datetime
    ) -> None:
        rows = [
            {
                "mention_id": mention_id,
                "model": c.model,
                "model_version": c.model_version,
                "complaint": int(c.complaint),
                "complaint_score": round(c.complaint_score, 6),
                "sentiment": c.sentiment,
                "negative": round(c.sentiment_scores.get("negative", 0.0), 6),
                "neutral": round(c.sentiment_scores.get("neutral", 0.0), 6),
                "positive": round(c.sentiment_scores.get("positive", 0.0), 6),
                "classified_at": iso(now),
            }
            for mention_id, c in pairs
        ]
        with self._db.atomic():
            self._table("classifications").insert_all(rows)

    def latest_classification(self, mention_id: int) -> Classification:
        row = next(
            self._rows(
                "select * from classifications where mention_id = ? order by id desc limit 1",
                [mention_id],
            )
        )
        return Classification(
            complaint=bool(row["complaint"]),
            complaint_score=row["complaint_score"],
            sentiment=row["sentiment"],
            sentiment_scores={k: row[k] for k in ("negative", "neutral", "positive")},
            model=row["model"],
            model_version=row["model_version"],
        )

    # --- people's labels ---------------------------------------------------------------

    def add_feedback(self, mention_id: int, is_complaint: bool, by: str, *, now: datetime) -> None:
        if self._one("select 1 from mentions where id = ?", [mention_id]) is None:
            raise StoreError(f"no mention with id {mention_id}")
        with self._db.atomic():
            self._table("feedback").insert(
                {
                    "mention_id": mention_id,
                    "is_complaint": int(is_complaint),
                    "labelled_by": by,
                    "labelled_at": iso(now),
                }
            )

    def feedback_scores(self, brand: str | None = None) -> list[tuple[float, bool]]:
        """(latest complaint score, latest label) per labelled mention, optionally one brand."""
        sql = (
            "select c.complaint_score, f.is_complaint from feedback f"
            " join mentions m on m.id = f.mention_id"
            f" join classifications c on c.id = ({LATEST_CLASSIFICATION})"
            f" where f.id in ({LATEST_FEEDBACK})"
        )
        params: list[Any] = []
        if brand is not None:
            sql += " and m.brand = ?"
            params.append(brand)
        return [(score, bool(label)) for score, label in self._db.execute(sql, params)]

    def feedback_examples(self) -> list[tuple[str, bool]]:
        """The latest label per mention, with its text, for retraining."""
        rows = self._db.execute(
            "select m.text, f.is_complaint from feedback f join mentions m on m.id = f.mention_id"
            f" where f.id in ({LATEST_FEEDBACK}) order by f.id"
        ).fetchall()
        return [(text, bool(label)) for text, label in rows]
