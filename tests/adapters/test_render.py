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

from d3k2.adapters.profile import load_profile
from d3k2.adapters.render import render_text, report_json
from d3k2.core.engine import assess
from d3k2.core.facts import Vocabularies
from d3k2.knowledge.schema import Knowledge

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "assess_example.json"


def _report(knowledge: Knowledge, vocab: Vocabularies) -> dict[str, object]:
    facts, options = load_profile(
        REPO / "examples" / "profile.yaml",
        knowledge,
        today=dt.date(2026, 11, 29),
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, guideline=str(options["guideline"]), vocabularies=vocab)
    payload = report_json(report)
    payload["knowledge_version"] = "<any>"  # changes with every knowledge edit
    payload["d3k2_version"] = "<any>"
    return payload


def test_json_report_matches_the_golden_file(knowledge: Knowledge, vocab: Vocabularies) -> None:
    payload = _report(knowledge, vocab)
    text = json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the example report changed: if intended, regenerate with UPDATE_GOLDEN=1 and review"
    )


def test_text_report_sections(knowledge: Knowledge, vocab: Vocabularies) -> None:
    facts, _ = load_profile(
        REPO / "examples" / "profile.yaml",
        knowledge,
        today=dt.date(2026, 11, 29),
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, vocabularies=vocab)
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=120, color_system=None))
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


def test_an_unknown_amount_is_shown_as_unknown_never_zero(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    from d3k2.core.facts import build_facts

    facts = build_facts(
        {"age": 60, "sex": "female", "medications": ["multivitamin daily"]},
        knowledge,
        today=dt.date(2026, 11, 29),
        vocabularies=vocab,
    )
    report = assess(facts, knowledge, vocabularies=vocab)
    buffer = io.StringIO()
    render_text(report, Console(file=buffer, width=200, soft_wrap=False))
    text = buffer.getvalue()
    magnesium_row = next(line for line in text.splitlines() if "magnesium" in line)
    cells = [cell.strip() for cell in magnesium_row.split("│")]
    assert cells[2] == "unknown" and cells[4] == "unknown"  # supplements, total
    assert "Totals may be higher than shown" in text
    payload = report_json(report)
    assert all(row["unknown_sources"] == ["multivitamin daily"] for row in payload["intake"])
