-- A call's annotation version, raised by triggers on every write of its annotations, and one installation-wide
-- version of the names annotations are shown with (need categories and their translations). The review page keeps a
-- call's timeline markers in memory under both (read in the same statement as the call), so they are read and
-- rendered once per change instead of on every view, and any change is a new key, seen on the next view.
ALTER TABLE Call ADD COLUMN AnnotationVersion INTEGER NOT NULL DEFAULT 0;

CREATE TABLE NamesVersion (
    Id INTEGER PRIMARY KEY CHECK (Id = 1),
    Version INTEGER NOT NULL
);
INSERT INTO NamesVersion (Id, Version) VALUES (1, 0);

CREATE TRIGGER Annotation_Version_Insert AFTER INSERT ON Annotation BEGIN
    UPDATE Call SET AnnotationVersion = AnnotationVersion + 1 WHERE Id = new.CallId;
END;

CREATE TRIGGER Annotation_Version_Update AFTER UPDATE ON Annotation BEGIN
    UPDATE Call SET AnnotationVersion = AnnotationVersion + 1 WHERE Id IN (old.CallId, new.CallId);
END;

CREATE TRIGGER Annotation_Version_Delete AFTER DELETE ON Annotation BEGIN
    UPDATE Call SET AnnotationVersion = AnnotationVersion + 1 WHERE Id = old.CallId;
END;

CREATE TRIGGER NeedCategory_NamesVersion_Insert AFTER INSERT ON NeedCategory BEGIN
    UPDATE NamesVersion SET Version = Version + 1;
END;

CREATE TRIGGER NeedCategory_NamesVersion_Update AFTER UPDATE ON NeedCategory BEGIN
    UPDATE NamesVersion SET Version = Version + 1;
END;

CREATE TRIGGER NeedCategory_NamesVersion_Delete AFTER DELETE ON NeedCategory BEGIN
    UPDATE NamesVersion SET Version = Version + 1;
END;

CREATE TRIGGER ContentName_NamesVersion_Insert AFTER INSERT ON ContentName BEGIN
    UPDATE NamesVersion SET Version = Version + 1;
END;

CREATE TRIGGER ContentName_NamesVersion_Update AFTER UPDATE ON ContentName BEGIN
    UPDATE NamesVersion SET Version = Version + 1;
END;

CREATE TRIGGER ContentName_NamesVersion_Delete AFTER DELETE ON ContentName BEGIN
    UPDATE NamesVersion SET Version = Version + 1;
END;
