"""What a reload (SIGHUP) may change in a running daemon, and what waits for a restart.

Brands, sources, responders, rotations, routing, deadlines, priority, drafting,
paging and the classifier's thresholds take effect at once. The database file,
the model cache and the model itself (with its batch size, threads and label
map) were opened at start: a reload keeps the running ones and says so.
"""

from __future__ import annotations

import logging

from monitor.config import Config

logger = logging.getLogger(__name__)

# (section, key): settings a running daemon cannot swap; `amends run` opened them at start.
RESTART_ONLY = (
    ("general", "database"),
    ("general", "cache_dir"),
    ("classifier", "model"),
    ("classifier", "batch_size"),
    ("classifier", "threads"),
    ("classifier", "label_map"),
)


def pending_restart(running: Config, loaded: Config) -> list[str]:
    """The restart-only keys whose value differs, as "section.key"."""
    return [
        f"{section}.{key}"
        for section, key in RESTART_ONLY
        if getattr(getattr(running, section), key) != getattr(getattr(loaded, section), key)
    ]


def reloadable(running: Config, loaded: Config) -> Config:
    """``loaded`` with the restart-only keys set back to the running values, logging each."""
    changed = pending_restart(running, loaded)
    for name in changed:
        logger.warning("reload: %s changed; it takes effect when amends restarts", name)
    if not changed:
        return loaded
    sections = {}
    for section in {s for s, _ in RESTART_ONLY}:
        kept = {
            key: getattr(getattr(running, section), key) for s, key in RESTART_ONLY if s == section
        }
        sections[section] = getattr(loaded, section).model_copy(update=kept)
    return loaded.model_copy(update=sections)
