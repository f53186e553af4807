-- Two concurrent saves of one reviewer's scorecard could both insert. One scorecard per call, reviewer and
-- calibration session is now a unique key (SQL Server's unique index treats NULLs as equal, so "no session"
-- counts once); duplicates made before are folded into the newest, disputes moved to it.
UPDATE d SET ResultId = k.KeepId
FROM Dispute d
JOIN ScorecardResult r ON r.Id = d.ResultId
JOIN (SELECT CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0) AS SessionKey, MAX(Id) AS KeepId
      FROM ScorecardResult GROUP BY CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0)) k
  ON k.CallId = r.CallId AND k.ReviewerUserId = r.ReviewerUserId AND k.SessionKey = COALESCE(r.CalibrationSessionId, 0);

DELETE FROM ScorecardAnswer WHERE ResultId NOT IN (
    SELECT MAX(Id) FROM ScorecardResult GROUP BY CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0));

DELETE FROM ScorecardResult WHERE Id NOT IN (
    SELECT MAX(Id) FROM ScorecardResult GROUP BY CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0));

CREATE UNIQUE INDEX UX_ScorecardResult_Reviewer ON ScorecardResult (CallId, ReviewerUserId, CalibrationSessionId);
