using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using CallReview.Db;
using CallReview.Tests.Db;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web;

/// <summary>
/// The real app over real HTTP (in-memory server) on its own temporary SQLite data folder; every statement it
/// sends is also parsed as the T-SQL SQL Server would receive (<see cref="SqlServerCheckedConnections"/>).
/// </summary>
public class CallReviewApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "admin-password-1";

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("callreview-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("CallReview:DataDirectory", DataDirectory);
        builder.UseSetting("CallReview:Admin:Email", AdminEmail);
        builder.UseSetting("CallReview:Admin:Password", AdminPassword);
        // Tests that need transcription turn the in-app worker on (or run one themselves).
        builder.UseSetting("CallReview:Worker:Enabled", "false");
        if (SqlServer is { } sqlServer)
        {
            builder.UseSetting("Database:Provider", nameof(DatabaseProvider.SqlServer));
            builder.UseSetting("ConnectionStrings:CallReview", sqlServer.Options.ConnectionString);
        }
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        builder.ConfigureTestServices(services => services.AddSingleton<IDbConnectionFactory>(sp =>
        {
            var database = sp.GetRequiredService<DatabaseOptions>();
            return database.Provider == DatabaseProvider.Sqlite ? new SqlServerCheckedConnections(database) : new DbConnectionFactory(database);
        }));
    }

    /// <summary>A SQL Server database to run on instead of the SQLite file in <see cref="DataDirectory"/> (set before the first client is created).</summary>
    public TestDatabase? SqlServer { get; set; }

    /// <summary>Extra configuration a test class needs (set before the first client is created).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    public virtual HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var client = NewClient();
        var response = await client.SignInAsync(email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in as {email} failed: {(int)response.StatusCode}");
        return client;
    }

    public Task<HttpClient> AdminAsync() => SignedInAsync(AdminEmail, AdminPassword);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}

public static partial class HttpClientForms
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"|name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>The antiforgery token of a page, as a browser would read it from the form or meta tag.</summary>
    public static async Task<string> TokenFromAsync(this HttpClient client, string pageUrl)
    {
        var html = await client.GetStringAsync(pageUrl);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"no antiforgery token on {pageUrl}");
        return match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
    }

    /// <summary>Posts a form the way the page would: with the token read from <paramref name="pageUrl"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>> fields, string? pageUrl = null)
    {
        var token = await client.TokenFromAsync(pageUrl ?? url);
        var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(url, content);
    }

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password) =>
        client.PostFormAsync("/account/login", [new("Email", email), new("Password", password)]);

    /// <summary>The client asks for pages in <paramref name="acceptLanguage"/>, as a browser set to that language would.</summary>
    public static HttpClient Speaking(this HttpClient client, string acceptLanguage)
    {
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        return client;
    }
}
