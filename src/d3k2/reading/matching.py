"""Matching what people type (brands, generics, abbreviations, misspellings, codes) to the
vocabulary, without ever silently turning one drug into another.

The order of trust:

1. a code (RxNorm, SNOMED CT, ICD-10-CM, LOINC) found in the vocabulary;
2. an exact whole-word match of a name, brand or abbreviation (longest phrase first), so
   "Coumadin 3mg" is warfarin and "Dilantin" is phenytoin, never meperidine;
3. a fuzzy match of one word, accepted only when there is no doubt: it is close (edit
   similarity at least ``FUZZY_MIN_SCORE``), clearly closer to one entry than to any other
   (``FUZZY_MIN_MARGIN``), starts with the same letter and differs by at most
   ``FUZZY_MAX_EDITS`` typing slip (one letter dropped, added, changed or two swapped). It is
   returned with an assumption the report shows ("read 'cumadin' as warfarin (Coumadin) —
   confirm"). Salt and form words ("carbonate", "citrate", "oil") never carry a match:
   "lanthanum carbonate" is not lithium carbonate.
4. a near miss that is not certain ("mineral" and Inderal, "calcipotriol" and calcitriol)
   is never screened as that drug: it stays unrecognized, with a reason that names the
   suggestion ("did you mean …?").

Anything else is returned as unrecognized, never dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from d3k2.core.screening.model import RecognizedTerm, Unrecognized
from d3k2.knowledge.schema import Code, Condition, LabTest, Medication

FUZZY_MIN_SCORE: Final = 83.0
"""rapidfuzz ``ratio`` (0-100) a misspelling must reach; 'cumadin'/'coumadin' scores 93."""
FUZZY_MIN_MARGIN: Final = 6.0
"""How much closer the best entry must be than the best *different* entry."""
FUZZY_MIN_LENGTH: Final = 5
"""Shorter words are never matched fuzzily (too many near neighbours)."""
FUZZY_MAX_EDITS: Final = 1
"""Typing slips (optimal string alignment distance) a certain fuzzy match may differ by:
'cumadin' is one slip from 'coumadin'; 'calcipotriol' is two from 'calcitriol' (another
drug, so only a suggestion)."""
FUZZY_SUGGEST_SCORE: Final = 80.0
"""A near miss scoring at least this (but not certain) is named as a suggestion."""
MEMO_MAX_ENTRIES: Final = 100_000
"""Bound on remembered inputs per index (memory stays flat on any population)."""

CODE_SYSTEMS: Final[dict[str, str]] = {
    "http://www.nlm.nih.gov/research/umls/rxnorm": "rxnorm",
    "http://snomed.info/sct": "snomed",
    "http://hl7.org/fhir/sid/icd-10-cm": "icd10cm",
    "http://hl7.org/fhir/sid/icd-10": "icd10cm",
    "http://loinc.org": "loinc",
    "http://www.whocc.no/atc": "atc",
    "rxnorm": "rxnorm",
    "snomed": "snomed",
    "snomed ct": "snomed",
    "sct": "snomed",
    "icd-10-cm": "icd10cm",
    "icd10cm": "icd10cm",
    "icd-10": "icd10cm",
    "icd10": "icd10cm",
    "loinc": "loinc",
    "atc": "atc",
}

_NEGATIONS: Final = re.compile(
    r"^\s*(no|not|never|denies|denied|without|negative for|ruled out|excluded)\b", re.I
)
"""A leading negation: "no kidney stones" is not kidney stones."""
_NOT_THE_PERSONS: Final = re.compile(
    r"(\bfamily history\b|\bfhx?\b|\bfh of\b|\b(mother|father|sister|brother|parent|"
    r"sibling|grandmother|grandfather|aunt|uncle|son|daughter)('s)?\b|\br/o\b|\brule out\b|"
    r"\bruled out\b|\bsuspected\b|\bsuspicion of\b|\bpossible\b|\bprobable\b|\bquery\b|"
    r"\bnegative for\b|\bexcluded\b|\bat risk (of|for)\b|\brisk of\b|\?)",
    re.I,
)
"""Anywhere in a condition: someone else's condition, or one not (yet) established."""
_TRAILING_NEGATION: Final = re.compile(r"(?:[:\-–,(]\s*|\s)(no|none|negative|absent)\)?\s*$", re.I)
"""A condition answered "no" at the end: "kidney stones: no", "sarcoidosis negative"."""
_NOT_TAKEN: Final = re.compile(
    r"\b(stopped|discontinued|previously|formerly|former|quit|ceased|no longer|"
    r"past|held|off)\b",
    re.I,
)
"""In a medication: a medicine no longer (or not now) taken."""
_CLASS_WORDS: Final = frozenset(
    {
        "antagonist",
        "antagonists",
        "blocker",
        "blockers",
        "channel",
        "analog",
        "analogs",
        "analogue",
        "analogues",
        "receptor",
        "receptors",
        "inhibitor",
        "inhibitors",
        "agonist",
        "agonists",
        "deficiency",
        "level",
        "levels",
        "sparing",
    }
)
"""A name followed by one of these describes a drug class ("vitamin K antagonist",
"calcium channel blocker"), not the substance itself."""
_LAB_QUALIFIERS: Final = frozenset(
    {
        "serum",
        "plasma",
        "blood",
        "total",
        "level",
        "levels",
        "s",
        "p",
        "result",
        "value",
        "concentration",
        "test",
        "lab",
    }
)
"""Words a lab name may carry besides the test's own name; any other word left over
("urine", "24 h", "1,25") means a different test, so the name is not matched."""
_NOISE: Final = frozenset(
    {
        "mg",
        "mcg",
        "ug",
        "g",
        "iu",
        "ml",
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "capsule",
        "capsules",
        "cap",
        "caps",
        "daily",
        "once",
        "twice",
        "weekly",
        "monthly",
        "a",
        "day",
        "per",
        "po",
        "oral",
        "by",
        "mouth",
        "and",
        "with",
        "of",
        "the",
        "for",
        "in",
        "at",
        "bid",
        "tid",
        "qd",
        "qid",
        "prn",
        "as",
        "needed",
        "extended",
        "release",
        "er",
        "xr",
        "sr",
        "dr",
        "xl",
        "sodium",
        "hydrochloride",
        "hcl",
        "film",
        "coated",
        "chewable",
        "injection",
        "solution",
        "suspension",
        "morning",
        "evening",
        "night",
        "bedtime",
        "take",
        "takes",
        "taking",
        "dose",
    }
)
_SALT_AND_FORM_WORDS: Final = frozenset(
    {
        "acetate",
        "bicarbonate",
        "bisglycinate",
        "besylate",
        "carbonate",
        "chloride",
        "citrate",
        "cream",
        "drops",
        "fumarate",
        "gel",
        "gluconate",
        "glycinate",
        "hydroxide",
        "lactate",
        "liquid",
        "lotion",
        "malate",
        "maleate",
        "mesylate",
        "oil",
        "ointment",
        "oxide",
        "phosphate",
        "potassium",
        "powder",
        "salt",
        "spray",
        "stearate",
        "succinate",
        "sulfate",
        "sulphate",
        "syrup",
        "tartrate",
        "threonate",
    }
)
"""Salt and form words: shared by many unrelated medicines, so they never carry a fuzzy
match ("lanthanum carbonate" must not become lithium carbonate)."""
_ROMAN: Final[dict[str, str]] = {
    "i": "1",
    "ii": "2",
    "iii": "3",
    "iiia": "3a",
    "iiib": "3b",
    "iv": "4",
    "v": "5",
}

Kind = Literal["medication", "condition", "lab"]


def normalize(text: str) -> str:
    """Lower case, punctuation to spaces, stage roman numerals to digits, doses split
    ("3mg" -> "3 mg")."""
    lowered = text.lower().replace("'", "")
    lowered = re.sub(r"(\d)([a-z])", r"\1 \2", lowered)
    lowered = re.sub(r"[^a-z0-9]+", " ", lowered)
    tokens = lowered.split()
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token in _ROMAN and i > 0 and tokens[i - 1] in ("stage", "ckd", "grade", "g"):
            token = _ROMAN[token]
        out.append(token)
    return " ".join(out)


@dataclass(frozen=True)
class _Entry:
    id: str
    name: str
    classes: frozenset[str]
    codes: tuple[Code, ...]
    ckd_stage: str | None
    display: str
    ingredients: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VocabularyIndex:
    kind: Kind
    phrases: Mapping[str, _Entry]
    codes: Mapping[tuple[str, str], _Entry]
    max_words: int
    fuzzy_keys: tuple[tuple[str, str], ...]
    """(word-or-phrase, entry id) candidates for fuzzy matching."""
    entries: Mapping[str, _Entry]
    _memo: dict[str, list[RecognizedTerm] | Unrecognized] = field(
        default_factory=dict, compare=False, repr=False
    )
    """Results by input text: the same strings recur across a population."""

    @classmethod
    def for_medications(cls, medications: Sequence[Medication]) -> VocabularyIndex:
        by_id = {m.id: m for m in medications}

        def classes_of(medication: Medication) -> frozenset[str]:
            # A combination carries every class of its ingredients, whatever the file says.
            classes = set(medication.classes)
            for ingredient in medication.ingredients:
                if ingredient in by_id:
                    classes.update(by_id[ingredient].classes)
            return frozenset(classes)

        index = cls._build(
            "medication",
            (
                (
                    m.id,
                    m.names[0],
                    classes_of(m),
                    tuple(m.codes),
                    None,
                    [*m.names, *m.brands],
                    m.abbreviations,
                    _display_medication(m, medications),
                )
                for m in medications
            ),
        )
        ingredients = {m.id: frozenset({m.id, *m.ingredients}) for m in medications}
        return index.with_ingredients(ingredients)

    def with_ingredients(self, ingredients: Mapping[str, frozenset[str]]) -> VocabularyIndex:
        def update(entry: _Entry) -> _Entry:
            return _Entry(
                entry.id,
                entry.name,
                entry.classes,
                entry.codes,
                entry.ckd_stage,
                entry.display,
                ingredients.get(entry.id, frozenset({entry.id})),
            )

        updated = {k: update(v) for k, v in self.entries.items()}
        return VocabularyIndex(
            self.kind,
            {k: updated[v.id] for k, v in self.phrases.items()},
            {k: updated[v.id] for k, v in self.codes.items()},
            self.max_words,
            self.fuzzy_keys,
            updated,
        )

    @classmethod
    def for_conditions(cls, conditions: Sequence[Condition]) -> VocabularyIndex:
        return cls._build(
            "condition",
            (
                (
                    c.id,
                    c.names[0],
                    frozenset(c.classes),
                    tuple(c.codes),
                    c.ckd_stage,
                    list(c.names),
                    c.abbreviations,
                    c.names[0],
                )
                for c in conditions
            ),
        )

    @classmethod
    def for_labs(cls, labs: Sequence[LabTest]) -> VocabularyIndex:
        return cls._build(
            "lab",
            (
                (
                    lab.id,
                    lab.names[0],
                    frozenset(),
                    tuple(lab.codes),
                    None,
                    list(lab.names),
                    [],
                    lab.names[0],
                )
                for lab in labs
            ),
        )

    @classmethod
    def _build(
        cls,
        kind: Kind,
        rows: Iterable[
            tuple[
                str,
                str,
                frozenset[str],
                tuple[Code, ...],
                str | None,
                list[str],
                list[str],
                str,
            ]
        ],
    ) -> VocabularyIndex:
        phrases: dict[str, _Entry] = {}
        codes: dict[tuple[str, str], _Entry] = {}
        entries: dict[str, _Entry] = {}
        fuzzy: list[tuple[str, str]] = []
        max_words = 1
        for entry_id, name, classes, entry_codes, stage, names, abbreviations, display in rows:
            entry = _Entry(entry_id, name, classes, entry_codes, stage, display)
            entries[entry_id] = entry
            for phrase in [*names, *abbreviations]:
                key = normalize(phrase)
                if not key:
                    continue
                phrases.setdefault(key, entry)
                max_words = max(max_words, len(key.split()))
            for phrase in names:
                key = normalize(phrase)
                if len(key) >= FUZZY_MIN_LENGTH:
                    fuzzy.append((key, entry_id))
            for code in entry_codes:
                codes[(code.system, code.code.upper())] = entry
        return cls(kind, phrases, codes, max_words, tuple(fuzzy), entries)

    # ---------------------------------------------------------------- matching
    def match_code(self, system: str, code: str, original: str) -> RecognizedTerm | None:
        system_id = CODE_SYSTEMS.get(system.strip().lower(), system.strip().lower())
        entry = self.codes.get((system_id, code.strip().upper()))
        if entry is None:
            return None
        return self._term(entry, original, "code", code=f"{system_id}:{code.strip()}")

    def match(self, text: str) -> list[RecognizedTerm] | Unrecognized:
        """Every vocabulary entry named in ``text`` (deduplicated), or Unrecognized."""
        cached = self._memo.get(text)
        if cached is None:
            if len(self._memo) >= MEMO_MAX_ENTRIES:
                self._memo.clear()
            cached = self._memo[text] = self._match(text)
        return list(cached) if isinstance(cached, list) else cached

    def _match(self, text: str) -> list[RecognizedTerm] | Unrecognized:
        negated = _NEGATIONS.search(text)
        if negated:
            return Unrecognized(
                self.kind,
                text,
                f"reads as negated ('{negated.group(1)}'); not screened — remove it or confirm",
                unknown=False,
            )
        trailing = _TRAILING_NEGATION.search(text) if self.kind != "lab" else None
        if trailing:
            return Unrecognized(
                self.kind,
                text,
                f"reads as negated ('{trailing.group(1)}'); not screened — remove it or confirm",
                unknown=False,
            )
        stopped = _NOT_TAKEN.search(text) if self.kind == "medication" else None
        if stopped:
            return Unrecognized(
                self.kind,
                text,
                f"reads as not taken now ('{stopped.group(1)}'); not screened — remove it or "
                "confirm",
                unknown=False,
            )
        other = _NOT_THE_PERSONS.search(text) if self.kind == "condition" else None
        if other:
            return Unrecognized(
                self.kind,
                text,
                f"reads as family history, suspected or ruled out ('{other.group(1)}'); not "
                "screened as the person's own condition — confirm",
                unknown=False,
            )
        code_term = self._match_bare_code(text)
        if code_term is not None:
            return [code_term]
        tokens = normalize(text).split()
        found: list[RecognizedTerm] = []
        seen: set[str] = set()
        used = [False] * len(tokens)
        class_phrase: str | None = None
        for size in range(min(self.max_words, len(tokens)), 0, -1):
            for start in range(len(tokens) - size + 1):
                if any(used[start : start + size]):
                    continue
                entry = self.phrases.get(" ".join(tokens[start : start + size]))
                if entry is None:
                    continue
                following = tokens[start + size] if start + size < len(tokens) else ""
                if following in _CLASS_WORDS:
                    class_phrase = class_phrase or " ".join(tokens[start : start + size + 1])
                    continue
                for i in range(start, start + size):
                    used[i] = True
                if entry.id not in seen:
                    seen.add(entry.id)
                    found.append(
                        self._term(entry, text, "exact" if size == len(tokens) else "word")
                    )
        if self.kind == "lab":
            # A lab name must be the test's name (plus qualifiers), never a part of it or a
            # near miss: "urine calcium" is not serum calcium, "calcitriol" not calcidiol.
            leftover = [
                t
                for t, covered in zip(tokens, used, strict=True)
                if not covered and t not in _LAB_QUALIFIERS
            ]
            if found and not leftover and len(found) == 1:
                return found
            return Unrecognized(self.kind, text, "not a lab test d3k2 knows; not interpreted")
        if found:
            return found
        if class_phrase is not None:
            return Unrecognized(
                self.kind,
                text,
                f"names a drug class ('{class_phrase} …'), not a medicine; not screened — "
                "give the medicine's name",
                unknown=False,
            )
        words = [
            t
            for t in tokens
            if t not in _NOISE and t not in _SALT_AND_FORM_WORDS and not t.isdigit()
        ]
        fuzzy = self._fuzzy(words, text)
        if isinstance(fuzzy, RecognizedTerm):
            return [fuzzy]
        if fuzzy is not None:
            return Unrecognized(
                self.kind,
                text,
                f"not recognised; did you mean {fuzzy}? Not screened as that — correct the "
                "name to screen it",
            )
        return Unrecognized(self.kind, text)

    def _match_bare_code(self, text: str) -> RecognizedTerm | None:
        stripped = text.strip()
        m = re.fullmatch(
            r"(?i)(rxnorm|snomed(?: ct)?|sct|icd-?10(?:-cm)?|loinc)[\s:]+(\S+)", stripped
        )
        if m:
            return self.match_code(m.group(1), m.group(2), text)
        if re.fullmatch(r"[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?", stripped, re.I):
            return self.match_code("icd10cm", stripped, text)
        if re.fullmatch(r"\d{5,18}", stripped):
            for system in ("rxnorm", "snomed"):
                term = self.match_code(system, stripped, text)
                if term is not None:
                    return term
        return None

    def _fuzzy(self, words: list[str], original: str) -> RecognizedTerm | str | None:
        """The certain match, or a suggestion (text) when there is doubt, or None."""
        # rapidfuzz is imported on the first name that needs a fuzzy look, not at start.
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import OSA

        candidates = [w for w in words if len(w) >= FUZZY_MIN_LENGTH]
        candidates += [f"{a} {b}" for a, b in itertools.pairwise(words)]
        best: tuple[float, str, str, str] | None = None  # score, entry id, word, key
        runner_up = 0.0
        keys = [key for key, _ in self.fuzzy_keys]
        # Keys scoring below this cannot matter: the best must reach FUZZY_MIN_SCORE and
        # beat every other entry by FUZZY_MIN_MARGIN.
        cutoff = FUZZY_MIN_SCORE - FUZZY_MIN_MARGIN
        for word in candidates:
            scores: dict[str, tuple[float, str]] = {}
            for key, score, position in process.extract(
                word, keys, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff
            ):
                if abs(len(key) - len(word)) > 3:
                    continue
                entry_id = self.fuzzy_keys[position][1]
                if score > scores.get(entry_id, (0.0, ""))[0]:
                    scores[entry_id] = (score, key)
            ranked = sorted(scores.items(), key=lambda item: -item[1][0])
            if not ranked:
                continue
            top_id, (top_score, top_key) = ranked[0]
            second = ranked[1][1][0] if len(ranked) > 1 else 0.0
            if best is None or top_score > best[0]:
                best = (top_score, top_id, word, top_key)
                runner_up = second
        if best is None:
            return None
        score, entry_id, word, key = best
        entry = self.entries[entry_id]
        certain = (
            score >= FUZZY_MIN_SCORE
            and score - runner_up >= FUZZY_MIN_MARGIN
            and word[0] == key[0]
            and OSA.distance(word, key) <= FUZZY_MAX_EDITS
        )
        if not certain:
            if score < FUZZY_SUGGEST_SCORE:
                return None
            return f"'{key}' ({entry.display}) for '{word}'"
        return self._term(
            entry,
            original,
            "fuzzy",
            assumption=f"read '{best[2]}' as '{best[3]}' ({entry.display}) — confirm",
        )

    def _term(
        self,
        entry: _Entry,
        original: str,
        method: Literal["exact", "code", "word", "fuzzy"],
        *,
        code: str | None = None,
        assumption: str | None = None,
    ) -> RecognizedTerm:
        kind: Literal["medication", "condition", "lab"] = self.kind
        return RecognizedTerm(
            kind=kind,
            input=original,
            id=entry.id,
            name=entry.display,
            classes=entry.classes,
            method=method,
            code=code or _first_code(entry.codes),
            ckd_stage=entry.ckd_stage,
            ingredients=entry.ingredients or frozenset({entry.id}),
            assumption=assumption,
        )


def _first_code(codes: Sequence[Code]) -> str | None:
    for code in codes:
        return f"{code.system}:{code.code}"
    return None


def _display_medication(medication: Medication, medications: Sequence[Medication]) -> str:
    if not medication.ingredients:
        return medication.names[0]
    by_id = {m.id: m for m in medications}
    parts = [by_id[i].names[0] if i in by_id else i for i in medication.ingredients]
    return f"{medication.names[0]} ({' + '.join(parts)})"
