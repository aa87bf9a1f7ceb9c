-- One NDJSON file (plain or gzip) -> its lines, numbered from 1 as in the file. The
-- delimiter is byte 0x01, which valid JSON never holds unescaped, and quoting is off, so
-- each physical line is one value. Blank lines are kept (NULL) so numbers stay true.
-- Each resource gets its patient's bucket (a hash of the patient id): patients are grouped
-- one bucket at a time, so grouping never needs more memory than one bucket's lines.
-- Parameters: $path, $file_id, $buckets.
CREATE OR REPLACE TEMP TABLE staged AS
SELECT row_number() OVER () AS line_no, line
FROM read_csv(
    $path,
    columns = {'line': 'VARCHAR'},
    header = false,
    delim = chr(1),
    quote = '',
    escape = '',
    auto_detect = false,
    strict_mode = false,
    max_line_size = 8388608
);

INSERT INTO errors
SELECT (SELECT path FROM files WHERE file_id = $file_id), line_no, NULL,
       'malformed JSON', 'the line is not valid JSON: ' || left(line, 60)
FROM staged
WHERE line IS NOT NULL AND trim(line) <> '' AND NOT json_valid(line);

INSERT INTO resources
WITH parsed AS (
    SELECT line_no, line,
           json_extract_string(line, '$.resourceType') AS resource_type,
           json_extract_string(line, '$.id') AS resource_id,
           coalesce(json_extract_string(line, '$.subject.reference'),
                    json_extract_string(line, '$.patient.reference')) AS reference,
           json_extract_string(line, '$.medicationReference.reference') AS medication_ref
    FROM staged
    WHERE line IS NOT NULL AND trim(line) <> '' AND json_valid(line)
)
SELECT *, CAST(hash(patient_id) % $buckets AS INTEGER)
FROM (
    SELECT $file_id, line_no, resource_type, resource_id,
           CASE WHEN resource_type = 'Patient' THEN resource_id
                ELSE regexp_replace(regexp_extract(reference, '[^/]*$'), '^urn:uuid:', '')
           END AS patient_id,
           medication_ref, line
    FROM parsed
);

UPDATE files SET loaded = true WHERE file_id = $file_id;
DROP TABLE staged;
