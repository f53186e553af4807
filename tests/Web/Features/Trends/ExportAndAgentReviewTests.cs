using System.Net;

namespace CallReview.Tests.Web.Features.Trends;

/// <summary>CSV exports and the agent performance review, on the same hand-made history.</summary>
public sealed class ExportAndAgentReviewTests(TrendsFixture app) : IClassFixture<TrendsFixture>
{
    [Fact]
    public async Task ExportCsv_HasEveryPointWithItsIntervalAndN()
    {
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        var response = await sue.GetAsync("/trends/export.csv?" + TrendsFixture.Range);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("period_start,period_end,metric,category,category_name,value,ci_low,ci_high,n,small_sample,grouped_by,time_zone", lines[0]);
        Assert.Equal("2026-01-05,2026-01-11,unmet,,,2,-0.484338,4.484338,3,true,call,UTC", lines.First(l => l.StartsWith("2026-01-05,2026-01-11,unmet,,", StringComparison.Ordinal)));
        Assert.Contains("2026-01-05,2026-01-11,score,,,70,45.156618,94.843382,3,true,call,UTC", lines);
        Assert.Contains("2026-01-12,2026-01-18,unmet,timeliness,Timeliness / long hold,0.333333,,,3,true,call,UTC", lines);
    }

    [Fact]
    public async Task AnnotationsCsv_NamesTheTeamAtTheTime_AndKeepsToTheSupervisorsTeams()
    {
        var admin = await app.AdminAsync();
        var all = await admin.GetStringAsync("/trends/annotations.csv?" + TrendsFixture.Range);
        Assert.StartsWith("call_id,call,call_started_at,agent,team_at_the_time,kind,category,category_name,start_seconds,end_seconds,severity,customer_words,expected,reviewer,annotated_at", all);
        Assert.Contains(",Ben Agent,Blue,unmet,no-empathy,No empathy,4,,2,words 0,,", all);
        Assert.Contains(",Ben Agent,Red,unmet,no-empathy,No empathy,4,,2,words 0,,", all);
        Assert.Equal(14, all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);

        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        var red = await sue.GetStringAsync("/trends/annotations.csv?" + TrendsFixture.Range);
        Assert.DoesNotContain(",Blue,", red);
        Assert.Equal(8, red.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.Equal(HttpStatusCode.NotFound, (await sue.GetAsync($"/trends/annotations.csv?team={app.Blue}")).StatusCode);
    }

    [Fact]
    public async Task ExportsAgentReviewAndEvidence_ReadInRomanian_NameCategoriesInRomanianBesideTheirCodes()
    {
        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        sue.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ro");

        Assert.Contains("2026-01-12,2026-01-18,unmet,timeliness,Promptitudine / așteptare lungă,0.333333,",
            await sue.GetStringAsync("/trends/export.csv?" + TrendsFixture.Range));
        var annotations = await sue.GetStringAsync("/trends/annotations.csv?" + TrendsFixture.Range);
        Assert.Contains(",unmet,no-empathy,Lipsă de empatie,", annotations);
        Assert.Contains(",unmet,timeliness,Promptitudine / așteptare lungă,", annotations);
        Assert.DoesNotContain("No empathy", annotations);
        var review = await sue.GetStringAsync($"/trends/agents/{app.Ann}?" + TrendsFixture.Range);
        Assert.Contains("Lipsă de empatie", review);
        Assert.DoesNotContain("No empathy", review);
        var evidence = await sue.GetStringAsync("/trends/evidence?metric=unmet&period=2026-01-12&category=timeliness&" + TrendsFixture.Range);
        Assert.Contains("Promptitudine / așteptare lungă", evidence);
        Assert.DoesNotContain("Timeliness / long hold", evidence);
    }

    [Fact]
    public async Task AgentReview_AgentSeesOwnOnly_SupervisorTheirTeamsAgents()
    {
        var ann = await app.SignedInAsync("ann@test.local", "agent-pass-123");
        var own = await ann.GetStringAsync($"/trends/agents/{app.Ann}?" + TrendsFixture.Range);
        Assert.Contains("Performance review: Ann Agent", own);
        Assert.Contains("No empathy", own);
        Assert.Contains("data-print", own);
        Assert.Equal(HttpStatusCode.Redirect, (await ann.GetAsync("/trends/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ann.GetAsync($"/trends/agents/{app.Ben}")).StatusCode);

        var sue = await app.SignedInAsync("sue@test.local", "supervisor-pass-1");
        Assert.Equal(HttpStatusCode.OK, (await sue.GetAsync($"/trends/agents/{app.Ann}")).StatusCode);
        var bob = await app.SignedInAsync("bob@test.local", "supervisor-pass-1");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/trends/agents/{app.Ann}")).StatusCode);
        // Bob sees Ben's review for the time Ben was in Blue: two calls, not three.
        Assert.Contains("2 reviewed calls", await bob.GetStringAsync($"/trends/agents/{app.Ben}?" + TrendsFixture.Range));
    }
}
