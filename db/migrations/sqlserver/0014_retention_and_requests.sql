-- Retention and customers' access and erasure requests (issue 15).
-- A team may keep calls for a number of days (NULL = forever); the period applies only once an admin has seen
-- its preview and confirmed it (RetentionConfirmedAt; changing the period clears it). Past the period the worker
-- deletes a call's audio and anonymises its transcript (RetainedAt); an erasure request does the same at once and
-- more (ErasedAt). Calls are found for a request by their external reference or the customer's phone number,
-- stored as digits only. An exercise marked as training material keeps its call's excerpt through retention.
-- RetentionRun logs every run of the schedule.
ALTER TABLE Team ADD RetentionDays INT NULL, RetentionConfirmedAt DATETIMEOFFSET NULL;

ALTER TABLE Call ADD CustomerPhone NVARCHAR(32) NULL, RetainedAt DATETIMEOFFSET NULL, ErasedAt DATETIMEOFFSET NULL;

CREATE INDEX IX_Call_ExternalRef ON Call (ExternalRef);
CREATE INDEX IX_Call_CustomerPhone ON Call (CustomerPhone);

ALTER TABLE Exercise ADD IsTrainingMaterial BIT NOT NULL DEFAULT 0;

CREATE TABLE RetentionRun (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    StartedAt DATETIMEOFFSET NOT NULL,
    FinishedAt DATETIMEOFFSET NULL,
    CallsAnonymised INT NOT NULL DEFAULT 0,
    FilesDeleted INT NOT NULL DEFAULT 0,
    AuditEntriesPruned INT NOT NULL DEFAULT 0,
    Error NVARCHAR(1000) NULL
);

CREATE INDEX IX_RetentionRun_StartedAt ON RetentionRun (StartedAt);
