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
from typing import IO, TYPE_CHECKING, Annotated

import typer

from monitor.cli.common import err_console, out_console, state, who

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


def _settings(ctx: typer.Context, cache_dir: Path | None) -> tuple[ClassifierSettings, Path]:
    """The configured classifier, or the defaults when no config file is given."""
    from monitor.config import ClassifierSettings

    cli = state(ctx)
    cache_dir = cache_dir or cli.cache_dir  # the command's option, else the global one
    if cli.config_path is None:
        return ClassifierSettings(), (cache_dir or Path("~/.cache/amends")).expanduser()
    config = cli.config()
    return config.classifier, (cache_dir or config.general.cache_dir).expanduser()


def _load(ctx: typer.Context, cache_dir: Path | None) -> Classifier:
    from monitor.classify.classifier import load_classifier

    return load_classifier(*_settings(ctx, cache_dir))


def classify(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(help="File with one mention per line, or - for stdin.")
    ] = "-",
    fmt: Annotated[Format, typer.Option("--format", help="text, or jsonl with a 'text' field.")] = (
        Format.text
    ),
    cache_dir: CacheDir = None,
) -> None:
    """Classify mentions: one JSON object per input line, in order, on stdout.

    Each object has complaint, complaint_score, sentiment and sentiment_scores. An empty
    line gives a non-complaint. Progress goes to stderr for large inputs.
    """
    classifier = _load(ctx, cache_dir)
    stream = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    total = None if source == "-" else _count_lines(Path(source))
    out = sys.stdout
    with stream, _progress(total) as advance:
        for texts, brands in _chunks(stream, fmt):
            results = classifier.classify(texts, brands)
            out.write("".join(_as_json(r) + "\n" for r in results))
            out.flush()
            advance(len(texts))


def _chunks(stream: IO[str], fmt: Format) -> Iterator[tuple[list[str], list[str | None]]]:
    """Small first chunk for a fast first answer, then large ones for throughput."""
    size, texts, brands = 16, [], []
    for line in stream:
        text, brand = _parse(line.rstrip("\n"), fmt)
        texts.append(text)
        brands.append(brand)
        if len(texts) >= size:
            yield texts, brands
            size, texts, brands = 2048, [], []
    if texts:
        yield texts, brands


def _parse(line: str, fmt: Format) -> tuple[str, str | None]:
    if fmt is Format.text or not line.strip():
        return line, None
    obj = json.loads(line)
    return str(obj.get("text") or ""), obj.get("brand")


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
) -> None:
    """Retrain the builtin classifier (minutes on a CPU; needs torch)."""
    from monitor.classify.training import retrain

    _, cache = _settings(ctx, cache_dir)
    examples = None
    if feedback:
        store = state(ctx).open_store(readonly=True)
        try:
            examples = store.feedback_examples()
        finally:
            store.close()
        err_console.print(f"{len(examples)} labelled mentions from {store.path}")
    message = retrain(data, cache, examples, out, progress=err_console.print)
    out_console.print(message, highlight=False)


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
