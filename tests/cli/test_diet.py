"""``d3k2 diet FILE``: foods read against the table; with age and sex, the intake table."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import run_cli

REPO = Path(__file__).resolve().parents[2]


def test_a_list_of_foods_gives_nutrients_per_day(tmp_path: Path) -> None:
    diet = tmp_path / "diet.yaml"
    diet.write_text("- 2 slices cheddar\n- 100 g sardines\n", encoding="utf-8")
    ran = run_cli("diet", str(diet), "--format", "json")
    assert ran.returncode == 0, ran.stderr
    out = json.loads(ran.stdout)
    # 397.6 (cheddar, NDB 01009: 2 x 28 g x 7.10 mg/g) + 382 (sardines, NDB 15088)
    assert out["diet"]["per_day"]["calcium"] == 779.6
    assert out["report"] is None  # no age or sex: no DRI comparison


def test_with_age_and_sex_food_and_plan_are_checked_against_the_ul() -> None:
    ran = run_cli("diet", str(REPO / "examples" / "diet_foods.yaml"), "--format", "json")
    assert ran.returncode == 0, ran.stderr
    out = json.loads(ran.stdout)
    calcium = next(r for r in out["report"]["intake"] if r["nutrient"] == "calcium")
    assert calcium["exceeds_upper_limit"] is True
    assert calcium["diet_per_day"] == out["diet"]["per_day"]["calcium"]
    assert "adult-calcium-above-ul" in {a["id"] for a in out["report"]["alerts"]}


def test_text_names_the_unknown_food_and_its_line(tmp_path: Path) -> None:
    diet = tmp_path / "diet.yaml"
    diet.write_text("diet:\n  foods:\n    - 100 g quark\n    - 2 slices gouda\n", "utf-8")
    ran = run_cli("diet", str(diet), "--age", "40", "--sex", "female")
    assert ran.returncode != 0
    assert "Gouda: no household measure" in ran.stderr
    assert "line 4" in ran.stderr or ":4" in ran.stderr
