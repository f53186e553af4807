namespace CallReview.Db;

/// <summary>Where the data lives: <c>Database:Provider</c>, <c>ConnectionStrings:CallReview</c>, <c>CallReview:DataDirectory</c>.</summary>
public sealed record DatabaseOptions(DatabaseProvider Provider, string ConnectionString)
{
    public const string SqliteFileName = "callreview.db";

    public static DatabaseOptions Sqlite(string dataDirectory) =>
        new(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, SqliteFileName)};Pooling=True;Default Timeout=30");
}
