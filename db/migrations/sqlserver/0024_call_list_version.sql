-- One installation-wide version of what the calls list shows: raised by triggers on every change of a call's listed
-- fields, of a transcription job, of a team, of a team's members and of a user's display name (the agent's name).
-- The calls list keeps its pages in memory under it (read in one query per request), so a page is read and rendered
-- once per change instead of on every view, and any change, by whichever process, is a new key seen on the next view.
CREATE TABLE CallListVersion (
    Id INT NOT NULL PRIMARY KEY CHECK (Id = 1),
    Version BIGINT NOT NULL
);
INSERT INTO CallListVersion (Id, Version) VALUES (1, 0);

-- CREATE TRIGGER must open its batch; the migration runs as one. On an update, only the listed columns count, not the
-- columns triggers keep (TranscriptVersion, AnnotationVersion): an annotation is no change to the list.
EXEC (N'CREATE TRIGGER Call_ListVersion ON Call AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    IF NOT EXISTS (SELECT 1 FROM inserted) OR NOT EXISTS (SELECT 1 FROM deleted)
       OR UPDATE(Title) OR UPDATE(TeamId) OR UPDATE(AgentUserId) OR UPDATE(AgentName) OR UPDATE(StartedAt) OR UPDATE(CreatedAt)
       OR UPDATE(DurationMs) OR UPDATE(Language) OR UPDATE(IsSample) OR UPDATE(ExternalRef)
        UPDATE CallListVersion SET Version = Version + 1;
END');

-- Not a lease's renewal: only what the list shows (status, progress, error) or filters by.
EXEC (N'CREATE TRIGGER TranscriptionJob_ListVersion ON TranscriptionJob AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    IF NOT EXISTS (SELECT 1 FROM inserted) OR NOT EXISTS (SELECT 1 FROM deleted)
       OR UPDATE(CallId) OR UPDATE(Status) OR UPDATE(Progress) OR UPDATE(Error)
        UPDATE CallListVersion SET Version = Version + 1;
END');

EXEC (N'CREATE TRIGGER Team_ListVersion ON Team AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE CallListVersion SET Version = Version + 1;
END');

EXEC (N'CREATE TRIGGER TeamMember_ListVersion ON TeamMember AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE CallListVersion SET Version = Version + 1;
END');

EXEC (N'CREATE TRIGGER UserAccount_ListVersion ON UserAccount AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(DisplayName)
        UPDATE CallListVersion SET Version = Version + 1;
END');
