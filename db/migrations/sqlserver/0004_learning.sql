-- Learning: "spot the bad service" exercises built from annotated calls, learners' attempts, the practice
-- schedule, assignments, points and badges, certifications and discussion. An exercise copies its answer
-- (ExerciseAnswer) from the chosen annotations, so editing or deleting an annotation later never changes a
-- published exercise or the scores given against it. Times are integer milliseconds on the call's clock.
CREATE TABLE Exercise (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Title NVARCHAR(200) NOT NULL,
    Kind NVARCHAR(16) NOT NULL,
    CallId INT NOT NULL REFERENCES Call (Id),
    SecondCallId INT NULL REFERENCES Call (Id),
    BetterSide NVARCHAR(16) NULL,
    ExcerptStartMs BIGINT NULL,
    ExcerptEndMs BIGINT NULL,
    ShowTranscript BIT NOT NULL DEFAULT 1,
    FullCreditMs BIGINT NOT NULL,
    ZeroCreditMs BIGINT NOT NULL,
    Difficulty INT NOT NULL,
    Hints NVARCHAR(MAX) NOT NULL DEFAULT '',
    ModelAnswer NVARCHAR(MAX) NOT NULL DEFAULT '',
    CritiqueKeywords NVARCHAR(MAX) NOT NULL DEFAULT '',
    CritiqueMinChars INT NOT NULL DEFAULT 40,
    Status NVARCHAR(16) NOT NULL,
    CreatedByUserId INT NOT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL,
    UpdatedAt DATETIMEOFFSET NOT NULL,
    PublishedAt DATETIMEOFFSET NULL
);

CREATE INDEX IX_Exercise_CallId ON Exercise (CallId);

-- Side is 'a' (CallId) or 'b' (SecondCallId, comparison exercises only).
CREATE TABLE ExerciseAnswer (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    AnnotationId INT NULL REFERENCES Annotation (Id),
    Side NVARCHAR(16) NOT NULL,
    Kind NVARCHAR(16) NOT NULL,
    StartMs BIGINT NOT NULL,
    EndMs BIGINT NULL,
    CategoryCode NVARCHAR(64) NOT NULL REFERENCES NeedCategory (Code),
    Severity INT NULL,
    Quote NVARCHAR(MAX) NOT NULL DEFAULT '',
    Expected NVARCHAR(MAX) NOT NULL DEFAULT ''
);

CREATE INDEX IX_ExerciseAnswer_ExerciseId ON ExerciseAnswer (ExerciseId);

CREATE TABLE ExerciseTag (
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    CategoryCode NVARCHAR(64) NOT NULL REFERENCES NeedCategory (Code),
    PRIMARY KEY (ExerciseId, CategoryCode)
);

CREATE TABLE ExerciseTeam (
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    TeamId INT NOT NULL REFERENCES Team (Id) ON DELETE CASCADE,
    PRIMARY KEY (ExerciseId, TeamId)
);

CREATE INDEX IX_ExerciseTeam_TeamId ON ExerciseTeam (TeamId);

-- Scores are 0..1 per part and 0..100 overall; Points are what the attempt earned toward the leaderboard.
CREATE TABLE Attempt (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id),
    ChosenSide NVARCHAR(16) NULL,
    Critique NVARCHAR(MAX) NOT NULL DEFAULT '',
    WouldHaveSaid NVARCHAR(MAX) NOT NULL DEFAULT '',
    TimingScore FLOAT NOT NULL,
    CategoryScore FLOAT NOT NULL,
    CritiqueScore FLOAT NOT NULL,
    ChoiceScore FLOAT NULL,
    ExtraPins INT NOT NULL,
    Score FLOAT NOT NULL,
    Points INT NOT NULL,
    SubmittedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_Attempt_UserId_SubmittedAt ON Attempt (UserId, SubmittedAt);
CREATE INDEX IX_Attempt_ExerciseId ON Attempt (ExerciseId);

CREATE TABLE AttemptPin (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    AttemptId INT NOT NULL REFERENCES Attempt (Id) ON DELETE CASCADE,
    Side NVARCHAR(16) NOT NULL,
    AtMs BIGINT NOT NULL,
    CategoryCode NVARCHAR(64) NOT NULL REFERENCES NeedCategory (Code),
    AnswerId INT NULL REFERENCES ExerciseAnswer (Id),
    TimingCredit FLOAT NOT NULL,
    CategoryMatch BIT NOT NULL
);

CREATE INDEX IX_AttemptPin_AttemptId ON AttemptPin (AttemptId);

-- Spaced repetition per learner and category: a miss brings the category back after 1 day, each later hit
-- moves it along the ladder (1, 3, 7, 14, 30 days); past the ladder it is mastered and DueAt is NULL.
CREATE TABLE PracticeSchedule (
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    CategoryCode NVARCHAR(64) NOT NULL REFERENCES NeedCategory (Code),
    Step INT NOT NULL,
    Hits INT NOT NULL,
    Misses INT NOT NULL,
    DueAt DATETIMEOFFSET NULL,
    MasteredAt DATETIMEOFFSET NULL,
    UpdatedAt DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (UserId, CategoryCode)
);

-- A supervisor's assignment goes to a whole team (TeamId) or one learner (UserId).
CREATE TABLE Assignment (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    TeamId INT NULL REFERENCES Team (Id),
    UserId INT NULL REFERENCES UserAccount (Id),
    AssignedByUserId INT NOT NULL REFERENCES UserAccount (Id),
    DueAt DATETIMEOFFSET NOT NULL,
    Note NVARCHAR(MAX) NOT NULL DEFAULT '',
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE INDEX IX_Assignment_ExerciseId ON Assignment (ExerciseId);

CREATE TABLE Badge (
    Code NVARCHAR(64) NOT NULL PRIMARY KEY,
    Name NVARCHAR(200) NOT NULL,
    Description NVARCHAR(1000) NOT NULL,
    SortOrder INT NOT NULL
);

INSERT INTO Badge (Code, Name, Description, SortOrder) VALUES
    ('first-perfect', 'First perfect spot', 'Scored 100 on an exercise.', 10),
    ('streak-7', '7-day streak', 'Practised seven days in a row.', 20),
    ('category-mastery', 'Category mastery', 'Spotted a category right every time until it faded from practice.', 30),
    ('shared-story', 'Shared a story', 'Shared how you handled a situation in a discussion.', 40),
    ('certified', 'Certified', 'Passed a certification set.', 50);

-- Detail names what the badge was for (a category code, a certification id) or is ''.
CREATE TABLE UserBadge (
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    BadgeCode NVARCHAR(64) NOT NULL REFERENCES Badge (Code),
    Detail NVARCHAR(200) NOT NULL DEFAULT '',
    AwardedAt DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (UserId, BadgeCode, Detail)
);

CREATE TABLE LearnerPreference (
    UserId INT NOT NULL PRIMARY KEY REFERENCES UserAccount (Id) ON DELETE CASCADE,
    HideFromLeaderboard BIT NOT NULL DEFAULT 0
);

-- A certification is passed when the learner's best scores on every exercise of the set average at least Threshold.
CREATE TABLE Certification (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    Name NVARCHAR(200) NOT NULL,
    Threshold INT NOT NULL,
    CreatedByUserId INT NOT NULL REFERENCES UserAccount (Id),
    CreatedAt DATETIMEOFFSET NOT NULL
);

CREATE TABLE CertificationExercise (
    CertificationId INT NOT NULL REFERENCES Certification (Id) ON DELETE CASCADE,
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    PRIMARY KEY (CertificationId, ExerciseId)
);

CREATE TABLE UserCertification (
    CertificationId INT NOT NULL REFERENCES Certification (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    Score FLOAT NOT NULL,
    AwardedAt DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (CertificationId, UserId)
);

-- Discussion under an exercise: learners see it only after submitting that exercise (no spoilers). AnswerId NULL is
-- the exercise's own thread; otherwise the post is under that call moment (an answer of the same exercise).
CREATE TABLE Post (
    Id INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
    ExerciseId INT NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    AnswerId INT NULL REFERENCES ExerciseAnswer (Id),
    UserId INT NOT NULL REFERENCES UserAccount (Id),
    Body NVARCHAR(MAX) NOT NULL,
    IsPinned BIT NOT NULL DEFAULT 0,
    CreatedAt DATETIMEOFFSET NOT NULL,
    DeletedAt DATETIMEOFFSET NULL
);

CREATE INDEX IX_Post_ExerciseId ON Post (ExerciseId);
CREATE INDEX IX_Post_AnswerId ON Post (AnswerId);

CREATE TABLE PostReaction (
    PostId INT NOT NULL REFERENCES Post (Id) ON DELETE CASCADE,
    UserId INT NOT NULL REFERENCES UserAccount (Id),
    Reaction NVARCHAR(16) NOT NULL,
    CreatedAt DATETIMEOFFSET NOT NULL,
    PRIMARY KEY (PostId, UserId, Reaction)
);
