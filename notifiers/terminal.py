"""Print a page to the terminal with rich, for ``amends demo``.

URL: ``terminal://`` (stdout) or ``terminal://stderr``.
"""

from __future__ import annotations

import sys
import threading

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.text import Text

from notifiers.base import OutgoingMessage, SendResult

_print_lock = threading.Lock()  # two pages printed at once must not interleave


class TerminalNotifier:
    def __init__(self, console: Console | None = None) -> None:
        self._console = console  # tests pass a recording console

    def send(self, message: OutgoingMessage) -> SendResult:
        console = self._console or Console(
            file=sys.stderr if message.url.rstrip("/").endswith("stderr") else sys.stdout
        )
        # Never let page text act as rich console markup: the title is a Text,
        # the body is Markdown (already escaped by monitor.page.render) or a Text.
        body = Markdown(message.body) if message.body_format == "markdown" else Text(message.body)
        panel = Panel(body, title=Text(message.title, style="bold"), title_align="left")
        try:
            with _print_lock:
                console.print(panel)
        except OSError as exc:  # a closed pipe, e.g. `amends demo | head`
            return SendResult(ok=False, service="terminal", detail=str(exc), retryable=False)
        return SendResult(ok=True, service="terminal")
