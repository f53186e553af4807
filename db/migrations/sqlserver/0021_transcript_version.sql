-- A call's transcript version: raised by triggers whenever its transcript lines, its muted spans (Redaction) or its
-- language change, whoever writes them (the transcription job, redaction, retention's erasure, a customer's
-- request). The review page keeps the parts it reads from these under (call, version) in memory, so they are read
-- and rendered once per version instead of on every view, and any change is a new version, seen on the next view.
ALTER TABLE Call ADD TranscriptVersion BIGINT NOT NULL CONSTRAINT DF_Call_TranscriptVersion DEFAULT 0;

-- CREATE TRIGGER must open its batch; the migration runs as one.
EXEC (N'CREATE TRIGGER Segment_TranscriptVersion ON Segment AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1
    WHERE Id IN (SELECT CallId FROM inserted UNION SELECT CallId FROM deleted);
END');

EXEC (N'CREATE TRIGGER Redaction_TranscriptVersion ON Redaction AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1
    WHERE Id IN (SELECT CallId FROM inserted UNION SELECT CallId FROM deleted);
END');

EXEC (N'CREATE TRIGGER Call_TranscriptVersion_Language ON Call AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(Language)
        UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id IN (SELECT Id FROM inserted);
END');
