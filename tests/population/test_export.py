"""Export folders as servers write them: manifest, several files per type, gzip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from d3k2.errors import InputError
from d3k2.population.export import find_export


def _touch(folder: Path, name: str, text: str = '{"resourceType":"Patient","id":"p"}\n') -> None:
    (folder / name).write_text(text)


def test_files_by_name_in_type_order_and_other_types_listed_apart(tmp_path: Path) -> None:
    for name in (
        "Observation.000.ndjson",
        "Patient.001.ndjson.gz",
        "Patient.000.ndjson",
        "Encounter.000.ndjson",
        "notes.txt",
    ):
        _touch(tmp_path, name)
    export = find_export(tmp_path)
    assert [f.path.name for f in export.files] == [
        "Patient.000.ndjson",
        "Patient.001.ndjson.gz",
        "Observation.000.ndjson",
    ]
    assert export.files[1].gzipped
    assert [f.path.name for f in export.skipped] == ["Encounter.000.ndjson"]
    assert export.manifest is None


def test_the_manifest_names_the_files(tmp_path: Path) -> None:
    _touch(tmp_path, "a.ndjson")
    _touch(tmp_path, "ignored.ndjson")
    (tmp_path / "manifest.json").write_text(
        json.dumps({"output": [{"type": "Patient", "url": "https://x.org/bulk/a.ndjson"}]})
    )
    export = find_export(tmp_path)
    assert [(f.resource_type, f.path.name) for f in export.files] == [("Patient", "a.ndjson")]


def test_a_manifest_naming_a_missing_file_says_which(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(
        json.dumps({"output": [{"type": "Patient", "url": "https://x.org/Patient.9.ndjson"}]})
    )
    with pytest.raises(InputError, match=r"Patient\.9\.ndjson"):
        find_export(tmp_path)


def test_no_patient_file_is_an_input_error(tmp_path: Path) -> None:
    _touch(tmp_path, "Condition.000.ndjson")
    with pytest.raises(InputError, match="no Patient file"):
        find_export(tmp_path)
