-- Accounts: who may sign in, in which teams, with which roles. A user may hold several roles;
-- an agent is a learner whose calls are reviewed.
CREATE TABLE Team (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Name NVARCHAR(200) NOT NULL CONSTRAINT UQ_Team_Name UNIQUE,
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE TABLE UserAccount (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Email NVARCHAR(320) NOT NULL CONSTRAINT UQ_UserAccount_Email UNIQUE,
    DisplayName NVARCHAR(200) NOT NULL,
    PasswordHash NVARCHAR(500) NOT NULL,
    SecurityStamp NVARCHAR(64) NOT NULL,
    IsActive BIT NOT NULL DEFAULT 1,
    MustChangePassword BIT NOT NULL DEFAULT 0,
    FailedLoginCount INT NOT NULL DEFAULT 0,
    LockoutEnd DATETIMEOFFSET NULL,
    LastLoginAt DATETIMEOFFSET NULL,
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE TABLE UserRole (
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    Role NVARCHAR(32) NOT NULL,
    PRIMARY KEY (UserId, Role)
);

CREATE TABLE TeamMember (
    TeamId INT NOT NULL REFERENCES Team (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    PRIMARY KEY (TeamId, UserId)
);

CREATE INDEX IX_TeamMember_UserId ON TeamMember (UserId);
