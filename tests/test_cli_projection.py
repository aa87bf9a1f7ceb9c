"""``d3k2 project`` and ``d3k2 plan-dose`` through the real CLI (CliRunner)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2.cli import app
from d3k2.errors import KnowledgeError
from d3k2.knowledge.projection import (
    load_product_table,
    load_projection_table,
)

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
    assert "d3k2-1cmt-saturable" in result.output
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
            "not a date",
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
    assert payload["upper_limit_iu_per_day"] == pytest.approx(2520.0)  # 63 mcg, NAM 2011
    assert all(option["iu_per_day"] <= 2520.0 for option in payload["considered"])


def test_plan_dose_bad_target_exits_2() -> None:
    result = runner.invoke(app, ["plan-dose", "--baseline", "20 ng/mL", "--target", "thirty"])
    assert result.exit_code == 2


def test_tables_validate_and_cite_known_references() -> None:
    table = load_projection_table()
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


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "d3k2", *args], capture_output=True, text=True, check=False
    )


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
