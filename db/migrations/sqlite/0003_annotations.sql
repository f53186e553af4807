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
