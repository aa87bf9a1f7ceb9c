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
