"""The files of a FHIR Bulk Data export, as servers write them.

A server writes one or more NDJSON files per resource type (``Patient.000.ndjson``,
``Patient.001.ndjson.gz`` …) and, with the bulk data ``$export`` operation, a manifest
(``output[].type`` and ``output[].url``) that names them. When a manifest is present
(``manifest.json`` or ``*.manifest.json``) its list is used, each URL taken by its file
name inside the folder; otherwise every ``*.ndjson`` / ``*.ndjson.gz`` file is read and its
type is the file name up to the first dot.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from d3k2.errors import InputError

READ_TYPES: Final = (
    "Patient",
    "Condition",
    "MedicationRequest",
    "MedicationStatement",
    "Medication",
    "Observation",
)
"""Resource types the screen reads (the FHIR reader's types); other files are listed in the
report as not read."""

SUFFIXES: Final = (".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz")


@dataclass(frozen=True)
class ExportFile:
    resource_type: str
    path: Path
    size_bytes: int

    @property
    def gzipped(self) -> bool:
        return self.path.name.endswith(".gz")


@dataclass(frozen=True)
class Export:
    folder: Path
    files: tuple[ExportFile, ...]
    """Files of the types d3k2 reads, in a stable order (type, then name)."""
    skipped: tuple[ExportFile, ...]
    """Files of other resource types (Encounter, Procedure …): not read, reported."""
    manifest: Path | None

    @property
    def size_bytes(self) -> int:
        return sum(f.size_bytes for f in self.files)

    def fingerprint(self) -> str:
        """Names, sizes and modification times of the files read: a resumed run must be
        reading the same export."""
        parts = [f"{f.path.name}:{f.size_bytes}:{f.path.stat().st_mtime_ns}" for f in self.files]
        return "|".join(parts)


def _type_of(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _manifest(folder: Path) -> Path | None:
    for candidate in (folder / "manifest.json", *sorted(folder.glob("*.manifest.json"))):
        if candidate.is_file():
            return candidate
    return None


def _from_manifest(folder: Path, manifest: Path) -> list[tuple[str, Path]]:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InputError(
            f"the export manifest cannot be read: {error}", where=str(manifest)
        ) from None
    entries = data.get("output") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(
            "the export manifest has no 'output' list",
            where=str(manifest),
            hint="a bulk data manifest lists output files as {type, url}",
        )
    found: list[tuple[str, Path]] = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            raise InputError("an output entry has no url", where=f"{manifest}: output[{i}]")
        name = entry["url"].rstrip("/").rsplit("/", 1)[-1]
        path = folder / name
        if not path.is_file():
            raise InputError(
                f"the manifest names {name}, which is not in the folder",
                where=f"{manifest}: output[{i}].url",
                hint="download every file the manifest lists into the same folder",
            )
        found.append((str(entry.get("type") or _type_of(path)), path))
    return found


def _from_names(folder: Path) -> list[tuple[str, Path]]:
    return [
        (_type_of(path), path)
        for path in sorted(folder.iterdir())
        if path.is_file() and path.name.endswith(SUFFIXES)
    ]


def find_export(folder: Path, types: Iterable[str] = READ_TYPES) -> Export:
    """The export's files. Raises InputError when the folder holds no NDJSON file."""
    if not folder.is_dir():
        raise InputError(f"no export folder at {folder}", where="EXPORT_DIR")
    manifest = _manifest(folder)
    listed = _from_manifest(folder, manifest) if manifest else _from_names(folder)
    wanted = set(types)
    order = {t: i for i, t in enumerate(types)}
    files = sorted(
        (ExportFile(t, p, p.stat().st_size) for t, p in listed if t in wanted),
        key=lambda f: (order[f.resource_type], f.path.name),
    )
    skipped = tuple(ExportFile(t, p, p.stat().st_size) for t, p in listed if t not in wanted)
    if not any(f.resource_type == "Patient" for f in files):
        raise InputError(
            f"no Patient file in {folder}",
            where="EXPORT_DIR",
            hint="a bulk export has Patient.ndjson (or Patient.000.ndjson[.gz]) files",
        )
    return Export(folder, tuple(files), skipped, manifest)
