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


def _text_report(profile: dict[str, object], knowledge: Knowledge, vocab: Vocabularies) -> str:
    from d3k2.core.facts import build_facts

    facts = build_facts(profile, knowledge, today=dt.date(2026, 11, 29), vocabularies=vocab)
    buffer = io.StringIO()
    render_text(
        assess(facts, knowledge, vocabularies=vocab),
        Console(file=buffer, width=120, color_system=None),
    )
    return buffer.getvalue()


def test_square_brackets_in_user_text_are_printed_not_read_as_markup(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    text = _text_report(
        {
            "age": 50,
            "sex": "female",
            "plan": ["[cholecalciferol] 1000 IU daily"],
            "medications": ["foo [bold]x[/i]"],
        },
        knowledge,
        vocab,
    )
    assert "[cholecalciferol] 1000 IU daily" in text  # was silently dropped as a style tag
    assert "foo [bold]x[/i]" in text  # was a MarkupError (exit 1)


def test_a_huge_word_is_cut_and_printed_quickly(knowledge: Knowledge, vocab: Vocabularies) -> None:
    import time

    word = "y" * 20_000
    start = time.perf_counter()
    text = _text_report({"age": 50, "sex": "female", "medications": [word]}, knowledge, vocab)
    assert time.perf_counter() - start < 2  # took seconds, growing quadratically
    assert "y" * 60 in text and word not in text and "…" in text


def test_long_lists_are_counted_not_printed_in_full(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    from d3k2.adapters.render import MAX_ITEMS_LISTED

    medications = [f"unknown remedy {i}" for i in range(MAX_ITEMS_LISTED + 7)]
    text = _text_report({"age": 50, "sex": "female", "medications": medications}, knowledge, vocab)
    assert "… and 7 more (the JSON report lists them all)" in text
    assert f"unknown remedy {MAX_ITEMS_LISTED + 6}" not in text
