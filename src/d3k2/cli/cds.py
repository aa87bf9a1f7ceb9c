"""``d3k2 cds-serve``: the CDS Hooks 2.0 service alone, until ``d3k2 serve`` mounts it.

Settings come from environment variables (see :mod:`d3k2.cds_hooks.settings`); the
options here override the common ones.
"""

from __future__ import annotations

from typing import Annotated

import typer


def cds_serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8010,
    dev: Annotated[
        bool,
        typer.Option(
            "--dev",
            help="Development mode: accept calls without a JWT from loopback addresses only.",
        ),
    ] = False,
    feedback_db: Annotated[
        str | None, typer.Option(help="SQLite file for cards and feedback.")
    ] = None,
    report_url: Annotated[
        str | None, typer.Option(help="Base URL of the d3k2 web app (cards link to it).")
    ] = None,
) -> None:
    """Serve the CDS Hooks services (patient-view, order-select, order-sign) under
    /cds-services. Needs the cds extra: pip install 'd3k2[cds]'."""
    import dataclasses
    from pathlib import Path

    import uvicorn

    from d3k2.cds_hooks.app import create_cds_app
    from d3k2.cds_hooks.settings import CdsSettings

    settings = CdsSettings.from_env()
    changes: dict[str, object] = {}
    if dev:
        changes["development"] = True
    if feedback_db:
        changes["feedback_db"] = Path(feedback_db)
    if report_url:
        changes["report_url"] = report_url
    settings = dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
    uvicorn.run(create_cds_app(settings), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add the ``cds-serve`` command to the ``d3k2`` application."""
    app.command("cds-serve")(cds_serve)
