"""Errors and the stable, numbered exit codes of the ``d3k2`` command.

A retired exit code is never reused for another meaning.

====  ==========================================================================
code  meaning
====  ==========================================================================
0     success
1     internal error (a bug in d3k2: please report it)
2     bad input from the user (profile, option, value, unit); the message says
      where, what was expected and how to fix it
3     the knowledge base failed validation (``d3k2 knowledge validate``)
====  ==========================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Final

MAX_ECHO_CHARS: Final = 80
"""Longest piece of the user's own text quoted back in a message; longer text is cut
with an ellipsis (a bad file must not turn into megabytes of error output)."""
MAX_MESSAGE_CHARS: Final = 1000
"""Longest message, place or hint printed for one problem, whatever it quotes."""
ELLIPSIS: Final = "…"


def shorten(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """``text`` cut to ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def shown(value: Any, limit: int = MAX_ECHO_CHARS) -> str:
    """``repr(value)`` for a message, cut to ``limit`` characters (see :func:`shorten`).

    Huge integers are described, not converted to text (Python refuses to print integers
    of more than 4300 digits, and nobody reads them).
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return f"<a number of about {int(value.bit_length() * 0.30103)} digits>"
    return shorten(repr(value), limit)


class ExitCode(IntEnum):
    OK = 0
    INTERNAL_ERROR = 1
    INPUT_ERROR = 2
    KNOWLEDGE_INVALID = 3


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, a line (1-based) and a field path like ``plan[2].unit``."""

    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.line:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


class D3k2Error(Exception):
    """Base class of every error d3k2 raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL_ERROR


class InputError(D3k2Error):
    """The user's input is wrong. ``where`` names the place, ``hint`` suggests a fix."""

    exit_code = ExitCode.INPUT_ERROR

    def __init__(
        self, message: str, *, where: Location | str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def located_field(self, field: str) -> InputError:
        """The same error placed at field path ``field`` (or under it, when it has a path)."""
        if isinstance(self.where, Location):
            return self
        path = f"{field}.{self.where}" if self.where else field
        return InputError(self.message, where=path, hint=self.hint)

    def located(self, location: Location) -> InputError:
        """The same error, placed at ``location`` unless it already has a place."""
        if self.where:
            return self
        return InputError(self.message, where=location, hint=self.hint)

    def __str__(self) -> str:
        text = shorten(self.message, MAX_MESSAGE_CHARS)
        if self.where:
            text = f"{shorten(str(self.where), MAX_MESSAGE_CHARS)}: {text}"
        if self.hint:
            text += f"\n  hint: {shorten(self.hint, MAX_MESSAGE_CHARS)}"
        return text


class KnowledgeError(D3k2Error):
    """A knowledge file does not match its schema or refers to something that is missing."""

    exit_code = ExitCode.KNOWLEDGE_INVALID

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems

    def __str__(self) -> str:
        return "knowledge base is invalid:\n" + "\n".join(f"  - {p}" for p in self.problems)
