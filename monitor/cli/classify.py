"""Classifier commands: classify, eval, train, label.

``amends classify`` is on the fast path: it must start in well under two
seconds, so nothing here imports torch or transformers at module level.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from monitor.cli.common import err_console, out_console, state, who
from monitor.cli.inputs import BadLine, Item, open_input, parse_lines
from monitor.core.errors import AmendsError

if TYPE_CHECKING:
    from monitor.classify.classifier import Classifier
    from monitor.config import ClassifierSettings

CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        envvar="AMENDS_CACHE_DIR",
        help="Where the ONNX encoder is built (default: general.cache_dir).",
    ),
]


class Format(StrEnum):
    text = "text"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    app.command("classify")(classify)
    app.command("eval")(evaluate)
    app.command("train")(train)
    app.command("label")(label)
    app.command("tune-threshold")(tune_threshold)
    app.command("build-model")(build_model)


def _settings(ctx: typer.Context, cache_dir: Path | None) -> tuple[ClassifierSettings, Path]:
    """The configured classifier, or the defaults when no config file is given."""
    from monitor.config import ClassifierSettings

    cli = state(ctx)
    cache_dir = cache_dir or cli.cache_dir  # the command's option, else the global one
    if cli.config_path is None:
        return ClassifierSettings(), (cache_dir or Path("~/.cache/amends")).expanduser()
    config = cli.config()
    return config.classifier, (cache_dir or config.general.cache_dir).expanduser()


def _load(ctx: typer.Context, cache_dir: Path | None, model: str | None = None) -> Classifier:
    from monitor.classify.classifier import load_classifier

    settings, cache = _settings(ctx, cache_dir)
    if model:
        settings = settings.model_copy(update={"model": model})
    return load_classifier(settings, cache)


def classify(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="File with one mention per line, or - for stdin.")
    ] = "-",
    fmt: Annotated[Format, typer.Option("--format", help="text, or jsonl with a 'text' field.")] = (
        Format.text
    ),
    cache_dir: CacheDir = None,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Leave out lines that are not UTF-8 or not valid JSONL (each named on "
            "stderr) instead of stopping at the first.",
        ),
    ] = False,
    model: Annotated[
        str | None,
        typer.Option(
            help="The classifier to run instead of the configured one: builtin, "
            "builtin-fast, a model directory or a hub id."
        ),
    ] = None,
) -> None:
    """Classify mentions: one JSON object per input line, in order, on stdout.

    Each object has complaint, complaint_score, sentiment and sentiment_scores. An empty
    line gives a non-complaint. Progress goes to stderr for large inputs. A bad line
    stops the run after everything before it is written (exit 2), unless --skip-bad.
    """
    stream = open_input(source)  # before the model loads: a typo fails at once
    classifier = _load(ctx, cache_dir, model)
    total = None if source == "-" else _count_lines(Path(source))
    where = "stdin" if source == "-" else source
    out, written, skipped = sys.stdout, 0, 0
    with stream, _progress(total) as advance:
        for chunk in _chunks(parse_lines(stream, jsonl=fmt is Format.jsonl)):
            if isinstance(chunk, BadLine):
                if not skip_bad:
                    raise AmendsError(
                        f"{where} line {chunk.number}: {chunk.reason}; the {written} line(s) "
                        "before it were classified and written (--skip-bad leaves such lines out)"
                    )
                err_console.print(
                    f"{where} line {chunk.number}: skipped, {chunk.reason}",
                    markup=False,
                    highlight=False,
                    soft_wrap=True,
                )
                skipped += 1
                continue
            results = classifier.classify([i.text for i in chunk], [i.brand for i in chunk])
            out.write("".join(_as_json(r) + "\n" for r in results))
            out.flush()
            written += len(chunk)
            advance(len(chunk))
    if skipped:
        err_console.print(f"{written} line(s) classified, {skipped} skipped", highlight=False)


def _chunks(items: Iterator[Item | BadLine]) -> Iterator[list[Item] | BadLine]:
    """Small first chunk for a fast first answer, then large ones for throughput; a bad
    line comes after the good lines before it."""
    size, chunk = 16, list[Item]()
    for item in items:
        if isinstance(item, BadLine):
            if chunk:
                yield chunk
                chunk = []
            yield item
            continue
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            size, chunk = 2048, []
    if chunk:
        yield chunk


def _as_json(result) -> str:
    return json.dumps(
        {
            "complaint": result.complaint,
            "complaint_score": round(result.complaint_score, 4),
            "sentiment": result.sentiment,
            "sentiment_scores": {k: round(v, 4) for k, v in result.sentiment_scores.items()},
        }
    )


def _count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh)


class _progress:
    """A rich progress bar on stderr when there are more than 2,000 lines to do."""

    def __init__(self, total: int | None) -> None:
        self._bar = None
        if total and total > 2000:
            from rich.progress import Progress

            self._bar = Progress(console=err_console, transient=True)
            self._task = self._bar.add_task("classifying", total=total)

    def __enter__(self):
        if self._bar is None:
            return lambda n: None
        self._bar.start()
        return lambda n: self._bar.advance(self._task, n)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def evaluate(
    ctx: typer.Context,
    data: Annotated[Path, typer.Argument(help="TweetEval folder, or CSV/JSONL with text,label.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    held_out: Annotated[
        bool,
        typer.Option(
            "--held-out",
            help="DATA is the complaints CSV (id,text,label,domain): score only the fixed "
            "20% test split that training never sees.",
        ),
    ] = False,
    cache_dir: CacheDir = None,
) -> None:
    """Accuracy, macro-F1, macro-recall and complaint precision/recall/F1 on labelled data."""
    import numpy as np

    from monitor.classify.labelled import SENTIMENTS, complaint_splits, read_any, read_complaints
    from monitor.classify.metrics import complaint_report, f1_intervals, sentiment_report

    settings, _ = _settings(ctx, cache_dir)
    if held_out:
        complaints = read_complaints(data)
        labelled = complaints.take(complaint_splits(complaints)["test"])
    else:
        labelled = read_any(data)
    classifier = _load(ctx, cache_dir)
    results = classifier.classify(labelled.texts)
    report: dict[str, dict] = {}
    if labelled.sentiment is not None:
        probs = np.array([[r.sentiment_scores[s] for s in SENTIMENTS] for r in results])
        report["sentiment"] = sentiment_report(np.array(labelled.sentiment), probs)
    if labelled.complaint is not None:
        scores = np.array([r.complaint_score for r in results])
        truth = np.array(labelled.complaint)
        report["complaint"] = complaint_report(truth, scores, settings.complaint_threshold)
        intervals = f1_intervals(truth, scores, settings.complaint_threshold)
        report["complaint"]["f1_95ci"] = list(intervals["f1"])
        report["complaint"]["macro_f1_95ci"] = list(intervals["macro_f1"])
    report["model"] = {"name": classifier.name, "version": classifier.version}
    if as_json:
        out_console.print_json(json.dumps(report))
        return
    for section, figures in report.items():
        out_console.print(f"[bold]{section}[/]")
        for key, value in figures.items():
            if isinstance(value, float):
                shown = f"{value:.4f}"
            elif isinstance(value, list):  # an interval
                shown = " to ".join(f"{bound:.4f}" for bound in value)
            else:
                shown = str(value)
            out_console.print(f"  {key:<14} {shown}", highlight=False)


def build_model(ctx: typer.Context, cache_dir: CacheDir = None) -> None:
    """Build the classifier's ONNX encoders into the cache dir, once per model version.

    `make install` and the systemd unit's ExecStartPre= run it, so `amends run` starts
    without building (a build needs torch and ~700 MB for about a minute). Nothing to do
    when the cache is up to date.
    """
    from monitor.classify.encoders import ensure_built, specs_for

    settings, cache = _settings(ctx, cache_dir)
    for spec in specs_for(settings, cache):
        path, built = ensure_built(spec, cache)
        out_console.print(
            f"{'built' if built else 'up to date'}: {path}", highlight=False, soft_wrap=True
        )


def train(
    ctx: typer.Context,
    data: Annotated[
        Path, typer.Option(help="Folder holding tweeteval-sentiment/ and complaints-acl2019/.")
    ] = Path("../shared/data"),
    feedback: Annotated[
        bool,
        typer.Option(help="Add the team's labels from the database; switch only if not worse."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Artifact to write (default: the packaged one, or the cache dir with --feedback)."
        ),
    ] = None,
    cache_dir: CacheDir = None,
    student: Annotated[
        str,
        typer.Option(
            help="Distil the tuned model into these of its six layers, e.g. 0,2,4,5: the "
            "builtin-fast model (about 45 minutes more)."
        ),
    ] = "",
    sentiment_rows: Annotated[
        int | None,
        typer.Option(
            min=1000,
            help="TweetEval train rows to learn sentiment from (default: the recipe's "
            "44,000; 16000 gives the former recipe).",
        ),
    ] = None,
    device: Annotated[
        str, typer.Option(help="Where the encoder trains: cpu, or cuda on a machine with a GPU.")
    ] = "cpu",
    teacher: Annotated[
        str,
        typer.Option(
            help="Distil this six-layer model into --student's layers instead of training "
            "one first: 'builtin' (the packaged model) or an artifact file (about 35 minutes).",
            show_default=False,
        ),
    ] = "",
) -> None:
    """Retrain the builtin classifier (about 95 minutes on two CPU cores; needs torch)."""
    from dataclasses import replace

    from monitor.classify.training import Recipe, retrain

    try:
        layers = tuple(sorted(int(part) for part in student.split(",") if part.strip()))
    except ValueError:
        raise AmendsError(
            f"--student takes layer numbers such as 0,2,4,5, not {student!r}"
        ) from None
    if any(not 0 <= n < 6 for n in layers) or len(set(layers)) != len(layers):
        raise AmendsError(f"--student takes distinct layers from 0 to 5, not {student!r}")

    _check_device(device)
    if teacher:
        _distil_only(data, teacher, layers, out, feedback, sentiment_rows, device)
        return
    _, cache = _settings(ctx, cache_dir)
    examples = None
    if feedback:
        store = state(ctx).open_store(readonly=True)
        try:
            examples = store.feedback_examples()
        finally:
            store.close()
        err_console.print(f"{len(examples)} labelled mentions from {store.path}")
    recipe = Recipe(student_layers=layers)
    if sentiment_rows is not None:
        recipe = replace(recipe, sentiment_rows=sentiment_rows)
    message = retrain(
        data, cache, examples, out, progress=err_console.print, recipe=recipe, device=device
    )
    out_console.print(message, highlight=False)


def _distil_only(
    data: Path,
    teacher: str,
    layers: tuple[int, ...],
    out: Path | None,
    feedback: bool,
    sentiment_rows: int | None,
    device: str,
) -> None:
    """``amends train --student L --teacher T``: only the distillation, from a model
    already trained, into ``out`` (default: the packaged builtin-fast)."""
    from monitor.classify.heads import PACKAGED
    from monitor.classify.training import distil_artifact, summary

    if not layers:
        raise AmendsError("--teacher distils a model: name the layers to keep with --student")
    if feedback or sentiment_rows is not None:
        raise AmendsError(
            "--teacher takes the model as it was trained: its own recipe and data decide, "
            "so not with --feedback or --sentiment-rows"
        )
    source = PACKAGED["builtin"] if teacher == "builtin" else Path(teacher)
    if not source.is_file():
        raise AmendsError(f"--teacher {teacher}: no such artifact file")
    target = out or PACKAGED["builtin-fast"]
    version, metrics = distil_artifact(
        data, source, target, layers, progress=err_console.print, device=device
    )
    out_console.print(f"wrote {target} (version {version}): {summary(metrics)}", highlight=False)


def _check_device(device: str) -> None:
    """A device torch cannot train on is named before the data is read."""
    import torch

    try:
        kind = torch.device(device).type
    except RuntimeError:
        raise AmendsError(f"--device {device!r}: not a device torch knows (cpu, cuda)") from None
    if kind == "cuda" and not torch.cuda.is_available():
        raise AmendsError(f"--device {device!r}: torch sees no CUDA GPU on this machine")
    if kind not in ("cpu", "cuda"):
        raise AmendsError(f"--device {device!r}: amends trains on cpu or cuda")


def label(
    ctx: typer.Context,
    item_id: Annotated[int, typer.Argument(help="The mention's id (`amends mentions`).")],
    verdict: Annotated[str, typer.Argument(help="complaint or not")],
    of_complaint: Annotated[
        bool,
        typer.Option(
            "--of-complaint", help="ITEM_ID is a complaint id, as in pages and `amends complaints`."
        ),
    ] = False,
    by: Annotated[str | None, typer.Option(help="Who labels (default: your login name).")] = None,
) -> None:
    """Record whether a mention really is a complaint; `amends train --feedback` learns it."""
    from monitor import act

    if verdict not in ("complaint", "not"):
        raise typer.BadParameter("must be 'complaint' or 'not'", param_hint="VERDICT")
    store = state(ctx).open_store()
    try:
        record = act.label_complaint if of_complaint else act.label
        done = record(store, item_id, verdict == "complaint", by=who(by), now=datetime.now(UTC))
    finally:
        store.close()
    out_console.print(f"mention {done.mention_id} labelled {verdict} by {done.by}", highlight=False)


def tune_threshold(
    ctx: typer.Context,
    brand: Annotated[
        str | None, typer.Option(help="Only this brand's labelled mentions (default: all).")
    ] = None,
) -> None:
    """Suggest a complaint threshold from the team's labels (`amends label`, `resolve
    --not-a-complaint`), with precision and recall now and at the suggestion.

    Labels come mostly from pages and near misses, so the figures describe the hard
    cases, not all traffic. Nothing changes until you put the line it prints in the
    config.
    """
    from monitor.classify.thresholds import advise
    from monitor.config import ClassifierSettings
    from monitor.core.errors import AmendsError

    cli = state(ctx)
    config = cli.config() if cli.config_path else None
    settings = config.classifier if config else ClassifierSettings()
    current = settings.brand_thresholds.get(brand or "", settings.complaint_threshold)
    store = cli.open_store(readonly=True, config=config)
    try:
        pairs = store.feedback_scores(brand)
    finally:
        store.close()
    advice = advise([s for s, _ in pairs], [y for _, y in pairs], current)
    scope = f"brand {brand!r}" if brand else "all brands"
    out_console.print(
        f"{advice.labels} labelled mentions for {scope}, {advice.complaints} of them complaints",
        highlight=False,
    )

    def line(name: str, at) -> None:
        out_console.print(
            f"  {name:<10} threshold {at.threshold:.2f}: precision {at.precision:.2f}, "
            f"recall {at.recall:.2f}, F1 {at.f1:.2f}",
            highlight=False,
        )

    line("now", advice.current)
    if advice.suggested is None:
        raise AmendsError(f"too few labels to suggest a threshold: {advice.needed}")
    line("suggested", advice.suggested)
    if advice.suggested.threshold == advice.current.threshold:
        out_console.print("The current threshold is already the best fit.")
    elif brand:
        out_console.print(
            f'Put in [classifier]: brand_thresholds = {{ "{brand}" = '
            f"{advice.suggested.threshold:.2f} }} (beside any other brands')",
            highlight=False,
        )
    else:
        out_console.print(
            f"Put in [classifier]: complaint_threshold = {advice.suggested.threshold:.2f}",
            highlight=False,
        )
