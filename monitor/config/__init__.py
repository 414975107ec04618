"""Config: the TOML schema, secrets, loading with file:line errors, and the masked view."""

from monitor.config.loading import Check, Loc, Problem, load_config, parse_config
from monitor.config.masked import masked
from monitor.config.schema import (
    CategorySettings,
    ClassifierSettings,
    Config,
    Contact,
    DeadlineSettings,
    DraftingSettings,
    GeneralSettings,
    PagingSettings,
    PrioritySettings,
    ResponderSettings,
    RotationSettings,
    RoutingRule,
    RoutingSettings,
    SourcesSettings,
)
from monitor.core.settings import (
    BrandSettings,
    Secret,
    SourceSettings,
    Strict,
    resolve_refs,
    reveal,
)
from sources.reddit import RedditSettings
from sources.x import XSettings

__all__ = [
    "BrandSettings",
    "CategorySettings",
    "Check",
    "ClassifierSettings",
    "Config",
    "Contact",
    "DeadlineSettings",
    "DraftingSettings",
    "GeneralSettings",
    "Loc",
    "PagingSettings",
    "PrioritySettings",
    "Problem",
    "RedditSettings",
    "ResponderSettings",
    "RotationSettings",
    "RoutingRule",
    "RoutingSettings",
    "Secret",
    "SourceSettings",
    "SourcesSettings",
    "Strict",
    "XSettings",
    "load_config",
    "masked",
    "parse_config",
    "resolve_refs",
    "reveal",
]
