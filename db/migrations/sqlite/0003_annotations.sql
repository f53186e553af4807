-- Reviewers' annotations on a call's timeline: the moment a customer's need went unmet ("unmet"), or a
-- moment worth copying ("exemplary"). Categories are a managed list; deleting an annotation keeps the row
-- (DeletedAt) and every change is kept in AnnotationChange, so exercises and disputes never lose history.
CREATE TABLE NeedCategory (
    Code TEXT NOT NULL PRIMARY KEY,
    Name TEXT NOT NULL,
    Description TEXT NOT NULL,
    SortOrder INTEGER NOT NULL,
    IsActive INTEGER NOT NULL DEFAULT 1
);

INSERT INTO NeedCategory (Code, Name, Description, SortOrder) VALUES
    ('information-not-given', 'Information not given', 'The customer did not get information they needed.', 10),
    ('wrong-information', 'Wrong information', 'The agent gave inaccurate product or policy information.', 20),
    ('no-ownership', 'No ownership / follow-up', 'Nobody took responsibility or promised a follow-up that would happen.', 30),
    ('timeliness', 'Timeliness / long hold', 'The customer waited too long, was put on hold or transferred needlessly.', 40),
    ('complaint-mishandled', 'Complaint mishandled', 'A complaint was dismissed, argued with or not escalated.', 50),
    ('no-empathy', 'No empathy', 'The customer''s feelings or situation were not acknowledged.', 60),
    ('not-listening', 'Not listening / interrupting', 'The agent interrupted, talked over or ignored what was said.', 70),
    ('missed-opportunity', 'Missed opportunity / proactivity', 'The agent missed a chance to anticipate a need or prevent a problem.', 80),
    ('rude-tone', 'Rude tone', 'The tone was curt, condescending or rude.', 90),
    ('unresolved', 'Unresolved', 'The call ended with the customer''s need unresolved.', 100);

CREATE TABLE Annotation (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Kind TEXT NOT NULL,
    StartMs INTEGER NOT NULL,
    EndMs INTEGER NULL,
    CategoryCode TEXT NOT NULL REFERENCES NeedCategory (Code),
    Severity INTEGER NULL,
    Quote TEXT NOT NULL DEFAULT '',
    Expected TEXT NOT NULL DEFAULT '',
    AuthorUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL,
    DeletedAt TEXT NULL
);

CREATE INDEX IX_Annotation_CallId_StartMs ON Annotation (CallId, StartMs);

CREATE TABLE AnnotationChange (
    Id INTEGER PRIMARY KEY,
    AnnotationId INTEGER NOT NULL REFERENCES Annotation (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    Action TEXT NOT NULL,
    Snapshot TEXT NOT NULL,
    ChangedAt TEXT NOT NULL
);

CREATE INDEX IX_AnnotationChange_AnnotationId ON AnnotationChange (AnnotationId);

-- Calibration: a supervisor sends one call to several reviewers. Their annotations and scorecards carry the
-- session id, so they stay out of the call's own review and hidden from each other until all have submitted.
CREATE TABLE CalibrationSession (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Title TEXT NOT NULL,
    BenchmarkUserId INTEGER NULL REFERENCES UserAccount (Id),
    CreatedByUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL
);

CREATE TABLE CalibrationParticipant (
    SessionId INTEGER NOT NULL REFERENCES CalibrationSession (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    SubmittedAt TEXT NULL,
    PRIMARY KEY (SessionId, UserId)
);

CREATE INDEX IX_CalibrationParticipant_UserId ON CalibrationParticipant (UserId);

ALTER TABLE Annotation ADD COLUMN CalibrationSessionId INTEGER NULL REFERENCES CalibrationSession (Id);

-- Scorecards: a rubric is edited by publishing a new version; results point at the version they were scored
-- with, so old scores stay valid. Criteria are grouped by Section; Scale is 'points' (0..MaxPoints) or 'yesno'.
-- An auto-fail criterion answered 0/no makes the whole score 0.
CREATE TABLE Rubric (
    Id INTEGER PRIMARY KEY,
    Name TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);

CREATE TABLE RubricVersion (
    Id INTEGER PRIMARY KEY,
    RubricId INTEGER NOT NULL REFERENCES Rubric (Id),
    Number INTEGER NOT NULL,
    IsCurrent INTEGER NOT NULL,
    CreatedByUserId INTEGER NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL,
    UNIQUE (RubricId, Number)
);

CREATE TABLE RubricCriterion (
    Id INTEGER PRIMARY KEY,
    RubricVersionId INTEGER NOT NULL REFERENCES RubricVersion (Id),
    Section TEXT NOT NULL,
    Title TEXT NOT NULL,
    Guidance TEXT NOT NULL DEFAULT '',
    Scale TEXT NOT NULL,
    MaxPoints INTEGER NOT NULL,
    Weight REAL NOT NULL,
    IsAutoFail INTEGER NOT NULL DEFAULT 0,
    SortOrder INTEGER NOT NULL
);

CREATE INDEX IX_RubricCriterion_RubricVersionId ON RubricCriterion (RubricVersionId);

INSERT INTO Rubric (Id, Name, CreatedAt) VALUES (1, 'Customer service call', '2025-01-01T00:00:00.0000000Z');
INSERT INTO RubricVersion (Id, RubricId, Number, IsCurrent, CreatedByUserId, CreatedAt) VALUES (1, 1, 1, 1, NULL, '2025-01-01T00:00:00.0000000Z');
INSERT INTO RubricCriterion (RubricVersionId, Section, Title, Guidance, Scale, MaxPoints, Weight, IsAutoFail, SortOrder) VALUES
    (1, 'Knowledge', 'Product knowledge accuracy', 'Information given was correct and complete.', 'points', 4, 3, 0, 10),
    (1, 'Knowledge', 'No wrong or harmful information', 'Answer no if the agent gave information that could harm the customer.', 'yesno', 1, 1, 1, 20),
    (1, 'Manner', 'Tone', 'Courteous, calm, never curt or condescending.', 'points', 4, 2, 0, 30),
    (1, 'Manner', 'Empathy', 'Acknowledged the customer''s feelings and situation.', 'points', 4, 2, 0, 40),
    (1, 'Outcome', 'Ownership and timeliness', 'Took responsibility, kept holds short, set a clear follow-up.', 'points', 4, 2, 0, 50),
    (1, 'Outcome', 'Resolution', 'The customer''s need was resolved or a clear path agreed.', 'yesno', 1, 3, 0, 60);

CREATE TABLE ScorecardResult (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    RubricVersionId INTEGER NOT NULL REFERENCES RubricVersion (Id),
    ReviewerUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    CalibrationSessionId INTEGER NULL REFERENCES CalibrationSession (Id),
    Score REAL NOT NULL,
    AutoFailed INTEGER NOT NULL,
    Comment TEXT NOT NULL DEFAULT '',
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL
);

CREATE INDEX IX_ScorecardResult_CallId ON ScorecardResult (CallId);

-- Points NULL = not applicable; CitedAnnotationIds is a comma-separated list of annotation ids on the same call.
CREATE TABLE ScorecardAnswer (
    ResultId INTEGER NOT NULL REFERENCES ScorecardResult (Id) ON DELETE CASCADE,
    CriterionId INTEGER NOT NULL REFERENCES RubricCriterion (Id),
    Points INTEGER NULL,
    Note TEXT NOT NULL DEFAULT '',
    CitedAnnotationIds TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (ResultId, CriterionId)
);

-- Agents see their reviewed calls, acknowledge them, or dispute one annotation or one criterion; a
-- supervisor resolves the dispute (kept, changed, removed) and the resolution is kept with it.
CREATE TABLE ReviewAcknowledgement (
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    AcknowledgedAt TEXT NOT NULL,
    PRIMARY KEY (CallId, UserId)
);

CREATE TABLE Dispute (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    AgentUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    AnnotationId INTEGER NULL REFERENCES Annotation (Id),
    ResultId INTEGER NULL REFERENCES ScorecardResult (Id),
    CriterionId INTEGER NULL REFERENCES RubricCriterion (Id),
    Comment TEXT NOT NULL,
    Status TEXT NOT NULL,
    Resolution TEXT NULL,
    ResolvedByUserId INTEGER NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL,
    ResolvedAt TEXT NULL
);

CREATE INDEX IX_Dispute_CallId ON Dispute (CallId);

-- Full-text search over transcripts: an external-content FTS5 index over Segment, kept in step by triggers.
-- (SQL Server has no equivalent here; the dialect falls back to LIKE on Segment.Text.)
CREATE VIRTUAL TABLE SegmentFts USING fts5(Text, content='Segment', content_rowid='Id', tokenize='unicode61 remove_diacritics 2');

CREATE TRIGGER Segment_Fts_Insert AFTER INSERT ON Segment BEGIN
    INSERT INTO SegmentFts (rowid, Text) VALUES (new.Id, new.Text);
END;

CREATE TRIGGER Segment_Fts_Delete AFTER DELETE ON Segment BEGIN
    INSERT INTO SegmentFts (SegmentFts, rowid, Text) VALUES ('delete', old.Id, old.Text);
END;

CREATE TRIGGER Segment_Fts_Update AFTER UPDATE OF Text ON Segment BEGIN
    INSERT INTO SegmentFts (SegmentFts, rowid, Text) VALUES ('delete', old.Id, old.Text);
    INSERT INTO SegmentFts (rowid, Text) VALUES (new.Id, new.Text);
END;

INSERT INTO SegmentFts (SegmentFts) VALUES ('rebuild');
