-- The work database of one screen run (d3k2 screen). Tables are created once; a resumed
-- run finds them filled up to the last committed chunk of patients.
CREATE TABLE IF NOT EXISTS run (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS files (
    file_id INTEGER PRIMARY KEY,
    resource_type VARCHAR,
    path VARCHAR,
    size_bytes BIGINT,
    loaded BOOLEAN DEFAULT false
);
-- One row per resource line: the raw JSON is kept (the FHIR reader parses it per patient).
CREATE TABLE IF NOT EXISTS resources (
    file_id INTEGER,
    line_no BIGINT,
    resource_type VARCHAR,
    resource_id VARCHAR,
    patient_id VARCHAR,
    medication_ref VARCHAR,
    line VARCHAR,
    bucket INTEGER
);
-- Patients handled (committed with their rows): a resumed run leaves them out.
CREATE TABLE IF NOT EXISTS done (patient_id VARCHAR PRIMARY KEY);
CREATE TABLE IF NOT EXISTS errors (
    file VARCHAR,
    line BIGINT,
    patient_id VARCHAR,
    kind VARCHAR,
    detail VARCHAR
);
CREATE TABLE IF NOT EXISTS findings (
    patient_id VARCHAR,
    rule_id VARCHAR,
    version INTEGER,
    severity VARCHAR,
    title VARCHAR,
    from_protocol BOOLEAN,
    triggers VARCHAR
);
CREATE TABLE IF NOT EXISTS summary (
    patient_id VARCHAR PRIMARY KEY,
    status VARCHAR,
    sex VARCHAR,
    age_years DOUBLE,
    age_band VARCHAR,
    alerts INTEGER,
    protocol_alerts INTEGER,
    top_severity VARCHAR,
    serum_25ohd_nmol_l DOUBLE,
    serum_25ohd_category VARCHAR,
    takes_vitamin_d BOOLEAN,
    takes_calcium BOOLEAN,
    takes_vitamin_k BOOLEAN,
    medication_classes VARCHAR[],
    conditions VARCHAR[],
    not_screened INTEGER,
    note VARCHAR
);
