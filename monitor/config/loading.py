"""Loading a config file: every problem at once, with the file, the key and,
where it can be found, the line.

Validation is the schema's; this module reads the file, explains pydantic's
errors in the operator's words ("unknown key 'intervall'. Did you mean
'interval_seconds'?"), and runs the checks that span sections. Checks that need
a later stage (the drafting templates) are passed in by the caller.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, SecretStr, ValidationError

from monitor.config.schema import Config, Contact
from monitor.config.tomlpos import key_lines
from monitor.config.urls import written_secrets
from monitor.core.errors import ConfigError
from monitor.core.settings import REF, resolve_refs, reveal
from sources import PLATFORMS

Loc = tuple[str | int, ...]  # a key's path: ("responders", 0, "contacts", 1, "url")
Problem = tuple[Loc, str]
Check = Callable[[Config], list[Problem]]  # an extra check: where and what is wrong


def load_config(
    path: Path | str, *, check_env: bool = True, checks: Sequence[Check] = ()
) -> Config:
    """Read, validate and cross-check a config file; raise ConfigError with every problem.

    ``checks`` are the caller's own (the CLI passes the drafting template check),
    so that the config never imports the stages that use it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(["file not found"], str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"cannot read the file: {exc}"], str(path)) from None
    return parse_config(text, str(path), check_env=check_env, checks=checks)


def parse_config(
    text: str,
    source: str = "<config>",
    *,
    check_env: bool = True,
    checks: Sequence[Check] = (),
) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"not valid TOML: {exc}"], source) from None
    lines = key_lines(text)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_located(_explain(exc), lines, source), source) from None
    problems = _cross_check(config, check_env, checks)
    if problems:
        raise ConfigError(_located(problems, lines, source), source)
    return config


def _secret_fields(model: type[BaseModel]) -> set[str]:
    """Names of the fields typed ``Secret`` in ``model`` and in the models it holds
    (a list of instances, each with its token)."""
    names: set[str] = set()
    for name, field in model.model_fields.items():
        todo, seen = [field.annotation], []
        while todo:
            kind = todo.pop()
            seen.append(kind)
            todo += get_args(kind)
        if SecretStr in seen:
            names.add(name)
        for kind in seen:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                names |= _secret_fields(kind)
    return names


# Never echoed back in a problem: the drafting model's address (it could carry a login)
# and every field typed as a secret, contact URLs and every source's tokens included
# (``Config.sources`` holds each platform's settings).
_SECRET_KEYS = {"llm_url"} | _secret_fields(Config)


def _located(problems: list[Problem], lines: dict[Loc, int], source: str) -> list[str]:
    """Each problem as "file:line: key: message", in the order they appear in the file
    (those without a line, such as a missing section, first)."""
    order = sorted(problems, key=lambda problem: _line(problem[0], lines) or 0)
    return [_where(loc, lines, source) + msg for loc, msg in order]


def _line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for cut in range(len(loc), 0, -1):  # the key itself, else its nearest table
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _where(loc: Loc, lines: dict[Loc, int], source: str) -> str:
    line = _line(loc, lines)
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    return f"{source}:{line}: {key}: " if line else f"{source}: {key}: "


def _explain(exc: ValidationError) -> list[Problem]:
    problems: list[Problem] = []
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
            shown = repr(err.get("input"))
            plain_value = "input" in err and not isinstance(err["input"], dict | list)
            if plain_value and not secretish and shown not in msg:  # said once, not twice
                msg += f" (got {shown})"
        problems.append((loc, msg))
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


def _cross_check(config: Config, check_env: bool, checks: Sequence[Check]) -> list[Problem]:
    """Checks that span sections: names that must exist, the caller's ``checks``,
    secrets that must resolve."""
    problems: list[Problem] = []
    people = {r.name for r in config.responders}
    rotations = {r.name for r in config.rotations}
    for i, person in enumerate(config.responders):
        if person.supervisor and person.supervisor not in people:
            problems.append((("responders", i, "supervisor"), _unknown(person.supervisor, people)))
        if not person.contacts:  # their pages, P1 included, would reach nobody
            problems.append(
                (("responders", i, "contacts"), f"{person.name} has no contact to page")
            )
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
    for check in checks:
        problems += check(config)
    if check_env:
        problems += _check_source_secrets(config)
        problems += _check_secrets_resolve(config.drafting, ("drafting",))
    return problems


def _unknown(name: str, known: set[str]) -> str:
    guess = difflib.get_close_matches(name, sorted(known), n=1)
    return f"no responder or rotation named '{name}'." + (
        f" Did you mean '{guess[0]}'?" if guess else ""
    )


def _check_contact(contact: Contact, loc: Loc, check_env: bool) -> list[Problem]:
    import logging

    import apprise

    raw = contact.url.get_secret_value()
    written = written_secrets(raw)
    if written:
        return [
            (
                loc,
                f"a secret is written out in this URL ({', '.join(written)}); "
                "use '${ENV_NAME}' or '${file:/path}' there",
            )
        ]
    try:
        url = resolve_refs(raw) if check_env else REF.sub("secret", raw)  # any word will do
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


def _check_source_secrets(config: Config) -> list[Problem]:
    """Each enabled source's required secrets (its descriptor's ``secret_keys``) are set,
    and every secret it sets, optional ones included, resolves: an unset variable behind
    an optional app password fails here, not at the first poll."""
    problems: list[Problem] = []
    for name in config.sources.enabled():
        settings = config.sources.of(name)
        for key in PLATFORMS[name].secret_keys:
            if getattr(settings, key) is None:
                problems.append((("sources", name, key), "required when the source is enabled"))
        problems += _check_secrets_resolve(settings, ("sources", name))
    return problems


def _check_secrets_resolve(settings: BaseModel, loc: Loc) -> list[Problem]:
    """Every secret set in ``settings`` resolves (its variable or file exists)."""
    problems: list[Problem] = []
    for place, value in _set_secrets(settings, loc):
        try:
            reveal(value)
        except ValueError as exc:
            problems.append((place, str(exc)))
    return problems


def _set_secrets(value: Any, loc: Loc) -> list[tuple[Loc, SecretStr]]:
    """Every secret set in ``value`` (a settings model, a list of them), with its place."""
    if isinstance(value, SecretStr):
        return [(loc, value)]
    if isinstance(value, BaseModel):
        return [
            found
            for key in type(value).model_fields
            for found in _set_secrets(getattr(value, key), (*loc, key))
        ]
    if isinstance(value, list | tuple):
        return [found for i, item in enumerate(value) for found in _set_secrets(item, (*loc, i))]
    return []
