"""`zonewatch serve`: the web UI and the JSON API in one uvicorn process."""

from __future__ import annotations

from pathlib import Path

import click

from zonewatch.store.commands import store_option

# uvicorn's 5 s default closes a busy server's kept-alive connections under clients that
# already sent their next request (they see a reset); idle ones still go after this long
KEEP_ALIVE_SECONDS = 30


@click.command()
@click.option("--run", "run_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="ZONEWATCH_RUN", help="Analysis run directory (zonewatch analyze --out).")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (each with 40 request threads and its own connections).")
def serve(run_dir: Path | None, store_url: str, host: str, port: int, workers: int) -> None:
    """Serve the web pages and the API (under /api) for one analysis run.

    \b
    Example:
      zonewatch serve --run demo/run --store sqlite:///demo/store.sqlite --port 8000
    """
    import os

    import uvicorn

    from zonewatch.errors import Invalid, Unavailable
    from zonewatch.service.settings import Settings
    from zonewatch.service.state import open_state
    from zonewatch.store.db import StoreError
    from zonewatch.web.app import create_app

    if run_dir is not None and not run_dir.is_dir():
        raise click.BadParameter(f"{run_dir} is not a directory", param_hint="--run")
    settings = Settings.from_env(store=store_url, run=run_dir)
    try:
        if workers == 1:
            app = create_app(settings)
        else:  # migrate, seed and register the run once, before the workers start
            open_state(settings).store.dispose()
    except (Invalid, Unavailable, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"zonewatch on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)")
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    timeout_keep_alive=KEEP_ALIVE_SECONDS)
        return
    os.environ["ZONEWATCH_STORE"] = settings.store_url
    if settings.run_dir:
        os.environ["ZONEWATCH_RUN"] = str(settings.run_dir)
    uvicorn.run("zonewatch.web.app:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", timeout_keep_alive=KEEP_ALIVE_SECONDS)
