"""The ``amends`` command line: one Typer app, commands registered per area."""

from __future__ import annotations

import sys

from monitor.cli import core
from monitor.cli.common import app, report_error
from monitor.errors import AmendsError

for module in (core,):
    module.register(app)


def main() -> None:
    try:
        app()
    except AmendsError as exc:
        report_error(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
