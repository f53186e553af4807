-- Two concurrent saves of one reviewer's scorecard could both insert. One scorecard per call, reviewer and
-- calibration session (none = 0) is now a unique key; duplicates made before are folded into the newest,
-- disputes moved to it, so the index can be built.
UPDATE Dispute SET ResultId = (
    SELECT MAX(k.Id) FROM ScorecardResult k JOIN ScorecardResult d ON d.Id = Dispute.ResultId
    WHERE k.CallId = d.CallId AND k.ReviewerUserId = d.ReviewerUserId
      AND COALESCE(k.CalibrationSessionId, 0) = COALESCE(d.CalibrationSessionId, 0))
WHERE ResultId IS NOT NULL;

DELETE FROM ScorecardAnswer WHERE ResultId NOT IN (
    SELECT MAX(Id) FROM ScorecardResult GROUP BY CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0));

DELETE FROM ScorecardResult WHERE Id NOT IN (
    SELECT MAX(Id) FROM ScorecardResult GROUP BY CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0));

CREATE UNIQUE INDEX UX_ScorecardResult_Reviewer ON ScorecardResult (CallId, ReviewerUserId, COALESCE(CalibrationSessionId, 0));
