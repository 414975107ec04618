"""Editing a reply draft: checked like a generated one, the old words in the history."""

from __future__ import annotations

import pytest

from monitor import act
from monitor.core.errors import AmendsError
from monitor.store import Store
from tests.act.test_complaints import NOW, open_complaint


def test_an_edited_draft_is_checked_and_stored_with_its_findings(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1")
        findings = act.edit_draft(
            store, cid, "Sorry for any inconvenience.\r\n", by="Dana Kim", now=NOW
        )
        assert "fauxpology" in {f.code for f in findings}
        complaint = store.complaint(cid)
        assert complaint.public_draft == "Sorry for any inconvenience."
        assert complaint.draft_checks == findings
        assert store.events(cid)[-1].event == "draft edited"
        assert store.events(cid)[-1].by == "Dana Kim"


def test_checking_a_draft_stores_nothing(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1")
        before = store.complaint(cid).public_draft
        assert act.check_draft(store, cid, "Not our fault, due to the courier.")
        assert store.complaint(cid).public_draft == before


@pytest.mark.parametrize("text", ["   ", "x" * 5001])
def test_an_empty_or_huge_draft_is_refused(tmp_path, text):
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1")
        with pytest.raises(AmendsError):
            act.edit_draft(store, cid, text, by="Dana Kim", now=NOW)
