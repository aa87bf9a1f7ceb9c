"""Load the knowledge base from its files and check it: schema, cross-references, ids.

This is the only place that reads the knowledge files. ``load_knowledge()`` returns a
:class:`~d3k2.knowledge.schema.Knowledge` that the pure core uses; problems are collected
(with file, line and field) and raised together as a :class:`~d3k2.errors.KnowledgeError`.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from d3k2.errors import InputError, KnowledgeError
from d3k2.knowledge.fingerprint import DATA_DIR as DATA_DIR
from d3k2.knowledge.fingerprint import fingerprint
from d3k2.knowledge.schema import (
    AllOf,
    AnyOf,
    ConditionClassIs,
    ConditionIs,
    Conditions,
    DriRow,
    Knowledge,
    LabBands,
    LabIs,
    Labs,
    MedicationClassIs,
    MedicationIs,
    Medications,
    NamedPredicate,
    NamedPredicates,
    Not,
    Nutrients,
    PlanIncludesNode,
    Predicate,
    References,
    Rule,
    SourceRef,
    SupplementProducts,
    Use,
)
from d3k2.yamlio import field_path, line_of, read_structured

Model = TypeVar("Model", bound=BaseModel)


class _Problems:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.items: list[str] = []

    def add(self, path: Path, message: str, *, line: int | None = None, field: str = "") -> None:
        try:
            name = str(path.relative_to(self.root))
        except ValueError:
            name = str(path)
        where = name + (f":{line}" if line else "") + (f" ({field})" if field else "")
        self.items.append(f"{where}: {message}")


def _validate(model: type[Model], data: Any, path: Path, problems: _Problems) -> Model | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        # Parse again keeping line numbers, only now that they are needed.
        data = _read(path, problems, with_lines=True)
        for item in error.errors():
            loc = [p for p in item["loc"] if isinstance(p, str | int)]
            problems.add(path, item["msg"], line=line_of(data, loc), field=field_path(loc))
        return None


def _read(path: Path, problems: _Problems, *, with_lines: bool = False) -> Any:
    try:
        return read_structured(path, with_lines=with_lines)
    except InputError as error:
        problems.add(path, str(error))
        return None


def _source_refs(node: Any) -> Iterator[SourceRef]:
    if isinstance(node, SourceRef):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _source_refs(getattr(node, name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _source_refs(item)


def _predicates(node: Predicate) -> Iterator[Predicate]:
    """The node and every node below it (named predicates are not followed)."""
    yield node
    children: list[Predicate] = (
        list(node.all)
        if isinstance(node, AllOf)
        else list(node.any)
        if isinstance(node, AnyOf)
        else [node.not_]
        if isinstance(node, Not)
        else []
    )
    for child in children:
        yield from _predicates(child)


def _read_dri(path: Path, problems: _Problems) -> list[DriRow]:
    rows: list[DriRow] = []
    if not path.exists():
        problems.add(path, "missing")
        return rows
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(row for row in handle if not row.startswith("#"))
        for line_number, raw in enumerate(reader, start=2):
            cleaned = {k: (v if v != "" else None) for k, v in raw.items() if k is not None}
            try:
                rows.append(DriRow.model_validate(cleaned))
            except ValidationError as error:
                for item in error.errors():
                    problems.add(
                        path, item["msg"], line=line_number, field=field_path(list(item["loc"]))
                    )
    return rows


def _load_file(model: type[Model], path: Path, problems: _Problems) -> Model | None:
    if not path.exists():
        problems.add(path, "missing")
        return None
    data = _read(path, problems)
    if data is None:
        return None
    return _validate(model, data, path, problems)


def load_knowledge_from(
    data_dir: Path, *, check_model_tables: bool = False, version: str | None = None
) -> Knowledge:
    """Load and validate every knowledge file under ``data_dir``.

    ``check_model_tables`` also validates the projection, product and sun tables (the
    knowledge base of :mod:`d3k2.knowledge.base` loads them); ``d3k2 knowledge validate``
    sets it. ``version`` is the fingerprint when the caller has computed it already.

    Raises
    ------
    KnowledgeError
        Listing every problem found (file, line, field, message).
    """
    problems = _Problems(data_dir)

    references: dict[str, Any] = {}
    for path in sorted((data_dir / "references").glob("*.yaml")):
        loaded = _load_file(References, path, problems)
        for reference in loaded.references if loaded else []:
            if reference.id in references:
                problems.add(path, f"reference id {reference.id!r} is defined twice")
            references[reference.id] = reference

    vocab = data_dir / "vocab"
    medications = _load_file(Medications, vocab / "medications.yaml", problems)
    conditions = _load_file(Conditions, vocab / "conditions.yaml", problems)
    labs = _load_file(Labs, vocab / "labs.yaml", problems)
    nutrients = _load_file(Nutrients, vocab / "nutrients.yaml", problems)
    bands = _load_file(LabBands, data_dir / "tables" / "lab_bands.yaml", problems)
    dri = _read_dri(data_dir / "tables" / "dri.csv", problems)
    products_path = data_dir / "tables" / "supplement_products.yaml"
    products = (
        _load_file(SupplementProducts, products_path, problems) if products_path.exists() else None
    )

    named = data_dir / "predicates.yaml"
    predicate_table = _load_file(NamedPredicates, named, problems) if named.exists() else None
    predicates: dict[str, NamedPredicate] = {}
    for predicate in predicate_table.predicates if predicate_table else []:
        if predicate.id in predicates:
            problems.add(named, f"predicate id {predicate.id!r} is defined twice")
        predicates[predicate.id] = predicate

    rules: list[Rule] = []
    deprecated: list[Rule] = []
    rule_files: dict[str, Path] = {}
    for folder, bucket in ((data_dir / "rules", rules), (data_dir / "deprecated", deprecated)):
        for path in sorted(folder.rglob("*.yaml")):
            data = _read(path, problems)
            if data is None:
                continue
            rule = _validate(Rule, data, path, problems)
            if rule is None:
                continue
            if rule.id in rule_files:
                problems.add(path, f"rule id {rule.id!r} also in {rule_files[rule.id]}")
            rule_files[rule.id] = path
            if path.stem != rule.id:
                problems.add(path, f"file name must be the rule id {rule.id!r}.yaml")
            if bucket is rules and path.parent.name != rule.topic:
                problems.add(path, f"rule topic {rule.topic!r} but folder {path.parent.name!r}")
            if bucket is rules and rule.status == "deprecated":
                problems.add(path, "deprecated rules belong in deprecated/")
            if bucket is deprecated and rule.status != "deprecated":
                problems.add(path, "rules in deprecated/ must have status deprecated")
            bucket.append(rule)

    knowledge = Knowledge(
        version=version or fingerprint(data_dir),
        references=references,
        medications=tuple(medications.medications if medications else ()),
        conditions=tuple(conditions.conditions if conditions else ()),
        labs=tuple(labs.labs if labs else ()),
        nutrients=tuple(nutrients.nutrients if nutrients else ()),
        dri=tuple(dri),
        guidelines={g.id: g for g in (bands.guidelines if bands else [])},
        interpretations=tuple(bands.interpretations if bands else ()),
        corrections=tuple(bands.corrections if bands else ()),
        egfr_equation=bands.egfr_equation if bands else None,
        clearance_equation=bands.clearance_equation if bands else None,
        rules=tuple(rules),
        predicates=predicates,
        deprecated_rules=tuple(deprecated),
        supplement_products=tuple(products.products if products else ()),
    )
    _check_cross_references(knowledge, rule_files, data_dir, problems)
    if check_model_tables:
        _check_model_tables(data_dir, problems)
    if problems.items:
        raise KnowledgeError(problems.items)
    return knowledge


def _check_cross_references(
    knowledge: Knowledge, rule_files: dict[str, Path], data_dir: Path, problems: _Problems
) -> None:
    refs = knowledge.references
    sources: list[tuple[str, SourceRef]] = []
    for group_name, group in (
        ("vocab/medications.yaml", knowledge.medications),
        ("vocab/nutrients.yaml", knowledge.nutrients),
        ("tables/lab_bands.yaml", knowledge.interpretations),
        ("tables/lab_bands.yaml", tuple(knowledge.guidelines.values())),
        ("tables/lab_bands.yaml", knowledge.corrections),
        ("tables/lab_bands.yaml", (knowledge.egfr_equation,) if knowledge.egfr_equation else ()),
        (
            "tables/lab_bands.yaml",
            (knowledge.clearance_equation,) if knowledge.clearance_equation else (),
        ),
        ("tables/supplement_products.yaml", knowledge.supplement_products),
    ):
        sources.extend((group_name, s) for s in _source_refs(list(group)))
    for group_name, source in sources:
        if source.ref not in refs:
            problems.add(data_dir / group_name, f"cites unknown reference {source.ref!r}")
    for row in knowledge.dri:
        if row.source not in refs:
            problems.add(data_dir / "tables/dri.csv", f"cites unknown reference {row.source!r}")

    med_ids = {m.id for m in knowledge.medications}
    med_classes = {c for m in knowledge.medications for c in m.classes}
    for medication in knowledge.medications:
        for ingredient in medication.ingredients:
            if ingredient not in med_ids:
                problems.add(
                    data_dir / "vocab/medications.yaml",
                    f"{medication.id}: unknown ingredient {ingredient!r}",
                )
    condition_ids = {c.id for c in knowledge.conditions}
    condition_classes = {c for k in knowledge.conditions for c in k.classes}
    lab_ids = {lab.id for lab in knowledge.labs}
    forms = {f.id for n in knowledge.nutrients for f in n.forms}
    categories = {(i.test, b.category) for i in knowledge.interpretations for b in i.bands}
    vocabulary: dict[str, set[Any]] = {
        "med_ids": med_ids,
        "med_classes": med_classes,
        "condition_ids": condition_ids,
        "condition_classes": condition_classes,
        "lab_ids": lab_ids,
        "forms": forms,
        "categories": categories,
    }
    form_nutrient = {f.id: n.id for n in knowledge.nutrients for f in n.forms}
    for medication in knowledge.medications:
        if medication.nutrient_form is not None and medication.nutrient_form not in forms:
            problems.add(
                data_dir / "vocab/medications.yaml",
                f"{medication.id}: unknown nutrient form {medication.nutrient_form!r}",
            )
    for product in knowledge.supplement_products:
        for part in product.ingredients:
            if form_nutrient.get(part.form) != part.nutrient:
                problems.add(
                    data_dir / "tables/supplement_products.yaml",
                    f"{product.id}: {part.form!r} is not a form of {part.nutrient}",
                )
    for first, second in itertools.combinations(knowledge.interpretations, 2):
        if (first.test, first.guideline) != (second.test, second.guideline):
            continue
        low = max(first.age_at_least_days or 0, second.age_at_least_days or 0)
        high = min(first.age_below_days or 10**9, second.age_below_days or 10**9)
        if first.age_bounded == second.age_bounded and low < high:
            problems.add(
                data_dir / "tables/lab_bands.yaml",
                f"{first.test} ({first.guideline}): two interpretations cover the same ages",
            )
    for interpretation in knowledge.interpretations:
        if interpretation.test not in lab_ids:
            problems.add(
                data_dir / "tables/lab_bands.yaml", f"unknown lab test {interpretation.test!r}"
            )
        if interpretation.guideline != "default" and interpretation.guideline not in (
            knowledge.guidelines
        ):
            problems.add(
                data_dir / "tables/lab_bands.yaml",
                f"unknown guideline {interpretation.guideline!r}",
            )

    checked: list[tuple[Path, Predicate]] = [
        (data_dir / "predicates.yaml", p.when) for p in knowledge.predicates.values()
    ]
    for rule in knowledge.rules + knowledge.deprecated_rules:
        path = rule_files.get(rule.id, data_dir / "rules")
        for source in rule.sources:
            if source.ref not in refs:
                problems.add(path, f"cites unknown reference {source.ref!r}", field="sources")
        checked.append((path, rule.when))
    for path, when in checked:
        for node in _predicates(when):
            _check_node(node, path, knowledge, problems, vocabulary)
    _check_named_cycles(knowledge, data_dir / "predicates.yaml", problems)
    _check_supersedes(knowledge, rule_files, data_dir, problems)


def _check_node(
    node: Predicate,
    path: Path,
    knowledge: Knowledge,
    problems: _Problems,
    vocabulary: dict[str, set[Any]],
) -> None:
    """Every id a trigger node names must exist in the vocabularies or tables."""
    checks: list[tuple[str | None, str, str]] = []
    if isinstance(node, MedicationClassIs):
        checks.append((node.medication_class, "medication class", "med_classes"))
    elif isinstance(node, MedicationIs):
        checks.append((node.medication, "medication", "med_ids"))
    elif isinstance(node, ConditionClassIs):
        checks.append((node.condition_class, "condition class", "condition_classes"))
    elif isinstance(node, ConditionIs):
        checks.append((node.condition, "condition", "condition_ids"))
    elif isinstance(node, LabIs):
        checks.append((node.lab.test, "lab test", "lab_ids"))
        for category in node.lab.categories or []:
            if (node.lab.test, category) not in vocabulary["categories"]:
                problems.add(
                    path, f"lab {node.lab.test!r} has no category {category!r}", field="when"
                )
    elif isinstance(node, PlanIncludesNode):
        for form in node.plan_includes.forms or []:
            if form not in vocabulary["forms"]:
                problems.add(path, f"unknown nutrient form {form!r}", field="when")
    elif isinstance(node, Use) and node.use not in knowledge.predicates:
        problems.add(path, f"unknown named predicate {node.use!r}", field="when")
    for value, what, table in checks:
        if value is not None and value not in vocabulary[table]:
            problems.add(path, f"unknown {what} {value!r}", field="when")


def _check_named_cycles(knowledge: Knowledge, path: Path, problems: _Problems) -> None:
    """A named predicate may use others, never itself through a chain."""

    def uses(name: str) -> set[str]:
        predicate = knowledge.predicates.get(name)
        if predicate is None:
            return set()
        return {n.use for n in _predicates(predicate.when) if isinstance(n, Use)}

    for start in knowledge.predicates:
        seen: set[str] = set()
        frontier = uses(start)
        while frontier:
            name = frontier.pop()
            if name == start:
                problems.add(path, f"named predicate {start!r} uses itself", field="when")
                break
            if name not in seen:
                seen.add(name)
                frontier |= uses(name)


def _check_supersedes(
    knowledge: Knowledge, rule_files: dict[str, Path], data_dir: Path, problems: _Problems
) -> None:
    """``supersedes`` names active rules, not the rule itself, and has no cycle."""
    active = {rule.id: rule for rule in knowledge.active_rules}
    for rule in active.values():
        path = rule_files.get(rule.id, data_dir / "rules")
        for other in rule.supersedes:
            if other == rule.id or other not in active:
                problems.add(
                    path,
                    f"supersedes {other!r}, which is not another active rule",
                    field="supersedes",
                )
        seen: set[str] = set()
        frontier = set(rule.supersedes)
        while frontier:
            other = frontier.pop()
            if other == rule.id:
                problems.add(path, "supersedes itself through a chain of rules", field="supersedes")
                break
            if other not in seen and other in active:
                seen.add(other)
                frontier |= set(active[other].supersedes)


def _check_model_tables(data_dir: Path, problems: _Problems) -> None:
    """The projection, product and sun tables have loaders of their own (their models live
    beside them); run them here so one command validates the whole knowledge base."""
    from d3k2.knowledge.projection import load_product_table, load_projection_table
    from d3k2.knowledge.sun import load_sun_parameters_from

    tables, references = data_dir / "tables", data_dir / "references"
    checks = (
        lambda: load_projection_table(tables, references),
        lambda: load_product_table(tables, references),
        lambda: load_sun_parameters_from(tables / "sun.yaml", references),
    )
    for check in checks:
        try:
            check()
        except KnowledgeError as error:
            problems.items.extend(error.problems)


# --------------------------------------------------------------------------- model tables
def read_table(path: Path) -> Any:
    """A knowledge table's parsed YAML (fast loader); KnowledgeError when unreadable."""
    problems = _Problems(path.parent)
    if not path.exists():
        raise KnowledgeError([f"{path}: missing"])
    data = _read(path, problems)
    if problems.items:
        raise KnowledgeError(problems.items)
    return data


def validate_table(model: type[Model], data: Any, path: Path) -> Model:
    """``data`` validated as ``model``; KnowledgeError naming the file, line and field."""
    problems = _Problems(path.parent)
    validated = _validate(model, data, path, problems)
    if validated is None:
        raise KnowledgeError(problems.items)
    return validated


def reference_ids(references_dir: Path) -> set[str]:
    """Every reference id defined under ``references_dir``."""
    ids: set[str] = set()
    for path in sorted(references_dir.glob("*.yaml")):
        table = validate_table(References, read_table(path), path)
        ids.update(reference.id for reference in table.references)
    return ids


def unknown_citations(sources: Iterable[SourceRef], known: set[str], where: str) -> list[str]:
    """Problems for every source in ``sources`` whose reference is not in ``known``."""
    return [f"{where}: cites unknown reference {s.ref!r}" for s in sources if s.ref not in known]


def load_knowledge() -> Knowledge:
    """The clinical part of the bundled knowledge base (loaded once per process)."""
    from d3k2.knowledge.base import default_knowledge_base

    return default_knowledge_base().clinical
