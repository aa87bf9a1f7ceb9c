"""Bounded loopback load test of the CDS Hooks order-sign service (with prefetch).

Starts ``d3k2 cds-serve`` on a free loopback port in a child process, sends 100 requests
one at a time (the service time without queueing), then sends order-sign requests at a
fixed rate (open loop: a request is sent on schedule whether or not earlier
ones have answered) for a fixed time, and prints p50/p95/p99 latency, the rate achieved and
the errors. Each request carries a fresh ES384-signed JWT (verified by the server) and the
prefetch of a patient on warfarin with a vitamin K2 draft order, so every answer holds one
critical card (and one SQLite insert). Target: p99 <= 50 ms at 100 requests/s.

Run: ``.venv/bin/python benchmarks/cds_load.py [--rate 100] [--seconds 10] [--no-jwt]``.
Only loopback is used; the run stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import ec

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fhir" / "fixtures" / "warfarin_transaction.json"
ISSUER = "https://ehr.example.org"
PATH = "/cds-services/d3k2-order-sign"
MAX_SECONDS = 120
MAX_RATE = 500


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request_body() -> dict[str, Any]:
    bundle = json.loads(FIXTURE.read_text())
    resources = [entry["resource"] for entry in bundle["entry"]]

    def searchset(kind: str) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": r} for r in resources if r["resourceType"] == kind],
        }

    patient = next(r for r in resources if r["resourceType"] == "Patient")
    draft = {
        "resourceType": "MedicationRequest",
        "id": "k2-draft",
        "status": "draft",
        "intent": "order",
        "medicationCodeableConcept": {"text": "Vitamin K2 MK-7 100 mcg capsule"},
        "subject": {"reference": f"Patient/{patient['id']}"},
        "dosageInstruction": [
            {
                "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
                "doseAndRate": [{"doseQuantity": {"value": 100, "unit": "ug", "code": "ug"}}],
            }
        ],
    }
    return {
        "hookInstance": str(uuid.uuid4()),
        "hook": "order-sign",
        "context": {
            "userId": "Practitioner/example",
            "patientId": patient["id"],
            "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": draft}]},
        },
        "prefetch": {
            "patient": patient,
            "medicationRequests": searchset("MedicationRequest"),
            "medicationStatements": searchset("MedicationStatement"),
            "conditions": searchset("Condition"),
            "observations": searchset("Observation"),
        },
    }


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc (Linux); else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def start_server(port: int, key: Any, use_jwt: bool, folder: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["D3K2_CDS_FEEDBACK_DB"] = str(Path(folder) / "feedback.sqlite3")
    if use_jwt:
        public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        public["kid"] = "bench"
        env["D3K2_CDS_ISSUERS"] = json.dumps({ISSUER: {"keys": [public]}})
    command = [sys.executable, "-m", "d3k2", "cds-serve", "--host", "127.0.0.1"]
    command += ["--port", str(port)] + ([] if use_jwt else ["--dev"])
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/cds-services", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start in 30 s")


async def run(
    base: str, rate: float, seconds: float, key: Any, use_jwt: bool, server_pid: int
) -> None:
    body = request_body()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    total = int(rate * seconds)

    def headers() -> dict[str, str]:
        if not use_jwt:
            return {}
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": base + PATH,
            "iat": now,
            "exp": now + 300,
            "jti": str(uuid.uuid4()),
        }
        signed = jwt.encode(claims, key, algorithm="ES384", headers={"kid": "bench"})
        return {"Authorization": f"Bearer {signed}"}

    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, timeout=10, limits=limits) as client:
        # warm up: first requests build caches (fhir.resources models, matching indexes)
        for _ in range(20):
            await client.post(PATH, json=body, headers=headers())

        # closed loop first: one request at a time, the service time without queueing
        sequential: list[float] = []
        for _ in range(100):
            prepared = headers()
            sent = time.perf_counter()
            await client.post(PATH, json=body, headers=prepared)
            sequential.append(time.perf_counter() - sent)
        sequential.sort()
        print(
            f"one at a time (100 requests): p50 {sequential[49] * 1000:.1f} ms, "
            f"p95 {sequential[94] * 1000:.1f} ms, p99 {sequential[98] * 1000:.1f} ms"
        )

        # tokens are signed before the clock starts: signing is the EHR's cost
        prepared_headers = [headers() for _ in range(total)]

        async def one(index: int, start_at: float) -> None:
            await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
            prepared = prepared_headers[index]
            sent = time.perf_counter()
            try:
                answer = await client.post(PATH, json=body, headers=prepared)
                latencies.append(time.perf_counter() - sent)
                if answer.status_code != 200 or len(answer.json()["cards"]) != 1:
                    errors[f"HTTP {answer.status_code}"] = (
                        errors.get(f"HTTP {answer.status_code}", 0) + 1
                    )
            except httpx.HTTPError as error:
                errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1

        cpu_before = cpu_seconds(server_pid)
        began = time.perf_counter()
        await asyncio.gather(*(one(i, began + i / rate) for i in range(total)))
        elapsed = time.perf_counter() - began
        cpu_after = cpu_seconds(server_pid)

    latencies.sort()
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    print(
        f"at {rate:g} requests/s: order-sign with prefetch, "
        f"{'JWT ES384' if use_jwt else 'development mode (no JWT)'}"
    )
    print(
        f"requests: {len(latencies)} answered of {total} in {elapsed:.1f} s "
        f"({len(latencies) / elapsed:.1f} req/s offered {rate:g}/s); errors: {errors or 'none'}"
    )
    print(
        f"latency ms: p50 {quantiles[49] * 1000:.1f}  p95 {quantiles[94] * 1000:.1f}  "
        f"p99 {quantiles[98] * 1000:.1f}  max {latencies[-1] * 1000:.1f}"
    )
    print(f"target p99 <= 50 ms: {'met' if quantiles[98] <= 0.050 else 'NOT met'}")
    if cpu_before is not None and cpu_after is not None and latencies:
        per_request_ms = (cpu_after - cpu_before) / len(latencies) * 1000
        print(
            f"server CPU per request: {per_request_ms:.1f} ms "
            f"(one free core would serve about {1000 / per_request_ms:.0f} requests/s)"
        )
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long to send")
    parser.add_argument("--no-jwt", action="store_true", help="development mode, unsigned")
    args = parser.parse_args()
    rate = min(max(args.rate, 1.0), MAX_RATE)
    seconds = min(max(args.seconds, 1.0), MAX_SECONDS)
    key = ec.generate_private_key(ec.SECP384R1())
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(port, key, not args.no_jwt, folder)
        try:
            asyncio.run(
                run(f"http://127.0.0.1:{port}", rate, seconds, key, not args.no_jwt, server.pid)
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
