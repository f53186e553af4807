-- Calls and their transcripts. A Call is the conversation (who, when, which team); its Recording is the
-- stored audio (content-addressed by sha256, so the same file uploaded twice is found again); a
-- TranscriptionJob is one attempt queue entry claimed by a worker with a lease; Segments are the
-- transcript turns on the call's clock, in integer milliseconds, replaced as a whole when a job finishes.
CREATE TABLE Call (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Title NVARCHAR(400) NOT NULL,
    TeamId INT NULL REFERENCES Team (Id),
    AgentUserId INT NULL REFERENCES UserAccount (Id),
    AgentName NVARCHAR(200) NULL,
    StartedAt DATETIMEOFFSET NULL,
    Direction NVARCHAR(16) NULL,
    Layout NVARCHAR(16) NOT NULL,
    ExternalRef NVARCHAR(200) NULL,
    DurationMs BIGINT NOT NULL,
    Language NVARCHAR(16) NULL,
    IsSample BIT NOT NULL DEFAULT 0,
    UploadedByUserId INT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_Call_TeamId_StartedAt ON Call (TeamId, StartedAt);
CREATE INDEX IX_Call_AgentUserId ON Call (AgentUserId);

CREATE TABLE CallTag (
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Tag NVARCHAR(100) NOT NULL,
    PRIMARY KEY (CallId, Tag)
);

CREATE TABLE Recording (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL UNIQUE REFERENCES Call (Id) ON DELETE CASCADE,
    Sha256 CHAR(64) NOT NULL UNIQUE,
    OriginalFileName NVARCHAR(400) NOT NULL,
    OriginalPath NVARCHAR(400) NOT NULL,
    SizeBytes BIGINT NOT NULL,
    Format NVARCHAR(100) NOT NULL,
    Codec NVARCHAR(100) NOT NULL,
    Channels INT NOT NULL,
    SampleRate INT NOT NULL,
    PlaybackPath NVARCHAR(400) NULL,
    PeaksPath NVARCHAR(400) NULL,
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE TABLE TranscriptionJob (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Status NVARCHAR(16) NOT NULL,
    Model NVARCHAR(400) NULL,
    Language NVARCHAR(16) NOT NULL,
    Attempts INT NOT NULL DEFAULT 0,
    MaxAttempts INT NOT NULL,
    Progress FLOAT NOT NULL DEFAULT 0,
    LeaseOwner NVARCHAR(200) NULL,
    LeaseExpiresAt DATETIMEOFFSET NULL,
    Error NVARCHAR(MAX) NULL,
    RequestedByUserId INT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL,
    StartedAt DATETIMEOFFSET NULL,
    FinishedAt DATETIMEOFFSET NULL
);

CREATE INDEX IX_TranscriptionJob_Status ON TranscriptionJob (Status, LeaseExpiresAt);
CREATE INDEX IX_TranscriptionJob_CallId ON TranscriptionJob (CallId);

CREATE TABLE Segment (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    JobId INT NULL REFERENCES TranscriptionJob (Id),
    Seq INT NOT NULL,
    Channel INT NOT NULL,
    Speaker NVARCHAR(16) NOT NULL,
    StartMs BIGINT NOT NULL,
    EndMs BIGINT NOT NULL,
    Text NVARCHAR(MAX) NOT NULL,
    Language NVARCHAR(16) NULL
);

CREATE INDEX IX_Segment_CallId_StartMs ON Segment (CallId, StartMs);

CREATE TABLE ApiKey (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    Name NVARCHAR(200) NOT NULL,
    Prefix NVARCHAR(16) NOT NULL,
    KeyHash CHAR(64) NOT NULL UNIQUE,
    CreatedAt DATETIMEOFFSET NOT NULL,
    LastUsedAt DATETIMEOFFSET NULL,
    RevokedAt DATETIMEOFFSET NULL
);
