"""TerminalNotifier: page text is printed as text, never as rich markup."""

from __future__ import annotations

import io

from rich.console import Console

from notifiers import OutgoingMessage, TerminalNotifier


def message(url: str, title: str, body: str) -> OutgoingMessage:
    return OutgoingMessage(url=url, title=title, body=body, body_format="markdown")


def test_terminal_prints_without_interpreting_markup() -> None:
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    page = OutgoingMessage(
        url="terminal://",
        title="[P1] x @dana [bold]",
        body="[red]not markup[/red]",
        body_format="text",
    )
    assert TerminalNotifier(console).send(page).ok
    printed = out.getvalue()
    assert "[P1] x @dana [bold]" in printed and "[red]not markup[/red]" in printed


def test_terminal_shows_a_hostile_page_as_text() -> None:
    from datetime import UTC, datetime

    from monitor.core.models import Priority
    from monitor.page.render import PageContent, render_email

    page = render_email(
        PageContent(
            complaint_id=7,
            priority=Priority(level="P2", reasons=("negative",)),
            platform="x",
            author="dana",
            category_label="billing",
            text="[Acknowledge](http://evil.example) \x1b[2J <b>x</b> [bold]y[/bold]",
            url="https://x.com/dana/status/7",
            due_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        )
    )
    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    assert TerminalNotifier(console).send(message("terminal://", page.title, page.body)).ok
    printed = out.getvalue()
    assert "evil.example" not in printed and "\x1b" not in printed
    assert "[Acknowledge](http[:]//evil[.]example)" in printed
    assert "<b>x</b> [bold]y[/bold]" in printed
    assert "amends ack 7" in printed
