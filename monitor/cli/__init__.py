"""The ``amends`` command line: one Typer app, commands registered per area."""

from __future__ import annotations

import os
import sqlite3
import sys

# amends uses no pydantic plugins; without this pydantic reads every installed
# package's entry points to look for some, 30-60 ms of each command's start.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from monitor.cli import classify, complaints, database, drafts, exitcodes, query, run, sources, web
from monitor.cli.common import app, report_error
from monitor.core.errors import AmendsError, ConfigError

for module in (run, complaints, query, classify, drafts, sources, database, web):
    module.register(app)


def main() -> None:
    try:
        app()
    except ConfigError as exc:
        report_error(exc)
        sys.exit(exitcodes.CONFIG)
    except AmendsError as exc:
        report_error(exc)
        sys.exit(exitcodes.ERROR)
    except sqlite3.OperationalError as exc:
        # Busy beyond the timeout (another writer) may pass; disk full, a read-only
        # file and the like need a person.
        report_error(AmendsError(f"database: {exc}"))
        busy = (exc.sqlite_errorcode & 0xFF) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        sys.exit(exitcodes.TEMPFAIL if busy else exitcodes.ERROR)
    except KeyboardInterrupt:
        sys.exit(exitcodes.INTERRUPTED)
