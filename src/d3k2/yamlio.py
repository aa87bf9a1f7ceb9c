"""Reading YAML and JSON files while keeping line numbers, so errors can say where.

This is adapter code (it does I/O); the core never imports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from d3k2.errors import InputError, Location


def read_structured(path: Path, *, with_lines: bool = True) -> Any:
    """Load a YAML or JSON file (JSON is YAML 1.2, so one parser serves both).

    ``with_lines`` keeps line numbers for :func:`line_of` (slower); without it the fast
    C-based safe loader is used. Raises InputError naming the file and line on a syntax
    error.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"file not found: {path}", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} is not UTF-8 text (byte {error.start})", hint="save the file as UTF-8"
        ) from None
    return parse_structured(text, str(path), with_lines=with_lines)


def parse_structured(text: str, name: str, *, with_lines: bool = True) -> Any:
    yaml = YAML(typ="rt" if with_lines else "safe")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or str(error)
        context = error.context_mark
        if context is not None and context.line + 1 != line:
            problem += (
                f" ({error.context or 'in the structure'} started at line {context.line + 1})"
            )
        raise InputError(
            f"not valid YAML/JSON: {problem}",
            where=Location(file=name, line=line),
            hint="check indentation, colons and quotes on that line",
        ) from None
    except ValueError as error:
        # The YAML loader turns unquoted YYYY-MM-DD into dates and fails on impossible ones.
        line = _impossible_date_line(text)
        raise InputError(
            f"not a valid date: {error}",
            where=Location(file=name, line=line),
            hint="check the date (YYYY-MM-DD) on that line",
        ) from None
    except json.JSONDecodeError as error:  # pragma: no cover - ruamel parses JSON itself
        raise InputError(str(error), where=Location(file=name, line=error.lineno)) from None


def _impossible_date_line(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        for candidate in re.findall(r"\b\d{4}-\d{1,2}-\d{1,2}\b", line):
            try:
                dt.date.fromisoformat(candidate)
            except ValueError:
                return number
    return None


def line_of(data: Any, path: Sequence[str | int]) -> int | None:
    """1-based line of the node at ``path`` inside data loaded by :func:`read_structured`.

    Falls back to the deepest ancestor whose line is known.
    """
    node = data
    line: int | None = None
    for key in path:
        if isinstance(node, CommentedMap) and key in node:
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            with contextlib.suppress(KeyError, TypeError, AttributeError):
                line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def field_path(path: Sequence[str | int]) -> str:
    """``("plan", 2, "unit")`` -> ``"plan[2].unit"``."""
    text = ""
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        else:
            text += ("." if text else "") + str(key)
    return text


def parse_field_path(text: str) -> list[str | int]:
    """``"plan[2].unit"`` -> ``["plan", 2, "unit"]``."""
    parts: list[str | int] = []
    for chunk in text.replace("]", "").split("."):
        for i, piece in enumerate(chunk.split("[")):
            if piece == "":
                continue
            parts.append(int(piece) if i > 0 and piece.isdigit() else piece)
    return parts


def to_plain(data: Any) -> Any:
    """ruamel's commented containers and scalars -> plain dict / list / str / float."""
    if isinstance(data, dict):
        return {str(k): to_plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [to_plain(v) for v in data]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, str):
        return str(data)
    return data
