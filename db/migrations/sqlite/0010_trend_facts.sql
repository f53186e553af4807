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
    CallId INTEGER NOT NULL PRIMARY KEY REFERENCES Call (Id) ON DELETE CASCADE,
    ResultId INTEGER NOT NULL,
    AgentUserId INTEGER NULL,
    Teams TEXT NOT NULL,
    CallDay INTEGER NOT NULL,
    ReviewDay INTEGER NOT NULL,
    RubricVersionId INTEGER NOT NULL,
    Score REAL NOT NULL,
    AutoFailed INTEGER NOT NULL,
    Unmet INTEGER NOT NULL,
    Model INTEGER NOT NULL
);

CREATE INDEX IX_TrendCall_CallDay ON TrendCall (CallDay, Teams);
CREATE INDEX IX_TrendCall_ReviewDay ON TrendCall (ReviewDay, Teams);
CREATE INDEX IX_TrendCall_Agent ON TrendCall (AgentUserId, CallDay);
CREATE INDEX IX_TrendCall_ResultId ON TrendCall (ResultId);

CREATE TABLE TrendCallCategory (
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    CategoryCode TEXT NOT NULL,
    Unmet INTEGER NOT NULL,
    PRIMARY KEY (CallId, CategoryCode)
);

CREATE TABLE TrendTeams (
    Teams TEXT NOT NULL,
    TeamId INTEGER NOT NULL,
    PRIMARY KEY (Teams, TeamId)
);

CREATE INDEX IX_TrendTeams_TeamId ON TrendTeams (TeamId, Teams);

CREATE TABLE TrendDayCategory (
    DateBasis TEXT NOT NULL,
    LocalDay INTEGER NOT NULL,
    Teams TEXT NOT NULL,
    CategoryCode TEXT NOT NULL,
    UnmetSum INTEGER NOT NULL,
    UnmetSquares INTEGER NOT NULL,
    PRIMARY KEY (DateBasis, LocalDay, Teams, CategoryCode)
);

CREATE TABLE TrendDayCriterion (
    DateBasis TEXT NOT NULL,
    LocalDay INTEGER NOT NULL,
    Teams TEXT NOT NULL,
    CriterionId INTEGER NOT NULL,
    Points INTEGER NULL,
    Answers INTEGER NOT NULL
);

CREATE INDEX IX_TrendDayCriterion_Day ON TrendDayCriterion (DateBasis, LocalDay, Teams);

CREATE TABLE TrendFactState (
    Id INTEGER NOT NULL PRIMARY KEY,
    TimeZone TEXT NOT NULL,
    BuiltAt TEXT NOT NULL
);

DROP INDEX IX_Annotation_CalibrationSessionId;
CREATE INDEX IX_Annotation_CalibrationSessionId ON Annotation (CalibrationSessionId) WHERE CalibrationSessionId IS NOT NULL;
