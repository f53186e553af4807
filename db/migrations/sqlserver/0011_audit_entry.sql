-- Append-only audit trail: who opened, played, exported or changed what, and failed sign-ins. Each entry carries
-- the SHA-256 of the entry before it and of its own fields, so editing or deleting a row breaks the chain
-- (verify-audit finds where). PreviousHash is unique: two writers that read the same last entry cannot both
-- append, so the chain never forks. UserId has no foreign key: the trail outlives the accounts it names.
CREATE TABLE AuditEntry (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    At DATETIMEOFFSET NOT NULL,
    UserId INT NULL,
    Actor NVARCHAR(320) NOT NULL,
    Action NVARCHAR(64) NOT NULL,
    ResourceType NVARCHAR(64) NOT NULL,
    ResourceId NVARCHAR(100) NULL,
    Detail NVARCHAR(1000) NULL,
    SourceAddress NVARCHAR(64) NULL,
    PreviousHash NVARCHAR(64) NOT NULL,
    Hash NVARCHAR(64) NOT NULL
);

CREATE UNIQUE INDEX UX_AuditEntry_PreviousHash ON AuditEntry (PreviousHash);
CREATE INDEX IX_AuditEntry_Resource ON AuditEntry (ResourceType, ResourceId);
CREATE INDEX IX_AuditEntry_At ON AuditEntry (At);
