"""Server-rendered pages (Jinja2) over the same engine calls as the JSON API.

The profile never has to reach the server in a URL: a shared report is
``/report#p=<base64url of the profile's compact JSON>``; the fragment stays in the
browser, whose script posts the profile to ``POST /report/html`` (the HTML view of
``POST /api/assess``). Nothing is stored on the server.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from ruamel.yaml.error import YAMLError

from d3k2.api import Engine
from d3k2.errors import InputError
from d3k2.render.contract import AssessmentOut
from d3k2.web.settings import WebSettings
from d3k2.yamlio import parse_structured, to_plain

SEVERITY_TEXT = {
    "major": ("Major", "✖"),
    "moderate": ("Moderate", "⚠"),
    "minor": ("Minor", "●"),
    "info": ("Info", "ℹ"),
}
"""Severity as words and an icon (never colour alone)."""
PATIENT_SEVERITY = {
    "major": "Important — talk to your doctor or pharmacist before you start",
    "moderate": "Check with your doctor or pharmacist",
    "minor": "Good to know",
    "info": "For your information",
}
MAX_PROFILE_TEXT = 256 * 1024

_env = Environment(
    loader=PackageLoader("d3k2.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, **context: Any) -> str:
    return _env.get_template(name).render(**context)


def profile_from_text(raw: bytes) -> dict[str, Any]:
    """An uploaded profile file (YAML or JSON) -> a profile mapping, or InputError."""
    if len(raw) > MAX_PROFILE_TEXT:
        raise InputError(f"the profile file is larger than {MAX_PROFILE_TEXT // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"the profile file is not UTF-8 text (byte {error.start})",
            hint="save the file as UTF-8",
        ) from None
    try:
        data = to_plain(parse_structured(text, "upload", with_lines=False))
    except YAMLError as error:  # errors without a position (e.g. a control character)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(
            f"not valid YAML/JSON: {problem}", hint="save the profile as plain UTF-8 text"
        ) from None
    if data is None:
        raise InputError("the profile is empty", hint="see examples/profile.yaml")
    if not isinstance(data, dict):
        raise InputError("a profile must be a mapping of fields (age, sex, plan, …)")
    plain: dict[str, Any] = json.loads(json.dumps(data, default=_date_text))
    return plain


def _date_text(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _script_json(data: Any) -> str:
    """JSON safe inside a <script type="application/json"> element."""
    return json.dumps(data, ensure_ascii=True).replace("</", "<\\/")


def _guidelines(engine: Engine) -> list[tuple[str, str]]:
    return [(g.id, g.name) for g in engine.knowledge.guidelines.values() if g.id != "default"]


def add_pages(app: FastAPI, settings: WebSettings) -> None:
    from d3k2.web.app import assess_json

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def form_page(request: Request) -> HTMLResponse:
        engine: Engine = request.app.state.engine
        labs = [
            {"id": lab.id, "name": lab.names[0] if lab.names else lab.id, "units": lab.units}
            for lab in engine.knowledge.labs
        ]
        return HTMLResponse(
            render(
                "form.html",
                title="Describe the patient and the plan",
                labs=labs,
                guidelines=_guidelines(engine),
                example_url="/static/example-profile.json",
            )
        )

    @app.get("/report", response_class=HTMLResponse, include_in_schema=False)
    def report_page(request: Request) -> HTMLResponse:
        engine: Engine = request.app.state.engine
        return HTMLResponse(render("report.html", title="Report", guidelines=_guidelines(engine)))

    @app.post("/report/html", response_class=HTMLResponse, tags=["pages"])
    async def report_html(
        request: Request,
        profile: dict[str, Any],
        today: Annotated[dt.date | None, Query()] = None,
        guideline: Annotated[str | None, Query(max_length=200)] = None,
        view: Literal["clinician", "patient"] = "clinician",
    ) -> HTMLResponse:
        """The report as an HTML fragment: the view of ``POST /api/assess``."""
        engine: Engine = request.app.state.engine
        out: AssessmentOut = assess_json(
            engine, profile, today=today, guideline=guideline, projection=True
        )
        data = out.model_dump(mode="json")
        guideline_names = dict(_guidelines(engine))
        template = "report_patient.html" if view == "patient" else "report_body.html"
        return HTMLResponse(
            render(
                template,
                r=data,
                severity=SEVERITY_TEXT,
                patient_severity=PATIENT_SEVERITY,
                guideline_name=guideline_names.get(data["guideline"], data["guideline"]),
                profile=profile,
                report_json=_script_json(data),
                lines_json=_script_json(
                    [
                        {"id": g.id, "label": g.label, "nmol_l": g.serum_25ohd_nmol_l}
                        for g in engine.guideline_lines
                    ]
                ),
            )
        )

    if settings.docs:
        from importlib.resources import files

        # Swagger UI 5 (OpenAPI 3.1), as shipped inside the fastapi-offline package
        swagger = files("fastapi_offline") / "static"
        app.mount("/docs/assets", StaticFiles(directory=str(swagger)), name="swagger-assets")

        @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
        def docs() -> HTMLResponse:
            return HTMLResponse(render("docs.html", title="API documentation"))
