-- A call's audio is served (playback copy, peaks, the original as a fallback) only once card data redaction has run on
-- its transcript: before that the playback copy may still hold a card number. RedactedAt is set by the redaction step
-- and cleared when the playback copy or peaks are made anew from the original. Calls whose transcript was stored after
-- 0013 (the redaction step) was applied are taken as redacted then; a call transcribed before it never went through
-- redaction and stays unplayable until it is transcribed again.
ALTER TABLE Recording ADD COLUMN RedactedAt TEXT NULL;

UPDATE Recording SET RedactedAt = (
    SELECT MAX(j.FinishedAt) FROM TranscriptionJob j WHERE j.CallId = Recording.CallId AND j.Status = 'done'
      AND j.FinishedAt >= (SELECT m.AppliedAt FROM SchemaMigration m WHERE m.Version = 13));
