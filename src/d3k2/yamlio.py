"""Reading YAML and JSON files while keeping line numbers, so errors can say where.

This is adapter code (it does I/O); the core never imports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.reader import ReaderError

from d3k2.errors import InputError, Location, shorten

STDIN_NAME: Final = "-"
"""The file name that means "read standard input"."""
MAX_INPUT_BYTES: Final = 1024 * 1024
"""Largest profile accepted (1 MiB): a real profile is a few kilobytes; a bigger input is
a wrong file or an attack, and reading it would cost seconds and memory for nothing."""
MAX_NESTING_DEPTH: Final = 32
"""Deepest nesting of lists and mappings accepted (a profile needs 4)."""
MAX_EXPANDED_NODES: Final = 100_000
"""Most values a document may hold once its aliases (``*name``) are expanded; this stops
"billion laughs" alias bombs (a few hundred bytes that expand to gigabytes)."""
_YAML_TAG_PREFIX: Final = "tag:yaml.org,2002:"


def read_structured(path: Path, *, with_lines: bool = True) -> Any:
    """Load a YAML or JSON file (JSON is YAML 1.2, so one parser serves both).

    ``with_lines`` keeps line numbers for :func:`line_of` (slower); without it the fast
    C-based safe loader is used. ``-`` reads standard input. Raises InputError naming the
    file and line on a syntax error, and for input beyond the limits of this module (size,
    nesting, alias expansion, YAML tags).
    """
    try:
        if str(path) == STDIN_NAME:
            raw = _read_limited(sys.stdin.buffer, "standard input")
        else:
            with path.open("rb") as stream:
                raw = _read_limited(stream, str(path))
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"file not found: {shorten(str(path))}", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(f"{shorten(str(path))} is a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path} is not UTF-8 text (byte {error.start})", hint="save the file as UTF-8"
        ) from None
    except OSError as error:  # a name too long, no permission, a device…
        raise InputError(
            f"cannot read {shorten(str(path))}: {error.strerror or type(error).__name__}",
            hint="check the path",
        ) from None
    return parse_structured(text, str(path), with_lines=with_lines)


def _read_limited(stream: BinaryIO, name: str) -> bytes:
    raw = stream.read(MAX_INPUT_BYTES + 1)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name} is larger than {MAX_INPUT_BYTES // 1024} KiB, the most d3k2 reads",
            hint="a profile is a few kilobytes: check that this is the right file",
        )
    return raw


def _events(text: str) -> list[Any]:
    try:
        return list(YAML(typ="safe").parse(text))
    except MarkedYAMLError:
        return list(YAML(typ="safe", pure=True).parse(text))


def _refuse_unencodable(event: ScalarEvent, name: str) -> None:
    """A lone UTF-16 surrogate ("\\ud800" in JSON) is not a character: no text can hold
    it, so nothing could print or store it."""
    try:
        str(event.value).encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            "the text holds an escape that is not a character (a lone UTF-16 surrogate such "
            "as \\ud800)",
            where=Location(file=name, line=_line(event)),
            hint="remove the escape, or write the character itself",
        ) from None


def check_structure(text: str, name: str) -> None:
    """Refuse, before anything is built, a document that is too deep, whose aliases expand
    beyond :data:`MAX_EXPANDED_NODES` values, or that uses YAML tags (``!!set``,
    ``!!bool``, ``!!int``, even ``!!str``: a profile is plain values; a tag can only make
    a value something d3k2 does not read; quote a value to keep it text). Uses the fast C
    event parser, which builds nothing, and the pure-Python one (as the loader) for the
    few documents the C parser reads more strictly (a "?" inside a flow mapping)."""
    depth = 0
    expanded = 0
    anchored_size: dict[str, int] = {}
    open_collections: list[tuple[str | None, int]] = []
    for event in _events(text):
        if isinstance(event, AliasEvent):
            if any(str(event.anchor) == anchor for anchor, _ in open_collections):
                raise InputError(
                    f"the alias *{shorten(str(event.anchor))} refers to a list or mapping "
                    "that contains it (an endless structure)",
                    where=Location(file=name, line=_line(event)),
                    hint="write the values out instead of the alias",
                )
            expanded += anchored_size.get(str(event.anchor), 1)
        elif isinstance(event, NodeEvent):
            _refuse_tag(event, name)
            anchor = None if event.anchor is None else str(event.anchor)
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING_DEPTH:
                    raise InputError(
                        f"lists and mappings are nested more than {MAX_NESTING_DEPTH} deep",
                        where=Location(file=name, line=_line(event)),
                        hint="a profile needs only a few levels: check the brackets",
                    )
                open_collections.append((anchor, expanded))
            elif isinstance(event, ScalarEvent):
                _refuse_unencodable(event, name)
                if anchor is not None:
                    anchored_size[anchor] = 1
            expanded += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
            anchor, start = open_collections.pop()
            if anchor is not None:
                anchored_size[anchor] = expanded - start
        if expanded > MAX_EXPANDED_NODES:
            raise InputError(
                f"the document holds more than {MAX_EXPANDED_NODES:,} values once its "
                "aliases (*name) are expanded",
                where=Location(file=name, line=_line(event)),
                hint="write the values out; do not repeat anchors (&name) inside each other",
            )


def _refuse_tag(event: NodeEvent, name: str) -> None:
    tag = getattr(event, "tag", None)
    if tag is None:
        return
    raise InputError(
        f"YAML tag {shorten(str(tag).replace(_YAML_TAG_PREFIX, '!!'))} is not accepted in a "
        "profile",
        where=Location(file=name, line=_line(event)),
        hint="write plain values without tags (67, true, 2026-10-01, a list in [ ]); quote "
        "a value to keep it text",
    )


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


def parse_structured(text: str, name: str, *, with_lines: bool = True) -> Any:
    if len(text) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name} is larger than {MAX_INPUT_BYTES // 1024} KiB, the most d3k2 reads",
            hint="a profile is a few kilobytes: check that this is the right file",
        )
    yaml = YAML(typ="rt" if with_lines else "safe")
    yaml.allow_duplicate_keys = False
    try:
        if with_lines:
            check_structure(text, name)
        return yaml.load(text)
    except ReaderError as error:
        reader_line = text.count("\n", 0, max(error.position, 0)) + 1
        character = error.character
        code = ord(character) if isinstance(character, str) and character else character
        raise InputError(
            f"the text holds a character YAML does not allow (U+{int(code or 0):04X}, a "
            "control character)",
            where=Location(file=name, line=reader_line),
            hint="remove it; save the file as plain UTF-8 text",
        ) from None
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
    except YAMLError as error:  # any other refusal of the YAML library
        raise InputError(
            f"not valid YAML/JSON: {shorten(str(error).splitlines()[0] if str(error) else '')}",
            where=Location(file=name),
        ) from None
    except RecursionError:  # pragma: no cover - check_structure refuses deep nesting first
        raise InputError(
            "lists and mappings are nested too deep", where=Location(file=name)
        ) from None
    except ValueError as error:
        if "digits" in str(error):  # Python refuses integers of more than 4300 digits
            raise InputError(
                "a number in the file has thousands of digits",
                where=Location(file=name),
                hint="check the numbers",
            ) from None
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
