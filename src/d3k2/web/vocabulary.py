"""Autocomplete over the knowledge base's names: medications (generic names, brands,
abbreviations), conditions and lab tests, each with what it maps to.

The index is built once per engine; a query is a prefix match on any word of a name,
and, when few names match, near misses by edit similarity ("did you mean").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from d3k2.api import Engine
from d3k2.web.models import VocabularyEntry, VocabularyOut

Kind = Literal["medication", "condition", "lab"]
Via = Literal["name", "brand", "abbreviation"]
MAX_RESULTS = 12
NEAR_MISS_CUTOFF = 75.0
"""Similarity (0-100) a near miss needs to be offered as "did you mean"."""
MIN_MATCHES_BEFORE_SUGGESTING = 3


@dataclass(frozen=True)
class _Name:
    name: str
    folded: str
    words: tuple[str, ...]
    kind: Kind
    via: Via
    id: str
    maps_to: str
    classes: tuple[str, ...]

    def entry(self, score: float) -> VocabularyEntry:
        return VocabularyEntry(
            name=self.name,
            kind=self.kind,
            via=self.via,
            id=self.id,
            maps_to=self.maps_to,
            classes=list(self.classes),
            score=round(score, 1),
        )


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(folded: str) -> tuple[str, ...]:
    cleaned = "".join(c if c.isalnum() else " " for c in folded)
    return tuple(cleaned.split())


class VocabularyIndex:
    """Every name of the knowledge base; built once (see :meth:`build`)."""

    def __init__(self, names: list[_Name]) -> None:
        self.names = names
        self._choices = [n.folded for n in names]

    @classmethod
    def build(cls, engine: Engine) -> VocabularyIndex:
        k = engine.knowledge
        names: list[_Name] = []
        seen: set[tuple[str, str, str]] = set()

        def add(name: str, kind: Kind, via: Via, id_: str, main: str, classes: list[str]) -> None:
            folded = _fold(name)
            key = (folded, kind, id_)
            if not folded or key in seen:
                return
            seen.add(key)
            names.append(_Name(name, folded, _words(folded), kind, via, id_, main, tuple(classes)))

        for med in k.medications:
            main = med.names[0] if med.names else med.id
            for name in med.names:
                add(name, "medication", "name", med.id, main, med.classes)
            for name in med.brands:
                add(name, "medication", "brand", med.id, main, med.classes)
            for name in med.abbreviations:
                add(name, "medication", "abbreviation", med.id, main, med.classes)
        for cond in k.conditions:
            main = cond.names[0] if cond.names else cond.id
            for name in cond.names:
                add(name, "condition", "name", cond.id, main, cond.classes)
            for name in cond.abbreviations:
                add(name, "condition", "abbreviation", cond.id, main, cond.classes)
        for lab in k.labs:
            main = lab.names[0] if lab.names else lab.id
            for name in lab.names:
                add(name, "lab", "name", lab.id, main, [])
        return cls(names)

    def search(self, query: str, kind: Kind | None = None) -> VocabularyOut:
        q = _fold(query)
        if not q:
            return VocabularyOut(query=query, matches=[], did_you_mean=[])
        ranked: list[tuple[tuple[int, int, str], _Name]] = []
        for n in self.names:
            if kind is not None and n.kind != kind:
                continue
            if n.folded.startswith(q):
                rank = 0
            elif any(word.startswith(q) for word in n.words) or f" {q}" in n.folded:
                rank = 1
            else:
                continue
            ranked.append(((rank, len(n.folded), n.folded), n))
        ranked.sort(key=lambda pair: pair[0])
        matches = [n.entry(100.0) for _, n in ranked[:MAX_RESULTS]]
        near: list[VocabularyEntry] = []
        if len(matches) < MIN_MATCHES_BEFORE_SUGGESTING and len(q) >= 3:
            taken = {(m.name, m.kind) for m in matches}
            pool = [i for i, n in enumerate(self.names) if kind is None or n.kind == kind]
            found = process.extract(
                q,
                {i: self._choices[i] for i in pool},
                scorer=fuzz.WRatio,
                limit=MAX_RESULTS,
                score_cutoff=NEAR_MISS_CUTOFF,
            )
            for _choice, score, i in found:
                n = self.names[int(i)]
                if (n.name, n.kind) not in taken:
                    taken.add((n.name, n.kind))
                    near.append(n.entry(float(score)))
            near = near[:5]
        return VocabularyOut(query=query, matches=matches, did_you_mean=near)
