"""The Spark engine of ``d3k2 screen`` (``--engine spark``): the same pipeline on PySpark.

Lines are numbered per file (``zipWithIndex``), their keys (resource type, id, patient,
referenced Medication) read by the FHIR module's own grouping function, the resources
grouped per patient with the Medications their orders reference, and every group screened
by :func:`d3k2.population.screening.screen_groups` in ``mapInArrow`` on the executors. The
settings (engine included) are broadcast once and unpickled once per Python worker. The
rows come back to the driver in a stream and go into the same work tables as the DuckDB
engine's, so the outputs are written by the same code.

Local mode (``local[*]``) unless ``spark.master`` is set by ``spark-submit`` or
``D3K2_SPARK_MASTER``.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from d3k2.population.screening import (
    ERROR_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    Rows,
    ScreenSettings,
    screen_groups,
)

if TYPE_CHECKING:
    from d3k2.population.export import Export
    from d3k2.population.progress import Progress

_SETTINGS: dict[str, ScreenSettings] = {}
KEYED_ARROW: Any = None
TABLES = {"findings": FINDING_COLUMNS, "summary": SUMMARY_COLUMNS, "errors": ERROR_COLUMNS}


def spark_session() -> Any:
    from pyspark.sql import SparkSession

    # the workers run this interpreter (d3k2 installed); a cluster installs d3k2 on its nodes
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("d3k2-screen")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config(
            "spark.sql.shuffle.partitions",
            os.environ.get("D3K2_SPARK_PARTITIONS", str(max(2, os.cpu_count() or 2))),
        )
        .config("spark.pyspark.python", sys.executable)
        .config("spark.pyspark.driver.python", sys.executable)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    master = os.environ.get("D3K2_SPARK_MASTER")
    if master or not os.environ.get("SPARK_HOME"):
        builder = builder.master(master or "local[*]")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _keys(batches: Iterator[Any]) -> Iterator[Any]:
    """(file_id, line_no, line) -> + valid, resource_type, resource_id, patient_id,
    medication_ref; the patient is found by the FHIR module's own function."""
    import pyarrow as pa

    from d3k2.fhir import patient_reference_id

    global KEYED_ARROW
    text = pa.string()
    KEYED_ARROW = pa.schema(
        [
            ("file_id", pa.int32()),
            ("line_no", pa.int64()),
            ("line", text),
            ("valid", pa.bool_()),
            ("resource_type", text),
            ("resource_id", text),
            ("patient_id", text),
            ("medication_ref", text),
        ]
    )

    for batch in batches:
        columns = batch.to_pydict()
        out: dict[str, list[Any]] = {
            k: [] for k in ("valid", "resource_type", "resource_id", "patient_id", "medication_ref")
        }
        for line in columns["line"]:
            try:
                data = json.loads(line)
            except ValueError:
                data = None
            valid = data is not None or line.strip() == "null"
            is_map = isinstance(data, dict)
            resource_type = data.get("resourceType") if is_map else None
            medication = data.get("medicationReference") if is_map else None
            out["valid"].append(valid)
            out["resource_type"].append(resource_type if isinstance(resource_type, str) else None)
            out["resource_id"].append(
                data["id"] if is_map and isinstance(data.get("id"), str) else None
            )
            out["patient_id"].append(patient_reference_id(data) if is_map else None)
            out["medication_ref"].append(
                medication.get("reference")
                if isinstance(medication, dict) and isinstance(medication.get("reference"), str)
                else None
            )
        yield pa.RecordBatch.from_pydict({**columns, **out}, schema=KEYED_ARROW)


def _screen(broadcast: Any, key: str) -> Any:
    """The function run on the executors; the settings are unpickled once per worker."""

    def screen(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        settings = _SETTINGS.get(key)
        if settings is None:
            settings = _SETTINGS[key] = pickle.loads(broadcast.value)  # noqa: S301
        for batch in batches:
            columns = batch.to_pydict()
            groups = []
            for patient_id, entries in zip(columns["patient_id"], columns["entries"], strict=True):
                groups.append(
                    (
                        patient_id,
                        [e["line"] for e in entries],
                        [e["path"] for e in entries],
                        [e["line_no"] for e in entries],
                    )
                )
            rows = screen_groups(settings, groups)
            yield pa.RecordBatch.from_pydict(
                {"payload": [pickle.dumps(rows)], "patients": [rows.patients]},
                schema=pa.schema([("payload", pa.binary()), ("patients", pa.int64())]),
            )

    return screen


def screen_with_spark(
    export: Export, settings: ScreenSettings, con: Any, reporter: Progress, chunk_size: int
) -> int:
    """Screen the export on Spark; rows go into the work tables of ``con``."""
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from d3k2.population.run import store_rows

    spark = spark_session()
    sc = spark.sparkContext
    paths = {file_id: item.path.name for file_id, item in enumerate(export.files)}
    lines = None
    for file_id, item in enumerate(export.files):
        numbered = (
            # one partition per 64 MB (a gzip file is one): zipWithIndex then runs no
            # extra job for a small file
            sc.textFile(str(item.path), minPartitions=max(1, item.size_bytes >> 26))
            .zipWithIndex()
            .map(lambda pair, fid=file_id: (fid, pair[1] + 1, pair[0]))
        )
        lines = numbered if lines is None else lines.union(numbered)
    line_schema = T.StructType(
        [
            T.StructField("file_id", T.IntegerType()),
            T.StructField("line_no", T.LongType()),
            T.StructField("line", T.StringType()),
        ]
    )
    frame = spark.createDataFrame(lines, line_schema).where(F.trim("line") != "")
    keyed_schema = T.StructType(
        [
            *line_schema.fields,
            T.StructField("valid", T.BooleanType()),
            T.StructField("resource_type", T.StringType()),
            T.StructField("resource_id", T.StringType()),
            T.StructField("patient_id", T.StringType()),
            T.StructField("medication_ref", T.StringType()),
        ]
    )
    keyed = frame.mapInArrow(_keys, keyed_schema).cache()
    path_of = F.create_map(*[x for k, v in paths.items() for x in (F.lit(k), F.lit(v))])
    keyed = keyed.withColumn("path", path_of[F.col("file_id")])

    # data problems outside any patient: malformed lines and resources of no patient
    problems = keyed.where(
        ~F.col("valid")
        | (F.col("patient_id").isNull() & (F.coalesce("resource_type", F.lit("")) != "Medication"))
    ).select("path", "line_no", "valid", "resource_type", "line")
    orphans = Rows()
    for row in problems.toLocalIterator():
        if not row["valid"]:
            orphans.add(
                orphans.errors,
                file=row["path"],
                line=row["line_no"],
                kind="malformed JSON",
                detail="the line is not valid JSON: " + row["line"][:60],
            )
        else:
            kind = "no resourceType" if row["resource_type"] is None else "no patient reference"
            orphans.add(
                orphans.errors,
                file=row["path"],
                line=row["line_no"],
                kind=kind,
                detail=f"{row['resource_type'] or '(none)'} with no subject or patient "
                "reference: not read",
            )
    store_rows(con, orphans)
    reporter.say(f"spark: {len(orphans.errors['kind'])} line(s) outside any patient")

    valid = keyed.where(F.col("valid"))
    own = valid.where(
        F.col("patient_id").isNotNull() & (F.col("resource_type") != "Medication")
    ).select("patient_id", "file_id", "line_no", "line", "path")
    refs = valid.where(F.col("medication_ref").isNotNull() & F.col("patient_id").isNotNull())
    refs = refs.select("patient_id", "medication_ref").distinct()
    medications = valid.where(F.col("resource_type") == "Medication").select(
        F.concat(F.lit("Medication/"), F.col("resource_id")).alias("medication_ref"),
        "file_id",
        "line_no",
        "line",
        "path",
    )
    meds = refs.join(medications, "medication_ref").drop("medication_ref")
    entries = own.unionByName(meds)
    grouped = entries.groupBy("patient_id").agg(
        F.sort_array(F.collect_list(F.struct("file_id", "line_no", "line", "path"))).alias(
            "entries"
        )
    )
    reporter.total_patients = grouped.count()
    reporter.say(f"spark: {reporter.total_patients} patients grouped")
    broadcast = sc.broadcast(pickle.dumps(settings))
    result_schema = T.StructType(
        [T.StructField("payload", T.BinaryType()), T.StructField("patients", T.LongType())]
    )
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(chunk_size))
    screened = grouped.mapInArrow(_screen(broadcast, uuid.uuid4().hex), result_schema)
    resources = 0
    for row in screened.toLocalIterator(prefetchPartitions=True):
        rows: Rows = pickle.loads(row["payload"])  # noqa: S301 - our executors' pickle
        store_rows(con, rows)
        resources += rows.resources
        reporter.advance(rows.patients, rows.resources)
    keyed.unpersist()
    broadcast.destroy()
    return resources
