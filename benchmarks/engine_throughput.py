"""How fast the assessment engine screens profiles, and how much memory it needs.

Prints: knowledge-base load time, per-profile latency (median, p95) and throughput for
reading a profile (matching, parsing) and assessing it (rules, intake, labs), and the peak
resident memory. The profiles are generated from a fixed seed so runs compare; they mix
brands, misspellings, codes, labs and regimens the way real input does.

Run: ``make bench`` or ``.venv/bin/python benchmarks/engine_throughput.py [N]``.
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import statistics
import sys
import time
from typing import Any

from d3k2.core.screening.engine import assess
from d3k2.knowledge.loader import DATA_DIR, load_knowledge_from
from d3k2.reading.profile import Vocabularies, build_facts

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


def main(count: int = 2000) -> None:
    started = time.perf_counter()
    knowledge = load_knowledge_from(DATA_DIR)
    vocab = Vocabularies.build(knowledge)
    load_s = time.perf_counter() - started
    rng = random.Random(20261129)
    profiles = [synthetic_profile(rng) for _ in range(count)]
    today = dt.date(2026, 11, 29)
    read_ms: list[float] = []
    assess_ms: list[float] = []
    cold_read_ms: list[float] = []
    alerts = 0
    for profile in profiles[: count // 4]:
        # Cold: forget every remembered string first, as if each input were new.
        for index in (vocab.medications, vocab.conditions, vocab.labs):
            index._memo.clear()
        vocab.nutrients.memo.clear()
        t0 = time.perf_counter()
        build_facts(profile, knowledge, today=today, vocabularies=vocab)
        cold_read_ms.append((time.perf_counter() - t0) * 1000)
    for profile in profiles:
        t0 = time.perf_counter()
        facts = build_facts(profile, knowledge, today=today, vocabularies=vocab)
        t1 = time.perf_counter()
        report = assess(facts, knowledge, vocab.nutrients)
        t2 = time.perf_counter()
        read_ms.append((t1 - t0) * 1000)
        assess_ms.append((t2 - t1) * 1000)
        alerts += len(report.alerts)
    total_s = (sum(read_ms) + sum(assess_ms)) / 1000
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    print("d3k2 engine throughput (one process, one core)")
    print(
        f"  knowledge load + vocabulary index  {load_s * 1000:8.0f} ms "
        f"({len(knowledge.rules)} rules, {len(knowledge.medications)} medications)"
    )
    print(f"  profiles                           {count:8d}")
    print(
        f"  read profile   median / p95        {statistics.median(read_ms):8.2f} / "
        f"{p95(read_ms):.2f} ms  (strings seen before)"
    )
    print(
        f"  read, cold     median / p95        {statistics.median(cold_read_ms):8.2f} / "
        f"{p95(cold_read_ms):.2f} ms  (every string new)"
    )
    print(
        f"  assess         median / p95        {statistics.median(assess_ms):8.2f} / "
        f"{p95(assess_ms):.2f} ms"
    )
    print(f"  throughput                         {count / total_s:8.0f} profiles/s")
    print(f"  alerts per profile (mean)          {alerts / count:8.2f}")
    print(f"  peak resident memory               {peak_mib:8.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
