-- Trends. An agent counts for the team they were in when the call happened, not the team they are in today,
-- so team membership keeps its history (ToAt NULL = still a member); today's memberships are backfilled from
-- the user's creation. The indexes serve the dashboard: reviews by date, annotations per call, attempts,
-- disputes and calibration sessions by date.
CREATE TABLE TeamMembership (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    TeamId INT NOT NULL REFERENCES Team (Id) ON DELETE CASCADE,
    FromAt DATETIMEOFFSET NOT NULL,
    ToAt DATETIMEOFFSET NULL
);

CREATE INDEX IX_TeamMembership_UserId ON TeamMembership (UserId, TeamId, FromAt);
CREATE INDEX IX_TeamMembership_TeamId ON TeamMembership (TeamId);

INSERT INTO TeamMembership (UserId, TeamId, FromAt)
SELECT m.UserId, m.TeamId, u.CreatedAt FROM TeamMember m JOIN UserAccount u ON u.Id = m.UserId;

CREATE INDEX IX_ScorecardResult_CreatedAt ON ScorecardResult (CreatedAt, CalibrationSessionId);
CREATE INDEX IX_Call_StartedAt ON Call (StartedAt);
CREATE INDEX IX_Annotation_Trends ON Annotation (CallId, Kind, CategoryCode, CalibrationSessionId, DeletedAt, StartMs);
CREATE INDEX IX_Attempt_SubmittedAt ON Attempt (SubmittedAt);
CREATE INDEX IX_Dispute_CreatedAt ON Dispute (CreatedAt);
CREATE INDEX IX_CalibrationSession_CreatedAt ON CalibrationSession (CreatedAt);
