-- A call's transcript version: raised by triggers whenever its transcript lines, its muted spans (Redaction) or its
-- language change, whoever writes them (the transcription job, redaction, retention's erasure, a customer's
-- request). The review page keeps the parts it reads from these under (call, version) in memory, so they are read
-- and rendered once per version instead of on every view, and any change is a new version, seen on the next view.
ALTER TABLE Call ADD COLUMN TranscriptVersion INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER Segment_TranscriptVersion_Insert AFTER INSERT ON Segment BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id = new.CallId;
END;

CREATE TRIGGER Segment_TranscriptVersion_Update AFTER UPDATE ON Segment BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id IN (old.CallId, new.CallId);
END;

CREATE TRIGGER Segment_TranscriptVersion_Delete AFTER DELETE ON Segment BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id = old.CallId;
END;

CREATE TRIGGER Redaction_TranscriptVersion_Insert AFTER INSERT ON Redaction BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id = new.CallId;
END;

CREATE TRIGGER Redaction_TranscriptVersion_Update AFTER UPDATE ON Redaction BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id IN (old.CallId, new.CallId);
END;

CREATE TRIGGER Redaction_TranscriptVersion_Delete AFTER DELETE ON Redaction BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id = old.CallId;
END;

CREATE TRIGGER Call_TranscriptVersion_Language AFTER UPDATE OF Language ON Call BEGIN
    UPDATE Call SET TranscriptVersion = TranscriptVersion + 1 WHERE Id = new.Id;
END;
