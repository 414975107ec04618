"""What every command shares: the app, global options, config and store access."""

from __future__ import annotations

import getpass
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console
from rich.text import Text

from monitor.core.errors import AmendsError, ConfigError

if TYPE_CHECKING:
    from monitor.config import Config
    from monitor.store import Store

app = typer.Typer(
    name="amends",
    help="Watch social media for complaints about your brand and page the person who owns them.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help and usage errors: typer's rich formatter costs 0.2-0.3 s of imports
    # (markdown, pygments, attrs) on every --help, and reads "[sources]" in a help
    # text as markup.
    rich_markup_mode=None,
)
err_console = Console(stderr=True, soft_wrap=True)  # one line per problem, for grep
out_console = Console(soft_wrap=True)  # a summary line stays one line when piped


@dataclass
class CliState:
    config_path: Path | None
    db_path: Path | None
    cache_dir: Path | None = None

    def model_cache(self, config) -> Path:
        return (self.cache_dir or Path(config.general.cache_dir)).expanduser()

    def config(self, *, check_env: bool = True, path: Path | None = None) -> Config:
        """The checked config (``path``, else --config), team templates included
        (imported lazily so `amends classify` starts fast)."""
        from monitor.config import load_config
        from monitor.respond.drafting import check_templates

        target = path or self.config_path
        if target is None:
            raise ConfigError(
                [
                    "no configuration given: pass --config PATH or set AMENDS_CONFIG "
                    "(copy config.toml from the project as a start)"
                ]
            )
        return load_config(target, check_env=check_env, checks=(check_templates,))

    def database(self, config: Config | None = None) -> Path:
        if self.db_path is not None:
            return self.db_path
        if config is not None:
            return Path(config.general.database).expanduser()
        return Path("amends.db")

    def open_store(self, *, readonly: bool = False, config: Config | None = None) -> Store:
        """The database every command uses: --db, else the config's, else ./amends.db.
        The config is read only when it decides (no --db) and was not passed in.
        It must exist and be current: only run, demo and migrate create or upgrade one."""
        from monitor.store import Store

        if config is None and self.db_path is None and self.config_path is not None:
            config = self.config()
        return Store.open(self.database(config), readonly=readonly, create=False, upgrade=False)


@app.callback()
def _global(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option("--config", "-c", envvar="AMENDS_CONFIG", help="Config file (TOML)."),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option("--db", envvar="AMENDS_DB", help="SQLite database file (overrides config)."),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="AMENDS_CACHE_DIR",
            help="Where the fast classifier build is cached (overrides config).",
        ),
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logging.")] = 0,
) -> None:
    setup_logging(verbose)
    ctx.obj = CliState(config_path=config, db_path=db, cache_dir=cache_dir)


# Said at INFO even without -v: the daemon's start ("ready: sources, model, database"),
# reloads and stop, one line each.
LIFECYCLE_LOGGERS = ("monitor.daemon.scheduler",)
# Libraries that say more than amends does about the same thing, quiet below -vv:
# APScheduler logs every job run; prawcore logs a long "Retrying due to ..." per
# request while Reddit is down, where amends logs one line per failed poll.
LIBRARY_LEVELS = {"apscheduler": logging.WARNING, "prawcore": logging.ERROR}


def setup_logging(verbose: int) -> None:
    """Warnings by default, INFO with -v, DEBUG and every library's chatter with -vv."""
    level = logging.WARNING - 10 * min(verbose, 2)
    # Under systemd journald adds timestamps; elsewhere they help.
    fmt = "%(levelname)s %(name)s: %(message)s"
    if "JOURNAL_STREAM" not in os.environ:
        fmt = "%(asctime)s " + fmt
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(old)  # a second invocation in one process (tests)
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(fmt))
    if verbose < 2:
        handler.addFilter(_no_root_chatter)
    root.addHandler(handler)
    root.setLevel(level)
    for name in LIFECYCLE_LOGGERS:
        logging.getLogger(name).setLevel(min(level, logging.INFO))
    for name, quiet in LIBRARY_LEVELS.items():
        logging.getLogger(name).setLevel(quiet if verbose < 2 else logging.NOTSET)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time (pytest and typer swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def _no_root_chatter(record: logging.LogRecord) -> bool:
    """amends never logs on the root logger; libraries that call ``logging.info`` do
    (onnxruntime's quantiser: 66 lines for one model build). Kept from -vv on."""
    return record.name != "root" or record.levelno >= logging.WARNING


def state(ctx: typer.Context) -> CliState:
    return ctx.ensure_object(CliState) if ctx.obj is None else ctx.obj


def report_error(exc: AmendsError) -> None:
    # The message is data (a note, a path, a post's words): never read as rich markup.
    if isinstance(exc, ConfigError):
        head = Text.assemble(("amends: configuration error ", "bold red"), str(exc.args[0]))
        err_console.print(head, highlight=False)
        for problem in exc.problems:
            err_console.print(f"  {problem}", highlight=False, markup=False)
    else:
        err_console.print(Text.assemble(("amends: error: ", "bold red"), str(exc)), highlight=False)


def shorten(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, for table cells."""
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def who(by: str | None) -> str:
    """The name recorded for a responder's action: ``--by``, else the login name.

    One rule for every command, so a label and an acknowledgement by the same
    person carry the same name."""
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no LOGNAME/USER and no passwd entry (bare containers)
        return "unknown"
