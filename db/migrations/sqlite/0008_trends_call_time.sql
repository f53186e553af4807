-- Trends select reviewed calls by when the call took place (its start, else when it was stored): a generated
-- CallAt column with an index makes that a range read instead of a scan of every review, and calibration pins
-- are read per session. Both were full scans at a hundred thousand calls and a million annotations.
ALTER TABLE Call ADD COLUMN CallAt TEXT GENERATED ALWAYS AS (COALESCE(StartedAt, CreatedAt)) VIRTUAL;

CREATE INDEX IX_Call_CallAt ON Call (CallAt);
CREATE INDEX IX_Annotation_CalibrationSessionId ON Annotation (CalibrationSessionId);
