-- A call's audio is served (playback copy, peaks, the original as a fallback) only once card data redaction has run on
-- its transcript: before that the playback copy may still hold a card number. RedactedAt is set by the redaction step
-- and cleared when the playback copy or peaks are made anew from the original. Calls already transcribed are taken as
-- redacted when their transcript was stored: every stored transcript has gone through the redaction step since 0013,
-- and the sample calls' shipped transcripts hold no card data.
ALTER TABLE Recording ADD RedactedAt DATETIMEOFFSET NULL;

-- In its own batch: the column it fills did not exist when this script's batch was compiled.
EXEC('UPDATE Recording SET RedactedAt = (
    SELECT MAX(j.FinishedAt) FROM TranscriptionJob j WHERE j.CallId = Recording.CallId AND j.Status = ''done'')');
