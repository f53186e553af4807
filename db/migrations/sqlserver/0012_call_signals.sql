-- Signals: explainable suggestions computed from a call's transcript turns (and its waveform peaks for hold) after
-- transcription, re-run when thresholds change. CallSignal is one suggestion: which rule fired, where, the measured
-- value against its threshold, who it is attributed to, and the reviewer's decision (suggested, accepted into
-- AnnotationId, or dismissed — kept, so a re-run does not suggest it again). CallSignalMeasure holds one call's
-- measures (talk, dead air, hold, interruptions), kept on write for the trends per agent and day.
-- TeamSignalSettings holds a team's thresholds and phrase lists as JSON; a team without a row uses the defaults.
CREATE TABLE CallSignal (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    RuleCode NVARCHAR(32) NOT NULL,
    StartMs BIGINT NOT NULL,
    EndMs BIGINT NOT NULL,
    Value FLOAT NOT NULL,
    Threshold FLOAT NOT NULL,
    Speaker NVARCHAR(16) NULL,
    Detail NVARCHAR(1000) NOT NULL,
    Status NVARCHAR(16) NOT NULL,
    AnnotationId INT NULL,
    DecidedByUserId INT NULL REFERENCES UserAccount (Id),
    DecidedAt DATETIMEOFFSET NULL,
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_CallSignal_CallId_StartMs ON CallSignal (CallId, StartMs);

CREATE TABLE CallSignalMeasure (
    CallId INT NOT NULL PRIMARY KEY REFERENCES Call (Id) ON DELETE CASCADE,
    AgentUserId INT NULL,
    CallDay INT NOT NULL,
    DurationMs BIGINT NOT NULL,
    AgentTalkMs BIGINT NOT NULL,
    CustomerTalkMs BIGINT NOT NULL,
    DeadAirMs BIGINT NOT NULL,
    HoldMs BIGINT NOT NULL,
    Interruptions INT NOT NULL,
    LongestMonologueMs BIGINT NOT NULL,
    ComputedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_CallSignalMeasure_Agent ON CallSignalMeasure (AgentUserId, CallDay);

CREATE TABLE TeamSignalSettings (
    TeamId INT NOT NULL PRIMARY KEY REFERENCES Team (Id) ON DELETE CASCADE,
    Settings NVARCHAR(MAX) NOT NULL,
    UpdatedByUserId INT NULL REFERENCES UserAccount (Id),
    UpdatedAt DATETIMEOFFSET NOT NULL
);
