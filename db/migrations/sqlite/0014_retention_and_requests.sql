-- Retention and customers' access and erasure requests (issue 15).
-- A team may keep calls for a number of days (NULL = forever); the period applies only once an admin has seen
-- its preview and confirmed it (RetentionConfirmedAt; changing the period clears it). Past the period the worker
-- deletes a call's audio and anonymises its transcript (RetainedAt); an erasure request does the same at once and
-- more (ErasedAt). Calls are found for a request by their external reference or the customer's phone number,
-- stored as digits only. An exercise marked as training material keeps its call's excerpt through retention.
-- RetentionRun logs every run of the schedule.
ALTER TABLE Team ADD COLUMN RetentionDays INTEGER NULL;
ALTER TABLE Team ADD COLUMN RetentionConfirmedAt TEXT NULL;

ALTER TABLE Call ADD COLUMN CustomerPhone TEXT NULL;
ALTER TABLE Call ADD COLUMN RetainedAt TEXT NULL;
ALTER TABLE Call ADD COLUMN ErasedAt TEXT NULL;

CREATE INDEX IX_Call_ExternalRef ON Call (ExternalRef);
CREATE INDEX IX_Call_CustomerPhone ON Call (CustomerPhone);

ALTER TABLE Exercise ADD COLUMN IsTrainingMaterial INTEGER NOT NULL DEFAULT 0;

CREATE TABLE RetentionRun (
    Id INTEGER PRIMARY KEY,
    StartedAt TEXT NOT NULL,
    FinishedAt TEXT NULL,
    CallsAnonymised INTEGER NOT NULL DEFAULT 0,
    FilesDeleted INTEGER NOT NULL DEFAULT 0,
    AuditEntriesPruned INTEGER NOT NULL DEFAULT 0,
    Error TEXT NULL
);

CREATE INDEX IX_RetentionRun_StartedAt ON RetentionRun (StartedAt);
