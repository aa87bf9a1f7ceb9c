"""Accuracy of the 25(OH)D projection on published trial arms, against straight-line rules.

Reads ``shared/data/dose_response_calibration.csv`` (beside the repository; see its README)
and prints mean absolute error (MAE) and mean error (bias = predicted - observed) in nmol/L
in two modes:

- ``change``: the change from a measured pre-dose baseline (placebo and control arms
  included: their change is the seasonal drift);
- ``vs placebo``: the difference between an active arm and the placebo (or untreated
  control) arm measured at the same time (``group_id``).

d3k2's own model is scored leave-one-study-out: for each study, the fitted parameters
(``how: fitted`` in tables/projection.yaml) are re-fitted on the core rows of every other
study, pulled towards their literature priors, and the held-out study is predicted. The
straight-line anchors are scored on the same rows:

- Heaney 2003: 0.70 nmol/L per ug/day;
- Aloia 2008: 0.66 nmol/L per ug/day (slope at 9 weeks; the abstract reports no
  baseline-dependent slope);
- the "1 ng/mL per 100 IU/day" rule (2.496 nmol/L per 100 IU/day).

The headline is the ``core`` rows that no anchor was fitted on; rows an anchor was fitted
on (``used_to_fit``) are reported separately. ``--fit`` prints the parameters fitted on all
core rows (what tables/projection.yaml holds).

The external validation set (``benchmarks/data/projection_external_trials.csv``, published
arms NOT in the calibration file, each with its source and where in it the numbers are) is
scored with the parameters fitted on all core rows of the calibration file: it is never
fitted. Every table compares the current model with version 1 (``d3k2-1cmt-saturable``:
the same equations without the clearance adaptation, with its own three fitted parameters,
re-fitted the same way), and reports MAE and bias by dose band.

The fit of the current model also holds it to a long-term level read from the literature
(``LITERATURE_STEADY_STATES``): Kimball 2017 (about 100 nmol/L on 6,000 IU/day, normal BMI),
at 70 kg and an assumed untreated level of 60 nmol/L. Ekwaru 2014's slope (1.1 nmol/L per
1,000 IU between 15,000 and 20,000 IU/day) is printed as a check (``LITERATURE_CHECKS``).
Version 2 (five fitted parameters, both literature figures in its fit, the induction
half-time fitted) is scored beside it the same way.

Assumptions are printed with the table: a row without a time point is scored at day 150;
a row without a baseline in ``change`` mode uses a stated imputation; the season of a trial
is read from its ``season`` column when it names a month, otherwise no seasonal drift.

Usage: ``python benchmarks/projection_accuracy.py [--fit] [--quick] [--rows] [--data PATH]
[--external PATH]``
(``--data`` or ``$D3K2_SHARED_DATA`` point elsewhere; without the file it says so and exits
0, so ``make bench`` runs on a fresh clone).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from d3k2.api import Engine
from d3k2.core.kinetics.projection import (
    MODEL_VERSION,
    ProjectionParameters,
    intake_for_steady_state_iu_per_kg_day,
    seasonal_factor,
    simulate_25ohd_nmol_l,
    steady_state_25ohd_nmol_l,
)
from d3k2.core.quantities import IU_PER_MCG_VITAMIN_D, NMOL_L_PER_NG_ML_25OHD

MODEL_LABEL = f"v{MODEL_VERSION}"
"""Column label of the current model (``MODEL_NAME`` in the header line)."""

DATA_FILE_NAME = "dose_response_calibration.csv"
DATA_DIR_ENV = "D3K2_SHARED_DATA"
"""Environment variable naming the folder that holds the calibration file."""
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
DATA_FILE = DEFAULT_DATA_DIR / DATA_FILE_NAME
EXTERNAL_FILE = Path(__file__).resolve().parent / "data" / "projection_external_trials.csv"
"""Published arms not in the calibration file (never fitted); see data/README.md."""


def data_file(option: str | None) -> Path:
    """The calibration file: ``--data`` (a file or its folder), else $D3K2_SHARED_DATA, else
    ``../shared/data`` beside the repository."""
    chosen = option or os.environ.get(DATA_DIR_ENV)
    path = Path(chosen) if chosen else DEFAULT_DATA_DIR
    return path / DATA_FILE_NAME if path.is_dir() or not path.suffix else path


DEFAULT_TIMEPOINT_DAYS = 150
"""Assumed day of the blood draw when the row has none (the trials ran >= 20 weeks)."""
PEAK_SEARCH_DAYS = 120
"""Rows reporting the peak after a bolus are scored on the projected maximum up to day 120."""
PRIOR_SD_LOG = math.log(3.0)
"""Width of the literature priors on the fitted parameters (a factor of 3, one SD)."""
RESIDUAL_SD_NMOL_L = 10.0
"""Scale that weighs the priors against squared errors in the fit."""
FITTED = (
    "saturable_capacity_nmol_l",
    "saturable_half_intake_iu_per_kg_day",
    "linear_slope_nmol_l_per_iu_per_kg_day",
    "induction_scale_nmol_l",
)
"""Fitted parameters of the current model (v3). The induction half-time is NOT fitted: trials
of 8-26 weeks cannot identify it (v2's fit moved it from 90 to 1,528 days and its
leave-one-study-out refits swung between fast and slow adaptation); it is a fixed
convention in tables/projection.yaml, the same in every fold."""
FITTED_V1 = FITTED[:3]
"""Version 1 fitted only the production parameters (no clearance adaptation)."""
V1_PARAMETERS = {
    # tables/projection.yaml of d3k2-1cmt-saturable v1 (docs/projection.md, git history).
    "saturable_capacity_nmol_l": 57.66,
    "saturable_half_intake_iu_per_kg_day": 1.875,
    "linear_slope_nmol_l_per_iu_per_kg_day": 1.027,
    "induction_threshold_nmol_l": math.inf,
}
V2_FITTED = (*FITTED, "induction_half_time_days")
"""Version 2 also fitted the induction half-time (prior 90 days)."""
V2_PARAMETERS = {
    # tables/projection.yaml of d3k2-1cmt-adaptive v2 (git history).
    "saturable_capacity_nmol_l": 55.22,
    "saturable_half_intake_iu_per_kg_day": 1.808,
    "linear_slope_nmol_l_per_iu_per_kg_day": 1.122,
    "induction_threshold_nmol_l": 75.0,
    "induction_scale_nmol_l": 47.04,
    "induction_half_time_days": 1528.0,
}
V2_HALF_TIME_PRIOR_DAYS = 90.0
V1_PRIORS = {
    "saturable_capacity_nmol_l": 80.0,
    "saturable_half_intake_iu_per_kg_day": 8.0,
    "linear_slope_nmol_l_per_iu_per_kg_day": 1.225,
}
LITERATURE_UNTREATED_NMOL_L = 60.0
"""Untreated level assumed for the literature steady states (not in either abstract)."""
LITERATURE_BODY_MASS_KG = 70.0


@dataclass(frozen=True)
class SteadyStateConstraint:
    """A long-term level or slope read from a source, with the SD it is held to [nmol/L]."""

    source: str
    what: str
    low_iu_per_day: float
    high_iu_per_day: float | None
    value: float
    sd: float


LITERATURE_STEADY_STATES = (
    # Kimball 2017 abstract: 6,000 IU/day (normal BMI) for a mean above 100 nmol/L.
    SteadyStateConstraint("Kimball 2017", "level on 6,000 IU/day", 6000, None, 100.0, 15.0),
)
"""Long-term levels the fit is held to."""
LITERATURE_CHECKS = (
    # Ekwaru 2014 abstract: 1.1 nmol/L per 1,000 IU between 15,000 and 20,000 IU/day. A
    # between-person curve on self-reported doses (regression dilution flattens such a slope),
    # so since v3 it is printed as a check and no longer pulls the fit (in v2 it drove the
    # induction scale down and, with Heaney 2003 held out, the adaptation fast).
    SteadyStateConstraint(
        "Ekwaru 2014", "slope per 1,000 IU, 15,000-20,000 IU/day", 15000, 20000, 1.1, 1.0
    ),
)
"""Long-term figures printed beside the model's, not fitted."""


def literature_steady_state(
    constraint: SteadyStateConstraint, parameters: ProjectionParameters
) -> float:
    """The model's long-term level (or slope per 1,000 IU) for a literature constraint."""
    p = parameters
    own = float(intake_for_steady_state_iu_per_kg_day(LITERATURE_UNTREATED_NMOL_L, p))

    def level(dose_iu_per_day: float) -> float:
        return float(steady_state_25ohd_nmol_l(own + dose_iu_per_day / LITERATURE_BODY_MASS_KG, p))

    if constraint.high_iu_per_day is None:
        return level(constraint.low_iu_per_day)
    span = (constraint.high_iu_per_day - constraint.low_iu_per_day) / 1000.0
    return (level(constraint.high_iu_per_day) - level(constraint.low_iu_per_day)) / span


MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]


# --------------------------------------------------------------------------- rows
@dataclass
class Arm:
    study: str
    arm: str
    core: bool
    used_to_fit: str
    arm_type: str
    group_id: str
    baseline_nmol_l: float | None
    achieved_nmol_l: float | None
    change_nmol_l: float | None
    timepoint_days: int
    peak: bool
    events: list[tuple[float, float]]
    dose_iu_per_day: float | None
    start_day_of_year: int | None
    southern: bool
    assumptions: list[str] = field(default_factory=list)


def _float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _start_day_of_year(season: str) -> int | None:
    """First month (and day) named in the season text, as a day of the year."""
    match = re.search(
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+(\d{1,2})\b)?",
        season.lower(),
    )
    if not match:
        return None
    month = MONTHS[match.group(1)]
    day = int(match.group(2)) if match.group(2) and int(match.group(2)) <= 31 else 15
    return CUMULATIVE_DAYS[month - 1] + day


def _events(row: dict[str, str], horizon: int) -> list[tuple[float, float]]:
    if row["dose_events"].strip():
        pairs = [item.split(":") for item in row["dose_events"].split(";") if item.strip()]
        return [(float(day), float(amount)) for day, amount in pairs]
    amount = _float(row["dose_amount_iu"]) or 0.0
    interval = _float(row["interval_days"])
    if amount <= 0 or interval is None:
        return []
    count = math.ceil(horizon / interval)
    return [(i * interval, amount) for i in range(count)]


def load_arms(path: Path = DATA_FILE) -> list[Arm]:
    arms: list[Arm] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            assumptions: list[str] = []
            peak = "peak" in row["arm"].lower()
            timepoint = _float(row["timepoint_days"])
            if timepoint is None:
                timepoint = PEAK_SEARCH_DAYS if peak else DEFAULT_TIMEPOINT_DAYS
                if not peak:
                    assumptions.append(f"no time point: day {DEFAULT_TIMEPOINT_DAYS} assumed")
            horizon = int(timepoint)
            events = _events(row, horizon)
            dose = _float(row["dose_iu_per_day_equivalent"])
            latitude = _float(row["latitude"])
            arms.append(
                Arm(
                    study=row["study"],
                    arm=row["arm"],
                    core=row["core"].strip() == "1",
                    used_to_fit=row["used_to_fit"].strip(),
                    arm_type=row["arm_type"].strip(),
                    group_id=row["group_id"].strip(),
                    baseline_nmol_l=_float(row["baseline_nmol_l"]),
                    achieved_nmol_l=_float(row["achieved_nmol_l"]),
                    change_nmol_l=_float(row["change_nmol_l"]),
                    timepoint_days=horizon,
                    peak=peak,
                    events=events,
                    dose_iu_per_day=dose,
                    start_day_of_year=_start_day_of_year(row["season"]),
                    southern=latitude is not None and latitude < 0,
                    assumptions=assumptions,
                )
            )
    return arms


# --------------------------------------------------------------------------- cases
@dataclass
class Case:
    """One scored quantity: an observed change (mode ``change``) or difference from the
    control arm (mode ``vs placebo``), with what the model needs to predict it."""

    mode: str
    arm: Arm
    observed_nmol_l: float
    model_baseline_nmol_l: float
    seasonal: bool
    notes: list[str]


def _imputed_baseline(arm: Arm, arms: Sequence[Arm]) -> tuple[float | None, str]:
    """Baseline for a ``change`` row that reports only the change."""
    same_study = [a.baseline_nmol_l for a in arms if a.study == arm.study and a.baseline_nmol_l]
    if same_study:
        return same_study[0], "baseline taken from another arm of the same trial"
    if "VanGroningen" in arm.study:
        # Population: 25(OH)D3 < 50 nmol/L, 76% < 30 nmol/L (calibration README row notes).
        return 30.0, "baseline not reported: 30 nmol/L imputed (76% of participants < 30)"
    return None, ""


def build_cases(arms: Sequence[Arm]) -> list[Case]:
    cases: list[Case] = []
    for arm in arms:
        observed: float | None = None
        if arm.baseline_nmol_l is not None and arm.achieved_nmol_l is not None:
            observed = arm.achieved_nmol_l - arm.baseline_nmol_l
        elif arm.change_nmol_l is not None:
            observed = arm.change_nmol_l
        if observed is None:
            continue
        notes = list(arm.assumptions)
        baseline = arm.baseline_nmol_l
        if baseline is None:
            baseline, note = _imputed_baseline(arm, arms)
            if baseline is None:
                continue
            notes.append(note)
        cases.append(
            Case("change", arm, observed, baseline, arm.start_day_of_year is not None, notes)
        )
    controls = {
        a.group_id: a
        for a in arms
        if a.arm_type in ("placebo", "control_nonrandomized") and a.achieved_nmol_l is not None
    }
    for arm in arms:
        control = controls.get(arm.group_id)
        if arm.arm_type != "active" or control is None or arm.achieved_nmol_l is None:
            continue
        notes = list(arm.assumptions)
        if control.arm_type == "control_nonrandomized":
            notes.append("control arm not randomized")
        assert control.achieved_nmol_l is not None
        notes.append("untreated level = control arm's level at the time point")
        cases.append(
            Case(
                "vs placebo",
                arm,
                arm.achieved_nmol_l - control.achieved_nmol_l,
                control.achieved_nmol_l,
                False,
                notes,
            )
        )
    return cases


# --------------------------------------------------------------------------- predictions
def predict_model(cases: Sequence[Case], parameters: ProjectionParameters) -> np.ndarray:
    """d3k2 predictions for many cases at once (one vectorised simulation)."""
    p = parameters
    steps_per_day = round(1.0 / p.time_step_days)
    horizon = max(c.arm.timepoint_days for c in cases)
    steps = horizon * steps_per_day
    n = len(cases)
    doses = np.zeros((n, steps))
    untreated = np.empty((n, steps + 1))
    days = np.arange(steps + 1) * p.time_step_days
    for i, case in enumerate(cases):
        for day, amount in case.arm.events:
            index = int(day * steps_per_day)
            if index < steps:
                doses[i, index] += amount
        if case.seasonal and case.arm.start_day_of_year is not None:
            season = np.asarray(
                seasonal_factor(case.arm.start_day_of_year + days, p, southern=case.arm.southern)
            )
            untreated[i] = case.model_baseline_nmol_l * season / season[0]
        else:
            untreated[i] = case.model_baseline_nmol_l
    levels = simulate_25ohd_nmol_l(
        np.array([c.model_baseline_nmol_l for c in cases]),
        doses,
        parameters=p,
        per_kg_factor=np.full(n, 1.0 / p.reference_body_mass_kg),
        response_multiplier=np.ones(n),
        untreated_nmol_l=untreated,
    )
    predictions = np.empty(n)
    for i, case in enumerate(cases):
        end = case.arm.timepoint_days * steps_per_day
        value = levels[i, : end + 1].max() if case.arm.peak else levels[i, end]
        if case.mode == "change":
            predictions[i] = value - case.model_baseline_nmol_l
        else:
            predictions[i] = value - untreated[i, end]
    return predictions


def _dose_iu_per_day(case: Case) -> float | None:
    if case.arm.peak:
        return None  # a peak has no time-independent straight-line prediction
    if case.arm.dose_iu_per_day is not None:
        return case.arm.dose_iu_per_day
    total = sum(amount for day, amount in case.arm.events if day < case.arm.timepoint_days)
    return total / case.arm.timepoint_days


def straight_line(nmol_l_per_iu_per_day: float) -> Callable[[Case], float | None]:
    def predict(case: Case) -> float | None:
        dose = _dose_iu_per_day(case)
        return None if dose is None else nmol_l_per_iu_per_day * dose

    return predict


ANCHORS: dict[str, tuple[Callable[[Case], float | None], str]] = {
    # Heaney 2003 abstract: 0.70 nmol/L per ug/day.
    "Heaney2003": (straight_line(0.70 / IU_PER_MCG_VITAMIN_D), "Heaney2003"),
    # Aloia 2008 abstract: 0.66 nmol/L per ug/day at 9 weeks.
    "Aloia2008": (straight_line(0.66 / IU_PER_MCG_VITAMIN_D), "Aloia2008"),
    # Rule of thumb: 1 ng/mL per 100 IU/day.
    "1ng/100IU": (straight_line(NMOL_L_PER_NG_ML_25OHD / 100.0), ""),
}


# --------------------------------------------------------------------------- fitting
def _with(
    parameters: ProjectionParameters, log_values: np.ndarray, names: Sequence[str] = FITTED
) -> ProjectionParameters:
    return replace(
        parameters, **{n: float(math.exp(v)) for n, v in zip(names, log_values, strict=True)}
    )


def fit(
    cases: Sequence[Case],
    parameters: ProjectionParameters,
    priors: dict[str, float],
    names: Sequence[str] = FITTED,
    constraints: Sequence[SteadyStateConstraint] = LITERATURE_STEADY_STATES,
) -> ProjectionParameters:
    """Least squares on the cases and the literature steady states, plus a log-normal
    prior on each fitted parameter (residuals in units of ``RESIDUAL_SD_NMOL_L``)."""
    prior = np.array([math.log(priors[n]) for n in names])
    observed = np.array([c.observed_nmol_l for c in cases])

    def objective(log_values: np.ndarray) -> float:
        candidate = _with(parameters, log_values, names)
        errors = predict_model(cases, candidate) - observed
        penalty = RESIDUAL_SD_NMOL_L**2 * np.sum(((log_values - prior) / PRIOR_SD_LOG) ** 2)
        literature = sum(
            (RESIDUAL_SD_NMOL_L * (literature_steady_state(c, candidate) - c.value) / c.sd) ** 2
            for c in constraints
        )
        return float(np.sum(errors**2) + penalty + literature)

    start = np.array([math.log(getattr(parameters, n)) for n in names])
    result = minimize(
        objective, start, method="Nelder-Mead", options={"xatol": 1e-3, "fatol": 1e-2}
    )
    return _with(parameters, result.x, names)


def fit_cases(cases: Sequence[Case]) -> list[Case]:
    """Cases the model is fitted on: core rows."""
    return [c for c in cases if c.arm.core]


# --------------------------------------------------------------------------- report
DOSE_BANDS_IU_PER_DAY: tuple[tuple[float, float, str], ...] = (
    (0.0, 1000.0, "daily <1000 IU"),
    (1000.0, 4000.0, "daily 1000-<4000 IU"),
    (4000.0, 10000.0, "daily 4000-<10000 IU"),
    (10000.0, math.inf, "daily >=10000 IU"),
)
"""Daily-dose bands of the by-band report (average IU/day over the arm's schedule)."""
INTERMITTENT = "intermittent or bolus"
NO_DOSE = "no vitamin D (control)"
BAND_ORDER = [label for _, _, label in DOSE_BANDS_IU_PER_DAY] + [INTERMITTENT, NO_DOSE]


def dose_band(case: Case) -> str:
    """The dose band of an arm: intermittent when its doses are more than a day apart (or a
    single bolus), otherwise its average daily dose [IU/day]."""
    days = sorted(day for day, amount in case.arm.events if amount > 0)
    if not days:
        return NO_DOSE
    if len(days) == 1 or max(b - a for a, b in itertools.pairwise(days)) > 1.0:
        return INTERMITTENT
    per_day = case.arm.dose_iu_per_day
    if per_day is None:
        total = sum(amount for day, amount in case.arm.events if day < case.arm.timepoint_days)
        per_day = total / case.arm.timepoint_days
    for low, high, label in DOSE_BANDS_IU_PER_DAY:
        if low <= per_day < high:
            return label
    raise AssertionError(f"no band for {per_day} IU/day")  # pragma: no cover


def print_by_dose_band(
    title: str,
    cases: Sequence[Case],
    predictions: dict[str, dict[int, float]],
    keep: Callable[[Case], bool],
) -> None:
    """MAE and bias of each model by dose band, over the cases ``keep`` selects."""
    models = list(predictions)
    print(title)
    print(f"{'mode':<11} {'dose band':<24} {'n':>3}  " + "  ".join(f"{m:>13}" for m in models))
    for mode in ("change", "vs placebo"):
        for band in BAND_ORDER:
            chosen = [
                i
                for i, c in enumerate(cases)
                if c.mode == mode and keep(c) and not c.arm.peak and dose_band(c) == band
            ]
            if not chosen:
                continue
            cells = [
                _metrics([predictions[m][i] - cases[i].observed_nmol_l for i in chosen])
                for m in models
            ]
            print(f"{mode:<11} {band:<24} {len(chosen):>3}  " + "  ".join(cells))
        all_rows = [i for i, c in enumerate(cases) if c.mode == mode and keep(c) and not c.arm.peak]
        if all_rows:
            cells = [
                _metrics([predictions[m][i] - cases[i].observed_nmol_l for i in all_rows])
                for m in models
            ]
            print(f"{mode:<11} {'all':<24} {len(all_rows):>3}  " + "  ".join(cells))
    print()


def _metrics(errors: Sequence[float]) -> str:
    if not errors:
        return f"{'-':>6} {'-':>6}"
    array = np.array(errors)
    return f"{np.mean(np.abs(array)):6.1f} {np.mean(array):+6.1f}"


def leave_one_study_out(
    cases: Sequence[Case],
    parameters: ProjectionParameters,
    priors: dict[str, float],
    names: Sequence[str],
    constraints: Sequence[SteadyStateConstraint],
    quick: bool,
) -> dict[int, float]:
    """Predictions of every case with parameters re-fitted without its study."""
    training = fit_cases(cases)
    predictions: dict[int, float] = {}
    for study in sorted({c.arm.study for c in cases}):
        held_out = [i for i, c in enumerate(cases) if c.arm.study == study]
        rest = [c for c in training if c.arm.study != study]
        fold = (
            parameters
            if quick or not any(cases[i].arm.core for i in held_out)
            else fit(rest, parameters, priors, names, constraints)
        )
        values = predict_model([cases[i] for i in held_out], fold)
        predictions.update(zip(held_out, values.tolist(), strict=True))
    return predictions


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--fit", action="store_true", help="print parameters fitted on all core rows"
    )
    parser.add_argument("--quick", action="store_true", help="skip leave-one-study-out refits")
    parser.add_argument("--rows", action="store_true", help="print every scored row")
    parser.add_argument(
        "--data",
        help=f"the calibration CSV or the folder holding {DATA_FILE_NAME} "
        f"(default: ${DATA_DIR_ENV}, else ../shared/data beside the repository)",
    )
    parser.add_argument(
        "--external",
        default=str(EXTERNAL_FILE),
        help="external validation CSV (default: benchmarks/data/projection_external_trials.csv)",
    )
    args = parser.parse_args(argv)
    path = data_file(args.data)
    if not path.is_file():
        # Not an error: the calibration data are not part of the repository (a fresh clone
        # has no ../shared), so `make bench` goes on with the other benchmarks.
        print(
            f"projection accuracy: skipped, calibration file not found: {path}\n"
            f"  give it with --data PATH or ${DATA_DIR_ENV}=FOLDER",
        )
        return 0
    table = Engine.default().base.projection
    parameters = Engine.default().projection_parameters
    priors = {n: float(getattr(table.parameters, n).prior) for n in FITTED}
    version_1 = replace(parameters, **V1_PARAMETERS)
    version_2 = replace(parameters, **V2_PARAMETERS)
    v2_priors = {**priors, "induction_half_time_days": V2_HALF_TIME_PRIOR_DAYS}
    v2_constraints = LITERATURE_STEADY_STATES + LITERATURE_CHECKS
    cases = build_cases(load_arms(path))
    training = fit_cases(cases)

    if args.fit:
        fitted = fit(training, parameters, priors)
        print("fitted on all core rows and the literature steady states (tables/projection.yaml):")
        for name in FITTED:
            print(f"  {name}: {getattr(fitted, name):.4g}  (prior {priors[name]:g})")
        for constraint in LITERATURE_STEADY_STATES + LITERATURE_CHECKS:
            value = literature_steady_state(constraint, fitted)
            role = "fitted, SD" if constraint in LITERATURE_STEADY_STATES else "check only, SD"
            print(
                f"  {constraint.source}, {constraint.what}: model {value:.1f}, "
                f"source {constraint.value:g} ({role} {constraint.sd:g})"
            )
        parameters = fitted

    model = f"{MODEL_LABEL}"
    predictions = {
        model: leave_one_study_out(
            cases, parameters, priors, FITTED, LITERATURE_STEADY_STATES, args.quick
        ),
        "v2": leave_one_study_out(
            cases, version_2, v2_priors, V2_FITTED, v2_constraints, args.quick
        ),
        "v1": leave_one_study_out(cases, version_1, V1_PRIORS, FITTED_V1, (), args.quick),
    }
    versions = list(predictions)
    methods = [*versions, *ANCHORS]
    print()
    print(f"25(OH)D projection accuracy on {path}")
    print(
        f"MAE and bias (predicted - observed) in nmol/L; {model}, v2 and v1 "
        + ("with the bundled parameters (--quick)" if args.quick else "leave-one-study-out")
    )
    print()
    header = f"{'mode':<11} {'rows':<28} {'n':>3}  " + "  ".join(f"{m:>13}" for m in methods)
    print(header)
    print(" " * 46 + "  ".join(f"{'MAE':>6} {'bias':>6}" for _ in methods))
    print("-" * len(header))
    groups: list[tuple[str, Callable[[Case], bool]]] = [
        ("core, not used to fit", lambda c: c.arm.core and not c.arm.used_to_fit),
        ("core, used to fit an anchor", lambda c: c.arm.core and bool(c.arm.used_to_fit)),
        ("all core", lambda c: c.arm.core),
        ("outside core", lambda c: not c.arm.core),
    ]
    for mode in ("change", "vs placebo"):
        for label, keep in groups:
            chosen = [i for i, c in enumerate(cases) if c.mode == mode and keep(c)]
            scoreable = [
                i for i in chosen if all(ANCHORS[a][0](cases[i]) is not None for a in ANCHORS)
            ]
            if not scoreable:
                continue
            cells = [
                _metrics([predictions[m][i] - cases[i].observed_nmol_l for i in scoreable])
                for m in versions
            ]
            for predict, _ in ANCHORS.values():
                errors = []
                for i in scoreable:
                    value = predict(cases[i])
                    assert value is not None
                    errors.append(value - cases[i].observed_nmol_l)
                cells.append(_metrics(errors))
            print(f"{mode:<11} {label:<28} {len(scoreable):>3}  " + "  ".join(cells))
        print()
    print_by_dose_band(
        "By dose band, calibration file, leave-one-study-out, core rows:",
        cases,
        predictions,
        lambda c: c.arm.core,
    )
    print_by_dose_band(
        "By dose band, calibration file, leave-one-study-out, rows outside the core:",
        cases,
        predictions,
        lambda c: not c.arm.core,
    )
    print("Peak rows are scored by the models only:")
    for i, c in enumerate(cases):
        if c.arm.peak:
            print(
                f"  {c.arm.study} {c.arm.arm}: observed {c.observed_nmol_l:+.1f}, "
                + ", ".join(f"{m} {predictions[m][i]:+.1f}" for m in versions)
                + " nmol/L"
            )
    print()

    external_path = Path(args.external)
    external: list[Case] = []
    external_predictions: dict[str, dict[int, float]] = {}
    if external_path.is_file():
        external = build_cases(load_arms(external_path))
        version_1_fitted = (
            version_1 if args.quick else fit(training, version_1, V1_PRIORS, FITTED_V1, ())
        )
        version_2_fitted = (
            version_2
            if args.quick
            else fit(training, version_2, v2_priors, V2_FITTED, v2_constraints)
        )
        external_predictions = {
            label: dict(enumerate(predict_model(external, chosen).tolist()))
            for label, chosen in (
                (model, parameters),
                ("v2", version_2_fitted),
                ("v1", version_1_fitted),
            )
        }
        print_by_dose_band(
            f"External validation ({external_path.name}, never fitted; every model fitted on "
            "all core rows):",
            external,
            external_predictions,
            lambda c: True,
        )
    else:
        print(f"external validation: skipped, file not found: {external_path}")

    if args.rows:
        print(
            f"{'mode':<11} {'study':<17} {'arm':<38} {'obs':>7} "
            + " ".join(f"{m:>7}" for m in versions)
            + "  notes"
        )
        for label, rows, preds in (
            ("calibration", cases, predictions),
            ("external", external, external_predictions),
        ):
            print(label)
            for i, c in enumerate(rows):
                print(
                    f"{c.mode:<11} {c.arm.study:<17} {c.arm.arm[:38]:<38} "
                    f"{c.observed_nmol_l:7.1f} "
                    + " ".join(f"{preds[m][i]:7.1f}" for m in versions)
                    + f"  {'; '.join(c.notes)}"
                )
        print()
    print(
        "Assumptions: rows without a time point are scored at day "
        f"{DEFAULT_TIMEPOINT_DAYS}; seasonal drift only where the season names a month; "
        "Van Groningen baselines imputed (30 nmol/L); literature steady states at "
        f"{LITERATURE_BODY_MASS_KG:g} kg from an untreated {LITERATURE_UNTREATED_NMOL_L:g} nmol/L."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
