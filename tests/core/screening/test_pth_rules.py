"""PTH read with calcium and 25(OH)D (issue 8): which alerts a clinician would expect."""

from __future__ import annotations

from typing import Any

from tests.screening_cases import alerts, run

from d3k2.knowledge.schema import Knowledge
from d3k2.reading.profile import Vocabularies

PHPT_PATTERN = "pth-not-suppressed-with-high-calcium"
SECONDARY = "pth-raised-with-low-25ohd"


def test_high_calcium_and_raised_pth_with_vitamin_d_planned(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 66,
            "sex": "female",
            "labs": [
                {"test": "calcium", "value": 10.9, "unit": "mg/dL"},
                {"test": "PTH", "value": 88, "unit": "pg/mL"},
                {"test": "25(OH)D", "value": 16, "unit": "ng/mL"},
            ],
            "plan": ["vitamin D3 1000 IU daily", "calcium carbonate 600 mg elemental daily"],
        },
        knowledge,
        vocab,
    )
    found = alerts(report)
    # the plan: do not start (major), one alert that carries the pattern (evaluate for
    # PHPT, moderate) as a merged item; not the secondary-hyperparathyroidism reading,
    # since the calcium is high
    assert found["high-calcium-with-vitamin-d-or-calcium"] == "major"
    assert PHPT_PATTERN not in found
    assert SECONDARY not in found
    surviving = next(a for a in report.alerts if a.id == "high-calcium-with-vitamin-d-or-calcium")
    pattern = next(m for m in surviving.merged if m.id == PHPT_PATTERN)
    assert pattern.severity == "moderate"
    assert sorted(t.input for t in pattern.triggers) == ["PTH: 88 pg/mL", "calcium: 10.9 mg/dL"]
    assert "PTH: 88 pg/mL" in {t.input for t in surviving.triggers}


def test_raised_pth_low_25ohd_normal_calcium_is_information_only(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    report = run(
        {
            "age": 71,
            "sex": "female",
            "labs": [
                {"test": "calcium", "value": 9.1, "unit": "mg/dL"},
                {"test": "PTH", "value": 9.8, "unit": "pmol/L"},
                {"test": "25(OH)D", "value": 28, "unit": "nmol/L"},
            ],
            "plan": ["vitamin D3 2000 IU daily"],
        },
        knowledge,
        vocab,
    )
    found = alerts(report)
    assert found[SECONDARY] == "info"
    assert PHPT_PATTERN not in found
    assert "high-calcium-with-vitamin-d-or-calcium" not in found


def test_a_teenager_reads_pth_against_the_adolescent_interval(
    knowledge: Knowledge, vocab: Vocabularies
) -> None:
    def profile(pth_pg_ml: float) -> dict[str, Any]:
        return {
            "age": 14,
            "sex": "male",
            "labs": [
                {"test": "PTH", "value": pth_pg_ml, "unit": "pg/mL"},
                {"test": "25(OH)D", "value": 15, "unit": "ng/mL"},
            ],
            "plan": ["vitamin D3 600 IU daily"],
        }

    # 11-17 years: 15-68 pg/mL (an adult would be "high" from 65)
    assert SECONDARY not in alerts(run(profile(67), knowledge, vocab))
    assert alerts(run(profile(68), knowledge, vocab))[SECONDARY] == "info"
