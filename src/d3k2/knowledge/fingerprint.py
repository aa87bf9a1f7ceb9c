"""Where the bundled knowledge lives, and its fingerprint. Light: ``d3k2 version`` reads
the fingerprint without loading (or importing the schema of) the knowledge base."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

SCHEMA_VERSION: Final = 1
"""Version of the knowledge files' schema (``d3k2.knowledge.schema``)."""
DATA_DIR: Final = Path(__file__).parent / "data"


def fingerprint(data_dir: Path = DATA_DIR) -> str:
    """Schema version + a hash of every file under ``data_dir`` (names and bytes)."""
    digest = hashlib.sha256()
    for path in sorted(data_dir.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(data_dir)).encode())
            digest.update(path.read_bytes())
    return f"{SCHEMA_VERSION}+{digest.hexdigest()[:12]}"
