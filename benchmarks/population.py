"""Population screening (``d3k2 screen``) against its floor and its naive alternative.

For each size (patients; ``--sizes 10000,100000``; 1M fits only with time to spare: about
4.5 ms of one core per patient), a synthetic export is written by ``d3k2 synth`` (seed 1,
plain NDJSON, 50,000 patients per file) and these run, each in a fresh process so its peak
memory (largest resident set of the process and of any one of its children) is its own:

- ``scan``: a plain DuckDB scan of the same files, no screening (the floor):
  ``read_ndjson_objects`` and one ``json_extract_string`` per line;
- ``screen``: ``d3k2 screen`` with DuckDB and a process pool (``--workers``, default the
  cores), the protocol "vitamin D3 1000 IU daily; vitamin K2 MK-7 100 mcg daily";
- ``naive``: what people write first: every line ``json.loads``-ed into one list in memory,
  grouped per patient, each resource parsed with fhir.resources and screened in one
  process. Above ``--naive-max`` patients it runs on the first ``--naive-max`` patients'
  worth of files and its time is scaled linearly (marked "scaled").

Printed: wall time, patients/s, MB/s of NDJSON, peak memory. Targets (issue 11): within
2x of the scan, >= 20x faster than the naive loop, < 2 GB at 1M patients, linear time.

Run: ``.venv/bin/python benchmarks/population.py [--sizes 10000,100000] [--workers N]
[--modes scan,screen,naive]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROTOCOL = "vitamin D3 1000 IU daily; vitamin K2 MK-7 100 mcg daily"
AS_OF = dt.date(2026, 12, 1)


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def measure(mode: str, folder: Path, workers: int, limit: int | None) -> dict[str, float]:
    started = time.perf_counter()
    patients = 0
    if mode == "scan":
        import duckdb

        files = sorted(str(p) for p in folder.glob("*.ndjson"))
        con = duckdb.connect()
        (_count, _typed) = con.execute(
            "SELECT count(*), count(json_extract_string(json, '$.resourceType')) "
            "FROM read_ndjson_objects(?, ignore_errors = true)",
            [files],
        ).fetchone()
        patients = con.execute(
            "SELECT count(*) FROM read_ndjson_objects(?, ignore_errors = true) "
            "WHERE json_extract_string(json, '$.resourceType') = 'Patient'",
            [[f for f in files if Path(f).name.startswith("Patient")]],
        ).fetchone()[0]
    elif mode == "screen":
        from d3k2.api import Engine
        from d3k2.population.run import screen_export
        from d3k2.population.screening import ScreenSettings, read_protocol

        engine = Engine.default()
        settings = ScreenSettings(engine, AS_OF, read_protocol(engine, PROTOCOL, as_of=AS_OF))
        with tempfile.TemporaryDirectory() as out:
            result = screen_export(
                folder,
                Path(out),
                settings,
                plan_text=PROTOCOL,
                workers=workers,
                progress=False,
            )
        patients = result.patients
    else:  # naive
        import dataclasses

        from d3k2.api import Engine
        from d3k2.fhir import facts_from_fhir, group_by_patient
        from d3k2.population.screening import read_protocol

        engine = Engine.default()
        protocol = read_protocol(engine, PROTOCOL, as_of=AS_OF)
        resources = []
        for path in sorted(folder.glob("*.ndjson")):
            if limit is not None and path.name.split(".")[1] != "000":
                continue
            for line in path.read_text().splitlines():
                try:
                    resources.append(json.loads(line))
                except ValueError:
                    continue
        groups = group_by_patient(resources)
        for index, (patient_id, group) in enumerate(groups.items()):
            if limit is not None and index >= limit:
                break
            try:
                facts = facts_from_fhir(engine, group, as_of=AS_OF, patient_id=patient_id).facts
            except Exception:
                continue
            facts = dataclasses.replace(facts, plan=(*facts.plan, *protocol))
            engine.assess(facts, projection=False)
            patients += 1
    wall = time.perf_counter() - started
    own, child = _peak_mb()
    return {"wall_s": wall, "patients": patients, "peak_mb": own, "peak_child_mb": child}


def run_child(mode: str, folder: Path, workers: int, limit: int | None) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", mode, str(folder), "--workers", str(workers)]
    if limit is not None:
        command += ["--limit", str(limit)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--naive-max", type=int, default=20_000)
    parser.add_argument("--modes", default="scan,screen,naive", help="which runs, in order")
    parser.add_argument("--keep", type=Path, help="folder for the exports (kept)")
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        mode, folder = args.measure
        print(json.dumps(measure(mode, Path(folder), args.workers, args.limit)))
        return

    from d3k2.population.synth import write_export

    print(
        f"population screen benchmark: {os.cpu_count()} cores, workers={args.workers}, "
        f"python {sys.version.split()[0]}"
    )
    print(
        f"{'patients':>9} {'run':>7} {'wall s':>8} {'patients/s':>11} {'MB/s':>7} "
        f"{'peak MB (process / largest child)':>34}  note"
    )
    base = args.keep or Path(tempfile.mkdtemp(prefix="d3k2-bench-"))
    for size in (int(s) for s in args.sizes.split(",")):
        folder = base / f"synth-{size}"
        if not (folder / "manifest.json").exists():
            began = time.perf_counter()
            lines = write_export(folder, size, seed=1, patients_per_file=50_000)
            print(
                f"{size:>9} {'synth':>7} {time.perf_counter() - began:8.1f}  "
                f"({lines:,} lines written)"
            )
        megabytes = sum(p.stat().st_size for p in folder.glob("*.ndjson")) / 1e6
        limit = args.naive_max if size > args.naive_max else None
        for mode in args.modes.split(","):
            figures = run_child(mode, folder, args.workers, limit)
            wall = figures["wall_s"]
            note = ""
            if mode == "naive" and limit is not None:
                wall = wall * size / max(figures["patients"], 1)
                note = f"scaled from {figures['patients']:.0f} patients"
            print(
                f"{size:>9} {mode:>7} {wall:8.1f} {size / wall:11,.0f} {megabytes / wall:7.1f} "
                f"{figures['peak_mb']:>16,.0f} / {figures['peak_child_mb']:<15,.0f}  {note}"
            )
        print(f"{size:>9} {'NDJSON':>7} {megabytes:8.1f} MB")


if __name__ == "__main__":
    main()
