using CallReview.Db;

namespace CallReview.Web.Infrastructure;

/// <summary>Settings under <c>CallReview:</c> plus the database choice, resolved once at start-up.</summary>
public sealed class CallReviewOptions
{
    public required string DataDirectory { get; init; }
    /// <summary>The source checkout the app runs from (holding CallReview.sln), or null for an installed copy.</summary>
    public string? SourceCheckout { get; init; }
    public required DatabaseOptions Database { get; init; }

    public static CallReviewOptions From(IConfiguration configuration, string contentRoot)
    {
        // Serving and every command share one default: ./data of a source checkout, else data/ beside the app.
        var checkout = FindCheckout(contentRoot);
        var dataDirectory = Path.GetFullPath(configuration["CallReview:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(checkout ?? contentRoot, "data"));
        Directory.CreateDirectory(dataDirectory);

        var providerText = configuration["Database:Provider"];
        var provider = string.IsNullOrWhiteSpace(providerText) ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var parsed) ? parsed
            : throw new InvalidOperationException($"Database:Provider '{providerText}' is not known; use Sqlite or SqlServer.");
        var connectionString = configuration.GetConnectionString("CallReview");
        var database = provider switch
        {
            DatabaseProvider.SqlServer when string.IsNullOrWhiteSpace(connectionString) =>
                throw new InvalidOperationException("Database:Provider is SqlServer but ConnectionStrings:CallReview is empty."),
            DatabaseProvider.SqlServer => new DatabaseOptions(provider, connectionString!),
            _ when !string.IsNullOrWhiteSpace(connectionString) => new DatabaseOptions(provider, connectionString),
            _ => DatabaseOptions.Sqlite(dataDirectory),
        };
        return new CallReviewOptions { DataDirectory = dataDirectory, Database = database, SourceCheckout = checkout };
    }

    private static string? FindCheckout(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CallReview.sln")))
                return dir.FullName;
        }
        return null;
    }
}
