"""The door's heavy libraries are imported by the door only: never by ``import d3k2``, the
CLI's module level, or ``import d3k2.fhir`` / ``import d3k2.cds_hooks`` themselves."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("fastapi", "uvicorn", "httpx", "jwt", "fhir.resources", "starlette")


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    return [name for name in output.split(",") if name]


def test_import_d3k2_and_the_cli_load_no_door_library() -> None:
    assert _loaded_after("import d3k2, d3k2.api, d3k2.cli") == []


def test_the_door_packages_load_their_libraries_lazily() -> None:
    assert _loaded_after("import d3k2.fhir, d3k2.cds_hooks") == []
