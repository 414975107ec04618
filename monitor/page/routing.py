"""Ownership: exactly one responder per complaint, and who comes after them.

Rules are checked in order; the first whose every given field matches wins.
A rule (or the default) names a responder or a rotation; a rotation resolves
to whoever is on call, or, with ``balance_load``, to the on-duty member with
the fewest open complaints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from monitor.config import Config, RoutingRule
from monitor.page.oncall import in_working_hours, on_call


@dataclass(frozen=True, slots=True, kw_only=True)
class RoutingFacts:
    brand: str | None
    platform: str
    category: str
    language: str | None
    priority: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    responder: str
    why: str  # "rule 2 → rotation 'support' (on call)"
    chain: tuple[str, ...]  # owner first, then backup, then supervisor: the escalation path


def _matches(rule: RoutingRule, facts: RoutingFacts) -> bool:
    wanted = {
        "brand": rule.brand,
        "platform": rule.platform,
        "category": rule.category,
        "language": rule.language,
        "priority": rule.priority,
    }
    for key, value in wanted.items():
        if value is None:
            continue
        actual = getattr(facts, key)
        if actual is None or str(actual).lower() != value.lower():
            return False
    return True


def assign(
    config: Config,
    facts: RoutingFacts,
    *,
    now: datetime,
    open_counts: Mapping[str, int] | None = None,
) -> Assignment:
    target, why = None, "first responder (no rule matched, no default)"
    for number, rule in enumerate(config.routing.rules, start=1):
        if _matches(rule, facts):
            target, why = rule.assign, f"rule {number}"
            break
    else:
        if config.routing.default:
            target, why = config.routing.default, "default route"
    if target is None:
        target = config.responders[0].name
    rotation = config.rotation(target)
    if rotation is None:
        return Assignment(responder=target, why=why, chain=escalation_chain(config, target, None))
    owner = on_call(rotation, now)
    if config.routing.balance_load and open_counts is not None:
        on_duty = [
            name
            for name in rotation.members
            if (person := config.responder(name)) and in_working_hours(person, now)
        ]
        if on_duty:
            owner = min(on_duty, key=lambda name: (open_counts.get(name, 0), name != owner))
            why += f" → rotation '{rotation.name}' (fewest open)"
            return Assignment(
                responder=owner, why=why, chain=escalation_chain(config, owner, rotation.members)
            )
    why += f" → rotation '{rotation.name}' (on call)"
    return Assignment(
        responder=owner, why=why, chain=escalation_chain(config, owner, rotation.members)
    )


def escalation_chain(config: Config, owner: str, members: list[str] | None) -> tuple[str, ...]:
    """Owner, then the next rotation member as backup, then the owner's supervisor."""
    chain = [owner]
    if members and len(members) > 1:
        backup = members[(members.index(owner) + 1) % len(members)] if owner in members else None
        if backup and backup not in chain:
            chain.append(backup)
    person = config.responder(owner)
    if person and person.supervisor and person.supervisor not in chain:
        chain.append(person.supervisor)
    return tuple(chain)
