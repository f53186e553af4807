-- Append-only audit trail: who opened, played, exported or changed what, and failed sign-ins. Each entry carries
-- the SHA-256 of the entry before it and of its own fields, so editing or deleting a row breaks the chain
-- (verify-audit finds where). PreviousHash is unique: two writers that read the same last entry cannot both
-- append, so the chain never forks. UserId has no foreign key: the trail outlives the accounts it names.
CREATE TABLE AuditEntry (
    Id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    At TEXT NOT NULL,
    UserId INTEGER NULL,
    Actor TEXT NOT NULL,
    Action TEXT NOT NULL,
    ResourceType TEXT NOT NULL,
    ResourceId TEXT NULL,
    Detail TEXT NULL,
    SourceAddress TEXT NULL,
    PreviousHash TEXT NOT NULL,
    Hash TEXT NOT NULL
);

CREATE UNIQUE INDEX UX_AuditEntry_PreviousHash ON AuditEntry (PreviousHash);
CREATE INDEX IX_AuditEntry_Resource ON AuditEntry (ResourceType, ResourceId);
CREATE INDEX IX_AuditEntry_At ON AuditEntry (At);
