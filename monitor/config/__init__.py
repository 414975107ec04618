"""Config: the TOML schema, secrets, loading with file:line errors, and the masked view."""

from monitor.config.schema import *  # noqa: F403
from monitor.config.schema import _REF, _secret  # noqa: F401
