"""The effective config for ``amends config``: defaults filled in, secrets masked."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from monitor.config.schema import Config
from monitor.config.urls import SECRET_PARAMS

_SECRET_PARAM = re.compile(r"([?&](?:" + "|".join(sorted(SECRET_PARAMS)) + r")=)[^&]*", re.I)


def masked(config: Config) -> dict[str, Any]:
    """The effective config as plain data, every secret shown only as its reference
    with any credential inside a URL masked."""

    def walk(value: Any) -> Any:
        if isinstance(value, SecretStr):
            return _mask_text(value.get_secret_value())
        if isinstance(value, BaseModel):
            return {k: walk(getattr(value, k)) for k in type(value).model_fields}
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        if isinstance(value, Path):
            return str(value)
        return value

    return walk(config)


def _mask_text(value: str) -> str:
    # References are not secrets, but a URL may still carry a token in its path or query.
    if "://" not in value:
        return value
    scheme, rest = value.split("://", 1)
    rest = re.sub(r"^[^/@]+@", lambda m: "***@" if "${" not in m.group(0) else m.group(0), rest)
    rest = _SECRET_PARAM.sub(r"\1***", rest)
    return f"{scheme}://{rest}"
