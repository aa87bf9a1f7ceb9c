"""The README's engine API example runs as written (with a list of two profiles)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_readme_api_example_runs() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## The engine API") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    source = code.group(1).replace("    ...", "    results.append(result)")
    namespace: dict[str, object] = {
        "profiles": [{"age": 50, "sex": "male"}, {"age": "x", "sex": "female"}],
        "results": [],
    }
    exec(compile(source, "README.md", "exec"), namespace)
    assert len(namespace["results"]) == 2  # type: ignore[arg-type]
    assert namespace["report"].alerts is not None  # type: ignore[attr-defined]
