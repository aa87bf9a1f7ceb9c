"""Documentation generated from the knowledge files: the rule table (``docs/rules.md``) and
the JSON Schema of a rule file (``knowledge/schemas/rule-v<N>.schema.json``), so neither can
drift from the rules (tests compare the committed files with this output)."""

from __future__ import annotations

import json
from typing import Any

from d3k2.knowledge.fingerprint import SCHEMA_VERSION
from d3k2.knowledge.schema import (
    AgeIs,
    AllOf,
    AnyOf,
    CkdStageAtLeast,
    ConditionClassIs,
    ConditionIs,
    CreatinineClearanceBelow,
    ExceedsUpperLimit,
    ImplausibleDose,
    Knowledge,
    LabIs,
    Lactating,
    MedicationClassIs,
    MedicationIs,
    Not,
    PlanIncludesNode,
    Predicate,
    Pregnant,
    Rule,
    Use,
)

SEVERITIES = ("major", "moderate", "minor", "info")
INTRO = """# Safety rules

Generated from the rule files by `make docs` (`python -m d3k2.render.rules_doc`); do not edit
by hand. Every rule lives in `src/d3k2/knowledge/data/rules/<topic>/<id>.yaml` (schema: `Rule`
in `src/d3k2/knowledge/schema.py`, exported as JSON Schema in
`src/d3k2/knowledge/schemas/rule-v{version}.schema.json` for editor validation: put
`# yaml-language-server: $schema=<path to that file>` on the first line of a rule file) with
its full rationale (`detail`), what to do (`action`), the exact trigger (`when`), citations
with locators, and example profiles that must and must not trigger it. References are defined
in `src/d3k2/knowledge/data/references/*.yaml`; conditions used by several rules are named
once in `src/d3k2/knowledge/data/predicates.yaml` (`use: <id>`).

Severity: **major** = do not start or change without the prescriber's review; **moderate** =
needs clinician attention or monitoring; **minor** = timing or awareness; **info** = for
information. Within a severity, alerts are ordered by each rule's `rank` (lower first).

Precedence is declared, not copied: a rule that `supersedes` another absorbs its alert when
both fire for a person; the surviving alert lists the superseded rule's triggers and keeps
its advice (shown as "Also …").
"""


def describe(node: Predicate, knowledge: Knowledge, *, nested: bool = False) -> str:
    """The trigger expression in words (AND, OR, NOT; named predicates by description)."""
    match node:
        case AllOf(all=children):
            text = " AND ".join(describe(c, knowledge, nested=True) for c in children)
            return f"({text})" if nested and len(children) > 1 else text
        case AnyOf(any=children):
            text = " OR ".join(describe(c, knowledge, nested=True) for c in children)
            return f"({text})" if nested and len(children) > 1 else text
        case Not(not_=child):
            return f"NOT {describe(child, knowledge, nested=True)}"
        case Use(use=name):
            named = knowledge.predicates.get(name)
            return f"[{name}: {named.description}]" if named else f"[{name}]"
        case MedicationClassIs(medication_class=value):
            return f"a medication of class `{value}`"
        case MedicationIs(medication=value):
            return f"`{value}` taken"
        case ConditionClassIs(condition_class=value):
            return f"a condition of class `{value}`"
        case ConditionIs(condition=value):
            return f"`{value}`"
        case PlanIncludesNode(plan_includes=spec):
            text = _nutrient(spec.nutrient, knowledge)
            if spec.forms:
                text += f" ({', '.join(spec.forms)})"
            text += " planned or taken"
            if spec.min_per_day is not None:
                text += f", at least {spec.min_per_day.value:g} {spec.min_per_day.unit}/day"
            if spec.min_per_dose is not None:
                text += f", a dose of at least {spec.min_per_dose.value:g} {spec.min_per_dose.unit}"
            return text
        case ExceedsUpperLimit(exceeds_upper_limit=nutrient):
            return f"{_nutrient(nutrient, knowledge)} intake above the UL"
        case LabIs(lab=spec):
            parts = []
            if spec.categories:
                parts.append(f"in {'/'.join(spec.categories)}")
            if spec.above is not None:
                parts.append(f"above {spec.above.value:g} {spec.above.unit}")
            if spec.below is not None:
                parts.append(f"below {spec.below.value:g} {spec.below.unit}")
            return f"latest `{spec.test}` {' and '.join(parts)}"
        case CkdStageAtLeast(ckd_stage=spec):
            return f"CKD stage {spec.at_least} or worse"
        case CreatinineClearanceBelow(creatinine_clearance=spec):
            return f"creatinine clearance (measured or Cockcroft-Gault) below {spec.below:g} mL/min"
        case Pregnant(pregnant=flag):
            return "pregnant" if flag else "not pregnant"
        case Lactating(lactating=flag):
            return "breastfeeding" if flag else "not breastfeeding"
        case AgeIs(age=spec):
            bounds = []
            if spec.at_least_years is not None:
                bounds.append(f"age {spec.at_least_years:g} or over")
            if spec.below_years is not None:
                bounds.append(f"age under {spec.below_years:g}")
            return " and ".join(bounds)
        case ImplausibleDose(implausible_dose=flag):
            return "an implausible dose in the plan" if flag else "no implausible dose"
    raise AssertionError(f"unknown trigger node {node!r}")  # pragma: no cover


def _nutrient(nutrient_id: str, knowledge: Knowledge) -> str:
    names: dict[str, str] = {n.id: n.names[0] for n in knowledge.nutrients}
    return names.get(nutrient_id, nutrient_id.replace("_", " "))


def rules_markdown(knowledge: Knowledge) -> str:
    """``docs/rules.md``: one row per active rule, most severe first, then retired rules."""
    lines = [INTRO.format(version=SCHEMA_VERSION)]
    lines += [
        "| id | severity | topic | title | triggers when | supersedes | sources |",
        "|---|---|---|---|---|---|---|",
    ]
    rules = sorted(
        knowledge.active_rules, key=lambda r: (SEVERITIES.index(r.severity), r.rank, r.id)
    )
    for rule in rules:
        lines.append(_row(rule, knowledge))
    if knowledge.deprecated_rules:
        lines += ["", "## Retired rules (in `deprecated/`)", ""]
        lines += [f"- `{r.id}` v{r.version}: {r.title}" for r in knowledge.deprecated_rules]
    return "\n".join(lines) + "\n"


def _row(rule: Rule, knowledge: Knowledge) -> str:
    cells = [
        f"`{rule.id}` v{rule.version}",
        rule.severity,
        rule.topic,
        rule.title,
        describe(rule.when, knowledge),
        ", ".join(f"`{r}`" for r in rule.supersedes) or "—",
        ", ".join(dict.fromkeys(s.ref for s in rule.sources)),
    ]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def rule_json_schema() -> dict[str, Any]:
    """JSON Schema of one rule file (``$id`` carries the schema version)."""
    schema = Rule.model_json_schema(by_alias=True)
    schema["$id"] = f"https://d3k2.invalid/schemas/rule-v{SCHEMA_VERSION}.schema.json"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def rule_json_schema_text() -> str:
    return json.dumps(rule_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover - `make docs`
    from pathlib import Path

    from d3k2.knowledge.base import default_knowledge_base

    root = Path(__file__).resolve().parents[3]
    (root / "docs" / "rules.md").write_text(
        rules_markdown(default_knowledge_base().clinical), encoding="utf-8"
    )
    schema_path = (
        root / "src" / "d3k2" / "knowledge" / "schemas" / f"rule-v{SCHEMA_VERSION}.schema.json"
    )
    schema_path.write_text(rule_json_schema_text(), encoding="utf-8")
