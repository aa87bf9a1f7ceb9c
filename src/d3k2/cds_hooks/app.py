"""The CDS Hooks 2.0 routes under ``/cds-services`` (FastAPI).

Mount them into the one ``d3k2 serve`` application with :func:`mount`::

    from d3k2.cds_hooks import CdsSettings, mount
    mount(app, CdsSettings.from_env())

or run them alone with :func:`create_cds_app` (``d3k2 cds-serve``).
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import html
import logging
import time
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse

from d3k2.api import Engine
from d3k2.cds_hooks.cards import BuiltCard, build_card
from d3k2.cds_hooks.feedback import FeedbackError, FeedbackStore, IssuedCard
from d3k2.cds_hooks.security import Unauthorized, Verifier, is_loopback
from d3k2.cds_hooks.services import SERVICES, Service, discovery, fill_template, prefetch_templates
from d3k2.cds_hooks.settings import CdsSettings
from d3k2.errors import InputError
from d3k2.fhir import DraftOrder, FhirFacts, facts_from_fhir

log = logging.getLogger("d3k2.cds")
PATIENT_VIEW_SEVERITIES = frozenset({"major", "moderate"})
ORDER_SEVERITIES = frozenset({"major", "moderate", "minor"})
NO_CARDS: dict[str, Any] = {"cards": []}


class FhirServerError(Exception):
    """The EHR's FHIR server did not answer usefully (no details: they may hold patient data)."""


class CdsService:
    """State shared by the routes: engine, settings, verifier, feedback store."""

    def __init__(self, settings: CdsSettings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or Engine.default()
        self.verifier = Verifier(settings)
        self.store = FeedbackStore(settings.feedback_db)
        self.templates = prefetch_templates(self.engine)
        # httpx logs every request URL at INFO; FHIR search URLs carry the patient id
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.discovery = discovery(self.engine)

    # ----------------------------------------------------------------- security
    def authorize(self, request: Request) -> None:
        header = request.headers.get("authorization")
        if header is None:
            client = request.client.host if request.client else None
            if self.settings.development and is_loopback(client):
                return
            raise HTTPException(status_code=401, detail="a signed JWT is required")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise HTTPException(status_code=401, detail="a signed JWT is required")
        base = self.settings.public_base_url or str(request.base_url).rstrip("/")
        audience = base.rstrip("/") + request.url.path
        try:
            self.verifier.verify(token.strip(), audience)
        except Unauthorized:
            raise HTTPException(status_code=401, detail="the JWT was not accepted") from None

    # ----------------------------------------------------------------- resources
    async def resources(
        self, body: Mapping[str, Any], context: Mapping[str, Any]
    ) -> list[Mapping[str, Any]]:
        prefetch = body.get("prefetch")
        prefetch = prefetch if isinstance(prefetch, Mapping) else {}
        found: list[Mapping[str, Any]] = []
        missing: dict[str, str] = {}
        for key, template in self.templates.items():
            value = prefetch.get(key)
            if isinstance(value, Mapping):
                found.append(value)
            else:
                query = fill_template(template, context)
                if query is not None:
                    missing[key] = query
        # prefetch under other keys (an EHR's own names) is read too
        found += [
            v for k, v in prefetch.items() if k not in self.templates and isinstance(v, Mapping)
        ]
        if missing:
            server = body.get("fhirServer")
            if isinstance(server, str) and server:
                found += await self.fetch(server, body.get("fhirAuthorization"), missing)
        return found

    async def fetch(
        self, server: str, authorization: Any, queries: Mapping[str, str]
    ) -> list[Mapping[str, Any]]:
        import httpx

        headers = {"Accept": "application/fhir+json"}
        if isinstance(authorization, Mapping) and isinstance(
            authorization.get("access_token"), str
        ):
            headers["Authorization"] = f"Bearer {authorization['access_token']}"
        timeout = httpx.Timeout(self.settings.fhir_timeout_s)
        try:
            async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
                answers = await asyncio.gather(
                    *(
                        client.get(f"{server.rstrip('/')}/{query}", headers=headers)
                        for query in queries.values()
                    )
                )
        except httpx.HTTPError as error:
            raise FhirServerError(type(error).__name__) from None
        resources: list[Mapping[str, Any]] = []
        for answer in answers:
            if answer.status_code == 404:
                continue
            if answer.status_code >= 400:
                raise FhirServerError(f"HTTP {answer.status_code}")
            try:
                data = answer.json()
            except ValueError:
                raise FhirServerError("not JSON") from None
            if isinstance(data, Mapping):
                resources.append(data)
        return resources

    # ----------------------------------------------------------------- cards
    def cards(
        self,
        service: Service,
        resources: Sequence[Mapping[str, Any]],
        context: Mapping[str, Any],
    ) -> list[BuiltCard]:
        today = dt.date.today()
        patient_id = context.get("patientId")
        drafts_bundle = context.get("draftOrders") if service.order_hook else None
        draft_orders = [drafts_bundle] if isinstance(drafts_bundle, Mapping) else []
        read = facts_from_fhir(
            self.engine,
            resources,
            as_of=today,
            patient_id=patient_id if isinstance(patient_id, str) else None,
            draft_orders=draft_orders,
        )
        report = self.engine.assess(read.facts, projection=False).report
        if not service.order_hook:
            alerts = [a for a in report.alerts if a.severity in PATIENT_VIEW_SEVERITIES]
            return [build_card(a, settings=self.settings) for a in alerts]
        if not read.drafts:
            return []
        selections = context.get("selections")
        chosen = (
            [d for d in read.drafts if d.reference in selections]
            if service.hook == "order-select" and isinstance(selections, list)
            else list(read.drafts)
        )
        # order-select speaks about the newly selected orders; the other drafts are context
        labels = {d.label for d in chosen}
        # a supplement ordered without a usable dose is screened by what it is (a medication)
        undosed = {d.label for d in chosen if d.nutrients and not d.doses}
        alerts = [
            a
            for a in report.alerts
            if a.severity in ORDER_SEVERITIES
            and any(
                (t.kind == "plan" and t.input in labels)
                or (t.kind == "medication" and t.input in undosed)
                for t in a.triggers
            )
        ]
        weekly = self._weekly_corrections(read, alerts, resources, today, draft_orders)
        return [
            build_card(a, settings=self.settings, drafts=read.drafts, weekly=weekly) for a in alerts
        ]

    def _weekly_corrections(
        self,
        read: FhirFacts,
        alerts: Sequence[Any],
        resources: Sequence[Mapping[str, Any]],
        today: dt.date,
        draft_orders: Sequence[Mapping[str, Any]],
    ) -> dict[str, Mapping[str, Any]]:
        """Daily vitamin D drafts that are probably a weekly product ordered daily.

        A draft qualifies when its dose per day is a product strength that the knowledge
        base's product table lists for weekly (and not daily) use, a major alert names it,
        and the same order once a week makes every major alert about it go away.
        """
        weekly_only = {
            p.amount_iu
            for p in self.engine.products
            if p.schedule == "weekly"
            and not any(q.id == p.id and q.schedule == "daily" for q in self.engine.products)
        }
        corrections: dict[str, Mapping[str, Any]] = {}
        for draft in read.drafts:
            if draft.nutrients != ("vitamin_d",) or len(draft.doses) != 1:
                continue
            (dose,) = draft.doses
            if dose.unit != "IU" or dose.interval_days != 1.0 or dose.amount not in weekly_only:
                continue
            majors = {
                a.id
                for a in alerts
                if a.severity == "major"
                and any(t.kind == "plan" and t.input == draft.label for t in a.triggers)
            }
            if not majors:
                continue
            corrected = _weekly(draft)
            others = [
                d.resource
                for d in read.drafts
                if d.reference != draft.reference and isinstance(d.resource, Mapping)
            ]
            again = facts_from_fhir(
                self.engine,
                resources,
                as_of=today,
                patient_id=read.facts.patient_id,
                draft_orders=[*others, corrected],
            )
            still = {a.id for a in self.engine.assess(again.facts, projection=False).report.alerts}
            if not majors & still:
                corrections[draft.reference] = corrected
        return corrections


def _weekly(draft: DraftOrder) -> dict[str, Any]:
    corrected = copy.deepcopy(dict(draft.resource))
    for dosage in corrected.get("dosageInstruction") or ():
        repeat = dosage.setdefault("timing", {}).setdefault("repeat", {})
        repeat.update({"frequency": 1, "period": 1, "periodUnit": "wk"})
        if "text" in dosage:
            dosage["text"] = "once a week"
    return corrected


# --------------------------------------------------------------------------- routes
def cds_router(state: CdsService) -> APIRouter:
    router = APIRouter(prefix="/cds-services", tags=["CDS Hooks"])

    @router.get("")
    async def discover() -> dict[str, Any]:
        return state.discovery

    @router.get("/feedback/rates")
    async def feedback_rates() -> dict[str, Any]:
        return state.store.rates()

    @router.get("/feedback/report", response_class=HTMLResponse)
    async def feedback_page() -> str:
        return _rates_page(state.store.rates())

    @router.post("/{service_id}")
    async def call_service(service_id: str, request: Request) -> JSONResponse:
        service = SERVICES.get(service_id)
        if service is None:
            raise HTTPException(status_code=404, detail=f"no CDS service {service_id!r}")
        state.authorize(request)
        body = await _json_body(request)
        if body.get("hook") not in (None, service.hook):
            raise HTTPException(status_code=400, detail=f"this service answers {service.hook}")
        context = body.get("context")
        if not isinstance(context, Mapping) or not isinstance(context.get("patientId"), str):
            raise HTTPException(status_code=400, detail="context.patientId is required")
        try:
            resources = await state.resources(body, context)
            built = state.cards(service, resources, context)
        except FhirServerError as error:
            log.warning("FHIR server failed (%s): answered without cards", error)
            return JSONResponse(NO_CARDS)
        except InputError as error:
            log.info("record not screenable: %s", type(error).__name__)
            return JSONResponse(NO_CARDS)
        state.store.record_cards(
            (IssuedCard(b.card["uuid"], service.id, b.rule_id, b.severity) for b in built),
            time.time(),
        )
        return JSONResponse({"cards": [b.card for b in built]})

    @router.post("/{service_id}/feedback")
    async def feedback(service_id: str, request: Request) -> dict[str, Any]:
        if service_id not in SERVICES:
            raise HTTPException(status_code=404, detail=f"no CDS service {service_id!r}")
        state.authorize(request)
        body = await _json_body(request)
        try:
            stored = state.store.record_feedback(service_id, body.get("feedback"), time.time())
        except FeedbackError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        return {"stored": stored}

    return router


async def _json_body(request: Request) -> Mapping[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise HTTPException(status_code=400, detail="the body must be JSON") from None
    if not isinstance(body, Mapping):
        raise HTTPException(status_code=400, detail="the body must be a JSON object")
    return body


def _rates_page(rates: Mapping[str, Any]) -> str:
    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value:.0%}"

    rows = "".join(
        f"<tr><td><code>{html.escape(rule)}</code></td><td>{r['issued']}</td>"
        f"<td>{r['accepted']}</td><td>{r['overridden']}</td>"
        f"<td>{pct(r['accept_rate'])}</td><td>{pct(r['override_rate'])}</td></tr>"
        for rule, r in rates["rules"].items()
    )
    reasons = "".join(
        f"<tr><td><code>{html.escape(r['rule_id'])}</code></td><td>{html.escape(r['reason'])}"
        f"</td><td>{html.escape(r['display'])}</td><td>{r['count']}</td></tr>"
        for r in rates["override_reasons"]
    )
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>d3k2 CDS feedback</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;"
        "border-bottom:1px solid #ddd;text-align:left}</style>"
        "<h1>d3k2 CDS Hooks: accepted and overridden cards</h1>"
        "<p>A rule overridden almost every time is noise: review it. "
        "JSON: <a href=rates>rates</a>.</p>"
        "<h2>Per rule</h2><table><tr><th>rule</th><th>cards issued</th><th>accepted</th>"
        f"<th>overridden</th><th>accept rate</th><th>override rate</th></tr>{rows}</table>"
        "<h2>Override reasons</h2><table><tr><th>rule</th><th>reason</th><th>display</th>"
        f"<th>count</th></tr>{reasons}</table></html>"
    )


# --------------------------------------------------------------------------- apps
def mount(app: FastAPI, settings: CdsSettings, *, engine: Engine | None = None) -> CdsService:
    """Add the ``/cds-services`` routes (and CORS for EHR sandboxes) to ``app``."""
    state = CdsService(settings, engine)
    app.include_router(cds_router(state))
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.state.cds = state
    return state


def create_cds_app(settings: CdsSettings, *, engine: Engine | None = None) -> FastAPI:
    """A FastAPI app with the CDS Hooks routes alone."""
    app = FastAPI(
        title="d3k2 CDS Hooks",
        description="CDS Hooks 2.0 services of d3k2 (vitamin D, K and calcium safety).",
        docs_url=None,
        redoc_url=None,
    )
    mount(app, settings, engine=engine)
    return app
