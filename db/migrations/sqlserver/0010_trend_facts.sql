-- Trend facts, kept on write: counting a million annotations per dashboard view took seconds. TrendCall holds one
-- row per reviewed call (its first scorecard outside calibration) with the numbers the trends are made of, the
-- local days it counts on (day numbers in the reporting time zone, by call and by review date) and the teams its
-- agent was in at the time (TrendTeams lists the teams of each such set, so a scope matches a set without double
-- counting an agent in two teams). TrendCallCategory holds each call's unmet needs per category. The per-day
-- tables sum them per date basis, day and team set: what the team-wide charts read. TrendFactState says which
-- time zone the days were counted in, so a changed zone rebuilds them.
-- The calibration index becomes partial: as a full index, "CalibrationSessionId IS NULL" (nearly every annotation)
-- looked selective to the planner, which then read a million annotations instead of the few calls asked for.
CREATE TABLE TrendCall (
    CallId INT NOT NULL PRIMARY KEY REFERENCES Call (Id) ON DELETE CASCADE,
    ResultId INT NOT NULL,
    AgentUserId INT NULL,
    Teams NVARCHAR(100) NOT NULL,
    CallDay INT NOT NULL,
    ReviewDay INT NOT NULL,
    RubricVersionId INT NOT NULL,
    Score FLOAT NOT NULL,
    AutoFailed INT NOT NULL,
    Unmet INT NOT NULL,
    Model INT NOT NULL
);

CREATE INDEX IX_TrendCall_CallDay ON TrendCall (CallDay, Teams);
CREATE INDEX IX_TrendCall_ReviewDay ON TrendCall (ReviewDay, Teams);
CREATE INDEX IX_TrendCall_Agent ON TrendCall (AgentUserId, CallDay);
CREATE INDEX IX_TrendCall_ResultId ON TrendCall (ResultId);

CREATE TABLE TrendCallCategory (
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    CategoryCode NVARCHAR(64) NOT NULL,
    Unmet INT NOT NULL,
    PRIMARY KEY (CallId, CategoryCode)
);

CREATE TABLE TrendTeams (
    Teams NVARCHAR(100) NOT NULL,
    TeamId INT NOT NULL,
    PRIMARY KEY (Teams, TeamId)
);

CREATE INDEX IX_TrendTeams_TeamId ON TrendTeams (TeamId, Teams);

CREATE TABLE TrendDayCategory (
    DateBasis NVARCHAR(6) NOT NULL,
    LocalDay INT NOT NULL,
    Teams NVARCHAR(100) NOT NULL,
    CategoryCode NVARCHAR(64) NOT NULL,
    UnmetSum INT NOT NULL,
    UnmetSquares INT NOT NULL,
    PRIMARY KEY (DateBasis, LocalDay, Teams, CategoryCode)
);

CREATE TABLE TrendDayCriterion (
    DateBasis NVARCHAR(6) NOT NULL,
    LocalDay INT NOT NULL,
    Teams NVARCHAR(100) NOT NULL,
    CriterionId INT NOT NULL,
    Points INT NULL,
    Answers INT NOT NULL
);

CREATE INDEX IX_TrendDayCriterion_Day ON TrendDayCriterion (DateBasis, LocalDay, Teams);

CREATE TABLE TrendFactState (
    Id INT NOT NULL PRIMARY KEY,
    TimeZone NVARCHAR(100) NOT NULL,
    BuiltAt DATETIMEOFFSET NOT NULL
);

DROP INDEX IX_Annotation_CalibrationSessionId ON Annotation;
CREATE INDEX IX_Annotation_CalibrationSessionId ON Annotation (CalibrationSessionId) WHERE CalibrationSessionId IS NOT NULL;
