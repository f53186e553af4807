using System.Net;
using CallReview.Tests.Web.Features.Admin;
using CallReview.Tests.Web.Features.Review;
using CallReview.Web.Features.Signals;

namespace CallReview.Tests.Web.Features.Signals;

/// <summary>Thresholds and phrase lists per team on the admin page: applied to new calls, and to old ones by the re-run.</summary>
public sealed class SignalSettingsTests(SignalsFixture app) : IClassFixture<SignalsFixture>
{
    /// <summary>The team's form as shown, with the English list replaced by one holding a phrase of our own.</summary>
    private static async Task<List<KeyValuePair<string, string>>> FormFieldsAsync(HttpClient admin, int team) =>
        (await SignalsFixture.SettingsFormAsync(admin, team)).Where(f => f.Key != "Phrases[en]").Append(new("Phrases[en]", "speak to a manager\ngo to the press")).ToList();

    [Fact]
    public async Task Page_ShowsEachDefaultAndWhereItComesFrom()
    {
        var admin = await app.AdminAsync();
        var html = await admin.GetStringAsync($"/admin/signals?team={app.North}");
        Assert.Contains("Amazon Contact Lens and NICE", html);
        Assert.Contains("CallReview&#x27;s choice", html.Replace("'", "&#x27;"));
        Assert.Contains("This team uses the published defaults.", html);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/signals?team=99999")).StatusCode);
    }

    [Fact]
    public async Task Save_AppliesToNewCalls_RerunAppliesToOldOnes()
    {
        var admin = await app.AdminAsync();
        var team = await admin.CreateTeamAsync("Signals East");
        var before = await app.CallWithSignalsAsync("Before the change", team);
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @before AND RuleCode = 'dead_air'", new { before }));

        var fields = (await FormFieldsAsync(admin, team)).Where(f => f.Key != "DeadAirSeconds").Append(new("DeadAirSeconds", "10")).ToList();
        var saved = await admin.PostFormAsync("/admin/signals", fields, $"/admin/signals?team={team}");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("This team has its own settings.", await admin.GetStringAsync($"/admin/signals?team={team}"));

        var after = await app.CallWithSignalsAsync("After the change", team);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @after AND RuleCode = 'dead_air'", new { after }));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @before AND RuleCode = 'dead_air'", new { before }));

        var rerun = await admin.PostFormAsync("/admin/signals/rerun", [new("team", team.ToString())], $"/admin/signals?team={team}");
        Assert.Equal(HttpStatusCode.Redirect, rerun.StatusCode);
        Assert.Contains("computed again for 2 calls", await admin.GetStringAsync(rerun.Headers.Location!.OriginalString));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @before AND RuleCode = 'dead_air'", new { before }));
        // Another team keeps the defaults.
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @c AND RuleCode = 'dead_air'",
            new { c = await app.CallWithSignalsAsync("Other team") }));
    }

    [Fact]
    public async Task PhraseList_AddedPhraseFoundInCustomerTurns()
    {
        var admin = await app.AdminAsync();
        var team = await admin.CreateTeamAsync("Signals West");
        TestCalls.Turn[] turns = [new("agent", 0.5, 3, "How can I help?"), new("customer", 3.5, 7, "If this goes on I will go to the press.")];
        var callId = await app.InsertCallAsync("Press", team, null, turns, durationSeconds: 8);
        await app.ComputeAsync(callId);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM CallSignal WHERE CallId = @callId AND RuleCode = 'frustration'", new { callId }));

        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/admin/signals", await FormFieldsAsync(admin, team), $"/admin/signals?team={team}")).StatusCode);
        await app.ComputeAsync(callId);
        Assert.Equal("go to the press", await app.ScalarAsync<string>("SELECT Detail FROM CallSignal WHERE CallId = @callId AND RuleCode = 'frustration'", new { callId }));
    }

    [Fact]
    public async Task Save_AThresholdOutOfRange_ShowsTheFormAgainWithTheFieldsError()
    {
        var admin = await app.AdminAsync();
        var fields = (await FormFieldsAsync(admin, app.North)).Where(f => f.Key != "DeadAirSeconds").Append(new("DeadAirSeconds", "-1")).ToList();
        var response = await admin.PostFormAsync("/admin/signals", fields, $"/admin/signals?team={app.North}");
        // The form again, with the range beside its field (not InputLimits' 400: htmx and people see a page).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<span class=\"field-error\">The field Dead air seconds must be between 0.5 and 600.</span>", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM TeamSignalSettings WHERE TeamId = @North", new { app.North }));
    }

    [Fact]
    public async Task Quality_AcceptedSuggestionMatchesItsPin_DismissedOneDoesNot()
    {
        var callId = await app.CallWithSignalsAsync("Quality");
        var page = $"/review/{callId}";
        var rita = await app.As(ReviewFixture.Rita);
        var deadAir = await app.ScalarAsync<int>("SELECT Id FROM CallSignal WHERE CallId = @callId AND RuleCode = 'dead_air'", new { callId });
        var talkOver = await app.ScalarAsync<int>("SELECT Id FROM CallSignal WHERE CallId = @callId AND RuleCode = 'talk_over'", new { callId });
        (await rita.HtmxPostAsync($"{page}/signals/{deadAir}/accept", page)).EnsureSuccessStatusCode();
        (await rita.HtmxPostAsync($"{page}/signals/{talkOver}/dismiss", page)).EnsureSuccessStatusCode();

        var (rows, calls) = await QualityAsync(app.North);
        Assert.True(calls >= 1);
        var dead = rows.Single(r => r.Rule.Code == "dead_air");
        Assert.True(dead.Accepted >= 1 && dead.Match.Matched >= 1);
        var over = rows.Single(r => r.Rule.Code == "talk_over");
        Assert.True(over.Dismissed >= 1 && over.Match.Precision < 1);
        var html = await (await app.AdminAsync()).GetStringAsync($"/admin/signals?team={app.North}");
        Assert.Contains("Quality on North", html);
    }

    private async Task<(IReadOnlyList<SignalQuality.Row> Rows, int Calls)> QualityAsync(int team)
    {
        using var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(app.Services);
        return await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<SignalQuality.Handler>(scope.ServiceProvider).LoadAsync(team, default);
    }

    [Fact]
    public void Measure_MatchesWithinTheCalibrationTolerance_PerCall()
    {
        SignalQuality.Moment S(string call, double s, string code, double? end = null) => new(call, (long)(s * 1000), (long)((end ?? s) * 1000), code);
        var rows = SignalQuality.Measure(
            [S("a", 10, "dead_air", 12), S("a", 40, "dead_air", 60), S("b", 10, "dead_air", 15), S("a", 12, "frustration")],
            [S("a", 16.5, "timeliness"), S("a", 70, "timeliness"), S("b", 30, "timeliness"), S("a", 13, "complaint-mishandled")]);
        // 16.5 s is 4.5 s after the first span ends, 70 s is 10 s after the second, and call b's pin is 15 s after its span.
        var dead = rows.Single(r => r.Rule.Code == "dead_air").Match;
        Assert.Equal((1, 3, 3), (dead.Matched, dead.Pins, dead.ReferencePins));
        Assert.Equal(1.0, rows.Single(r => r.Rule.Code == "frustration").Match.Precision);
    }
}
