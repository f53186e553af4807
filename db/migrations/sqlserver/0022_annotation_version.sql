-- A call's annotation version, raised by triggers on every write of its annotations, and one installation-wide
-- version of the names annotations are shown with (need categories and their translations). The review page keeps a
-- call's timeline markers in memory under both (read in the same statement as the call), so they are read and
-- rendered once per change instead of on every view, and any change is a new key, seen on the next view.
ALTER TABLE Call ADD AnnotationVersion BIGINT NOT NULL CONSTRAINT DF_Call_AnnotationVersion DEFAULT 0;

CREATE TABLE NamesVersion (
    Id INT NOT NULL PRIMARY KEY CHECK (Id = 1),
    Version BIGINT NOT NULL
);
INSERT INTO NamesVersion (Id, Version) VALUES (1, 0);

-- CREATE TRIGGER must open its batch; the migration runs as one.
EXEC (N'CREATE TRIGGER Annotation_Version ON Annotation AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE Call SET AnnotationVersion = AnnotationVersion + 1
    WHERE Id IN (SELECT CallId FROM inserted UNION SELECT CallId FROM deleted);
END');

EXEC (N'CREATE TRIGGER NeedCategory_NamesVersion ON NeedCategory AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE NamesVersion SET Version = Version + 1;
END');

EXEC (N'CREATE TRIGGER ContentName_NamesVersion ON ContentName AFTER INSERT, UPDATE, DELETE AS
BEGIN
    SET NOCOUNT ON;
    UPDATE NamesVersion SET Version = Version + 1;
END');
