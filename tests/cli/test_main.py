"""The real command line on the bundled examples: in-process (typer's runner), and once as a
user runs it (a subprocess of ``python -m d3k2``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.helpers import Ran, run_cli

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "profile.yaml"


def run(*args: str) -> Ran:
    return run_cli(*args)


def test_assess_text_puts_the_most_severe_first() -> None:
    result = run("assess", str(EXAMPLE), "--today", "2026-11-29")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "MAJOR" in out
    first_major = out.index("MAJOR")
    for lower in ("MODERATE", "MINOR", "INFO"):
        if lower in out:
            assert out.index(lower) > first_major
    assert "does not replace" in out
    assert "Not recognised" not in out


def test_assess_json_contract() -> None:
    result = run("assess", str(EXAMPLE), "--format", "json", "--today", "2026-11-29")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in (
        "d3k2_version",
        "knowledge_version",
        "guideline",
        "alerts",
        "labs",
        "intake",
        "unrecognized",
        "disclaimer",
    ):
        assert key in report
    assert report["guideline"] == "nam-2011"
    alert = report["alerts"][0]
    assert alert["severity"] == "major"
    assert set(alert) >= {"id", "severity", "title", "detail", "action", "triggers", "sources"}
    assert all(set(t) >= {"kind", "input", "matched", "code"} for t in alert["triggers"])
    assert all(set(s) >= {"id", "citation", "url"} for s in alert["sources"])
    severities = [a["severity"] for a in report["alerts"]]
    order = ["major", "moderate", "minor", "info"]
    assert severities == sorted(severities, key=order.index)
    ids = {a["id"] for a in report["alerts"]}
    matched = {t["matched"] for a in report["alerts"] for t in a["triggers"]}
    assert "warfarin" in matched
    vitamin_d = next(row for row in report["intake"] if row["nutrient"] == "vitamin_d")
    # 50,000 IU weekly = 178.6 mcg/day during loading, plus 4 mcg from food, UL 100 mcg.
    assert vitamin_d["supplement_per_day"] == pytest.approx(178.57, abs=0.01)
    assert vitamin_d["total_per_day"] == pytest.approx(182.57, abs=0.01)
    assert vitamin_d["upper_limit"] == {"value": 100.0, "applies_to": "total intake"}
    assert vitamin_d["exceeds_upper_limit"] is True
    assert vitamin_d["iu"]["supplement_per_day"] == 7143
    labs = {lab["test"]: lab for lab in report["labs"]}
    assert labs["25ohd"]["value_si"] == pytest.approx(44.93, abs=0.01)
    assert labs["25ohd"]["guideline"] == "nam-2011"
    assert ids  # at least one alert, checked in detail in tests/core/test_engine.py


def test_guideline_option_overrides_profile() -> None:
    result = run("assess", str(EXAMPLE), "--format", "json", "--guideline", "endocrine-2024")
    report = json.loads(result.stdout)
    lab = next(lab for lab in report["labs"] if lab["test"] == "25ohd")
    assert lab["guideline"] == "endocrine-2024"
    assert lab["category"] is None
    assert lab["interpretation"]  # the guideline's own statement, not an invented category


def test_unknown_guideline_option() -> None:
    result = run("assess", str(EXAMPLE), "--guideline", "nope")
    assert result.returncode == 2
    assert "unknown guideline" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file() -> None:
    result = run("assess", "no/such/profile.yaml")
    assert result.returncode == 2
    assert "file not found" in result.stderr


def test_sources_and_validate() -> None:
    sources = run("sources", "--format", "json")
    assert sources.returncode == 0
    assert len(json.loads(sources.stdout)) >= 10
    validate = run("knowledge", "validate")
    assert validate.returncode == 0, validate.stderr
    assert "OK" in validate.stdout


def test_validate_reports_a_broken_knowledge_folder(tmp_path: Path) -> None:
    import shutil

    from d3k2.knowledge.loader import DATA_DIR

    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    rule = next((broken / "rules").rglob("*.yaml"))
    rule.write_text(rule.read_text().replace("severity:", "severity: catastrophic\nx_severity:", 1))
    result = run("knowledge", "validate", "--path", str(broken))
    assert result.returncode == 3
    assert rule.name in result.stderr


def test_validate_covers_the_model_tables(tmp_path: Path) -> None:
    import shutil

    from d3k2.knowledge.loader import DATA_DIR

    broken = tmp_path / "data"
    shutil.copytree(DATA_DIR, broken)
    table = broken / "tables" / "projection.yaml"
    table.write_text(table.read_text().replace("ref: jones-2008", "ref: nobody-2099-jones", 1))
    result = run("knowledge", "validate", "--path", str(broken))
    assert result.returncode == 3
    assert "nobody-2099-jones" in result.stderr


def test_an_internal_error_exits_1_with_a_short_message() -> None:
    import typer
    from typer.testing import CliRunner

    from d3k2.cli import _guard_all
    from d3k2.errors import InputError

    demo = typer.Typer()

    @demo.command()
    def broken(kind: str) -> None:
        if kind == "bug":
            raise RuntimeError("something impossible")
        raise InputError("bad value", where="--kind", hint="use bug")

    _guard_all(demo)
    runner = CliRunner()
    bug = runner.invoke(demo, ["bug"])
    assert bug.exit_code == 1
    assert "internal error: RuntimeError: something impossible" in bug.output
    assert "Traceback" not in bug.output
    mistake = runner.invoke(demo, ["other"])
    assert mistake.exit_code == 2
    assert "--kind: bad value" in mistake.output and "hint: use bug" in mistake.output


@pytest.mark.parametrize(
    "example", sorted((REPO / "examples").glob("*.yaml")), ids=lambda p: p.stem
)
def test_every_bundled_example_runs(example: Path) -> None:
    result = run("assess", str(example), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["unrecognized"] == []


def test_a_json_profile(tmp_path: Path) -> None:
    profile = tmp_path / "p.json"
    profile.write_text(
        json.dumps(
            {
                "age": 70,
                "sex": "male",
                "medications": ["Jantoven 5 mg"],
                "plan": ["K2 MK-7 100 mcg daily"],
            }
        )
    )
    report = json.loads(run("assess", str(profile), "--format", "json").stdout)
    assert report["alerts"][0]["id"] == "vka-with-vitamin-k"


def test_the_installed_entry_point_runs_as_a_user_runs_it() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "d3k2",
            "assess",
            str(EXAMPLE),
            "-f",
            "json",
            "--today",
            "2026-11-29",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(
        run("assess", str(EXAMPLE), "-f", "json", "--today", "2026-11-29").stdout
    )


def test_assess_reads_standard_input() -> None:
    profile = (
        "age: 67\nsex: female\nmrn: '1'\n"
        "medications: [Centrum Silver daily]\n"
        "plan: ['D3 50000 IU twice weekly; calcium 600 mg 3 times daily']\n"
    )
    result = run_cli("assess", "-", "--format", "json", "--today", "2026-11-29", stdin=profile)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    vitamin_d = next(row for row in payload["intake"] if row["nutrient"] == "vitamin_d")
    assert vitamin_d["iu"]["supplement_per_day"] == 14286
    assert vitamin_d["unknown_sources"] == ["Centrum Silver daily"]
    assert any("'mrn' is not used" in note for note in payload["notes"])
    text = run_cli("assess", "-", "--today", "2026-11-29", stdin=profile)
    assert "unknown" in text.stdout and "Totals may be higher than shown" in text.stdout
    bad = run_cli("assess", "-", stdin="age: [\n")
    assert bad.returncode == 2 and "<stdin>" in bad.stderr


def test_knowledge_validate_with_a_path_too_long_is_bad_input() -> None:
    result = run("knowledge", "validate", "--path", "a" * 300)
    assert result.returncode == 2
    assert "no knowledge folder" in result.stderr
    assert "Traceback" not in result.stderr
