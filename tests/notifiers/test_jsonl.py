"""JsonlNotifier: one JSON object per page, appended to a local file."""

from __future__ import annotations

import json
from pathlib import Path

from notifiers import JsonlNotifier, OutgoingMessage

PAGE = "**P1 · delivery** on x by @dana\n\n> where is my order"


def message(url: str, title: str = "[P1] x @dana · delivery") -> OutgoingMessage:
    return OutgoingMessage(url=url, title=title, body=PAGE, body_format="markdown")


def test_jsonl_appends_one_object_per_page(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    notifier = JsonlNotifier()
    for i in range(3):
        assert notifier.send(message(f"file://{path}", title=f"page {i}")).ok
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["title"] for line in lines] == ["page 0", "page 1", "page 2"]
    assert json.loads(lines[0])["body"] == PAGE


def test_jsonl_unwritable_path_fails_with_detail(tmp_path: Path) -> None:
    result = JsonlNotifier().send(message(f"file://{tmp_path}/missing/dir/pages.jsonl"))
    assert not result.ok and "missing" in result.detail
