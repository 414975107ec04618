"""Ticking follow-up steps off: kept, recorded with who and when, only real steps."""

from __future__ import annotations

import pytest

from monitor import act
from monitor.core.errors import AmendsError
from monitor.store import Store
from tests.act.test_complaints import NOW
from tests.web.conftest import open_complaint


def test_a_tick_is_kept_and_recorded(tmp_path):
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1", now=NOW)
        steps = store.complaint(cid).followup
        act.tick_followup(store, cid, 0, done=True, by="Dana Kim", now=NOW)
    with Store.open(tmp_path / "a.db") as store:  # across a restart
        assert store.followup_ticks(cid)[0].done
        last = store.events(cid)[-1]
        assert (last.event, last.by, last.detail) == (
            "follow-up done",
            "Dana Kim",
            {"step": 1, "text": steps[0]},
        )


@pytest.mark.parametrize("step", [-1, 99])
def test_no_such_step(tmp_path, step):
    with Store.open(tmp_path / "a.db") as store:
        cid = open_complaint(store, "1", now=NOW)
        with pytest.raises(AmendsError, match="follow-up step"):
            act.tick_followup(store, cid, step, done=True, by="Dana Kim", now=NOW)
