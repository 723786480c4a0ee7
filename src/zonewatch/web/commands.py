"""`zonewatch serve`: the web UI and the JSON API in one uvicorn process."""

from __future__ import annotations

from pathlib import Path

import click

from zonewatch.store.commands import store_option


@click.command()
@click.option("--run", "run_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="ZONEWATCH_RUN", help="Analysis run directory (zonewatch analyze --out).")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(run_dir: Path | None, store_url: str, host: str, port: int) -> None:
    """Serve the web pages and the API (under /api) for one analysis run.

    \b
    Example:
      zonewatch serve --run demo/run --store sqlite:///demo/store.sqlite --port 8000
    """
    import uvicorn

    from zonewatch.service.settings import Settings
    from zonewatch.store.db import StoreError
    from zonewatch.web.app import create_app
    from zonewatch.web.rundata import RunDirError

    if run_dir is not None and not run_dir.is_dir():
        raise click.BadParameter(f"{run_dir} is not a directory", param_hint="--run")
    try:
        app = create_app(Settings.from_env(store=store_url, run=run_dir))
    except (RunDirError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"zonewatch on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
