-- The review page keeps its first annotation cards in memory too, under the same versions as its markers (0022); the
-- cards name their authors, so a user's new display name raises the names version as well.
EXEC (N'CREATE TRIGGER UserAccount_NamesVersion ON UserAccount AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    IF UPDATE(DisplayName)
        UPDATE NamesVersion SET Version = Version + 1;
END');
