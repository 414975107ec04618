"""The configuration's sections, validated once into a frozen ``Config``.

Every section forbids unknown keys. The building blocks sources share (the strict
base, secrets, brands, a source's common keys) live in ``monitor.core.settings``;
each platform's own table is declared by its source, and ``[sources]`` has one
table per entry of ``sources.PLATFORMS``. Loading and explaining errors is
``monitor.config.loading``; the masked view is ``monitor.config.masked``.
"""

# Pydantic copies a field's default for each instance; ruff cannot see that these
# models are pydantic's once their base (Strict) is imported from another module.
# ruff: noqa: RUF012

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, create_model, field_validator, model_validator

from monitor.core.settings import REF, BrandSettings, Secret, SourcesSection, Strict, secret_ref
from sources import PLATFORMS

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# --- sources ---------------------------------------------------------------------------


def _sources_table() -> type[SourcesSection]:
    """``[sources]`` with one table per registered platform, in registry order."""
    tables: dict[str, Any] = {name: (p.settings, p.settings()) for name, p in PLATFORMS.items()}
    return create_model("SourcesSettings", __base__=SourcesSection, __module__=__name__, **tables)


if TYPE_CHECKING:  # the tables are only known at run time; code asks .of(name)
    SourcesSettings = SourcesSection
else:
    SourcesSettings = _sources_table()


# --- classifier ------------------------------------------------------------------------


class ClassifierSettings(Strict):
    # "builtin", "builtin-fast" (a distilled four-layer student), a local model
    # directory, or a hub id
    model: str = "builtin"
    complaint_threshold: float = Field(0.5, gt=0, lt=1)
    brand_thresholds: dict[str, float] = {}  # per brand, tuned from team feedback
    batch_size: int = Field(32, ge=1, le=1024)
    threads: int = Field(2, ge=1, le=64)
    label_map: dict[str, Literal["negative", "neutral", "positive"]] = {}


# --- people ----------------------------------------------------------------------------


class Contact(Strict):
    url: SecretStr  # an apprise URL; may contain ${ENV} references for passwords/tokens
    tags: list[str] = []  # "phone", "email", "push"

    @field_validator("url", mode="before")
    @classmethod
    def _url(cls, value: Any) -> Any:
        if not isinstance(value, str) or "://" not in value:
            raise ValueError("must be an apprise URL such as 'mailto://...' or 'ntfy://host/topic'")
        # A password or token written out in the URL is a secret in the file.
        creds = re.match(r"^[a-z0-9+.-]+://([^/@?#]+)@", value, re.I)
        if creds and ":" in creds.group(1) and not REF.search(creds.group(1)):
            raise ValueError("the password in this URL must be '${ENV_NAME}', not written out")
        return SecretStr(value)


def _clock(value: str) -> tuple[int, int]:
    hours, _, minutes = value.partition(":")
    h, m = int(hours), int(minutes or 0)
    if not (0 <= h <= 24 and 0 <= m < 60):
        raise ValueError
    return h, m


class ResponderSettings(Strict):
    name: str = Field(min_length=1)
    signature: str | None = None  # how replies are signed; defaults to the first name
    contacts: list[Contact] = []
    supervisor: str | None = None  # another responder's name
    timezone: str = "UTC"
    working_hours: str = "09:00-17:00"
    working_days: list[str] = ["mon", "tue", "wed", "thu", "fri"]

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        try:
            start, end = value.split("-")
            _clock(start), _clock(end)
        except ValueError:
            raise ValueError("must look like '09:00-17:30'") from None
        return value

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        bad = [d for d in value if d.lower()[:3] not in _WEEKDAYS]
        if bad:
            raise ValueError(f"unknown weekday(s) {bad}; use mon, tue, ... sun")
        return [d.lower()[:3] for d in value]

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return _check_timezone(value)

    @property
    def sign_as(self) -> str:
        return self.signature or self.name.split()[0]


def _check_timezone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (use e.g. 'Europe/London')") from None
    return value


class RotationSettings(Strict):
    name: str = Field(min_length=1)
    members: list[str] = Field(min_length=1)  # responder names, in on-call order
    handoff: str = "09:00"  # local time at which on-call passes to the next member
    timezone: str = "UTC"
    shift_days: int = Field(7, ge=1)
    start: str = "2026-01-05"  # a date on which members[0] took the first shift

    @field_validator("handoff")
    @classmethod
    def _handoff(cls, value: str) -> str:
        try:
            _clock(value)
        except ValueError:
            raise ValueError("must look like '09:00'") from None
        return value

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        from datetime import date

        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError("must be a date like '2026-01-05'") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return _check_timezone(value)


class RoutingRule(Strict):
    brand: str | None = None
    platform: str | None = None
    category: str | None = None
    language: str | None = None
    priority: Literal["P1", "P2", "P3"] | None = None
    assign: str  # a responder or a rotation name


class RoutingSettings(Strict):
    default: str | None = None  # responder or rotation when no rule matches
    balance_load: bool = False  # among a rotation's on-duty members, fewest open first
    rules: list[RoutingRule] = []


class DeadlineSettings(Strict):
    p1_minutes: int = Field(30, ge=1, le=1440)
    p2_minutes: int = Field(240, ge=1, le=1440)
    p3_minutes: int = Field(1440, ge=1, le=1440)
    ack_p1_minutes: int = Field(10, ge=1)
    ack_p2_minutes: int = Field(60, ge=1)


class PrioritySettings(Strict):
    p1_score: float = Field(0.9, gt=0, le=1)  # complaint score that alone makes P1 with reach
    p3_score: float = Field(0.65, gt=0, le=1)  # below this a complaint is low priority
    p1_reach: int = Field(10_000, ge=0)  # followers/karma that make a complaint urgent
    p1_cues: list[str] = ["legal", "safety", "welfare", "outage"]
    p1_spread_per_hour: float = Field(200.0, gt=0)  # likes+reposts+replies per hour


class CategorySettings(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")  # a built-in key replaces that category
    label: str = Field(min_length=1)  # the problem in plain words, as drafts name it
    description: str = Field(min_length=1)  # one sentence the model compares complaints with
    examples: list[str] = []  # short complaint phrases of this kind
    cues: list[str] = []  # words or phrases that point here (case-insensitive, whole words)


def _http_address(value: str | None, what: str, example: str) -> str | None:
    """An http(s) URL with a host and at most a plain path (no login, query or fragment),
    without its trailing slash."""
    if value is None:
        return None
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~\-/]*)?", value):
        raise ValueError(f"must be an http(s) {what} such as '{example}'")
    return value.rstrip("/")


class DraftingSettings(Strict):
    support_link: str | None = None  # default private channel when a brand names none
    categories: list[CategorySettings] = []  # team categories, added to the built-in ones
    templates_dir: Path | None = None  # <dir>/<platform>/<category>.j2 replace bundled ones
    templates: dict[str, list[str]] = {}  # inline variants: "x.delivery" = ["...", "..."]
    # The team's own language model rewrites each draft; the checker still decides.
    llm_url: str | None = None  # OpenAI-compatible base URL, e.g. "http://127.0.0.1:11434/v1"
    llm_model: str = ""  # the model it serves, e.g. "llama3.2:3b"
    llm_timeout_seconds: float = Field(5.0, gt=0, le=60)  # then the grounded draft is used
    llm_api_key: Secret | None = None  # a ${ENV} reference; sent as a Bearer token

    _key = field_validator("llm_api_key", mode="before")(secret_ref)

    @field_validator("llm_url")
    @classmethod
    def _llm_url(cls, value: str | None) -> str | None:
        # Never echoed in an error (loading's secret keys): it could hold a login.
        if value is not None and "@" in value:
            raise ValueError("no credentials in the URL; use llm_api_key = '${ENV_NAME}'")
        return _http_address(value, "base URL", "http://127.0.0.1:11434/v1")

    @model_validator(mode="after")
    def _llm_model_named(self) -> DraftingSettings:
        if self.llm_url is not None and not self.llm_model.strip():
            raise ValueError("llm_model is required with llm_url (the model the endpoint serves)")
        return self


class PagingSettings(Strict):
    sms_max_chars: int = Field(300, ge=60)
    digest: Literal["hourly", "daily"] = "daily"  # how often P3 complaints are mailed
    max_attempts: int = Field(5, ge=1)  # per contact, before falling back to the next
    group_window_minutes: int = Field(30, ge=1)  # same author/thread → one page
    spike_count: int = Field(5, ge=2)  # complaints on one brand+category ...
    spike_window_minutes: int = Field(10, ge=1)  # ... within this window = an incident
    # Sends under way at once. A crash repeats the sends under way, so 1 means at most one
    # duplicate page per crash; more lets one slow service not hold up the others.
    parallel_sends: int = Field(1, ge=1, le=32)


class WebSettings(Strict):
    """The responder inbox (``amends run`` serves it when enabled; ``amends serve`` alone)."""

    enabled: bool = False
    listen: str = "127.0.0.1"  # behind the team's reverse proxy; not on every interface
    port: int = Field(8080, ge=1, le=65535)
    public_url: str | None = None  # what people open; every link is built from it
    trusted_proxies: list[str] = ["127.0.0.1", "::1"]  # X-Forwarded-* honoured from these
    trusted_user_header: str | None = None  # e.g. "X-Remote-User", set by the proxy's login
    session_hours: int = Field(12, ge=1, le=24 * 30)
    link_hours: int = Field(24, ge=1, le=24 * 7)  # how long a page's links work

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        return _http_address(value, "address", "https://amends.example.com")

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: list[str]) -> list[str]:
        import ipaddress

        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

    @property
    def base_url(self) -> str:
        host = f"[{self.listen}]" if ":" in self.listen else self.listen
        return self.public_url or f"http://{host}:{self.port}"


class GeneralSettings(Strict):
    database: Path = Path("amends.db")
    cache_dir: Path = Path("~/.cache/amends")
    admin_contacts: list[Contact] = []  # where source outages and failing contacts go


class Config(Strict):
    general: GeneralSettings = GeneralSettings()
    brands: list[BrandSettings] = Field(min_length=1)
    sources: SourcesSettings = SourcesSettings()
    classifier: ClassifierSettings = ClassifierSettings()
    responders: list[ResponderSettings] = Field(min_length=1)
    rotations: list[RotationSettings] = []
    routing: RoutingSettings = RoutingSettings()
    deadlines: DeadlineSettings = DeadlineSettings()
    priority: PrioritySettings = PrioritySettings()
    drafting: DraftingSettings = DraftingSettings()
    paging: PagingSettings = PagingSettings()
    web: WebSettings = WebSettings()

    def responder(self, name: str) -> ResponderSettings | None:
        return next((r for r in self.responders if r.name == name), None)

    def rotation(self, name: str) -> RotationSettings | None:
        return next((r for r in self.rotations if r.name == name), None)
