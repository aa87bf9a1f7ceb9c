"""Population screening of FHIR Bulk Data exports (``d3k2 screen``).

Every patient's facts are built by the same FHIR reader as the CDS Hooks door
(:func:`d3k2.fhir.facts_from_fhir`) and assessed by the same :class:`d3k2.api.Engine`, so a
population run and a one-patient run on the same data give the same findings. DuckDB (the
default, embedded) or Spark reads and groups the NDJSON; Python screens each patient.

Needs the ``population`` extra (duckdb, pyarrow; pyspark for ``--engine spark``), imported
only when a screen runs.
"""
