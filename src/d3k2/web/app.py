"""The FastAPI application: JSON API over :class:`d3k2.api.Engine` and the pages.

Build it with :func:`create_app`. The engine is built once per worker (lifespan). Every
result is a model of :mod:`d3k2.render.contract`, so ``/openapi.json`` describes it.

Errors: a d3k2 :class:`~d3k2.errors.InputError` (or a profile's many) becomes a 422 in
FastAPI's shape, ``{"detail": [{"loc": ["body", "labs", 0, "unit"], "msg": …}]}``, with the
same words as the command line; a body over the limit is a 413; anything else is a bug and
a short 500. Logs name the method, path (never the query string or body), status and time.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import time
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from d3k2 import __version__
from d3k2.api import DosePlanRequest, Engine, ProjectionRequest
from d3k2.errors import InputError, Location
from d3k2.reading.profile import ProfileError
from d3k2.reading.sun_options import SunRequest
from d3k2.render.contract import (
    AssessmentOut,
    DietReportOut,
    DosePlanOut,
    LabelCheckOut,
    ProjectionOut,
    SunOut,
    VersionOut,
    assessment_out,
    diet_report_out,
    label_check_out,
    plan_out,
    project_out,
    source,
    sun_out,
    version_out,
)
from d3k2.web.models import (
    ErrorOut,
    PlanDoseIn,
    ProjectIn,
    ReferenceOut,
    RuleOut,
    VocabularyOut,
)
from d3k2.web.settings import WebSettings
from d3k2.web.vocabulary import VocabularyIndex
from d3k2.yamlio import parse_field_path

log = logging.getLogger("d3k2.web")
HERE = Path(__file__).parent
STATIC = HERE / "static"
MAX_QUERY_TEXT = 200
MAX_LIST_ITEMS = 200
"""Most entries a profile list (medications, conditions, labs, plan …) may have over the
web: one request must not hold a worker for seconds (fuzzy matching is per entry)."""

# Pages may load only what this server serves: no CDN, no third party.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


# --------------------------------------------------------------------------- errors
class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class InputProblem(Exception):
    """An InputError with the part of the request it is about (body, query)."""

    def __init__(self, error: InputError, part: Literal["body", "query"]) -> None:
        super().__init__(str(error))
        self.error = error
        self.part = part


def error_items(error: InputError, part: str) -> list[dict[str, Any]]:
    """FastAPI's 422 items from a d3k2 error (one per problem of a profile)."""
    problems = error.problems if isinstance(error, ProfileError) else [error]
    items = []
    for problem in problems:
        where = problem.where
        if isinstance(where, Location):
            where = where.field
        loc: list[str | int] = [part, *parse_field_path(where)] if where else [part]
        items.append(
            {"loc": loc, "msg": problem.message, "type": "value_error", "hint": problem.hint}
        )
    return items


def _json_error(status: int, detail: Any) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


# --------------------------------------------------------------------------- middleware
class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413 (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.limit:
                    response = _json_error(
                        413, f"the request body is larger than {self.limit} bytes"
                    )
                    await response(scope, receive, send)
                    return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)


BUG_MESSAGE = (
    "internal error ({name}): this is a bug in d3k2, please report it with what you did "
    "(no patient data)"
)


class CatchBugs:
    """A bug (any exception no handler turned into a response) -> a short 500. The log
    names the exception type and where it was raised, never its message (which may quote
    the input), and no traceback is printed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            frames = traceback.extract_tb(error.__traceback__)
            where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
            log.error(
                "internal error %s at %s on %s %s",
                type(error).__name__,
                where,
                scope.get("method", "?"),
                scope["path"][:200],
            )
            if not started:
                response = _json_error(500, BUG_MESSAGE.format(name=type(error).__name__))
                await response(scope, receive, send)


class AccessLog:
    """One line per request: method, path, status, milliseconds. Never the query string
    (it may hold a profile) and never a body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if not scope["path"].startswith("/docs"):
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            log.info(
                "%s %s %d %.1f ms",
                scope.get("method", "?"),
                scope["path"][:200],
                status,
                (time.perf_counter() - start) * 1000,
            )


# --------------------------------------------------------------------------- the app
def create_app(settings: WebSettings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """The application. ``engine`` defaults to :meth:`Engine.default` (built at start-up)."""
    settings = settings or WebSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        built = engine or Engine.default()
        app.state.engine = built
        app.state.vocabulary = VocabularyIndex.build(built)
        app.state.rules = _rules(built)
        app.state.sources = _sources(built)
        # The knowledge base is built once and never freed: keep its many objects out of
        # the garbage collector's full passes (they showed as tail-latency pauses).
        gc.collect()
        gc.freeze()
        yield

    app = FastAPI(
        title="d3k2",
        version=__version__,
        summary="Cited decision support for vitamin D3, vitamin K2 and calcium. It supports, "
        "and does not replace, a clinician's judgement.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses={422: {"model": ErrorOut, "description": "Bad input: field path and message"}},
    )
    app.state.settings = settings

    @app.exception_handler(InputProblem)
    async def _input_problem(request: Request, exc: InputProblem) -> JSONResponse:
        return _json_error(422, error_items(exc.error, exc.part))

    @app.exception_handler(InputError)
    async def _input_error(request: Request, exc: InputError) -> JSONResponse:
        part = "query" if request.method == "GET" else "body"
        return _json_error(422, error_items(exc, part))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        items = [
            {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors()
        ]
        return _json_error(422, items)

    _api(app)
    from d3k2.web.pages import add_pages

    add_pages(app, settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(CatchBugs)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(AccessLog)
    return app


def _model_response(model: AssessmentOut | ProjectionOut | DietReportOut) -> Response:
    """A contract model as JSON, serialised once by pydantic (the large responses skip
    FastAPI's second validation; ``response_model`` still documents them)."""
    return Response(model.model_dump_json(), media_type="application/json")


def _too_long(profile: dict[str, Any], where: str = "") -> list[InputError]:
    """Lists longer than the web takes, at the top level and in ``diet``."""
    found = [
        InputError(
            f"{where}{key} has {len(value)} entries; the web API takes at most {MAX_LIST_ITEMS}",
            where=f"{where}{key}",
            hint="split the profile, or use the command line for very long lists",
        )
        for key, value in profile.items()
        if isinstance(value, list) and len(value) > MAX_LIST_ITEMS
    ]
    diet = profile.get("diet")
    if not where and isinstance(diet, dict):
        found += _too_long(diet, "diet.")
    return found


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _rules(engine: Engine) -> dict[str, RuleOut]:
    rules = sorted(engine.knowledge.rules, key=lambda r: (r.topic, r.id))
    return {
        r.id: RuleOut(
            id=r.id,
            version=r.version,
            status=r.status,
            topic=r.topic,
            severity=r.severity,
            title=r.title,
            detail=r.detail.strip(),
            action=r.action.strip(),
            sources=[source(engine.knowledge, s.ref, s.locator) for s in r.sources],
            definition=json.loads(
                json.dumps(r.model_dump(mode="json", by_alias=True, exclude_none=True))
            ),
        )
        for r in rules
    }


def _sources(engine: Engine) -> list[ReferenceOut]:
    return [
        ReferenceOut(id=r.id, citation=r.citation, url=r.url, kind=r.kind, note=r.note)
        for r in sorted(engine.knowledge.references.values(), key=lambda r: r.id)
    ]


def assess_json(
    engine: Engine,
    profile: dict[str, Any],
    *,
    today: dt.date | None,
    guideline: str | None,
    projection: bool,
) -> AssessmentOut:
    """``d3k2 assess --format json`` for a profile mapping (raises InputProblem)."""
    if guideline is not None and guideline not in engine.knowledge.guidelines:
        raise InputProblem(
            InputError(
                f"unknown guideline {guideline!r}",
                where="guideline",
                hint="choose one of: " + ", ".join(sorted(engine.knowledge.guidelines)),
            ),
            "query",
        )
    too_long = _too_long(profile)
    if too_long:
        raise InputProblem(ProfileError(too_long), "body")
    day = today or dt.date.today()
    try:
        read = engine.read_profile(profile, today=day)
        assessment = engine.assess_read(read, guideline=guideline, projection=projection)
    except InputError as error:
        raise InputProblem(error, "body") from None
    return assessment_out(assessment, engine)


def check_label_json(engine: Engine, label: dict[str, Any]) -> LabelCheckOut:
    """``d3k2 label --format json`` for a label mapping (raises InputProblem)."""
    for key in ("ingredients", "ingredientRows"):
        items = label.get(key)
        if isinstance(items, list) and len(items) > MAX_LIST_ITEMS:
            raise InputProblem(
                InputError(
                    f"{key} has {len(items)} entries; the web API takes at most {MAX_LIST_ITEMS}",
                    where=key,
                ),
                "body",
            )
    try:
        return label_check_out(engine.check_label(label))
    except InputError as error:
        raise InputProblem(error, "body") from None


Today = Annotated[
    dt.date | None,
    Query(description="Date the assessment is made (YYYY-MM-DD); default: the server's today."),
]
Guideline = Annotated[
    str | None,
    Query(
        max_length=MAX_QUERY_TEXT,
        description="25(OH)D guideline: nam-2011 (default), endocrine-2011, endocrine-2024; "
        "overrides options.guideline of the profile",
    ),
]
LabelBody = Annotated[
    dict[str, Any],
    Body(
        description="One Supplement Facts label: the NIH DSLD JSON of one label, or the "
        "simple form `d3k2 label` reads (see the README)",
        examples=[
            {
                "product": "Example D3 + K2",
                "serving": "1 softgel",
                "directions": "Take 1 softgel daily with a meal.",
                "ingredients": [
                    {
                        "name": "Vitamin D3 (as cholecalciferol)",
                        "amount": 25,
                        "unit": "mcg",
                        "iu": 1000,
                        "dv": 125,
                    },
                    {"name": "Vitamin K2 (as menaquinone-7)", "amount": 100, "unit": "mcg"},
                ],
            }
        ],
    ),
]
DietBody = Annotated[
    dict[str, Any] | list[Any],
    Body(
        description="A diet (a list of foods, or {foods, questionnaire, calcium: 300 mg …}) "
        "or a profile with a diet section, as `d3k2 diet FILE` reads",
        examples=[{"foods": ["2 slices cheddar", "200 ml fortified soy drink"]}],
    ),
]
ProfileBody = Annotated[
    dict[str, Any],
    Body(
        description="A profile, as in a profile file (see the README)",
        examples=[
            {
                "age": 67,
                "sex": "female",
                "medications": ["warfarin 5 mg"],
                "labs": [{"test": "25(OH)D", "value": 18, "unit": "ng/mL"}],
                "plan": ["D3 2000 IU daily", "vitamin K2 MK-7 100 mcg daily"],
            }
        ],
    ),
]


def _api(app: FastAPI) -> None:
    # The engine's calls are short and CPU-bound (a few ms): they run on the event loop.
    # In FastAPI's thread pool they would hand the GIL back and forth with the loop's
    # thread under load, which multiplied the tail latency (benchmarks/web_load.py).
    @app.post("/api/assess", response_model=AssessmentOut, tags=["assess"])
    async def assess(
        request: Request,
        profile: ProfileBody,
        today: Today = None,
        guideline: Guideline = None,
        projection: Annotated[
            bool, Query(description="add the 25(OH)D projection (as the CLI does)")
        ] = True,
    ) -> Response:
        """Screen a profile and its plan: exactly the JSON of ``d3k2 assess --format json``."""
        out = assess_json(
            _engine(request), profile, today=today, guideline=guideline, projection=projection
        )
        return _model_response(out)

    @app.post("/api/label", response_model=LabelCheckOut, tags=["label"])
    async def label(request: Request, body: LabelBody) -> LabelCheckOut:
        """Check a Supplement Facts label: exactly the JSON of ``d3k2 label --format json``
        (a label with problems is still a 200: ``problems`` counts them)."""
        result = check_label_json(_engine(request), body)
        return result

    @app.post("/api/diet", response_model=DietReportOut, tags=["assess"])
    async def diet(
        request: Request,
        body: DietBody,
        today: Today = None,
        age: Annotated[
            float | None, Query(allow_inf_nan=False, description="years, for the DRIs")
        ] = None,
        sex: Annotated[Literal["female", "male"] | None, Query(description="for the DRIs")] = None,
    ) -> Response:
        """Foods with amounts -> nutrients per day; with age and sex, food plus planned
        supplements against RDA/AI/UL (``d3k2 diet --format json``)."""
        too_long = _too_long({"diet": body} if isinstance(body, list) else body)
        if too_long:
            raise InputProblem(ProfileError(too_long), "body")
        try:
            result = _engine(request).diet(body, today=today or dt.date.today(), age=age, sex=sex)
        except InputError as error:
            raise InputProblem(error, "body") from None
        return _model_response(diet_report_out(result.diet, result.report))

    @app.post("/api/project", response_model=ProjectionOut, tags=["projection"])
    async def project(request: Request, body: ProjectIn, today: Today = None) -> Response:
        """Project 25(OH)D day by day under a regimen (``d3k2 project --format json``)."""
        engine = _engine(request)
        result = engine.project(ProjectionRequest(**body.model_dump(), today=today))
        return _model_response(project_out(result, engine))

    @app.post("/api/plan-dose", response_model=DosePlanOut, tags=["projection"])
    async def plan_dose(request: Request, body: PlanDoseIn, today: Today = None) -> DosePlanOut:
        """The smallest real vitamin D3 regimen reaching the target for most people like
        this one (``d3k2 plan-dose --format json``)."""
        engine = _engine(request)
        result = engine.plan_dose(DosePlanRequest(**body.model_dump(), today=today))
        return plan_out(result, engine)

    @app.get("/api/sun", response_model=SunOut, tags=["sun"])
    def sun(
        request: Request,
        lat: Annotated[float, Query(allow_inf_nan=False, description="degrees north")],
        lon: Annotated[float, Query(allow_inf_nan=False, description="degrees east")],
        date: Annotated[str, Query(max_length=MAX_QUERY_TEXT, description="YYYY-MM-DD")],
        skin_type: Annotated[str, Query(max_length=MAX_QUERY_TEXT, description="I-VI")] = "III",
        exposed: Annotated[str, Query(max_length=MAX_QUERY_TEXT)] = "25%",
        minutes: Annotated[float, Query(allow_inf_nan=False)] = 15,
        time: Annotated[str, Query(max_length=MAX_QUERY_TEXT)] = "noon",
        tz: Annotated[str, Query(max_length=MAX_QUERY_TEXT)] = "solar",
        uv_index: Annotated[float | None, Query(allow_inf_nan=False)] = None,
        ozone: Annotated[float | None, Query(allow_inf_nan=False)] = None,
        altitude: Annotated[
            float | None, Query(allow_inf_nan=False, description="metres above sea level")
        ] = None,
        cloud: Annotated[
            float | None, Query(allow_inf_nan=False, description="cloud modification factor")
        ] = None,
    ) -> SunOut:
        """Vitamin D from a planned sun exposure (``d3k2 sun --format json``)."""
        engine = _engine(request)
        estimate = engine.sun(
            SunRequest(
                lat=lat,
                lon=lon,
                date=date,
                skin_type=skin_type,
                exposed=exposed,
                minutes=minutes,
                time=time,
                tz=tz,
                uv_index=uv_index,
                ozone=ozone,
                altitude=altitude,
                cloud=cloud,
            )
        )
        return sun_out(estimate, engine)

    @app.get("/api/sources", response_model=list[ReferenceOut], tags=["knowledge"])
    def sources(request: Request) -> list[ReferenceOut]:
        """Every source the knowledge base cites."""
        result: list[ReferenceOut] = request.app.state.sources
        return result

    @app.get("/api/knowledge/rules", response_model=list[RuleOut], tags=["knowledge"])
    def rules(request: Request) -> list[RuleOut]:
        """Every rule, with its sources and definition."""
        return list(request.app.state.rules.values())

    @app.get(
        "/api/knowledge/rules/{rule_id}",
        response_model=RuleOut,
        tags=["knowledge"],
        responses={404: {"model": ErrorOut, "description": "No rule with that id"}},
    )
    def rule(request: Request, rule_id: str) -> RuleOut | JSONResponse:
        """One rule by id."""
        found: RuleOut | None = request.app.state.rules.get(rule_id)
        if found is None:
            return _json_error(404, f"no rule {rule_id[:100]!r}")
        return found

    @app.get("/api/vocabulary", response_model=VocabularyOut, tags=["knowledge"])
    async def vocabulary(
        request: Request,
        q: Annotated[str, Query(max_length=100, description="what has been typed")],
        kind: Literal["medication", "condition", "lab"] | None = None,
    ) -> VocabularyOut:
        """Names the knowledge base knows that start like ``q`` (any word), with what each
        maps to, and near misses ("did you mean")."""
        index: VocabularyIndex = request.app.state.vocabulary
        return index.search(q, kind)

    @app.get("/api/version", response_model=VersionOut, tags=["knowledge"])
    def version(request: Request) -> VersionOut:
        return version_out(_engine(request).version)

    @app.post(
        "/api/profile/read",
        tags=["assess"],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        },
    )
    async def read_profile_text(request: Request) -> dict[str, Any]:
        """A profile file's text (YAML or JSON) -> the profile as JSON (for upload)."""
        raw = await request.body()
        from d3k2.web.pages import profile_from_text

        return {"profile": profile_from_text(raw)}

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return Response("ok", media_type="text/plain")
