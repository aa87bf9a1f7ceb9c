"""``--engine spark`` (PySpark local mode) gives the same rows as DuckDB. One Spark session
serves the module; skip with ``-m "not spark"``."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.population.conftest import run

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_available():
    pytest.importorskip("pyspark")
    import shutil

    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (java not found)")


@pytest.mark.parametrize("which", ["synthetic", "synthea"])
def test_spark_equals_duckdb(
    which, spark_available, synthetic_dir: Path, tmp_path: Path, request
) -> None:
    export = synthetic_dir if which == "synthetic" else request.getfixturevalue("synthea_dir")
    duck = run(export, tmp_path / "duckdb")
    spark = run(export, tmp_path / "spark", engine="spark")
    assert (spark.patients, spark.findings, spark.errors) == (
        duck.patients,
        duck.findings,
        duck.errors,
    )
    for name in ("findings.csv", "summary.csv", "errors.csv"):
        assert (tmp_path / "spark" / name).read_bytes() == (
            tmp_path / "duckdb" / name
        ).read_bytes(), name
