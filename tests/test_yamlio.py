"""Reading YAML/JSON: hostile documents are refused quickly, with a short located message."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from d3k2.errors import InputError, Location
from d3k2.yamlio import (
    MAX_EXPANDED_NODES,
    MAX_INPUT_BYTES,
    MAX_NESTING_DEPTH,
    parse_structured,
    read_structured,
)


def refusal(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_structured(text, "p.yaml")
    return caught.value


def test_a_plain_profile_reads() -> None:
    data = parse_structured("age: 50\nsex: female\nplan: [vitamin D3 1000 IU daily]\n", "p")
    assert data == {"age": 50, "sex": "female", "plan": ["vitamin D3 1000 IU daily"]}


def test_nesting_up_to_the_limit_reads_and_one_more_is_refused() -> None:
    depth = MAX_NESTING_DEPTH - 1  # the top-level mapping is one level
    assert parse_structured("x: " + "[" * depth + "]" * depth, "p") is not None
    error = refusal("x: " + "[" * (depth + 1) + "]" * (depth + 1))
    assert f"more than {MAX_NESTING_DEPTH} deep" in error.message


def test_a_few_aliases_are_fine() -> None:
    data = parse_structured("base: &d {amount: 1000, unit: IU}\nother: *d\n", "p")
    assert data["other"] == {"amount": 1000, "unit": "IU"}


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    levels = [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'lol'] * 9)}]" for i in range(9)]
    start = time.perf_counter()
    error = refusal("\n".join(levels) + "\n")
    assert time.perf_counter() - start < 2
    assert f"{MAX_EXPANDED_NODES:,} values" in error.message
    assert isinstance(error.where, Location) and error.where.line is not None


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    assert "contains it" in refusal("a: &x\n  b: *x\n").message


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("conditions: !!set {a, b}\n", "!!set"),
        ("pregnant: !!bool maybe\n", "!!bool"),
        ("age: !!int\n", "!!int"),
        ("age: !!float x\n", "!!float"),
        ("x: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("x: !custom 1\n", "!custom"),
    ],
)
def test_yaml_tags_are_refused(text: str, tag: str) -> None:
    error = refusal(text)
    assert f"YAML tag {tag} is not accepted" in error.message
    assert isinstance(error.where, Location) and error.where.line == 1


def test_even_the_str_tag_is_refused_and_quoting_is_suggested() -> None:
    error = refusal("code: !!str 0123\n")
    assert error.hint is not None and "quote" in error.hint
    assert parse_structured("code: '0123'\n", "p") == {"code": "0123"}


def test_a_control_character_is_refused_with_its_line() -> None:
    error = refusal("age: 50\nname: 'a\x01b'\n")
    assert "U+0001" in error.message
    assert isinstance(error.where, Location) and error.where.line == 2


def test_an_integer_of_thousands_of_digits_is_refused() -> None:
    assert "thousands of digits" in refusal("bmi: " + "7" * 5000 + "\n").message


def test_a_file_over_the_size_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("age: 50\n# " + "x" * MAX_INPUT_BYTES + "\n")
    with pytest.raises(InputError) as caught:
        read_structured(path)
    assert f"larger than {MAX_INPUT_BYTES // 1024} KiB" in caught.value.message


def test_standard_input_is_read_with_the_same_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"age: 50\nsex: male\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert read_structured(Path("-")) == {"age": 50, "sex": "male"}
    big = io.TextIOWrapper(io.BytesIO(b"#" * (MAX_INPUT_BYTES + 1)))
    monkeypatch.setattr(sys, "stdin", big)
    with pytest.raises(InputError, match="standard input is larger"):
        read_structured(Path("-"))


def test_a_path_too_long_for_the_file_system_is_bad_input() -> None:
    with pytest.raises(InputError, match=r"cannot read a+…"):
        read_structured(Path("a" * 300))
