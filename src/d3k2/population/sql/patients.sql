-- Each patient's resources (raw JSON, in file order) with the Medication resources its
-- orders reference, one row per patient of one bucket ($bucket), in patient id order.
-- Patients already handled (a resumed run) are left out.
WITH own AS (
    SELECT patient_id, file_id, line_no, line
    FROM resources
    WHERE bucket = $bucket AND patient_id IS NOT NULL AND resource_type <> 'Medication'
),
refs AS (
    SELECT DISTINCT patient_id, medication_ref
    FROM resources
    WHERE bucket = $bucket AND patient_id IS NOT NULL AND medication_ref IS NOT NULL
),
meds AS (
    SELECT refs.patient_id, m.file_id, m.line_no, m.line
    FROM refs
    JOIN resources m
      ON m.resource_type = 'Medication' AND 'Medication/' || m.resource_id = refs.medication_ref
)
SELECT g.patient_id,
       list(g.line ORDER BY g.file_id, g.line_no) AS lines,
       list(f.path ORDER BY g.file_id, g.line_no) AS files,
       list(g.line_no ORDER BY g.file_id, g.line_no) AS line_numbers
FROM (SELECT * FROM own UNION ALL SELECT * FROM meds) g
JOIN files f USING (file_id)
WHERE g.patient_id NOT IN (SELECT patient_id FROM done)
GROUP BY g.patient_id
ORDER BY g.patient_id;
