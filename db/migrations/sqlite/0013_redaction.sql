-- Card data found in a call (PCI DSS: a card number shown with at most its first six and last four digits, a security
-- code never kept): where it was said (channel, speaker, the muted span in ms), what it was, which detector rule found
-- it and the masked text that replaced it in the transcript. The digits themselves are stored nowhere. Rows outlive a
-- re-transcription: the audio stays muted where they say, and the timeline shows why.
CREATE TABLE Redaction (
    Id INTEGER PRIMARY KEY,
    CallId INTEGER NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Channel INTEGER NOT NULL,
    Speaker TEXT NOT NULL,
    StartMs INTEGER NOT NULL,
    EndMs INTEGER NOT NULL,
    Kind TEXT NOT NULL,
    RuleName TEXT NOT NULL,
    MaskedText TEXT NOT NULL,
    CreatedAt TEXT NOT NULL
);

CREATE INDEX IX_Redaction_CallId_StartMs ON Redaction (CallId, StartMs);
