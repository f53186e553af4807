-- Calls and their transcripts. A Call is the conversation (who, when, which team); its Recording is the
-- stored audio (content-addressed by sha256, so the same file uploaded twice is found again); a
-- TranscriptionJob is one attempt queue entry claimed by a worker with a lease; Segments are the
-- transcript turns on the call's clock, in integer milliseconds, replaced as a whole when a job finishes.
CREATE TABLE Call (
    Id INTEGER PRIMARY KEY,
    Title TEXT NOT NULL,
    TeamId INTEGER NULL REFERENCES Team (Id),
    AgentUserId INTEGER NULL REFERENCES UserAccount (Id),
    AgentName TEXT NULL,
    StartedAt TEXT NULL,
    Direction TEXT NULL,
    Layout TEXT NOT NULL,
    ExternalRef TEXT NULL,
    DurationMs INTEGER NOT NULL,
    Language TEXT NULL,
    IsSample INTEGER NOT NULL DEFAULT 0,
    UploadedByUserId INTEGER NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL
);

CREATE INDEX IX_Call_TeamId_StartedAt ON Call (TeamId, StartedAt);
CREATE INDEX IX_Call_AgentUserId ON Call (AgentUserId);

CREATE TABLE CallTag (
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Tag TEXT NOT NULL,
    PRIMARY KEY (CallId, Tag)
);

CREATE TABLE Recording (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL UNIQUE REFERENCES Call (Id) ON DELETE CASCADE,
    Sha256 TEXT NOT NULL UNIQUE,
    OriginalFileName TEXT NOT NULL,
    OriginalPath TEXT NOT NULL,
    SizeBytes INTEGER NOT NULL,
    Format TEXT NOT NULL,
    Codec TEXT NOT NULL,
    Channels INTEGER NOT NULL,
    SampleRate INTEGER NOT NULL,
    PlaybackPath TEXT NULL,
    PeaksPath TEXT NULL,
    CreatedAt TEXT NOT NULL
);

CREATE TABLE TranscriptionJob (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Status TEXT NOT NULL,
    Model TEXT NULL,
    Language TEXT NOT NULL,
    Attempts INTEGER NOT NULL DEFAULT 0,
    MaxAttempts INTEGER NOT NULL,
    Progress REAL NOT NULL DEFAULT 0,
    LeaseOwner TEXT NULL,
    LeaseExpiresAt TEXT NULL,
    Error TEXT NULL,
    RequestedByUserId INTEGER NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL,
    StartedAt TEXT NULL,
    FinishedAt TEXT NULL
);

CREATE INDEX IX_TranscriptionJob_Status ON TranscriptionJob (Status, LeaseExpiresAt);
CREATE INDEX IX_TranscriptionJob_CallId ON TranscriptionJob (CallId);

CREATE TABLE Segment (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    JobId INTEGER NULL REFERENCES TranscriptionJob (Id),
    Seq INTEGER NOT NULL,
    Channel INTEGER NOT NULL,
    Speaker TEXT NOT NULL,
    StartMs INTEGER NOT NULL,
    EndMs INTEGER NOT NULL,
    Text TEXT NOT NULL,
    Language TEXT NULL
);

CREATE INDEX IX_Segment_CallId_StartMs ON Segment (CallId, StartMs);

CREATE TABLE ApiKey (
    Id INTEGER PRIMARY KEY,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    Name TEXT NOT NULL,
    Prefix TEXT NOT NULL,
    KeyHash TEXT NOT NULL UNIQUE,
    CreatedAt TEXT NOT NULL,
    LastUsedAt TEXT NULL,
    RevokedAt TEXT NULL
);
