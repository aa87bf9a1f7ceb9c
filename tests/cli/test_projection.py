"""``d3k2 project`` and ``d3k2 plan-dose`` through the real CLI (CliRunner)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import Ran, run_cli
from typer.testing import CliRunner

from d3k2.api import Engine
from d3k2.cli import app
from d3k2.errors import KnowledgeError
from d3k2.knowledge.projection import load_product_table, load_projection_table

runner = CliRunner()
EXAMPLE = [
    "project",
    "--baseline",
    "18 ng/mL",
    "--regimen",
    "50000 IU weekly for 8 weeks, then 2000 IU daily",
    "--weight",
    "82 kg",
    "--age",
    "67",
]


def test_project_text() -> None:
    result = runner.invoke(app, [*EXAMPLE, "--target", "30 ng/mL"])
    assert result.exit_code == 0, result.output
    assert "44.9 nmol/L (18.0 ng/mL)" in result.output
    assert "steady state on 2,000 IU/day" in result.output
    assert "target 75 nmol/L" in result.output
    assert "d3k2-1cmt-adaptive" in result.output
    assert "does not replace" in result.output


def test_project_json_has_the_documented_shape() -> None:
    result = runner.invoke(app, [*EXAMPLE, "--target", "30 ng/mL", "--days", "200", "-f", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    for key in ("model", "sources", "points", "steady_state_nmol_l", "days_to_target"):
        assert key in payload
    assert len(payload["points"]) == 201
    first = payload["points"][0]
    assert set(first) == {"day", "serum_25ohd_nmol_l", "low", "high"}
    assert first["serum_25ohd_nmol_l"] == pytest.approx(44.93, abs=0.01)  # 18 x 2.496
    assert payload["days_to_target"] is not None and 0 < payload["days_to_target"] < 60
    ids = {source["id"] for source in payload["sources"]}
    assert "jones-2008-pk-vitamin-d-toxicity" in ids
    assert all(source["citation"] for source in payload["sources"])


def test_project_loading_then_maintenance_peaks_then_settles() -> None:
    result = runner.invoke(app, [*EXAMPLE, "-f", "json"])
    points = json.loads(result.output)["points"]
    peak = max(points, key=lambda p: p["serum_25ohd_nmol_l"])
    assert 40 <= peak["day"] <= 70  # end of the 8-week loading phase
    assert points[365]["serum_25ohd_nmol_l"] < peak["serum_25ohd_nmol_l"]


def test_project_seasonal_option() -> None:
    base = ["project", "--baseline", "50 nmol/L", "--regimen", "400 IU daily", "-f", "json"]
    winter = json.loads(runner.invoke(app, [*base, "--baseline-date", "2026-10-01"]).output)
    flat = json.loads(runner.invoke(app, base).output)
    assert winter["points"][150]["serum_25ohd_nmol_l"] < flat["points"][150]["serum_25ohd_nmol_l"]


def test_project_svg_to_stdout_and_png_to_file(tmp_path: Path) -> None:
    svg = runner.invoke(app, [*EXAMPLE, "-f", "svg"])
    assert svg.exit_code == 0, svg.output
    assert "<svg" in svg.output
    target = tmp_path / "chart.png"
    png = runner.invoke(app, [*EXAMPLE, "-f", "png", "--output", str(target)])
    assert png.exit_code == 0, png.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("arguments", "fragment"),
    [
        (["--baseline", "18 furlongs", "--regimen", "2000 IU daily"], "unknown unit"),
        (["--baseline", "-3 ng/mL", "--regimen", "2000 IU daily"], "negative"),
        (["--baseline", "18 ng/mL", "--regimen", "-2000 IU daily"], "negative"),
        (["--baseline", "18 ng/mL", "--regimen", "2000 IU daily", "--days", "0"], "--days"),
        (["--baseline", "18 ng/mL", "--regimen", "2000 IU daily", "--weight", "82"], "unit"),
        (
            [
                "--baseline",
                "18 ng/mL",
                "--regimen",
                "2000 IU daily",
                "--baseline-date",
                "2026-13-01",
            ],
            "not a valid date",
        ),
        (["--baseline", "18 ng/mL", "--regimen", "2000 IU daily", "-f", "png"], "--output"),
        (
            ["--baseline", "18 ng/mL", "--regimen", "2000 IU daily, then 1000 IU daily"],
            "duration",
        ),
    ],
)
def test_project_bad_input_exits_2(arguments: list[str], fragment: str) -> None:
    result = runner.invoke(app, ["project", *arguments])
    assert result.exit_code == 2, result.output
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_plan_dose_text() -> None:
    result = runner.invoke(
        app, ["plan-dose", "--baseline", "20 ng/mL", "--target", "25 ng/mL", "--weight", "65 kg"]
    )
    assert result.exit_code == 0, result.output
    assert "suggested:" in result.output
    assert "10th percentile" in result.output
    assert "4,000 IU/day" in result.output


def test_plan_dose_json_unsupervised_stays_within_the_upper_limit() -> None:
    result = runner.invoke(
        app,
        [
            "plan-dose",
            "--baseline",
            "8 ng/mL",
            "--target",
            "30 ng/mL",
            "--weight",
            "110 kg",
            "--age",
            "45",
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["upper_limit_iu_per_day"] == 4000.0
    assert payload["quantile"] == 0.1
    assert all(option["iu_per_day"] <= 4000.0 for option in payload["considered"])
    assert payload["monitoring"] == []


def test_plan_dose_supervised_names_the_labs_and_when() -> None:
    result = runner.invoke(
        app,
        [
            "plan-dose",
            "--baseline",
            "8 ng/mL",
            "--target",
            "30 ng/mL",
            "--weight",
            "110 kg",
            "--age",
            "45",
            "--supervised",
            "-f",
            "json",
        ],
    )
    payload = json.loads(result.output)
    assert payload["recommended"]["above_upper_limit"] is True
    labs = {test for step in payload["monitoring"] for test in step["tests"]}
    assert "serum 25(OH)D" in labs
    assert {step["after_days"] for step in payload["monitoring"]} == {30, 90}
    assert all(step["sources"] for step in payload["monitoring"])


def test_plan_dose_uses_the_childs_upper_limit() -> None:
    result = runner.invoke(
        app,
        [
            "plan-dose",
            "--baseline",
            "10 ng/mL",
            "--target",
            "30 ng/mL",
            "--weight",
            "14 kg",
            "--age",
            "3",
            "-f",
            "json",
        ],
    )
    payload = json.loads(result.output)
    assert payload["upper_limit_iu_per_day"] == pytest.approx(2500.0)  # 62.5 mcg, NAM 2011
    assert all(option["iu_per_day"] <= 2500.0 for option in payload["considered"])


def test_plan_dose_bad_target_exits_2() -> None:
    result = runner.invoke(app, ["plan-dose", "--baseline", "20 ng/mL", "--target", "thirty"])
    assert result.exit_code == 2


def test_tables_validate_and_cite_known_references() -> None:
    table = Engine.default().base.projection
    assert table.parameters.half_life_25ohd_days.value == 15.0
    assert [line.serum_25ohd_nmol_l for line in table.guideline_lines] == [125.0, 375.0]
    assert load_product_table().products


def test_a_table_citing_an_unknown_reference_is_rejected(tmp_path: Path) -> None:
    source = Path(load_projection_table.__code__.co_filename).parent / "data" / "tables"
    text = (
        (source / "products.yaml")
        .read_text()
        .replace("singlecare-vitamin-d-dosage", "no-such-reference", 1)
    )
    (tmp_path / "products.yaml").write_text(text)
    with pytest.raises(KnowledgeError, match="no-such-reference"):
        load_product_table(tmp_path)


def _cli(*args: str) -> Ran:
    return run_cli(*args)


def test_regimen_starting_before_the_baseline_test_is_rejected() -> None:
    result = _cli(
        "project",
        "--baseline",
        "18 ng/mL",
        "--regimen",
        "2000 IU daily",
        "--baseline-date",
        "2026-10-01",
        "--start",
        "2026-09-01",
    )
    assert result.returncode == 2
    assert "before the baseline test" in result.stderr
    assert "Traceback" not in result.stderr


def test_baseline_in_the_future_is_rejected() -> None:
    result = _cli(
        "project",
        "--baseline",
        "18 ng/mL",
        "--regimen",
        "2000 IU daily",
        "--baseline-date",
        "2999-01-01",
    )
    assert result.returncode == 2
    assert "in the future" in result.stderr


def test_later_start_shifts_the_first_dose() -> None:
    import json

    result = _cli(
        "project",
        "--baseline",
        "18 ng/mL",
        "--regimen",
        "50000 IU once",
        "--baseline-date",
        "2026-01-15",
        "--start",
        "2026-02-14",
        "--days",
        "90",
        "-f",
        "json",
    )
    assert result.returncode == 0, result.stderr
    points = {p["day"]: p["serum_25ohd_nmol_l"] for p in json.loads(result.stdout)["points"]}
    assert points[29] <= points[0] + 5  # nothing given before day 30
    assert points[44] > points[29] + 10  # the dose on day 30 raises the level


# --------------------------------------------------------------------------- review fixes
def _json(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.output)
    return payload


@pytest.mark.parametrize(
    ("regimen", "days", "expected_text", "expected_iu"),
    [
        # dose / interval, not an 8-week window (which gave 0 and 1,786 IU/day)
        ("D3 100,000 IU every 3 months", "400", "1,111", 1111.1),
        ("D3 100,000 IU every 3 months", "365", "1,111", 1111.1),
        ("50000 IU monthly", "365", "1,667", 1666.7),
    ],
)
def test_project_steady_state_of_intermittent_regimens(
    regimen: str, days: str, expected_text: str, expected_iu: float
) -> None:
    args = ["project", "--baseline", "18 ng/mL", "--regimen", regimen, "--days", days]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"steady state on {expected_text} IU/day" in result.output
    payload = _json(*args)
    assert payload["maintenance_iu_per_day"] == pytest.approx(expected_iu, abs=0.1)


def test_project_output_to_a_missing_folder_is_an_input_error() -> None:
    result = runner.invoke(
        app,
        [*("project", "--baseline", "18 ng/mL", "--regimen", "2000 IU daily"), "--output", "/x/y"],
    )
    assert result.exit_code == 2, result.output
    assert "--output" in result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["project", "--baseline", "0 ng/mL", "--regimen", "2000 IU daily"], "--baseline"),
        (
            ["project", "--baseline", "18 ng/mL", "--regimen", "2000 IU daily", "--bmi", "3"],
            "--bmi",
        ),
        (["plan-dose", "--baseline", "18 ng/mL", "--target", "-5 ng/mL"], "--target"),
        (["plan-dose", "--baseline", "18 ng/mL", "--target", "30 ng/mL", "--bmi", "3"], "--bmi"),
    ],
)
def test_errors_name_the_option(arguments: list[str], option: str) -> None:
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2, result.output
    assert f"error: {option}:" in result.output


def test_plan_dose_refuses_infants() -> None:
    result = runner.invoke(
        app, ["plan-dose", "--baseline", "8 ng/mL", "--target", "30 ng/mL", "--age", "0.5"]
    )
    assert result.exit_code == 2, result.output
    assert "error: --age:" in result.output
    assert "below 1 year" in result.output
    assert "10,000 IU" not in result.output


def test_plan_dose_for_a_child_needs_the_weight() -> None:
    result = runner.invoke(
        app,
        [
            *("plan-dose", "--baseline", "8 ng/mL", "--target", "30 ng/mL"),
            "--age",
            "4",
            "--supervised",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "error: --weight:" in result.output
    assert "hint:" in result.output


def test_plan_dose_prints_every_assumption() -> None:
    args = ["plan-dose", "--baseline", "18 ng/mL", "--target", "30 ng/mL"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "assumption: no weight or BMI: a body mass of 70 kg is assumed" in result.output
    assert "assumption: no age given" in result.output
    payload = _json(*args)
    assert any("70 kg is assumed" in a for a in payload["assumptions"])
    child = _json(*args, "--age", "4", "--weight", "16 kg")
    assert any("calibrated on adult trials" in a for a in child["assumptions"])


def test_plan_dose_supervised_closest_above_the_limit_lists_monitoring() -> None:
    payload = _json("plan-dose", "--baseline", "18 ng/mL", "--target", "60 ng/mL", "--supervised")
    assert payload["recommended"] is None
    assert payload["closest"]["above_upper_limit"] is True
    assert {step["after_days"] for step in payload["monitoring"]} == {30, 90}
    assert all(step["sources"] for step in payload["monitoring"])


# --------------------------------------------------------------------------- assess
def _profile(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.yaml"
    path.write_text(text)
    return path


PRETERM = """
age: 0.1
sex: male
weight: 1.8 kg
labs:
  - {test: 25-hydroxyvitamin D, value: 12, unit: ng/mL, date: 2026-11-01}
plan:
  - vitamin D3 400 IU daily
"""

ADULT = """
age: 67
sex: female
weight: 82 kg
labs:
  - {test: 25-hydroxyvitamin D, value: 18, unit: ng/mL, date: 2026-10-01}
plan:
  - vitamin D3 50000 IU once
"""


def test_assess_keeps_the_safety_report_when_the_projection_cannot_be_made(
    tmp_path: Path,
) -> None:
    profile = _profile(tmp_path, PRETERM)
    result = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29", "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert "1 year" in report["projection"]["skipped"]
    assert report["labs"] and report["intake"]
    text = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29"])
    assert text.exit_code == 0, text.output
    assert "25(OH)D projection not shown" in text.output


def test_assess_projection_starts_the_regimen_today_from_the_lab_date(tmp_path: Path) -> None:
    profile = _profile(tmp_path, ADULT)
    result = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29", "-f", "json"])
    assert result.exit_code == 0, result.output
    projection = json.loads(result.output)["projection"]
    assert projection["baseline_date"] == "2026-10-01"
    assert projection["regimen_start_day"] == 59  # 2026-10-01 -> 2026-11-29
    points = {p["day"]: p["serum_25ohd_nmol_l"] for p in projection["points"]}
    assert points[58] == pytest.approx(44.93, abs=0.01)  # nothing taken before today
    assert points[59 + 14] > points[58] + 10
    assert len(projection["points"]) == 59 + 365 + 1
    assert any("no latitude" in note for note in projection["notes"])


def test_assess_projection_never_raises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import d3k2.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(d3k2.api, "projection_for_assessment", broken)
    profile = _profile(tmp_path, ADULT)
    result = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "bug in d3k2" in json.loads(result.output)["projection"]["skipped"]


# --------------------------------------------------------------------------- review fixes
CHILD_PLAN = [
    *("plan-dose", "--baseline", "10 ng/mL", "--target", "36 ng/mL"),
    *("--weight", "45 kg", "--age", "12"),
]


def test_plan_dose_does_not_name_what_assess_flags_as_major() -> None:
    # assess flags 50,000 IU every 2 weeks at age 12 as MAJOR
    # (child-large-single-dose-vitamin-d); plan-dose named it as the closest option.
    payload = _json(*CHILD_PLAN)
    assert payload["closest"]["regimen"] == "3,000 IU daily"
    stoss = next(o for o in payload["considered"] if o["regimen"] == "50,000 IU every 2 weeks")
    assert stoss["acceptable"] is False
    assert [r["rule"] for r in stoss["not_acceptable_because"]] == [
        "child-large-single-dose-vitamin-d"
    ]
    text = runner.invoke(app, CHILD_PLAN)
    assert text.exit_code == 0, text.output
    assert "closest: vitamin D3 3,000 IU" in text.output
    assert "not acceptable: Large single (stoss) dose" in text.output


def test_plan_dose_screens_pregnancy_and_checks_sex() -> None:
    args = ["plan-dose", "--baseline", "10 ng/mL", "--target", "40 ng/mL", "--weight", "70 kg"]
    plain = _json(*args, "--age", "30")
    pregnant = _json(*args, "--age", "30", "--pregnant")
    blocked = {o["regimen"] for o in pregnant["considered"] if not o["acceptable"]}
    assert "50,000 IU every 2 weeks" in blocked
    assert all(o["acceptable"] for o in plain["considered"])
    male = runner.invoke(app, [*args, "--sex", "male", "--pregnant"])
    assert male.exit_code == 2, male.output
    assert "error: --pregnant:" in male.output


def test_plan_dose_table_and_decision_agree() -> None:
    # 2,000 IU daily was shown at "75 nmol/L, 90%" and rejected (target 74.88 nmol/L).
    args = ["plan-dose", "--age", "8", "--weight", "40 kg", "--baseline", "10 ng/mL"]
    result = runner.invoke(app, [*args, "--target", "30 ng/mL"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "2,000 IU daily " in line)
    assert "74.1 nmol/L" in row and "89%" in row and row.rstrip().endswith("no")  # model v3
    assert "reaches 74.9 nmol/L?" in result.output
    payload = _json(*args, "--target", "30 ng/mL")
    for option in payload["considered"]:
        shown = option["trough_low_nmol_l"] >= round(payload["target_nmol_l"], 1)
        assert option["reaches_target"] == shown
        assert option["reaches_target"] == (option["share_reaching_target"] >= 0.9)


@pytest.mark.parametrize("days", ["30", "365"])
def test_a_regimen_that_ends_has_no_treated_steady_state_at_any_horizon(days: str) -> None:
    args = ["project", "--regimen", "D3 50000 IU weekly for 8 weeks", "--baseline", "20 ng/mL"]
    result = runner.invoke(app, [*args, "--days", days])
    assert result.exit_code == 0, result.output
    assert "steady state: none on treatment, the regimen ends (after day 56)" in result.output
    assert "untreated level, about 50 nmol/L" in result.output
    assert "7,143 IU/day" not in result.output
    payload = _json(*args, "--days", days)
    assert payload["steady_state_on_treatment"] is False
    assert payload["maintenance_iu_per_day"] == 0.0
    assert payload["steady_state_nmol_l"] == pytest.approx(49.92, abs=0.01)
    assert payload["regimen_end_day"] == 56


def test_project_cautions_a_baseline_above_the_toxicity_line() -> None:
    args = ["project", "--baseline", "200 ng/mL", "--regimen", "2000 IU daily"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[1]
    assert first.startswith("  CAUTION:") and "375 nmol/L (toxicity" in first
    assert any("375 nmol/L" in c for c in _json(*args)["cautions"])
    assert not any("already above" in c for c in _json(*EXAMPLE)["cautions"])


def test_project_json_carries_every_caution_the_text_shows() -> None:
    # The loading phase of EXAMPLE lifts the upper band above 125 nmol/L (NAM 2011 / ODS).
    cautions = _json(*EXAMPLE)["cautions"]
    assert any("upper band reaches" in c and "above 125 nmol/L" in c for c in cautions)
    text = runner.invoke(app, EXAMPLE)
    assert text.exit_code == 0, text.output
    shown = [
        line.strip().removeprefix("CAUTION: ")
        for line in text.output.splitlines()
        if "caution" in line.lower()
    ]
    assert shown == cautions


def test_assess_json_carries_the_upper_band_caution(tmp_path: Path) -> None:
    profile = _profile(tmp_path, ADULT.replace("50000 IU once", "50000 IU weekly"))
    result = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29", "-f", "json"])
    assert result.exit_code == 0, result.output
    cautions = json.loads(result.output)["projection"]["cautions"]
    assert any("upper band reaches" in c and "above 125 nmol/L" in c for c in cautions)


def test_plan_dose_with_a_toxic_baseline_says_no_dose_is_needed() -> None:
    args = ["plan-dose", "--baseline", "200 ng/mL", "--target", "30 ng/mL"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "CAUTION:" in result.output and "375 nmol/L" in result.output
    assert "no dose needed" in result.output
    payload = _json(*args)
    assert payload["already_at_target"] is True and payload["recommended"] is None
    assert payload["considered"] == [] and payload["cautions"]


def test_project_cautions_an_old_baseline_date() -> None:
    args = ["project", "--baseline", "18 ng/mL", "--regimen", "2000 IU daily"]
    recent = _json(*args, "--baseline-date", dt.date.today().isoformat())
    assert recent["cautions"] == []
    old = _json(*args, "--baseline-date", "2020-01-01")
    assert any("re-measure before planning" in c for c in old["cautions"])


OLD_LAB = """
age: 67
sex: female
weight: 82 kg
labs:
  - {test: 25-hydroxyvitamin D, value: 18, unit: ng/mL, date: 2023-01-01}
plan:
  - vitamin D3 2000 IU daily
"""


def test_assess_cautions_an_old_result_and_labels_the_gap(tmp_path: Path) -> None:
    profile = _profile(tmp_path, OLD_LAB)
    result = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29", "-f", "json"])
    assert result.exit_code == 0, result.output
    projection = json.loads(result.output)["projection"]
    assert projection["regimen_start_day"] == 1428
    assert any("1,428 days old" in c and "re-measure" in c for c in projection["cautions"])
    text = runner.invoke(app, ["assess", str(profile), "--today", "2026-11-29"])
    assert text.exit_code == 0, text.output
    output = " ".join(text.output.split())  # the report wraps long lines
    assert "CAUTION: the baseline 25(OH)D result is 1,428 days old" in output
    assert "no dose until day 1,428" in output
    days = [
        int(line.split()[0])
        for line in text.output.splitlines()
        if line.strip() and line.split()[0].isdigit() and "nmol/L" in line
    ]
    # day 0, then the regimen's own days 0, 7, 14, ... 365: no jump from day 730 to 1793
    assert days == [0, *(1428 + d for d in (0, 7, 14, 28, 56, 90, 120, 180, 270, 365))]


def test_summary_days_are_even_over_long_horizons() -> None:
    from d3k2.render.text import summary_days

    assert summary_days(30) == [0, 7, 14, 28, 30]
    long = summary_days(3650)
    assert long[-4:] == [2555, 2920, 3285, 3650]
    assert all(b - a <= 365 for a, b in itertools.pairwise(long))


def test_plan_dose_refuses_a_target_above_the_adverse_effects_line() -> None:
    args = ["plan-dose", "--baseline", "18 ng/mL", "--target", "200 ng/mL"]
    for extra in ([], ["--supervised"]):
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 2, result.output
        assert "--target" in result.output and "hint:" in result.output
        assert "50,000" not in result.output
    sixty = ["plan-dose", "--baseline", "18 ng/mL", "--target", "60 ng/mL"]
    unsupervised = runner.invoke(app, sixty)
    assert unsupervised.exit_code == 2 and "125 nmol/L" in unsupervised.output
    supervised = runner.invoke(
        app, ["plan-dose", "--baseline", "18 ng/mL", "--target", "60 ng/mL", "--supervised"]
    )
    assert supervised.exit_code == 0, supervised.output


@pytest.mark.parametrize("background", ["abc", "400 kg", "-5 IU"])
def test_a_bad_background_names_the_option(background: str) -> None:
    args = ["project", "--baseline", "18 ng/mL", "--regimen", "2000 IU daily"]
    result = runner.invoke(app, [*args, "--background", background])
    assert result.exit_code == 2, result.output
    assert "--background" in result.output and "400 IU" in result.output
