-- CallReview in its users' languages. A user's chosen interface language (NULL: the browser's, else the
-- installation's); the language an exercise's call is spoken in, so learners can filter by it (taken from the
-- call's transcript where one says); and names of need categories, rubric criteria and badges per language,
-- the row's own name being the installation language's fallback.
ALTER TABLE UserAccount ADD Language NVARCHAR(16) NULL;

ALTER TABLE Exercise ADD Language NVARCHAR(16) NULL;

-- In its own batch: the column it fills did not exist when this script's batch was compiled.
EXEC('UPDATE Exercise SET Language = (
    SELECT MIN(s.Language) FROM Segment s WHERE s.CallId = Exercise.CallId AND s.Language IS NOT NULL AND s.Language <> ''auto'')');

CREATE TABLE ContentName (
    Kind NVARCHAR(16) NOT NULL,
    Code NVARCHAR(64) NOT NULL,
    Culture NVARCHAR(16) NOT NULL,
    Name NVARCHAR(200) NOT NULL,
    CONSTRAINT PK_ContentName PRIMARY KEY (Kind, Code, Culture)
);
