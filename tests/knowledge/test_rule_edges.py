"""Every numeric edge of every active rule is shown to matter.

Issue 8 ("Tests that catch a wrong threshold"): each age limit, lab cut-off and dose
threshold a rule uses needs a patient on either side of it, one for whom the rule fires and
one for whom it is silent. Rather than trusting that the hand-written examples happen to sit
near every edge, this test walks each rule's trigger tree, finds every numeric edge (lab
``above``/``below``, the band edges behind lab ``categories``, ``age``, ``plan_includes``
per-day and per-dose amounts, ``creatinine_clearance``), and probes it: it takes each of the
rule's own examples (``fires``, then ``silent``), moves the one value just across the edge
(0.5% either side), and runs the engine on both. The edge is shown to gate when the rule
fires on one side and not on the other for at least one example. An edge that no probe can
flip is either masked by another, stricter edge of the same rule (listed below with the
reason) or a real gap.

Band edges are probed with the adult bands; the age-ranged bands are tested in
``test_lab_bands.py``.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from d3k2.api import EXAMPLE_DATE, Engine
from d3k2.knowledge.schema import (
    AgeIs,
    AllOf,
    AnyOf,
    CreatinineClearanceBelow,
    Knowledge,
    LabIs,
    Not,
    PlanIncludesNode,
    Predicate,
    Rule,
    Use,
)

ADULT_AGE_DAYS = 40 * 365.25
RELATIVE_STEP = 0.005
"""How far either side of an edge the probes go (0.5% of the edge value)."""

MASKED: dict[tuple[str, str, float], str] = {
    (
        "thiazide-with-vitamin-d-or-calcium",
        "calcium_total",
        2.6,
    ): "the rule's high-normal edge (total calcium above 10.0 mg/dL, 2.495 mmol/L) is lower, "
    "so the band edge 2.6 mmol/L (high_mild) never decides on its own",
}
"""Edges no probe can flip because another, stricter edge of the same rule decides first."""


@dataclass(frozen=True)
class Edge:
    kind: str
    """lab | age | per_day | per_dose"""
    key: str
    """Lab test id, "age", or nutrient id."""
    value: float
    unit: str

    def describe(self) -> str:
        return f"{self.kind} {self.key} at {self.value:g} {self.unit}"


def edges_of(predicate: Predicate, knowledge: Knowledge) -> Iterator[Edge]:
    if isinstance(predicate, AllOf):
        for child in predicate.all:
            yield from edges_of(child, knowledge)
    elif isinstance(predicate, AnyOf):
        for child in predicate.any:
            yield from edges_of(child, knowledge)
    elif isinstance(predicate, Not):
        yield from edges_of(predicate.not_, knowledge)
    elif isinstance(predicate, Use):
        yield from edges_of(knowledge.predicates[predicate.use].when, knowledge)
    elif isinstance(predicate, LabIs):
        yield from _lab_edges(predicate, knowledge)
    elif isinstance(predicate, CreatinineClearanceBelow):
        # Probed as a measured clearance, which takes precedence over the computed one.
        limit = predicate.creatinine_clearance.below
        yield Edge("lab", "creatinine_clearance", limit, "mL/min")
    elif isinstance(predicate, AgeIs):
        for years in (predicate.age.below_years, predicate.age.at_least_years):
            if years is not None:
                yield Edge("age", "age", years, "years")
    elif isinstance(predicate, PlanIncludesNode):
        spec = predicate.plan_includes
        if spec.min_per_day is not None:
            yield Edge("per_day", spec.nutrient, spec.min_per_day.value, spec.min_per_day.unit)
        if spec.min_per_dose is not None:
            yield Edge("per_dose", spec.nutrient, spec.min_per_dose.value, spec.min_per_dose.unit)


def _lab_edges(predicate: LabIs, knowledge: Knowledge) -> Iterator[Edge]:
    spec = predicate.lab
    for amount in (spec.above, spec.below):
        if amount is not None:
            yield Edge("lab", spec.test, amount.value, amount.unit)
    if spec.categories is None:
        return
    interpretation = knowledge.interpretation(spec.test, "default", age_days=ADULT_AGE_DAYS)
    if interpretation is None:  # a guideline-dependent test: its general (adult) bands
        interpretation = next(
            i for i in knowledge.interpretations if i.test == spec.test and not i.age_bounded
        )
    bands = sorted(
        (b for b in interpretation.bands if b.lower is not None),
        key=lambda band: band.lower if band.lower is not None else 0.0,
    )
    lowest = [b for b in interpretation.bands if b.lower is None]
    ordered = lowest + bands
    for below, above in itertools.pairwise(ordered):
        if (below.category in spec.categories) != (above.category in spec.categories):
            assert above.lower is not None
            yield Edge("lab", spec.test, above.lower, interpretation.unit)


def rule_edges(knowledge: Knowledge) -> list[tuple[Rule, Edge]]:
    found: list[tuple[Rule, Edge]] = []
    for rule in knowledge.active_rules:
        seen: set[Edge] = set()
        for edge in edges_of(rule.when, knowledge):
            if edge not in seen:
                seen.add(edge)
                found.append((rule, edge))
    return found


ENGINE = Engine.default()
EDGES = rule_edges(ENGINE.knowledge)


def _fires(engine: Engine, rule_id: str, profile: dict[str, Any]) -> bool:
    report = engine.assess_profile(profile, today=EXAMPLE_DATE, projection=False).report
    return any(
        alert.id == rule_id or any(merged.id == rule_id for merged in alert.merged)
        for alert in report.alerts
    )


def _with_value(
    engine: Engine, base: dict[str, Any], edge: Edge, value: float
) -> dict[str, Any] | None:
    """``base`` with the one value the edge reads set to ``value`` (None: cannot be set)."""
    profile = copy.deepcopy(base)
    rounded = round(value, 4)
    if edge.kind == "age":
        if "birth_date" in profile:
            return None
        profile["age"] = rounded
        return profile
    facts = engine.read_profile(base, today=EXAMPLE_DATE).facts
    if edge.kind == "lab":
        labs = profile.setdefault("labs", [])
        orders = [r.order for r in facts.labs if r.test == edge.key and not r.derived]
        entry = {"value": rounded, "unit": edge.unit, "date": str(EXAMPLE_DATE)}
        if orders and orders[-1] < len(labs) and isinstance(labs[orders[-1]], dict):
            labs[orders[-1]] = dict(labs[orders[-1]], **entry)
        else:
            # The example fires without this test: add the result, so a probe shows
            # whether this edge can switch the rule off (a `not` branch) or on.
            name = next(t.names[0] for t in engine.knowledge.labs if t.id == edge.key)
            labs.append({"test": name, **entry})
        return profile
    # per_day / per_dose: the nutrient's plan items are replaced by one item of that amount
    carrying = {
        int(item.field.split("[")[1].rstrip("]"))
        for item in facts.plan
        if item.field.startswith("plan[")
        and any(segment.nutrient == edge.key for segment in item.regimen.segments)
    }
    plan = [item for index, item in enumerate(profile.get("plan") or []) if index not in carrying]
    every = "day" if edge.kind == "per_day" else "once"
    nutrient = next(n.names[0] for n in engine.knowledge.nutrients if n.id == edge.key)
    plan.append({"nutrient": nutrient, "amount": rounded, "unit": edge.unit, "every": every})
    profile["plan"] = plan
    return profile


def probe(engine: Engine, rule: Rule, edge: Edge) -> list[tuple[str, bool, bool]]:
    """For each example that can carry the value (``fires`` examples first, then the
    ``silent`` look-alikes, which often differ from a firing patient by this very value):
    (name, fires just below the edge, fires just above it)."""
    step = max(abs(edge.value) * RELATIVE_STEP, 0.001)
    outcomes: list[tuple[str, bool, bool]] = []
    for example in [*rule.examples.fires, *rule.examples.silent]:
        below = _with_value(engine, example.profile, edge, edge.value - step)
        above = _with_value(engine, example.profile, edge, edge.value + step)
        if below is None or above is None:
            continue
        outcome = (
            example.name,
            _fires(engine, rule.id, below),
            _fires(engine, rule.id, above),
        )
        outcomes.append(outcome)
        if outcome[1] != outcome[2]:
            break
    return outcomes


def test_the_edges_are_found() -> None:
    kinds = {edge.kind for _, edge in EDGES}
    assert kinds == {"lab", "age", "per_day", "per_dose"}
    # A few edges named in issue 8, as literals.
    described = {(rule.id, edge.describe()) for rule, edge in EDGES}
    assert ("25ohd-above-375-without-vitamin-d", "lab 25ohd at 375 nmol/L") in described
    assert ("moderate-or-severe-hypocalcaemia", "lab calcium_total at 2 mmol/L") in described
    assert ("adult-vitamin-d-at-or-above-noael", "per_day vitamin_d at 250 mcg") in described


@pytest.mark.parametrize(
    ("rule", "edge"),
    EDGES,
    ids=[f"{rule.id}:{edge.describe()}" for rule, edge in EDGES],
)
def test_each_edge_switches_its_rule(rule: Rule, edge: Edge) -> None:
    outcomes = probe(ENGINE, rule, edge)
    gates = any(below != above for _, below, above in outcomes)
    reason = MASKED.get((rule.id, edge.key, edge.value))
    if reason is not None:
        assert not gates, f"{rule.id}: {edge.describe()} now gates; drop it from MASKED"
        return
    assert gates, (
        f"{rule.id}: no example flips across {edge.describe()} "
        f"(name, fires below, fires above): {outcomes}"
    )


def _category_sets(
    predicate: Predicate, knowledge: Knowledge
) -> Iterator[tuple[str, bool, set[str]]]:
    """(test, under a `not`, categories) for every lab categories condition."""
    stack: list[tuple[Predicate, bool]] = [(predicate, False)]
    while stack:
        node, negated = stack.pop()
        if isinstance(node, AllOf):
            stack.extend((child, negated) for child in node.all)
        elif isinstance(node, AnyOf):
            stack.extend((child, negated) for child in node.any)
        elif isinstance(node, Not):
            stack.append((node.not_, not negated))
        elif isinstance(node, Use):
            stack.append((knowledge.predicates[node.use].when, negated))
        elif isinstance(node, LabIs) and node.lab.categories is not None:
            yield node.lab.test, negated, set(node.lab.categories)


OPEN_ENDED_ON_PURPOSE: dict[tuple[str, str], str] = {
    ("25ohd-above-125-with-vitamin-d", "25ohd"): "the toxic band has its own major rules "
    "(25ohd-above-375-with-vitamin-d / -without-vitamin-d)",
}
"""Rules that read a band but not the more extreme bands beyond it, and why."""


def test_a_rule_reading_an_abnormal_band_reads_the_more_extreme_bands_too() -> None:
    """A rule that fires on a mildly low (or high) result must fire on a more severely low
    (or high) one: the categories it names, in every age range's bands, run without a gap
    to the end of the scale. (The antiresorptive rules read only "low" until the 2026-12
    audit, so a calcium of 1.8 mmol/L fell through to a milder alert.)"""
    knowledge = ENGINE.knowledge
    gaps: list[str] = []
    for rule in knowledge.active_rules:
        for test, negated, categories in _category_sets(rule.when, knowledge):
            if negated or (rule.id, test) in OPEN_ENDED_ON_PURPOSE:
                continue
            for interpretation in knowledge.interpretations:
                if interpretation.test != test or not interpretation.bands:
                    continue
                ordered = [
                    *(b for b in interpretation.bands if b.lower is None),
                    *sorted(
                        (b for b in interpretation.bands if b.lower is not None),
                        key=lambda band: band.lower or 0.0,
                    ),
                ]
                named = [i for i, band in enumerate(ordered) if band.category in categories]
                if not named:
                    continue
                run = set(range(named[0], named[-1] + 1))
                contiguous = run == set(named)
                touches_an_end = named[0] == 0 or named[-1] == len(ordered) - 1
                if not (contiguous and touches_an_end):
                    gaps.append(
                        f"{rule.id}: {test} {sorted(categories)} in "
                        f"{[b.category for b in ordered]} ({interpretation.guideline}, "
                        f"days {interpretation.age_at_least_days}-"
                        f"{interpretation.age_below_days})"
                    )
    assert gaps == []
