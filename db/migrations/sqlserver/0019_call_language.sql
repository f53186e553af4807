-- The languages a call's transcript lines are in, one row per call and language, kept in step with Segment by a
-- trigger (the transcription job, redaction and erasure write Segment). The transcript search's language filter
-- lists the languages of the calls the user may see from here, instead of reading the Segment language index whole
-- (every line of every call) on each load of the review queue. Segment (CallId, Language) replaces the language
-- index: it answers "does this call still have a line in this language" when lines go.
CREATE TABLE CallLanguage (
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Language NVARCHAR(16) NOT NULL,
    CONSTRAINT PK_CallLanguage PRIMARY KEY (CallId, Language)
);

DROP INDEX IX_Segment_Language ON Segment;
CREATE INDEX IX_Segment_CallId_Language ON Segment (CallId, Language);

INSERT INTO CallLanguage (CallId, Language) SELECT DISTINCT CallId, Language FROM Segment WHERE Language IS NOT NULL;

-- CREATE TRIGGER must open its batch; the migration runs as one.
EXEC (N'CREATE TRIGGER Segment_CallLanguage ON Segment AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    INSERT INTO CallLanguage (CallId, Language)
    SELECT DISTINCT i.CallId, i.Language FROM inserted i
    WHERE i.Language IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM CallLanguage cl WITH (UPDLOCK, HOLDLOCK) WHERE cl.CallId = i.CallId AND cl.Language = i.Language);
    DELETE cl FROM CallLanguage cl
    WHERE EXISTS (SELECT 1 FROM deleted d WHERE d.CallId = cl.CallId AND d.Language = cl.Language)
      AND NOT EXISTS (SELECT 1 FROM Segment s WHERE s.CallId = cl.CallId AND s.Language = cl.Language);
END');
