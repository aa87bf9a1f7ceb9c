"""Bounded load test of ``POST /api/assess`` on loopback.

Starts ``d3k2 serve`` on a free loopback port (a separate process, so the load generator
does not share its interpreter), sends requests at a fixed rate (open loop: request i is
sent at t0 + i/rate, whatever happened before) for a fixed count, with and without the
25(OH)D projection, and prints p50/p95/p99 latency and the achieved requests per second.
Latency is measured from each request's scheduled time, so a server that falls behind
is not flattered (no coordinated omission). Profiles vary (seeded) so nothing is cached.

Run: ``.venv/bin/python benchmarks/web_load.py [--rate 100] [--count 1000] [--workers 1]``.
Target: p99 <= 50 ms at 100 requests/s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-01"
MEDICATIONS = ["Coumadin 3mg", "warfarin 5 mg", "HCTZ 25 mg", "atorvastatin 20 mg", "Lasix 40"]
CONDITIONS = ["atrial fibrillation", "chronic kidney disease stage 3", "sarcoidosis", "asthma"]
PLANS = [
    "D3 50,000 IU weekly for 8 weeks, then 2000 IU daily",
    "D3 2000 IU daily",
    "vitamin D3 1000 IU daily",
    "D3 4000 IU daily",
]


def profiles(n: int, seed: int = 9) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        profile = {
            "age": rng.randint(20, 90),
            "sex": rng.choice(["female", "male"]),
            "weight": f"{rng.randint(50, 120)} kg",
            "medications": rng.sample(MEDICATIONS, rng.randint(0, 3)),
            "conditions": rng.sample(CONDITIONS, rng.randint(0, 2)),
            "labs": [
                {
                    "test": "25-hydroxyvitamin D",
                    "value": rng.randint(8, 45),
                    "unit": "ng/mL",
                    "date": "2026-10-01",
                },
                {"test": "calcium", "value": round(rng.uniform(2.1, 2.7), 2), "unit": "mmol/L"},
            ],
            "plan": [rng.choice(PLANS), "vitamin K2 MK-7 100 mcg daily"],
        }
        out.append(json.dumps(profile).encode())
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(port: int, workers: int) -> subprocess.Popen[bytes]:
    d3k2 = Path(sys.executable).parent / "d3k2"
    env = {**os.environ, "D3K2_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [str(d3k2), "serve", "--host", "127.0.0.1", "--port", str(port)]
        + (["--workers", str(workers)] if workers > 1 else []),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the server process and its direct children (workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[1] is the parent pid; fields[11], fields[12] are utime and stime
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def run(port: int, path: str, bodies: list[bytes], rate: float, count: int) -> dict[str, float]:
    local = threading.local()
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def one(i: int, t0: float) -> None:
        nonlocal failures
        scheduled = t0 + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                "POST",
                path,
                body=bodies[i % len(bodies)],
                headers={"content-type": "application/json"},
            )
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except OSError:
            local.conn = None
            ok = False
        elapsed = time.perf_counter() - scheduled
        with lock:
            latencies.append(elapsed)
            if not ok:
                failures += 1

    # warm-up (not counted): a few requests of each kind
    for i in range(20):
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        warm.request("POST", path, body=bodies[i], headers={"content-type": "application/json"})
        warm.getresponse().read()
    with ThreadPoolExecutor(max_workers=64) as pool:
        t0 = time.perf_counter() + 0.05
        for i in range(count):
            pool.submit(one, i, t0)
    duration = time.perf_counter() - t0
    ms = sorted(x * 1000 for x in latencies)

    def pct(q: float) -> float:
        return ms[min(len(ms) - 1, round(q * (len(ms) - 1)))]

    return {
        "requests": len(ms),
        "failures": failures,
        "req_per_s": len(ms) / duration,
        "p50": statistics.median(ms),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": ms[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--count", type=int, default=1000, help="requests per scenario")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    count = max(50, min(args.count, 20_000))  # bounded
    port = free_port()
    server = start_server(port, args.workers)
    bodies = profiles(200)
    print(
        f"web load: {count} requests per scenario at {args.rate:g} req/s on loopback, "
        f"{args.workers} worker(s), {os.cpu_count()} cores"
    )
    print(f"  load average before: {os.getloadavg()[0]:.2f} (other processes share the cores)")
    try:
        for label, projection in (("without projection", "false"), ("with projection", "true")):
            path = f"/api/assess?today={TODAY}&projection={projection}"
            before = cpu_seconds(server.pid)
            r = run(port, path, bodies, args.rate, count)
            cpu_ms = (cpu_seconds(server.pid) - before) * 1000 / count
            verdict = "meets" if r["p99"] <= 50 else "MISSES"
            print(
                f"  /api/assess {label:20s} p50 {r['p50']:6.1f} ms  p95 {r['p95']:6.1f} ms  "
                f"p99 {r['p99']:6.1f} ms  max {r['max']:6.1f} ms  {r['req_per_s']:6.1f} req/s  "
                f"failures {int(r['failures'])}  server CPU {cpu_ms:.1f} ms/request  "
                f"({verdict} p99 <= 50 ms)"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
