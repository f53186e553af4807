-- Learning: "spot the bad service" exercises built from annotated calls, learners' attempts, the practice
-- schedule, assignments, points and badges, certifications and discussion. An exercise copies its answer
-- (ExerciseAnswer) from the chosen annotations, so editing or deleting an annotation later never changes a
-- published exercise or the scores given against it. Times are integer milliseconds on the call's clock.
CREATE TABLE Exercise (
    Id INTEGER PRIMARY KEY,
    Title TEXT NOT NULL,
    Kind TEXT NOT NULL,
    CallId INTEGER NOT NULL REFERENCES Call (Id),
    SecondCallId INTEGER NULL REFERENCES Call (Id),
    BetterSide TEXT NULL,
    ExcerptStartMs INTEGER NULL,
    ExcerptEndMs INTEGER NULL,
    ShowTranscript INTEGER NOT NULL DEFAULT 1,
    FullCreditMs INTEGER NOT NULL,
    ZeroCreditMs INTEGER NOT NULL,
    Difficulty INTEGER NOT NULL,
    Hints TEXT NOT NULL DEFAULT '',
    ModelAnswer TEXT NOT NULL DEFAULT '',
    CritiqueKeywords TEXT NOT NULL DEFAULT '',
    CritiqueMinChars INTEGER NOT NULL DEFAULT 40,
    Status TEXT NOT NULL,
    CreatedByUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL,
    UpdatedAt TEXT NOT NULL,
    PublishedAt TEXT NULL
);

CREATE INDEX IX_Exercise_CallId ON Exercise (CallId);

-- Side is 'a' (CallId) or 'b' (SecondCallId, comparison exercises only).
CREATE TABLE ExerciseAnswer (
    Id INTEGER PRIMARY KEY,
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    AnnotationId INTEGER NULL REFERENCES Annotation (Id),
    Side TEXT NOT NULL,
    Kind TEXT NOT NULL,
    StartMs INTEGER NOT NULL,
    EndMs INTEGER NULL,
    CategoryCode TEXT NOT NULL REFERENCES NeedCategory (Code),
    Severity INTEGER NULL,
    Quote TEXT NOT NULL DEFAULT '',
    Expected TEXT NOT NULL DEFAULT ''
);

CREATE INDEX IX_ExerciseAnswer_ExerciseId ON ExerciseAnswer (ExerciseId);

CREATE TABLE ExerciseTag (
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    CategoryCode TEXT NOT NULL REFERENCES NeedCategory (Code),
    PRIMARY KEY (ExerciseId, CategoryCode)
);

CREATE TABLE ExerciseTeam (
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    TeamId INTEGER NOT NULL REFERENCES Team (Id) ON DELETE CASCADE,
    PRIMARY KEY (ExerciseId, TeamId)
);

CREATE INDEX IX_ExerciseTeam_TeamId ON ExerciseTeam (TeamId);

-- Scores are 0..1 per part and 0..100 overall; Points are what the attempt earned toward the leaderboard.
CREATE TABLE Attempt (
    Id INTEGER PRIMARY KEY,
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    ChosenSide TEXT NULL,
    Critique TEXT NOT NULL DEFAULT '',
    WouldHaveSaid TEXT NOT NULL DEFAULT '',
    TimingScore REAL NOT NULL,
    CategoryScore REAL NOT NULL,
    CritiqueScore REAL NOT NULL,
    ChoiceScore REAL NULL,
    ExtraPins INTEGER NOT NULL,
    Score REAL NOT NULL,
    Points INTEGER NOT NULL,
    SubmittedAt TEXT NOT NULL
);

CREATE INDEX IX_Attempt_UserId_SubmittedAt ON Attempt (UserId, SubmittedAt);
CREATE INDEX IX_Attempt_ExerciseId ON Attempt (ExerciseId);

CREATE TABLE AttemptPin (
    Id INTEGER PRIMARY KEY,
    AttemptId INTEGER NOT NULL REFERENCES Attempt (Id) ON DELETE CASCADE,
    Side TEXT NOT NULL,
    AtMs INTEGER NOT NULL,
    CategoryCode TEXT NOT NULL REFERENCES NeedCategory (Code),
    AnswerId INTEGER NULL REFERENCES ExerciseAnswer (Id),
    TimingCredit REAL NOT NULL,
    CategoryMatch INTEGER NOT NULL
);

CREATE INDEX IX_AttemptPin_AttemptId ON AttemptPin (AttemptId);

-- Spaced repetition per learner and category: a miss brings the category back after 1 day, each later hit
-- moves it along the ladder (1, 3, 7, 14, 30 days); past the ladder it is mastered and DueAt is NULL.
CREATE TABLE PracticeSchedule (
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    CategoryCode TEXT NOT NULL REFERENCES NeedCategory (Code),
    Step INTEGER NOT NULL,
    Hits INTEGER NOT NULL,
    Misses INTEGER NOT NULL,
    DueAt TEXT NULL,
    MasteredAt TEXT NULL,
    UpdatedAt TEXT NOT NULL,
    PRIMARY KEY (UserId, CategoryCode)
);

-- A supervisor's assignment goes to a whole team (TeamId) or one learner (UserId).
CREATE TABLE Assignment (
    Id INTEGER PRIMARY KEY,
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    TeamId INTEGER NULL REFERENCES Team (Id),
    UserId INTEGER NULL REFERENCES UserAccount (Id),
    AssignedByUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    DueAt TEXT NOT NULL,
    Note TEXT NOT NULL DEFAULT '',
    CreatedAt TEXT NOT NULL
);

CREATE INDEX IX_Assignment_ExerciseId ON Assignment (ExerciseId);

CREATE TABLE Badge (
    Code TEXT NOT NULL PRIMARY KEY,
    Name TEXT NOT NULL,
    Description TEXT NOT NULL,
    SortOrder INTEGER NOT NULL
);

INSERT INTO Badge (Code, Name, Description, SortOrder) VALUES
    ('first-perfect', 'First perfect spot', 'Scored 100 on an exercise.', 10),
    ('streak-7', '7-day streak', 'Practised seven days in a row.', 20),
    ('category-mastery', 'Category mastery', 'Spotted a category right every time until it faded from practice.', 30),
    ('shared-story', 'Shared a story', 'Shared how you handled a situation in a discussion.', 40),
    ('certified', 'Certified', 'Passed a certification set.', 50);

-- Detail names what the badge was for (a category code, a certification id) or is ''.
CREATE TABLE UserBadge (
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    BadgeCode TEXT NOT NULL REFERENCES Badge (Code),
    Detail TEXT NOT NULL DEFAULT '',
    AwardedAt TEXT NOT NULL,
    PRIMARY KEY (UserId, BadgeCode, Detail)
);

CREATE TABLE LearnerPreference (
    UserId INTEGER NOT NULL PRIMARY KEY REFERENCES UserAccount (Id) ON DELETE CASCADE,
    HideFromLeaderboard INTEGER NOT NULL DEFAULT 0
);

-- A certification is passed when the learner's best scores on every exercise of the set average at least Threshold.
CREATE TABLE Certification (
    Id INTEGER PRIMARY KEY,
    Name TEXT NOT NULL,
    Threshold INTEGER NOT NULL,
    CreatedByUserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    CreatedAt TEXT NOT NULL
);

CREATE TABLE CertificationExercise (
    CertificationId INTEGER NOT NULL REFERENCES Certification (Id) ON DELETE CASCADE,
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    PRIMARY KEY (CertificationId, ExerciseId)
);

CREATE TABLE UserCertification (
    CertificationId INTEGER NOT NULL REFERENCES Certification (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id) ON DELETE CASCADE,
    Score REAL NOT NULL,
    AwardedAt TEXT NOT NULL,
    PRIMARY KEY (CertificationId, UserId)
);

-- Discussion under an exercise: learners see it only after submitting that exercise (no spoilers). AnswerId NULL is
-- the exercise's own thread; otherwise the post is under that call moment (an answer of the same exercise).
CREATE TABLE Post (
    Id INTEGER PRIMARY KEY,
    ExerciseId INTEGER NOT NULL REFERENCES Exercise (Id) ON DELETE CASCADE,
    AnswerId INTEGER NULL REFERENCES ExerciseAnswer (Id),
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    Body TEXT NOT NULL,
    IsPinned INTEGER NOT NULL DEFAULT 0,
    CreatedAt TEXT NOT NULL,
    DeletedAt TEXT NULL
);

CREATE INDEX IX_Post_ExerciseId ON Post (ExerciseId);
CREATE INDEX IX_Post_AnswerId ON Post (AnswerId);

CREATE TABLE PostReaction (
    PostId INTEGER NOT NULL REFERENCES Post (Id) ON DELETE CASCADE,
    UserId INTEGER NOT NULL REFERENCES UserAccount (Id),
    Reaction TEXT NOT NULL,
    CreatedAt TEXT NOT NULL,
    PRIMARY KEY (PostId, UserId, Reaction)
);
