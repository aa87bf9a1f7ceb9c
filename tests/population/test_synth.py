"""``d3k2 synth``: deterministic, Synthea-shaped, with the codes the vocabularies map."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from d3k2.population.synth import write_export


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_export_other_seed_other_export(tmp_path: Path) -> None:
    write_export(tmp_path / "a", 60, seed=3)
    write_export(tmp_path / "b", 60, seed=3)
    write_export(tmp_path / "c", 60, seed=4)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    assert _bytes(tmp_path / "a") != _bytes(tmp_path / "c")


def test_gzip_files_and_the_manifest_counts(tmp_path: Path) -> None:
    written = write_export(tmp_path, 120, seed=1, gzip=True, patients_per_file=50, bad_lines=2)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    names = {entry["url"].rsplit("/", 1)[-1] for entry in manifest["output"]}
    assert "Patient.002.ndjson.gz" in names
    lines = 0
    for name in names:
        with gzip.open(tmp_path / name, "rt") as handle:
            lines += sum(1 for _ in handle)
    assert lines == written
    patients = sum(e["count"] for e in manifest["output"] if e["type"] == "Patient")
    assert patients == 120  # the 2 malformed lines are not counted as resources


def test_resources_have_synthea_shapes_and_both_25ohd_units(tmp_path: Path) -> None:
    write_export(tmp_path, 400, seed=2)
    resources = [
        json.loads(line)
        for path in tmp_path.glob("*.ndjson")
        for line in path.read_text().splitlines()
    ]
    kinds = {r["resourceType"] for r in resources}
    assert kinds == {
        "Patient",
        "Condition",
        "MedicationRequest",
        "MedicationStatement",
        "Observation",
    }
    units = {
        r["valueQuantity"]["unit"]
        for r in resources
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] != "17861-6"
    }
    assert units == {"ng/mL", "nmol/L"}
    statuses = {r["status"] for r in resources if r["resourceType"] == "MedicationRequest"}
    assert statuses == {"active", "stopped"}
    order = next(r for r in resources if r["resourceType"] == "MedicationRequest")
    assert order["subject"]["reference"].startswith("Patient/")
    assert order["medicationCodeableConcept"]["coding"][0]["system"].endswith("rxnorm")
