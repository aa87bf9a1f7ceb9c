"""A product label in a profile's plan: `plan: [{product: label.yaml, servings: 1, every: day}]`
(read relative to the profile file) adds every nutrient on the label to the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from d3k2.api import Engine
from d3k2.errors import InputError
from d3k2.reading.profile import ProfileError
from d3k2.reading.profile_file import load_profile

TODAY = dt.date(2026, 11, 29)
LABEL = """product: Test D3 + K2 + calcium
serving: 1 tablet
directions: Take 1 tablet daily.
ingredients:
  - {name: Vitamin D3 (as cholecalciferol), amount: 25, unit: mcg, iu: 1000, dv: 125}
  - {name: Vitamin K2 (as menaquinone-7), amount: 90, unit: mcg, dv: 75}
  - {name: Calcium (as calcium carbonate), amount: 600, unit: mg, dv: 46}
  - {name: Vitamin C, amount: 60, unit: mg, dv: 67}
"""


def _assess(tmp_path: Path, plan_item: str) -> object:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "combo.yaml").write_text(LABEL, encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"age: 60\nsex: female\nplan:\n  - {plan_item}\n", encoding="utf-8")
    engine = Engine.default()
    read = load_profile(profile, lambda data: engine.read_profile(data, today=TODAY))
    return engine.assess_read(read, projection=False)


def test_every_nutrient_of_the_label_counts(tmp_path: Path) -> None:
    assessment = _assess(tmp_path, "{product: labels/combo.yaml, servings: 2, every: day}")
    intake = {r.nutrient: r for r in assessment.report.intake}  # type: ignore[attr-defined]
    assert intake["vitamin_d"].supplement_per_day == pytest.approx(50.0)  # 2 x 25 mcg
    assert intake["vitamin_k"].supplement_per_day == pytest.approx(180.0)
    assert intake["calcium"].supplement_per_day == pytest.approx(1200.0)  # elemental, per label
    plan = assessment.report.plan  # type: ignore[attr-defined]
    assert len(plan) == 3  # vitamin C is not a d3k2 nutrient


def test_weekly_product(tmp_path: Path) -> None:
    assessment = _assess(tmp_path, "{product: labels/combo.yaml, every: week}")
    intake = {r.nutrient: r for r in assessment.report.intake}  # type: ignore[attr-defined]
    assert intake["calcium"].supplement_per_day == pytest.approx(600 / 7)


def test_a_missing_label_file_names_the_plan_item(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read the product label 'labels/none.yaml'"):
        _assess(tmp_path, "{product: labels/none.yaml}")


def test_a_file_that_is_not_a_label_is_refused_without_echoing_it(tmp_path: Path) -> None:
    secret = "root:x:0:0:root:/root:/bin/bash\n" * 50
    (tmp_path / "passwd").write_text(secret, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        _assess(tmp_path, "{product: passwd}")
    assert "is not a label" in str(raised.value)
    assert "root:x:0:0" not in str(raised.value)


def test_a_product_path_outside_a_file_is_an_error() -> None:
    with pytest.raises(ProfileError, match="was not read"):
        Engine.default().read_profile(
            {"age": 60, "sex": "female", "plan": [{"product": "x.yaml"}]}, today=TODAY
        )


REAL_LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "labels"


def _assess_dsld(tmp_path: Path, *plan: str) -> dict[str, float]:
    """Supplement intake per day of a plan of real DSLD labels (copied next to the profile)."""
    (tmp_path / "labels").mkdir()
    for name in {item.split("product: labels/")[1].split(",")[0] for item in plan}:
        (tmp_path / "labels" / name).write_text(
            (REAL_LABELS / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    profile = tmp_path / "profile.yaml"
    items = "".join(f"  - {item}\n" for item in plan)
    profile.write_text(f"age: 60\nsex: female\nplan:\n{items}", encoding="utf-8")
    engine = Engine.default()
    read = load_profile(profile, lambda data: engine.read_profile(data, today=TODAY))
    report = engine.assess_read(read, projection=False).report
    return {r.nutrient: r.supplement_per_day for r in report.intake}


def test_a_real_dsld_combination_product_adds_every_nutrient(tmp_path: Path) -> None:
    """CalDenex (DSLD 11249), one serving = 3 tablets: vitamin D 900 IU, K1 120 mcg,
    calcium 900 mg, magnesium 225 mg (folate, chromium and boron are not d3k2 nutrients)."""
    intake = _assess_dsld(tmp_path, "{product: labels/dsld_11249.json, servings: 1, every: day}")
    assert intake["vitamin_d"] == pytest.approx(22.5)  # 900 IU / 40 IU per mcg
    assert intake["vitamin_k"] == pytest.approx(120.0)
    assert intake["calcium"] == pytest.approx(900.0)
    assert intake["magnesium"] == pytest.approx(225.0)


def test_a_real_multivitamin_and_a_calcium_product_add_up(tmp_path: Path) -> None:
    """Mega Daily 4 for Men (DSLD 200768) + Calcium Complex (DSLD 277760), one serving each:
    the multivitamin's vitamin C "as magnesium ascorbate" adds no magnesium."""
    intake = _assess_dsld(
        tmp_path,
        "{product: labels/dsld_200768.json, servings: 1, every: day}",
        "{product: labels/dsld_277760.json, servings: 1, every: day}",
    )
    assert intake["vitamin_d"] == pytest.approx(40.0)  # 400 IU (10 mcg) + 30 mcg
    assert intake["calcium"] == pytest.approx(1200.0)  # 800 mg + 400 mg
    assert intake["magnesium"] == pytest.approx(100.0)  # the magnesium line only
    assert intake["vitamin_k"] == pytest.approx(80.0)  # MenaQ7


def test_a_real_dsld_label_counts_in_the_plan(tmp_path: Path) -> None:
    """DSLD 220992 (Mega Daily 4 for Women, tests/fixtures/labels/README.md): a calcium + D3 +
    K2 (MenaQ7) combination taken as 1 serving (4 tablets) a day; vitamin D is declared
    as 400 IU only and counts as 10 mcg (40 IU per mcg)."""
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "labels" / "dsld_220992.json"
    (tmp_path / "mega.json").write_text(fixture.read_text("utf-8"), encoding="utf-8")
    profile = tmp_path / "profile.yaml"
    plan = "plan:\n  - {product: mega.json, servings: 1, every: day}\n"
    profile.write_text(f"age: 60\nsex: female\n{plan}", encoding="utf-8")
    engine = Engine.default()
    read = load_profile(profile, lambda data: engine.read_profile(data, today=TODAY))
    report = engine.assess_read(read, projection=False).report
    intake = {r.nutrient: r for r in report.intake}
    assert intake["vitamin_d"].supplement_per_day == pytest.approx(10.0)  # 400 IU / 40
    assert intake["vitamin_k"].supplement_per_day == pytest.approx(80.0)
    assert intake["calcium"].supplement_per_day == pytest.approx(732.0)
    assert intake["magnesium"].supplement_per_day == pytest.approx(200.0)
