"""``make bench`` works on a fresh clone: the calibration data can be pointed at or absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks import cold_start, projection_accuracy
from benchmarks.fuzz import main as fuzz_main


def test_projection_accuracy_skips_cleanly_without_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert projection_accuracy.main(["--data", str(tmp_path)]) == 0
    assert "skipped, calibration file not found" in capsys.readouterr().out


def test_the_calibration_file_is_found_from_option_env_or_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = projection_accuracy.DATA_FILE_NAME
    assert projection_accuracy.data_file(str(tmp_path)) == tmp_path / name
    assert projection_accuracy.data_file(str(tmp_path / "x.csv")) == tmp_path / "x.csv"
    monkeypatch.setenv(projection_accuracy.DATA_DIR_ENV, str(tmp_path))
    assert projection_accuracy.data_file(None) == tmp_path / name
    monkeypatch.delenv(projection_accuracy.DATA_DIR_ENV)
    assert projection_accuracy.data_file(None) == projection_accuracy.DEFAULT_DATA_DIR / name


def test_the_fuzz_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert fuzz_main(["--inputs", "3", "--targets", "sun"]) == 0
    out = capsys.readouterr().out
    assert "inputs" in out and "crashes" in out and "peak MiB" in out
    assert "crashes: none" in out


def test_the_induction_half_time_is_a_convention_not_refitted_per_fold() -> None:
    # Model v3: trials of 8-26 weeks cannot identify the half-time, so it is fixed in the
    # table and every leave-one-study-out fold uses the same value.
    from d3k2.api import Engine

    table = Engine.default().base.projection
    assert "induction_half_time_days" not in projection_accuracy.FITTED
    assert table.parameters.induction_half_time_days.how == "convention"
    assert table.parameters.induction_half_time_days.value == pytest.approx(1500.0, abs=1e-9)
    fitted = {n for n in projection_accuracy.FITTED if getattr(table.parameters, n).how == "fitted"}
    assert fitted == set(projection_accuracy.FITTED)
    # Ekwaru 2014 is a printed check since v3; Kimball 2017 is the one fitted literature level.
    assert [c.source for c in projection_accuracy.LITERATURE_STEADY_STATES] == ["Kimball 2017"]
    assert [c.source for c in projection_accuracy.LITERATURE_CHECKS] == ["Ekwaru 2014"]


def test_external_rows_convert_ng_ml_at_2_496() -> None:
    # Every external row keeps the published ng/mL beside the nmol/L the benchmark reads.
    import csv

    with projection_accuracy.EXTERNAL_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["study"] == "Malhotra2009" for r in rows)
    for row in rows:
        for ng_ml, nmol_l in (
            ("baseline_ng_ml", "baseline_nmol_l"),
            ("achieved_ng_ml", "achieved_nmol_l"),
        ):
            if row[ng_ml].strip():
                assert float(row[nmol_l]) == pytest.approx(float(row[ng_ml]) * 2.496, abs=0.051)


def test_the_cold_start_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert cold_start.main(["--runs", "1", "--only", "pyc", "--commands", "help"]) == 0
    out = capsys.readouterr().out
    assert "pyc cached (1 runs each)" in out
    assert "d3k2 --help" in out and "wall best" in out and "cpu best" in out
    assert "assess" not in out


def test_the_cold_start_benchmark_refuses_an_unknown_command() -> None:
    with pytest.raises(SystemExit) as exit_info:
        cold_start.main(["--commands", "help,asess"])
    assert exit_info.value.code == 2
