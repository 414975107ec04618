"""Optional secrets in a source's table, refused when written out, without echoing them.

A secret field's own validator (``secret_ref``) refuses a written-out secret, but
check-config quotes the value it got unless the key is one of a descriptor's
required ``secret_keys``. An optional secret (Bluesky's app password, a Mastodon
instance's token) is therefore checked here first, at the table's level, where the
error carries the whole table and check-config quotes nothing.
"""

from __future__ import annotations

from typing import Any

from monitor.core.settings import REF


def refuse_written(data: Any, *keys: str) -> Any:
    """A ``model_validator(mode="before")`` body: ``data`` unchanged, or ValueError
    naming the first of ``keys`` that holds a plain string instead of a reference."""
    if not isinstance(data, dict):
        return data
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and not REF.search(value):
            raise ValueError(
                f"{key}: secrets must not be written in the file; "
                "use '${ENV_NAME}' or '${file:/path}'"
            )
    return data
