-- Card data found in a call (PCI DSS: a card number shown with at most its first six and last four digits, a security
-- code never kept): where it was said (channel, speaker, the muted span in ms), what it was, which detector rule found
-- it and the masked text that replaced it in the transcript. The digits themselves are stored nowhere. Rows outlive a
-- re-transcription: the audio stays muted where they say, and the timeline shows why.
CREATE TABLE Redaction (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    CallId INT NOT NULL REFERENCES Call (Id) ON DELETE CASCADE,
    Channel INT NOT NULL,
    Speaker NVARCHAR(16) NOT NULL,
    StartMs BIGINT NOT NULL,
    EndMs BIGINT NOT NULL,
    Kind NVARCHAR(32) NOT NULL,
    RuleName NVARCHAR(100) NOT NULL,
    MaskedText NVARCHAR(400) NOT NULL,
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_Redaction_CallId_StartMs ON Redaction (CallId, StartMs);
