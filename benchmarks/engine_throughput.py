"""How fast d3k2 starts and assesses, and how much memory it needs: the path users run
beside the bare engine, so no figure reads as more than it is.

Prints, on this machine (one process, one core unless stated):

- cold start of real commands (a new Python process each run, best and median of N):
  ``d3k2 --help``, ``d3k2 version``, ``d3k2 assess examples/profile.yaml --format json``
  (with the knowledge snapshot, and without it: ``D3K2_NO_SNAPSHOT=1``), with peak memory;
- knowledge: building the knowledge base from its files, loading it from the snapshot,
  building the engine (vocabulary indexes);
- per profile, p50 / p95 / p99: reading a profile (strings seen before, and every string
  new), the bare rule engine, the assessment without and with the projection, the user's
  path (read + assess + projection + JSON), and plan-dose;
- a stream of N profiles through ``Engine.assess_many`` (projection off).

Targets (issue 6): cold assess <= 0.5 s and <= 80 MB, --help/version <= 0.3 s; assessment
without projection p50 <= 0.5 ms, p99 <= 2 ms; with projection p50 <= 3 ms; plan-dose
<= 40 ms; stream >= 2,000 profiles/s/core. The figures are printed, not asserted.

Run: ``make bench`` or ``.venv/bin/python benchmarks/engine_throughput.py [N] [--runs R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from d3k2.api import DosePlanRequest, Engine
from d3k2.core.screening.engine import assess
from d3k2.knowledge.base import build_knowledge_base, load_knowledge_base
from d3k2.knowledge.fingerprint import DATA_DIR
from d3k2.reading.profile import build_facts
from d3k2.render.contract import assessment_out, to_json

REPO = Path(__file__).resolve().parents[1]

MEDICATIONS = [
    "Coumadin 3mg",
    "Eliquis 5 mg",
    "HCTZ 25 mg",
    "Hyzaar",
    "atorvastatin 20 mg",
    "metformin 500 mg",
    "levothyroxine 100 mcg",
    "cumadin",
    "phenobarb",
    "Lasix 40",
    "prednisone 10 mg",
    "Fosamax 70 mg weekly",
    "omeprazole 20",
    "zorblaxitol",
    "Vitamin D3 1000 IU daily",
    {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "855332"},
]
CONDITIONS = [
    "atrial fibrillation",
    "CKD stage 4",
    "CKD 3b",
    "sarcoidosis",
    "kidney stones",
    "hypertension",
    "type 2 diabetes",
    "osteoporosis",
    "N18.4",
    "primary hyperparathyroidism",
    "no kidney stones",
    {"system": "http://snomed.info/sct", "code": "431857002"},
]
PLANS = [
    "vitamin D3 50,000 IU weekly for 8 weeks, then 2000 IU daily",
    "D3 2000 IU/day",
    "K2 MK-7 100 mcg daily",
    "calcium citrate 600 mg elemental twice daily",
    {"nutrient": "calcium", "amount": 500, "unit": "mg", "every": "day"},
    "magnesium glycinate 200 mg bid",
    "vitamin D3 100,000 IU once",
]


def synthetic_profile(rng: random.Random) -> dict[str, Any]:
    age = rng.choice([0.5, 4, 12, 17, 25, 40, 55, 67, 80])
    sex = rng.choice(["female", "male"])
    profile: dict[str, Any] = {
        "age": age,
        "sex": sex,
        "weight": f"{rng.randint(50, 120)} kg",
        "medications": rng.sample(MEDICATIONS, rng.randint(0, 4)),
        "conditions": rng.sample(CONDITIONS, rng.randint(0, 3)),
        "labs": [
            {"test": "25(OH)D", "value": rng.randint(8, 80), "unit": "ng/mL", "date": "2026-10-01"},
            {"test": "calcium", "value": round(rng.uniform(2.1, 3.0), 2), "unit": "mmol/L"},
            {"loinc": "62238-1", "value": rng.randint(10, 110), "unit": "mL/min/1.73m2"},
        ][: rng.randint(0, 3)],
        "diet": {"calcium": f"{rng.randint(300, 1200)} mg", "vitamin_d": "4 mcg"},
        "plan": rng.sample(PLANS, rng.randint(1, 3)),
    }
    if sex == "female" and 18 <= age <= 45 and rng.random() < 0.2:
        profile["pregnant"] = True
    return profile


def percentiles(values: list[float]) -> str:
    """p50 / p95 / p99 of ``values`` [ms]."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return f"{statistics.median(values):7.3f} / {cuts[94]:7.3f} / {cuts[98]:7.3f} ms"


def cold_start(args: list[str], runs: int, env: dict[str, str] | None = None) -> str:
    """Best and median wall time of a new process running ``d3k2 args``, and its peak RSS."""
    walls: list[float] = []
    peak_kib = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "d3k2", *args],
            cwd=REPO,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        walls.append(time.perf_counter() - started)
        peak_kib = max(peak_kib, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return (
        f"best {min(walls):5.2f} s, median {statistics.median(walls):5.2f} s, "
        f"peak RSS of any child so far {peak_kib / 1024:4.0f} MiB"
    )


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """CPU time of this thread [ms] (immune to other processes on a shared machine) and
    the result."""
    started = time.thread_time()
    result = function()
    return (time.thread_time() - started) * 1000, result


def main(count: int, runs: int) -> None:
    print("d3k2 start-up and engine throughput")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"  machine: {os.cpu_count()} cores, load average {load}; Python {sys.version.split()[0]}"
    )
    print("  in-process figures are CPU time of the thread; cold starts are wall time")
    print("cold start (a new process per run)")
    for label, args, env in (
        ("d3k2 --help", ["--help"], None),
        ("d3k2 version", ["version"], None),
        ("assess --format json", ["assess", "examples/profile.yaml", "--format", "json"], None),
        (
            "assess, no snapshot",
            ["assess", "examples/profile.yaml", "--format", "json"],
            {"D3K2_NO_SNAPSHOT": "1"},
        ),
    ):
        print(f"  {label:<28} {cold_start(args, runs, env)}")

    build_ms, base = timed(lambda: build_knowledge_base(DATA_DIR))
    snapshot_ms, _ = timed(lambda: load_knowledge_base(DATA_DIR))
    engine_ms, engine = timed(lambda: Engine(base))
    print("knowledge")
    print(
        f"  build from files {build_ms:7.0f} ms; from snapshot {snapshot_ms:5.0f} ms; "
        f"engine (indexes) {engine_ms:5.0f} ms; {len(base.clinical.rules)} rules, "
        f"{len(base.clinical.medications)} medications"
    )

    rng = random.Random(20261129)
    profiles = [synthetic_profile(rng) for _ in range(count)]
    today = dt.date(2026, 11, 29)
    knowledge, vocab = engine.knowledge, engine.vocabularies
    cold_read: list[float] = []
    for profile in profiles[: max(1, count // 4)]:
        for index in (vocab.medications, vocab.conditions, vocab.labs):
            index._memo.clear()
        vocab.nutrients.memo.clear()
        cold_read.append(timed(lambda p=profile: engine.read_profile(p, today=today))[0])
    read: list[float] = []
    bare: list[float] = []
    no_projection: list[float] = []
    with_projection: list[float] = []
    user_path: list[float] = []
    for profile in profiles:
        ms, facts = timed(
            lambda p=profile: build_facts(p, knowledge, today=today, vocabularies=vocab)
        )
        read.append(ms)
        bare.append(timed(lambda f=facts: assess(f, knowledge, vocab.nutrients))[0])
        no_projection.append(timed(lambda f=facts: engine.assess(f, projection=False))[0])
        with_projection.append(timed(lambda f=facts: engine.assess(f))[0])
        user_path.append(
            timed(
                lambda p=profile: to_json(
                    assessment_out(engine.assess(engine.read_profile(p, today=today).facts), engine)
                )
            )[0]
        )
    print(f"per profile ({count} generated profiles), p50 / p95 / p99")
    print(f"  read profile (strings seen before) {percentiles(read)}")
    print(f"  read profile (every string new)    {percentiles(cold_read)}")
    print(f"  rule engine alone                  {percentiles(bare)}")
    print(f"  assess, projection off             {percentiles(no_projection)}")
    print(f"  assess, projection on              {percentiles(with_projection)}")
    print(f"  user's path: read+assess+proj+JSON {percentiles(user_path)}")

    plans = [
        timed(
            lambda b=baseline: engine.plan_dose(
                DosePlanRequest(
                    baseline=f"{b} ng/mL", target="30 ng/mL", weight="82 kg", age=67, today=today
                )
            )
        )[0]
        for baseline in (8, 12, 18, 24, 28) * 4
    ]
    print(f"  plan-dose (20 plans)               {percentiles(plans)}")

    stream = [synthetic_profile(rng) for _ in range(count * 5)]
    wall, cpu = time.perf_counter(), time.thread_time()
    done = sum(1 for _ in engine.assess_many(stream, today=today, projection=False))
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    print(
        f"stream of {done} profiles (assess_many: read + assess, projection off): "
        f"{done / cpu:,.0f} profiles per CPU-second ({done / wall:,.0f}/s wall)"
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=2000, help="profiles per figure")
    parser.add_argument("--runs", type=int, default=5, help="cold-start runs per command")
    arguments = parser.parse_args()
    main(arguments.count, arguments.runs)
