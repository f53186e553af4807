-- The languages a call's transcript lines are in, one row per call and language, kept in step with Segment by
-- triggers (the transcription job, redaction and erasure write Segment). The transcript search's language filter
-- lists the languages of the calls the user may see from here, instead of reading the Segment language index whole
-- (every line of every call) on each load of the review queue. Segment (CallId, Language) replaces the language
-- index: it answers "does this call still have a line in this language" when lines go.
CREATE TABLE CallLanguage (
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Language TEXT NOT NULL,
    PRIMARY KEY (CallId, Language)
) WITHOUT ROWID;

DROP INDEX IX_Segment_Language;
CREATE INDEX IX_Segment_CallId_Language ON Segment (CallId, Language);

INSERT INTO CallLanguage (CallId, Language) SELECT DISTINCT CallId, Language FROM Segment WHERE Language IS NOT NULL;

CREATE TRIGGER Segment_CallLanguage_Insert AFTER INSERT ON Segment WHEN new.Language IS NOT NULL BEGIN
    INSERT OR IGNORE INTO CallLanguage (CallId, Language) VALUES (new.CallId, new.Language);
END;

CREATE TRIGGER Segment_CallLanguage_Delete AFTER DELETE ON Segment WHEN old.Language IS NOT NULL BEGIN
    DELETE FROM CallLanguage WHERE CallId = old.CallId AND Language = old.Language
        AND NOT EXISTS (SELECT 1 FROM Segment WHERE CallId = old.CallId AND Language = old.Language);
END;

CREATE TRIGGER Segment_CallLanguage_Update AFTER UPDATE OF CallId, Language ON Segment BEGIN
    INSERT OR IGNORE INTO CallLanguage (CallId, Language) SELECT new.CallId, new.Language WHERE new.Language IS NOT NULL;
    DELETE FROM CallLanguage WHERE CallId = old.CallId AND Language = old.Language
        AND NOT EXISTS (SELECT 1 FROM Segment WHERE CallId = old.CallId AND Language = old.Language);
END;
