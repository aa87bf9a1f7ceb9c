"""``d3k2 serve``: the web app, the JSON API and the CDS Hooks services in one application
(FastAPI + uvicorn, imported only here). This module is where the doors are put together:
the doors themselves never import each other."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from fastapi import FastAPI

    from d3k2.web.settings import WebSettings


def serving_app(settings: WebSettings) -> FastAPI:
    """The web app with the CDS Hooks services mounted under ``/cds-services`` (settings
    ``D3K2_CDS_*``); one engine serves both."""
    from d3k2.cds_hooks.app import mount
    from d3k2.cds_hooks.settings import CdsSettings
    from d3k2.web.app import create_app

    app = create_app(settings)
    mount(app, CdsSettings.from_env())
    return app


def serving_app_from_environment() -> FastAPI:
    """The factory each worker process calls when ``d3k2 serve --workers N`` runs several."""
    from d3k2.web.settings import load_settings

    return serving_app(load_settings())


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve_command(
        host: Annotated[
            str | None, typer.Option(help="Address to listen on (default 127.0.0.1; D3K2_HOST).")
        ] = None,
        port: Annotated[int | None, typer.Option(help="Port (default 8000; D3K2_PORT).")] = None,
        workers: Annotated[
            int | None,
            typer.Option(help="Worker processes, each with its own engine (D3K2_WORKERS)."),
        ] = None,
        config: Annotated[
            Path | None,
            typer.Option(help="TOML settings file ([web] table; or D3K2_CONFIG)."),
        ] = None,
        example: Annotated[
            bool, typer.Option(help="Print the URL that opens the bundled example patient.")
        ] = False,
    ) -> None:
        """Serve the web pages, the JSON API (docs at /docs) and the CDS Hooks services
        (/cds-services). Nothing is stored and no patient data is logged."""
        import logging

        import uvicorn

        from d3k2.web.settings import load_settings

        settings = load_settings(config, host=host, port=port, workers=workers)
        url = f"http://{settings.host}:{settings.port}/"
        typer.echo(f"d3k2 is serving on {url}  (API docs: {url}docs; Ctrl+C stops)")
        if example:
            typer.echo(f"example patient: {url}#example")
        logging.basicConfig(
            level=settings.log_level.upper(), format="%(levelname)s:     %(message)s"
        )
        if settings.workers > 1:  # each worker process builds the app from the environment
            import os

            for key, value in settings.model_dump(mode="json").items():
                os.environ[f"D3K2_{key.upper()}"] = str(value)
            uvicorn.run(
                "d3k2.cli.serve:serving_app_from_environment",
                factory=True,
                workers=settings.workers,
                host=settings.host,
                port=settings.port,
                access_log=False,
                log_level=settings.log_level,
                server_header=False,
            )
            return
        uvicorn.run(
            serving_app(settings),
            host=settings.host,
            port=settings.port,
            access_log=False,
            log_level=settings.log_level,
            server_header=False,
        )
