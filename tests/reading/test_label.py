"""Reading one Supplement Facts label: the DSLD API record (real labels transcribed in
tests/fixtures/labels/dsld_*.json) and what a malformed record says, naming the field path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from d3k2.api import Engine
from d3k2.core.label import Label
from d3k2.errors import InputError
from d3k2.reading.label import read_label

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "labels"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.default()


def _record(dsld_id: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"dsld_{dsld_id}.json").read_text("utf-8"))
    return data


def _read(engine: Engine, data: Any) -> Label:
    return read_label(data, engine.vocabularies.nutrients)


def _rows(label: Label) -> dict[str, tuple[str | None, float | None, str | None]]:
    """d3k2 nutrient rows: nutrient -> (form, amount, unit)."""
    return {r.nutrient: (r.form, r.amount, r.unit) for r in label.rows if r.nutrient}


def test_a_real_dsld_record_is_read_with_its_serving_and_directions(engine: Engine) -> None:
    label = _read(engine, _record(277760))  # Nikken Wellness Kenzen Calcium Complex
    assert label.source == "DSLD 277760"
    assert label.product == "Nikken Wellness Kenzen Calcium Complex"
    assert label.serving == "2 Tablet(s)"
    assert label.servings_per_day == (1, 1)
    assert label.directions is not None and "two (2) tablets daily" in label.directions
    assert _rows(label) == {
        "calcium": (None, 400.0, "mg"),  # "Milk Mineral Complex": no salt named
        "vitamin_d": ("cholecalciferol", 30.0, "mcg"),
    }
    vitamin_d = next(r for r in label.rows if r.nutrient == "vitamin_d")
    assert (vitamin_d.iu, vitamin_d.percent_dv) == (1200.0, 150.0)  # IU from the row's notes


def test_the_nutrient_is_the_line_s_own_not_a_salt_in_its_forms(engine: Engine) -> None:
    """Vitamin C "as calcium ascorbate, magnesium ascorbate" and pantothenic acid "as
    calcium pantothenate" are not calcium or magnesium lines (they were, before)."""
    multivitamin = _read(engine, _record(200768))  # Mega Daily 4 for Men
    assert _rows(multivitamin)["magnesium"] == ("magnesium_citrate", 100.0, "mg")
    assert _rows(multivitamin)["calcium"] == ("calcium_carbonate", 800.0, "mg")
    vitamin_c = next(r for r in multivitamin.rows if r.name.startswith("Vitamin C"))
    assert vitamin_c.nutrient is None
    tangerine = _read(engine, _record(209214))  # Beyond Tangy Tangerine 2.0
    pantothenic = next(r for r in tangerine.rows if r.name.startswith("Pantothenic"))
    assert pantothenic.nutrient is None
    assert _rows(tangerine)["calcium"][1:] == (50.0, "mg")
    assert _rows(tangerine)["vitamin_k"] == ("mk4", 40.0, "mcg")  # menatetrenone


def test_nested_rows_are_read(engine: Engine) -> None:
    label = _read(engine, _record(277758))  # BDZ: calcium and magnesium nested in Aquamin
    assert _rows(label) == {
        "calcium": (None, 210.0, "mg"),
        "magnesium": (None, 15.0, "mg"),
        "vitamin_k": ("menaquinone", 180.0, "mcg"),  # "Vitamin K2", form unspecified
    }


def test_a_simple_form_line_is_named_by_its_head() -> None:
    engine = Engine.default()
    label = _read(
        engine,
        {
            "ingredients": [
                {"name": "Vitamin C (as calcium ascorbate)", "amount": 500, "unit": "mg"},
                {"name": "Calcium (as calcium citrate)", "amount": 200, "unit": "mg"},
            ]
        },
    )
    assert [(r.nutrient, r.form) for r in label.rows] == [
        (None, None),
        ("calcium", "calcium_citrate"),
    ]


def test_less_than_one_percent_is_the_operator_and_one(engine: Engine) -> None:
    data = _record(277760)
    quantity = data["ingredientRows"][0]["quantity"][0]
    quantity["quantity"] = 2
    quantity["dailyValueTargetGroup"] = [{"operator": "<", "percent": 1}]
    row = _read(engine, data).rows[0]
    assert (row.percent_dv, row.percent_dv_text) == (None, "<1%")


def test_not_present_amount_is_no_amount(engine: Engine) -> None:
    data = _record(277760)
    data["ingredientRows"][0]["quantity"][0].update(quantity=0, unit="NP")
    row = _read(engine, data).rows[0]
    assert (row.amount, row.unit) == (None, None)


def _set(data: dict[str, Any], path: list[str | int], value: Any) -> dict[str, Any]:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _dotted(path: list[str | int]) -> str:
    """["ingredientRows", 1, "quantity"] -> "ingredientRows[1].quantity"."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in path).lstrip(".")


ROW_1 = ["ingredientRows", 1]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (["ingredientRows"], [], "needs ingredientRows"),
        (["ingredientRows"], "Calcium 400 mg", "needs ingredientRows"),
        (ROW_1, "Vitamin D3", "is a mapping"),
        (["ingredientRows", 0, "name"], None, "needs a name"),
        ([*ROW_1, "quantity"], {"quantity": 30}, "is a list"),
        ([*ROW_1, "quantity", 0, "quantity"], "thirty", "is a number"),
        ([*ROW_1, "quantity", 0, "unit"], ["mcg"], "is text"),
        (["ingredientRows", 0, "forms"], "Milk Mineral Complex", "is a list"),
        (["servingSizes", 0, "maxDailyServings"], True, "is a number"),
        (["statements"], {"type": "Directions"}, "is a list"),
        (["id"], [277760], "is a number"),
    ],
)
def test_a_malformed_record_names_the_field_path(
    engine: Engine, path: list[str | int], value: Any, message: str
) -> None:
    data = _set(_record(277760), path, value)
    with pytest.raises(InputError, match=message) as raised:
        _read(engine, data)
    assert raised.value.where == _dotted(path)


def test_a_nested_row_error_names_its_parent(engine: Engine) -> None:
    data = _record(277758)
    data["ingredientRows"][0]["nestedRows"][0]["quantity"][0]["quantity"] = "210 mg"
    with pytest.raises(InputError) as raised:
        _read(engine, data)
    assert raised.value.where == "ingredientRows[0].nestedRows[0].quantity[0].quantity"


def test_a_dsld_record_without_rows_is_not_read_as_the_simple_form(engine: Engine) -> None:
    data = _record(277760)
    del data["ingredientRows"]
    with pytest.raises(InputError, match="needs ingredientRows"):
        _read(engine, data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5000) | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)
PATHS = [
    ["ingredientRows", 1],
    ["ingredientRows", 1, "quantity"],
    ["ingredientRows", 1, "quantity", 0],
    ["ingredientRows", 1, "quantity", 0, "quantity"],
    ["ingredientRows", 1, "quantity", 0, "dailyValueTargetGroup"],
    ["ingredientRows", 1, "forms"],
    ["ingredientRows", 1, "notes"],
    ["servingSizes"],
    ["servingSizes", 0, "minQuantity"],
    ["statements", 0],
]
BASE = json.loads((FIXTURES / "dsld_277760.json").read_text("utf-8"))
ENGINE = Engine.default()


@settings(max_examples=150, deadline=None)
@given(path=st.sampled_from(PATHS), value=JSON_VALUES)
def test_any_value_anywhere_is_read_or_refused_with_a_path(
    path: list[str | int], value: Any
) -> None:
    data = _set(copy.deepcopy(BASE), path, value)
    try:
        label = _read(ENGINE, data)
    except InputError as error:
        assert isinstance(error.where, str) and error.where
    else:
        assert label.source == "DSLD 277760"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"ingredients": [{"name": "Vitamin D3", "amount": "abc", "unit": "mcg"}]}, "amount"),
        ({"ingredients": [{"name": "Vitamin D3", "amount": 25, "iu": "lots"}]}, "iu"),
        ({"ingredients": [{"name": "Vitamin D3", "amount": 25, "unit": ["mcg"]}]}, "unit"),
        ({"servings_per_day": "twice"}, "servings_per_day"),
        ({"servings_per_day": [1, 2, 3]}, "servings_per_day"),
    ],
)
def test_a_simple_form_value_of_the_wrong_kind_names_its_field(
    engine: Engine, change: dict[str, Any], where: str
) -> None:
    label: dict[str, Any] = {
        "product": "x",
        "serving": "1 tablet",
        "ingredients": [{"name": "Vitamin D3", "amount": 25, "unit": "mcg"}],
        **change,
    }
    with pytest.raises(InputError) as raised:
        read_label(label, engine.vocabularies.nutrients)
    assert raised.value.where is not None and raised.value.where.endswith(where)
