"""Configuration: one TOML file validated once into a frozen object.

Every problem is collected and reported at once, with the file, the key and,
where it can be found, the line. Secrets never live in the file: a secret
field holds ``${ENV_NAME}`` or ``${file:/path}``, resolved at load time.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from monitor.config.tomlpos import key_lines
from monitor.core.errors import ConfigError

_REF = re.compile(r"\$\{([^}]+)\}")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- secrets ---------------------------------------------------------------------------


def resolve_refs(value: str) -> str:
    """Replace ``${NAME}`` with the environment variable and ``${file:PATH}`` with
    the file's stripped contents (systemd credentials, ``EnvironmentFile``)."""

    def one(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref.startswith("file:"):
            path = Path(ref[5:])
            try:
                return path.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ValueError(f"cannot read secret file {path}: {exc.strerror}") from None
        if ref not in os.environ:
            raise ValueError(f"environment variable {ref} is not set")
        return os.environ[ref]

    return _REF.sub(one, value)


def _secret(value: Any) -> Any:
    if isinstance(value, SecretStr) or value is None:
        return value
    if not isinstance(value, str):
        raise ValueError("must be a string such as '${ENV_NAME}'")
    if not _REF.search(value):
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


class XSettings(Strict):
    enabled: bool = False
    interval_seconds: int = Field(120, ge=10)
    bearer_token: Secret | None = None
    base_url: str = "https://api.x.com"
    exclude_retweets: bool = True
    languages: list[str] = []  # adds lang: operators; empty = every language
    max_pages_per_poll: int = Field(5, ge=1, le=100)
    monthly_read_budget: int | None = Field(None, ge=1)  # posts read per calendar month
    timeout_seconds: float = Field(15.0, gt=0)
    max_results: int = Field(100, ge=10, le=100)  # posts per page (X allows 10-100)
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)  # a new query starts here
    usage_cap_reset_day: int = Field(1, ge=1, le=28)  # day of month the plan's cap resets

    _sec = field_validator("bearer_token", mode="before")(_secret)


class RedditSettings(Strict):
    enabled: bool = False
    interval_seconds: int = Field(120, ge=10)
    client_id: Secret | None = None
    client_secret: Secret | None = None
    user_agent: str = "linux:amends:0.1 (brand monitor)"
    subreddits: list[str] = []
    search_sitewide: bool = True
    oauth_url: str = "https://oauth.reddit.com"
    reddit_url: str = "https://www.reddit.com"
    timeout_seconds: float = Field(15.0, gt=0)
    requests_per_minute: int = Field(100, ge=1, le=100)  # Reddit's free OAuth limit is 100
    max_items_per_listing: int = Field(300, ge=25, le=1000)  # per poll, per listing
    first_poll_lookback_minutes: int = Field(60, ge=1, le=10_000)  # a new cursor starts here
    fetch_author_karma: bool = True  # one extra request per new matching author (cached)

    _sec = field_validator("client_id", "client_secret", mode="before")(_secret)


class SourcesSettings(Strict):
    x: XSettings = XSettings()
    reddit: RedditSettings = RedditSettings()


# --- classifier ------------------------------------------------------------------------


class ClassifierSettings(Strict):
    model: str = "builtin"  # "builtin", a local model directory, or a hub id
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
        if creds and ":" in creds.group(1) and not _REF.search(creds.group(1)):
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
    p1_cues: list[str] = ["legal", "safety", "outage"]
    p1_spread_per_hour: float = Field(200.0, gt=0)  # likes+reposts+replies per hour


class CategorySettings(Strict):
    key: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")  # a built-in key replaces that category
    label: str = Field(min_length=1)  # the problem in plain words, as drafts name it
    description: str = Field(min_length=1)  # one sentence the model compares complaints with
    examples: list[str] = []  # short complaint phrases of this kind
    cues: list[str] = []  # words or phrases that point here (case-insensitive, whole words)


class DraftingSettings(Strict):
    support_link: str | None = None  # default private channel when a brand names none
    categories: list[CategorySettings] = []  # team categories, added to the built-in ones
    templates_dir: Path | None = None  # <dir>/<platform>/<category>.j2 replace bundled ones
    templates: dict[str, list[str]] = {}  # inline variants: "x.delivery" = ["...", "..."]


class PagingSettings(Strict):
    sms_max_chars: int = Field(300, ge=60)
    digest: Literal["hourly", "daily"] = "daily"  # how often P3 complaints are mailed
    max_attempts: int = Field(5, ge=1)  # per contact, before falling back to the next
    group_window_minutes: int = Field(30, ge=1)  # same author/thread → one page
    spike_count: int = Field(5, ge=2)  # complaints on one brand+category ...
    spike_window_minutes: int = Field(10, ge=1)  # ... within this window = an incident


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

    def responder(self, name: str) -> ResponderSettings | None:
        return next((r for r in self.responders if r.name == name), None)

    def rotation(self, name: str) -> RotationSettings | None:
        return next((r for r in self.rotations if r.name == name), None)


# --- loading and checking --------------------------------------------------------------


def load_config(path: Path | str, *, check_env: bool = True) -> Config:
    """Read, validate and cross-check a config file; raise ConfigError with every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(["file not found"], str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read the file: {exc}"], str(path)) from None
    return parse_config(text, str(path), check_env=check_env)


def parse_config(text: str, source: str = "<config>", *, check_env: bool = True) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], source) from None
    lines = key_lines(text)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_explain(exc, lines, source), source) from None
    problems = _cross_check(config, check_env)
    if problems:
        raise ConfigError([_where(loc, lines, source) + msg for loc, msg in problems], source)
    return config


Loc = tuple[str | int, ...]
_SECRET_KEYS = {"url", "bearer_token", "client_id", "client_secret"}  # never echoed back


def _where(loc: Loc, lines: dict[Loc, int], source: str) -> str:
    line = None
    for cut in range(len(loc), 0, -1):  # the key itself, else its nearest table
        if loc[:cut] in lines:
            line = lines[loc[:cut]]
            break
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    return f"{source}:{line}: {key}: " if line else f"{source}: {key}: "


def _explain(exc: ValidationError, lines: dict[Loc, int], source: str) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        if err["type"] == "extra_forbidden":
            known = _fields_at(loc[:-1])
            guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = f" Did you mean '{guess[0]}'?" if guess else ""
            msg = f"unknown key '{loc[-1]}'.{hint}"
        elif err["type"] == "missing":
            msg = "required key is missing"
        else:
            msg = err["msg"].removeprefix("Value error, ")
            secretish = any(str(p) in _SECRET_KEYS for p in loc)
            if "input" in err and not isinstance(err["input"], dict | list) and not secretish:
                msg += f" (got {err['input']!r})"
        problems.append(_where(loc, lines, source) + msg)
    return problems


def _fields_at(loc: Loc) -> list[str]:
    """Field names of the model reached by ``loc`` from Config, for 'did you mean'."""
    model: Any = Config
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        inner = getattr(annotation, "__args__", None)
        model = inner[0] if inner else annotation
        if not isinstance(model, type) or not issubclass(model, BaseModel):
            return []
    return list(model.model_fields)


def _cross_check(config: Config, check_env: bool) -> list[tuple[Loc, str]]:
    """Checks that span sections: names that must exist, secrets that must resolve."""
    problems: list[tuple[Loc, str]] = []
    people = {r.name for r in config.responders}
    rotations = {r.name for r in config.rotations}
    for i, person in enumerate(config.responders):
        if person.supervisor and person.supervisor not in people:
            problems.append((("responders", i, "supervisor"), _unknown(person.supervisor, people)))
        for j, contact in enumerate(person.contacts):
            problems += _check_contact(contact, ("responders", i, "contacts", j, "url"), check_env)
    for j, contact in enumerate(config.general.admin_contacts):
        problems += _check_contact(contact, ("general", "admin_contacts", j, "url"), check_env)
    for i, rotation in enumerate(config.rotations):
        for member in rotation.members:
            if member not in people:
                problems.append((("rotations", i, "members"), _unknown(member, people)))
    targets = people | rotations
    for i, rule in enumerate(config.routing.rules):
        if rule.assign not in targets:
            problems.append((("routing", "rules", i, "assign"), _unknown(rule.assign, targets)))
    if config.routing.default and config.routing.default not in targets:
        problems.append((("routing", "default"), _unknown(config.routing.default, targets)))
    from monitor.respond.drafting import check_team_templates  # late: drafting imports this module

    problems += [(("drafting", "templates"), p) for p in check_team_templates(config.drafting)]
    if check_env:
        problems += _check_source_secrets(config)
    return problems


def _unknown(name: str, known: set[str]) -> str:
    guess = difflib.get_close_matches(name, sorted(known), n=1)
    return f"no responder or rotation named '{name}'." + (
        f" Did you mean '{guess[0]}'?" if guess else ""
    )


def _check_contact(contact: Contact, loc: Loc, check_env: bool) -> list[tuple[Loc, str]]:
    import logging

    import apprise

    raw = contact.url.get_secret_value()
    try:
        url = resolve_refs(raw) if check_env else _REF.sub("x", raw)
    except ValueError as exc:
        return [(loc, str(exc))]
    scheme = url.split("://", 1)[0].lower()
    if scheme in ("terminal", "file"):  # amends' own notifiers, not apprise's
        return []
    quiet = logging.getLogger("apprise")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # apprise logs the URL it cannot parse; we explain it
    try:
        usable = apprise.Apprise.instantiate(url, suppress_exceptions=True) is not None
    finally:
        quiet.setLevel(level)
    if not usable:
        return [(loc, f"apprise cannot use this URL (scheme '{scheme}://' or its format)")]
    return []


def _check_source_secrets(config: Config) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    wanted = {
        "x": ("bearer_token",),
        "reddit": ("client_id", "client_secret"),
    }
    for name, keys in wanted.items():
        settings = getattr(config.sources, name)
        if not settings.enabled:
            continue
        for key in keys:
            value = getattr(settings, key)
            loc: Loc = ("sources", name, key)
            if value is None:
                problems.append((loc, "required when the source is enabled"))
                continue
            try:
                reveal(value)
            except ValueError as exc:
                problems.append((loc, str(exc)))
    return problems


# --- showing ---------------------------------------------------------------------------


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
    secret_param = r"([?&](?:token|key|pass|password|apikey|secret)=)[^&]*"
    rest = re.sub(secret_param, r"\1***", rest, flags=re.I)
    return f"{scheme}://{rest}"
