"""``amends draft`` and ``amends check-reply``: try drafting and the checker by hand."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.common import out_console, state
from monitor.core.models import Analysis, Classification, Mention, Priority

if TYPE_CHECKING:
    from monitor.config import Config


def _brand(text: str, config: Config | None) -> str | None:
    """The configured brand the post is about, as the daemon would match it (its name is
    then never the thing the draft echoes)."""
    if config is None:
        return None
    from sources.matching import BrandMatcher

    return BrandMatcher(config.brands).match(text)


def _platform(value: str) -> str:
    """A registered platform; none given, the registry's first. The registry (every
    source's settings model, pydantic) loads here, when a draft command runs: at
    import it would slow every other command's start."""
    from sources import PLATFORMS

    if not value:
        return next(iter(PLATFORMS))
    if value not in PLATFORMS:
        raise typer.BadParameter(f"'{value}' is not one of {', '.join(PLATFORMS)}")
    return value


def _priority(mention: Mention, analysis: Analysis, config: Config | None) -> Priority:
    """The real priority rule with a neutral complaint score (no classifier run here);
    P2 unless the cues say otherwise."""
    from monitor.config import PrioritySettings
    from monitor.respond.priority import prioritise

    settings = config.priority if config else PrioritySettings()
    neutral = Classification(
        complaint=True,
        complaint_score=0.75,
        sentiment="negative",
        sentiment_scores={"negative": 1.0, "neutral": 0.0, "positive": 0.0},
        model="cli",
        model_version="-",
    )
    return prioritise(mention, neutral, analysis, settings, now=mention.created_at)


def draft(
    ctx: typer.Context,
    text: Annotated[str, typer.Option("--text", help="The complaint, as posted.")],
    author: Annotated[str, typer.Option("--author", help="Handle, without @ or u/.")],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            help="Where it was posted: a platform of [sources] in config.toml "
            "(default: the first there).",
            metavar="PLATFORM",
            callback=_platform,
            show_default=False,
        ),
    ] = "",
    sign_as: Annotated[
        str | None,
        typer.Option("--sign-as", help="Signature (default: the first responder in the config)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    no_model: Annotated[
        bool,
        typer.Option(
            "--no-model", help="Categorise by cue words only (skips loading the encoder)."
        ),
    ] = False,
    no_llm: Annotated[
        bool,
        typer.Option(
            "--no-llm", help="Don't ask the team's model ([drafting] llm_url) to reword the draft."
        ),
    ] = False,
) -> None:
    """Draft a public reply and a follow-up task for one complaint (config optional)."""
    from rich.markup import escape

    from monitor.config import (
        ClassifierSettings,
        DeadlineSettings,
        DraftingSettings,
        GeneralSettings,
    )
    from monitor.respond.analysis import analyse, category_set
    from monitor.respond.drafting import author_name, draft_for, load_templates
    from monitor.respond.rewrite import MODEL_REWRITE

    if not text.strip():
        raise typer.BadParameter(
            "is empty: give the complaint as it was posted", param_hint="--text"
        )
    try:
        author = author_name(platform, author)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--author") from None
    cli = state(ctx)
    # Drafting needs no secrets: a config whose tokens are not in this shell still works.
    config = cli.config(check_env=False) if cli.config_path else None
    drafting = config.drafting if config else DraftingSettings()
    deadlines = config.deadlines if config else DeadlineSettings()
    signature = sign_as or (config.responders[0].sign_as if config else "(your name)")
    link = drafting.support_link or next(
        (b.support_link for b in (config.brands if config else []) if b.support_link), None
    )
    embedder, prototypes = None, None
    if not no_model:
        # The daemon's encoder (ONNX, int8, from the cache; built there once if missing):
        # no torch, so a draft takes about a second, not fifteen. The categories'
        # embeddings are kept beside it: the same hundred-odd texts every time.
        from monitor.classify.embedding import drafting_embedder
        from monitor.classify.encoders import base_spec
        from monitor.classify.remembered import Remembered

        settings = config.classifier if config else ClassifierSettings()
        cache = (
            cli.cache_dir or (config.general if config else GeneralSettings()).cache_dir
        ).expanduser()
        embedder = drafting_embedder(cache, settings.threads)
        prototypes = Remembered(embedder, cache, base_spec().path(cache).name)
    mention = Mention(
        platform=platform,
        author=author,
        text=text,
        url="",
        platform_id=hashlib.sha256(text.encode()).hexdigest()[:16],
        created_at=datetime.now(UTC),
        brand=_brand(text, config),
    )
    analysis = analyse(mention, embedder=embedder, categories=category_set(drafting, prototypes))
    priority = _priority(mention, analysis, config)
    templates = load_templates(drafting)
    if no_llm:
        templates = replace(templates, rewriter=None)
    result = draft_for(
        mention,
        analysis,
        priority,
        signature=signature,
        support_link=link,
        deadlines=deadlines,
        templates=templates,
    )
    note = next((f.message for f in result.checks if f.code == MODEL_REWRITE), None)
    if as_json:
        data = asdict(result) | {
            "reworded_by_model": note is not None,
            "category_label": analysis.category_label,
            "specifics": analysis.specifics,
            "severity_cues": list(analysis.severity_cues),
            "priority": priority.level,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = out_console
    out.print(
        f"[bold]category[/] {analysis.category} ({analysis.category_label}); "
        f"{priority.describe()}; due in {result.due_minutes} min",
        highlight=False,
    )
    if analysis.specifics:
        out.print(
            "specifics: " + ", ".join(f"{k}={v}" for k, v in analysis.specifics.items()),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    out.print("\n[bold]public reply[/]")
    out.print(result.public_reply, markup=False, highlight=False, soft_wrap=True)
    found = [f for f in result.checks if f.code != MODEL_REWRITE]
    for finding in found:
        # A finding may quote the reply, whose words may be the model's: never markup.
        out.print(
            f"  [red]✗ {escape(finding.code)}[/] {escape(finding.message)}",
            highlight=False,
            soft_wrap=True,
        )
    if not found:
        out.print("  [green]✓ passes the reply checker[/]")
    if note:
        out.print(f"  ✎ {note}", markup=False, highlight=False, soft_wrap=True)
    elif templates.rewriter is not None:
        out.print(
            "  the team's model was asked; its wording was not used (-v says why)",
            highlight=False,
        )
    out.print("\n[bold]follow-up[/]")
    for n, step in enumerate(result.followup, 1):
        out.print(f"{n}. {step}", markup=False, highlight=False, soft_wrap=True)


def check_reply_cmd(
    text: Annotated[str, typer.Argument(help="The reply to check.")],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            help="Where it will be posted: a platform of [sources] in config.toml "
            "(default: the first there).",
            metavar="PLATFORM",
            callback=_platform,
            show_default=False,
        ),
    ] = "",
    complaint: Annotated[
        str | None,
        typer.Option(
            "--complaint",
            help="The complaint it answers: also flags what the reply claims that the "
            "complaint does not say, and a reply that uses none of its words.",
        ),
    ] = None,
) -> None:
    """Check a reply against the guidance; exit 1 if anything is found."""
    from monitor.respond.checker import check_reply

    findings = check_reply(text, platform=platform, complaint=complaint)
    for finding in findings:
        out_console.print(
            f"✗ {finding.code}: {finding.message}", markup=False, highlight=False, soft_wrap=True
        )
    if findings:
        raise typer.Exit(1)
    out_console.print("✓ no problems found", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("draft")(draft)
    app.command("check-reply")(check_reply_cmd)
