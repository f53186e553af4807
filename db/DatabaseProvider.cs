namespace CallReview.Db;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}
