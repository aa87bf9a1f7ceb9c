"""The knowledge base as one object: everything d3k2 knows, loaded once and validated.

:class:`KnowledgeBase` holds the clinical knowledge (rules, vocabularies, DRIs, lab bands,
references), the projection model's table, the vitamin D3 product table, the sun model's
parameters and the food composition table, with one fingerprint over exactly the files they
were read from.

Loading validates every file (schema, cross-references, citations). A validated base is
kept as a snapshot in the user's cache folder, keyed by the fingerprint of the files, so
later runs start without parsing YAML; a changed file changes the fingerprint, so a
snapshot is never stale. ``D3K2_CACHE_DIR`` moves the snapshot folder; ``D3K2_NO_SNAPSHOT=1``
turns snapshots off. The snapshot holds knowledge only, never patient data.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from d3k2.knowledge.fingerprint import DATA_DIR, fingerprint
from d3k2.knowledge.foods import FoodTable, Questionnaire, load_food_table, load_questionnaire
from d3k2.knowledge.labels import LabelRules, load_label_rules
from d3k2.knowledge.lifestyle import LifestyleTable, load_lifestyle_table
from d3k2.knowledge.loader import load_knowledge_from
from d3k2.knowledge.projection import (
    ProductTable,
    ProjectionTable,
    load_product_table,
    load_projection_table,
)
from d3k2.knowledge.schema import Knowledge
from d3k2.knowledge.sun import SunParameters, load_sun_parameters_from

SNAPSHOT_FORMAT: Final = 6
"""Bumped when the shape of :class:`KnowledgeBase` changes (old snapshots are ignored)."""


@dataclass(frozen=True)
class KnowledgeBase:
    """Every knowledge table, validated. Immutable; safe to share between threads."""

    clinical: Knowledge
    """Rules, vocabularies, DRIs, lab bands and the bibliography."""
    projection: ProjectionTable
    products: ProductTable
    sun: SunParameters
    foods: FoodTable
    """Food composition per 100 g and per household portion, every value sourced."""
    questionnaire: Questionnaire
    """The quick diet questionnaire (servings of food groups -> intake with a range)."""
    label_rules: LabelRules
    """US Supplement Facts rules: Daily Values, %DV rounding, vitamin D units."""
    lifestyle: LifestyleTable
    """Lifestyle questions and sourced suggestions."""
    fingerprint: str
    """Schema version + hash of every file under the data folder."""

    @property
    def version(self) -> str:
        return self.fingerprint


def _snapshot_dir() -> Path | None:
    if os.environ.get("D3K2_NO_SNAPSHOT", "") not in ("", "0"):
        return None
    configured = os.environ.get("D3K2_CACHE_DIR")
    if configured:
        return Path(configured)
    cache_home = os.environ.get("XDG_CACHE_HOME")
    return (Path(cache_home) if cache_home else Path.home() / ".cache") / "d3k2"


def _read_snapshot(path: Path, expected: str) -> KnowledgeBase | None:
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)  # noqa: S301 - written by _write_snapshot below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    if isinstance(loaded, KnowledgeBase) and loaded.fingerprint == expected:
        return loaded
    return None


def _write_snapshot(path: Path, base: KnowledgeBase) -> None:
    """Write atomically; a folder that cannot be written only costs the next start time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(base, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        return


def build_knowledge_base(data_dir: Path = DATA_DIR, *, version: str | None = None) -> KnowledgeBase:
    """Read and validate every knowledge file under ``data_dir`` (no snapshot).

    Raises
    ------
    KnowledgeError
        Listing every problem found (file, line, field, message).
    """
    clinical = load_knowledge_from(data_dir, check_model_tables=False, version=version)
    tables, references = data_dir / "tables", data_dir / "references"
    foods = load_food_table(tables, references)
    return KnowledgeBase(
        clinical=clinical,
        projection=load_projection_table(tables, references),
        products=load_product_table(tables, references),
        sun=load_sun_parameters_from(tables / "sun.yaml", references),
        foods=foods,
        questionnaire=load_questionnaire(tables, foods),
        label_rules=load_label_rules(tables, references),
        lifestyle=load_lifestyle_table(tables, references),
        fingerprint=clinical.version,
    )


def load_knowledge_base(data_dir: Path = DATA_DIR, *, snapshot: bool = True) -> KnowledgeBase:
    """The knowledge base of ``data_dir``, from its snapshot when one matches the files."""
    key = fingerprint(data_dir)
    folder = _snapshot_dir() if snapshot else None
    path = None if folder is None else folder / f"knowledge-{SNAPSHOT_FORMAT}-{key}.pickle"
    if path is not None:
        cached = _read_snapshot(path, key)
        if cached is not None:
            return cached
    base = build_knowledge_base(data_dir, version=key)
    if path is not None:
        _write_snapshot(path, base)
    return base


@lru_cache(maxsize=1)
def default_knowledge_base() -> KnowledgeBase:
    """The bundled knowledge base (loaded once per process)."""
    return load_knowledge_base()
