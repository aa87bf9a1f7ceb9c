"""CDS Hooks 2.0 on a real uvicorn server on loopback: the specification's own example
requests, Synthea-shaped requests, cards, suggestions, "no card" cases, FHIR server
fallback and failure, feedback and CORS."""

from __future__ import annotations

import json
import logging
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.cds_hooks.fhir_server import fhir_app
from tests.cds_hooks.helpers import (
    condition,
    draft,
    fixture,
    order_sign,
    prefetch_of,
    resources_of,
)

from d3k2.cds_hooks import CdsSettings
from d3k2.cds_hooks.app import create_cds_app
from d3k2.fhir import group_by_patient, read_ndjson

REPO = Path(__file__).resolve().parents[2]
SYNTHEA = REPO.parent / "shared" / "data" / "synthea-sample-10"
SIGN = "/cds-services/d3k2-order-sign"
SPEC_PATIENT = {
    "resourceType": "Patient",
    "gender": "male",
    "birthDate": "1925-12-23",
    "id": "1288992",
    "active": True,
}


def dev_settings(feedback_db: Path, **changes: Any) -> CdsSettings:
    return CdsSettings(development=True, feedback_db=feedback_db, **changes)


def post(base: str, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(base + path, json=body, timeout=10)


def cards(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    return response.json()["cards"]


def check_card_shape(card: dict[str, Any]) -> None:
    uuid.UUID(card["uuid"])
    assert 0 < len(card["summary"]) < 140
    assert card["indicator"] in {"critical", "warning", "info"}
    assert card["source"]["label"] and card["source"]["url"].startswith("https://")
    assert "**What to do:**" in card["detail"] and "**Why:**" in card["detail"]
    assert card["overrideReasons"]
    for suggestion in card.get("suggestions", []):
        uuid.UUID(suggestion["uuid"])
        assert card["selectionBehavior"] == "at-most-one"


def warfarin_record() -> list[dict[str, Any]]:
    return resources_of(fixture("warfarin_transaction.json"))


# --------------------------------------------------------------------------- discovery
def test_discovery_lists_three_services_with_prefetch(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    services = httpx.get(base + "/cds-services", timeout=10).json()["services"]
    assert {s["hook"]: s["id"] for s in services} == {
        "patient-view": "d3k2-patient-view",
        "order-select": "d3k2-order-select",
        "order-sign": "d3k2-order-sign",
    }
    prefetch = services[0]["prefetch"]
    assert prefetch["patient"] == "Patient/{{context.patientId}}"
    assert set(prefetch) == {
        "patient",
        "medicationRequests",
        "medicationStatements",
        "conditions",
        "observations",
    }
    for loinc in ("62292-8", "17861-6", "1994-3", "33914-3", "2160-0", "2731-8", "6301-6"):
        assert f"http://loinc.org|{loinc}" in prefetch["observations"]


# --------------------------------------------------------------------------- spec examples
@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("spec_order_sign_r4.json", "d3k2-order-sign"),
        ("spec_order_select_r4.json", "d3k2-order-select"),
        ("spec_patient_view.json", "d3k2-patient-view"),
    ],
)
def test_the_specification_examples_fetch_from_the_fhir_server_and_stay_silent(
    serve, feedback_db, name: str, service: str
) -> None:
    fhir = fhir_app([SPEC_PATIENT])
    fhir_base = serve(fhir)
    base = serve(create_cds_app(dev_settings(feedback_db)))
    body = fixture(name)
    body["fhirServer"] = fhir_base
    # an amoxicillin suspension and a pureed diet for a 100-year-old man: nothing to say
    assert cards(post(base, f"/cds-services/{service}", body)) == []
    # the missing prefetch was read from the FHIR server with the given access token
    assert fhir.state.seen_authorization
    assert set(fhir.state.seen_authorization) == {"Bearer some-opaque-fhir-access-token"}


def test_a_vitamin_k_draft_in_the_spec_example_for_a_warfarin_patient(serve, feedback_db) -> None:
    """The specification's order-sign example with a K2 order added, for the same patient
    (1288992) on warfarin, read from the FHIR server."""
    record = [SPEC_PATIENT, *[r for r in warfarin_record() if r["resourceType"] != "Patient"]]
    for resource in record:
        if "subject" in resource:
            resource["subject"] = {"reference": "Patient/1288992"}
    fhir_base = serve(fhir_app(record))
    base = serve(create_cds_app(dev_settings(feedback_db)))
    body = fixture("spec_order_sign_r4.json")
    body["fhirServer"] = fhir_base
    body["context"]["draftOrders"]["entry"].append(
        {"resource": draft("k2-1", "Vitamin K2 MK-7 100 mcg capsule", 100, "ug")}
    )
    (card,) = cards(post(base, SIGN, body))
    check_card_shape(card)
    assert card["indicator"] == "critical"
    assert card["source"]["topic"]["code"] == "vka-with-vitamin-k"


# --------------------------------------------------------------------------- cards
def test_vka_with_a_vitamin_k_draft_gives_one_critical_card_with_delete(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    record = warfarin_record()
    body = order_sign(
        "8c1d2a77-warfarin-0002",
        [draft("k2-1", "Vitamin K2 MK-7 100 mcg capsule", 100, "ug")],
        prefetch_of(record),
    )
    (card,) = cards(post(base, SIGN, body))
    check_card_shape(card)
    assert card["indicator"] == "critical"
    assert card["source"]["topic"]["code"] == "vka-with-vitamin-k"
    (suggestion,) = card["suggestions"]
    (action,) = suggestion["actions"]
    assert action == {
        "type": "delete",
        "description": "Remove the draft order Vitamin K2 MK-7 100 mcg capsule",
        "resourceId": ["MedicationRequest/k2-1"],
    }
    assert "links" not in card  # no web app configured


def test_cards_link_to_the_web_report_when_configured(serve, feedback_db) -> None:
    settings = dev_settings(feedback_db, report_url="https://d3k2.example.org/")
    base = serve(create_cds_app(settings))
    body = order_sign(
        "8c1d2a77-warfarin-0002",
        [draft("k2-1", "menaquinone-7", 100, "ug")],
        prefetch_of(warfarin_record()),
    )
    (card,) = cards(post(base, SIGN, body))
    assert card["links"] == [
        {
            "label": "d3k2: this rule, its sources and the full report",
            "url": "https://d3k2.example.org/rules/vka-with-vitamin-k",
            "type": "absolute",
        }
    ]


def test_50000_iu_daily_is_offered_as_weekly(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    record = resources_of(fixture("pregnant_searchset.json"))[:1]  # a woman of 31, no problems
    body = order_sign(record[0]["id"], [draft("d3-1", "cholecalciferol", 50000, "[iU]")], None)
    body["prefetch"] = {"patient": record[0]}
    found = cards(post(base, SIGN, body))
    (noael,) = [c for c in found if c["source"]["topic"]["code"].endswith("above-noael")]
    check_card_shape(noael)
    weekly, delete = noael["suggestions"]
    assert weekly["isRecommended"] is True and delete["isRecommended"] is False
    (update,) = weekly["actions"]
    assert update["type"] == "update"
    assert update["resource"]["id"] == "d3-1"
    assert update["resource"]["dosageInstruction"][0]["timing"]["repeat"] == {
        "frequency": 1,
        "period": 1,
        "periodUnit": "wk",
    }
    # the same capsule weekly has no critical card
    body["context"]["draftOrders"]["entry"] = [{"resource": update["resource"]}]
    assert all(c["indicator"] != "critical" for c in cards(post(base, SIGN, body)))


def test_2000_iu_daily_is_not_called_a_unit_slip(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    patient = resources_of(fixture("pregnant_searchset.json"))[0]
    body = order_sign(patient["id"], [draft("d3-1", "cholecalciferol", 2000, "[iU]")], None)
    body["prefetch"] = {"patient": patient}
    assert cards(post(base, SIGN, body)) == []


# --------------------------------------------------------------------------- no card
def test_no_card_for_a_doac_with_k2_and_a_stopped_warfarin(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    record = resources_of(fixture("doac_collection.json"))
    body = order_sign(
        "3f9a0b12-doac-0003",
        [draft("k2-2", "Vitamin K2 MK-7 100 mcg capsule", 100, "ug")],
        prefetch_of(record),
    )
    assert cards(post(base, SIGN, body)) == []
    body["hook"] = "patient-view"
    del body["context"]["draftOrders"]
    assert cards(post(base, "/cds-services/d3k2-patient-view", body)) == []


@pytest.mark.parametrize(
    ("clinical", "verification", "expected"),
    [
        ("resolved", "confirmed", []),
        ("inactive", "confirmed", []),
        ("active", "refuted", []),
        ("active", "entered-in-error", []),
        ("active", "provisional", []),
        ("active", "confirmed", ["ckd-g4-g5-vitamin-d-or-calcium"]),
    ],
)
def test_only_active_confirmed_problems_speak(
    serve, feedback_db, clinical: str, verification: str, expected: list[str]
) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    patient = {
        "resourceType": "Patient",
        "id": "p-ckd",
        "gender": "male",
        "birthDate": "1950-03-03",
    }
    ckd5 = condition("c-1", "p-ckd", "433146000", "CKD stage 5", clinical, verification)
    body = order_sign(
        "p-ckd",
        [draft("d3-1", "cholecalciferol", 1000, "[iU]")],
        prefetch_of([patient, ckd5]),
    )
    found = cards(post(base, SIGN, body))
    assert [c["source"]["topic"]["code"] for c in found] == expected


def test_patient_view_speaks_for_a_warfarin_patient_taking_k2(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    record = warfarin_record()
    k2 = next(r for r in resources_of(fixture("doac_collection.json")) if r["id"] == "s-3")
    k2 = json.loads(json.dumps(k2))
    k2["subject"] = {"reference": "urn:uuid:8c1d2a77-warfarin-0002"}
    body = {
        "hookInstance": "0c2b1e0a-1b4e-4bb6-9c55-3f1c8b2b7a11",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": "8c1d2a77-warfarin-0002"},
        "prefetch": prefetch_of([*record, k2]),
    }
    (card,) = cards(post(base, "/cds-services/d3k2-patient-view", body))
    check_card_shape(card)
    assert (card["indicator"], card["source"]["topic"]["code"]) == (
        "critical",
        "vka-with-vitamin-k",
    )
    assert "suggestions" not in card  # nothing is being ordered: no action to take here


# --------------------------------------------------------------------------- FHIR server
@pytest.mark.parametrize("mode", ["fail", "stall"])
def test_a_failing_fhir_server_gives_a_card_free_answer(serve, feedback_db, mode: str) -> None:
    fhir = fhir_app(warfarin_record())
    fhir.state.mode = mode
    fhir_base = serve(fhir)
    base = serve(create_cds_app(dev_settings(feedback_db, fhir_timeout_s=0.5)))
    body = order_sign(
        "8c1d2a77-warfarin-0002", [draft("k2-1", "menaquinone-7", 100, "ug")], prefetch=None
    )
    body["fhirServer"] = fhir_base
    response = post(base, SIGN, body)
    assert response.status_code == 200
    assert response.json() == {"cards": []}


def test_incomplete_prefetch_is_completed_from_the_fhir_server(serve, feedback_db) -> None:
    record = warfarin_record()
    fhir = fhir_app(record)
    fhir_base = serve(fhir)
    base = serve(create_cds_app(dev_settings(feedback_db)))
    body = order_sign(
        "8c1d2a77-warfarin-0002",
        [draft("k2-1", "menaquinone-7", 100, "ug")],
        {"patient": record[0], "medicationRequests": None},
    )
    body["fhirServer"] = fhir_base
    body["fhirAuthorization"] = {"access_token": "opaque-1", "token_type": "Bearer"}
    (card,) = cards(post(base, SIGN, body))
    assert card["source"]["topic"]["code"] == "vka-with-vitamin-k"
    # four searches (the patient came in the prefetch)
    assert fhir.state.seen_authorization == ["Bearer opaque-1"] * 4


# --------------------------------------------------------------------------- Synthea
@pytest.fixture(scope="module")
def synthea() -> dict[str, list[dict[str, Any]]]:
    if not SYNTHEA.is_dir():
        pytest.skip(f"the Synthea sample is not here ({SYNTHEA}); it lives in ../shared/data")
    resources: list[dict[str, Any]] = []
    for path in sorted(SYNTHEA.glob("*.ndjson")):
        resources.extend(read_ndjson(path.read_text().splitlines()))  # type: ignore[arg-type]
    return {k[-8:]: v for k, v in group_by_patient(resources).items()}  # type: ignore[misc]


def _synthea_prefetch(resources: list[dict[str, Any]]) -> dict[str, Any]:
    kept = [r for r in resources if r["resourceType"] != "Medication"]
    return prefetch_of(kept)


@pytest.mark.parametrize(
    ("patient", "text", "amount", "unit", "expected"),
    [
        # CKD stage 4 and a kidney transplant, active and confirmed (one card: CKD G4-G5
        # supersedes the transplant rule and keeps its advice). "Hyperglycemia" is not
        # hypercalcaemia: it is never screened as that.
        (
            "946ab056",
            "cholecalciferol",
            2000,
            "[iU]",
            {("critical", "ckd-g4-g5-vitamin-d-or-calcium")},
        ),
        # an active oral bisphosphonate (alendronate) and ferrous sulfate: calcium is to be
        # taken apart from both
        (
            "753578a4",
            "calcium carbonate",
            600,
            "mg",
            {
                ("info", "oral-bisphosphonate-calcium-magnesium-spacing"),
                ("info", "iron-calcium-spacing"),
            },
        ),
        # thiazide (hydrochlorothiazide) with a modest calcium dose: nothing to say
        ("26f46cce", "calcium carbonate", 600, "mg", set()),
        # a young man with nothing relevant taking K2
        ("f72c5761", "menaquinone-7", 100, "ug", set()),
    ],
)
def test_synthea_shaped_order_sign(
    serve, feedback_db, synthea, patient, text, amount, unit, expected
) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    resources = synthea[patient]
    (record,) = [r for r in resources if r["resourceType"] == "Patient"]
    body = order_sign(
        record["id"], [draft("d-1", text, amount, unit)], _synthea_prefetch(resources)
    )
    found = cards(post(base, SIGN, body))
    for card in found:
        check_card_shape(card)
    assert {(c["indicator"], c["source"]["topic"]["code"]) for c in found} == expected


def test_synthea_patient_view_is_silent_without_supplements(serve, feedback_db, synthea) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    for resources in synthea.values():
        (record,) = [r for r in resources if r["resourceType"] == "Patient"]
        body = {
            "hookInstance": "5f0d3c52-64c1-4b8a-9d8e-2f7a3c9b1e20",
            "hook": "patient-view",
            "context": {"userId": "Practitioner/example", "patientId": record["id"]},
            "prefetch": _synthea_prefetch(resources),
        }
        assert cards(post(base, "/cds-services/d3k2-patient-view", body)) == []


# --------------------------------------------------------------------------- feedback
def test_feedback_is_stored_and_rates_are_shown(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    body = order_sign(
        "8c1d2a77-warfarin-0002",
        [draft("k2-1", "menaquinone-7", 100, "ug")],
        prefetch_of(warfarin_record()),
    )
    first = cards(post(base, SIGN, body))[0]
    second = cards(post(base, SIGN, body))[0]
    accepted = {
        "feedback": [
            {
                "card": first["uuid"],
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": first["suggestions"][0]["uuid"]}],
                "outcomeTimestamp": "2026-12-01T10:00:00Z",
            }
        ]
    }
    overridden = {
        "feedback": [
            {
                "card": second["uuid"],
                "outcome": "overridden",
                "overrideReason": {
                    "reason": second["overrideReasons"][0],
                    "userComment": "free text is not stored",
                },
                "outcomeTimestamp": "2026-12-01T10:01:00Z",
            }
        ]
    }
    for payload in (accepted, overridden):
        answer = post(base, f"{SIGN}/feedback", payload)
        assert answer.status_code == 200, answer.text
    rates = httpx.get(base + "/cds-services/feedback/rates", timeout=10).json()
    assert rates["rules"]["vka-with-vitamin-k"] == {
        "issued": 2,
        "accepted": 1,
        "overridden": 1,
        "accept_rate": 0.5,
        "override_rate": 0.5,
    }
    assert rates["override_reasons"] == [
        {
            "rule_id": "vka-with-vitamin-k",
            "reason": "prescriber-agreed",
            "display": "Agreed with the prescriber or clinic concerned",
            "count": 1,
        }
    ]
    page = httpx.get(base + "/cds-services/feedback/report", timeout=10)
    assert page.headers["content-type"].startswith("text/html")
    assert "vka-with-vitamin-k" in page.text and "50%" in page.text
    assert "free text is not stored" not in feedback_db.read_bytes().decode("latin-1")
    bad = post(base, f"{SIGN}/feedback", {"feedback": [{"card": "x", "outcome": "ignored"}]})
    assert bad.status_code == 400


# --------------------------------------------------------------------------- protocol
def test_protocol_errors_and_cors(serve, feedback_db) -> None:
    base = serve(
        create_cds_app(dev_settings(feedback_db, cors_origins=("https://sandbox.cds-hooks.org",)))
    )
    assert post(base, "/cds-services/nope", {"hook": "order-sign"}).status_code == 404
    wrong_hook = post(base, SIGN, {"hook": "patient-view", "context": {"patientId": "1"}})
    assert wrong_hook.status_code == 400
    assert post(base, SIGN, {"hook": "order-sign", "context": {}}).status_code == 400
    not_json = httpx.post(base + SIGN, content=b"{", timeout=10)
    assert not_json.status_code == 400
    preflight = httpx.options(
        base + SIGN,
        headers={
            "Origin": "https://sandbox.cds-hooks.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
        timeout=10,
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://sandbox.cds-hooks.org"


def test_order_select_speaks_about_the_selected_orders_only(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    body = order_sign(
        "8c1d2a77-warfarin-0002",
        [
            draft("k2-1", "menaquinone-7", 100, "ug"),
            draft("d3-1", "cholecalciferol", 1000, "[iU]"),
        ],
        prefetch_of(warfarin_record()),
    )
    body["hook"] = "order-select"
    body["context"]["selections"] = ["MedicationRequest/d3-1"]
    select = "/cds-services/d3k2-order-select"
    assert cards(post(base, select, body)) == []
    body["context"]["selections"] = ["MedicationRequest/k2-1"]
    (card,) = cards(post(base, select, body))
    assert card["source"]["topic"]["code"] == "vka-with-vitamin-k"


def test_fetching_from_the_fhir_server_logs_no_patient_data(
    serve, feedback_db, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fhir_base = serve(fhir_app(warfarin_record()))
    base = serve(create_cds_app(dev_settings(feedback_db)))
    body = order_sign("8c1d2a77-warfarin-0002", [draft("k2-1", "menaquinone-7", 100, "ug")], None)
    body["fhirServer"] = fhir_base
    body["fhirAuthorization"] = {"access_token": "opaque-secret-42", "token_type": "Bearer"}
    assert len(cards(post(base, SIGN, body))) == 1
    assert "8c1d2a77" not in caplog.text
    assert "opaque-secret-42" not in caplog.text


def test_mount_adds_the_routes_to_an_existing_app(serve, feedback_db) -> None:
    from fastapi import FastAPI

    from d3k2.cds_hooks.app import mount

    app = FastAPI()

    @app.get("/")
    def home() -> dict[str, str]:
        return {"page": "the web app"}

    mount(app, dev_settings(feedback_db))
    base = serve(app)
    assert httpx.get(base + "/", timeout=10).json() == {"page": "the web app"}
    assert len(httpx.get(base + "/cds-services", timeout=10).json()["services"]) == 3


def test_a_vitamin_k_draft_without_a_dose_still_gets_its_card(serve, feedback_db) -> None:
    base = serve(create_cds_app(dev_settings(feedback_db)))
    undosed = draft("k2-1", "menaquinone-7", 100, "ug")
    del undosed["dosageInstruction"]
    capsule = draft("d3-1", "cholecalciferol 1.25 MG Oral Capsule", 1, "{capsule}")
    body = order_sign("8c1d2a77-warfarin-0002", [undosed, capsule], prefetch_of(warfarin_record()))
    (card,) = cards(post(base, SIGN, body))
    assert card["source"]["topic"]["code"] == "vka-with-vitamin-k"
    assert "**Dose not checked:** menaquinone-7: no dose given." in card["detail"]
    (suggestion,) = card["suggestions"]
    assert suggestion["actions"][0]["resourceId"] == ["MedicationRequest/k2-1"]
