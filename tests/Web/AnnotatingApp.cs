using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallReview.Tests.Web.Features.Admin;

namespace CallReview.Tests.Web;

/// <summary>
/// The app as its own process on real Kestrel and its own data folder, with a reviewer, the reviewer's API key
/// and one uploaded call to annotate: for the tests that kill it, fill its disk or load it with writers.
/// </summary>
public sealed class AnnotatingApp : IAsyncDisposable
{
    private const string AdminEmail = "admin@fault.local", AdminPassword = "admin-password-1";

    private readonly string _data;
    private readonly string _url = $"http://127.0.0.1:{AppProcess.FreePort()}";
    private string _key = "";
    private bool _stopped;

    public AppProcess Process { get; private set; } = null!;
    public int CallId { get; private set; }
    public string DatabaseFile => Path.Combine(_data, CallReview.Db.DatabaseOptions.SqliteFileName);

    private AnnotatingApp(string data) => _data = data;

    public static async Task<AnnotatingApp> StartAsync(string dataDirectory)
    {
        var app = new AnnotatingApp(dataDirectory);
        await app.ServeAsync();
        var admin = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(app._url) };
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SignInAsync(AdminEmail, AdminPassword)).StatusCode);
        var team = await admin.CreateTeamAsync("Fault Team");
        await admin.CreateUserAsync("writer@fault.local", "Writer", "writer-password-1", ["reviewer"], team);
        var keys = await (await admin.PostFormAsync("/admin/apikeys", [new("UserEmail", "writer@fault.local"), new("Name", "load")])).Content.ReadAsStringAsync();
        app._key = Regex.Match(keys, "<code class=\"secret\">([^<]+)</code>").Groups[1].Value;
        Assert.NotEmpty(app._key);

        using var upload = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(TestData.Audio("jfk.wav")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        upload.Add(file, "file", "jfk.wav");
        upload.Add(new StringContent("Fault Team"), "team");
        var created = await app.KeyClient().PostAsync("/api/calls", upload);
        Assert.True(created.StatusCode == HttpStatusCode.Accepted, await created.Content.ReadAsStringAsync());
        app.CallId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        return app;
    }

    /// <summary>Starts (or starts again) the process on the same data folder and port.</summary>
    public async Task ServeAsync()
    {
        _stopped = false;
        Process = AppProcess.Start(_data, new Dictionary<string, string>
        {
            ["CallReview__Worker__Enabled"] = "false",
            ["CallReview__Admin__Email"] = AdminEmail,
            ["CallReview__Admin__Password"] = AdminPassword,
        }, "--urls", _url);
        using var http = new HttpClient { BaseAddress = new Uri(_url) };
        await Process.WaitUntilServingAsync(http);
    }

    public HttpClient KeyClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(_url), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", _key);
        return client;
    }

    public string AnnotationsUrl => $"/api/calls/{CallId}/annotations";

    /// <summary>Posts one annotation; the id when the app acknowledged it (201), else null with the response.</summary>
    public async Task<(int? Id, HttpResponseMessage Response)> AnnotateAsync(HttpClient client, int n)
    {
        var response = await client.PostAsJsonAsync(AnnotationsUrl, new
        {
            kind = "unmet", start = n % 10 + 0.5, category = "timeliness", severity = 2, quote = $"writer note {n}", expected = "Say when",
        });
        return response.StatusCode == HttpStatusCode.Created
            ? ((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32(), response)
            : (null, response);
    }

    public async Task<HashSet<int>> StoredIdsAsync() =>
        (await KeyClient().GetFromJsonAsync<JsonElement>(AnnotationsUrl)).EnumerateArray().Select(a => a.GetProperty("id").GetInt32()).ToHashSet();

    /// <summary>Kills the process with SIGKILL: no shutdown, no flush.</summary>
    public void Stop()
    {
        if (!_stopped)
            Process.Dispose();
        _stopped = true;
    }

    /// <summary>SQLite's own check of the database file, with the app stopped.</summary>
    public async Task<string> IntegrityCheckAsync()
    {
        Stop();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabaseFile};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
