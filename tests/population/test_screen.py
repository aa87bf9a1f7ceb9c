"""``d3k2 screen`` with DuckDB: the Synthea sample, a synthetic export, one meaning with the
one-patient engine, bad lines with file and line, reruns and resumes without duplicates."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import json
import random
import shutil
from pathlib import Path

import duckdb
import pytest
from tests.population.conftest import AS_OF, BAD_LINES, PROTOCOL, run, settings
from typer.testing import CliRunner

from d3k2.api import Engine
from d3k2.cli import app
from d3k2.fhir import facts_from_fhir, group_by_patient, read_ndjson
from d3k2.population import run as run_module
from d3k2.population.export import find_export

OUTPUTS = (
    "findings.parquet",
    "findings.csv",
    "summary.parquet",
    "summary.csv",
    "errors.csv",
    "results.duckdb",
    "report.html",
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _read_export(folder: Path) -> list[dict]:
    resources = []
    for path in sorted(folder.glob("*.ndjson*")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt") as handle:
            for line in handle:
                try:
                    resources.extend(read_ndjson([line]))
                except ValueError:
                    continue  # the malformed lines: the screen reports them
    return resources


# --------------------------------------------------------------------------- Synthea
def test_synthea_sample_as_it_is(synthea_dir: Path, tmp_path: Path) -> None:
    """The real export: 13 patients, 3 of them dead (reported apart, never screened as
    living). Without a protocol nobody has an alert: nobody in it takes vitamin D, K or
    calcium. Synthea's 'Hyperglycemia' is not read as hypercalcaemia."""
    result = run(synthea_dir, tmp_path, plan=None)
    assert (result.patients, result.screened, result.deceased) == (13, 10, 3)
    assert result.findings == 0
    summary = {row["patient_id"][-8:]: row for row in _rows(tmp_path / "summary.csv")}
    deceased = {k for k, r in summary.items() if r["status"] == "deceased"}
    assert deceased == {"a93e76c3", "c76072bf", "946ab056"}
    # statuses come from the FHIR reader: 43 stopped hydrochlorothiazide orders are not
    # screened, the active one is (a thiazide user)
    assert summary["26f46cce"]["medication_classes"] == "[thiazide]"
    assert summary["753578a4"]["medication_classes"] == "[bisphosphonate, oral_iron, statin]"
    assert "osteoporosis" in summary["753578a4"]["conditions"]
    assert all("hypercalcaemia" not in row["conditions"] for row in summary.values())
    for name in OUTPUTS:
        assert (tmp_path / name).is_file(), name


def test_synthea_with_a_calcium_d3_k2_protocol(synthea_dir: Path, tmp_path: Path) -> None:
    """Proposed to everyone living: only the 99-year-old woman on alendronate and ferrous
    sulfate gets alerts (take calcium apart from both; minor). The woman on
    hydrochlorothiazide gets none at 600 mg calcium and 1000 IU D3 (no alert fatigue), and
    the CKD stage 4 patient is dead, so she is not screened."""
    plan = "calcium carbonate 600 mg daily; vitamin D3 1000 IU daily; vitamin K2 MK-7 100 mcg daily"
    run(synthea_dir, tmp_path, plan=plan)
    found = {
        (r["patient_id"][-8:], r["rule_id"], r["severity"], r["from_protocol"])
        for r in _rows(tmp_path / "findings.csv")
    }
    assert found == {
        ("753578a4", "iron-calcium-spacing", "minor", "true"),
        ("753578a4", "oral-bisphosphonate-calcium-magnesium-spacing", "minor", "true"),
    }
    triggers = {r["rule_id"]: json.loads(r["triggers"]) for r in _rows(tmp_path / "findings.csv")}
    assert {t["kind"] for t in triggers["iron-calcium-spacing"]} == {"medication", "plan"}


# --------------------------------------------------------------------------- synthetic
def test_synthetic_export_counts_and_outputs(synthetic_result) -> None:
    result, out = synthetic_result
    assert result.patients == 300
    assert result.screened + result.deceased + result.not_screened == 300
    con = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    try:
        rules = dict(con.execute("SELECT rule_id, count(*) FROM findings GROUP BY 1").fetchall())
        parquet = con.execute(
            f"SELECT count(*) FROM read_parquet('{out / 'findings.parquet'}')"
        ).fetchone()
        statuses = dict(con.execute("SELECT status, count(*) FROM summary GROUP BY 1").fetchall())
    finally:
        con.close()
    assert parquet == (result.findings,)
    # K2 proposed to warfarin users: a major interaction, from the protocol
    assert rules.get("vka-with-vitamin-k", 0) >= 1
    assert statuses["deceased"] == result.deceased
    html = (out / "report.html").read_text()
    assert "<svg" in html and "<script" not in html and "cdn" not in html.lower()
    assert "Patients per alert and severity" in html and "25(OH)D by age band" in html


def test_malformed_lines_are_counted_with_file_and_line(
    synthetic_dir: Path, synthetic_result
) -> None:
    _, out = synthetic_result
    bad = [r for r in _rows(out / "errors.csv") if r["kind"] == "malformed JSON"]
    assert len(bad) == BAD_LINES
    for row in bad:
        lines = (synthetic_dir / row["file"]).read_text().splitlines()
        with pytest.raises(ValueError):
            json.loads(lines[int(row["line"]) - 1])


def test_one_meaning_with_the_one_patient_engine(synthetic_dir: Path, synthetic_result) -> None:
    """For sampled patients, the findings of the population run equal what the one-patient
    path gives: the FHIR reader on that patient's resources (grouped by the FHIR module,
    read without DuckDB) and Engine.assess."""
    _, out = synthetic_result
    engine = Engine.default()
    protocol = settings().plan
    groups = group_by_patient(_read_export(synthetic_dir))
    findings: dict[str, set[tuple]] = {}
    for row in _rows(out / "findings.csv"):
        findings.setdefault(row["patient_id"], set()).add(
            (row["rule_id"], int(row["version"]), row["severity"], row["triggers"])
        )
    summary = {r["patient_id"]: r for r in _rows(out / "summary.csv")}
    screened = sorted(p for p, r in summary.items() if r["status"] == "screened")
    sample = random.Random(11).sample(screened, 40) + sorted(findings)[:40]
    for patient_id in sample:
        facts = facts_from_fhir(
            engine, groups[patient_id], as_of=AS_OF, patient_id=patient_id
        ).facts
        facts = dataclasses.replace(facts, plan=(*facts.plan, *protocol))
        report = engine.assess(facts, projection=False).report
        expected = {
            (
                a.id,
                a.version,
                a.severity,
                json.dumps(
                    [
                        {"kind": t.kind, "input": t.input, "matched": t.matched, "code": t.code}
                        for t in a.triggers
                    ],
                    ensure_ascii=False,
                    separators=(",", ":"),
                ),
            )
            for a in report.alerts
        }
        assert findings.get(patient_id, set()) == expected, patient_id
        assert int(summary[patient_id]["alerts"]) == len(report.alerts)


def test_rerun_and_resume_never_duplicate(
    synthetic_dir: Path, synthetic_result, tmp_path: Path, monkeypatch
) -> None:
    """A patient id with resources but no Patient sorts first: handled in the first chunk
    (its error committed), it is not handled again on resume."""
    export = tmp_path / "export"
    shutil.copytree(synthetic_dir, export)
    (export / "manifest.json").unlink()
    (export / "Condition.999.ndjson").write_text(
        json.dumps(
            {
                "resourceType": "Condition",
                "id": "g1",
                "subject": {"reference": "Patient/000-ghost"},
                "code": {"text": "osteoporosis"},
            }
        )
        + "\n"
    )
    first_out = tmp_path / "fresh"
    run(export, first_out)
    out = tmp_path / "out"
    real_store = run_module.store_rows
    calls = {"n": 0}

    def interrupted(con, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the run stops after one committed chunk
        real_store(con, rows)

    monkeypatch.setattr(run_module, "store_rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(export, out, chunk_size=100)
    monkeypatch.setattr(run_module, "store_rows", real_store)
    assert (out / run_module.WORK_DB).exists()
    resumed = run(export, out, chunk_size=100)
    assert resumed.resumed
    ghost = [r for r in _rows(out / "errors.csv") if r["patient_id"] == "000-ghost"]
    assert [r["kind"] for r in ghost] == ["no Patient resource"]
    again = run(export, out)  # a plain rerun over the same folder
    assert not again.resumed
    for name in ("findings.csv", "summary.csv", "errors.csv"):
        assert (out / name).read_bytes() == (first_out / name).read_bytes(), name
    assert not (out / run_module.WORK_DB).exists()
    assert sorted(p.name for p in out.iterdir()) == sorted((*OUTPUTS, "errors.parquet"))


def test_gzip_export_gives_the_same_findings(
    synthetic_dir: Path, synthetic_result, tmp_path: Path, monkeypatch
) -> None:
    """Gzipped files, through the process pool, grouped in several buckets of patients:
    the same findings."""
    _, plain_out = synthetic_result
    monkeypatch.setattr(run_module, "BUCKET_BYTES", 20_000)
    zipped = tmp_path / "gz"
    zipped.mkdir()
    for path in synthetic_dir.glob("*.ndjson"):
        with path.open("rb") as source, gzip.open(zipped / (path.name + ".gz"), "wb") as target:
            shutil.copyfileobj(source, target)
    assert run_module.bucket_count(find_export(zipped)) > 3
    run(zipped, tmp_path / "out", workers=2)  # and through the process pool
    assert (tmp_path / "out" / "findings.csv").read_bytes() == (
        plain_out / "findings.csv"
    ).read_bytes()
    errors = _rows(tmp_path / "out" / "errors.csv")
    assert {r["file"] for r in errors if r["kind"] == "malformed JSON"} <= {
        "Patient.000.ndjson.gz",
        "Patient.001.ndjson.gz",
    }


def test_the_command(synthea_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "screen",
            str(synthea_dir),
            "--out",
            str(tmp_path),
            "--as-of",
            AS_OF.isoformat(),
            "--plan",
            PROTOCOL,
            "--workers",
            "1",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "13 patients (10 screened, 3 deceased" in result.output
    bad = CliRunner().invoke(
        app, ["screen", str(synthea_dir), "--out", str(tmp_path), "--plan", "warfarin 5 mg daily"]
    )
    assert bad.exit_code == 2


def test_unknown_codes_and_unreadable_labs_are_errors_with_file_and_line(tmp_path: Path) -> None:
    """A lab without a unit and a condition d3k2 does not know are reported where they are;
    an entered-in-error result is status handling, not a data problem."""
    export = tmp_path / "export"
    export.mkdir()
    subject = {"reference": "Patient/p1"}
    loinc = "http://loinc.org"
    (export / "Patient.000.ndjson").write_text(
        json.dumps(
            {"resourceType": "Patient", "id": "p1", "gender": "female", "birthDate": "1950-01-01"}
        )
        + "\n"
    )
    observations = [
        {
            "resourceType": "Observation",
            "id": "o1",
            "status": "entered-in-error",
            "code": {"coding": [{"system": loinc, "code": "62292-8"}], "text": "25-OH vitamin D"},
            "subject": subject,
            "valueQuantity": {"value": 20, "unit": "ng/mL"},
        },
        {
            "resourceType": "Observation",
            "id": "o2",
            "status": "final",
            "code": {"coding": [{"system": loinc, "code": "62292-8"}], "text": "Vitamin D 25-OH"},
            "subject": subject,
            "effectiveDateTime": "2026-10-01",
            "valueQuantity": {"value": 20},
        },
    ]
    (export / "Observation.000.ndjson").write_text(
        "\n".join(json.dumps(o) for o in observations) + "\n"
    )
    (export / "Condition.000.ndjson").write_text(
        json.dumps(
            {
                "resourceType": "Condition",
                "id": "c1",
                "subject": subject,
                "clinicalStatus": {"coding": [{"code": "active"}]},
                "code": {
                    "coding": [{"system": "http://snomed.info/sct", "code": "000"}],
                    "text": "Zzz unheard-of finding",
                },
            }
        )
        + "\n"
    )
    run(export, tmp_path / "out", plan=None)
    errors = {(r["file"], r["line"], r["kind"]) for r in _rows(tmp_path / "out" / "errors.csv")}
    assert errors == {
        ("Condition.000.ndjson", "1", "unknown condition"),
        ("Observation.000.ndjson", "2", "lab not read"),
    }
