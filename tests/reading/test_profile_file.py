"""Every invalid profile fixture gives exit code 2, no traceback, and names where."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "invalid_profiles"
CASES = sorted(FIXTURES.glob("*.yaml"))


MAX_MESSAGE_CHARS = 2000
"""Whatever the file holds, the message about it stays short."""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "d3k2", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,  # alias bombs and huge values are refused, not computed
    )


def test_there_are_fixtures() -> None:
    assert len(CASES) >= 8


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_invalid_profile(path: Path) -> None:
    expect = path.read_text().splitlines()[0].removeprefix("# expect: ")
    line, field, fragment = expect.split(" ", 2)
    result = run("assess", str(path))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < MAX_MESSAGE_CHARS
    assert fragment in result.stderr
    assert str(path) in result.stderr
    if line != "-":
        assert f"{path}:{line}" in result.stderr
    if field != "-":
        assert f"field '{field}'" in result.stderr or field == "-"
