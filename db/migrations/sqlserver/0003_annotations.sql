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
