-- One installation-wide version of what the calls list shows: raised by triggers on every change of a call's listed
-- fields, of a transcription job, of a team, of a team's members and of a user's display name (the agent's name).
-- The calls list keeps its pages in memory under it (read in one query per request), so a page is read and rendered
-- once per change instead of on every view, and any change, by whichever process, is a new key seen on the next view.
CREATE TABLE CallListVersion (
    Id INTEGER PRIMARY KEY CHECK (Id = 1),
    Version INTEGER NOT NULL
);
INSERT INTO CallListVersion (Id, Version) VALUES (1, 0);

CREATE TRIGGER Call_ListVersion_Insert AFTER INSERT ON Call BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

-- Not the columns triggers keep (TranscriptVersion, AnnotationVersion): an annotation is no change to the list.
CREATE TRIGGER Call_ListVersion_Update
AFTER UPDATE OF Title, TeamId, AgentUserId, AgentName, StartedAt, CreatedAt, DurationMs, Language, IsSample, ExternalRef ON Call BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER Call_ListVersion_Delete AFTER DELETE ON Call BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER TranscriptionJob_ListVersion_Insert AFTER INSERT ON TranscriptionJob BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

-- Not a lease's renewal: only what the list shows (status, progress, error) or filters by.
CREATE TRIGGER TranscriptionJob_ListVersion_Update AFTER UPDATE OF CallId, Status, Progress, Error ON TranscriptionJob BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER TranscriptionJob_ListVersion_Delete AFTER DELETE ON TranscriptionJob BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER Team_ListVersion_Insert AFTER INSERT ON Team BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER Team_ListVersion_Update AFTER UPDATE ON Team BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER Team_ListVersion_Delete AFTER DELETE ON Team BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER TeamMember_ListVersion_Insert AFTER INSERT ON TeamMember BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER TeamMember_ListVersion_Update AFTER UPDATE ON TeamMember BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER TeamMember_ListVersion_Delete AFTER DELETE ON TeamMember BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;

CREATE TRIGGER UserAccount_ListVersion AFTER UPDATE OF DisplayName ON UserAccount BEGIN
    UPDATE CallListVersion SET Version = Version + 1;
END;
