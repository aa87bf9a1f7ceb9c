"""Cold start of the commands people run most: a new Python process per run.

Prints, per command, the best and the median wall time and CPU time (user + system of the
child) over N runs. The machine is shared, so the wall time moves with the load; the CPU
time moves much less and is the figure to compare between two versions of the code.

Two byte-code settings are measured, because they differ by ~0.1 s here:

- ``pyc cached``: compiled modules are kept (in a private ``PYTHONPYCACHEPREFIX`` folder,
  warmed by one untimed run), as after ``pip install``: what a user sees;
- ``no pyc``: ``PYTHONDONTWRITEBYTECODE=1`` and no cache, every d3k2 module compiled
  from source at each start (a sandbox or a read-only checkout).

Target (issue 6, developer page): ``d3k2 assess examples/profile.yaml`` <= 0.5 s cold.
The figures are printed, not asserted.

Run: ``.venv/bin/python benchmarks/cold_start.py [--runs R] [--only pyc|nopyc]
[--commands help,assess,json,sun,plan-dose]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COMMANDS: dict[str, tuple[str, list[str]]] = {
    "help": ("d3k2 --help", ["--help"]),
    "assess": ("assess (text)", ["assess", "examples/profile.yaml"]),
    "json": ("assess --format json", ["assess", "examples/profile.yaml", "--format", "json"]),
    "sun": (
        "sun",
        [
            *("sun", "--lat", "52.5", "--lon", "13.4", "--date", "2026-06-21"),
            *("--skin-type", "II", "--exposed", "25%", "--minutes", "15"),
        ],
    ),
    "plan-dose": (
        "plan-dose",
        ["plan-dose", "--baseline", "18 ng/mL", "--target", "30 ng/mL", "--weight", "82 kg"],
    ),
}


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) [s] of one ``python -m d3k2 args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "d3k2", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def summary(values: list[float]) -> str:
    """Best and median of ``values`` [s]."""
    return f"best {min(values):5.3f} s, median {statistics.median(values):5.3f} s"


def measure(label: str, env: dict[str, str], runs: int, keys: list[str]) -> None:
    print(f"{label} ({runs} runs each)")
    for name, args in (COMMANDS[key] for key in keys):
        run_once(args, env)  # warms the page cache (and the pyc folder when one is used)
        walls: list[float] = []
        cpus: list[float] = []
        for _ in range(runs):
            wall, cpu = run_once(args, env)
            walls.append(wall)
            cpus.append(cpu)
        print(f"  {name:<22} wall {summary(walls)} | cpu {summary(cpus)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs per command")
    parser.add_argument("--only", choices=("pyc", "nopyc"), help="measure one setting only")
    parser.add_argument(
        "--commands",
        default=",".join(COMMANDS),
        help=f"comma-separated subset of: {', '.join(COMMANDS)}",
    )
    options = parser.parse_args(argv)
    keys = [key.strip() for key in options.commands.split(",") if key.strip()]
    unknown = [key for key in keys if key not in COMMANDS]
    if unknown:
        parser.error(f"unknown command(s) {', '.join(unknown)}; known: {', '.join(COMMANDS)}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"d3k2 cold start: {os.cpu_count()} cores, load average {load}, "
        f"Python {sys.version.split()[0]}"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    }
    if options.only in (None, "pyc"):
        with tempfile.TemporaryDirectory(prefix="d3k2-pyc-") as cache:
            measure("pyc cached", {**base, "PYTHONPYCACHEPREFIX": cache}, options.runs, keys)
    if options.only in (None, "nopyc"):
        measure("no pyc", {**base, "PYTHONDONTWRITEBYTECODE": "1"}, options.runs, keys)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
