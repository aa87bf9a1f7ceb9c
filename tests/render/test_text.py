"""The JSON report of the bundled example is a golden file, reviewed by eye when it changes.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 make pytest`` and read the diff.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

from rich.console import Console

from d3k2.api import Engine
from d3k2.reading.profile_file import load_profile
from d3k2.render.contract import assessment_out, to_json
from d3k2.render.text import assessment_text

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "assess_example.json"


def _report() -> dict[str, object]:
    engine = Engine.default()
    today = dt.date(2026, 11, 29)
    read = load_profile(
        REPO / "examples" / "profile.yaml", lambda data: engine.read_profile(data, today=today)
    )
    assessment = engine.assess(read.facts, guideline=read.guideline)
    payload = json.loads(to_json(assessment_out(assessment, engine)))
    payload["knowledge_version"] = "<any>"  # changes with every knowledge edit
    payload["d3k2_version"] = "<any>"
    return payload


def test_json_report_matches_the_golden_file() -> None:
    payload = _report()
    text = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the example report changed: if intended, regenerate with UPDATE_GOLDEN=1 and review"
    )


def test_text_report_sections() -> None:
    engine = Engine.default()
    today = dt.date(2026, 11, 29)
    read = load_profile(
        REPO / "examples" / "profile.yaml", lambda data: engine.read_profile(data, today=today)
    )
    buffer = io.StringIO()
    assessment_text(engine.assess(read.facts), Console(file=buffer, width=120, color_system=None))
    text = buffer.getvalue()
    positions = [
        text.index(marker)
        for marker in (
            "MAJOR",
            "What to do:",
            "Sources:",
            "Labs",
            "Intake per day",
            "Plan",
            "does not replace",
        )
    ]
    assert positions == sorted(positions)
    assert "warfarin" in text and "ABOVE" in text


def test_an_unknown_amount_is_shown_as_unknown_never_zero() -> None:
    engine = Engine.default()
    assessment = engine.assess_profile(
        {"age": 60, "sex": "female", "medications": ["multivitamin daily"]},
        today=dt.date(2026, 11, 29),
    )
    buffer = io.StringIO()
    assessment_text(assessment, Console(file=buffer, width=200, soft_wrap=False))
    text = buffer.getvalue()
    magnesium_row = next(line for line in text.splitlines() if "magnesium" in line)
    cells = [cell.strip() for cell in magnesium_row.split("│")]
    assert cells[2] == "unknown" and cells[4] == "unknown"  # supplements, total
    assert "Totals may be higher than shown" in text
    payload = json.loads(to_json(assessment_out(assessment, engine)))
    assert all(row["unknown_sources"] == ["multivitamin daily"] for row in payload["intake"])


def _text_report(profile: dict[str, object]) -> str:
    engine = Engine.default()
    assessment = engine.assess_profile(profile, today=dt.date(2026, 11, 29))
    buffer = io.StringIO()
    assessment_text(assessment, Console(file=buffer, width=120, color_system=None))
    return buffer.getvalue()


def test_square_brackets_in_user_text_are_printed_not_read_as_markup() -> None:
    text = _text_report(
        {
            "age": 50,
            "sex": "female",
            "plan": ["[cholecalciferol] 1000 IU daily"],
            "medications": ["foo [bold]x[/i]"],
        }
    )
    assert "[cholecalciferol] 1000 IU daily" in text  # was silently dropped as a style tag
    assert "foo [bold]x[/i]" in text  # was a MarkupError (exit 1)


def test_a_huge_word_is_cut_and_printed_quickly() -> None:
    import time

    word = "y" * 20_000
    start = time.perf_counter()
    text = _text_report({"age": 50, "sex": "female", "medications": [word]})
    assert time.perf_counter() - start < 2  # took seconds, growing quadratically
    assert "y" * 60 in text and word not in text and "…" in text


def test_long_lists_are_counted_not_printed_in_full() -> None:
    from d3k2.render.text import MAX_ITEMS_LISTED

    medications = [f"unknown remedy {i}" for i in range(MAX_ITEMS_LISTED + 7)]
    text = _text_report({"age": 50, "sex": "female", "medications": medications})
    assert "… and 7 more (the JSON report lists them all)" in text
    assert f"unknown remedy {MAX_ITEMS_LISTED + 6}" not in text
