-- Sign-in sessions on the server: the cookie names its session, so signing out, deactivating a user or a
-- timeout ends it here and a replayed cookie is refused. A row exists while the session is open.
CREATE TABLE UserSession (
    Id TEXT NOT NULL PRIMARY KEY,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    CreatedAt TEXT NOT NULL
);

CREATE INDEX IX_UserSession_UserId ON UserSession (UserId);
