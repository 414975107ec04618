"""Which parts of a contact URL hold a secret written out in the file.

apprise declares each service's URL parts as data, marking the secret ones
``private`` (a password, ntfy's ``tk_…`` token in the user part, a Telegram
bot token, a Discord webhook token). We parse the URL with the service's own
parser, references swapped for a placeholder, and every private part that
does not come from a ``${…}`` reference is a secret in the file. Query
parameters with a secret's name (``?token=``, ``?apikey=``, ``?pass=``) count
too, for every scheme.
"""

from __future__ import annotations

from typing import Any

from monitor.core.settings import REF

_PLACEHOLDER = "amendsref"  # survives every apprise parser: plain lower-case letters
# Query parameters that carry a credential whatever the service (the masked view hides
# them too).
SECRET_PARAMS = frozenset(
    {
        "access_token",
        "apikey",
        "api_key",
        "key",
        "pass",
        "password",
        "pw",
        "secret",
        "token",
        "webhook_token",
    }
)


def written_secrets(url: str) -> list[str]:
    """The names of the URL's parts that hold a secret written out; [] when none."""
    probe = REF.sub(_PLACEHOLDER, url)
    found = [
        f"?{name}="
        for name, value in _query(probe).items()
        if name.lower() in SECRET_PARAMS and _written(value)
    ]
    plugin = _plugin(probe)
    if plugin is None:
        return found
    parsed = plugin.parse_url(probe) or {}
    for name in _private_parts(plugin):
        if _written(parsed.get(name)) and f"?{name}=" not in found:
            found.append(name)
    return found


def _written(value: Any) -> bool:
    """A non-empty value that does not come from a reference."""
    if isinstance(value, list | tuple):
        return any(_written(v) for v in value)
    return isinstance(value, str) and bool(value.strip()) and _PLACEHOLDER not in value


def _query(url: str) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    try:
        return dict(parse_qsl(urlsplit(url).query))
    except ValueError:
        return {}


def _plugin(url: str) -> Any:
    """apprise's class for the URL's scheme, or None (amends' own schemes, unknown ones)."""
    from apprise.plugins import N_MGR

    scheme = url.split("://", 1)[0].lower()
    return N_MGR[scheme] if scheme in N_MGR else None  # noqa: SIM401 (it has no .get)


def _private_parts(plugin: Any) -> set[str]:
    """The parsed keys apprise marks private, aliases followed; a password always is."""
    names = {"password"}
    tokens = getattr(plugin, "template_tokens", {})
    args = getattr(plugin, "template_args", {})
    for declared in (tokens, args):
        for name, spec in declared.items():
            alias = spec.get("alias_of")  # "?token=" is an alias of the token part
            target = (tokens.get(alias) or args.get(alias) or spec) if alias else spec
            if target.get("private"):
                names.update({name, alias or name, target.get("map_to") or name})
    return names
