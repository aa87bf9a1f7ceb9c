"""`d3k2 serve` is one application: the web pages, the JSON API and the CDS Hooks services,
on one engine, on a real server on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from tests.web.conftest import LiveServer

from d3k2.cli.serve import serving_app
from d3k2.web.settings import WebSettings

REPO = Path(__file__).resolve().parents[2]


def test_one_server_serves_the_web_api_and_cds_hooks() -> None:
    server = LiveServer(serving_app(WebSettings(host="127.0.0.1", port=0)))
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            discovery = http.get("/cds-services").json()
            assert {s["hook"] for s in discovery["services"]} >= {
                "patient-view",
                "order-select",
                "order-sign",
            }
            from d3k2.reading.profile_file import load_profile

            profile = load_profile(REPO / "examples" / "profile.yaml", lambda data: data)
            report = http.post(
                "/api/assess",
                params={"today": "2026-11-29"},
                json=json.loads(json.dumps(profile, default=str)),
            )
            assert report.status_code == 200, report.text
            assert report.json()["alerts"][0]["severity"] == "major"
            assert http.get("/").status_code == 200
    finally:
        server.stop()
