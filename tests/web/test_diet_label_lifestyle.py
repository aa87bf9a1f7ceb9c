"""Issue 12's parts over the web: diet, supplement labels and lifestyle in the JSON API
and the pages, against the real server. The API answers exactly what the CLI prints."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from d3k2.cli import app as cli_app
from d3k2.yamlio import read_structured, to_plain

ROOT = Path(__file__).resolve().parents[2]
DIET_EXAMPLE = ROOT / "examples" / "diet_foods.yaml"
LABELS = ROOT / "tests" / "fixtures" / "labels"
TODAY = "2026-11-01"


def plain(path: Path) -> Any:
    return json.loads(json.dumps(to_plain(read_structured(path, with_lines=False)), default=str))


def diet_profile() -> dict[str, Any]:
    """examples/diet_foods.yaml with its product label inline (a server never reads a path
    a client names)."""
    profile: dict[str, Any] = plain(DIET_EXAMPLE)
    for item in profile["plan"]:
        if isinstance(item, dict) and "product" in item:
            item["product"] = plain(DIET_EXAMPLE.parent / item["product"])
    return profile


def cli_json(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(cli_app, [*args, "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


# --------------------------------------------------------------------------- assess
def test_assess_with_foods_product_and_lifestyle_is_exactly_the_cli_json(
    client: httpx.Client,
) -> None:
    code, cli = cli_json("assess", str(DIET_EXAMPLE), "--today", TODAY)
    assert code == 0
    response = client.post(f"/api/assess?today={TODAY}", json=diet_profile())
    assert response.status_code == 200
    body = response.json()
    assert body == cli
    foods = {line["food_id"]: line for line in body["diet"]["foods"]}
    assert foods["cheese_cheddar"]["per_day"]["calcium_mg"] == pytest.approx(397.6, abs=0.1)
    assert foods["cheese_cheddar"]["per_day"]["mk7_mcg"] is None  # not reported, never 0
    assert [s["id"] for s in body["lifestyle"]["suggestions"]][:2] == [
        "strength-training",
        "balance-training-older-adults",
    ]
    # the product's two nutrients are two plan items, counted in the totals
    product_items = [p for p in body["plan"] if p["input"].startswith("Example D3 + K2")]
    assert {p["segments"][0]["nutrient"] for p in product_items} == {"vitamin_d", "vitamin_k"}
    calcium = next(row for row in body["intake"] if row["nutrient"] == "calcium")
    assert calcium["exceeds_upper_limit"] is True  # food + supplement above 2,000 mg at 72


def test_a_product_named_by_path_is_refused_over_the_web(client: httpx.Client) -> None:
    profile = plain(DIET_EXAMPLE)  # plan[2].product is "labels/d3_k2.yaml"
    response = client.post("/api/assess", json=profile)
    assert response.status_code == 422
    locs = [item["loc"] for item in response.json()["detail"]]
    assert ["body", "plan", 2, "product"] in locs


def test_diet_and_lifestyle_errors_have_field_paths_and_cli_words(client: httpx.Client) -> None:
    profile = {
        "age": 70,
        "sex": "female",
        "diet": {"foods": ["2 slices cheddar", "-2 cups milk"], "questionnaire": {"milk": "lots"}},
        "lifestyle": {"smoking": "sometimes"},
    }
    response = client.post("/api/assess", json=profile)
    assert response.status_code == 422
    detail = {tuple(item["loc"]): item["msg"] for item in response.json()["detail"]}
    assert detail[("body", "diet", "foods", 1)] == "no amount in '-2 cups milk'"
    assert detail[("body", "diet", "questionnaire", "milk")] == (
        "milk: 'lots' is not a number of servings"
    )
    assert ("body", "lifestyle", "smoking") in detail


# --------------------------------------------------------------------------- label
@pytest.mark.parametrize(
    ("fixture", "problems"),
    [("pass_d3_k2.yaml", 0), ("fail_vitamin_d_iu_only.yaml", 2), ("dsld_format_example.json", 0)],
)
def test_label_is_exactly_the_cli_json(client: httpx.Client, fixture: str, problems: int) -> None:
    code, cli = cli_json("label", str(LABELS / fixture))
    assert code == (1 if problems else 0)
    response = client.post("/api/label", json=plain(LABELS / fixture))
    assert response.status_code == 200  # a label with problems is a result, not an error
    assert response.json() == cli
    assert response.json()["problems"] == problems


def test_a_problem_label_names_the_failed_checks(client: httpx.Client) -> None:
    body = client.post("/api/label", json=plain(LABELS / "fail_vitamin_d_iu_only.yaml")).json()
    failed = {f["check"] for f in body["findings"] if f["status"] == "problem"}
    assert failed == {"vitamin_d_unit", "percent_dv"}


@pytest.mark.parametrize(
    ("label", "loc"),
    [
        ({"product": "x"}, ["body", "ingredients"]),
        (
            {"product": "x", "serving": "1", "ingredients": [{"name": "D3", "amount": "abc"}]},
            ["body", "ingredients", 0, "amount"],
        ),
        ({"product": "x", "ingredients": [{"name": f"z{i}"} for i in range(500)]}, None),
    ],
)
def test_a_bad_label_is_422_with_the_field_path(
    client: httpx.Client, label: dict[str, Any], loc: list[str] | None
) -> None:
    response = client.post("/api/label", json=label)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["loc"] == (loc or ["body", "ingredients"])
    assert item["msg"]


@pytest.mark.parametrize("body", [[], "text", 3])
def test_a_label_must_be_an_object(client: httpx.Client, body: object) -> None:
    assert client.post("/api/label", content=json.dumps(body)).status_code == 422


# --------------------------------------------------------------------------- diet
def test_diet_is_exactly_the_cli_json(client: httpx.Client, tmp_path: Path) -> None:
    foods = {"foods": ["2 slices cheddar", "200 ml fortified soy drink"], "magnesium": "100 mg"}
    file = tmp_path / "diet.json"
    file.write_text(json.dumps(foods))
    code, cli = cli_json("diet", str(file), "--age", "72", "--sex", "female", "--today", TODAY)
    assert code == 0
    response = client.post(f"/api/diet?age=72&sex=female&today={TODAY}", json=foods)
    assert response.status_code == 200
    assert response.json() == cli
    alone = client.post("/api/diet", json=foods["foods"]).json()
    assert alone["report"] is None
    assert alone["diet"]["per_day"]["calcium"] == pytest.approx(652.1, abs=0.2)


def test_diet_errors_have_field_paths(client: httpx.Client) -> None:
    response = client.post("/api/diet", json={"foods": ["-3 cheddar"]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "foods", 0]


# --------------------------------------------------------------------------- pages
def test_report_page_shows_diet_lifestyle_and_the_product(client: httpx.Client) -> None:
    html = client.post(f"/report/html?today={TODAY}", json=diet_profile()).text
    visible = html.split('<script type="application/json"')[0]
    diet = visible.split('id="diet-section"')[1].split("</section>")[0]
    assert "<caption>" in diet and 'scope="col"' in diet
    assert "Cheddar cheese" in diet
    assert "not reported" in diet  # MK-7 of cheddar: unknown, shown as such
    assert "NDB 01009" in diet and 'href="https://' in diet
    lifestyle = visible.split('id="lifestyle-section"')[1].split("</section>")[0]
    assert "Because:" in lifestyle and "strength_days_per_week = 0" in lifestyle
    assert 'href="https://doi.org/10.1136/bjsports-2020-102955"' in lifestyle
    plan = visible.split('id="plan-section"')[1].split("</section>")[0]
    assert "Vitamin K2 (as menaquinone-7) 100 mcg" in plan
    patient = client.post(f"/report/html?today={TODAY}&view=patient", json=diet_profile()).text
    assert "What your food gives you" in patient
    assert "Everyday habits for strong bones" in patient
    assert "Because:" not in patient.split("<script")[0]


def test_not_reported_is_never_shown_as_zero(client: httpx.Client) -> None:
    profile = {"age": 50, "sex": "male", "diet": {"foods": ["2 slices cheddar"]}}
    html = client.post("/report/html", json=profile).text
    row = html.split('<th scope="row">2 slices cheddar</th>')[1].split("</tr>")[0]
    cells = re.findall(r"<td>(.*?)</td>", row)
    # columns: matched food, g/day, calcium, vitamin D, K1, MK-4, MK-7, magnesium, protein
    assert cells[2].startswith("397.6")
    # MK-4 8.6 mcg/100 g (FDC 173414) x 56 g = 4.816; MK-7 not reported, never 0
    assert cells[5].startswith("4.8")
    assert "not reported" in cells[6]


def test_form_questions_come_from_the_knowledge_tables(client: httpx.Client) -> None:
    from d3k2.api import Engine

    engine = Engine.default()
    form = client.get("/").text
    categories = engine.base.questionnaire.categories
    questions = engine.base.lifestyle.questions
    assert len(re.findall(r'class="questionnaire-answer"', form)) == len(categories)
    assert len(re.findall(r'class="lifestyle-answer"', form)) == len(questions)
    for category in categories:
        assert f'data-path="diet.questionnaire.{category.id}"' in form
    smoking = next(q for q in questions if q.kind == "choice")
    for choice in smoking.choices:
        assert f'<option value="{choice}">' in form


def test_label_page_and_its_html_view(client: httpx.Client) -> None:
    page = client.get("/label")
    assert page.status_code == 200
    assert "https://" not in page.text and "http://" not in page.text
    text = (LABELS / "fail_vitamin_d_iu_only.yaml").read_bytes()
    html = client.post("/label/html", content=text, headers={"content-type": "text/plain"}).text
    assert "2 problems on this label" in html
    assert html.count('data-status="problem"') == 2
    assert 'scope="col">%DV printed' in html
    passing = client.post("/label/html", content=(LABELS / "pass_d3_k2.yaml").read_bytes()).text
    assert "No problem found on this label" in passing
    bad = client.post("/label/html", content=b"- not\n- a label\n")
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["msg"].startswith("a label is a mapping")


def test_example_label_is_the_example_file(client: httpx.Client) -> None:
    served = client.get("/static/example-label.json").json()
    source = plain(ROOT / "examples" / "labels" / "d3_k2.yaml")
    assert {k: v for k, v in served.items() if k != "source"} == source
