"""``d3k2 screen``: the run — read the export, screen every patient, write the results.

DuckDB (default) loads each NDJSON file into a work database (``.screen-work.duckdb`` in
the results folder), numbers its lines, records malformed ones, groups the resources per
patient and streams the groups to Python in batches; a process pool screens the patients
(the settings, engine included, are pickled once per worker). Results are committed per
chunk of patients, so an interrupted run resumes where it stopped (the same export, plan,
date and knowledge base) and a rerun starts clean: no patient is written twice.

Every output file is written to a temporary name and moved into place (``os.replace``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pickle
import shutil
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from d3k2.population.export import Export, find_export
from d3k2.population.progress import Progress
from d3k2.population.screening import (
    ERROR_COLUMNS,
    FINDING_COLUMNS,
    SUMMARY_COLUMNS,
    Rows,
    ScreenSettings,
    screen_groups,
)
from d3k2.population.sqlfiles import sql_statements, sql_text

EngineName = Literal["duckdb", "spark"]
WORK_DB: Final = ".screen-work.duckdb"
RESULT_FILES: Final = (
    "findings.parquet",
    "findings.csv",
    "summary.parquet",
    "summary.csv",
    "errors.csv",
    "results.duckdb",
    "report.html",
)
Group = tuple[str, Sequence[str], Sequence[str], Sequence[int]]
BUCKET_BYTES: Final = 64 << 20
"""NDJSON bytes per bucket of patients grouped at once (memory stays bounded)."""


@dataclass(frozen=True)
class ScreenResult:
    out_dir: Path
    patients: int
    screened: int
    deceased: int
    not_screened: int
    findings: int
    errors: int
    resources: int
    bytes_read: int
    seconds: float
    resumed: bool


# --------------------------------------------------------------------------- workers
_WORKER_SETTINGS: ScreenSettings | None = None


def _init_worker(settings_bytes: bytes | None) -> None:
    global _WORKER_SETTINGS
    if settings_bytes is not None:  # spawned: the engine comes pickled, once per worker
        _WORKER_SETTINGS = pickle.loads(settings_bytes)  # noqa: S301 - our parent's pickle


def _screen_in_worker(groups: list[Group]) -> Rows:
    assert _WORKER_SETTINGS is not None
    return screen_groups(_WORKER_SETTINGS, groups)


@contextlib.contextmanager
def worker_pool(settings: ScreenSettings, workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """The process pool (None for one worker: screen in this process). Its workers are
    started at once, before DuckDB reads anything, so they do not inherit its buffers."""
    if workers <= 1:
        yield None
        return
    import multiprocessing

    # fork where there is one: the workers start with d3k2 already imported (they never
    # touch DuckDB, whose threads live in the parent); spawn elsewhere
    methods = multiprocessing.get_all_start_methods()
    forked = "fork" in methods
    if forked:
        _warm_up()
    context = multiprocessing.get_context("fork" if forked else "spawn")
    global _WORKER_SETTINGS
    _WORKER_SETTINGS = settings  # a forked worker inherits the engine as built
    shipped = None if forked else pickle.dumps(settings)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(shipped,)
    ) as pool:
        pool.submit(int).result()  # start the workers now
        yield pool


def _pool_results(
    settings: ScreenSettings,
    chunks: Iterator[list[Group]],
    pool: ProcessPoolExecutor | None,
    workers: int,
) -> Iterator[Rows]:
    """Screen chunks of patients, in order, with at most 2 chunks per worker in flight
    (memory stays bounded however large the export)."""
    if pool is None:
        for chunk in chunks:
            yield screen_groups(settings, chunk)
        return
    pending: list[Future[Rows]] = []
    for chunk in chunks:
        pending.append(pool.submit(_screen_in_worker, chunk))
        if len(pending) >= 2 * workers:
            yield pending.pop(0).result()
    for future in pending:
        yield future.result()


def _warm_up() -> None:
    """Import the FHIR models before forking, so no worker pays for it."""
    from d3k2.fhir import parse_resource
    from d3k2.population.export import READ_TYPES

    for resource_type in READ_TYPES:
        parse_resource({"resourceType": resource_type})


# --------------------------------------------------------------------------- the run
def run_key(export: Export, settings: ScreenSettings, plan_text: str | None) -> str:
    return json.dumps(
        {
            "export": export.fingerprint(),
            "plan": plan_text,
            "as_of": settings.as_of.isoformat(),
            "guideline": settings.guideline,
            "knowledge": settings.engine.version,
        },
        sort_keys=True,
    )


def screen_export(
    export_dir: Path,
    out_dir: Path,
    settings: ScreenSettings,
    *,
    plan_text: str | None = None,
    engine: EngineName = "duckdb",
    workers: int | None = None,
    chunk_size: int = 250,
    progress: bool = True,
) -> ScreenResult:
    """Screen every patient of a bulk export; write the results into ``out_dir``."""
    import time

    import duckdb

    started = time.monotonic()
    export = find_export(export_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    work_path = out_dir / WORK_DB
    key = run_key(export, settings, plan_text) + engine
    # a Spark run is rerun whole (its stages keep no state between runs)
    con, resumed = _open_work(work_path, key, duckdb, resume=engine == "duckdb")
    reporter = Progress(0, stream=sys.stderr if progress else None)
    try:
        if not resumed:
            con.execute("BEGIN")
            for file_id, item in enumerate(export.files):
                con.execute(
                    "INSERT INTO files (file_id, resource_type, path, size_bytes) VALUES (?,?,?,?)",
                    [file_id, item.resource_type, item.path.name, item.size_bytes],
                )
            con.execute("COMMIT")
        else:
            reporter.say(f"resuming the run in {work_path}")
        workers = workers if workers is not None else (os.cpu_count() or 1)
        if engine == "spark":
            from d3k2.population.spark_engine import screen_with_spark

            total_resources = screen_with_spark(export, settings, con, reporter, chunk_size)
        else:
            with worker_pool(settings, workers) as pool:
                total_resources = _screen_with_duckdb(
                    export, settings, con, reporter, pool, workers, chunk_size
                )
        _write_outputs(con, out_dir, export, settings, plan_text, engine)
        counts = dict(
            con.execute("SELECT status, count(*) FROM summary GROUP BY status").fetchall()
        )
        findings = con.execute("SELECT count(*) FROM findings").fetchone()
        errors = con.execute("SELECT count(*) FROM errors").fetchone()
    finally:
        con.close()
    work_path.unlink(missing_ok=True)
    Path(str(work_path) + ".wal").unlink(missing_ok=True)
    return ScreenResult(
        out_dir=out_dir,
        patients=sum(counts.values()),
        screened=counts.get("screened", 0),
        deceased=counts.get("deceased", 0),
        not_screened=counts.get("not screened", 0),
        findings=findings[0] if findings else 0,
        errors=errors[0] if errors else 0,
        resources=total_resources,
        bytes_read=export.size_bytes,
        seconds=time.monotonic() - started,
        resumed=resumed,
    )


def _open_work(path: Path, key: str, duckdb: Any, *, resume: bool) -> tuple[Any, bool]:
    """The work database: resumed when it was left by a run with the same key."""
    if path.exists() and resume:
        try:
            con = duckdb.connect(str(path))
            stored = con.execute("SELECT value FROM run WHERE key = 'key'").fetchone()
            if stored and stored[0] == key:
                _configure(con, path)
                return con, True
            con.close()
        except duckdb.Error:
            pass
    if path.exists():
        path.unlink()
        Path(str(path) + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    _configure(con, path)
    for statement in sql_statements("schema"):
        con.execute(statement)
    con.execute("INSERT INTO run VALUES ('key', ?)", [key])
    return con, False


def _configure(con: Any, path: Path) -> None:
    con.execute("SET memory_limit = '1GB'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"SET temp_directory = '{path.parent / '.screen-tmp'}'")


def _screen_with_duckdb(
    export: Export,
    settings: ScreenSettings,
    con: Any,
    reporter: Progress,
    pool: ProcessPoolExecutor | None,
    workers: int,
    chunk_size: int,
) -> int:
    import time

    loaded = {row[0] for row in con.execute("SELECT file_id FROM files WHERE loaded").fetchall()}
    buckets = bucket_count(export)
    for file_id, item in enumerate(export.files):
        if file_id in loaded:
            continue
        began = time.monotonic()
        con.execute("BEGIN")
        for statement in sql_statements("load_file"):
            params = {
                k: v
                for k, v in (("path", str(item.path)), ("file_id", file_id), ("buckets", buckets))
                if f"${k}" in statement
            }
            con.execute(statement, params)
        con.execute("COMMIT")
        took = max(time.monotonic() - began, 1e-9)
        reporter.say(
            f"read {item.path.name}: {item.size_bytes / 1e6:,.1f} MB in {took:.1f} s "
            f"({item.size_bytes / 1e6 / took:,.0f} MB/s)"
        )
    if not _flag(con, "orphans"):
        con.execute("BEGIN")
        for statement in sql_statements("orphans"):
            con.execute(statement)
        con.execute("INSERT INTO run VALUES ('orphans', 'done')")
        con.execute("COMMIT")
    total = con.execute(
        "SELECT count(DISTINCT patient_id) FROM resources "
        "WHERE patient_id IS NOT NULL AND resource_type <> 'Medication'"
    ).fetchone()
    done = con.execute("SELECT count(*) FROM done").fetchone()
    reporter.total_patients = (total[0] if total else 0) - (done[0] if done else 0)
    resources = 0
    chunks = _duckdb_chunks(con, chunk_size, buckets)
    for rows in _pool_results(settings, chunks, pool, workers):
        store_rows(con, rows)
        resources += rows.resources
        reporter.advance(rows.patients, rows.resources)
    return resources


def _flag(con: Any, key: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM run WHERE key = ?", [key]).fetchone()[0])


GZIP_RATIO: Final = 8
"""Assumed NDJSON bytes per gzip byte when sizing buckets (FHIR JSON compresses ~8-10x)."""


def bucket_count(export: Export) -> int:
    """Buckets of patients so that each holds about BUCKET_BYTES of NDJSON."""
    size = sum(f.size_bytes * (GZIP_RATIO if f.gzipped else 1) for f in export.files)
    return max(1, -(-size // BUCKET_BYTES))


def _duckdb_chunks(con: Any, chunk_size: int, buckets: int) -> Iterator[list[Group]]:
    for bucket in range(buckets):
        yield from _bucket_chunks(con, chunk_size, bucket)


def _bucket_chunks(con: Any, chunk_size: int, bucket: int) -> Iterator[list[Group]]:
    relation = con.cursor().sql(sql_text("patients"), params={"bucket": bucket})
    reader = (
        relation.to_arrow_reader(chunk_size)
        if hasattr(relation, "to_arrow_reader")
        else relation.fetch_arrow_reader(chunk_size)  # duckdb < 1.4
    )
    for batch in reader:
        columns = batch.to_pydict()
        yield list(
            zip(
                columns["patient_id"],
                columns["lines"],
                columns["files"],
                columns["line_numbers"],
                strict=True,
            )
        )


def store_rows(con: Any, rows: Rows) -> None:
    """One chunk's rows into the work tables, in one transaction (all or nothing).
    Patients with no summary row (a group without a Patient) still leave their errors."""
    import pyarrow as pa

    con.execute("BEGIN")
    for name, table, columns in (
        ("findings", rows.findings, FINDING_COLUMNS),
        ("summary", rows.summary, SUMMARY_COLUMNS),
        ("errors", rows.errors, ERROR_COLUMNS),
    ):
        if not table[columns[0]]:
            continue
        arrow = pa.table({c: table[c] for c in columns}, schema=_schema(name, pa))
        con.register("chunk_rows", arrow)
        con.execute(f"INSERT INTO {name} SELECT * FROM chunk_rows")  # noqa: S608 - our names
        con.unregister("chunk_rows")
    if rows.done:
        con.register("chunk_done", pa.table({"patient_id": pa.array(rows.done, pa.string())}))
        con.execute("INSERT INTO done SELECT patient_id FROM chunk_done")
        con.unregister("chunk_done")
    con.execute("COMMIT")


def _schema(name: str, pa: Any) -> Any:
    text, integer, real, flag = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    types = {
        "findings": [text, text, integer, text, text, flag, text],
        "summary": [
            text,
            text,
            text,
            real,
            text,
            integer,
            integer,
            text,
            real,
            text,
            flag,
            flag,
            flag,
            pa.list_(text),
            pa.list_(text),
            integer,
            text,
        ],
        "errors": [text, integer, text, text, text],
    }[name]
    columns = {"findings": FINDING_COLUMNS, "summary": SUMMARY_COLUMNS, "errors": ERROR_COLUMNS}
    return pa.schema(list(zip(columns[name], types, strict=True)))


# --------------------------------------------------------------------------- outputs
ORDERED: Final = {
    "findings": "SELECT * FROM findings ORDER BY patient_id, rule_id",
    "summary": "SELECT * FROM summary ORDER BY patient_id",
    "errors": "SELECT * FROM errors ORDER BY file NULLS LAST, line, patient_id, kind, detail",
}


def _replace_with(target: Path, write: Any) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    write(temporary)
    os.replace(temporary, target)


def _write_outputs(
    con: Any,
    out_dir: Path,
    export: Export,
    settings: ScreenSettings,
    plan_text: str | None,
    engine: str,
) -> None:
    for name, query in ORDERED.items():
        formats = ("parquet", "csv") if name != "errors" else ("csv", "parquet")
        for fmt in formats:
            option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER true)"
            _replace_with(
                out_dir / f"{name}.{fmt}",
                lambda path, q=query, o=option: con.execute(f"COPY ({q}) TO '{path}' {o}"),
            )

    def write_database(path: Path) -> None:
        con.execute(f"ATTACH '{path}' AS results")
        try:
            for name, query in ORDERED.items():
                con.execute(f"CREATE TABLE results.{name} AS {query}")
            con.execute(
                "CREATE TABLE results.run AS SELECT * FROM (VALUES "
                "('as_of', ?), ('plan', ?), ('engine', ?), ('knowledge', ?), ('export', ?)) "
                "t(key, value)",
                [
                    settings.as_of.isoformat(),
                    plan_text or "",
                    engine,
                    settings.engine.version,
                    str(export.folder),
                ],
            )
            con.execute(
                "CREATE TABLE results.files AS SELECT resource_type, path, size_bytes FROM files"
            )
        finally:
            con.execute("DETACH results")

    _replace_with(out_dir / "results.duckdb", write_database)
    from d3k2.population.report import report_html

    html = report_html(con, export, settings, plan_text, engine)
    _replace_with(out_dir / "report.html", lambda path: path.write_text(html, "utf-8"))
    shutil.rmtree(out_dir / ".screen-tmp", ignore_errors=True)


def default_as_of() -> dt.date:
    return dt.date.today()
