"""The real pages in Debian's Chromium, driven by Playwright (a few end-to-end tests).

Skips with a message when Chromium or Playwright is missing (``make browser-deps``
installs them). axe-core (``make browser-deps`` installs it under tests/web/vendor) is
injected into the page: no serious or critical accessibility violation on the form and
the report. Set D3K2_SCREENSHOTS=folder to save the screenshots shown in the README.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import LiveServer

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is missing")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = os.environ.get("D3K2_SCREENSHOTS")

if not Path(CHROMIUM).exists():
    pytest.skip(
        "no Chromium at /usr/bin/chromium: run `make browser-deps` (apt-get install chromium)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except Exception as error:  # a broken browser install: say so, do not fail
            pytest.skip(f"Chromium at {CHROMIUM} could not be started: {error}")
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # bypass_csp only so that the test can inject axe-core; the app's own CSP stays on
    context = browser.new_context(bypass_csp=True, viewport={"width": 1100, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def page_errors(page: Any) -> list[str]:
    """The page's script errors and console errors, collected while the test runs."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `make browser-deps` (npm install axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def shot(page: Any, name: str) -> None:
    """Save a screenshot (for the README), scaled to 800 px wide, when asked to."""
    if not SHOTS:
        return
    from PIL import Image

    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    width = 800
    image = image.resize((width, round(image.height * width / image.width)), Image.LANCZOS)
    image.convert("P", palette=Image.ADAPTIVE, colors=128).save(Path(SHOTS) / name)


def pdf_first_page(pdf: bytes, name: str) -> None:
    """The PDF's first page as a PNG (pdftoppm, from poppler-utils), when asked to."""
    if not SHOTS or not shutil.which("pdftoppm"):
        return
    import subprocess

    target = Path(SHOTS) / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", "-", str(target)],
        input=pdf,
        check=True,
    )


def test_warfarin_k2_profile_to_report_chart_and_pdf(page: Any, live_server: LiveServer) -> None:
    from pypdf import PdfReader

    errors = page_errors(page)
    page.goto(live_server.url + "/")

    # a mistake first: the message sits next to the field, in the CLI's words
    page.get_by_label("Age (years)").fill("old")
    page.get_by_label("Sex").select_option("male")
    page.get_by_role("button", name="Assess").click()
    age_error = page.locator("#age-error")
    sync_api.expect(age_error).to_contain_text("cannot read the age 'old'")
    sync_api.expect(page.locator("#error-summary")).to_be_visible()
    page.get_by_label("Age (years)").fill("71")

    # warfarin by typing and picking from the autocomplete
    medication = page.get_by_label("Medication 1", exact=True)
    medication.press_sequentially("warfa", delay=40)
    option = page.get_by_role("option", name="warfarin", exact=True)
    option.click()
    sync_api.expect(medication).to_have_value("warfarin")
    sync_api.expect(page.locator(".maps-to").first).to_contain_text("→ warfarin")
    condition = page.get_by_label("Condition 1", exact=True)
    condition.press_sequentially("atrial fibr", delay=30)
    sync_api.expect(page.get_by_role("option", name="atrial fibrillation").first).to_be_visible()
    condition.press("ArrowDown")  # the keyboard picks as well as the mouse
    condition.press("Enter")
    sync_api.expect(condition).to_have_value("atrial fibrillation")

    page.get_by_role("button", name="Add a lab result").click()
    page.get_by_label("Test (lab 1)").select_option("25-hydroxyvitamin D")
    page.get_by_label("Value (lab 1)").fill("16")
    page.get_by_label("Unit (lab 1)").select_option("ng/mL")
    page.get_by_label("Date (lab 1)").fill("2026-10-20")
    page.get_by_label("Planned supplements").fill(
        "D3 50,000 IU weekly for 8 weeks, then 2000 IU daily\nvitamin K2 MK-7 100 mcg daily"
    )
    assert axe_violations(page) == []
    shot(page, "web-form.png")

    page.get_by_role("button", name="Assess").click()
    page.wait_for_url("**/report#p=*")
    first = page.locator("ol.alerts > li").first
    sync_api.expect(first).to_have_attribute("data-severity", "major")
    sync_api.expect(first).to_contain_text("Major:")
    sync_api.expect(first).to_contain_text("Vitamin K supplement with a vitamin K antagonist")
    sync_api.expect(first.locator(".sources a").first).to_have_attribute(
        "href", re.compile(r"^https://")
    )

    # switch guideline: the labs table re-renders in place
    caption = page.locator("table.labs caption")
    sync_api.expect(caption).to_contain_text("nam-2011")
    page.get_by_label("Guideline").select_option("endocrine-2011")
    sync_api.expect(caption).to_contain_text("endocrine-2011")
    assert "g=endocrine-2011" in page.url

    # the projection chart: drawn, with dose days, readable by keyboard
    chart = page.locator("svg.chart-svg")
    sync_api.expect(chart).to_be_visible()
    assert page.locator("svg.chart-svg line.dose").count() >= 8
    assert page.locator("svg.chart-svg line.target").count() == 1
    chart.focus()
    chart.press("ArrowRight")
    sync_api.expect(page.locator(".readout")).to_contain_text("Day 1:")
    assert axe_violations(page) == []
    shot(page, "web-report.png")

    pdf = page.pdf(format="A4", print_background=True)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Vitamin K supplement with a vitamin K antagonist" in text
    assert "Print / save as PDF" not in text  # the print stylesheet hides the controls
    pdf_first_page(pdf, "web-pdf-page-1")
    # the only console error is the 422 of the mistake typed on purpose
    assert [e for e in errors if "status of 422" not in e] == []


def test_shared_link_patient_version_and_dose_planning(page: Any, live_server: LiveServer) -> None:
    # upload a YAML profile file, download it back as JSON
    page.goto(live_server.url + "/")
    example = Path(__file__).resolve().parents[2] / "examples" / "profile.yaml"
    page.locator("#upload").set_input_files(str(example))
    sync_api.expect(page.get_by_label("Medication 1", exact=True)).to_have_value("Coumadin 3mg")
    sync_api.expect(page.get_by_label("Value (lab 2)")).to_have_value("2.85")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download profile (JSON)").click()
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["medications"][0] == "Coumadin 3mg"
    assert saved["labs"][1] == {
        "test": "calcium",
        "value": 2.85,
        "unit": "mmol/L",
        "date": "2026-10-01",
    }

    page.goto(live_server.url + "/#example")
    page.reload()
    sync_api.expect(page.get_by_label("Medication 1", exact=True)).to_have_value("Coumadin 3mg")
    page.get_by_role("button", name="Assess").click()
    page.wait_for_url("**/report#p=*")
    shared = page.url
    sync_api.expect(page.locator("ol.alerts > li").first).to_have_attribute(
        "data-severity", "major"
    )
    page.get_by_role("button", name="Plan the dose").click()
    sync_api.expect(page.locator("#dose-result")).to_contain_text("IU/day")

    # the same link in a new page shows the same report (nothing stored on the server)
    other = page.context.new_page()
    other.goto(shared)
    sync_api.expect(other.locator("ol.alerts > li").first).to_have_attribute(
        "data-severity", "major"
    )
    other.get_by_label("Version").select_option("patient")
    sync_api.expect(other.locator(".report.patient")).to_contain_text("talk to your doctor")
    sync_api.expect(other.locator(".report.patient")).to_contain_text(
        "does not replace their advice"
    )


def test_api_docs_render_from_local_files(page: Any, live_server: LiveServer) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(live_server.url + "/docs")
    sync_api.expect(page.get_by_text("/api/assess", exact=True)).to_be_visible()
    assert outside == []


def test_diet_lifestyle_and_a_label_from_form_to_report(page: Any, live_server: LiveServer) -> None:
    errors = page_errors(page)
    # a label first: checked on /label, then added to the plan of the profile in this tab
    page.goto(live_server.url + "/")
    page.get_by_label("Age (years)").fill("72")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Weight", exact=True).fill("64 kg")
    page.get_by_label("Foods with amounts").fill(
        "2 slices cheddar\n1 cup whole milk\n3 cups zorbleflakes"
    )
    page.get_by_text("Or answer the quick food questionnaire").click()
    page.get_by_label("Eggs a week").fill("3")
    page.get_by_label("Do you smoke?").select_option("current")
    page.get_by_label(re.compile("muscle-strengthening")).fill("0")
    page.get_by_label(re.compile("How many times did you fall")).fill("1")
    page.get_by_label("Planned supplements").fill("vitamin D3 1000 IU daily")
    assert axe_violations(page) == []
    shot(page, "web-form-diet-lifestyle.png")

    page.get_by_role("navigation").get_by_role("link", name="Label check").click()
    page.wait_for_url("**/label")
    page.get_by_label("Label (JSON or YAML)").fill(
        (
            Path(__file__).parents[1] / "fixtures" / "labels" / "fail_vitamin_d_iu_only.yaml"
        ).read_text()
    )
    page.get_by_role("button", name="Check the label").click()
    sync_api.expect(page.locator(".label-verdict")).to_contain_text("2 problems on this label")
    assert page.locator('.finding[data-status="problem"]').count() == 2
    assert axe_violations(page) == []
    page.get_by_role("button", name="Load an example label").click()
    sync_api.expect(page.locator(".label-verdict")).to_contain_text("No problem found")
    assert axe_violations(page) == []
    shot(page, "web-label.png")
    page.get_by_role("button", name="Add this product to the profile's plan").click()
    page.wait_for_url("**/#p=*")
    # the profile came back with the product appended to its plan
    sync_api.expect(page.get_by_label("Age (years)")).to_have_value("72")
    sync_api.expect(page.get_by_label("Do you smoke?")).to_have_value("current")
    sync_api.expect(page.get_by_label("Eggs a week")).to_have_value("3")
    plan = page.get_by_label("Planned supplements").input_value()
    assert plan.startswith("vitamin D3 1000 IU daily\n{")
    assert json.loads(plan.splitlines()[1])["product"]["product"].startswith("Example D3 + K2")
    # the diet and lifestyle answers round-trip in the downloaded profile
    with page.expect_download() as download:
        page.get_by_role("button", name="Download profile (JSON)").click()
    saved = json.loads(Path(download.value.path()).read_text())
    assert saved["diet"] == {
        "foods": ["2 slices cheddar", "1 cup whole milk", "3 cups zorbleflakes"],
        "questionnaire": {"eggs": 3},
    }
    assert saved["lifestyle"] == {
        "strength_days_per_week": 0,
        "smoking": "current",
        "falls_last_year": 1,
    }
    assert saved["plan"][1] == {
        "product": json.loads(
            (
                Path(__file__).parents[2] / "src" / "d3k2" / "web" / "static" / "example-label.json"
            ).read_text()
        ),
        "servings": 1,
        "every": "day",
    }

    page.get_by_role("button", name="Assess").click()
    page.wait_for_url("**/report#p=*")
    diet = page.locator("#diet-section")
    sync_api.expect(diet.get_by_role("heading", name="Diet", exact=True)).to_be_visible()
    sync_api.expect(diet.locator("table.diet caption")).to_contain_text("not reported")
    sync_api.expect(diet.get_by_role("row", name=re.compile("2 slices cheddar"))).to_contain_text(
        "Cheddar cheese"
    )
    sync_api.expect(diet.locator(".diet-unknown")).to_contain_text("zorbleflakes")
    lifestyle = page.locator("#lifestyle-section")
    sync_api.expect(lifestyle.get_by_role("heading", name="Lifestyle")).to_be_visible()
    sync_api.expect(lifestyle.locator('[data-suggestion="stop-smoking"]')).to_contain_text(
        "smoking = current"
    )
    sync_api.expect(
        lifestyle.locator('[data-suggestion="stop-smoking"] .sources a')
    ).to_have_attribute("href", re.compile(r"^https://"))
    sync_api.expect(page.locator("#plan-section")).to_contain_text("Vitamin K2 (as menaquinone-7)")
    assert axe_violations(page) == []
    shot(page, "web-report-diet-lifestyle.png")
    page.get_by_label("Version").select_option("patient")
    sync_api.expect(page.locator(".report.patient")).to_contain_text("What your food gives you")
    sync_api.expect(page.locator(".report.patient")).to_contain_text("Everyday habits")
    assert axe_violations(page) == []

    # a questionnaire slip comes back next to its field, in the CLI's words
    page.goto(live_server.url + "/")
    page.get_by_label("Age (years)").fill("60")
    page.get_by_label("Sex").select_option("male")
    page.get_by_text("Or answer the quick food questionnaire").click()
    page.get_by_label("Eggs a week").fill("lots")
    page.get_by_role("button", name="Assess").click()
    sync_api.expect(page.locator('[id="diet.questionnaire.eggs-error"]')).to_contain_text(
        "is not a number of servings"
    )
    sync_api.expect(page.get_by_label("Eggs a week")).to_have_attribute("aria-invalid", "true")

    # a product added on the form from a label file: checked, then one plan line
    label_file = Path(__file__).parents[1] / "fixtures" / "labels" / "warn_no_directions.yaml"
    page.locator("#product-upload").set_input_files(str(label_file))
    sync_api.expect(page.locator("#product-status")).to_contain_text("Added ")
    sync_api.expect(page.locator("#product-status")).to_contain_text("Label check:")
    added = page.get_by_label("Planned supplements").input_value().splitlines()[-1]
    assert json.loads(added)["servings"] == 1
    assert [e for e in errors if "status of 422" not in e] == []


def test_sun_estimate_with_altitude_and_cloud(page: Any, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/#example")
    page.reload()
    page.get_by_role("button", name="Assess").click()
    page.wait_for_url("**/report#p=*")
    page.get_by_label("Latitude (°N)").fill("35")
    page.get_by_label("Date").fill("2026-06-21")
    page.get_by_label("Altitude (m, optional)").fill("1500")
    page.get_by_label("Cloud factor (0–1.5, optional; 1 = clear)").fill("0.7")
    page.get_by_role("button", name="Estimate").click()
    sync_api.expect(page.locator("#sun-result")).to_contain_text("IU by mouth")
    # a measured UV index already includes altitude and cloud: refused, next to the field
    page.get_by_label("Measured UV index (optional)").fill("6")
    page.get_by_role("button", name="Estimate").click()
    sync_api.expect(
        page.locator("#sun-form .error").filter(has_text=re.compile(r"\S"))
    ).not_to_have_count(0)
