"""Dietary Reference Intakes (tables/dri.csv) and nutrient forms (vocab/nutrients.yaml).

Every published value is asserted as a literal, with its source beside it, so a typo in the
data fails here. Sources:

- NAM 2011: IOM, Dietary Reference Intakes for Calcium and Vitamin D (2011), Tables S-1
  (calcium) and S-2 (vitamin D), ULs in Ch. 6 / Table 6-4; the same values are in the NIH
  ODS fact sheets (vitamin D RDA and UL tables; calcium Table 1).
- IOM 2001: Dietary Reference Intakes for Vitamin A, Vitamin K, ... (2001), Ch. 5 Vitamin K;
  NIH ODS vitamin K fact sheet Table 1.
- IOM 1997: Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D, and
  Fluoride (1997), Ch. 6 Magnesium; NIH ODS magnesium fact sheet.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from d3k2.errors import KnowledgeError
from d3k2.knowledge import schema
from d3k2.knowledge.loader import load_knowledge_from

DATA_DIR = Path(schema.__file__).parent / "data"
DRI_CSV = DATA_DIR / "tables" / "dri.csv"
NUTRIENTS_YAML = DATA_DIR / "vocab" / "nutrients.yaml"
REFERENCES_DIR = DATA_DIR / "references"

EXACT = 1e-9  # published DRI values are exact figures; no rounding is allowed in the data
NO_UPPER_AGE = 10**6  # stands in for "no upper bound" when sorting and tiling age groups


def _load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path)


def _dri_rows() -> list[schema.DriRow]:
    with DRI_CSV.open(newline="", encoding="utf-8") as handle:
        return [
            schema.DriRow.model_validate({k: (v if v != "" else None) for k, v in row.items()})
            for row in csv.DictReader(handle)
        ]


def _reference_ids() -> list[str]:
    ids: list[str] = []
    for path in sorted(REFERENCES_DIR.glob("*.yaml")):
        ids += [r.id for r in schema.References.model_validate(_load_yaml(path)).references]
    return ids


ROWS = _dri_rows()
NUTRIENTS = schema.Nutrients.model_validate(_load_yaml(NUTRIENTS_YAML)).nutrients


def _row(nutrient: str, life_stage: str, sex: str, state: str = "none") -> schema.DriRow:
    found = [
        r
        for r in ROWS
        if (r.nutrient, r.life_stage, r.sex, r.state) == (nutrient, life_stage, sex, state)
    ]
    assert len(found) == 1, f"expected one row for {nutrient}/{life_stage}/{sex}/{state}"
    return found[0]


def _row_for_person(nutrient: str, age_months: int, sex: str, state: str = "none") -> schema.DriRow:
    """The row covering one person, as the engine must find it (sex 'any' covers both)."""
    found = [
        r
        for r in ROWS
        if r.nutrient == nutrient
        and r.state == state
        and r.sex in (sex, "any")
        and r.age_from_months <= age_months
        and (r.age_to_months is None or age_months < r.age_to_months)
    ]
    assert len(found) == 1, f"{len(found)} rows cover {nutrient}, {age_months} mo, {sex}"
    return found[0]


# ----------------------------------------------------------------------------- structure
def test_csv_header_is_exactly_the_driRow_fields() -> None:
    with DRI_CSV.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(schema.DriRow.model_fields)


def test_every_row_cites_a_known_reference_with_a_locator() -> None:
    known = set(_reference_ids())
    for row in ROWS:
        assert row.source in known, f"{row.nutrient} {row.life_stage}: unknown {row.source}"
        assert row.locator.strip(), f"{row.nutrient} {row.life_stage}: empty locator"


def test_reference_ids_are_unique_across_files() -> None:
    ids = _reference_ids()
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_units_per_nutrient() -> None:
    expected = {"vitamin_d": "mcg", "vitamin_k": "mcg", "calcium": "mg", "magnesium": "mg"}
    assert {r.nutrient: r.unit for r in ROWS} == expected
    assert all(r.unit == expected[r.nutrient] for r in ROWS)


def test_one_row_per_nutrient_life_stage_sex_state() -> None:
    keys = [(r.nutrient, r.life_stage, r.sex, r.state) for r in ROWS]
    assert len(keys) == len(set(keys))


def _tiles(intervals: list[tuple[int, int]], start: int, end: int) -> str | None:
    """None when the half-open intervals cover [start, end) with no gap or overlap."""
    position = start
    for lower, upper in sorted(intervals):
        if lower != position:
            return f"{'gap' if lower > position else 'overlap'} at {position} months"
        position = upper
    return None if position == end else f"coverage ends at {position}, expected {end}"


@pytest.mark.parametrize("nutrient", ["vitamin_d", "vitamin_k", "calcium", "magnesium"])
@pytest.mark.parametrize("sex", ["female", "male"])
def test_life_stages_tile_the_whole_age_axis(nutrient: str, sex: str) -> None:
    intervals = [
        (r.age_from_months, r.age_to_months or NO_UPPER_AGE)
        for r in ROWS
        if r.nutrient == nutrient and r.state == "none" and r.sex in (sex, "any")
    ]
    assert _tiles(intervals, 0, NO_UPPER_AGE) is None, _tiles(intervals, 0, NO_UPPER_AGE)


@pytest.mark.parametrize("nutrient", ["vitamin_d", "vitamin_k", "calcium", "magnesium"])
@pytest.mark.parametrize("state", ["pregnancy", "lactation"])
def test_pregnancy_and_lactation_tile_14_to_50_years(nutrient: str, state: str) -> None:
    rows = [r for r in ROWS if r.nutrient == nutrient and r.state == state]
    assert rows and all(r.sex == "female" for r in rows)
    intervals = [(r.age_from_months, r.age_to_months or NO_UPPER_AGE) for r in rows]
    # DRI pregnancy/lactation groups: 14-18, 19-30, 31-50 years = months [168, 612)
    assert _tiles(intervals, 168, 612) is None, _tiles(intervals, 168, 612)


def test_sex_any_never_overlaps_a_sex_specific_row() -> None:
    by_key: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    for r in ROWS:
        by_key[(r.nutrient, r.state, r.age_from_months)].add(r.sex)
    for key, sexes in by_key.items():
        assert sexes in ({"any"}, {"female"}, {"female", "male"}), (key, sexes)


# ----------------------------------------------------------------------------- values
# (nutrient, life stage, sex, state, kind, recommended, UL, UL applies to)
VITAMIN_D_MCG = [
    # NAM 2011 Table S-2 / ODS: AI 10 mcg (400 IU) infants; RDA 15 mcg (600 IU) 1-70 y,
    # 20 mcg (800 IU) > 70 y. ULs (Table 6-4, published in IU): 1,000 IU = 25 mcg,
    # 1,500 IU = 37.5 mcg, 2,500 IU = 62.5 mcg, 3,000 IU = 75 mcg, 4,000 IU = 100 mcg from
    # 9 y incl. pregnancy/lactation; total intake. (1 mcg = 40 IU; the mcg figures sometimes
    # printed as 38 and 63 are roundings, not the published limits.)
    ("0-6 mo", "any", "none", "AI", 10, 25),
    ("7-12 mo", "any", "none", "AI", 10, 37.5),
    ("1-3 y", "any", "none", "RDA", 15, 62.5),
    ("4-8 y", "any", "none", "RDA", 15, 75),
    ("9-13 y", "any", "none", "RDA", 15, 100),
    ("14-18 y", "any", "none", "RDA", 15, 100),
    ("19-30 y", "any", "none", "RDA", 15, 100),
    ("31-50 y", "any", "none", "RDA", 15, 100),
    ("51-70 y", "any", "none", "RDA", 15, 100),
    (">70 y", "any", "none", "RDA", 20, 100),
    ("pregnancy 14-18 y", "female", "pregnancy", "RDA", 15, 100),
    ("pregnancy 19-30 y", "female", "pregnancy", "RDA", 15, 100),
    ("pregnancy 31-50 y", "female", "pregnancy", "RDA", 15, 100),
    ("lactation 14-18 y", "female", "lactation", "RDA", 15, 100),
    ("lactation 19-30 y", "female", "lactation", "RDA", 15, 100),
    ("lactation 31-50 y", "female", "lactation", "RDA", 15, 100),
]

CALCIUM_MG = [
    # NAM 2011 Table S-1 / ODS calcium Table 1: AI 200, 260; RDA 700, 1,000, 1,300 (9-18 y),
    # 1,000 (19-50 y), 1,000 men / 1,200 women (51-70 y), 1,200 (> 70 y).
    # ULs: 1,000, 1,500, 2,500 (1-8 y), 3,000 (9-18 y), 2,500 (19-50 y), 2,000 (51+ y).
    ("0-6 mo", "any", "none", "AI", 200, 1000),
    ("7-12 mo", "any", "none", "AI", 260, 1500),
    ("1-3 y", "any", "none", "RDA", 700, 2500),
    ("4-8 y", "any", "none", "RDA", 1000, 2500),
    ("9-13 y", "any", "none", "RDA", 1300, 3000),
    ("14-18 y", "any", "none", "RDA", 1300, 3000),
    ("19-30 y", "any", "none", "RDA", 1000, 2500),
    ("31-50 y", "any", "none", "RDA", 1000, 2500),
    ("51-70 y", "male", "none", "RDA", 1000, 2000),
    ("51-70 y", "female", "none", "RDA", 1200, 2000),
    (">70 y", "any", "none", "RDA", 1200, 2000),
    ("pregnancy 14-18 y", "female", "pregnancy", "RDA", 1300, 3000),
    ("pregnancy 19-30 y", "female", "pregnancy", "RDA", 1000, 2500),
    ("pregnancy 31-50 y", "female", "pregnancy", "RDA", 1000, 2500),
    ("lactation 14-18 y", "female", "lactation", "RDA", 1300, 3000),
    ("lactation 19-30 y", "female", "lactation", "RDA", 1000, 2500),
    ("lactation 31-50 y", "female", "lactation", "RDA", 1000, 2500),
]

VITAMIN_K_MCG = [
    # IOM 2001 Ch. 5 / ODS vitamin K Table 1: AIs only (no UL could be set):
    # 2.0, 2.5, 30, 55, 60, 75; adults 120 men / 90 women; pregnancy/lactation 75 (14-18 y)
    # and 90 (19-50 y).
    ("0-6 mo", "any", "none", 2.0),
    ("7-12 mo", "any", "none", 2.5),
    ("1-3 y", "any", "none", 30),
    ("4-8 y", "any", "none", 55),
    ("9-13 y", "any", "none", 60),
    ("14-18 y", "any", "none", 75),
    ("19-30 y", "male", "none", 120),
    ("31-50 y", "male", "none", 120),
    ("51-70 y", "male", "none", 120),
    (">70 y", "male", "none", 120),
    ("19-30 y", "female", "none", 90),
    ("31-50 y", "female", "none", 90),
    ("51-70 y", "female", "none", 90),
    (">70 y", "female", "none", 90),
    ("pregnancy 14-18 y", "female", "pregnancy", 75),
    ("pregnancy 19-30 y", "female", "pregnancy", 90),
    ("pregnancy 31-50 y", "female", "pregnancy", 90),
    ("lactation 14-18 y", "female", "lactation", 75),
    ("lactation 19-30 y", "female", "lactation", 90),
    ("lactation 31-50 y", "female", "lactation", 90),
]

MAGNESIUM_MG = [
    # IOM 1997 Ch. 6 / ODS magnesium: AI 30, 75 (infants, no UL); RDA 80, 130, 240;
    # 14-18 y 410 M / 360 F; 19-30 y 400 / 310; 31 y and over 420 / 320; pregnancy 400, 350,
    # 360; lactation 360, 310, 320. UL for supplements and medicines only: 65 (1-3 y),
    # 110 (4-8 y), 350 mg (9 y and over, incl. pregnancy/lactation).
    ("0-6 mo", "any", "none", "AI", 30, None),
    ("7-12 mo", "any", "none", "AI", 75, None),
    ("1-3 y", "any", "none", "RDA", 80, 65),
    ("4-8 y", "any", "none", "RDA", 130, 110),
    ("9-13 y", "any", "none", "RDA", 240, 350),
    ("14-18 y", "male", "none", "RDA", 410, 350),
    ("14-18 y", "female", "none", "RDA", 360, 350),
    ("19-30 y", "male", "none", "RDA", 400, 350),
    ("19-30 y", "female", "none", "RDA", 310, 350),
    ("31-50 y", "male", "none", "RDA", 420, 350),
    ("31-50 y", "female", "none", "RDA", 320, 350),
    ("51-70 y", "male", "none", "RDA", 420, 350),
    ("51-70 y", "female", "none", "RDA", 320, 350),
    (">70 y", "male", "none", "RDA", 420, 350),
    (">70 y", "female", "none", "RDA", 320, 350),
    ("pregnancy 14-18 y", "female", "pregnancy", "RDA", 400, 350),
    ("pregnancy 19-30 y", "female", "pregnancy", "RDA", 350, 350),
    ("pregnancy 31-50 y", "female", "pregnancy", "RDA", 360, 350),
    ("lactation 14-18 y", "female", "lactation", "RDA", 360, 350),
    ("lactation 19-30 y", "female", "lactation", "RDA", 310, 350),
    ("lactation 31-50 y", "female", "lactation", "RDA", 320, 350),
]


@pytest.mark.parametrize(("stage", "sex", "state", "kind", "recommended", "ul"), VITAMIN_D_MCG)
def test_vitamin_d(
    stage: str, sex: str, state: str, kind: str, recommended: float, ul: float
) -> None:
    row = _row("vitamin_d", stage, sex, state)
    assert row.source == "nam-2011-dri-calcium-vitamin-d"
    assert row.recommended_kind == kind
    assert row.recommended == pytest.approx(recommended, abs=EXACT)
    assert row.ul == pytest.approx(ul, abs=EXACT)
    assert row.ul_applies_to == "total intake"


@pytest.mark.parametrize(
    ("stage", "ul_iu"),
    [
        # NAM 2011 Table 6-4 publishes the vitamin D ULs in IU; the data holds them in mcg
        # unrounded (1 mcg = 40 IU), so 1,500 IU is 37.5 mcg, not 38.
        ("0-6 mo", 1000),
        ("7-12 mo", 1500),
        ("1-3 y", 2500),
        ("4-8 y", 3000),
        ("9-13 y", 4000),
        ("19-30 y", 4000),
    ],
)
def test_vitamin_d_ul_is_the_published_iu_figure_unrounded(stage: str, ul_iu: int) -> None:
    row = _row("vitamin_d", stage, "any")
    assert row.ul is not None
    assert row.ul * 40 == pytest.approx(ul_iu, abs=EXACT)


@pytest.mark.parametrize(("stage", "sex", "state", "kind", "recommended", "ul"), CALCIUM_MG)
def test_calcium(
    stage: str, sex: str, state: str, kind: str, recommended: float, ul: float
) -> None:
    row = _row("calcium", stage, sex, state)
    assert row.source == "nam-2011-dri-calcium-vitamin-d"
    assert row.recommended_kind == kind
    assert row.recommended == pytest.approx(recommended, abs=EXACT)
    assert row.ul == pytest.approx(ul, abs=EXACT)
    assert row.ul_applies_to == "total intake"


@pytest.mark.parametrize(("stage", "sex", "state", "adequate_intake"), VITAMIN_K_MCG)
def test_vitamin_k(stage: str, sex: str, state: str, adequate_intake: float) -> None:
    row = _row("vitamin_k", stage, sex, state)
    assert row.source == "iom-2001-dri-vitamin-k"
    assert row.recommended_kind == "AI"
    assert row.recommended == pytest.approx(adequate_intake, abs=EXACT)
    assert row.ul is None
    assert row.ul_applies_to == "none"


@pytest.mark.parametrize(("stage", "sex", "state", "kind", "recommended", "ul"), MAGNESIUM_MG)
def test_magnesium(
    stage: str, sex: str, state: str, kind: str, recommended: float, ul: float | None
) -> None:
    row = _row("magnesium", stage, sex, state)
    assert row.source == "iom-1997-dri-magnesium"
    assert row.recommended_kind == kind
    assert row.recommended == pytest.approx(recommended, abs=EXACT)
    if ul is None:
        assert row.ul is None
        assert row.ul_applies_to == "none"
    else:
        assert row.ul == pytest.approx(ul, abs=EXACT)
        assert row.ul_applies_to == "supplements and medicines only"


def test_every_row_is_asserted_by_a_literal_above() -> None:
    asserted = (
        {("vitamin_d", s, x, t) for s, x, t, *_ in VITAMIN_D_MCG}
        | {("calcium", s, x, t) for s, x, t, *_ in CALCIUM_MG}
        | {("vitamin_k", s, x, t) for s, x, t, *_ in VITAMIN_K_MCG}
        | {("magnesium", s, x, t) for s, x, t, *_ in MAGNESIUM_MG}
    )
    in_data = {(r.nutrient, r.life_stage, r.sex, r.state) for r in ROWS}
    assert in_data == asserted


# ----------------------------------------------------------------------------- lookups
@pytest.mark.parametrize(
    ("nutrient", "age_months", "sex", "state", "recommended", "ul"),
    [
        # boundaries are inclusive below, exclusive above
        ("vitamin_d", 0, "female", "none", 10, 25),
        ("vitamin_d", 6, "male", "none", 10, 37.5),  # 6 months starts the 7-12 mo group
        ("vitamin_d", 12, "male", "none", 15, 62.5),  # first birthday
        ("vitamin_d", 851, "female", "none", 15, 100),  # 70 years 11 months
        ("vitamin_d", 852, "female", "none", 20, 100),  # 71st birthday: "> 70 y"
        ("vitamin_d", 1200, "male", "none", 20, 100),  # 100 years, open-ended group
        ("calcium", 612, "female", "none", 1200, 2000),  # 51-year-old woman
        ("calcium", 612, "male", "none", 1000, 2000),  # 51-year-old man
        ("calcium", 200, "female", "pregnancy", 1300, 3000),  # pregnant at 16
        ("vitamin_k", 400, "male", "none", 120, None),
        ("magnesium", 240, "female", "lactation", 310, 350),  # lactating at 20
    ],
)
def test_one_row_covers_each_person(
    nutrient: str, age_months: int, sex: str, state: str, recommended: float, ul: float | None
) -> None:
    row = _row_for_person(nutrient, age_months, sex, state)
    assert row.recommended == pytest.approx(recommended, abs=EXACT)
    assert row.ul == (None if ul is None else pytest.approx(ul, abs=EXACT))


# ----------------------------------------------------------------------------- nutrients
def _form(form_id: str) -> schema.NutrientForm:
    found = [f for n in NUTRIENTS for f in n.forms if f.id == form_id]
    assert len(found) == 1, form_id
    return found[0]


def test_nutrient_units_match_the_dri_table() -> None:
    dri_units = {r.nutrient: r.unit for r in ROWS}
    assert {n.id: n.dri_unit for n in NUTRIENTS} == dri_units


def test_form_ids() -> None:
    assert {n.id: [f.id for f in n.forms] for n in NUTRIENTS} == {
        "vitamin_d": ["cholecalciferol", "ergocalciferol", "vitamin_d_unspecified"],
        "vitamin_k": ["mk7", "mk4", "phylloquinone", "menaquinone", "vitamin_k_unspecified"],
        "calcium": [
            "calcium_carbonate",
            "calcium_citrate",
            "calcium_acetate",
            "calcium_gluconate",
            "calcium_unspecified",
        ],
        "magnesium": [
            "magnesium_oxide",
            "magnesium_citrate",
            "magnesium_glycinate",
            "magnesium_unspecified",
        ],
    }


def test_a_typed_name_points_to_one_form() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for nutrient in NUTRIENTS:
        for form in nutrient.forms:
            for name in form.names:
                owners[name.casefold()].add(form.id)
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


@pytest.mark.parametrize(
    ("typed", "form_id"),
    [
        ("vitamin D3", "cholecalciferol"),
        ("D3", "cholecalciferol"),
        ("colecalciferol", "cholecalciferol"),
        ("ergocalciferol", "ergocalciferol"),
        ("K2", "menaquinone"),
        ("MK-7", "mk7"),
        ("menaquinone-7", "mk7"),
        ("menatetrenone", "mk4"),
        ("phytonadione", "phylloquinone"),
        ("calcium citrate", "calcium_citrate"),
        ("Mg", "magnesium_unspecified"),
        ("magnesium bisglycinate", "magnesium_glycinate"),
    ],
)
def test_common_names(typed: str, form_id: str) -> None:
    assert typed.casefold() in {n.casefold() for n in _form(form_id).names}


def test_elemental_fractions() -> None:
    # ODS calcium fact sheet: carbonate 40%, citrate 21% elemental calcium by weight
    assert _form("calcium_carbonate").elemental_fraction == pytest.approx(0.40, abs=EXACT)
    assert _form("calcium_citrate").elemental_fraction == pytest.approx(0.21, abs=EXACT)
    # Calcium acetate label: 667 mg salt = 169 mg calcium (0.253); gluconate label: 9.3% calcium
    assert _form("calcium_acetate").elemental_fraction == pytest.approx(0.25, abs=EXACT)
    assert _form("calcium_gluconate").elemental_fraction == pytest.approx(0.093, abs=EXACT)


def test_every_form_cites_a_known_reference() -> None:
    known = set(_reference_ids())
    for nutrient in NUTRIENTS:
        for form in nutrient.forms:
            assert form.sources, form.id
            assert {s.ref for s in form.sources} <= known, form.id


MCG_PER_MG = 1000
IU_PER_MCG_VITAMIN_D = 40  # NAM 2011: 1 mcg vitamin D = 40 IU


def _plausible(form_id: str, amount_in_dri_unit: float) -> bool:
    form = _form(form_id)
    return form.plausible_min_per_dose <= amount_in_dri_unit <= form.plausible_max_per_dose


@pytest.mark.parametrize(
    ("form_id", "amount", "plausible"),
    [
        # "100 mg MK-7" is a unit slip: MK-7 is dosed in micrograms (trial maximum 360 mcg).
        ("mk7", 100 * MCG_PER_MG, False),
        ("mk7", 360, True),
        ("mk7", 180, True),
        # Menatetrenone (MK-4) 45 mg/day is a real Japanese prescription (Iwamoto 2014).
        ("mk4", 45 * MCG_PER_MG, True),
        # K2 of unstated form may be MK-4, but 100 mg is beyond any product.
        ("menaquinone", 45 * MCG_PER_MG, True),
        ("menaquinone", 100 * MCG_PER_MG, False),
        # Oral phytonadione: up to 25 mg, rarely 50 mg, at once (Mephyton label).
        ("phylloquinone", 50 * MCG_PER_MG, True),
        # A single 300,000 IU vitamin D3 stoss dose is real (Kocyigit 2017) ...
        ("cholecalciferol", 300_000 / IU_PER_MCG_VITAMIN_D, True),
        ("cholecalciferol", 5_000 / IU_PER_MCG_VITAMIN_D, True),
        # ... and 5,000 "mg" typed for 5,000 IU is not.
        ("cholecalciferol", 5_000 * MCG_PER_MG, False),
        # A 600 mg elemental calcium tablet passes; the same typed in grams does not.
        ("calcium_carbonate", 600, True),
        ("calcium_carbonate", 600 * 1000, False),
        ("magnesium_oxide", 400, True),
        ("magnesium_oxide", 400 * 1000, False),
    ],
)
def test_plausible_ranges_catch_the_known_unit_slips(
    form_id: str, amount: float, plausible: bool
) -> None:
    assert _plausible(form_id, amount) is plausible


def test_minimum_never_exceeds_maximum() -> None:
    for nutrient in NUTRIENTS:
        for form in nutrient.forms:
            assert form.plausible_min_per_dose < form.plausible_max_per_dose, form.id


# ----------------------------------------------------------------------------- loader
def _loader_problems() -> list[str]:
    """Problems the real loader reports for the whole knowledge base (none when valid)."""
    try:
        load_knowledge_from(DATA_DIR)
    except KnowledgeError as error:
        return error.problems
    return []


def test_the_loader_finds_no_problem_in_these_files() -> None:
    # Other files of the knowledge base may still be incomplete; this file's data must not
    # be the cause of any problem the loader reports.
    mine = ("tables/dri.csv", "vocab/nutrients.yaml", "references/dri.yaml")
    assert [p for p in _loader_problems() if p.startswith(mine)] == []
