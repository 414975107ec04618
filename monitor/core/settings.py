"""The settings building blocks every config section and every source shares.

They live here, below ``sources`` and ``monitor.config``, so a source can declare
its own settings model (``sources.x.XSettings``) and the config can assemble the
``[sources]`` table from the platform registry without either reaching up.

Secrets never live in the file: a secret field holds ``${ENV_NAME}`` or
``${file:/path}``, resolved only when the secret is used (``reveal``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

REF = re.compile(r"\$\{([^}]+)\}")


class Strict(BaseModel):
    """Every section: unknown keys are errors, and a loaded config never changes."""

    # Validators are built when a section is first used, not at import: a command such
    # as ``amends draft`` touches a few of some twenty sections and starts 30 ms sooner.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- secrets ---------------------------------------------------------------------------


def resolve_refs(value: str) -> str:
    """Replace ``${NAME}`` with the environment variable and ``${file:PATH}`` with
    the file's stripped contents (systemd credentials, ``EnvironmentFile``).
    A reference to nothing (unset, empty, blank) is an error, not an empty secret."""

    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith("file:"):
            path = Path(ref[5:])
            try:
                value = path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(f"cannot read secret file {path}: {exc.strerror}") from None
            if not value:  # an empty credential fails later, at the platform, less clearly
                raise ValueError(f"secret file {path} is empty")
            return value
        if ref not in os.environ:
            raise ValueError(f"environment variable {ref} is not set")
        if not os.environ[ref].strip():
            raise ValueError(f"environment variable {ref} is set but empty")
        return os.environ[ref]

    return REF.sub(one, value)


def secret_ref(value: Any) -> Any:
    """A ``mode="before"`` validator for secret fields: a reference, never the secret."""
    if isinstance(value, SecretStr) or value is None:
        return value
    if not isinstance(value, str):
        raise ValueError("must be a string such as '${ENV_NAME}'")
    if not REF.search(value):
        raise ValueError(
            "secrets must not be written in the file; use '${ENV_NAME}' or '${file:/path}'"
        )
    return SecretStr(value)


def reveal(secret: SecretStr | None) -> str:
    """The real secret behind a ``${...}`` reference (raises ValueError if missing)."""
    return "" if secret is None else resolve_refs(secret.get_secret_value())


Secret = Annotated[SecretStr, Field(description="a ${ENV} or ${file:PATH} reference")]


# --- brands ----------------------------------------------------------------------------


class BrandSettings(Strict):
    name: str = Field(min_length=1)
    keywords: list[str] = []  # words and phrases, matched case-insensitively on word bounds
    handles: list[str] = []  # "@acme": mentions of these accounts
    hashtags: list[str] = []  # "#acme"
    exclude: list[str] = []  # phrases that make a match not about the brand ("acme anvil")
    support_link: str | None = None  # private channel named in the follow-up task

    @model_validator(mode="after")
    def _has_terms(self) -> BrandSettings:
        if not (self.keywords or self.handles or self.hashtags):
            raise ValueError("a brand needs at least one keyword, handle or hashtag")
        return self


# --- sources ---------------------------------------------------------------------------


class SourceSettings(Strict):
    """What every ``[sources.<platform>]`` table has; each source's model adds its own keys."""

    enabled: bool = False
    interval_seconds: int = Field(120, ge=10)


class SourcesSection(Strict):
    """``[sources]``: one table per registered platform.

    ``monitor.config`` subclasses this with a field per entry of
    ``sources.PLATFORMS``; code below the config asks it by platform name.
    """

    def of(self, name: str) -> SourceSettings:
        settings = dict(self).get(name)  # a model iterates as (field, value) pairs
        if not isinstance(settings, SourceSettings):
            raise KeyError(f"no source settings named {name!r}")
        return settings

    def enabled(self) -> list[str]:
        """The enabled platforms' names, in registry order."""
        return [name for name, s in self if isinstance(s, SourceSettings) and s.enabled]
