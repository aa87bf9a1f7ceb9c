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
DIET_COLUMNS = (
    ("Calcium", "calcium_mg", "mg"),
    ("Vitamin D", "vitamin_d_mcg", "mcg"),
    ("Vitamin K1", "vitamin_k1_mcg", "mcg"),
    ("MK-4", "mk4_mcg", "mcg"),
    ("MK-7", "mk7_mcg", "mcg"),
    ("Magnesium", "magnesium_mg", "mg"),
    ("Protein", "protein_g", "g"),
)
"""The food-table keys the report's diet table shows (column heading, key, unit)."""

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
    return mapping_from_text(
        raw, "profile", "a profile must be a mapping of fields (age, sex, plan, …)"
    )


def label_from_text(raw: bytes) -> dict[str, Any]:
    """A pasted or uploaded label (DSLD JSON or the simple YAML form) -> a mapping."""
    return mapping_from_text(raw, "label", "a label is a mapping (product, serving, ingredients …)")


def mapping_from_text(raw: bytes, what: str, not_a_mapping: str) -> dict[str, Any]:
    """A file's text (YAML or JSON) -> a mapping, or InputError naming ``what`` it is."""
    if len(raw) > MAX_PROFILE_TEXT:
        raise InputError(f"the {what} file is larger than {MAX_PROFILE_TEXT // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(
            f"the {what} file is not UTF-8 text (byte {error.start})",
            hint="save the file as UTF-8",
        ) from None
    try:
        data = to_plain(parse_structured(text, "upload", with_lines=False))
    except YAMLError as error:  # errors without a position (e.g. a control character)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise InputError(
            f"not valid YAML/JSON: {problem}", hint=f"save the {what} as plain UTF-8 text"
        ) from None
    if data is None:
        raise InputError(f"the {what} is empty", hint=f"see examples/{what}.yaml")
    if not isinstance(data, dict):
        raise InputError(not_a_mapping)
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


def _knowledge_context(engine: Engine) -> dict[str, Any]:
    """What the report templates look up in the knowledge base: units, references for the
    food sources, and the lifestyle questions in words."""
    return {
        "diet_columns": DIET_COLUMNS,
        "nutrient_units": {n.id: n.dri_unit for n in engine.knowledge.nutrients},
        "nutrient_names": {n.id: n.names[0] for n in engine.knowledge.nutrients},
        "references": {
            r.id: {"url": r.url, "citation": r.citation}
            for r in engine.knowledge.references.values()
        },
        "lifestyle_questions": {q.key: q.ask for q in engine.base.lifestyle.questions},
    }


def form_questions(engine: Engine) -> dict[str, Any]:
    """The form's diet questionnaire and lifestyle questions, from the tables that define
    them (``tables/diet_questionnaire.yaml``, ``tables/lifestyle.yaml``)."""
    questionnaire = engine.base.questionnaire
    return {
        "questionnaire": [
            {"id": c.id, "per": c.per, "ask": c.ask, "serving": c.serving}
            for c in questionnaire.categories
        ],
        "lifestyle": [
            {"key": q.key, "kind": q.kind, "choices": q.choices, "unit": q.unit, "ask": q.ask}
            for q in engine.base.lifestyle.questions
        ],
    }


def add_pages(app: FastAPI, settings: WebSettings) -> None:
    from d3k2.web.app import assess_json, check_label_json

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
                questions=form_questions(engine),
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
                **_knowledge_context(engine),
                report_json=_script_json(data),
                lines_json=_script_json(
                    [
                        {"id": g.id, "label": g.label, "nmol_l": g.serum_25ohd_nmol_l}
                        for g in engine.guideline_lines
                    ]
                ),
            )
        )

    @app.get("/label", response_class=HTMLResponse, include_in_schema=False)
    def label_page(request: Request) -> HTMLResponse:
        return HTMLResponse(render("label.html", title="Check a Supplement Facts label"))

    @app.post(
        "/label/html",
        response_class=HTMLResponse,
        tags=["pages"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    )
    async def label_html(request: Request) -> HTMLResponse:
        """A label's text (DSLD JSON or the simple YAML form) -> the label check as an HTML
        fragment: the view of ``POST /api/label``."""
        engine: Engine = request.app.state.engine
        label = label_from_text(await request.body())
        checked = check_label_json(engine, label)
        return HTMLResponse(
            render(
                "label_body.html",
                c=checked.model_dump(mode="json"),
                references=_knowledge_context(engine)["references"],
                label_json=_script_json(label),
                check_json=_script_json(checked.model_dump(mode="json")),
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
