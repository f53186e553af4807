-- Accounts: who may sign in, in which teams, with which roles. A user may hold several roles;
-- an agent is a learner whose calls are reviewed.
CREATE TABLE Team (
    Id INTEGER PRIMARY KEY,
    Name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    CreatedAt TEXT NOT NULL
);

CREATE TABLE UserAccount (
    Id INTEGER PRIMARY KEY,
    Email TEXT NOT NULL COLLATE NOCASE UNIQUE,
    DisplayName TEXT NOT NULL,
    PasswordHash TEXT NOT NULL,
    SecurityStamp TEXT NOT NULL,
    IsActive INTEGER NOT NULL DEFAULT 1,
    MustChangePassword INTEGER NOT NULL DEFAULT 0,
    FailedLoginCount INTEGER NOT NULL DEFAULT 0,
    LockoutEnd TEXT NULL,
    LastLoginAt TEXT NULL,
    CreatedAt TEXT NOT NULL
);

CREATE TABLE UserRole (
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    Role TEXT NOT NULL,
    PRIMARY KEY (UserId, Role)
);

CREATE TABLE TeamMember (
    TeamId INTEGER NOT NULL REFERENCES Team (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    PRIMARY KEY (TeamId, UserId)
);

CREATE INDEX IX_TeamMember_UserId ON TeamMember (UserId);
