-- CallReview in its users' languages. A user's chosen interface language (NULL: the browser's, else the
-- installation's); the language an exercise's call is spoken in, so learners can filter by it (taken from the
-- call's transcript where one says); and names of need categories, rubric criteria and badges per language,
-- the row's own name being the installation language's fallback.
ALTER TABLE UserAccount ADD COLUMN Language TEXT NULL;

ALTER TABLE Exercise ADD COLUMN Language TEXT NULL;

UPDATE Exercise SET Language = (
    SELECT MIN(s.Language) FROM Segment s WHERE s.CallId = Exercise.CallId AND s.Language IS NOT NULL AND s.Language <> 'auto');

CREATE TABLE ContentName (
    Kind TEXT NOT NULL,
    Code TEXT NOT NULL,
    Culture TEXT NOT NULL,
    Name TEXT NOT NULL,
    PRIMARY KEY (Kind, Code, Culture)
);
