-- Reviewers' annotations on a call's timeline: the moment a customer's need went unmet ("unmet"), or a
-- moment worth copying ("exemplary"). Categories are a managed list; deleting an annotation keeps the row
-- (DeletedAt) and every change is kept in AnnotationChange, so exercises and disputes never lose history.
CREATE TABLE NeedCategory (
    Code NVARCHAR(64) NOT NULL PRIMARY KEY,
    Name NVARCHAR(200) NOT NULL,
    Description NVARCHAR(1000) NOT NULL,
    SortOrder INT NOT NULL,
    IsActive BIT NOT NULL DEFAULT 1
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
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Kind NVARCHAR(16) NOT NULL,
    StartMs BIGINT NOT NULL,
    EndMs BIGINT NULL,
    CategoryCode NVARCHAR(64) NOT NULL REFERENCES NeedCategory (Code),
    Severity INT NULL,
    Quote NVARCHAR(MAX) NOT NULL DEFAULT '',
    Expected NVARCHAR(MAX) NOT NULL DEFAULT '',
    AuthorUserId INT NOT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL,
    UpdatedAt DATETIMEOFFSET NOT NULL,
    DeletedAt DATETIMEOFFSET NULL
);

CREATE INDEX IX_Annotation_CallId_StartMs ON Annotation (CallId, StartMs);

CREATE TABLE AnnotationChange (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    AnnotationId INT NOT NULL REFERENCES Annotation (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id),
    Action NVARCHAR(16) NOT NULL,
    Snapshot NVARCHAR(MAX) NOT NULL,
    ChangedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_AnnotationChange_AnnotationId ON AnnotationChange (AnnotationId);

-- Calibration: a supervisor sends one call to several reviewers. Their annotations and scorecards carry the
-- session id, so they stay out of the call's own review and hidden from each other until all have submitted.
CREATE TABLE CalibrationSession (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Title NVARCHAR(200) NOT NULL,
    BenchmarkUserId INT NULL REFERENCES UserAccount (Id),
    CreatedByUserId INT NOT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE TABLE CalibrationParticipant (
    SessionId INT NOT NULL REFERENCES CalibrationSession (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id),
    SubmittedAt DATETIMEOFFSET NULL,
    PRIMARY KEY (SessionId, UserId)
);

CREATE INDEX IX_CalibrationParticipant_UserId ON CalibrationParticipant (UserId);

ALTER TABLE Annotation ADD CalibrationSessionId INT NULL REFERENCES CalibrationSession (Id);

-- Scorecards: a rubric is edited by publishing a new version; results point at the version they were scored
-- with, so old scores stay valid. Criteria are grouped by Section; Scale is 'points' (0..MaxPoints) or 'yesno'.
-- An auto-fail criterion answered 0/no makes the whole score 0.
CREATE TABLE Rubric (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Name NVARCHAR(200) NOT NULL,
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE TABLE RubricVersion (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    RubricId INT NOT NULL REFERENCES Rubric (Id),
    Number INT NOT NULL,
    IsCurrent BIT NOT NULL,
    CreatedByUserId INT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL,
    UNIQUE (RubricId, Number)
);

CREATE TABLE RubricCriterion (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    RubricVersionId INT NOT NULL REFERENCES RubricVersion (Id),
    Section NVARCHAR(100) NOT NULL,
    Title NVARCHAR(200) NOT NULL,
    Guidance NVARCHAR(1000) NOT NULL DEFAULT '',
    Scale NVARCHAR(16) NOT NULL,
    MaxPoints INT NOT NULL,
    Weight FLOAT NOT NULL,
    IsAutoFail BIT NOT NULL DEFAULT 0,
    SortOrder INT NOT NULL
);

CREATE INDEX IX_RubricCriterion_RubricVersionId ON RubricCriterion (RubricVersionId);

INSERT INTO Rubric (Name, CreatedAt) VALUES ('Customer service call', '2025-01-01T00:00:00Z');
INSERT INTO RubricVersion (RubricId, Number, IsCurrent, CreatedByUserId, CreatedAt) VALUES (1, 1, 1, NULL, '2025-01-01T00:00:00Z');
INSERT INTO RubricCriterion (RubricVersionId, Section, Title, Guidance, Scale, MaxPoints, Weight, IsAutoFail, SortOrder) VALUES
    (1, 'Knowledge', 'Product knowledge accuracy', 'Information given was correct and complete.', 'points', 4, 3, 0, 10),
    (1, 'Knowledge', 'No wrong or harmful information', 'Answer no if the agent gave information that could harm the customer.', 'yesno', 1, 1, 1, 20),
    (1, 'Manner', 'Tone', 'Courteous, calm, never curt or condescending.', 'points', 4, 2, 0, 30),
    (1, 'Manner', 'Empathy', 'Acknowledged the customer''s feelings and situation.', 'points', 4, 2, 0, 40),
    (1, 'Outcome', 'Ownership and timeliness', 'Took responsibility, kept holds short, set a clear follow-up.', 'points', 4, 2, 0, 50),
    (1, 'Outcome', 'Resolution', 'The customer''s need was resolved or a clear path agreed.', 'yesno', 1, 3, 0, 60);

CREATE TABLE ScorecardResult (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    RubricVersionId INT NOT NULL REFERENCES RubricVersion (Id),
    ReviewerUserId INT NOT NULL REFERENCES UserAccount (Id),
    CalibrationSessionId INT NULL REFERENCES CalibrationSession (Id),
    Score FLOAT NOT NULL,
    AutoFailed BIT NOT NULL,
    Comment NVARCHAR(MAX) NOT NULL DEFAULT '',
    CreatedAt DATETIMEOFFSET NOT NULL,
    UpdatedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_ScorecardResult_CallId ON ScorecardResult (CallId);

-- Points NULL = not applicable; CitedAnnotationIds is a comma-separated list of annotation ids on the same call.
CREATE TABLE ScorecardAnswer (
    ResultId INT NOT NULL REFERENCES ScorecardResult (Id) ON DELETE CASCADE,
    CriterionId INT NOT NULL REFERENCES RubricCriterion (Id),
    Points INT NULL,
    Note NVARCHAR(MAX) NOT NULL DEFAULT '',
    CitedAnnotationIds NVARCHAR(1000) NOT NULL DEFAULT '',
    PRIMARY KEY (ResultId, CriterionId)
);

-- Agents see their reviewed calls, acknowledge them, or dispute one annotation or one criterion; a
-- supervisor resolves the dispute (kept, changed, removed) and the resolution is kept with it.
CREATE TABLE ReviewAcknowledgement (
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id),
    AcknowledgedAt DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (CallId, UserId)
);

CREATE TABLE Dispute (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    AgentUserId INT NOT NULL REFERENCES UserAccount (Id),
    AnnotationId INT NULL REFERENCES Annotation (Id),
    ResultId INT NULL REFERENCES ScorecardResult (Id),
    CriterionId INT NULL REFERENCES RubricCriterion (Id),
    Comment NVARCHAR(MAX) NOT NULL,
    Status NVARCHAR(16) NOT NULL,
    Resolution NVARCHAR(MAX) NULL,
    ResolvedByUserId INT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL,
    ResolvedAt DATETIMEOFFSET NULL
);

CREATE INDEX IX_Dispute_CallId ON Dispute (CallId);

-- Transcript search on SQL Server uses LIKE on Segment.Text (see SqlDialect.TextSearch); no index table here.
