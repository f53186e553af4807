using CallReview.Db;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Web.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Calls;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>The commands the web executable runs (<c>import</c>, <c>apikey</c>), through the same dispatcher as the real command line.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CommandLineTests : IClassFixture<CommandLineTests.Fixture>, IDisposable
{
    public sealed class Fixture : CallReviewApp, IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            var admin = await AdminAsync();
            var team = await admin.CreateTeamAsync("Night Shift");
            await admin.CreateUserAsync("nina@test.local", "Nina Agent", "nina-pass-123", ["learner"], team);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    private readonly Fixture _app;
    private readonly string _folder = Directory.CreateTempSubdirectory("callreview-import-").FullName;

    public CommandLineTests(Fixture app) => _app = app;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await CommandLine.RunAsync(_app.Services, args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    [Fact]
    public async Task Import_FolderWithCsvSidecar_ImportsWithMetadataAndRefusesTheBadFile()
    {
        File.Copy(TestData.Audio("jfk.wav"), Path.Combine(_folder, "first.wav"));
        File.Copy(TestData.Audio("kennedy-stereo.wav"), Path.Combine(_folder, "second.wav"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "broken.wav"), "not audio at all");
        await File.WriteAllTextAsync(Path.Combine(_folder, "calls.csv"),
            "file,title,agent,team,startedAt,direction,layout,externalRef,tags\n" +
            "first.wav,Ask not,nina@test.local,Night Shift,2026-11-01T08:00:00Z,inbound,mono,CRM-7,\"speech,classic\"\n");

        var (exit, output, error) = await RunAsync("import", _folder, "--layout", "agent-right");

        Assert.True(exit == 0, output + error);
        Assert.Contains("2 imported, 0 already there, 1 refused", output);
        Assert.Contains("broken.wav", error);
        await using var connection = await _app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync();
        var first = await connection.QuerySingleAsync<(string Title, string Agent, string Team, string Direction, string Layout, string Ref)>(
            """
            SELECT c.Title, u.Email, t.Name, c.Direction, c.Layout, c.ExternalRef FROM Call c
            JOIN UserAccount u ON u.Id = c.AgentUserId JOIN Team t ON t.Id = c.TeamId WHERE c.Title = 'Ask not'
            """);
        Assert.Equal(("Ask not", "nina@test.local", "Night Shift", "inbound", "mono", "CRM-7"), first);
        Assert.Equal("agent-right", await connection.ExecuteScalarAsync<string>("SELECT Layout FROM Call WHERE Title = 'second'"));
        Assert.Equal(["classic", "speech"], await connection.QueryAsync<string>(
            "SELECT Tag FROM CallTag JOIN Call ON Call.Id = CallTag.CallId WHERE Call.Title = 'Ask not' ORDER BY Tag"));

        var again = await RunAsync("import", _folder);
        Assert.Contains("0 imported, 2 already there, 1 refused", again.Out);
    }

    [Fact]
    public async Task ApiKeyCreate_PrintsAWorkingKeyAsTheLastWord()
    {
        var (exit, output, _) = await RunAsync("apikey", "create", "--user", "nina@test.local");

        Assert.Equal(0, exit);
        var key = output.Trim().Split(' ').Last();
        var client = _app.NewClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        // A learner's key authenticates (403 on upload, not 401).
        var response = await client.PostAsync("/api/calls", new MultipartFormDataContent());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task UnknownCommandOrBadUsage_ExitsNonZeroWithOneLine()
    {
        var unknown = await RunAsync("frobnicate");
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("Unknown command 'frobnicate'", unknown.Error);

        var usage = await RunAsync("apikey", "create");
        Assert.Equal(2, usage.Exit);
        Assert.Single(usage.Error.Trim().Split('\n'));
    }
}
