-- Signals: explainable suggestions computed from a call's transcript turns (and its waveform peaks for hold) after
-- transcription, re-run when thresholds change. CallSignal is one suggestion: which rule fired, where, the measured
-- value against its threshold, who it is attributed to, and the reviewer's decision (suggested, accepted into
-- AnnotationId, or dismissed — kept, so a re-run does not suggest it again). CallSignalMeasure holds one call's
-- measures (talk, dead air, hold, interruptions), kept on write for the trends per agent and day.
-- TeamSignalSettings holds a team's thresholds and phrase lists as JSON; a team without a row uses the defaults.
CREATE TABLE CallSignal (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    RuleCode TEXT NOT NULL,
    StartMs INTEGER NOT NULL,
    EndMs INTEGER NOT NULL,
    Value REAL NOT NULL,
    Threshold REAL NOT NULL,
    Speaker TEXT NULL,
    Detail TEXT NOT NULL,
    Status TEXT NOT NULL,
    AnnotationId INTEGER NULL,
    DecidedByUserId INTEGER NULL REFERENCES UserAccount (Id),
    DecidedAt TEXT NULL,
    CreatedAt TEXT NOT NULL
);

CREATE INDEX IX_CallSignal_CallId_StartMs ON CallSignal (CallId, StartMs);

CREATE TABLE CallSignalMeasure (
    CallId INTEGER NOT NULL PRIMARY KEY REFERENCES Call (Id) ON DELETE CASCADE,
    AgentUserId INTEGER NULL,
    CallDay INTEGER NOT NULL,
    DurationMs INTEGER NOT NULL,
    AgentTalkMs INTEGER NOT NULL,
    CustomerTalkMs INTEGER NOT NULL,
    DeadAirMs INTEGER NOT NULL,
    HoldMs INTEGER NOT NULL,
    Interruptions INTEGER NOT NULL,
    LongestMonologueMs INTEGER NOT NULL,
    ComputedAt TEXT NOT NULL
);

CREATE INDEX IX_CallSignalMeasure_Agent ON CallSignalMeasure (AgentUserId, CallDay);

CREATE TABLE TeamSignalSettings (
    TeamId INTEGER NOT NULL PRIMARY KEY REFERENCES Team (Id) ON DELETE CASCADE,
    Settings TEXT NOT NULL,
    UpdatedByUserId INTEGER NULL REFERENCES UserAccount (Id),
    UpdatedAt TEXT NOT NULL
);
