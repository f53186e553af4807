using CallReview.Db;
using CallReview.Tests.Db;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CallReview.Tests.Web.Features.Review;

public sealed class QueueAndSearchTests(PerDatabase<QueueAndSearchTests.Fixture> apps) : IClassFixture<PerDatabase<QueueAndSearchTests.Fixture>>
{
    public sealed class Fixture : ReviewFixture;

    [DatabaseTheory, DatabaseData]
    public async Task Search_Word_FindsTheTurnAndLinksToItsMoment(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var html = await rita.GetStringAsync("/review/search?q=refund");

        Assert.Contains($"href=\"/review/{app.NorthCall}?t=12.5\"", html);
        // Marked in place: no space or line break added around the match.
        Assert.Contains("waiting for a <mark>refund</mark> for a month.", html);
        Assert.DoesNotContain($"/review/{app.SouthCall}?t=", html);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Search_PunctuationAndQuotes_DoNotBreakTheQuery(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        var html = await rita.GetStringAsync("/review/search?q=%22manag*%20OR(%20%3Cscript%3E");

        Assert.Contains("result", html);
        Assert.DoesNotContain("<script>", html.Replace("<script src=", ""));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Search_SegmentsReplaced_IndexFollows(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Reindexed call", app.North, null, [new("customer", 1, 2, "zebra crossing question")]);
        var rita = await app.As(ReviewFixture.Rita);
        Assert.Contains($"/review/{callId}?t=1", await rita.GetStringAsync("/review/search?q=zebra"));

        await using (var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await connection.ExecuteAsync("DELETE FROM Segment WHERE CallId = @callId", new { callId });
            await connection.ExecuteAsync("INSERT INTO Segment (CallId, Seq, Channel, Speaker, StartMs, EndMs, Text) VALUES (@callId, 0, 1, 'customer', 3000, 4000, 'giraffe')", new { callId });
        }

        Assert.DoesNotContain($"/review/{callId}?t=", await rita.GetStringAsync("/review/search?q=zebra"));
        Assert.Contains($"/review/{callId}?t=3", await rita.GetStringAsync("/review/search?q=giraffe"));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Queue_LanguageFilter_ListsTheLanguagesOfCallsTheReviewerMaySee_AsTheirLinesChange(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var mine = await app.InsertCallAsync("Italian call", app.North, null, [new("customer", 1, 2, "buongiorno"), new("agent", 3, 4, "salve")]);
        var db = app.Services.GetRequiredService<IDbConnectionFactory>();
        await using var connection = await db.OpenAsync();
        var southTeam = await connection.ExecuteScalarAsync<int>("SELECT TeamId FROM Call WHERE Id = @SouthCall", new { app.SouthCall });
        var theirs = await app.InsertCallAsync("French call", southTeam, null, [new("customer", 1, 2, "bonjour")]);
        await connection.ExecuteAsync("UPDATE Segment SET Language = 'fr' WHERE CallId = @theirs", new { theirs });
        await connection.ExecuteAsync("UPDATE Segment SET Language = CASE WHEN Seq = 0 THEN 'it' ELSE 'en' END WHERE CallId = @mine", new { mine });
        var rita = await app.As(ReviewFixture.Rita);

        var queue = await rita.GetStringAsync("/review");
        Assert.Contains("<option value=\"it\" lang=\"it\">", queue);
        Assert.DoesNotContain("value=\"fr\"", queue);

        // Lines replaced (as a new transcript does): the language goes with its last line, and comes back with a new one.
        await connection.ExecuteAsync("DELETE FROM Segment WHERE CallId = @mine AND Seq = 0", new { mine });
        Assert.DoesNotContain("value=\"it\"", await rita.GetStringAsync("/review"));
        await connection.ExecuteAsync("INSERT INTO Segment (CallId, Seq, Channel, Speaker, StartMs, EndMs, Text, Language) VALUES (@mine, 2, 1, 'customer', 5000, 6000, 'grazie', 'it')", new { mine });
        Assert.Contains("<option value=\"it\" lang=\"it\">", await rita.GetStringAsync("/review"));
        await connection.ExecuteAsync("DELETE FROM Call WHERE Id = @theirs", new { theirs });
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM CallLanguage WHERE CallId = @theirs", new { theirs }));
    }

    [DatabaseTheory, DatabaseData]
    public async Task Search_Language_KeepsToLinesInThatLanguage_AndTheTranscriptTagsLinesNotInTheCallsLanguage(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var callId = await app.InsertCallAsync("Switching call", app.North, null, [new("customer", 1, 2, "wombat please"), new("customer", 5, 6, "wombat bitte")]);
        await using (var connection = await app.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE Call SET Language = 'en' WHERE Id = @callId", new { callId });
            await connection.ExecuteAsync("UPDATE Segment SET Language = CASE WHEN Text LIKE '%bitte' THEN 'de' ELSE 'en' END WHERE CallId = @callId", new { callId });
        }
        var rita = await app.As(ReviewFixture.Rita);

        var both = await rita.GetStringAsync("/review/search?q=wombat");
        Assert.Contains($"/review/{callId}?t=1\"", both);
        Assert.Contains($"/review/{callId}?t=5\"", both);
        Assert.Contains("<option value=\"de\" lang=\"de\">Deutsch</option>", both);
        var german = await rita.GetStringAsync("/review/search?q=wombat&language=de");
        Assert.Contains($"/review/{callId}?t=5\"", german);
        Assert.DoesNotContain($"/review/{callId}?t=1\"", german);

        // The review page tags the German line only: English is the call's language.
        var page = await rita.GetStringAsync($"/review/{callId}");
        Assert.Contains("<span lang=\"de\">wombat bitte</span> <span class=\"turn-language\" lang=\"de\" title=\"Deutsch\">de</span>", page);
        Assert.Contains("<span lang=\"en\">wombat please</span></div></li>", page);
    }

    [DatabaseTheory, DatabaseData]
    public async Task Queue_ShowsUnscoredVisibleCalls_FilteredByTag(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var untagged = await app.InsertCallAsync("Untagged call", app.North, null);
        var rita = await app.As(ReviewFixture.Rita);

        var all = await rita.GetStringAsync("/review");
        Assert.Contains($"href=\"/review/{app.NorthCall}\"", all);
        Assert.Contains($"href=\"/review/{untagged}\"", all);
        Assert.DoesNotContain($"href=\"/review/{app.SouthCall}\"", all);

        var billing = await rita.GetStringAsync("/review?tag=billing");
        Assert.Contains($"href=\"/review/{app.NorthCall}\"", billing);
        Assert.DoesNotContain($"href=\"/review/{untagged}\"", billing);
    }

    /// <summary>SQL Server's default collation ignores case; SQLite's = does not: the filter must not depend on it.</summary>
    [DatabaseTheory, DatabaseData]
    public async Task Queue_TagFilter_IgnoresCaseOnEveryEngine(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var rita = await app.As(ReviewFixture.Rita);

        Assert.Contains($"href=\"/review/{app.NorthCall}\"", await rita.GetStringAsync("/review?tag=Billing"));
    }

    /// <summary>A percent sign or underscore typed in the calls filter is text, not a LIKE wildcard.</summary>
    [DatabaseTheory, DatabaseData]
    public async Task CallsFilter_Wildcards_MatchThemselves(DatabaseProvider database)
    {
        var app = await apps.For(database);
        var percent = await app.InsertCallAsync("Refund 100% promised", app.North, null);
        var plain = await app.InsertCallAsync("Refund 1000 promised", app.North, null);
        var underscore = await app.InsertCallAsync("Refund 1_0 promised", app.North, null);
        var rita = await app.As(ReviewFixture.Rita);

        var html = await rita.GetStringAsync("/calls?q=" + Uri.EscapeDataString("100%"));
        var underscored = await rita.GetStringAsync("/calls?q=" + Uri.EscapeDataString("1_0"));

        Assert.Contains($"/calls/{percent}\"", html);
        Assert.DoesNotContain($"/calls/{plain}\"", html);
        Assert.Contains($"/calls/{underscore}\"", underscored);
        Assert.DoesNotContain($"/calls/{plain}\"", underscored);
        Assert.DoesNotContain($"/calls/{percent}\"", underscored);
    }
}
