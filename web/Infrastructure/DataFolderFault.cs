using Microsoft.Data.Sqlite;

namespace CallReview.Web.Infrastructure;

/// <summary>
/// Tells a failure to write the data folder (disk full, read-only, gone) from a bug, so the person gets a
/// message saying what is wrong and that nothing was saved, instead of a generic error. SQLite rolls the
/// failed transaction back, so what was saved before stays intact.
/// </summary>
public static class DataFolderFault
{
    private const int SqliteReadOnly = 8, SqliteIoError = 10, SqliteFull = 13, SqliteCannotOpen = 14;
    private const int NoSpace = 28, ReadOnlyFileSystem = 30;

    /// <summary>What is wrong with the data folder, from anywhere in the exception chain; null for anything else.</summary>
    public static string? Describe(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var code = e switch
            {
                SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
                {
                    SqliteFull => NoSpace,
                    SqliteReadOnly => ReadOnlyFileSystem,
                    SqliteIoError or SqliteCannotOpen => 0,
                    _ => (int?)null,
                },
                IOException io when (io.HResult & 0xFFFF) is NoSpace or ReadOnlyFileSystem => io.HResult & 0xFFFF,
                UnauthorizedAccessException => ReadOnlyFileSystem,
                _ => null,
            };
            if (code is { } c)
                return c switch
                {
                    NoSpace => "The data folder is full",
                    ReadOnlyFileSystem => "The data folder is read-only",
                    _ => "The data folder could not be written",
                };
        }
        return null;
    }
}
