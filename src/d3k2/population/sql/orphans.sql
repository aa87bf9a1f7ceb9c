-- Resources that belong to no patient (no subject/patient reference), other than
-- Medication (referenced from orders), and resources of a patient with no Patient
-- resource: reported, never dropped silently.
INSERT INTO errors
SELECT f.path, r.line_no, NULL,
       CASE WHEN r.resource_type IS NULL THEN 'no resourceType' ELSE 'no patient reference' END,
       coalesce(r.resource_type, '(none)') || ' with no subject or patient reference: not read'
FROM resources r JOIN files f USING (file_id)
WHERE r.patient_id IS NULL AND coalesce(r.resource_type, '') <> 'Medication';
