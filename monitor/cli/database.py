"""``amends migrate``: create or upgrade the database, keeping a copy of the old one."""

from __future__ import annotations

import typer

from monitor.cli.common import out_console, state


def register(app: typer.Typer) -> None:
    app.command("migrate")(migrate)


def migrate(ctx: typer.Context) -> None:
    """Make the database current: a new file is created, an older one is copied aside
    (FILE.bak-<schema>-<UTC time>) and upgraded in place. Stop an older 'amends run' first."""
    from monitor.store import Store

    cli = state(ctx)
    config = cli.config(check_env=False) if cli.db_path is None and cli.config_path else None
    with Store.open(cli.database(config)) as store:
        path, done = store.path, store.upgraded
    assert done is not None  # a writing open that may upgrade always reports
    if done.before is None:
        said = f"created (schema {done.after})"
    elif not done.applied:
        said = f"already up to date (schema {done.after})"
    else:
        said = (
            f"upgraded from {done.before} to {done.after} ({', '.join(done.applied)}); "
            f"the file as it was is {done.backup}"
        )
    out_console.print(f"{path}: {said}", markup=False, highlight=False, soft_wrap=True)
