"""The loader refuses precedence and named predicates that cannot mean anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from d3k2.errors import KnowledgeError
from d3k2.knowledge.fingerprint import DATA_DIR
from d3k2.knowledge.loader import load_knowledge_from

RULE = "rules/granulomatous/granulomatous-disease-vitamin-d.yaml"
OTHER = "rules/granulomatous/lymphoma-vitamin-d.yaml"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _add_to_rule(data: Path, text: str) -> None:
    path = data / RULE
    path.write_text(path.read_text() + text)


def test_supersedes_must_name_another_active_rule(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _add_to_rule(data, "supersedes: [no-such-rule]\n")
    with pytest.raises(KnowledgeError, match="supersedes 'no-such-rule'"):
        load_knowledge_from(data)


def test_supersedes_cannot_go_round_in_a_circle(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    _add_to_rule(data, "supersedes: [lymphoma-vitamin-d]\n")
    other = data / OTHER
    other.write_text(other.read_text() + "supersedes: [granulomatous-disease-vitamin-d]\n")
    with pytest.raises(KnowledgeError, match="supersedes itself"):
        load_knowledge_from(data)


def test_named_predicates_are_checked(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "predicates.yaml").write_text(
        "predicates:\n"
        "  - id: loop-a\n    description: uses loop-b, which uses loop-a\n"
        "    when: {use: loop-b}\n"
        "  - id: loop-b\n    description: uses loop-a, which uses loop-b\n"
        "    when: {any: [{use: loop-a}, {use: nowhere}]}\n"
    )
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge_from(data)
    text = str(raised.value)
    assert "uses itself" in text and "unknown named predicate 'nowhere'" in text


def test_a_trigger_node_with_two_keys_is_refused_with_its_line(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    path = data / RULE
    path.write_text(path.read_text().replace("when:\n", "when:\n  pregnant: true\n", 1))
    with pytest.raises(KnowledgeError, match="exactly one key"):
        load_knowledge_from(data)
