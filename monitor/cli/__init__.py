"""The ``amends`` command line: one Typer app, commands registered per area."""

from __future__ import annotations

import sqlite3
import sys

from monitor.cli import classify, complaints, drafts, run, sources
from monitor.cli.common import app, report_error
from monitor.core.errors import AmendsError

for module in (run, complaints, classify, drafts, sources):
    module.register(app)


def main() -> None:
    try:
        app()
    except AmendsError as exc:
        report_error(exc)
        sys.exit(2)
    except sqlite3.OperationalError as exc:
        # Busy beyond the timeout (another writer), disk full, read-only file...
        report_error(AmendsError(f"database: {exc}"))
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
