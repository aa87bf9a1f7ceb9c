"""``d3k2 label FILE`` end to end on real labels transcribed from the NIH Dietary Supplement
Label Database (tests/fixtures/labels/README.md): text and JSON, with the findings a label
reviewer expects for each real product. Expected %DVs are worked by hand from the Daily
Values of tables/daily_values.yaml (vitamin D 20 mcg, vitamin K 120 mcg, calcium 1,300 mg,
magnesium 420 mg), rounded to the nearest whole percent, half up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labels"

# (check, status, line) of every problem and warning the real label should get, and nothing else
REAL_LABELS: dict[int, set[tuple[str, str, str]]] = {
    # Calcium Complex (2017 label, current rules): D3 30 mcg (1,200 IU) = 150% of 20 mcg and
    # calcium 400 mg = 31% of 1,300 mg are right; "Milk Mineral Complex" names no salt.
    277760: {("calcium_salt", "warning", "Calcium (Milk Mineral Complex)")},
    # BDZ (an EU-style "food supplement" label): calcium 210 mg is 16% of the US DV (label 26%),
    # vitamin K2 180 mcg is 150% (label 240%); K2 form and calcium salt not named.
    277758: {
        ("percent_dv", "problem", "Calcium (algae oil (vegan), calcium from algae)"),
        ("calcium_salt", "warning", "Calcium (algae oil (vegan), calcium from algae)"),
        ("percent_dv", "problem", "Vitamin K2"),
        ("vitamin_k_form", "warning", "Vitamin K2"),
    },
    # CalDenex (2010 label): D3 in IU only, every %DV from the pre-2016 Daily Values:
    # 900 IU = 22.5 mcg = 113% (label 225%), K1 120 mcg = 100% (150%), calcium 900 mg = 69%
    # (90%), magnesium 225 mg = 54% (56%).
    11249: {
        ("vitamin_d_unit", "problem", "Vitamin D3 (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin D3 (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin K (phylloquinone (K1))"),
        ("percent_dv", "problem", "Calcium (calcium carbonate, calcium citrate)"),
        ("percent_dv", "problem", "Magnesium (magnesium oxide)"),
    },
    # Mega Daily 4 for Men (2018 label): vitamin D 400 IU only = 10 mcg = 50% (label 100%);
    # vitamin K 80 mcg = 67% (100%), named only by the trade name "MenaQ7"; calcium 800 mg
    # = 62% (80%); magnesium 100 mg = 24% (label 25%, within 1 point).
    200768: {
        ("vitamin_d_unit", "problem", "Vitamin D (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin D (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin K (MenaQ7)"),
        ("vitamin_k_form", "warning", "Vitamin K (MenaQ7)"),
        ("percent_dv", "problem", "Calcium (calcium ascorbate, calcium carbonate)"),
    },
    # Mega Daily 4 for Women (entered 2020, off market 2024): a calcium + D3 + K2 (MenaQ7)
    # combination. Vitamin D 400 IU only = 10 mcg = 50% (label 100%); vitamin K 80 mcg = 67%
    # (label 100%), named only by the trade name "MenaQ7"; calcium 732 mg = 56% (label 73%);
    # magnesium 200 mg = 48% (label 50%, 2 points off: the pre-2016 DV of 400 mg).
    220992: {
        ("vitamin_d_unit", "problem", "Vitamin D (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin D (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin K (MenaQ7)"),
        ("vitamin_k_form", "warning", "Vitamin K (MenaQ7)"),
        ("percent_dv", "problem", "Calcium (calcium ascorbate, calcium carbonate)"),
        (
            "percent_dv",
            "problem",
            "Magnesium (magnesium ascorbate, magnesium citrate, magnesium oxide)",
        ),
    },
    # Beyond Tangy Tangerine 2.0: D3 1,000 IU only = 25 mcg = 125% (label 200%); vitamin K
    # (menatetrenone, MK-4) 40 mcg = 33% (label 50%); calcium 50 mg = 4% (label 5%, within 1).
    209214: {
        ("vitamin_d_unit", "problem", "Vitamin D3 (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin D3 (cholecalciferol (D3))"),
        ("percent_dv", "problem", "Vitamin K (Menatetrenone)"),
    },
}


@pytest.mark.parametrize("dsld_id", sorted(REAL_LABELS))
def test_real_label_json_has_the_reviewer_s_findings(dsld_id: int) -> None:
    result = run_cli("label", str(FIXTURES / f"dsld_{dsld_id}.json"), "--format", "json")
    report = json.loads(result.stdout)
    flagged = {
        (f["check"], f["status"], f["row"])
        for f in report["findings"]
        if f["status"] in ("problem", "warning")
    }
    assert flagged == REAL_LABELS[dsld_id]
    assert report["source"] == f"DSLD {dsld_id}"
    has_problem = any(status == "problem" for _, status, _ in REAL_LABELS[dsld_id])
    assert result.returncode == (1 if has_problem else 0)


@pytest.mark.parametrize("dsld_id", sorted(REAL_LABELS))
def test_real_label_text_names_the_product_and_counts_problems(dsld_id: int) -> None:
    result = run_cli("label", str(FIXTURES / f"dsld_{dsld_id}.json"))
    problems = sum(1 for _, status, _ in REAL_LABELS[dsld_id] if status == "problem")
    assert f"DSLD {dsld_id}" in result.stdout
    assert f"{problems} problem(s)" in result.stdout
    assert "does not replace" in result.stdout


def _finding(dsld_id: int, check: str, row_start: str) -> dict[str, str]:
    report = json.loads(
        run_cli("label", str(FIXTURES / f"dsld_{dsld_id}.json"), "--format", "json").stdout
    )
    return next(
        f for f in report["findings"] if f["check"] == check and f["row"].startswith(row_start)
    )


@pytest.mark.parametrize(
    ("dsld_id", "row", "declared", "expected"),
    [
        (277758, "Calcium", 26, 16),  # 210/1300 = 16.2%
        (277758, "Vitamin K2", 240, 150),  # 180/120
        (11249, "Vitamin D3", 225, 113),  # 900 IU = 22.5 mcg; 112.5 -> 113 (half up)
        (11249, "Vitamin K", 150, 100),
        (11249, "Calcium", 90, 69),  # 69.2%
        (11249, "Magnesium", 56, 54),  # 53.6%
        (200768, "Vitamin D", 100, 50),
        (200768, "Vitamin K", 100, 67),  # 66.7%
        (200768, "Calcium", 80, 62),  # 61.5%
        (220992, "Vitamin D", 100, 50),  # 400 IU = 10 mcg
        (220992, "Vitamin K", 100, 67),  # 66.7%
        (220992, "Calcium", 73, 56),  # 56.3%
        (220992, "Magnesium", 50, 48),  # 47.6%
        (209214, "Vitamin D3", 200, 125),
        (209214, "Vitamin K", 50, 33),  # 33.3%
    ],
)
def test_real_label_percent_dv_figures(
    dsld_id: int, row: str, declared: int, expected: int
) -> None:
    finding = _finding(dsld_id, "percent_dv", row)
    assert f"declared {declared}%, expected {expected}%" in finding["message"]


def test_a_real_label_that_passes_still_shows_what_was_checked() -> None:
    vitamin_d = _finding(277760, "vitamin_d_unit", "Vitamin D3")
    assert vitamin_d["status"] == "pass"  # 30 mcg, and 1,200 IU = 30 x 40: no mismatch
    # the regulation's paragraph could not be read here: the source says so (daily_values.yaml)
    assert vitamin_d["source"].endswith("(locator not verified)")
    percent_dv = _finding(277760, "percent_dv", "Vitamin D3")
    assert percent_dv["status"] == "pass"
    # the RDI paragraph is verified, the supplement rounding subparagraph is not (labels2)
    assert "DV 20 mcg (cfr-21-101.9: (c)(8)(iv) RDI table)" in percent_dv["source"]
    assert "(b)(2)(iii) percent of Daily Value (locator not verified)" in percent_dv["source"]
    assert _finding(277760, "percent_dv", "Calcium")["status"] == "pass"
    # 30 mcg/day exceeds only the infant UL (25 mcg, 0-6 months): information, not a warning
    ul = _finding(277760, "upper_limit", "Vitamin D3")
    assert ul["status"] == "info" and "0-6 mo" in ul["message"]


def test_a_malformed_label_file_names_the_file_and_field(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "dsld_277760.json").read_text("utf-8"))
    data["ingredientRows"][1]["quantity"][0]["quantity"] = "thirty"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("label", str(broken))
    assert result.returncode != 0
    message = result.stderr + result.stdout
    assert "broken.json" in message
    assert "ingredientRows[1].quantity[0].quantity" in message
    assert "Traceback" not in message
