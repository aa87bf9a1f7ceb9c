"""Property-based fuzzing of every ``d3k2`` command, in-process (typer's CliRunner).

The targets and their hostile inputs live in ``benchmarks/fuzz.py`` (which runs them
10,000 times each); here each runs a small, bounded number of examples so that the suite
stays fast. Every run must end with exit 0 or 2 (never 1, an internal error), with a
short stderr, and with strict JSON on stdout when ``--format json`` succeeds.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from benchmarks.fuzz import (
    ALIAS_BOMB,
    MAX_STDERR_CHARS,
    TARGETS,
    Case,
    Outcome,
    Target,
    problems_of,
)
from hypothesis import HealthCheck, given, settings

SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


def _fuzz(target: Target) -> Callable[[], None]:
    @settings(max_examples=target.ci_examples, deadline=None, suppress_health_check=SLOW_INPUTS)
    @given(case=target.strategy)
    def test(case: Case) -> None:
        outcome = case.run()
        assert not case.problems(outcome), case.short_repr()

    return test


TARGET = {target.name: target for target in TARGETS}
test_fuzz_profile_files = _fuzz(TARGET["profile"])
test_fuzz_regimen_text = _fuzz(TARGET["regimen"])
test_fuzz_project = _fuzz(TARGET["project"])
test_fuzz_plan_dose = _fuzz(TARGET["plan-dose"])
test_fuzz_sun = _fuzz(TARGET["sun"])
test_fuzz_sources_knowledge_version = _fuzz(TARGET["sources-knowledge-version"])
test_fuzz_diet_and_label_files = _fuzz(TARGET["diet-label"])


def test_every_command_has_a_fuzz_target() -> None:
    from d3k2.cli import app

    commands = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    fuzzed = {"assess", "project", "plan-dose", "sun", "sources", "knowledge", "version"}
    fuzzed |= {"diet", "label"}
    # Servers are fuzzed where their input arrives: HTTP requests (schemathesis over the
    # OpenAPI in tests/web/test_fuzz.py; CDS Hooks requests in tests/cds_hooks).
    servers = {"serve", "cds-serve"}
    # Export folders (screen) and generated exports (synth): malformed lines, unknown codes
    # and unusable values are tested in tests/population (counted, located, never fatal).
    folders = {"screen", "synth"}
    assert commands <= fuzzed | servers | folders, commands - fuzzed - servers - folders
    assert {t.name for t in TARGETS} == set(TARGET)


@pytest.mark.parametrize(
    ("outcome", "json_output", "complaint"),
    [
        (Outcome(1, "", "internal error: boom", 0.0), False, "exit 1"),
        (Outcome(2, "", "x" * (MAX_STDERR_CHARS + 1), 0.0), False, "stderr of"),
        (Outcome(0, '{"a": NaN}', "", 0.0), True, "not strict JSON"),
        (Outcome(0, '{"a": Infinity}', "", 0.0), True, "not strict JSON"),
    ],
)
def test_the_fuzz_oracle_catches_crashes(
    outcome: Outcome, json_output: bool, complaint: str
) -> None:
    problems = problems_of(outcome, json_output=json_output)
    assert problems and complaint in problems[0]


def test_the_fuzz_oracle_accepts_a_clean_run() -> None:
    assert problems_of(Outcome(0, '{"a": 1.5}', "", 0.0), json_output=True) == []
    assert problems_of(Outcome(2, "", "error: short", 0.0), json_output=False) == []


def test_the_alias_bomb_of_the_fuzzer_is_refused_quickly() -> None:
    case = Case(("assess", "p.yaml"), (("p.yaml", ALIAS_BOMB + "age: 50\nsex: female\n"),))
    outcome = case.run()
    assert outcome.exit_code == 2
    assert "aliases" in outcome.stderr
    assert outcome.seconds < 5
